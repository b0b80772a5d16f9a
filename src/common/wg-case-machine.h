/* wg-case-machine.h — the case state machine: the one table the server enforces and the client reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "wg-domain.h"

G_BEGIN_DECLS

typedef struct
{
  WgCaseState  from;
  WgCaseAction action;
  WgCaseState  to;
  WgRole       roles;   /* bitwise OR of the roles allowed to take this step */
} WgCaseTransition;

const WgCaseTransition *wg_case_machine_get_table  (guint        *n_transitions);
const WgCaseTransition *wg_case_machine_lookup     (WgCaseState   from,
                                                    WgCaseAction  action);
gboolean                wg_case_machine_can        (WgCaseState   from,
                                                    WgCaseAction  action,
                                                    WgRole        role);
gboolean                wg_case_machine_is_open    (WgCaseState   state);

G_END_DECLS
