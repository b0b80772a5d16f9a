/* wg-tile-source.c — base map tiles from an XYZ or WMTS tile server, through the app's own HTTP session
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * libshumate's own downloader has a session of its own, which knows neither the office's
 * certificate authority nor Wangge's user agent. This source fetches each tile with the
 * session the API client uses (wg_api_new_external_get (): the office CA and the user agent
 * apply, the sign-in token is never sent), so an intranet tile server behind the same private
 * CA as the Wangge server just works.
 *
 * The address is a template: {x}, {y} and {z} (or {-y} for TMS rows) for XYZ servers, or
 * {TileCol}, {TileRow} and {TileMatrix} in a WMTS key-value request such as Tianditu's
 * vec_w and cva_w layers. A failed tile is not fatal: it stays blank, the grids are drawn
 * over it all the same, and the last failure is kept in the "error" property for the map to
 * say in words. Recently fetched tiles are kept in memory, so panning back needs no request.
 */
#define G_LOG_DOMAIN "WgTileSource"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wg-tile-source.h"

/* Memory the fetched tiles may use (a 256-pixel PNG is 5–40 kB). */
#define CACHE_BYTES (32 * 1024 * 1024)

typedef enum
{
  ROLE_X,
  ROLE_Y,
  ROLE_TMS_Y,
  ROLE_Z,
} Role;

static const struct
{
  const char *name;          /* compared ignoring case */
  Role        role;
} placeholders[] = {
  { "x", ROLE_X },
  { "y", ROLE_Y },
  { "-y", ROLE_TMS_Y },
  { "z", ROLE_Z },
  { "TileCol", ROLE_X },
  { "TileRow", ROLE_Y },
  { "TileMatrix", ROLE_Z },
};

typedef struct
{
  int      zoom;
  int      x;
  int      y;
} TileKey;

typedef struct
{
  TileKey  key;
  GBytes  *bytes;
  GList   *link;             /* in the LRU queue */
} CacheEntry;

struct _WgTileSource
{
  ShumateDataSource  parent_instance;

  /* Owned */
  char              *url_template;
  WgApi             *api;
  SoupSession       *session;     /* only without an api: tests and tools */
  GHashTable        *cache;       /* TileKey → CacheEntry */
  GQueue             lru;         /* CacheEntry, most recent first */
  gsize              cache_bytes;
  char              *error;
  guint              n_received;
};

G_DEFINE_FINAL_TYPE (WgTileSource, wg_tile_source, SHUMATE_TYPE_DATA_SOURCE)
G_DEFINE_QUARK (wg-tile-error-quark, wg_tile_error)

enum {
  PROP_0,
  PROP_URL_TEMPLATE,
  PROP_API,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- the template ---------------------------------------------------------------------------- */

static gboolean
lookup_placeholder (const char *name,
                    gsize       length,
                    Role       *out_role)
{
  for (guint i = 0; i < G_N_ELEMENTS (placeholders); i++)
    if (strlen (placeholders[i].name) == length && g_ascii_strncasecmp (placeholders[i].name, name, length) == 0)
      {
        *out_role = placeholders[i].role;
        return TRUE;
      }
  return FALSE;
}

/* Walks the template: the text between placeholders is copied to @out (when not NULL) and
 * each placeholder replaced by its number. Fails on a brace without its pair or an unknown
 * name, saying which. */
static gboolean
walk_template (const char  *url_template,
               const int    values[4],
               GString     *out,
               gboolean     found[4],
               GError     **error)
{
  const char *p = url_template;

  while (*p != '\0')
    {
      const char *open = strchr (p, '{');
      const char *close;
      Role role;

      if (open == NULL)
        {
          if (strchr (p, '}') != NULL)
            {
              g_set_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                           _("The address has a “}” without a “{” before it."));
              return FALSE;
            }
          if (out != NULL)
            g_string_append (out, p);
          break;
        }
      if (out != NULL)
        g_string_append_len (out, p, open - p);
      close = strchr (open + 1, '}');
      if (close == NULL || memchr (open + 1, '{', close - open - 1) != NULL)
        {
          g_set_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                       _("The address has a “{” without its “}”."));
          return FALSE;
        }
      if (!lookup_placeholder (open + 1, close - open - 1, &role))
        {
          g_autofree char *name = g_strndup (open, close - open + 1);

          if (g_ascii_strcasecmp (name, "{s}") == 0)
            g_set_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                         _("Wangge does not choose among several servers with {s}: write one of them instead, for example t0 or a."));
          else
            g_set_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                         _("“%s” is not a place for a tile number that Wangge knows. Use {x}, {y} and {z}, or {TileCol}, {TileRow} and {TileMatrix} for a WMTS server."),
                         name);
          return FALSE;
        }
      if (found != NULL)
        found[role] = TRUE;
      if (out != NULL)
        g_string_append_printf (out, "%d", values[role]);
      p = close + 1;
    }
  return TRUE;
}

