/* wg-mbtiles-source.h — base map tiles from an MBTiles file (SQLite), for maps without a network
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <shumate/shumate.h>

G_BEGIN_DECLS

#define WG_MBTILES_ERROR (wg_mbtiles_error_quark ())

typedef enum
{
  WG_MBTILES_ERROR_OPEN,
  WG_MBTILES_ERROR_INVALID,
  WG_MBTILES_ERROR_UNSUPPORTED,
  WG_MBTILES_ERROR_NO_TILE,
  WG_MBTILES_ERROR_READ,
} WgMbtilesError;

#define WG_TYPE_MBTILES_SOURCE (wg_mbtiles_source_get_type ())

G_DECLARE_FINAL_TYPE (WgMbtilesSource, wg_mbtiles_source, WG, MBTILES_SOURCE, ShumateDataSource)

GQuark            wg_mbtiles_error_quark                (void);
WgMbtilesSource  *wg_mbtiles_source_new                 (GFile                *file,
                                                         GCancellable         *cancellable,
                                                         GError              **error);
void              wg_mbtiles_source_new_async           (GFile                *file,
                                                         GCancellable         *cancellable,
                                                         GAsyncReadyCallback   callback,
                                                         gpointer              user_data);
WgMbtilesSource  *wg_mbtiles_source_new_finish          (GAsyncResult         *result,
                                                         GError              **error);
GFile            *wg_mbtiles_source_get_file            (WgMbtilesSource      *self);
const char       *wg_mbtiles_source_get_name            (WgMbtilesSource      *self);
const char       *wg_mbtiles_source_get_attribution     (WgMbtilesSource      *self);
const char       *wg_mbtiles_source_get_format          (WgMbtilesSource      *self);
ShumateMapSource *wg_mbtiles_source_create_map_source   (WgMbtilesSource      *self);

G_END_DECLS
