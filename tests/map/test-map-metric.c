/* test-map-metric.c — the map's metrics, classes and colour ramps, without a display
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>

#include "wg-map-metric.h"

/* libadwaita's view background, roughly, as a grey level and as a luminance. */
#define BG_LIGHT 0.98
#define BG_DARK 0.117

static double
bg_luminance (gboolean dark)
{
  double v = dark ? BG_DARK : BG_LIGHT;
  WgMapColour grey = { v, v, v, 1 };

  return wg_map_colour_luminance (&grey);
}

static double
contrast (double l1,
          double l2)
{
  return (MAX (l1, l2) + 0.05) / (MIN (l1, l2) + 0.05);
}

/* The colour as painted over a background, alpha included. */
static double
painted_luminance (WgMapMetric metric,
                   int         klass,
                   gboolean    dark)
{
  WgMapColour c;
  double bg = dark ? BG_DARK : BG_LIGHT;

  wg_map_metric_class_colour (metric, klass, dark, &c);
  c.red = c.red * c.alpha + bg * (1 - c.alpha);
  c.green = c.green * c.alpha + bg * (1 - c.alpha);
  c.blue = c.blue * c.alpha + bg * (1 - c.alpha);
  return wg_map_colour_luminance (&c);
}

static void
test_values (void)
{
  WgMapGridStats stats = { 400, 3, 1, 2, 12, 1, 1 };
  WgMapGridStats unknown = WG_MAP_GRID_STATS_UNKNOWN;

  g_assert_cmpfloat (wg_map_metric_value (WG_MAP_METRIC_OPEN_CASES, &stats), ==, 3);
  g_assert_cmpfloat (wg_map_metric_value (WG_MAP_METRIC_OVERDUE_CASES, &stats), ==, 1);
  g_assert_cmpfloat_with_epsilon (wg_map_metric_value (WG_MAP_METRIC_CASES_PER_100_7D, &stats), 0.5, 1e-12);
  g_assert_cmpfloat_with_epsilon (wg_map_metric_value (WG_MAP_METRIC_CASES_PER_100_30D, &stats), 3.0, 1e-12);
  g_assert_cmpfloat (wg_map_metric_value (WG_MAP_METRIC_COVERAGE, &stats), ==, WG_MAP_COVERAGE_COVERED);

  stats.workers = 0;
  g_assert_cmpfloat (wg_map_metric_value (WG_MAP_METRIC_COVERAGE, &stats), ==, WG_MAP_COVERAGE_NO_WORKER);
  stats.cadres = 0;
  g_assert_cmpfloat (wg_map_metric_value (WG_MAP_METRIC_COVERAGE, &stats), ==, WG_MAP_COVERAGE_NONE);
  stats.workers = 2;
  g_assert_cmpfloat (wg_map_metric_value (WG_MAP_METRIC_COVERAGE, &stats), ==, WG_MAP_COVERAGE_NO_CADRE);

  /* Unknown is never zero, and a grid without households has no rate. */
  for (WgMapMetric m = 0; m <= WG_MAP_METRIC_LAST; m++)
    g_assert_true (isnan (wg_map_metric_value (m, &unknown)));
  stats.households = 0;
  g_assert_true (isnan (wg_map_metric_value (WG_MAP_METRIC_CASES_PER_100_7D, &stats)));
}

