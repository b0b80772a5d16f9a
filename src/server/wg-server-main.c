/* wg-server-main.c — wangge-server's command line: init, add-account, import-grids, backup, serve, routes
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "WgServerMain"

#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "wg-auth.h"
#include "wg-db.h"
#include "wg-demo.h"
#include "wg-import.h"
#include "wg-json.h"
#include "wg-routes.h"
#include "wg-schema.h"
#include "wg-server.h"
#include "wg-server-private.h"
#include "wg-url.h"

static char *opt_data_dir = NULL;
static gboolean opt_fast_hash = FALSE;
static gboolean opt_verbose = FALSE;

static const GOptionEntry common_entries[] = {
  { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data_dir, N_("Directory of the database and attachments"), "DIR" },
  { "verbose", 'v', 0, G_OPTION_ARG_NONE, &opt_verbose, N_("Log every request (debug level)"), NULL },
  /* Lowers the Argon2id cost to libsodium's minimum so the test suite can create and sign
   * in many accounts quickly. Never use it in production. */
  { "test-fast-hash", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &opt_fast_hash, NULL, NULL },
  G_OPTION_ENTRY_NULL
};

static gboolean
parse_options (const char           *command,
               const char           *parameters,
               const GOptionEntry   *entries,
               int                  *argc,
               char               ***argv,
               gboolean              need_data_dir,
               GError              **error)
{
  g_autoptr(GOptionContext) ctx = NULL;
  g_autofree char *title = g_strdup_printf ("%s %s", command, parameters ? parameters : "");

  ctx = g_option_context_new (title);
  g_option_context_set_translation_domain (ctx, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (ctx, common_entries, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (ctx, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (ctx, argc, argv, error))
    return FALSE;
  if (opt_verbose)
    g_log_set_debug_enabled (TRUE);
  if (g_strcmp0 (g_getenv ("WANGGE_SERVER_TEST_FAST_HASH"), "1") == 0)
    opt_fast_hash = TRUE;
  if (need_data_dir && opt_data_dir == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Give the data directory with --data-dir DIR."));
      return FALSE;
    }
  return TRUE;
}

static char *
db_path (void)
{
  return g_build_filename (opt_data_dir, "wangge.db", NULL);
}

static WgDb *
open_db (gboolean   create,
         GError   **error)
{
  g_autofree char *path = db_path ();

  return wg_db_open (path, create, error);
}

/* --- init ------------------------------------------------------------------------------ */

static int
cmd_init (int      argc,
          char   **argv,
          GError **error)
{
  g_autoptr(WgDb) db = NULL;
  g_autofree char *path = NULL;

  if (!parse_options ("init", NULL, NULL, &argc, &argv, TRUE, error))
    return 2;
  if (g_mkdir_with_parents (opt_data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create %s: %s"),
                   opt_data_dir, g_strerror (saved));
      return 1;
    }
  path = db_path ();
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s already exists; init creates a new database only."), path);
      return 1;
    }
  db = wg_db_open (path, TRUE, error);
  if (db == NULL)
    return 1;
  g_print (_("Created the database %s (schema %d).\n"), path, wg_db_get_schema_version (db));
  return 0;
}

/* --- add-account ----------------------------------------------------------------------- */

static gboolean
cli_ref_exists_cb (const char *kind,
                   const char *id,
                   gpointer    user_data)
{
  g_autoptr(WgRecord) r = wg_db_get_record (WG_DB (user_data), id, NULL);

  return r != NULL && !r->deleted && strcmp (r->kind, kind) == 0;
}

static char *
read_password (const char  *file,
               GError     **error)
{
  g_autofree char *contents = NULL;
  char line[1100];

  if (file != NULL)
    {
      if (!g_file_get_contents (file, &contents, NULL, error))
        return NULL;
      g_strchomp (contents);
      return g_steal_pointer (&contents);
    }
  if (fgets (line, sizeof line, stdin) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("Give the password on standard input (one line) or with --password-file FILE."));
      return NULL;
    }
  g_strchomp (line);
  return g_strdup (line);
}

