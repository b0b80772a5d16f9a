/* test-store.c — the local cache on a real SQLite file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "wg-case-views.h"
#include "wg-store.h"

typedef struct
{
  char    *dir;
  char    *path;
  WgStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("wg-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "cache", "wangge.db", NULL);
  f->store = wg_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

typedef struct
{
  const char *kind;
  const char *json;
} PutData;

static gboolean
put_cb (WgStoreTxn  *txn,
        gpointer     data,
        GError     **error)
{
  const PutData *put = data;

  for (; put->kind != NULL; put++)
    {
      g_autoptr(JsonObject) record = parse_object (put->json);

      if (!wg_store_txn_upsert (txn, put->kind, record, error))
        return FALSE;
    }

  return wg_store_txn_set_value (txn, "cursor", "42", error);
}

static const PutData township[] = {
  { "grids", "{\"id\":\"g1\",\"version\":1,\"code\":\"530324100001001\",\"name\":\"马街社区第一网格\"}" },
  { "grids", "{\"id\":\"g2\",\"version\":3,\"code\":\"530324100001002\",\"name\":\"马街社区第二网格\"}" },
  { "cases", "{\"id\":\"c1\",\"version\":2,\"number\":\"2026-000123\",\"state\":\"reported\","
             "\"title\":\"楼顶漏水严重\",\"description\":\"三楼住户反映雨天漏水\","
             "\"address\":\"马街镇建设路18号\",\"urgency\":\"high\",\"reported_at\":\"2026-11-20T08:00:00Z\"}" },
  { "cases", "{\"id\":\"c2\",\"version\":1,\"number\":\"2026-000124\",\"state\":\"dispatched\","
             "\"title\":\"Street light broken\",\"description\":\"near the school\","
             "\"address\":\"Xinglong Road\",\"reported_at\":\"2026-11-21T08:00:00Z\","
             "\"assignee\":{\"kind\":\"team\",\"id\":\"t1\"}}" },
  { NULL, NULL }
};

static void
test_store_upsert_and_read (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) grid = NULL;
  g_autofree char *sum1 = NULL;
  g_autofree char *sum2 = NULL;

  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) township, &error));
  g_assert_no_error (error);

  g_assert_cmpint (wg_store_count (f->store, "grids", &error), ==, 2);
  g_assert_cmpint (wg_store_count (f->store, "cases", &error), ==, 2);
  g_assert_cmpint (wg_store_count (f->store, "people", &error), ==, 0);
  g_assert_cmpint (wg_store_get_cursor (f->store, &error), ==, 42);

  grid = wg_store_get_record (f->store, "grids", "g2", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (grid, "name"), ==, "马街社区第二网格");

  /* Same records, same checksum; a new version changes it. */
  sum1 = wg_store_checksum (f->store, "grids", &error);
  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) township, &error));
  sum2 = wg_store_checksum (f->store, "grids", &error);
  g_assert_cmpstr (sum1, ==, sum2);
}

static const PutData older_grid[] = {
  { "grids", "{\"id\":\"g2\",\"version\":2,\"code\":\"530324100001002\",\"name\":\"old name\"}" },
  { NULL, NULL }
};

static void
test_store_keeps_newer_version (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) grid = NULL;

  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) township, &error));
  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) older_grid, &error));
  grid = wg_store_get_record (f->store, "grids", "g2", &error);
  g_assert_cmpint (json_object_get_int_member (grid, "version"), ==, 3);
}

static const PutData bad_page[] = {
  { "grids", "{\"id\":\"g9\",\"version\":1,\"name\":\"fine\"}" },
  { "cases", "{\"id\":\"c9\",\"version\":1,\"title\":\"no state\"}" },
  { NULL, NULL }
};

