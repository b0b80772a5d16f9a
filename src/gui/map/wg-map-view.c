/* wg-map-view.c — the grid map: the township's grids on a map, coloured by a metric, details on click
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ShumateMap with, from the bottom: an optional base map (XYZ/WMTS tiles or MBTiles, as a
 * ShumateMapLayer) and its optional annotation overlay, then the grid layer, then the case
 * markers. Without a base map the viewport's reference source is a blank one, so the map
 * works offline as a neutral background with the grids. Over the map: search, the metric and
 * case chooser, the legend, scale and attribution; the clicked grid's details in a side panel,
 * with its open cases as links to Dispatch. The view holds no data of its own: it shows the
 * GListModel of WgMapGrid and the array of case markers it is given and follows their changes.
 */
#define G_LOG_DOMAIN "WgMapView"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-blank-map-source.h"
#include "wg-map-enums.h"
#include "wg-map-legend.h"
#include "wg-map-view.h"
#include "wg-tile-source.h"

/* From the map's own GResource (compiled with --manual-register, see meson.build). */
void wg_map_register_resource (void);

/* Flying to a grid frames it in about a third of the view, never closer than street level. */
#define FLY_TO_MAX_ZOOM 17.0
/* How much of the metric's colours the grids keep over a base map. */
#define BASE_MAP_FILL_OPACITY 0.55
/* The panel lists this many of a grid's open cases, the most pressing first. */
#define MAX_CASE_ROWS 30

struct _WgMapView
{
  GtkWidget           parent_instance;

  /* Template widgets */
  AdwOverlaySplitView *split_view;
  ShumateMap          *map;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *metric_dropdown;
  GtkDropDown         *cases_dropdown;
  GtkLabel            *base_map_error;
  WgMapLegend         *legend;
  ShumateScale        *scale;
  ShumateLicense      *license;
  AdwWindowTitle      *panel_title;
  AdwActionRow        *name_row;
  AdwActionRow        *code_row;
  AdwActionRow        *village_row;
  AdwActionRow        *group_row;
  AdwActionRow        *households_row;
  AdwActionRow        *population_row;
  AdwActionRow        *party_branch_row;
  AdwActionRow        *institutions_row;
  AdwActionRow        *open_row;
  AdwActionRow        *overdue_row;
  AdwActionRow        *week_row;
  AdwActionRow        *month_row;
  AdwActionRow        *workers_row;
  AdwActionRow        *cadres_row;
  AdwPreferencesGroup *people_group;
  GPtrArray           *people_rows;    /* rows added to people_group */
  AdwPreferencesGroup *open_cases_group;
  GPtrArray           *case_rows;      /* rows added to open_cases_group */
  char                *case_rows_signature; /* what they show */

  /* Owned */
  WgGridLayer         *layer;
  WgCaseLayer         *case_layer;
  GArray              *markers;        /* WgCaseMarker: what the store has for the filter */
  WgMapCases           cases;
  ShumateMapSource    *blank_source;
  ShumateMapSource    *base_source;
  ShumateMapLayer     *base_layer;
  ShumateMapSource    *overlay_source;
  ShumateMapLayer     *overlay_layer;
  WgTileSource        *base_tiles;     /* the sources' tile fetchers, watched for errors */
  WgTileSource        *overlay_tiles;
  char                *base_map_problem;
  WgMapGrid           *panel_grid;
  gulong               panel_notify_id;
  guint                fit_tick_id;
  guint                nudge_tick_id;
  guint                nudge_frames;
};

G_DEFINE_FINAL_TYPE (WgMapView, wg_map_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRIDS,
  PROP_METRIC,
  PROP_CASES,
  PROP_SELECTED_GRID,
  N_PROPS
};

enum {
  GRID_ACTIVATED,
  CASE_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- helpers --------------------------------------------------------------------------------- */

static void
set_count (AdwActionRow *row,
           int           value)
{
  g_autofree char *text = value >= 0 ? g_strdup_printf ("%d", value) : g_strdup (_("Unknown"));

  adw_action_row_set_subtitle (row, text);
}

static void
set_text (AdwActionRow *row,
          const char   *value)
{
  adw_action_row_set_subtitle (row, value != NULL && *value != '\0' ? value : _("Unknown"));
}

static void
set_lines (AdwActionRow       *row,
           const char * const *lines)
{
  g_autofree char *text = lines != NULL && lines[0] != NULL ? g_strjoinv ("\n", (char **) lines) : NULL;

  set_text (row, text);
}

static int
compare_markers (gconstpointer a,
                 gconstpointer b)
{
  return wg_case_marker_compare (*(const WgCaseMarker * const *) a, *(const WgCaseMarker * const *) b);
}

/* The grid's open cases, most pressing first, each a link to the case in Dispatch. */
static void
fill_cases (WgMapView *self)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *grid_id = wg_map_grid_get_id (self->panel_grid);
  g_autoptr(GString) signature = g_string_new (grid_id);

