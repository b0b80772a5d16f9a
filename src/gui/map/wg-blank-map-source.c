/* wg-blank-map-source.c — a map source with no tiles: the projection the map needs, offline
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ShumateViewport converts between pixels and locations through a reference map source, so
 * even a map without a base map needs one. This one defines Web Mercator with 256-pixel tiles
 * and zoom 0–20 and never loads anything: with no base map configured the map is a neutral
 * background with the grids on it, and works without a network.
 */
#define G_LOG_DOMAIN "WgBlankMapSource"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-blank-map-source.h"

struct _WgBlankMapSource
{
  ShumateMapSource parent_instance;
};

G_DEFINE_FINAL_TYPE (WgBlankMapSource, wg_blank_map_source, SHUMATE_TYPE_MAP_SOURCE)

/* Only reached if someone puts this source in a ShumateMapLayer: the tile stays empty. */
static void
wg_blank_map_source_fill_tile_async (ShumateMapSource    *source,
                                     ShumateTile         *tile,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source, cancellable, callback, user_data);

  g_task_set_source_tag (task, wg_blank_map_source_fill_tile_async);
  shumate_tile_set_state (tile, SHUMATE_STATE_DONE);
  g_task_return_boolean (task, TRUE);
}

static gboolean
wg_blank_map_source_fill_tile_finish (ShumateMapSource  *source,
                                      GAsyncResult      *result,
                                      GError           **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
wg_blank_map_source_class_init (WgBlankMapSourceClass *klass)
{
  ShumateMapSourceClass *source_class = SHUMATE_MAP_SOURCE_CLASS (klass);

  source_class->fill_tile_async = wg_blank_map_source_fill_tile_async;
  source_class->fill_tile_finish = wg_blank_map_source_fill_tile_finish;
}

static void
wg_blank_map_source_init (WgBlankMapSource *self)
{
}

WgBlankMapSource *
wg_blank_map_source_new (void)
{
  return g_object_new (WG_TYPE_BLANK_MAP_SOURCE,
                       "id", "wangge-blank",
                       "name", _("No base map"),
                       "min-zoom-level", 0,
                       "max-zoom-level", 20,
                       "tile-size", 256,
                       "projection", SHUMATE_MAP_PROJECTION_MERCATOR,
                       NULL);
}
