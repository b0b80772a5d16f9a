/* wg-geometry.h — the little geometry grids need: point in polygon, bounding boxes, GCJ-02
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WG_GEOMETRY_ERROR (wg_geometry_error_quark ())

typedef enum
{
  WG_GEOMETRY_ERROR_INVALID,
} WgGeometryError;

typedef struct
{
  double min_lon;
  double min_lat;
  double max_lon;
  double max_lat;
} WgBBox;

/* A GeoJSON Polygon: the first ring is the outline, the others are holes. Coordinates are
 * (longitude, latitude) pairs, as GeoJSON orders them. */
typedef struct _WgPolygon WgPolygon;

#define WG_TYPE_POLYGON (wg_polygon_get_type ())

GQuark     wg_geometry_error_quark    (void);
GType      wg_polygon_get_type        (void) G_GNUC_CONST;

WgPolygon *wg_polygon_new_from_json   (JsonNode        *geometry,
                                       GError         **error);
WgPolygon *wg_polygon_ref             (WgPolygon       *self);
void       wg_polygon_unref           (WgPolygon       *self);
gboolean   wg_polygon_contains        (const WgPolygon *self,
                                       double           lon,
                                       double           lat);
void       wg_polygon_get_bbox        (const WgPolygon *self,
                                       WgBBox          *out_bbox);
guint      wg_polygon_get_n_rings     (const WgPolygon *self);
const double *wg_polygon_get_ring     (const WgPolygon *self,
                                       guint            ring,
                                       guint           *n_points);

gboolean   wg_ring_contains           (const double    *coords,
                                       guint            n_points,
                                       double           lon,
                                       double           lat);
gboolean   wg_bbox_contains           (const WgBBox    *bbox,
                                       double           lon,
                                       double           lat);
gboolean   wg_point_from_json         (JsonNode        *geometry,
                                       double          *out_lon,
                                       double          *out_lat,
                                       GError         **error);

gboolean   wg_geometry_outside_china  (double           lon,
                                       double           lat);
void       wg_wgs84_to_gcj02          (double           lon,
                                       double           lat,
                                       double          *out_lon,
                                       double          *out_lat);
void       wg_gcj02_to_wgs84          (double           lon,
                                       double           lat,
                                       double          *out_lon,
                                       double          *out_lat);
double     wg_geometry_distance_m     (double           lon1,
                                       double           lat1,
                                       double           lon2,
                                       double           lat2);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgPolygon, wg_polygon_unref)

G_END_DECLS