static void
test_store_bad_record_rolls_back (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) township, &error));
  g_assert_false (wg_store_write_sync (f->store, put_cb, (gpointer) bad_page, &error));
  g_assert_error (error, WG_STORE_ERROR, WG_STORE_ERROR_BAD_DATA);
  g_clear_error (&error);

  /* Nothing of the page stays: not the good grid before the bad case. */
  g_assert_cmpint (wg_store_count (f->store, "grids", &error), ==, 2);
  g_assert_cmpint (wg_store_count (f->store, "cases", &error), ==, 2);
}

static gboolean
delete_cb (WgStoreTxn  *txn,
           gpointer     data,
           GError     **error)
{
  return wg_store_txn_delete (txn, "cases", "c1", error) &&
         wg_store_txn_delete (txn, "grids", "g1", error);
}

/* What the queue's search finds for @text: the rowids, newest first, through the same WHERE
 * and FTS query as the queue. */
static GArray *
search (WgStore    *store,
        const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *query = wg_fts_build_query (text);
  GArray *rowids;

  g_assert_nonnull (query);
  rowids = wg_store_list_rowids (store, "cases", wg_case_search_where (), query, "reported_at DESC", &error);
  g_assert_no_error (error);
  return rowids;
}

static gint64
rowid_of (WgStore    *store,
          const char *id)
{
  return wg_store_rowid_for (store, "cases", id);
}

static void
test_store_search (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GArray *hits;

  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) township, &error));

  hits = search (f->store, "漏水");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, rowid_of (f->store, "c1"));
  g_array_unref (hits);

  hits = search (f->store, "建设路");
  g_assert_cmpuint (hits->len, ==, 1);
  g_array_unref (hits);

  hits = search (f->store, "000124");
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, rowid_of (f->store, "c2"));
  g_array_unref (hits);

  /* As typed, the last word is a prefix. */
  hits = search (f->store, "stre");
  g_assert_cmpuint (hits->len, ==, 1);
  g_array_unref (hits);

  /* FTS syntax typed by a person is text, not an error. */
  g_array_unref (search (f->store, "\"light\" OR (NEAR"));

  /* A deleted case is no longer found. */
  g_assert_true (wg_store_write_sync (f->store, delete_cb, NULL, &error));
  hits = search (f->store, "漏水");
  g_assert_cmpuint (hits->len, ==, 0);
  g_array_unref (hits);
  g_assert_cmpint (wg_store_count (f->store, "grids", &error), ==, 1);
}

/* Cases on 路, more than a search reads into a bitmap (WG_STORE_SEARCH_MANY): one in a hundred
 * still new, one in a thousand about a street light (路灯). */
#define MANY_CASES (WG_STORE_SEARCH_MANY / 1000 * 1000 + 4000)

static gboolean
many_cases_cb (WgStoreTxn  *txn,
               gpointer     data,
               GError     **error)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);

  for (guint i = 0; i < MANY_CASES; i++)
    {
      g_autoptr(GDateTime) reported = g_date_time_add_minutes (start, i);
      g_autofree char *when = g_date_time_format_iso8601 (reported);
      g_autofree char *json = g_strdup_printf ("{\"id\":\"m%u\",\"version\":1,\"number\":\"2026-%06u\","
                                               "\"state\":\"%s\",\"title\":\"%s\",\"reported_at\":\"%s\"}",
                                               i, i, i % 100 == 0 ? "reported" : "closed",
                                               i % 1000 == 0 ? "建设路路灯不亮" : "建设路积水", when);
      g_autoptr(JsonObject) record = parse_object (json);

      if (!wg_store_txn_upsert (txn, "cases", record, error))
        return FALSE;
    }
  return TRUE;
}

