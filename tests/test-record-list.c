/* test-record-list.c — list models over the cache tell views exactly which rows changed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include "wg-record-list.h"
#include "wg-test-server.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static GArray *changes;

static void
items_changed_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    data)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static gboolean
put_grid_cb (WgStoreTxn  *txn,
             gpointer     data,
             GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (data, NULL);

  return wg_store_txn_upsert (txn, "grids", json_node_get_object (node), error);
}

static gboolean
delete_grid_cb (WgStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  return wg_store_txn_delete (txn, "grids", data, error);
}

static void
put (WgStore    *store,
     const char *json)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wg_store_write_sync (store, put_grid_cb, (gpointer) json, &error));
  g_assert_no_error (error);
}

static void
wait_settled (WgRecordList *list)
{
  /* The store's notice, the model's debounce and its reload on a worker thread. */
  gint64 end = g_get_monotonic_time () + 500 * 1000;

  while (g_get_monotonic_time () < end || wg_record_list_get_loading (list))
    g_main_context_iteration (NULL, FALSE);
}

static const char *
code_at (WgRecordList *list,
         guint         position)
{
  g_autoptr(WgRecord) record = g_list_model_get_item (G_LIST_MODEL (list), position);
  static char code[32];

  g_strlcpy (code, wg_record_get_string (record, "code"), sizeof code);
  return code;
}

static void
test_record_list_updates_only_changed_rows (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wg-list-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgStore) store = wg_store_open (path, &error);
  g_autoptr(WgRecordList) list = NULL;
  Change *c;

  g_assert_no_error (error);
  for (guint i = 1; i <= 5; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\":\"g%u\",\"version\":1,\"code\":\"5303241000010%02u\",\"name\":\"第%u网格\"}",
                                               i, i * 10, i);
      put (store, json);
    }

  list = wg_record_list_new (store, "grids", "json_extract (body, '$.code')");
  changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), NULL);
  wait_settled (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
  g_assert_cmpstr (code_at (list, 0), ==, "530324100001010");
  g_assert_cmpstr (code_at (list, 4), ==, "530324100001050");
  g_array_set_size (changes, 0);

  /* A renamed grid: that one row, in place. */
  put (store, "{\"id\":\"g3\",\"version\":2,\"code\":\"530324100001030\",\"name\":\"第三网格（新）\"}");
  wait_settled (list);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 2);
  g_assert_cmpuint (c->removed, ==, 1);
  g_assert_cmpuint (c->added, ==, 1);
  {
    g_autoptr(WgRecord) record = g_list_model_get_item (G_LIST_MODEL (list), 2);

    g_assert_cmpstr (wg_record_get_string (record, "name"), ==, "第三网格（新）");
  }
  g_array_set_size (changes, 0);

  /* A new grid sorts in between: one insertion there, nothing else. */
  put (store, "{\"id\":\"g9\",\"version\":1,\"code\":\"530324100001025\",\"name\":\"新网格\"}");
  wait_settled (list);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 2);
  g_assert_cmpuint (c->removed, ==, 0);
  g_assert_cmpuint (c->added, ==, 1);
  g_assert_cmpstr (code_at (list, 2), ==, "530324100001025");
  g_array_set_size (changes, 0);

  /* A tombstone: one removal. */
  g_assert_true (wg_store_write_sync (store, delete_grid_cb, (gpointer) "g1", &error));
  wait_settled (list);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->removed, ==, 1);
  g_assert_cmpuint (c->added, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);

  g_clear_object (&list);
  wg_store_close (store);
  g_array_unref (changes);
  wg_test_remove_tree (dir);
}

static GArray *inserted;

static void
rows_inserted_cb (WgRecordList *list,
                  guint         position,
                  guint         n_items,
                  gpointer      data)
{
  Change change = { position, 0, n_items };

  /* Told before the insertion itself, with the items already there. */
  g_assert_cmpuint (changes->len, ==, 0);
  g_assert_cmpuint (position + n_items, <=, g_list_model_get_n_items (G_LIST_MODEL (list)));
  g_array_append_val (inserted, change);
}

