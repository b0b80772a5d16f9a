/* wg-grid-layer.h — a libshumate layer that draws every grid, coloured by a metric, and hit-tests them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "wg-map-grid.h"
#include "wg-map-metric.h"
#include "wg-mercator.h"

G_BEGIN_DECLS

#define WG_TYPE_GRID_LAYER (wg_grid_layer_get_type ())

G_DECLARE_FINAL_TYPE (WgGridLayer, wg_grid_layer, WG, GRID_LAYER, ShumateLayer)

WgGridLayer *wg_grid_layer_new                (ShumateViewport *viewport);
GListModel  *wg_grid_layer_get_grids          (WgGridLayer     *self);
void         wg_grid_layer_set_grids          (WgGridLayer     *self,
                                               GListModel      *grids);
WgMapMetric  wg_grid_layer_get_metric         (WgGridLayer     *self);
void         wg_grid_layer_set_metric         (WgGridLayer     *self,
                                               WgMapMetric      metric);
WgMapGrid   *wg_grid_layer_get_hovered_grid   (WgGridLayer     *self);
WgMapGrid   *wg_grid_layer_get_selected_grid  (WgGridLayer     *self);
void         wg_grid_layer_set_selected_grid  (WgGridLayer     *self,
                                               WgMapGrid       *grid);
WgMapGrid   *wg_grid_layer_grid_at            (WgGridLayer     *self,
                                               double           x,
                                               double           y);
WgMapGrid   *wg_grid_layer_find_grid          (WgGridLayer     *self,
                                               const char      *id);
gboolean     wg_grid_layer_get_extent         (WgGridLayer     *self,
                                               WgMercatorBox   *out_box);
void         wg_grid_layer_get_grid_extent    (WgGridLayer     *self,
                                               WgMapGrid       *grid,
                                               WgMercatorBox   *out_box);
double       wg_grid_layer_get_fill_opacity   (WgGridLayer     *self);
void         wg_grid_layer_set_fill_opacity   (WgGridLayer     *self,
                                               double           opacity);

/* For the benchmark and the tests: how long a frame may spend drawing tiles not yet cached
 * (0 = draw them all at once), dropping the cache, and how many tiles the last frame left
 * for later. */
void         _wg_grid_layer_set_tile_budget   (WgGridLayer     *self,
                                               gint64           budget_us);
void         _wg_grid_layer_drop_cache        (WgGridLayer     *self);
guint        _wg_grid_layer_get_n_pending     (WgGridLayer     *self);
guint        _wg_grid_layer_get_n_cached      (WgGridLayer     *self);

G_END_DECLS
