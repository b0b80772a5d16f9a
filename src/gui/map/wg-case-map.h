/* wg-case-map.h — a small map of one case: where it is, its grid outlined, the grids around it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the case detail. Give it the grids once (the Map section's model: wg_map_page_get_grids ())
 * and a case record whenever the selection changes:
 *
 *   GtkWidget *map = wg_case_map_new ();
 *   wg_case_map_set_grids (WG_CASE_MAP (map), grids);
 *   wg_case_map_set_case (WG_CASE_MAP (map), wg_record_get_json (record));
 *
 * It follows the grid model's changes; it takes no input (a picture, not a second map).
 *
 * The new case's map is pickable: it frames the township, and a click says where:
 *
 *   wg_case_map_set_pickable (WG_CASE_MAP (map), TRUE);
 *   g_signal_connect (map, "picked", G_CALLBACK (picked_cb), self);   // (map, lon, lat)
 *   wg_case_map_show_point (WG_CASE_MAP (map), grid_id, lon, lat);
 */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <shumate/shumate.h>

#include "wg-map-grid.h"

G_BEGIN_DECLS

#define WG_TYPE_CASE_MAP (wg_case_map_get_type ())

G_DECLARE_FINAL_TYPE (WgCaseMap, wg_case_map, WG, CASE_MAP, GtkWidget)

GtkWidget        *wg_case_map_new            (void);
GListModel       *wg_case_map_get_grids      (WgCaseMap        *self);
void              wg_case_map_set_grids      (WgCaseMap        *self,
                                              GListModel       *grids);
void              wg_case_map_set_case       (WgCaseMap        *self,
                                              JsonObject       *record);
gboolean          wg_case_map_get_location   (WgCaseMap        *self,
                                              double           *out_lon,
                                              double           *out_lat);
const char       *wg_case_map_get_grid_id    (WgCaseMap        *self);
void              wg_case_map_set_base_map   (WgCaseMap        *self,
                                              ShumateMapSource *source);
ShumateMap       *wg_case_map_get_map        (WgCaseMap        *self);
void              wg_case_map_set_pickable   (WgCaseMap        *self,
                                              gboolean          pickable);
gboolean          wg_case_map_get_pickable   (WgCaseMap        *self);
void              wg_case_map_show_point     (WgCaseMap        *self,
                                              const char       *grid_id,
                                              double            lon,
                                              double            lat);
void              wg_case_map_frame          (WgCaseMap        *self);
WgMapGrid        *wg_case_map_find_grid      (WgCaseMap        *self,
                                              double            lon,
                                              double            lat);

G_END_DECLS