  for (guint i = 0; self->markers != NULL && i < self->markers->len; i++)
    {
      WgCaseMarker *marker = &g_array_index (self->markers, WgCaseMarker, i);

      if (marker->group != WG_MARKER_CLOSED && g_strcmp0 (marker->grid_id, grid_id) == 0)
        g_ptr_array_add (open, marker);
    }
  g_ptr_array_sort (open, compare_markers);

  /* The cases reload at every change in the cache; rows only change with what they show, so
   * a sync elsewhere in the township leaves the list (and the focus in it) alone. */
  for (guint i = 0; i < open->len && i < MAX_CASE_ROWS; i++)
    {
      WgCaseMarker *marker = open->pdata[i];
      g_autofree char *described = wg_case_marker_describe (marker, now);

      g_string_append_printf (signature, "\n%s %d %s %s", marker->id, marker->attention, described,
                              marker->title != NULL ? marker->title : "");
    }
  g_string_append_printf (signature, "\n%u", open->len);
  if (g_strcmp0 (self->case_rows_signature, signature->str) == 0)
    return;
  g_free (self->case_rows_signature);
  self->case_rows_signature = g_string_free (g_steal_pointer (&signature), FALSE);

  for (guint i = 0; i < self->case_rows->len; i++)
    adw_preferences_group_remove (self->open_cases_group, self->case_rows->pdata[i]);
  g_ptr_array_set_size (self->case_rows, 0);

  for (guint i = 0; i < open->len && i < MAX_CASE_ROWS; i++)
    {
      WgCaseMarker *marker = open->pdata[i];
      g_autofree char *subtitle = wg_case_marker_describe (marker, now);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), marker->title != NULL ? marker->title : marker->number);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), icon);
      gtk_widget_set_name (row, marker->id);
      gtk_widget_add_css_class (row, "case-link");
      if (marker->attention == WG_MARKER_ALERT)
        gtk_widget_add_css_class (icon, "error");
      else if (marker->attention == WG_MARKER_WARNING)
        gtk_widget_add_css_class (icon, "warning");
      /* A link: activating the row opens the case in Dispatch. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "map.open-case");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", marker->id);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_preferences_group_add (self->open_cases_group, row);
      g_ptr_array_add (self->case_rows, row);
    }
  if (open->len > MAX_CASE_ROWS)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *more = g_strdup_printf (g_dngettext (NULL, "%u more open case: see Dispatch",
                                                            "%u more open cases: see Dispatch",
                                                            open->len - MAX_CASE_ROWS),
                                               open->len - MAX_CASE_ROWS);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), more);
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (self->open_cases_group, row);
      g_ptr_array_add (self->case_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->open_cases_group), open->len > 0);
}

static void
fill_panel (WgMapView *self)
{
  WgMapGrid *grid = self->panel_grid;
  WgMapGridStats stats;

  if (grid == NULL)
    return;

  wg_map_grid_get_stats (grid, &stats);
  adw_window_title_set_title (self->panel_title,
                              wg_map_grid_get_name (grid) != NULL ? wg_map_grid_get_name (grid) : "");
  adw_window_title_set_subtitle (self->panel_title,
                                 wg_map_grid_get_village_name (grid) != NULL ? wg_map_grid_get_village_name (grid) : "");
  set_text (self->name_row, wg_map_grid_get_name (grid));
  set_text (self->code_row, wg_map_grid_get_code (grid));
  set_text (self->village_row, wg_map_grid_get_village_name (grid));
  set_text (self->group_row, wg_map_grid_get_group_names (grid));
  set_count (self->households_row, stats.households);
  set_count (self->population_row, wg_map_grid_get_population (grid));
  set_text (self->party_branch_row, wg_map_grid_get_party_branch (grid));
  if (wg_map_grid_get_institutions (grid) != NULL && wg_map_grid_get_institutions (grid)[0] != NULL)
    set_lines (self->institutions_row, wg_map_grid_get_institutions (grid));
  else
    adw_action_row_set_subtitle (self->institutions_row, _("None"));
  set_count (self->open_row, stats.open_cases);
  set_count (self->overdue_row, stats.overdue_cases);
  set_count (self->week_row, stats.cases_7d);
  set_count (self->month_row, stats.cases_30d);
  set_count (self->workers_row, stats.workers);
  set_count (self->cadres_row, stats.cadres);

  /* Who to call: rebuilt whole, it is a handful of rows. */
  for (guint i = 0; i < self->people_rows->len; i++)
    adw_preferences_group_remove (self->people_group, self->people_rows->pdata[i]);
  g_ptr_array_set_size (self->people_rows, 0);
  for (const char * const *line = wg_map_grid_get_people (grid); line != NULL && *line != NULL; line++)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), *line);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title_selectable (ADW_PREFERENCES_ROW (row), TRUE);
      adw_preferences_group_add (self->people_group, row);
      g_ptr_array_add (self->people_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->people_group), self->people_rows->len > 0);

  fill_cases (self);
}

