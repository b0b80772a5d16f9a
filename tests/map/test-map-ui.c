/* test-map-ui.c — the Map section of the real application on the demo township
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `wangge-server demo` makes Majie town with 20,000 cases (about 4,800 of them open), a real
 * wangge-server serves it on loopback, and the application signs in as the dispatcher through
 * its sign-in page and syncs it all. Then, with real clicks and keys (XTest):
 *   - the map shows the 903 grids and every open case, counted against the server;
 *   - a grid found by its code, clicked where its boundary says it is, opens its panel, whose
 *     particulars, people, figures and open cases are checked against the server's records;
 *   - a case in the panel, and a case's marker on the map, open the case in Dispatch;
 *   - each metric is drawn and saved as a screenshot (in the language of the run);
 *   - a base map chosen in Preferences comes from a tile server in the test, fetched with the
 *     application's own HTTP session (its user agent), after a wrong address was explained.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <X11/keysym.h>

#include "demo-harness.h"
#include "map-pixels.h"
#include "wg-application.h"
#include "wg-map-legend.h"
#include "wg-map-page.h"
#include "wg-preferences-dialog.h"
#include "wg-record-list.h"
#include "wg-test-ui.h"
#include "wg-tile-source.h"
#include "wg-window.h"

#define N_CASES "20000"

static WgApplication *app;
static WgWindow *window;
static char *lang;

/* What the server has, read over its API as the dispatcher. */
typedef struct
{
  GHashTable *grids;        /* id → JsonObject */
  GHashTable *units;        /* id → JsonObject */
  GHashTable *people;       /* id → JsonObject */
  GPtrArray  *assignments;
  GPtrArray  *cases;
  GHashTable *open_by_grid; /* grid id → GPtrArray of open case JsonObjects (borrowed) */
  guint       n_open;
} Township;

/* --- helpers --------------------------------------------------------------------------------- */

static GHashTable *
by_id (GPtrArray *records)
{
  GHashTable *table = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) json_object_unref);

  for (guint i = 0; i < records->len; i++)
    g_hash_table_insert (table, (gpointer) json_object_get_string_member (records->pdata[i], "id"),
                         json_object_ref (records->pdata[i]));
  return table;
}

static gboolean
is_open (JsonObject *record)
{
  const char *state = json_object_get_string_member (record, "state");

  return !g_strv_contains ((const char * const[]) { "closed", "rejected", "merged", NULL }, state);
}

static void
township_read (Township   *self,
               DemoServer *server,
               const char *token)
{
  g_autoptr(GPtrArray) grids = demo_list_all (server, token, "/api/v1/grids");
  g_autoptr(GPtrArray) units = demo_list_all (server, token, "/api/v1/org-units");
  g_autoptr(GPtrArray) people = demo_list_all (server, token, "/api/v1/people");

  self->grids = by_id (grids);
  self->units = by_id (units);
  self->people = by_id (people);
  self->assignments = demo_list_all (server, token, "/api/v1/assignments");
  self->cases = demo_list_all (server, token, "/api/v1/cases");
  self->open_by_grid = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) g_ptr_array_unref);
  for (guint i = 0; i < self->cases->len; i++)
    {
      JsonObject *record = self->cases->pdata[i];
      const char *grid = json_object_get_string_member_with_default (record, "grid_id", NULL);
      GPtrArray *open;

      if (!is_open (record))
        continue;
      self->n_open++;
      if (grid == NULL)
        continue;
      if ((open = g_hash_table_lookup (self->open_by_grid, grid)) == NULL)
        g_hash_table_insert (self->open_by_grid, (gpointer) grid, open = g_ptr_array_new ());
      g_ptr_array_add (open, record);
    }
  g_test_message ("demo township: %u grids, %u cases, %u open", g_hash_table_size (self->grids),
                  self->cases->len, self->n_open);
}

static void
township_clear (Township *self)
{
  g_clear_pointer (&self->grids, g_hash_table_unref);
  g_clear_pointer (&self->units, g_hash_table_unref);
  g_clear_pointer (&self->people, g_hash_table_unref);
  g_clear_pointer (&self->assignments, g_ptr_array_unref);
  g_clear_pointer (&self->open_by_grid, g_hash_table_unref);
  g_clear_pointer (&self->cases, g_ptr_array_unref);
}

static const char *
unit_name (Township   *self,
           const char *id)
{
  JsonObject *unit = id != NULL ? g_hash_table_lookup (self->units, id) : NULL;

  return unit != NULL ? json_object_get_string_member (unit, "name") : NULL;
}

