/* test-case-views.c — the queue's views and how a deadline reads, without a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "wg-case-views.h"
#include "wg-store.h"

/* Deadlines count working time (09:00–12:00 and 13:00–18:00 Beijing time on working days),
 * as the server sets them. 2026-11-24 08:00Z is a Tuesday, 16:00 in Beijing. */
static void
test_deadline_reads (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T08:00:00Z", NULL);
  g_autoptr(GDateTime) saturday = g_date_time_new_from_iso8601 ("2026-11-28T02:00:00Z", NULL);
  g_autoptr(GDateTime) before_holidays = g_date_time_new_from_iso8601 ("2026-09-30T09:00:00Z", NULL);
  g_autoptr(GDateTime) evening = g_date_time_new_from_iso8601 ("2026-11-24T12:00:00Z", NULL);
  static const struct
  {
    const char      *state;
    const char      *deadline;
    int              clock;      /* 0: now, 1: a Saturday, 2: before the National Day holidays,
                                  * 3: 20:00 that evening */
    WgDeadlineState  expected;
    const char      *text;
  } cases[] = {
    { "dispatched", "2026-11-24T08:30:00Z", 0, WG_DEADLINE_APPROACHING, "30 minutes left" },
    { "dispatched", "2026-11-24T09:30:00Z", 0, WG_DEADLINE_APPROACHING, "1 working hour left" },
    /* 18:00 ends the day: the evening is not working time. */
    { "dispatched", "2026-11-24T13:00:00Z", 0, WG_DEADLINE_OK, "2 working hours left" },
    { "accepted", "2026-11-25T08:00:00Z", 0, WG_DEADLINE_OK, "1 working day left" },
    { "in_progress", "2026-11-27T08:00:00Z", 0, WG_DEADLINE_OK, "3 working days left" },
    { "claimed", "2026-11-24T07:59:00Z", 0, WG_DEADLINE_OVERDUE, "1 minute overdue" },
    { "reported", "2026-11-23T05:00:00Z", 0, WG_DEADLINE_OVERDUE, "1 working day overdue" },
    { "dispatched", "2026-11-20T08:00:00Z", 0, WG_DEADLINE_OVERDUE, "2 working days overdue" },
    /* Over a weekend only Monday's first half hour counts. */
    { "dispatched", "2026-11-30T01:30:00Z", 1, WG_DEADLINE_APPROACHING, "30 minutes left" },
    /* Past it, or due, while nobody works: no minute to count. */
    { "dispatched", "2026-11-24T10:30:00Z", 3, WG_DEADLINE_OVERDUE, "Overdue" },
    { "dispatched", "2026-11-25T01:00:00Z", 3, WG_DEADLINE_APPROACHING, "Due when work starts" },
    /* The National Day week does not count. */
    { "dispatched", "2026-10-08T01:00:00Z", 2, WG_DEADLINE_APPROACHING, "1 working hour left" },
    /* Handled cases have no clock running, whatever their deadline was. */
    { "resolved", "2026-11-20T08:00:00Z", 0, WG_DEADLINE_NONE, "" },
    { "closed", "2026-11-20T08:00:00Z", 0, WG_DEADLINE_NONE, "" },
    { "dispatched", NULL, 0, WG_DEADLINE_NONE, "" },
    { "dispatched", "not a time", 0, WG_DEADLINE_NONE, "" },
  };
  GDateTime *clocks[] = { now, saturday, before_holidays, evening };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;

      g_test_message ("%s %s", cases[i].state, cases[i].deadline);
      g_assert_cmpint (wg_case_deadline_state (cases[i].state, cases[i].deadline, clocks[cases[i].clock], &text), ==, cases[i].expected);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

/* A holiday the deployment adds (the holidays records) stops the clock as well. */
static void
test_deadline_holidays (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T08:00:00Z", NULL);
  g_autoptr(WgWorkingCalendar) calendar = wg_working_calendar_new ();
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_object_ref (wg_case_views_get_calendar ());
  wg_case_deadline_state ("dispatched", "2026-11-26T08:00:00Z", now, &before);
  g_assert_true (wg_working_calendar_set_day_iso (calendar, "2026-11-25", WG_DAY_KIND_HOLIDAY));
  wg_case_views_set_calendar (calendar);
  wg_case_deadline_state ("dispatched", "2026-11-26T08:00:00Z", now, &after);
  g_assert_cmpstr (before, ==, "2 working days left");
  g_assert_cmpstr (after, ==, "1 working day left");
}

static void
test_deadline_passed (void)
{
  g_autoptr(GDateTime) before = g_date_time_new_from_iso8601 ("2026-11-24T07:59:00Z", NULL);
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T08:00:00Z", NULL);

  g_assert_true (wg_case_deadline_passed ("dispatched", "2026-11-24T07:59:30.000Z", before, now));
  /* Already past at the last look, not yet, or no longer being handled: not now. */
  g_assert_false (wg_case_deadline_passed ("dispatched", "2026-11-24T07:58:00.000Z", before, now));
  g_assert_false (wg_case_deadline_passed ("dispatched", "2026-11-24T08:00:30.000Z", before, now));
  g_assert_false (wg_case_deadline_passed ("resolved", "2026-11-24T07:59:30.000Z", before, now));
}

static void
test_views_cover_every_state (void)
{
  static const char * const states[] = {
    "reported", "accepted", "dispatched", "claimed", "in_progress", "resolved", "verified",
    "closed", "rejected", "merged", "escalated",
  };
  const WgCaseView *views;
  guint n_views;

  views = wg_case_views_get (&n_views);
  g_assert_cmpuint (n_views, ==, 8);
  g_assert_nonnull (wg_case_views_find ("new"));
  g_assert_null (wg_case_views_find ("nonsense"));

  /* Every state appears in some view but "all" and "overdue": a case never vanishes. */
  for (guint s = 0; s < G_N_ELEMENTS (states); s++)
    {
      g_autofree char *quoted = g_strdup_printf ("'%s'", states[s]);
      gboolean found = FALSE;

      for (guint v = 0; v < n_views; v++)
        if (!g_str_equal (views[v].id, "all") && !g_str_equal (views[v].id, "overdue") &&
            strstr (views[v].where, quoted) != NULL)
          found = TRUE;
      g_assert_true (found);
    }
}

static void
test_filter_where (void)
{
  const WgCaseView *view = wg_case_views_find ("new");
  g_autoptr(WgCaseFilter) filter = wg_case_filter_new ();
  g_autofree char *plain = wg_case_filter_where (view, FALSE, NULL, NULL);
  g_autofree char *empty = wg_case_filter_where (view, FALSE, filter, NULL);
  g_autofree char *all = NULL;
  g_autofree char *evil = NULL;

  g_assert_cmpstr (plain, ==, "(coalesce (local_state, state) = 'reported')");
  g_assert_cmpstr (empty, ==, plain);
  g_assert_cmpuint (wg_case_filter_count_active (filter), ==, 0);

  filter->village_id = g_strdup ("5f1c2a9e-0d4b-4c3e-9a7e-1b2c3d4e5f60");
  filter->grid_id = g_strdup ("g-1");
  filter->category_id = g_strdup ("c-1");
  filter->urgency = g_strdup ("urgent");
  filter->source = g_strdup ("hotline_12345");
  filter->assignee_id = g_strdup ("t-1");
  all = wg_case_filter_where (view, TRUE, filter, NULL);
  g_assert_nonnull (strstr (all, "MATCH ?2"));
  g_assert_nonnull (strstr (all, "village_id = '5f1c2a9e-0d4b-4c3e-9a7e-1b2c3d4e5f60'"));
  g_assert_nonnull (strstr (all, "grid_id = 'g-1'"));
  g_assert_nonnull (strstr (all, "category_id = 'c-1'"));
  g_assert_nonnull (strstr (all, "urgency = 'urgent'"));
  g_assert_nonnull (strstr (all, "source = 'hotline_12345'"));
  g_assert_nonnull (strstr (all, "assignee_id = 't-1'"));
  g_assert_cmpuint (wg_case_filter_count_active (filter), ==, 6);

  /* Anything that is not a plain id matches nothing, and never reaches the SQL. */
  wg_case_filter_clear (filter);
  filter->village_id = g_strdup ("x' OR '1'='1");
  evil = wg_case_filter_where (view, FALSE, filter, NULL);
  g_assert_null (strstr (evil, "OR"));
  g_assert_nonnull (strstr (evil, "AND 0"));
}

/* "Overdue" on the queue's clock: the SQL compares deadlines with the time given, so a list
 * filtered on it changes as the clock moves; views without a clock are as written. */
static void
test_view_clock (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T16:30:05+08:00", NULL);
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 1);
  g_autofree char *overdue = wg_case_view_where (wg_case_views_find ("overdue"), now);
  g_autofree char *next = wg_case_view_where (wg_case_views_find ("overdue"), later);
  g_autofree char *sqlite = wg_case_view_where (wg_case_views_find ("overdue"), NULL);
  g_autofree char *fresh = wg_case_view_where (wg_case_views_find ("new"), now);
  g_autofree char *filtered = wg_case_filter_where (wg_case_views_find ("overdue"), FALSE, NULL, now);

  g_assert_nonnull (strstr (overdue, "deadline < '2026-11-24T08:30:05Z'"));
  g_assert_null (strstr (overdue, "'now'"));
  g_assert_nonnull (strstr (next, "deadline < '2026-11-24T08:31:05Z'"));
  g_assert_nonnull (strstr (sqlite, "'now'"));
  g_assert_cmpstr (fresh, ==, wg_case_views_find ("new")->where);
  g_assert_nonnull (strstr (filtered, "deadline < '2026-11-24T08:30:05Z'"));
}

