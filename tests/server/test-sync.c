/* test-sync.c — the sync contract over HTTP: change feed under concurrent writers, live
 * channel, and the command line (import, backup while serving, restart without loss)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>
#include <string.h>

#include "wg-geometry.h"
#include "wg-test-server.h"
#include "wg-test-world.h"

#define N_WRITERS 4
#define WRITES_PER_WRITER 40

static WgTestServer *ts;
static WgTestWorld *world;

typedef struct
{
  guint      index;
  char      *token;
  GPtrArray *written;    /* "id:version" of every acknowledged write */
} Writer;

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr(SoupSession) session = soup_session_new ();

  for (guint i = 0; i < WRITES_PER_WRITER; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"title\":\"writer %u case %u\",\"source\":\"hotline_12345\"}", w->index, i);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autoptr(WgResponse) r = wg_test_request_raw (ts, session, w->token, "POST", "/api/v1/cases",
                                                     "application/json", bytes, NULL);

      wg_assert_status (r, 201);
      g_ptr_array_add (w->written, g_strdup_printf ("%s:%" G_GINT64_FORMAT, wg_response_get_string (r, "id"),
                                                    wg_response_get_int (r, "version")));
      /* every other case gets a second change, so records change while being read */
      if (i % 2 == 0)
        {
          g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/actions/comment", wg_response_get_string (r, "id"));
          g_autoptr(GBytes) note = g_bytes_new_static ("{\"note\":\"x\"}", 12);
          g_autoptr(WgResponse) c = wg_test_request_raw (ts, session, w->token, "POST", path, "application/json", note, NULL);

          wg_assert_status (c, 200);
          g_ptr_array_add (w->written, g_strdup_printf ("%s:%" G_GINT64_FORMAT, wg_response_get_string (c, "id"),
                                                        wg_response_get_int (c, "version")));
        }
    }
  return NULL;
}

typedef struct
{
  gint64      since;
  GArray     *seqs;
  GHashTable *seen;      /* "id:version" */
  gint        stop;
} Reader;

/* Reads one page; returns has_more. Asserts order and uniqueness as it goes. */
static gboolean
read_page (Reader      *rd,
           SoupSession *session,
           guint        limit)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u", rd->since, limit);
  g_autoptr(WgResponse) r = wg_test_request_raw (ts, session, ts->admin_token, "GET", path, NULL, NULL, NULL);
  JsonObject *page;
  JsonArray *changes;

  wg_assert_status (r, 200);
  page = json_node_get_object (r->json);
  changes = json_object_get_array_member (page, "changes");
  for (guint i = 0; i < json_array_get_length (changes); i++)
    {
      JsonObject *c = json_array_get_object_element (changes, i);
      gint64 seq = json_object_get_int_member (c, "seq");
      g_autofree char *key = g_strdup_printf ("%s:%" G_GINT64_FORMAT, json_object_get_string_member (c, "id"),
                                              json_object_get_int_member (c, "version"));

      if (rd->seqs->len > 0)
        g_assert_cmpint (seq, >, g_array_index (rd->seqs, gint64, rd->seqs->len - 1));
      g_assert_cmpint (seq, >, rd->since);
      g_array_append_val (rd->seqs, seq);
      g_assert_false (g_hash_table_contains (rd->seen, key));
      g_hash_table_add (rd->seen, g_steal_pointer (&key));
      if (g_strcmp0 (json_object_get_string_member (c, "op"), "upsert") == 0)
        g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (c, "record"), "version"), ==,
                         json_object_get_int_member (c, "version"));
    }
  g_assert_cmpint (json_object_get_int_member (page, "next"), >=, rd->since);
  rd->since = json_object_get_int_member (page, "next");
  return json_object_get_boolean_member (page, "has_more");
}

static gpointer
reader_thread (gpointer data)
{
  Reader *rd = data;
  g_autoptr(SoupSession) session = soup_session_new ();

  while (!g_atomic_int_get (&rd->stop))
    {
      read_page (rd, session, 7);
      g_usleep (1000);
    }
  while (read_page (rd, session, 7))
    ;
  return NULL;
}

/* Several writers and a concurrent reader from 0: the reader sees every change exactly
 * once, in order, with nothing acknowledged missing. */
