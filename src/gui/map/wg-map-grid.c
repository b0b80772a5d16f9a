/* wg-map-grid.c — one grid as the map draws it: identity, boundary and the figures it colours by
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store fills these from its grid rows and case counts. Changing a property notifies, and
 * the grid layer redraws only the tiles under that grid, so the store can update a grid in
 * place (freeze notify around several changes) or replace the item in its GListModel.
 * The figures are ints where -1 means "not known": the map then shows no data, not zero.
 */
#define G_LOG_DOMAIN "WgMapGrid"

#include "config.h"

#include <math.h>

#include "wg-map-grid.h"

struct _WgMapGrid
{
  GObject         parent_instance;

  /* Owned */
  char           *id;
  char           *code;
  char           *name;
  char           *village_id;
  char           *village_name;
  char           *group_names;
  char           *party_branch;
  GStrv           institutions;  /* "name", for the side panel */
  int             population;    /* -1: not known */
  WgPolygon      *boundary;
  WgMapGridStats  stats;
  GStrv           people;   /* "name · role · phone", for the side panel */
};

G_DEFINE_FINAL_TYPE (WgMapGrid, wg_map_grid, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_CODE,
  PROP_NAME,
  PROP_VILLAGE_ID,
  PROP_VILLAGE_NAME,
  PROP_GROUP_NAMES,
  PROP_POPULATION,
  PROP_INSTITUTIONS,
  PROP_PARTY_BRANCH,
  PROP_PEOPLE,
  PROP_BOUNDARY,
  PROP_HOUSEHOLDS,
  PROP_OPEN_CASES,
  PROP_OVERDUE_CASES,
  PROP_CASES_7D,
  PROP_CASES_30D,
  PROP_WORKERS,
  PROP_CADRES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The int properties, in WgMapGridStats order, so one loop reads and writes them all. */
static const guint stat_props[] = {
  PROP_HOUSEHOLDS, PROP_OPEN_CASES, PROP_OVERDUE_CASES, PROP_CASES_7D, PROP_CASES_30D,
  PROP_WORKERS, PROP_CADRES,
};

G_STATIC_ASSERT (sizeof (WgMapGridStats) == G_N_ELEMENTS (stat_props) * sizeof (int));

static int *
stat_field (WgMapGrid *self,
            guint      prop_id)
{
  int *fields = (int *) &self->stats;

  for (guint i = 0; i < G_N_ELEMENTS (stat_props); i++)
    if (stat_props[i] == prop_id)
      return &fields[i];
  return NULL;
}

static void
set_string (WgMapGrid   *self,
            char       **field,
            const char  *value,
            guint        prop_id)
{
  if (g_set_str (field, value))
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
set_stat (WgMapGrid *self,
          guint      prop_id,
          int        value)
{
  int *field = stat_field (self, prop_id);

  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
wg_map_grid_finalize (GObject *object)
{
  WgMapGrid *self = (WgMapGrid *) object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->code, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->village_id, g_free);
  g_clear_pointer (&self->village_name, g_free);
  g_clear_pointer (&self->group_names, g_free);
  g_clear_pointer (&self->party_branch, g_free);
  g_clear_pointer (&self->institutions, g_strfreev);
  g_clear_pointer (&self->boundary, wg_polygon_unref);
  g_clear_pointer (&self->people, g_strfreev);

  G_OBJECT_CLASS (wg_map_grid_parent_class)->finalize (object);
}

static void
wg_map_grid_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WgMapGrid *self = WG_MAP_GRID (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;

    case PROP_CODE:
      g_value_set_string (value, self->code);
      break;

    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;

    case PROP_VILLAGE_ID:
      g_value_set_string (value, self->village_id);
      break;

    case PROP_VILLAGE_NAME:
      g_value_set_string (value, self->village_name);
      break;

    case PROP_GROUP_NAMES:
      g_value_set_string (value, self->group_names);
      break;

    case PROP_POPULATION:
      g_value_set_int (value, self->population);
      break;

    case PROP_INSTITUTIONS:
      g_value_set_boxed (value, self->institutions);
      break;

    case PROP_PARTY_BRANCH:
      g_value_set_string (value, self->party_branch);
      break;

    case PROP_PEOPLE:
      g_value_set_boxed (value, self->people);
      break;

    case PROP_BOUNDARY:
      g_value_set_boxed (value, self->boundary);
      break;

    case PROP_HOUSEHOLDS:
    case PROP_OPEN_CASES:
    case PROP_OVERDUE_CASES:
    case PROP_CASES_7D:
    case PROP_CASES_30D:
    case PROP_WORKERS:
    case PROP_CADRES:
      g_value_set_int (value, *stat_field (self, prop_id));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_map_grid_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WgMapGrid *self = WG_MAP_GRID (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;

    case PROP_CODE:
      wg_map_grid_set_code (self, g_value_get_string (value));
      break;

    case PROP_NAME:
      wg_map_grid_set_name (self, g_value_get_string (value));
      break;

    case PROP_VILLAGE_ID:
      wg_map_grid_set_village_id (self, g_value_get_string (value));
      break;

    case PROP_VILLAGE_NAME:
      wg_map_grid_set_village_name (self, g_value_get_string (value));
      break;

    case PROP_GROUP_NAMES:
      wg_map_grid_set_group_names (self, g_value_get_string (value));
      break;

    case PROP_POPULATION:
      wg_map_grid_set_population (self, g_value_get_int (value));
      break;

    case PROP_PARTY_BRANCH:
      wg_map_grid_set_party_branch (self, g_value_get_string (value));
      break;

    case PROP_BOUNDARY:
      wg_map_grid_set_boundary (self, g_value_get_boxed (value));
      break;

    case PROP_HOUSEHOLDS:
    case PROP_OPEN_CASES:
    case PROP_OVERDUE_CASES:
    case PROP_CASES_7D:
    case PROP_CASES_30D:
    case PROP_WORKERS:
    case PROP_CADRES:
      set_stat (self, prop_id, g_value_get_int (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_map_grid_class_init (WgMapGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const stat_names[] = {
    "households", "open-cases", "overdue-cases", "cases-7d", "cases-30d", "workers", "cadres",
  };

  object_class->finalize = wg_map_grid_finalize;
  object_class->get_property = wg_map_grid_get_property;
  object_class->set_property = wg_map_grid_set_property;

  properties[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VILLAGE_ID] =
    g_param_spec_string ("village-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_VILLAGE_NAME] =
    g_param_spec_string ("village-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_GROUP_NAMES] =
    g_param_spec_string ("group-names", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_POPULATION] =
    g_param_spec_int ("population", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_INSTITUTIONS] =
    g_param_spec_boxed ("institutions", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PARTY_BRANCH] =
    g_param_spec_string ("party-branch", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PEOPLE] =
    g_param_spec_boxed ("people", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_BOUNDARY] =
    g_param_spec_boxed ("boundary", NULL, NULL, WG_TYPE_POLYGON,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  for (guint i = 0; i < G_N_ELEMENTS (stat_props); i++)
    properties[stat_props[i]] =
      g_param_spec_int (stat_names[i], NULL, NULL, -1, G_MAXINT, -1,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wg_map_grid_init (WgMapGrid *self)
{
  self->stats = WG_MAP_GRID_STATS_UNKNOWN;
  self->population = -1;
}

WgMapGrid *
wg_map_grid_new (const char *id,
                 const char *code,
                 const char *name,
                 const char *village_id,
                 WgPolygon  *boundary)
{
  g_return_val_if_fail (id != NULL, NULL);

  return g_object_new (WG_TYPE_MAP_GRID,
                       "id", id,
                       "code", code,
                       "name", name,
                       "village-id", village_id,
                       "boundary", boundary,
                       NULL);
}

const char *
wg_map_grid_get_id (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->id;
}

const char *
wg_map_grid_get_code (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->code;
}

void
wg_map_grid_set_code (WgMapGrid  *self,
                      const char *code)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  set_string (self, &self->code, code, PROP_CODE);
}

const char *
wg_map_grid_get_name (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->name;
}

void
wg_map_grid_set_name (WgMapGrid  *self,
                      const char *name)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  set_string (self, &self->name, name, PROP_NAME);
}

const char *
wg_map_grid_get_village_id (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->village_id;
}

void
wg_map_grid_set_village_id (WgMapGrid  *self,
                            const char *village_id)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  set_string (self, &self->village_id, village_id, PROP_VILLAGE_ID);
}

const char *
wg_map_grid_get_village_name (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->village_name;
}

void
wg_map_grid_set_village_name (WgMapGrid  *self,
                              const char *village_name)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  set_string (self, &self->village_name, village_name, PROP_VILLAGE_NAME);
}

/* The villager groups the grid lies in, as the panel shows them ("松毛组、新村组"). */
const char *
wg_map_grid_get_group_names (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->group_names;
}

void
wg_map_grid_set_group_names (WgMapGrid  *self,
                             const char *group_names)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  set_string (self, &self->group_names, group_names, PROP_GROUP_NAMES);
}

int
wg_map_grid_get_population (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), -1);

  return self->population;
}

void
wg_map_grid_set_population (WgMapGrid *self,
                            int        population)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  population = MAX (population, -1);
  if (self->population == population)
    return;
  self->population = population;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POPULATION]);
}

/**
 * wg_map_grid_get_institutions:
 *
 * Returns: (transfer none) (nullable): the institutions in the grid (机关、学校、医院…), one each
 */
const char * const *
wg_map_grid_get_institutions (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return (const char * const *) self->institutions;
}

void
wg_map_grid_set_institutions (WgMapGrid          *self,
                              const char * const *institutions)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  if (self->institutions == NULL && institutions == NULL)
    return;
  if (self->institutions != NULL && institutions != NULL &&
      g_strv_equal ((const char * const *) self->institutions, institutions))
    return;
  g_strfreev (self->institutions);
  self->institutions = g_strdupv ((char **) institutions);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INSTITUTIONS]);
}

