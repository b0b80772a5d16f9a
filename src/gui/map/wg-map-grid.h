/* wg-map-grid.h — one grid as the map draws it: identity, boundary and the figures it colours by
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "wg-geometry.h"
#include "wg-map-metric.h"

G_BEGIN_DECLS

#define WG_TYPE_MAP_GRID (wg_map_grid_get_type ())

G_DECLARE_FINAL_TYPE (WgMapGrid, wg_map_grid, WG, MAP_GRID, GObject)

WgMapGrid       *wg_map_grid_new               (const char           *id,
                                                const char           *code,
                                                const char           *name,
                                                const char           *village_id,
                                                WgPolygon            *boundary);
const char      *wg_map_grid_get_id            (WgMapGrid            *self);
const char      *wg_map_grid_get_code          (WgMapGrid            *self);
void             wg_map_grid_set_code          (WgMapGrid            *self,
                                                const char           *code);
const char      *wg_map_grid_get_name          (WgMapGrid            *self);
void             wg_map_grid_set_name          (WgMapGrid            *self,
                                                const char           *name);
const char      *wg_map_grid_get_village_id    (WgMapGrid            *self);
void             wg_map_grid_set_village_id    (WgMapGrid            *self,
                                                const char           *village_id);
const char      *wg_map_grid_get_village_name  (WgMapGrid            *self);
void             wg_map_grid_set_village_name  (WgMapGrid            *self,
                                                const char           *village_name);
const char      *wg_map_grid_get_group_names   (WgMapGrid            *self);
void             wg_map_grid_set_group_names   (WgMapGrid            *self,
                                                const char           *group_names);
int              wg_map_grid_get_population    (WgMapGrid            *self);
void             wg_map_grid_set_population    (WgMapGrid            *self,
                                                int                   population);
const char * const *wg_map_grid_get_institutions (WgMapGrid          *self);
void             wg_map_grid_set_institutions  (WgMapGrid            *self,
                                                const char * const   *institutions);
const char      *wg_map_grid_get_party_branch  (WgMapGrid            *self);
void             wg_map_grid_set_party_branch  (WgMapGrid            *self,
                                                const char           *party_branch);
const char * const *wg_map_grid_get_people    (WgMapGrid            *self);
void             wg_map_grid_set_people        (WgMapGrid            *self,
                                                const char * const   *people);
WgPolygon       *wg_map_grid_get_boundary      (WgMapGrid            *self);
gboolean         wg_map_grid_get_inner_point   (WgMapGrid            *self,
                                                double               *out_lon,
                                                double               *out_lat);
void             wg_map_grid_set_boundary      (WgMapGrid            *self,
                                                WgPolygon            *boundary);
void             wg_map_grid_get_stats         (WgMapGrid            *self,
                                                WgMapGridStats       *out_stats);
void             wg_map_grid_set_stats         (WgMapGrid            *self,
                                                const WgMapGridStats *stats);
int              wg_map_grid_get_households    (WgMapGrid            *self);
double           wg_map_grid_get_metric_value  (WgMapGrid            *self,
                                                WgMapMetric           metric);

G_END_DECLS
