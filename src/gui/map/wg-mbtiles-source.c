/* wg-mbtiles-source.c — base map tiles from an MBTiles file (SQLite), for maps without a network
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * MBTiles 1.3: a `tiles` table keyed by zoom_level, tile_column and tile_row, where rows count
 * from the south (TMS), so XYZ y is flipped; a `metadata` table of name/value pairs. Only
 * raster tiles (png, jpg, webp) are served: libshumate's raster renderer decodes them.
 *
 * Opening reads the metadata (GInitable; GAsyncInitable runs that in a thread). Tiles are read
 * in GTask worker threads through one read-only connection and one prepared statement,
 * serialised by a mutex: a tile read is a single indexed lookup, the lock is never contended
 * for long, and the main thread never touches SQLite.
 */
#define G_LOG_DOMAIN "WgMbtilesSource"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "wg-mbtiles-source.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _WgMbtilesSource
{
  ShumateDataSource  parent_instance;

  /* Owned */
  GFile             *file;
  char              *name;
  char              *attribution;
  char              *format;
  sqlite3           *db;
  sqlite3_stmt      *tile_stmt;
  GMutex             lock;
  int                min_zoom;
  int                max_zoom;
};

static void wg_mbtiles_source_initable_iface_init       (GInitableIface      *iface);
static void wg_mbtiles_source_async_initable_iface_init (GAsyncInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WgMbtilesSource, wg_mbtiles_source, SHUMATE_TYPE_DATA_SOURCE,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, wg_mbtiles_source_initable_iface_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_ASYNC_INITABLE, wg_mbtiles_source_async_initable_iface_init))

G_DEFINE_QUARK (wg-mbtiles-error-quark, wg_mbtiles_error)

enum {
  PROP_0,
  PROP_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  int x;
  int y;
  int zoom;
} TileRequest;

static gboolean
read_metadata (WgMbtilesSource  *self,
               GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "SELECT name, value FROM metadata", -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_INVALID,
                   _("“%s” is not an MBTiles file: it has no metadata table."),
                   g_file_peek_path (self->file));
      return FALSE;
    }

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (stmt, 0);
      const char *value = (const char *) sqlite3_column_text (stmt, 1);

      if (key == NULL || value == NULL)
        continue;
      if (g_str_equal (key, "name"))
        g_set_str (&self->name, value);
      else if (g_str_equal (key, "attribution"))
        g_set_str (&self->attribution, value);
      else if (g_str_equal (key, "format"))
        g_set_str (&self->format, value);
      else if (g_str_equal (key, "minzoom"))
        self->min_zoom = CLAMP (atoi (value), 0, 30);
      else if (g_str_equal (key, "maxzoom"))
        self->max_zoom = CLAMP (atoi (value), 0, 30);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_READ,
                   _("Could not read the metadata of “%s”: %s"),
                   g_file_peek_path (self->file), sqlite3_errmsg (self->db));
      return FALSE;
    }
  return TRUE;
}

