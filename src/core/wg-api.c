/* wg-api.c — HTTP to the Wangge server: one SoupSession, TLS with an optional office CA
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Township intranets often run their own certificate authority. The system trust stays in
 * force; a CA file chosen in Preferences is consulted only when the system does not know the
 * signer, and only for that reason: an expired or mismatched certificate is refused whatever
 * signed it, and every refusal is explained in words a dispatcher can pass to IT.
 */
#define G_LOG_DOMAIN "WgApi"

#include "config.h"

#include <glib/gi18n-lib.h>

#include <errno.h>
#include <string.h>

#include "wg-api.h"

struct _WgApi
{
  GObject       parent_instance;

  char         *base_url;
  char         *token;
  char         *role;
  SoupSession  *session;
  GTlsDatabase *custom_ca;
};

G_DEFINE_FINAL_TYPE (WgApi, wg_api, G_TYPE_OBJECT)
G_DEFINE_QUARK (wg-api-error-quark, wg_api_error)

/* Replies larger than this are refused rather than read into memory. */
#define MAX_REPLY_BYTES (64 * 1024 * 1024)

typedef struct
{
  SoupMessage *message;
  gboolean     json;
} RequestData;

static void
request_data_free (gpointer data)
{
  RequestData *request = data;

  g_clear_object (&request->message);
  g_free (request);
}

/* --- errors ---------------------------------------------------------------------------------- */

char *
wg_api_describe_tls_error (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return g_strdup (_("The server’s certificate has expired. Ask the server’s administrator to renew it."));
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return g_strdup (_("The server’s certificate is not valid yet. Check that this computer’s date and time are right."));
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return g_strdup (_("The server’s certificate was issued for a different address. Check the server address in Preferences."));
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return g_strdup (_("The server’s certificate has been revoked. Ask the server’s administrator."));
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return g_strdup (_("The server’s certificate is signed by an authority this computer does not trust. If your office runs its own certificate authority, choose its certificate file in Preferences."));
  return g_strdup (_("The server’s certificate was refused as unsafe. Ask the server’s administrator."));
}

static char *
server_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonNode *root;
  JsonObject *object;
  JsonNode *error;

  if (body == NULL || g_bytes_get_size (body) == 0)
    return NULL;
  if (!json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  object = json_node_get_object (root);
  error = json_object_get_member (object, "error");
  if (error == NULL || !JSON_NODE_HOLDS_OBJECT (error))
    return NULL;
  object = json_node_get_object (error);
  if (!json_object_has_member (object, "message") ||
      json_node_get_value_type (json_object_get_member (object, "message")) != G_TYPE_STRING)
    return NULL;

  return g_strdup (json_object_get_string_member (object, "message"));
}

/* The server's own words when it sent an error body, ours otherwise. */
GError *
wg_api_error_from_reply (guint   status,
                         GBytes *body)
{
  g_autofree char *message = server_message (body);
  WgApiError code;
  const char *fallback;

  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      code = WG_API_ERROR_UNAUTHORIZED;
      fallback = _("Your sign-in has expired. Sign in again.");
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = WG_API_ERROR_FORBIDDEN;
      fallback = _("Your account is not allowed to do this.");
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = WG_API_ERROR_NOT_FOUND;
      fallback = _("The server does not know this record; it may have been deleted.");
      break;
    case SOUP_STATUS_CONFLICT:
      code = WG_API_ERROR_CONFLICT;
      fallback = _("The server refused the action in the case’s current state.");
      break;
    case SOUP_STATUS_PRECONDITION_FAILED:
      code = WG_API_ERROR_STALE;
      fallback = _("Someone else changed this record first.");
      break;
    default:
      if (status >= 500)
        {
          code = WG_API_ERROR_SERVER;
          fallback = _("The server had a problem and could not answer. Try again later, or tell its administrator.");
        }
      else
        {
          code = WG_API_ERROR_INVALID;
          fallback = _("The server refused the request.");
        }
      break;
    }

  if (status >= 500 || message == NULL)
    return g_error_new (WG_API_ERROR, code, "%s (HTTP %u)", fallback, status);
  return g_error_new_literal (WG_API_ERROR, code, message);
}

