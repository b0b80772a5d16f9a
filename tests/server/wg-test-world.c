/* wg-test-world.c — a small township the server tests share: two villages, grids, a team
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include "wg-test-world.h"

static char *
square (double lon,
        double lat)
{
  return g_strdup_printf ("{\"type\":\"Polygon\",\"coordinates\":[[[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f],[%.2f,%.2f]]]}",
                          lon, lat, lon + 0.01, lat, lon + 0.01, lat + 0.01, lon, lat + 0.01, lon, lat);
}

WgTestWorld *
wg_test_world_create (WgTestServer *ts)
{
  WgTestWorld *w = g_new0 (WgTestWorld, 1);
  const char *tok = ts->admin_token;
  g_autofree char *body = NULL;
  g_autofree char *sq_a = square (104.30, 24.90);
  g_autofree char *sq_b = square (104.40, 24.90);

  w->township = wg_test_create (ts, tok, "/api/v1/org-units", "{\"name\":\"马街镇\",\"kind\":\"township\"}");
  body = g_strdup_printf ("{\"name\":\"A村\",\"kind\":\"village\",\"parent_id\":\"%s\"}", w->township);
  w->village_a = wg_test_create (ts, tok, "/api/v1/org-units", body);
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"B村\",\"kind\":\"village\",\"parent_id\":\"%s\"}", w->township);
  w->village_b = wg_test_create (ts, tok, "/api/v1/org-units", body);
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"一组\",\"kind\":\"group\",\"parent_id\":\"%s\"}", w->village_a);
  w->group_a = wg_test_create (ts, tok, "/api/v1/org-units", body);
  g_free (body);
  body = g_strdup_printf ("{\"code\":\"530324101001001\",\"name\":\"A1\",\"village_id\":\"%s\",\"group_ids\":[\"%s\"],"
                          "\"boundary\":%s,\"household_count\":320,\"population\":1010}",
                          w->village_a, w->group_a, sq_a);
  w->grid_a = wg_test_create (ts, tok, "/api/v1/grids", body);
  g_free (body);
  body = g_strdup_printf ("{\"code\":\"530324101002001\",\"name\":\"B1\",\"village_id\":\"%s\",\"boundary\":%s}",
                          w->village_b, sq_b);
  w->grid_b = wg_test_create (ts, tok, "/api/v1/grids", body);
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"张三\",\"kinds\":[\"grid_worker\"],\"worker_type\":\"full_time\","
                          "\"phone\":\"13812345678\",\"org_unit_id\":\"%s\"}", w->village_a);
  w->person = wg_test_create (ts, tok, "/api/v1/people", body);
  g_free (body);
  w->team = wg_test_create (ts, tok, "/api/v1/teams",
                            "{\"name\":\"便民服务队\",\"kind\":\"service_team\",\"duty_phone\":\"0874-1234567\"}");
  w->category = wg_test_create (ts, tok, "/api/v1/categories",
                                "{\"name\":\"公用设施\",\"default_urgency\":\"normal\",\"deadline_value\":2,\"deadline_unit\":\"hours\"}");
  body = g_strdup_printf ("{\"address\":\"B村1号\",\"grid_id\":\"%s\",\"head_name\":\"李四\",\"phone\":\"13900001111\","
                          "\"members\":[{\"name\":\"李小四\",\"relation\":\"son\",\"phone\":\"13900002222\"}],"
                          "\"tags\":[\"in_difficulty\"]}", w->grid_b);
  w->household_b = wg_test_create (ts, tok, "/api/v1/households", body);
  return w;
}

void
wg_test_world_free (WgTestWorld *w)
{
  if (w == NULL)
    return;
  g_free (w->township);
  g_free (w->village_a);
  g_free (w->village_b);
  g_free (w->group_a);
  g_free (w->grid_a);
  g_free (w->grid_b);
  g_free (w->person);
  g_free (w->team);
  g_free (w->category);
  g_free (w->household_b);
  g_free (w);
}
