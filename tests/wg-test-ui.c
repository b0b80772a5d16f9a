/* wg-test-ui.c — waiting, real X input and screenshots for the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input goes through the X server (XTest), so shortcuts and clicks are the ones a person
 * makes, not calls into our code. Screenshots are the widget as GTK renders it, saved in
 * $WANGGE_SCREENSHOT_DIR as NAME-LANG.png.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <math.h>
#include <X11/extensions/XTest.h>

#include "wg-test-ui.h"

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Runs the main loop until @condition holds or @timeout_ms pass; returns whether it held. */
gboolean
wg_test_wait_for (WgTestCondition condition,
                  gpointer        data,
                  guint           timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (10, tick_cb, NULL);
  gboolean ok;

  while (!(ok = condition (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (tick);
  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Lets redraws and animations finish. */
void
wg_test_settle (guint ms)
{
  wg_test_wait_for (never, NULL, ms);
}

/* GTK 4.18 deprecates its X11 API, but XTest input is the only way to press real keys on the
 * headless display, so the tests alone use it. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static Display *
xdisplay (void)
{
  return gdk_x11_display_get_xdisplay (gdk_display_get_default ());
}

static Window
xid_of (GtkWidget *widget)
{
  return gdk_x11_surface_get_xid (gtk_native_get_surface (gtk_widget_get_native (widget)));
}

G_GNUC_END_IGNORE_DEPRECATIONS

void
wg_test_focus_window (GtkWidget *widget)
{
  /* There is no window manager under the test display: hand the keyboard over ourselves. */
  XSetInputFocus (xdisplay (), xid_of (widget), RevertToPointerRoot, CurrentTime);
  XFlush (xdisplay ());
  wg_test_settle (100);
}

/* Takes the keyboard from every window, as when the dispatcher works in another application. */
void
wg_test_unfocus_windows (void)
{
  XSetInputFocus (xdisplay (), None, RevertToNone, CurrentTime);
  XFlush (xdisplay ());
  wg_test_settle (100);
}

/* Presses the keys in order, releases them in reverse: a chord such as Ctrl+Shift+/. */
void
wg_test_press_keys (const guint *keysyms,
                    guint        n_keys)
{
  Display *dpy = xdisplay ();

  for (guint i = 0; i < n_keys; i++)
    XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, keysyms[i]), True, CurrentTime);
  for (guint i = n_keys; i > 0; i--)
    XTestFakeKeyEvent (dpy, XKeysymToKeycode (dpy, keysyms[i - 1]), False, CurrentTime);
  XFlush (dpy);
}

/* A left click at (@x, @y) in @widget's coordinates. */
void
wg_test_click_at (GtkWidget *widget,
                  double     x,
                  double     y)
{
  Display *dpy = xdisplay ();
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t point;
  double sx, sy;
  int rx, ry;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &sx, &sy);
  XTranslateCoordinates (dpy, xid_of (widget), DefaultRootWindow (dpy),
                         (int) round (sx + point.x), (int) round (sy + point.y), &rx, &ry, &child);

  XTestFakeMotionEvent (dpy, -1, rx, ry, CurrentTime);
  XFlush (dpy);
  wg_test_settle (80);
  XTestFakeButtonEvent (dpy, 1, True, CurrentTime);
  XFlush (dpy);
  wg_test_settle (30);
  XTestFakeButtonEvent (dpy, 1, False, CurrentTime);
  XFlush (dpy);
}

/* A left-button drag from (@x0, @y0) to (@x1, @y1) in @widget's coordinates, in small steps
 * as a hand moves. */
void
wg_test_drag (GtkWidget *widget,
              double     x0,
              double     y0,
              double     x1,
              double     y1)
{
  Display *dpy = xdisplay ();
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t from, to;
  double sx, sy;
  int rx, ry;
  Window child;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x0, y0), &from));
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &GRAPHENE_POINT_INIT (x1, y1), &to));
  gtk_native_get_surface_transform (native, &sx, &sy);
  for (guint step = 0; step <= 10; step++)
    {
      double t = step / 10.0;

      XTranslateCoordinates (dpy, xid_of (widget), DefaultRootWindow (dpy),
                             (int) round (sx + from.x + (to.x - from.x) * t),
                             (int) round (sy + from.y + (to.y - from.y) * t), &rx, &ry, &child);
      XTestFakeMotionEvent (dpy, -1, rx, ry, CurrentTime);
      XFlush (dpy);
      wg_test_settle (step == 0 ? 80 : 20);
      if (step == 0)
        {
          XTestFakeButtonEvent (dpy, 1, True, CurrentTime);
          XFlush (dpy);
          wg_test_settle (30);
        }
    }
  XTestFakeButtonEvent (dpy, 1, False, CurrentTime);
  XFlush (dpy);
}