static GError *
network_error (SoupMessage *message,
               GError      *error)
{
  GTlsCertificateFlags flags = soup_message_get_tls_peer_certificate_errors (message);

  if (g_error_matches (error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE) || flags != 0)
    {
      g_autofree char *text = wg_api_describe_tls_error (flags);

      return g_error_new_literal (WG_API_ERROR, WG_API_ERROR_TLS, text);
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new_literal (WG_API_ERROR, WG_API_ERROR_NETWORK,
                                _("The server did not answer in time. The network may be slow or down."));

  return g_error_new (WG_API_ERROR, WG_API_ERROR_NETWORK,
                      _("Could not reach the server: %s"), error->message);
}

/* --- TLS ------------------------------------------------------------------------------------- */

static gboolean
accept_certificate_cb (SoupMessage          *message,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       WgApi                *self)
{
  g_autoptr(GSocketConnectable) identity = NULL;
  GUri *uri = soup_message_get_uri (message);
  GTlsCertificateFlags verdict;

  /* Only "unknown signer" may be overruled by the office CA; nothing else ever is. */
  if (self->custom_ca == NULL || errors != G_TLS_CERTIFICATE_UNKNOWN_CA)
    return FALSE;

  identity = g_network_address_new (g_uri_get_host (uri), g_uri_get_port (uri));
  verdict = g_tls_database_verify_chain (self->custom_ca, certificate,
                                         G_TLS_DATABASE_PURPOSE_AUTHENTICATE_SERVER,
                                         identity, NULL, G_TLS_DATABASE_VERIFY_NONE,
                                         NULL, NULL);
  return verdict == 0;
}

gboolean
wg_api_set_ca_file (WgApi       *self,
                    const char  *path,
                    GError     **error)
{
  g_autoptr(GTlsDatabase) database = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (WG_IS_API (self), FALSE);

  if (path == NULL || path[0] == '\0')
    {
      g_clear_object (&self->custom_ca);
      return TRUE;
    }

  database = g_tls_file_database_new (path, &local_error);
  if (database == NULL)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_TLS,
                   _("Could not read the certificate authority file %s: %s"),
                   path, local_error->message);
      return FALSE;
    }

  g_set_object (&self->custom_ca, database);
  return TRUE;
}

/* --- requests -------------------------------------------------------------------------------- */

static SoupMessage *
new_message (WgApi      *self,
             const char *method,
             const char *path)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  SoupMessage *message = soup_message_new (method, url);
  SoupMessageHeaders *headers;

  if (message == NULL)
    return NULL;

  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
    }

  g_signal_connect_object (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), self, 0);
  return message;
}

static void
request_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, network_error (request->message, error));
      return;
    }

  status = soup_message_get_status (request->message);
  g_object_set_data (G_OBJECT (task), "status", GUINT_TO_POINTER (status));

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      g_task_return_error (task, wg_api_error_from_reply (status, body));
      return;
    }

  if (g_bytes_get_size (body) > MAX_REPLY_BYTES)
    {
      g_task_return_new_error (task, WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
                               _("The server’s answer is too large to read"));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

static GTask *
send_message (WgApi               *self,
              SoupMessage         *message,
              gpointer             source_tag,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  RequestData *request = g_new0 (RequestData, 1);

  g_task_set_source_tag (task, source_tag);
  request->message = message;
  g_task_set_task_data (task, request, request_data_free);

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    request_read_cb, g_object_ref (task));
  return task;
}

void
wg_api_get_bytes_async (WgApi               *self,
                        const char          *path,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;

  g_return_if_fail (WG_IS_API (self));

  message = new_message (self, "GET", path);
  if (message == NULL)
    {
      g_task_report_new_error (self, callback, user_data, wg_api_get_bytes_async,
                               WG_API_ERROR, WG_API_ERROR_NETWORK,
                               _("The server address is not valid"));
      return;
    }
  task = send_message (self, message, wg_api_get_bytes_async, cancellable, callback, user_data);
}

