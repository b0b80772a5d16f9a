/* wg-map-click.h — telling a click on the map from a drag that pans it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A map's click gesture still says "released" after a drag (GTK cancels the click past the
 * drag threshold, but the release of the button comes all the same): a click handler acts on
 * release only when the pointer stayed near where it was pressed.
 */
#pragma once

#include <gtk/gtk.h>
#include <math.h>

G_BEGIN_DECLS

static inline gboolean
wg_map_click_moved (GtkWidget *widget,
                    double     press_x,
                    double     press_y,
                    double     x,
                    double     y)
{
  int threshold = 8;

  g_object_get (gtk_widget_get_settings (widget), "gtk-dnd-drag-threshold", &threshold, NULL);
  return fabs (x - press_x) > threshold || fabs (y - press_y) > threshold;
}

G_END_DECLS
