/* bench-case-markers.c — the case markers over the township: clustering, and frames while panning
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo township's size (30 × 30 synthetic grids) with N open cases as markers, in a
 * 1600 × 1000 WgMapView. A frame is measured as the frame clock would pay for it: snapshot the
 * grid layer and the case layer, then render the node with the window's renderer (to a texture,
 * which also waits for the GPU). Printed: clustering one zoom level, and panning frames at the
 * township's scale (clusters), at zoom 14 (smaller clusters) and at street level (every case
 * alone), each beside the grid layer alone, against the 16 ms frame target.
 *
 * Usage: bench-case-markers [--cases N] [--frames N]
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>

#include "map-grids.h"
#include "wg-map-view.h"

#define WIDTH 1600
#define HEIGHT 1000

static const MapGridsSpec township = { 30, 30, 104.3, 24.9, 0.01, 4, 3, 7 };

static int n_frames = 120;
static int n_cases = 5000;

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;
  guint tick = g_timeout_add (5, tick_cb, NULL);

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
}

/* One frame of the given layers: snapshot, then render; returns milliseconds. */
static double
frame (GtkWidget   *grids,
       GtkWidget   *cases,
       GskRenderer *renderer)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 start = g_get_monotonic_time ();

  if (grids != NULL)
    GTK_WIDGET_GET_CLASS (grids)->snapshot (grids, snapshot);
  if (cases != NULL)
    GTK_WIDGET_GET_CLASS (cases)->snapshot (cases, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms)
{
  double sum = 0;

  g_array_sort (ms, compare_double);
  for (guint i = 0; i < ms->len; i++)
    sum += g_array_index (ms, double, i);
  printf ("  %-44s mean %6.2f ms  median %6.2f  p95 %6.2f  max %6.2f  %s\n", what,
          sum / ms->len, g_array_index (ms, double, ms->len / 2),
          g_array_index (ms, double, (guint) (ms->len * 0.95)), g_array_index (ms, double, ms->len - 1),
          g_array_index (ms, double, (guint) (ms->len * 0.95)) <= 16.0 ? "(p95 within 16 ms)" : "(p95 OVER 16 ms)");
}

/* Pans round a circle back to the start at @speed pixels per frame, drawing @grids and
 * @cases (either may be NULL) each frame. */
static void
pan (ShumateViewport *viewport,
     GtkWidget       *grids,
     GtkWidget       *cases,
     GskRenderer     *renderer,
     double           speed,
     GArray          *ms)
{
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double world = wg_mercator_world_size (zoom);
  double x0 = wg_mercator_x_from_lon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport))) * world;
  double y0 = wg_mercator_y_from_lat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport))) * world;
  double radius = speed * n_frames / (2 * G_PI);

  g_array_set_size (ms, 0);
  for (int i = 1; i <= n_frames; i++)
    {
      double angle = 2 * G_PI * i / n_frames;
      double t;

      shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                     wg_mercator_lat_from_y ((y0 + radius * (1 - cos (angle))) / world),
                                     wg_mercator_lon_from_x ((x0 + radius * sin (angle)) / world));
      t = frame (grids, cases, renderer);
      g_array_append_val (ms, t);
    }
}

static void
run_at (ShumateViewport *viewport,
        WgGridLayer     *grid_layer,
        WgCaseLayer     *case_layer,
        GskRenderer     *renderer,
        double           zoom,
        const char      *title)
{
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *markers = g_object_get_data (G_OBJECT (case_layer), "bench-markers");
  double t;

  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), township.center_lat, township.center_lon);
  spin (300);

  /* The first frame after the cases change clusters the level. */
  wg_case_layer_set_markers (case_layer, NULL);
  wg_case_layer_set_markers (case_layer, markers);
  t = frame (NULL, GTK_WIDGET (case_layer), renderer);
  printf ("\n%s (zoom %.1f, level %u):\n", title, zoom, _wg_case_layer_get_cluster_level (case_layer));
  printf ("  %-44s %8.1f ms  (%u clusters and cases drawn)\n", "first frame, clustering the level", t,
          _wg_case_layer_get_n_drawn (case_layer));

  /* Grid tiles drawn before measuring, as after the first frames at a level. */
  _wg_grid_layer_set_tile_budget (grid_layer, 0);
  frame (GTK_WIDGET (grid_layer), NULL, renderer);
  _wg_grid_layer_set_tile_budget (grid_layer, 7 * G_TIME_SPAN_MILLISECOND);

  pan (viewport, NULL, GTK_WIDGET (case_layer), renderer, 6, ms);
  report ("case markers alone, panning 6 px/frame", ms);
  pan (viewport, GTK_WIDGET (grid_layer), NULL, renderer, 6, ms);
  report ("grid layer alone, panning 6 px/frame", ms);
  pan (viewport, GTK_WIDGET (grid_layer), GTK_WIDGET (case_layer), renderer, 6, ms);
  report ("grids and markers, panning 6 px/frame", ms);
  pan (viewport, GTK_WIDGET (grid_layer), GTK_WIDGET (case_layer), renderer, 40, ms);
  report ("grids and markers, panning 40 px/frame", ms);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GListStore) grids = NULL;
  g_autoptr(GArray) markers = NULL;
  g_autoptr(GDateTime) now = NULL;
  GOptionEntry entries[] = {
    { "cases", 0, 0, G_OPTION_ARG_INT, &n_cases, "Open cases to mark", "N" },
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames per panning run", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  WgMapView *view;
  WgGridLayer *grid_layer;
  WgCaseLayer *case_layer;
  ShumateViewport *viewport;
  GskRenderer *renderer;
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  grids = map_grids_new (&township);
  now = g_date_time_new_now_utc ();
  markers = wg_case_markers_new ();
  start = g_get_monotonic_time ();
  map_grids_add_cases (&township, markers, n_cases, 3, now);
  printf ("Case marker benchmark: %u synthetic grids, %d open cases, %d × %d pixels\n",
          g_list_model_get_n_items (G_LIST_MODEL (grids)), n_cases, WIDTH, HEIGHT);
  printf ("  %-44s %8.1f ms\n", "making the markers (states, urgency, deadlines)", (g_get_monotonic_time () - start) / 1000.0);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  view = WG_MAP_VIEW (wg_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  wg_map_view_set_grids (view, G_LIST_MODEL (grids));
  gtk_window_present (GTK_WINDOW (window));
  spin (500);

  grid_layer = wg_map_view_get_grid_layer (view);
  case_layer = wg_map_view_get_case_layer (view);
  viewport = shumate_map_get_viewport (wg_map_view_get_map (view));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  printf ("  renderer: %s, layers %d × %d\n", G_OBJECT_TYPE_NAME (renderer),
          gtk_widget_get_width (GTK_WIDGET (case_layer)), gtk_widget_get_height (GTK_WIDGET (case_layer)));

  start = g_get_monotonic_time ();
  wg_map_view_set_case_markers (view, markers);
  printf ("  %-44s %8.1f ms\n", "handing the markers to the view (projection)", (g_get_monotonic_time () - start) / 1000.0);
  g_object_set_data (G_OBJECT (case_layer), "bench-markers", markers);

  run_at (viewport, grid_layer, case_layer, renderer, 12.3, "Township view, clustered");
  run_at (viewport, grid_layer, case_layer, renderer, 14.5, "Village view, smaller clusters");
  run_at (viewport, grid_layer, case_layer, renderer, 17.5, "Street view, every case alone");

  printf ("\nTarget: at most 16 ms per frame.\n");

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
