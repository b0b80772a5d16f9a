/* wg-server-cases.c — cases: reports, the actions of the state machine, attachments
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A case changes only through actions (POST /cases/{id}/actions/{action}); there is no
 * PATCH, so every change passes the state machine of src/common and leaves a timeline
 * entry. The order of the checks is part of the contract: unknown action 404, unknown or
 * invisible case 404, stale version 412, action impossible in this state 409 (whoever
 * asks), role not allowed 403, bad body 400.
 */
#define G_LOG_DOMAIN "WgServer"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "wg-api-error.h"
#include "wg-case-machine.h"
#include "wg-geometry.h"
#include "wg-json.h"
#include "wg-labels.h"
#include "wg-server-private.h"

#define END { NULL, 0, 0, NULL, NULL, NULL, 0, 0 }
#define REQ WG_FIELD_REQUIRED

/* Filing and dispatch are due within one working hour of the report (Fuzhou practice). */
#define DISPATCH_DUE_MINUTES 60

static const char * const assignee_kinds[] = { "team", "department", "village", "grid", "person", NULL };

static const WgFieldSpec assignee_fields[] = {
  { "kind", WG_FIELD_ENUM, REQ, NULL, assignee_kinds, NULL, 0, 0 },
  { "id", WG_FIELD_UUID, REQ, NULL, NULL, NULL, 0, 0 },
  END
};

