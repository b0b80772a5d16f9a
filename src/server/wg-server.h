/* wg-server.h — the HTTP server: routes, auth, resources, change feed and live channel
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "wg-db.h"

G_BEGIN_DECLS

#define WG_TYPE_SERVER (wg_server_get_type ())
G_DECLARE_FINAL_TYPE (WgServer, wg_server, WG, SERVER, GObject)

WgServer *wg_server_new        (WgDb             *db,
                                const char       *data_dir,
                                GError          **error);
void      wg_server_set_limits (WgServer         *self,
                                gsize             max_body,
                                gsize             max_upload,
                                guint             heartbeat_seconds,
                                guint             session_hours);
gboolean  wg_server_listen     (WgServer         *self,
                                const char       *address,
                                guint             port,
                                GTlsCertificate  *certificate,
                                char            **out_url,
                                GError          **error);
void      wg_server_shutdown   (WgServer         *self);

G_END_DECLS
