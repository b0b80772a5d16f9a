/* wg-attachments.c — a case's attachments, fetched once and kept on disk
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Photos and files of a case are downloaded through the signed-in API client the first time
 * they are wanted and kept in the user's cache folder, named by their SHA-256 (or their id
 * when the server gave none), so they show offline once seen and a photo attached to two
 * cases is kept once. Names from the server become file names only after checking they are
 * plain hex or a UUID. Two views asking for the same file while it downloads share one
 * download.
 *
 * The folder is kept under a size limit (wg_attachments_set_cache_limit). A file's
 * modification time is its last use: set when it is written, and again each time it is served
 * from the cache. After each download a trim on a worker removes the least recently used files
 * until the folder is under the limit again. The files handed out since the previous trim
 * began, and those still downloading, are never removed by it, so a photo about to be decoded
 * stays; when only they keep the folder over the limit (many photos arriving at once), another
 * trim follows a few seconds later. The download writes under a temporary name and renames
 * (wg_api_download_async); temporaries older than an hour were left by a process that died and
 * are removed by the trim.
 */
#define G_LOG_DOMAIN "WgAttachments"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <utime.h>

#include "wg-attachments.h"

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* @object: an Attachment of the API. NULL when it has no id. */
WgAttachment *
wg_attachment_new_from_json (JsonObject *object)
{
  WgAttachment *self;
  JsonNode *size;

  g_return_val_if_fail (object != NULL, NULL);

  if (member (object, "id") == NULL)
    return NULL;

  self = g_new0 (WgAttachment, 1);
  self->id = g_strdup (member (object, "id"));
  self->name = g_strdup (member (object, "name") != NULL ? member (object, "name") : "");
  self->content_type = g_strdup (member (object, "content_type") != NULL ? member (object, "content_type")
                                                                          : "application/octet-stream");
  self->sha256 = g_strdup (member (object, "sha256"));
  size = json_object_get_member (object, "size");
  if (size != NULL && JSON_NODE_HOLDS_VALUE (size) && json_node_get_value_type (size) == G_TYPE_INT64)
    self->size = json_node_get_int (size);
  return self;
}

WgAttachment *
wg_attachment_copy (const WgAttachment *self)
{
  WgAttachment *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_new0 (WgAttachment, 1);
  copy->id = g_strdup (self->id);
  copy->name = g_strdup (self->name);
  copy->content_type = g_strdup (self->content_type);
  copy->sha256 = g_strdup (self->sha256);
  copy->size = self->size;
  return copy;
}

void
wg_attachment_free (WgAttachment *self)
{
  if (self == NULL)
    return;

  g_free (self->id);
  g_free (self->name);
  g_free (self->content_type);
  g_free (self->sha256);
  g_free (self);
}

gboolean
wg_attachment_is_image (const WgAttachment *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return g_str_has_prefix (self->content_type, "image/");
}

static gboolean
is_hex (const char *text,
        gsize       length)
{
  if (text == NULL || strlen (text) != length)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p))
      return FALSE;
  return TRUE;
}

static gboolean
is_uuid (const char *text)
{
  if (text == NULL || strlen (text) != 36)
    return FALSE;
  for (guint i = 0; i < 36; i++)
    if ((i == 8 || i == 13 || i == 18 || i == 23) ? text[i] != '-' : !g_ascii_isxdigit (text[i]))
      return FALSE;
  return TRUE;
}

/* Whether @name is one a kept file can have (the rest are temporaries). */
static gboolean
is_cache_key (const char *name)
{
  return is_hex (name, 64) || is_uuid (name);
}

static char *
cache_folder (void)
{
  return g_build_filename (g_get_user_cache_dir (), "wangge", "attachments", NULL);
}

/* Where the file is kept: the user's cache folder, wangge/attachments/<sha256 or id>. NULL when
 * the server gave neither in a form that is safe as a file name. */
