/* wg-schema.c — the resource kinds of the API and the validation of their fields
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One table describes every kind the generic routes serve (what fields, which are
 * required, what type, who may write). Validation is strict: an unknown member is an error,
 * not something silently dropped, because a client that misspells "grid_id" would
 * otherwise believe it set the grid. docs/api/openapi.yaml describes the same fields; keep
 * the two in step.
 */
#define G_LOG_DOMAIN "WgSchema"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wg-api-error.h"
#include "wg-geometry.h"
#include "wg-json.h"
#include "wg-schema.h"

#define END { NULL, 0, 0, NULL, NULL, NULL, 0, 0 }
#define REQ WG_FIELD_REQUIRED

static const char * const org_unit_kinds[] = {
  "township", "village", "community", "group",
  "party_committee", "party_general_branch", "party_branch", NULL
};
static const char * const institution_kinds[] = {
  "government", "school", "hospital", "market", "enterprise", "other", NULL
};
static const char * const person_kinds[] = {
  "cadre", "grid_worker", "grid_leader", "grid_instructor", "party_member", "team_member", NULL
};
static const char * const worker_types[] = { "full_time", "part_time", "resident", NULL };
static const char * const team_kinds[] = { "service_team", "department", NULL };
/* The ten lines of work of "one network" (多网合一), which are also the departments. */
static const char * const work_lines[] = {
  "rural_revitalization", "agriculture", "public_security", "petitions", "urban_management",
  "environment", "health", "construction", "land", "safety", NULL
};
static const char * const assignment_kinds[] = { "village", "group", "grid", "households", NULL };
static const char * const assignment_duties[] = {
  "publicity_education", "service_management", "joint_prevention", NULL
};
static const char * const urgencies[] = { "low", "normal", "high", "urgent", NULL };
static const char * const deadline_units[] = { "hours", "days", NULL };
static const char * const assignee_kinds[] = { "team", "department", "village", "grid", "person", NULL };
static const char * const day_kinds[] = { "holiday", "workday", NULL };
static const char * const roles[] = { "admin", "dispatcher", "leader", "field_worker", "team_member", NULL };
static const char * const sources[] = { "grid_patrol", "citizen", "hotline_12345", "staff_on_behalf", NULL };

