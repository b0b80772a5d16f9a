/* wg-server-resources.c — handlers of the generic resources, the change feed and small endpoints
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Org units, grids, households, people, teams, assignments, categories, holidays and
 * accounts share one set of handlers driven by the kind table of wg-schema.c. What differs
 * per kind is which village a record belongs to (for scope) and a few cross-field checks;
 * those are the switch statements below.
 */
#define G_LOG_DOMAIN "WgServer"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wg-api-error.h"
#include "wg-case-machine.h"
#include "wg-json.h"
#include "wg-server-private.h"

#define DEFAULT_LIST_LIMIT 100
#define MAX_LIST_LIMIT 1000
#define DEFAULT_CHANGES_LIMIT 500
#define MAX_CHANGES_LIMIT 5000

static const char * const echo_fields[] = { "id", "version", "created_at", "updated_at", NULL };

/* --- small endpoints ------------------------------------------------------------------- */

gboolean
_wg_handle_health (WgRequest  *req,
                   GError    **error)
{
  /* A constant body: also the baseline of the requests-per-second benchmark. */
  _wg_request_respond_json (req, 200, g_strdup ("{\"status\":\"ok\"}"));
  return TRUE;
}

static void
add_roles (JsonBuilder *b,
           WgRole       roles)
{
  static const WgRole all[] = {
    WG_ROLE_ADMIN, WG_ROLE_DISPATCHER, WG_ROLE_LEADER, WG_ROLE_FIELD_WORKER, WG_ROLE_TEAM_MEMBER,
  };

  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    if (roles & all[i])
      json_builder_add_string_value (b, wg_role_to_string (all[i]));
  json_builder_end_array (b);
}

/* The state machine table as data, for clients not written in C (the mobile app). */
gboolean
_wg_handle_case_machine (WgRequest  *req,
                         GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  const WgCaseTransition *t;
  guint n;

  t = wg_case_machine_get_table (&n);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "states");
  json_builder_begin_array (b);
  for (guint i = 0; i < WG_N_CASE_STATES; i++)
    json_builder_add_string_value (b, wg_case_state_to_string (i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "actions");
  json_builder_begin_array (b);
  for (guint i = 0; i < WG_N_CASE_ACTIONS; i++)
    json_builder_add_string_value (b, wg_case_action_to_string (i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "transitions");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "from");
      json_builder_add_string_value (b, wg_case_state_to_string (t[i].from));
      json_builder_set_member_name (b, "action");
      json_builder_add_string_value (b, wg_case_action_to_string (t[i].action));
      json_builder_set_member_name (b, "to");
      json_builder_add_string_value (b, wg_case_state_to_string (t[i].to));
      json_builder_set_member_name (b, "roles");
      add_roles (b, t[i].roles);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  _wg_request_respond_json (req, 200, wg_json_to_string (root));
  return TRUE;
}

/* --- query parameters ------------------------------------------------------------------ */

static gboolean
parse_count (const char  *name,
             const char  *text,
             gint64       min,
             gint64       max,
             gint64      *out,
             GError     **error)
{
  guint64 v;

  if (!g_ascii_string_to_unsigned (text, 10, min, max, &v, NULL))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                   _("The query parameter “%s” must be a whole number from %lld to %lld."),
                   name, (long long) min, (long long) max);
      return FALSE;
    }
  *out = (gint64) v;
  return TRUE;
}

/* Rejects parameters the endpoint does not know: a misspelt filter must not silently
 * return everything. */
static gboolean
check_query (WgRequest           *req,
             const char * const  *known,
             const WgFieldSpec   *filterable,
             GError             **error)
{
  GHashTableIter iter;
  const char *name;

  if (req->query == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, req->query);
  while (g_hash_table_iter_next (&iter, (gpointer *) &name, NULL))
    {
      const WgFieldSpec *f;

      if (g_strv_contains (known, name))
        continue;
      f = filterable ? wg_schema_find_field (filterable, name) : NULL;
      if (f != NULL && (f->type == WG_FIELD_UUID || f->type == WG_FIELD_ENUM ||
                        f->type == WG_FIELD_DATE || f->type == WG_FIELD_STRING ||
                        f->type == WG_FIELD_DIGITS))
        continue;
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                   _("Unknown query parameter “%s”."), name);
      return FALSE;
    }
  return TRUE;
}