/* Report dates are local days: 2026-11-24 08:00Z is the 24th in Beijing (where the tests run
 * in TZ=Asia/Shanghai) from 16:00Z of the 23rd. */
static void
test_date_bounds (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T08:00:00Z", NULL);
  g_autoptr(WgCaseFilter) filter = wg_case_filter_new ();
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *where = NULL;

  g_assert_false (wg_case_filter_get_bounds (filter, now, &from, &until));

  filter->range = WG_DATE_RANGE_TODAY;
  g_assert_true (wg_case_filter_get_bounds (filter, now, &from, &until));
  g_assert_cmpstr (from, ==, "2026-11-23T16:00:00.000Z");
  g_assert_cmpstr (until, ==, "2026-11-24T16:00:00.000Z");
  g_clear_pointer (&from, g_free);
  g_clear_pointer (&until, g_free);

  filter->range = WG_DATE_RANGE_LAST_7_DAYS;
  g_assert_true (wg_case_filter_get_bounds (filter, now, &from, &until));
  g_assert_cmpstr (from, ==, "2026-11-17T16:00:00.000Z");
  g_clear_pointer (&from, g_free);
  g_clear_pointer (&until, g_free);

  filter->range = WG_DATE_RANGE_LAST_30_DAYS;
  g_assert_true (wg_case_filter_get_bounds (filter, now, &from, &until));
  g_assert_cmpstr (from, ==, "2026-10-25T16:00:00.000Z");
  g_clear_pointer (&from, g_free);
  g_clear_pointer (&until, g_free);

  /* A custom range includes its last day; an open end is open. */
  filter->range = WG_DATE_RANGE_CUSTOM;
  filter->from = g_strdup ("2026-11-01");
  filter->to = g_strdup ("2026-11-03");
  g_assert_true (wg_case_filter_get_bounds (filter, now, &from, &until));
  g_assert_cmpstr (from, ==, "2026-10-31T16:00:00.000Z");
  g_assert_cmpstr (until, ==, "2026-11-03T16:00:00.000Z");
  where = wg_case_filter_where (wg_case_views_find ("all"), FALSE, filter, now);
  g_assert_nonnull (strstr (where, "reported_at >= '2026-10-31T16:00:00.000Z' AND reported_at < '2026-11-03T16:00:00.000Z'"));
  g_clear_pointer (&from, g_free);
  g_clear_pointer (&until, g_free);
  g_clear_pointer (&filter->to, g_free);
  g_assert_true (wg_case_filter_get_bounds (filter, now, &from, &until));
  g_assert_null (until);
}

