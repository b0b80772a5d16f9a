/* wg-case-nearby.h — open cases near a case that may report the same thing
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-record-list.h"
#include "wg-session.h"

G_BEGIN_DECLS

#define WG_TYPE_CASE_NEARBY (wg_case_nearby_get_type ())

G_DECLARE_FINAL_TYPE (WgCaseNearby, wg_case_nearby, WG, CASE_NEARBY, AdwBin)

GtkWidget  *wg_case_nearby_new        (WgSession    *session,
                                       WgRecord     *record);
gboolean    wg_case_nearby_get_loaded (WgCaseNearby *self);

G_END_DECLS
