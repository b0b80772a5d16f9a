/* test-sync.c — the sync engine against the real wangge-server on loopback
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test gets a fresh server and a fresh cache. Broken replies (truncated, malformed,
 * wrongly typed, HTTP 500, no answer) come from a small SoupServer in this process, since
 * the real server never sends them; everything else talks to wangge-server.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>

#include "wg-api.h"
#include "wg-labels.h"
#include "wg-store.h"
#include "wg-sync.h"
#include "wg-test-server.h"

static const char * const synced_kinds[] = { "org_units", "grids", "categories", "cases", NULL };

typedef struct
{
  WgTestServer *server;
  char         *cache_dir;
  char         *cache_path;
  WgStore      *store;
  WgApi        *api;
  WgSyncStatus *status;
  WgSync       *sync;
  GPtrArray    *case_ids;
  char         *auth_message;
  char         *refused_message;
  char         *token;
} Fixture;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (Fixture *f);

static gboolean
wait_for (Fixture   *f,
          Condition  condition,
          guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (10, tick_cb, NULL);
  gboolean ok;

  while (!(ok = condition (f)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static gboolean
is_up_to_date (Fixture *f)
{
  return wg_sync_status_get_state (f->status) == WG_SYNC_STATE_UP_TO_DATE;
}

static gboolean
is_failing (Fixture *f)
{
  WgSyncState state = wg_sync_status_get_state (f->status);

  return state == WG_SYNC_STATE_OFFLINE || state == WG_SYNC_STATE_ERROR;
}

static gboolean
outbox_empty (Fixture *f)
{
  return wg_store_count_outbox (f->store, NULL) == 0;
}

static void
auth_required_cb (WgSync     *sync,
                  const char *message,
                  Fixture    *f)
{
  g_set_str (&f->auth_message, message);
}

static void
action_refused_cb (WgSync     *sync,
                   const char *case_id,
                   const char *action,
                   const char *message,
                   Fixture    *f)
{
  g_set_str (&f->refused_message, message);
}

static void
open_client (Fixture    *f,
             const char *url,
             const char *token)
{
  g_autoptr(GError) error = NULL;

  f->store = wg_store_open (f->cache_path, &error);
  g_assert_no_error (error);
  f->api = wg_api_new (url);
  wg_api_set_token (f->api, token);
  f->status = wg_sync_status_new ();
  f->sync = wg_sync_new (f->store, f->api, f->status);
  g_signal_connect (f->sync, "auth-required", G_CALLBACK (auth_required_cb), f);
  g_signal_connect (f->sync, "action-refused", G_CALLBACK (action_refused_cb), f);
}

static void
close_client (Fixture *f)
{
  if (f->sync != NULL)
    wg_sync_stop (f->sync);
  g_clear_object (&f->sync);
  g_clear_object (&f->status);
  g_clear_object (&f->api);
  if (f->store != NULL)
    wg_store_close (f->store);
  g_clear_object (&f->store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  guint n_cases = GPOINTER_TO_UINT (data);

  f->server = wg_test_server_new ();
  wg_test_server_start (f->server);
  f->case_ids = g_ptr_array_new_with_free_func (g_free);
  wg_test_server_seed (f->server, 12, n_cases, f->case_ids);

  f->cache_dir = g_dir_make_tmp ("wg-cache-XXXXXX", NULL);
  f->cache_path = g_build_filename (f->cache_dir, "wangge.db", NULL);
  f->token = wg_test_server_login (f->server, "dispatcher", WG_TEST_DISPATCHER_PASSWORD);
  open_client (f, f->server->url, f->token);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_client (f);
  g_clear_pointer (&f->server, wg_test_server_free);
  wg_test_remove_tree (f->cache_dir);
  g_free (f->cache_dir);
  g_free (f->cache_path);
  g_free (f->auth_message);
  g_free (f->refused_message);
  g_free (f->token);
  g_ptr_array_unref (f->case_ids);
}

static void
assert_equals_server (Fixture *f)
{
  for (guint i = 0; synced_kinds[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *ours = wg_store_checksum (f->store, synced_kinds[i], &error);
      gint64 count = 0;
      g_autofree char *theirs = wg_test_server_checksum (f->server, synced_kinds[i], &count);

      g_assert_no_error (error);
      g_assert_cmpint (wg_store_count (f->store, synced_kinds[i], NULL), ==, count);
      g_assert_cmpstr (ours, ==, theirs);
    }
}

/* --- tests ----------------------------------------------------------------------------------- */

