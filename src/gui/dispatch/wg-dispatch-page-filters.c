/* wg-dispatch-page-filters.c — the queue's filters: village, grid, category, urgency, source,
 * assignee and when the case was reported
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The filters sit in one popover behind a "Filters" button whose badge counts those in use,
 * so the bar above the queue stays calm. The page's WgCaseFilter is the truth; the drop-downs
 * show it (set from it when a saved view is chosen) and change it when the dispatcher picks
 * something. The grid drop-down lists the chosen village's grids only. Everything ends as SQL
 * over indexed columns (wg_case_filter_where ()).
 */
#define G_LOG_DOMAIN "WgDispatchPage"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-dispatch-page-private.h"

static const char * const urgencies[] = { "urgent", "high", "normal", "low", NULL };
static const char * const sources[] = { "grid_patrol", "citizen", "hotline_12345", "staff_on_behalf", NULL };

/* The order of the date drop-down's entries: WgDateRange's. */
static const char *
range_label (WgDateRange range)
{
  switch (range)
    {
    case WG_DATE_RANGE_TODAY:
      return C_("reported", "Today");
    case WG_DATE_RANGE_LAST_7_DAYS:
      return C_("reported", "Last 7 Days");
    case WG_DATE_RANGE_LAST_30_DAYS:
      return C_("reported", "Last 30 Days");
    case WG_DATE_RANGE_CUSTOM:
      return C_("reported", "Custom Range");
    case WG_DATE_RANGE_ANY:
    default:
      return C_("reported", "Any Time");
    }
}

static char **
filter_slot (WgCaseFilter *filter,
             WgFilterKind  kind)
{
  switch (kind)
    {
    case FILTER_VILLAGE:
      return &filter->village_id;
    case FILTER_GRID:
      return &filter->grid_id;
    case FILTER_CATEGORY:
      return &filter->category_id;
    case FILTER_URGENCY:
      return &filter->urgency;
    case FILTER_SOURCE:
      return &filter->source;
    case FILTER_ASSIGNEE:
    case N_FILTERS:
    default:
      return &filter->assignee_id;
    }
}

/* Sets a drop-down's entries: @any, then a label for each of @ids. */
static void
set_choices (WgFilterChoice *choice,
             const char     *any,
             GPtrArray      *ids,
             GHashTable     *labels)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  gtk_string_list_append (list, any);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      const char *label = labels != NULL ? g_hash_table_lookup (labels, ids->pdata[i]) : NULL;

      gtk_string_list_append (list, label != NULL ? label : ids->pdata[i]);
      g_strv_builder_add (builder, ids->pdata[i]);
    }
  g_strfreev (choice->ids);
  choice->ids = g_strv_builder_end (builder);
  gtk_drop_down_set_model (choice->dropdown, G_LIST_MODEL (list));
}

static guint
position_of (WgFilterChoice *choice,
             const char     *id)
{
  for (guint i = 0; id != NULL && choice->ids != NULL && choice->ids[i] != NULL; i++)
    if (g_str_equal (choice->ids[i], id))
      return i + 1;
  return 0;
}

static void
update_badge (WgDispatchPage *self)
{
  guint active = wg_case_filter_count_active (self->filter);
  g_autofree char *text = g_strdup_printf ("%u", active);

  gtk_label_set_label (self->filters_badge, text);
  gtk_widget_set_visible (GTK_WIDGET (self->filters_badge), active > 0);
}

static void
update_date_buttons (WgDispatchPage *self)
{
  gtk_widget_set_visible (self->custom_dates, self->filter->range == WG_DATE_RANGE_CUSTOM);
  /* Translators: the start of a custom range of report dates, before one is chosen */
  gtk_menu_button_set_label (self->from_button, self->filter->from != NULL ? self->filter->from : C_("reported", "From"));
  /* Translators: the end of a custom range of report dates, before one is chosen */
  gtk_menu_button_set_label (self->to_button, self->filter->to != NULL ? self->filter->to : C_("reported", "To"));
}

/* The grids of the chosen village, or all of them. */
static void
fill_grids (WgDispatchPage *self)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();

  for (guint i = 0; self->grids != NULL && i < self->grids->len; i++)
    {
      WgGridEntry *entry = self->grids->pdata[i];

      if (self->filter->village_id == NULL || g_strcmp0 (entry->village_id, self->filter->village_id) == 0)
        g_ptr_array_add (ids, entry->id);
    }
  set_choices (&self->choices[FILTER_GRID], _("All grids"), ids, self->names);
}

