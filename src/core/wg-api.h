/* wg-api.h — HTTP to the Wangge server: one SoupSession, TLS with an optional office CA
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define WG_API_ERROR (wg_api_error_quark ())

typedef enum
{
  WG_API_ERROR_NETWORK,        /* no answer: offline, refused, timed out */
  WG_API_ERROR_TLS,            /* the certificate was refused */
  WG_API_ERROR_UNAUTHORIZED,   /* 401: sign in again */
  WG_API_ERROR_FORBIDDEN,      /* 403 */
  WG_API_ERROR_NOT_FOUND,      /* 404 */
  WG_API_ERROR_CONFLICT,       /* 409: the state machine refused */
  WG_API_ERROR_STALE,          /* 412: someone changed it first */
  WG_API_ERROR_INVALID,        /* other 4xx */
  WG_API_ERROR_SERVER,         /* 5xx */
  WG_API_ERROR_BAD_REPLY,      /* an answer we cannot read */
} WgApiError;

#define WG_TYPE_API (wg_api_get_type ())

G_DECLARE_FINAL_TYPE (WgApi, wg_api, WG, API, GObject)

GQuark       wg_api_error_quark          (void);

WgApi       *wg_api_new                  (const char           *base_url);
const char  *wg_api_get_base_url         (WgApi                *self);
void         wg_api_set_token            (WgApi                *self,
                                          const char           *token);
const char  *wg_api_get_token            (WgApi                *self);
gboolean     wg_api_set_ca_file          (WgApi                *self,
                                          const char           *path,
                                          GError              **error);
void         wg_api_set_timeout          (WgApi                *self,
                                          guint                 seconds);
SoupSession *wg_api_get_session          (WgApi                *self);
SoupMessage *wg_api_new_external_get     (WgApi                *self,
                                          const char           *url);

/* A request: method, path below the base URL (with query), optional JSON body and headers.
 * The reply is the parsed JSON object; errors carry the server's message when it sent one. */
void         wg_api_request_async        (WgApi                *self,
                                          const char           *method,
                                          const char           *path,
                                          JsonNode             *body,
                                          const char           *idempotency_key,
                                          gint64                if_match,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
JsonNode    *wg_api_request_finish       (WgApi                *self,
                                          GAsyncResult         *result,
                                          guint                *out_status,
                                          GError              **error);

/* The raw bytes of a GET, for callers that parse in a worker thread. */
void         wg_api_get_bytes_async      (WgApi                *self,
                                          const char           *path,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
GBytes      *wg_api_get_bytes_finish     (WgApi                *self,
                                          GAsyncResult         *result,
                                          GError              **error);

/* A file (an attachment) written atomically to @destination; @sha256 (or NULL) is checked. */
void         wg_api_download_async       (WgApi                *self,
                                          const char           *path,
                                          const char           *destination,
                                          const char           *sha256,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
gboolean     wg_api_download_finish      (WgApi                *self,
                                          GAsyncResult         *result,
                                          GError              **error);

void         wg_api_login_async          (WgApi                *self,
                                          const char           *username,
                                          const char           *password,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
char        *wg_api_login_finish         (WgApi                *self,
                                          GAsyncResult         *result,
                                          GError              **error);

const char  *wg_api_get_role             (WgApi                *self);

void         wg_api_connect_live_async   (WgApi                *self,
                                          GCancellable         *cancellable,
                                          GAsyncReadyCallback   callback,
                                          gpointer              user_data);
SoupWebsocketConnection *wg_api_connect_live_finish (WgApi        *self,
                                          GAsyncResult         *result,
                                          GError              **error);

GError      *wg_api_error_from_reply     (guint                 status,
                                          GBytes               *body);
char        *wg_api_describe_tls_error   (GTlsCertificateFlags  flags);

G_END_DECLS
