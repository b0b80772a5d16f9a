/* bench-grid-map.c — the grid layer with 10,000 grids: first draw, panning, and one cached texture
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A county of 100 × 100 synthetic grids in a 1600 × 1000 map view. Each frame is measured as
 * the work the frame clock would do for the layer: snapshot it and render the node with the
 * window's renderer (to a texture, which also waits for the GPU). Printed side by side in the
 * same run: the first full draw (every visible tile drawn), panning frames, and compositing a
 * single cached texture of the same size, against the 16 ms frame target.
 *
 * Usage: bench-grid-map [--frames N]
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdio.h>

#include "map-grids.h"
#include "wg-map-view.h"

#define WIDTH 1600
#define HEIGHT 1000

static const MapGridsSpec county = { 100, 100, 104.3, 24.9, 0.01, 10, 10, 11 };

static int n_frames = 120;

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

/* One frame of the layer: snapshot, then render; returns milliseconds. */
static double
frame (GtkWidget   *layer,
       GskRenderer *renderer)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 start = g_get_monotonic_time ();
  GtkWidgetClass *klass = GTK_WIDGET_GET_CLASS (layer);

  klass->snapshot (layer, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node != NULL)
    texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  return (g_get_monotonic_time () - start) / 1000.0;
}

static double
frame_texture (GdkTexture  *cached,
               GskRenderer *renderer,
               double       dx,
               double       dy)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  gint64 start = g_get_monotonic_time ();

  gtk_snapshot_append_texture (snapshot, cached, &GRAPHENE_RECT_INIT (dx, dy, WIDTH, HEIGHT));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
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

/* Pans @n_frames frames at @speed pixels per frame, round a circle back to the start, as a
 * drag that wanders would: it stays over the grids and keeps bringing new tiles into view. */
static void
pan (WgGridLayer     *layer,
     ShumateViewport *viewport,
     GskRenderer     *renderer,
     double           speed,
     GArray          *ms,
     guint           *out_partial)
{
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double world = wg_mercator_world_size (zoom);
  double x0 = wg_mercator_x_from_lon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport))) * world;
  double y0 = wg_mercator_y_from_lat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport))) * world;
  double radius = speed * n_frames / (2 * G_PI);

  *out_partial = 0;
  for (int i = 1; i <= n_frames; i++)
    {
      double angle = 2 * G_PI * i / n_frames;
      double x = x0 + radius * sin (angle);
      double y = y0 + radius * (1 - cos (angle));
      double t;

      shumate_location_set_location (SHUMATE_LOCATION (viewport),
                                     wg_mercator_lat_from_y (y / world), wg_mercator_lon_from_x (x / world));
      t = frame (GTK_WIDGET (layer), renderer);
      g_array_append_val (ms, t);
      if (_wg_grid_layer_get_n_pending (layer) > 0)
        (*out_partial)++;
    }
}

