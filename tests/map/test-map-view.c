/* test-map-view.c — the map view under a display: 900 grids, a real click, the panel, screenshots
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The click goes through the X server (XTest), so the hit-testing under test is the one a
 * person's click reaches. Screenshots of every metric, light and dark, are saved in
 * $WANGGE_SCREENSHOT_DIR.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <locale.h>
#include <X11/keysym.h>

#include "map-grids.h"
#include "map-pixels.h"
#include "wg-map-view.h"
#include "wg-test-ui.h"
#include "wg-mbtiles-source.h"

/* The demo township's size: 30 × 30 = 900 grids in 12 villages around 104.3°E 24.9°N. */
static const MapGridsSpec township = { 30, 30, 104.3, 24.9, 0.01, 4, 3, 7 };

static const char *lang;

static gboolean
is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
layer_complete (gpointer data)
{
  return _wg_grid_layer_get_n_cached (data) > 0 && _wg_grid_layer_get_n_pending (data) == 0;
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

/* Every AdwActionRow subtitle under @root, "title=subtitle" per line. */
static void
collect_rows (GtkWidget *root,
              GString   *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ACTION_ROW (child))
        g_string_append_printf (out, "%s=%s\n",
                                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                                adw_action_row_get_subtitle (ADW_ACTION_ROW (child)));
      collect_rows (child, out);
    }
}

static void
grid_activated_cb (WgMapView  *view,
                   const char *id,
                   char      **out)
{
  g_free (*out);
  *out = g_strdup (id);
}

