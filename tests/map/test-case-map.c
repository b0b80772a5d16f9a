/* test-case-map.c — the case detail's small map: the case where it is, its grid outlined
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Rendered under the display and read back pixel by pixel: the marker at the case's
 * location in its state's colour with the urgent ring, the case's grid outlined in the accent
 * colour and framed, a case without a location inside its grid, and one with neither a note.
 * Pickable (the new case's map): the township framed, a real click says where, in which grid,
 * and the mark goes where it is told without moving the map.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>

#include "map-grids.h"
#include "map-pixels.h"
#include "wg-case-map.h"
#include "wg-case-marker.h"
#include "wg-mbtiles-source.h"
#include "wg-map-grid.h"
#include "wg-test-ui.h"

static const MapGridsSpec township = { 30, 30, 104.3, 24.9, 0.01, 4, 3, 7 };
static const char *lang;

static gboolean
is_drawn (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static JsonObject *
make_case (const char *grid_id,
           double      lon,
           double      lat,
           const char *state,
           const char *urgency)
{
  g_autofree char *text = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (isnan (lon))
    text = g_strdup_printf ("{\"id\":\"c1\",\"number\":\"2026-000001\",\"state\":\"%s\",\"urgency\":\"%s\"%s%s%s}",
                            state, urgency, grid_id ? ",\"grid_id\":\"" : "", grid_id ? grid_id : "", grid_id ? "\"" : "");
  else
    text = g_strdup_printf ("{\"id\":\"c1\",\"number\":\"2026-000001\",\"state\":\"%s\",\"urgency\":\"%s\","
                            "\"grid_id\":\"%s\",\"location\":{\"type\":\"Point\",\"coordinates\":[%.7f,%.7f]}}",
                            state, urgency, grid_id, lon, lat);
  node = json_from_string (text, NULL);
  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
to_rgb (const WgMapColour *colour,
        guchar             rgb[3])
{
  rgb[0] = (guchar) round (colour->red * 255);
  rgb[1] = (guchar) round (colour->green * 255);
  rgb[2] = (guchar) round (colour->blue * 255);
}

static void
test_case_map (void)
{
  g_autoptr(GListStore) grids = map_grids_new (&township);
  g_autofree char *grid_id = map_grids_id (10, 14, &township);
  g_autoptr(WgMapGrid) grid = NULL;
  g_autoptr(JsonObject) record = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  GtkWidget *window;
  WgCaseMap *map;
  ShumateViewport *viewport;
  GtkWidget *inner;
  WgMapColour colour;
  GdkRGBA *accent_rgba;
  guchar fill[3], ring[3], accent[3], pixel[4];
  double lon, lat, x, y, mlon, mlat;
  WgPolygon *boundary;
  const double *ring_points;
  guint n;

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (grids)) && grid == NULL; i++)
    {
      g_autoptr(WgMapGrid) item = g_list_model_get_item (G_LIST_MODEL (grids), i);

      if (g_str_equal (wg_map_grid_get_id (item), grid_id))
        grid = g_steal_pointer (&item);
    }
  g_assert_nonnull (grid);
  boundary = wg_map_grid_get_boundary (grid);

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 260);
  map = WG_CASE_MAP (wg_case_map_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (map));
  wg_case_map_set_grids (map, G_LIST_MODEL (grids));

  /* An urgent case, dispatched, a little off its grid's middle. */
  map_grids_cell_point (&township, 10, 14, &lon, &lat);
  g_assert_true (wg_polygon_contains (boundary, lon, lat));
  record = make_case (grid_id, lon, lat, "dispatched", "urgent");
  wg_case_map_set_case (map, record);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wg_test_wait_for (is_drawn, window, 5000));
  wg_test_settle (500);
  wg_test_screenshot (window, "case-map", lang);

  inner = GTK_WIDGET (wg_case_map_get_map (map));
  viewport = shumate_map_get_viewport (SHUMATE_MAP (inner));
  g_assert_cmpstr (wg_case_map_get_grid_id (map), ==, grid_id);
  g_assert_true (wg_case_map_get_location (map, &mlon, &mlat));
  g_assert_cmpfloat (fabs (mlon - lon), <, 1e-6);

  /* Framed on the grid: a grid of ~1 km fills a good part of the map. */
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, 13);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), <=, 17.5);

  shot = map_render_widget (inner);

  /* The marker: the state's colour inside, the urgent red around. */
  wg_marker_group_colour (WG_MARKER_NOT_CLAIMED, FALSE, &colour);
  to_rgb (&colour, fill);
  wg_marker_attention_colour (WG_MARKER_ALERT, FALSE, &colour);
  to_rgb (&colour, ring);
  shumate_viewport_location_to_widget_coords (viewport, inner, lat, lon, &x, &y);
  map_pixel_at (shot, (int) round (x), (int) round (y), pixel);
  g_test_message ("marker at %.1f, %.1f: %d %d %d, want %d %d %d", x, y, pixel[0], pixel[1], pixel[2], fill[0], fill[1], fill[2]);
  g_assert_true (map_pixel_near (pixel, fill, 8));
  g_assert_true (map_pixel_near_in (shot, (int) round (x + 8.5), (int) round (y), 1, ring, 10));

  /* The grid's outline, in the accent colour, half way along its first edge. */
  accent_rgba = adw_style_manager_get_accent_color_rgba (adw_style_manager_get_default ());
  accent[0] = (guchar) round (accent_rgba->red * 255);
  accent[1] = (guchar) round (accent_rgba->green * 255);
  accent[2] = (guchar) round (accent_rgba->blue * 255);
  gdk_rgba_free (accent_rgba);
  ring_points = wg_polygon_get_ring (boundary, 0, &n);
  g_assert_cmpuint (n, >=, 4);
  shumate_viewport_location_to_widget_coords (viewport, inner,
                                              (ring_points[1] + ring_points[3]) / 2, (ring_points[0] + ring_points[2]) / 2,
                                              &x, &y);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (y, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (inner));
  g_assert_cmpfloat (y, <, gtk_widget_get_height (inner));
  g_assert_true (map_pixel_near_in (shot, (int) round (x), (int) round (y), 2, accent, 40));

  /* Under a base map (an MBTiles file here): its tiles show around the grids. */
  {
    static const guchar green[3] = { 214, 236, 208 };
    g_autofree char *dir = g_dir_make_tmp ("wangge-case-map-XXXXXX", NULL);
    g_autofree char *path = map_write_mbtiles (dir, green, 104.1, 25.1, 104.5, 24.7, 10, 18);
    g_autoptr(GFile) file = g_file_new_for_path (path);
    g_autoptr(GError) error = NULL;
    g_autoptr(WgMbtilesSource) source = wg_mbtiles_source_new (file, NULL, &error);
    g_autoptr(ShumateMapSource) map_source = NULL;
    g_autoptr(GdkTexture) tiled = NULL;

    g_assert_no_error (error);
    map_source = wg_mbtiles_source_create_map_source (source);
    wg_case_map_set_base_map (map, map_source);
    wg_test_settle (1000);
    wg_test_screenshot (window, "case-map-base", lang);
    tiled = map_render_widget (inner);
    /* A corner, away from the marker: the tile's green (or its darker line), not white. */
    g_assert_true (map_pixel_near_in (tiled, 20, 20, 4, green, 12));
    wg_case_map_set_base_map (map, NULL);
    g_remove (path);
    g_rmdir (dir);
  }

  /* Dark. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  wg_test_settle (400);
  wg_test_screenshot (window, "case-map-dark", lang);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);

  /* No location: the marker goes inside the grid. */
  g_clear_pointer (&record, json_object_unref);
  record = make_case (grid_id, NAN, NAN, "reported", "normal");
  wg_case_map_set_case (map, record);
  g_assert_true (wg_case_map_get_location (map, &mlon, &mlat));
  g_assert_true (wg_polygon_contains (boundary, mlon, mlat));
  g_assert_true (gtk_widget_get_visible (inner));
  wg_test_settle (300);
  wg_test_screenshot (window, "case-map-no-location", lang);

  /* Neither a location nor a grid: a note, no map. */
  g_clear_pointer (&record, json_object_unref);
  record = make_case (NULL, NAN, NAN, "reported", "normal");
  wg_case_map_set_case (map, record);
  g_assert_false (wg_case_map_get_location (map, &mlon, &mlat));
  g_assert_false (gtk_widget_get_visible (inner));
  wg_test_settle (300);
  wg_test_screenshot (window, "case-map-nowhere", lang);

  /* And back; the grids can change under it. */
  g_clear_pointer (&record, json_object_unref);
  record = make_case (grid_id, lon, lat, "in_progress", "normal");
  wg_case_map_set_case (map, record);
  g_assert_true (gtk_widget_get_visible (inner));
  g_list_store_remove (grids, 0);
  wg_test_settle (200);
  wg_case_map_set_case (map, NULL);
  wg_case_map_set_grids (map, NULL);

  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
  gtk_window_destroy (GTK_WINDOW (window));
}

