/* wg-credentials.h — where the sign-in token is kept: the keyring, or a private file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WG_CREDENTIALS_ERROR (wg_credentials_error_quark ())

typedef enum
{
  WG_CREDENTIALS_ERROR_NO_KEYRING,   /* no secret service: offer the file, with consent */
  WG_CREDENTIALS_ERROR_FAILED,
} WgCredentialsError;

GQuark    wg_credentials_error_quark   (void);

/* @file_path is where the token goes when the person chose a file over the keyring; NULL
 * means the keyring only. */
void      wg_credentials_store_async   (const char          *server,
                                        const char          *username,
                                        const char          *token,
                                        const char          *file_path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean  wg_credentials_store_finish  (GAsyncResult        *result,
                                        GError             **error);

void      wg_credentials_lookup_async  (const char          *server,
                                        const char          *username,
                                        const char          *file_path,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
char     *wg_credentials_lookup_finish (GAsyncResult        *result,
                                        GError             **error);

void      wg_credentials_forget        (const char          *server,
                                        const char          *username,
                                        const char          *file_path);

gboolean  wg_credentials_write_file    (const char          *path,
                                        const char          *token,
                                        GError             **error);
char     *wg_credentials_read_file     (const char          *path,
                                        GError             **error);

G_END_DECLS