char *
wg_attachment_get_cache_path (const WgAttachment *self)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (is_hex (self->sha256, 64))
    key = g_ascii_strdown (self->sha256, -1);
  else if (is_uuid (self->id))
    key = g_ascii_strdown (self->id, -1);
  else
    return NULL;

  return g_build_filename (g_get_user_cache_dir (), "wangge", "attachments", key, NULL);
}

/* The attachments of a case, in the order the server lists them. */
GPtrArray *
wg_attachments_from_case (JsonObject *case_json)
{
  GPtrArray *attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_attachment_free);
  JsonNode *node = case_json != NULL ? json_object_get_member (case_json, "attachments") : NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return attachments;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      WgAttachment *attachment;

      if (JSON_NODE_HOLDS_OBJECT (element) &&
          (attachment = wg_attachment_new_from_json (json_node_get_object (element))) != NULL)
        g_ptr_array_add (attachments, attachment);
    }
  return attachments;
}

/* What to say in place of a file that could not be fetched: short, for under a thumbnail. */
const char *
wg_attachment_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == WG_API_ERROR)
    switch ((WgApiError) error->code)
      {
      case WG_API_ERROR_NETWORK:
      case WG_API_ERROR_TLS:
        return _("Not downloaded yet — connect to the server to see it.");
      case WG_API_ERROR_UNAUTHORIZED:
        return _("Not downloaded yet — sign in again to see it.");
      case WG_API_ERROR_FORBIDDEN:
        return _("Your account may not open this file.");
      case WG_API_ERROR_NOT_FOUND:
        return _("The server no longer has this file.");
      case WG_API_ERROR_SERVER:
        return _("The server could not send it. Try again later.");
      case WG_API_ERROR_CONFLICT:
      case WG_API_ERROR_STALE:
      case WG_API_ERROR_INVALID:
      case WG_API_ERROR_BAD_REPLY:
      default:
        return _("The file arrived damaged. Try again later.");
      }
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE) ||
      g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC))
    return _("The disk is full: the file could not be kept.");
  if (error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR)
    return _("The file could not be kept on this computer.");
  return _("This file cannot be shown here.");
}

/* --- fetching -------------------------------------------------------------------------------- */

typedef struct
{
  WgAttachment *attachment;
  WgApi        *api;
  char         *path;
} Fetch;

static void
fetch_free (gpointer data)
{
  Fetch *fetch = data;

  g_clear_pointer (&fetch->attachment, wg_attachment_free);
  g_clear_object (&fetch->api);
  g_free (fetch->path);
  g_free (fetch);
}

/* cache path → GPtrArray of the GTasks waiting for its download; main thread only */
static GHashTable *in_flight;

/* file name → when it was handed out (monotonic µs, boxed), since the last trim began: that
 * trim keeps them all, a clear those of the last seconds; main thread only */
static GHashTable *fresh;

static void cache_request (WgAttachmentsCacheOp  op,
                           GTask                *task);

static void
mark_fresh (const char *path)
{
  gint64 now = g_get_monotonic_time ();

  if (fresh == NULL)
    fresh = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_replace (fresh, g_path_get_basename (path), g_memdup2 (&now, sizeof now));
}

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *path = user_data;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  wg_api_download_finish (WG_API (object), result, &error);
  if (error == NULL)
    mark_fresh (path);
  if (!g_hash_table_steal_extended (in_flight, path, NULL, (gpointer *) &waiting))
    return;
  for (guint i = 0; i < waiting->len; i++)
    {
      GTask *task = waiting->pdata[i];

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_pointer (task, g_strdup (path), g_free);
    }
  /* The new file may have taken the folder over its limit. */
  if (error == NULL)
    cache_request (WG_ATTACHMENTS_CACHE_TRIM, NULL);
}