static int
cmd_add_account (int      argc,
                 char   **argv,
                 GError **error)
{
  static char *username = NULL, *display_name = NULL, *role = NULL, *village = NULL, *password_file = NULL;
  static const GOptionEntry entries[] = {
    { "username", 'u', 0, G_OPTION_ARG_STRING, &username, N_("Sign-in name"), "NAME" },
    { "display-name", 'n', 0, G_OPTION_ARG_STRING, &display_name, N_("Name shown to others"), "TEXT" },
    { "role", 'r', 0, G_OPTION_ARG_STRING, &role, N_("admin, dispatcher, leader, field_worker or team_member"), "ROLE" },
    { "village-id", 0, 0, G_OPTION_ARG_STRING, &village, N_("Limit the account to one village (org unit id)"), "UUID" },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file, N_("Read the password from FILE instead of standard input"), "FILE" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(WgDb) db = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(WgRecord) record = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = wg_rfc3339_now ();
  g_autofree char *id = g_uuid_string_random ();
  const WgKind *kind = wg_schema_find_kind ("accounts");

  if (!parse_options ("add-account", NULL, entries, &argc, &argv, TRUE, error))
    return 2;
  if (username == NULL || role == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Give at least --username and --role."));
      return 2;
    }
  if (!wg_auth_init (opt_fast_hash, error))
    return 1;
  db = open_db (FALSE, error);
  if (db == NULL)
    return 1;
  password = read_password (password_file, error);
  if (password == NULL)
    return 1;

  json_object_set_string_member (fields, "username", username);
  json_object_set_string_member (fields, "display_name", display_name ? display_name : username);
  json_object_set_string_member (fields, "role", role);
  if (village != NULL)
    json_object_set_string_member (fields, "scope_village_id", village);
  json_object_set_boolean_member (fields, "active", TRUE);
  json_object_set_string_member (fields, "password", password);
  if (!wg_schema_validate (kind->fields, fields, FALSE, NULL, cli_ref_exists_cb, db, error))
    return 1;
  hash = wg_auth_hash_password (password, error);
  if (hash == NULL)
    return 1;
  json_object_remove_member (fields, "password");

  record = wg_record_new ("accounts", id);
  record->version = 1;
  record->created_at = g_strdup (now);
  record->updated_at = g_strdup (now);
  record->village_id = g_strdup (village);
  record->natural_key = g_strdup (username);
  record->body = _wg_record_body_new (id, 1, now, now, fields);
  if (!wg_db_begin (db, error))
    return 1;
  if (!wg_db_put_record (db, record, "cli:add-account", NULL, error) ||
      !wg_db_set_password_hash (db, id, hash, error) ||
      !wg_db_commit (db, error))
    {
      wg_db_rollback (db);
      if (g_error_matches (*error, WG_DB_ERROR, WG_DB_ERROR_CONSTRAINT))
        {
          g_clear_error (error);
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS, _("An account named “%s” already exists."), username);
        }
      return 1;
    }
  g_print ("%s\n", id);
  return 0;
}

/* --- import-grids ---------------------------------------------------------------------- */

