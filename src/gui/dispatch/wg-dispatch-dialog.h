/* wg-dispatch-dialog.h — send a case to a team, department, village, grid or person
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-store.h"

G_BEGIN_DECLS

#define WG_TYPE_DISPATCH_DIALOG (wg_dispatch_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WgDispatchDialog, wg_dispatch_dialog, WG, DISPATCH_DIALOG, AdwDialog)

WgDispatchDialog *wg_dispatch_dialog_new (WgStore    *store,
                                          JsonObject *case_json);

gboolean          wg_picker_step         (GtkListBox        *list,
                                          GtkScrolledWindow *scrolled,
                                          guint              keyval);

G_END_DECLS
