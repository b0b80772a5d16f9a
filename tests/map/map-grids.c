/* map-grids.c — synthetic grids for the map's tests and benchmark: a rectangle of jittered cells
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cells share their vertices (corners and two points per edge, jittered), so the grids tile
 * the rectangle without gaps or overlaps as real grid boundaries do, and villages are blocks
 * of cells. Codes follow the national habit: county 530324, township 104, village, sequence
 * numbered west→east, north→south within the village. Everything is deterministic by seed.
 */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "map-grids.h"

static const char * const village_names[] = {
  "马街社区", "新寨村", "鸡街村", "西冲村", "大寨村", "水井村",
  "朝阳村", "团山村", "下洞村", "山后村", "龙海村", "普鲁村",
};

typedef struct
{
  double lon;
  double lat;
} Pt;

/* A jitter that depends only on the point's grid position, so both cells sharing a vertex
 * compute the same one. */
static double
jitter (guint seed,
        guint a,
        guint b,
        guint c)
{
  guint32 h = seed * 2654435761u ^ a * 2246822519u ^ b * 3266489917u ^ c * 668265263u;

  h ^= h >> 15;
  h *= 2246822519u;
  h ^= h >> 13;
  h *= 3266489917u;
  h ^= h >> 16;
  return (h / 4294967295.0) * 2 - 1;
}

static void
origin (const MapGridsSpec *spec,
        double             *lon0,
        double             *lat0)
{
  *lon0 = spec->center_lon - spec->cols * spec->cell_deg / 2;
  *lat0 = spec->center_lat + spec->rows * spec->cell_deg * 0.9 / 2;
}

static Pt
vertex (const MapGridsSpec *spec,
        guint               r,
        guint               c)
{
  double lon0, lat0, w = spec->cell_deg, h = spec->cell_deg * 0.9;
  gboolean inner = r > 0 && c > 0 && r < spec->rows && c < spec->cols;
  Pt p;

  origin (spec, &lon0, &lat0);
  p.lon = lon0 + c * w + (inner ? 0.2 * w * jitter (spec->seed, r, c, 1) : 0);
  p.lat = lat0 - r * h + (inner ? 0.2 * h * jitter (spec->seed, r, c, 2) : 0);
  return p;
}

/* Point k (1 or 2) of the edge from a to b; horizontal edges are keyed by their west end,
 * vertical ones by their north end. */
static Pt
edge_point (const MapGridsSpec *spec,
            Pt                  a,
            Pt                  b,
            guint               r,
            guint               c,
            guint               vertical,
            guint               k,
            gboolean            border)
{
  double t = k / 3.0;
  double dx = b.lon - a.lon, dy = b.lat - a.lat;
  double off = border ? 0 : 0.08 * jitter (spec->seed, r, c, 10 + vertical * 2 + k);
  Pt p = { a.lon + dx * t - dy * off, a.lat + dy * t + dx * off };

  return p;
}

static void
add_pt (JsonBuilder *builder,
        Pt           p)
{
  json_builder_begin_array (builder);
  json_builder_add_double_value (builder, p.lon);
  json_builder_add_double_value (builder, p.lat);
  json_builder_end_array (builder);
}

char *
map_grids_id (guint               row,
              guint               col,
              const MapGridsSpec *spec)
{
  return g_strdup_printf ("00000000-0000-4000-8000-%012u", row * spec->cols + col);
}

/* The middle of the cell's four corners: well inside it, the jitter is small enough. */
void
map_grids_cell_point (const MapGridsSpec *spec,
                      guint               row,
                      guint               col,
                      double             *out_lon,
                      double             *out_lat)
{
  Pt a = vertex (spec, row, col), b = vertex (spec, row, col + 1);
  Pt c = vertex (spec, row + 1, col + 1), d = vertex (spec, row + 1, col);

  *out_lon = (a.lon + b.lon + c.lon + d.lon) / 4;
  *out_lat = (a.lat + b.lat + c.lat + d.lat) / 4;
}

