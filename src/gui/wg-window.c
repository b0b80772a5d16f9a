/* wg-window.c — the main window
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sections live in one GtkStack; the sidebar is built from the stack's pages so the two can
 * never disagree. The chosen section is a property with a stateful action ("win.section"),
 * which the sidebar, the Ctrl+1…5 shortcuts and GSettings all go through.
 */
#define G_LOG_DOMAIN "WgWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-application.h"
#include "wg-window.h"
#include "wg-window-private.h"


G_DEFINE_FINAL_TYPE (WgWindow, wg_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The keyboard order of the sections: Ctrl+1 is the first. */
static const char * const section_order[] = { "map", "dispatch", "assignments", "dashboard", "tasks" };

static GtkWidget *
create_sidebar_row (GtkStackPage *page)
{
  GtkWidget *row;
  GtkWidget *box;
  GtkWidget *label;

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (gtk_stack_page_get_icon_name (page)));
  label = gtk_label_new (gtk_stack_page_get_title (page));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), label);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, gtk_stack_page_get_name (page));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, gtk_stack_page_get_title (page),
                                  -1);
  return row;
}

static void
populate_sidebar (WgWindow *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (section_order); i++)
    {
      GtkWidget *child = gtk_stack_get_child_by_name (self->stack, section_order[i]);
      GtkStackPage *page = gtk_stack_get_page (self->stack, child);

      gtk_list_box_append (self->sidebar_list, create_sidebar_row (page));
    }
}

static gboolean
is_known_section (const char *section)
{
  return section != NULL && g_strv_contains ((const char * const *) section_order, section);
}

static GtkListBoxRow *
find_sidebar_row (WgWindow   *self,
                  const char *section)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LIST_BOX_ROW (child) && g_strcmp0 (gtk_widget_get_name (child), section) == 0)
        return GTK_LIST_BOX_ROW (child);
    }

  return NULL;
}

static void
sidebar_row_activated_cb (WgWindow      *self,
                          GtkListBoxRow *row,
                          GtkListBox    *list)
{
  wg_window_set_section (self, gtk_widget_get_name (GTK_WIDGET (row)));
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);
}

/* Ctrl+F searches in the section shown, wherever the focus is: the queue's search in
 * Dispatch, the grid search on the map. */
static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WgWindow *self = WG_WINDOW (widget);
  GtkWidget *page = gtk_stack_get_visible_child (self->stack);
  GtkWidget *target;

  if (g_strcmp0 (self->section, "dispatch") == 0)
    gtk_widget_activate_action (page, "dispatch.search", NULL);
  else if (g_strcmp0 (self->section, "map") == 0 &&
           (target = gtk_widget_get_first_child (page)) != NULL)
    {
      /* The map page holds a stack whose "map" child is the map view. */
      GtkWidget *view = gtk_stack_get_child_by_name (GTK_STACK (target), "map");

      if (view != NULL)
        gtk_widget_activate_action (view, "map.search", NULL);
    }
}

static gboolean
wg_window_close_request (GtkWindow *window)
{
  WgWindow *self = WG_WINDOW (window);
  int width;
  int height;

  /* Save the size once on close rather than on every resize step. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (wg_window_parent_class)->close_request (window);
}

static void
wg_window_constructed (GObject *object)
{
  WgWindow *self = WG_WINDOW (object);

  G_OBJECT_CLASS (wg_window_parent_class)->constructed (object);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "last-section", self, "section", G_SETTINGS_BIND_DEFAULT);
}

static void
wg_window_dispose (GObject *object)
{
  WgWindow *self = WG_WINDOW (object);

  _wg_window_session_dispose (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), WG_TYPE_WINDOW);

  G_OBJECT_CLASS (wg_window_parent_class)->dispose (object);
}

static void
wg_window_finalize (GObject *object)
{
  WgWindow *self = WG_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->session);
  g_clear_pointer (&self->section, g_free);

  G_OBJECT_CLASS (wg_window_parent_class)->finalize (object);
}

static void
wg_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  WgWindow *self = WG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SECTION:
      g_value_set_string (value, self->section);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  WgWindow *self = WG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SECTION:
      wg_window_set_section (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_window_class_init (WgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = wg_window_constructed;
  object_class->dispose = wg_window_dispose;
  object_class->finalize = wg_window_finalize;
  object_class->get_property = wg_window_get_property;
  object_class->set_property = wg_window_set_property;

  window_class->close_request = wg_window_close_request;

  properties[PROP_SECTION] =
    g_param_spec_string ("section", NULL, NULL, "dispatch",
                         (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wangge/Wangge/wg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, WgWindow, split_view);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, content_page);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, stack);
  gtk_widget_class_bind_template_callback (widget_class, sidebar_row_activated_cb);

  gtk_widget_class_install_property_action (widget_class, "win.section", "section");

  _wg_window_session_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (section_order); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_CONTROL_MASK,
                                         "win.section", "s", section_order[i]);
}

static void
wg_window_init (WgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  self->settings = g_settings_new (APPLICATION_ID);
  self->section = g_strdup ("dispatch");

  populate_sidebar (self);
  /* The case detail draws where a case is with the Map section's grids. */
  wg_dispatch_page_set_grids (self->dispatch_page, wg_map_page_get_grids (self->map_page));
  gtk_stack_set_visible_child_name (self->stack, self->section);
  gtk_list_box_select_row (self->sidebar_list, find_sidebar_row (self, self->section));
}

WgWindow *
wg_window_new (WgApplication *application)
{
  WgWindow *self;

  g_return_val_if_fail (WG_IS_APPLICATION (application), NULL);

  self = g_object_new (WG_TYPE_WINDOW,
                       "application", application,
                       NULL);

  /* "application" is not a construct property, so the session is only known here. */
  _wg_window_session_init (self, wg_application_get_session (application));

  return self;
}

const char *
wg_window_get_section (WgWindow *self)
{
  g_return_val_if_fail (WG_IS_WINDOW (self), NULL);

  return self->section;
}

/* Switches to @section ("map", "dispatch", "assignments", "dashboard" or "tasks"). Unknown
 * names, say from an old settings value, fall back to the dispatch queue. */
void
wg_window_set_section (WgWindow   *self,
                       const char *section)
{
  GtkWidget *child;

  g_return_if_fail (WG_IS_WINDOW (self));

  if (!is_known_section (section))
    section = "dispatch";

  if (g_strcmp0 (self->section, section) == 0 &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), section) == 0)
    return;

  g_set_str (&self->section, section);

  gtk_stack_set_visible_child_name (self->stack, section);
  child = gtk_stack_get_visible_child (self->stack);
  adw_navigation_page_set_title (self->content_page,
                                 gtk_stack_page_get_title (gtk_stack_get_page (self->stack, child)));
  gtk_list_box_select_row (self->sidebar_list, find_sidebar_row (self, section));
  adw_navigation_split_view_set_show_content (self->split_view, TRUE);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECTION]);
}

/* Brings the case with @case_id into view in Dispatch (from a notification). */
void
wg_window_show_case (WgWindow   *self,
                     const char *case_id)
{
  g_return_if_fail (WG_IS_WINDOW (self));
  g_return_if_fail (case_id != NULL);

  wg_window_set_section (self, "dispatch");
  wg_dispatch_page_show_case (self->dispatch_page, case_id);
}