/* Lists records of a kind: ?limit=&after= pages in id order, and one ?field=value filter. */
static gboolean
list_kind (WgRequest          *req,
           const char         *kind,
           const WgFieldSpec  *filterable,
           const char * const *extra_filters,
           GError            **error)
{
  static const char * const base[] = { "limit", "after", NULL };
  g_autoptr(GPtrArray) page = NULL;
  g_autoptr(GString) out = g_string_new ("{\"items\":[");
  g_autofree char *json_path = NULL;
  const char *json_value = NULL;
  const char *after = NULL;
  gint64 limit = DEFAULT_LIST_LIMIT;
  GHashTableIter iter;
  const char *name, *value;

  if (!check_query (req, extra_filters ? extra_filters : base, filterable, error))
    return FALSE;
  if (req->query != NULL)
    {
      g_hash_table_iter_init (&iter, req->query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &name, (gpointer *) &value))
        {
          if (strcmp (name, "limit") == 0)
            {
              if (!parse_count ("limit", value, 1, MAX_LIST_LIMIT, &limit, error))
                return FALSE;
            }
          else if (strcmp (name, "after") == 0)
            {
              if (!wg_uuid_is_valid (value))
                {
                  g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_ID,
                               _("“after” must be the id of the last item of the previous page."));
                  return FALSE;
                }
              after = value;
            }
          else if (json_path != NULL)
            {
              g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                           _("Filter by one field at a time."));
              return FALSE;
            }
          else
            {
              json_path = g_strdup_printf ("$.%s", name);
              json_value = value;
            }
        }
    }

  page = wg_db_list_records (req->server->db, kind, req->scope_village, strcmp (kind, "cases") != 0,
                             json_path, json_value, after, (guint) limit + 1, error);
  if (page == NULL)
    return FALSE;
  for (guint i = 0; i < page->len && i < (guint) limit; i++)
    {
      WgRecord *r = g_ptr_array_index (page, i);

      if (i > 0)
        g_string_append_c (out, ',');
      if (req->role == WG_ROLE_LEADER || req->role == WG_ROLE_TEAM_MEMBER)
        {
          g_autoptr(JsonNode) node = wg_json_parse (r->body, -1, NULL);
          g_autofree char *masked = NULL;

          if (node != NULL)
            {
              /* reuse the record path so masking stays in one place */
              _wg_request_respond_record (req, 200, r);
              masked = g_steal_pointer (&req->response);
              g_string_append (out, masked);
              continue;
            }
        }
      g_string_append (out, r->body);
    }
  g_string_append (out, "],\"next\":");
  if (page->len > (guint) limit)
    g_string_append_printf (out, "\"%s\"", ((WgRecord *) g_ptr_array_index (page, limit - 1))->id);
  else
    g_string_append (out, "null");
  g_string_append_c (out, '}');
  /* a list has no single version */
  soup_message_headers_remove (soup_server_message_get_response_headers (req->msg), "ETag");
  _wg_request_respond_json (req, 200, g_string_free (g_steal_pointer (&out), FALSE));
  return TRUE;
}

/* --- generic resources ----------------------------------------------------------------- */

static const WgKind *
route_kind (WgRequest *req)
{
  const WgKind *kind = wg_schema_find_kind (req->route->kind);

  g_assert (kind != NULL);
  return kind;
}

