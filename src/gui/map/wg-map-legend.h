/* wg-map-legend.h — the key to the grid map's colours for the chosen metric
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "wg-case-marker.h"
#include "wg-map-metric.h"

G_BEGIN_DECLS

#define WG_TYPE_MAP_LEGEND (wg_map_legend_get_type ())

G_DECLARE_FINAL_TYPE (WgMapLegend, wg_map_legend, WG, MAP_LEGEND, GtkWidget)

GtkWidget   *wg_map_legend_new        (void);
WgMapMetric  wg_map_legend_get_metric (WgMapLegend *self);
void         wg_map_legend_set_metric (WgMapLegend *self,
                                       WgMapMetric  metric);
WgMapCases   wg_map_legend_get_cases  (WgMapLegend *self);
void         wg_map_legend_set_cases  (WgMapLegend *self,
                                       WgMapCases   cases);

G_END_DECLS
