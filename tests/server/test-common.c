/* test-common.c — unit tests of the shared domain code: state machine, working time, geometry
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>

#include "wg-case-machine.h"
#include "wg-domain.h"
#include "wg-geometry.h"
#include "wg-json.h"
#include "wg-working-time.h"

static void
test_enum_names (void)
{
  for (guint i = 0; i < WG_N_CASE_STATES; i++)
    {
      WgCaseState back;

      g_assert_true (wg_case_state_from_string (wg_case_state_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
    }
  for (guint i = 0; i < WG_N_CASE_ACTIONS; i++)
    {
      WgCaseAction back;

      g_assert_true (wg_case_action_from_string (wg_case_action_to_string (i), &back));
      g_assert_cmpint (back, ==, i);
    }
  g_assert_false (wg_case_state_from_string ("Reported", NULL));
  g_assert_false (wg_case_action_from_string ("", NULL));
  g_assert_false (wg_role_from_string ("root", NULL));
}

/* Every row is unique, every state but the terminal ones can be left, and every state can be
 * reached from "new": a table edit that strands a state fails here. */
static void
test_machine_table (void)
{
  guint n;
  const WgCaseTransition *t = wg_case_machine_get_table (&n);
  gboolean reached[WG_N_CASE_STATES] = { FALSE, };
  gboolean changed = TRUE;

  g_assert_cmpuint (n, >, 20);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (t[i].roles != 0);
      g_assert_true ((t[i].roles & WG_ROLE_LEADER) == 0);
      g_assert_true (wg_case_machine_lookup (t[i].from, t[i].action) == &t[i]);
      for (guint j = i + 1; j < n; j++)
        g_assert_false (t[i].from == t[j].from && t[i].action == t[j].action);
    }

  reached[WG_CASE_STATE_NEW] = TRUE;
  while (changed)
    {
      changed = FALSE;
      for (guint i = 0; i < n; i++)
        if (reached[t[i].from] && !reached[t[i].to])
          reached[t[i].to] = changed = TRUE;
    }
  for (guint s = 0; s < WG_N_CASE_STATES; s++)
    g_assert_true (reached[s]);

  g_assert_true (wg_case_machine_can (WG_CASE_STATE_REPORTED, WG_CASE_ACTION_ACCEPT, WG_ROLE_DISPATCHER));
  g_assert_false (wg_case_machine_can (WG_CASE_STATE_REPORTED, WG_CASE_ACTION_ACCEPT, WG_ROLE_FIELD_WORKER));
  g_assert_false (wg_case_machine_can (WG_CASE_STATE_CLOSED, WG_CASE_ACTION_DISPATCH, WG_ROLE_ADMIN));
  g_assert_true (wg_case_machine_can (WG_CASE_STATE_NEW, WG_CASE_ACTION_SELF_HANDLE, WG_ROLE_FIELD_WORKER));
  g_assert_cmpint (wg_case_machine_lookup (WG_CASE_STATE_RESOLVED, WG_CASE_ACTION_REOPEN)->to, ==,
                   WG_CASE_STATE_DISPATCHED);
  g_assert_false (wg_case_machine_is_open (WG_CASE_STATE_CLOSED));
  g_assert_true (wg_case_machine_is_open (WG_CASE_STATE_DISPATCHED));
}

static GDateTime *
beijing (int y, int mo, int d, int h, int mi)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_offset (8 * 3600);

  return g_date_time_new (tz, y, mo, d, h, mi, 0);
}

static void
assert_same_instant (GDateTime *a,
                     GDateTime *b)
{
  if (!g_date_time_equal (a, b))
    {
      g_autofree char *sa = wg_rfc3339_format (a);
      g_autofree char *sb = wg_rfc3339_format (b);

      g_error ("expected %s, got %s", sb, sa);
    }
}

