/* wg-attachments.c — a case's attachments, fetched once and kept on disk
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Photos and files of a case are downloaded through the signed-in API client the first time
 * they are wanted and kept in the user's cache folder, named by their SHA-256 (or their id
 * when the server gave none), so they show offline once seen and a photo attached to two
 * cases is kept once. Names from the server become file names only after checking they are
 * plain hex or a UUID. Two views asking for the same file while it downloads share one
 * download.
 */
#define G_LOG_DOMAIN "WgAttachments"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

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

static void
downloaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autofree char *path = user_data;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  wg_api_download_finish (WG_API (object), result, &error);
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
}

static void
check_cache_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  g_task_return_boolean (task, g_file_test (task_data, G_FILE_TEST_IS_REGULAR));
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