static double
first_draw (WgGridLayer *layer,
            GskRenderer *renderer,
            guint       *out_tiles)
{
  double t;

  _wg_grid_layer_drop_cache (layer);
  _wg_grid_layer_set_tile_budget (layer, 0);
  t = frame (GTK_WIDGET (layer), renderer);
  *out_tiles = _wg_grid_layer_get_n_cached (layer);
  _wg_grid_layer_set_tile_budget (layer, 7 * G_TIME_SPAN_MILLISECOND);
  return t;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GListStore) grids = NULL;
  g_autoptr(GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GdkTexture) cached = NULL;
  GOptionEntry entries[] = {
    { "frames", 0, 0, G_OPTION_ARG_INT, &n_frames, "Frames per panning run", "N" },
    { NULL }
  };
  g_autoptr(GError) error = NULL;
  GtkWidget *window;
  WgMapView *view;
  WgGridLayer *layer;
  ShumateViewport *viewport;
  GskRenderer *renderer;
  gint64 start;
  double t;
  guint tiles;
  guint partial;

  g_autoptr(GOptionContext) context = g_option_context_new (NULL);

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);

  start = g_get_monotonic_time ();
  grids = map_grids_new (&county);
  printf ("Grid map benchmark: %u synthetic grids (%u × %u), %d × %d pixels\n",
          g_list_model_get_n_items (G_LIST_MODEL (grids)), county.cols, county.rows, WIDTH, HEIGHT);
  printf ("  building the grids (GeoJSON → WgPolygon)     %8.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), WIDTH, HEIGHT);
  view = WG_MAP_VIEW (wg_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  gtk_window_present (GTK_WINDOW (window));
  spin (500);

  layer = wg_map_view_get_grid_layer (view);
  viewport = shumate_map_get_viewport (wg_map_view_get_map (view));
  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  printf ("  renderer: %s, layer %d × %d\n", G_OBJECT_TYPE_NAME (renderer),
          gtk_widget_get_width (GTK_WIDGET (layer)), gtk_widget_get_height (GTK_WIDGET (layer)));
  if (gtk_widget_get_width (GTK_WIDGET (layer)) != WIDTH || gtk_widget_get_height (GTK_WIDGET (layer)) != HEIGHT)
    printf ("  (the window manager or display gave another size; figures are for that size)\n");

  /* Loading: the model, the index and the shared edges, as the first frame pays for them. */
  start = g_get_monotonic_time ();
  wg_map_view_set_grids (view, G_LIST_MODEL (grids));
  {
    WgMercatorBox box;

    wg_grid_layer_get_extent (layer, &box);
  }
  printf ("  loading the model (projection, index, edges) %8.1f ms\n", (g_get_monotonic_time () - start) / 1000.0);
  wg_map_view_show_all (view, FALSE);
  spin (300);

  printf ("\nCounty view (zoom %.2f, all 10,000 grids visible):\n", shumate_viewport_get_zoom_level (viewport));
  t = first_draw (layer, renderer, &tiles);
  printf ("  %-44s %8.1f ms  (%u tiles of 512 px)\n", "first full draw (every tile, no budget)", t, tiles);

  pan (layer, viewport, renderer, 6, ms, &partial);
  report ("panning, 6 px/frame", ms);
  printf ("  %-44s %u of %d\n", "  frames leaving new tiles for the next frame", partial, n_frames);

  /* The same size as the frame, one texture, same renderer. */
  {
    g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
    g_autoptr(GskRenderNode) node = NULL;

    GTK_WIDGET_GET_CLASS (layer)->snapshot (GTK_WIDGET (layer), snapshot);
    node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    cached = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, WIDTH, HEIGHT));
  }
  g_array_set_size (ms, 0);
  for (int i = 0; i < n_frames; i++)
    {
      t = frame_texture (cached, renderer, -i * 6.0, -i * 3.0);
      g_array_append_val (ms, t);
    }
  report ("one cached texture of the same size", ms);

  /* Fast panning: 40 px per frame brings new tiles in every few frames. */
  g_array_set_size (ms, 0);
  pan (layer, viewport, renderer, 40, ms, &partial);
  report ("panning, 40 px/frame", ms);
  printf ("  %-44s %u of %d\n", "  frames leaving new tiles for the next frame", partial, n_frames);

  /* Zoomed in on the township centre, names and codes drawn. */
  shumate_viewport_set_zoom_level (viewport, 15);
  shumate_location_set_location (SHUMATE_LOCATION (viewport), 24.9, 104.3);
  spin (300);
  printf ("\nStreet view (zoom 15, labels on):\n");
  t = first_draw (layer, renderer, &tiles);
  printf ("  %-44s %8.1f ms  (%u tiles of 512 px)\n", "first full draw (every tile, no budget)", t, tiles);
  g_array_set_size (ms, 0);
  pan (layer, viewport, renderer, 6, ms, &partial);
  report ("panning, 6 px/frame", ms);
  printf ("  %-44s %u of %d\n", "  frames leaving new tiles for the next frame", partial, n_frames);
  g_array_set_size (ms, 0);
  pan (layer, viewport, renderer, 40, ms, &partial);
  report ("panning, 40 px/frame", ms);
  printf ("  %-44s %u of %d\n", "  frames leaving new tiles for the next frame", partial, n_frames);
  g_array_set_size (ms, 0);
  for (int i = 0; i < n_frames; i++)
    {
      t = frame_texture (cached, renderer, -i * 6.0, -i * 3.0);
      g_array_append_val (ms, t);
    }
  report ("one cached texture of the same size", ms);

  printf ("\nTarget: at most 16 ms per frame after the first draw.\n");

  gtk_window_destroy (GTK_WINDOW (window));
  return 0;
}
