/* wg-map-page.c — the Map section: the cached grids on the map, coloured by the cached cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Grids, villages and assignments change rarely: then the grid objects are built again on a
 * worker thread. Cases change all day: then only the counts and the case markers are queried
 * again (on a worker thread too), the counts set on the grids that have them, so the layer
 * redraws just those grids. Deadlines pass without any change in the cache, so the figures
 * are also read again every few minutes.
 *
 * The base map is chosen in Preferences (GSettings); tiles are fetched with the signed-in
 * session's HTTP client, so the office CA and Wangge's user agent apply to the tile server.
 */
#define G_LOG_DOMAIN "WgMapPage"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "wg-application.h"
#include "wg-grid-people.h"
#include "wg-map-grid.h"
#include "wg-map-page.h"
#include "wg-map-view.h"
#include "wg-mbtiles-source.h"
#include "wg-tile-source.h"

/* Deadlines pass without a change in the cache: read the figures again this often. */
#define REFRESH_SECONDS 300

struct _WgMapPage
{
  AdwBin        parent_instance;

  /* Children */
  GtkStack     *stack;
  WgMapView    *view;

  /* Owned */
  WgStore      *store;
  GListStore   *grids;
  GSettings    *settings;
  GCancellable *cancellable;
  GCancellable *base_map_cancellable;
  guint         reload_source;
  guint         refresh_source;
  guint         load_serial;
  guint         applied_serial;
  gboolean      rebuild;         /* grids themselves changed, not only cases */
  gboolean      shown_all;
};

G_DEFINE_FINAL_TYPE (WgMapPage, wg_map_page, ADW_TYPE_BIN)

typedef struct
{
  WgStore    *store;
  WgMapCases  cases;
  gboolean    rebuild;
} Load;

typedef struct
{
  GPtrArray  *grids;     /* WgMapGrid, when rebuilt */
  GHashTable *counts;    /* grid id → int[4] */
  GArray     *markers;   /* WgCaseMarker */
} Loaded;

static void
load_free (gpointer data)
{
  Load *load = data;

  g_clear_object (&load->store);
  g_free (load);
}

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_pointer (&loaded->grids, g_ptr_array_unref);
  g_clear_pointer (&loaded->counts, g_hash_table_unref);
  g_clear_pointer (&loaded->markers, g_array_unref);
  g_free (loaded);
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static guint
array_length (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_array_get_length (json_node_get_array (node)) : 0;
}

static void
add_person_line (GPtrArray           *lines,
                 const WgGridContact *contact)
{
  const char *role = wg_grid_role_label (contact->role);

  /* Translators: a person in the map's panel: name, role and phone number */
  g_ptr_array_add (lines, contact->phone != NULL
                   ? g_strdup_printf (C_("person", "%s · %s · %s"), contact->name, role, contact->phone)
                   : g_strdup_printf (C_("person", "%s · %s"), contact->name, role));
}

/* The grids, with what the map colours by: households, workers, covering cadres (包村 for the
 * grid's village, 包组 for its groups, and any assignment of the grid itself). */
