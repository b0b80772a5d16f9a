/* wg-dispatch-page-columns.c — the queue's columns: what a cell shows, sorting, the columns
 * chosen, the live countdown and new cases pointed out
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Sorting is the record list's ORDER BY (an index each, see wg_case_sort_order_by ()); the
 * column view's own sorter only says which header was clicked. The columns shown, their
 * widths and the sort are kept in GSettings. The cells drawn are known, so the countdown in
 * the "Time Left" column is redrawn every minute in those cells alone, without touching the
 * model, and a new case's cells can be marked and unmarked the same way.
 */
#define G_LOG_DOMAIN "WgDispatchPage"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-dispatch-page-private.h"
#include "wg-labels.h"

/* How long a new case stays pointed out. */
#define FRESH_USEC (5 * G_USEC_PER_SEC)

/* In the order shown: what a dispatcher reads first comes first. */
typedef enum
{
  COLUMN_URGENCY,
  COLUMN_NUMBER,
  COLUMN_TITLE,
  COLUMN_DEADLINE,
  COLUMN_STATE,
  COLUMN_REPORTED,
  COLUMN_CATEGORY,
  COLUMN_PLACE,
  COLUMN_ASSIGNEE,
  COLUMN_SOURCE,
  N_COLUMNS
} Column;

static const struct
{
  const char *id;         /* in GSettings, in the "columns." actions and for sorting */
  const char *title;      /* C_("column", …) */
  gboolean    expand;
  int         width;
} columns[N_COLUMNS] = {
  { "urgency", NC_("column", "Urgency"), FALSE, 76 },
  { "number", NC_("column", "Number"), FALSE, 112 },
  { "title", NC_("column", "Title"), TRUE, 200 },
  { "deadline", NC_("column", "Time Left"), FALSE, 130 },
  { "state", NC_("column", "State"), FALSE, 124 },
  { "reported", NC_("column", "Reported"), FALSE, 124 },
  { "category", NC_("column", "Category"), FALSE, 110 },
  { "place", NC_("column", "Village and Grid"), FALSE, 170 },
  { "assignee", NC_("column", "Assignee"), FALSE, 110 },
  { "source", NC_("column", "Source"), FALSE, 96 },
};

/* The column view holds its columns, so the reference returned is the view's. */
static GtkColumnViewColumn *
get_column (WgDispatchPage *self,
            Column          column)
{
  GtkColumnViewColumn *found = g_list_model_get_item (gtk_column_view_get_columns (self->column_view), column);

  g_object_unref (found);
  return found;
}

/* --- what a cell shows ----------------------------------------------------------------------- */

/* A cell is one GtkInscription: it fills the cell, so a new case's mark covers its row, and
 * it is laid out without measuring its text (a queue keeps some 200 rows of cells). */
static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  GtkInscription *text = GTK_INSCRIPTION (gtk_inscription_new (NULL));

  gtk_inscription_set_xalign (text, 0);
  gtk_inscription_set_text_overflow (text, GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_add_css_class (GTK_WIDGET (text), "queue-cell");
  gtk_list_item_set_child (item, GTK_WIDGET (text));
}