static void
test_working_time (void)
{
  g_autoptr(WgWorkingCalendar) cal = wg_working_calendar_new ();
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  g_autoptr(GDateTime) expect = NULL;

  /* 国庆 2026: 1–7 October off, Sunday 20 September and Saturday 10 October work. */
  g_assert_false (wg_working_calendar_is_working_day (cal, 2026, 10, 1));
  g_assert_false (wg_working_calendar_is_working_day (cal, 2026, 10, 7));
  g_assert_true (wg_working_calendar_is_working_day (cal, 2026, 10, 8));
  g_assert_true (wg_working_calendar_is_working_day (cal, 2026, 9, 20));   /* 调休 Sunday */
  g_assert_true (wg_working_calendar_is_working_day (cal, 2026, 10, 10));  /* 调休 Saturday */
  g_assert_false (wg_working_calendar_is_working_day (cal, 2026, 9, 19));  /* plain Saturday */

  /* Two working hours from Wednesday 30 September 17:00: one hour that day, the next on
   * Thursday 8 October, the first working day after the holiday. */
  start = beijing (2026, 9, 30, 17, 0);
  end = wg_working_calendar_add_minutes (cal, start, 120);
  expect = beijing (2026, 10, 8, 10, 0);
  assert_same_instant (end, expect);
  g_assert_cmpint (wg_working_calendar_minutes_between (cal, start, end), ==, 120);
  g_clear_pointer (&start, g_date_time_unref);
  g_clear_pointer (&end, g_date_time_unref);
  g_clear_pointer (&expect, g_date_time_unref);

  /* From a plain Saturday, one hour lands on the 调休 Sunday morning. */
  start = beijing (2026, 9, 19, 10, 0);
  end = wg_working_calendar_add_minutes (cal, start, 60);
  expect = beijing (2026, 9, 20, 10, 0);
  assert_same_instant (end, expect);
  g_clear_pointer (&start, g_date_time_unref);
  g_clear_pointer (&end, g_date_time_unref);
  g_clear_pointer (&expect, g_date_time_unref);

  /* A deadline ending with the morning session stays at 12:00; lunch does not count. */
  start = beijing (2026, 9, 21, 11, 0);
  end = wg_working_calendar_add_minutes (cal, start, 60);
  expect = beijing (2026, 9, 21, 12, 0);
  assert_same_instant (end, expect);
  g_clear_pointer (&end, g_date_time_unref);
  g_clear_pointer (&expect, g_date_time_unref);
  end = wg_working_calendar_add_minutes (cal, start, 90);
  expect = beijing (2026, 9, 21, 13, 30);
  assert_same_instant (end, expect);
  g_clear_pointer (&start, g_date_time_unref);
  g_clear_pointer (&end, g_date_time_unref);
  g_clear_pointer (&expect, g_date_time_unref);

  /* 7 working days from Friday 25 September (itself 中秋, off) over 国庆: the working days are
   * 28, 29, 30 Sep, 8, 9, 10 (Sat, 调休), 12 Oct → end of 12 October. */
  start = beijing (2026, 9, 25, 9, 0);
  end = wg_working_calendar_add_minutes (cal, start, 7 * WG_WORKING_MINUTES_PER_DAY);
  expect = beijing (2026, 10, 12, 18, 0);
  assert_same_instant (end, expect);
  g_clear_pointer (&start, g_date_time_unref);
  g_clear_pointer (&end, g_date_time_unref);
  g_clear_pointer (&expect, g_date_time_unref);

  /* A deployment's own calendar overrides the built-in one. */
  g_assert_true (wg_working_calendar_set_day_iso (cal, "2026-10-08", WG_DAY_KIND_HOLIDAY));
  g_assert_false (wg_working_calendar_is_working_day (cal, 2026, 10, 8));
  g_assert_false (wg_working_calendar_set_day_iso (cal, "2026-02-30", WG_DAY_KIND_HOLIDAY));
}

static JsonNode *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = wg_json_parse (text, -1, &error);

  g_assert_no_error (error);
  return node;
}

/* The handling time: the category's limit, else by urgency, at most two hours when urgent. */
static void
test_handling_minutes (void)
{
  g_assert_cmpint (wg_handling_minutes ("normal", 0, NULL), ==, 7 * WG_WORKING_MINUTES_PER_DAY);
  g_assert_cmpint (wg_handling_minutes ("high", 0, NULL), ==, 3 * WG_WORKING_MINUTES_PER_DAY);
  g_assert_cmpint (wg_handling_minutes ("low", 0, NULL), ==, 15 * WG_WORKING_MINUTES_PER_DAY);
  g_assert_cmpint (wg_handling_minutes ("urgent", 0, NULL), ==, 120);
  g_assert_cmpint (wg_handling_minutes ("normal", 24, "hours"), ==, 24 * 60);
  g_assert_cmpint (wg_handling_minutes ("low", 2, "days"), ==, 2 * WG_WORKING_MINUTES_PER_DAY);
  g_assert_cmpint (wg_handling_minutes ("urgent", 24, "hours"), ==, 120);
  g_assert_cmpint (wg_handling_minutes ("urgent", 1, "hours"), ==, 60);
}