static GPtrArray *
build_grids (WgStore  *store,
             GError  **error)
{
  g_autoptr(GPtrArray) records = wg_store_list_records (store, "grids", error);
  g_autoptr(GPtrArray) units = NULL;
  g_autoptr(GPtrArray) assignments = NULL;
  g_autoptr(GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) person_records = NULL;
  g_autoptr(WgGridPeople) people = NULL;
  GPtrArray *grids;

  if (records == NULL || (units = wg_store_list_records (store, "org_units", error)) == NULL ||
      (assignments = wg_store_list_records (store, "assignments", error)) == NULL ||
      (person_records = wg_store_list_records (store, "people", error)) == NULL)
    return NULL;

  people = wg_grid_people_new (person_records, assignments);

  for (guint i = 0; i < units->len; i++)
    if (member (units->pdata[i], "id") != NULL && member (units->pdata[i], "name") != NULL)
      g_hash_table_insert (names, (gpointer) member (units->pdata[i], "id"), (gpointer) member (units->pdata[i], "name"));

  grids = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];
      JsonNode *boundary = json_object_get_member (record, "boundary");
      g_autoptr(WgPolygon) polygon = NULL;
      WgMapGridStats stats = WG_MAP_GRID_STATS_UNKNOWN;
      JsonNode *groups = json_object_get_member (record, "group_ids");
      const char *village = member (record, "village_id");
      WgMapGrid *grid;

      if (boundary == NULL || (polygon = wg_polygon_new_from_json (boundary, NULL)) == NULL)
        continue;

      grid = wg_map_grid_new (member (record, "id"), member (record, "code"), member (record, "name"),
                              village, polygon);
      if (village != NULL && g_hash_table_contains (names, village))
        wg_map_grid_set_village_name (grid, g_hash_table_lookup (names, village));

      {
        g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
        g_autoptr(GPtrArray) contacts = wg_grid_people_list (people, record);

        for (guint c = 0; c < contacts->len; c++)
          add_person_line (lines, contacts->pdata[c]);
        g_ptr_array_add (lines, NULL);
        wg_map_grid_set_people (grid, (const char * const *) lines->pdata);
      }

      /* The panel's particulars: groups, population, institutions, party branch. */
      {
        g_autoptr(GPtrArray) group_names = g_ptr_array_new ();
        g_autoptr(GPtrArray) institutions = g_ptr_array_new ();
        g_autofree char *joined = NULL;
        JsonNode *node = json_object_get_member (record, "institutions");
        const char *branch = member (record, "party_branch_id");

        if (groups != NULL && JSON_NODE_HOLDS_ARRAY (groups))
          for (guint g = 0; g < json_array_get_length (json_node_get_array (groups)); g++)
            {
              const char *name = g_hash_table_lookup (names, json_array_get_string_element (json_node_get_array (groups), g));

              if (name != NULL)
                g_ptr_array_add (group_names, (gpointer) name);
            }
        g_ptr_array_add (group_names, NULL);
        /* Translators: between the names of a grid's villager groups, "松毛组、新村组" */
        joined = g_strjoinv (C_("list", ", "), (char **) group_names->pdata);
        wg_map_grid_set_group_names (grid, *joined != '\0' ? joined : NULL);

        if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
          for (guint k = 0; k < json_array_get_length (json_node_get_array (node)); k++)
            {
              JsonNode *item = json_array_get_element (json_node_get_array (node), k);

              if (JSON_NODE_HOLDS_OBJECT (item) && member (json_node_get_object (item), "name") != NULL)
                g_ptr_array_add (institutions, (gpointer) member (json_node_get_object (item), "name"));
            }
        g_ptr_array_add (institutions, NULL);
        wg_map_grid_set_institutions (grid, (const char * const *) institutions->pdata);
        wg_map_grid_set_party_branch (grid, branch != NULL ? g_hash_table_lookup (names, branch) : NULL);
        if (json_object_has_member (record, "population"))
          wg_map_grid_set_population (grid, json_object_get_int_member (record, "population"));
      }

      if (json_object_has_member (record, "household_count"))
        stats.households = json_object_get_int_member (record, "household_count");
      stats.workers = array_length (record, "grid_worker_ids");
      stats.cadres = wg_grid_people_count_cadres (people, record);
      wg_map_grid_set_stats (grid, &stats);
      g_ptr_array_add (grids, grid);
    }

  return grids;
}

