/* wg-new-case-dialog.c — a case taken by phone (来电代录)
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dispatcher types while the caller talks: what happened, its category and urgency, the
 * grid (found by typing part of its name or code, or by a click on the small map, which also
 * marks the location) and the address, who called and on which number. The report is what
 * POST /api/v1/cases takes (source "staff_on_behalf", or the 12345 hotline; the marked point as
 * its GeoJSON "location"), with an id chosen here so the queue can show the case once the
 * server has it. It goes through the outbox like every action, so a case taken while offline
 * is filed when the link returns.
 */
#define G_LOG_DOMAIN "WgNewCaseDialog"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "wg-case-map.h"
#include "wg-case-views.h"
#include "wg-map-grid.h"
#include "wg-new-case-dialog.h"

struct _WgNewCaseDialog
{
  AdwDialog    parent_instance;

  /* Children */
  GtkButton   *confirm;
  AdwEntryRow *title;
  AdwComboRow *category;
  AdwComboRow *urgency;
  GtkTextView *description;
  AdwComboRow *grid;
  AdwEntryRow *address;
  AdwEntryRow *caller;
  AdwEntryRow *phone;
  AdwComboRow *source;
  GtkLabel    *hint;
  WgCaseMap   *map;
  GtkWidget   *map_box;
  GtkLabel    *map_hint;
  GtkWidget   *unmark;

  /* Owned */
  GPtrArray   *category_ids;   /* behind the category row's entries, after "not chosen" */
  GPtrArray   *category_urgencies;
  GPtrArray   *grid_ids;
  GListStore  *map_grids;      /* WgMapGrid: the grids with a boundary */
  double       lon;            /* marked on the map; NAN when not */
  double       lat;
  gboolean     urgency_chosen; /* by the person; else it follows the category */
  gboolean     setting_urgency;
  gboolean     setting_grid;   /* from a click on the map */
  gboolean     filed;
};

G_DEFINE_FINAL_TYPE (WgNewCaseDialog, wg_new_case_dialog, ADW_TYPE_DIALOG)

enum {
  FILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const urgencies[] = { "urgent", "high", "normal", "low" };
#define NORMAL_URGENCY 2

static const char * const sources[] = { "staff_on_behalf", "hotline_12345" };

/* --- input ----------------------------------------------------------------------------------- */

static char *
text_of (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* What the server takes as a phone number: digits with the usual separators. */
static gboolean
phone_is_valid (const char *phone)
{
  gsize length = strlen (phone);

  if (length < 3 || length > 32)
    return FALSE;
  for (const char *p = phone; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr ("+- ()", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* What stops the case from being filed, in words, or NULL. @error says whether it is a
 * mistake (red) rather than something not yet filled in. */
static const char *
problem (WgNewCaseDialog *self,
         gboolean        *error)
{
  g_autofree char *title = text_of (self->title);
  g_autofree char *address = text_of (self->address);
  g_autofree char *caller = text_of (self->caller);
  g_autofree char *phone = text_of (self->phone);

  *error = TRUE;
  if (g_utf8_strlen (title, -1) > 200)
    return _("The summary is too long: keep it under 200 characters and put the rest in the description.");
  if (g_utf8_strlen (address, -1) > 300)
    return _("The address is too long: keep it under 300 characters.");
  if (g_utf8_strlen (caller, -1) > 100)
    return _("The caller’s name is too long: keep it under 100 characters.");
  if (phone[0] != '\0' && !phone_is_valid (phone))
    return _("A phone number is 3 to 32 digits, spaces, +, - and brackets.");

  *error = FALSE;
  if (title[0] == '\0')
    return _("Write a short summary of what the caller reports.");
  if (adw_combo_row_get_selected (self->category) == 0 ||
      adw_combo_row_get_selected (self->category) == GTK_INVALID_LIST_POSITION)
    return _("Choose the category.");
  if (adw_combo_row_get_selected (self->grid) == 0 ||
      adw_combo_row_get_selected (self->grid) == GTK_INVALID_LIST_POSITION)
    return _("Choose the grid where it happens: type part of its name or code.");
  return NULL;
}

static void
update (WgNewCaseDialog *self)
{
  gboolean error = FALSE;
  const char *why = problem (self, &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm), why == NULL);
  gtk_label_set_label (self->hint, why != NULL ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint), why != NULL);
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->hint), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->hint), "dim-label");
    }
}