static void
panel_grid_notify_cb (WgMapView *self)
{
  fill_panel (self);
}

static void
set_panel_grid (WgMapView *self,
                WgMapGrid *grid)
{
  if (self->panel_grid == grid)
    return;

  g_clear_signal_handler (&self->panel_notify_id, self->panel_grid);
  g_set_object (&self->panel_grid, grid);
  if (grid != NULL)
    {
      /* The panel follows the store: a new case updates the figures while it is open. */
      self->panel_notify_id = g_signal_connect_swapped (grid, "notify", G_CALLBACK (panel_grid_notify_cb), self);
      fill_panel (self);
    }
  adw_overlay_split_view_set_show_sidebar (self->split_view, grid != NULL);
}

static void
go_to_box (WgMapView           *self,
           const WgMercatorBox *box,
           double               fraction,
           double               max_zoom,
           gboolean             animate)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self->map)), 200);
  double height = MAX (gtk_widget_get_height (GTK_WIDGET (self->map)), 200);
  double zoom, lat, lon;

  if (wg_mercator_box_is_empty (box))
    return;

  zoom = wg_mercator_box_zoom_to_fit (box, width * fraction, height * fraction);
  zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (viewport),
                MIN (max_zoom, shumate_viewport_get_max_zoom_level (viewport)));
  wg_mercator_box_get_center (box, &lon, &lat);

  if (animate)
    shumate_map_go_to_full (self->map, lat, lon, zoom);
  else
    {
      shumate_viewport_set_zoom_level (viewport, zoom);
      shumate_map_center_on (self->map, lat, lon);
    }
}

static gboolean
fit_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  WgMapView *self = WG_MAP_VIEW (widget);

  /* Fitting needs the map's size, which it has only once allocated. */
  if (gtk_widget_get_width (GTK_WIDGET (self->map)) <= 0)
    return G_SOURCE_CONTINUE;

  self->fit_tick_id = 0;
  wg_map_view_show_all (self, FALSE);
  return G_SOURCE_REMOVE;
}

static gboolean
matches (WgMapGrid  *grid,
         const char *folded,
         gboolean    exact)
{
  const char *fields[] = { wg_map_grid_get_code (grid), wg_map_grid_get_name (grid) };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_autofree char *field = NULL;

      if (fields[i] == NULL)
        continue;
      field = g_utf8_casefold (fields[i], -1);
      if (exact ? g_str_equal (field, folded) : strstr (field, folded) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* --- callbacks ------------------------------------------------------------------------------- */

static void
grid_activated_cb (WgMapView   *self,
                   const char  *id,
                   WgGridLayer *layer)
{
  g_signal_emit (self, signals[GRID_ACTIVATED], 0, id);
}

static void
activate_case (WgMapView  *self,
               const char *id)
{
  g_debug ("Opening case %s", id);
  g_signal_emit (self, signals[CASE_ACTIVATED], 0, id);
  /* The application opens it in Dispatch; a map outside the application only signals. */
  gtk_widget_activate_action (GTK_WIDGET (self), "app.show-case", "s", id);
}

typedef struct
{
  WgMapView *view;
  char      *id;
} Activation;

static void
activation_free (gpointer data)
{
  Activation *activation = data;

  g_object_unref (activation->view);
  g_free (activation->id);
  g_free (activation);
}

static gboolean
activate_case_idle_cb (gpointer data)
{
  Activation *activation = data;

  activate_case (activation->view, activation->id);
  return G_SOURCE_REMOVE;
}

/* Opening the case hides the map (Dispatch takes its place). Done from the click's release,
 * the map's own drag gesture was left half way, and libshumate then asked an unrealised
 * widget for its frame clock when the window closed: open it once the click is over. */
static void
case_activated_cb (WgMapView   *self,
                   const char  *id,
                   WgCaseLayer *layer)
{
  Activation *activation = g_new0 (Activation, 1);

  activation->view = g_object_ref (self);
  activation->id = g_strdup (id);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, activate_case_idle_cb, activation, activation_free);
}

/* A cluster zooms in to its cases, at least one level, so each click splits it further. */
static void
cluster_activated_cb (WgMapView   *self,
                      double       min_x,
                      double       min_y,
                      double       max_x,
                      double       max_y,
                      WgCaseLayer *layer)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  WgMercatorBox box = { min_x, min_y, max_x, max_y };
  double width = MAX (gtk_widget_get_width (GTK_WIDGET (self->map)), 200);
  double height = MAX (gtk_widget_get_height (GTK_WIDGET (self->map)), 200);
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double fit = max_x > min_x || max_y > min_y ? wg_mercator_box_zoom_to_fit (&box, width * 0.6, height * 0.6) : zoom + 3;
  double lon, lat;

  zoom = CLAMP (MAX (fit, floor (zoom) + 1), shumate_viewport_get_min_zoom_level (viewport),
                shumate_viewport_get_max_zoom_level (viewport));
  wg_mercator_box_get_center (&box, &lon, &lat);
  shumate_map_go_to_full (self->map, lat, lon, zoom);
}