static const char *
row_value (WgMapView  *view,
           const char *name)
{
  GtkWidget *row = wg_test_find_widget (GTK_WIDGET (view), ADW_TYPE_ACTION_ROW, name);

  g_assert_nonnull (row);
  return adw_action_row_get_subtitle (ADW_ACTION_ROW (row));
}

static char *
row_titles (GtkWidget *group)
{
  GString *titles = g_string_new (NULL);

  for (GtkWidget *row = wg_test_find_widget (group, ADW_TYPE_ACTION_ROW, NULL); row != NULL; row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row))
      g_string_append_printf (titles, "%s\n", adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  return g_string_free (titles, FALSE);
}

/* The sign-in rows in order: 0 server, 1 user name, 2 password. */
static void
type_into_row (guint       index,
               const char *text)
{
  GtkWidget *pages = wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "pages");
  GtkWidget *group = wg_test_find_widget (pages, ADW_TYPE_PREFERENCES_GROUP, NULL);
  GtkWidget *row = wg_test_find_widget (group, ADW_TYPE_ENTRY_ROW, NULL);

  for (guint i = 0; i < index; i++)
    row = gtk_widget_get_next_sibling (row);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* --- conditions ------------------------------------------------------------------------------ */

static gboolean
window_is_drawn (gpointer data)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static gboolean
dialog_is_open (gpointer data)
{
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

  return dialog != NULL && G_TYPE_CHECK_INSTANCE_TYPE (dialog, GPOINTER_TO_SIZE (data));
}

static gboolean
no_dialog_open (gpointer data)
{
  return adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)) == NULL;
}

static gboolean
synced (gpointer data)
{
  WgSyncStatus *status = wg_session_get_sync_status (wg_application_get_session (app));

  return wg_sync_status_get_state (status) == WG_SYNC_STATE_UP_TO_DATE;
}

static gboolean
section_is (gpointer data)
{
  return g_strcmp0 (wg_window_get_section (window), data) == 0;
}

typedef struct
{
  WgMapPage *page;
  guint      n_grids;
  guint      n_open;
} Loaded;

/* Every grid on the map, and every open case among the markers. */
static gboolean
map_loaded (gpointer data)
{
  Loaded *loaded = data;
  WgMapView *view = wg_map_page_get_view (loaded->page);
  GArray *markers = wg_map_view_get_case_markers (view);
  guint n_open = 0;

  if (g_list_model_get_n_items (wg_map_page_get_grids (loaded->page)) != loaded->n_grids || markers == NULL)
    return FALSE;
  for (guint i = 0; i < markers->len; i++)
    n_open += g_array_index (markers, WgCaseMarker, i).group != WG_MARKER_CLOSED;
  return n_open == loaded->n_open;
}

static gboolean
layer_complete (gpointer data)
{
  return _wg_grid_layer_get_n_cached (data) > 0 && _wg_grid_layer_get_n_pending (data) == 0;
}

static gboolean
grid_selected (gpointer data)
{
  gpointer *pair = data;
  WgMapGrid *grid = wg_map_view_get_selected_grid (pair[0]);

  return grid != NULL && g_strcmp0 (wg_map_grid_get_id (grid), pair[1]) == 0;
}

static gboolean
nothing_selected (gpointer data)
{
  return wg_map_view_get_selected_grid (data) == NULL;
}

static gboolean
case_selected (gpointer data)
{
  GtkWidget *queue = wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW, "case-queue");
  WgRecord *record;

  if (queue == NULL)
    return FALSE;
  record = wg_test_selected_item (GTK_COLUMN_VIEW (queue));
  return record != NULL && g_strcmp0 (wg_record_get_id (record), data) == 0;
}

static gboolean
markers_drawn (gpointer data)
{
  return _wg_case_layer_get_n_drawn (data) > 0;
}

static gboolean
setting_is (gpointer data)
{
  const char **pair = data;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *value = g_settings_get_string (settings, pair[0]);

  return g_strcmp0 (value, pair[1]) == 0;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_label_get_label (data)[0] != '\0';
}

/* --- the tile server ------------------------------------------------------------------------- */

typedef struct
{
  SoupServer *server;
  char       *url;
  GPtrArray  *agents;
  GPtrArray  *languages;
  GBytes     *png;
} Tiles;