void
wg_test_click_widget (GtkWidget *widget)
{
  wg_test_click_at (widget, gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
}

void
wg_test_screenshot (GtkWidget  *widget,
                    const char *name,
                    const char *lang)
{
  const char *dir = g_getenv ("WANGGE_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  if (dir == NULL)
    return;

  g_mkdir_with_parents (dir, 0755);
  paintable = gtk_widget_paintable_new (widget);
  /* A widget waiting for a new allocation (fonts loading, a panel opening) paints nothing:
   * try again after the next frames. */
  for (guint attempt = 0; node == NULL && attempt < 100; attempt++)
    {
      if (attempt > 0)
        wg_test_settle (20);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strdup_printf ("%s-%s.png", name, lang);
  path = g_build_filename (dir, file, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The one item selected in @view (a new reference), or NULL when none or several are. */
gpointer
wg_test_selected_item (GtkColumnView *view)
{
  GtkSelectionModel *model = gtk_column_view_get_model (view);
  g_autoptr(GtkBitset) selected = model != NULL ? gtk_selection_model_get_selection (model) : NULL;

  if (selected == NULL || gtk_bitset_get_size (selected) != 1)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (model), gtk_bitset_get_minimum (selected));
}

/* The text a label or an inscription (the queue's cells) shows, or NULL for other widgets. */
const char *
wg_test_text_of (GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    return gtk_label_get_label (GTK_LABEL (widget));
  if (GTK_IS_INSCRIPTION (widget))
    return gtk_inscription_get_text (GTK_INSCRIPTION (widget)) != NULL ? gtk_inscription_get_text (GTK_INSCRIPTION (widget)) : "";
  return NULL;
}

/* The first descendant of @root of @type, and named @name unless it is NULL (the widgets
 * the UI tests look up have stable names), depth first. */
GtkWidget *
wg_test_find_widget (GtkWidget  *root,
                     GType       type,
                     const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (name == NULL || g_strcmp0 (gtk_widget_get_name (child), name) == 0))
        return child;
      if ((found = wg_test_find_widget (child, type, name)) != NULL)
        return found;
    }
  return NULL;
}

/* The first label or inscription in @root (itself included), depth first. */
GtkWidget *
wg_test_find_text (GtkWidget *root)
{
  if (wg_test_text_of (root) != NULL)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = wg_test_find_text (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Selects the row at @position alone, as a click on it would. */
void
wg_test_select_row (GtkColumnView *view,
                    guint          position)
{
  gtk_selection_model_select_item (gtk_column_view_get_model (view), position, TRUE);
}

/* --- the desktop's notifications ------------------------------------------------------------- */

/* The test plays the desktop's notification server: GApplication sends its notifications to
 * org.gtk.Notifications when that name has an owner on the session bus (the dbus-daemon of
 * the test run, a real one). Each is kept as "ID\tTITLE\tBODY". */
static GPtrArray *notifications;
static gboolean notifications_owned;

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.gtk.Notifications'>"
  "    <method name='AddNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/><arg type='a{sv}' direction='in'/>"
  "    </method>"
  "    <method name='RemoveNotification'>"
  "      <arg type='s' direction='in'/><arg type='s' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  if (g_str_equal (method_name, "AddNotification"))
    {
      const char *app_id, *id;
      g_autoptr(GVariant) fields = NULL;
      const char *title = "", *body = "";

      g_variant_get (parameters, "(&s&s@a{sv})", &app_id, &id, &fields);
      g_variant_lookup (fields, "title", "&s", &title);
      g_variant_lookup (fields, "body", "&s", &body);
      g_ptr_array_add (notifications, g_strdup_printf ("%s\t%s\t%s", id, title, body));
      g_test_message ("notification from %s: %s “%s”", app_id, id, title);
    }
  g_dbus_method_invocation_return_value (invocation, NULL);
}

static void
notifications_owned_cb (GDBusConnection *connection,
                        const char      *name,
                        gpointer         user_data)
{
  notifications_owned = TRUE;
}

static gboolean
notifications_ready (gpointer data)
{
  return notifications_owned;
}

/* Starts the notification server; call before the application sends its first one (GLib
 * chooses where notifications go once). */
void
wg_test_notifications_watch (void)
{
  static const GDBusInterfaceVTable vtable = { notifications_method_cb, NULL, NULL, { 0 } };
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) info = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  notifications = g_ptr_array_new_with_free_func (g_free);
  g_dbus_connection_register_object (bus, "/org/gtk/Notifications", info->interfaces[0], &vtable,
                                     NULL, NULL, &error);
  g_assert_no_error (error);
  g_bus_own_name_on_connection (bus, "org.gtk.Notifications", G_BUS_NAME_OWNER_FLAGS_NONE,
                                notifications_owned_cb, NULL, NULL, NULL);
  g_assert_true (wg_test_wait_for (notifications_ready, NULL, 5000));
}

/* The notifications received so far, oldest first, as "ID\tTITLE\tBODY". */
GPtrArray *
wg_test_notifications (void)
{
  g_assert_nonnull (notifications);
  return notifications;
}
