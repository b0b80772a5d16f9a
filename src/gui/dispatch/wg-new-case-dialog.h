/* wg-new-case-dialog.h — a case taken by phone (来电代录)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-store.h"

G_BEGIN_DECLS

#define WG_TYPE_NEW_CASE_DIALOG (wg_new_case_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WgNewCaseDialog, wg_new_case_dialog, WG, NEW_CASE_DIALOG, AdwDialog)

WgNewCaseDialog *wg_new_case_dialog_new        (WgStore         *store);
JsonObject      *wg_new_case_dialog_dup_report (WgNewCaseDialog *self);

G_END_DECLS
