/* wg-map-click.h — a click on the map, told from a drag that pans it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

GtkGesture *wg_map_click_new      (void);
gboolean    wg_map_click_is_click (GtkGestureClick *click,
                                   int              n_press,
                                   double           x,
                                   double           y);

G_END_DECLS
