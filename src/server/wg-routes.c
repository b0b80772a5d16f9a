/* wg-routes.c — the route table of the API: the one list the server serves and the spec test reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The table is static data so that `wangge-server routes` prints exactly what the server
 * dispatches on, and the test comparing it with docs/api/openapi.yaml cannot be fooled by
 * a route registered some other way. First match wins, so fixed segments come before
 * {placeholders} on the same level (grids/locate before grids/{id}).
 */
#define G_LOG_DOMAIN "WgRoutes"

#include "config.h"

#include <string.h>

#include "wg-server-private.h"

#define RESOURCE(path, kind)                                                                   \
  { "GET",    "/api/v1/" path,           0, _wg_handle_resource_list,   kind },                \
  { "POST",   "/api/v1/" path,           0, _wg_handle_resource_create, kind },                \
  { "GET",    "/api/v1/" path "/{id}",   0, _wg_handle_resource_get,    kind },                \
  { "PATCH",  "/api/v1/" path "/{id}",   0, _wg_handle_resource_update, kind },                \
  { "DELETE", "/api/v1/" path "/{id}",   0, _wg_handle_resource_delete, kind }

static const WgRoute routes[] = {
  { "GET", "/api/v1/health", WG_ROUTE_NO_AUTH, _wg_handle_health, NULL },
  { "POST", "/api/v1/session",
    WG_ROUTE_NO_AUTH | WG_ROUTE_NO_TRANSACTION | WG_ROUTE_NO_IDEMPOTENCY | WG_ROUTE_READ_ONLY_OK,
    _wg_handle_session_create, NULL },
  { "GET", "/api/v1/session", 0, _wg_handle_session_get, NULL },
  { "DELETE", "/api/v1/session", WG_ROUTE_READ_ONLY_OK, _wg_handle_session_delete, NULL },
  { "GET", "/api/v1/case-machine", 0, _wg_handle_case_machine, NULL },
  { "GET", "/api/v1/changes", 0, _wg_handle_changes, NULL },
  { "GET", "/api/v1/changes/live", WG_ROUTE_WEBSOCKET, _wg_handle_changes_live, NULL },
  { "GET", "/api/v1/grids/locate", 0, _wg_handle_grid_locate, NULL },
  RESOURCE ("org-units", "org_units"),
  RESOURCE ("grids", "grids"),
  RESOURCE ("households", "households"),
  RESOURCE ("people", "people"),
  RESOURCE ("teams", "teams"),
  RESOURCE ("assignments", "assignments"),
  RESOURCE ("categories", "categories"),
  RESOURCE ("holidays", "holidays"),
  RESOURCE ("accounts", "accounts"),
  { "GET", "/api/v1/cases", 0, _wg_handle_case_list, NULL },
  { "POST", "/api/v1/cases", 0, _wg_handle_case_create, NULL },
  { "GET", "/api/v1/cases/{id}", 0, _wg_handle_case_get, NULL },
  { "POST", "/api/v1/cases/{id}/actions/{action}", 0, _wg_handle_case_action, NULL },
  { "POST", "/api/v1/cases/{id}/attachments", WG_ROUTE_RAW_BODY, _wg_handle_case_upload, NULL },
  { "GET", "/api/v1/attachments/{id}", 0, _wg_handle_attachment_get, NULL },
};

const WgRoute *
wg_routes_get_table (guint *n_routes)
{
  g_return_val_if_fail (n_routes != NULL, NULL);

  *n_routes = G_N_ELEMENTS (routes);
  return routes;
}

/* Matches one pattern; on success fills `params` (owned by the caller) in order. */
static gboolean
match_pattern (const char  *pattern,
               const char  *path,
               char       **params)
{
  g_auto(GStrv) want = g_strsplit (pattern, "/", -1);
  g_auto(GStrv) have = g_strsplit (path, "/", -1);
  guint n = 0;

  if (g_strv_length (want) != g_strv_length (have))
    return FALSE;
  for (guint i = 0; want[i] != NULL; i++)
    {
      if (want[i][0] == '{')
        {
          if (have[i][0] == '\0')
            return FALSE;
          continue;
        }
      if (strcmp (want[i], have[i]) != 0)
        return FALSE;
    }
  for (guint i = 0; want[i] != NULL && n < WG_ROUTE_MAX_PARAMS; i++)
    if (want[i][0] == '{')
      params[n++] = g_strdup (have[i]);
  return TRUE;
}

/* Returns the route for method and path, or NULL. When the path exists under other
 * methods, `allow` receives them (for 405 and the Allow header). */
const WgRoute *
wg_routes_match (const char  *method,
                 const char  *path,
                 char       **params,
                 GString     *allow)
{
  g_return_val_if_fail (method != NULL && path != NULL, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      char *found[WG_ROUTE_MAX_PARAMS] = { NULL, };

      if (!match_pattern (routes[i].pattern, path, found))
        continue;
      if (strcmp (routes[i].method, method) == 0)
        {
          for (guint j = 0; j < WG_ROUTE_MAX_PARAMS; j++)
            params[j] = found[j];
          return &routes[i];
        }
      for (guint j = 0; j < WG_ROUTE_MAX_PARAMS; j++)
        g_free (found[j]);
      if (allow != NULL && strstr (allow->str, routes[i].method) == NULL)
        g_string_append_printf (allow, "%s%s", allow->len ? ", " : "", routes[i].method);
    }
  return NULL;
}
