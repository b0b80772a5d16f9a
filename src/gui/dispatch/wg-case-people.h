/* wg-case-people.h — whom to call about a case: the grid's staff and its covering cadres
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-record-list.h"
#include "wg-session.h"

G_BEGIN_DECLS

#define WG_TYPE_CASE_PEOPLE (wg_case_people_get_type ())

G_DECLARE_FINAL_TYPE (WgCasePeople, wg_case_people, WG, CASE_PEOPLE, AdwBin)

GtkWidget  *wg_case_people_new        (WgSession    *session,
                                       WgRecord     *record);
gboolean    wg_case_people_get_loaded (WgCasePeople *self);

G_END_DECLS
