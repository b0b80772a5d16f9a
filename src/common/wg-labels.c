/* wg-labels.c — the words the client shows for the domain's names on the wire
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The wire names ("dispatch", "in_progress") never reach a person; these are the words the
 * command center uses, 派单 and 处理中 in Chinese. The server words its refusals with them too.
 */
#define G_LOG_DOMAIN "WgLabels"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wg-labels.h"

typedef struct
{
  const char *name;
  const char *label;
} Label;

static const char *
lookup (const Label *labels,
        guint        n_labels,
        const char  *name)
{
  for (guint i = 0; i < n_labels; i++)
    if (g_strcmp0 (labels[i].name, name) == 0)
      return g_dpgettext2 (GETTEXT_PACKAGE, "case", labels[i].label);
  return name;
}

const char *
wg_label_case_action (const char *action)
{
  static const Label labels[] = {
    { "create", NC_("case", "Report") },
    { "report", NC_("case", "Report") },
    { "self_handle", NC_("case", "Report as handled") },
    { "accept", NC_("case", "Accept") },
    { "reject", NC_("case", "Reject") },
    { "merge", NC_("case", "Merge") },
    { "dispatch", NC_("case", "Dispatch") },
    { "claim", NC_("case", "Claim") },
    { "return", NC_("case", "Return") },
    { "start", NC_("case", "Start") },
    { "resolve", NC_("case", "Resolve") },
    { "verify", NC_("case", "Verify") },
    { "reopen", NC_("case", "Reopen") },
    { "close", NC_("case", "Close") },
    { "escalate", NC_("case", "Escalate") },
    { "supervise", NC_("case", "Supervise") },
    { "extend", NC_("case", "Extend") },
    { "comment", NC_("case", "Comment") },
    { "rate", NC_("case", "Rate") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), action);
}

const char *
wg_label_case_state (const char *state)
{
  static const Label labels[] = {
    { "reported", NC_("case", "Reported") },
    { "accepted", NC_("case", "Accepted") },
    { "rejected", NC_("case", "Rejected") },
    { "merged", NC_("case", "Merged") },
    { "dispatched", NC_("case", "Dispatched") },
    { "claimed", NC_("case", "Claimed") },
    { "in_progress", NC_("case", "In progress") },
    { "resolved", NC_("case", "Resolved") },
    { "verified", NC_("case", "Verified") },
    { "closed", NC_("case", "Closed") },
    { "escalated", NC_("case", "Escalated") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), state);
}

const char *
wg_label_role (const char *role)
{
  static const Label labels[] = {
    { "admin", NC_("case", "Administrator") },
    { "dispatcher", NC_("case", "Dispatcher") },
    { "leader", NC_("case", "Leader") },
    { "field_worker", NC_("case", "Grid worker") },
    { "team_member", NC_("case", "Team member") },
  };

  return lookup (labels, G_N_ELEMENTS (labels), role);
}
