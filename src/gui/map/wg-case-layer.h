/* wg-case-layer.h — a libshumate layer that marks cases, clustered where they crowd
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "wg-case-marker.h"
#include "wg-mercator.h"

G_BEGIN_DECLS

#define WG_TYPE_CASE_LAYER (wg_case_layer_get_type ())

G_DECLARE_FINAL_TYPE (WgCaseLayer, wg_case_layer, WG, CASE_LAYER, ShumateLayer)

WgCaseLayer *wg_case_layer_new           (ShumateViewport *viewport);
GArray      *wg_case_layer_get_markers   (WgCaseLayer     *self);
void         wg_case_layer_set_markers   (WgCaseLayer     *self,
                                          GArray          *markers);
guint        wg_case_layer_item_at       (WgCaseLayer     *self,
                                          double           x,
                                          double           y,
                                          const char     **out_case_id,
                                          WgMercatorBox   *out_box);

/* For the tests and the benchmark: what the last frame drew (clusters and single markers),
 * in widget coordinates, and how many markers are in each. */
guint        _wg_case_layer_get_n_drawn  (WgCaseLayer     *self);
void         _wg_case_layer_get_drawn    (WgCaseLayer     *self,
                                          guint            index,
                                          double          *out_x,
                                          double          *out_y,
                                          guint           *out_count);
guint        _wg_case_layer_get_cluster_level (WgCaseLayer *self);

G_END_DECLS
