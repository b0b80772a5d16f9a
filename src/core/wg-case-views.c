/* wg-case-views.c — the dispatcher's views of the queue, and how a deadline reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The views are SQL over the cache's cases table, on the state a dispatcher sees (the
 * optimistic one while an action waits), so a case moves to its next view the moment it is
 * acted on. Filters and sorting are SQL too, on indexed columns. Deadlines are counted in
 * working time, on a clock the tests can move. Pure functions but for that clock and the
 * working calendar: the tests check them without a display.
 */
#define G_LOG_DOMAIN "WgCaseViews"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "wg-case-views.h"
#include "wg-json.h"
#include "wg-store.h"

#define EFFECTIVE "coalesce (local_state, state)"
#define OPEN EFFECTIVE " NOT IN ('closed', 'rejected', 'merged')"
/* SQLite's clock; wg_case_view_where () puts the queue's clock in its place. */
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

/* The view's SQL on the queue's clock (see wg_case_views_now ()) rather than SQLite's: the
 * tests' clock moves "Overdue" as it moves the countdowns, and the SQL changes as the time
 * passes, so a list filtered on it can be told to look again. */
char *
wg_case_view_where (const WgCaseView *view,
                    GDateTime        *now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *literal = NULL;
  g_auto(GStrv) parts = NULL;

  g_return_val_if_fail (view != NULL, NULL);

  if (now == NULL || strstr (view->where, NOW) == NULL)
    return g_strdup (view->where);

  utc = g_date_time_to_utc (now);
  literal = g_date_time_format (utc, "'%Y-%m-%dT%H:%M:%SZ'");
  parts = g_strsplit (view->where, NOW, -1);
  return g_strjoinv (literal, parts);
}

