/* test-case-views.c — the queue's views and how a deadline reads, without a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "wg-case-views.h"

static void
test_deadline_reads (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 ("2026-11-24T08:00:00Z", NULL);
  static const struct
  {
    const char      *state;
    const char      *deadline;
    WgDeadlineState  expected;
    const char      *text;
  } cases[] = {
    { "dispatched", "2026-11-24T08:30:00Z", WG_DEADLINE_APPROACHING, "30 minutes left" },
    { "dispatched", "2026-11-24T13:00:00Z", WG_DEADLINE_APPROACHING, "5 hours left" },
    { "accepted", "2026-11-24T20:00:00Z", WG_DEADLINE_OK, "12 hours left" },
    { "in_progress", "2026-11-27T08:00:00Z", WG_DEADLINE_OK, "3 days left" },
    { "claimed", "2026-11-24T07:59:00Z", WG_DEADLINE_OVERDUE, "1 minute overdue" },
    { "reported", "2026-11-23T05:00:00Z", WG_DEADLINE_OVERDUE, "27 hours overdue" },
    { "dispatched", "2026-11-20T08:00:00Z", WG_DEADLINE_OVERDUE, "4 days overdue" },
    /* Handled cases have no clock running, whatever their deadline was. */
    { "resolved", "2026-11-20T08:00:00Z", WG_DEADLINE_NONE, "" },
    { "closed", "2026-11-20T08:00:00Z", WG_DEADLINE_NONE, "" },
    { "dispatched", NULL, WG_DEADLINE_NONE, "" },
    { "dispatched", "not a time", WG_DEADLINE_NONE, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = NULL;

      g_assert_cmpint (wg_case_deadline_state (cases[i].state, cases[i].deadline, now, &text), ==, cases[i].expected);
      g_assert_cmpstr (text, ==, cases[i].text);
    }
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
  g_autofree char *plain = wg_case_filter_where (view, FALSE, NULL, NULL, NULL);
  g_autofree char *all = wg_case_filter_where (view, TRUE, "5f1c2a9e-0d4b-4c3e-9a7e-1b2c3d4e5f60", NULL, "urgent");
  g_autofree char *evil = wg_case_filter_where (view, FALSE, "x' OR '1'='1", NULL, NULL);

  g_assert_cmpstr (plain, ==, "(coalesce (local_state, state) = 'reported')");
  g_assert_nonnull (strstr (all, "MATCH ?2"));
  g_assert_nonnull (strstr (all, "village_id = '5f1c2a9e-0d4b-4c3e-9a7e-1b2c3d4e5f60'"));
  g_assert_nonnull (strstr (all, "urgency = 'urgent'"));
  /* Anything that is not a plain id matches nothing, and never reaches the SQL. */
  g_assert_null (strstr (evil, "OR"));
  g_assert_nonnull (strstr (evil, "AND 0"));
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
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/case-views/deadline-reads", test_deadline_reads);
  g_test_add_func ("/case-views/views-cover-every-state", test_views_cover_every_state);
  g_test_add_func ("/case-views/attention", test_attention);
  g_test_add_func ("/case-views/filter-where", test_filter_where);

  return g_test_run ();
}