static const char *
village_of_grid (WgDispatchPage *self,
                 const char     *grid_id)
{
  for (guint i = 0; self->grids != NULL && i < self->grids->len; i++)
    {
      WgGridEntry *entry = self->grids->pdata[i];

      if (g_strcmp0 (entry->id, grid_id) == 0)
        return entry->village_id;
    }
  return NULL;
}

/* Makes the drop-downs show the page's filter (the grids those of its village). */
void
_wg_dispatch_page_show_filter (WgDispatchPage *self)
{
  self->syncing_filters = TRUE;
  fill_grids (self);
  for (guint i = 0; i < N_FILTERS; i++)
    gtk_drop_down_set_selected (self->choices[i].dropdown, position_of (&self->choices[i], *filter_slot (self->filter, i)));
  gtk_drop_down_set_selected (self->date_filter, self->filter->range);
  update_date_buttons (self);
  self->syncing_filters = FALSE;
  update_badge (self);
}

/* New names from the cache: the villages, categories and assignees to choose from (the grids
 * are the page's own). A choice in use stays chosen, even while its record is not (yet) in
 * the cache. */
void
_wg_dispatch_page_fill_choices (WgDispatchPage *self,
                                GHashTable     *names,
                                GPtrArray      *villages,
                                GPtrArray      *categories,
                                GPtrArray      *assignees,
                                GHashTable     *assignee_labels)
{
  self->syncing_filters = TRUE;
  set_choices (&self->choices[FILTER_VILLAGE], _("All villages"), villages, names);
  set_choices (&self->choices[FILTER_CATEGORY], _("All categories"), categories, names);
  set_choices (&self->choices[FILTER_ASSIGNEE], _("Anyone"), assignees, assignee_labels);
  self->syncing_filters = FALSE;
  _wg_dispatch_page_show_filter (self);
}

static gboolean
show_filter_cb (gpointer data)
{
  WgDispatchPage *self = data;

  self->grids_source = 0;
  _wg_dispatch_page_show_filter (self);
  return G_SOURCE_REMOVE;
}

static void
filter_changed_cb (WgDispatchPage *self)
{
  g_autofree char *village = NULL;
  gboolean changed_village;

  if (self->syncing_filters)
    return;

  village = g_strdup (self->filter->village_id);
  for (guint i = 0; i < N_FILTERS; i++)
    {
      WgFilterChoice *choice = &self->choices[i];
      guint selected = gtk_drop_down_get_selected (choice->dropdown);
      guint n_ids = choice->ids != NULL ? g_strv_length (choice->ids) : 0;

      g_set_str (filter_slot (self->filter, i), selected > 0 && selected <= n_ids ? choice->ids[selected - 1] : NULL);
    }

  /* Another village: a grid chosen elsewhere no longer applies. The queue is asked for first
   * and drawn; the drop-down of grids is filled after. */
  changed_village = g_strcmp0 (village, self->filter->village_id) != 0;
  if (changed_village && self->filter->grid_id != NULL && self->filter->village_id != NULL &&
      g_strcmp0 (village_of_grid (self, self->filter->grid_id), self->filter->village_id) != 0)
    g_clear_pointer (&self->filter->grid_id, g_free);

  update_badge (self);
  _wg_dispatch_page_update_filter (self);
  if (changed_village && self->grids_source == 0)
    self->grids_source = g_idle_add_full (G_PRIORITY_LOW, show_filter_cb, self, NULL);
}

static void
date_changed_cb (WgDispatchPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->date_filter);

  if (self->syncing_filters || selected > WG_DATE_RANGE_CUSTOM)
    return;
  self->filter->range = selected;
  update_date_buttons (self);
  update_badge (self);
  _wg_dispatch_page_update_filter (self);
}

static void
day_selected (WgDispatchPage *self,
              GtkCalendar    *calendar,
              GtkMenuButton  *button,
              char          **slot)
{
  g_autoptr(GDateTime) day = gtk_calendar_get_date (calendar);

  if (self->syncing_filters)
    return;
  g_free (*slot);
  *slot = g_date_time_format (day, "%Y-%m-%d");
  gtk_menu_button_popdown (button);
  update_date_buttons (self);
  _wg_dispatch_page_update_filter (self);
}

