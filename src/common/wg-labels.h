/* wg-labels.h — the words the client shows for the domain's names on the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char *wg_label_case_action (const char *action);
const char *wg_label_case_state  (const char *state);
const char *wg_label_role        (const char *role);

G_END_DECLS