static void
test_point_in_polygon (void)
{
  g_autoptr(JsonNode) square = parse ("{\"type\":\"Polygon\",\"coordinates\":["
                                      "[[104.0,24.0],[104.1,24.0],[104.1,24.1],[104.0,24.1],[104.0,24.0]],"
                                      "[[104.04,24.04],[104.06,24.04],[104.06,24.06],[104.04,24.06],[104.04,24.04]]]}");
  g_autoptr(JsonNode) open_ring = parse ("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1],[0,1]]]}");
  g_autoptr(JsonNode) point = parse ("{\"type\":\"Point\",\"coordinates\":[104.3,24.9]}");
  g_autoptr(WgPolygon) poly = NULL;
  g_autoptr(WgPolygon) bad = NULL;
  g_autoptr(GError) error = NULL;
  WgBBox bbox;
  double lon, lat;

  poly = wg_polygon_new_from_json (square, &error);
  g_assert_no_error (error);
  g_assert_true (wg_polygon_contains (poly, 104.01, 24.01));
  g_assert_true (wg_polygon_contains (poly, 104.09, 24.05));
  g_assert_false (wg_polygon_contains (poly, 104.05, 24.05));   /* in the hole */
  g_assert_false (wg_polygon_contains (poly, 104.2, 24.05));
  g_assert_false (wg_polygon_contains (poly, 103.99, 24.05));
  wg_polygon_get_bbox (poly, &bbox);
  g_assert_cmpfloat (bbox.min_lon, ==, 104.0);
  g_assert_cmpfloat (bbox.max_lat, ==, 24.1);
  g_assert_cmpuint (wg_polygon_get_n_rings (poly), ==, 2);

  bad = wg_polygon_new_from_json (open_ring, &error);
  g_assert_null (bad);
  g_assert_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID);
  g_clear_error (&error);
  bad = wg_polygon_new_from_json (point, &error);
  g_assert_null (bad);
  g_assert_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (wg_point_from_json (point, &lon, &lat, &error));
  g_assert_cmpfloat (lon, ==, 104.3);
  g_assert_false (wg_point_from_json (square, &lon, &lat, &error));
  g_clear_error (&error);
}

static void
test_gcj02 (void)
{
  /* Over the demo township and the corners of the country, GCJ-02 → WGS-84 → GCJ-02 comes
   * back within a metre, and the offset itself is the expected few hundred metres. */
  static const double places[][2] = {
    { 104.3, 24.9 }, { 116.397, 39.909 }, { 121.47, 31.23 }, { 87.6, 43.8 }, { 126.6, 45.75 },
    { 113.26, 23.13 }, { 91.1, 29.65 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (places); i++)
    {
      double wlon, wlat, glon, glat;

      wg_gcj02_to_wgs84 (places[i][0], places[i][1], &wlon, &wlat);
      wg_wgs84_to_gcj02 (wlon, wlat, &glon, &glat);
      g_assert_cmpfloat (wg_geometry_distance_m (glon, glat, places[i][0], places[i][1]), <, 1.0);
      g_assert_cmpfloat (wg_geometry_distance_m (wlon, wlat, places[i][0], places[i][1]), >, 50.0);
      g_assert_cmpfloat (wg_geometry_distance_m (wlon, wlat, places[i][0], places[i][1]), <, 1000.0);
    }

  /* Outside China the datums coincide. */
  {
    double lon, lat;

    wg_gcj02_to_wgs84 (2.35, 48.85, &lon, &lat);
    g_assert_cmpfloat (lon, ==, 2.35);
    g_assert_cmpfloat (lat, ==, 48.85);
  }
}

static void
test_json_helpers (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) t = NULL;
  g_autofree char *s = NULL;
  g_autofree char *masked = NULL;
  gint64 v;

  node = wg_json_parse_object ("[1]", -1, &error);
  g_assert_null (node);
  g_assert_error (error, WG_JSON_ERROR, WG_JSON_ERROR_TYPE);
  g_clear_error (&error);
  node = wg_json_parse_object ("{\"a\":", -1, &error);
  g_assert_null (node);
  g_assert_error (error, WG_JSON_ERROR, WG_JSON_ERROR_SYNTAX);
  g_clear_error (&error);
  node = wg_json_parse_object ("{\"a\":\"x\",\"n\":3}", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (wg_json_get_string (json_node_get_object (node), "a"), ==, "x");
  g_assert_null (wg_json_get_string (json_node_get_object (node), "n"));
  g_assert_true (wg_json_get_int (json_node_get_object (node), "n", &v));
  g_assert_cmpint (v, ==, 3);

  t = wg_rfc3339_parse ("2026-10-01T08:00:00+08:00");
  g_assert_nonnull (t);
  s = wg_rfc3339_format (t);
  g_assert_cmpstr (s, ==, "2026-10-01T00:00:00.000Z");
  g_assert_null (wg_rfc3339_parse ("2026-10-01T08:00:00"));
  g_assert_null (wg_rfc3339_parse ("yesterday"));
  g_assert_true (wg_iso_date_is_valid ("2026-02-28"));
  g_assert_false (wg_iso_date_is_valid ("2026-02-30"));
  g_assert_false (wg_iso_date_is_valid ("2026-2-3"));

  masked = wg_phone_mask ("13812345678");
  g_assert_cmpstr (masked, ==, "138****5678");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/common/enum-names", test_enum_names);
  g_test_add_func ("/common/case-machine", test_machine_table);
  g_test_add_func ("/common/working-time", test_working_time);
  g_test_add_func ("/common/handling-minutes", test_handling_minutes);
  g_test_add_func ("/common/point-in-polygon", test_point_in_polygon);
  g_test_add_func ("/common/gcj02-round-trip", test_gcj02);
  g_test_add_func ("/common/json", test_json_helpers);

  return g_test_run ();
}