static void
test_initial_sync (Fixture       *f,
                   gconstpointer  data)
{
  wg_sync_set_page_size (f->sync, 7);
  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, is_up_to_date, 20000));

  assert_equals_server (f);
  g_assert_cmpint (wg_store_count (f->store, "grids", NULL), ==, 12);
  g_assert_cmpint (wg_store_count (f->store, "cases", NULL), ==, 40);

  /* Progress speaks of what came, by kind. */
  g_assert_cmpuint (wg_sync_status_get_received (f->status), >=, 12 + 40);
  g_assert_nonnull (strstr (wg_sync_status_get_detail (f->status), "12 grids"));
  g_assert_nonnull (wg_sync_status_get_last_sync (f->status));
  g_assert_true (wg_sync_status_get_connected (f->status));
}

typedef struct
{
  Fixture    *f;
  const char *id;
  const char *kind;
  gint64      version;
  gboolean    gone;
} Expect;

static Expect expect;

static gboolean
expectation_met (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) record = wg_store_get_record (f->store, expect.kind, expect.id, &error);

  if (expect.gone)
    return record == NULL && g_error_matches (error, WG_STORE_ERROR, WG_STORE_ERROR_NOT_FOUND);
  return record != NULL && json_object_get_int_member (record, "version") >= expect.version;
}

static void
test_deltas_and_tombstones (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) grids = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *grid_id = NULL;
  g_autofree char *other_id = NULL;
  gint64 version;
  guint status = 0;

  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, is_up_to_date, 20000));

  grids = wg_test_server_call (f->server, f->server->admin_token, "GET", "/api/v1/grids?limit=2", NULL, &status);
  grid_id = g_strdup (json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (grids), "items"), 0), "id"));
  other_id = g_strdup (json_object_get_string_member (json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (grids), "items"), 1), "id"));

  /* A change on the server reaches the cache through the live channel. */
  path = g_strdup_printf ("/api/v1/grids/%s", grid_id);
  reply = wg_test_server_call (f->server, f->server->admin_token, "PATCH", path,
                               "{\"name\":\"马街社区第一网格（调整）\"}", &status);
  g_assert_cmpuint (status, ==, 200);
  version = json_object_get_int_member (json_node_get_object (reply), "version");
  expect = (Expect) { f, grid_id, "grids", version, FALSE };
  g_assert_true (wait_for (f, expectation_met, 5000));

  /* A deletion becomes a tombstone and the row goes. */
  g_free (path);
  path = g_strdup_printf ("/api/v1/grids/%s", other_id);
  g_clear_pointer (&reply, json_node_unref);
  reply = wg_test_server_call (f->server, f->server->admin_token, "DELETE", path, NULL, &status);
  g_assert_cmpuint (status / 100, ==, 2);
  expect = (Expect) { f, other_id, "grids", 0, TRUE };
  g_assert_true (wait_for (f, expectation_met, 5000));

  g_assert_true (wait_for (f, is_up_to_date, 5000));
  assert_equals_server (f);
}

static gint64
case_version (Fixture    *f,
              const char *id)
{
  g_autoptr(JsonObject) record = wg_store_get_record (f->store, "cases", id, NULL);

  g_assert_nonnull (record);
  return json_object_get_int_member (record, "version");
}

static void
action_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (wg_sync_take_action_finish (WG_SYNC (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean action_done;

static gboolean
action_recorded (Fixture *f)
{
  return action_done;
}

static guint
count_timeline (JsonObject *record,
                const char *action)
{
  JsonArray *timeline = json_object_get_array_member (record, "timeline");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (timeline); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (timeline, i), "action"), action) == 0)
      n++;
  return n;
}