/* --- signal callbacks ------------------------------------------------------------------------ */

static void
changed_cb (WgNewCaseDialog *self)
{
  update (self);
}

/* The urgency follows the category's usual one until the dispatcher sets it. */
static void
category_changed_cb (WgNewCaseDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->category);
  const char *urgency = selected > 0 && selected <= self->category_urgencies->len
    ? self->category_urgencies->pdata[selected - 1] : NULL;

  if (!self->urgency_chosen)
    {
      self->setting_urgency = TRUE;
      adw_combo_row_set_selected (self->urgency, NORMAL_URGENCY);
      for (guint i = 0; urgency != NULL && i < G_N_ELEMENTS (urgencies); i++)
        if (g_str_equal (urgency, urgencies[i]))
          adw_combo_row_set_selected (self->urgency, i);
      self->setting_urgency = FALSE;
    }
  update (self);
}

static void
urgency_changed_cb (WgNewCaseDialog *self)
{
  if (!self->setting_urgency)
    self->urgency_chosen = TRUE;
}

/* --- the map ------------------------------------------------------------------------------- */

static const char *
selected_grid_id (WgNewCaseDialog *self)
{
  guint selected = adw_combo_row_get_selected (self->grid);

  return selected > 0 && selected != GTK_INVALID_LIST_POSITION && selected <= self->grid_ids->len
    ? self->grid_ids->pdata[selected - 1] : NULL;
}

static WgMapGrid *
find_map_grid (WgNewCaseDialog *self,
               const char      *id)
{
  for (guint i = 0; id != NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->map_grids)); i++)
    {
      g_autoptr(WgMapGrid) grid = g_list_model_get_item (G_LIST_MODEL (self->map_grids), i);

      if (g_strcmp0 (wg_map_grid_get_id (grid), id) == 0)
        return g_steal_pointer (&grid);
    }
  return NULL;
}

/* What the line under the map says: how to use it, where the mark is, or why a click did
 * nothing (@outside). */
static void
set_map_hint (WgNewCaseDialog *self,
              gboolean         outside)
{
  g_autoptr(WgMapGrid) grid = NULL;
  g_autofree char *text = NULL;

  if (outside)
    text = g_strdup (_("This point is outside the township’s grids: click inside a grid, or choose the grid above."));
  else if (!isnan (self->lon) && (grid = find_map_grid (self, selected_grid_id (self))) != NULL)
    /* Translators: under the new case's map once a place is marked; %s is the grid's name */
    text = g_strdup_printf (_("Marked in %s. Click again to move the mark."), wg_map_grid_get_name (grid));
  else
    text = g_strdup (_("Or click the map where it happens: the grid is chosen for you and the case gets that location."));

  gtk_label_set_label (self->map_hint, text);
  gtk_widget_set_visible (self->unmark, !isnan (self->lon));
  if (outside)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->map_hint), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->map_hint), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->map_hint), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->map_hint), "dim-label");
    }
}

/* A click or tap on the map: the grid it falls in is chosen, and the case gets the point. */
static void
picked_cb (WgNewCaseDialog *self,
           double           lon,
           double           lat)
{
  g_autoptr(WgMapGrid) grid = wg_case_map_find_grid (self->map, lon, lat);
  guint index;

  if (grid == NULL || !g_ptr_array_find_with_equal_func (self->grid_ids, wg_map_grid_get_id (grid), g_str_equal, &index))
    {
      set_map_hint (self, TRUE);
      return;
    }

  self->lon = lon;
  self->lat = lat;
  self->setting_grid = TRUE;
  adw_combo_row_set_selected (self->grid, index + 1);
  self->setting_grid = FALSE;
  wg_case_map_show_point (self->map, wg_map_grid_get_id (grid), lon, lat);
  set_map_hint (self, FALSE);
  update (self);
}