typedef struct
{
  gboolean picked;
  double   lon;
  double   lat;
} Picked;

static void
picked_cb (WgCaseMap *map,
           double     lon,
           double     lat,
           Picked    *picked)
{
  picked->picked = TRUE;
  picked->lon = lon;
  picked->lat = lat;
}

static gboolean
was_picked (gpointer data)
{
  return ((Picked *) data)->picked;
}

static gboolean
is_framed_on_township (gpointer data)
{
  ShumateViewport *viewport = shumate_map_get_viewport (wg_case_map_get_map (data));

  /* 30 cells of 0.01° in 420 px: about zoom 11, far from the first 14 */
  return shumate_viewport_get_zoom_level (viewport) < 12.5;
}

static void
test_case_map_pick (void)
{
  g_autoptr(GListStore) grids = map_grids_new (&township);
  g_autofree char *grid_id = map_grids_id (10, 14, &township);
  g_autoptr(WgMapGrid) found = NULL;
  g_autoptr(GdkTexture) shot = NULL;
  Picked picked = { FALSE, NAN, NAN };
  GtkWidget *window;
  WgCaseMap *map;
  ShumateViewport *viewport;
  GtkWidget *inner;
  WgMapColour colour;
  guchar fill[3], pixel[4];
  double lon, lat, x, y, mlon, mlat, zoom, centre_lon;

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_LIGHT);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 260);
  map = WG_CASE_MAP (wg_case_map_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (map));
  wg_case_map_set_pickable (map, TRUE);
  g_assert_true (wg_case_map_get_pickable (map));
  wg_case_map_set_grids (map, G_LIST_MODEL (grids));
  g_signal_connect (map, "picked", G_CALLBACK (picked_cb), &picked);
  inner = GTK_WIDGET (wg_case_map_get_map (map));
  viewport = shumate_map_get_viewport (SHUMATE_MAP (inner));

  /* Nothing chosen: the whole township, no marker, and the map takes the pointer (a drag
   * pans it, a click picks). */
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (wg_test_wait_for (is_drawn, window, 5000));
  g_assert_true (wg_test_wait_for (is_framed_on_township, map, 5000));
  wg_test_settle (300);
  g_assert_true (gtk_widget_get_visible (inner));
  g_assert_true (gtk_widget_get_can_target (inner));
  g_assert_false (wg_case_map_get_location (map, &mlon, &mlat));

  /* A drag pans the map and picks nothing. */
  centre_lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  wg_test_drag (inner, gtk_widget_get_width (inner) / 2.0, gtk_widget_get_height (inner) / 2.0,
                gtk_widget_get_width (inner) / 2.0 - 60, gtk_widget_get_height (inner) / 2.0);
  /* the map glides on a little after a quick drag */
  for (guint i = 0; i < 50; i++)
    {
      double last = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));

      wg_test_settle (200);
      if (last == shumate_location_get_longitude (SHUMATE_LOCATION (viewport)))
        break;
    }
  g_assert_false (picked.picked);
  g_test_message ("dragged from %.6f to %.6f", centre_lon, shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), >, centre_lon);

  /* A real click on a cell: "picked" says where, and the grid there is found. */
  map_grids_cell_point (&township, 10, 14, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, inner, lat, lon, &x, &y);
  g_assert_cmpfloat (x, >, 0);
  g_assert_cmpfloat (x, <, gtk_widget_get_width (inner));
  wg_test_click_at (inner, x, y);
  g_assert_true (wg_test_wait_for (was_picked, &picked, 5000));
  g_test_message ("picked %.6f, %.6f for %.6f, %.6f", picked.lon, picked.lat, lon, lat);
  g_assert_cmpfloat (fabs (picked.lon - lon), <, township.cell_deg / 10);
  g_assert_cmpfloat (fabs (picked.lat - lat), <, township.cell_deg / 10);
  found = wg_case_map_find_grid (map, picked.lon, picked.lat);
  g_assert_nonnull (found);
  g_assert_cmpstr (wg_map_grid_get_id (found), ==, grid_id);
  /* the map itself shows nothing new until told */
  g_assert_false (wg_case_map_get_location (map, &mlon, &mlat));
  /* far outside every grid */
  g_assert_null (wg_case_map_find_grid (map, 104.9, 25.5));

  /* Told: the grid outlined and the mark, the map left where it was. */
  zoom = shumate_viewport_get_zoom_level (viewport);
  centre_lon = shumate_location_get_longitude (SHUMATE_LOCATION (viewport));
  wg_case_map_show_point (map, grid_id, picked.lon, picked.lat);
  wg_test_settle (300);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), ==, zoom);
  g_assert_cmpfloat (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), ==, centre_lon);
  g_assert_true (wg_case_map_get_location (map, &mlon, &mlat));
  g_assert_cmpfloat (mlon, ==, picked.lon);
  g_assert_cmpstr (wg_case_map_get_grid_id (map), ==, grid_id);
  wg_test_screenshot (window, "case-map-pick", lang);
  shot = map_render_widget (inner);
  wg_marker_group_colour (WG_MARKER_NEW, FALSE, &colour);
  to_rgb (&colour, fill);
  shumate_viewport_location_to_widget_coords (viewport, inner, picked.lat, picked.lon, &x, &y);
  map_pixel_at (shot, (int) round (x), (int) round (y), pixel);
  g_assert_true (map_pixel_near (pixel, fill, 8));

  /* Framed on request: closer, on the grid. */
  wg_case_map_frame (map);
  wg_test_settle (300);
  g_assert_cmpfloat (shumate_viewport_get_zoom_level (viewport), >, zoom + 2);

  /* A grid without a mark: outlined, no stand-in marker inside it. */
  wg_case_map_show_point (map, grid_id, NAN, NAN);
  g_assert_false (wg_case_map_get_location (map, &mlon, &mlat));

  /* Back to a picture: no pointer, a case without location inside its grid again. */
  wg_case_map_set_pickable (map, FALSE);
  g_assert_false (gtk_widget_get_can_target (inner));
  g_assert_true (wg_case_map_get_location (map, &mlon, &mlat));

  g_signal_handlers_disconnect_by_data (map, &picked);
  wg_case_map_set_grids (map, NULL);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
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
  g_test_add_func ("/map/case-map", test_case_map);
  g_test_add_func ("/map/case-map-pick", test_case_map_pick);

  return g_test_run ();
}