static int
cmd_import_grids (int      argc,
                  char   **argv,
                  GError **error)
{
  static gboolean gcj02 = FALSE;
  static char *village = NULL;
  static const GOptionEntry entries[] = {
    { "gcj02", 0, 0, G_OPTION_ARG_NONE, &gcj02, N_("The file's coordinates are GCJ-02 (Chinese web maps); convert them to WGS-84"), NULL },
    { "village-id", 0, 0, G_OPTION_ARG_STRING, &village, N_("Village of new grids whose feature does not name one"), "UUID" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(WgDb) db = NULL;
  guint created = 0, updated = 0;

  if (!parse_options ("import-grids", "FILE.geojson", entries, &argc, &argv, TRUE, error))
    return 2;
  if (argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Give one GeoJSON file to import."));
      return 2;
    }
  db = open_db (FALSE, error);
  if (db == NULL)
    return 1;
  if (!wg_import_grids (db, argv[1], gcj02, village, &created, &updated, error))
    return 1;
  g_print (_("Imported %s: %u grids created, %u updated.\n"), argv[1], created, updated);
  return 0;
}

/* --- backup ---------------------------------------------------------------------------- */

static int
cmd_backup (int      argc,
            char   **argv,
            GError **error)
{
  g_autoptr(WgDb) db = NULL;

  if (!parse_options ("backup", "OUTPUT.db", NULL, &argc, &argv, TRUE, error))
    return 2;
  if (argc != 2)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Give the file to write the backup to."));
      return 2;
    }
  db = open_db (FALSE, error);
  if (db == NULL || !wg_db_backup (db, argv[1], error))
    return 1;
  g_print (_("Wrote a consistent copy of the database to %s. Attachments are files in %s/attachments; copy them too.\n"),
           argv[1], opt_data_dir);
  return 0;
}

/* --- serve ----------------------------------------------------------------------------- */

static gboolean
quit_cb (gpointer user_data)
{
  g_message ("Stopping on signal");
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static int
cmd_serve (int      argc,
           char   **argv,
           GError **error)
{
  static char *listen = NULL, *cert_file = NULL, *key_file = NULL;
  static int port = 8443, max_body_kb = 1024, max_upload_mb = 10, heartbeat = 15, session_hours = 12;
  static gboolean insecure = FALSE;
  static const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen, N_("Address to listen on (default 127.0.0.1)"), "ADDRESS" },
    { "port", 'p', 0, G_OPTION_ARG_INT, &port, N_("Port (default 8443; 0 picks a free one)"), "PORT" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &cert_file, N_("PEM certificate (chain) for HTTPS"), "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &key_file, N_("PEM private key for HTTPS"), "FILE" },
    { "insecure-http", 0, 0, G_OPTION_ARG_NONE, &insecure, N_("Allow plain HTTP on a non-loopback address (behind a TLS proxy only)"), NULL },
    { "max-body-kb", 0, 0, G_OPTION_ARG_INT, &max_body_kb, N_("Largest JSON request body in KiB (default 1024)"), "KIB" },
    { "max-upload-mb", 0, 0, G_OPTION_ARG_INT, &max_upload_mb, N_("Largest attachment in MiB (default 10)"), "MIB" },
    { "heartbeat-seconds", 0, 0, G_OPTION_ARG_INT, &heartbeat, N_("Interval of the live channel's heartbeats (default 15)"), "SECONDS" },
    { "session-hours", 0, 0, G_OPTION_ARG_INT, &session_hours, N_("How long a sign-in lasts (default 12)"), "HOURS" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(WgDb) db = NULL;
  g_autoptr(WgServer) server = NULL;
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;
  const char *address;

  if (!parse_options ("serve", NULL, entries, &argc, &argv, TRUE, error))
    return 2;
  address = listen ? listen : "127.0.0.1";
  if (port < 0 || port > 65535 || max_body_kb < 1 || max_upload_mb < 1 || heartbeat < 1 || session_hours < 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("A numeric option is out of range."));
      return 2;
    }
  if ((cert_file == NULL) != (key_file == NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED, _("Give both --tls-cert and --tls-key, or neither."));
      return 2;
    }
  if (cert_file != NULL)
    {
      cert = g_tls_certificate_new_from_files (cert_file, key_file, error);
      if (cert == NULL)
        return 1;
    }
  /* Tokens and passwords travel in every request: never in the clear beyond this machine,
   * unless the operator says a TLS proxy sits in front. */
  else if (!wg_url_host_is_loopback (address) && !insecure)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Refusing plain HTTP on %s: give --tls-cert and --tls-key, or --insecure-http if a TLS proxy sits in front."),
                   address);
      return 2;
    }

  if (!wg_auth_init (opt_fast_hash, error))
    return 1;
  db = open_db (FALSE, error);
  if (db == NULL)
    return 1;
  server = wg_server_new (db, opt_data_dir, error);
  if (server == NULL)
    return 1;
  wg_server_set_limits (server, (gsize) max_body_kb * 1024, (gsize) max_upload_mb * 1024 * 1024,
                        heartbeat, session_hours);
  if (!wg_server_listen (server, address, port, cert, &url, error))
    return 1;

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  /* The first line on stdout is the address, for scripts and tests that ask for port 0. */
  g_print ("listening on %s\n", url);
  fflush (stdout);
  g_message ("wangge-server %s serving %s on %s", PACKAGE_VERSION, opt_data_dir, url);
  g_main_loop_run (loop);

  wg_server_shutdown (server);
  g_clear_object (&server);
  if (!wg_db_checkpoint (db, error))
    return 1;
  g_message ("Stopped cleanly");
  return 0;
}