/* The grid chosen by name: a mark in another grid no longer holds; the map goes to the grid. */
static void
grid_changed_cb (WgNewCaseDialog *self)
{
  const char *id = selected_grid_id (self);

  if (!self->setting_grid)
    {
      g_autoptr(WgMapGrid) grid = find_map_grid (self, id);
      WgPolygon *boundary = grid != NULL ? wg_map_grid_get_boundary (grid) : NULL;

      if (!isnan (self->lon) && (boundary == NULL || !wg_polygon_contains (boundary, self->lon, self->lat)))
        self->lon = self->lat = NAN;
      wg_case_map_show_point (self->map, id, self->lon, self->lat);
      wg_case_map_frame (self->map);
      set_map_hint (self, FALSE);
    }
  update (self);
}

static void
unmark_cb (WgNewCaseDialog *self)
{
  self->lon = self->lat = NAN;
  wg_case_map_show_point (self->map, selected_grid_id (self), NAN, NAN);
  set_map_hint (self, FALSE);
  gtk_widget_grab_focus (GTK_WIDGET (self->address));
}

static void
confirm_cb (WgNewCaseDialog *self)
{
  g_autoptr(JsonObject) report = NULL;

  if (self->filed)
    return;
  if ((report = wg_new_case_dialog_dup_report (self)) == NULL)
    {
      update (self);
      return;
    }
  self->filed = TRUE;   /* once, whether by Enter or the button */
  g_signal_emit (self, signals[FILED], 0, report);
  adw_dialog_close (ADW_DIALOG (self));
}

static void
cancel_cb (WgNewCaseDialog *self)
{
  adw_dialog_close (ADW_DIALOG (self));
}

/* Ctrl+Enter files from the description, where Enter starts a new line. */
static gboolean
description_key_cb (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    WgNewCaseDialog       *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && (state & GDK_CONTROL_MASK) != 0)
    {
      confirm_cb (self);
      return TRUE;
    }
  return FALSE;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_new_case_dialog_finalize (GObject *object)
{
  WgNewCaseDialog *self = WG_NEW_CASE_DIALOG (object);

  g_clear_pointer (&self->category_ids, g_ptr_array_unref);
  g_clear_pointer (&self->category_urgencies, g_ptr_array_unref);
  g_clear_pointer (&self->grid_ids, g_ptr_array_unref);
  g_clear_object (&self->map_grids);

  G_OBJECT_CLASS (wg_new_case_dialog_parent_class)->finalize (object);
}

