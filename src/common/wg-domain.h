/* wg-domain.h — the domain's enumerations and their names on the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Every enum here has a stable snake_case name used in JSON and URLs (the *_to_string
 * functions); the numeric values are internal and may change, so only those names are ever
 * stored or sent. The GTypes (wg-domain-enums.h) are for GObject properties only; their
 * nicks use dashes and are not the wire names. */

typedef enum
{
  WG_CASE_STATE_NEW,          /* not yet reported: the from-state of "report" */
  WG_CASE_STATE_REPORTED,
  WG_CASE_STATE_ACCEPTED,
  WG_CASE_STATE_REJECTED,
  WG_CASE_STATE_MERGED,
  WG_CASE_STATE_DISPATCHED,
  WG_CASE_STATE_CLAIMED,
  WG_CASE_STATE_IN_PROGRESS,
  WG_CASE_STATE_RESOLVED,
  WG_CASE_STATE_VERIFIED,
  WG_CASE_STATE_CLOSED,
  WG_CASE_STATE_ESCALATED,
  WG_N_CASE_STATES /*< skip >*/
} WgCaseState;

typedef enum
{
  WG_CASE_ACTION_REPORT,
  WG_CASE_ACTION_SELF_HANDLE,  /* 自行处置: reported already resolved by the grid worker */
  WG_CASE_ACTION_ACCEPT,
  WG_CASE_ACTION_REJECT,
  WG_CASE_ACTION_MERGE,
  WG_CASE_ACTION_DISPATCH,
  WG_CASE_ACTION_CLAIM,
  WG_CASE_ACTION_RETURN,
  WG_CASE_ACTION_START,
  WG_CASE_ACTION_RESOLVE,
  WG_CASE_ACTION_VERIFY,
  WG_CASE_ACTION_REOPEN,
  WG_CASE_ACTION_CLOSE,
  WG_CASE_ACTION_ESCALATE,
  WG_CASE_ACTION_SUPERVISE,
  WG_CASE_ACTION_EXTEND,
  WG_CASE_ACTION_COMMENT,
  WG_CASE_ACTION_RATE,
  WG_N_CASE_ACTIONS /*< skip >*/
} WgCaseAction;

/* Roles are bit flags so a transition can name the set of roles allowed to take it. */
typedef enum
{
  WG_ROLE_NONE         = 0,
  WG_ROLE_ADMIN        = 1 << 0,
  WG_ROLE_DISPATCHER   = 1 << 1,
  WG_ROLE_LEADER       = 1 << 2,
  WG_ROLE_FIELD_WORKER = 1 << 3,
  WG_ROLE_TEAM_MEMBER  = 1 << 4,
} WgRole;

#define WG_ROLE_ALL (WG_ROLE_ADMIN | WG_ROLE_DISPATCHER | WG_ROLE_LEADER | \
                     WG_ROLE_FIELD_WORKER | WG_ROLE_TEAM_MEMBER)

typedef enum
{
  WG_URGENCY_LOW,
  WG_URGENCY_NORMAL,
  WG_URGENCY_HIGH,
  WG_URGENCY_URGENT,
  WG_N_URGENCIES /*< skip >*/
} WgUrgency;

typedef enum
{
  WG_CASE_SOURCE_GRID_PATROL,
  WG_CASE_SOURCE_CITIZEN,
  WG_CASE_SOURCE_HOTLINE_12345,
  WG_CASE_SOURCE_STAFF_ON_BEHALF,
  WG_N_CASE_SOURCES /*< skip >*/
} WgCaseSource;

typedef enum
{
  WG_ASSIGNEE_TEAM,
  WG_ASSIGNEE_DEPARTMENT,
  WG_ASSIGNEE_VILLAGE,
  WG_ASSIGNEE_GRID,
  WG_ASSIGNEE_PERSON,
  WG_N_ASSIGNEE_KINDS /*< skip >*/
} WgAssigneeKind;

const char *wg_case_state_to_string     (WgCaseState     state);
gboolean    wg_case_state_from_string   (const char     *text,
                                         WgCaseState    *out_state);
const char *wg_case_action_to_string    (WgCaseAction    action);
gboolean    wg_case_action_from_string  (const char     *text,
                                         WgCaseAction   *out_action);
const char *wg_role_to_string           (WgRole          role);
gboolean    wg_role_from_string         (const char     *text,
                                         WgRole         *out_role);
const char *wg_urgency_to_string        (WgUrgency       urgency);
gboolean    wg_urgency_from_string      (const char     *text,
                                         WgUrgency      *out_urgency);
const char *wg_case_source_to_string    (WgCaseSource    source);
gboolean    wg_case_source_from_string  (const char     *text,
                                         WgCaseSource   *out_source);
const char *wg_assignee_kind_to_string  (WgAssigneeKind  kind);
gboolean    wg_assignee_kind_from_string (const char    *text,
                                          WgAssigneeKind *out_kind);

G_END_DECLS