static void
test_offline_action_applied_once (Fixture       *f,
                                  gconstpointer  data)
{
  const char *case_id = f->case_ids->pdata[0];
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s", case_id);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GPtrArray) items = NULL;
  guint status = 0;

  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, is_up_to_date, 20000));

  /* The link goes: the action is kept, shown as pending, with its optimistic state. */
  wg_test_server_kill (f->server);
  action_done = FALSE;
  wg_sync_take_action_async (f->sync, case_id, "accept", NULL, case_version (f, case_id), "accepted",
                             NULL, action_done_cb, &action_done);
  g_assert_true (wait_for (f, action_recorded, 5000));
  g_assert_true (wait_for (f, is_failing, 10000));
  g_assert_cmpint (wg_sync_status_get_state (f->status), ==, WG_SYNC_STATE_OFFLINE);
  g_assert_nonnull (wg_sync_status_get_error_message (f->status));
  g_assert_nonnull (wg_sync_status_get_offline_since (f->status));
  g_assert_cmpuint (wg_sync_status_get_pending (f->status), ==, 1);
  items = wg_store_list_outbox (f->store, NULL);
  g_assert_cmpuint (items->len, ==, 1);

  /* The link returns: the outbox drains once, and the server took the action once. */
  wg_test_server_start (f->server);
  wg_sync_pull_now (f->sync);
  g_assert_true (wait_for (f, outbox_empty, 30000));
  g_assert_true (wait_for (f, is_up_to_date, 10000));

  reply = wg_test_server_call (f->server, f->server->admin_token, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply), "state"), ==, "accepted");
  g_assert_cmpuint (count_timeline (json_node_get_object (reply), "accept"), ==, 1);
  assert_equals_server (f);
}

static gboolean
refused (Fixture *f)
{
  g_autoptr(GPtrArray) items = wg_store_list_outbox (f->store, NULL);

  return f->refused_message != NULL && items != NULL && items->len == 1 &&
         ((WgOutboxItem *) items->pdata[0])->state == WG_OUTBOX_FAILED;
}

static void
test_refused_action_restores_state (Fixture       *f,
                                    gconstpointer  data)
{
  const char *case_id = f->case_ids->pdata[1];
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonObject) record = NULL;

  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, is_up_to_date, 20000));

  /* Closing a case that was only reported is not in the state machine. */
  action_done = FALSE;
  wg_sync_take_action_async (f->sync, case_id, "close", NULL, case_version (f, case_id), "closed",
                             NULL, action_done_cb, &action_done);
  g_assert_true (wait_for (f, refused, 10000));
  /* The server says why, naming the action as people do */
  g_assert_nonnull (strstr (f->refused_message, wg_label_case_action ("close")));

  items = wg_store_list_outbox (f->store, NULL);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpint (((WgOutboxItem *) items->pdata[0])->state, ==, WG_OUTBOX_FAILED);
  g_assert_cmpstr (((WgOutboxItem *) items->pdata[0])->error, ==, f->refused_message);

  record = wg_store_get_record (f->store, "cases", case_id, NULL);
  g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "reported");
}

static guint changes_seen;

static void
count_changes_cb (WgStore    *store,
                  const char *kind,
                  GStrv       ids,
                  gpointer    data)
{
  changes_seen++;
}

static gboolean
first_page_applied (Fixture *f)
{
  return changes_seen > 0;
}

static void
test_server_killed_mid_pull (Fixture       *f,
                             gconstpointer  data)
{
  changes_seen = 0;
  g_signal_connect (f->store, "changed", G_CALLBACK (count_changes_cb), NULL);
  wg_sync_set_page_size (f->sync, 5);
  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, first_page_applied, 10000));

  wg_test_server_kill (f->server);
  g_assert_true (wait_for (f, is_failing, 10000));
  g_assert_cmpint (wg_store_get_cursor (f->store, NULL), >, 0);

  wg_test_server_start (f->server);
  wg_sync_pull_now (f->sync);
  g_assert_true (wait_for (f, is_up_to_date, 30000));
  assert_equals_server (f);
}