/* Cases whose number, title, description or address match the FTS query bound as ?2. */
const char *
wg_case_search_where (void)
{
  return WG_STORE_CASE_SEARCH;
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

/* --- filters --------------------------------------------------------------------------------- */

WgCaseFilter *
wg_case_filter_new (void)
{
  return g_new0 (WgCaseFilter, 1);
}

WgCaseFilter *
wg_case_filter_copy (const WgCaseFilter *filter)
{
  WgCaseFilter *copy;

  g_return_val_if_fail (filter != NULL, NULL);

  copy = wg_case_filter_new ();
  copy->village_id = g_strdup (filter->village_id);
  copy->grid_id = g_strdup (filter->grid_id);
  copy->category_id = g_strdup (filter->category_id);
  copy->urgency = g_strdup (filter->urgency);
  copy->source = g_strdup (filter->source);
  copy->assignee_id = g_strdup (filter->assignee_id);
  copy->range = filter->range;
  copy->from = g_strdup (filter->from);
  copy->to = g_strdup (filter->to);
  return copy;
}

/* Back to "any" everywhere. */
void
wg_case_filter_clear (WgCaseFilter *filter)
{
  g_return_if_fail (filter != NULL);

  g_clear_pointer (&filter->village_id, g_free);
  g_clear_pointer (&filter->grid_id, g_free);
  g_clear_pointer (&filter->category_id, g_free);
  g_clear_pointer (&filter->urgency, g_free);
  g_clear_pointer (&filter->source, g_free);
  g_clear_pointer (&filter->assignee_id, g_free);
  g_clear_pointer (&filter->from, g_free);
  g_clear_pointer (&filter->to, g_free);
  filter->range = WG_DATE_RANGE_ANY;
}

void
wg_case_filter_free (WgCaseFilter *filter)
{
  if (filter == NULL)
    return;
  wg_case_filter_clear (filter);
  g_free (filter);
}

gboolean
wg_case_filter_equal (const WgCaseFilter *a,
                      const WgCaseFilter *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return g_strcmp0 (a->village_id, b->village_id) == 0 && g_strcmp0 (a->grid_id, b->grid_id) == 0 &&
         g_strcmp0 (a->category_id, b->category_id) == 0 && g_strcmp0 (a->urgency, b->urgency) == 0 &&
         g_strcmp0 (a->source, b->source) == 0 && g_strcmp0 (a->assignee_id, b->assignee_id) == 0 &&
         a->range == b->range &&
         (a->range != WG_DATE_RANGE_CUSTOM || (g_strcmp0 (a->from, b->from) == 0 && g_strcmp0 (a->to, b->to) == 0));
}

/* How many filters narrow the queue: the number on the filter button. */
guint
wg_case_filter_count_active (const WgCaseFilter *filter)
{
  g_return_val_if_fail (filter != NULL, 0);

  return (filter->village_id != NULL) + (filter->grid_id != NULL) + (filter->category_id != NULL) +
         (filter->urgency != NULL) + (filter->source != NULL) + (filter->assignee_id != NULL) +
         (filter->range != WG_DATE_RANGE_ANY);
}

static const char * const range_names[] = { "any", "today", "last-7-days", "last-30-days", "custom" };

/* The filter as a{ss}, for saved views: only what is set. A relative range is kept relative,
 * so a saved "last 7 days" still means the last 7 days next week. */
GVariant *
wg_case_filter_to_variant (const WgCaseFilter *filter)
{
  GVariantBuilder builder;
  const struct { const char *key; const char *value; } members[] = {
    { "village", filter->village_id },
    { "grid", filter->grid_id },
    { "category", filter->category_id },
    { "urgency", filter->urgency },
    { "source", filter->source },
    { "assignee", filter->assignee_id },
    { "from", filter->range == WG_DATE_RANGE_CUSTOM ? filter->from : NULL },
    { "to", filter->range == WG_DATE_RANGE_CUSTOM ? filter->to : NULL },
  };

  g_return_val_if_fail (filter != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (members[i].value != NULL)
      g_variant_builder_add (&builder, "{ss}", members[i].key, members[i].value);
  if (filter->range != WG_DATE_RANGE_ANY)
    g_variant_builder_add (&builder, "{ss}", "range", range_names[filter->range]);
  return g_variant_builder_end (&builder);
}

/* The filter saved by wg_case_filter_to_variant (); unknown keys are ignored and values that
 * cannot be ids are dropped, so a hand-edited setting never reaches the SQL. */
WgCaseFilter *
wg_case_filter_from_variant (GVariant *variant)
{
  WgCaseFilter *filter = wg_case_filter_new ();
  GVariantIter iter;
  const char *key;
  const char *value;

  g_return_val_if_fail (variant != NULL && g_variant_is_of_type (variant, G_VARIANT_TYPE ("a{ss}")), filter);

  g_variant_iter_init (&iter, variant);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    {
      char **slot = NULL;

      if (g_str_equal (key, "range"))
        {
          for (guint i = 0; i < G_N_ELEMENTS (range_names); i++)
            if (g_str_equal (value, range_names[i]))
              filter->range = i;
          continue;
        }
      if (g_str_equal (key, "village"))
        slot = &filter->village_id;
      else if (g_str_equal (key, "grid"))
        slot = &filter->grid_id;
      else if (g_str_equal (key, "category"))
        slot = &filter->category_id;
      else if (g_str_equal (key, "urgency"))
        slot = &filter->urgency;
      else if (g_str_equal (key, "source"))
        slot = &filter->source;
      else if (g_str_equal (key, "assignee"))
        slot = &filter->assignee_id;
      else if (g_str_equal (key, "from"))
        slot = &filter->from;
      else if (g_str_equal (key, "to"))
        slot = &filter->to;
      if (slot != NULL && is_plain_token (value))
        g_set_str (slot, value);
    }
  return filter;
}

static GDateTime *
parse_day (const char *text)
{
  int y, m, d;
  char tail;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 || !g_date_valid_dmy (d, m, y))
    return NULL;
  return g_date_time_new (local, y, m, d, 0, 0, 0);
}

/* The instants a date range spans, as the server writes times (RFC 3339, UTC, milliseconds),
 * so text comparison is time comparison: reported at or after @out_from and before
 * @out_until; either is NULL when open. Days are the workstation's local days. Returns FALSE
 * when the range is not limited at all. */
gboolean
wg_case_filter_get_bounds (const WgCaseFilter  *filter,
                           GDateTime           *now,
                           char               **out_from,
                           char               **out_until)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) today = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) until = NULL;

  g_return_val_if_fail (filter != NULL && now != NULL, FALSE);

  *out_from = NULL;
  *out_until = NULL;
  local = g_date_time_to_local (now);
  today = g_date_time_new (g_date_time_get_timezone (local), g_date_time_get_year (local),
                           g_date_time_get_month (local), g_date_time_get_day_of_month (local), 0, 0, 0);

  switch (filter->range)
    {
    case WG_DATE_RANGE_TODAY:
      from = g_date_time_ref (today);
      break;
    case WG_DATE_RANGE_LAST_7_DAYS:
      from = g_date_time_add_days (today, -6);
      break;
    case WG_DATE_RANGE_LAST_30_DAYS:
      from = g_date_time_add_days (today, -29);
      break;
    case WG_DATE_RANGE_CUSTOM:
      {
        g_autoptr(GDateTime) last = parse_day (filter->to);

        from = parse_day (filter->from);
        until = last != NULL ? g_date_time_add_days (last, 1) : NULL;
      }
      break;
    case WG_DATE_RANGE_ANY:
    default:
      return FALSE;
    }

  if (filter->range != WG_DATE_RANGE_CUSTOM)
    until = g_date_time_add_days (today, 1);
  *out_from = from != NULL ? wg_rfc3339_format (from) : NULL;
  *out_until = until != NULL ? wg_rfc3339_format (until) : NULL;
  return *out_from != NULL || *out_until != NULL;
}

