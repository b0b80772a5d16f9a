/* bench-sync.c — the client's sync, next to what it is made of, in one run
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-sync URL USERNAME PASSWORD
 *
 * Against a running wangge-server (benchmarks/sync/run-bench-sync sets one up with the demo
 * township): the initial sync into a fresh cache, then, over the very same pages, json-glib's
 * parse alone and a bare SQLite insert of the same rows, then a delta of 1,000 changes, the
 * live channel's latency, and the resident memory. The sync's own page scanner over the same
 * pages is printed too, for reference.
 */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wg-feed-scanner.h"
#include "wg-sync.h"

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

/* CPU seconds of this process's threads so far: the store's writer, GTask's worker threads
 * (where pages are read) and the rest (the main thread: HTTP and bookkeeping). */
static void
thread_cpu (double *writer,
            double *workers,
            double *main_thread)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  double hz = sysconf (_SC_CLK_TCK);

  *writer = *workers = *main_thread = 0;
  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%s/stat", name);
      g_autofree char *stat = NULL;
      g_autofree char *comm = NULL;
      g_auto(GStrv) fields = NULL;
      const char *open, *close;
      double seconds;

      if (!g_file_get_contents (path, &stat, NULL, NULL) ||
          (open = strchr (stat, '(')) == NULL || (close = strrchr (stat, ')')) == NULL)
        continue;
      comm = g_strndup (open + 1, close - open - 1);
      fields = g_strsplit (close + 2, " ", -1);
      if (g_strv_length (fields) < 13)
        continue;
      /* utime and stime, fields 14 and 15 of stat(5) */
      seconds = (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / hz;
      if (g_str_equal (comm, "wg-store-writer"))
        *writer += seconds;
      else if (g_str_has_prefix (comm, "pool-"))
        *workers += seconds;
      else
        *main_thread += seconds;
    }
}

static gboolean
state_is (WgSyncStatus *status,
          WgSyncState   state)
{
  return wg_sync_status_get_state (status) == state;
}