/**
 * wg_tile_template_check:
 * @url_template: a tile address template as a person typed it
 *
 * Whether Wangge can fetch tiles with this template; if not, @error says what is wrong in
 * words for the person who typed it.
 */
gboolean
wg_tile_template_check (const char  *url_template,
                        GError     **error)
{
  static const int sample[4] = { 1, 2, 3, 4 };
  g_autoptr(GString) url = g_string_new (NULL);
  g_autoptr(GUri) uri = NULL;
  gboolean found[4] = { FALSE, };
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  stripped = g_strstrip (g_strdup (url_template != NULL ? url_template : ""));
  if (*stripped == '\0')
    {
      g_set_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                   _("Type the address of the tile server."));
      return FALSE;
    }
  if (!walk_template (stripped, sample, url, found, error))
    return FALSE;

  if (!found[ROLE_X] || !(found[ROLE_Y] || found[ROLE_TMS_Y]) || !found[ROLE_Z])
    {
      const char *missing = !found[ROLE_X] ? "{x}" : !found[ROLE_Z] ? "{z}" : "{y}";

      g_set_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                   _("The address has no %s. It needs {x}, {y} and {z} where the tile’s column, row and zoom level go, or {TileCol}, {TileRow} and {TileMatrix} for a WMTS server."),
                   missing);
      return FALSE;
    }

  uri = g_uri_parse (url->str, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") != 0 &&
       g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") != 0))
    {
      g_set_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                   _("The address must start with http:// or https:// and the tile server’s name, for example https://tiles.example.gov.cn/{z}/{x}/{y}.png."));
      return FALSE;
    }
  return TRUE;
}

/**
 * wg_tile_template_expand:
 *
 * Returns: (transfer full) (nullable): the address of one tile, or %NULL when the template
 *   cannot be used
 */
char *
wg_tile_template_expand (const char *url_template,
                         int         x,
                         int         y,
                         int         zoom)
{
  int values[4] = { x, y, (1 << zoom) - 1 - y, zoom };
  GString *url = g_string_new (NULL);

  g_return_val_if_fail (url_template != NULL, NULL);
  g_return_val_if_fail (zoom >= 0 && zoom <= 30, NULL);

  if (!walk_template (url_template, values, url, NULL, NULL))
    {
      g_string_free (url, TRUE);
      return NULL;
    }
  return g_string_free (url, FALSE);
}

/**
 * wg_tile_template_get_host:
 *
 * Returns: (transfer full) (nullable): the tile server's host name, for a default attribution
 */
char *
wg_tile_template_get_host (const char *url_template)
{
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;

  g_return_val_if_fail (url_template != NULL, NULL);

  if ((url = wg_tile_template_expand (url_template, 0, 0, 0)) == NULL ||
      (uri = g_uri_parse (url, G_URI_FLAGS_ENCODED | G_URI_FLAGS_PARSE_RELAXED, NULL)) == NULL ||
      g_uri_get_host (uri) == NULL)
    return NULL;
  return g_strdup (g_uri_get_host (uri));
}

/* --- the cache ------------------------------------------------------------------------------- */

static guint
tile_key_hash (gconstpointer data)
{
  const TileKey *key = data;

  return (guint) key->zoom * 2654435761u ^ (guint) key->x * 40503u ^ (guint) key->y;
}

static gboolean
tile_key_equal (gconstpointer a,
                gconstpointer b)
{
  const TileKey *ka = a;
  const TileKey *kb = b;

  return ka->zoom == kb->zoom && ka->x == kb->x && ka->y == kb->y;
}

static void
cache_entry_free (gpointer data)
{
  CacheEntry *entry = data;

  g_clear_pointer (&entry->bytes, g_bytes_unref);
  g_free (entry);
}

static GBytes *
cache_lookup (WgTileSource  *self,
              const TileKey *key)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, key);

  if (entry == NULL)
    return NULL;
  g_queue_unlink (&self->lru, entry->link);
  g_queue_push_head_link (&self->lru, entry->link);
  return g_bytes_ref (entry->bytes);
}

static void
cache_store (WgTileSource  *self,
             const TileKey *key,
             GBytes        *bytes)
{
  CacheEntry *entry;

  if (g_hash_table_contains (self->cache, key))
    return;

  entry = g_new0 (CacheEntry, 1);
  entry->key = *key;
  entry->bytes = g_bytes_ref (bytes);
  g_queue_push_head (&self->lru, entry);
  entry->link = self->lru.head;
  g_hash_table_insert (self->cache, &entry->key, entry);
  self->cache_bytes += g_bytes_get_size (bytes);

  while (self->cache_bytes > CACHE_BYTES && self->lru.length > 1)
    {
      CacheEntry *oldest = g_queue_pop_tail (&self->lru);

      self->cache_bytes -= g_bytes_get_size (oldest->bytes);
      g_hash_table_remove (self->cache, &oldest->key);
    }
}