static void
update_base_map_error (WgMapView *self)
{
  const char *message = self->base_map_problem;

  if (message == NULL && self->base_tiles != NULL)
    message = wg_tile_source_get_error (self->base_tiles);
  if (message == NULL && self->overlay_tiles != NULL)
    message = wg_tile_source_get_error (self->overlay_tiles);

  gtk_label_set_label (self->base_map_error, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->base_map_error), message != NULL);
}

static void
cases_selected_cb (WgMapView   *self,
                   GParamSpec  *pspec,
                   GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->case_layer != NULL && selected <= WG_MAP_CASES_LAST)
    wg_map_view_set_cases (self, (WgMapCases) selected);
}

static void
selected_grid_cb (WgMapView *self)
{
  set_panel_grid (self, wg_grid_layer_get_selected_grid (self->layer));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_GRID]);
}

static void
search_activate_cb (WgMapView      *self,
                    GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autofree char *message = NULL;

  if (*text == '\0' || wg_map_view_search (self, text) != NULL)
    return;

  gtk_widget_add_css_class (GTK_WIDGET (entry), "error");
  message = g_strdup_printf (_("No grid matches “%s”"), text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), message);
  gtk_accessible_announce (GTK_ACCESSIBLE (entry), message, GTK_ACCESSIBLE_ANNOUNCEMENT_PRIORITY_MEDIUM);
}

static void
search_changed_cb (WgMapView      *self,
                   GtkSearchEntry *entry)
{
  gtk_widget_remove_css_class (GTK_WIDGET (entry), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (entry), NULL);
}

static void
metric_selected_cb (WgMapView   *self,
                    GParamSpec  *pspec,
                    GtkDropDown *dropdown)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  /* Setting the model in init selects its first item before the layer exists. */
  if (self->layer != NULL && selected <= WG_MAP_METRIC_LAST)
    wg_map_view_set_metric (self, (WgMapMetric) selected);
}

static void
close_panel_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WgMapView *self = WG_MAP_VIEW (widget);

  wg_grid_layer_set_selected_grid (self->layer, NULL);
  adw_overlay_split_view_set_show_sidebar (self->split_view, FALSE);
}

static void
open_case_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  activate_case (WG_MAP_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  WgMapView *self = WG_MAP_VIEW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
show_all_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  wg_map_view_show_all (WG_MAP_VIEW (widget), TRUE);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_map_view_dispose (GObject *object)
{
  WgMapView *self = WG_MAP_VIEW (object);

  g_clear_signal_handler (&self->panel_notify_id, self->panel_grid);
  g_clear_object (&self->panel_grid);
  g_clear_pointer (&self->people_rows, g_ptr_array_unref);
  g_clear_pointer (&self->case_rows, g_ptr_array_unref);
  g_clear_pointer (&self->case_rows_signature, g_free);
  if (self->fit_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_tick_id);
      self->fit_tick_id = 0;
    }
  if (self->nudge_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->nudge_tick_id);
      self->nudge_tick_id = 0;
    }

  gtk_widget_dispose_template (GTK_WIDGET (self), WG_TYPE_MAP_VIEW);

  g_clear_object (&self->layer);
  g_clear_object (&self->case_layer);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_object (&self->base_layer);
  g_clear_object (&self->base_source);
  g_clear_object (&self->overlay_layer);
  g_clear_object (&self->overlay_source);
  g_clear_object (&self->base_tiles);
  g_clear_object (&self->overlay_tiles);
  g_clear_object (&self->blank_source);
  g_clear_pointer (&self->base_map_problem, g_free);

  G_OBJECT_CLASS (wg_map_view_parent_class)->dispose (object);
}

