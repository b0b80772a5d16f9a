/* test-mercator.c — Web Mercator against known points and precomputed tile numbers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>

#include "wg-mercator.h"

static void
test_origin (void)
{
  double x, y, lon, lat;

  g_assert_cmpfloat_with_epsilon (wg_mercator_x_from_lon (0), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (wg_mercator_y_from_lat (0), 0.5, 1e-12);

  /* Zoom 0 is one 256-pixel tile; (0, 0) is its centre. */
  wg_mercator_to_pixels (0, 0, 0, &x, &y);
  g_assert_cmpfloat_with_epsilon (x, 128, 1e-9);
  g_assert_cmpfloat_with_epsilon (y, 128, 1e-9);

  wg_mercator_from_pixels (128, 128, 0, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (lon, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (lat, 0, 1e-9);
}

static void
test_edges (void)
{
  int tx, ty;

  /* 180° is the east edge of the world, -180° the west edge. */
  g_assert_cmpfloat_with_epsilon (wg_mercator_x_from_lon (180), 1.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (wg_mercator_x_from_lon (-180), 0.0, 1e-12);
  g_assert_cmpfloat_with_epsilon (wg_mercator_lon_from_x (1.0), 180, 1e-9);

  /* The square's corners are at ±85.0511°; beyond it, clamped. */
  g_assert_cmpfloat_with_epsilon (wg_mercator_y_from_lat (WG_MERCATOR_MAX_LATITUDE), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (wg_mercator_y_from_lat (-WG_MERCATOR_MAX_LATITUDE), 1.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (wg_mercator_y_from_lat (90), 0.0, 1e-9);
  g_assert_cmpfloat_with_epsilon (wg_mercator_lat_from_y (0), WG_MERCATOR_MAX_LATITUDE, 1e-9);

  /* 180°E stays in the last column instead of wrapping past the world. */
  wg_mercator_tile_at (180, 0, 1, &tx, &ty);
  g_assert_cmpint (tx, ==, 1);
  g_assert_cmpint (ty, ==, 1);
  wg_mercator_tile_at (-180, WG_MERCATOR_MAX_LATITUDE, 3, &tx, &ty);
  g_assert_cmpint (tx, ==, 0);
  g_assert_cmpint (ty, ==, 0);
}

/* Tile numbers precomputed with the OSM wiki's formula (Python, independently of this code). */
static void
test_majie (void)
{
  int tx, ty;
  double x, y;

  wg_mercator_tile_at (104.3, 24.9, 12, &tx, &ty);
  g_assert_cmpint (tx, ==, 3234);
  g_assert_cmpint (ty, ==, 1755);

  wg_mercator_to_pixels (104.3, 24.9, 12, &x, &y);
  g_assert_cmpfloat_with_epsilon (x / 256, 3234.702222, 1e-5);
  g_assert_cmpfloat_with_epsilon (y / 256, 1755.329871, 1e-5);

  wg_mercator_tile_at (0, 0, 12, &tx, &ty);
  g_assert_cmpint (tx, ==, 2048);
  g_assert_cmpint (ty, ==, 2048);
}

static void
test_round_trip (void)
{
  for (double lat = -80; lat <= 80; lat += 7.3)
    for (double lon = -179; lon <= 179; lon += 13.7)
      {
        double x, y, lon2, lat2;

        wg_mercator_to_pixels (lon, lat, 15.4, &x, &y);
        wg_mercator_from_pixels (x, y, 15.4, &lon2, &lat2);
        g_assert_cmpfloat_with_epsilon (lon2, lon, 1e-9);
        g_assert_cmpfloat_with_epsilon (lat2, lat, 1e-9);
      }
}

static void
test_boxes (void)
{
  WgBBox bbox = { 104.2, 24.8, 104.4, 25.0 };
  WgMercatorBox box, other, empty;
  double lon, lat, zoom;

  wg_mercator_box_from_bbox (&bbox, &box);
  /* North is up: the northern latitude is the smaller y. */
  g_assert_cmpfloat (box.min_y, <, box.max_y);
  g_assert_cmpfloat_with_epsilon (box.min_y, wg_mercator_y_from_lat (25.0), 1e-12);
  g_assert_true (wg_mercator_box_contains (&box, wg_mercator_x_from_lon (104.3), wg_mercator_y_from_lat (24.9)));
  g_assert_false (wg_mercator_box_contains (&box, wg_mercator_x_from_lon (104.5), wg_mercator_y_from_lat (24.9)));

  other = box;
  other.min_x += 0.5 * (box.max_x - box.min_x);
  other.max_x += box.max_x - box.min_x;
  g_assert_true (wg_mercator_box_intersects (&box, &other));
  other.min_x = box.max_x + 1e-9;
  g_assert_false (wg_mercator_box_intersects (&box, &other));

  wg_mercator_box_init_empty (&empty);
  g_assert_true (wg_mercator_box_is_empty (&empty));
  wg_mercator_box_union (&empty, &box);
  g_assert_false (wg_mercator_box_is_empty (&empty));
  g_assert_cmpfloat (empty.min_x, ==, box.min_x);
  g_assert_cmpfloat (empty.max_y, ==, box.max_y);

  /* The centre is the projected middle: Mercator stretches northward, so it lies a little
   * north of the latitudes' mean. */
  wg_mercator_box_get_center (&box, &lon, &lat);
  g_assert_cmpfloat_with_epsilon (lon, 104.3, 1e-9);
  g_assert_cmpfloat (lat, >, 24.9);
  g_assert_cmpfloat (lat, <, 24.91);

  /* 0.2° of longitude is 0.2/360 of the world: at zoom z that is 256·2^z·0.2/360 pixels,
   * which fills 1000 pixels at z = log2 (1000·360 / (256·0.2)) ≈ 12.78. */
  zoom = wg_mercator_box_zoom_to_fit (&box, 1000, 100000);
  g_assert_cmpfloat_with_epsilon (zoom, log2 (1000 * 360 / (256 * 0.2)), 1e-9);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mercator/origin", test_origin);
  g_test_add_func ("/mercator/edges", test_edges);
  g_test_add_func ("/mercator/majie", test_majie);
  g_test_add_func ("/mercator/round-trip", test_round_trip);
  g_test_add_func ("/mercator/boxes", test_boxes);

  return g_test_run ();
}
