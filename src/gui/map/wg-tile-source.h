/* wg-tile-source.h — base map tiles from an XYZ or WMTS tile server, through the app's own HTTP session
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <shumate/shumate.h>

#include "wg-api.h"

G_BEGIN_DECLS

#define WG_TILE_ERROR (wg_tile_error_quark ())

typedef enum
{
  WG_TILE_ERROR_TEMPLATE,     /* the address template cannot be used */
  WG_TILE_ERROR_HTTP,         /* the server answered with an error */
  WG_TILE_ERROR_NOT_IMAGE,    /* the server answered with something that is not a picture */
  WG_TILE_ERROR_NETWORK,      /* no answer */
} WgTileError;

#define WG_TYPE_TILE_SOURCE (wg_tile_source_get_type ())

G_DECLARE_FINAL_TYPE (WgTileSource, wg_tile_source, WG, TILE_SOURCE, ShumateDataSource)

GQuark            wg_tile_error_quark                 (void);

gboolean          wg_tile_template_check              (const char    *url_template,
                                                       GError       **error);
char             *wg_tile_template_expand             (const char    *url_template,
                                                       int            x,
                                                       int            y,
                                                       int            zoom);
char             *wg_tile_template_get_host           (const char    *url_template);

WgTileSource     *wg_tile_source_new                  (const char    *url_template,
                                                       WgApi         *api,
                                                       guint          max_zoom);
const char       *wg_tile_source_get_url_template     (WgTileSource  *self);
const char       *wg_tile_source_get_error            (WgTileSource  *self);
guint             wg_tile_source_get_n_received       (WgTileSource  *self);
ShumateMapSource *wg_tile_source_create_map_source    (WgTileSource  *self,
                                                       const char    *id,
                                                       const char    *name,
                                                       const char    *attribution);

G_END_DECLS
