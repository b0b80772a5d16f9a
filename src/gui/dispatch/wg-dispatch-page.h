/* wg-dispatch-page.h — the dispatcher's queue over the local cache
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-session.h"

G_BEGIN_DECLS

#define WG_TYPE_DISPATCH_PAGE (wg_dispatch_page_get_type ())

G_DECLARE_FINAL_TYPE (WgDispatchPage, wg_dispatch_page, WG, DISPATCH_PAGE, AdwBin)

void        wg_dispatch_page_set_session (WgDispatchPage *self,
                                         WgSession      *session);
const char *wg_dispatch_page_get_view   (WgDispatchPage *self);
void        wg_dispatch_page_set_view   (WgDispatchPage *self,
                                         const char     *view_id);
GListModel *wg_dispatch_page_get_cases  (WgDispatchPage *self);
void        wg_dispatch_page_set_grids  (WgDispatchPage *self,
                                         GListModel     *grids);
void        wg_dispatch_page_show_case  (WgDispatchPage *self,
                                         const char     *id);

G_END_DECLS
