/* wg-action-dialog.h — what an action on a case needs typed or chosen: a reason, a note, a new deadline, a rating
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "wg-domain.h"
#include "wg-working-time.h"

G_BEGIN_DECLS

#define WG_TYPE_ACTION_DIALOG (wg_action_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WgActionDialog, wg_action_dialog, WG, ACTION_DIALOG, AdwDialog)

gboolean        wg_action_dialog_wants       (WgCaseAction       action);
WgActionDialog *wg_action_dialog_new         (WgCaseAction       action,
                                              JsonObject        *case_json,
                                              WgWorkingCalendar *calendar);
WgCaseAction    wg_action_dialog_get_action  (WgActionDialog    *self);
JsonObject     *wg_action_dialog_dup_params  (WgActionDialog    *self);

G_END_DECLS
