/* test-transitions.c — every legal and illegal transition of the case state machine, over HTTP
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test walks the table of src/common itself, so a row added there is tested here
 * without editing this file: for every state it reaches a case in that state along the
 * shortest path of the table, then tries every action: the legal ones with an allowed
 * role (200, the table's to-state, one timeline entry, version + 1) and a disallowed role
 * (403), the illegal ones (409 naming state and action, nothing changed).
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "wg-case-machine.h"
#include "wg-labels.h"
#include "wg-test-server.h"
#include "wg-test-world.h"

static WgTestServer *ts;
static WgTestWorld *world;
static char *tokens[5];
static char *merge_target;

static const WgRole role_list[] = {
  WG_ROLE_ADMIN, WG_ROLE_DISPATCHER, WG_ROLE_LEADER, WG_ROLE_FIELD_WORKER, WG_ROLE_TEAM_MEMBER,
};

/* shortest path from "new" to each state: the transition that reaches it last */
static const WgCaseTransition *via[WG_N_CASE_STATES];

static const char *
token_for (WgRole role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_list); i++)
    if (role_list[i] == role)
      return tokens[i];
  g_assert_not_reached ();
}

/* The role to take a step with: the admin when allowed (it is in almost every row),
 * otherwise the first allowed one. */
static WgRole
allowed_role (const WgCaseTransition *t)
{
  if (t->roles & WG_ROLE_ADMIN)
    return WG_ROLE_ADMIN;
  for (guint i = 0; i < G_N_ELEMENTS (role_list); i++)
    if (t->roles & role_list[i])
      return role_list[i];
  g_assert_not_reached ();
}

static char *
body_for (WgCaseAction action)
{
  switch (action)
    {
    case WG_CASE_ACTION_REPORT:
      return g_strdup_printf ("{\"title\":\"垃圾堆放\",\"source\":\"citizen\",\"grid_id\":\"%s\"}", world->grid_a);
    case WG_CASE_ACTION_SELF_HANDLE:
      return g_strdup_printf ("{\"title\":\"垃圾堆放\",\"source\":\"grid_patrol\",\"grid_id\":\"%s\",\"result\":\"已清理\"}",
                              world->grid_a);
    case WG_CASE_ACTION_REJECT:
    case WG_CASE_ACTION_RETURN:
    case WG_CASE_ACTION_REOPEN:
    case WG_CASE_ACTION_ESCALATE:
      return g_strdup ("{\"reason\":\"测试原因\"}");
    case WG_CASE_ACTION_MERGE:
      return g_strdup_printf ("{\"into\":\"%s\"}", merge_target);
    case WG_CASE_ACTION_DISPATCH:
      return g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"},\"note\":\"请处理\"}", world->team);
    case WG_CASE_ACTION_RESOLVE:
      return g_strdup ("{\"result\":\"已处理\"}");
    case WG_CASE_ACTION_SUPERVISE:
      return g_strdup ("{\"note\":\"请加快\"}");
    case WG_CASE_ACTION_EXTEND:
      return g_strdup ("{\"reason\":\"需要采购\",\"working_days\":2}");
    case WG_CASE_ACTION_COMMENT:
      return g_strdup ("{\"note\":\"备注\"}");
    case WG_CASE_ACTION_RATE:
      return g_strdup ("{\"satisfaction\":5}");
    case WG_CASE_ACTION_ACCEPT:
    case WG_CASE_ACTION_CLAIM:
    case WG_CASE_ACTION_START:
    case WG_CASE_ACTION_VERIFY:
    case WG_CASE_ACTION_CLOSE:
    case WG_N_CASE_ACTIONS:
    default:
      return NULL;   /* no body at all: allowed for actions without required fields */
    }
}

static WgResponse *
act (const char   *id,
     WgCaseAction  action,
     WgRole        role)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/actions/%s", id, wg_case_action_to_string (action));
  g_autofree char *body = body_for (action);

  return wg_test_request (ts, token_for (role), "POST", path, body, NULL);
}

static void
compute_paths (void)
{
  guint n;
  const WgCaseTransition *t = wg_case_machine_get_table (&n);
  gboolean reached[WG_N_CASE_STATES] = { FALSE, };
  gboolean changed = TRUE;

  reached[WG_CASE_STATE_NEW] = TRUE;
  /* breadth first: rows in table order, one layer per pass */
  while (changed)
    {
      gboolean layer[WG_N_CASE_STATES];

      memcpy (layer, reached, sizeof layer);
      changed = FALSE;
      for (guint i = 0; i < n; i++)
        if (layer[t[i].from] && !reached[t[i].to])
          {
            reached[t[i].to] = changed = TRUE;
            via[t[i].to] = &t[i];
          }
    }
}