static void
check_cache_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  const char *path = task_data;

  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  /* Used now: the trim removes the least recently used first. A file that cannot be touched
   * is still served; it only goes sooner. */
  (void) g_utime (path, NULL);
  g_task_return_boolean (task, TRUE);
}

static void
cache_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Fetch *fetch = g_task_get_task_data (task);
  g_autofree char *url = NULL;
  GPtrArray *waiting;

  if (g_task_return_error_if_cancelled (task))
    return;
  if (g_task_propagate_boolean (G_TASK (result), NULL))
    {
      mark_fresh (fetch->path);
      g_task_return_pointer (task, g_strdup (fetch->path), g_free);
      return;
    }
  if (fetch->api == NULL)
    {
      g_task_return_new_error (task, WG_API_ERROR, WG_API_ERROR_NETWORK,
                               _("Not downloaded yet — connect to the server to see it."));
      return;
    }

  if (in_flight == NULL)
    in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  if ((waiting = g_hash_table_lookup (in_flight, fetch->path)) != NULL)
    {
      g_ptr_array_add (waiting, g_steal_pointer (&task));
      return;
    }
  waiting = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (waiting, g_steal_pointer (&task));
  g_hash_table_insert (in_flight, g_strdup (fetch->path), waiting);

  /* Not cancelled with the view that asked: a file half-way down is worth finishing. */
  url = g_strconcat ("/api/v1/attachments/", fetch->attachment->id, NULL);
  wg_api_download_async (fetch->api, url, fetch->path,
                         is_hex (fetch->attachment->sha256, 64) ? fetch->attachment->sha256 : NULL,
                         NULL, downloaded_cb, g_strdup (fetch->path));
}

/* Finds the attachment's file: from the disk cache, else downloaded through @api (NULL when
 * signed out: then only what is cached). Call from the main thread. */
void
wg_attachment_fetch_async (const WgAttachment  *self,
                           WgApi               *api,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) check = NULL;
  Fetch *fetch;

  g_return_if_fail (self != NULL);
  g_return_if_fail (api == NULL || WG_IS_API (api));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_attachment_fetch_async);
  fetch = g_new0 (Fetch, 1);
  fetch->attachment = wg_attachment_copy (self);
  fetch->api = api != NULL ? g_object_ref (api) : NULL;
  fetch->path = wg_attachment_get_cache_path (self);
  g_task_set_task_data (task, fetch, fetch_free);

  if (fetch->path == NULL || !is_uuid (self->id))
    {
      g_task_return_new_error (task, WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
                               _("The server described this file without a usable id."));
      return;
    }

  check = g_task_new (NULL, cancellable, cache_checked_cb, g_steal_pointer (&task));
  g_task_set_source_tag (check, cache_checked_cb);
  g_task_set_task_data (check, g_strdup (fetch->path), g_free);
  g_task_run_in_thread (check, check_cache_thread);
}

/* The path of the file on disk. */
char *
wg_attachment_fetch_finish (GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
remove_tree (GFile *file)
{
  g_autoptr(GFileEnumerator) children =
    g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                               G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);

  if (children != NULL)
    {
      GFileInfo *info;
      GFile *child;

      while (g_file_enumerator_iterate (children, &info, &child, NULL, NULL) && info != NULL)
        if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
          remove_tree (child);
        else
          g_file_delete (child, NULL, NULL);
    }
  g_file_delete (file, NULL, NULL);
}

/* Removes every attachment kept on disk, and the copies opened in other applications: they
 * are the account's data, like the cache, and go with it on sign-out. Blocks: call it off the
 * main thread when there may be many. */
void
wg_attachments_forget_all (void)
{
  const char * const folders[] = { "attachments", "open" };

  for (guint i = 0; i < G_N_ELEMENTS (folders); i++)
    {
      g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "wangge", folders[i], NULL);
      g_autoptr(GFile) folder = g_file_new_for_path (path);

      remove_tree (folder);
    }
}

/* --- the size of the cache ------------------------------------------------------------------- */