static void
test_feed_concurrent (void)
{
  Writer writers[N_WRITERS];
  GThread *threads[N_WRITERS];
  GThread *reader;
  Reader rd = { 0, };
  Reader again = { 0, };
  g_autoptr(SoupSession) session = soup_session_new ();
  guint total = 0;

  rd.seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  rd.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  reader = g_thread_new ("reader", reader_thread, &rd);
  for (guint i = 0; i < N_WRITERS; i++)
    {
      g_autofree char *name = g_strdup_printf ("writer%u", i);

      writers[i].index = i;
      writers[i].written = g_ptr_array_new_with_free_func (g_free);
      g_free (wg_test_add_account (ts, name, "dispatcher", NULL, &writers[i].token));
    }
  for (guint i = 0; i < N_WRITERS; i++)
    threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
  for (guint i = 0; i < N_WRITERS; i++)
    g_thread_join (threads[i]);
  g_atomic_int_set (&rd.stop, 1);
  g_thread_join (reader);

  for (guint i = 0; i < N_WRITERS; i++)
    {
      for (guint j = 0; j < writers[i].written->len; j++)
        g_assert_true (g_hash_table_contains (rd.seen, g_ptr_array_index (writers[i].written, j)));
      total += writers[i].written->len;
      g_ptr_array_unref (writers[i].written);
      g_free (writers[i].token);
    }
  g_assert_cmpuint (total, ==, N_WRITERS * (WRITES_PER_WRITER + WRITES_PER_WRITER / 2));

  /* a second reader from 0 in big pages sees the same sequence */
  again.seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  again.seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while (read_page (&again, session, 1000))
    ;
  g_assert_cmpuint (again.seqs->len, ==, rd.seqs->len);
  g_assert_cmpmem (again.seqs->data, again.seqs->len * sizeof (gint64), rd.seqs->data, rd.seqs->len * sizeof (gint64));

  g_array_unref (rd.seqs);
  g_hash_table_unref (rd.seen);
  g_array_unref (again.seqs);
  g_hash_table_unref (again.seen);
}

/* --- live channel ---------------------------------------------------------------------- */

typedef struct
{
  GMainLoop               *loop;
  SoupWebsocketConnection *conn;
  GError                  *error;
  GPtrArray               *messages;
  guint                    want;
} Live;

static void
live_message_cb (SoupWebsocketConnection *conn,
                 gint                     type,
                 GBytes                  *message,
                 gpointer                 user_data)
{
  Live *live = user_data;
  gsize len;
  const char *data = g_bytes_get_data (message, &len);

  g_ptr_array_add (live->messages, g_strndup (data, len));
  if (live->messages->len >= live->want)
    g_main_loop_quit (live->loop);
}

static void
live_connected_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Live *live = user_data;

  live->conn = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &live->error);
  if (live->conn != NULL)
    g_signal_connect (live->conn, "message", G_CALLBACK (live_message_cb), live);
  g_main_loop_quit (live->loop);
}

static gboolean
timeout_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
live_connect (Live       *live,
              SoupSession *session,
              const char *token)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/changes/live", ts->url);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  guint timeout;

  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  live->loop = g_main_loop_new (NULL, FALSE);
  live->messages = g_ptr_array_new_with_free_func (g_free);
  live->want = 1;
  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL, live_connected_cb, live);
  timeout = g_timeout_add_seconds (10, timeout_cb, live->loop);
  g_main_loop_run (live->loop);
  g_source_remove (timeout);
}

static gboolean
wait_messages (Live  *live,
               guint  count,
               guint  ms)
{
  guint timeout;

  live->want = count;
  if (live->messages->len >= count)
    return TRUE;
  timeout = g_timeout_add (ms, timeout_cb, live->loop);
  g_main_loop_run (live->loop);
  if (live->messages->len < count)
    return FALSE;
  g_source_remove (timeout);
  return TRUE;
}

static gint64
message_head (const char *text,
              const char *type)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);
  JsonObject *obj;

  g_assert_nonnull (node);
  obj = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (obj, "type"), ==, type);
  return json_object_get_int_member (obj, "head");
}

static gpointer
write_one_thread (gpointer data)
{
  g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/cases",
                                             "{\"title\":\"live\",\"source\":\"citizen\"}", NULL);

  wg_assert_status (r, 201);
  return NULL;
}