static void
test_expired_token (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  /* Sign the session out on the server: the client's token no longer works. */
  reply = wg_test_server_call (f->server, wg_api_get_token (f->api), "DELETE", "/api/v1/session", NULL, &status);
  g_assert_cmpuint (status / 100, ==, 2);

  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, is_failing, 10000));
  g_assert_nonnull (f->auth_message);
  g_assert_cmpint (wg_store_get_cursor (f->store, NULL), ==, 0);
}

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
login (WgApi       *api,
       const char  *user,
       const char  *password,
       GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wg_api_login_async (api, user, password, NULL, login_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wg_api_login_finish (api, result, error);
}

static void
test_wrong_password (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WgApi) api = wg_api_new (f->server->url);
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = login (api, "dispatcher", "not-the-password", &error);
  g_assert_null (token);
  g_assert_error (error, WG_API_ERROR, WG_API_ERROR_UNAUTHORIZED);
  g_assert_cmpuint (strlen (error->message), >, 10);
  g_clear_error (&error);

  token = login (api, "dispatcher", WG_TEST_DISPATCHER_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);
}

/* --- broken replies from a fake server ------------------------------------------------------- */

typedef enum
{
  REPLY_TRUNCATED,
  REPLY_MALFORMED,
  REPLY_WRONG_TYPES,
  REPLY_UNKNOWN_KIND,
  REPLY_SERVER_ERROR,
  REPLY_SILENCE,
} BadReply;

static void
fake_changes_cb (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  BadReply kind = GPOINTER_TO_UINT (user_data);
  const char *body = NULL;

  switch (kind)
    {
    case REPLY_TRUNCATED:
      body = "{\"changes\":[{\"seq\":1,\"kind\":\"grids\",\"id\":\"x\",\"version\":1,\"op\":\"upsert\",\"record\":{\"id\":\"x\",\"ver";
      break;
    case REPLY_MALFORMED:
      body = "<html><body>502 Bad Gateway</body></html>";
      break;
    case REPLY_WRONG_TYPES:
      body = "{\"changes\":[{\"seq\":1,\"kind\":\"grids\",\"id\":\"x\",\"version\":1,\"op\":\"upsert\","
             "\"record\":{\"id\":\"x\",\"version\":\"one\"}}],\"next\":1,\"has_more\":false}";
      break;
    case REPLY_UNKNOWN_KIND:
      body = "{\"changes\":[{\"seq\":1,\"kind\":\"grids\",\"id\":\"g\",\"version\":1,\"op\":\"upsert\","
             "\"record\":{\"id\":\"g\",\"version\":1}},{\"seq\":2,\"kind\":\"spaceships\",\"id\":\"s\","
             "\"version\":1,\"op\":\"upsert\",\"record\":{\"id\":\"s\",\"version\":1}}],\"next\":2,\"has_more\":false}";
      break;
    case REPLY_SERVER_ERROR:
      soup_server_message_set_status (message, 500, NULL);
      soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_STATIC, "oops", 4);
      return;
    case REPLY_SILENCE:
      /* Never answer: the client's timeout must. */
      soup_server_message_pause (message);
      return;
    default:
      g_assert_not_reached ();
    }

  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, body, strlen (body));
}