/* The grid's party branch (网格党支部). */
const char *
wg_map_grid_get_party_branch (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->party_branch;
}

void
wg_map_grid_set_party_branch (WgMapGrid  *self,
                              const char *party_branch)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  set_string (self, &self->party_branch, party_branch, PROP_PARTY_BRANCH);
}

/**
 * wg_map_grid_get_boundary:
 *
 * Returns: (transfer none) (nullable): the outline, WGS-84 lon/lat
 */
WgPolygon *
wg_map_grid_get_boundary (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return self->boundary;
}

/* A point inside the grid, where the map puts a case that has no location of its own: the
 * outline's area centroid, or the middle of its box, or failing both (a crescent) a point
 * just inside the first vertex. FALSE when the grid has no boundary. */
gboolean
wg_map_grid_get_inner_point (WgMapGrid *self,
                             double    *out_lon,
                             double    *out_lat)
{
  const double *p;
  guint n;
  double area = 0, cx = 0, cy = 0;
  WgBBox bbox;

  g_return_val_if_fail (WG_IS_MAP_GRID (self), FALSE);
  g_return_val_if_fail (out_lon != NULL && out_lat != NULL, FALSE);

  if (self->boundary == NULL || (p = wg_polygon_get_ring (self->boundary, 0, &n)) == NULL || n < 3)
    return FALSE;

  for (guint i = 0; i + 1 < n; i++)
    {
      double x0 = p[2 * i] - p[0], y0 = p[2 * i + 1] - p[1];
      double x1 = p[2 * i + 2] - p[0], y1 = p[2 * i + 3] - p[1];
      double cross = x0 * y1 - x1 * y0;

      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  if (fabs (area) > 1e-18)
    {
      *out_lon = cx / (3 * area) + p[0];
      *out_lat = cy / (3 * area) + p[1];
      if (wg_polygon_contains (self->boundary, *out_lon, *out_lat))
        return TRUE;
    }

  wg_polygon_get_bbox (self->boundary, &bbox);
  *out_lon = (bbox.min_lon + bbox.max_lon) / 2;
  *out_lat = (bbox.min_lat + bbox.max_lat) / 2;
  if (wg_polygon_contains (self->boundary, *out_lon, *out_lat))
    return TRUE;

  for (int step = 1; step < 64; step++)
    {
      double mid_lon = (bbox.min_lon + bbox.max_lon) / 2, mid_lat = (bbox.min_lat + bbox.max_lat) / 2;
      double t = step / 64.0;

      *out_lon = p[0] + (mid_lon - p[0]) * t;
      *out_lat = p[1] + (mid_lat - p[1]) * t;
      if (wg_polygon_contains (self->boundary, *out_lon, *out_lat))
        return TRUE;
    }
  *out_lon = p[0];
  *out_lat = p[1];
  return TRUE;
}

void
wg_map_grid_set_boundary (WgMapGrid *self,
                          WgPolygon *boundary)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  if (self->boundary == boundary)
    return;
  g_clear_pointer (&self->boundary, wg_polygon_unref);
  self->boundary = boundary != NULL ? wg_polygon_ref (boundary) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOUNDARY]);
}