static const WgFieldSpec note_fields[] = {
  { "note", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  END
};
static const WgFieldSpec reason_fields[] = {
  { "reason", WG_FIELD_TEXT, REQ, NULL, NULL, NULL, 1, 10000 },
  { "note", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  END
};
static const WgFieldSpec merge_fields[] = {
  { "into", WG_FIELD_UUID, REQ, "cases", NULL, NULL, 0, 0 },
  { "note", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  END
};
static const WgFieldSpec dispatch_fields[] = {
  { "assignee", WG_FIELD_OBJECT, REQ, NULL, NULL, assignee_fields, 0, 0 },
  { "deadline", WG_FIELD_DATETIME, 0, NULL, NULL, NULL, 0, 0 },
  { "note", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  END
};
static const WgFieldSpec resolve_fields[] = {
  { "result", WG_FIELD_TEXT, REQ, NULL, NULL, NULL, 1, 10000 },
  { "photos", WG_FIELD_UUID_ARRAY, 0, NULL, NULL, NULL, 0, 0 },
  { "note", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  END
};
static const WgFieldSpec supervise_fields[] = {
  { "note", WG_FIELD_TEXT, REQ, NULL, NULL, NULL, 1, 10000 },
  { "deadline", WG_FIELD_DATETIME, 0, NULL, NULL, NULL, 0, 0 },
  END
};
static const WgFieldSpec extend_fields[] = {
  { "reason", WG_FIELD_TEXT, REQ, NULL, NULL, NULL, 1, 10000 },
  { "working_hours", WG_FIELD_INT, 0, NULL, NULL, NULL, 1, 2000 },
  { "working_days", WG_FIELD_INT, 0, NULL, NULL, NULL, 1, 250 },
  { "approve", WG_FIELD_BOOL, 0, NULL, NULL, NULL, 0, 0 },
  END
};
static const WgFieldSpec comment_fields[] = {
  { "note", WG_FIELD_TEXT, REQ, NULL, NULL, NULL, 1, 10000 },
  END
};
static const WgFieldSpec rate_fields[] = {
  { "satisfaction", WG_FIELD_INT, REQ, NULL, NULL, NULL, 1, 5 },
  { "note", WG_FIELD_TEXT, 0, NULL, NULL, NULL, 0, 10000 },
  END
};

static const char * const report_ignored[] = { "id", NULL };

static const WgFieldSpec *
action_fields (WgCaseAction action)
{
  switch (action)
    {
    case WG_CASE_ACTION_REPORT:
    case WG_CASE_ACTION_SELF_HANDLE:
      return wg_case_report_fields;
    case WG_CASE_ACTION_REJECT:
    case WG_CASE_ACTION_RETURN:
    case WG_CASE_ACTION_REOPEN:
    case WG_CASE_ACTION_ESCALATE:
      return reason_fields;
    case WG_CASE_ACTION_MERGE:
      return merge_fields;
    case WG_CASE_ACTION_DISPATCH:
      return dispatch_fields;
    case WG_CASE_ACTION_RESOLVE:
      return resolve_fields;
    case WG_CASE_ACTION_SUPERVISE:
      return supervise_fields;
    case WG_CASE_ACTION_EXTEND:
      return extend_fields;
    case WG_CASE_ACTION_COMMENT:
      return comment_fields;
    case WG_CASE_ACTION_RATE:
      return rate_fields;
    case WG_CASE_ACTION_ACCEPT:
    case WG_CASE_ACTION_CLAIM:
    case WG_CASE_ACTION_START:
    case WG_CASE_ACTION_VERIFY:
    case WG_CASE_ACTION_CLOSE:
    case WG_N_CASE_ACTIONS:
    default:
      return note_fields;
    }
}

/* Actions without required fields may come with no body at all. */
static gboolean
parse_action_body (WgRequest   *req,
                   JsonNode   **out_root,
                   GError     **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);

  if (body->length == 0)
    {
      g_autoptr(JsonObject) empty = json_object_new ();

      *out_root = json_node_init_object (json_node_alloc (), empty);
      return TRUE;
    }
  return _wg_request_parse_body (req, out_root, error);
}

static const char *
actor_name (WgRequest *req)
{
  const char *name = wg_json_get_string (req->account_obj, "display_name");

  return name ? name : wg_json_get_string (req->account_obj, "username");
}

static void
append_timeline (WgRequest   *req,
                 JsonObject  *case_obj,
                 const char  *action,
                 const char  *from,
                 const char  *to,
                 const char  *note,
                 JsonObject  *data)
{
  JsonNode *timeline = json_object_get_member (case_obj, "timeline");
  JsonObject *entry = json_object_new ();
  JsonArray *array;

  if (timeline == NULL || !JSON_NODE_HOLDS_ARRAY (timeline))
    {
      json_object_set_array_member (case_obj, "timeline", json_array_new ());
      timeline = json_object_get_member (case_obj, "timeline");
    }
  array = json_node_get_array (timeline);
  json_object_set_int_member (entry, "n", json_array_get_length (array) + 1);
  json_object_set_string_member (entry, "at", req->now);
  json_object_set_string_member (entry, "actor_id", req->account_id);
  json_object_set_string_member (entry, "actor_name", actor_name (req));
  json_object_set_string_member (entry, "action", action);
  json_object_set_string_member (entry, "from", from);
  json_object_set_string_member (entry, "to", to);
  if (note != NULL)
    json_object_set_string_member (entry, "note", note);
  else
    json_object_set_null_member (entry, "note");
  if (data != NULL && json_object_get_size (data) > 0)
    json_object_set_object_member (entry, "data", json_object_ref (data));
  json_array_add_object_element (array, entry);
}

static char *
add_working_minutes (WgRequest  *req,
                     GDateTime  *start,
                     gint64      minutes,
                     GError    **error)
{
  WgWorkingCalendar *cal = _wg_server_get_calendar (req->server, error);
  g_autoptr(GDateTime) end = NULL;

  if (cal == NULL)
    return NULL;
  end = wg_working_calendar_add_minutes (cal, start, minutes);
  return wg_rfc3339_format (end);
}

/* The handling time a case gets when dispatched: see wg_handling_minutes (). */
static gint64
deadline_minutes (WgRequest  *req,
                  JsonObject *case_obj)
{
  const char *category_id = wg_json_get_string (case_obj, "category_id");
  g_autoptr(WgRecord) category = category_id != NULL ? wg_db_get_record (req->server->db, category_id, NULL) : NULL;
  g_autoptr(JsonObject) cat = NULL;
  gint64 value = 0;

  if (category != NULL && !category->deleted)
    {
      cat = _wg_record_parse_body (category);
      if (!wg_json_get_int (cat, "deadline_value", &value))
        value = 0;
    }
  return wg_handling_minutes (wg_json_get_string (case_obj, "urgency"), value,
                              cat != NULL ? wg_json_get_string (cat, "deadline_unit") : NULL);
}

static gboolean
check_assignee (WgRequest   *req,
                JsonObject  *assignee,
                GError     **error)
{
  const char *kind = wg_json_get_string (assignee, "kind");
  const char *id = wg_json_get_string (assignee, "id");
  const char *want = "people";
  g_autoptr(WgRecord) target = NULL;

  if (g_strcmp0 (kind, "team") == 0 || g_strcmp0 (kind, "department") == 0)
    want = "teams";
  else if (g_strcmp0 (kind, "village") == 0)
    want = "org_units";
  else if (g_strcmp0 (kind, "grid") == 0)
    want = "grids";
  target = wg_db_get_record (req->server->db, id, error);
  if (target == NULL || target->deleted || strcmp (target->kind, want) != 0)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                     _("“assignee.id” must name a %s record for an assignee of kind “%s”."), want, kind);
      return FALSE;
    }
  return TRUE;
}

/* --- reports --------------------------------------------------------------------------- */

static gboolean
create_case (WgRequest     *req,
             const char    *id,
             WgCaseAction   action,
             JsonObject    *body,
             GError       **error)
{
  const WgCaseTransition *t = wg_case_machine_lookup (WG_CASE_STATE_NEW, action);
  g_autoptr(WgRecord) record = NULL;
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *village = NULL;
  g_autofree char *grid_id = NULL;
  g_autofree char *number = NULL;
  g_autofree char *counter = NULL;
  g_autofree char *dispatch_due = NULL;
  g_autofree char *location = NULL;
  const char *urgency = wg_json_get_string (body, "urgency");
  const char *category_id = wg_json_get_string (body, "category_id");
  const char *note;
  gint64 seq;
  JsonNode *node;

  if (t == NULL || (t->roles & req->role) == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_FORBIDDEN,
                   _("Your role (%s) may not “%s” a case."), wg_label_role (wg_role_to_string (req->role)),
                   wg_label_case_action (wg_case_action_to_string (action)));
      return FALSE;
    }
  if (!wg_schema_validate (wg_case_report_fields, body, FALSE, report_ignored, _wg_ref_exists_cb, req, error))
    return FALSE;
  if (action == WG_CASE_ACTION_SELF_HANDLE && wg_json_get_string (body, "result") == NULL)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                   _("A self-handled report (自行处置) needs “result”: what was done."));
      return FALSE;
    }

  /* The grid: given, or found from the point; the village follows from the grid. */
  grid_id = g_strdup (wg_json_get_string (body, "grid_id"));
  if (grid_id == NULL && (node = json_object_get_member (body, "location")) != NULL && !JSON_NODE_HOLDS_NULL (node))
    {
      double lon, lat;
      const char *found;

      if (wg_point_from_json (node, &lon, &lat, NULL))
        {
          found = _wg_server_locate_grid (req->server, lon, lat, error);
          if (found == NULL && error != NULL && *error != NULL)
            return FALSE;
          grid_id = g_strdup (found);
        }
    }
  if (grid_id != NULL)
    {
      g_autoptr(WgRecord) grid = wg_db_get_record (req->server->db, grid_id, error);

      if (grid == NULL)
        return FALSE;
      village = g_strdup (grid->village_id);
    }
  else if (wg_json_get_string (body, "village_id") != NULL)
    village = g_strdup (wg_json_get_string (body, "village_id"));
  if (req->scope_village != NULL)
    {
      if (village == NULL)
        village = g_strdup (req->scope_village);
      else if (strcmp (village, req->scope_village) != 0)
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_OUT_OF_SCOPE,
                       _("The case lies in another village than the one your account covers; the command center can file it."));
          return FALSE;
        }
    }

  if (urgency == NULL && category_id != NULL)
    {
      g_autoptr(WgRecord) category = wg_db_get_record (req->server->db, category_id, NULL);

      if (category != NULL)
        {
          g_autoptr(JsonObject) cat = _wg_record_parse_body (category);

          urgency = NULL;
          if (wg_json_get_string (cat, "default_urgency") != NULL)
            json_object_set_string_member (body, "urgency", wg_json_get_string (cat, "default_urgency"));
        }
    }
  if (wg_json_get_string (body, "urgency") == NULL)
    json_object_set_string_member (body, "urgency", "normal");

  /* Numbers count per year in Beijing time: 2026-000123. */
  local = g_date_time_to_timezone (now, wg_working_calendar_get_timezone (_wg_server_get_calendar (req->server, NULL)));
  counter = g_strdup_printf ("case-number-%d", g_date_time_get_year (local));
  seq = wg_db_next_counter (req->server->db, counter, error);
  if (seq < 0)
    return FALSE;
  number = g_strdup_printf ("%d-%06" G_GINT64_FORMAT, g_date_time_get_year (local), seq);

  json_object_set_string_member (obj, "number", number);
  json_object_set_string_member (obj, "state", wg_case_state_to_string (t->to));
  {
    JsonObjectIter iter;
    const char *name;

    json_object_iter_init (&iter, body);
    while (json_object_iter_next (&iter, &name, &node))
      if (strcmp (name, "id") != 0 && strcmp (name, "note") != 0 && !JSON_NODE_HOLDS_NULL (node))
        json_object_set_member (obj, name, json_node_copy (node));
  }
  if (grid_id != NULL)
    json_object_set_string_member (obj, "grid_id", grid_id);
  if (village != NULL)
    json_object_set_string_member (obj, "village_id", village);
  json_object_set_boolean_member (obj, "self_handled", action == WG_CASE_ACTION_SELF_HANDLE);
  json_object_set_string_member (obj, "reported_by", req->account_id);
  json_object_set_string_member (obj, "reported_at", req->now);
  dispatch_due = add_working_minutes (req, now, DISPATCH_DUE_MINUTES, error);
  if (dispatch_due == NULL)
    return FALSE;
  json_object_set_string_member (obj, "dispatch_due", dispatch_due);
  json_object_set_null_member (obj, "assignee");
  json_object_set_null_member (obj, "deadline");
  json_object_set_null_member (obj, "satisfaction");
  if (action == WG_CASE_ACTION_SELF_HANDLE)
    json_object_set_string_member (obj, "resolved_at", req->now);
  json_object_set_array_member (obj, "attachments", json_array_new ());
  json_object_set_array_member (obj, "timeline", json_array_new ());
  note = wg_json_get_string (body, "note");
  append_timeline (req, obj, wg_case_action_to_string (action), "new", wg_case_state_to_string (t->to),
                   note ? note : wg_json_get_string (body, "result"), NULL);

  record = wg_record_new ("cases", id);
  record->version = 1;
  record->created_at = g_strdup (req->now);
  record->updated_at = g_strdup (req->now);
  record->village_id = g_steal_pointer (&village);
  record->natural_key = g_strdup (number);
  if (!_wg_store_record (req, record, obj, error))
    return FALSE;

  location = g_strdup_printf ("/api/v1/cases/%s", id);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location", location);
  _wg_request_respond_record (req, 201, record);
  return TRUE;
}