/* The queue's SQL: the view, the search (bound as ?2 when @search) and the filters that are
 * set; a filter that is not a plain id matches nothing rather than risk SQL. Every column
 * filtered on is indexed (see the store's schema). */
char *
wg_case_filter_where (const WgCaseView   *view,
                      gboolean            search,
                      const WgCaseFilter *filter,
                      GDateTime          *now)
{
  GString *where = g_string_new (NULL);
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;

  g_return_val_if_fail (view != NULL, NULL);

  {
    g_autofree char *view_where = wg_case_view_where (view, now);

    g_string_append_printf (where, "(%s)", view_where);
  }
  if (search)
    g_string_append_printf (where, " AND (%s)", wg_case_search_where ());
  if (filter == NULL)
    return g_string_free (where, FALSE);

  {
    const struct { const char *column; const char *value; } columns[] = {
      { "village_id", filter->village_id },
      { "grid_id", filter->grid_id },
      { "category_id", filter->category_id },
      { "urgency", filter->urgency },
      { "source", filter->source },
      { "assignee_id", filter->assignee_id },
    };

    for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
      {
        if (columns[i].value == NULL)
          continue;
        if (is_plain_token (columns[i].value))
          g_string_append_printf (where, " AND %s = '%s'", columns[i].column, columns[i].value);
        else
          g_string_append (where, " AND 0");
      }
  }

  if (now != NULL && wg_case_filter_get_bounds (filter, now, &from, &until))
    {
      /* Written by wg_rfc3339_format (): digits, "-", ":", "T", "." and "Z" only. */
      if (from != NULL)
        g_string_append_printf (where, " AND reported_at >= '%s'", from);
      if (until != NULL)
        g_string_append_printf (where, " AND reported_at < '%s'", until);
    }

  return g_string_free (where, FALSE);
}

/* --- sorting --------------------------------------------------------------------------------- */

/* The ORDER BY of a column the queue sorts on, or NULL when it cannot be sorted on. Each one
 * runs one way along an index (see the store's schema), so SQLite reads in order instead of
 * sorting a million rows. Ascending is the order a dispatcher reads first: most urgent, the
 * deadline soonest, the earliest step of the case. */
const char *
wg_case_sort_order_by (const char *column,
                       gboolean    descending)
{
  static const struct { const char *column; const char *ascending; const char *descending; } orders[] = {
    { "reported", "reported_at, rowid", "reported_at DESC, rowid DESC" },
    { "number", "number, rowid", "number DESC, rowid DESC" },
    { "urgency", WG_STORE_URGENCY_RANK ", reported_at, rowid",
                 WG_STORE_URGENCY_RANK " DESC, reported_at DESC, rowid DESC" },
    { "source", "source, reported_at, rowid", "source DESC, reported_at DESC, rowid DESC" },
    { "deadline", "(deadline IS NULL), deadline, rowid", "(deadline IS NULL) DESC, deadline DESC, rowid DESC" },
    { "state", WG_STORE_STATE_RANK ", reported_at, rowid",
               WG_STORE_STATE_RANK " DESC, reported_at DESC, rowid DESC" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (orders); i++)
    if (g_strcmp0 (orders[i].column, column) == 0)
      return descending ? orders[i].descending : orders[i].ascending;
  return NULL;
}

/* --- the clock and the working calendar ------------------------------------------------------ */

static GTimeSpan clock_offset;
static WgWorkingCalendar *calendar;

/* Now, as the queue counts deadlines: the real time, moved by the tests' offset. */
GDateTime *
wg_case_views_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_add (now, clock_offset);
}