static void
update_cell (WgDispatchPage *self,
             GtkListItem    *item,
             Column          column)
{
  WgRecord *record = gtk_list_item_get_item (item);
  GtkWidget *cell = gtk_list_item_get_child (item);
  g_autofree char *owned = NULL;
  const char *text = "";
  const char *state;

  if (record == NULL)
    return;
  state = wg_record_get_state (record);

  gtk_widget_remove_css_class (cell, "error");
  gtk_widget_remove_css_class (cell, "warning");
  gtk_widget_remove_css_class (cell, "dim-label");
  if (wg_record_get_id (record) != NULL && g_hash_table_contains (self->fresh, wg_record_get_id (record)))
    gtk_widget_add_css_class (cell, "fresh");
  else
    gtk_widget_remove_css_class (cell, "fresh");

  switch (column)
    {
    case COLUMN_URGENCY:
      {
        const char *urgency = wg_record_get_string (record, "urgency");

        text = wg_label_urgency (urgency);
        if (g_strcmp0 (urgency, "urgent") == 0)
          gtk_widget_add_css_class (cell, "error");
        else if (g_strcmp0 (urgency, "high") == 0)
          gtk_widget_add_css_class (cell, "warning");
      }
      break;

    case COLUMN_NUMBER:
      text = wg_record_get_string (record, "number");
      break;

    case COLUMN_CATEGORY:
      text = _wg_dispatch_page_name_of (self, wg_record_get_string (record, "category_id"));
      break;

    case COLUMN_PLACE:
      /* Translators: a case's village and grid in the queue, "马街社区 · 第3网格" */
      owned = g_strdup_printf (C_("place", "%s · %s"), _wg_dispatch_page_name_of (self, wg_record_get_string (record, "village_id")),
                               _wg_dispatch_page_name_of (self, wg_record_get_string (record, "grid_id")));
      text = owned;
      break;

    case COLUMN_TITLE:
      text = wg_record_get_string (record, "title");
      break;

    case COLUMN_SOURCE:
      text = wg_label_source (wg_record_get_string (record, "source"));
      break;

    case COLUMN_REPORTED:
      owned = wg_case_format_time (wg_record_get_column (record, WG_CASE_COLUMN_REPORTED_AT));
      text = owned;
      break;

    case COLUMN_DEADLINE:
      {
        g_autoptr(GDateTime) now = wg_case_views_now ();
        WgDeadlineState deadline = wg_case_deadline_state (state, wg_record_get_string (record, "deadline"),
                                                           now, &owned);

        text = owned;
        /* Colour and words both say it, for those who cannot tell the colours apart. */
        if (deadline == WG_DEADLINE_OVERDUE)
          gtk_widget_add_css_class (cell, "error");
        else if (deadline == WG_DEADLINE_APPROACHING)
          gtk_widget_add_css_class (cell, "warning");
      }
      break;

    case COLUMN_STATE:
      if (wg_record_get_pending (record))
        {
          /* Translators: a case's state while an action on it waits to be sent */
          owned = g_strdup_printf (_("%s (waiting to be sent)"), wg_label_case_state (state));
          text = owned;
          gtk_widget_add_css_class (cell, "dim-label");
        }
      else
        text = wg_label_case_state (state);
      break;

    case COLUMN_ASSIGNEE:
      if (wg_record_get_column (record, WG_CASE_COLUMN_ASSIGNEE_ID) != NULL)
        text = _wg_dispatch_page_name_of (self, wg_record_get_column (record, WG_CASE_COLUMN_ASSIGNEE_ID));
      break;

    case N_COLUMNS:
    default:
      g_assert_not_reached ();
    }

  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text != NULL ? text : "");
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              WgDispatchPage           *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));

  g_hash_table_insert (self->bound_cells, item, GINT_TO_POINTER (column));
  /* What a click on the cell is on (the page opens it when narrow). */
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "list-item", item);
  update_cell (self, item, column);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                WgDispatchPage           *self)
{
  g_hash_table_remove (self->bound_cells, item);
  g_object_set_data (G_OBJECT (gtk_list_item_get_child (item)), "list-item", NULL);
}

/* Redraws the cells on screen from their items (all of them, or only the countdowns): for
 * names that changed, for the minute that passed. The model is not touched. */
void
_wg_dispatch_page_refresh_cells (WgDispatchPage *self,
                                 gboolean        deadlines_only)
{
  GHashTableIter iter;
  gpointer item, column;

  g_hash_table_iter_init (&iter, self->bound_cells);
  while (g_hash_table_iter_next (&iter, &item, &column))
    if (!deadlines_only || GPOINTER_TO_INT (column) == COLUMN_DEADLINE)
      update_cell (self, item, GPOINTER_TO_INT (column));
}

/* --- the countdown, every minute ------------------------------------------------------------- */

static gboolean
tick_cb (gpointer data)
{
  WgDispatchPage *self = data;
  g_autoptr(GDateTime) now = wg_case_views_now ();
  gint64 minute = g_date_time_to_unix (now) / 60;

  self->tick_source = 0;
  if (minute != self->tick_minute)
    {
      self->tick_minute = minute;
      _wg_dispatch_page_refresh_cells (self, TRUE);
      _wg_dispatch_page_check_overdue (self);
    }
  _wg_dispatch_page_start_tick (self);
  return G_SOURCE_REMOVE;
}