/* Rowids in the order asked, as "m0 m100 …" of the cases' ids. */
static char *
ids_of (WgStore *store,
        GArray  *rowids)
{
  g_autoptr(GString) ids = g_string_new (NULL);

  for (guint i = 0; i < rowids->len; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *body = NULL;
      g_autofree char *local_state = NULL;
      gint64 version;
      guint pending;

      g_assert_true (wg_store_read_row (store, "cases", g_array_index (rowids, gint64, i), &id,
                                        &version, &body, &local_state, &pending, NULL));
      g_string_append_printf (ids, "%s%s", i > 0 ? " " : "", id);
    }
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

/* A search that matches more cases than the store looks up one by one finds the same cases
 * in the same order, with a view, a sort and a count, as one that matches few. */
static void
test_store_search_many (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *road = wg_fts_build_query ("路");
  g_autofree char *light = wg_fts_build_query ("路灯");
  g_autofree char *where = g_strdup_printf ("coalesce (local_state, state) = 'reported' AND %s",
                                            wg_case_search_where ());
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autoptr(GArray) hits = NULL;
  g_autofree char *ids = NULL;

  g_assert_true (wg_store_write_sync (f->store, many_cases_cb, NULL, &error));
  g_assert_no_error (error);

  /* 路 in every case: the new ones, oldest first */
  hits = wg_store_list_rowids (f->store, "cases", where, road, "reported_at", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, MANY_CASES / 100);
  for (guint i = 0; i < MANY_CASES; i += 100)
    g_string_append_printf (expected, "%sm%u", i > 0 ? " " : "", i);
  ids = ids_of (f->store, hits);
  g_assert_cmpstr (ids, ==, expected->str);
  g_assert_cmpint (wg_store_count_where (f->store, "cases", where, road, &error), ==, MANY_CASES / 100);
  g_clear_pointer (&hits, g_array_unref);

  /* every case, newest first */
  hits = wg_store_list_rowids (f->store, "cases", wg_case_search_where (), road, "reported_at DESC", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, MANY_CASES);
  g_clear_pointer (&ids, g_free);
  ids = g_strdup_printf ("m%u", MANY_CASES - 1);
  g_assert_cmpint (g_array_index (hits, gint64, 0), ==, rowid_of (f->store, ids));
  g_assert_cmpint (g_array_index (hits, gint64, MANY_CASES - 1), ==, rowid_of (f->store, "m0"));
  g_clear_pointer (&hits, g_array_unref);

  /* 路灯 in few: the same answer through SQLite's own IN */
  hits = wg_store_list_rowids (f->store, "cases", where, light, "reported_at", &error);
  g_assert_no_error (error);
  g_clear_pointer (&ids, g_free);
  ids = ids_of (f->store, hits);
  g_string_truncate (expected, 0);
  for (guint i = 0; i < MANY_CASES; i += 1000)
    g_string_append_printf (expected, "%sm%u", i > 0 ? " " : "", i);
  g_assert_cmpstr (ids, ==, expected->str);
}

static gboolean
outbox_cb (WgStoreTxn  *txn,
           gpointer     data,
           GError     **error)
{
  return wg_store_txn_outbox_add (txn, "key-1", "c1", "accept", "{}", 2, error) > 0 &&
         wg_store_txn_set_local_state (txn, "c1", "accepted", 1, error);
}

static void
test_store_outbox (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;

  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) township, &error));
  g_assert_true (wg_store_write_sync (f->store, outbox_cb, NULL, &error));
  g_assert_no_error (error);

  /* The outbox survives closing and reopening the cache. */
  g_clear_object (&f->store);
  f->store = wg_store_open (f->path, &error);
  g_assert_no_error (error);

  items = wg_store_list_outbox (f->store, &error);
  g_assert_cmpuint (items->len, ==, 1);
  g_assert_cmpstr (((WgOutboxItem *) items->pdata[0])->action, ==, "accept");
  g_assert_cmpint (((WgOutboxItem *) items->pdata[0])->if_match, ==, 2);
  g_assert_cmpuint (wg_store_count_outbox (f->store, &error), ==, 1);
}

