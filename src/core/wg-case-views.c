/* wg-case-views.c — the dispatcher's views of the queue, and how a deadline reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The views are SQL over the cache's cases table, on the state a dispatcher sees (the
 * optimistic one while an action waits), so a case moves to its next view the moment it is
 * acted on. Pure functions: the tests check them without a display.
 */
#define G_LOG_DOMAIN "WgCaseViews"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wg-case-views.h"

#define EFFECTIVE "coalesce (local_state, state)"
#define OPEN EFFECTIVE " NOT IN ('closed', 'rejected', 'merged')"
#define NOW "strftime ('%Y-%m-%dT%H:%M:%SZ', 'now')"

static const WgCaseView views[] = {
  { "new", N_("New"), EFFECTIVE " = 'reported'" },
  { "to-dispatch", N_("To Dispatch"), EFFECTIVE " = 'accepted'" },
  { "dispatched", N_("Not Claimed"), EFFECTIVE " = 'dispatched'" },
  { "in-progress", N_("In Progress"), EFFECTIVE " IN ('claimed', 'in_progress')" },
  { "to-verify", N_("To Verify"), EFFECTIVE " IN ('resolved', 'verified')" },
  { "overdue", N_("Overdue"), EFFECTIVE " IN ('reported', 'accepted', 'dispatched', 'claimed', 'in_progress')"
                              " AND deadline IS NOT NULL AND deadline < " NOW },
  { "closed", N_("Closed"), EFFECTIVE " IN ('closed', 'rejected', 'merged', 'escalated')" },
  { "all", N_("All Cases"), "1" },
};

const WgCaseView *
wg_case_views_get (guint *n_views)
{
  g_return_val_if_fail (n_views != NULL, NULL);

  *n_views = G_N_ELEMENTS (views);
  return views;
}

const WgCaseView *
wg_case_views_find (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    if (g_strcmp0 (views[i].id, id) == 0)
      return &views[i];
  return NULL;
}

const char *
wg_case_view_get_title (const WgCaseView *view)
{
  g_return_val_if_fail (view != NULL, NULL);

  return _(view->title);
}

/* Cases whose number, title, description or address match the FTS query bound as ?2. */
const char *
wg_case_search_where (void)
{
  return "rowid IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?2)";
}

/* Ids and enum names are embedded in the filter's SQL; they come from the cache, but are
 * checked all the same: letters, digits, "-" and "_" only. */
static gboolean
is_plain_token (const char *text)
{
  if (text == NULL || text[0] == '\0' || strlen (text) > 64)
    return FALSE;
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

/* The queue's SQL: the view, the search (bound as ?2 when @search) and the filters that are
 * set (NULL for "any"); a filter that is not a plain id matches nothing rather than risk SQL. */
char *
wg_case_filter_where (const WgCaseView *view,
                      gboolean          search,
                      const char       *village_id,
                      const char       *category_id,
                      const char       *urgency)
{
  GString *where = g_string_new (NULL);
  const struct { const char *column; const char *value; } filters[] = {
    { "village_id", village_id },
    { "category_id", category_id },
    { "urgency", urgency },
  };

  g_return_val_if_fail (view != NULL, NULL);

  g_string_append_printf (where, "(%s)", view->where);
  if (search)
    g_string_append_printf (where, " AND (%s)", wg_case_search_where ());
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      if (filters[i].value == NULL)
        continue;
      if (is_plain_token (filters[i].value))
        g_string_append_printf (where, " AND %s = '%s'", filters[i].column, filters[i].value);
      else
        g_string_append (where, " AND 0");
    }

  return g_string_free (where, FALSE);
}

/* How long until a case's deadline, or how long past it, in words for the queue; "" for
 * cases no longer being handled. Within a quarter of a day the deadline is approaching. */
WgDeadlineState
wg_case_deadline_state (const char  *state,
                        const char  *deadline,
                        GDateTime   *now,
                        char       **out_text)
{
  g_autoptr(GDateTime) due = NULL;
  GTimeSpan left;
  gint64 minutes;
  gboolean overdue;
  int amount;

  if (out_text != NULL)
    *out_text = g_strdup ("");
  if (deadline == NULL || state == NULL ||
      g_strv_contains ((const char * const[]) { "resolved", "verified", "closed", "rejected", "merged", "escalated", NULL }, state))
    return WG_DEADLINE_NONE;
  if ((due = g_date_time_new_from_iso8601 (deadline, NULL)) == NULL)
    return WG_DEADLINE_NONE;

  left = g_date_time_difference (due, now);
  overdue = left < 0;
  minutes = (overdue ? -left : left) / G_TIME_SPAN_MINUTE;

  if (out_text != NULL)
    {
      g_free (*out_text);
      if (minutes < 60)
        {
          amount = (int) MAX (minutes, 1);
          *out_text = overdue
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute overdue", "%d minutes overdue", amount), amount)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left", "%d minutes left", amount), amount);
        }
      else if (minutes < 48 * 60)
        {
          amount = (int) (minutes / 60);
          *out_text = overdue
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour overdue", "%d hours overdue", amount), amount)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour left", "%d hours left", amount), amount);
        }
      else
        {
          amount = (int) (minutes / (24 * 60));
          *out_text = overdue
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day overdue", "%d days overdue", amount), amount)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day left", "%d days left", amount), amount);
        }
    }

  if (overdue)
    return WG_DEADLINE_OVERDUE;
  return minutes < 6 * 60 ? WG_DEADLINE_APPROACHING : WG_DEADLINE_OK;
}

/* Whether a case that just arrived deserves a desktop notification: an urgent report, still
 * waiting to be accepted, reported after @since (so the first sync's history stays quiet). */
gboolean
wg_case_wants_attention (const char *state,
                         const char *urgency,
                         const char *created_at,
                         GDateTime  *since)
{
  g_autoptr(GDateTime) created = NULL;

  if (g_strcmp0 (state, "reported") != 0 || g_strcmp0 (urgency, "urgent") != 0 || created_at == NULL)
    return FALSE;
  created = g_date_time_new_from_iso8601 (created_at, NULL);
  return created != NULL && (since == NULL || g_date_time_compare (created, since) >= 0);
}

const char *
wg_label_urgency (const char *urgency)
{
  if (g_strcmp0 (urgency, "urgent") == 0)
    return C_("urgency", "Urgent");
  if (g_strcmp0 (urgency, "high") == 0)
    return C_("urgency", "High");
  if (g_strcmp0 (urgency, "low") == 0)
    return C_("urgency", "Low");
  return C_("urgency", "Normal");
}

const char *
wg_label_source (const char *source)
{
  if (g_strcmp0 (source, "grid_patrol") == 0)
    return _("Grid patrol");
  if (g_strcmp0 (source, "citizen") == 0)
    return _("Citizen");
  if (g_strcmp0 (source, "hotline_12345") == 0)
    return _("12345 hotline");
  if (g_strcmp0 (source, "staff_on_behalf") == 0)
    return _("Taken by phone");
  return source != NULL ? source : "";
}

/* @when (ISO 8601, as the server writes it) in local time, short: month, day, hours and
 * minutes. Empty when missing or unreadable. */
char *
wg_case_format_time (const char *when)
{
  g_autoptr(GDateTime) utc = when != NULL ? g_date_time_new_from_iso8601 (when, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_local (utc);
  /* Translators: when a case was reported or acted on; see GDateTime's format codes */
  return g_date_time_format (local, _("%m-%d %H:%M"));
}
