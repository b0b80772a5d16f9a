/* map-pixels.h — a widget rendered as GTK draws it, and its pixels, for the map's tests
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

G_END_DECLS
