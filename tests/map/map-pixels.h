/* map-pixels.h — a widget rendered as GTK draws it, its pixels, and base map files, for the map's tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GdkTexture *map_render_widget (GtkWidget    *widget);
void        map_pixel_at      (GdkTexture   *texture,
                               int           x,
                               int           y,
                               guchar        out_rgba[4]);
gboolean    map_pixel_near    (const guchar *pixel,
                               const guchar *rgb,
                               int           tolerance);
gboolean    map_pixel_near_in (GdkTexture   *texture,
                               int           x,
                               int           y,
                               int           radius,
                               const guchar *rgb,
                               int           tolerance);

char       *map_write_mbtiles (const char   *dir,
                               const guchar *rgb,
                               double        west,
                               double        north,
                               double        east,
                               double        south,
                               int           min_zoom,
                               int           max_zoom);

G_END_DECLS