static void
tiles_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           data)
{
  Tiles *tiles = data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *agent = soup_message_headers_get_one (headers, "User-Agent");
  const char *language = soup_message_headers_get_one (headers, "Accept-Language");

  g_ptr_array_add (tiles->agents, g_strdup (agent != NULL ? agent : ""));
  g_ptr_array_add (tiles->languages, g_strdup (language != NULL ? language : ""));
  soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (tiles->png, NULL), g_bytes_get_size (tiles->png));
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static Tiles *
tiles_start (void)
{
  Tiles *tiles = g_new0 (Tiles, 1);
  guchar *data = g_malloc (256 * 256 * 4);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  /* A pale street-map grey with a darker line, like a plain vector base map. */
  for (guint i = 0; i < 256 * 256; i++)
    {
      gboolean line = (i % 256) % 128 < 3 || (i / 256) % 128 < 3;

      data[4 * i] = line ? 200 : 236;
      data[4 * i + 1] = line ? 196 : 234;
      data[4 * i + 2] = line ? 186 : 226;
      data[4 * i + 3] = 255;
    }
  pixels = g_bytes_new_take (data, 256 * 256 * 4);
  texture = gdk_memory_texture_new (256, 256, GDK_MEMORY_R8G8B8A8, pixels, 256 * 4);
  tiles->png = gdk_texture_save_to_png_bytes (texture);
  tiles->agents = g_ptr_array_new_with_free_func (g_free);
  tiles->languages = g_ptr_array_new_with_free_func (g_free);
  tiles->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (tiles->server, "/tiles", tiles_cb, tiles, NULL);
  g_assert_true (soup_server_listen_local (tiles->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (tiles->server);
  tiles->url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return tiles;
}

static void
tiles_free (Tiles *tiles)
{
  soup_server_disconnect (tiles->server);
  g_clear_object (&tiles->server);
  g_ptr_array_unref (tiles->agents);
  g_ptr_array_unref (tiles->languages);
  g_bytes_unref (tiles->png);
  g_free (tiles->url);
  g_free (tiles);
}

static gboolean
tiles_requested (gpointer data)
{
  return ((Tiles *) data)->agents->len >= 4;
}

/* --- the test -------------------------------------------------------------------------------- */

/* A point of the grid to click: inside its boundary, on no case marker, clear of the overlays
 * (toolbar, legend, scale), nearest the grid's middle. */
static gboolean
click_point (WgMapView  *view,
             WgMapGrid  *grid,
             double     *out_x,
             double     *out_y)
{
  ShumateMap *map = wg_map_view_get_map (view);
  ShumateViewport *viewport = shumate_map_get_viewport (map);
  WgCaseLayer *cases = wg_map_view_get_case_layer (view);
  GtkWidget *legend = wg_test_find_widget (GTK_WIDGET (view), WG_TYPE_MAP_LEGEND, NULL);
  graphene_rect_t legend_box;
  double width = gtk_widget_get_width (GTK_WIDGET (map)), height = gtk_widget_get_height (GTK_WIDGET (map));
  double mid_lon, mid_lat, mx, my, best = G_MAXDOUBLE;
  WgBBox bbox;
  gboolean found = FALSE;

  g_assert_true (gtk_widget_compute_bounds (legend, GTK_WIDGET (map), &legend_box));
  g_assert_true (wg_map_grid_get_inner_point (grid, &mid_lon, &mid_lat));
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (map), mid_lat, mid_lon, &mx, &my);
  wg_polygon_get_bbox (wg_map_grid_get_boundary (grid), &bbox);
  for (int i = 1; i < 16; i++)
    for (int j = 1; j < 16; j++)
      {
        double lon = bbox.min_lon + (bbox.max_lon - bbox.min_lon) * i / 16;
        double lat = bbox.min_lat + (bbox.max_lat - bbox.min_lat) * j / 16;
        double x, y, d;

        if (!wg_polygon_contains (wg_map_grid_get_boundary (grid), lon, lat))
          continue;
        shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (map), lat, lon, &x, &y);
        if (x < 20 || y < 70 || x > width - 200 || y > height - 60 ||
            graphene_rect_contains_point (&legend_box, &GRAPHENE_POINT_INIT (x, y)))
          continue;
        /* Keep clear of markers by their size, not only their centre. */
        if (wg_case_layer_item_at (cases, x, y, NULL, NULL) > 0 || wg_case_layer_item_at (cases, x + 12, y, NULL, NULL) > 0 ||
            wg_case_layer_item_at (cases, x - 12, y, NULL, NULL) > 0 || wg_case_layer_item_at (cases, x, y + 12, NULL, NULL) > 0 ||
            wg_case_layer_item_at (cases, x, y - 12, NULL, NULL) > 0)
          continue;
        d = hypot (x - mx, y - my);
        if (d < best)
          {
            best = d;
            *out_x = x;
            *out_y = y;
            found = TRUE;
          }
      }
  return found;
}