gboolean
_wg_handle_case_create (WgRequest  *req,
                        GError    **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WgRecord) existing = NULL;
  g_autofree char *id = NULL;
  JsonObject *body;
  const char *given;
  WgCaseAction action = WG_CASE_ACTION_REPORT;

  if (!_wg_request_parse_body (req, &root, error))
    return FALSE;
  body = json_node_get_object (root);
  given = wg_json_get_string (body, "id");
  if (json_object_has_member (body, "id") && !wg_uuid_is_valid (given))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_ID,
                   _("“id” must be a lower-case UUID, or left out for the server to choose."));
      return FALSE;
    }
  id = given ? g_strdup (given) : g_uuid_string_random ();
  existing = wg_db_get_record (req->server->db, id, error);
  if (existing != NULL)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT, _("A record with id %s already exists."), id);
      return FALSE;
    }
  if (error != NULL && *error != NULL)
    return FALSE;
  return create_case (req, id, action, body, error);
}

gboolean
_wg_handle_case_get (WgRequest  *req,
                     GError    **error)
{
  g_autoptr(WgRecord) record = _wg_request_get_visible (req, "cases", req->params[0], error);

  if (record == NULL)
    return FALSE;
  _wg_request_respond_record (req, 200, record);
  return TRUE;
}

/* --- actions --------------------------------------------------------------------------- */

