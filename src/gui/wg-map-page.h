/* wg-map-page.h — the Map section: the cached grids on the map, coloured by the cached cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-map-view.h"
#include "wg-store.h"

G_BEGIN_DECLS

#define WG_TYPE_MAP_PAGE (wg_map_page_get_type ())

G_DECLARE_FINAL_TYPE (WgMapPage, wg_map_page, WG, MAP_PAGE, AdwBin)

void              wg_map_page_set_store    (WgMapPage *self,
                                            WgStore   *store);
GListModel       *wg_map_page_get_grids    (WgMapPage *self);
ShumateMapSource *wg_map_page_get_base_map (WgMapPage *self);
WgMapView        *wg_map_page_get_view     (WgMapPage *self);

G_END_DECLS