static char *
rfc3339 (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

typedef struct
{
  GArray    *markers;
  GDateTime *now;
} Gather;

static void
add_marker_cb (const WgCasePoint *point,
               gpointer           user_data)
{
  Gather *gather = user_data;

  wg_case_markers_add (gather->markers, point->id, point->number, point->title, point->grid_id,
                       point->state, point->urgency, point->deadline, point->lon, point->lat, gather->now);
}

/* Every open case, and with WG_MAP_CASES_MONTH those reported in the last 30 days: the panel
 * lists a grid's open cases whatever the map marks. */
static GArray *
load_markers (WgStore     *store,
              WgMapCases   cases,
              GDateTime   *now,
              GError     **error)
{
  static const char open[] = "coalesce (local_state, state) NOT IN ('closed', 'rejected', 'merged')";
  g_autoptr(GDateTime) month = g_date_time_add_days (now, -30);
  g_autofree char *since = rfc3339 (month);
  g_autofree char *where = cases == WG_MAP_CASES_MONTH ? g_strdup_printf ("%s OR reported_at >= ?2", open) : g_strdup (open);
  Gather gather = { wg_case_markers_new (), now };

  if (!wg_store_foreach_case_point (store, where, since, add_marker_cb, &gather, error))
    {
      g_array_unref (gather.markers);
      return NULL;
    }
  return gather.markers;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Load *load = task_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Loaded *loaded = g_new0 (Loaded, 1);
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  if ((load->rebuild && (loaded->grids = build_grids (load->store, &error)) == NULL) ||
      (loaded->counts = wg_store_case_counts_by_grid (load->store, now, &error)) == NULL ||
      (loaded->markers = load_markers (load->store, load->cases, now, &error)) == NULL)
    {
      loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }

  g_debug ("Read %s%u case markers and the figures in %.1f ms", load->rebuild ? "the grids, " : "",
           loaded->markers->len, (g_get_monotonic_time () - start) / 1000.0);
  g_task_return_pointer (task, loaded, loaded_free);
}

/* Cases without a location of their own are marked inside their grid. */
static void
place_markers (WgMapPage *self,
               GArray    *markers)
{
  g_autoptr(GHashTable) by_id = NULL;

  for (guint i = 0; i < markers->len; i++)
    {
      WgCaseMarker *marker = &g_array_index (markers, WgCaseMarker, i);
      WgMapGrid *grid;

      if (!isnan (marker->lon) || marker->grid_id == NULL)
        continue;
      if (by_id == NULL)
        {
          by_id = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_object_unref);
          for (guint k = 0; k < g_list_model_get_n_items (G_LIST_MODEL (self->grids)); k++)
            {
              WgMapGrid *item = g_list_model_get_item (G_LIST_MODEL (self->grids), k);

              g_hash_table_replace (by_id, (gpointer) wg_map_grid_get_id (item), item);
            }
        }
      if ((grid = g_hash_table_lookup (by_id, marker->grid_id)) != NULL)
        wg_map_grid_get_inner_point (grid, &marker->lon, &marker->lat);
    }
}

static void
apply_counts (WgMapPage  *self,
              GHashTable *counts)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->grids)); i++)
    {
      g_autoptr(WgMapGrid) grid = g_list_model_get_item (G_LIST_MODEL (self->grids), i);
      int *values = g_hash_table_lookup (counts, wg_map_grid_get_id (grid));
      WgMapGridStats stats;
      WgMapGridStats before;

      wg_map_grid_get_stats (grid, &stats);
      before = stats;
      stats.open_cases = values != NULL ? values[0] : 0;
      stats.overdue_cases = values != NULL ? values[1] : 0;
      stats.cases_7d = values != NULL ? values[2] : 0;
      stats.cases_30d = values != NULL ? values[3] : 0;
      /* Only grids whose figures moved are touched, so only their tiles redraw. */
      if (memcmp (&before, &stats, sizeof stats) != 0)
        wg_map_grid_set_stats (grid, &stats);
    }
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WgMapPage *self = WG_MAP_PAGE (object);
  g_autoptr(GError) error = NULL;
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), &error);
  guint serial = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "wg-serial"));

  if (loaded == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read the grids from the local cache: %s", error->message);
      return;
    }

  if (loaded->grids != NULL)
    {
      g_list_store_splice (self->grids, 0, g_list_model_get_n_items (G_LIST_MODEL (self->grids)),
                           loaded->grids->pdata, loaded->grids->len);
    }
  /* Loads may finish out of order; older figures never replace newer ones. */
  if (serial >= self->applied_serial)
    {
      self->applied_serial = serial;
      apply_counts (self, loaded->counts);
      place_markers (self, loaded->markers);
      wg_map_view_set_case_markers (self->view, loaded->markers);
    }
  loaded_free (loaded);

  gtk_stack_set_visible_child_name (self->stack,
                                    g_list_model_get_n_items (G_LIST_MODEL (self->grids)) > 0 ? "map" : "empty");
  if (!self->shown_all && g_list_model_get_n_items (G_LIST_MODEL (self->grids)) > 0)
    {
      self->shown_all = TRUE;
      wg_map_view_show_all (self->view, FALSE);
    }
}

