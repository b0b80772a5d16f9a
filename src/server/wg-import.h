/* wg-import.h — importing grid boundaries from a GeoJSON FeatureCollection
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wg-db.h"

G_BEGIN_DECLS

gboolean wg_import_grids (WgDb        *db,
                          const char  *path,
                          gboolean     from_gcj02,
                          const char  *village_id,
                          guint       *out_created,
                          guint       *out_updated,
                          GError     **error);

G_END_DECLS