static gboolean
check_write_role (WgRequest     *req,
                  const WgKind  *kind,
                  GError       **error)
{
  if ((kind->write_roles & req->role) == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_FORBIDDEN,
                   _("Your role (%s) may not change %s records; an administrator can."),
                   wg_role_to_string (req->role), _(kind->singular));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_read_role (WgRequest     *req,
                 const WgKind  *kind,
                 GError       **error)
{
  if ((kind->read_roles & req->role) == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_FORBIDDEN,
                   _("Your role (%s) may not read %s records."), wg_role_to_string (req->role), _(kind->singular));
      return FALSE;
    }
  return TRUE;
}

/* Loads a referenced live record of `kind`; NULL (with a validation error) when absent. */
static WgRecord *
get_ref (WgRequest   *req,
         const char  *kind,
         const char  *id,
         const char  *field,
         GError     **error)
{
  g_autoptr(WgRecord) r = NULL;

  if (id == NULL)
    return NULL;
  r = wg_db_get_record (req->server->db, id, error);
  if (r == NULL || r->deleted || strcmp (r->kind, kind) != 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                     _("“%s” names %s, which is not a %s."), field, id, kind);
      return NULL;
    }
  return g_steal_pointer (&r);
}

static gboolean
is_village_unit (WgRequest   *req,
                 const char  *id,
                 const char  *field,
                 GError     **error)
{
  g_autoptr(WgRecord) unit = get_ref (req, "org_units", id, field, error);
  g_autoptr(JsonObject) obj = NULL;
  const char *k;

  if (unit == NULL)
    return FALSE;
  obj = _wg_record_parse_body (unit);
  k = wg_json_get_string (obj, "kind");
  if (g_strcmp0 (k, "village") != 0 && g_strcmp0 (k, "community") != 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                   _("“%s” must name a village or community, but %s is a %s."), field, id, k);
      return FALSE;
    }
  return TRUE;
}

/* Works out the village a record belongs to (NULL: township-wide) and checks the
 * cross-field rules of its kind. */
static gboolean
derive_village (WgRequest   *req,
                const char  *kind,
                const char  *id,
                JsonObject  *obj,
                char       **out_village,
                GError     **error)
{
  g_autoptr(WgRecord) ref = NULL;

  *out_village = NULL;

  if (strcmp (kind, "org_units") == 0)
    {
      const char *k = wg_json_get_string (obj, "kind");
      const char *parent = wg_json_get_string (obj, "parent_id");
      const char *admin = wg_json_get_string (obj, "admin_unit_id");

      if (g_strcmp0 (parent, id) == 0)
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, _("An org unit cannot be its own parent."));
          return FALSE;
        }
      if (g_strcmp0 (k, "village") == 0 || g_strcmp0 (k, "community") == 0)
        *out_village = g_strdup (id);
      else if (g_strcmp0 (k, "township") == 0 || g_strcmp0 (k, "party_committee") == 0)
        *out_village = NULL;
      else if (parent != NULL || admin != NULL)
        {
          ref = get_ref (req, "org_units", parent ? parent : admin, parent ? "parent_id" : "admin_unit_id", error);
          if (ref == NULL)
            return FALSE;
          *out_village = g_strdup (ref->village_id);
        }
      return TRUE;
    }
  if (strcmp (kind, "grids") == 0)
    {
      const char *village = wg_json_get_string (obj, "village_id");

      if (!is_village_unit (req, village, "village_id", error))
        return FALSE;
      *out_village = g_strdup (village);
      return TRUE;
    }
  if (strcmp (kind, "households") == 0)
    {
      ref = get_ref (req, "grids", wg_json_get_string (obj, "grid_id"), "grid_id", error);
      if (ref == NULL)
        return FALSE;
      *out_village = g_strdup (ref->village_id);
      return TRUE;
    }
  if (strcmp (kind, "people") == 0)
    {
      const char *unit = wg_json_get_string (obj, "org_unit_id");

      if (unit != NULL)
        {
          ref = get_ref (req, "org_units", unit, "org_unit_id", error);
          if (ref == NULL)
            return FALSE;
          *out_village = g_strdup (ref->village_id);
        }
      return TRUE;
    }
  if (strcmp (kind, "assignments") == 0)
    {
      const char *k = wg_json_get_string (obj, "kind");
      const char *target = wg_json_get_string (obj, "target_id");
      JsonNode *households = json_object_get_member (obj, "household_ids");

      if (g_strcmp0 (k, "households") == 0)
        {
          JsonArray *ids;

          if (households == NULL || !JSON_NODE_HOLDS_ARRAY (households) ||
              json_array_get_length (json_node_get_array (households)) == 0)
            {
              g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                           _("A household assignment (包户) needs “household_ids” with at least one household."));
              return FALSE;
            }
          ids = json_node_get_array (households);
          ref = get_ref (req, "households", json_array_get_string_element (ids, 0), "household_ids", error);
          if (ref == NULL)
            return FALSE;
          *out_village = g_strdup (ref->village_id);
          return TRUE;
        }
      if (target == NULL)
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                       _("A %s assignment needs “target_id”: the %s it covers."), k, k);
          return FALSE;
        }
      ref = get_ref (req, g_strcmp0 (k, "grid") == 0 ? "grids" : "org_units", target, "target_id", error);
      if (ref == NULL)
        return FALSE;
      if (g_strcmp0 (k, "village") == 0 && !is_village_unit (req, target, "target_id", error))
        return FALSE;
      *out_village = g_strdup (ref->village_id);
      return TRUE;
    }
  if (strcmp (kind, "accounts") == 0)
    {
      const char *village = wg_json_get_string (obj, "scope_village_id");

      if (village != NULL && !is_village_unit (req, village, "scope_village_id", error))
        return FALSE;
      *out_village = g_strdup (village);
      return TRUE;
    }
  /* teams, categories, holidays: township-wide */
  return TRUE;
}