/* A temporary this old is not being written: its process died before the rename. */
#define STALE_TEMPORARY_USEC (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)

/* A file handed out this recently may still be being decoded or copied: even a clear keeps
 * it. And when a trim had to keep such files over the limit, the next comes this much later. */
#define IN_USE_SECONDS 10

#define CACHE_ATTRIBUTES G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE "," \
                         G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_TIME_MODIFIED "," \
                         G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC

/* main thread only */
static guint64 cache_limit = WG_ATTACHMENTS_DEFAULT_CACHE_LIMIT;

/* One run over the folder and the requests it answers. Requests made while one runs are merged
 * into the next (the strongest operation wins), so many downloads finishing together cost two
 * runs, not one each. */
typedef struct
{
  WgAttachmentsCacheOp  op;
  GPtrArray            *waiting;   /* GTasks of wg_attachments_cache_async */
} CacheRequest;

static CacheRequest *cache_running;
static CacheRequest *cache_next;
static guint         retrim_source;

typedef struct
{
  WgAttachmentsCacheOp  op;
  guint64               limit;
  char                 *folder;
  GHashTable           *keep;      /* file names never removed by this run */
  gint64                now;       /* wall-clock µs, as file times are */
} CacheJob;

typedef struct
{
  char    *name;
  guint64  size;
  gint64   used;    /* µs since 1970, the modification time */
} CacheEntry;

static void
cache_job_free (gpointer data)
{
  CacheJob *job = data;

  g_free (job->folder);
  g_clear_pointer (&job->keep, g_hash_table_unref);
  g_free (job);
}

static void
cache_entry_clear (gpointer data)
{
  CacheEntry *entry = data;

  g_free (entry->name);
}

static int
cache_entry_compare (gconstpointer a,
                     gconstpointer b)
{
  const CacheEntry *x = a, *y = b;

  if (x->used != y->used)
    return x->used < y->used ? -1 : 1;
  return strcmp (x->name, y->name);
}

static gint64
modified_usec (GFileInfo *info)
{
  return (gint64) g_file_info_get_attribute_uint64 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED) * G_USEC_PER_SEC +
         g_file_info_get_attribute_uint32 (info, G_FILE_ATTRIBUTE_TIME_MODIFIED_USEC);
}

/* Removes a kept file unless it was served again since the folder was read. FALSE with
 * @error when it could not be removed; TRUE when it is gone (also when someone else removed
 * it first). */
