/* wg-map-metric.h — what the grid map colours by: metric values, classes, colours and labels
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions, no GTK: the tests check the colour ramps without a display.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  WG_MAP_METRIC_OPEN_CASES,
  WG_MAP_METRIC_OVERDUE_CASES,
  WG_MAP_METRIC_CASES_PER_100_7D,
  WG_MAP_METRIC_CASES_PER_100_30D,
  WG_MAP_METRIC_COVERAGE,
} WgMapMetric;

#define WG_MAP_METRIC_LAST WG_MAP_METRIC_COVERAGE

/* The classes of WG_MAP_METRIC_COVERAGE, which is a category, not a quantity. */
typedef enum
{
  WG_MAP_COVERAGE_COVERED,
  WG_MAP_COVERAGE_NO_CADRE,
  WG_MAP_COVERAGE_NO_WORKER,
  WG_MAP_COVERAGE_NONE,
} WgMapCoverage;

/* What a grid contributes to the metrics. A negative field is not known (yet): the store has
 * not said, and the map shows "no data" rather than a guess. */
typedef struct
{
  int households;
  int open_cases;
  int overdue_cases;
  int cases_7d;
  int cases_30d;
  int workers;
  int cadres;
} WgMapGridStats;

#define WG_MAP_GRID_STATS_UNKNOWN ((WgMapGridStats) { -1, -1, -1, -1, -1, -1, -1 })

/* Same layout as GdkRGBA, which the GUI converts to without this header needing GDK. */
typedef struct
{
  float red;
  float green;
  float blue;
  float alpha;
} WgMapColour;

/* "No data" is class -1 in every metric. */
#define WG_MAP_CLASS_NO_DATA (-1)
#define WG_MAP_MAX_CLASSES 5

const char *wg_map_metric_to_string        (WgMapMetric           metric);
gboolean    wg_map_metric_from_string      (const char           *string,
                                            WgMapMetric          *out_metric);
const char *wg_map_metric_get_title        (WgMapMetric           metric);
const char *wg_map_metric_get_description  (WgMapMetric           metric);
double      wg_map_metric_value            (WgMapMetric           metric,
                                            const WgMapGridStats *stats);
guint       wg_map_metric_get_n_classes    (WgMapMetric           metric);
int         wg_map_metric_classify         (WgMapMetric           metric,
                                            double                value);
void        wg_map_metric_class_colour     (WgMapMetric           metric,
                                            int                   klass,
                                            gboolean              dark,
                                            WgMapColour          *out_colour);
char       *wg_map_metric_class_label      (WgMapMetric           metric,
                                            int                   klass);
double      wg_map_colour_luminance        (const WgMapColour    *colour);

G_END_DECLS
