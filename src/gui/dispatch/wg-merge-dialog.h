/* wg-merge-dialog.h — choose the open case a duplicate report is merged into
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-store.h"

G_BEGIN_DECLS

#define WG_TYPE_MERGE_DIALOG (wg_merge_dialog_get_type ())

G_DECLARE_FINAL_TYPE (WgMergeDialog, wg_merge_dialog, WG, MERGE_DIALOG, AdwDialog)

WgMergeDialog *wg_merge_dialog_new (WgStore    *store,
                                    GHashTable *names,
                                    JsonObject *case_json);

G_END_DECLS