static void
test_classes (void)
{
  struct { WgMapMetric metric; double value; int klass; } cases[] = {
    { WG_MAP_METRIC_OPEN_CASES, NAN, WG_MAP_CLASS_NO_DATA },
    { WG_MAP_METRIC_OPEN_CASES, 0, 0 },
    { WG_MAP_METRIC_OPEN_CASES, 1, 1 },
    { WG_MAP_METRIC_OPEN_CASES, 2, 1 },
    { WG_MAP_METRIC_OPEN_CASES, 3, 2 },
    { WG_MAP_METRIC_OPEN_CASES, 5, 2 },
    { WG_MAP_METRIC_OPEN_CASES, 6, 3 },
    { WG_MAP_METRIC_OPEN_CASES, 10, 3 },
    { WG_MAP_METRIC_OPEN_CASES, 11, 4 },
    { WG_MAP_METRIC_OPEN_CASES, 500, 4 },
    { WG_MAP_METRIC_OVERDUE_CASES, 1, 1 },
    { WG_MAP_METRIC_OVERDUE_CASES, 2, 2 },
    { WG_MAP_METRIC_OVERDUE_CASES, 7, 4 },
    { WG_MAP_METRIC_CASES_PER_100_7D, 0, 0 },
    { WG_MAP_METRIC_CASES_PER_100_7D, 0.25, 1 },
    { WG_MAP_METRIC_CASES_PER_100_7D, 1, 2 },
    { WG_MAP_METRIC_CASES_PER_100_7D, 4.99, 3 },
    { WG_MAP_METRIC_CASES_PER_100_7D, 5, 4 },
    { WG_MAP_METRIC_CASES_PER_100_30D, 2.9, 1 },
    { WG_MAP_METRIC_CASES_PER_100_30D, 15, 4 },
    { WG_MAP_METRIC_COVERAGE, 0, WG_MAP_COVERAGE_COVERED },
    { WG_MAP_METRIC_COVERAGE, 3, WG_MAP_COVERAGE_NONE },
    { WG_MAP_METRIC_COVERAGE, NAN, WG_MAP_CLASS_NO_DATA },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_assert_cmpint (wg_map_metric_classify (cases[i].metric, cases[i].value), ==, cases[i].klass);
}

/* Lightness alone orders the classes (what every kind of colour blindness keeps): darker with
 * more in light mode, brighter with more in dark mode, each step visibly apart. */
static void
test_ramps (void)
{
  for (WgMapMetric m = 0; m < WG_MAP_METRIC_COVERAGE; m++)
    {
      g_assert_cmpuint (wg_map_metric_get_n_classes (m), ==, 5);
      for (int k = 1; k < 5; k++)
        {
          double light_prev = painted_luminance (m, k - 1, FALSE);
          double light = painted_luminance (m, k, FALSE);
          double dark_prev = painted_luminance (m, k - 1, TRUE);
          double dark = painted_luminance (m, k, TRUE);

          g_assert_cmpfloat (light, <, light_prev);
          g_assert_cmpfloat (contrast (light, light_prev), >=, 1.15);
          g_assert_cmpfloat (dark, >, dark_prev);
          g_assert_cmpfloat (contrast (dark, dark_prev), >=, 1.15);
        }

      /* The worst class stands out from the background in both modes. */
      g_assert_cmpfloat (contrast (painted_luminance (m, 4, FALSE), bg_luminance (FALSE)), >=, 3.0);
      g_assert_cmpfloat (contrast (painted_luminance (m, 4, TRUE), bg_luminance (TRUE)), >=, 3.0);
    }

  /* Coverage: the gaps are all distinct in lightness, and "covered" is the quietest, closest
   * to the background. */
  for (int dark = 0; dark < 2; dark++)
    {
      double bg = bg_luminance (dark);
      double covered = painted_luminance (WG_MAP_METRIC_COVERAGE, WG_MAP_COVERAGE_COVERED, dark);

      for (int k = 1; k < 4; k++)
        {
          double l = painted_luminance (WG_MAP_METRIC_COVERAGE, k, dark);

          g_assert_cmpfloat (contrast (l, bg), >, contrast (covered, bg));
          for (int j = 1; j < k; j++)
            g_assert_cmpfloat (contrast (l, painted_luminance (WG_MAP_METRIC_COVERAGE, j, dark)), >=, 1.1);
        }
    }

  /* No data paints nothing: it must never look like zero. */
  for (WgMapMetric m = 0; m <= WG_MAP_METRIC_LAST; m++)
    {
      WgMapColour c;

      wg_map_metric_class_colour (m, WG_MAP_CLASS_NO_DATA, FALSE, &c);
      g_assert_cmpfloat (c.alpha, ==, 0);
    }
}

static void
test_labels (void)
{
  struct { WgMapMetric metric; int klass; const char *label; } cases[] = {
    { WG_MAP_METRIC_OPEN_CASES, 0, "None" },
    { WG_MAP_METRIC_OPEN_CASES, 1, "1–2" },
    { WG_MAP_METRIC_OPEN_CASES, 2, "3–5" },
    { WG_MAP_METRIC_OPEN_CASES, 3, "6–10" },
    { WG_MAP_METRIC_OPEN_CASES, 4, "11 or more" },
    { WG_MAP_METRIC_OVERDUE_CASES, 1, "1" },
    { WG_MAP_METRIC_OVERDUE_CASES, 2, "2–3" },
    { WG_MAP_METRIC_CASES_PER_100_7D, 1, "Under 1" },
    { WG_MAP_METRIC_CASES_PER_100_7D, 2, "1 to 2" },
    { WG_MAP_METRIC_CASES_PER_100_30D, 4, "15 or more" },
    { WG_MAP_METRIC_COVERAGE, WG_MAP_COVERAGE_NONE, "Neither" },
    { WG_MAP_METRIC_COVERAGE, WG_MAP_CLASS_NO_DATA, "No data" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *label = wg_map_metric_class_label (cases[i].metric, cases[i].klass);

      g_assert_cmpstr (label, ==, cases[i].label);
    }

  for (WgMapMetric m = 0; m <= WG_MAP_METRIC_LAST; m++)
    {
      WgMapMetric back;

      g_assert_nonnull (wg_map_metric_get_title (m));
      g_assert_nonnull (wg_map_metric_get_description (m));
      g_assert_true (wg_map_metric_from_string (wg_map_metric_to_string (m), &back));
      g_assert_cmpint (back, ==, m);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/map-metric/values", test_values);
  g_test_add_func ("/map-metric/classes", test_classes);
  g_test_add_func ("/map-metric/ramps", test_ramps);
  g_test_add_func ("/map-metric/labels", test_labels);

  return g_test_run ();
}
