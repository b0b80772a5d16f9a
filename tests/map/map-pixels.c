/* map-pixels.c — a widget rendered as GTK draws it, its pixels, and base map files, for the map's tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "wg-mercator.h"

#include "map-pixels.h"
#include "wg-test-ui.h"

/* The widget with the window's renderer, as wg_test_screenshot () saves it. */
GdkTexture *
map_render_widget (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;

  /* A widget waiting for a new allocation paints nothing: try again after the next frames. */
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();

      if (attempt > 0)
        wg_test_settle (20);
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), gtk_widget_get_width (widget), gtk_widget_get_height (widget));
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)), node,
                                      &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget), gtk_widget_get_height (widget)));
}

void
map_pixel_at (GdkTexture *texture,
              int         x,
              int         y,
              guchar      out_rgba[4])
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guchar *data = g_malloc (stride * height);
  g_autoptr(GdkTextureDownloader) downloader = gdk_texture_downloader_new (texture);

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, width);
  g_assert_cmpint (y, <, height);
  gdk_texture_downloader_set_format (downloader, GDK_MEMORY_R8G8B8A8);
  gdk_texture_downloader_download_into (downloader, data, stride);
  memcpy (out_rgba, data + y * stride + x * 4, 4);
}

gboolean
map_pixel_near (const guchar *pixel,
                const guchar *rgb,
                int           tolerance)
{
  return ABS (pixel[0] - rgb[0]) <= tolerance && ABS (pixel[1] - rgb[1]) <= tolerance &&
         ABS (pixel[2] - rgb[2]) <= tolerance;
}

/* Whether some pixel within @radius of (@x, @y) is near @rgb: for thin, antialiased lines. */
gboolean
map_pixel_near_in (GdkTexture   *texture,
                   int           x,
                   int           y,
                   int           radius,
                   const guchar *rgb,
                   int           tolerance)
{
  for (int dy = -radius; dy <= radius; dy++)
    for (int dx = -radius; dx <= radius; dx++)
      {
        guchar pixel[4];

        if (x + dx < 0 || y + dy < 0 || x + dx >= gdk_texture_get_width (texture) ||
            y + dy >= gdk_texture_get_height (texture))
          continue;
        map_pixel_at (texture, x + dx, y + dy, pixel);
        if (map_pixel_near (pixel, rgb, tolerance))
          return TRUE;
      }
  return FALSE;
}

/* An MBTiles file in @dir whose every tile over the box, at zoom @min_zoom to @max_zoom, is
 * the same PNG of colour @rgb with a darker line every 64 pixels. */
char *
map_write_mbtiles (const char   *dir,
                   const guchar *rgb,
                   double        west,
                   double        north,
                   double        east,
                   double        south,
                   int           min_zoom,
                   int           max_zoom)
{
  g_autofree char *path = g_build_filename (dir, "base.mbtiles", NULL);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  guchar *data = g_malloc (256 * 256 * 4);
  sqlite3 *db;
  sqlite3_stmt *stmt;

  for (guint i = 0; i < 256 * 256; i++)
    {
      gboolean line = (i % 256) % 64 == 0 || (i / 256) % 64 == 0;

      data[4 * i] = line ? rgb[0] * 3 / 4 : rgb[0];
      data[4 * i + 1] = line ? rgb[1] * 3 / 4 : rgb[1];
      data[4 * i + 2] = line ? rgb[2] * 3 / 4 : rgb[2];
      data[4 * i + 3] = 255;
    }
  pixels = g_bytes_new_take (data, 256 * 256 * 4);
  texture = gdk_memory_texture_new (256, 256, GDK_MEMORY_R8G8B8A8, pixels, 256 * 4);
  png = gdk_texture_save_to_png_bytes (texture);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE metadata (name TEXT, value TEXT);"
                                     "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);"
                                     "INSERT INTO metadata VALUES ('name', 'Test base map'), ('format', 'png'),"
                                     " ('attribution', 'Test tiles'), ('minzoom', '0'), ('maxzoom', '18');",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int z = min_zoom; z <= max_zoom; z++)
    {
      int x0, y0, x1, y1;

      wg_mercator_tile_at (west, north, z, &x0, &y0);
      wg_mercator_tile_at (east, south, z, &x1, &y1);
      for (int x = x0; x <= x1; x++)
        for (int y = y0; y <= y1; y++)
          {
            sqlite3_bind_int (stmt, 1, z);
            sqlite3_bind_int (stmt, 2, x);
            sqlite3_bind_int (stmt, 3, (1 << z) - 1 - y);
            sqlite3_bind_blob (stmt, 4, g_bytes_get_data (png, NULL), g_bytes_get_size (png), SQLITE_STATIC);
            g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
            sqlite3_reset (stmt);
          }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_steal_pointer (&path);
}