GListStore *
map_grids_new (const MapGridsSpec *spec)
{
  g_autoptr(GListStore) store = g_list_store_new (WG_TYPE_MAP_GRID);
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func (g_object_unref);
  guint vw = (spec->cols + spec->villages_x - 1) / spec->villages_x;
  guint vh = (spec->rows + spec->villages_y - 1) / spec->villages_y;
  GRand *rand = g_rand_new_with_seed (spec->seed);

  for (guint r = 0; r < spec->rows; r++)
    for (guint c = 0; c < spec->cols; c++)
      {
        g_autoptr(JsonBuilder) builder = json_builder_new ();
        g_autoptr(JsonNode) node = NULL;
        g_autoptr(WgPolygon) polygon = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *id = map_grids_id (r, c, spec);
        g_autofree char *code = NULL;
        g_autofree char *name = NULL;
        g_autofree char *village_id = NULL;
        g_autofree char *village_name = NULL;
        Pt nw = vertex (spec, r, c), ne = vertex (spec, r, c + 1);
        Pt se = vertex (spec, r + 1, c + 1), sw = vertex (spec, r + 1, c);
        guint vx = c / vw, vy = r / vh, village = vy * spec->villages_x + vx;
        guint seq = (r - vy * vh) * MIN (vw, spec->cols - vx * vw) + (c - vx * vw) + 1;
        WgMapGridStats stats;
        WgMapGrid *grid;
        double u;

        json_builder_begin_object (builder);
        json_builder_set_member_name (builder, "type");
        json_builder_add_string_value (builder, "Polygon");
        json_builder_set_member_name (builder, "coordinates");
        json_builder_begin_array (builder);
        json_builder_begin_array (builder);
        add_pt (builder, nw);
        add_pt (builder, edge_point (spec, nw, ne, r, c, 0, 1, r == 0));
        add_pt (builder, edge_point (spec, nw, ne, r, c, 0, 2, r == 0));
        add_pt (builder, ne);
        add_pt (builder, edge_point (spec, ne, se, r, c + 1, 1, 1, c + 1 == spec->cols));
        add_pt (builder, edge_point (spec, ne, se, r, c + 1, 1, 2, c + 1 == spec->cols));
        add_pt (builder, se);
        add_pt (builder, edge_point (spec, sw, se, r + 1, c, 0, 2, r + 1 == spec->rows));
        add_pt (builder, edge_point (spec, sw, se, r + 1, c, 0, 1, r + 1 == spec->rows));
        add_pt (builder, sw);
        add_pt (builder, edge_point (spec, nw, sw, r, c, 1, 2, c == 0));
        add_pt (builder, edge_point (spec, nw, sw, r, c, 1, 1, c == 0));
        add_pt (builder, nw);
        json_builder_end_array (builder);
        json_builder_end_array (builder);
        json_builder_end_object (builder);
        node = json_builder_get_root (builder);
        polygon = wg_polygon_new_from_json (node, &error);
        g_assert_no_error (error);

        code = g_strdup_printf ("530324104%03u%03u", village + 1, seq);
        village_name = village < G_N_ELEMENTS (village_names) ? g_strdup (village_names[village])
                                                              : g_strdup_printf ("第%u村", village + 1);
        name = g_strdup_printf ("%s第%u网格", village_name, seq);
        village_id = g_strdup_printf ("village-%03u", village + 1);

        grid = wg_map_grid_new (id, code, name, village_id, polygon);
        wg_map_grid_set_village_name (grid, village_name);

        /* Few grids with many cases, as in life: an exponential tail. */
        u = g_rand_double (rand);
        stats.households = 300 + g_rand_int_range (rand, 0, 200);
        stats.open_cases = (int) floor (-log (1 - u * 0.999) * 3.0);
        stats.overdue_cases = stats.open_cases > 0 ? g_rand_int_range (rand, 0, stats.open_cases / 2 + 1) : 0;
        stats.cases_7d = (int) floor (-log (1 - g_rand_double (rand) * 0.999) * 2.5);
        stats.cases_30d = stats.cases_7d + (int) floor (-log (1 - g_rand_double (rand) * 0.999) * 10);
        stats.workers = g_rand_int_range (rand, 0, 100) < 4 ? 0 : g_rand_int_range (rand, 1, 3);
        stats.cadres = g_rand_int_range (rand, 0, 100) < 6 ? 0 : 1;
        wg_map_grid_set_stats (grid, &stats);
        g_ptr_array_add (grids, grid);
      }

  g_list_store_splice (store, 0, 0, grids->pdata, grids->len);
  g_rand_free (rand);
  return g_steal_pointer (&store);
}

/* @n_cases open cases scattered over the grids, in the states, urgencies and deadlines of a
 * busy township: most being handled, a few urgent, some overdue. Ids are "case-N". */
void
map_grids_add_cases (const MapGridsSpec *spec,
                     GArray             *markers,
                     guint               n_cases,
                     guint               seed,
                     GDateTime          *now)
{
  static const char * const states[] = {
    "reported", "reported", "accepted", "dispatched", "dispatched", "claimed",
    "in_progress", "in_progress", "in_progress", "resolved", "verified", "escalated",
  };
  static const char * const urgencies[] = {
    "urgent", "high", "high", "normal", "normal", "normal", "normal", "normal", "normal", "low",
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);

  for (guint i = 0; i < n_cases; i++)
    {
      guint row = g_rand_int_range (rand, 0, spec->rows);
      guint col = g_rand_int_range (rand, 0, spec->cols);
      g_autofree char *id = g_strdup_printf ("case-%u", i);
      g_autofree char *number = g_strdup_printf ("2026-%06u", i + 1);
      g_autofree char *title = g_strdup_printf ("Case %u", i + 1);
      g_autofree char *grid = map_grids_id (row, col, spec);
      g_autoptr(GDateTime) due = g_date_time_add_hours (now, g_rand_int_range (rand, -48, 24 * 7));
      g_autofree char *deadline = g_date_time_format_iso8601 (due);
      double lon, lat;

      map_grids_cell_point (spec, row, col, &lon, &lat);
      lon += spec->cell_deg * g_rand_double_range (rand, -0.15, 0.15);
      lat += spec->cell_deg * 0.9 * g_rand_double_range (rand, -0.15, 0.15);
      wg_case_markers_add (markers, id, number, title, grid,
                           states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))],
                           urgencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (urgencies))],
                           deadline, lon, lat, now);
    }
}
