/* wg-application.h — the Wangge application
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-session.h"
#include "wg-types.h"

G_BEGIN_DECLS

#define WG_TYPE_APPLICATION (wg_application_get_type ())

G_DECLARE_FINAL_TYPE (WgApplication, wg_application, WG, APPLICATION, AdwApplication)

WgApplication *wg_application_new              (void);
WgSession     *wg_application_get_session      (WgApplication *self);

G_END_DECLS