static char *
legal_actions_text (WgCaseState state,
                    WgRole      role)
{
  g_autoptr(GString) s = g_string_new (NULL);
  const WgCaseTransition *t;
  guint n;

  t = wg_case_machine_get_table (&n);
  for (guint i = 0; i < n; i++)
    if (t[i].from == state && (t[i].roles & role))
      g_string_append_printf (s, "%s%s", s->len ? C_("list", ", ") : "", wg_label_case_action (wg_case_action_to_string (t[i].action)));
  if (s->len == 0)
    g_string_append (s, _("none"));
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static gboolean
do_merge (WgRequest   *req,
          WgRecord    *record,
          JsonObject  *obj,
          JsonObject  *body,
          GError     **error)
{
  const char *into = wg_json_get_string (body, "into");
  g_autoptr(WgRecord) target = NULL;
  g_autoptr(JsonObject) target_obj = NULL;
  g_autofree char *note = NULL;
  WgCaseState target_state;

  if (strcmp (into, record->id) == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, _("A case cannot be merged into itself."));
      return FALSE;
    }
  target = _wg_request_get_visible (req, "cases", into, error);
  if (target == NULL)
    return FALSE;
  target_obj = _wg_record_parse_body (target);
  if (!wg_case_state_from_string (wg_json_get_string (target_obj, "state"), &target_state) ||
      target_state == WG_CASE_STATE_MERGED || target_state == WG_CASE_STATE_REJECTED ||
      target_state == WG_CASE_STATE_CLOSED)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT,
                   _("Case %s is “%s”; merge into an open case instead."),
                   wg_json_get_string (target_obj, "number"), wg_label_case_state (wg_json_get_string (target_obj, "state")));
      return FALSE;
    }
  json_object_set_string_member (obj, "merged_into", into);

  /* The surviving case records the merge too, so its timeline tells the whole story. */
  note = g_strdup_printf (_("Case %s was merged into this one."), wg_json_get_string (obj, "number"));
  append_timeline (req, target_obj, "comment", wg_case_state_to_string (target_state),
                   wg_case_state_to_string (target_state), note, NULL);
  target->version++;
  g_free (target->updated_at);
  target->updated_at = g_strdup (req->now);
  return _wg_store_record (req, target, target_obj, error);
}

