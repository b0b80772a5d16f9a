/* wg-map-click.c — a click on the map, told from a drag that pans it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A map's click gesture still says "released" after a drag (GTK stops the click past the
 * drag threshold, but the release of the button comes all the same): the map's layers act on
 * release only when the pointer stayed near where it was pressed.
 */
#include "config.h"

#include <math.h>

#include "wg-map-click.h"

#define PRESS_KEY "wg-map-click-press"

static void
pressed_cb (GtkGestureClick *click,
            int              n_press,
            double           x,
            double           y,
            gpointer         data)
{
  graphene_point_t *press = g_object_get_data (G_OBJECT (click), PRESS_KEY);

  *press = GRAPHENE_POINT_INIT (x, y);
}

/* A click gesture of the primary button that remembers where it was pressed. */
GtkGesture *
wg_map_click_new (void)
{
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_object_set_data_full (G_OBJECT (click), PRESS_KEY, g_new0 (graphene_point_t, 1), g_free);
  g_signal_connect (click, "pressed", G_CALLBACK (pressed_cb), NULL);
  return click;
}

/* For a "released" handler of a gesture from wg_map_click_new (): whether this release at
 * (@x, @y) ends a single click, not a double click or a drag. */
gboolean
wg_map_click_is_click (GtkGestureClick *click,
                       int              n_press,
                       double           x,
                       double           y)
{
  graphene_point_t *press = g_object_get_data (G_OBJECT (click), PRESS_KEY);
  GtkWidget *widget = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (click));
  int threshold = 8;

  g_return_val_if_fail (press != NULL, FALSE);

  if (widget != NULL)
    g_object_get (gtk_widget_get_settings (widget), "gtk-dnd-drag-threshold", &threshold, NULL);
  return n_press == 1 && fabs (x - press->x) <= threshold && fabs (y - press->y) <= threshold;
}