/* An open case in the "reported" state with no other open case within @metres, so that at
 * street level its marker stands alone: Dispatch's "new" view lists it. */
static JsonObject *
lonely_new_case (Township *township,
                 double    metres)
{
  for (guint i = 0; i < township->cases->len; i++)
    {
      JsonObject *record = township->cases->pdata[i];
      JsonNode *location = json_object_get_member (record, "location");
      double lon, lat;
      gboolean alone = TRUE;

      if (g_strcmp0 (json_object_get_string_member (record, "state"), "reported") != 0 || location == NULL ||
          !wg_point_from_json (location, &lon, &lat, NULL))
        continue;
      for (guint k = 0; k < township->cases->len && alone; k++)
        {
          JsonObject *other = township->cases->pdata[k];
          JsonNode *where = json_object_get_member (other, "location");
          double olon, olat;

          if (k == i || !is_open (other) || where == NULL || !wg_point_from_json (where, &olon, &olat, NULL))
            continue;
          alone = wg_geometry_distance_m (lon, lat, olon, olat) > metres;
        }
      if (alone)
        return record;
    }
  return NULL;
}

static void
check_panel (WgMapView  *view,
             Township   *township,
             JsonObject *record)
{
  const char *grid_id = json_object_get_string_member (record, "id");
  GPtrArray *open = g_hash_table_lookup (township->open_by_grid, grid_id);
  JsonArray *groups = json_object_get_array_member (record, "group_ids");
  JsonArray *workers = json_object_get_array_member (record, "grid_worker_ids");
  g_autoptr(GString) group_names = g_string_new (NULL);
  g_autoptr(GHashTable) coverers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *people = NULL;
  g_autofree char *households = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (record, "household_count"));
  g_autofree char *population = g_strdup_printf ("%" G_GINT64_FORMAT, json_object_get_int_member (record, "population"));
  g_autofree char *n_workers = g_strdup_printf ("%u", json_array_get_length (workers));
  g_autofree char *n_cadres = NULL;
  g_autofree char *n_open = g_strdup_printf ("%u", open != NULL ? open->len : 0);
  const char *leader = json_object_get_string_member (record, "grid_leader_id");
  const char *instructor = json_object_get_string_member (record, "grid_instructor_id");
  guint n_links = 0, cadres = 0;

  g_assert_cmpstr (row_value (view, "name"), ==, json_object_get_string_member (record, "name"));
  g_assert_cmpstr (row_value (view, "code"), ==, json_object_get_string_member (record, "code"));
  g_assert_cmpstr (row_value (view, "village"), ==, unit_name (township, json_object_get_string_member (record, "village_id")));
  for (guint g = 0; g < json_array_get_length (groups); g++)
    g_string_append_printf (group_names, "%s%s", g > 0 ? C_("list", ", ") : "",
                            unit_name (township, json_array_get_string_element (groups, g)));
  g_assert_cmpstr (row_value (view, "group"), ==, group_names->str);
  g_assert_cmpstr (row_value (view, "households"), ==, households);
  g_assert_cmpstr (row_value (view, "population"), ==, population);
  g_assert_cmpstr (row_value (view, "party-branch"), ==, unit_name (township, json_object_get_string_member (record, "party_branch_id")));
  if (json_object_has_member (record, "institutions"))
    {
      JsonArray *institutions = json_object_get_array_member (record, "institutions");

      for (guint k = 0; k < json_array_get_length (institutions); k++)
        g_assert_nonnull (strstr (row_value (view, "institutions"),
                                  json_object_get_string_member (json_array_get_object_element (institutions, k), "name")));
    }
  g_assert_cmpstr (row_value (view, "workers"), ==, n_workers);

  /* 三包: the cadres who cover the grid, its villager groups or its village. */
  g_hash_table_add (coverers, (gpointer) grid_id);
  g_hash_table_add (coverers, (gpointer) json_object_get_string_member (record, "village_id"));
  for (guint g = 0; g < json_array_get_length (groups); g++)
    g_hash_table_add (coverers, (gpointer) json_array_get_string_element (groups, g));

  /* Who to call, with their phone numbers. */
  people = row_titles (wg_test_find_widget (GTK_WIDGET (view), ADW_TYPE_PREFERENCES_GROUP, "people"));
  g_test_message ("people:\n%s", people);
  for (guint i = 0; i < township->assignments->len; i++)
    {
      JsonObject *assignment = township->assignments->pdata[i];
      JsonObject *person;

      if (g_strcmp0 (json_object_get_string_member (assignment, "kind"), "households") == 0 ||
          !g_hash_table_contains (coverers, json_object_get_string_member (assignment, "target_id")))
        continue;
      cadres++;
      person = g_hash_table_lookup (township->people, json_object_get_string_member (assignment, "person_id"));
      g_assert_nonnull (strstr (people, json_object_get_string_member (person, "name")));
    }
  n_cadres = g_strdup_printf ("%u", cadres);
  g_assert_cmpuint (cadres, >, 0);
  g_assert_cmpstr (row_value (view, "cadres"), ==, n_cadres);
  {
    const char *ids[] = { leader, instructor, json_array_get_string_element (workers, 0) };

    for (guint k = 0; k < G_N_ELEMENTS (ids); k++)
      {
        JsonObject *person = g_hash_table_lookup (township->people, ids[k]);

        g_assert_nonnull (person);
        g_assert_nonnull (strstr (people, json_object_get_string_member (person, "name")));
        g_assert_nonnull (strstr (people, json_object_get_string_member (person, "phone")));
      }
  }

  /* The open cases: counted, and each a link. */
  g_assert_cmpstr (row_value (view, "open"), ==, n_open);
  for (guint i = 0; open != NULL && i < open->len; i++)
    {
      GtkWidget *link = wg_test_find_widget (GTK_WIDGET (view), ADW_TYPE_ACTION_ROW,
                                             json_object_get_string_member (open->pdata[i], "id"));

      g_assert_nonnull (link);
      g_assert_true (gtk_widget_has_css_class (link, "case-link"));
      g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (link)), ==, "map.open-case");
      n_links++;
    }
  g_assert_cmpuint (n_links, ==, open != NULL ? MIN (open->len, 30) : 0);
}