static gboolean
remove_unless_used (GFile       *child,
                    CacheEntry  *entry,
                    gboolean    *out_removed,
                    GError     **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;

  *out_removed = FALSE;
  info = g_file_query_info (child, CACHE_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &local_error);
  if (info == NULL)
    {
      *out_removed = g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
      if (*out_removed)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (modified_usec (info) != entry->used)
    return TRUE;
  if (!g_file_delete (child, NULL, &local_error) &&
      !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *out_removed = TRUE;
  return TRUE;
}

/* On a worker: read the folder, remove stale temporaries and, for a trim or a clear, the
 * least recently used files; returns the bytes the kept files take afterwards. */
static void
cache_job_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CacheJob *job = task_data;
  g_autoptr(GFile) folder = g_file_new_for_path (job->folder);
  g_autoptr(GFileEnumerator) children = NULL;
  g_autoptr(GArray) entries = g_array_new (FALSE, FALSE, sizeof (CacheEntry));
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) first_failure = NULL;
  GValue value = G_VALUE_INIT;
  guint64 used = 0;

  g_array_set_clear_func (entries, cache_entry_clear);
  children = g_file_enumerate_children (folder, CACHE_ATTRIBUTES, G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, &error);
  if (children == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  while (children != NULL)
    {
      GFileInfo *info;
      GFile *child;
      const char *name;

      if (!g_file_enumerator_iterate (children, &info, &child, NULL, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      if (info == NULL)
        break;
      if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
        continue;
      name = g_file_info_get_name (info);
      if (is_cache_key (name))
        {
          CacheEntry entry = { g_strdup (name), (guint64) g_file_info_get_size (info), modified_usec (info) };

          g_array_append_val (entries, entry);
          used += entry.size;
        }
      /* A temporary: being written if young, else left by a process that died. */
      else if (job->op != WG_ATTACHMENTS_CACHE_MEASURE && job->now - modified_usec (info) > STALE_TEMPORARY_USEC)
        {
          g_autoptr(GError) local_error = NULL;

          if (!g_file_delete (child, NULL, &local_error) &&
              !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND) && first_failure == NULL)
            first_failure = g_steal_pointer (&local_error);
        }
    }

  if (job->op == WG_ATTACHMENTS_CACHE_CLEAR || (job->op == WG_ATTACHMENTS_CACHE_TRIM && used > job->limit))
    {
      g_array_sort (entries, cache_entry_compare);
      for (guint i = 0; i < entries->len; i++)
        {
          CacheEntry *entry = &g_array_index (entries, CacheEntry, i);
          g_autoptr(GFile) child = NULL;
          g_autoptr(GError) local_error = NULL;
          gboolean removed;

          if (job->op == WG_ATTACHMENTS_CACHE_TRIM && used <= job->limit)
            break;
          if (g_hash_table_contains (job->keep, entry->name))
            continue;
          child = g_file_get_child (folder, entry->name);
          if (!remove_unless_used (child, entry, &removed, &local_error) && first_failure == NULL)
            first_failure = g_steal_pointer (&local_error);
          if (removed)
            used -= entry->size;
        }
    }

  if (first_failure != NULL)
    {
      g_task_return_new_error (task, first_failure->domain, first_failure->code,
                               _("Some kept photos and files could not be removed: %s"), first_failure->message);
      return;
    }
  g_value_init (&value, G_TYPE_UINT64);
  g_value_set_uint64 (&value, used);
  g_task_return_value (task, &value);
  g_value_unset (&value);
}

static CacheRequest *
cache_request_new (WgAttachmentsCacheOp op)
{
  CacheRequest *request = g_new0 (CacheRequest, 1);

  request->op = op;
  request->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  return request;
}

static void
cache_request_free (CacheRequest *request)
{
  g_ptr_array_unref (request->waiting);
  g_free (request);
}

static void cache_start (CacheRequest *request);

static void
retrim_cb (gpointer data)
{
  retrim_source = 0;
  cache_request (WG_ATTACHMENTS_CACHE_TRIM, NULL);
}

static void
cache_job_done_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CacheRequest *request = user_data;
  g_autoptr(GError) error = NULL;
  GValue value = G_VALUE_INIT;

  g_assert (request == cache_running);

  if (!g_task_propagate_value (G_TASK (result), &value, &error))
    {
      /* Nobody asked (a trim after a download): a full folder is not the viewer's problem,
       * but it should be noticed once. */
      if (request->waiting->len == 0)
        g_warning_once ("Trimming the attachment cache: %s", error->message);
    }
  for (guint i = 0; i < request->waiting->len; i++)
    {
      GTask *task = request->waiting->pdata[i];

      if (g_task_return_error_if_cancelled (task))
        continue;
      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_value (task, &value);
    }

  /* Over the limit after a trim: files just handed out were kept. Once they are read, they
   * can go like the others; a trim that starts before then does it instead. */
  if (request->op == WG_ATTACHMENTS_CACHE_TRIM && error == NULL && g_value_get_uint64 (&value) > cache_limit &&
      retrim_source == 0)
    retrim_source = g_timeout_add_seconds_once (IN_USE_SECONDS, retrim_cb, NULL);
  if (G_IS_VALUE (&value))
    g_value_unset (&value);

  cache_running = g_steal_pointer (&cache_next);
  cache_request_free (request);
  if (cache_running != NULL)
    cache_start (cache_running);
}

static void
keep_in_flight (GHashTable *keep)
{
  GHashTableIter iter;
  const char *path;

  if (in_flight == NULL)
    return;
  g_hash_table_iter_init (&iter, in_flight);
  while (g_hash_table_iter_next (&iter, (gpointer *) &path, NULL))
    g_hash_table_replace (keep, g_path_get_basename (path), NULL);
}

static void
cache_start (CacheRequest *request)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, cache_job_done_cb, request);
  CacheJob *job = g_new0 (CacheJob, 1);

  job->op = request->op;
  job->limit = cache_limit;
  job->folder = cache_folder ();
  job->now = g_get_real_time ();
  /* A trim keeps what was handed out since the last one began, and takes it over; a clear
   * keeps only what may be being read right now. */
  if (request->op == WG_ATTACHMENTS_CACHE_TRIM)
    {
      g_clear_handle_id (&retrim_source, g_source_remove);
      job->keep = fresh != NULL ? g_steal_pointer (&fresh) : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
    }
  else
    {
      job->keep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      if (request->op == WG_ATTACHMENTS_CACHE_CLEAR && fresh != NULL)
        {
          gint64 now = g_get_monotonic_time ();
          GHashTableIter iter;
          const char *name;
          const gint64 *when;

          g_hash_table_iter_init (&iter, fresh);
          while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &when))
            if (now - *when < IN_USE_SECONDS * G_USEC_PER_SEC)
              g_hash_table_replace (job->keep, g_strdup (name), g_memdup2 (when, sizeof *when));
        }
    }
  keep_in_flight (job->keep);

  g_task_set_source_tag (task, cache_start);
  g_task_set_task_data (task, job, cache_job_free);
  g_task_run_in_thread (task, cache_job_thread);
}

