/* wg-case-machine.c — the case state machine: the one table the server enforces and the client reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The flow follows GB/T 30428 and the seeds: report → accept/reject/merge → dispatch → claim
 * (or return to the center) → start → resolve → verify → close, with reopen (返工) going back
 * to dispatched and escalate (上报) handing a case to the county. Actions that do not move the
 * case (comment, supervise, extend, rate) are rows whose to-state equals the from-state, so a
 * client can ask the same question — "is this action legal here, for me?" — for every action.
 *
 * Admins appear in every row but self_handle: in a small township the administrator stands
 * in for whoever is missing. Leaders appear in none: they read, they do not act (the issue
 * says leaders are read only; 督办 goes through the dispatcher).
 */
#define G_LOG_DOMAIN "WgCaseMachine"

#include "config.h"

#include "wg-case-machine.h"

#define DISPATCH   (WG_ROLE_ADMIN | WG_ROLE_DISPATCHER)
#define HANDLERS   (WG_ROLE_ADMIN | WG_ROLE_FIELD_WORKER | WG_ROLE_TEAM_MEMBER)
#define VERIFIERS  (WG_ROLE_ADMIN | WG_ROLE_DISPATCHER | WG_ROLE_FIELD_WORKER)
#define ACTORS     (WG_ROLE_ADMIN | WG_ROLE_DISPATCHER | WG_ROLE_FIELD_WORKER | WG_ROLE_TEAM_MEMBER)

#define S(x) WG_CASE_STATE_##x
#define A(x) WG_CASE_ACTION_##x

static const WgCaseTransition table[] = {
  /* intake */
  { S (NEW),         A (REPORT),      S (REPORTED),    ACTORS },
  { S (NEW),         A (SELF_HANDLE), S (RESOLVED),    WG_ROLE_FIELD_WORKER },
  { S (REPORTED),    A (ACCEPT),      S (ACCEPTED),    DISPATCH },
  { S (REPORTED),    A (REJECT),      S (REJECTED),    DISPATCH },
  { S (REPORTED),    A (MERGE),       S (MERGED),      DISPATCH },
  { S (ACCEPTED),    A (MERGE),       S (MERGED),      DISPATCH },

  /* dispatch; filing and dispatching in one step is allowed because the center must do
   * both within one working hour and usually does them together */
  { S (REPORTED),    A (DISPATCH),    S (DISPATCHED),  DISPATCH },
  { S (ACCEPTED),    A (DISPATCH),    S (DISPATCHED),  DISPATCH },
  { S (ESCALATED),   A (DISPATCH),    S (DISPATCHED),  DISPATCH },

  /* handling; a return (退单) puts the case back in the center's queue as accepted */
  { S (DISPATCHED),  A (CLAIM),       S (CLAIMED),     HANDLERS },
  { S (DISPATCHED),  A (RETURN),      S (ACCEPTED),    HANDLERS },
  { S (CLAIMED),     A (RETURN),      S (ACCEPTED),    HANDLERS },
  { S (CLAIMED),     A (START),       S (IN_PROGRESS), HANDLERS },
  { S (CLAIMED),     A (RESOLVE),     S (RESOLVED),    HANDLERS },
  { S (IN_PROGRESS), A (RESOLVE),     S (RESOLVED),    HANDLERS },
  { S (ESCALATED),   A (RESOLVE),     S (RESOLVED),    DISPATCH },

  /* verification on site (核查) and closing; reopen (返工) sends the case back out */
  { S (RESOLVED),    A (VERIFY),      S (VERIFIED),    VERIFIERS },
  { S (RESOLVED),    A (REOPEN),      S (DISPATCHED),  VERIFIERS },
  { S (VERIFIED),    A (REOPEN),      S (DISPATCHED),  DISPATCH },
  { S (VERIFIED),    A (CLOSE),       S (CLOSED),      DISPATCH },
  { S (VERIFIED),    A (RATE),        S (VERIFIED),    DISPATCH },
  { S (CLOSED),      A (RATE),        S (CLOSED),      DISPATCH },

  /* escalation to the county (上报) */
  { S (ACCEPTED),    A (ESCALATE),    S (ESCALATED),   DISPATCH },
  { S (DISPATCHED),  A (ESCALATE),    S (ESCALATED),   DISPATCH },
  { S (CLAIMED),     A (ESCALATE),    S (ESCALATED),   DISPATCH },
  { S (IN_PROGRESS), A (ESCALATE),    S (ESCALATED),   DISPATCH },

  /* supervision (督办) and extension (延期): only while someone is working on the case.
   * A handler's extend is a request; the center's extend grants it (see the server). */
  { S (DISPATCHED),  A (SUPERVISE),   S (DISPATCHED),  DISPATCH },
  { S (CLAIMED),     A (SUPERVISE),   S (CLAIMED),     DISPATCH },
  { S (IN_PROGRESS), A (SUPERVISE),   S (IN_PROGRESS), DISPATCH },
  { S (DISPATCHED),  A (EXTEND),      S (DISPATCHED),  ACTORS },
  { S (CLAIMED),     A (EXTEND),      S (CLAIMED),     ACTORS },
  { S (IN_PROGRESS), A (EXTEND),      S (IN_PROGRESS), ACTORS },

  /* comments are allowed on every existing case, closed ones included (回访 notes) */
  { S (REPORTED),    A (COMMENT),     S (REPORTED),    ACTORS },
  { S (ACCEPTED),    A (COMMENT),     S (ACCEPTED),    ACTORS },
  { S (REJECTED),    A (COMMENT),     S (REJECTED),    ACTORS },
  { S (MERGED),      A (COMMENT),     S (MERGED),      ACTORS },
  { S (DISPATCHED),  A (COMMENT),     S (DISPATCHED),  ACTORS },
  { S (CLAIMED),     A (COMMENT),     S (CLAIMED),     ACTORS },
  { S (IN_PROGRESS), A (COMMENT),     S (IN_PROGRESS), ACTORS },
  { S (RESOLVED),    A (COMMENT),     S (RESOLVED),    ACTORS },
  { S (VERIFIED),    A (COMMENT),     S (VERIFIED),    ACTORS },
  { S (CLOSED),      A (COMMENT),     S (CLOSED),      ACTORS },
  { S (ESCALATED),   A (COMMENT),     S (ESCALATED),   ACTORS },
};

