/* wg-window.h — the main window
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-types.h"

G_BEGIN_DECLS

#define WG_TYPE_WINDOW (wg_window_get_type ())

G_DECLARE_FINAL_TYPE (WgWindow, wg_window, WG, WINDOW, AdwApplicationWindow)

WgWindow   *wg_window_new          (WgApplication *application);
const char *wg_window_get_section  (WgWindow      *self);
void        wg_window_set_section  (WgWindow      *self,
                                    const char    *section);
void        wg_window_show_case    (WgWindow      *self,
                                    const char    *case_id);

G_END_DECLS
