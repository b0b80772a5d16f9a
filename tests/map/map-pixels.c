/* map-pixels.c — a widget rendered as GTK draws it, and its pixels, for the map's tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

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