/* Saved views keep filters as a{ss}; what comes back is what went in, and nothing else. */
static void
test_filter_variant (void)
{
  g_autoptr(WgCaseFilter) filter = wg_case_filter_new ();
  g_autoptr(WgCaseFilter) back = NULL;
  g_autoptr(WgCaseFilter) hostile = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) tampered = NULL;

  filter->village_id = g_strdup ("v-1");
  filter->source = g_strdup ("citizen");
  filter->range = WG_DATE_RANGE_LAST_7_DAYS;
  variant = g_variant_ref_sink (wg_case_filter_to_variant (filter));
  back = wg_case_filter_from_variant (variant);
  g_assert_true (wg_case_filter_equal (filter, back));
  g_assert_cmpuint (wg_case_filter_count_active (back), ==, 3);

  tampered = g_variant_ref_sink (g_variant_new_parsed ("{'village': \"x' OR 1\", 'range': 'forever', 'colour': 'red'}"));
  hostile = wg_case_filter_from_variant (tampered);
  g_assert_null (hostile->village_id);
  g_assert_cmpint (hostile->range, ==, WG_DATE_RANGE_ANY);
}

/* Every sortable column has an order both ways, spelled as the store indexes it. */
static void
test_sort_orders (void)
{
  static const char * const sortable[] = { "reported", "number", "urgency", "source", "deadline", "state" };

  for (guint i = 0; i < G_N_ELEMENTS (sortable); i++)
    {
      g_assert_nonnull (wg_case_sort_order_by (sortable[i], FALSE));
      g_assert_nonnull (strstr (wg_case_sort_order_by (sortable[i], TRUE), "DESC"));
    }
  g_assert_nonnull (strstr (wg_case_sort_order_by ("urgency", FALSE), WG_STORE_URGENCY_RANK));
  g_assert_null (wg_case_sort_order_by ("title", FALSE));
  g_assert_null (wg_case_sort_order_by (NULL, FALSE));
}