/* A grid that arrives is told as new; a new order or filter moves rows but brings none. */
static void
test_record_list_tells_new_rows (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wg-list-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgStore) store = wg_store_open (path, &error);
  g_autoptr(WgRecordList) list = NULL;
  Change *c;

  g_assert_no_error (error);
  for (guint i = 1; i <= 4; i++)
    {
      g_autofree char *json = g_strdup_printf ("{\"id\":\"g%u\",\"version\":1,\"code\":\"5303241000010%02u\",\"name\":\"第%u网格\"}",
                                               i, i * 10, i);
      put (store, json);
    }
  list = wg_record_list_new (store, "grids", "json_extract (body, '$.code')");
  changes = g_array_new (FALSE, FALSE, sizeof (Change));
  inserted = g_array_new (FALSE, FALSE, sizeof (Change));
  g_signal_connect (list, "rows-inserted", G_CALLBACK (rows_inserted_cb), NULL);
  g_signal_connect (list, "items-changed", G_CALLBACK (items_changed_cb), NULL);
  wait_settled (list);
  /* The first fill is no news. */
  g_assert_cmpuint (inserted->len, ==, 0);
  g_array_set_size (changes, 0);

  put (store, "{\"id\":\"g9\",\"version\":1,\"code\":\"530324100001005\",\"name\":\"新网格\"}");
  wait_settled (list);
  g_assert_cmpuint (inserted->len, ==, 1);
  c = &g_array_index (inserted, Change, 0);
  g_assert_cmpuint (c->position, ==, 0);
  g_assert_cmpuint (c->added, ==, 1);
  g_assert_cmpstr (code_at (list, 0), ==, "530324100001005");
  g_array_set_size (inserted, 0);
  g_array_set_size (changes, 0);

  /* The other way round: every row moves, none is new. */
  wg_record_list_set_order_by (list, "json_extract (body, '$.code') DESC");
  wait_settled (list);
  g_assert_cmpstr (wg_record_list_get_order_by (list), ==, "json_extract (body, '$.code') DESC");
  g_assert_cmpstr (code_at (list, 0), ==, "530324100001040");
  g_assert_cmpstr (code_at (list, 4), ==, "530324100001005");
  g_assert_cmpuint (changes->len, ==, 1);
  g_assert_cmpuint (inserted->len, ==, 0);
  g_assert_cmpuint (wg_record_list_find (list, "g9"), ==, 4);
  g_assert_cmpuint (wg_record_list_find (list, "nowhere"), ==, G_MAXUINT);
  g_array_set_size (changes, 0);

  /* Fewer rows, then all again through a filter: rows come back, not news either. */
  wg_record_list_set_filter (list, "json_extract (body, '$.code') > '530324100001020'", NULL);
  wait_settled (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  g_array_set_size (changes, 0);
  wg_record_list_set_filter (list, NULL, NULL);
  wait_settled (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 5);
  g_assert_cmpuint (inserted->len, ==, 0);

  /* The same filter later (the clock in it moved on): the rows that join are news, told
   * where they are, and the rows before them stay where they were. */
  wg_record_list_set_filter (list, "json_extract (body, '$.code') > '530324100001020'", NULL);
  wait_settled (list);
  g_array_set_size (changes, 0);
  wg_record_list_set_filter_live (list, "json_extract (body, '$.code') > '530324100001010'", NULL);
  wait_settled (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  g_assert_cmpuint (changes->len, ==, 1);
  c = &g_array_index (changes, Change, 0);
  g_assert_cmpuint (c->position, ==, 2);
  g_assert_cmpuint (c->removed, ==, 0);
  g_assert_cmpuint (c->added, ==, 1);
  g_assert_cmpuint (inserted->len, ==, 1);
  c = &g_array_index (inserted, Change, 0);
  g_assert_cmpuint (c->position, ==, 2);
  g_assert_cmpuint (c->added, ==, 1);
  g_assert_cmpstr (code_at (list, 2), ==, "530324100001020");

  g_clear_object (&list);
  wg_store_close (store);
  g_array_unref (changes);
  g_array_unref (inserted);
  wg_test_remove_tree (dir);
}

/* An item held by a view is the same object each time its position is asked for, so views
 * keep their rows and selection; once its row changes, the position gives a new item that
 * reads the new row. An item nobody holds any more is not kept. */
static void
test_record_list_items_while_held (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wg-list-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgStore) store = wg_store_open (path, &error);
  g_autoptr(WgRecordList) list = NULL;
  g_autoptr(WgRecord) held = NULL;
  g_autoptr(WgRecord) again = NULL;
  g_autoptr(WgRecord) fresh = NULL;
  WgRecord *dropped;

  g_assert_no_error (error);
  put (store, "{\"id\":\"g1\",\"version\":1,\"code\":\"530324100001010\",\"name\":\"第一网格\"}");
  put (store, "{\"id\":\"g2\",\"version\":1,\"code\":\"530324100001020\",\"name\":\"第二网格\"}");
  list = wg_record_list_new (store, "grids", "json_extract (body, '$.code')");
  wait_settled (list);

  held = g_list_model_get_item (G_LIST_MODEL (list), 1);
  again = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_true (held == again);
  g_assert_cmpstr (wg_record_get_string (held, "name"), ==, "第二网格");

  dropped = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_object_add_weak_pointer (G_OBJECT (dropped), (gpointer *) &dropped);
  g_object_unref (dropped);
  g_assert_null (dropped);

  put (store, "{\"id\":\"g2\",\"version\":2,\"code\":\"530324100001020\",\"name\":\"第二网格（新）\"}");
  wait_settled (list);
  fresh = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_true (fresh != held);
  g_assert_cmpstr (wg_record_get_string (fresh, "name"), ==, "第二网格（新）");
  g_assert_cmpstr (wg_record_get_id (fresh), ==, "g2");

  g_clear_object (&list);
  /* items outlive their list */
  g_assert_cmpstr (wg_record_get_string (held, "name"), ==, "第二网格");
  wg_store_close (store);
  wg_test_remove_tree (dir);
}