static void
changed_cb (WgStore     *store,
            const char  *kind,
            GStrv        ids,
            GHashTable  *seen)
{
  for (guint i = 0; ids[i] != NULL; i++)
    g_hash_table_add (seen, g_strconcat (kind, "/", ids[i], NULL));
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (wg_store_write_finish (WG_STORE (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
test_store_changed_signal (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gboolean done = FALSE;

  g_signal_connect (f->store, "changed", G_CALLBACK (changed_cb), seen);
  wg_store_write_async (f->store, put_cb, (gpointer) township, NULL, NULL, write_done_cb, &done);
  while (!done || g_hash_table_size (seen) < 4)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (g_hash_table_contains (seen, "grids/g1"));
  g_assert_true (g_hash_table_contains (seen, "cases/c2"));
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, len);
}

static void
test_store_refuses_newer_schema (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wg-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "newer.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(WgStore) store = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE future (x); INSERT INTO future VALUES (1);"
                                     "PRAGMA user_version = 99;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = file_digest (path);

  store = wg_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, WG_STORE_ERROR, WG_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version of Wangge"));

  after = file_digest (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_false (g_file_test (g_strconcat (path, "-wal", NULL), G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

/* A cache written before the queue's indexes (format 1) keeps its rows, gains the indexes
 * on opening, and the queue's orders then read along them. */
static void
test_store_migrates_format_1 (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  g_autoptr(JsonObject) record = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  g_autofree char *plan = NULL;
  GString *steps = g_string_new (NULL);

  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) township, &error));
  g_clear_object (&f->store);

  /* Exactly what format 1 wrote: its tables and indexes, without those of formats 2 to 5. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX cases_queue_deadline; DROP INDEX cases_queue; DROP INDEX cases_queue_village; DROP INDEX cases_queue_category; DROP INDEX cases_source; DROP INDEX cases_urgency; DROP INDEX cases_deadline;"
                                     "DROP INDEX cases_urgency_rank; DROP INDEX cases_state_rank;"
                                     "DROP INDEX cases_location; ALTER TABLE cases DROP COLUMN lon;"
                                     "ALTER TABLE cases DROP COLUMN lat;"
                                     "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->store = wg_store_open (f->path, &error);
  g_assert_no_error (error);
  record = wg_store_get_record (f->store, "cases", "c1", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (record, "title"), ==, "楼顶漏水严重");
  rowids = wg_store_list_rowids (f->store, "cases", NULL, NULL, WG_STORE_URGENCY_RANK ", reported_at, rowid", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rowids->len, ==, 2);

  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, WG_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT rowid FROM cases ORDER BY "
                                       WG_STORE_URGENCY_RANK ", reported_at, rowid", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (steps, "%s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  plan = g_string_free (steps, FALSE);
  g_test_message ("%s", plan);
  g_assert_nonnull (strstr (plan, "cases_urgency_rank"));
  g_assert_null (strstr (plan, "TEMP B-TREE"));

  /* "Overdue" read through the index by state and deadline, not every open case. */
  {
    g_autofree char *sql = NULL;
    g_autofree char *count_plan = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree char *where = wg_case_view_where (wg_case_views_find ("overdue"), now);

    steps = g_string_new (NULL);
    sql = g_strdup_printf ("EXPLAIN QUERY PLAN SELECT count(*) FROM cases WHERE %s", where);
    g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
    while (sqlite3_step (stmt) == SQLITE_ROW)
      g_string_append_printf (steps, "%s\n", sqlite3_column_text (stmt, 3));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
    count_plan = g_string_free (steps, FALSE);
    g_test_message ("%s", count_plan);
    g_assert_nonnull (strstr (count_plan, "USING INDEX cases_queue_deadline (<expr>=? AND deadline>? AND deadline<?)"));
  }
}

static void
test_store_refuses_garbage (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wg-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "garbage.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(WgStore) store = NULL;
  char junk[4096];

  for (guint i = 0; i < sizeof junk; i++)
    junk[i] = (char) (i * 7 + 3);
  g_assert_true (g_file_set_contents (path, junk, sizeof junk, NULL));
  before = file_digest (path);

  store = wg_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, WG_STORE_ERROR, WG_STORE_ERROR_CORRUPT);

  after = file_digest (path);
  g_assert_cmpstr (before, ==, after);
  remove_tree (dir);
}

static void
test_fts_query (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "漏水", "\"漏 水\"" },
    { "street light", "\"street\" \"light\"*" },
    { "2026-000123", "\"2026\" \"000123\"*" },
    { "建设路 18", "\"建 设 路\" \"18\"*" },
    { "  ", NULL },
    { "\"*()", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = wg_fts_build_query (cases[i].in);

      g_assert_cmpstr (query, ==, cases[i].out);
    }
}

/* --- open cases nearby ------------------------------------------------------------------------ */

#define BASE_LON 104.30
#define BASE_LAT 24.90

typedef struct
{
  const char *id;
  double      east_m;      /* from the base point */
  double      north_m;
  const char *state;
  const char *category;
  const char *reported_at;
  gboolean    located;
} NearbyCase;

static const NearbyCase nearby_cases[] = {
  { "n-self",     0,    0,    "reported",    "cat-a", "2026-11-23T08:00:00.000Z", TRUE },
  { "n-50",       0,    50,   "reported",    "cat-b", "2026-11-23T09:00:00.000Z", TRUE },
  { "n-120",      120,  0,    "dispatched",  "cat-a", "2026-11-20T09:00:00.000Z", TRUE },
  { "n-190",      134,  -134, "in_progress", "cat-b", "2026-11-22T09:00:00.000Z", TRUE },
  /* inside the square the index searches, outside the circle */
  { "n-corner",   180,  180,  "reported",    "cat-a", "2026-11-23T09:00:00.000Z", TRUE },
  { "n-closed",   30,   0,    "closed",      "cat-a", "2026-11-23T09:00:00.000Z", TRUE },
  { "n-merged",   0,    40,   "merged",      "cat-a", "2026-11-23T09:00:00.000Z", TRUE },
  { "n-rejected", -40,  0,    "rejected",    "cat-a", "2026-11-23T09:00:00.000Z", TRUE },
  { "n-old",      0,    -60,  "reported",    "cat-a", "2026-11-01T09:00:00.000Z", TRUE },
  { "n-2km",      2000, 0,    "reported",    "cat-a", "2026-11-23T09:00:00.000Z", TRUE },
  { "n-pending",  -70,  0,    "verified",    "cat-a", "2026-11-23T09:00:00.000Z", TRUE },
  { "n-nowhere",  0,    0,    "reported",    "cat-a", "2026-11-23T09:00:00.000Z", FALSE },
};

static char *
nearby_case_json (const NearbyCase *c)
{
  /* metres to degrees on the sphere wg_geometry_distance_m () measures on */
  double metres_per_degree = 6371008.8 * G_PI / 180;
  double lat = BASE_LAT + c->north_m / metres_per_degree;
  double lon = BASE_LON + c->east_m / (metres_per_degree * cos (BASE_LAT * G_PI / 180));
  g_autofree char *location = NULL;
  char lon_text[G_ASCII_DTOSTR_BUF_SIZE], lat_text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (lon_text, sizeof lon_text, lon);
  g_ascii_dtostr (lat_text, sizeof lat_text, lat);
  location = c->located ? g_strdup_printf (",\"location\":{\"type\":\"Point\",\"coordinates\":[%s,%s]}", lon_text, lat_text)
                        : g_strdup ("");
  return g_strdup_printf ("{\"id\":\"%s\",\"version\":1,\"number\":\"2026-%s\",\"state\":\"%s\","
                          "\"title\":\"路灯不亮\",\"category_id\":\"%s\",\"reported_at\":\"%s\"%s}",
                          c->id, c->id, c->state, c->category, c->reported_at, location);
}

static gboolean
put_nearby_cb (WgStoreTxn  *txn,
               gpointer     data,
               GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (nearby_cases); i++)
    {
      g_autofree char *json = nearby_case_json (&nearby_cases[i]);
      g_autoptr(JsonObject) record = parse_object (json);

      if (!wg_store_txn_upsert (txn, "cases", record, error))
        return FALSE;
    }
  /* Closed by the dispatcher, the server not told yet: no longer open for him. */
  return wg_store_txn_set_local_state (txn, "n-pending", "closed", 1, error);
}

static char *
nearby_ids (GPtrArray *found)
{
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) list = NULL;

  for (guint i = 0; i < found->len; i++)
    g_strv_builder_add (ids, ((WgNearbyCase *) found->pdata[i])->id);
  list = g_strv_builder_end (ids);
  return g_strjoinv (" ", list);
}

