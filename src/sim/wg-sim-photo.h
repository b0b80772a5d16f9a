/* wg-sim-photo.h — the simulator's "on-site photos": small generated street scenes as PNG
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

GBytes *wg_sim_photo_new (guint64 seed,
                          guint   width,
                          guint   height);

G_END_DECLS