static void
test_bad_replies (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *checksum_before = NULL;
  gint64 cursor_before;

  /* A cache with real content first. */
  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, is_up_to_date, 20000));
  close_client (f);

  for (BadReply kind = REPLY_TRUNCATED; kind <= REPLY_SILENCE; kind++)
    {
      g_autoptr(SoupServer) fake = soup_server_new (NULL, NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GSList) uris = NULL;
      g_autofree char *url = NULL;
      g_autofree char *checksum_after = NULL;

      soup_server_add_handler (fake, "/api/v1/changes", fake_changes_cb, GUINT_TO_POINTER (kind), NULL);
      g_assert_true (soup_server_listen_local (fake, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
      uris = soup_server_get_uris (fake);
      url = g_uri_to_string (uris->data);
      if (g_str_has_suffix (url, "/"))
        url[strlen (url) - 1] = '\0';
      g_slist_free_full (g_steal_pointer (&uris), (GDestroyNotify) g_uri_unref);

      open_client (f, url, "token");
      wg_api_set_timeout (f->api, 1);
      wg_sync_set_live_enabled (f->sync, FALSE);
      checksum_before = checksum_before ? checksum_before : wg_store_checksum (f->store, "grids", NULL);
      cursor_before = wg_store_get_cursor (f->store, NULL);

      wg_sync_start (f->sync);
      g_assert_true (wait_for (f, is_failing, 10000));
      g_test_message ("bad reply %d: %s", kind, wg_sync_status_get_error_message (f->status));
      g_assert_cmpuint (strlen (wg_sync_status_get_error_message (f->status)), >, 10);

      checksum_after = wg_store_checksum (f->store, "grids", NULL);
      g_assert_cmpstr (checksum_before, ==, checksum_after);
      g_assert_cmpint (wg_store_get_cursor (f->store, NULL), ==, cursor_before);
      g_assert_cmpint (wg_store_count (f->store, "grids", NULL), ==, 12);
      close_client (f);
    }

  /* And the real server again: nothing was lost. */
  open_client (f, f->server->url, wg_test_server_login (f->server, "dispatcher", WG_TEST_DISPATCHER_PASSWORD));
  wg_sync_start (f->sync);
  g_assert_true (wait_for (f, is_up_to_date, 20000));
  assert_equals_server (f);
}

/* --- a client killed with SIGKILL ------------------------------------------------------------ */

static GSubprocess *
spawn_probe (Fixture    *f,
             const char *mode,
             const char *extra)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  /* The fixture's sign-in, taken while the server was up: some probes start while it is down. */

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, g_getenv ("WANGGE_SYNC_PROBE"),
                              mode, f->server->url, f->token, f->cache_path, extra, NULL);
  g_assert_no_error (error);
  return process;
}

static gint64
peek_cursor (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WgStore) store = NULL;
  gint64 cursor;

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return 0;
  store = wg_store_open (path, &error);
  if (store == NULL)
    return 0;
  cursor = wg_store_get_cursor (store, NULL);
  wg_store_close (store);
  return cursor;
}

static void
test_client_killed_mid_apply (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GSubprocess) probe = NULL;
  g_autoptr(GError) error = NULL;
  gint64 end;

  /* This test drives a separate client process; the fixture's own client stays idle. */
  close_client (f);

  probe = spawn_probe (f, "pull", "3");
  end = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (peek_cursor (f->cache_path) == 0 && g_get_monotonic_time () < end)
    g_usleep (2000);
  g_subprocess_send_signal (probe, SIGKILL);
  g_subprocess_wait (probe, NULL, NULL);
  g_assert_cmpint (peek_cursor (f->cache_path), >, 0);
  g_clear_object (&probe);

  probe = spawn_probe (f, "pull", "50");
  g_assert_true (g_subprocess_wait_check (probe, NULL, &error));
  g_assert_no_error (error);

  open_client (f, f->server->url, "unused");
  assert_equals_server (f);
}

static void
test_outbox_survives_kill (Fixture       *f,
                           gconstpointer  data)
{
  const char *case_id = f->case_ids->pdata[2];
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s", case_id);
  g_autoptr(GSubprocess) probe = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  close_client (f);
  probe = spawn_probe (f, "pull", "50");
  g_assert_true (g_subprocess_wait_check (probe, NULL, &error));
  g_clear_object (&probe);

  /* Queue an action with the server down, then kill the client before it can send it. */
  wg_test_server_kill (f->server);
  probe = spawn_probe (f, "queue-and-hang", case_id);
  {
    gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    guint queued = 0;

    while (queued == 0 && g_get_monotonic_time () < end)
      {
        g_autoptr(WgStore) store = wg_store_open (f->cache_path, NULL);

        if (store != NULL)
          {
            queued = wg_store_count_outbox (store, NULL);
            wg_store_close (store);
          }
        g_usleep (5000);
      }
    g_assert_cmpuint (queued, ==, 1);
  }
  g_subprocess_send_signal (probe, SIGKILL);
  g_subprocess_wait (probe, NULL, NULL);
  g_clear_object (&probe);

  /* Back up: a new client sends what the killed one left. */
  wg_test_server_start (f->server);
  probe = spawn_probe (f, "push", NULL);
  g_assert_true (g_subprocess_wait_check (probe, NULL, &error));
  g_assert_no_error (error);

  reply = wg_test_server_call (f->server, f->server->admin_token, "GET", path, NULL, &status);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (reply), "state"), ==, "accepted");
  g_assert_cmpuint (count_timeline (json_node_get_object (reply), "accept"), ==, 1);
}

