/* wg-mercator.h — Web Mercator (EPSG:3857) as map tiles use it: lon/lat ↔ normalised x/y ↔ pixels
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "wg-geometry.h"

G_BEGIN_DECLS

/* The tile size every XYZ, TMS and MBTiles source in the project uses. */
#define WG_MERCATOR_TILE_SIZE 256

/* Web Mercator is square: beyond this latitude y leaves [0, 1]. */
#define WG_MERCATOR_MAX_LATITUDE 85.0511287798066

/* A box in normalised Mercator space: x grows east, y grows south, the world is [0, 1]². */
typedef struct
{
  double min_x;
  double min_y;
  double max_x;
  double max_y;
} WgMercatorBox;

double   wg_mercator_x_from_lon         (double               lon);
double   wg_mercator_y_from_lat         (double               lat);
double   wg_mercator_lon_from_x         (double               x);
double   wg_mercator_lat_from_y         (double               y);

double   wg_mercator_world_size         (double               zoom);
void     wg_mercator_to_pixels          (double               lon,
                                         double               lat,
                                         double               zoom,
                                         double              *out_x,
                                         double              *out_y);
void     wg_mercator_from_pixels        (double               x,
                                         double               y,
                                         double               zoom,
                                         double              *out_lon,
                                         double              *out_lat);
void     wg_mercator_tile_at            (double               lon,
                                         double               lat,
                                         int                  zoom,
                                         int                 *out_tile_x,
                                         int                 *out_tile_y);

void     wg_mercator_box_init_empty     (WgMercatorBox       *box);
gboolean wg_mercator_box_is_empty       (const WgMercatorBox *box);
void     wg_mercator_box_extend         (WgMercatorBox       *box,
                                         double               x,
                                         double               y);
void     wg_mercator_box_union          (WgMercatorBox       *box,
                                         const WgMercatorBox *other);
void     wg_mercator_box_from_bbox      (const WgBBox        *bbox,
                                         WgMercatorBox       *out_box);
gboolean wg_mercator_box_intersects     (const WgMercatorBox *a,
                                         const WgMercatorBox *b);
gboolean wg_mercator_box_contains       (const WgMercatorBox *box,
                                         double               x,
                                         double               y);
void     wg_mercator_box_get_center     (const WgMercatorBox *box,
                                         double              *out_lon,
                                         double              *out_lat);
double   wg_mercator_box_zoom_to_fit    (const WgMercatorBox *box,
                                         double               width,
                                         double               height);

G_END_DECLS
