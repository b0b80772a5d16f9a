/* test-api.c — the REST API over real HTTP: endpoints, auth, roles and scope, bad input
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "wg-test-server.h"
#include "wg-test-world.h"

static WgTestServer *ts;
static WgTestWorld *world;

static JsonObject *
obj (WgResponse *r)
{
  g_assert_nonnull (r->json);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (r->json));
  return json_node_get_object (r->json);
}

static void
test_health_and_unknown (void)
{
  g_autoptr(WgResponse) health = wg_test_request (ts, NULL, "GET", "/api/v1/health", NULL, NULL);
  g_autoptr(WgResponse) missing = wg_test_request (ts, ts->admin_token, "GET", "/api/v1/nothing-here", NULL, NULL);
  g_autoptr(WgResponse) method = wg_test_request (ts, ts->admin_token, "PUT", "/api/v1/grids", "{}", NULL);
  g_autoptr(WgResponse) machine = wg_test_request (ts, ts->admin_token, "GET", "/api/v1/case-machine", NULL, NULL);

  wg_assert_status (health, 200);
  g_assert_cmpstr (wg_response_get_string (health, "status"), ==, "ok");
  wg_assert_error (missing, 404, "not_found");
  wg_assert_error (method, 405, "method_not_allowed");
  g_assert_nonnull (strstr (soup_message_headers_get_one (method->headers, "Allow"), "POST"));
  wg_assert_status (machine, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (machine), "transitions")), >, 20);
}

static void
test_auth (void)
{
  static const char *protected[][2] = {
    { "GET", "/api/v1/session" }, { "DELETE", "/api/v1/session" }, { "GET", "/api/v1/changes" },
    { "GET", "/api/v1/grids" }, { "POST", "/api/v1/grids" }, { "GET", "/api/v1/cases" },
    { "POST", "/api/v1/cases" }, { "GET", "/api/v1/case-machine" }, { "GET", "/api/v1/accounts" },
    { "GET", "/api/v1/grids/locate?lon=104.3&lat=24.9" },
  };
  g_autofree char *token = NULL;
  g_autofree char *id = wg_test_add_account (ts, "auth-user", "dispatcher", NULL, &token);
  gint64 head = wg_test_head (ts);

  for (guint i = 0; i < G_N_ELEMENTS (protected); i++)
    {
      g_autoptr(WgResponse) none = wg_test_request (ts, NULL, protected[i][0], protected[i][1], "{}", NULL);
      g_autoptr(WgResponse) bad = wg_test_request (ts, "not-a-token", protected[i][0], protected[i][1], "{}", NULL);

      wg_assert_error (none, 401, "unauthenticated");
      wg_assert_error (bad, 401, "unauthenticated");
    }
  g_assert_cmpint (wg_test_head (ts), ==, head);

  {
    g_autoptr(WgResponse) me = wg_test_request (ts, token, "GET", "/api/v1/session", NULL, NULL);
    g_autoptr(WgResponse) wrong = wg_test_request (ts, NULL, "POST", "/api/v1/session",
                                                   "{\"username\":\"auth-user\",\"password\":\"wrong-password\"}", NULL);
    g_autoptr(WgResponse) nobody = wg_test_request (ts, NULL, "POST", "/api/v1/session",
                                                    "{\"username\":\"nobody\",\"password\":\"wrong-password\"}", NULL);
    g_autoptr(WgResponse) out = wg_test_request (ts, token, "DELETE", "/api/v1/session", NULL, NULL);
    g_autoptr(WgResponse) after = wg_test_request (ts, token, "GET", "/api/v1/session", NULL, NULL);
    JsonObject *account;

    wg_assert_status (me, 200);
    account = json_object_get_object_member (obj (me), "account");
    g_assert_cmpstr (json_object_get_string_member (account, "id"), ==, id);
    g_assert_cmpstr (json_object_get_string_member (account, "role"), ==, "dispatcher");
    g_assert_false (json_object_has_member (account, "password"));
    wg_assert_error (wrong, 401, "unauthenticated");
    wg_assert_error (nobody, 401, "unauthenticated");
    wg_assert_status (out, 204);
    wg_assert_error (after, 401, "unauthenticated");
  }
}

static void
test_login_rate_limit (void)
{
  g_autofree char *id = wg_test_add_account (ts, "limited", "field_worker", NULL, NULL);
  g_autoptr(WgResponse) blocked = NULL;
  g_autoptr(WgResponse) even_right = NULL;

  /* five failures are allowed; the sixth attempt is refused even with the right password */
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(WgResponse) r = wg_test_request (ts, NULL, "POST", "/api/v1/session",
                                                 "{\"username\":\"limited\",\"password\":\"bad-password\"}", NULL);
      wg_assert_error (r, 401, "unauthenticated");
    }
  blocked = wg_test_request (ts, NULL, "POST", "/api/v1/session",
                             "{\"username\":\"limited\",\"password\":\"bad-password\"}", NULL);
  wg_assert_error (blocked, 429, "too_many_requests");
  g_assert_nonnull (soup_message_headers_get_one (blocked->headers, "Retry-After"));
  even_right = wg_test_request (ts, NULL, "POST", "/api/v1/session",
                                "{\"username\":\"limited\",\"password\":\"" WG_TEST_PASSWORD "\"}", NULL);
  wg_assert_error (even_right, 429, "too_many_requests");
}

