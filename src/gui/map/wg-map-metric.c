/* wg-map-metric.c — what the grid map colours by: metric values, classes, colours and labels
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Quantities use five classes on a sequential ramp whose lightness changes monotonically, so
 * the order survives every kind of colour blindness and greyscale printing: ColorBrewer's
 * YlOrRd in light mode (more = darker red), an inferno-like ramp in dark mode (more = brighter,
 * as heat maps on dark backgrounds read). Coverage is a category and uses Okabe–Ito colours,
 * ordered in lightness too, with covered grids a quiet neutral so the gaps stand out.
 * Class boundaries are fixed rather than quantiles so a colour means the same every day.
 */
#define G_LOG_DOMAIN "WgMapMetric"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wg-map-metric.h"

typedef struct
{
  const char *id;
  const char *title;
  const char *description;
  gboolean    is_rate;
  /* Lower bounds of classes 2, 3 and 4; class 0 is "none", class 1 is above 0. */
  double      bounds[3];
} MetricInfo;

static const MetricInfo metrics[] = {
  [WG_MAP_METRIC_OPEN_CASES] = {
    "open-cases", N_("Open cases"),
    N_("Cases reported in the grid and not yet closed"),
    FALSE, { 3, 6, 11 } },
  [WG_MAP_METRIC_OVERDUE_CASES] = {
    "overdue-cases", N_("Overdue cases"),
    N_("Open cases past their deadline"),
    FALSE, { 2, 4, 7 } },
  [WG_MAP_METRIC_CASES_PER_100_7D] = {
    "cases-per-100-7d", N_("Cases per 100 households, 7 days"),
    N_("Cases reported in the last 7 days for every 100 households"),
    TRUE, { 1, 2, 5 } },
  [WG_MAP_METRIC_CASES_PER_100_30D] = {
    "cases-per-100-30d", N_("Cases per 100 households, 30 days"),
    N_("Cases reported in the last 30 days for every 100 households"),
    TRUE, { 3, 6, 15 } },
  [WG_MAP_METRIC_COVERAGE] = {
    "coverage", N_("Responsibility coverage"),
    N_("Grids without a grid worker or a covering cadre"),
    FALSE, { 0, 0, 0 } },
};

#define RGB(hex, a) { ((hex) >> 16 & 0xff) / 255.f, ((hex) >> 8 & 0xff) / 255.f, ((hex) & 0xff) / 255.f, (a) }

static const WgMapColour sequential_light[WG_MAP_MAX_CLASSES] = {
  RGB (0xffffb2, .80f), RGB (0xfecc5c, .80f), RGB (0xfd8d3c, .82f), RGB (0xf03b20, .85f), RGB (0xbd0026, .88f),
};
static const WgMapColour sequential_dark[WG_MAP_MAX_CLASSES] = {
  RGB (0x45275c, .85f), RGB (0x8c2b6b, .85f), RGB (0xd0453f, .85f), RGB (0xf68a1f, .88f), RGB (0xfcdc5a, .90f),
};
static const WgMapColour coverage_light[4] = {
  RGB (0xdeddda, .50f), RGB (0xf0e442, .85f), RGB (0xe69f00, .85f), RGB (0xd55e00, .88f),
};
static const WgMapColour coverage_dark[4] = {
  RGB (0x5e5c64, .70f), RGB (0xf0e442, .85f), RGB (0xe69f00, .85f), RGB (0xd55e00, .90f),
};

#undef RGB

static gboolean
metric_is_valid (WgMapMetric metric)
{
  return (guint) metric <= WG_MAP_METRIC_LAST;
}

static char *
format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* Locale-aware: the bounds are small round numbers, %g keeps "1" from becoming "1.000000". */
  g_snprintf (buf, sizeof buf, "%g", value);
  return g_strdup (buf);
}

const char *
wg_map_metric_to_string (WgMapMetric metric)
{
  g_return_val_if_fail (metric_is_valid (metric), NULL);

  return metrics[metric].id;
}