static void
test_attention (void)
{
  g_autoptr(GDateTime) since = g_date_time_new_from_iso8601 ("2026-11-24T08:00:00Z", NULL);

  g_assert_true (wg_case_wants_attention ("reported", "urgent", "2026-11-24T08:05:00Z", since));
  /* Not urgent, already accepted, or from before the window opened: no notification. */
  g_assert_false (wg_case_wants_attention ("reported", "high", "2026-11-24T08:05:00Z", since));
  g_assert_false (wg_case_wants_attention ("accepted", "urgent", "2026-11-24T08:05:00Z", since));
  g_assert_false (wg_case_wants_attention ("reported", "urgent", "2026-11-23T08:05:00Z", since));
  g_assert_false (wg_case_wants_attention ("reported", "urgent", NULL, since));
}

int
main (int   argc,
      char *argv[])
{
  /* The report dates' local days are Beijing's, as at a township's workstation. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/case-views/deadline-reads", test_deadline_reads);
  g_test_add_func ("/case-views/views-cover-every-state", test_views_cover_every_state);
  g_test_add_func ("/case-views/attention", test_attention);
  g_test_add_func ("/case-views/filter-where", test_filter_where);
  g_test_add_func ("/case-views/view-clock", test_view_clock);
  g_test_add_func ("/case-views/date-bounds", test_date_bounds);
  g_test_add_func ("/case-views/filter-variant", test_filter_variant);
  g_test_add_func ("/case-views/sort-orders", test_sort_orders);
  g_test_add_func ("/case-views/deadline-holidays", test_deadline_holidays);
  g_test_add_func ("/case-views/deadline-passed", test_deadline_passed);

  return g_test_run ();
}
