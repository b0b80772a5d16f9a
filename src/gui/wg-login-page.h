/* wg-login-page.h — signing in to the township's server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define WG_TYPE_LOGIN_PAGE (wg_login_page_get_type ())

G_DECLARE_FINAL_TYPE (WgLoginPage, wg_login_page, WG, LOGIN_PAGE, AdwBin)

void wg_login_page_set_server    (WgLoginPage *self,
                                  const char  *server_url);
void wg_login_page_set_username  (WgLoginPage *self,
                                  const char  *username);
void wg_login_page_set_busy      (WgLoginPage *self,
                                  gboolean     busy);
void wg_login_page_set_error     (WgLoginPage *self,
                                  const char  *message);
void wg_login_page_focus         (WgLoginPage *self);

G_END_DECLS