static void
test_live (void)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  Live live = { 0, };
  Live anon = { 0, };
  gint64 head;

  /* without a token the handshake is refused */
  live_connect (&anon, session, NULL);
  g_assert_null (anon.conn);
  g_assert_nonnull (anon.error);
  g_clear_error (&anon.error);
  g_ptr_array_unref (anon.messages);
  g_main_loop_unref (anon.loop);

  live_connect (&live, session, ts->admin_token);
  g_assert_no_error (live.error);
  g_assert_nonnull (live.conn);
  g_assert_true (wait_messages (&live, 1, 5000));
  head = message_head (g_ptr_array_index (live.messages, 0), "head");
  g_assert_cmpint (head, ==, wg_test_head (ts));

  /* a write is announced within a second; the request runs in a thread so that this
   * loop receives meanwhile */
  {
    g_autoptr(GThread) writer = g_thread_new ("write", write_one_thread, NULL);
    gint64 t0 = g_get_monotonic_time ();
    gboolean announced = FALSE;
    guint seen = live.messages->len;

    while (!announced && g_get_monotonic_time () - t0 < G_USEC_PER_SEC)
      {
        if (!wait_messages (&live, seen + 1, 1000))
          break;
        for (; seen < live.messages->len; seen++)
          {
            g_autoptr(JsonNode) node = json_from_string (g_ptr_array_index (live.messages, seen), NULL);
            JsonObject *o = json_node_get_object (node);

            if (g_strcmp0 (json_object_get_string_member (o, "type"), "head") == 0 &&
                json_object_get_int_member (o, "head") > head)
              announced = TRUE;
          }
      }
    g_thread_join (g_steal_pointer (&writer));
    g_assert_true (announced);
    g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC);
  }

  /* heartbeats come every --heartbeat-seconds (1 here) even when nothing changes */
  {
    guint seen = live.messages->len;
    gboolean beat = FALSE;

    while (!beat && wait_messages (&live, seen + 1, 2500))
      for (; seen < live.messages->len; seen++)
        if (strstr (g_ptr_array_index (live.messages, seen), "\"heartbeat\"") != NULL)
          beat = TRUE;
    g_assert_true (beat);
  }
  soup_websocket_connection_close (live.conn, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_ptr_array_unref (live.messages);
  g_main_loop_unref (live.loop);
  g_clear_object (&live.conn);
}

/* import-grids (GCJ-02), backup while serving, and a restart that keeps every write */
static void
test_cli (void)
{
  g_autofree char *geojson = g_build_filename (ts->data_dir, "grids.geojson", NULL);
  g_autofree char *backup = g_build_filename (ts->data_dir, "backup.db", NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  const double glon = 104.5, glat = 24.95;   /* GCJ-02 corner of the imported square */
  double wlon, wlat;
  gint64 head;

  {
    g_autofree char *text = g_strdup_printf (
      "{\"type\":\"FeatureCollection\",\"features\":["
      "{\"type\":\"Feature\",\"properties\":{\"code\":\"530324101001101\",\"name\":\"导入一\"},"
      "\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]}},"
      "{\"type\":\"Feature\",\"properties\":{\"code\":530324101001102},"
      "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[104.6,24.9],[104.61,24.9],[104.61,24.91],[104.6,24.9]]]]}}]}",
      glon, glat, glon + 0.01, glat, glon + 0.01, glat + 0.01, glon, glat + 0.01, glon, glat);
    const char *argv[] = { wg_test_server_binary (), "import-grids", "--data-dir", ts->data_dir, "--gcj02",
                           "--village-id", world->village_a, geojson, NULL };
    const char *bad_argv[] = { wg_test_server_binary (), "import-grids", "--data-dir", ts->data_dir, geojson, NULL };

    g_file_set_contents (geojson, "{\"type\":\"FeatureCollection\",\"features\":[{\"properties\":{\"code\":\"1\"}}]}", -1, &error);
    g_assert_no_error (error);
    head = wg_test_head (ts);
    g_assert_cmpint (wg_test_run_command (bad_argv, NULL, NULL), !=, 0);
    g_assert_cmpint (wg_test_head (ts), ==, head);

    g_file_set_contents (geojson, text, -1, &error);
    g_assert_no_error (error);
    g_assert_cmpint (wg_test_run_command (argv, NULL, &out), ==, 0);
    g_assert_nonnull (strstr (out, "2 grids created"));
    g_clear_pointer (&out, g_free);
    /* importing again updates instead of duplicating */
    g_assert_cmpint (wg_test_run_command (argv, NULL, &out), ==, 0);
    g_assert_nonnull (strstr (out, "2 updated"));
  }

  /* the boundary is stored in WGS-84, and the running server finds the new grid */
  wg_gcj02_to_wgs84 (glon, glat, &wlon, &wlat);
  {
    g_autofree char *locate = g_strdup_printf ("/api/v1/grids/locate?lon=%.6f&lat=%.6f", wlon + 0.005, wlat + 0.005);
    g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "GET", locate, NULL, NULL);
    JsonArray *ring;
    double lon0, lat0;

    wg_assert_status (r, 200);
    g_assert_cmpstr (wg_response_get_string (r, "code"), ==, "530324101001101");
    g_assert_cmpint (wg_response_get_int (r, "version"), ==, 2);
    ring = json_array_get_array_element (json_object_get_array_member (
             json_object_get_object_member (json_node_get_object (r->json), "boundary"), "coordinates"), 0);
    lon0 = json_array_get_double_element (json_array_get_array_element (ring, 0), 0);
    lat0 = json_array_get_double_element (json_array_get_array_element (ring, 0), 1);
    g_assert_cmpfloat (wg_geometry_distance_m (lon0, lat0, wlon, wlat), <, 0.05);
    g_assert_cmpfloat (wg_geometry_distance_m (lon0, lat0, glon, glat), >, 100);
  }

  /* a consistent backup while the server runs */
  head = wg_test_head (ts);
  {
    const char *argv[] = { wg_test_server_binary (), "backup", "--data-dir", ts->data_dir, backup, NULL };
    g_autofree char *dir = g_dir_make_tmp ("wangge-restore-XXXXXX", &error);
    g_autofree char *db = g_build_filename (dir, "wangge.db", NULL);
    g_autofree char *contents = NULL;
    gsize len;
    WgTestServer *restored;
    g_autofree char *token = NULL;

    g_assert_no_error (error);
    g_assert_cmpint (wg_test_run_command (argv, NULL, NULL), ==, 0);
    g_assert_cmpint (wg_test_run_command (argv, NULL, NULL), !=, 0);    /* never overwrites */
    g_assert_true (g_file_get_contents (backup, &contents, &len, NULL));
    g_assert_true (g_file_set_contents (db, contents, len, NULL));
    restored = wg_test_server_start_in (dir, NULL);
    restored->admin_token = wg_test_login (restored, "admin", WG_TEST_ADMIN_PASSWORD);
    g_assert_cmpint (wg_test_head (restored), ==, head);
    wg_test_server_free (restored);
  }

  /* SIGTERM, restart: every acknowledged write is there, sessions too */
  {
    g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/cases",
                                               "{\"title\":\"before restart\",\"source\":\"citizen\"}", NULL);
    g_autofree char *path = NULL;
    g_autoptr(WgResponse) again = NULL;
    g_autofree char *dir = g_strdup (ts->data_dir);
    g_autofree char *token = g_strdup (ts->admin_token);

    wg_assert_status (r, 201);
    head = wg_test_head (ts);
    path = g_strdup_printf ("/api/v1/cases/%s", wg_response_get_string (r, "id"));
    wg_test_server_stop (ts, FALSE);
    g_free (ts->url);
    {
      WgTestServer *next = wg_test_server_start_in (dir, NULL);

      ts->process = g_steal_pointer (&next->process);
      ts->url = g_steal_pointer (&next->url);
      wg_test_server_free (next);
    }
    again = wg_test_request (ts, token, "GET", path, NULL, NULL);
    wg_assert_status (again, 200);
    g_assert_cmpint (wg_test_head (ts), ==, head);
  }
}