/* --- TLS with an office certificate authority ------------------------------------------------ */

static void
run_openssl (const char *dir,
             const char *args)
{
  g_autofree char *command = g_strdup_printf ("sh -c 'cd %s && openssl %s' ", dir, args);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (command, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl %s: %s", args, err);
}

static void
test_custom_ca (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wg-tls-XXXXXX", NULL);
  g_autofree char *ca = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *cert = g_build_filename (dir, "server.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "server.key", NULL);
  g_autofree char *ext = g_build_filename (dir, "ext.cnf", NULL);
  g_autoptr(WgTestServer) server = NULL;
  g_autoptr(WgApi) api = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  /* An office CA and a server certificate for 127.0.0.1 signed by it. */
  g_assert_true (g_file_set_contents (ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n"
                                           "extendedKeyUsage=serverAuth\n", -1, NULL));
  run_openssl (dir, "req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout ca.key "
                    "-out ca.pem -days 2 -subj /CN=Wangge-Test-Office-CA 2>/dev/null");
  run_openssl (dir, "req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout server.key "
                    "-out server.csr -subj /CN=127.0.0.1 2>/dev/null");
  run_openssl (dir, "x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem "
                    "-days 2 -extfile ext.cnf 2>/dev/null");

  server = wg_test_server_new ();
  server->extra_args = g_strdupv ((char *[]) { (char *) "--tls-cert", cert, (char *) "--tls-key", key, NULL });
  wg_test_server_start (server);
  g_assert_true (g_str_has_prefix (server->url, "https://"));

  /* Unknown to this computer: refused, and said why in words IT can act on. */
  api = wg_api_new (server->url);
  token = login (api, "dispatcher", WG_TEST_DISPATCHER_PASSWORD, &error);
  g_assert_null (token);
  g_assert_error (error, WG_API_ERROR, WG_API_ERROR_TLS);
  g_test_message ("untrusted: %s", error->message);
  g_assert_nonnull (strstr (error->message, "authority"));
  g_clear_error (&error);

  /* With the office CA chosen: accepted. */
  g_assert_true (wg_api_set_ca_file (api, ca, &error));
  token = login (api, "dispatcher", WG_TEST_DISPATCHER_PASSWORD, &error);
  g_assert_no_error (error);
  g_assert_nonnull (token);

  /* A file that is not a certificate is refused with a reason. */
  g_assert_false (wg_api_set_ca_file (api, ext, &error));
  g_assert_error (error, WG_API_ERROR, WG_API_ERROR_TLS);

  wg_test_server_kill (server);
  wg_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, n_cases, func) \
  g_test_add (path, Fixture, GUINT_TO_POINTER (n_cases), fixture_set_up, func, fixture_tear_down)

  ADD ("/sync/initial", 40, test_initial_sync);
  ADD ("/sync/deltas-and-tombstones", 10, test_deltas_and_tombstones);
  ADD ("/sync/offline-action-applied-once", 5, test_offline_action_applied_once);
  ADD ("/sync/refused-action-restores-state", 5, test_refused_action_restores_state);
  ADD ("/sync/server-killed-mid-pull", 60, test_server_killed_mid_pull);
  ADD ("/sync/expired-token", 2, test_expired_token);
  ADD ("/sync/wrong-password", 0, test_wrong_password);
  ADD ("/sync/bad-replies", 10, test_bad_replies);
  ADD ("/sync/client-killed-mid-apply", 300, test_client_killed_mid_apply);
  ADD ("/sync/outbox-survives-kill", 5, test_outbox_survives_kill);
  g_test_add_func ("/sync/custom-ca", test_custom_ca);

  return g_test_run ();
}