static void
test_store_nearby (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *ids = NULL;
  WgNearbyCase *first;

  g_assert_true (wg_store_write_sync (f->store, put_nearby_cb, NULL, &error));
  g_assert_no_error (error);

  /* Within 200 m, open, reported since the 16th, not itself: the same category first. */
  found = wg_store_find_cases_near (f->store, BASE_LON, BASE_LAT, 200, "2026-11-16T08:00:00.000Z",
                                    "n-self", "cat-a", 5, &error);
  g_assert_no_error (error);
  ids = nearby_ids (found);
  g_assert_cmpstr (ids, ==, "n-120 n-50 n-190");
  first = found->pdata[0];
  g_assert_cmpstr (first->number, ==, "2026-n-120");
  g_assert_cmpstr (first->state, ==, "dispatched");
  g_assert_cmpfloat_with_epsilon (first->distance_m, 120, 0.5);
  g_assert_cmpfloat_with_epsilon (((WgNearbyCase *) found->pdata[1])->distance_m, 50, 0.5);
  g_assert_cmpfloat_with_epsilon (((WgNearbyCase *) found->pdata[2])->distance_m, 189.5, 0.5);
  g_clear_pointer (&found, g_ptr_array_unref);
  g_clear_pointer (&ids, g_free);

  /* Another category: the nearest first; and at most two. */
  found = wg_store_find_cases_near (f->store, BASE_LON, BASE_LAT, 200, "2026-11-16T08:00:00.000Z",
                                    "n-self", "cat-b", 2, &error);
  ids = nearby_ids (found);
  g_assert_cmpstr (ids, ==, "n-50 n-190");
  g_clear_pointer (&found, g_ptr_array_unref);
  g_clear_pointer (&ids, g_free);

  /* Without a date limit the old report comes too; a wider circle takes the corner. */
  found = wg_store_find_cases_near (f->store, BASE_LON, BASE_LAT, 300, NULL, "n-self", NULL, 10, &error);
  ids = nearby_ids (found);
  g_assert_cmpstr (ids, ==, "n-50 n-old n-120 n-190 n-corner");
  g_clear_pointer (&found, g_ptr_array_unref);
  g_clear_pointer (&ids, g_free);

  /* The case itself is found when not excluded, and 2 km is far. */
  found = wg_store_find_cases_near (f->store, BASE_LON, BASE_LAT, 10, NULL, NULL, NULL, 10, &error);
  ids = nearby_ids (found);
  g_assert_cmpstr (ids, ==, "n-self");
}

