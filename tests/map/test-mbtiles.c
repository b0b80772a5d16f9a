/* test-mbtiles.c — the MBTiles base map source over a small file the test writes itself
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "wg-mbtiles-source.h"

typedef struct
{
  char  *dir;
  GFile *file;
} Fixture;

static void
exec (sqlite3    *db,
      const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

/* The payload stands in for a PNG: the source passes bytes through, the renderer decodes. */
static char *
payload (int z,
         int x,
         int y)
{
  return g_strdup_printf ("tile %d/%d/%d", z, x, y);
}

static void
write_mbtiles (const char *path,
               const char *format)
{
  sqlite3 *db;
  sqlite3_stmt *stmt;
  g_autofree char *meta = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "CREATE TABLE metadata (name TEXT, value TEXT)");
  exec (db, "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB)");
  exec (db, "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row)");
  meta = g_strdup_printf ("INSERT INTO metadata VALUES ('name', 'Majie test'), ('format', '%s'), "
                          "('attribution', '© Test Survey'), ('minzoom', '0'), ('maxzoom', '12')", format);
  exec (db, meta);

  /* Majie's tile at zoom 12 (x 3234, XYZ y 1755) and its parents, rows stored TMS-flipped. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int z = 0; z <= 12; z++)
    {
      int x = 3234 >> (12 - z);
      int y = 1755 >> (12 - z);
      g_autofree char *data = payload (z, x, y);

      sqlite3_bind_int (stmt, 1, z);
      sqlite3_bind_int (stmt, 2, x);
      sqlite3_bind_int (stmt, 3, (1 << z) - 1 - y);
      sqlite3_bind_blob (stmt, 4, data, strlen (data), SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("wangge-mbtiles-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "majie.mbtiles", NULL);
  write_mbtiles (path, data != NULL ? data : "png");
  fixture->file = g_file_new_for_path (path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = g_file_get_path (fixture->file);

  g_remove (path);
  g_rmdir (fixture->dir);
  g_clear_object (&fixture->file);
  g_clear_pointer (&fixture->dir, g_free);
}

static void
got_result_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static GBytes *
get_tile (ShumateDataSource  *source,
          int                 z,
          int                 x,
          int                 y,
          GError            **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  shumate_data_source_get_tile_data_async (source, x, y, z, NULL, got_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return shumate_data_source_get_tile_data_finish (source, result, error);
}

static void
test_tiles (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WgMbtilesSource) source = wg_mbtiles_source_new (fixture->file, NULL, &error);
  g_autoptr(ShumateMapSource) map_source = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (wg_mbtiles_source_get_name (source), ==, "Majie test");
  g_assert_cmpstr (wg_mbtiles_source_get_attribution (source), ==, "© Test Survey");
  g_assert_cmpstr (wg_mbtiles_source_get_format (source), ==, "png");
  g_assert_cmpuint (shumate_data_source_get_min_zoom_level (SHUMATE_DATA_SOURCE (source)), ==, 0);
  g_assert_cmpuint (shumate_data_source_get_max_zoom_level (SHUMATE_DATA_SOURCE (source)), ==, 12);

  /* Asked in XYZ, found by its TMS row. */
  for (int z = 0; z <= 12; z++)
    {
      int x = 3234 >> (12 - z);
      int y = 1755 >> (12 - z);
      g_autoptr(GBytes) bytes = get_tile (SHUMATE_DATA_SOURCE (source), z, x, y, &error);
      g_autofree char *expected = payload (z, x, y);

      g_assert_no_error (error);
      g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), expected, strlen (expected));
    }

  /* The unflipped row is another tile, which the file does not have. */
  {
    g_autoptr(GBytes) bytes = get_tile (SHUMATE_DATA_SOURCE (source), 12, 3234, (1 << 12) - 1 - 1755, &error);

    g_assert_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_NO_TILE);
    g_assert_null (bytes);
    g_clear_error (&error);
  }
  {
    g_autoptr(GBytes) bytes = get_tile (SHUMATE_DATA_SOURCE (source), 3, 9, 0, &error);

    g_assert_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_NO_TILE);
    g_clear_error (&error);
  }

  map_source = wg_mbtiles_source_create_map_source (source);
  g_assert_true (SHUMATE_IS_RASTER_RENDERER (map_source));
  g_assert_cmpstr (shumate_map_source_get_name (map_source), ==, "Majie test");
  g_assert_cmpstr (shumate_map_source_get_license (map_source), ==, "© Test Survey");
  g_assert_cmpuint (shumate_map_source_get_max_zoom_level (map_source), ==, 12);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  *(GAsyncResult **) data = g_object_ref (result);
}

static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WgMbtilesSource) source = NULL;

  wg_mbtiles_source_new_async (fixture->file, NULL, opened_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  source = wg_mbtiles_source_new_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wg_mbtiles_source_get_name (source), ==, "Majie test");
}

static void
test_vector (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WgMbtilesSource) source = wg_mbtiles_source_new (fixture->file, NULL, &error);

  g_assert_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_UNSUPPORTED);
  g_assert_null (source);
}

static void
test_not_mbtiles (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wangge-mbtiles-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "empty.mbtiles", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(WgMbtilesSource) source = NULL;
  sqlite3 *db;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "CREATE TABLE unrelated (x)");
  sqlite3_close (db);

  source = wg_mbtiles_source_new (file, NULL, &error);
  g_assert_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_INVALID);
  g_assert_null (source);
  g_remove (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/mbtiles/tiles", Fixture, NULL, fixture_set_up, test_tiles, fixture_tear_down);
  g_test_add ("/mbtiles/async", Fixture, NULL, fixture_set_up, test_async, fixture_tear_down);
  g_test_add ("/mbtiles/vector", Fixture, "pbf", fixture_set_up, test_vector, fixture_tear_down);
  g_test_add_func ("/mbtiles/not-mbtiles", test_not_mbtiles);

  return g_test_run ();
}