/* Files without minzoom/maxzoom (optional in the spec) get them from the tiles. */
static void
read_zoom_range (WgMbtilesSource *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (self->min_zoom >= 0 && self->max_zoom >= 0)
    return;
  if (sqlite3_prepare_v2 (self->db, "SELECT MIN(zoom_level), MAX(zoom_level) FROM tiles", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    {
      self->min_zoom = MAX (self->min_zoom, 0);
      self->max_zoom = self->max_zoom >= 0 ? self->max_zoom : 19;
      return;
    }
  if (self->min_zoom < 0)
    self->min_zoom = CLAMP (sqlite3_column_int (stmt, 0), 0, 30);
  if (self->max_zoom < 0)
    self->max_zoom = CLAMP (sqlite3_column_int (stmt, 1), 0, 30);
}

static void
get_tile_thread (GTask        *task,
                 gpointer      source_object,
                 gpointer      task_data,
                 GCancellable *cancellable)
{
  WgMbtilesSource *self = source_object;
  TileRequest *req = task_data;
  g_autoptr(GMutexLocker) locker = NULL;
  int tms_row;
  int rc;

  if (g_task_return_error_if_cancelled (task))
    return;

  tms_row = (1 << req->zoom) - 1 - req->y;
  locker = g_mutex_locker_new (&self->lock);
  sqlite3_reset (self->tile_stmt);
  sqlite3_bind_int (self->tile_stmt, 1, req->zoom);
  sqlite3_bind_int (self->tile_stmt, 2, req->x);
  sqlite3_bind_int (self->tile_stmt, 3, tms_row);
  rc = sqlite3_step (self->tile_stmt);
  if (rc == SQLITE_ROW)
    {
      const void *blob = sqlite3_column_blob (self->tile_stmt, 0);
      int size = sqlite3_column_bytes (self->tile_stmt, 0);

      g_task_return_pointer (task, g_bytes_new (blob, size), (GDestroyNotify) g_bytes_unref);
    }
  else if (rc == SQLITE_DONE)
    g_task_return_new_error (task, WG_MBTILES_ERROR, WG_MBTILES_ERROR_NO_TILE,
                             _("The base map has no tile %d/%d/%d."), req->zoom, req->x, req->y);
  else
    g_task_return_new_error (task, WG_MBTILES_ERROR, WG_MBTILES_ERROR_READ,
                             _("Could not read tile %d/%d/%d of the base map: %s"),
                             req->zoom, req->x, req->y, sqlite3_errmsg (self->db));
  sqlite3_reset (self->tile_stmt);
}

/* --- ShumateDataSource ----------------------------------------------------------------------- */

static void
wg_mbtiles_source_get_tile_data_async (ShumateDataSource   *source,
                                       int                  x,
                                       int                  y,
                                       int                  zoom_level,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  WgMbtilesSource *self = WG_MBTILES_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  TileRequest *req;

  g_task_set_source_tag (task, wg_mbtiles_source_get_tile_data_async);

  if (self->tile_stmt == NULL)
    {
      g_task_return_new_error (task, WG_MBTILES_ERROR, WG_MBTILES_ERROR_OPEN,
                               _("The base map file is not open."));
      return;
    }
  if (zoom_level < 0 || zoom_level > 30 || x < 0 || y < 0 || x >= (1 << zoom_level) || y >= (1 << zoom_level))
    {
      g_task_return_new_error (task, WG_MBTILES_ERROR, WG_MBTILES_ERROR_NO_TILE,
                               _("The base map has no tile %d/%d/%d."), zoom_level, x, y);
      return;
    }

  req = g_new (TileRequest, 1);
  *req = (TileRequest) { x, y, zoom_level };
  g_task_set_task_data (task, req, g_free);
  g_task_run_in_thread (task, get_tile_thread);
}

static GBytes *
wg_mbtiles_source_get_tile_data_finish (ShumateDataSource  *source,
                                        GAsyncResult       *result,
                                        GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GInitable ------------------------------------------------------------------------------- */

static gboolean
wg_mbtiles_source_initable_init (GInitable     *initable,
                                 GCancellable  *cancellable,
                                 GError       **error)
{
  WgMbtilesSource *self = WG_MBTILES_SOURCE (initable);
  const char *path;

  if (self->file == NULL || (path = g_file_peek_path (self->file)) == NULL)
    {
      g_set_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_OPEN,
                   _("An MBTiles base map must be a local file."));
      return FALSE;
    }

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_OPEN,
                   _("Could not open the base map “%s”: %s"), path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : g_strerror (ENOMEM));
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }

  if (!read_metadata (self, error))
    return FALSE;

  if (self->format != NULL && g_str_equal (self->format, "pbf"))
    {
      g_set_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_UNSUPPORTED,
                   _("“%s” holds vector tiles; only raster tiles (PNG, JPEG or WebP) can be used as a base map."),
                   path);
      return FALSE;
    }

  if (sqlite3_prepare_v3 (self->db,
                          "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                          -1, SQLITE_PREPARE_PERSISTENT, &self->tile_stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, WG_MBTILES_ERROR, WG_MBTILES_ERROR_INVALID,
                   _("“%s” is not an MBTiles file: it has no tiles table."), path);
      return FALSE;
    }

  read_zoom_range (self);
  shumate_data_source_set_min_zoom_level (SHUMATE_DATA_SOURCE (self), self->min_zoom);
  shumate_data_source_set_max_zoom_level (SHUMATE_DATA_SOURCE (self), MAX (self->min_zoom, self->max_zoom));
  return TRUE;
}

static void
wg_mbtiles_source_initable_iface_init (GInitableIface *iface)
{
  iface->init = wg_mbtiles_source_initable_init;
}

