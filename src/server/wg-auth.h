/* wg-auth.h — passwords, bearer tokens and the failed-login limiter
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WG_AUTH_ERROR (wg_auth_error_quark ())

typedef enum
{
  WG_AUTH_ERROR_FAILED,
  WG_AUTH_ERROR_WEAK_PASSWORD,
} WgAuthError;

GQuark    wg_auth_error_quark       (void);
gboolean  wg_auth_init              (gboolean     fast_hash,
                                     GError     **error);
char     *wg_auth_hash_password     (const char  *password,
                                     GError     **error);
gboolean  wg_auth_check_password_strength (const char *password,
                                           GError    **error);
gboolean  wg_auth_verify_password   (const char  *hash,
                                     const char  *password);
char     *wg_auth_new_token         (void);
char     *wg_auth_hash_token        (const char  *token);

#define WG_TYPE_RATE_LIMITER (wg_rate_limiter_get_type ())
G_DECLARE_FINAL_TYPE (WgRateLimiter, wg_rate_limiter, WG, RATE_LIMITER, GObject)

WgRateLimiter *wg_rate_limiter_new     (guint          max_failures,
                                        guint          window_seconds);
gboolean       wg_rate_limiter_blocked (WgRateLimiter *self,
                                        const char    *key,
                                        gint64         now_us,
                                        guint         *out_retry_after);
void           wg_rate_limiter_failed  (WgRateLimiter *self,
                                        const char    *key,
                                        gint64         now_us);
void           wg_rate_limiter_reset   (WgRateLimiter *self,
                                        const char    *key);

G_END_DECLS
