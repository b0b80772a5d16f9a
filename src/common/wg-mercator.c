/* wg-mercator.c — Web Mercator (EPSG:3857) as map tiles use it: lon/lat ↔ normalised x/y ↔ pixels
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything works in normalised coordinates ([0, 1]², north-west origin) so one projection
 * serves every zoom level: pixels are the normalised value times 256·2^zoom. The same formula
 * as libshumate's ShumateMapSource, so what we draw lines up with its tiles and viewport.
 */
#define G_LOG_DOMAIN "WgMercator"

#include "config.h"

#include <math.h>

#include "wg-mercator.h"

double
wg_mercator_x_from_lon (double lon)
{
  return (lon + 180.0) / 360.0;
}

double
wg_mercator_y_from_lat (double lat)
{
  double rad;

  /* Clamped, or the poles would project to infinity. */
  lat = CLAMP (lat, -WG_MERCATOR_MAX_LATITUDE, WG_MERCATOR_MAX_LATITUDE);
  rad = lat * G_PI / 180.0;
  return (1.0 - log (tan (rad) + 1.0 / cos (rad)) / G_PI) / 2.0;
}

double
wg_mercator_lon_from_x (double x)
{
  return x * 360.0 - 180.0;
}

double
wg_mercator_lat_from_y (double y)
{
  double n = G_PI - 2.0 * G_PI * y;

  return 180.0 / G_PI * atan (0.5 * (exp (n) - exp (-n)));
}

/* The width (and height) of the whole world in pixels; fractional zoom levels scale smoothly,
 * as libshumate's tile_size_at_zoom × column_count does. */
double
wg_mercator_world_size (double zoom)
{
  return WG_MERCATOR_TILE_SIZE * exp2 (zoom);
}

void
wg_mercator_to_pixels (double  lon,
                       double  lat,
                       double  zoom,
                       double *out_x,
                       double *out_y)
{
  double size = wg_mercator_world_size (zoom);

  g_return_if_fail (out_x != NULL && out_y != NULL);

  *out_x = wg_mercator_x_from_lon (lon) * size;
  *out_y = wg_mercator_y_from_lat (lat) * size;
}

void
wg_mercator_from_pixels (double  x,
                         double  y,
                         double  zoom,
                         double *out_lon,
                         double *out_lat)
{
  double size = wg_mercator_world_size (zoom);

  g_return_if_fail (out_lon != NULL && out_lat != NULL);

  *out_lon = wg_mercator_lon_from_x (x / size);
  *out_lat = wg_mercator_lat_from_y (y / size);
}

void
wg_mercator_tile_at (double  lon,
                     double  lat,
                     int     zoom,
                     int    *out_tile_x,
                     int    *out_tile_y)
{
  int n;

  g_return_if_fail (zoom >= 0 && zoom <= 30);
  g_return_if_fail (out_tile_x != NULL && out_tile_y != NULL);

  n = 1 << zoom;
  /* 180°E is the east edge of the last column, not the start of a column past the world. */
  *out_tile_x = CLAMP ((int) floor (wg_mercator_x_from_lon (lon) * n), 0, n - 1);
  *out_tile_y = CLAMP ((int) floor (wg_mercator_y_from_lat (lat) * n), 0, n - 1);
}

void
wg_mercator_box_init_empty (WgMercatorBox *box)
{
  g_return_if_fail (box != NULL);

  *box = (WgMercatorBox) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };
}

gboolean
wg_mercator_box_is_empty (const WgMercatorBox *box)
{
  g_return_val_if_fail (box != NULL, TRUE);

  return box->min_x > box->max_x || box->min_y > box->max_y;
}

void
wg_mercator_box_extend (WgMercatorBox *box,
                        double         x,
                        double         y)
{
  g_return_if_fail (box != NULL);

  box->min_x = MIN (box->min_x, x);
  box->min_y = MIN (box->min_y, y);
  box->max_x = MAX (box->max_x, x);
  box->max_y = MAX (box->max_y, y);
}

void
wg_mercator_box_union (WgMercatorBox       *box,
                       const WgMercatorBox *other)
{
  g_return_if_fail (box != NULL && other != NULL);

  if (wg_mercator_box_is_empty (other))
    return;
  wg_mercator_box_extend (box, other->min_x, other->min_y);
  wg_mercator_box_extend (box, other->max_x, other->max_y);
}

/* Latitude grows north but y grows south, so the corners swap. */
void
wg_mercator_box_from_bbox (const WgBBox  *bbox,
                           WgMercatorBox *out_box)
{
  g_return_if_fail (bbox != NULL && out_box != NULL);

  out_box->min_x = wg_mercator_x_from_lon (bbox->min_lon);
  out_box->max_x = wg_mercator_x_from_lon (bbox->max_lon);
  out_box->min_y = wg_mercator_y_from_lat (bbox->max_lat);
  out_box->max_y = wg_mercator_y_from_lat (bbox->min_lat);
}

gboolean
wg_mercator_box_intersects (const WgMercatorBox *a,
                            const WgMercatorBox *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return a->min_x <= b->max_x && b->min_x <= a->max_x &&
         a->min_y <= b->max_y && b->min_y <= a->max_y;
}

gboolean
wg_mercator_box_contains (const WgMercatorBox *box,
                          double               x,
                          double               y)
{
  g_return_val_if_fail (box != NULL, FALSE);

  return x >= box->min_x && x <= box->max_x && y >= box->min_y && y <= box->max_y;
}

/* The centre in projected space, which is what looks centred on screen (the lat/lon midpoint
 * is not, Mercator stretches latitudes). */
void
wg_mercator_box_get_center (const WgMercatorBox *box,
                            double              *out_lon,
                            double              *out_lat)
{
  g_return_if_fail (box != NULL && out_lon != NULL && out_lat != NULL);

  *out_lon = wg_mercator_lon_from_x ((box->min_x + box->max_x) / 2.0);
  *out_lat = wg_mercator_lat_from_y ((box->min_y + box->max_y) / 2.0);
}

/* The largest zoom at which @box fits in width × height pixels; callers clamp it to what
 * their map allows. A degenerate box (a point) fits at any zoom: returns 30. */
double
wg_mercator_box_zoom_to_fit (const WgMercatorBox *box,
                             double               width,
                             double               height)
{
  double bw, bh, zx, zy;

  g_return_val_if_fail (box != NULL, 0.0);
  g_return_val_if_fail (width > 0 && height > 0, 0.0);

  bw = box->max_x - box->min_x;
  bh = box->max_y - box->min_y;
  zx = bw > 0 ? log2 (width / (bw * WG_MERCATOR_TILE_SIZE)) : 30.0;
  zy = bh > 0 ? log2 (height / (bh * WG_MERCATOR_TILE_SIZE)) : 30.0;
  return CLAMP (MIN (zx, zy), 0.0, 30.0);
}