static gboolean
check_photos (JsonObject  *obj,
              JsonObject  *body,
              GError     **error)
{
  JsonNode *photos = json_object_get_member (body, "photos");
  JsonNode *attachments = json_object_get_member (obj, "attachments");
  JsonArray *have = attachments && JSON_NODE_HOLDS_ARRAY (attachments) ? json_node_get_array (attachments) : NULL;

  if (photos == NULL || JSON_NODE_HOLDS_NULL (photos))
    return TRUE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (photos)); i++)
    {
      const char *id = json_array_get_string_element (json_node_get_array (photos), i);
      gboolean found = FALSE;

      for (guint j = 0; have != NULL && j < json_array_get_length (have); j++)
        if (g_strcmp0 (wg_json_get_string (json_array_get_object_element (have, j), "id"), id) == 0)
          found = TRUE;
      if (!found)
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                       _("Photo %s is not an attachment of this case; upload it to the case first."), id);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
do_extend (WgRequest   *req,
           JsonObject  *obj,
           JsonObject  *body,
           GError     **error)
{
  gint64 hours = 0, days = 0, minutes = 0;
  JsonNode *pending = json_object_get_member (obj, "extension_request");
  JsonNode *approve = json_object_get_member (body, "approve");
  gboolean center = (req->role & (WG_ROLE_ADMIN | WG_ROLE_DISPATCHER)) != 0;
  JsonObject *request;

  wg_json_get_int (body, "working_hours", &hours);
  wg_json_get_int (body, "working_days", &days);
  minutes = hours * 60 + days * WG_WORKING_MINUTES_PER_DAY;

  /* A handler asks; the center grants (延期 needs approval). */
  if (!center)
    {
      if (minutes == 0)
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                       _("Say how much more time is needed: “working_hours” or “working_days”."));
          return FALSE;
        }
      request = json_object_new ();
      json_object_set_string_member (request, "status", "pending");
      json_object_set_int_member (request, "working_minutes", minutes);
      json_object_set_string_member (request, "reason", wg_json_get_string (body, "reason"));
      json_object_set_string_member (request, "requested_by", req->account_id);
      json_object_set_string_member (request, "requested_at", req->now);
      json_object_set_object_member (obj, "extension_request", request);
      return TRUE;
    }

  if (minutes == 0 && pending != NULL && JSON_NODE_HOLDS_OBJECT (pending))
    wg_json_get_int (json_node_get_object (pending), "working_minutes", &minutes);
  if (approve != NULL && JSON_NODE_HOLDS_VALUE (approve) && !json_node_get_boolean (approve))
    {
      if (pending == NULL || !JSON_NODE_HOLDS_OBJECT (pending))
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT, _("There is no extension request to refuse."));
          return FALSE;
        }
      json_object_set_string_member (json_node_get_object (pending), "status", "refused");
      return TRUE;
    }
  if (minutes == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
                   _("There is no pending request; give “working_hours” or “working_days” to extend."));
      return FALSE;
    }
  {
    const char *deadline_s = wg_json_get_string (obj, "deadline");
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) base = deadline_s ? wg_rfc3339_parse (deadline_s) : NULL;
    g_autofree char *deadline = NULL;
    gint64 count = 0;

    if (base == NULL || g_date_time_compare (base, now) < 0)
      {
        g_clear_pointer (&base, g_date_time_unref);
        base = g_date_time_ref (now);
      }
    deadline = add_working_minutes (req, base, minutes, error);
    if (deadline == NULL)
      return FALSE;
    json_object_set_string_member (obj, "deadline", deadline);
    wg_json_get_int (obj, "extension_count", &count);
    json_object_set_int_member (obj, "extension_count", count + 1);
    if (pending != NULL && JSON_NODE_HOLDS_OBJECT (pending))
      {
        json_object_set_string_member (json_node_get_object (pending), "status", "approved");
        json_object_set_string_member (json_node_get_object (pending), "decided_by", req->account_id);
      }
  }
  return TRUE;
}