/* --- demo ----------------------------------------------------------------------------- */

static gboolean
dir_is_empty (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);

  return dir == NULL || g_dir_read_name (dir) == NULL;
}

/* A fresh data directory with the demo township (wg-demo.c). The same --seed and --now give
 * byte-identical records and change log. */
static int
cmd_demo (int      argc,
          char   **argv,
          GError **error)
{
  static gint64 seed = 1;
  static int cases = WG_DEMO_N_CASES;
  static char *now_text = NULL;
  static const GOptionEntry entries[] = {
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Seed of the generated names, map and history (default 1)"), "N" },
    { "cases", 'c', 0, G_OPTION_ARG_INT, &cases, N_("Cases in the last four weeks (default 584)"), "N" },
    { "now", 0, 0, G_OPTION_ARG_STRING, &now_text, N_("Reference time in RFC 3339 (default: now, to the hour); every timestamp derives from it"), "TIME" },
    G_OPTION_ENTRY_NULL
  };
  g_autoptr(WgDb) db = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GTimer) timer = g_timer_new ();
  g_autofree char *now_s = NULL;
  g_autofree char *seed_s = NULL;
  WgDemoOptions options = { 0, };
  WgDemoSummary summary = { 0, };
  const WgDemoAccount *accounts;
  guint n_accounts;

  if (!parse_options ("demo", NULL, entries, &argc, &argv, TRUE, error))
    return 2;
  if (cases < 0)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, _("--cases cannot be negative."));
      return 2;
    }
  if (now_text != NULL)
    {
      now = wg_rfc3339_parse (now_text);
      if (now == NULL)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--now must be a time in RFC 3339 form with a zone, e.g. 2026-11-24T08:00:00Z."));
          return 2;
        }
    }
  else
    {
      g_autoptr(GDateTime) exact = g_date_time_new_now_utc ();

      now = g_date_time_new_from_unix_utc (g_date_time_to_unix (exact) / 3600 * 3600);
    }
  if (!dir_is_empty (opt_data_dir))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS,
                   _("%s is not empty; the demo township goes into a new or empty directory."), opt_data_dir);
      return 1;
    }
  if (g_mkdir_with_parents (opt_data_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("Cannot create %s: %s"),
                   opt_data_dir, g_strerror (saved));
      return 1;
    }
  if (!wg_auth_init (opt_fast_hash, error))
    return 1;
  db = open_db (TRUE, error);
  if (db == NULL)
    return 1;

  options.seed = (guint64) seed;
  options.n_cases = (guint) cases;
  options.now = now;
  if (!wg_demo_generate (db, &options, &summary, error) || !wg_db_checkpoint (db, error))
    {
      /* leave the directory as empty as it was, not half a township */
      const char * const suffixes[] = { "", "-wal", "-shm" };
      g_autofree char *path = db_path ();

      g_clear_object (&db);
      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_unlink (file);
        }
      return 1;
    }

  now_s = wg_rfc3339_format (now);
  seed_s = g_strdup_printf ("%" G_GINT64_FORMAT, seed);
  /* Translators: the first %s is the township's name (马街镇), then the directory, the
   * seed and the reference time */
  g_print (_("Created the demo township %s in %s (seed %s, reference time %s) in %.1f s:\n"),
           "马街镇", opt_data_dir, seed_s, now_s, g_timer_elapsed (timer, NULL));
  g_print (_("  %d villages, %d groups, %d grids covering %.1f km², %d households, %u accounts\n"),
           WG_DEMO_N_VILLAGES, WG_DEMO_N_GROUPS, WG_DEMO_N_GRIDS, summary.area_km2,
           WG_DEMO_N_HOUSEHOLDS, summary.n_accounts);
  g_print (_("  %u cases in the last four weeks, %u handled, %u open past their deadline; %u records\n"),
           summary.n_cases, summary.n_handled, summary.n_overdue, summary.n_records);
  g_print ("\n%s\n", _("Sign in with (demo passwords, documented in docs/demo.md):"));
  accounts = wg_demo_get_accounts (&n_accounts);
  for (guint i = 0; i < n_accounts; i++)
    g_print ("  %s%*s %-20s %-13s %s\n", accounts[i].username,
             (int) (18 - g_utf8_strlen (accounts[i].username, -1)), "",   /* "…" is one column */
             accounts[i].password, accounts[i].role, accounts[i].description);
  return 0;
}

