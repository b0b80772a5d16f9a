/* wg-map-page.c — the Map section: the cached grids on the map, coloured by the cached cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Grids, villages and assignments change rarely: then the grid objects are built again on a
 * worker thread. Cases change all day: then only the counts are queried again and set on the
 * grids that have them, so the layer redraws just those grids.
 */
#define G_LOG_DOMAIN "WgMapPage"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wg-grid-people.h"
#include "wg-map-grid.h"
#include "wg-map-page.h"
#include "wg-map-view.h"

struct _WgMapPage
{
  AdwBin        parent_instance;

  /* Children */
  GtkStack     *stack;
  WgMapView    *view;

  /* Owned */
  WgStore      *store;
  GListStore   *grids;
  GCancellable *cancellable;
  guint         reload_source;
  gboolean      rebuild;         /* grids themselves changed, not only cases */
  gboolean      shown_all;
};

G_DEFINE_FINAL_TYPE (WgMapPage, wg_map_page, ADW_TYPE_BIN)

typedef struct
{
  GPtrArray  *grids;     /* WgMapGrid, when rebuilt */
  GHashTable *counts;    /* grid id → int[4] */
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_pointer (&loaded->grids, g_ptr_array_unref);
  g_clear_pointer (&loaded->counts, g_hash_table_unref);
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

      if (json_object_has_member (record, "household_count"))
        stats.households = json_object_get_int_member (record, "household_count");
      stats.workers = array_length (record, "grid_worker_ids");
      stats.cadres = wg_grid_people_count_cadres (people, record);
      wg_map_grid_set_stats (grid, &stats);
      g_ptr_array_add (grids, grid);
    }

  return grids;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WgStore *store = task_data;
  gboolean rebuild = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "rebuild"));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  Loaded *loaded = g_new0 (Loaded, 1);
  GError *error = NULL;

  if (rebuild && (loaded->grids = build_grids (store, &error)) == NULL)
    {
      loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }
  if ((loaded->counts = wg_store_case_counts_by_grid (store, now, &error)) == NULL)
    {
      loaded_free (loaded);
      g_task_return_error (task, error);
      return;
    }

  g_task_return_pointer (task, loaded, loaded_free);
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
  apply_counts (self, loaded->counts);
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

  self->reload_source = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_source_tag (task, reload_cb);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_object_set_data (G_OBJECT (task), "rebuild", GINT_TO_POINTER (self->rebuild));
  self->rebuild = FALSE;
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

static void
store_changed_cb (WgStore    *store,
                  const char *kind,
                  GStrv       ids,
                  WgMapPage  *self)
{
  if (g_str_equal (kind, "grids") || g_str_equal (kind, "org_units") || g_str_equal (kind, "assignments"))
    schedule_reload (self, TRUE);
  else if (g_str_equal (kind, "cases"))
    schedule_reload (self, FALSE);
}

static void
wg_map_page_dispose (GObject *object)
{
  WgMapPage *self = WG_MAP_PAGE (object);

  wg_map_page_set_store (self, NULL);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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

  self->grids = g_list_store_new (WG_TYPE_MAP_GRID);
  self->cancellable = g_cancellable_new ();

  self->stack = GTK_STACK (gtk_stack_new ());
  empty = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "mark-location-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Grids Yet"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("The server has no grid boundaries yet. An administrator imports them with “wangge-server import-grids”; they appear here at the next sync."));
  gtk_stack_add_named (self->stack, empty, "empty");

  self->view = WG_MAP_VIEW (wg_map_view_new ());
  wg_map_view_set_grids (self->view, G_LIST_MODEL (self->grids));
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->view), "map");
  gtk_stack_set_visible_child_name (self->stack, "empty");

  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->stack));
}

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

  if (self->grids != NULL)
    g_list_store_remove_all (self->grids);
  self->shown_all = FALSE;

  if (store != NULL)
    {
      g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      schedule_reload (self, TRUE);
    }
}