static gboolean
apply_action (WgRequest     *req,
              WgRecord      *record,
              JsonObject    *obj,
              WgCaseAction   action,
              JsonObject    *body,
              GError       **error)
{
  const char *deadline_s = wg_json_get_string (body, "deadline");
  gint64 count = 0;

  switch (action)
    {
    case WG_CASE_ACTION_ACCEPT:
      json_object_set_string_member (obj, "accepted_at", req->now);
      return TRUE;

    case WG_CASE_ACTION_REJECT:
      json_object_set_string_member (obj, "rejected_reason", wg_json_get_string (body, "reason"));
      json_object_set_string_member (obj, "closed_at", req->now);
      return TRUE;

    case WG_CASE_ACTION_MERGE:
      return do_merge (req, record, obj, body, error);

    case WG_CASE_ACTION_DISPATCH:
      {
        JsonObject *assignee = json_object_get_object_member (body, "assignee");
        g_autofree char *deadline = NULL;

        if (!check_assignee (req, assignee, error))
          return FALSE;
        if (deadline_s != NULL)
          {
            g_autoptr(GDateTime) t = wg_rfc3339_parse (deadline_s);

            deadline = wg_rfc3339_format (t);
          }
        else
          {
            g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

            deadline = add_working_minutes (req, now, deadline_minutes (req, obj), error);
            if (deadline == NULL)
              return FALSE;
          }
        if (json_object_get_member (obj, "accepted_at") == NULL)
          json_object_set_string_member (obj, "accepted_at", req->now);
        json_object_set_object_member (obj, "assignee", json_object_ref (assignee));
        json_object_set_string_member (obj, "deadline", deadline);
        json_object_set_string_member (obj, "dispatched_at", req->now);
        return TRUE;
      }

    case WG_CASE_ACTION_CLAIM:
      json_object_set_string_member (obj, "claimed_by", req->account_id);
      json_object_set_string_member (obj, "claimed_at", req->now);
      return TRUE;

    case WG_CASE_ACTION_RETURN:
      json_object_set_null_member (obj, "assignee");
      json_object_remove_member (obj, "claimed_by");
      json_object_set_string_member (obj, "returned_reason", wg_json_get_string (body, "reason"));
      return TRUE;

    case WG_CASE_ACTION_START:
      json_object_set_string_member (obj, "started_at", req->now);
      return TRUE;

    case WG_CASE_ACTION_RESOLVE:
      if (!check_photos (obj, body, error))
        return FALSE;
      json_object_set_string_member (obj, "result", wg_json_get_string (body, "result"));
      json_object_set_string_member (obj, "resolved_at", req->now);
      if (json_object_has_member (body, "photos"))
        json_object_set_member (obj, "result_photos", json_node_copy (json_object_get_member (body, "photos")));
      return TRUE;

    case WG_CASE_ACTION_VERIFY:
      json_object_set_string_member (obj, "verified_at", req->now);
      json_object_set_string_member (obj, "verified_by", req->account_id);
      return TRUE;

    case WG_CASE_ACTION_REOPEN:
      wg_json_get_int (obj, "reopen_count", &count);
      json_object_set_int_member (obj, "reopen_count", count + 1);
      json_object_remove_member (obj, "resolved_at");
      json_object_remove_member (obj, "verified_at");
      json_object_remove_member (obj, "verified_by");
      json_object_remove_member (obj, "claimed_by");
      return TRUE;

    case WG_CASE_ACTION_CLOSE:
      json_object_set_string_member (obj, "closed_at", req->now);
      return TRUE;

    case WG_CASE_ACTION_ESCALATE:
      json_object_set_string_member (obj, "escalated_at", req->now);
      json_object_set_string_member (obj, "escalated_reason", wg_json_get_string (body, "reason"));
      return TRUE;

    case WG_CASE_ACTION_SUPERVISE:
      wg_json_get_int (obj, "supervise_count", &count);
      json_object_set_int_member (obj, "supervise_count", count + 1);
      json_object_set_string_member (obj, "supervised_at", req->now);
      if (deadline_s != NULL)
        {
          g_autoptr(GDateTime) t = wg_rfc3339_parse (deadline_s);
          g_autofree char *deadline = wg_rfc3339_format (t);

          json_object_set_string_member (obj, "deadline", deadline);
        }
      return TRUE;

    case WG_CASE_ACTION_EXTEND:
      return do_extend (req, obj, body, error);

    case WG_CASE_ACTION_COMMENT:
      return TRUE;

    case WG_CASE_ACTION_RATE:
      {
        gint64 satisfaction = 0;

        wg_json_get_int (body, "satisfaction", &satisfaction);
        json_object_set_int_member (obj, "satisfaction", satisfaction);
        return TRUE;
      }

    case WG_CASE_ACTION_REPORT:
    case WG_CASE_ACTION_SELF_HANDLE:
    case WG_N_CASE_ACTIONS:
    default:
      g_assert_not_reached ();
    }
}

