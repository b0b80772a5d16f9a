/* wg-sim-main.c — wangge-sim's command line: plays grid workers and service teams against a server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "WgSimMain"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <locale.h>
#include <stdio.h>

#include "wg-sim.h"

static gboolean
stop_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_CONTINUE;
}

/* The simulation runs in a thread of its own so that SIGINT and SIGTERM, handled by the
 * main loop here, can stop it between two actions and it still prints its summary. */
static void
run_thread (GTask        *task,
            gpointer      source,
            gpointer      task_data,
            GCancellable *cancellable)
{
  g_autoptr(GError) error = NULL;

  if (!wg_sim_run (WG_SIM (source), cancellable, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

typedef struct
{
  gboolean done;
  GError  *error;
} Outcome;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Outcome *outcome = user_data;

  g_task_propagate_boolean (G_TASK (result), &outcome->error);
  outcome->done = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  WgSimOptions o;
  g_autofree char *url = NULL, *field_password = NULL, *team_password = NULL;
  g_autofree char *dispatcher = NULL, *dispatcher_password = NULL;
  gint64 seed = 1;
  int count = -1, workers = -1;
  double duration = -1, rate = -1, speed = -1;
  double return_share = -1, overdue_share = -1, self_share = -1, reopen_share = -1;
  double photo_share = -1, verify_share = -1;
  gboolean center = FALSE, allow_remote = FALSE;
  const GOptionEntry entries[] = {
    { "url", 'u', 0, G_OPTION_ARG_STRING, &url, N_("Server address (default http://127.0.0.1:8443)"), "URL" },
    { "allow-remote", 0, 0, G_OPTION_ARG_NONE, &allow_remote, N_("Play against a server that is not on this machine"), NULL },
    { "count", 'n', 0, G_OPTION_ARG_INT, &count, N_("Reports to make, 0 for no limit (default 100)"), "N" },
    { "duration", 't', 0, G_OPTION_ARG_DOUBLE, &duration, N_("Stop after this many real seconds, 0 for no limit (default 600)"), "SECONDS" },
    { "rate", 'r', 0, G_OPTION_ARG_DOUBLE, &rate, N_("Reports per simulated hour (default 30)"), "N" },
    { "speed", 's', 0, G_OPTION_ARG_DOUBLE, &speed, N_("Simulated seconds per real second (default 60)"), "FACTOR" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the simulator's choices (default 1)"), "N" },
    { "workers", 'w', 0, G_OPTION_ARG_INT, &workers, N_("Grid workers to play, spread over the township (default 12)"), "N" },
    { "center", 'c', 0, G_OPTION_ARG_NONE, &center, N_("Also play the command center: dispatch, supervise, verify and close"), NULL },
    { "return-share", 0, 0, G_OPTION_ARG_DOUBLE, &return_share, N_("Share of dispatched cases a team returns (default 0.08)"), "FRACTION" },
    { "overdue-share", 0, 0, G_OPTION_ARG_DOUBLE, &overdue_share, N_("Share of cases left to run past their deadline (default 0.08)"), "FRACTION" },
    { "self-share", 0, 0, G_OPTION_ARG_DOUBLE, &self_share, N_("Share of reports the grid worker handled himself (default 0.12)"), "FRACTION" },
    { "reopen-share", 0, 0, G_OPTION_ARG_DOUBLE, &reopen_share, N_("Share of resolved cases sent back on verification (default 0.05)"), "FRACTION" },
    { "photo-share", 0, 0, G_OPTION_ARG_DOUBLE, &photo_share, N_("Share of reports that come with an on-site photo (default 0.5)"), "FRACTION" },
    { "verify-share", 0, 0, G_OPTION_ARG_DOUBLE, &verify_share, N_("Share of resolved cases the grid worker checks on site; the rest wait for the command center (default 1)"), "FRACTION" },
    { "field-password", 0, 0, G_OPTION_ARG_STRING, &field_password, N_("Password of the grid workers’ accounts gwNNN (default: the demo’s)"), "TEXT" },
    { "team-password", 0, 0, G_OPTION_ARG_STRING, &team_password, N_("Password of the team members’ accounts teamNN-1 (default: the demo’s)"), "TEXT" },
    { "dispatcher", 0, 0, G_OPTION_ARG_STRING, &dispatcher, N_("Account that plays the center with --center (default dispatcher)"), "NAME" },
    { "dispatcher-password", 0, 0, G_OPTION_ARG_STRING, &dispatcher_password, N_("Its password (default: the demo’s)"), "TEXT" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(GOptionContext) ctx = NULL;
  g_autoptr(GError) error = NULL;
  Outcome outcome = { FALSE, NULL };
  g_autoptr(WgSim) sim = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GTask) task = NULL;
  g_autofree char *summary = NULL;
  guint failures;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("WANGGE_LOCALEDIR") != NULL ? g_getenv ("WANGGE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("wangge-sim");
  g_log_writer_default_set_use_stderr (TRUE);

  ctx = g_option_context_new (NULL);
  g_option_context_set_summary (ctx, _("Plays grid workers and service teams over the public API of a wangge-server: "
                                       "reports from inside the grids, claims, starts and resolves what is dispatched, "
                                       "returns a share, lets a share run overdue."));
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("wangge-sim: %s\n", error->message);
      return 2;
    }

  wg_sim_options_init (&o);
#define SET(field, value, cond) if (cond) o.field = value
  if (url != NULL)
    {
      g_free (o.url);
      o.url = g_strdup (url);
    }
  o.allow_remote = allow_remote;
  o.center = center;
  o.seed = (guint64) seed;
  SET (count, (guint) count, count >= 0);
  SET (duration, duration, duration >= 0);
  SET (rate, rate, rate > 0);
  SET (speed, speed, speed > 0);
  SET (n_workers, (guint) workers, workers > 0);
  SET (return_share, return_share, return_share >= 0);
  SET (overdue_share, overdue_share, overdue_share >= 0);
  SET (self_share, self_share, self_share >= 0);
  SET (reopen_share, reopen_share, reopen_share >= 0);
  SET (photo_share, photo_share, photo_share >= 0);
  SET (verify_share, verify_share, verify_share >= 0);
#undef SET
  if (field_password != NULL)
    g_free (o.field_password), o.field_password = g_strdup (field_password);
  if (team_password != NULL)
    g_free (o.team_password), o.team_password = g_strdup (team_password);
  if (dispatcher != NULL)
    g_free (o.dispatcher), o.dispatcher = g_strdup (dispatcher);
  if (dispatcher_password != NULL)
    g_free (o.dispatcher_password), o.dispatcher_password = g_strdup (dispatcher_password);
  if (o.count == 0 && o.duration == 0)
    {
      g_printerr ("wangge-sim: %s\n", _("Give --count or --duration: the simulation must end."));
      wg_sim_options_clear (&o);
      return 2;
    }
  if (o.return_share + o.overdue_share + o.reopen_share > 1 || o.self_share > 1 || o.photo_share > 1
      || o.verify_share > 1)
    {
      g_printerr ("wangge-sim: %s\n", _("The shares cannot add up to more than 1."));
      wg_sim_options_clear (&o);
      return 2;
    }

  sim = wg_sim_new (&o);
  wg_sim_options_clear (&o);

  g_unix_signal_add (SIGINT, stop_cb, cancellable);
  g_unix_signal_add (SIGTERM, stop_cb, cancellable);
  task = g_task_new (sim, cancellable, done_cb, &outcome);
  g_task_set_source_tag (task, main);
  /* a signal ends the run early, and the summary still tells what was done */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, run_thread);
  while (!outcome.done)
    g_main_context_iteration (NULL, TRUE);

  if (outcome.error != NULL)
    {
      g_printerr ("wangge-sim: %s\n", outcome.error->message);
      g_error_free (outcome.error);
      return 1;
    }
  summary = wg_sim_get_summary (sim);
  g_print ("%s", summary);
  failures = wg_sim_get_n_failures (sim);
  return failures > 0 ? 1 : 0;
}