/* Create, read (ETag), list with paging and filter, update (If-Match, 412), delete
 * (tombstone) for every generic kind. */
static void
test_resources_crud (void)
{
  static const char *paths[] = {
    "org-units", "grids", "households", "people", "teams", "assignments", "categories", "holidays", "accounts",
  };
  g_autofree char *assignment = NULL;
  g_autofree char *holiday = NULL;
  g_autofree char *body = NULL;

  body = g_strdup_printf ("{\"person_id\":\"%s\",\"kind\":\"village\",\"target_id\":\"%s\","
                          "\"duties\":[\"publicity_education\",\"service_management\",\"joint_prevention\"],"
                          "\"valid_from\":\"2026-01-01\",\"valid_to\":\"2026-12-31\"}", world->person, world->village_a);
  assignment = wg_test_create (ts, ts->admin_token, "/api/v1/assignments", body);
  holiday = wg_test_create (ts, ts->admin_token, "/api/v1/holidays",
                            "{\"date\":\"2027-10-01\",\"kind\":\"holiday\",\"name\":\"国庆节\"}");

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autofree char *list = g_strdup_printf ("/api/v1/%s?limit=1", paths[i]);
      g_autoptr(WgResponse) page = wg_test_request (ts, ts->admin_token, "GET", list, NULL, NULL);
      JsonArray *items;

      wg_assert_status (page, 200);
      items = json_object_get_array_member (obj (page), "items");
      g_assert_cmpuint (json_array_get_length (items), ==, 1);
      if (json_object_get_string_member (obj (page), "next") != NULL)
        {
          g_autofree char *next = g_strdup_printf ("/api/v1/%s?limit=1&after=%s", paths[i],
                                                   json_object_get_string_member (obj (page), "next"));
          g_autoptr(WgResponse) page2 = wg_test_request (ts, ts->admin_token, "GET", next, NULL, NULL);

          wg_assert_status (page2, 200);
          g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (obj (page2), "items"), 0), "id"),
                           >, json_object_get_string_member (json_array_get_object_element (items, 0), "id"));
        }
    }

  /* ETag and conditional update */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/assignments/%s", assignment);
    g_autoptr(WgResponse) got = wg_test_request (ts, ts->admin_token, "GET", path, NULL, NULL);
    g_autoptr(WgResponse) same = wg_test_request (ts, ts->admin_token, "GET", path, NULL, "If-None-Match", "\"1\"", NULL);
    g_autoptr(WgResponse) upd = wg_test_request (ts, ts->admin_token, "PATCH", path,
                                                 "{\"valid_to\":\"2027-06-30\"}", "If-Match", "\"1\"", NULL);
    g_autoptr(WgResponse) stale = wg_test_request (ts, ts->admin_token, "PATCH", path,
                                                   "{\"valid_to\":\"2028-06-30\"}", "If-Match", "\"1\"", NULL);
    g_autoptr(WgResponse) stale_body = wg_test_request (ts, ts->admin_token, "PATCH", path,
                                                        "{\"version\":1,\"valid_to\":\"2028-06-30\"}", NULL);
    g_autoptr(WgResponse) del_stale = wg_test_request (ts, ts->admin_token, "DELETE", path, NULL, "If-Match", "\"1\"", NULL);
    g_autoptr(WgResponse) del = wg_test_request (ts, ts->admin_token, "DELETE", path, NULL, "If-Match", "\"2\"", NULL);
    g_autoptr(WgResponse) gone = wg_test_request (ts, ts->admin_token, "GET", path, NULL, NULL);

    wg_assert_status (got, 200);
    g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, "\"1\"");
    g_assert_cmpstr (wg_response_get_string (got, "valid_to"), ==, "2026-12-31");
    g_assert_nonnull (wg_response_get_string (got, "created_at"));
    wg_assert_status (same, 304);
    wg_assert_status (upd, 200);
    g_assert_cmpint (wg_response_get_int (upd, "version"), ==, 2);
    g_assert_cmpstr (soup_message_headers_get_one (upd->headers, "ETag"), ==, "\"2\"");
    g_assert_cmpstr (wg_response_get_string (upd, "valid_to"), ==, "2027-06-30");
    g_assert_cmpstr (wg_response_get_string (upd, "created_at"), ==, wg_response_get_string (got, "created_at"));
    wg_assert_error (stale, 412, "version_mismatch");
    wg_assert_error (stale_body, 412, "version_mismatch");
    wg_assert_error (del_stale, 412, "version_mismatch");
    wg_assert_status (del, 204);
    wg_assert_error (gone, 404, "not_found");
  }

  /* the deletion is a tombstone in the feed */
  {
    g_autoptr(WgResponse) feed = wg_test_request (ts, ts->admin_token, "GET", "/api/v1/changes?since=0&limit=5000", NULL, NULL);
    JsonArray *changes = json_object_get_array_member (obj (feed), "changes");
    gboolean tomb = FALSE;

    for (guint i = 0; i < json_array_get_length (changes); i++)
      {
        JsonObject *c = json_array_get_object_element (changes, i);

        if (g_strcmp0 (json_object_get_string_member (c, "id"), assignment) == 0 &&
            g_strcmp0 (json_object_get_string_member (c, "op"), "delete") == 0)
          {
            tomb = TRUE;
            g_assert_cmpint (json_object_get_int_member (c, "version"), ==, 3);
            g_assert_false (json_object_has_member (c, "record"));
          }
      }
    g_assert_true (tomb);
  }

  /* filters: one field, and unknown parameters are refused */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/grids?village_id=%s", world->village_b);
    g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "GET", path, NULL, NULL);
    g_autoptr(WgResponse) bad = wg_test_request (ts, ts->admin_token, "GET", "/api/v1/grids?colour=red", NULL, NULL);
    JsonArray *items;

    wg_assert_status (r, 200);
    items = json_object_get_array_member (obj (r), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"), ==, world->grid_b);
    wg_assert_error (bad, 400, "bad_request");
  }

  /* unique keys */
  {
    g_autofree char *dup = g_strdup_printf ("{\"code\":\"530324101001001\",\"name\":\"dup\",\"village_id\":\"%s\"}", world->village_a);
    g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/grids", dup, NULL);
    g_autoptr(WgResponse) h = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/holidays",
                                               "{\"date\":\"2027-10-01\",\"kind\":\"workday\"}", NULL);

    wg_assert_error (r, 409, "conflict");
    wg_assert_error (h, 409, "conflict");
  }
}