/* A cache written before cases had a location column learns them from the bodies it holds. */
static void
test_store_migrates_locations (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wg-store-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "v1.db", NULL);
  g_autoptr(WgStore) store = wg_store_open (path, &error);
  g_autoptr(GPtrArray) found = NULL;
  g_autofree char *ids = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_no_error (error);
  g_assert_true (wg_store_write_sync (store, put_nearby_cb, NULL, &error));
  g_clear_object (&store);

  /* Back to format 1: the columns and index of format 3 gone, and the indexes of formats 4 and 5. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "DROP INDEX cases_queue_deadline; DROP INDEX cases_queue; DROP INDEX cases_queue_village; DROP INDEX cases_queue_category;"
                                     "DROP INDEX cases_location;"
                                     "ALTER TABLE cases DROP COLUMN lon;"
                                     "ALTER TABLE cases DROP COLUMN lat;"
                                     "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = wg_store_open (path, &error);
  g_assert_no_error (error);
  found = wg_store_find_cases_near (store, BASE_LON, BASE_LAT, 200, NULL, "n-self", "cat-a", 5, &error);
  g_assert_no_error (error);
  ids = nearby_ids (found);
  g_assert_cmpstr (ids, ==, "n-old n-120 n-50 n-190");
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, WG_STORE_SCHEMA_VERSION);
  sqlite3_finalize (stmt);
  /* The search goes through the index, not through every case. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "EXPLAIN QUERY PLAN SELECT id FROM cases"
                                           " WHERE lat BETWEEN 1 AND 2 AND lon BETWEEN 3 AND 4"
                                           " AND reported_at >= '2026' AND coalesce (local_state, state) <> 'closed'",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_test_message ("plan: %s", sqlite3_column_text (stmt, 3));
  g_assert_nonnull (strstr ((const char *) sqlite3_column_text (stmt, 3), "cases_location"));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  remove_tree (dir);
}

/* Records whose member is one of a list: the assignments of one grid. */
static const PutData assignments[] = {
  { "assignments", "{\"id\":\"a1\",\"version\":1,\"kind\":\"village\",\"target_id\":\"v1\",\"person_id\":\"p1\"}" },
  { "assignments", "{\"id\":\"a2\",\"version\":1,\"kind\":\"grid\",\"target_id\":\"g1\",\"person_id\":\"p2\"}" },
  { "assignments", "{\"id\":\"a3\",\"version\":1,\"kind\":\"grid\",\"target_id\":\"g2\",\"person_id\":\"p3\"}" },
  { "people", "{\"id\":\"p9\",\"version\":1,\"target_id\":\"g1\"}" },
  { NULL, NULL }
};