static gboolean
put_case_cb (WgStoreTxn  *txn,
             gpointer     data,
             GError     **error)
{
  g_autoptr(JsonNode) node = json_from_string (data, NULL);

  return wg_store_txn_upsert (txn, "cases", json_node_get_object (node), error);
}

/* A case's item answers what a queue shows from the row's columns, the same as its body says;
 * the rest of the body is there as well. */
static void
test_record_list_case_columns (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wg-list-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgStore) store = wg_store_open (path, &error);
  g_autoptr(WgRecordList) list = NULL;
  g_autoptr(WgRecord) dispatched = NULL;
  g_autoptr(WgRecord) reported = NULL;
  const char *cases[] = {
    "{\"id\":\"c1\",\"version\":3,\"number\":\"2026-000001\",\"state\":\"dispatched\",\"urgency\":\"high\","
    "\"category_id\":\"cat\",\"village_id\":\"v\",\"grid_id\":\"g\",\"source\":\"grid_worker\","
    "\"title\":\"路灯不亮\",\"address\":\"马街镇\",\"description\":\"夜里全黑\",\"created_at\":\"2026-11-20T01:00:00Z\","
    "\"reported_at\":\"2026-11-20T00:50:00Z\",\"deadline\":\"2026-11-23T01:00:00Z\","
    "\"assignee\":{\"kind\":\"team\",\"id\":\"t1\"},\"updated_at\":\"2026-11-20T02:00:00Z\"}",
    "{\"id\":\"c2\",\"version\":1,\"number\":\"2026-000002\",\"state\":\"reported\",\"title\":\"井盖缺失\","
    "\"created_at\":\"2026-11-21T01:00:00Z\"}",
  };

  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_assert_true (wg_store_write_sync (store, put_case_cb, (gpointer) cases[i], &error));
      g_assert_no_error (error);
    }
  list = wg_record_list_new (store, "cases", "reported_at");
  wait_settled (list);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);

  dispatched = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (wg_record_get_id (dispatched), ==, "c1");
  g_assert_cmpint (wg_record_get_version (dispatched), ==, 3);
  g_assert_cmpstr (wg_record_get_string (dispatched, "number"), ==, "2026-000001");
  g_assert_cmpstr (wg_record_get_state (dispatched), ==, "dispatched");
  g_assert_cmpstr (wg_record_get_string (dispatched, "urgency"), ==, "high");
  g_assert_cmpstr (wg_record_get_string (dispatched, "title"), ==, "路灯不亮");
  g_assert_cmpstr (wg_record_get_string (dispatched, "deadline"), ==, "2026-11-23T01:00:00Z");
  g_assert_cmpstr (wg_record_get_column (dispatched, WG_CASE_COLUMN_REPORTED_AT), ==, "2026-11-20T00:50:00Z");
  g_assert_cmpstr (wg_record_get_column (dispatched, WG_CASE_COLUMN_ASSIGNEE_ID), ==, "t1");
  g_assert_cmpstr (wg_record_get_column (dispatched, WG_CASE_COLUMN_GRID_ID), ==, "g");
  /* Not a column: from the body. */
  g_assert_cmpstr (wg_record_get_string (dispatched, "description"), ==, "夜里全黑");
  g_assert_cmpstr (wg_record_get_string (dispatched, "created_at"), ==, "2026-11-20T01:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (wg_record_get_json (dispatched), "assignee"), "kind"),
                   ==, "team");
  g_assert_cmpstr (wg_record_get_string (dispatched, "number"), ==, "2026-000001");

  /* No reported_at in the body: reported when created. Absent members are NULL either way. */
  reported = g_list_model_get_item (G_LIST_MODEL (list), 1);
  g_assert_cmpstr (wg_record_get_column (reported, WG_CASE_COLUMN_REPORTED_AT), ==, "2026-11-21T01:00:00Z");
  g_assert_null (wg_record_get_string (reported, "reported_at"));
  g_assert_null (wg_record_get_string (reported, "urgency"));
  g_assert_null (wg_record_get_column (reported, WG_CASE_COLUMN_ASSIGNEE_ID));

  g_clear_object (&list);
  wg_store_close (store);
  wg_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/record-list/updates-only-changed-rows", test_record_list_updates_only_changed_rows);
  g_test_add_func ("/record-list/tells-new-rows", test_record_list_tells_new_rows);
  g_test_add_func ("/record-list/items-while-held", test_record_list_items_while_held);
  g_test_add_func ("/record-list/case-columns", test_record_list_case_columns);

  return g_test_run ();
}
