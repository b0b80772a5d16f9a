/* wg-map-view.h — the grid map: the township's grids on a map, coloured by a metric, details on click
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <shumate/shumate.h>

#include "wg-case-layer.h"
#include "wg-case-marker.h"
#include "wg-grid-layer.h"
#include "wg-map-grid.h"
#include "wg-map-metric.h"

G_BEGIN_DECLS

#define WG_TYPE_MAP_VIEW (wg_map_view_get_type ())

G_DECLARE_FINAL_TYPE (WgMapView, wg_map_view, WG, MAP_VIEW, GtkWidget)

GtkWidget   *wg_map_view_new                (void);
GListModel  *wg_map_view_get_grids          (WgMapView        *self);
void         wg_map_view_set_grids          (WgMapView        *self,
                                             GListModel       *grids);
WgMapMetric  wg_map_view_get_metric         (WgMapView        *self);
void         wg_map_view_set_metric         (WgMapView        *self,
                                             WgMapMetric       metric);
WgMapGrid   *wg_map_view_get_selected_grid  (WgMapView        *self);
gboolean     wg_map_view_select_grid        (WgMapView        *self,
                                             const char       *id,
                                             gboolean          fly_to);
WgMapGrid   *wg_map_view_search             (WgMapView        *self,
                                             const char       *text);
void         wg_map_view_show_all           (WgMapView        *self,
                                             gboolean          animate);
void         wg_map_view_set_base_map       (WgMapView        *self,
                                             ShumateMapSource *source);
void         wg_map_view_set_base_map_full  (WgMapView        *self,
                                             ShumateMapSource *source,
                                             ShumateMapSource *overlay);
void         wg_map_view_set_base_map_url   (WgMapView        *self,
                                             const char       *url_template,
                                             const char       *attribution,
                                             guint             max_zoom);
ShumateMapSource *wg_map_view_get_base_map  (WgMapView        *self);
ShumateMapSource *wg_map_view_get_overlay_map (WgMapView      *self);
void         wg_map_view_set_base_map_problem (WgMapView      *self,
                                               const char     *message);
WgMapCases   wg_map_view_get_cases          (WgMapView        *self);
void         wg_map_view_set_cases          (WgMapView        *self,
                                             WgMapCases        cases);
GArray      *wg_map_view_get_case_markers   (WgMapView        *self);
void         wg_map_view_set_case_markers   (WgMapView        *self,
                                             GArray           *markers);
WgCaseLayer *wg_map_view_get_case_layer     (WgMapView        *self);
ShumateMap  *wg_map_view_get_map            (WgMapView        *self);
WgGridLayer *wg_map_view_get_grid_layer     (WgMapView        *self);

G_END_DECLS