static void
wg_new_case_dialog_class_init (WgNewCaseDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_new_case_dialog_finalize;

  /**
   * WgNewCaseDialog::filed:
   * @report: the report, as POST /api/v1/cases takes it
   */
  signals[FILED] =
    g_signal_new ("filed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static AdwEntryRow *
add_entry (WgNewCaseDialog *self,
           GtkWidget       *group,
           const char      *title,
           const char      *name)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (GTK_WIDGET (row), name);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (confirm_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (row));
  return row;
}

static AdwComboRow *
add_combo (WgNewCaseDialog *self,
           GtkWidget       *group,
           const char      *title,
           const char      *name,
           gboolean         search)
{
  AdwComboRow *row = ADW_COMBO_ROW (adw_combo_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (GTK_WIDGET (row), name);
  if (search)
    {
      adw_combo_row_set_expression (row, gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
      adw_combo_row_set_enable_search (row, TRUE);
      adw_combo_row_set_search_match_mode (row, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
    }
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (row));
  return row;
}

static void
wg_new_case_dialog_init (WgNewCaseDialog *self)
{
  GtkWidget *toolbar = adw_toolbar_view_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *matter = adw_preferences_group_new ();
  GtkWidget *said = adw_preferences_group_new ();
  GtkWidget *place = adw_preferences_group_new ();
  GtkWidget *who = adw_preferences_group_new ();
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *map_line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  g_autoptr(GtkStringList) urgency_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) source_labels = gtk_string_list_new (NULL);
  GtkEventController *key = gtk_event_controller_key_new ();

  self->category_ids = g_ptr_array_new_with_free_func (g_free);
  self->category_urgencies = g_ptr_array_new_with_free_func (g_free);
  self->grid_ids = g_ptr_array_new_with_free_func (g_free);
  self->map_grids = g_list_store_new (WG_TYPE_MAP_GRID);
  self->lon = self->lat = NAN;

  adw_dialog_set_title (ADW_DIALOG (self), _("New Case by Phone"));
  adw_dialog_set_content_width (ADW_DIALOG (self), 560);
  adw_dialog_set_content_height (ADW_DIALOG (self), 720);

  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->confirm = GTK_BUTTON (gtk_button_new_with_label (_("File Case")));
  gtk_widget_set_name (GTK_WIDGET (self->confirm), "confirm");
  gtk_widget_add_css_class (GTK_WIDGET (self->confirm), "suggested-action");
  g_signal_connect_swapped (self->confirm, "clicked", G_CALLBACK (confirm_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->confirm));

  /* What happened */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (matter), _("What Happened"));
  self->title = add_entry (self, matter, _("Summary"), "case-title");
  self->category = add_combo (self, matter, _("Category"), "case-category", TRUE);
  g_signal_connect_swapped (self->category, "notify::selected", G_CALLBACK (category_changed_cb), self);
  self->urgency = add_combo (self, matter, _("Urgency"), "case-urgency", FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (urgencies); i++)
    gtk_string_list_append (urgency_labels, wg_label_urgency (urgencies[i]));
  adw_combo_row_set_model (self->urgency, G_LIST_MODEL (urgency_labels));
  adw_combo_row_set_selected (self->urgency, NORMAL_URGENCY);
  g_signal_connect_swapped (self->urgency, "notify::selected", G_CALLBACK (urgency_changed_cb), self);

  self->description = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_widget_set_name (GTK_WIDGET (self->description), "case-description");
  gtk_text_view_set_wrap_mode (self->description, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->description, 8);
  gtk_text_view_set_bottom_margin (self->description, 8);
  gtk_text_view_set_left_margin (self->description, 10);
  gtk_text_view_set_right_margin (self->description, 10);
  gtk_widget_set_size_request (GTK_WIDGET (self->description), -1, 88);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->description), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Description"), -1);
  g_signal_connect (key, "key-pressed", G_CALLBACK (description_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->description), key);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->description));
  gtk_widget_add_css_class (frame, "view");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (said), C_("new case", "Description"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (said), _("What the caller says, in their words. Ctrl+Enter files the case."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (said), frame);

  /* Where */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (place), _("Where"));
  self->grid = add_combo (self, place, _("Grid"), "case-grid", TRUE);
  /* Under the title, where a grid's name and its long code fit even when narrow. */
  adw_combo_row_set_use_subtitle (self->grid, TRUE);
  g_signal_connect_swapped (self->grid, "notify::selected", G_CALLBACK (grid_changed_cb), self);
  self->address = add_entry (self, place, _("Address"), "case-address");

  /* The map, under the rows: optional, out of the keyboard's way (the grid row does the same). */
  self->map = WG_CASE_MAP (wg_case_map_new ());
  gtk_widget_set_name (GTK_WIDGET (self->map), "new-case-map");
  gtk_widget_add_css_class (GTK_WIDGET (self->map), "card");
  gtk_widget_set_overflow (GTK_WIDGET (self->map), GTK_OVERFLOW_HIDDEN);
  gtk_widget_set_size_request (GTK_WIDGET (self->map), -1, 220);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->map), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Map of the grids: click where it happens"), -1);
  wg_case_map_set_pickable (self->map, TRUE);
  wg_case_map_set_grids (self->map, G_LIST_MODEL (self->map_grids));
  g_signal_connect_swapped (self->map, "picked", G_CALLBACK (picked_cb), self);

  self->map_hint = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->map_hint), "new-case-map-hint");
  gtk_label_set_wrap (self->map_hint, TRUE);
  gtk_label_set_wrap_mode (self->map_hint, PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (self->map_hint, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->map_hint), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->map_hint), "caption");
  self->unmark = gtk_button_new_with_mnemonic (_("_Remove Mark"));
  gtk_widget_set_name (self->unmark, "new-case-unmark");
  gtk_widget_set_valign (self->unmark, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->unmark, "flat");
  g_signal_connect_swapped (self->unmark, "clicked", G_CALLBACK (unmark_cb), self);
  gtk_box_append (GTK_BOX (map_line), GTK_WIDGET (self->map_hint));
  gtk_box_append (GTK_BOX (map_line), self->unmark);

  self->map_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_margin_top (self->map_box, 12);
  gtk_box_append (GTK_BOX (self->map_box), GTK_WIDGET (self->map));
  gtk_box_append (GTK_BOX (self->map_box), map_line);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (place), self->map_box);
  set_map_hint (self, FALSE);

  /* Who called */
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (who), _("Caller"));
  self->caller = add_entry (self, who, C_("caller", "Name"), "caller-name");
  self->phone = add_entry (self, who, _("Phone"), "caller-phone");
  adw_entry_row_set_input_purpose (self->phone, GTK_INPUT_PURPOSE_PHONE);
  self->source = add_combo (self, who, _("Called"), "case-source", FALSE);
  gtk_string_list_append (source_labels, _("The command center"));
  gtk_string_list_append (source_labels, _("The 12345 hotline"));
  adw_combo_row_set_model (self->source, G_LIST_MODEL (source_labels));

  self->hint = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->hint), "new-case-hint");
  gtk_label_set_wrap (self->hint, TRUE);
  gtk_label_set_xalign (self->hint, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->hint), 12);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (who), GTK_WIDGET (self->hint));

  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (matter));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (said));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (place));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (who));

  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), header);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), page);
  adw_dialog_set_child (ADW_DIALOG (self), toolbar);
  adw_dialog_set_focus (ADW_DIALOG (self), GTK_WIDGET (self->title));
  adw_dialog_set_default_widget (ADW_DIALOG (self), GTK_WIDGET (self->confirm));
}

