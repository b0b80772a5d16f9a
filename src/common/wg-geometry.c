/* wg-geometry.c — the little geometry grids need: point in polygon, bounding boxes, GCJ-02
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A case reported with a location but no grid gets its grid from the point, so the server
 * needs point-in-polygon; the client needs the same to highlight the grid under the mouse.
 * Grids are small (a few hundred metres), so planar geometry on degrees is exact enough.
 *
 * Maps bought or drawn in China are often in GCJ-02, the obfuscated datum every Chinese web
 * map uses; we store WGS-84, so imports convert. The forward transform is the widely
 * published one; the inverse has no closed form and is found by fixed-point iteration,
 * which converges to well under a centimetre in a few steps.
 */
#define G_LOG_DOMAIN "WgGeometry"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "wg-geometry.h"

struct _WgPolygon
{
  gatomicrefcount ref_count;
  GPtrArray *rings;     /* of GArray of double, lon/lat interleaved */
  WgBBox     bbox;
};

G_DEFINE_QUARK (wg-geometry-error-quark, wg_geometry_error)
G_DEFINE_BOXED_TYPE (WgPolygon, wg_polygon, wg_polygon_ref, wg_polygon_unref)

/* Krasovsky 1940, the ellipsoid GCJ-02 is defined on */
#define GCJ_A  6378245.0
#define GCJ_EE 0.00669342162296594323

static gboolean
read_position (JsonNode *node,
               double   *lon,
               double   *lat)
{
  JsonArray *pos;
  JsonNode *x, *y;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  pos = json_node_get_array (node);
  if (json_array_get_length (pos) < 2)
    return FALSE;
  x = json_array_get_element (pos, 0);
  y = json_array_get_element (pos, 1);
  if (json_node_get_value_type (x) != G_TYPE_DOUBLE && json_node_get_value_type (x) != G_TYPE_INT64)
    return FALSE;
  if (json_node_get_value_type (y) != G_TYPE_DOUBLE && json_node_get_value_type (y) != G_TYPE_INT64)
    return FALSE;
  *lon = json_node_get_double (x);
  *lat = json_node_get_double (y);
  return isfinite (*lon) && isfinite (*lat) &&
         *lon >= -180 && *lon <= 180 && *lat >= -90 && *lat <= 90;
}

static const char *
geometry_type (JsonNode *geometry)
{
  JsonObject *obj;

  if (geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry))
    return NULL;
  obj = json_node_get_object (geometry);
  if (!json_object_has_member (obj, "type") || !json_object_has_member (obj, "coordinates"))
    return NULL;
  if (json_node_get_value_type (json_object_get_member (obj, "type")) != G_TYPE_STRING)
    return NULL;
  return json_object_get_string_member (obj, "type");
}

WgPolygon *
wg_polygon_new_from_json (JsonNode  *geometry,
                          GError   **error)
{
  g_autoptr(WgPolygon) self = NULL;
  const char *type = geometry_type (geometry);
  JsonNode *coords;
  JsonArray *rings;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_strcmp0 (type, "Polygon") != 0)
    {
      g_set_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID,
                   _("The boundary must be a GeoJSON Polygon with \"type\" and \"coordinates\"."));
      return NULL;
    }
  coords = json_object_get_member (json_node_get_object (geometry), "coordinates");
  if (!JSON_NODE_HOLDS_ARRAY (coords) || json_array_get_length (json_node_get_array (coords)) == 0)
    {
      g_set_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID,
                   _("The polygon has no rings; give at least its outline."));
      return NULL;
    }

  self = g_new0 (WgPolygon, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->rings = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->bbox = (WgBBox) { G_MAXDOUBLE, G_MAXDOUBLE, -G_MAXDOUBLE, -G_MAXDOUBLE };

  rings = json_node_get_array (coords);
  for (guint r = 0; r < json_array_get_length (rings); r++)
    {
      JsonNode *ring_node = json_array_get_element (rings, r);
      JsonArray *ring;
      GArray *points;
      guint n;

      if (!JSON_NODE_HOLDS_ARRAY (ring_node))
        {
          g_set_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID,
                       _("Ring %u of the polygon is not an array of positions."), r + 1);
          return NULL;
        }
      ring = json_node_get_array (ring_node);
      n = json_array_get_length (ring);
      /* GeoJSON rings are closed: at least a triangle plus the repeated first position */
      if (n < 4)
        {
          g_set_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID,
                       _("Ring %u of the polygon has %u positions; a closed ring needs at least 4."),
                       r + 1, n);
          return NULL;
        }
      points = g_array_sized_new (FALSE, FALSE, sizeof (double), n * 2);
      g_ptr_array_add (self->rings, points);
      for (guint i = 0; i < n; i++)
        {
          double lon, lat;

          if (!read_position (json_array_get_element (ring, i), &lon, &lat))
            {
              g_set_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID,
                           _("Position %u of ring %u is not a [longitude, latitude] pair in range."),
                           i + 1, r + 1);
              return NULL;
            }
          g_array_append_val (points, lon);
          g_array_append_val (points, lat);
          if (r == 0)
            {
              self->bbox.min_lon = MIN (self->bbox.min_lon, lon);
              self->bbox.max_lon = MAX (self->bbox.max_lon, lon);
              self->bbox.min_lat = MIN (self->bbox.min_lat, lat);
              self->bbox.max_lat = MAX (self->bbox.max_lat, lat);
            }
        }
      if (g_array_index (points, double, 0) != g_array_index (points, double, 2 * n - 2) ||
          g_array_index (points, double, 1) != g_array_index (points, double, 2 * n - 1))
        {
          g_set_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID,
                       _("Ring %u of the polygon is not closed: its last position must repeat the first."),
                       r + 1);
          return NULL;
        }
    }

  return g_steal_pointer (&self);
}

