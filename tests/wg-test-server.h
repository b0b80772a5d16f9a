/* wg-test-server.h — a real wangge-server on loopback for the client's tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char        *data_dir;
  char        *url;
  guint16      port;
  GSubprocess *process;
  SoupSession *session;
  char        *admin_token;
  GStrv        extra_args;   /* added to "serve", e.g. TLS options */
} WgTestServer;

#define WG_TEST_ADMIN_PASSWORD      "admin-pass-1"
#define WG_TEST_DISPATCHER_PASSWORD "dispatch-pass-1"

WgTestServer *wg_test_server_new       (void);
void          wg_test_server_start     (WgTestServer  *self);
void          wg_test_server_kill      (WgTestServer  *self);
void          wg_test_server_free      (WgTestServer  *self);
char         *wg_test_server_login     (WgTestServer  *self,
                                        const char    *username,
                                        const char    *password);
JsonNode     *wg_test_server_call      (WgTestServer  *self,
                                        const char    *token,
                                        const char    *method,
                                        const char    *path,
                                        const char    *body,
                                        guint         *out_status);
char         *wg_test_server_create    (WgTestServer  *self,
                                        const char    *path,
                                        const char    *body);
void          wg_test_server_seed      (WgTestServer  *self,
                                        guint          n_grids,
                                        guint          n_cases,
                                        GPtrArray     *case_ids);
char         *wg_test_server_checksum  (WgTestServer  *self,
                                        const char    *kind,
                                        gint64        *out_count);
const char   *wg_test_server_kind_path (const char    *kind);

void          wg_test_remove_tree      (const char    *dir);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgTestServer, wg_test_server_free)

G_END_DECLS