static int
compare_by_name (gconstpointer a,
                 gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;

  return g_utf8_collate (json_object_get_string_member_with_default (x, "name", ""),
                         json_object_get_string_member_with_default (y, "name", ""));
}

static int
compare_by_code (gconstpointer a,
                 gconstpointer b)
{
  JsonObject *x = *(JsonObject **) a;
  JsonObject *y = *(JsonObject **) b;

  return g_strcmp0 (json_object_get_string_member_with_default (x, "code", ""),
                    json_object_get_string_member_with_default (y, "code", ""));
}

/* --- public ---------------------------------------------------------------------------------- */

/* Categories and grids are offered from @store. */
WgNewCaseDialog *
wg_new_case_dialog_new (WgStore *store)
{
  WgNewCaseDialog *self;
  g_autoptr(GPtrArray) categories = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GtkStringList) category_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) grid_labels = gtk_string_list_new (NULL);

  g_return_val_if_fail (WG_IS_STORE (store), NULL);

  self = g_object_new (WG_TYPE_NEW_CASE_DIALOG, NULL);

  gtk_string_list_append (category_labels, C_("category", "Not chosen"));
  categories = wg_store_list_records (store, "categories", NULL);
  if (categories != NULL)
    {
      g_ptr_array_sort (categories, compare_by_name);
      for (guint i = 0; i < categories->len; i++)
        {
          JsonObject *category = categories->pdata[i];

          if (!json_object_get_boolean_member_with_default (category, "active", TRUE) ||
              !json_object_has_member (category, "id") || !json_object_has_member (category, "name"))
            continue;
          gtk_string_list_append (category_labels, json_object_get_string_member (category, "name"));
          g_ptr_array_add (self->category_ids, g_strdup (json_object_get_string_member (category, "id")));
          g_ptr_array_add (self->category_urgencies,
                           g_strdup (json_object_get_string_member_with_default (category, "default_urgency", "normal")));
        }
    }
  adw_combo_row_set_model (self->category, G_LIST_MODEL (category_labels));
  adw_combo_row_set_selected (self->category, 0);

  gtk_string_list_append (grid_labels, C_("grid", "Not chosen"));
  grids = wg_store_list_records (store, "grids", NULL);
  if (grids != NULL)
    {
      g_ptr_array_sort (grids, compare_by_code);
      for (guint i = 0; i < grids->len; i++)
        {
          JsonObject *grid = grids->pdata[i];
          g_autofree char *label = NULL;
          g_autoptr(WgPolygon) polygon = NULL;
          JsonNode *boundary;

          if (!json_object_has_member (grid, "id") || !json_object_has_member (grid, "name"))
            continue;
          /* Translators: a grid in the new case's grid list: its name and its code */
          label = g_strdup_printf (C_("grid", "%s · %s"), json_object_get_string_member (grid, "name"),
                                   json_object_get_string_member_with_default (grid, "code", ""));
          gtk_string_list_append (grid_labels, label);
          g_ptr_array_add (self->grid_ids, g_strdup (json_object_get_string_member (grid, "id")));

          /* On the map, the grids whose boundaries the cache has, as the Map section draws them. */
          if ((boundary = json_object_get_member (grid, "boundary")) != NULL &&
              (polygon = wg_polygon_new_from_json (boundary, NULL)) != NULL)
            {
              g_autoptr(WgMapGrid) map_grid =
                wg_map_grid_new (json_object_get_string_member (grid, "id"),
                                 json_object_get_string_member_with_default (grid, "code", NULL),
                                 json_object_get_string_member (grid, "name"),
                                 json_object_get_string_member_with_default (grid, "village_id", NULL),
                                 polygon);

              g_list_store_append (self->map_grids, map_grid);
            }
        }
    }
  adw_combo_row_set_model (self->grid, G_LIST_MODEL (grid_labels));
  adw_combo_row_set_selected (self->grid, 0);
  /* Without boundaries there is nothing to click on: the grid is chosen by name alone. */
  gtk_widget_set_visible (self->map_box, g_list_model_get_n_items (G_LIST_MODEL (self->map_grids)) > 0);

  self->urgency_chosen = FALSE;
  update (self);
  return self;
}