static gboolean
check_scope (WgRequest   *req,
             const char  *village,
             GError     **error)
{
  if (req->scope_village == NULL || g_strcmp0 (req->scope_village, village) == 0)
    return TRUE;
  g_set_error (error, WG_API_ERROR, WG_API_ERROR_OUT_OF_SCOPE,
               _("Your account acts for one village only; this record belongs to another village or to the whole township."));
  return FALSE;
}

static char *
natural_key_of (const WgKind *kind,
                JsonObject   *obj)
{
  if (kind->natural_key == NULL)
    return NULL;
  return g_strdup (wg_json_get_string (obj, kind->natural_key));
}

/* Takes the password out of an account's fields and stores its hash; sessions of the
 * account end when its password changes. */
static gboolean
take_password (WgRequest   *req,
               const char  *account_id,
               JsonObject  *obj,
               gboolean     existing,
               GError     **error)
{
  const char *password = wg_json_get_string (obj, "password");
  g_autofree char *hash = NULL;
  g_autoptr(GError) local = NULL;

  if (password == NULL)
    return TRUE;
  hash = wg_auth_hash_password (password, &local);
  if (hash == NULL)
    {
      g_set_error_literal (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, local->message);
      return FALSE;
    }
  json_object_remove_member (obj, "password");
  if (!wg_db_set_password_hash (req->server->db, account_id, hash, error))
    return FALSE;
  if (existing && !wg_db_delete_account_sessions (req->server->db, account_id, error))
    return FALSE;
  return TRUE;
}

gboolean
_wg_handle_resource_list (WgRequest  *req,
                          GError    **error)
{
  const WgKind *kind = route_kind (req);

  if (!check_read_role (req, kind, error))
    return FALSE;
  return list_kind (req, kind->name, kind->fields, NULL, error);
}

gboolean
_wg_handle_resource_get (WgRequest  *req,
                         GError    **error)
{
  const WgKind *kind = route_kind (req);
  g_autoptr(WgRecord) record = NULL;
  const char *inm;
  g_autofree char *etag = NULL;

  if (!check_read_role (req, kind, error))
    return FALSE;
  record = _wg_request_get_visible (req, kind->name, req->params[0], error);
  if (record == NULL)
    return FALSE;
  etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", record->version);
  inm = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), "If-None-Match");
  if (inm != NULL && strcmp (inm, etag) == 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "ETag", etag);
      req->status = 304;
      return TRUE;
    }
  _wg_request_respond_record (req, 200, record);
  return TRUE;
}