void
wg_map_grid_get_stats (WgMapGrid      *self,
                       WgMapGridStats *out_stats)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));
  g_return_if_fail (out_stats != NULL);

  *out_stats = self->stats;
}

/* One redraw for all the figures: notifications are frozen until every field is set. */
void
wg_map_grid_set_stats (WgMapGrid            *self,
                       const WgMapGridStats *stats)
{
  const int *fields;

  g_return_if_fail (WG_IS_MAP_GRID (self));
  g_return_if_fail (stats != NULL);

  fields = (const int *) stats;
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < G_N_ELEMENTS (stat_props); i++)
    set_stat (self, stat_props[i], MAX (fields[i], -1));
  g_object_thaw_notify (G_OBJECT (self));
}

int
wg_map_grid_get_households (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), -1);

  return self->stats.households;
}

double
wg_map_grid_get_metric_value (WgMapGrid   *self,
                              WgMapMetric  metric)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), 0.0);

  return wg_map_metric_value (metric, &self->stats);
}

/**
 * wg_map_grid_get_people:
 *
 * Returns: (transfer none) (nullable): the grid's people for the panel, one line each
 */
const char * const *
wg_map_grid_get_people (WgMapGrid *self)
{
  g_return_val_if_fail (WG_IS_MAP_GRID (self), NULL);

  return (const char * const *) self->people;
}

/* The people of the grid as the side panel lists them: its workers and leader, and the cadres
 * who cover it, each "name · role · phone". */
void
wg_map_grid_set_people (WgMapGrid          *self,
                        const char * const *people)
{
  g_return_if_fail (WG_IS_MAP_GRID (self));

  if (self->people != NULL && people != NULL && g_strv_equal ((const char * const *) self->people, people))
    return;
  g_strfreev (self->people);
  self->people = g_strdupv ((char **) people);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PEOPLE]);
}