static void
wg_map_view_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WgMapView *self = WG_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_GRIDS:
      g_value_set_object (value, wg_map_view_get_grids (self));
      break;

    case PROP_METRIC:
      g_value_set_enum (value, wg_map_view_get_metric (self));
      break;

    case PROP_CASES:
      g_value_set_enum (value, self->cases);
      break;

    case PROP_SELECTED_GRID:
      g_value_set_object (value, wg_map_view_get_selected_grid (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_map_view_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WgMapView *self = WG_MAP_VIEW (object);

  switch (prop_id)
    {
    case PROP_GRIDS:
      wg_map_view_set_grids (self, g_value_get_object (value));
      break;

    case PROP_METRIC:
      wg_map_view_set_metric (self, g_value_get_enum (value));
      break;

    case PROP_CASES:
      wg_map_view_set_cases (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_map_view_class_init (WgMapViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_map_view_dispose;
  object_class->get_property = wg_map_view_get_property;
  object_class->set_property = wg_map_view_set_property;

  properties[PROP_GRIDS] =
    g_param_spec_object ("grids", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_METRIC] =
    g_param_spec_enum ("metric", NULL, NULL, WG_TYPE_MAP_METRIC, WG_MAP_METRIC_OPEN_CASES,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASES] =
    g_param_spec_enum ("cases", NULL, NULL, WG_TYPE_MAP_CASES, WG_MAP_CASES_OPEN,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_GRID] =
    g_param_spec_object ("selected-grid", NULL, NULL, WG_TYPE_MAP_GRID,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WgMapView::grid-activated:
   * @id: the grid's id
   *
   * A grid was clicked on the map.
   */
  signals[GRID_ACTIVATED] =
    g_signal_new ("grid-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * WgMapView::case-activated:
   * @id: the case's id
   *
   * A case was clicked on the map or in the panel; the view also activates "app.show-case".
   */
  signals[CASE_ACTIVATED] =
    g_signal_new ("case-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  wg_map_register_resource ();
  g_type_ensure (SHUMATE_TYPE_MAP);
  g_type_ensure (SHUMATE_TYPE_SCALE);
  g_type_ensure (SHUMATE_TYPE_LICENSE);
  g_type_ensure (WG_TYPE_MAP_LEGEND);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wangge/Wangge/map/wg-map-view.ui");
  gtk_widget_class_bind_template_child (widget_class, WgMapView, split_view);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, map);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, metric_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, cases_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, base_map_error);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, legend);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, scale);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, license);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, panel_title);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, name_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, code_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, village_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, group_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, households_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, population_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, party_branch_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, institutions_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, open_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, overdue_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, week_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, month_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, workers_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, cadres_row);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, people_group);
  gtk_widget_class_bind_template_child (widget_class, WgMapView, open_cases_group);
  gtk_widget_class_bind_template_callback (widget_class, cases_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, metric_selected_cb);

  gtk_widget_class_install_action (widget_class, "map.close-panel", NULL, close_panel_action);
  gtk_widget_class_install_action (widget_class, "map.open-case", "s", open_case_action);
  gtk_widget_class_install_action (widget_class, "map.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "map.show-all", NULL, show_all_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "map.close-panel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "map.search", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "wg-map-view");
}

static void
wg_map_view_init (WgMapView *self)
{
  g_autoptr(GtkStringList) metrics = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) cases = gtk_string_list_new (NULL);
  ShumateViewport *viewport;

  static gsize css_loaded;

  /* The map's few styles, once per display. */
  if (g_once_init_enter (&css_loaded))
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_resource (provider, "/io/github/wangge/Wangge/map/wg-map.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      g_once_init_leave (&css_loaded, 1);
    }

  gtk_widget_init_template (GTK_WIDGET (self));
  self->people_rows = g_ptr_array_new ();
  self->case_rows = g_ptr_array_new ();

  for (guint m = 0; m <= WG_MAP_METRIC_LAST; m++)
    gtk_string_list_append (metrics, wg_map_metric_get_title ((WgMapMetric) m));
  gtk_drop_down_set_model (self->metric_dropdown, G_LIST_MODEL (metrics));
  for (guint c = 0; c <= WG_MAP_CASES_LAST; c++)
    gtk_string_list_append (cases, wg_map_cases_get_title ((WgMapCases) c));
  gtk_drop_down_set_model (self->cases_dropdown, G_LIST_MODEL (cases));

  viewport = shumate_map_get_viewport (self->map);
  self->blank_source = SHUMATE_MAP_SOURCE (wg_blank_map_source_new ());
  shumate_viewport_set_reference_map_source (viewport, self->blank_source);
  shumate_viewport_set_zoom_level (viewport, 12);
  shumate_map_center_on (self->map, 24.9, 104.3);
  g_object_set (self->scale, "viewport", viewport, NULL);

  self->layer = g_object_ref_sink (wg_grid_layer_new (viewport));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->layer));
  g_signal_connect_object (self->layer, "grid-activated", G_CALLBACK (grid_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->layer, "notify::selected-grid", G_CALLBACK (selected_grid_cb), self, G_CONNECT_SWAPPED);

  self->case_layer = g_object_ref_sink (wg_case_layer_new (viewport));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->case_layer));
  g_signal_connect_object (self->case_layer, "case-activated", G_CALLBACK (case_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->case_layer, "cluster-activated", G_CALLBACK (cluster_activated_cb), self, G_CONNECT_SWAPPED);

  self->cases = WG_MAP_CASES_OPEN;
  gtk_drop_down_set_selected (self->cases_dropdown, self->cases);
  wg_map_legend_set_cases (self->legend, self->cases);
}