/* Returns the id of a fresh case in `state`, walking the table's path to it. */
static char *
case_in (WgCaseState state)
{
  const WgCaseTransition *path[WG_N_CASE_STATES];
  guint len = 0;
  char *id = g_uuid_string_random ();

  for (WgCaseState s = state; s != WG_CASE_STATE_NEW; s = via[s]->from)
    path[len++] = via[s];
  while (len > 0)
    {
      const WgCaseTransition *step = path[--len];
      g_autoptr(WgResponse) r = act (id, step->action, allowed_role (step));

      if (r->status != 200 && r->status != 201)
        g_error ("walking to %s: %s → %s failed: %u %s", wg_case_state_to_string (state),
                 wg_case_state_to_string (step->from), wg_case_action_to_string (step->action), r->status, r->body);
      g_assert_cmpstr (wg_response_get_string (r, "state"), ==, wg_case_state_to_string (step->to));
    }
  return id;
}

static JsonObject *
get_case (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s", id);
  g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "GET", path, NULL, NULL);

  wg_assert_status (r, 200);
  return json_object_ref (json_node_get_object (r->json));
}

static void
test_illegal (void)
{
  for (guint s = WG_CASE_STATE_NEW + 1; s < WG_N_CASE_STATES; s++)
    {
      g_autofree char *id = case_in (s);
      g_autoptr(JsonObject) before = get_case (id);
      g_autoptr(JsonObject) after = NULL;

      for (guint a = 0; a < WG_N_CASE_ACTIONS; a++)
        {
          g_autoptr(WgResponse) r = NULL;
          const char *message;

          if (wg_case_machine_lookup (s, a) != NULL)
            continue;
          r = act (id, a, WG_ROLE_ADMIN);
          if (r->status != 409)
            g_error ("%s in state %s: expected 409, got %u %s", wg_case_action_to_string (a),
                     wg_case_state_to_string (s), r->status, r->body);
          wg_assert_error (r, 409, "invalid_transition");
          message = json_object_get_string_member (json_object_get_object_member (json_node_get_object (r->json), "error"), "message");
          /* in the words people use, not the wire names */
          g_assert_nonnull (strstr (message, wg_label_case_state (wg_case_state_to_string (s))));
          g_assert_nonnull (strstr (message, wg_label_case_action (wg_case_action_to_string (a))));
        }
      after = get_case (id);
      g_assert_cmpint (json_object_get_int_member (after, "version"), ==, json_object_get_int_member (before, "version"));
    }

  /* actions other than report on a case that does not exist */
  {
    g_autofree char *missing = g_uuid_string_random ();
    g_autoptr(WgResponse) r = act (missing, WG_CASE_ACTION_ACCEPT, WG_ROLE_ADMIN);
    g_autofree char *unknown = g_strdup_printf ("/api/v1/cases/%s/actions/teleport", missing);
    g_autoptr(WgResponse) u = wg_test_request (ts, ts->admin_token, "POST", unknown, NULL, NULL);

    wg_assert_error (r, 404, "not_found");
    wg_assert_error (u, 404, "not_found");
  }
}

static void
test_legal (void)
{
  guint n;
  const WgCaseTransition *t = wg_case_machine_get_table (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = NULL;
      g_autoptr(JsonObject) before = NULL;
      g_autoptr(WgResponse) ok = NULL;
      gint64 version = 0;
      JsonArray *timeline;
      JsonObject *last;

      id = t[i].from == WG_CASE_STATE_NEW ? g_uuid_string_random () : case_in (t[i].from);
      if (t[i].from != WG_CASE_STATE_NEW)
        {
          before = get_case (id);
          version = json_object_get_int_member (before, "version");
        }

      /* every role outside the row is refused: leaders as read only, the others as forbidden */
      for (guint r = 0; r < G_N_ELEMENTS (role_list); r++)
        {
          g_autoptr(WgResponse) no = NULL;

          if (t[i].roles & role_list[r])
            continue;
          no = act (id, t[i].action, role_list[r]);
          wg_assert_error (no, 403, role_list[r] == WG_ROLE_LEADER ? "read_only" : "forbidden");
        }

      ok = act (id, t[i].action, allowed_role (&t[i]));
      if (ok->status != 200 && ok->status != 201)
        g_error ("%s → %s by %s: %u %s", wg_case_state_to_string (t[i].from), wg_case_action_to_string (t[i].action),
                 wg_role_to_string (allowed_role (&t[i])), ok->status, ok->body);
      g_assert_cmpstr (wg_response_get_string (ok, "state"), ==, wg_case_state_to_string (t[i].to));
      g_assert_cmpint (wg_response_get_int (ok, "version"), ==, version + 1);
      timeline = json_object_get_array_member (json_node_get_object (ok->json), "timeline");
      g_assert_cmpuint (json_array_get_length (timeline), >=, 1);
      last = json_array_get_object_element (timeline, json_array_get_length (timeline) - 1);
      g_assert_cmpstr (json_object_get_string_member (last, "action"), ==, wg_case_action_to_string (t[i].action));
      g_assert_cmpstr (json_object_get_string_member (last, "from"), ==, wg_case_state_to_string (t[i].from));
      g_assert_cmpstr (json_object_get_string_member (last, "to"), ==, wg_case_state_to_string (t[i].to));
      g_assert_nonnull (json_object_get_string_member (last, "actor_id"));
      g_assert_nonnull (json_object_get_string_member (last, "at"));
    }
}