GBytes *
wg_api_get_bytes_finish (WgApi         *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- downloads ------------------------------------------------------------------------------ */

typedef struct
{
  GBytes *bytes;
  char   *destination;
  char   *sha256;
} Download;

static void
download_free (gpointer data)
{
  Download *download = data;

  g_clear_pointer (&download->bytes, g_bytes_unref);
  g_free (download->destination);
  g_free (download->sha256);
  g_free (download);
}

/* On a worker: check the file is what the server said it stored, then write it whole under a
 * temporary name and rename it, so a crash or a full disk never leaves half a file behind. */
static void
download_write_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Download *download = task_data;
  g_autofree char *dir = g_path_get_dirname (download->destination);
  g_autoptr(GError) error = NULL;
  gsize size;
  const guchar *data = g_bytes_get_data (download->bytes, &size);

  if (download->sha256 != NULL)
    {
      g_autofree char *sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, size);

      if (g_ascii_strcasecmp (sha, download->sha256) != 0)
        {
          g_task_return_new_error (task, WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
                                   _("The file arrived damaged (its checksum does not match). Try again."));
          return;
        }
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create the folder %s: %s"), dir, g_strerror (saved_errno));
      return;
    }
  if (!g_file_set_contents_full (download->destination, (const char *) data, size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
download_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Download *download = g_task_get_task_data (task);
  GError *error = NULL;

  download->bytes = wg_api_get_bytes_finish (WG_API (object), result, &error);
  if (download->bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_run_in_thread (task, download_write_thread);
}

/* Downloads @path (below the base URL, e.g. an attachment's url) into the file @destination,
 * creating its folder. With @sha256 the file must have that SHA-256 or nothing is written. */
void
wg_api_download_async (WgApi               *self,
                       const char          *path,
                       const char          *destination,
                       const char          *sha256,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  GTask *task;
  Download *download;
  SoupMessage *message;

  g_return_if_fail (WG_IS_API (self));
  g_return_if_fail (path != NULL);
  g_return_if_fail (destination != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_api_download_async);
  download = g_new0 (Download, 1);
  download->destination = g_strdup (destination);
  download->sha256 = g_strdup (sha256);
  g_task_set_task_data (task, download, download_free);

  message = new_message (self, "GET", path);
  if (message == NULL)
    {
      g_task_return_new_error (task, WG_API_ERROR, WG_API_ERROR_NETWORK, _("The server address is not valid"));
      g_object_unref (task);
      return;
    }
  /* Any type: a photo, a PDF, a recording. */
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "*/*");
  g_object_unref (send_message (self, message, wg_api_get_bytes_async, cancellable, download_read_cb, task));
}

gboolean
wg_api_download_finish (WgApi         *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
wg_api_request_async (WgApi               *self,
                      const char          *method,
                      const char          *path,
                      JsonNode            *body,
                      const char          *idempotency_key,
                      gint64               if_match,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SoupMessage *message;
  SoupMessageHeaders *headers;

  g_return_if_fail (WG_IS_API (self));

  message = new_message (self, method, path);
  if (message == NULL)
    {
      g_task_report_new_error (self, callback, user_data, wg_api_request_async,
                               WG_API_ERROR, WG_API_ERROR_NETWORK,
                               _("The server address is not valid"));
      return;
    }

  headers = soup_message_get_request_headers (message);
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);
  if (if_match > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", if_match);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  if (body != NULL)
    {
      char *text = json_to_string (body, FALSE);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, strlen (text));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  task = send_message (self, message, wg_api_request_async, cancellable, callback, user_data);
}

JsonNode *
wg_api_request_finish (WgApi         *self,
                       GAsyncResult  *result,
                       guint         *out_status,
                       GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (out_status != NULL)
    *out_status = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (result), "status"));

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes == NULL)
    return NULL;

  if (g_bytes_get_size (bytes) == 0)
    return json_node_new (JSON_NODE_NULL);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                   &parse_error) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
                   _("The server’s answer could not be read: %s"),
                   parse_error != NULL ? parse_error->message : _("it was empty"));
      return NULL;
    }

  return json_node_ref (root);
}

/* --- sign-in --------------------------------------------------------------------------------- */

static void
login_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  JsonObject *object_reply;
  JsonNode *token;

  reply = wg_api_request_finish (WG_API (object), result, NULL, &error);
  if (reply == NULL)
    {
      /* The one refusal a person at the sign-in page must understand: our own words. */
      if (g_error_matches (error, WG_API_ERROR, WG_API_ERROR_UNAUTHORIZED))
        {
          g_clear_error (&error);
          error = g_error_new_literal (WG_API_ERROR, WG_API_ERROR_UNAUTHORIZED,
                                       _("The user name or password is wrong, or the account is disabled."));
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!JSON_NODE_HOLDS_OBJECT (reply) ||
      (token = json_object_get_member ((object_reply = json_node_get_object (reply)), "token")) == NULL ||
      json_node_get_value_type (token) != G_TYPE_STRING)
    {
      g_task_return_new_error (task, WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
                               _("The server answered the sign-in without a token; is this a Wangge server?"));
      return;
    }

  wg_api_set_token (WG_API (object), json_node_get_string (token));
  {
    JsonNode *account = json_object_get_member (object_reply, "account");

    if (account != NULL && JSON_NODE_HOLDS_OBJECT (account) &&
        json_object_has_member (json_node_get_object (account), "role"))
      g_set_str (&WG_API (object)->role, json_object_get_string_member (json_node_get_object (account), "role"));
  }
  g_task_return_pointer (task, g_strdup (json_node_get_string (token)), g_free);
}

void
wg_api_login_async (WgApi               *self,
                    const char          *username,
                    const char          *password,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  GTask *task;

  g_return_if_fail (WG_IS_API (self));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "username");
  json_builder_add_string_value (builder, username);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_api_login_async);
  g_clear_pointer (&self->token, g_free);
  wg_api_request_async (self, "POST", "/api/v1/session", body, NULL, 0, cancellable, login_cb, task);
}