static void
test_view (void)
{
  g_autoptr(GListStore) grids = map_grids_new (&township);
  g_autofree char *activated = NULL;
  g_autofree char *expected_id = map_grids_id (10, 14, &township);
  g_autoptr(GString) panel = g_string_new (NULL);
  GtkWidget *window;
  WgMapView *view;
  WgGridLayer *layer;
  ShumateViewport *viewport;
  WgMapGrid *grid;
  double lon, lat, x, y;
  g_autofree char *expect_households = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (grids)), ==, 900);

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  view = WG_MAP_VIEW (wg_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  wg_map_view_set_grids (view, G_LIST_MODEL (grids));
  g_signal_connect (view, "grid-activated", G_CALLBACK (grid_activated_cb), &activated);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wg_test_wait_for (is_drawn, window, 5000));

  layer = wg_map_view_get_grid_layer (view);
  viewport = shumate_map_get_viewport (wg_map_view_get_map (view));
  g_assert_true (wg_test_wait_for (layer_complete, layer, 5000));
  wg_test_settle (300);
  wg_test_screenshot (window, "map-overview", lang);

  /* The whole township is framed. */
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, 10);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), <, 14);

  /* A drag that starts on a grid pans the map and selects nothing. */
  grid = wg_grid_layer_find_grid (layer, expected_id);
  g_assert_nonnull (grid);
  map_grids_cell_point (&township, 10, 14, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), lat, lon, &x, &y);
  g_assert_true (wg_grid_layer_grid_at (layer, x, y) == grid);
  {
    double before = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));

    wg_test_drag (GTK_WIDGET (layer), x, y, x - 60, y);
    wg_test_settle (1500);
    g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), !=, before);
  }
  g_assert_null (activated);
  g_assert_null (wg_map_view_get_selected_grid (view));

  /* A real click in the middle of the grid at row 10, column 14. */
  g_assert_true (wg_polygon_contains (wg_map_grid_get_boundary (grid), lon, lat));
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), lat, lon, &x, &y);
  g_assert_true (wg_grid_layer_grid_at (layer, x, y) == grid);
  wg_test_click_at (GTK_WIDGET (layer), x, y);
  g_assert_true (wg_test_wait_for (string_set, &activated, 3000));
  g_assert_cmpstr (activated, ==, expected_id);
  g_assert_true (wg_map_view_get_selected_grid (view) == grid);

  /* The panel says what the grid knows. */
  wg_test_settle (300);
  collect_rows (GTK_WIDGET (view), panel);
  g_test_message ("panel:\n%s", panel->str);
  g_assert_nonnull (strstr (panel->str, wg_map_grid_get_code (grid)));
  g_assert_nonnull (strstr (panel->str, wg_map_grid_get_name (grid)));
  expect_households = g_strdup_printf ("=%d\n", wg_map_grid_get_households (grid));
  g_assert_nonnull (strstr (panel->str, expect_households));
  g_assert_cmpstr (wg_map_grid_get_code (grid), ==, "530324104006007");
  g_assert_cmpstr (wg_map_grid_get_name (grid), ==, "水井村第7网格");
  wg_test_screenshot (window, "map-grid-panel", lang);

  /* A live change recolours the grid and updates the open panel. */
  {
    WgMapGridStats stats;

    wg_map_grid_get_stats (grid, &stats);
    stats.open_cases = 42;
    wg_map_grid_set_stats (grid, &stats);
    g_string_truncate (panel, 0);
    collect_rows (GTK_WIDGET (view), panel);
    g_assert_nonnull (strstr (panel->str, "=42\n"));
  }

  /* Every metric, light and dark. */
  for (int dark = 0; dark < 2; dark++)
    {
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                          dark ? ADW_COLOR_SCHEME_FORCE_DARK : ADW_COLOR_SCHEME_FORCE_LIGHT);
      for (WgMapMetric m = 0; m <= WG_MAP_METRIC_LAST; m++)
        {
          g_autofree char *name = g_strdup_printf ("map-%s-%s", wg_map_metric_to_string (m), dark ? "dark" : "light");

          wg_map_view_set_metric (view, m);
          g_assert_cmpint (wg_grid_layer_get_metric (layer), ==, m);
          wg_test_settle (100);
          g_assert_true (wg_test_wait_for (layer_complete, layer, 5000));
          wg_test_settle (200);
          wg_test_screenshot (window, name, lang);
        }
    }
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  wg_map_view_set_metric (view, WG_MAP_METRIC_OPEN_CASES);

  /* Search by code flies there and zooms in far enough for names. */
  g_clear_pointer (&activated, g_free);
  grid = wg_map_view_search (view, "530324104012003");
  g_assert_nonnull (grid);
  g_assert_cmpstr (wg_map_grid_get_name (grid), ==, "普鲁村第3网格");
  g_assert_true (wg_map_view_get_selected_grid (view) == grid);
  wg_test_settle (1500);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >=, 14);
  g_assert_true (wg_test_wait_for (layer_complete, layer, 5000));
  wg_test_settle (300);
  wg_test_screenshot (window, "map-search-zoomed", lang);

  /* And by part of a name. */
  grid = wg_map_view_search (view, "鸡街村第12网格");
  g_assert_nonnull (grid);
  g_assert_cmpstr (wg_map_grid_get_village_name (grid), ==, "鸡街村");
  g_assert_null (wg_map_view_search (view, "no such grid"));

  /* An MBTiles base map under the grids. */
  {
    g_autofree char *dir = g_dir_make_tmp ("wangge-map-XXXXXX", NULL);
    g_autofree char *path = map_write_mbtiles (dir, (const guchar[]) { 214, 236, 208 }, 104.1, 25.1, 104.5, 24.7, 8, 13);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GError) error = NULL;
    g_autoptr(WgMbtilesSource) source = wg_mbtiles_source_new (file, NULL, &error);
    g_autoptr(ShumateMapSource) map_source = NULL;

    g_assert_no_error (error);
    map_source = wg_mbtiles_source_create_map_source (source);
    wg_map_view_set_base_map (view, map_source);
    g_assert_true (wg_map_view_get_base_map (view) == map_source);
    wg_map_view_show_all (view, FALSE);
    wg_test_settle (800);
    g_assert_true (wg_test_wait_for (layer_complete, layer, 5000));
    wg_test_settle (300);
    wg_test_screenshot (window, "map-mbtiles", lang);
    wg_map_view_set_base_map (view, NULL);
    g_assert_null (wg_map_view_get_base_map (view));
    g_remove (path);
    g_rmdir (dir);
  }

  /* Replacing the model keeps the view consistent. */
  wg_map_view_set_grids (view, NULL);
  g_assert_null (wg_map_view_get_selected_grid (view));
  wg_map_view_set_grids (view, G_LIST_MODEL (grids));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
