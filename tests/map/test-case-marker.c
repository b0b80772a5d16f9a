/* test-case-marker.c — how the map marks cases, and which tile addresses it accepts
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions, no display: the state groups against the dispatch queue's views, the rings
 * against the queue's urgency and deadline colours, the tile address templates.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "wg-case-marker.h"
#include "wg-case-views.h"
#include "wg-map-grid.h"
#include "wg-tile-source.h"

static GDateTime *
at (const char *iso)
{
  GDateTime *time = g_date_time_new_from_iso8601 (iso, NULL);

  g_assert_nonnull (time);
  return time;
}

/* Every state a case can be in lands in the group of the queue view that lists it. */
static void
test_groups (void)
{
  static const struct
  {
    const char    *state;
    WgMarkerGroup  group;
    const char    *view;
  } cases[] = {
    { "reported", WG_MARKER_NEW, "new" },
    { "accepted", WG_MARKER_TO_DISPATCH, "to-dispatch" },
    { "dispatched", WG_MARKER_NOT_CLAIMED, "dispatched" },
    { "claimed", WG_MARKER_IN_PROGRESS, "in-progress" },
    { "in_progress", WG_MARKER_IN_PROGRESS, "in-progress" },
    { "resolved", WG_MARKER_TO_VERIFY, "to-verify" },
    { "verified", WG_MARKER_TO_VERIFY, "to-verify" },
    { "closed", WG_MARKER_CLOSED, "closed" },
    { "rejected", WG_MARKER_CLOSED, "closed" },
    { "merged", WG_MARKER_CLOSED, "closed" },
    { "escalated", WG_MARKER_ESCALATED, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      WgMarkerGroup group = wg_marker_group_for_state (cases[i].state);

      g_assert_cmpint (group, ==, cases[i].group);
      if (cases[i].view != NULL)
        g_assert_cmpstr (wg_marker_group_get_title (group), ==,
                         wg_case_view_get_title (wg_case_views_find (cases[i].view)));
    }
  g_assert_cmpstr (wg_marker_group_get_title (WG_MARKER_ESCALATED), ==, "Escalated");
  g_assert_cmpint (wg_marker_group_for_state ("something new"), ==, WG_MARKER_CLOSED);
  g_assert_cmpint (wg_marker_group_for_state (NULL), ==, WG_MARKER_CLOSED);
}

/* The ring is red where the queue shows red (urgent, overdue), amber where it shows amber
 * (high, due within two working hours), and calm for finished cases whatever their deadline. */
static void
test_attention (void)
{
  g_autoptr(GDateTime) now = at ("2026-11-24T08:00:00Z");

  g_assert_cmpint (wg_marker_attention_for ("dispatched", "normal", "2026-11-30T08:00:00Z", now), ==, WG_MARKER_CALM);
  g_assert_cmpint (wg_marker_attention_for ("dispatched", "urgent", "2026-11-30T08:00:00Z", now), ==, WG_MARKER_ALERT);
  g_assert_cmpint (wg_marker_attention_for ("dispatched", "normal", "2026-11-24T07:00:00Z", now), ==, WG_MARKER_ALERT);
  g_assert_cmpint (wg_marker_attention_for ("dispatched", "high", "2026-11-30T08:00:00Z", now), ==, WG_MARKER_WARNING);
  {
    /* a Tuesday, 10:00 in Beijing: one working hour left */
    g_autoptr(GDateTime) morning = at ("2026-11-24T02:00:00Z");

    g_assert_cmpint (wg_marker_attention_for ("claimed", "low", "2026-11-24T03:00:00Z", morning), ==, WG_MARKER_WARNING);
  }
  g_assert_cmpint (wg_marker_attention_for ("claimed", "high", "2026-11-24T06:00:00Z", now), ==, WG_MARKER_ALERT);
  g_assert_cmpint (wg_marker_attention_for ("reported", "normal", NULL, now), ==, WG_MARKER_CALM);
  /* Resolved work waits for verification, not against the deadline. */
  g_assert_cmpint (wg_marker_attention_for ("resolved", "normal", "2026-11-24T07:00:00Z", now), ==, WG_MARKER_CALM);
  g_assert_cmpint (wg_marker_attention_for ("closed", "urgent", "2026-11-24T07:00:00Z", now), ==, WG_MARKER_CALM);
  g_assert_cmpint (wg_marker_attention_for ("escalated", "urgent", NULL, now), ==, WG_MARKER_CALM);
}

/* Distinct fills per group in both modes; the rings are red and amber as the queue's error
 * and warning colours are. */
static void
test_colours (void)
{
  for (int dark = 0; dark < 2; dark++)
    {
      WgMapColour alert, warning, calm;

      for (guint a = 0; a < WG_MARKER_N_GROUPS; a++)
        for (guint b = a + 1; b < WG_MARKER_N_GROUPS; b++)
          {
            WgMapColour ca, cb;

            wg_marker_group_colour (a, dark, &ca);
            wg_marker_group_colour (b, dark, &cb);
            g_assert_cmpfloat (fabsf (ca.red - cb.red) + fabsf (ca.green - cb.green) + fabsf (ca.blue - cb.blue), >, 0.15);
          }
      wg_marker_attention_colour (WG_MARKER_ALERT, dark, &alert);
      wg_marker_attention_colour (WG_MARKER_WARNING, dark, &warning);
      wg_marker_attention_colour (WG_MARKER_CALM, dark, &calm);
      g_assert_cmpfloat (alert.red, >, 0.8);
      g_assert_cmpfloat (alert.green, <, 0.5);
      g_assert_cmpfloat (warning.red, >, 0.8);
      g_assert_cmpfloat (warning.green, >, 0.6);
      g_assert_cmpfloat (warning.blue, <, 0.3);
      g_assert_cmpfloat (wg_map_colour_luminance (&calm), >, 0.7);
    }
}

static void
test_markers (void)
{
  g_autoptr(GDateTime) now = at ("2026-11-24T08:00:00Z");
  g_autoptr(GArray) markers = wg_case_markers_new ();
  g_autofree char *described = NULL;
  WgCaseMarker *m;

  wg_case_markers_add (markers, "a", "2026-000001", "Old calm", "g1", "dispatched", "normal", "2026-11-30T08:00:00Z", 104.3, 24.9, now);
  wg_case_markers_add (markers, "b", "2026-000002", "Overdue", "g1", "claimed", "normal", "2026-11-24T05:00:00Z", 104.3, 24.9, now);
  wg_case_markers_add (markers, "c", "2026-000003", "New calm", "g1", "reported", "normal", NULL, NAN, NAN, now);
  wg_case_markers_add (markers, "d", "2026-000004", "Closed", "g1", "closed", "urgent", NULL, 104.3, 24.9, now);
  g_assert_cmpuint (markers->len, ==, 4);

  m = &g_array_index (markers, WgCaseMarker, 1);
  g_assert_cmpint (m->group, ==, WG_MARKER_IN_PROGRESS);
  g_assert_cmpint (m->attention, ==, WG_MARKER_ALERT);
  g_assert_true (isnan (g_array_index (markers, WgCaseMarker, 2).lon));

  /* Most pressing first, then the newest, closed last. */
  g_array_sort (markers, (GCompareFunc) wg_case_marker_compare);
  g_assert_cmpstr (g_array_index (markers, WgCaseMarker, 0).id, ==, "b");
  g_assert_cmpstr (g_array_index (markers, WgCaseMarker, 1).id, ==, "c");
  g_assert_cmpstr (g_array_index (markers, WgCaseMarker, 2).id, ==, "a");
  g_assert_cmpstr (g_array_index (markers, WgCaseMarker, 3).id, ==, "d");

  described = wg_case_marker_describe (&g_array_index (markers, WgCaseMarker, 0), now);
  g_assert_cmpstr (described, ==, "2026-000002 · Claimed · Normal · 3 working hours overdue");
}

static void
test_cases_filter (void)
{
  WgMapCases cases;

  for (WgMapCases c = 0; c <= WG_MAP_CASES_LAST; c++)
    {
      g_assert_true (wg_map_cases_from_string (wg_map_cases_to_string (c), &cases));
      g_assert_cmpint (cases, ==, c);
      g_assert_nonnull (wg_map_cases_get_title (c));
    }
  g_assert_false (wg_map_cases_from_string ("all", &cases));
}

/* A case without a location goes inside its grid, even a crescent whose centroid is not. */
static void
test_inner_point (void)
{
  const char *square = "{\"type\":\"Polygon\",\"coordinates\":[[[104,24],[104.01,24],[104.01,24.01],[104,24.01],[104,24]]]}";
  /* A "C": its centroid and its box's middle fall in the gap. */
  const char *crescent = "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[3,0],[3,1],[1,1],[1,2],[3,2],[3,3],[0,3],[0,0]]]}";
  const char * const shapes[] = { square, crescent };

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(JsonNode) node = json_from_string (shapes[i], NULL);
      g_autoptr(WgPolygon) polygon = wg_polygon_new_from_json (node, NULL);
      g_autoptr(WgMapGrid) grid = wg_map_grid_new ("g", "1", "G", NULL, polygon);
      double lon, lat;

      g_assert_true (wg_map_grid_get_inner_point (grid, &lon, &lat));
      g_assert_true (wg_polygon_contains (polygon, lon, lat));
    }
}