gboolean
_wg_handle_resource_create (WgRequest  *req,
                            GError    **error)
{
  const WgKind *kind = route_kind (req);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WgRecord) record = NULL;
  g_autoptr(WgRecord) existing = NULL;
  g_autofree char *id = NULL;
  g_autofree char *location = NULL;
  JsonObject *obj;
  const char *given_id;

  if (!check_write_role (req, kind, error))
    return FALSE;
  if (!_wg_request_parse_body (req, &root, error))
    return FALSE;
  obj = json_node_get_object (root);
  if (!wg_schema_validate (kind->fields, obj, FALSE, echo_fields, _wg_ref_exists_cb, req, error))
    return FALSE;

  /* Clients may choose the id (offline-first: the outbox knows it before the server). */
  given_id = json_object_has_member (obj, "id") ? wg_json_get_string (obj, "id") : NULL;
  if (json_object_has_member (obj, "id") && !wg_uuid_is_valid (given_id))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_ID,
                   _("“id” must be a lower-case UUID, or left out for the server to choose."));
      return FALSE;
    }
  id = given_id ? g_strdup (given_id) : g_uuid_string_random ();
  existing = wg_db_get_record (req->server->db, id, error);
  if (existing != NULL)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT,
                   _("A record with id %s already exists; to change it use PATCH."), id);
      return FALSE;
    }
  if (error != NULL && *error != NULL)
    return FALSE;

  record = wg_record_new (kind->name, id);
  if (!derive_village (req, kind->name, id, obj, &record->village_id, error))
    return FALSE;
  if (!check_scope (req, record->village_id, error))
    return FALSE;
  if (strcmp (kind->name, "accounts") == 0)
    {
      if (!take_password (req, id, obj, FALSE, error))
        return FALSE;
      if (!json_object_has_member (obj, "active"))
        json_object_set_boolean_member (obj, "active", TRUE);
    }
  if (strcmp (kind->name, "people") == 0 && !json_object_has_member (obj, "active"))
    json_object_set_boolean_member (obj, "active", TRUE);

  record->version = 1;
  record->created_at = g_strdup (req->now);
  record->updated_at = g_strdup (req->now);
  record->natural_key = natural_key_of (kind, obj);
  if (!_wg_store_record (req, record, obj, error))
    return FALSE;

  location = g_strdup_printf ("/api/v1/%s/%s", kind->path, id);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location", location);
  _wg_request_respond_record (req, 201, record);
  return TRUE;
}

