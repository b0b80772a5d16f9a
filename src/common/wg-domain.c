/* wg-domain.c — names of the domain's enumerations on the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tables are indexed by the enum value, so a new value without a name fails the
 * static assertions below rather than sending NULL over the network.
 */
#define G_LOG_DOMAIN "WgDomain"

#include "config.h"

#include <string.h>

#include "wg-domain.h"

static const char * const state_names[] = {
  "new", "reported", "accepted", "rejected", "merged", "dispatched", "claimed",
  "in_progress", "resolved", "verified", "closed", "escalated",
};
G_STATIC_ASSERT (G_N_ELEMENTS (state_names) == WG_N_CASE_STATES);

static const char * const action_names[] = {
  "report", "self_handle", "accept", "reject", "merge", "dispatch", "claim", "return",
  "start", "resolve", "verify", "reopen", "close", "escalate", "supervise", "extend",
  "comment", "rate",
};
G_STATIC_ASSERT (G_N_ELEMENTS (action_names) == WG_N_CASE_ACTIONS);

static const char * const urgency_names[] = { "low", "normal", "high", "urgent" };
G_STATIC_ASSERT (G_N_ELEMENTS (urgency_names) == WG_N_URGENCIES);

static const char * const source_names[] = {
  "grid_patrol", "citizen", "hotline_12345", "staff_on_behalf",
};
G_STATIC_ASSERT (G_N_ELEMENTS (source_names) == WG_N_CASE_SOURCES);

static const char * const assignee_names[] = {
  "team", "department", "village", "grid", "person",
};
G_STATIC_ASSERT (G_N_ELEMENTS (assignee_names) == WG_N_ASSIGNEE_KINDS);

static const struct {
  WgRole role;
  const char *name;
} role_names[] = {
  { WG_ROLE_ADMIN, "admin" },
  { WG_ROLE_DISPATCHER, "dispatcher" },
  { WG_ROLE_LEADER, "leader" },
  { WG_ROLE_FIELD_WORKER, "field_worker" },
  { WG_ROLE_TEAM_MEMBER, "team_member" },
};

static int
lookup (const char * const *names,
        guint               n_names,
        const char         *text)
{
  if (text == NULL)
    return -1;
  for (guint i = 0; i < n_names; i++)
    if (strcmp (names[i], text) == 0)
      return (int) i;
  return -1;
}

#define DEFINE_ENUM_NAMES(func, Type, names, N)                        \
  const char *                                                        \
  func##_to_string (Type value)                                       \
  {                                                                   \
    g_return_val_if_fail ((guint) value < N, NULL);                   \
    return names[value];                                              \
  }                                                                   \
  gboolean                                                            \
  func##_from_string (const char *text,                               \
                      Type       *out_value)                          \
  {                                                                   \
    int i = lookup (names, N, text);                                  \
    if (i < 0)                                                        \
      return FALSE;                                                   \
    if (out_value != NULL)                                            \
      *out_value = (Type) i;                                          \
    return TRUE;                                                      \
  }

DEFINE_ENUM_NAMES (wg_case_state, WgCaseState, state_names, WG_N_CASE_STATES)
DEFINE_ENUM_NAMES (wg_case_action, WgCaseAction, action_names, WG_N_CASE_ACTIONS)
DEFINE_ENUM_NAMES (wg_urgency, WgUrgency, urgency_names, WG_N_URGENCIES)
DEFINE_ENUM_NAMES (wg_case_source, WgCaseSource, source_names, WG_N_CASE_SOURCES)
DEFINE_ENUM_NAMES (wg_assignee_kind, WgAssigneeKind, assignee_names, WG_N_ASSIGNEE_KINDS)

const char *
wg_role_to_string (WgRole role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role_names[i].role == role)
      return role_names[i].name;
  g_return_val_if_reached (NULL);
}

gboolean
wg_role_from_string (const char *text,
                     WgRole     *out_role)
{
  if (text == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (strcmp (role_names[i].name, text) == 0)
        {
          if (out_role != NULL)
            *out_role = role_names[i].role;
          return TRUE;
        }
    }
  return FALSE;
}