/* --- public API ------------------------------------------------------------------------------ */

GtkWidget *
wg_map_view_new (void)
{
  return g_object_new (WG_TYPE_MAP_VIEW, NULL);
}

/**
 * wg_map_view_get_grids:
 *
 * Returns: (transfer none) (nullable): the model of #WgMapGrid shown
 */
GListModel *
wg_map_view_get_grids (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return wg_grid_layer_get_grids (self->layer);
}

/**
 * wg_map_view_set_grids:
 * @grids: (nullable): a #GListModel of #WgMapGrid
 *
 * Shows these grids and frames them all. Later changes to the model or to a grid show as
 * they happen.
 */
void
wg_map_view_set_grids (WgMapView  *self,
                       GListModel *grids)
{
  g_return_if_fail (WG_IS_MAP_VIEW (self));

  if (wg_grid_layer_get_grids (self->layer) == grids)
    return;

  wg_grid_layer_set_grids (self->layer, grids);
  if (grids != NULL && self->fit_tick_id == 0)
    self->fit_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fit_tick_cb, NULL, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRIDS]);
}

WgMapMetric
wg_map_view_get_metric (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), WG_MAP_METRIC_OPEN_CASES);

  return wg_grid_layer_get_metric (self->layer);
}

void
wg_map_view_set_metric (WgMapView   *self,
                        WgMapMetric  metric)
{
  g_return_if_fail (WG_IS_MAP_VIEW (self));
  g_return_if_fail ((guint) metric <= WG_MAP_METRIC_LAST);

  if (wg_grid_layer_get_metric (self->layer) == metric)
    return;

  wg_grid_layer_set_metric (self->layer, metric);
  wg_map_legend_set_metric (self->legend, metric);
  gtk_drop_down_set_selected (self->metric_dropdown, metric);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC]);
}

/**
 * wg_map_view_get_selected_grid:
 *
 * Returns: (transfer none) (nullable): the grid whose panel is open
 */
WgMapGrid *
wg_map_view_get_selected_grid (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return wg_grid_layer_get_selected_grid (self->layer);
}

/* Selects the grid, opens its panel and, with @fly_to, moves the map to it. FALSE when no
 * grid has @id. */
gboolean
wg_map_view_select_grid (WgMapView  *self,
                         const char *id,
                         gboolean    fly_to)
{
  WgMapGrid *grid;

  g_return_val_if_fail (WG_IS_MAP_VIEW (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  grid = wg_grid_layer_find_grid (self->layer, id);
  if (grid == NULL)
    return FALSE;

  wg_grid_layer_set_selected_grid (self->layer, grid);
  if (fly_to)
    {
      WgMercatorBox box;

      wg_grid_layer_get_grid_extent (self->layer, grid, &box);
      go_to_box (self, &box, 1 / 3.0, FLY_TO_MAX_ZOOM, TRUE);
    }
  return TRUE;
}

/**
 * wg_map_view_search:
 * @text: a grid code or name, or part of one
 *
 * Finds a grid, exact code or name first, then the first whose code or name contains @text,
 * ignoring case; selects it and flies there.
 *
 * Returns: (transfer none) (nullable): the grid found
 */
WgMapGrid *
wg_map_view_search (WgMapView  *self,
                    const char *text)
{
  GListModel *grids;
  g_autofree char *stripped = NULL;
  g_autofree char *folded = NULL;

  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);

  grids = wg_grid_layer_get_grids (self->layer);
  stripped = g_strstrip (g_strdup (text));
  if (grids == NULL || *stripped == '\0')
    return NULL;
  folded = g_utf8_casefold (stripped, -1);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < g_list_model_get_n_items (grids); i++)
      {
        g_autoptr(WgMapGrid) grid = g_list_model_get_item (grids, i);

        if (matches (grid, folded, pass == 0))
          {
            wg_map_view_select_grid (self, wg_map_grid_get_id (grid), TRUE);
            return wg_grid_layer_get_selected_grid (self->layer);
          }
      }
  return NULL;
}

/* Frames every grid. */
void
wg_map_view_show_all (WgMapView *self,
                      gboolean   animate)
{
  WgMercatorBox box;

  g_return_if_fail (WG_IS_MAP_VIEW (self));

  if (wg_grid_layer_get_extent (self->layer, &box))
    go_to_box (self, &box, 0.92, 18.0, animate);
}

/* libshumate 1.4's map layer defers loading tiles while the view "moves fast", measured from
 * where it last looked; a new layer has looked nowhere, so its first look always defers, and
 * when the deferred look falls in the same frame it defers again and never asks: the base map
 * stayed blank until the person moved the map. A few frames on, tell the layers the view
 * moved: by then they see it still, and ask for their tiles. */