gboolean
wg_map_metric_from_string (const char  *string,
                           WgMapMetric *out_metric)
{
  g_return_val_if_fail (out_metric != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    {
      if (g_strcmp0 (string, metrics[i].id) == 0)
        {
          *out_metric = (WgMapMetric) i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
wg_map_metric_get_title (WgMapMetric metric)
{
  g_return_val_if_fail (metric_is_valid (metric), NULL);

  return _(metrics[metric].title);
}

const char *
wg_map_metric_get_description (WgMapMetric metric)
{
  g_return_val_if_fail (metric_is_valid (metric), NULL);

  return _(metrics[metric].description);
}

/* NAN when the inputs are unknown, including rates for a grid with no households: dividing
 * by zero would paint an empty grid as the worst one. */
double
wg_map_metric_value (WgMapMetric           metric,
                     const WgMapGridStats *stats)
{
  g_return_val_if_fail (metric_is_valid (metric), NAN);
  g_return_val_if_fail (stats != NULL, NAN);

  switch (metric)
    {
    case WG_MAP_METRIC_OPEN_CASES:
      return stats->open_cases < 0 ? NAN : stats->open_cases;

    case WG_MAP_METRIC_OVERDUE_CASES:
      return stats->overdue_cases < 0 ? NAN : stats->overdue_cases;

    case WG_MAP_METRIC_CASES_PER_100_7D:
      if (stats->cases_7d < 0 || stats->households <= 0)
        return NAN;
      return stats->cases_7d * 100.0 / stats->households;

    case WG_MAP_METRIC_CASES_PER_100_30D:
      if (stats->cases_30d < 0 || stats->households <= 0)
        return NAN;
      return stats->cases_30d * 100.0 / stats->households;

    case WG_MAP_METRIC_COVERAGE:
      if (stats->workers < 0 || stats->cadres < 0)
        return NAN;
      return (stats->workers == 0 ? 2 : 0) + (stats->cadres == 0 ? 1 : 0);

    default:
      g_return_val_if_reached (NAN);
    }
}

guint
wg_map_metric_get_n_classes (WgMapMetric metric)
{
  g_return_val_if_fail (metric_is_valid (metric), 0);

  return metric == WG_MAP_METRIC_COVERAGE ? 4 : WG_MAP_MAX_CLASSES;
}

int
wg_map_metric_classify (WgMapMetric metric,
                        double      value)
{
  const MetricInfo *info;
  int klass = 1;

  g_return_val_if_fail (metric_is_valid (metric), WG_MAP_CLASS_NO_DATA);

  if (isnan (value))
    return WG_MAP_CLASS_NO_DATA;

  if (metric == WG_MAP_METRIC_COVERAGE)
    return CLAMP ((int) value, WG_MAP_COVERAGE_COVERED, WG_MAP_COVERAGE_NONE);

  if (value <= 0)
    return 0;

  info = &metrics[metric];
  for (guint i = 0; i < G_N_ELEMENTS (info->bounds); i++)
    if (value >= info->bounds[i])
      klass = 2 + i;
  return klass;
}

void
wg_map_metric_class_colour (WgMapMetric  metric,
                            int          klass,
                            gboolean     dark,
                            WgMapColour *out_colour)
{
  g_return_if_fail (metric_is_valid (metric));
  g_return_if_fail (out_colour != NULL);
  g_return_if_fail (klass >= WG_MAP_CLASS_NO_DATA && klass < (int) wg_map_metric_get_n_classes (metric));

  /* No data: no fill at all, only the outlines show, so it can't be taken for "zero". */
  if (klass == WG_MAP_CLASS_NO_DATA)
    *out_colour = (WgMapColour) { 0, 0, 0, 0 };
  else if (metric == WG_MAP_METRIC_COVERAGE)
    *out_colour = (dark ? coverage_dark : coverage_light)[klass];
  else
    *out_colour = (dark ? sequential_dark : sequential_light)[klass];
}

char *
wg_map_metric_class_label (WgMapMetric metric,
                           int         klass)
{
  const MetricInfo *info;
  g_autofree char *low = NULL;
  g_autofree char *high = NULL;

  g_return_val_if_fail (metric_is_valid (metric), NULL);
  g_return_val_if_fail (klass >= WG_MAP_CLASS_NO_DATA && klass < (int) wg_map_metric_get_n_classes (metric), NULL);

  if (klass == WG_MAP_CLASS_NO_DATA)
    return g_strdup (_("No data"));

  if (metric == WG_MAP_METRIC_COVERAGE)
    {
      switch ((WgMapCoverage) klass)
        {
        case WG_MAP_COVERAGE_COVERED:
          return g_strdup (_("Worker and cadre"));
        case WG_MAP_COVERAGE_NO_CADRE:
          return g_strdup (_("No covering cadre"));
        case WG_MAP_COVERAGE_NO_WORKER:
          return g_strdup (_("No grid worker"));
        case WG_MAP_COVERAGE_NONE:
          return g_strdup (_("Neither"));
        default:
          g_return_val_if_reached (NULL);
        }
    }

  info = &metrics[metric];
  if (klass == 0)
    return g_strdup (_("None"));

  if (klass == WG_MAP_MAX_CLASSES - 1)
    {
      low = format_number (info->bounds[G_N_ELEMENTS (info->bounds) - 1]);
      /* Translators: the top class of the map legend, e.g. "11 or more" */
      return g_strdup_printf (_("%s or more"), low);
    }

  if (info->is_rate)
    {
      high = format_number (info->bounds[klass - 1]);
      if (klass == 1)
        /* Translators: a class of the map legend for a rate, e.g. "under 1" (but above 0) */
        return g_strdup_printf (_("Under %s"), high);
      low = format_number (info->bounds[klass - 2]);
      /* Translators: a class of the map legend for a rate, from the first number up to (not
       * including) the second, e.g. "2 to 5" */
      return g_strdup_printf (_("%s to %s"), low, high);
    }

  /* Counts are whole numbers: the class [3, 6) is labelled "3–5". */
  low = format_number (klass == 1 ? 1 : info->bounds[klass - 2]);
  high = format_number (info->bounds[klass - 1] - 1);
  if (g_str_equal (low, high))
    return g_steal_pointer (&low);
  /* Translators: a class of the map legend for a count, e.g. "3–5" (3, 4 or 5) */
  return g_strdup_printf (_("%s–%s"), low, high);
}

/* WCAG relative luminance of the colour as painted (alpha ignored), for tests and for picking
 * a readable text colour over a fill. */
double
wg_map_colour_luminance (const WgMapColour *colour)
{
  double c[3] = { colour->red, colour->green, colour->blue };

  g_return_val_if_fail (colour != NULL, 0.0);

  for (guint i = 0; i < 3; i++)
    c[i] = c[i] <= 0.04045 ? c[i] / 12.92 : pow ((c[i] + 0.055) / 1.055, 2.4);
  return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
}