/* The report as POST /api/v1/cases takes it, or NULL while something is missing. */
JsonObject *
wg_new_case_dialog_dup_report (WgNewCaseDialog *self)
{
  g_autoptr(JsonObject) report = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *address = NULL;
  g_autofree char *caller = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *description = NULL;
  GtkTextIter start, end;
  gboolean error;
  guint category, grid, urgency, source;

  g_return_val_if_fail (WG_IS_NEW_CASE_DIALOG (self), NULL);

  if (problem (self, &error) != NULL)
    return NULL;

  category = adw_combo_row_get_selected (self->category);
  grid = adw_combo_row_get_selected (self->grid);
  urgency = adw_combo_row_get_selected (self->urgency);
  source = adw_combo_row_get_selected (self->source);
  title = text_of (self->title);
  address = text_of (self->address);
  caller = text_of (self->caller);
  phone = text_of (self->phone);
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (self->description), &start, &end);
  description = g_strstrip (gtk_text_buffer_get_text (gtk_text_view_get_buffer (self->description), &start, &end, FALSE));

  report = json_object_new ();
  id = g_uuid_string_random ();
  json_object_set_string_member (report, "id", id);
  json_object_set_string_member (report, "source", sources[source < G_N_ELEMENTS (sources) ? source : 0]);
  json_object_set_string_member (report, "title", title);
  json_object_set_string_member (report, "category_id", self->category_ids->pdata[category - 1]);
  json_object_set_string_member (report, "urgency", urgencies[urgency < G_N_ELEMENTS (urgencies) ? urgency : NORMAL_URGENCY]);
  json_object_set_string_member (report, "grid_id", self->grid_ids->pdata[grid - 1]);
  if (!isnan (self->lon))
    {
      JsonObject *location = json_object_new ();
      JsonArray *coordinates = json_array_new ();

      /* GeoJSON order, to about a centimetre */
      json_array_add_double_element (coordinates, round (self->lon * 1e7) / 1e7);
      json_array_add_double_element (coordinates, round (self->lat * 1e7) / 1e7);
      json_object_set_string_member (location, "type", "Point");
      json_object_set_array_member (location, "coordinates", coordinates);
      json_object_set_object_member (report, "location", location);
    }
  if (address[0] != '\0')
    json_object_set_string_member (report, "address", address);
  if (description[0] != '\0')
    json_object_set_string_member (report, "description", description);
  if (caller[0] != '\0' || phone[0] != '\0')
    {
      JsonObject *reporter = json_object_new ();

      if (caller[0] != '\0')
        json_object_set_string_member (reporter, "name", caller);
      if (phone[0] != '\0')
        json_object_set_string_member (reporter, "phone", phone);
      json_object_set_object_member (report, "reporter", reporter);
    }
  return g_steal_pointer (&report);
}