char *
wg_api_login_finish (WgApi         *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- live channel ---------------------------------------------------------------------------- */

static void
live_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (object), result, &error);
  if (connection == NULL)
    {
      RequestData *request = g_task_get_task_data (task);

      g_task_return_error (task, network_error (request->message, error));
      return;
    }

  g_task_return_pointer (task, connection, g_object_unref);
}

void
wg_api_connect_live_async (WgApi               *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  GTask *task;
  RequestData *request;
  SoupMessage *message;

  g_return_if_fail (WG_IS_API (self));

  message = new_message (self, "GET", "/api/v1/changes/live");
  if (message == NULL)
    {
      g_task_report_new_error (self, callback, user_data, wg_api_connect_live_async,
                               WG_API_ERROR, WG_API_ERROR_NETWORK,
                               _("The server address is not valid"));
      return;
    }

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_api_connect_live_async);
  request = g_new0 (RequestData, 1);
  request->message = g_object_ref (message);
  g_task_set_task_data (task, request, request_data_free);

  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, live_connected_cb, task);
  g_object_unref (message);
}

SoupWebsocketConnection *
wg_api_connect_live_finish (WgApi         *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_api_finalize (GObject *object)
{
  WgApi *self = WG_API (object);

  g_clear_object (&self->session);
  g_clear_object (&self->custom_ca);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->role, g_free);

  G_OBJECT_CLASS (wg_api_parent_class)->finalize (object);
}

static void
wg_api_class_init (WgApiClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_api_finalize;
}

static void
wg_api_init (WgApi *self)
{
  const char * const *languages = g_get_language_names ();
  g_autoptr(GString) accept = g_string_new (NULL);

  /* "zh-CN, zh;q=0.9, en;q=0.8": the server words its errors in the user's language. */
  for (guint i = 0, n = 0; languages[i] != NULL && n < 4; i++)
    {
      g_autofree char *tag = NULL;

      if (g_str_equal (languages[i], "C") || g_str_equal (languages[i], "POSIX") ||
          strchr (languages[i], '.') != NULL || strchr (languages[i], '@') != NULL)
        continue;
      tag = g_strdelimit (g_strdup (languages[i]), "_", '-');
      g_string_append_printf (accept, "%s%s", accept->len ? ", " : "", tag);
      n++;
    }

  self->session = soup_session_new_with_options ("user-agent", "Wangge/" PACKAGE_VERSION,
                                                 "timeout", 30,
                                                 "idle-timeout", 60,
                                                 NULL);
  if (accept->len > 0)
    soup_session_set_accept_language (self->session, accept->str);
}

WgApi *
wg_api_new (const char *base_url)
{
  WgApi *self;

  g_return_val_if_fail (base_url != NULL, NULL);

  self = g_object_new (WG_TYPE_API, NULL);
  self->base_url = g_strdup (base_url);
  return self;
}

const char *
wg_api_get_base_url (WgApi *self)
{
  g_return_val_if_fail (WG_IS_API (self), NULL);

  return self->base_url;
}

void
wg_api_set_token (WgApi      *self,
                  const char *token)
{
  g_return_if_fail (WG_IS_API (self));

  g_set_str (&self->token, token);
}

const char *
wg_api_get_token (WgApi *self)
{
  g_return_val_if_fail (WG_IS_API (self), NULL);

  return self->token;
}

void
wg_api_set_timeout (WgApi *self,
                    guint  seconds)
{
  g_return_if_fail (WG_IS_API (self));

  soup_session_set_timeout (self->session, seconds);
}

SoupSession *
wg_api_get_session (WgApi *self)
{
  g_return_val_if_fail (WG_IS_API (self), NULL);

  return self->session;
}

/* A GET of @url on another server, such as the base map's tile server, to send with
 * wg_api_get_session (): the session's user agent and the office CA apply as they do for the
 * Wangge server, but the sign-in token is never sent. NULL when @url is not an absolute
 * http or https address. */
SoupMessage *
wg_api_new_external_get (WgApi      *self,
                         const char *url)
{
  SoupMessage *message;

  g_return_val_if_fail (WG_IS_API (self), NULL);
  g_return_val_if_fail (url != NULL, NULL);

  if (!g_str_has_prefix (url, "http://") && !g_str_has_prefix (url, "https://"))
    return NULL;
  message = soup_message_new (SOUP_METHOD_GET, url);
  if (message == NULL)
    return NULL;
  g_signal_connect_object (message, "accept-certificate", G_CALLBACK (accept_certificate_cb), self, 0);
  return message;
}

/* The role of the account signed in with this client ("dispatcher", …), from the sign-in
 * reply; NULL when it came from a saved token. */
const char *
wg_api_get_role (WgApi *self)
{
  g_return_val_if_fail (WG_IS_API (self), NULL);

  return self->role;
}
