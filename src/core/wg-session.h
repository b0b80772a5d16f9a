/* wg-session.h — who is signed in where: token, cache and sync together
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wg-api.h"
#include "wg-store.h"
#include "wg-sync.h"
#include "wg-sync-status.h"

G_BEGIN_DECLS

#define WG_TYPE_SESSION (wg_session_get_type ())

G_DECLARE_FINAL_TYPE (WgSession, wg_session, WG, SESSION, GObject)

WgSession    *wg_session_new               (const char          *data_dir);
const char   *wg_session_get_data_dir      (WgSession           *self);
gboolean      wg_session_get_signed_in     (WgSession           *self);
const char   *wg_session_get_username      (WgSession           *self);
const char   *wg_session_get_server_url    (WgSession           *self);
const char   *wg_session_get_role          (WgSession           *self);
WgSyncStatus *wg_session_get_sync_status   (WgSession           *self);
WgSync       *wg_session_get_sync          (WgSession           *self);
WgStore      *wg_session_get_store         (WgSession           *self);
char         *wg_session_get_token_file    (WgSession           *self);

void          wg_session_set_ca_file       (WgSession           *self,
                                            const char          *path);
void          wg_session_set_token_in_file (WgSession           *self,
                                            gboolean             in_file);

void          wg_session_sign_in_async     (WgSession           *self,
                                            const char          *server_url,
                                            const char          *username,
                                            const char          *password,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      wg_session_sign_in_finish    (WgSession           *self,
                                            GAsyncResult        *result,
                                            char               **keyring_warning,
                                            GError             **error);

void          wg_session_resume_async      (WgSession           *self,
                                            const char          *server_url,
                                            const char          *username,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean      wg_session_resume_finish     (WgSession           *self,
                                            GAsyncResult        *result,
                                            GError             **error);

gboolean      wg_session_keep_token_in_file (WgSession          *self,
                                            GError             **error);
void          wg_session_sign_out          (WgSession           *self);

G_END_DECLS
