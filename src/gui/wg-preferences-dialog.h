/* wg-preferences-dialog.h — Preferences
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-types.h"

G_BEGIN_DECLS

#define WG_TYPE_PREFERENCES_DIALOG (wg_preferences_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WgPreferencesDialog, wg_preferences_dialog, WG, PREFERENCES_DIALOG, AdwPreferencesDialog)

WgPreferencesDialog *wg_preferences_dialog_new (void);

G_END_DECLS