/* For tests: moves the queue's clock by @offset from the real time; it keeps running. */
void
wg_case_views_set_clock_offset (GTimeSpan offset)
{
  clock_offset = offset;
}

/* The working calendar deadlines are counted in: the official one until the page loads the
 * deployment's holidays. Main thread only. */
WgWorkingCalendar *
wg_case_views_get_calendar (void)
{
  if (calendar == NULL)
    calendar = wg_working_calendar_new ();
  return calendar;
}

void
wg_case_views_set_calendar (WgWorkingCalendar *new_calendar)
{
  g_return_if_fail (WG_IS_WORKING_CALENDAR (new_calendar));

  g_set_object (&calendar, new_calendar);
}

/* --- deadlines ------------------------------------------------------------------------------- */

static gboolean
is_handled (const char *state)
{
  return g_strv_contains ((const char * const[]) { "resolved", "verified", "closed", "rejected", "merged", "escalated", NULL },
                          state);
}

/* How long until a case's deadline, or how long past it, in working time (the server sets
 * deadlines in working time too), in words for the queue; "" for cases no longer being
 * handled. Within a quarter of a working day the deadline is approaching. */
WgDeadlineState
wg_case_deadline_state (const char  *state,
                        const char  *deadline,
                        GDateTime   *now,
                        char       **out_text)
{
  WgWorkingCalendar *working = wg_case_views_get_calendar ();
  g_autoptr(GDateTime) due = NULL;
  gint64 minutes;
  gboolean overdue;
  int amount;

  if (out_text != NULL)
    *out_text = g_strdup ("");
  if (deadline == NULL || state == NULL || is_handled (state))
    return WG_DEADLINE_NONE;
  if ((due = g_date_time_new_from_iso8601 (deadline, NULL)) == NULL)
    return WG_DEADLINE_NONE;

  overdue = g_date_time_compare (now, due) >= 0;
  minutes = overdue ? wg_working_calendar_minutes_between (working, due, now)
                    : wg_working_calendar_minutes_between (working, now, due);

  if (out_text != NULL)
    {
      g_free (*out_text);
      /* Past it, or due, outside working hours: no working minute to count yet. */
      if (minutes == 0)
        *out_text = g_strdup (overdue ? C_("deadline", "Overdue") : C_("deadline", "Due when work starts"));
      else if (minutes < 60)
        {
          amount = (int) minutes;
          *out_text = overdue
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute overdue", "%d minutes overdue", amount), amount)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left", "%d minutes left", amount), amount);
        }
      else if (minutes < WG_WORKING_MINUTES_PER_DAY)
        {
          amount = (int) (minutes / 60);
          *out_text = overdue
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working hour overdue", "%d working hours overdue", amount), amount)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working hour left", "%d working hours left", amount), amount);
        }
      else
        {
          amount = (int) (minutes / WG_WORKING_MINUTES_PER_DAY);
          *out_text = overdue
            ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day overdue", "%d working days overdue", amount), amount)
            : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day left", "%d working days left", amount), amount);
        }
    }

  if (overdue)
    return WG_DEADLINE_OVERDUE;
  return minutes < WG_WORKING_MINUTES_PER_DAY / 4 ? WG_DEADLINE_APPROACHING : WG_DEADLINE_OK;
}

/* Whether a case still being handled went past its deadline after @after and by @now: the
 * moment it goes overdue, told once. */
gboolean
wg_case_deadline_passed (const char *state,
                         const char *deadline,
                         GDateTime  *after,
                         GDateTime  *now)
{
  g_autoptr(GDateTime) due = NULL;

  if (deadline == NULL || state == NULL || is_handled (state) ||
      (due = g_date_time_new_from_iso8601 (deadline, NULL)) == NULL)
    return FALSE;
  return g_date_time_compare (due, after) > 0 && g_date_time_compare (due, now) <= 0;
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