gboolean
_wg_handle_case_action (WgRequest  *req,
                        GError    **error)
{
  const char *id = req->params[0];
  g_autoptr(WgRecord) record = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autoptr(GError) local = NULL;
  const WgCaseTransition *t;
  JsonObject *body;
  WgCaseAction action;
  WgCaseState state;
  g_autofree char *note = NULL;

  if (!wg_case_action_from_string (req->params[1], &action))
    {
      g_autofree char *all = NULL;
      GString *s = g_string_new (NULL);

      for (guint i = 0; i < WG_N_CASE_ACTIONS; i++)
        g_string_append_printf (s, "%s%s", i ? ", " : "", wg_case_action_to_string (i));
      all = g_string_free (s, FALSE);
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_NOT_FOUND,
                   _("There is no case action “%s”. The actions are: %s."), req->params[1], all);
      return FALSE;
    }
  if (!wg_uuid_is_valid (id))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_ID,
                   _("“%s” is not an id; ids are lower-case UUIDs (8-4-4-4-12 hex digits)."), id);
      return FALSE;
    }

  /* Reporting a case under a client-chosen id creates it: the outbox of an offline client
   * names the case before the server has seen it. */
  record = wg_db_get_record (req->server->db, id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (record == NULL && (action == WG_CASE_ACTION_REPORT || action == WG_CASE_ACTION_SELF_HANDLE))
    {
      if (!_wg_request_parse_body (req, &root, error))
        return FALSE;
      return create_case (req, id, action, json_node_get_object (root), error);
    }
  if (record != NULL && strcmp (record->kind, "cases") != 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT,
                   _("The id %s belongs to a record that is not a case."), id);
      return FALSE;
    }
  g_clear_pointer (&record, wg_record_free);
  record = _wg_request_get_visible (req, "cases", id, error);
  if (record == NULL)
    return FALSE;
  if (!parse_action_body (req, &root, error))
    return FALSE;
  body = json_node_get_object (root);
  if (!_wg_request_check_version (req, record, body, error))
    return FALSE;
  json_object_remove_member (body, "version");

  obj = _wg_record_parse_body (record);
  if (!wg_case_state_from_string (wg_json_get_string (obj, "state"), &state))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INTERNAL, "case %s has no valid state", id);
      return FALSE;
    }
  t = wg_case_machine_lookup (state, action);
  if (t == NULL)
    {
      g_autofree char *legal = legal_actions_text (state, req->role);

      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_TRANSITION,
                   _("Case %s is “%s”; the action “%s” is not possible in that state. Possible for you now: %s."),
                   wg_json_get_string (obj, "number"), wg_label_case_state (wg_case_state_to_string (state)),
                   wg_label_case_action (wg_case_action_to_string (action)), legal);
      return FALSE;
    }
  if ((t->roles & req->role) == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_FORBIDDEN,
                   _("Your role (%s) may not “%s” a case that is “%s”."),
                   wg_label_role (wg_role_to_string (req->role)), wg_label_case_action (wg_case_action_to_string (action)),
                   wg_label_case_state (wg_case_state_to_string (state)));
      return FALSE;
    }
  if (!wg_schema_validate (action_fields (action), body, FALSE, NULL, _wg_ref_exists_cb, req, error))
    return FALSE;
  if (!apply_action (req, record, obj, action, body, error))
    return FALSE;

  json_object_set_string_member (obj, "state", wg_case_state_to_string (t->to));
  /* a copy: the members it comes from are removed from the body below */
  note = g_strdup (wg_json_get_string (body, "note"));
  if (note == NULL)
    note = g_strdup (wg_json_get_string (body, "reason"));
  if (note == NULL)
    note = g_strdup (wg_json_get_string (body, "result"));
  json_object_remove_member (body, "note");
  json_object_remove_member (body, "reason");
  append_timeline (req, obj, wg_case_action_to_string (action), wg_case_state_to_string (state),
                   wg_case_state_to_string (t->to), note, body);

  record->version++;
  g_free (record->updated_at);
  record->updated_at = g_strdup (req->now);
  if (!_wg_store_record (req, record, obj, error))
    return FALSE;
  _wg_request_respond_record (req, 200, record);
  return TRUE;
}

/* --- attachments ----------------------------------------------------------------------- */

static const char * const upload_types[] = {
  "image/jpeg", "image/png", "image/webp", "image/heic", "application/pdf", "video/mp4", "audio/mp4", NULL
};

/* The name is only ever shown and offered back as a download name (the file on disk is
 * named by its id), but it must still be a plain name: no directories, no dot files, no
 * control characters, so no client can be tricked into writing outside its folder. */
static gboolean
check_file_name (const char  *name,
                 GError     **error)
{
  if (name == NULL || *name == '\0' || strlen (name) > 200 || !g_utf8_validate (name, -1, NULL) ||
      name[0] == '.' || strchr (name, '/') != NULL || strchr (name, '\\') != NULL ||
      strstr (name, "..") != NULL)
    goto bad;
  for (const char *p = name; *p; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f || *p == ':' || *p == '"')
      goto bad;
  return TRUE;

bad:
  g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION,
               _("Give the file a plain name with ?name=… (1 to 200 characters, no /, \\, “..”, quotes or control characters, not starting with a dot)."));
  return FALSE;
}