/* Create, read, change and delete one record of every generic kind. */
static void
test_every_kind (void)
{
  struct {
    const char *path;
    char *body;
    const char *patch;
  } kinds[] = {
    { "org-units", g_strdup_printf ("{\"name\":\"二组\",\"kind\":\"group\",\"parent_id\":\"%s\"}", world->village_a),
      "{\"code\":\"002\"}" },
    { "grids", g_strdup_printf ("{\"code\":\"530324101001050\",\"name\":\"A50\",\"village_id\":\"%s\"}", world->village_a),
      "{\"population\":900}" },
    { "households", g_strdup_printf ("{\"address\":\"A村9号\",\"grid_id\":\"%s\",\"head_name\":\"周七\"}", world->grid_a),
      "{\"tags\":[\"party_central\"]}" },
    { "people", g_strdup ("{\"name\":\"吴八\",\"kinds\":[\"cadre\"],\"rank\":\"section_level\"}"), "{\"active\":false}" },
    { "teams", g_strdup ("{\"name\":\"环保\",\"kind\":\"department\",\"work_line\":\"environment\"}"),
      "{\"duty_phone\":\"0874-7654321\"}" },
    { "assignments", g_strdup_printf ("{\"person_id\":\"%s\",\"kind\":\"grid\",\"target_id\":\"%s\"}", world->person, world->grid_a),
      "{\"duties\":[\"joint_prevention\"]}" },
    { "categories", g_strdup_printf ("{\"name\":\"路灯\",\"parent_id\":\"%s\",\"default_target\":{\"kind\":\"team\",\"id\":\"%s\"}}",
                                     world->category, world->team), "{\"default_urgency\":\"high\"}" },
    { "holidays", g_strdup ("{\"date\":\"2027-02-06\",\"kind\":\"workday\"}"), "{\"name\":\"春节调休\"}" },
    { "accounts", g_strdup ("{\"username\":\"tmp-user\",\"display_name\":\"临时\",\"role\":\"leader\",\"password\":\"long-enough-1\"}"),
      "{\"password\":\"another-long-2\"}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    {
      g_autofree char *base = g_strdup_printf ("/api/v1/%s", kinds[i].path);
      g_autofree char *id = wg_test_create (ts, ts->admin_token, base, kinds[i].body);
      g_autofree char *one = g_strdup_printf ("%s/%s", base, id);
      g_autoptr(WgResponse) got = wg_test_request (ts, ts->admin_token, "GET", one, NULL, NULL);
      g_autoptr(WgResponse) upd = wg_test_request (ts, ts->admin_token, "PATCH", one, kinds[i].patch, "If-Match", "\"1\"", NULL);
      g_autoptr(WgResponse) del = wg_test_request (ts, ts->admin_token, "DELETE", one, NULL, "If-Match", "\"2\"", NULL);
      g_autoptr(WgResponse) gone = wg_test_request (ts, ts->admin_token, "GET", one, NULL, NULL);
      g_autoptr(WgResponse) again = wg_test_request (ts, ts->admin_token, "PATCH", one, kinds[i].patch, NULL);

      wg_assert_status (got, 200);
      g_assert_cmpstr (soup_message_headers_get_one (got->headers, "ETag"), ==, "\"1\"");
      g_assert_null (strstr (got->body, "password"));
      wg_assert_status (upd, 200);
      g_assert_cmpint (wg_response_get_int (upd, "version"), ==, 2);
      g_assert_null (strstr (upd->body, "password"));
      wg_assert_status (del, 204);
      wg_assert_error (gone, 404, "not_found");
      wg_assert_error (again, 404, "not_found");
      g_free (kinds[i].body);
    }

  /* a changed password ends the account's sessions and the new one works */
  {
    g_autofree char *token = NULL;
    g_autofree char *id = wg_test_add_account (ts, "pw-change", "dispatcher", NULL, &token);
    g_autofree char *path = g_strdup_printf ("/api/v1/accounts/%s", id);
    g_autoptr(WgResponse) upd = wg_test_request (ts, ts->admin_token, "PATCH", path, "{\"password\":\"brand-new-pass\"}", NULL);
    g_autoptr(WgResponse) old = wg_test_request (ts, token, "GET", "/api/v1/session", NULL, NULL);
    g_autoptr(WgResponse) weak = wg_test_request (ts, ts->admin_token, "PATCH", path, "{\"password\":\"short\"}", NULL);
    g_autofree char *fresh = NULL;

    wg_assert_status (upd, 200);
    wg_assert_error (old, 401, "unauthenticated");
    wg_assert_error (weak, 400, "validation_failed");
    fresh = wg_test_login (ts, "pw-change", "brand-new-pass");
  }
}

static void
test_roles_and_scope (void)
{
  g_autofree char *leader = NULL, *worker = NULL, *member = NULL, *dispatcher = NULL;
  g_autofree char *id1 = wg_test_add_account (ts, "leader1", "leader", NULL, &leader);
  g_autofree char *id2 = wg_test_add_account (ts, "worker-a", "field_worker", world->village_a, &worker);
  g_autofree char *id3 = wg_test_add_account (ts, "member1", "team_member", NULL, &member);
  g_autofree char *id4 = wg_test_add_account (ts, "dispatcher1", "dispatcher", NULL, &dispatcher);
  g_autofree char *hh_b = g_strdup_printf ("/api/v1/households/%s", world->household_b);
  g_autofree char *in_b = g_strdup_printf ("{\"address\":\"x\",\"grid_id\":\"%s\",\"head_name\":\"王五\"}", world->grid_b);
  g_autofree char *in_a = g_strdup_printf ("{\"address\":\"A村2号\",\"grid_id\":\"%s\",\"head_name\":\"王五\"}", world->grid_a);
  g_autofree char *hh_a = NULL;
  gint64 head = wg_test_head (ts);

  /* leaders read only */
  {
    g_autoptr(WgResponse) read = wg_test_request (ts, leader, "GET", "/api/v1/grids", NULL, NULL);
    g_autoptr(WgResponse) write = wg_test_request (ts, leader, "POST", "/api/v1/cases",
                                                   "{\"title\":\"t\",\"source\":\"citizen\"}", NULL);
    g_autoptr(WgResponse) patch = wg_test_request (ts, leader, "PATCH", hh_b, "{\"address\":\"y\"}", NULL);

    wg_assert_status (read, 200);
    wg_assert_error (write, 403, "read_only");
    wg_assert_error (patch, 403, "read_only");
  }
  /* roles: grids are the admin's; accounts are the admin's to read too */
  {
    g_autofree char *grid = g_strdup_printf ("{\"code\":\"530324101001099\",\"name\":\"x\",\"village_id\":\"%s\"}", world->village_a);
    g_autoptr(WgResponse) r = wg_test_request (ts, dispatcher, "POST", "/api/v1/grids", grid, NULL);
    g_autoptr(WgResponse) acc = wg_test_request (ts, dispatcher, "GET", "/api/v1/accounts", NULL, NULL);

    wg_assert_error (r, 403, "forbidden");
    wg_assert_error (acc, 403, "forbidden");
  }
  /* scope: a village-A worker neither sees nor writes village B */
  {
    g_autoptr(WgResponse) see_b = wg_test_request (ts, worker, "GET", hh_b, NULL, NULL);
    g_autoptr(WgResponse) write_b = wg_test_request (ts, worker, "POST", "/api/v1/households", in_b, NULL);
    g_autoptr(WgResponse) list = NULL;
    g_autoptr(WgResponse) grids = wg_test_request (ts, worker, "GET", "/api/v1/grids", NULL, NULL);
    JsonArray *items;

    wg_assert_error (see_b, 404, "not_found");
    wg_assert_error (write_b, 403, "out_of_scope");
    g_assert_cmpint (wg_test_head (ts), ==, head);
    hh_a = wg_test_create (ts, worker, "/api/v1/households", in_a);
    list = wg_test_request (ts, worker, "GET", "/api/v1/households", NULL, NULL);
    items = json_object_get_array_member (obj (list), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"), ==, hh_a);
    items = json_object_get_array_member (obj (grids), "items");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 0), "id"), ==, world->grid_a);
  }
  /* the village worker's change feed holds nothing of village B */
  {
    g_autoptr(WgResponse) feed = wg_test_request (ts, worker, "GET", "/api/v1/changes?since=0&limit=5000", NULL, NULL);

    wg_assert_status (feed, 200);
    g_assert_null (strstr (feed->body, world->household_b));
    g_assert_null (strstr (feed->body, world->grid_b));
    g_assert_nonnull (strstr (feed->body, world->grid_a));
    g_assert_null (strstr (feed->body, "\"accounts\""));
  }
  /* phone masking: team members and leaders see 139****1111; dispatchers see the number */
  {
    g_autoptr(WgResponse) masked = wg_test_request (ts, member, "GET", hh_b, NULL, NULL);
    g_autoptr(WgResponse) masked_list = wg_test_request (ts, leader, "GET", "/api/v1/households", NULL, NULL);
    g_autoptr(WgResponse) masked_feed = wg_test_request (ts, member, "GET", "/api/v1/changes?since=0&limit=5000", NULL, NULL);
    g_autoptr(WgResponse) full = wg_test_request (ts, dispatcher, "GET", hh_b, NULL, NULL);

    wg_assert_status (masked, 200);
    g_assert_cmpstr (wg_response_get_string (masked, "phone"), ==, "139****1111");
    g_assert_nonnull (strstr (masked->body, "139****2222"));
    g_assert_null (strstr (masked_list->body, "13900001111"));
    g_assert_nonnull (strstr (masked_list->body, "139****1111"));
    g_assert_null (strstr (masked_feed->body, "13900001111"));
    g_assert_null (strstr (masked_feed->body, "13812345678"));
    g_assert_cmpstr (wg_response_get_string (full, "phone"), ==, "13900001111");
  }
}