static const WgFieldSpec org_unit_fields[] = {
  { "name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 200 },
  { "kind", WG_FIELD_ENUM, REQ, NULL, org_unit_kinds, NULL, 0, 0 },
  { "parent_id", WG_FIELD_UUID, 0, "org_units", NULL, NULL, 0, 0 },
  { "code", WG_FIELD_STRING, 0, NULL, NULL, NULL, 0, 32 },
  /* for a party organisation: the administrative unit it runs alongside */
  { "admin_unit_id", WG_FIELD_UUID, 0, "org_units", NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec institution_fields[] = {
  { "name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 200 },
  { "kind", WG_FIELD_ENUM, 0, NULL, institution_kinds, NULL, 0, 0 },
  END
};

static const WgFieldSpec grid_fields[] = {
  { "code", WG_FIELD_DIGITS, REQ, NULL, NULL, NULL, 15, 15 },
  { "name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 200 },
  { "village_id", WG_FIELD_UUID, REQ, "org_units", NULL, NULL, 0, 0 },
  { "group_ids", WG_FIELD_UUID_ARRAY, 0, "org_units", NULL, NULL, 0, 0 },
  { "boundary", WG_FIELD_POLYGON, 0, NULL, NULL, NULL, 0, 0 },
  { "household_count", WG_FIELD_INT, 0, NULL, NULL, NULL, 0, 100000 },
  { "population", WG_FIELD_INT, 0, NULL, NULL, NULL, 0, 1000000 },
  { "institutions", WG_FIELD_OBJECT_ARRAY, 0, NULL, NULL, institution_fields, 0, 0 },
  { "grid_leader_id", WG_FIELD_UUID, 0, "people", NULL, NULL, 0, 0 },
  { "grid_instructor_id", WG_FIELD_UUID, 0, "people", NULL, NULL, 0, 0 },
  { "grid_worker_ids", WG_FIELD_UUID_ARRAY, 0, "people", NULL, NULL, 0, 0 },
  { "party_branch_id", WG_FIELD_UUID, 0, "org_units", NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec member_fields[] = {
  { "name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 100 },
  { "relation", WG_FIELD_STRING, 0, NULL, NULL, NULL, 0, 50 },
  { "phone", WG_FIELD_PHONE, 0, NULL, NULL, NULL, 0, 0 },
  { "birth_year", WG_FIELD_INT, 0, NULL, NULL, NULL, 1880, 2200 },
  END
};

static const WgFieldSpec household_fields[] = {
  { "address", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 300 },
  { "grid_id", WG_FIELD_UUID, REQ, "grids", NULL, NULL, 0, 0 },
  { "head_name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 100 },
  { "phone", WG_FIELD_PHONE, 0, NULL, NULL, NULL, 0, 0 },
  { "members", WG_FIELD_OBJECT_ARRAY, 0, NULL, NULL, member_fields, 0, 0 },
  /* in_difficulty, party_central, elderly_living_alone, …: open-ended on purpose, each
   * township tracks its own key groups */
  { "tags", WG_FIELD_STRING_ARRAY, 0, NULL, NULL, NULL, 1, 64 },
  { "covering_person_id", WG_FIELD_UUID, 0, "people", NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec person_fields[] = {
  { "name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 100 },
  { "kinds", WG_FIELD_ENUM_ARRAY, 0, NULL, person_kinds, NULL, 0, 0 },
  { "rank", WG_FIELD_STRING, 0, NULL, NULL, NULL, 0, 100 },
  { "worker_type", WG_FIELD_ENUM, 0, NULL, worker_types, NULL, 0, 0 },
  { "phone", WG_FIELD_PHONE, 0, NULL, NULL, NULL, 0, 0 },
  { "org_unit_id", WG_FIELD_UUID, 0, "org_units", NULL, NULL, 0, 0 },
  { "team_ids", WG_FIELD_UUID_ARRAY, 0, "teams", NULL, NULL, 0, 0 },
  { "active", WG_FIELD_BOOL, 0, NULL, NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec team_fields[] = {
  { "name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 200 },
  { "kind", WG_FIELD_ENUM, REQ, NULL, team_kinds, NULL, 0, 0 },
  { "work_line", WG_FIELD_ENUM, 0, NULL, work_lines, NULL, 0, 0 },
  { "duty_phone", WG_FIELD_PHONE, 0, NULL, NULL, NULL, 0, 0 },
  { "leader_id", WG_FIELD_UUID, 0, "people", NULL, NULL, 0, 0 },
  { "member_ids", WG_FIELD_UUID_ARRAY, 0, "people", NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec assignment_fields[] = {
  { "person_id", WG_FIELD_UUID, REQ, "people", NULL, NULL, 0, 0 },
  { "kind", WG_FIELD_ENUM, REQ, NULL, assignment_kinds, NULL, 0, 0 },
  /* the village or group (org unit) or grid covered; which kind depends on "kind" and is
   * checked by the server */
  { "target_id", WG_FIELD_UUID, 0, NULL, NULL, NULL, 0, 0 },
  { "household_ids", WG_FIELD_UUID_ARRAY, 0, "households", NULL, NULL, 0, 0 },
  { "duties", WG_FIELD_ENUM_ARRAY, 0, NULL, assignment_duties, NULL, 0, 0 },
  { "valid_from", WG_FIELD_DATE, 0, NULL, NULL, NULL, 0, 0 },
  { "valid_to", WG_FIELD_DATE, 0, NULL, NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec target_fields[] = {
  { "kind", WG_FIELD_ENUM, REQ, NULL, assignee_kinds, NULL, 0, 0 },
  { "id", WG_FIELD_UUID, REQ, NULL, NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec category_fields[] = {
  { "name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 200 },
  { "parent_id", WG_FIELD_UUID, 0, "categories", NULL, NULL, 0, 0 },
  { "code", WG_FIELD_STRING, 0, NULL, NULL, NULL, 0, 32 },
  { "default_urgency", WG_FIELD_ENUM, 0, NULL, urgencies, NULL, 0, 0 },
  { "deadline_value", WG_FIELD_INT, 0, NULL, NULL, NULL, 1, 10000 },
  { "deadline_unit", WG_FIELD_ENUM, 0, NULL, deadline_units, NULL, 0, 0 },
  { "default_target", WG_FIELD_OBJECT, 0, NULL, NULL, target_fields, 0, 0 },
  { "active", WG_FIELD_BOOL, 0, NULL, NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec holiday_fields[] = {
  { "date", WG_FIELD_DATE, REQ, NULL, NULL, NULL, 0, 0 },
  { "kind", WG_FIELD_ENUM, REQ, NULL, day_kinds, NULL, 0, 0 },
  { "name", WG_FIELD_STRING, 0, NULL, NULL, NULL, 0, 100 },
  END
};

static const WgFieldSpec account_fields[] = {
  { "username", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 3, 64 },
  { "display_name", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 100 },
  { "role", WG_FIELD_ENUM, REQ, NULL, roles, NULL, 0, 0 },
  /* null: the whole township */
  { "scope_village_id", WG_FIELD_UUID, 0, "org_units", NULL, NULL, 0, 0 },
  { "person_id", WG_FIELD_UUID, 0, "people", NULL, NULL, 0, 0 },
  { "active", WG_FIELD_BOOL, 0, NULL, NULL, NULL, 0, 0 },
  { "password", WG_FIELD_PASSWORD, REQ, NULL, NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec reporter_fields[] = {
  { "name", WG_FIELD_STRING, 0, NULL, NULL, NULL, 0, 100 },
  { "phone", WG_FIELD_PHONE, 0, NULL, NULL, NULL, 0, 0 },
  END
};

/* What a report (and a self-handled report) may carry; the rest of a case is the server's. */
const WgFieldSpec wg_case_report_fields[] = {
  { "category_id", WG_FIELD_UUID, 0, "categories", NULL, NULL, 0, 0 },
  { "urgency", WG_FIELD_ENUM, 0, NULL, urgencies, NULL, 0, 0 },
  { "source", WG_FIELD_ENUM, REQ, NULL, sources, NULL, 0, 0 },
  { "title", WG_FIELD_STRING, REQ, NULL, NULL, NULL, 1, 200 },
  { "description", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  { "location", WG_FIELD_POINT, 0, NULL, NULL, NULL, 0, 0 },
  { "grid_id", WG_FIELD_UUID, 0, "grids", NULL, NULL, 0, 0 },
  { "village_id", WG_FIELD_UUID, 0, "org_units", NULL, NULL, 0, 0 },
  { "address", WG_FIELD_STRING, 0, NULL, NULL, NULL, 0, 300 },
  { "reporter", WG_FIELD_OBJECT, 0, NULL, NULL, reporter_fields, 0, 0 },
  { "result", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  { "note", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  END
};

static const WgFieldSpec no_fields[] = { END };

#define ROLES_ALL WG_ROLE_ALL

static const WgKind kinds[] = {
  { "org_units", "org-units", N_("org unit"), org_unit_fields, NULL, WG_ROLE_ADMIN, ROLES_ALL },
  { "grids", "grids", N_("grid"), grid_fields, "code", WG_ROLE_ADMIN, ROLES_ALL },
  { "households", "households", N_("household"), household_fields, NULL,
    WG_ROLE_ADMIN | WG_ROLE_FIELD_WORKER, ROLES_ALL },
  { "people", "people", N_("person"), person_fields, NULL, WG_ROLE_ADMIN, ROLES_ALL },
  { "teams", "teams", N_("team"), team_fields, NULL, WG_ROLE_ADMIN, ROLES_ALL },
  { "assignments", "assignments", N_("assignment"), assignment_fields, NULL, WG_ROLE_ADMIN, ROLES_ALL },
  { "categories", "categories", N_("category"), category_fields, NULL, WG_ROLE_ADMIN, ROLES_ALL },
  { "holidays", "holidays", N_("holiday"), holiday_fields, "date", WG_ROLE_ADMIN, ROLES_ALL },
  { "accounts", "accounts", N_("account"), account_fields, "username", WG_ROLE_ADMIN, WG_ROLE_ADMIN },
};

/* Cases are not served by the generic routes (they change only through actions), but they
 * are a kind of the change feed and of references. */
static const WgKind case_kind = {
  "cases", "cases", N_("case"), no_fields, "number", WG_ROLE_NONE, ROLES_ALL
};

const WgKind *
wg_schema_get_kinds (guint *n_kinds)
{
  g_return_val_if_fail (n_kinds != NULL, NULL);

  *n_kinds = G_N_ELEMENTS (kinds);
  return kinds;
}

const WgKind *
wg_schema_find_kind (const char *name)
{
  if (g_strcmp0 (name, case_kind.name) == 0)
    return &case_kind;
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].name, name) == 0)
      return &kinds[i];
  return NULL;
}

const WgKind *
wg_schema_find_kind_by_path (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_strcmp0 (kinds[i].path, path) == 0)
      return &kinds[i];
  return NULL;
}

const WgKind *
wg_schema_case_kind (void)
{
  return &case_kind;
}

const WgFieldSpec *
wg_schema_find_field (const WgFieldSpec *fields,
                      const char        *name)
{
  for (const WgFieldSpec *f = fields; f->name != NULL; f++)
    if (strcmp (f->name, name) == 0)
      return f;
  return NULL;
}

/* Lower-case canonical UUIDs only: ids are compared as text everywhere, so "ABC…" and
 * "abc…" must not both be accepted as different spellings of one record. */
gboolean
wg_uuid_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 36 || !g_uuid_string_is_valid (text))
    return FALSE;
  for (const char *p = text; *p; p++)
    if (g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static gboolean
in_values (const char * const *values,
           const char         *text)
{
  return text != NULL && g_strv_contains ((const char * const *) values, text);
}

static char *
join_values (const char * const *values)
{
  return g_strjoinv (", ", (char **) values);
}

static char *
field_names (const WgFieldSpec *fields)
{
  GString *s = g_string_new (NULL);

  for (const WgFieldSpec *f = fields; f->name != NULL; f++)
    g_string_append_printf (s, "%s%s", s->len ? ", " : "", f->name);
  return g_string_free (s, FALSE);
}

static gboolean
invalid (GError     **error,
         const char  *prefix,
         const char  *name,
         const char  *what)
{
  g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
               /* Translators: %s%s is the field's name (with its parent), %s what it must be */
               _("“%s%s” must be %s."), prefix, name, what);
  return FALSE;
}

static gboolean
check_string (JsonNode    *node,
              gint64       min,
              gint64       max,
              const char  *prefix,
              const char  *name,
              GError     **error)
{
  const char *s;
  glong len;

  if (!wg_json_is_string (node))
    return invalid (error, prefix, name, _("a string"));
  s = json_node_get_string (node);
  len = g_utf8_strlen (s, -1);
  if (len < min || len > max)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                   _("“%s%s” must have between %d and %d characters; it has %ld."),
                   prefix, name, (int) min, (int) max, len);
      return FALSE;
    }
  for (const char *p = s; *p; p++)
    if ((guchar) *p < 0x20 && *p != '\n' && *p != '\t' && *p != '\r')
      return invalid (error, prefix, name, _("text without control characters"));
  return TRUE;
}

static gboolean validate_object (const WgFieldSpec  *fields,
                                 JsonObject         *input,
                                 gboolean            partial,
                                 const char * const *ignored,
                                 const char         *prefix,
                                 WgRefCheckFunc      ref_check,
                                 gpointer            user_data,
                                 GError            **error);

static gboolean
check_uuid (JsonNode       *node,
            const char     *ref,
            const char     *prefix,
            const char     *name,
            WgRefCheckFunc  ref_check,
            gpointer        user_data,
            GError        **error)
{
  const char *id;

  if (!wg_json_is_string (node) || !wg_uuid_is_valid (json_node_get_string (node)))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_ID,
                   _("“%s%s” must be an id in lower-case UUID form (8-4-4-4-12 hex digits)."),
                   prefix, name);
      return FALSE;
    }
  id = json_node_get_string (node);
  if (ref != NULL && ref_check != NULL && !ref_check (ref, id, user_data))
    {
      const WgKind *k = wg_schema_find_kind (ref);

      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                   _("“%s%s” names %s, but there is no %s with that id."),
                   prefix, name, id, k ? _(k->singular) : ref);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_field (const WgFieldSpec *f,
             JsonNode          *node,
             const char        *prefix,
             WgRefCheckFunc     ref_check,
             gpointer           user_data,
             GError           **error)
{
  g_autoptr(GError) local = NULL;

  switch (f->type)
    {
    case WG_FIELD_STRING:
      return check_string (node, f->min, f->max ? f->max : 200, prefix, f->name, error);

    case WG_FIELD_TEXT:
      return check_string (node, f->min, f->max ? f->max : 10000, prefix, f->name, error);

    case WG_FIELD_PASSWORD:
      return check_string (node, 0, 1024, prefix, f->name, error);

    case WG_FIELD_PHONE:
      {
        const char *s;

        if (!check_string (node, 3, 32, prefix, f->name, error))
          return FALSE;
        /* digits with the usual separators: 0874-1234567, +86 138 1234 5678 */
        for (s = json_node_get_string (node); *s; s++)
          if (!g_ascii_isdigit (*s) && !strchr ("+- ()", *s))
            return invalid (error, prefix, f->name, _("a phone number (digits, spaces, +, - and brackets)"));
        return TRUE;
      }

    case WG_FIELD_DIGITS:
      {
        const char *s;

        if (!wg_json_is_string (node) || strlen (json_node_get_string (node)) != (gsize) f->max)
          {
            g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                         _("“%s%s” must be a string of exactly %d digits."), prefix, f->name, (int) f->max);
            return FALSE;
          }
        for (s = json_node_get_string (node); *s; s++)
          if (!g_ascii_isdigit (*s))
            {
              g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                           _("“%s%s” must be a string of exactly %d digits."), prefix, f->name, (int) f->max);
              return FALSE;
            }
        return TRUE;
      }

    case WG_FIELD_INT:
      if (!wg_json_is_integer (node) || json_node_get_int (node) < f->min || json_node_get_int (node) > f->max)
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                       _("“%s%s” must be a whole number from %lld to %lld."),
                       prefix, f->name, (long long) f->min, (long long) f->max);
          return FALSE;
        }
      return TRUE;

    case WG_FIELD_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return invalid (error, prefix, f->name, _("true or false"));
      return TRUE;

    case WG_FIELD_UUID:
      return check_uuid (node, f->ref, prefix, f->name, ref_check, user_data, error);

    case WG_FIELD_UUID_ARRAY:
    case WG_FIELD_STRING_ARRAY:
    case WG_FIELD_ENUM_ARRAY:
    case WG_FIELD_OBJECT_ARRAY:
      {
        JsonArray *array;

        if (!JSON_NODE_HOLDS_ARRAY (node))
          return invalid (error, prefix, f->name, _("an array"));
        array = json_node_get_array (node);
        if (json_array_get_length (array) > 10000)
          return invalid (error, prefix, f->name, _("an array of at most 10000 items"));
        for (guint i = 0; i < json_array_get_length (array); i++)
          {
            JsonNode *item = json_array_get_element (array, i);
            g_autofree char *item_prefix = g_strdup_printf ("%s%s[%u]", prefix, f->name, i);

            if (f->type == WG_FIELD_UUID_ARRAY)
              {
                if (!check_uuid (item, f->ref, item_prefix, "", ref_check, user_data, error))
                  return FALSE;
              }
            else if (f->type == WG_FIELD_STRING_ARRAY)
              {
                if (!check_string (item, f->min, f->max ? f->max : 200, item_prefix, "", error))
                  return FALSE;
              }
            else if (f->type == WG_FIELD_ENUM_ARRAY)
              {
                if (!wg_json_is_string (item) || !in_values (f->values, json_node_get_string (item)))
                  {
                    g_autofree char *allowed = join_values (f->values);
                    g_autofree char *what = g_strdup_printf (_("one of: %s"), allowed);

                    return invalid (error, item_prefix, "", what);
                  }
              }
            else
              {
                g_autofree char *sub_prefix = g_strdup_printf ("%s.", item_prefix);

                if (!JSON_NODE_HOLDS_OBJECT (item))
                  return invalid (error, item_prefix, "", _("an object"));
                if (!validate_object (f->fields, json_node_get_object (item), FALSE, NULL,
                                      sub_prefix, ref_check, user_data, error))
                  return FALSE;
              }
          }
        return TRUE;
      }

    case WG_FIELD_ENUM:
      if (!wg_json_is_string (node) || !in_values (f->values, json_node_get_string (node)))
        {
          g_autofree char *allowed = join_values (f->values);
          g_autofree char *what = g_strdup_printf (_("one of: %s"), allowed);

          return invalid (error, prefix, f->name, what);
        }
      return TRUE;

    case WG_FIELD_DATE:
      if (!wg_json_is_string (node) || !wg_iso_date_is_valid (json_node_get_string (node)))
        return invalid (error, prefix, f->name, _("a date written YYYY-MM-DD"));
      return TRUE;

    case WG_FIELD_DATETIME:
      {
        g_autoptr(GDateTime) t = NULL;

        if (wg_json_is_string (node))
          t = wg_rfc3339_parse (json_node_get_string (node));
        if (t == NULL)
          return invalid (error, prefix, f->name, _("a time in RFC 3339 form with a zone, e.g. 2026-10-08T10:00:00+08:00"));
        return TRUE;
      }

    case WG_FIELD_POLYGON:
      {
        g_autoptr(WgPolygon) poly = wg_polygon_new_from_json (node, &local);

        if (poly == NULL)
          {
            g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, "“%s%s”: %s",
                         prefix, f->name, local->message);
            return FALSE;
          }
        return TRUE;
      }

    case WG_FIELD_POINT:
      {
        double lon, lat;

        if (!wg_point_from_json (node, &lon, &lat, &local))
          {
            g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, "“%s%s”: %s",
                         prefix, f->name, local->message);
            return FALSE;
          }
        return TRUE;
      }

    case WG_FIELD_OBJECT:
      {
        g_autofree char *sub_prefix = g_strdup_printf ("%s%s.", prefix, f->name);

        if (!JSON_NODE_HOLDS_OBJECT (node))
          return invalid (error, prefix, f->name, _("an object"));
        return validate_object (f->fields, json_node_get_object (node), FALSE, NULL, sub_prefix,
                                ref_check, user_data, error);
      }

    default:
      g_assert_not_reached ();
    }
}

static gboolean
validate_object (const WgFieldSpec  *fields,
                 JsonObject         *input,
                 gboolean            partial,
                 const char * const *ignored,
                 const char         *prefix,
                 WgRefCheckFunc      ref_check,
                 gpointer            user_data,
                 GError            **error)
{
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_iter_init (&iter, input);
  while (json_object_iter_next (&iter, &name, &node))
    {
      const WgFieldSpec *f = wg_schema_find_field (fields, name);

      if (f == NULL)
        {
          g_autofree char *allowed = NULL;

          if (ignored != NULL && g_strv_contains ((const char * const *) ignored, name))
            continue;
          allowed = field_names (fields);
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_UNKNOWN_FIELD,
                       _("Unknown field “%s%s”. The fields are: %s."), prefix, name, allowed);
          return FALSE;
        }
      if (JSON_NODE_HOLDS_NULL (node))
        {
          if (f->flags & WG_FIELD_REQUIRED)
            {
              g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                           _("“%s%s” is required and cannot be null."), prefix, name);
              return FALSE;
            }
          continue;
        }
      if (!check_field (f, node, prefix, ref_check, user_data, error))
        return FALSE;
    }

  if (!partial)
    {
      for (const WgFieldSpec *f = fields; f->name != NULL; f++)
        {
          if ((f->flags & WG_FIELD_REQUIRED) && !json_object_has_member (input, f->name))
            {
              g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                           _("“%s%s” is required."), prefix, f->name);
              return FALSE;
            }
        }
    }
  return TRUE;
}

/* Checks `input` against `fields`. `partial` (PATCH) skips the required check for absent
 * members; members named in `ignored` are accepted without checks (the server's own
 * fields a client may echo back). */
gboolean
wg_schema_validate (const WgFieldSpec  *fields,
                    JsonObject         *input,
                    gboolean            partial,
                    const char * const *ignored,
                    WgRefCheckFunc      ref_check,
                    gpointer            user_data,
                    GError            **error)
{
  g_return_val_if_fail (fields != NULL, FALSE);
  g_return_val_if_fail (input != NULL, FALSE);

  return validate_object (fields, input, partial, ignored, "", ref_check, user_data, error);
}