gboolean
_wg_handle_case_upload (WgRequest  *req,
                        GError    **error)
{
  static const char * const known[] = { "name", NULL };
  const char *name = req->query ? g_hash_table_lookup (req->query, "name") : NULL;
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WgRecord) record = NULL;
  g_autoptr(JsonObject) obj = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *path = NULL;
  g_autofree char *sha = NULL;
  g_autofree char *url = NULL;
  g_autoptr(JsonNode) meta_node = NULL;
  JsonObject *meta;
  JsonNode *list;
  WgAttachmentInfo info = { 0, };
  const char *ctype;
  gsize len;
  const guchar *data;

  if (req->query != NULL)
    {
      GHashTableIter iter;
      const char *key;

      g_hash_table_iter_init (&iter, req->query);
      while (g_hash_table_iter_next (&iter, (gpointer *) &key, NULL))
        if (!g_strv_contains (known, key))
          {
            g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST, _("Unknown query parameter “%s”."), key);
            return FALSE;
          }
    }
  record = _wg_request_get_visible (req, "cases", req->params[0], error);
  if (record == NULL)
    return FALSE;
  if (!check_file_name (name, error))
    return FALSE;
  ctype = soup_message_headers_get_content_type (soup_server_message_get_request_headers (req->msg), NULL);
  if (ctype == NULL || !g_strv_contains (upload_types, ctype))
    {
      g_autofree char *allowed = g_strjoinv (", ", (char **) upload_types);

      g_set_error (error, WG_API_ERROR, WG_API_ERROR_UNSUPPORTED_MEDIA,
                   _("Attachments must be one of %s; this one is %s."), allowed, ctype ? ctype : _("untyped"));
      return FALSE;
    }
  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  if (len == 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, _("The file is empty."));
      return FALSE;
    }
  if (len > req->server->max_upload)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_TOO_LARGE,
                   _("The file has %zu bytes; the limit is %zu."), (size_t) len, (size_t) req->server->max_upload);
      return FALSE;
    }

  path = g_build_filename (req->server->attachments_dir, id, NULL);
  if (!g_file_set_contents_full (path, (const char *) data, len,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, error))
    return FALSE;
  sha = g_compute_checksum_for_data (G_CHECKSUM_SHA256, data, len);
  info.id = id;
  info.case_id = record->id;
  info.name = (char *) name;
  info.content_type = (char *) ctype;
  info.size = len;
  if (!wg_db_insert_attachment (req->server->db, &info, sha, req->now, req->account_id, error))
    {
      g_unlink (path);
      return FALSE;
    }

  url = g_strdup_printf ("/api/v1/attachments/%s", id);
  meta = json_object_new ();
  json_object_set_string_member (meta, "id", id);
  json_object_set_string_member (meta, "name", name);
  json_object_set_string_member (meta, "content_type", ctype);
  json_object_set_int_member (meta, "size", len);
  json_object_set_string_member (meta, "sha256", sha);
  json_object_set_string_member (meta, "url", url);
  json_object_set_string_member (meta, "uploaded_at", req->now);
  json_object_set_string_member (meta, "uploaded_by", req->account_id);
  meta_node = json_node_init_object (json_node_alloc (), meta);
  json_object_unref (meta);    /* the node holds it now */

  obj = _wg_record_parse_body (record);
  list = json_object_get_member (obj, "attachments");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      json_object_set_array_member (obj, "attachments", json_array_new ());
      list = json_object_get_member (obj, "attachments");
    }
  json_array_add_object_element (json_node_get_array (list), json_object_ref (json_node_get_object (meta_node)));
  record->version++;
  g_free (record->updated_at);
  record->updated_at = g_strdup (req->now);
  if (!_wg_store_record (req, record, obj, error))
    {
      g_unlink (path);
      return FALSE;
    }

  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Location", url);
  _wg_request_respond_json (req, 201, wg_json_to_string (meta_node));
  return TRUE;
}

gboolean
_wg_handle_attachment_get (WgRequest  *req,
                           GError    **error)
{
  g_autoptr(WgAttachmentInfo) info = NULL;
  g_autoptr(WgRecord) record = NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *disposition = NULL;
  gsize len;

  if (!wg_uuid_is_valid (req->params[0]))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_ID,
                   _("“%s” is not an id; ids are lower-case UUIDs (8-4-4-4-12 hex digits)."), req->params[0]);
      return FALSE;
    }
  info = wg_db_get_attachment (req->server->db, req->params[0], error);
  if (info == NULL)
    {
      if (error == NULL || *error == NULL)
        g_set_error (error, WG_API_ERROR, WG_API_ERROR_NOT_FOUND, _("There is no attachment with id %s."), req->params[0]);
      return FALSE;
    }
  record = _wg_request_get_visible (req, "cases", info->case_id, error);
  if (record == NULL)
    return FALSE;
  path = g_build_filename (req->server->attachments_dir, info->id, NULL);
  if (!g_file_get_contents (path, &contents, &len, error))
    return FALSE;

  escaped = g_uri_escape_string (info->name, NULL, FALSE);
  disposition = g_strdup_printf ("attachment; filename*=UTF-8''%s", escaped);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Content-Disposition", disposition);
  req->status = 200;
  req->content_type = info->content_type;
  req->raw_response = g_bytes_new_take (g_steal_pointer (&contents), len);
  /* content_type points into info, which dies with this function */
  req->content_type = g_intern_string (info->content_type);
  return TRUE;
}