static void
assert_nothing_written (gint64 head)
{
  g_assert_cmpint (wg_test_head (ts), ==, head);
}

static void
test_bad_input (void)
{
  gint64 head = wg_test_head (ts);
  g_autofree char *big = NULL;
  struct {
    const char *method;
    const char *path;
    const char *body;
    guint status;
    const char *code;
  } cases[] = {
    { "POST", "/api/v1/grids", "{\"code\":", 400, "invalid_json" },
    { "POST", "/api/v1/grids", "[1,2,3]", 400, "invalid_json" },
    { "POST", "/api/v1/grids", "", 400, "invalid_json" },
    { "POST", "/api/v1/grids", "{\"code\":530324101001001,\"name\":\"x\"}", 400, "validation_failed" },
    { "POST", "/api/v1/grids", "{\"code\":\"53032410100100\",\"name\":\"x\"}", 400, "validation_failed" },
    { "POST", "/api/v1/teams", "{\"name\":\"x\",\"kind\":\"army\"}", 400, "validation_failed" },
    { "POST", "/api/v1/teams", "{\"name\":5,\"kind\":\"department\"}", 400, "validation_failed" },
    { "POST", "/api/v1/teams", "{\"name\":\"x\",\"kind\":\"department\",\"colour\":\"red\"}", 400, "unknown_field" },
    { "POST", "/api/v1/teams", "{\"kind\":\"department\"}", 400, "validation_failed" },
    { "POST", "/api/v1/people", "{\"name\":\"x\",\"org_unit_id\":\"not-a-uuid\"}", 400, "invalid_id" },
    { "POST", "/api/v1/people", "{\"name\":\"x\",\"org_unit_id\":\"00000000-0000-4000-8000-000000000000\"}", 400, "validation_failed" },
    { "POST", "/api/v1/people", "{\"name\":\"x\",\"phone\":\"call me\"}", 400, "validation_failed" },
    { "POST", "/api/v1/people", "{\"name\":\"x\",\"active\":\"yes\"}", 400, "validation_failed" },
    { "POST", "/api/v1/holidays", "{\"date\":\"2026-02-30\",\"kind\":\"holiday\"}", 400, "validation_failed" },
    { "POST", "/api/v1/grids", "{\"code\":\"530324101001777\",\"name\":\"x\",\"village_id\":\"00000000-0000-4000-8000-000000000000\","
                               "\"boundary\":{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,0],[1,1]]]}}", 400, "validation_failed" },
    { "GET", "/api/v1/grids/not-a-uuid", NULL, 400, "invalid_id" },
    { "GET", "/api/v1/grids/1%27%20OR%20%271%27=%271", NULL, 400, "invalid_id" },
    { "GET", "/api/v1/cases/../../etc/passwd", NULL, 404, "not_found" },
    { "PATCH", "/api/v1/grids/ABCDEF00-0000-4000-8000-000000000000", "{}", 400, "invalid_id" },
    { "GET", "/api/v1/changes?since=-1", NULL, 400, "bad_request" },
    { "GET", "/api/v1/changes?since=abc", NULL, 400, "bad_request" },
    { "GET", "/api/v1/changes?limit=0", NULL, 400, "bad_request" },
    { "GET", "/api/v1/grids?limit=100000", NULL, 400, "bad_request" },
    { "POST", "/api/v1/cases", "{\"title\":\"x\",\"source\":\"citizen\",\"id\":\"x\"}", 400, "invalid_id" },
    { "POST", "/api/v1/cases", "{\"title\":\"\",\"source\":\"citizen\"}", 400, "validation_failed" },
    { "POST", "/api/v1/cases", "{\"title\":\"x\",\"source\":\"citizen\",\"location\":{\"type\":\"Point\",\"coordinates\":[500,0]}}", 400, "validation_failed" },
    { "POST", "/api/v1/cases", "{\"title\":\"x\\u0001\",\"source\":\"citizen\"}", 400, "validation_failed" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, cases[i].method, cases[i].path, cases[i].body, NULL);

      if (r->status != cases[i].status || g_strcmp0 (wg_response_error_code (r), cases[i].code) != 0)
        g_error ("%s %s %s: expected %u %s, got %u %s", cases[i].method, cases[i].path,
                 cases[i].body ? cases[i].body : "", cases[i].status, cases[i].code, r->status, r->body);
      wg_assert_error (r, cases[i].status, cases[i].code);
    }
  assert_nothing_written (head);

  /* wrong content type */
  {
    g_autoptr(GBytes) body = g_bytes_new_static ("name=x", 6);
    g_autoptr(WgResponse) r = wg_test_request_raw (ts, NULL, ts->admin_token, "POST", "/api/v1/teams",
                                                   "application/x-www-form-urlencoded", body, NULL);

    wg_assert_error (r, 415, "unsupported_media_type");
  }

  /* oversized: 2 MiB of JSON against the 1 MiB limit, refused before it is read */
  {
    GString *s = g_string_new ("{\"name\":\"");
    g_autoptr(WgResponse) r = NULL;

    while (s->len < 2 * 1024 * 1024)
      g_string_append (s, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
    g_string_append (s, "\",\"kind\":\"department\"}");
    big = g_string_free (s, FALSE);
    r = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/teams", big, NULL);
    wg_assert_error (r, 413, "body_too_large");
  }
  assert_nothing_written (head);

  /* SQL metacharacters are data, in bodies and in filters */
  {
    const char *evil = "Robert'); DROP TABLE records; -- \\\" %_*";
    g_autofree char *body = g_strdup_printf ("{\"name\":\"%s\",\"kind\":\"department\"}", "Robert'); DROP TABLE records; -- \\\" %_*");
    g_autoptr(WgResponse) created = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/teams", body, NULL);
    g_autofree char *escaped = g_uri_escape_string ("x' OR '1'='1", NULL, FALSE);
    g_autofree char *filter = g_strdup_printf ("/api/v1/teams?name=%s", escaped);
    g_autoptr(WgResponse) none = wg_test_request (ts, ts->admin_token, "GET", filter, NULL, NULL);
    g_autoptr(WgResponse) all = wg_test_request (ts, ts->admin_token, "GET", "/api/v1/teams", NULL, NULL);

    (void) evil;
    wg_assert_status (created, 201);
    g_assert_cmpstr (wg_response_get_string (created, "name"), ==, "Robert'); DROP TABLE records; -- \" %_*");
    wg_assert_status (none, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (none), "items")), ==, 0);
    wg_assert_status (all, 200);
    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (all), "items")), >=, 2);
  }
}