/* Ticks just after each minute of the queue's clock, when a countdown's minutes change, and
 * at least every ten seconds: a timer does not count the time the computer slept, nor see the
 * clock set (the tests' clock moved), and the minute is then noticed late by ten seconds at
 * most. */
void
_wg_dispatch_page_start_tick (WgDispatchPage *self)
{
  g_autoptr(GDateTime) now = wg_case_views_now ();
  guint ms = (guint) ((60.0 - g_date_time_get_seconds (now)) * 1000) + 20;

  if (self->tick_minute == 0)
    self->tick_minute = g_date_time_to_unix (now) / 60;
  g_clear_handle_id (&self->tick_source, g_source_remove);
  self->tick_source = g_timeout_add (MIN (ms, 10000), tick_cb, self);
}

/* --- new cases ------------------------------------------------------------------------------- */

static gboolean
fresh_expired_cb (gpointer data)
{
  WgDispatchPage *self = data;
  gint64 now = g_get_monotonic_time ();
  gint64 next = G_MAXINT64;
  GHashTableIter iter;
  gpointer until;

  self->fresh_source = 0;
  g_hash_table_iter_init (&iter, self->fresh);
  while (g_hash_table_iter_next (&iter, NULL, &until))
    {
      gint64 end = *(gint64 *) until;

      if (end <= now)
        g_hash_table_iter_remove (&iter);
      else
        next = MIN (next, end);
    }
  /* The mark leaves the cells; the style sheet fades it. */
  _wg_dispatch_page_refresh_cells (self, FALSE);
  if (next != G_MAXINT64)
    self->fresh_source = g_timeout_add ((guint) ((next - now) / 1000) + 1, fresh_expired_cb, self);
  return G_SOURCE_REMOVE;
}

/* Points out the cases at @position…: a sync just brought them. Only what changed on the
 * server since the queue opened is news: not the cache catching up, nor a long burst. */
void
_wg_dispatch_page_mark_fresh (WgDispatchPage *self,
                              guint           position,
                              guint           n_items)
{
  gint64 until = g_get_monotonic_time () + FRESH_USEC;

  if (n_items > 50 || self->opened_at == NULL)
    return;
  for (guint i = position; i < position + n_items; i++)
    {
      g_autoptr(WgRecord) record = g_list_model_get_item (G_LIST_MODEL (self->cases), i);
      const char *changed = record != NULL ? wg_record_get_string (record, "updated_at") : NULL;
      g_autoptr(GDateTime) when = NULL;

      if (changed == NULL && record != NULL)
        changed = wg_record_get_string (record, "created_at");
      when = changed != NULL ? g_date_time_new_from_iso8601 (changed, NULL) : NULL;
      if (when == NULL || g_date_time_compare (when, self->opened_at) < 0 || wg_record_get_id (record) == NULL)
        continue;
      g_hash_table_insert (self->fresh, g_strdup (wg_record_get_id (record)), g_memdup2 (&until, sizeof until));
    }
  if (g_hash_table_size (self->fresh) == 0)
    return;
  if (self->fresh_source == 0)
    self->fresh_source = g_timeout_add (FRESH_USEC / 1000 + 1, fresh_expired_cb, self);
}

/* --- sorting --------------------------------------------------------------------------------- */

/* The record list follows the header last clicked; the choice is kept for the next start. */
void
_wg_dispatch_page_apply_sort (WgDispatchPage *self)
{
  GtkColumnViewSorter *sorter = GTK_COLUMN_VIEW_SORTER (gtk_column_view_get_sorter (self->column_view));
  GtkColumnViewColumn *column = gtk_column_view_sorter_get_primary_sort_column (sorter);
  gboolean descending = gtk_column_view_sorter_get_primary_sort_order (sorter) == GTK_SORT_DESCENDING;
  const char *id = column != NULL ? g_object_get_data (G_OBJECT (column), "id") : NULL;
  const char *order_by = wg_case_sort_order_by (id, descending);

  if (order_by == NULL)
    order_by = wg_case_sort_order_by ("reported", TRUE);
  if (self->cases != NULL && g_strcmp0 (wg_record_list_get_order_by (self->cases), order_by) != 0)
    {
      self->scroll_to_top = TRUE;
      wg_record_list_set_order_by (self->cases, order_by);
    }
}