static gboolean
reload_cb (gpointer data)
{
  WgMapPage *self = data;
  g_autoptr(GTask) task = NULL;
  Load *load;

  self->reload_source = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  load = g_new0 (Load, 1);
  load->store = g_object_ref (self->store);
  load->cases = wg_map_view_get_cases (self->view);
  load->rebuild = self->rebuild;
  self->rebuild = FALSE;
  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_source_tag (task, reload_cb);
  g_task_set_task_data (task, load, load_free);
  g_object_set_data (G_OBJECT (task), "wg-serial", GUINT_TO_POINTER (++self->load_serial));
  g_task_run_in_thread (task, load_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule_reload (WgMapPage *self,
                 gboolean   rebuild)
{
  self->rebuild |= rebuild;
  /* A sync lands in pages: gather them. */
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (200, reload_cb, self);
}

static gboolean
refresh_cb (gpointer data)
{
  schedule_reload (WG_MAP_PAGE (data), FALSE);
  return G_SOURCE_CONTINUE;
}

static void
store_changed_cb (WgStore    *store,
                  const char *kind,
                  GStrv       ids,
                  WgMapPage  *self)
{
  if (g_str_equal (kind, "grids") || g_str_equal (kind, "org_units") || g_str_equal (kind, "assignments") ||
      g_str_equal (kind, "people"))
    schedule_reload (self, TRUE);
  else if (g_str_equal (kind, "cases"))
    schedule_reload (self, FALSE);
}

/* --- the base map ---------------------------------------------------------------------------- */

/* The API client of whoever is signed in: its HTTP session fetches the tiles. */
static WgApi *
get_api (WgMapPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkApplication *app = GTK_IS_WINDOW (root) ? gtk_window_get_application (GTK_WINDOW (root)) : NULL;
  WgSession *session = WG_IS_APPLICATION (app) ? wg_application_get_session (WG_APPLICATION (app)) : NULL;
  WgSync *sync = session != NULL ? wg_session_get_sync (session) : NULL;

  return sync != NULL ? wg_sync_get_api (sync) : NULL;
}

/* What the corner says when the person gave no attribution: the tile server's name. */
static char *
default_attribution (const char *url_template)
{
  g_autofree char *host = wg_tile_template_get_host (url_template);

  if (host == NULL)
    return g_strdup (_("Base map"));
  if (g_str_has_suffix (host, "tianditu.gov.cn"))
    return g_strdup (_("Map data © Tianditu (tianditu.gov.cn)"));
  return g_strdup_printf (_("Base map: %s"), host);
}

static ShumateMapSource *
tiles_map_source (WgMapPage  *self,
                  WgApi      *api,
                  const char *url_template,
                  const char *id,
                  const char *name,
                  const char *attribution)
{
  g_autoptr(WgTileSource) tiles = NULL;

  if (!wg_tile_template_check (url_template, NULL))
    return NULL;
  tiles = wg_tile_source_new (url_template, api, g_settings_get_int (self->settings, "base-map-max-zoom"));
  return wg_tile_source_create_map_source (tiles, id, name, attribution);
}

static void
mbtiles_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WgMapPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WgMbtilesSource) mbtiles = wg_mbtiles_source_new_finish (result, &error);
  g_autoptr(ShumateMapSource) source = NULL;
  g_autofree char *attribution = NULL;
  g_autofree char *basename = NULL;
  g_autofree char *message = NULL;

  if (mbtiles == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("The base map file cannot be used: %s"), error->message);
      wg_map_view_set_base_map (self->view, NULL);
      wg_map_view_set_base_map_problem (self->view, message);
      return;
    }

  basename = g_file_get_basename (wg_mbtiles_source_get_file (mbtiles));
  attribution = g_settings_get_string (self->settings, "base-map-attribution");
  if (*attribution == '\0')
    {
      g_free (attribution);
      attribution = g_strdup (wg_mbtiles_source_get_attribution (mbtiles) != NULL && *wg_mbtiles_source_get_attribution (mbtiles) != '\0'
                              ? wg_mbtiles_source_get_attribution (mbtiles)
                              : wg_mbtiles_source_get_name (mbtiles) != NULL ? wg_mbtiles_source_get_name (mbtiles) : basename);
    }
  source = SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full ("wangge-mbtiles", basename, attribution, NULL,
                                                                 shumate_data_source_get_min_zoom_level (SHUMATE_DATA_SOURCE (mbtiles)),
                                                                 shumate_data_source_get_max_zoom_level (SHUMATE_DATA_SOURCE (mbtiles)),
                                                                 256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                                                 SHUMATE_DATA_SOURCE (mbtiles)));
  wg_map_view_set_base_map_problem (self->view, NULL);
  wg_map_view_set_base_map (self->view, source);
}