static void
test_map_section (void)
{
  g_autofree char *dir = demo_make_dir ();
  const char *generate[] = { g_getenv ("WANGGE_SERVER"), "demo", "-d", dir, "--cases", N_CASES, NULL };
  g_autoptr(DemoServer) server = NULL;
  g_autofree char *token = NULL;
  Township township = { NULL, };
  Loaded loaded = { NULL, };
  WgMapPage *page;
  WgMapView *view;
  WgGridLayer *grid_layer;
  WgCaseLayer *case_layer;
  ShumateViewport *viewport;
  JsonObject *chosen = NULL;
  WgMapGrid *grid;
  gint64 start;
  double x, y;
  guint chosen_open = 0;

  /* The demo township at the current time, so deadlines are as a dispatcher would see them. */
  {
    g_autofree char *out = NULL;
    g_autofree char *err = NULL;
    int status = demo_run (generate, &out, &err);

    if (status != 0)
      g_error ("wangge-server demo failed (%d): %s", status, err);
  }
  server = demo_server_start (dir);
  token = demo_login (server, "dispatcher", "majie-dispatch-demo");
  township_read (&township, server, token);
  g_assert_cmpuint (g_hash_table_size (township.grids), ==, 903);
  g_assert_cmpuint (township.n_open, >, 1000);

  /* The grid to click: of the grids holding institutions (a village's first), the one with
   * the most open cases. */
  {
    GHashTableIter iter;
    JsonObject *record;

    g_hash_table_iter_init (&iter, township.grids);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &record))
      {
        GPtrArray *open = g_hash_table_lookup (township.open_by_grid, json_object_get_string_member (record, "id"));
        guint n = open != NULL ? open->len : 0;

        if (!json_object_has_member (record, "institutions"))
          continue;
        if (chosen == NULL || n > chosen_open ||
            (n == chosen_open && g_strcmp0 (json_object_get_string_member (record, "code"),
                                            json_object_get_string_member (chosen, "code")) < 0))
          chosen = record, chosen_open = n;
      }
    g_assert_nonnull (chosen);
    g_test_message ("the grid to click: %s %s, %u open cases", json_object_get_string_member (chosen, "code"),
                    json_object_get_string_member (chosen, "name"), chosen_open);
    g_assert_cmpuint (chosen_open, >, 0);
  }

  /* The application, signed in as the dispatcher through its own page. */
  app = wg_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (app));
  window = WG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (wg_test_wait_for (window_is_drawn, NULL, 5000));
  wg_test_focus_window (GTK_WIDGET (window));
  type_into_row (0, server->url);
  type_into_row (1, "dispatcher");
  type_into_row (2, "majie-dispatch-demo");
  wg_test_settle (100);
  start = g_get_monotonic_time ();
  WG_TEST_PRESS (XK_Return);
  /* No keyring under the test display: Wangge offers a file, which is declined here. */
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ALERT_DIALOG), 20000));
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
  g_assert_true (wg_test_wait_for (synced, NULL, 120000));
  g_test_message ("signed in and synced %s cases in %.1f s", N_CASES, (g_get_monotonic_time () - start) / 1e6);

  /* Ctrl+1: the Map section, every grid and every open case. */
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_1);
  g_assert_true (wg_test_wait_for (section_is, (gpointer) "map", 3000));
  page = WG_MAP_PAGE (wg_test_find_widget (GTK_WIDGET (window), WG_TYPE_MAP_PAGE, NULL));
  g_assert_nonnull (page);
  view = wg_map_page_get_view (page);
  grid_layer = wg_map_view_get_grid_layer (view);
  case_layer = wg_map_view_get_case_layer (view);
  viewport = shumate_map_get_viewport (wg_map_view_get_map (view));
  loaded = (Loaded) { page, 903, township.n_open };
  g_assert_true (wg_test_wait_for (map_loaded, &loaded, 30000));
  g_assert_true (wg_test_wait_for (layer_complete, grid_layer, 10000));
  g_assert_true (wg_test_wait_for (markers_drawn, case_layer, 10000));
  wg_test_settle (500);
  wg_test_screenshot (GTK_WIDGET (window), "map-ui-township", lang);

  /* Every placed open case is in one of the clusters in view. */
  {
    guint total = 0, n_placed = 0;
    GArray *markers = wg_map_view_get_case_markers (view);

    wg_map_view_show_all (view, FALSE);
    wg_test_settle (400);
    for (guint i = 0; i < markers->len; i++)
      n_placed += !isnan (g_array_index (markers, WgCaseMarker, i).lon);
    for (guint i = 0; i < _wg_case_layer_get_n_drawn (case_layer); i++)
      {
        guint count;

        _wg_case_layer_get_drawn (case_layer, i, &x, &y, &count);
        total += count;
      }
    g_test_message ("%u open cases placed, %u drawn in %u clusters", n_placed, total, _wg_case_layer_get_n_drawn (case_layer));
    g_assert_cmpuint (total, ==, n_placed);
  }

  /* Find the grid by its code, typed into the search, and Enter: it flies there. */
  {
    GtkWidget *search = wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_SEARCH_ENTRY, "grid-search");
    gpointer pair[2] = { view, (gpointer) json_object_get_string_member (chosen, "id") };

    gtk_widget_grab_focus (search);
    gtk_editable_set_text (GTK_EDITABLE (search), json_object_get_string_member (chosen, "code"));
    wg_test_settle (100);
    WG_TEST_PRESS (XK_Return);
    g_assert_true (wg_test_wait_for (grid_selected, pair, 5000));
    wg_test_settle (1500);
    /* Closed again with its button, so the click below is what opens it. */
    wg_test_click_widget (wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_BUTTON, "close-panel"));
    g_assert_true (wg_test_wait_for (nothing_selected, view, 3000));
    g_assert_true (wg_test_wait_for (layer_complete, grid_layer, 10000));
    wg_test_settle (500);

    /* A real click where the grid's boundary puts it on the screen. */
    grid = wg_grid_layer_find_grid (grid_layer, json_object_get_string_member (chosen, "id"));
    g_assert_nonnull (grid);
    g_assert_true (click_point (view, grid, &x, &y));
    g_test_message ("clicking the grid at %.0f, %.0f", x, y);
    wg_test_click_at (GTK_WIDGET (wg_map_view_get_map (view)), x, y);
    g_assert_true (wg_test_wait_for (grid_selected, pair, 5000));
    wg_test_settle (600);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-grid-panel", lang);
    check_panel (view, &township, chosen);
  }

  /* One of its open cases, from the panel: Dispatch opens with it. */
  {
    GPtrArray *open = g_hash_table_lookup (township.open_by_grid, json_object_get_string_member (chosen, "id"));
    JsonObject *record = open->pdata[0];
    GtkWidget *link;

    for (guint i = 0; i < open->len; i++)
      if (g_strcmp0 (json_object_get_string_member (open->pdata[i], "state"), "reported") == 0)
        record = open->pdata[i];
    link = wg_test_find_widget (GTK_WIDGET (view), ADW_TYPE_ACTION_ROW, json_object_get_string_member (record, "id"));
    gtk_widget_grab_focus (link);
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-grid-cases", lang);
    wg_test_click_widget (link);
    g_assert_true (wg_test_wait_for (section_is, (gpointer) "dispatch", 5000));
    /* Dispatch selects what its "new" view lists. */
    if (g_strcmp0 (json_object_get_string_member (record, "state"), "reported") == 0)
      g_assert_true (wg_test_wait_for (case_selected, (gpointer) json_object_get_string_member (record, "id"), 5000));
    wg_test_settle (300);
    wg_test_focus_window (GTK_WIDGET (window));
    WG_TEST_PRESS (XK_Control_L, XK_1);
    g_assert_true (wg_test_wait_for (section_is, (gpointer) "map", 3000));
  }

  /* Every metric over the whole township, with the open cases marked. */
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "map-ui-back", lang);
  wg_test_click_widget (wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_BUTTON, "close-panel"));
  g_assert_true (wg_test_wait_for (nothing_selected, view, 3000));
  wg_map_view_show_all (view, FALSE);
  for (WgMapMetric m = 0; m <= WG_MAP_METRIC_LAST; m++)
    {
      g_autofree char *name = g_strdup_printf ("map-ui-%s", wg_map_metric_to_string (m));
      GtkWidget *dropdown = wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_DROP_DOWN, "metric");

      gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), m);
      g_assert_cmpint (wg_map_view_get_metric (view), ==, m);
      wg_test_settle (100);
      g_assert_true (wg_test_wait_for (layer_complete, grid_layer, 10000));
      wg_test_settle (300);
      wg_test_screenshot (GTK_WIDGET (window), name, lang);
    }
  wg_map_view_set_metric (view, WG_MAP_METRIC_OPEN_CASES);

  /* The cases of the last 30 days, closed ones too. */
  {
    GtkWidget *dropdown = wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_DROP_DOWN, "case-markers");
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
    g_autofree char *saved = NULL;

    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), WG_MAP_CASES_MONTH);
    saved = g_settings_get_string (settings, "map-cases");
    g_assert_cmpstr (saved, ==, "month");
    wg_test_settle (1500);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-cases-month", lang);
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), WG_MAP_CASES_OPEN);
    g_assert_true (wg_test_wait_for (map_loaded, &loaded, 30000));
  }

  /* At street level a case's own marker, clicked, opens it in Dispatch. */
  {
    JsonObject *record = lonely_new_case (&township, 60);
    const char *id = NULL;
    double lon, lat;

    g_assert_nonnull (record);
    g_assert_true (wg_point_from_json (json_object_get_member (record, "location"), &lon, &lat, NULL));
    shumate_viewport_set_zoom_level (viewport, 17.5);
    shumate_map_center_on (wg_map_view_get_map (view), lat, lon);
    wg_test_settle (500);
    g_assert_true (wg_test_wait_for (markers_drawn, case_layer, 5000));
    shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (case_layer), lat, lon, &x, &y);
    g_assert_cmpuint (wg_case_layer_item_at (case_layer, x, y, &id, NULL), ==, 1);
    g_assert_cmpstr (id, ==, json_object_get_string_member (record, "id"));
    g_assert_true (wg_test_wait_for (layer_complete, grid_layer, 10000));
    wg_test_settle (200);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-street", lang);
    /* A drag that starts on the marker pans the map and opens nothing. */
    wg_test_drag (GTK_WIDGET (case_layer), x, y, x - 60, y);
    wg_test_settle (1500);
    g_assert_cmpstr (wg_window_get_section (window), ==, "map");
    shumate_map_center_on (wg_map_view_get_map (view), lat, lon);
    wg_test_settle (500);
    shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (case_layer), lat, lon, &x, &y);
    g_assert_cmpuint (wg_case_layer_item_at (case_layer, x, y, &id, NULL), ==, 1);
    wg_test_click_at (GTK_WIDGET (case_layer), x, y);
    g_assert_true (wg_test_wait_for (section_is, (gpointer) "dispatch", 5000));
    g_assert_true (wg_test_wait_for (case_selected, (gpointer) json_object_get_string_member (record, "id"), 5000));
    wg_test_focus_window (GTK_WIDGET (window));
    WG_TEST_PRESS (XK_Control_L, XK_1);
    g_assert_true (wg_test_wait_for (section_is, (gpointer) "map", 3000));
  }

  /* A base map from Preferences: a wrong address is explained and not saved; a right one
   * brings tiles from the test's tile server through the application's own session. */
  {
    Tiles *tiles = tiles_start ();
    g_autofree char *wrong = g_strconcat (tiles->url, "tiles/{z}/{x}.png", NULL);
    g_autofree char *right = g_strconcat (tiles->url, "tiles/{z}/{x}/{y}.png", NULL);
    g_autofree char *agent = g_strdup ("Wangge/" PACKAGE_VERSION);
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
    g_autofree char *saved = NULL;
    GtkWidget *dialog, *combo, *row, *error;

    wg_test_focus_window (GTK_WIDGET (window));
    WG_TEST_PRESS (XK_Control_L, XK_comma);
    g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (WG_TYPE_PREFERENCES_DIALOG), 3000));
    dialog = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
    adw_preferences_dialog_set_visible_page_name (ADW_PREFERENCES_DIALOG (dialog), "map");
    combo = wg_test_find_widget (dialog, ADW_TYPE_COMBO_ROW, "base-map");
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-preferences-none", lang);
    adw_combo_row_set_selected (ADW_COMBO_ROW (combo), 1);
    row = wg_test_find_widget (dialog, ADW_TYPE_ENTRY_ROW, "tiles-url");
    error = wg_test_find_widget (dialog, GTK_TYPE_LABEL, "tiles-url-error");
    g_assert_true (wg_test_wait_for (widget_mapped, row, 3000));

    gtk_widget_grab_focus (row);
    gtk_editable_set_text (GTK_EDITABLE (row), wrong);
    wg_test_settle (100);
    WG_TEST_PRESS (XK_Return);
    g_assert_true (wg_test_wait_for (label_visible, error, 3000));
    g_test_message ("wrong tile address: %s", gtk_label_get_label (GTK_LABEL (error)));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error)), "{y}"));
    saved = g_settings_get_string (settings, "base-map-url");
    g_assert_cmpstr (saved, ==, "");
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-preferences-error", lang);

    gtk_widget_grab_focus (row);
    gtk_editable_set_text (GTK_EDITABLE (row), right);
    wg_test_settle (100);
    WG_TEST_PRESS (XK_Return);
    {
      const char *pair[2] = { "base-map-url", right };

      g_assert_true (wg_test_wait_for (setting_is, pair, 3000));
    }
    g_assert_false (gtk_widget_get_visible (error));
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-preferences", lang);
    adw_dialog_close (ADW_DIALOG (dialog));
    g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));

    wg_map_view_show_all (view, FALSE);
    g_assert_true (wg_test_wait_for (tiles_requested, tiles, 10000));
    /* The signed-in session's own HTTP client: its user agent and its Accept-Language, and the
     * tiles' source holds that very client. */
    {
      WgApi *api = wg_sync_get_api (wg_session_get_sync (wg_application_get_session (app)));
      const char *languages = soup_session_get_accept_language (wg_api_get_session (api));
      g_autoptr(ShumateDataSource) data = NULL;
      g_autoptr(WgApi) used = NULL;

      g_assert_nonnull (languages);
      for (guint i = 0; i < tiles->agents->len; i++)
        {
          g_assert_cmpstr (tiles->agents->pdata[i], ==, agent);
          g_assert_cmpstr (tiles->languages->pdata[i], ==, languages);
        }
      g_assert_nonnull (wg_map_view_get_base_map (view));
      g_object_get (wg_map_view_get_base_map (view), "data-source", &data, NULL);
      g_assert_true (WG_IS_TILE_SOURCE (data));
      g_object_get (data, "api", &used, NULL);
      g_assert_true (used == api);
    }
    wg_test_settle (1000);
    wg_test_screenshot (GTK_WIDGET (window), "map-ui-base-map", lang);

    g_settings_set_string (settings, "base-map", "none");
    g_assert_null (wg_map_view_get_base_map (view));
    tiles_free (tiles);
  }

  /* Ctrl+Q. */
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_q);
  wg_test_settle (500);
  window = NULL;
  g_clear_object (&app);
  township_clear (&township);
  g_clear_pointer (&server, demo_server_free);
  demo_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("WANGGE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  lang = g_strdup (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "en");

  /* A first start: no cache and no saved sign-in from an earlier run. */
  if (g_getenv ("XDG_DATA_HOME") != NULL)
    demo_remove_tree (g_getenv ("XDG_DATA_HOME"));

  g_test_init (&argc, &argv, NULL);
  /* Warnings stay fatal here (g_test_init), but not in the servers this test starts, which
   * warn on purpose about their fast test hashing. */
  g_unsetenv ("G_DEBUG");
  g_test_add_func ("/map/ui/demo-township", test_map_section);

  return g_test_run ();
}