gboolean
_wg_handle_resource_update (WgRequest  *req,
                            GError    **error)
{
  const WgKind *kind = route_kind (req);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WgRecord) record = NULL;
  g_autoptr(JsonObject) merged = NULL;
  g_autofree char *old_village = NULL;
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;
  JsonObject *obj;

  if (!check_write_role (req, kind, error))
    return FALSE;
  record = _wg_request_get_visible (req, kind->name, req->params[0], error);
  if (record == NULL)
    return FALSE;
  if (!_wg_request_parse_body (req, &root, error))
    return FALSE;
  obj = json_node_get_object (root);
  if (!_wg_request_check_version (req, record, obj, error))
    return FALSE;
  if (!wg_schema_validate (kind->fields, obj, TRUE, echo_fields, _wg_ref_exists_cb, req, error))
    return FALSE;
  if (json_object_has_member (obj, "id") && g_strcmp0 (wg_json_get_string (obj, "id"), record->id) != 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, _("A record's id cannot change."));
      return FALSE;
    }
  if (!check_scope (req, record->village_id, error))
    return FALSE;

  /* Merge: members given replace the stored ones, null removes them (JSON merge patch). */
  merged = _wg_record_parse_body (record);
  json_object_iter_init (&iter, obj);
  while (json_object_iter_next (&iter, &name, &node))
    {
      if (g_strv_contains (echo_fields, name))
        continue;
      if (JSON_NODE_HOLDS_NULL (node))
        json_object_remove_member (merged, name);
      else
        json_object_set_member (merged, name, json_node_copy (node));
    }
  if (strcmp (kind->name, "accounts") == 0 && !take_password (req, record->id, merged, TRUE, error))
    return FALSE;

  old_village = g_steal_pointer (&record->village_id);
  if (!derive_village (req, kind->name, record->id, merged, &record->village_id, error))
    return FALSE;
  if (!check_scope (req, record->village_id, error))
    return FALSE;
  /* Moving a village (or grid) would leave its households and cases in the old scope;
   * keep that a delete-and-recreate decision for an administrator. */
  if (g_strcmp0 (old_village, record->village_id) != 0 &&
      (strcmp (kind->name, "org_units") == 0 || strcmp (kind->name, "grids") == 0) &&
      old_village != NULL)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT,
                   _("A grid or org unit cannot move to another village; create a new one instead."));
      return FALSE;
    }

  record->version++;
  g_free (record->updated_at);
  record->updated_at = g_strdup (req->now);
  g_free (record->natural_key);
  record->natural_key = natural_key_of (kind, merged);
  if (!_wg_store_record (req, record, merged, error))
    return FALSE;
  _wg_request_respond_record (req, 200, record);
  return TRUE;
}

gboolean
_wg_handle_resource_delete (WgRequest  *req,
                            GError    **error)
{
  const WgKind *kind = route_kind (req);
  g_autoptr(WgRecord) record = NULL;

  if (!check_write_role (req, kind, error))
    return FALSE;
  record = _wg_request_get_visible (req, kind->name, req->params[0], error);
  if (record == NULL)
    return FALSE;
  if (!_wg_request_check_version (req, record, NULL, error))
    return FALSE;
  if (!check_scope (req, record->village_id, error))
    return FALSE;
  if (strcmp (kind->name, "accounts") == 0 && strcmp (record->id, req->account_id) == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT,
                   _("You cannot delete your own account; ask another administrator."));
      return FALSE;
    }
  record->version++;
  g_free (record->updated_at);
  record->updated_at = g_strdup (req->now);
  if (!wg_db_delete_record (req->server->db, record, req->account_id, NULL, error))
    return FALSE;
  if (strcmp (kind->name, "accounts") == 0 && !wg_db_delete_account_sessions (req->server->db, record->id, error))
    return FALSE;
  req->wrote = TRUE;
  _wg_server_invalidate (req->server, kind->name);
  req->status = 204;
  g_clear_pointer (&req->response, g_free);
  return TRUE;
}

gboolean
_wg_handle_grid_locate (WgRequest  *req,
                        GError    **error)
{
  static const char * const known[] = { "lon", "lat", NULL };
  const char *lon_s = req->query ? g_hash_table_lookup (req->query, "lon") : NULL;
  const char *lat_s = req->query ? g_hash_table_lookup (req->query, "lat") : NULL;
  g_autoptr(WgRecord) grid = NULL;
  const char *id;
  char *end1 = NULL, *end2 = NULL;
  double lon, lat;

  if (!check_query (req, known, NULL, error))
    return FALSE;
  if (lon_s != NULL)
    lon = g_ascii_strtod (lon_s, &end1);
  if (lat_s != NULL)
    lat = g_ascii_strtod (lat_s, &end2);
  if (lon_s == NULL || lat_s == NULL || *lon_s == '\0' || *lat_s == '\0' || *end1 != '\0' || *end2 != '\0' ||
      lon < -180 || lon > 180 || lat < -90 || lat > 90)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                   _("Give the point as ?lon=LONGITUDE&lat=LATITUDE in WGS-84 degrees."));
      return FALSE;
    }
  id = _wg_server_locate_grid (req->server, lon, lat, error);
  if (id == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, WG_API_ERROR, WG_API_ERROR_NOT_FOUND,
                     _("No grid contains the point (%.6f, %.6f)."), lon, lat);
      return FALSE;
    }
  grid = _wg_request_get_visible (req, "grids", id, error);
  if (grid == NULL)
    return FALSE;
  _wg_request_respond_record (req, 200, grid);
  return TRUE;
}