static void
test_templates (void)
{
  static const char * const good[] = {
    "https://tiles.example.gov.cn/{z}/{x}/{y}.png",
    "http://10.1.2.3:8080/tms/{z}/{x}/{-y}.png",
    "http://t0.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=vec&STYLE=default"
    "&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={TileMatrix}&TILEROW={TileRow}&TILECOL={TileCol}&tk=0123abcd",
    "  https://tiles.example.gov.cn/{Z}/{X}/{Y}.png  ",
  };
  static const struct
  {
    const char *text;
    const char *words;   /* part of the explanation */
  } bad[] = {
    { "", "Type the address" },
    { "https://tiles.example.gov.cn/{z}/{x}.png", "no {y}" },
    { "https://tiles.example.gov.cn/{x}/{y}.png", "no {z}" },
    { "https://tiles.example.gov.cn/{z}/{y}.png", "no {x}" },
    { "ftp://tiles.example.gov.cn/{z}/{x}/{y}.png", "http://" },
    { "tiles.example.gov.cn/{z}/{x}/{y}.png", "http://" },
    { "https://{s}.tiles.example.gov.cn/{z}/{x}/{y}.png", "{s}" },
    { "https://tiles.example.gov.cn/{z}/{x}/{row}.png", "“{row}”" },
    { "https://tiles.example.gov.cn/{z}/{x}/{y.png", "without its" },
    { "https://tiles.example.gov.cn/{z}/{x}/y}.png", "without a" },
  };
  g_autofree char *url = NULL;
  g_autofree char *tms = NULL;
  g_autofree char *wmts = NULL;
  g_autofree char *host = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (wg_tile_template_check (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (wg_tile_template_check (bad[i].text, &error));
      g_assert_error (error, WG_TILE_ERROR, WG_TILE_ERROR_TEMPLATE);
      g_test_message ("%s → %s", bad[i].text, error->message);
      g_assert_nonnull (strstr (error->message, bad[i].words));
    }

  url = wg_tile_template_expand (good[0], 3, 5, 7);
  g_assert_cmpstr (url, ==, "https://tiles.example.gov.cn/7/3/5.png");
  tms = wg_tile_template_expand (good[1], 3, 5, 4);
  g_assert_cmpstr (tms, ==, "http://10.1.2.3:8080/tms/4/3/10.png");
  wmts = wg_tile_template_expand (good[2], 26, 13, 5);
  g_assert_nonnull (strstr (wmts, "TILEMATRIX=5&TILEROW=13&TILECOL=26&tk=0123abcd"));
  host = wg_tile_template_get_host (good[2]);
  g_assert_cmpstr (host, ==, "t0.tianditu.gov.cn");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/map/markers/groups", test_groups);
  g_test_add_func ("/map/markers/attention", test_attention);
  g_test_add_func ("/map/markers/colours", test_colours);
  g_test_add_func ("/map/markers/markers", test_markers);
  g_test_add_func ("/map/markers/cases-filter", test_cases_filter);
  g_test_add_func ("/map/markers/inner-point", test_inner_point);
  g_test_add_func ("/map/tiles/templates", test_templates);

  return g_test_run ();
}
