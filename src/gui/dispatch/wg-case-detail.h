/* wg-case-detail.h — one case: its fields, its timeline and the actions it allows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-record-list.h"
#include "wg-session.h"

G_BEGIN_DECLS

#define WG_TYPE_CASE_DETAIL (wg_case_detail_get_type ())

G_DECLARE_FINAL_TYPE (WgCaseDetail, wg_case_detail, WG, CASE_DETAIL, AdwBin)

GtkWidget  *wg_case_detail_new         (void);
void        wg_case_detail_set_session (WgCaseDetail *self,
                                        WgSession    *session);
void        wg_case_detail_set_names   (WgCaseDetail *self,
                                        GHashTable   *names);
void        wg_case_detail_set_record  (WgCaseDetail *self,
                                        WgRecord     *record);
WgRecord   *wg_case_detail_get_record  (WgCaseDetail *self);
void        wg_case_detail_set_grids   (WgCaseDetail *self,
                                        GListModel   *grids);
void        wg_case_detail_attach_to_page (WgCaseDetail *self,
                                        GtkWidget    *page);

G_END_DECLS