static gboolean
nudge_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  WgMapView *self = WG_MAP_VIEW (widget);

  if (++self->nudge_frames < 3)
    return G_SOURCE_CONTINUE;
  self->nudge_frames = 0;
  self->nudge_tick_id = 0;
  g_object_notify (G_OBJECT (shumate_map_get_viewport (self->map)), "longitude");
  return G_SOURCE_REMOVE;
}

static WgTileSource *
tile_source_of (ShumateMapSource *source)
{
  g_autoptr(ShumateDataSource) data = NULL;

  if (source == NULL || !SHUMATE_IS_RASTER_RENDERER (source))
    return NULL;
  g_object_get (source, "data-source", &data, NULL);
  return data != NULL && WG_IS_TILE_SOURCE (data) ? g_object_ref (WG_TILE_SOURCE (data)) : NULL;
}

static void
watch_tiles (WgMapView     *self,
             WgTileSource **field,
             WgTileSource  *tiles)
{
  if (*field != NULL)
    g_signal_handlers_disconnect_by_func (*field, update_base_map_error, self);
  g_set_object (field, tiles);
  if (tiles != NULL)
    g_signal_connect_object (tiles, "notify::error", G_CALLBACK (update_base_map_error), self, G_CONNECT_SWAPPED);
}

/**
 * wg_map_view_set_base_map_full:
 * @source: (nullable): a raster map source: wg_tile_source_create_map_source () for an XYZ or
 *   WMTS server, wg_mbtiles_source_create_map_source () for a file; %NULL for none
 * @overlay: (nullable): drawn over it, such as Tianditu's annotation layer (cva_w) over its
 *   vector map (vec_w)
 *
 * The base map drawn under the grids; the attribution of each shows in the corner. A tile
 * that fails to load stays blank; the failure is said over the map.
 */
void
wg_map_view_set_base_map_full (WgMapView        *self,
                               ShumateMapSource *source,
                               ShumateMapSource *overlay)
{
  ShumateViewport *viewport;
  g_autoptr(WgTileSource) base_tiles = NULL;
  g_autoptr(WgTileSource) overlay_tiles = NULL;

  g_return_if_fail (WG_IS_MAP_VIEW (self));
  g_return_if_fail (source == NULL || SHUMATE_IS_MAP_SOURCE (source));
  g_return_if_fail (overlay == NULL || SHUMATE_IS_MAP_SOURCE (overlay));

  if (self->base_source == source && self->overlay_source == overlay)
    return;

  viewport = shumate_map_get_viewport (self->map);
  if (self->base_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base_layer));
      g_clear_object (&self->base_layer);
    }
  if (self->overlay_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->overlay_layer));
      g_clear_object (&self->overlay_layer);
    }
  if (self->base_source != NULL)
    shumate_license_remove_map_source (self->license, self->base_source);
  if (self->overlay_source != NULL)
    shumate_license_remove_map_source (self->license, self->overlay_source);
  g_set_object (&self->base_source, source);
  g_set_object (&self->overlay_source, overlay);

  /* The base map's zoom range bounds the viewport: beyond it there are no tiles to show. */
  shumate_viewport_set_reference_map_source (viewport, source != NULL ? source : self->blank_source);
  if (source != NULL)
    {
      self->base_layer = g_object_ref_sink (shumate_map_layer_new (source, viewport));
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->base_layer), SHUMATE_LAYER (self->layer));
      shumate_license_append_map_source (self->license, source);
    }
  if (overlay != NULL)
    {
      self->overlay_layer = g_object_ref_sink (shumate_map_layer_new (overlay, viewport));
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->overlay_layer), SHUMATE_LAYER (self->layer));
      shumate_license_append_map_source (self->license, overlay);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->license), source != NULL || overlay != NULL);
  if ((source != NULL || overlay != NULL) && self->nudge_tick_id == 0)
    self->nudge_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), nudge_tick_cb, NULL, NULL);
  /* Over a base map the grids' colours are lighter, so its streets and names show through. */
  wg_grid_layer_set_fill_opacity (self->layer, source != NULL ? BASE_MAP_FILL_OPACITY : 1.0);

  base_tiles = tile_source_of (source);
  overlay_tiles = tile_source_of (overlay);
  watch_tiles (self, &self->base_tiles, base_tiles);
  watch_tiles (self, &self->overlay_tiles, overlay_tiles);
  update_base_map_error (self);
}

/**
 * wg_map_view_set_base_map:
 * @source: (nullable): a raster map source; %NULL for none
 *
 * Like wg_map_view_set_base_map_full () without an overlay.
 */
void
wg_map_view_set_base_map (WgMapView        *self,
                          ShumateMapSource *source)
{
  g_return_if_fail (WG_IS_MAP_VIEW (self));

  wg_map_view_set_base_map_full (self, source, NULL);
}

