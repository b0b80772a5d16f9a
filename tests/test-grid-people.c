/* test-grid-people.c — who answers for a grid, from records and from a real cache
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>

#include "wg-grid-people.h"

static const char * const people_json[] = {
  "{\"id\":\"p-leader\",\"version\":1,\"name\":\"李网格长\",\"phone\":\"13800000001\"}",
  "{\"id\":\"p-instructor\",\"version\":1,\"name\":\"王指导员\",\"phone\":\"138****0002\"}",
  "{\"id\":\"p-worker\",\"version\":1,\"name\":\"张网格员\",\"phone\":\"13800000003\"}",
  "{\"id\":\"p-village\",\"version\":1,\"name\":\"赵包村干部\",\"phone\":\"13800000004\"}",
  "{\"id\":\"p-group\",\"version\":1,\"name\":\"钱包组干部\"}",
  "{\"id\":\"p-grid\",\"version\":1,\"name\":\"孙包格干部\",\"phone\":\"13800000006\"}",
  "{\"id\":\"p-elsewhere\",\"version\":1,\"name\":\"周别处干部\",\"phone\":\"13800000007\"}",
};

static const char * const assignments_json[] = {
  "{\"id\":\"a1\",\"version\":1,\"kind\":\"village\",\"target_id\":\"v1\",\"person_id\":\"p-village\"}",
  "{\"id\":\"a2\",\"version\":1,\"kind\":\"group\",\"target_id\":\"grp1\",\"person_id\":\"p-group\"}",
  "{\"id\":\"a3\",\"version\":1,\"kind\":\"grid\",\"target_id\":\"g1\",\"person_id\":\"p-grid\"}",
  /* 包户 does not make a cadre of the grid */
  "{\"id\":\"a4\",\"version\":1,\"kind\":\"households\",\"target_id\":\"g1\",\"person_id\":\"p-elsewhere\",\"household_ids\":[\"h1\"]}",
  /* another village's cadre */
  "{\"id\":\"a5\",\"version\":1,\"kind\":\"village\",\"target_id\":\"v2\",\"person_id\":\"p-elsewhere\"}",
  /* a cadre the cache does not know: counted, not listed */
  "{\"id\":\"a6\",\"version\":1,\"kind\":\"group\",\"target_id\":\"grp2\",\"person_id\":\"p-unknown\"}",
};

static const char grid_json[] =
  "{\"id\":\"g1\",\"version\":1,\"name\":\"马街社区第1网格\",\"village_id\":\"v1\",\"group_ids\":[\"grp1\",\"grp2\"],"
  "\"grid_leader_id\":\"p-leader\",\"grid_instructor_id\":\"p-instructor\",\"grid_worker_ids\":[\"p-worker\",\"p-gone\"]}";

static GPtrArray *
parse_all (const char * const *texts,
           guint               n)
{
  GPtrArray *objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonNode) node = json_from_string (texts[i], NULL);

      g_assert_nonnull (node);
      g_ptr_array_add (objects, json_object_ref (json_node_get_object (node)));
    }
  return objects;
}

static JsonObject *
parse_one (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  return json_object_ref (json_node_get_object (node));
}

static void
assert_contacts (GPtrArray *contacts)
{
  static const struct { const char *name; WgGridRole role; const char *phone; const char *covers; } expected[] = {
    { "李网格长", WG_GRID_ROLE_LEADER, "13800000001", NULL },
    { "王指导员", WG_GRID_ROLE_INSTRUCTOR, "138****0002", NULL },
    { "张网格员", WG_GRID_ROLE_WORKER, "13800000003", NULL },
    { "孙包格干部", WG_GRID_ROLE_COVERING_CADRE, "13800000006", "grid" },
    { "钱包组干部", WG_GRID_ROLE_COVERING_CADRE, NULL, "group" },
    { "赵包村干部", WG_GRID_ROLE_COVERING_CADRE, "13800000004", "village" },
  };

  g_assert_cmpuint (contacts->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < contacts->len; i++)
    {
      WgGridContact *contact = contacts->pdata[i];

      g_assert_cmpstr (contact->name, ==, expected[i].name);
      g_assert_cmpint (contact->role, ==, expected[i].role);
      g_assert_cmpstr (contact->phone, ==, expected[i].phone);
      g_assert_cmpstr (contact->covers, ==, expected[i].covers);
    }
}

static void
test_from_records (void)
{
  g_autoptr(GPtrArray) people = parse_all (people_json, G_N_ELEMENTS (people_json));
  g_autoptr(GPtrArray) assignments = parse_all (assignments_json, G_N_ELEMENTS (assignments_json));
  g_autoptr(JsonObject) grid = parse_one (grid_json);
  g_autoptr(WgGridPeople) directory = wg_grid_people_new (people, assignments);
  g_autoptr(GPtrArray) contacts = wg_grid_people_list (directory, grid);

  assert_contacts (contacts);
  /* grid, two groups (one cadre unknown to the cache) and the village: four covers */
  g_assert_cmpuint (wg_grid_people_count_cadres (directory, grid), ==, 4);
  g_assert_cmpstr (wg_grid_role_label (WG_GRID_ROLE_WORKER), ==, "Grid worker");
}

static gboolean
put_cb (WgStoreTxn  *txn,
        gpointer     data,
        GError     **error)
{
  g_autoptr(JsonObject) grid = parse_one (grid_json);
  g_autoptr(JsonObject) other = parse_one ("{\"id\":\"g2\",\"version\":1,\"village_id\":\"v2\",\"grid_worker_ids\":[\"p-elsewhere\"]}");

  for (guint i = 0; i < G_N_ELEMENTS (people_json); i++)
    {
      g_autoptr(JsonObject) person = parse_one (people_json[i]);

      if (!wg_store_txn_upsert (txn, "people", person, error))
        return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (assignments_json); i++)
    {
      g_autoptr(JsonObject) assignment = parse_one (assignments_json[i]);

      if (!wg_store_txn_upsert (txn, "assignments", assignment, error))
        return FALSE;
    }
  return wg_store_txn_upsert (txn, "grids", grid, error) && wg_store_txn_upsert (txn, "grids", other, error);
}

static void
remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* The case detail reads one grid's people straight from the cache: the same answer. */
static void
test_from_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wg-grid-people-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(WgStore) store = wg_store_open (path, &error);
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(GPtrArray) other = NULL;
  g_autoptr(GPtrArray) missing = NULL;

  g_assert_no_error (error);
  g_assert_true (wg_store_write_sync (store, put_cb, NULL, &error));
  g_assert_no_error (error);

  contacts = wg_grid_people_load (store, "g1", &error);
  g_assert_no_error (error);
  assert_contacts (contacts);

  other = wg_grid_people_load (store, "g2", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (other->len, ==, 2);
  g_assert_cmpstr (((WgGridContact *) other->pdata[0])->name, ==, "周别处干部");
  g_assert_cmpint (((WgGridContact *) other->pdata[0])->role, ==, WG_GRID_ROLE_WORKER);
  g_assert_cmpint (((WgGridContact *) other->pdata[1])->role, ==, WG_GRID_ROLE_COVERING_CADRE);

  missing = wg_grid_people_load (store, "g-none", &error);
  g_assert_null (missing);
  g_assert_error (error, WG_STORE_ERROR, WG_STORE_ERROR_NOT_FOUND);

  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/grid-people/from-records", test_from_records);
  g_test_add_func ("/grid-people/from-store", test_from_store);
  return g_test_run ();
}
