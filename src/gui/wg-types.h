/* wg-types.h — forward declarations shared by the GUI
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WgApplication        WgApplication;
typedef struct _WgPreferencesDialog  WgPreferencesDialog;
typedef struct _WgWindow             WgWindow;

G_END_DECLS