show_case_cb (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       data)
{
  char **out = data;

  g_free (*out);
  *out = g_variant_dup_string (parameter, NULL);
}

static gboolean
markers_drawn (gpointer data)
{
  return _wg_case_layer_get_n_drawn (data) > 0;
}

typedef struct
{
  ShumateViewport *viewport;
  double           zoom;
} ZoomWait;

static gboolean
zoom_above (gpointer data)
{
  ZoomWait *wait = data;

  return shumate_viewport_get_zoom_level (wait->viewport) >= wait->zoom;
}

/* Cases on the map: clustered at the township's scale with every case counted once, a cluster
 * zooms in when clicked, a single case opens in Dispatch ("app.show-case"), and the grid's
 * panel lists its open cases as links that do the same. */
static void
test_markers (void)
{
  g_autoptr(GListStore) grids = map_grids_new (&township);
  g_autoptr(GArray) markers = wg_case_markers_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GSimpleActionGroup) app = g_simple_action_group_new ();
  g_autoptr(GSimpleAction) show_case = g_simple_action_new ("show-case", G_VARIANT_TYPE_STRING);
  g_autofree char *shown = NULL;
  g_autofree char *activated = NULL;
  g_autofree char *target_grid = map_grids_id (20, 5, &township);
  GtkWidget *window;
  WgMapView *view;
  WgCaseLayer *layer;
  ShumateViewport *viewport;
  double target_lon, target_lat, x, y;
  guint total = 0, biggest = 0, biggest_count = 0, n_placed = 0;
  const char *id = NULL;

  /* 3,000 open cases, and one alone in the grid at row 20, column 5. */
  map_grids_add_cases (&township, markers, 3000, 5, now);
  for (guint i = 0; i < markers->len; )
    if (g_strcmp0 (g_array_index (markers, WgCaseMarker, i).grid_id, target_grid) == 0)
      g_array_remove_index (markers, i);
    else
      i++;
  map_grids_cell_point (&township, 20, 5, &target_lon, &target_lat);
  wg_case_markers_add (markers, "target", "2026-100000", "楼顶漏水", target_grid, "dispatched", "urgent",
                       NULL, target_lon, target_lat, now);
  /* One without a location: listed, not drawn. */
  wg_case_markers_add (markers, "nowhere", "2026-100001", "无位置", target_grid, "reported", "normal",
                       NULL, NAN, NAN, now);
  n_placed = markers->len - 1;

  g_signal_connect (show_case, "activate", G_CALLBACK (show_case_cb), &shown);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (show_case));

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = gtk_window_new ();
  gtk_widget_insert_action_group (window, "app", G_ACTION_GROUP (app));
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  view = WG_MAP_VIEW (wg_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  wg_map_view_set_grids (view, G_LIST_MODEL (grids));
  wg_map_view_set_case_markers (view, markers);
  g_signal_connect (view, "case-activated", G_CALLBACK (grid_activated_cb), &activated);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wg_test_wait_for (is_drawn, window, 5000));
  wg_test_focus_window (window);

  layer = wg_map_view_get_case_layer (view);
  viewport = shumate_map_get_viewport (wg_map_view_get_map (view));
  g_assert_cmpint (wg_map_view_get_cases (view), ==, WG_MAP_CASES_OPEN);
  g_assert_true (wg_test_wait_for (markers_drawn, layer, 5000));
  g_assert_true (wg_test_wait_for (layer_complete, wg_map_view_get_grid_layer (view), 5000));
  wg_test_settle (300);
  wg_test_screenshot (window, "map-markers", lang);

  /* The whole township in view: clusters, every placed case in exactly one of them. */
  for (guint i = 0; i < _wg_case_layer_get_n_drawn (layer); i++)
    {
      guint count;

      _wg_case_layer_get_drawn (layer, i, &x, &y, &count);
      total += count;
      if (count > biggest_count)
        biggest_count = count, biggest = i;
    }
  g_test_message ("%u clusters and markers drawn, the biggest of %u", _wg_case_layer_get_n_drawn (layer), biggest_count);
  g_assert_cmpuint (total, ==, n_placed);
  g_assert_cmpuint (biggest_count, >, 1);
  g_assert_cmpuint (_wg_case_layer_get_n_drawn (layer), <, n_placed / 4);

  /* A click on a cluster zooms in on it, at least a level. */
  {
    ZoomWait wanted = { viewport, floor (shumate_viewport_get_zoom_level (viewport)) + 1 };

    _wg_case_layer_get_drawn (layer, biggest, &x, &y, &biggest_count);
    g_assert_cmpuint (wg_case_layer_item_at (layer, x, y, NULL, NULL), ==, biggest_count);
    wg_test_click_at (GTK_WIDGET (layer), x, y);
    g_assert_true (wg_test_wait_for (zoom_above, &wanted, 5000));
    g_assert_null (shown);
  }

  /* Close in, every case stands alone: the target, clicked, opens in Dispatch. */
  shumate_viewport_set_zoom_level (viewport, 17.5);
  shumate_map_center_on (wg_map_view_get_map (view), target_lat, target_lon);
  wg_test_settle (300);
  g_assert_true (wg_test_wait_for (markers_drawn, layer, 5000));
  shumate_viewport_location_to_widget_coords (viewport, GTK_WIDGET (layer), target_lat, target_lon, &x, &y);
  g_assert_cmpuint (wg_case_layer_item_at (layer, x, y, &id, NULL), ==, 1);
  g_assert_cmpstr (id, ==, "target");
  g_assert_true (wg_test_wait_for (layer_complete, wg_map_view_get_grid_layer (view), 5000));
  wg_test_settle (200);
  wg_test_screenshot (window, "map-markers-street", lang);
  wg_test_click_at (GTK_WIDGET (layer), x, y);
  g_assert_true (wg_test_wait_for (string_set, &shown, 3000));
  g_assert_cmpstr (shown, ==, "target");
  g_assert_cmpstr (activated, ==, "target");
  /* The click was the case's, not the grid's under it. */
  g_assert_null (wg_map_view_get_selected_grid (view));

  /* The grid's panel lists its open cases as links, the urgent one first. */
  g_clear_pointer (&shown, g_free);
  g_assert_true (wg_map_view_select_grid (view, target_grid, FALSE));
  wg_test_settle (300);
  {
    GtkWidget *group = wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_WIDGET, "open-cases");
    GtkWidget *row = wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_WIDGET, "target");
    GtkWidget *other = wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_WIDGET, "nowhere");

    g_assert_nonnull (group);
    g_assert_true (gtk_widget_get_visible (group));
    g_assert_nonnull (row);
    g_assert_nonnull (other);
    g_assert_true (gtk_widget_get_prev_sibling (other) == row);
    /* Focus scrolls the panel to the row, as Tab would. */
    gtk_widget_grab_focus (row);
    wg_test_settle (300);
    wg_test_screenshot (window, "map-markers-panel", lang);
    wg_test_click_widget (row);
    g_assert_true (wg_test_wait_for (string_set, &shown, 3000));
    g_assert_cmpstr (shown, ==, "target");
  }

  /* Dark, then no markers at all. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  wg_map_view_show_all (view, FALSE);
  wg_test_settle (300);
  g_assert_true (wg_test_wait_for (layer_complete, wg_map_view_get_grid_layer (view), 5000));
  wg_test_settle (200);
  wg_test_screenshot (window, "map-markers-dark", lang);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  wg_map_view_set_cases (view, WG_MAP_CASES_NONE);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (layer)));
  wg_map_view_set_cases (view, WG_MAP_CASES_OPEN);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (layer)));
  wg_map_view_set_case_markers (view, NULL);

  gtk_window_destroy (GTK_WINDOW (window));
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
  lang = g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "en";

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/map/view", test_view);
  g_test_add_func ("/map/markers", test_markers);

  return g_test_run ();
}