/* --- routes ---------------------------------------------------------------------------- */

static int
cmd_routes (int      argc,
            char   **argv,
            GError **error)
{
  const WgRoute *routes;
  guint n;

  routes = wg_routes_get_table (&n);
  for (guint i = 0; i < n; i++)
    g_print ("%s %s\n", routes[i].method, routes[i].pattern);
  return 0;
}

static void
usage (void)
{
  g_printerr ("%s", _("Usage: wangge-server COMMAND [OPTION…]\n"
                      "\n"
                      "Commands:\n"
                      "  init          create the database in --data-dir\n"
                      "  add-account   add a sign-in account (password on standard input)\n"
                      "  import-grids  import grid boundaries from a GeoJSON FeatureCollection\n"
                      "  backup        write a consistent copy of the database, also while serving\n"
                      "  serve         run the API server\n"
                      "  routes        print the API's routes\n"
                      "\n"
                      "Run “wangge-server COMMAND --help” for a command's options.\n"));
}

int
main (int   argc,
      char *argv[])
{
  static const struct {
    const char *name;
    int (*func) (int, char **, GError **);
  } commands[] = {
    { "init", cmd_init },
    { "add-account", cmd_add_account },
    { "import-grids", cmd_import_grids },
    { "backup", cmd_backup },
    { "serve", cmd_serve },
    { "routes", cmd_routes },
    { "demo", cmd_demo },
  };
  g_autoptr(GError) error = NULL;

  setlocale (LC_ALL, "");
  /* The server speaks the language of its locale (LANG), which for a township is zh_CN;
   * WANGGE_LOCALEDIR points an uninstalled build at its own translations. */
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("WANGGE_LOCALEDIR") != NULL ? g_getenv ("WANGGE_LOCALEDIR") : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_set_prgname ("wangge-server");
  /* Logs, debug included, go to stderr (or the journal): stdout carries only results, such
   * as the "listening on" line scripts read. */
  g_log_writer_default_set_use_stderr (TRUE);

  if (argc < 2)
    {
      usage ();
      return 2;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (strcmp (argv[1], commands[i].name) == 0)
        {
          int rc = commands[i].func (argc - 1, argv + 1, &error);

          if (error != NULL)
            g_printerr ("wangge-server %s: %s\n", argv[1], error->message);
          return rc;
        }
    }
  usage ();
  return 2;
}