/* The default GAsyncInitable runs GInitable's init in a thread: just what opening needs. */
static void
wg_mbtiles_source_async_initable_iface_init (GAsyncInitableIface *iface)
{
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_mbtiles_source_finalize (GObject *object)
{
  WgMbtilesSource *self = WG_MBTILES_SOURCE (object);

  g_clear_pointer (&self->tile_stmt, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_object (&self->file);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->attribution, g_free);
  g_clear_pointer (&self->format, g_free);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (wg_mbtiles_source_parent_class)->finalize (object);
}

static void
wg_mbtiles_source_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WgMbtilesSource *self = WG_MBTILES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      g_value_set_object (value, self->file);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_mbtiles_source_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WgMbtilesSource *self = WG_MBTILES_SOURCE (object);

  switch (prop_id)
    {
    case PROP_FILE:
      self->file = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_mbtiles_source_class_init (WgMbtilesSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->finalize = wg_mbtiles_source_finalize;
  object_class->get_property = wg_mbtiles_source_get_property;
  object_class->set_property = wg_mbtiles_source_set_property;

  source_class->get_tile_data_async = wg_mbtiles_source_get_tile_data_async;
  source_class->get_tile_data_finish = wg_mbtiles_source_get_tile_data_finish;

  properties[PROP_FILE] =
    g_param_spec_object ("file", NULL, NULL, G_TYPE_FILE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wg_mbtiles_source_init (WgMbtilesSource *self)
{
  g_mutex_init (&self->lock);
  self->min_zoom = -1;
  self->max_zoom = -1;
}

/* --- public API ------------------------------------------------------------------------------ */

/* Blocks on SQLite: for tests and tools; the application uses wg_mbtiles_source_new_async (). */
WgMbtilesSource *
wg_mbtiles_source_new (GFile         *file,
                       GCancellable  *cancellable,
                       GError       **error)
{
  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (WG_TYPE_MBTILES_SOURCE, cancellable, error, "file", file, NULL);
}

void
wg_mbtiles_source_new_async (GFile               *file,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (G_IS_FILE (file));

  g_async_initable_new_async (WG_TYPE_MBTILES_SOURCE, G_PRIORITY_DEFAULT, cancellable,
                              callback, user_data, "file", file, NULL);
}

WgMbtilesSource *
wg_mbtiles_source_new_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_autoptr(GObject) source = g_async_result_get_source_object (result);
  GObject *object;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  object = g_async_initable_new_finish (G_ASYNC_INITABLE (source), result, error);
  return object != NULL ? WG_MBTILES_SOURCE (object) : NULL;
}

/**
 * wg_mbtiles_source_get_file:
 *
 * Returns: (transfer none): the file
 */
GFile *
wg_mbtiles_source_get_file (WgMbtilesSource *self)
{
  g_return_val_if_fail (WG_IS_MBTILES_SOURCE (self), NULL);

  return self->file;
}

const char *
wg_mbtiles_source_get_name (WgMbtilesSource *self)
{
  g_return_val_if_fail (WG_IS_MBTILES_SOURCE (self), NULL);

  return self->name;
}

const char *
wg_mbtiles_source_get_attribution (WgMbtilesSource *self)
{
  g_return_val_if_fail (WG_IS_MBTILES_SOURCE (self), NULL);

  return self->attribution;
}

const char *
wg_mbtiles_source_get_format (WgMbtilesSource *self)
{
  g_return_val_if_fail (WG_IS_MBTILES_SOURCE (self), NULL);

  return self->format;
}

/**
 * wg_mbtiles_source_create_map_source:
 *
 * A raster map source over this file, named and attributed from its metadata, ready for
 * wg_map_view_set_base_map().
 *
 * Returns: (transfer full): a new #ShumateMapSource
 */
ShumateMapSource *
wg_mbtiles_source_create_map_source (WgMbtilesSource *self)
{
  g_autofree char *id = NULL;
  g_autofree char *basename = NULL;

  g_return_val_if_fail (WG_IS_MBTILES_SOURCE (self), NULL);

  basename = g_file_get_basename (self->file);
  id = g_strconcat ("mbtiles:", basename, NULL);
  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id,
                                                               self->name != NULL ? self->name : basename,
                                                               self->attribution != NULL ? self->attribution : "",
                                                               NULL,
                                                               shumate_data_source_get_min_zoom_level (SHUMATE_DATA_SOURCE (self)),
                                                               shumate_data_source_get_max_zoom_level (SHUMATE_DATA_SOURCE (self)),
                                                               256,
                                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