/* If-Match on an action: a stale version is refused with 412 and changes nothing. */
static void
test_if_match (void)
{
  g_autofree char *id = case_in (WG_CASE_STATE_REPORTED);
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/actions/accept", id);
  g_autoptr(WgResponse) stale = wg_test_request (ts, ts->admin_token, "POST", path, NULL, "If-Match", "\"7\"", NULL);
  g_autoptr(WgResponse) bad = wg_test_request (ts, ts->admin_token, "POST", path, NULL, "If-Match", "banana", NULL);
  g_autoptr(WgResponse) fresh = wg_test_request (ts, ts->admin_token, "POST", path, NULL, "If-Match", "\"1\"", NULL);

  wg_assert_error (stale, 412, "version_mismatch");
  wg_assert_error (bad, 400, "bad_request");
  wg_assert_status (fresh, 200);
  g_assert_cmpstr (soup_message_headers_get_one (fresh->headers, "ETag"), ==, "\"2\"");
}

/* Extension (延期): the handler asks, the center grants; the deadline moves in working time. */
static void
test_extension (void)
{
  g_autofree char *id = case_in (WG_CASE_STATE_CLAIMED);
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/actions/extend", id);
  g_autoptr(JsonObject) before = get_case (id);
  g_autoptr(WgResponse) ask = wg_test_request (ts, token_for (WG_ROLE_FIELD_WORKER), "POST", path,
                                               "{\"reason\":\"等配件\",\"working_hours\":16}", NULL);
  g_autoptr(WgResponse) grant = NULL;
  g_autoptr(GDateTime) old_deadline = g_date_time_new_from_iso8601 (json_object_get_string_member (before, "deadline"), NULL);
  g_autoptr(GDateTime) new_deadline = NULL;
  JsonObject *request;

  wg_assert_status (ask, 200);
  request = json_object_get_object_member (json_node_get_object (ask->json), "extension_request");
  g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "pending");
  g_assert_cmpstr (wg_response_get_string (ask, "deadline"), ==, json_object_get_string_member (before, "deadline"));

  grant = wg_test_request (ts, token_for (WG_ROLE_DISPATCHER), "POST", path, "{\"reason\":\"同意\"}", NULL);
  wg_assert_status (grant, 200);
  request = json_object_get_object_member (json_node_get_object (grant->json), "extension_request");
  g_assert_cmpstr (json_object_get_string_member (request, "status"), ==, "approved");
  new_deadline = g_date_time_new_from_iso8601 (wg_response_get_string (grant, "deadline"), NULL);
  /* 16 working hours are at least two calendar days later */
  g_assert_cmpint (g_date_time_difference (new_deadline, old_deadline), >=, 24 * G_TIME_SPAN_HOUR);
}

int
main (int   argc,
      char *argv[])
{
  static const char *names[] = { NULL, "t-dispatcher", "t-leader", "t-worker", "t-member" };
  int rc;

  g_test_init (&argc, &argv, NULL);

  ts = wg_test_server_start (NULL);
  world = wg_test_world_create (ts);
  tokens[0] = g_strdup (ts->admin_token);
  for (guint i = 1; i < G_N_ELEMENTS (role_list); i++)
    g_free (wg_test_add_account (ts, names[i], wg_role_to_string (role_list[i]), NULL, &tokens[i]));
  compute_paths ();
  {
    g_autofree char *body = body_for (WG_CASE_ACTION_REPORT);

    merge_target = wg_test_create (ts, ts->admin_token, "/api/v1/cases", body);
  }

  g_test_add_func ("/transitions/illegal", test_illegal);
  g_test_add_func ("/transitions/legal", test_legal);
  g_test_add_func ("/transitions/if-match", test_if_match);
  g_test_add_func ("/transitions/extension", test_extension);

  rc = g_test_run ();
  for (guint i = 0; i < G_N_ELEMENTS (tokens); i++)
    g_free (tokens[i]);
  g_free (merge_target);
  wg_test_world_free (world);
  wg_test_server_free (ts);
  return rc;
}
