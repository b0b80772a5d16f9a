/* wg-case-photo-viewer.h — a case's photos, one at a time, large
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-api.h"

G_BEGIN_DECLS

#define WG_TYPE_CASE_PHOTO_VIEWER (wg_case_photo_viewer_get_type ())

G_DECLARE_FINAL_TYPE (WgCasePhotoViewer, wg_case_photo_viewer, WG, CASE_PHOTO_VIEWER, AdwDialog)

AdwDialog  *wg_case_photo_viewer_new       (GPtrArray         *photos,
                                            guint              index,
                                            WgApi             *api);
guint       wg_case_photo_viewer_get_index (WgCasePhotoViewer *self);
void        wg_case_photo_viewer_set_index (WgCasePhotoViewer *self,
                                            guint              index);
gboolean    wg_case_photo_viewer_get_shown (WgCasePhotoViewer *self);

G_END_DECLS