WgPolygon *
wg_polygon_ref (WgPolygon *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
wg_polygon_unref (WgPolygon *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_ptr_array_unref (self->rings);
      g_free (self);
    }
}

/* Even-odd ray casting; a point exactly on an edge may fall either way, which is fine for
 * grids because neighbouring grids share edges and the point lands in one of them. */
gboolean
wg_ring_contains (const double *coords,
                  guint         n_points,
                  double        lon,
                  double        lat)
{
  gboolean inside = FALSE;

  g_return_val_if_fail (coords != NULL || n_points == 0, FALSE);

  for (guint i = 0, j = n_points - 1; i < n_points; j = i++)
    {
      double xi = coords[2 * i], yi = coords[2 * i + 1];
      double xj = coords[2 * j], yj = coords[2 * j + 1];

      if (((yi > lat) != (yj > lat)) &&
          (lon < (xj - xi) * (lat - yi) / (yj - yi) + xi))
        inside = !inside;
    }
  return inside;
}

gboolean
wg_bbox_contains (const WgBBox *bbox,
                  double        lon,
                  double        lat)
{
  g_return_val_if_fail (bbox != NULL, FALSE);

  return lon >= bbox->min_lon && lon <= bbox->max_lon &&
         lat >= bbox->min_lat && lat <= bbox->max_lat;
}

gboolean
wg_polygon_contains (const WgPolygon *self,
                     double           lon,
                     double           lat)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (!wg_bbox_contains (&self->bbox, lon, lat))
    return FALSE;
  for (guint r = 0; r < self->rings->len; r++)
    {
      GArray *ring = g_ptr_array_index (self->rings, r);
      gboolean in = wg_ring_contains ((const double *) ring->data, ring->len / 2, lon, lat);

      if (r == 0 && !in)
        return FALSE;
      if (r > 0 && in)
        return FALSE;   /* inside a hole */
    }
  return TRUE;
}

void
wg_polygon_get_bbox (const WgPolygon *self,
                     WgBBox          *out_bbox)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out_bbox != NULL);

  *out_bbox = self->bbox;
}

guint
wg_polygon_get_n_rings (const WgPolygon *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->rings->len;
}

const double *
wg_polygon_get_ring (const WgPolygon *self,
                     guint            ring,
                     guint           *n_points)
{
  GArray *points;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (ring < self->rings->len, NULL);

  points = g_ptr_array_index (self->rings, ring);
  if (n_points != NULL)
    *n_points = points->len / 2;
  return (const double *) points->data;
}