static void
test_idempotency (void)
{
  gint64 head = wg_test_head (ts);
  const char *body = "{\"title\":\"井盖丢失\",\"source\":\"grid_patrol\"}";
  g_autoptr(WgResponse) first = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/cases", body,
                                                 "Idempotency-Key", "key-0001", NULL);
  g_autoptr(WgResponse) again = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/cases", body,
                                                 "Idempotency-Key", "key-0001", NULL);
  g_autoptr(WgResponse) other = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/teams",
                                                 "{\"name\":\"x\",\"kind\":\"department\"}",
                                                 "Idempotency-Key", "key-0001", NULL);
  g_autoptr(WgResponse) bad_first = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/teams", "{\"name\":1}",
                                                     "Idempotency-Key", "key-0002", NULL);
  g_autoptr(WgResponse) bad_again = wg_test_request (ts, ts->admin_token, "POST", "/api/v1/teams", "{\"name\":1}",
                                                     "Idempotency-Key", "key-0002", NULL);
  g_autofree char *action = NULL;

  wg_assert_status (first, 201);
  wg_assert_status (again, 201);
  g_assert_cmpstr (first->body, ==, again->body);
  g_assert_cmpstr (soup_message_headers_get_one (again->headers, "Idempotent-Replayed"), ==, "true");
  wg_assert_error (other, 422, "idempotency_key_reused");
  wg_assert_error (bad_first, 400, "validation_failed");
  wg_assert_error (bad_again, 400, "validation_failed");
  g_assert_cmpstr (bad_first->body, ==, bad_again->body);
  g_assert_cmpint (wg_test_head (ts), ==, head + 1);

  /* an action retried does not act twice */
  action = g_strdup_printf ("/api/v1/cases/%s/actions/comment", wg_response_get_string (first, "id"));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "POST", action, "{\"note\":\"已联系\"}",
                                                 "Idempotency-Key", "comment-1", NULL);

      wg_assert_status (r, 200);
      g_assert_cmpint (wg_response_get_int (r, "version"), ==, 2);
    }
  g_assert_cmpint (wg_test_head (ts), ==, head + 2);
}

