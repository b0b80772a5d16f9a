/* wg-case-photos.h — a case's photos as thumbnails and its other files as rows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-record-list.h"
#include "wg-session.h"

G_BEGIN_DECLS

#define WG_TYPE_CASE_PHOTOS (wg_case_photos_get_type ())

G_DECLARE_FINAL_TYPE (WgCasePhotos, wg_case_photos, WG, CASE_PHOTOS, AdwBin)

GtkWidget  *wg_case_photos_new          (WgSession    *session,
                                         WgRecord     *record);
guint       wg_case_photos_get_n_shown  (WgCasePhotos *self);

/* Also for the photo viewer: decodes @path on the calling thread (a worker), turned upright
 * as the camera recorded it, at most @max_size pixels wide and high (0: as it is); @square
 * crops the middle square, its side at most @max_size. */
GdkTexture *_wg_case_photos_load_texture (const char  *path,
                                          int          max_size,
                                          gboolean     square,
                                          GError     **error);

G_END_DECLS