/* Reads a GeoJSON Point. */
gboolean
wg_point_from_json (JsonNode  *geometry,
                    double    *out_lon,
                    double    *out_lat,
                    GError   **error)
{
  double lon, lat;

  if (g_strcmp0 (geometry_type (geometry), "Point") != 0 ||
      !read_position (json_object_get_member (json_node_get_object (geometry), "coordinates"), &lon, &lat))
    {
      g_set_error (error, WG_GEOMETRY_ERROR, WG_GEOMETRY_ERROR_INVALID,
                   _("The location must be a GeoJSON Point: {\"type\": \"Point\", \"coordinates\": [longitude, latitude]}."));
      return FALSE;
    }
  *out_lon = lon;
  *out_lat = lat;
  return TRUE;
}

/* GCJ-02 only applies inside mainland China; outside it equals WGS-84. */
gboolean
wg_geometry_outside_china (double lon,
                           double lat)
{
  return lon < 72.004 || lon > 137.8347 || lat < 0.8293 || lat > 55.8271;
}

static double
transform_lat (double x,
               double y)
{
  double r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt (fabs (x));

  r += (20.0 * sin (6.0 * x * G_PI) + 20.0 * sin (2.0 * x * G_PI)) * 2.0 / 3.0;
  r += (20.0 * sin (y * G_PI) + 40.0 * sin (y / 3.0 * G_PI)) * 2.0 / 3.0;
  r += (160.0 * sin (y / 12.0 * G_PI) + 320.0 * sin (y * G_PI / 30.0)) * 2.0 / 3.0;
  return r;
}

static double
transform_lon (double x,
               double y)
{
  double r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt (fabs (x));

  r += (20.0 * sin (6.0 * x * G_PI) + 20.0 * sin (2.0 * x * G_PI)) * 2.0 / 3.0;
  r += (20.0 * sin (x * G_PI) + 40.0 * sin (x / 3.0 * G_PI)) * 2.0 / 3.0;
  r += (150.0 * sin (x / 12.0 * G_PI) + 300.0 * sin (x / 30.0 * G_PI)) * 2.0 / 3.0;
  return r;
}

void
wg_wgs84_to_gcj02 (double  lon,
                   double  lat,
                   double *out_lon,
                   double *out_lat)
{
  double dlat, dlon, radlat, magic, sqrtmagic;

  g_return_if_fail (out_lon != NULL && out_lat != NULL);

  if (wg_geometry_outside_china (lon, lat))
    {
      *out_lon = lon;
      *out_lat = lat;
      return;
    }
  dlat = transform_lat (lon - 105.0, lat - 35.0);
  dlon = transform_lon (lon - 105.0, lat - 35.0);
  radlat = lat / 180.0 * G_PI;
  magic = sin (radlat);
  magic = 1 - GCJ_EE * magic * magic;
  sqrtmagic = sqrt (magic);
  dlat = (dlat * 180.0) / ((GCJ_A * (1 - GCJ_EE)) / (magic * sqrtmagic) * G_PI);
  dlon = (dlon * 180.0) / (GCJ_A / sqrtmagic * cos (radlat) * G_PI);
  *out_lat = lat + dlat;
  *out_lon = lon + dlon;
}

void
wg_gcj02_to_wgs84 (double  lon,
                   double  lat,
                   double *out_lon,
                   double *out_lat)
{
  double wlon = lon, wlat = lat;

  g_return_if_fail (out_lon != NULL && out_lat != NULL);

  /* Find w with f(w) = g: step w by the residual g - f(w). The offset varies slowly with
   * position, so each step gains about three orders of magnitude. */
  for (guint i = 0; i < 10; i++)
    {
      double glon, glat;

      wg_wgs84_to_gcj02 (wlon, wlat, &glon, &glat);
      if (fabs (glon - lon) < 1e-10 && fabs (glat - lat) < 1e-10)
        break;
      wlon += lon - glon;
      wlat += lat - glat;
    }
  *out_lon = wlon;
  *out_lat = wlat;
}

/* Great-circle distance on a sphere of the earth's mean radius; for tests and tolerances. */
double
wg_geometry_distance_m (double lon1,
                        double lat1,
                        double lon2,
                        double lat2)
{
  double p1 = lat1 * G_PI / 180, p2 = lat2 * G_PI / 180;
  double dp = p2 - p1, dl = (lon2 - lon1) * G_PI / 180;
  double a = sin (dp / 2) * sin (dp / 2) + cos (p1) * cos (p2) * sin (dl / 2) * sin (dl / 2);

  return 2 * 6371008.8 * atan2 (sqrt (a), sqrt (1 - a));
}
