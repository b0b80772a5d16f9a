/* wg-import.c — importing grid boundaries from a GeoJSON FeatureCollection
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Townships get their grid map as GeoJSON drawn in a GIS tool or exported from a web map;
 * the latter is usually GCJ-02, hence --gcj02. Each feature is one grid keyed by its
 * 15-digit code: a known code updates the grid's boundary (and name), a new one creates
 * the grid. The whole file is one transaction: a bad feature leaves the database as it
 * was, and the error names the feature so the operator can fix the file.
 */
#define G_LOG_DOMAIN "WgImport"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>

#include "wg-geometry.h"
#include "wg-import.h"
#include "wg-json.h"
#include "wg-schema.h"
#include "wg-server-private.h"

static void
convert_coordinates (JsonArray *rings)
{
  for (guint r = 0; r < json_array_get_length (rings); r++)
    {
      JsonArray *ring = json_array_get_array_element (rings, r);

      for (guint i = 0; i < json_array_get_length (ring); i++)
        {
          JsonArray *pos = json_array_get_array_element (ring, i);
          double lon = json_array_get_double_element (pos, 0);
          double lat = json_array_get_double_element (pos, 1);
          double wlon, wlat;

          wg_gcj02_to_wgs84 (lon, lat, &wlon, &wlat);
          /* 1e-7 degrees is about a centimetre; more digits are noise */
          json_node_set_double (json_array_get_element (pos, 0), round (wlon * 1e7) / 1e7);
          json_node_set_double (json_array_get_element (pos, 1), round (wlat * 1e7) / 1e7);
        }
    }
}

/* Returns a Polygon geometry for the feature (a MultiPolygon of one polygon is accepted,
 * as many tools write every area that way). */
static JsonNode *
feature_polygon (JsonObject  *feature,
                 guint        index,
                 GError     **error)
{
  JsonNode *geometry = json_object_get_member (feature, "geometry");
  JsonObject *g;
  const char *type;
  g_autoptr(JsonNode) polygon = NULL;

  if (geometry == NULL || !JSON_NODE_HOLDS_OBJECT (geometry))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Feature %u has no geometry."), index + 1);
      return NULL;
    }
  g = json_node_get_object (geometry);
  type = wg_json_get_string (g, "type");
  if (g_strcmp0 (type, "MultiPolygon") == 0)
    {
      JsonNode *coords = json_object_get_member (g, "coordinates");
      JsonObject *p;

      if (coords == NULL || !JSON_NODE_HOLDS_ARRAY (coords) || json_array_get_length (json_node_get_array (coords)) != 1)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Feature %u is a MultiPolygon with several parts; a grid must be one polygon."), index + 1);
          return NULL;
        }
      p = json_object_new ();
      json_object_set_string_member (p, "type", "Polygon");
      json_object_set_member (p, "coordinates", json_node_copy (json_array_get_element (json_node_get_array (coords), 0)));
      polygon = json_node_init_object (json_node_alloc (), p);
      json_object_unref (p);
    }
  else
    polygon = json_node_copy (geometry);
  return g_steal_pointer (&polygon);
}

static char *
feature_code (JsonObject *props)
{
  JsonNode *node = props ? json_object_get_member (props, "code") : NULL;

  if (wg_json_is_string (node))
    return g_strdup (json_node_get_string (node));
  if (wg_json_is_integer (node))
    return g_strdup_printf ("%015" G_GINT64_FORMAT, json_node_get_int (node));
  return NULL;
}