const WgCaseTransition *
wg_case_machine_get_table (guint *n_transitions)
{
  g_return_val_if_fail (n_transitions != NULL, NULL);

  *n_transitions = G_N_ELEMENTS (table);
  return table;
}

/* The table is small (a few dozen rows); a linear scan is faster than any index here. */
const WgCaseTransition *
wg_case_machine_lookup (WgCaseState  from,
                        WgCaseAction action)
{
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    if (table[i].from == from && table[i].action == action)
      return &table[i];
  return NULL;
}

gboolean
wg_case_machine_can (WgCaseState  from,
                     WgCaseAction action,
                     WgRole       role)
{
  const WgCaseTransition *t = wg_case_machine_lookup (from, action);

  return t != NULL && (t->roles & role) != 0;
}

/* Open means someone still owes work on the case; the board counts these for overdue. */
gboolean
wg_case_machine_is_open (WgCaseState state)
{
  switch (state)
    {
    case WG_CASE_STATE_REJECTED:
    case WG_CASE_STATE_MERGED:
    case WG_CASE_STATE_VERIFIED:
    case WG_CASE_STATE_CLOSED:
    case WG_CASE_STATE_NEW:
    case WG_N_CASE_STATES:
      return FALSE;
    case WG_CASE_STATE_REPORTED:
    case WG_CASE_STATE_ACCEPTED:
    case WG_CASE_STATE_DISPATCHED:
    case WG_CASE_STATE_CLAIMED:
    case WG_CASE_STATE_IN_PROGRESS:
    case WG_CASE_STATE_RESOLVED:
    case WG_CASE_STATE_ESCALATED:
      return TRUE;
    default:
      return FALSE;
    }
}
