/* wg-routes.h — the route table of the API: the one list the server serves and the spec test reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _WgRequest WgRequest;

typedef gboolean (*WgRouteHandler) (WgRequest  *request,
                                    GError    **error);

typedef enum
{
  WG_ROUTE_NO_AUTH        = 1 << 0,  /* login and health answer without a token */
  WG_ROUTE_NO_TRANSACTION = 1 << 1,  /* the handler manages storage itself */
  WG_ROUTE_NO_IDEMPOTENCY = 1 << 2,  /* login: its response holds a secret never to be stored */
  WG_ROUTE_WEBSOCKET      = 1 << 3,
  WG_ROUTE_RAW_BODY       = 1 << 4,  /* uploads: the body is a file, not JSON */
  WG_ROUTE_READ_ONLY_OK   = 1 << 5,  /* leaders may call it although it is not a GET */
} WgRouteFlags;

typedef struct
{
  const char     *method;
  const char     *pattern;   /* "/api/v1/cases/{id}/actions/{action}" */
  WgRouteFlags    flags;
  WgRouteHandler  handler;
  const char     *kind;      /* for the generic resource handlers */
} WgRoute;

#define WG_ROUTE_MAX_PARAMS 2

const WgRoute *wg_routes_get_table (guint        *n_routes);
const WgRoute *wg_routes_match     (const char   *method,
                                    const char   *path,
                                    char        **params,
                                    GString      *allow);

G_END_DECLS