static void
wait_up_to_date (WgSyncStatus *status)
{
  while (!state_is (status, WG_SYNC_STATE_UP_TO_DATE))
    {
      g_main_context_iteration (NULL, TRUE);
      if (state_is (status, WG_SYNC_STATE_ERROR))
        g_error ("sync failed: %s", wg_sync_status_get_error_message (status));
    }
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static JsonNode *
call (WgApi      *api,
      const char *method,
      const char *path,
      const char *body)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) node = body != NULL ? json_from_string (body, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *reply;

  wg_api_request_async (api, method, path, node, NULL, 0, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = wg_api_request_finish (api, result, NULL, &error);
  if (reply == NULL)
    g_error ("%s %s: %s", method, path, error->message);
  return reply;
}

static GBytes *
get_bytes (WgApi      *api,
           const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  wg_api_get_bytes_async (api, path, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  bytes = wg_api_get_bytes_finish (api, result, &error);
  if (bytes == NULL)
    g_error ("GET %s: %s", path, error->message);
  return bytes;
}

static guint live_hits;

static void
live_changed_cb (WgStore    *store,
                 const char *kind,
                 GStrv       ids,
                 gpointer    data)
{
  if (g_str_equal (kind, "cases"))
    live_hits++;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wg-bench-sync-XXXXXX", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(WgApi) api = NULL;
  g_autoptr(WgStore) store = NULL;
  g_autoptr(WgSyncStatus) status = NULL;
  g_autoptr(WgSync) sync = NULL;
  g_autoptr(GPtrArray) pages = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *token = NULL;
  guint64 records = 0;
  gsize bytes_total = 0;
  double t0, sync_s, parse_s, scan_s, insert_s, delta_s;
  double cpu_writer, cpu_workers, cpu_main;
  long rss_after_sync;
  const guint page_size = 5000;

  if (argc != 4)
    {
      g_printerr ("usage: bench-sync URL USERNAME PASSWORD\n");
      return 2;
    }

  api = wg_api_new (argv[1]);
  wg_api_login_async (api, argv[2], argv[3], NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  token = wg_api_login_finish (api, result, &error);
  if (token == NULL)
    g_error ("sign-in: %s", error->message);

  /* 1. The initial sync into an empty cache, end to end. */
  store = wg_store_open (cache, &error);
  g_assert_no_error (error);
  status = wg_sync_status_new ();
  sync = wg_sync_new (store, api, status);
  wg_sync_set_page_size (sync, page_size);
  t0 = now_s ();
  wg_sync_start (sync);
  wait_up_to_date (status);
  sync_s = now_s () - t0;
  records = wg_sync_status_get_received (status);
  rss_after_sync = rss_kib ();
  thread_cpu (&cpu_writer, &cpu_workers, &cpu_main);
  printf ("wangge sync benchmark (%s)\n", argv[1]);
  printf ("  initial sync                   %10.2f s   %10.0f records/s   (%" G_GUINT64_FORMAT " records)\n",
          sync_s, records / sync_s, records);
  fflush (stdout);

  /* The same pages again, fetched first so neither comparison pays for the network. */
  {
    gint64 since = 0;
    gboolean more = TRUE;

    while (more)
      {
        g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u", since, page_size);
        GBytes *bytes = get_bytes (api, path);
        g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (bytes, NULL), NULL);
        JsonObject *object = json_node_get_object (node);

        since = json_object_get_int_member (object, "next");
        more = json_object_get_boolean_member (object, "has_more");
        bytes_total += g_bytes_get_size (bytes);
        g_ptr_array_add (pages, bytes);
      }
  }

  /* 2. json-glib alone: parse every page to a DOM. */
  t0 = now_s ();
  for (guint i = 0; i < pages->len; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();
      GBytes *bytes = pages->pdata[i];

      if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), &error))
        g_error ("parse: %s", error->message);
    }
  parse_s = now_s () - t0;

  /* For reference, not a baseline: the sync's own scanner (wg-feed-scanner.c) over the same
   * pages, with the page checks. */
  t0 = now_s ();
  for (guint i = 0; i < pages->len; i++)
    {
      gsize size = 0;
      const char *data = g_bytes_get_data (pages->pdata[i], &size);
      g_autoptr(WgFeedPage) page = wg_feed_scan (data, size, &error);

      if (page == NULL || !wg_feed_page_check (page, &error))
        g_error ("scan: %s", error->message);
    }
  scan_s = now_s () - t0;

  /* 3. SQLite alone: the same rows (id, kind, version, body) into one table, one transaction,
   * one prepared statement, the same pragmas as the cache. Parsing is not counted here. */
  {
    g_autofree char *raw_path = g_build_filename (dir, "raw.db", NULL);
    g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
    sqlite3 *db;
    sqlite3_stmt *stmt;

    for (guint i = 0; i < pages->len; i++)
      {
        GBytes *bytes = pages->pdata[i];
        g_autoptr(JsonNode) node = json_from_string (g_bytes_get_data (bytes, NULL), NULL);
        JsonArray *changes = json_object_get_array_member (json_node_get_object (node), "changes");

        for (guint j = 0; j < json_array_get_length (changes); j++)
          {
            JsonObject *change = json_array_get_object_element (changes, j);
            JsonNode *record = json_object_get_member (change, "record");

            g_ptr_array_add (rows, g_strdup (json_object_get_string_member (change, "id")));
            g_ptr_array_add (rows, g_strdup (json_object_get_string_member (change, "kind")));
            g_ptr_array_add (rows, record != NULL ? json_to_string (record, FALSE) : g_strdup (""));
          }
      }

    sqlite3_open (raw_path, &db);
    sqlite3_exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;"
                      "CREATE TABLE r (id TEXT PRIMARY KEY, kind TEXT, version INTEGER, body TEXT)", NULL, NULL, NULL);
    t0 = now_s ();
    sqlite3_exec (db, "BEGIN", NULL, NULL, NULL);
    sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO r VALUES (?1, ?2, 1, ?3)", -1, &stmt, NULL);
    for (guint i = 0; i < rows->len; i += 3)
      {
        sqlite3_bind_text (stmt, 1, rows->pdata[i], -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 2, rows->pdata[i + 1], -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, 3, rows->pdata[i + 2], -1, SQLITE_STATIC);
        sqlite3_step (stmt);
        sqlite3_reset (stmt);
      }
    sqlite3_finalize (stmt);
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    insert_s = now_s () - t0;
    sqlite3_close (db);
  }

  printf ("  json-glib parse alone          %10.2f s   %10.0f records/s   (%u pages of %u, %.1f MB of JSON)\n",
          parse_s, records / parse_s, pages->len, page_size, bytes_total / 1e6);
  printf ("  SQLite insert alone            %10.2f s   %10.0f records/s\n", insert_s, records / insert_s);
  printf ("  (the sync's feed scanner alone %10.2f s   %10.0f records/s)\n", scan_s, records / scan_s);
  printf ("  sync rate / slower of the two  %10.2f     (target at least 0.50)\n",
          (records / sync_s) / MIN (records / parse_s, records / insert_s));
  printf ("  CPU in the sync: writer %.2f s, page readers %.2f s, main thread %.2f s\n",
          cpu_writer, cpu_workers, cpu_main);
  printf ("  resident memory after sync     %10.1f MB\n", rss_after_sync / 1024.0);
  fflush (stdout);

  /* 4. A delta of 1,000 changes: comments on 1,000 cases made while the client is stopped,
   * then one pull. */
  wg_sync_stop (sync);
  {
    g_autoptr(JsonNode) list = call (api, "GET", "/api/v1/cases?limit=1000", NULL);
    JsonArray *items = json_object_get_array_member (json_node_get_object (list), "items");
    guint n = json_array_get_length (items);

    for (guint i = 0; i < n; i++)
      {
        g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/actions/comment",
                                                 json_object_get_string_member (json_array_get_object_element (items, i), "id"));
        g_autoptr(JsonNode) reply = call (api, "POST", path, "{\"note\":\"基准测试备注\"}");
      }
    g_assert_cmpuint (n, ==, 1000);
  }
  g_clear_object (&sync);
  sync = wg_sync_new (store, api, status);
  wg_sync_set_live_enabled (sync, FALSE);
  wg_sync_status_set_state (status, WG_SYNC_STATE_SYNCING);
  t0 = now_s ();
  wg_sync_start (sync);
  wait_up_to_date (status);
  delta_s = now_s () - t0;
  printf ("  delta of 1,000 changes         %10.3f s\n", delta_s);
  fflush (stdout);

  /* 5. The live channel: a case reported on the server, until its row is in the cache. */
  {
    g_autoptr(GArray) latencies = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(JsonNode) grids = call (api, "GET", "/api/v1/grids?limit=1", NULL);
    const char *grid = json_object_get_string_member (json_array_get_object_element (
      json_object_get_array_member (json_node_get_object (grids), "items"), 0), "id");
    double median, worst = 0;

    wg_sync_stop (sync);
    g_clear_object (&sync);
    sync = wg_sync_new (store, api, status);
    wg_sync_start (sync);
    wait_up_to_date (status);
    /* Let the live channel connect. */
    for (double end = now_s () + 1.0; now_s () < end; )
      g_main_context_iteration (NULL, FALSE);
    g_signal_connect (store, "changed", G_CALLBACK (live_changed_cb), NULL);

    for (guint i = 0; i < 20; i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"source\":\"hotline_12345\",\"title\":\"基准测试来电 %u\",\"grid_id\":\"%s\"}", i, grid);
        g_autoptr(JsonNode) reply = NULL;
        guint before = live_hits;
        double start, latency;

        start = now_s ();
        reply = call (api, "POST", "/api/v1/cases", body);
        while (live_hits == before && now_s () - start < 5)
          g_main_context_iteration (NULL, TRUE);
        latency = now_s () - start;
        worst = MAX (worst, latency);
        g_array_append_val (latencies, latency);
      }
    {
      double *v = (double *) latencies->data;

      for (guint i = 0; i < latencies->len; i++)
        for (guint j = i + 1; j < latencies->len; j++)
          if (v[j] < v[i])
            {
              double t = v[i];

              v[i] = v[j];
              v[j] = t;
            }
      median = v[latencies->len / 2];
    }

    printf ("  live: report → row in cache    %10.0f ms median, %.0f ms worst of 20   (target under 1000 ms)\n",
            median * 1000, worst * 1000);
  }

  wg_sync_stop (sync);
  wg_store_close (store);
  return 0;
}