static void
from_day_selected_cb (WgDispatchPage *self)
{
  day_selected (self, self->from_calendar, self->from_button, &self->filter->from);
}

static void
to_day_selected_cb (WgDispatchPage *self)
{
  day_selected (self, self->to_calendar, self->to_button, &self->filter->to);
}

static void
clear_filters_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);

  wg_case_filter_clear (self->filter);
  _wg_dispatch_page_show_filter (self);
  _wg_dispatch_page_update_filter (self);
}

/* The SQL for @view_id narrowed by @filter and @search (its FTS query in @out_query), with
 * dates counted from @now; NULL for an unknown view. */
char *
_wg_dispatch_page_build_where (WgDispatchPage     *self,
                               const char         *view_id,
                               const WgCaseFilter *filter,
                               const char         *search,
                               GDateTime          *now,
                               char              **out_query)
{
  const WgCaseView *view = wg_case_views_find (view_id);

  *out_query = NULL;
  if (view == NULL)
    return NULL;
  *out_query = wg_fts_build_query (search);
  return wg_case_filter_where (view, *out_query != NULL, filter, now);
}

void
_wg_dispatch_page_filters_init (WgDispatchPage *self)
{
  g_autoptr(GtkStringList) ranges = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) fixed = g_ptr_array_new ();
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);
  GtkDropDown *dropdowns[N_FILTERS] = {
    self->village_filter, self->grid_filter, self->category_filter,
    self->urgency_filter, self->source_filter, self->assignee_filter,
  };

  for (guint i = 0; i < N_FILTERS; i++)
    {
      self->choices[i].dropdown = dropdowns[i];
      gtk_drop_down_set_expression (dropdowns[i], gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string"));
      gtk_drop_down_set_search_match_mode (dropdowns[i], GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
    }

  self->syncing_filters = TRUE;
  set_choices (&self->choices[FILTER_VILLAGE], _("All villages"), NULL, NULL);
  set_choices (&self->choices[FILTER_GRID], _("All grids"), NULL, NULL);
  set_choices (&self->choices[FILTER_CATEGORY], _("All categories"), NULL, NULL);
  set_choices (&self->choices[FILTER_ASSIGNEE], _("Anyone"), NULL, NULL);

  for (guint i = 0; urgencies[i] != NULL; i++)
    {
      g_ptr_array_add (fixed, (gpointer) urgencies[i]);
      g_hash_table_insert (labels, (gpointer) urgencies[i], (gpointer) wg_label_urgency (urgencies[i]));
    }
  set_choices (&self->choices[FILTER_URGENCY], _("Any urgency"), fixed, labels);
  g_ptr_array_set_size (fixed, 0);
  for (guint i = 0; sources[i] != NULL; i++)
    {
      g_ptr_array_add (fixed, (gpointer) sources[i]);
      g_hash_table_insert (labels, (gpointer) sources[i], (gpointer) wg_label_source (sources[i]));
    }
  set_choices (&self->choices[FILTER_SOURCE], _("Any source"), fixed, labels);

  for (WgDateRange range = WG_DATE_RANGE_ANY; range <= WG_DATE_RANGE_CUSTOM; range++)
    gtk_string_list_append (ranges, range_label (range));
  gtk_drop_down_set_model (self->date_filter, G_LIST_MODEL (ranges));
  self->syncing_filters = FALSE;

  _wg_dispatch_page_show_filter (self);
}

void
_wg_dispatch_page_filters_dispose (WgDispatchPage *self)
{
  g_clear_handle_id (&self->grids_source, g_source_remove);
  for (guint i = 0; i < N_FILTERS; i++)
    g_clear_pointer (&self->choices[i].ids, g_strfreev);
}

void
_wg_dispatch_page_filters_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, village_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, grid_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, category_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, urgency_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, source_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, assignee_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, date_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, custom_dates);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, from_button);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, to_button);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, from_calendar);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, to_calendar);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, filters_button);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, filters_badge);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, from_day_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, to_day_selected_cb);

  gtk_widget_class_install_action (widget_class, "queue.clear-filters", NULL, clear_filters_action);
}
