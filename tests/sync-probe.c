/* sync-probe.c — a client process for the tests that kill one: pull, queue, push
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   sync-probe pull URL TOKEN CACHE PAGE_SIZE     sync until up to date, then exit
 *   sync-probe queue-and-hang URL TOKEN CACHE ID  queue "accept" on case ID, then wait forever
 *   sync-probe push URL TOKEN CACHE               sync and send the outbox, then exit
 */
#include "config.h"

#include <stdlib.h>

#include "wg-sync.h"

static GMainLoop *loop;
static int exit_status = 1;
static gboolean want_empty_outbox;

static void
state_cb (WgSyncStatus *status,
          GParamSpec   *pspec,
          WgSync       *sync)
{
  WgSyncState state = wg_sync_status_get_state (status);

  if (state == WG_SYNC_STATE_ERROR)
    {
      g_printerr ("sync-probe: %s\n", wg_sync_status_get_error_message (status));
      g_main_loop_quit (loop);
    }
  else if (state == WG_SYNC_STATE_UP_TO_DATE &&
           (!want_empty_outbox || wg_store_count_outbox (wg_sync_get_store (sync), NULL) == 0))
    {
      exit_status = 0;
      g_main_loop_quit (loop);
    }
}

static void
pending_cb (WgSync *sync)
{
  state_cb (wg_sync_get_status (sync), NULL, sync);
}

static void
queued_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!wg_sync_take_action_finish (WG_SYNC (object), result, &error))
    g_error ("sync-probe: %s", error->message);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WgStore) store = NULL;
  g_autoptr(WgApi) api = NULL;
  g_autoptr(WgSyncStatus) status = NULL;
  g_autoptr(WgSync) sync = NULL;

  if (argc < 5)
    {
      g_printerr ("usage: sync-probe pull|queue-and-hang|push URL TOKEN CACHE [ARG]\n");
      return 2;
    }

  loop = g_main_loop_new (NULL, FALSE);
  store = wg_store_open (argv[4], &error);
  if (store == NULL)
    g_error ("sync-probe: %s", error->message);
  api = wg_api_new (argv[2]);
  wg_api_set_token (api, argv[3]);
  status = wg_sync_status_new ();
  sync = wg_sync_new (store, api, status);
  wg_sync_set_live_enabled (sync, FALSE);

  if (g_str_equal (argv[1], "queue-and-hang"))
    {
      g_autoptr(JsonObject) record = wg_store_get_record (store, "cases", argv[5], &error);

      if (record == NULL)
        g_error ("sync-probe: %s", error->message);
      wg_sync_take_action_async (sync, argv[5], "accept", NULL,
                                 json_object_get_int_member (record, "version"), "accepted",
                                 NULL, queued_cb, NULL);
      g_main_loop_run (loop);
      return 0;
    }

  if (g_str_equal (argv[1], "pull") && argc > 5)
    wg_sync_set_page_size (sync, atoi (argv[5]));
  want_empty_outbox = g_str_equal (argv[1], "push");

  g_signal_connect (status, "notify::state", G_CALLBACK (state_cb), sync);
  g_signal_connect_swapped (status, "notify::pending", G_CALLBACK (pending_cb), sync);
  wg_sync_start (sync);
  g_main_loop_run (loop);
  wg_sync_stop (sync);
  wg_store_close (store);
  return exit_status;
}