gboolean
wg_import_grids (WgDb        *db,
                 const char  *path,
                 gboolean     from_gcj02,
                 const char  *village_id,
                 guint       *out_created,
                 guint       *out_updated,
                 GError     **error)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *now = wg_rfc3339_now ();
  JsonArray *features;
  guint created = 0, updated = 0;
  gsize len;

  g_return_val_if_fail (WG_IS_DB (db), FALSE);

  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;
  root = wg_json_parse (contents, len, &local);
  if (root == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s: %s", path, local->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root) ||
      g_strcmp0 (wg_json_get_string (json_node_get_object (root), "type"), "FeatureCollection") != 0 ||
      json_object_get_array_member (json_node_get_object (root), "features") == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("%s is not a GeoJSON FeatureCollection with a “features” array."), path);
      return FALSE;
    }
  features = json_object_get_array_member (json_node_get_object (root), "features");

  if (!wg_db_begin (db, error))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (features); i++)
    {
      JsonObject *feature = json_array_get_object_element (features, i);
      JsonObject *props = feature ? json_object_get_object_member (feature, "properties") : NULL;
      g_autofree char *code = feature_code (props);
      g_autoptr(JsonNode) polygon = NULL;
      g_autoptr(WgPolygon) check = NULL;
      g_autoptr(WgRecord) record = NULL;
      g_autoptr(WgRecord) village = NULL;
      g_autoptr(JsonObject) fields = NULL;
      const char *name = props ? wg_json_get_string (props, "name") : NULL;
      const char *village_of = props && wg_json_get_string (props, "village_id") ? wg_json_get_string (props, "village_id") : village_id;

      if (feature == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Feature %u is not an object."), i + 1);
          goto fail;
        }
      if (code == NULL || strlen (code) != 15 || strspn (code, "0123456789") != 15)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("Feature %u needs properties.code, the grid's 15-digit code."), i + 1);
          goto fail;
        }
      polygon = feature_polygon (feature, i, error);
      if (polygon == NULL)
        goto fail;
      check = wg_polygon_new_from_json (polygon, &local);
      if (check == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("Feature %u (grid %s): %s"), i + 1, code, local->message);
          goto fail;
        }
      if (from_gcj02)
        convert_coordinates (json_object_get_array_member (json_node_get_object (polygon), "coordinates"));

      record = wg_db_find_by_key (db, "grids", code, error);
      if (record == NULL && error != NULL && *error != NULL)
        goto fail;
      if (record != NULL)
        {
          fields = _wg_record_parse_body (record);
          record->version++;
          g_free (record->updated_at);
          record->updated_at = g_strdup (now);
          updated++;
        }
      else
        {
          g_autofree char *id = g_uuid_string_random ();

          if (village_of == NULL || !wg_uuid_is_valid (village_of) ||
              (village = wg_db_get_record (db, village_of, NULL)) == NULL || village->deleted ||
              strcmp (village->kind, "org_units") != 0)
            {
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("Grid %s (feature %u) is new and needs its village: give --village-id or properties.village_id naming a village org unit."),
                           code, i + 1);
              goto fail;
            }
          fields = json_object_new ();
          json_object_set_string_member (fields, "code", code);
          json_object_set_string_member (fields, "name", name ? name : code);
          json_object_set_string_member (fields, "village_id", village_of);
          record = wg_record_new ("grids", id);
          record->version = 1;
          record->created_at = g_strdup (now);
          record->updated_at = g_strdup (now);
          record->village_id = g_strdup (village->village_id ? village->village_id : village->id);
          record->natural_key = g_strdup (code);
          created++;
        }
      if (name != NULL)
        json_object_set_string_member (fields, "name", name);
      json_object_set_member (fields, "boundary", g_steal_pointer (&polygon));
      g_free (record->body);
      record->body = _wg_record_body_new (record->id, record->version, record->created_at,
                                          record->updated_at, fields);
      /* the change log names the tool as the actor: no account signed in */
      if (!wg_db_put_record (db, record, "cli:import-grids", NULL, error))
        goto fail;
    }
  if (!wg_db_commit (db, error))
    return FALSE;
  if (out_created)
    *out_created = created;
  if (out_updated)
    *out_updated = updated;
  return TRUE;

fail:
  wg_db_rollback (db);
  return FALSE;
}