/* The base map chosen in Preferences: none, a tile server (and its annotation layer), or an
 * MBTiles file. Without a signed-in session there is no HTTP client to fetch tiles with, and
 * nothing to show anyway. */
static void
apply_base_map (WgMapPage *self)
{
  g_autofree char *kind = g_settings_get_string (self->settings, "base-map");
  g_autofree char *attribution = g_settings_get_string (self->settings, "base-map-attribution");
  WgApi *api = self->store != NULL ? get_api (self) : NULL;

  g_cancellable_cancel (self->base_map_cancellable);
  g_clear_object (&self->base_map_cancellable);
  wg_map_view_set_base_map_problem (self->view, NULL);

  if (self->store != NULL && g_str_equal (kind, "tiles") && api != NULL)
    {
      g_autofree char *url = g_settings_get_string (self->settings, "base-map-url");
      g_autofree char *overlay_url = g_settings_get_string (self->settings, "base-map-overlay-url");
      g_autoptr(ShumateMapSource) base = NULL;
      g_autoptr(ShumateMapSource) overlay = NULL;

      if (*attribution == '\0')
        {
          g_free (attribution);
          attribution = default_attribution (url);
        }
      base = tiles_map_source (self, api, url, "wangge-tiles", _("Base map"), attribution);
      /* One attribution for both layers: they come from the same provider. */
      if (base != NULL && *overlay_url != '\0')
        overlay = tiles_map_source (self, api, overlay_url, "wangge-tiles-overlay", _("Annotation layer"), "");
      wg_map_view_set_base_map_full (self->view, base, overlay);
      if (base == NULL && *url != '\0')
        wg_map_view_set_base_map_problem (self->view, _("The tile server’s address in Preferences cannot be used; the map is drawn without a base map."));
    }
  else if (self->store != NULL && g_str_equal (kind, "mbtiles"))
    {
      g_autofree char *path = g_settings_get_string (self->settings, "base-map-file");
      g_autoptr(GFile) file = *path != '\0' ? g_file_new_for_path (path) : NULL;

      wg_map_view_set_base_map (self->view, NULL);
      if (file == NULL)
        return;
      self->base_map_cancellable = g_cancellable_new ();
      wg_mbtiles_source_new_async (file, self->base_map_cancellable, mbtiles_opened_cb, g_object_ref (self));
    }
  else
    wg_map_view_set_base_map (self->view, NULL);
}

static void
settings_changed_cb (WgMapPage  *self,
                     const char *key,
                     GSettings  *settings)
{
  if (g_str_has_prefix (key, "base-map"))
    apply_base_map (self);
  else if (g_str_equal (key, "map-cases"))
    {
      g_autofree char *value = g_settings_get_string (settings, key);
      WgMapCases cases;

      if (wg_map_cases_from_string (value, &cases))
        wg_map_view_set_cases (self->view, cases);
    }
}