/**
 * wg_map_view_set_base_map_url:
 * @url_template: (nullable): an XYZ or WMTS template such as
 *   "https://tiles.example/{z}/{x}/{y}.png" (see wg_tile_template_check ()); %NULL for none
 * @attribution: (nullable): who the tiles are from, shown in the corner
 * @max_zoom: the deepest zoom level the server has
 *
 * Tiles fetched with a session of the map's own; the application uses
 * wg_tile_source_new () with its API client instead, so its CA and user agent apply.
 */
void
wg_map_view_set_base_map_url (WgMapView  *self,
                              const char *url_template,
                              const char *attribution,
                              guint       max_zoom)
{
  g_autoptr(WgTileSource) tiles = NULL;
  g_autoptr(ShumateMapSource) source = NULL;

  g_return_if_fail (WG_IS_MAP_VIEW (self));

  if (url_template == NULL)
    {
      wg_map_view_set_base_map (self, NULL);
      return;
    }
  tiles = wg_tile_source_new (url_template, NULL, max_zoom);
  source = wg_tile_source_create_map_source (tiles, "wangge-xyz", _("Base map"), attribution);
  wg_map_view_set_base_map (self, source);
}

/**
 * wg_map_view_get_base_map:
 *
 * Returns: (transfer none) (nullable): the base map source
 */
ShumateMapSource *
wg_map_view_get_base_map (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return self->base_source;
}

/**
 * wg_map_view_get_map:
 *
 * Returns: (transfer none): the #ShumateMap
 */
ShumateMap *
wg_map_view_get_map (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return self->map;
}

/**
 * wg_map_view_get_grid_layer:
 *
 * Returns: (transfer none): the #WgGridLayer
 */
WgGridLayer *
wg_map_view_get_grid_layer (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return self->layer;
}

/**
 * wg_map_view_get_overlay_map:
 *
 * Returns: (transfer none) (nullable): the overlay drawn over the base map
 */
ShumateMapSource *
wg_map_view_get_overlay_map (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return self->overlay_source;
}

/**
 * wg_map_view_get_case_layer:
 *
 * Returns: (transfer none): the #WgCaseLayer
 */
WgCaseLayer *
wg_map_view_get_case_layer (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return self->case_layer;
}

/**
 * wg_map_view_get_case_markers:
 *
 * Returns: (transfer none) (nullable): the #GArray of #WgCaseMarker shown
 */
GArray *
wg_map_view_get_case_markers (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), NULL);

  return self->markers;
}

/**
 * wg_map_view_set_case_markers:
 * @markers: (nullable): a #GArray of #WgCaseMarker (wg_case_markers_new ()): the cases of the
 *   chosen filter, with at least every open case, kept by reference and not changed afterwards
 *
 * The cases marked on the map and listed in the grid's panel. Markers whose longitude is NAN
 * are listed but not drawn.
 */
void
wg_map_view_set_case_markers (WgMapView *self,
                              GArray    *markers)
{
  g_return_if_fail (WG_IS_MAP_VIEW (self));

  if (self->markers == markers)
    return;
  g_clear_pointer (&self->markers, g_array_unref);
  self->markers = markers != NULL ? g_array_ref (markers) : NULL;
  wg_case_layer_set_markers (self->case_layer, markers);
  if (self->panel_grid != NULL)
    fill_cases (self);
}

WgMapCases
wg_map_view_get_cases (WgMapView *self)
{
  g_return_val_if_fail (WG_IS_MAP_VIEW (self), WG_MAP_CASES_NONE);

  return self->cases;
}

/* Which cases are marked; the owner of the view loads the markers for it (notify::cases). */
void
wg_map_view_set_cases (WgMapView  *self,
                       WgMapCases  cases)
{
  g_return_if_fail (WG_IS_MAP_VIEW (self));
  g_return_if_fail ((guint) cases <= WG_MAP_CASES_LAST);

  if (self->cases == cases)
    return;

  self->cases = cases;
  gtk_widget_set_visible (GTK_WIDGET (self->case_layer), cases != WG_MAP_CASES_NONE);
  wg_map_legend_set_cases (self->legend, cases);
  gtk_drop_down_set_selected (self->cases_dropdown, cases);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASES]);
}

/**
 * wg_map_view_set_base_map_problem:
 * @message: (nullable): why the chosen base map cannot be shown, in words for the person
 *   (an MBTiles file that cannot be opened, say); %NULL once it is fine
 *
 * Said over the map, where a failing tile server's error is said too.
 */
void
wg_map_view_set_base_map_problem (WgMapView  *self,
                                  const char *message)
{
  g_return_if_fail (WG_IS_MAP_VIEW (self));

  if (g_set_str (&self->base_map_problem, message))
    update_base_map_error (self);
}