static gboolean
accept_any_cb (SoupMessage          *msg,
               GTlsCertificate      *cert,
               GTlsCertificateFlags  errors,
               gpointer              user_data)
{
  return TRUE;   /* the test's own self-signed certificate */
}

/* HTTPS with --tls-cert/--tls-key; plain HTTP refused off loopback. */
static void
test_tls (void)
{
  g_autofree char *cert = g_build_filename (g_getenv ("WANGGE_TEST_DATA"), "tls-test.crt", NULL);
  g_autofree char *key = g_build_filename (g_getenv ("WANGGE_TEST_DATA"), "tls-test.key", NULL);
  const char *args[] = { "--tls-cert", cert, "--tls-key", key, NULL };
  const char *open_argv[] = { wg_test_server_binary (), "serve", "--data-dir", ts->data_dir, "--listen", "0.0.0.0",
                              "--port", "0", NULL };
  WgTestServer *secure = wg_test_server_start_in (ts->data_dir, args);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (secure->url, "/api/v1/health", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_true (g_str_has_prefix (secure->url, "https://"));
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_any_cb), NULL);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  /* the data directory is the main server's: stop without removing it */
  wg_test_server_stop (secure, FALSE);
  wg_test_server_free (secure);

  g_assert_cmpint (wg_test_run_command (open_argv, NULL, &out), ==, 2);
  g_assert_null (strstr (out, "listening"));
}

int
main (int   argc,
      char *argv[])
{
  static const char * const args[] = { "--heartbeat-seconds", "1", NULL };
  int rc;

  g_test_init (&argc, &argv, NULL);

  ts = wg_test_server_start (args);
  world = wg_test_world_create (ts);

  g_test_add_func ("/sync/feed-concurrent-writers", test_feed_concurrent);
  g_test_add_func ("/sync/live", test_live);
  g_test_add_func ("/sync/tls", test_tls);
  g_test_add_func ("/sync/cli", test_cli);

  rc = g_test_run ();
  wg_test_world_free (world);
  wg_test_server_free (ts);
  return rc;
}