static void
view_cases_cb (WgMapPage *self)
{
  const char *value = wg_map_cases_to_string (wg_map_view_get_cases (self->view));
  g_autofree char *saved = g_settings_get_string (self->settings, "map-cases");

  if (!g_str_equal (saved, value))
    g_settings_set_string (self->settings, "map-cases", value);
  schedule_reload (self, FALSE);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_map_page_dispose (GObject *object)
{
  WgMapPage *self = WG_MAP_PAGE (object);

  wg_map_page_set_store (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_cancellable_cancel (self->base_map_cancellable);
  g_clear_object (&self->base_map_cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->grids);

  G_OBJECT_CLASS (wg_map_page_parent_class)->dispose (object);
}

static void
wg_map_page_class_init (WgMapPageClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wg_map_page_dispose;
}

static void
wg_map_page_init (WgMapPage *self)
{
  GtkWidget *empty;
  g_autofree char *cases = NULL;
  WgMapCases value;

  self->grids = g_list_store_new (WG_TYPE_MAP_GRID);
  self->cancellable = g_cancellable_new ();
  self->settings = g_settings_new (APPLICATION_ID);

  self->stack = GTK_STACK (gtk_stack_new ());
  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "mark-location-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Grids Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("The server has no grid boundaries yet. An administrator imports them with “wangge-server import-grids”; they appear here at the next sync."));
  gtk_stack_add_named (self->stack, empty, "empty");

  self->view = WG_MAP_VIEW (wg_map_view_new ());
  wg_map_view_set_grids (self->view, G_LIST_MODEL (self->grids));
  cases = g_settings_get_string (self->settings, "map-cases");
  if (wg_map_cases_from_string (cases, &value))
    wg_map_view_set_cases (self->view, value);
  g_signal_connect_object (self->view, "notify::cases", G_CALLBACK (view_cases_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->view), "map");
  gtk_stack_set_visible_child_name (self->stack, "empty");

  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->stack));
}

/* --- public API ------------------------------------------------------------------------------ */

/* Shows the grids of @store and follows its changes; NULL (signed out) empties the map. */
void
wg_map_page_set_store (WgMapPage *self,
                       WgStore   *store)
{
  g_return_if_fail (WG_IS_MAP_PAGE (self));

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  g_clear_handle_id (&self->refresh_source, g_source_remove);
  /* What the last account's loads bring back is not for this one. */
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_set_object (&self->cancellable, g_cancellable_new ());
    }

  if (self->grids != NULL)
    g_list_store_remove_all (self->grids);
  if (self->view != NULL)
    wg_map_view_set_case_markers (self->view, NULL);
  self->shown_all = FALSE;

  if (store != NULL)
    {
      g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      schedule_reload (self, TRUE);
      self->refresh_source = g_timeout_add_seconds (REFRESH_SECONDS, refresh_cb, self);
    }
  if (self->settings != NULL)
    apply_base_map (self);
}

/**
 * wg_map_page_get_grids:
 *
 * The grids the map shows, built from the cache and kept up to date: for other views that
 * draw grids, such as the case detail's map (wg_case_map_set_grids ()).
 *
 * Returns: (transfer none): a #GListModel of #WgMapGrid
 */
GListModel *
wg_map_page_get_grids (WgMapPage *self)
{
  g_return_val_if_fail (WG_IS_MAP_PAGE (self), NULL);

  return G_LIST_MODEL (self->grids);
}

/**
 * wg_map_page_get_base_map:
 *
 * Returns: (transfer none) (nullable): the base map chosen in Preferences, to share with
 *   other maps (wg_case_map_set_base_map ())
 */
ShumateMapSource *
wg_map_page_get_base_map (WgMapPage *self)
{
  g_return_val_if_fail (WG_IS_MAP_PAGE (self), NULL);

  return wg_map_view_get_base_map (self->view);
}

/**
 * wg_map_page_get_view:
 *
 * Returns: (transfer none): the #WgMapView
 */
WgMapView *
wg_map_page_get_view (WgMapPage *self)
{
  g_return_val_if_fail (WG_IS_MAP_PAGE (self), NULL);

  return self->view;
}