gboolean
_wg_handle_case_list (WgRequest  *req,
                      GError    **error)
{
  static const char * const known[] = { "limit", "after", "state", "grid_id", "village_id",
                                        "category_id", "urgency", "source", "number", NULL };

  return list_kind (req, "cases", NULL, known, error);
}

/* --- change feed ----------------------------------------------------------------------- */

typedef struct
{
  WgRequest *req;
  GString   *out;
  guint      n;
} FeedWriter;

static void
feed_change_cb (gint64      seq,
                const char *kind,
                const char *id,
                gint64      version,
                const char *op,
                const char *at,
                const char *body,
                gpointer    user_data)
{
  FeedWriter *w = user_data;

  /* kind, id, op and at are the server's own ASCII values (a kind name, a UUID, an RFC 3339
   * time), never client text, so they are written without escaping; the body is stored
   * JSON. Building the page by hand keeps the feed close to the speed of reading rows. */
  g_string_append_printf (w->out, "%s{\"seq\":%" G_GINT64_FORMAT ",\"kind\":\"%s\",\"id\":\"%s\","
                          "\"version\":%" G_GINT64_FORMAT ",\"op\":\"%s\",\"at\":\"%s\"",
                          w->n++ ? "," : "", seq, kind, id, version, op, at);
  if (body != NULL)
    {
      g_string_append (w->out, ",\"record\":");
      if (w->req->role == WG_ROLE_LEADER || w->req->role == WG_ROLE_TEAM_MEMBER)
        {
          g_autoptr(WgRecord) tmp = wg_record_new (kind, id);

          tmp->body = g_strdup (body);
          _wg_request_respond_record (w->req, 200, tmp);
          g_string_append (w->out, w->req->response);
          g_clear_pointer (&w->req->response, g_free);
        }
      else
        g_string_append (w->out, body);
    }
  g_string_append_c (w->out, '}');
}

gboolean
_wg_handle_changes (WgRequest  *req,
                    GError    **error)
{
  static const char * const known[] = { "since", "limit", NULL };
  const char *since_s = req->query ? g_hash_table_lookup (req->query, "since") : NULL;
  const char *limit_s = req->query ? g_hash_table_lookup (req->query, "limit") : NULL;
  gint64 since = 0, limit = DEFAULT_CHANGES_LIMIT, next = 0;
  gboolean more = FALSE;
  FeedWriter w = { req, NULL, 0 };

  if (!check_query (req, known, NULL, error))
    return FALSE;
  if (since_s != NULL && !parse_count ("since", since_s, 0, G_MAXINT64, &since, error))
    return FALSE;
  if (limit_s != NULL && !parse_count ("limit", limit_s, 1, MAX_CHANGES_LIMIT, &limit, error))
    return FALSE;

  w.out = g_string_sized_new (limit * 1024);
  g_string_append (w.out, "{\"changes\":[");
  if (!wg_db_read_changes (req->server->db, since, (guint) limit, req->scope_village,
                           req->role == WG_ROLE_ADMIN, feed_change_cb, &w, &next, &more, error))
    {
      g_string_free (w.out, TRUE);
      return FALSE;
    }
  soup_message_headers_remove (soup_server_message_get_response_headers (req->msg), "ETag");
  g_string_append_printf (w.out, "],\"next\":%" G_GINT64_FORMAT ",\"has_more\":%s}", next, more ? "true" : "false");
  _wg_request_respond_json (req, 200, g_string_free (w.out, FALSE));
  return TRUE;
}
