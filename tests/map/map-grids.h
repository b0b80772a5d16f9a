/* map-grids.h — synthetic grids for the map's tests and benchmark: a rectangle of jittered cells
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wg-case-marker.h"
#include "wg-map-grid.h"

G_BEGIN_DECLS

typedef struct
{
  guint  cols;
  guint  rows;
  double center_lon;
  double center_lat;
  double cell_deg;     /* cell width in degrees of longitude; height is 0.9 of it */
  guint  villages_x;
  guint  villages_y;
  guint  seed;
} MapGridsSpec;

GListStore *map_grids_new        (const MapGridsSpec *spec);
char       *map_grids_id         (guint               row,
                                  guint               col,
                                  const MapGridsSpec *spec);
void        map_grids_cell_point (const MapGridsSpec *spec,
                                  guint               row,
                                  guint               col,
                                  double             *out_lon,
                                  double             *out_lat);
void        map_grids_add_cases  (const MapGridsSpec *spec,
                                  GArray             *markers,
                                  guint               n_cases,
                                  guint               seed,
                                  GDateTime          *now);

G_END_DECLS