static void
sorter_changed_cb (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   WgDispatchPage  *self)
{
  GtkColumnViewColumn *column = gtk_column_view_sorter_get_primary_sort_column (GTK_COLUMN_VIEW_SORTER (sorter));
  const char *id = column != NULL ? g_object_get_data (G_OBJECT (column), "id") : NULL;

  if (self->resorting)
    return;

  /* The order is one column's (its index): the header clicked before is no second key, and
   * shows no arrow. */
  if (gtk_column_view_sorter_get_n_sort_columns (GTK_COLUMN_VIEW_SORTER (sorter)) > 1)
    {
      GtkSortType order = gtk_column_view_sorter_get_primary_sort_order (GTK_COLUMN_VIEW_SORTER (sorter));
      g_autoptr(GtkColumnViewColumn) primary = g_object_ref (column);

      self->resorting = TRUE;
      gtk_column_view_sort_by_column (self->column_view, NULL, GTK_SORT_ASCENDING);
      gtk_column_view_sort_by_column (self->column_view, primary, order);
      self->resorting = FALSE;
    }

  _wg_dispatch_page_apply_sort (self);
  if (id != NULL && self->settings != NULL)
    {
      g_settings_set_string (self->settings, "queue-sort", id);
      g_settings_set_boolean (self->settings, "queue-sort-descending",
                              gtk_column_view_sorter_get_primary_sort_order (GTK_COLUMN_VIEW_SORTER (sorter)) == GTK_SORT_DESCENDING);
    }
}

/* --- columns shown and their widths ---------------------------------------------------------- */

static void
store_columns (WgDispatchPage *self)
{
  g_autoptr(GStrvBuilder) shown = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;

  for (Column c = 0; c < N_COLUMNS; c++)
    if (gtk_column_view_column_get_visible (get_column (self, c)))
      g_strv_builder_add (shown, columns[c].id);
  ids = g_strv_builder_end (shown);
  g_settings_set_strv (self->settings, "queue-columns", (const char * const *) ids);
}

static void
column_toggled_cb (GSimpleAction  *action,
                   GVariant       *state,
                   WgDispatchPage *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (action), "column"));
  gboolean visible = g_variant_get_boolean (state);
  guint n_visible = 0;

  for (Column c = 0; c < N_COLUMNS; c++)
    n_visible += gtk_column_view_column_get_visible (get_column (self, c));
  /* The last column stays: an empty table would look broken. */
  if (!visible && n_visible <= 1)
    return;

  g_simple_action_set_state (action, state);
  gtk_column_view_column_set_visible (get_column (self, column), visible);
  store_columns (self);
}

static gboolean
store_widths_cb (gpointer data)
{
  WgDispatchPage *self = data;
  GVariantBuilder builder;

  self->widths_source = 0;
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{si}"));
  for (Column c = 0; c < N_COLUMNS; c++)
    {
      int width = gtk_column_view_column_get_fixed_width (get_column (self, c));

      if (width > 0 && width != columns[c].width)
        g_variant_builder_add (&builder, "{si}", columns[c].id, width);
    }
  g_settings_set_value (self->settings, "queue-column-widths", g_variant_builder_end (&builder));
  return G_SOURCE_REMOVE;
}

/* A column being dragged wider changes its width many times a second: keep the last. */
static void
width_changed_cb (WgDispatchPage *self)
{
  g_clear_handle_id (&self->widths_source, g_source_remove);
  self->widths_source = g_timeout_add (400, store_widths_cb, self);
}

