/* wg-blank-map-source.h — a map source with no tiles: the projection the map needs, offline
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define WG_TYPE_BLANK_MAP_SOURCE (wg_blank_map_source_get_type ())

G_DECLARE_FINAL_TYPE (WgBlankMapSource, wg_blank_map_source, WG, BLANK_MAP_SOURCE, ShumateMapSource)

WgBlankMapSource *wg_blank_map_source_new (void);

G_END_DECLS
