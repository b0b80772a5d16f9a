/* wg-test-server.h — runs the real wangge-server on loopback for a test and talks HTTP to it
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  GSubprocess *process;
  char        *data_dir;
  char        *url;          /* "http://127.0.0.1:PORT" without the trailing slash */
  char        *admin_token;
  char        *admin_id;
} WgTestServer;

typedef struct
{
  guint               status;
  char               *body;
  JsonNode           *json;      /* NULL when the body is not JSON */
  SoupMessageHeaders *headers;
} WgResponse;

#define WG_TEST_ADMIN_PASSWORD "admin-password-1"
#define WG_TEST_PASSWORD "password-1234"

const char   *wg_test_server_binary   (void);
WgTestServer *wg_test_server_start    (const char * const *extra_args);
WgTestServer *wg_test_server_start_in (const char         *data_dir,
                                       const char * const *extra_args);
void          wg_test_server_stop     (WgTestServer       *ts,
                                       gboolean            remove_data);
void          wg_test_server_free     (WgTestServer       *ts);

WgResponse   *wg_test_request         (WgTestServer       *ts,
                                       const char         *token,
                                       const char         *method,
                                       const char         *path,
                                       const char         *body,
                                       ...) G_GNUC_NULL_TERMINATED;
WgResponse   *wg_test_request_raw     (WgTestServer       *ts,
                                       SoupSession        *session,
                                       const char         *token,
                                       const char         *method,
                                       const char         *path,
                                       const char         *content_type,
                                       GBytes             *body,
                                       const char * const *headers);
void          wg_response_free        (WgResponse         *r);

char         *wg_test_login           (WgTestServer       *ts,
                                       const char         *username,
                                       const char         *password);
char         *wg_test_add_account     (WgTestServer       *ts,
                                       const char         *username,
                                       const char         *role,
                                       const char         *village_id,
                                       char              **out_token);
char         *wg_test_create          (WgTestServer       *ts,
                                       const char         *token,
                                       const char         *path,
                                       const char         *body);
gint64        wg_test_head            (WgTestServer       *ts);

const char   *wg_response_get_string  (WgResponse         *r,
                                       const char         *member);
gint64        wg_response_get_int     (WgResponse         *r,
                                       const char         *member);
const char   *wg_response_error_code  (WgResponse         *r);
void          wg_assert_status        (WgResponse         *r,
                                       guint               status);
void          wg_assert_error         (WgResponse         *r,
                                       guint               status,
                                       const char         *code);

int           wg_test_run_command     (const char * const *argv,
                                       const char         *stdin_text,
                                       char              **out_stdout);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgResponse, wg_response_free)

G_END_DECLS