static void
test_store_records_with (Fixture       *f,
                         gconstpointer  data)
{
  const char * const targets[] = { "g1", "v1", "nowhere", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) none = NULL;
  gboolean seen_a1 = FALSE, seen_a2 = FALSE;

  g_assert_true (wg_store_write_sync (f->store, put_cb, (gpointer) assignments, &error));
  found = wg_store_list_records_with (f->store, "assignments", "target_id", targets, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  for (guint i = 0; i < found->len; i++)
    {
      const char *id = json_object_get_string_member (found->pdata[i], "id");

      seen_a1 |= g_str_equal (id, "a1");
      seen_a2 |= g_str_equal (id, "a2");
    }
  g_assert_true (seen_a1 && seen_a2);

  none = wg_store_list_records_with (f->store, "assignments", "target_id", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/upsert-and-read", test_store_upsert_and_read);
  ADD ("/store/keeps-newer-version", test_store_keeps_newer_version);
  ADD ("/store/bad-record-rolls-back", test_store_bad_record_rolls_back);
  ADD ("/store/search", test_store_search);
  ADD ("/store/search-many", test_store_search_many);
  ADD ("/store/outbox", test_store_outbox);
  ADD ("/store/changed-signal", test_store_changed_signal);
  ADD ("/store/nearby", test_store_nearby);
  ADD ("/store/records-with", test_store_records_with);
  g_test_add_func ("/store/migrates-locations", test_store_migrates_locations);
  ADD ("/store/migrates-format-1", test_store_migrates_format_1);
  g_test_add_func ("/store/refuses-newer-schema", test_store_refuses_newer_schema);
  g_test_add_func ("/store/refuses-garbage", test_store_refuses_garbage);
  g_test_add_func ("/store/fts-query", test_fts_query);

  return g_test_run ();
}