static void
test_cases_and_attachments (void)
{
  g_autofree char *worker = NULL;
  g_autofree char *wid = wg_test_add_account (ts, "worker-att", "field_worker", NULL, &worker);
  g_autoptr(WgResponse) reported = NULL;
  g_autoptr(WgResponse) upload = NULL;
  g_autoptr(WgResponse) got = NULL;
  g_autoptr(WgResponse) located = NULL;
  g_autofree char *client_id = g_uuid_string_random ();
  g_autofree char *path = NULL;
  static const guchar png[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0 };

  /* a point in grid A resolves the grid and the village */
  located = wg_test_request (ts, worker, "GET", "/api/v1/grids/locate?lon=104.305&lat=24.905", NULL, NULL);
  wg_assert_status (located, 200);
  g_assert_cmpstr (wg_response_get_string (located, "id"), ==, world->grid_a);
  {
    g_autoptr(WgResponse) nowhere = wg_test_request (ts, worker, "GET", "/api/v1/grids/locate?lon=100&lat=20", NULL, NULL);
    g_autoptr(WgResponse) bad = wg_test_request (ts, worker, "GET", "/api/v1/grids/locate?lon=x&lat=20", NULL, NULL);

    wg_assert_error (nowhere, 404, "not_found");
    wg_assert_error (bad, 400, "bad_request");
  }

  path = g_strdup_printf ("/api/v1/cases/%s/actions/report", client_id);
  {
    g_autofree char *body = g_strdup_printf ("{\"title\":\"路灯不亮\",\"source\":\"grid_patrol\",\"category_id\":\"%s\","
                                             "\"location\":{\"type\":\"Point\",\"coordinates\":[104.305,24.905]},"
                                             "\"reporter\":{\"name\":\"赵六\",\"phone\":\"13700001234\"}}", world->category);

    reported = wg_test_request (ts, worker, "POST", path, body, NULL);
  }
  wg_assert_status (reported, 201);
  g_assert_cmpstr (wg_response_get_string (reported, "id"), ==, client_id);
  g_assert_cmpstr (wg_response_get_string (reported, "state"), ==, "reported");
  g_assert_cmpstr (wg_response_get_string (reported, "grid_id"), ==, world->grid_a);
  g_assert_cmpstr (wg_response_get_string (reported, "village_id"), ==, world->village_a);
  g_assert_cmpstr (wg_response_get_string (reported, "urgency"), ==, "normal");
  g_assert_true (g_regex_match_simple ("^20[0-9]{2}-[0-9]{6}$", wg_response_get_string (reported, "number"), 0, 0));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (obj (reported), "timeline")), ==, 1);

  /* upload: type and name checked, bytes come back */
  {
    g_autofree char *up = g_strdup_printf ("/api/v1/cases/%s/attachments?name=%s", client_id, "%E7%85%A7%E7%89%87.png");
    g_autoptr(GBytes) bytes = g_bytes_new_static (png, sizeof png);
    g_autoptr(WgResponse) wrong_type = NULL;

    upload = wg_test_request_raw (ts, NULL, worker, "POST", up, "image/png", bytes, NULL);
    wg_assert_status (upload, 201);
    g_assert_cmpstr (wg_response_get_string (upload, "name"), ==, "照片.png");
    wrong_type = wg_test_request_raw (ts, NULL, worker, "POST", up, "application/x-sharedlib", bytes, NULL);
    wg_assert_error (wrong_type, 415, "unsupported_media_type");
  }
  {
    static const char *names[] = { "..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "a%5Cb.png", ".hidden", "a%00b", "" };
    g_autoptr(GBytes) bytes = g_bytes_new_static (png, sizeof png);
    gint64 head = wg_test_head (ts);

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *up = g_strdup_printf ("/api/v1/cases/%s/attachments?name=%s", client_id, names[i]);
        g_autoptr(WgResponse) r = wg_test_request_raw (ts, NULL, worker, "POST", up, "image/png", bytes, NULL);

        wg_assert_status (r, 400);
        g_assert_nonnull (wg_response_error_code (r));
      }
    g_assert_cmpint (wg_test_head (ts), ==, head);
  }
  {
    g_autofree char *down = g_strdup_printf ("/api/v1/attachments/%s", wg_response_get_string (upload, "id"));
    g_autoptr(GBytes) bytes = NULL;

    got = wg_test_request (ts, ts->admin_token, "GET", down, NULL, NULL);
    wg_assert_status (got, 200);
    g_assert_cmpstr (soup_message_headers_get_content_type (got->headers, NULL), ==, "image/png");
    g_assert_true (memcmp (got->body, png, 8) == 0);
    g_assert_nonnull (strstr (soup_message_headers_get_one (got->headers, "Content-Disposition"), "UTF-8''"));
  }

  /* dispatch computes a deadline from the category (2 working hours) in working time */
  {
    g_autofree char *dispatch = g_strdup_printf ("/api/v1/cases/%s/actions/dispatch", client_id);
    g_autofree char *body = g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"}}", world->team);
    g_autofree char *wrong = g_strdup_printf ("{\"assignee\":{\"kind\":\"grid\",\"id\":\"%s\"}}", world->team);
    g_autoptr(WgResponse) bad = wg_test_request (ts, ts->admin_token, "POST", dispatch, wrong, NULL);
    g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "POST", dispatch, body, NULL);
    g_autoptr(GDateTime) deadline = NULL;
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    wg_assert_error (bad, 400, "validation_failed");
    wg_assert_status (r, 200);
    g_assert_cmpstr (wg_response_get_string (r, "state"), ==, "dispatched");
    deadline = g_date_time_new_from_iso8601 (wg_response_get_string (r, "deadline"), NULL);
    g_assert_nonnull (deadline);
    g_assert_cmpint (g_date_time_compare (deadline, now), >, 0);
  }

  /* resolve with the uploaded photo; a foreign id is refused */
  {
    g_autofree char *claim = g_strdup_printf ("/api/v1/cases/%s/actions/claim", client_id);
    g_autofree char *resolve = g_strdup_printf ("/api/v1/cases/%s/actions/resolve", client_id);
    g_autofree char *good = g_strdup_printf ("{\"result\":\"已更换灯泡\",\"photos\":[\"%s\"]}", wg_response_get_string (upload, "id"));
    g_autofree char *foreign = g_strdup_printf ("{\"result\":\"x\",\"photos\":[\"%s\"]}", world->team);
    g_autoptr(WgResponse) c = wg_test_request (ts, worker, "POST", claim, NULL, NULL);
    g_autoptr(WgResponse) f = wg_test_request (ts, worker, "POST", resolve, foreign, NULL);
    g_autoptr(WgResponse) r = wg_test_request (ts, worker, "POST", resolve, good, NULL);

    wg_assert_status (c, 200);
    wg_assert_error (f, 400, "validation_failed");
    wg_assert_status (r, 200);
    g_assert_cmpstr (wg_response_get_string (r, "result"), ==, "已更换灯泡");
  }

  /* self-handled report (自行处置) by a grid worker lands resolved */
  {
    g_autoptr(WgResponse) self = NULL;
    g_autofree char *self_id = g_uuid_string_random ();
    g_autofree char *self_path = g_strdup_printf ("/api/v1/cases/%s/actions/self_handle", self_id);
    g_autoptr(WgResponse) no_result = wg_test_request (ts, worker, "POST", self_path,
                                                       "{\"title\":\"占道\",\"source\":\"grid_patrol\"}", NULL);

    wg_assert_error (no_result, 400, "validation_failed");
    self = wg_test_request (ts, worker, "POST", self_path,
                            "{\"title\":\"占道\",\"source\":\"grid_patrol\",\"result\":\"劝离\"}", NULL);
    wg_assert_status (self, 201);
    g_assert_cmpstr (wg_response_get_string (self, "state"), ==, "resolved");
    g_assert_true (json_object_get_boolean_member (obj (self), "self_handled"));
  }

  /* the case list filters by state */
  {
    g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "GET", "/api/v1/cases?state=resolved&limit=1000", NULL, NULL);
    JsonArray *items;

    wg_assert_status (r, 200);
    items = json_object_get_array_member (obj (r), "items");
    g_assert_cmpuint (json_array_get_length (items), >=, 2);
    for (guint i = 0; i < json_array_get_length (items); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, i), "state"), ==, "resolved");
  }
}

int
main (int   argc,
      char *argv[])
{
  int rc;

  g_test_init (&argc, &argv, NULL);

  ts = wg_test_server_start (NULL);
  world = wg_test_world_create (ts);

  g_test_add_func ("/api/health-and-unknown", test_health_and_unknown);
  g_test_add_func ("/api/auth", test_auth);
  g_test_add_func ("/api/login-rate-limit", test_login_rate_limit);
  g_test_add_func ("/api/resources", test_resources_crud);
  g_test_add_func ("/api/every-kind", test_every_kind);
  g_test_add_func ("/api/roles-and-scope", test_roles_and_scope);
  g_test_add_func ("/api/bad-input", test_bad_input);
  g_test_add_func ("/api/idempotency", test_idempotency);
  g_test_add_func ("/api/cases-and-attachments", test_cases_and_attachments);

  rc = g_test_run ();
  wg_test_world_free (world);
  wg_test_server_free (ts);
  return rc;
}