static GMenuModel *
build_columns_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  for (Column c = 0; c < N_COLUMNS; c++)
    {
      g_autofree char *action = g_strconcat ("columns.", columns[c].id, NULL);

      g_menu_append (section, g_dpgettext2 (NULL, "column", columns[c].title), action);
    }
  g_menu_append_section (menu, _("Columns"), G_MENU_MODEL (section));
  return G_MENU_MODEL (menu);
}

void
_wg_dispatch_page_columns_init (WgDispatchPage *self)
{
  g_auto(GStrv) shown = g_settings_get_strv (self->settings, "queue-columns");
  g_autoptr(GVariant) widths = g_settings_get_value (self->settings, "queue-column-widths");
  g_autofree char *sort = g_settings_get_string (self->settings, "queue-sort");
  g_autoptr(GMenuModel) header_menu = build_columns_menu ();
  gboolean any_shown = FALSE;

  self->bound_cells = g_hash_table_new (NULL, NULL);
  self->fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->column_actions = g_simple_action_group_new ();

  for (Column c = 0; c < N_COLUMNS; c++)
    any_shown |= g_strv_contains ((const char * const *) shown, columns[c].id);

  for (Column c = 0; c < N_COLUMNS; c++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      g_autoptr(GSimpleAction) action = NULL;
      gboolean visible = !any_shown || g_strv_contains ((const char * const *) shown, columns[c].id);
      int width = columns[c].width;

      g_variant_lookup (widths, columns[c].id, "i", &width);
      g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (c));
      g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
      g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cell_cb), self, 0);
      g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_cell_cb), self, 0);
      column = gtk_column_view_column_new (g_dpgettext2 (NULL, "column", columns[c].title), factory);
      g_object_set_data (G_OBJECT (column), "id", (gpointer) columns[c].id);
      gtk_column_view_column_set_id (column, columns[c].id);
      gtk_column_view_column_set_expand (column, columns[c].expand);
      gtk_column_view_column_set_resizable (column, TRUE);
      gtk_column_view_column_set_fixed_width (column, MAX (width, 32));
      gtk_column_view_column_set_visible (column, visible);
      gtk_column_view_column_set_header_menu (column, header_menu);
      /* Only a header click: the order itself is SQL. */
      if (wg_case_sort_order_by (columns[c].id, FALSE) != NULL)
        gtk_column_view_column_set_sorter (column, GTK_SORTER (gtk_custom_sorter_new (NULL, NULL, NULL)));
      g_signal_connect_object (column, "notify::fixed-width", G_CALLBACK (width_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_column_view_append_column (self->column_view, column);

      action = g_simple_action_new_stateful (columns[c].id, NULL, g_variant_new_boolean (visible));
      g_object_set_data (G_OBJECT (action), "column", GINT_TO_POINTER (c));
      g_signal_connect_object (action, "change-state", G_CALLBACK (column_toggled_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->column_actions), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "columns", G_ACTION_GROUP (self->column_actions));

  for (Column c = 0; c < N_COLUMNS; c++)
    if (g_str_equal (columns[c].id, sort) && wg_case_sort_order_by (sort, FALSE) != NULL)
      gtk_column_view_sort_by_column (self->column_view, get_column (self, c),
                                      g_settings_get_boolean (self->settings, "queue-sort-descending")
                                      ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (sorter_changed_cb), self, 0);
}

void
_wg_dispatch_page_columns_dispose (WgDispatchPage *self)
{
  /* The columns go with the template: their going is no change of sort or width. */
  if (self->column_view != NULL)
    {
      GListModel *list = gtk_column_view_get_columns (self->column_view);

      g_signal_handlers_disconnect_by_data (gtk_column_view_get_sorter (self->column_view), self);
      for (guint i = 0; i < g_list_model_get_n_items (list); i++)
        {
          g_autoptr(GObject) column = g_list_model_get_item (list, i);

          g_signal_handlers_disconnect_by_data (column, self);
        }
    }
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->fresh_source, g_source_remove);
  if (self->widths_source != 0)
    {
      g_clear_handle_id (&self->widths_source, g_source_remove);
      store_widths_cb (self);
    }
  g_clear_object (&self->column_actions);
  g_clear_pointer (&self->bound_cells, g_hash_table_unref);
  g_clear_pointer (&self->fresh, g_hash_table_unref);
}