/* --- fetching -------------------------------------------------------------------------------- */

static void
set_error (WgTileSource *self,
           const char   *message)
{
  if (g_set_str (&self->error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
}

/* What libshumate's raster renderer can decode; anything else (an HTML error page sent with
 * 200, say) would only end in a warning there. */
static gboolean
is_image (GBytes *bytes)
{
  gsize size;
  const guchar *data = g_bytes_get_data (bytes, &size);

  return (size >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0) ||
         (size >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff) ||
         (size >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0) ||
         (size >= 6 && (memcmp (data, "GIF87a", 6) == 0 || memcmp (data, "GIF89a", 6) == 0));
}

static SoupSession *
get_session (WgTileSource *self)
{
  if (self->api != NULL)
    return wg_api_get_session (self->api);
  if (self->session == NULL)
    self->session = soup_session_new_with_options ("user-agent", "Wangge/" PACKAGE_VERSION,
                                                   "timeout", 30,
                                                   NULL);
  return self->session;
}

static void
tile_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WgTileSource *self = g_task_get_source_object (task);
  SoupMessage *message = soup_session_get_async_result_message (SOUP_SESSION (object), result);
  TileKey *key = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *host = NULL;
  guint status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  g_debug ("Tile %d/%d/%d: %s", key->zoom, key->x, key->y,
           bytes != NULL ? soup_message_get_reason_phrase (message) : error->message);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message_text = NULL;

          host = message != NULL ? g_strdup (g_uri_get_host (soup_message_get_uri (message))) : NULL;
          message_text = g_strdup_printf (_("Could not reach the tile server %s: %s"), host != NULL ? host : "", error->message);
          set_error (self, message_text);
          g_task_return_new_error (task, WG_TILE_ERROR, WG_TILE_ERROR_NETWORK, "%s", message_text);
        }
      else
        g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (message);
  host = g_strdup (g_uri_get_host (soup_message_get_uri (message)));
  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_autofree char *message_text = NULL;

      /* A missing tile (outside the server's area) is normal; it only stays blank. */
      if (status != SOUP_STATUS_NOT_FOUND && status != SOUP_STATUS_NO_CONTENT)
        {
          message_text = g_strdup_printf (_("The tile server %s refused a tile: %u %s"), host, status,
                                          soup_message_get_reason_phrase (message) != NULL ? soup_message_get_reason_phrase (message) : "");
          set_error (self, message_text);
        }
      g_task_return_new_error (task, WG_TILE_ERROR, WG_TILE_ERROR_HTTP,
                               "Tile %d/%d/%d: HTTP %u", key->zoom, key->x, key->y, status);
      return;
    }
  if (!is_image (bytes))
    {
      g_autofree char *message_text = g_strdup_printf (_("The tile server %s sent something that is not a picture. Check the base map’s address in Preferences."), host);

      set_error (self, message_text);
      g_task_return_new_error (task, WG_TILE_ERROR, WG_TILE_ERROR_NOT_IMAGE, "%s", message_text);
      return;
    }

  self->n_received++;
  set_error (self, NULL);
  cache_store (self, key, bytes);
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
wg_tile_source_get_tile_data_async (ShumateDataSource   *source,
                                    int                  x,
                                    int                  y,
                                    int                  zoom_level,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  WgTileSource *self = WG_TILE_SOURCE (source);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;
  TileKey key = { zoom_level, x, y };
  GBytes *cached;

  g_task_set_source_tag (task, wg_tile_source_get_tile_data_async);

  if ((cached = cache_lookup (self, &key)) != NULL)
    {
      g_task_return_pointer (task, cached, (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (zoom_level < 0 || zoom_level > 30 || x < 0 || y < 0 || x >= (1 << zoom_level) || y >= (1 << zoom_level) ||
      (url = wg_tile_template_expand (self->url_template, x, y, zoom_level)) == NULL)
    {
      g_task_return_new_error (task, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                               "No tile %d/%d/%d", zoom_level, x, y);
      return;
    }

  message = self->api != NULL ? wg_api_new_external_get (self->api, url) : soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    {
      g_task_return_new_error (task, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE,
                               _("“%s” is not an address Wangge can fetch a tile from."), url);
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "image/*");
  /* The map can wait a moment; the dispatcher's own requests go first. */
  soup_message_set_priority (message, SOUP_MESSAGE_PRIORITY_LOW);

  g_task_set_task_data (task, g_memdup2 (&key, sizeof key), g_free);
  g_debug ("Fetching %s", url);
  soup_session_send_and_read_async (get_session (self), message, G_PRIORITY_LOW, cancellable,
                                    tile_read_cb, g_steal_pointer (&task));
}

static GBytes *
wg_tile_source_get_tile_data_finish (ShumateDataSource  *source,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_tile_source_dispose (GObject *object)
{
  WgTileSource *self = WG_TILE_SOURCE (object);

  g_clear_object (&self->api);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (wg_tile_source_parent_class)->dispose (object);
}

static void
wg_tile_source_finalize (GObject *object)
{
  WgTileSource *self = WG_TILE_SOURCE (object);

  g_queue_clear (&self->lru);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->url_template, g_free);
  g_clear_pointer (&self->error, g_free);

  G_OBJECT_CLASS (wg_tile_source_parent_class)->finalize (object);
}

static void
wg_tile_source_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WgTileSource *self = WG_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      g_value_set_string (value, self->url_template);
      break;

    case PROP_API:
      g_value_set_object (value, self->api);
      break;

    case PROP_ERROR:
      g_value_set_string (value, self->error);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_tile_source_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  WgTileSource *self = WG_TILE_SOURCE (object);

  switch (prop_id)
    {
    case PROP_URL_TEMPLATE:
      self->url_template = g_strstrip (g_value_dup_string (value));
      break;

    case PROP_API:
      self->api = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_tile_source_class_init (WgTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->dispose = wg_tile_source_dispose;
  object_class->finalize = wg_tile_source_finalize;
  object_class->get_property = wg_tile_source_get_property;
  object_class->set_property = wg_tile_source_set_property;

  source_class->get_tile_data_async = wg_tile_source_get_tile_data_async;
  source_class->get_tile_data_finish = wg_tile_source_get_tile_data_finish;

  properties[PROP_URL_TEMPLATE] =
    g_param_spec_string ("url-template", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_API] =
    g_param_spec_object ("api", NULL, NULL, WG_TYPE_API,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ERROR] =
    g_param_spec_string ("error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wg_tile_source_init (WgTileSource *self)
{
  self->cache = g_hash_table_new_full (tile_key_hash, tile_key_equal, NULL, cache_entry_free);
  g_queue_init (&self->lru);
}

/* --- public API ------------------------------------------------------------------------------ */

/**
 * wg_tile_source_new:
 * @url_template: a template that wg_tile_template_check () accepts
 * @api: (nullable): the API client whose session fetches the tiles; %NULL for a session of
 *   the source's own with Wangge's user agent (tests and tools)
 * @max_zoom: the deepest zoom level the server has
 */
WgTileSource *
wg_tile_source_new (const char *url_template,
                    WgApi      *api,
                    guint       max_zoom)
{
  g_return_val_if_fail (url_template != NULL, NULL);
  g_return_val_if_fail (api == NULL || WG_IS_API (api), NULL);

  return g_object_new (WG_TYPE_TILE_SOURCE,
                       "url-template", url_template,
                       "api", api,
                       "min-zoom-level", 0,
                       "max-zoom-level", CLAMP (max_zoom, 1, 22),
                       NULL);
}

const char *
wg_tile_source_get_url_template (WgTileSource *self)
{
  g_return_val_if_fail (WG_IS_TILE_SOURCE (self), NULL);

  return self->url_template;
}

/* The last failure in words, cleared by the next tile that arrives; NULL while all is well. */
const char *
wg_tile_source_get_error (WgTileSource *self)
{
  g_return_val_if_fail (WG_IS_TILE_SOURCE (self), NULL);

  return self->error;
}

/* How many tiles came from the server (not the cache). */
guint
wg_tile_source_get_n_received (WgTileSource *self)
{
  g_return_val_if_fail (WG_IS_TILE_SOURCE (self), 0);

  return self->n_received;
}

/**
 * wg_tile_source_create_map_source:
 * @attribution: (nullable): who the tiles are from, shown in the map's corner
 *
 * Returns: (transfer full): a raster map source over these tiles, for wg_map_view_set_base_map ()
 */
ShumateMapSource *
wg_tile_source_create_map_source (WgTileSource *self,
                                  const char   *id,
                                  const char   *name,
                                  const char   *attribution)
{
  g_return_val_if_fail (WG_IS_TILE_SOURCE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return SHUMATE_MAP_SOURCE (shumate_raster_renderer_new_full (id, name != NULL ? name : id,
                                                               attribution != NULL ? attribution : "", NULL,
                                                               shumate_data_source_get_min_zoom_level (SHUMATE_DATA_SOURCE (self)),
                                                               shumate_data_source_get_max_zoom_level (SHUMATE_DATA_SOURCE (self)),
                                                               256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                                               SHUMATE_DATA_SOURCE (self)));
}