static void
cache_request (WgAttachmentsCacheOp  op,
               GTask                *task)
{
  CacheRequest *request;

  if (cache_running == NULL)
    request = cache_running = cache_request_new (op);
  else if (cache_next == NULL)
    request = cache_next = cache_request_new (op);
  else
    {
      request = cache_next;
      request->op = MAX (request->op, op);
    }
  if (task != NULL)
    g_ptr_array_add (request->waiting, task);
  if (request == cache_running)
    cache_start (request);
}

/* How many bytes the kept files may take; a download that takes the folder over it starts a
 * trim on a worker. Setting it trims now (also when it did not change: the first call, at the
 * start, clears temporaries left by a process that died). Call from the main thread. */
void
wg_attachments_set_cache_limit (guint64 bytes)
{
  cache_limit = bytes;
  cache_request (WG_ATTACHMENTS_CACHE_TRIM, NULL);
}

guint64
wg_attachments_get_cache_limit (void)
{
  return cache_limit;
}

/* Measures, trims or clears the folder of kept files on a worker, after any run already
 * under way; the files being downloaded and those just handed out stay. Finishes with the
 * bytes the kept files take afterwards. Call from the main thread. */
void
wg_attachments_cache_async (WgAttachmentsCacheOp  op,
                            GCancellable         *cancellable,
                            GAsyncReadyCallback   callback,
                            gpointer              user_data)
{
  GTask *task;

  g_return_if_fail (op <= WG_ATTACHMENTS_CACHE_CLEAR);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_attachments_cache_async);
  cache_request (op, task);
}

gboolean
wg_attachments_cache_finish (GAsyncResult  *result,
                             guint64       *out_used,
                             GError       **error)
{
  GValue value = G_VALUE_INIT;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == wg_attachments_cache_async, FALSE);

  if (!g_task_propagate_value (G_TASK (result), &value, error))
    return FALSE;
  if (out_used != NULL)
    *out_used = g_value_get_uint64 (&value);
  g_value_unset (&value);
  return TRUE;
}
