/* demo-harness.h — generates demo townships and serves them on loopback for the demo tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Every test generates with this reference time, so runs compare byte for byte. */
#define DEMO_NOW "2026-11-24T08:00:00Z"

typedef struct
{
  char        *data_dir;
  char        *url;
  GSubprocess *process;
  SoupSession *session;
} DemoServer;

char       *demo_make_dir        (void);
void        demo_remove_tree     (const char   *dir);
int         demo_run             (const char * const *argv,
                                  char        **out_stdout,
                                  char        **out_stderr);
char       *demo_generate        (const char   *dir,
                                  const char   *seed,
                                  const char   *cases);
DemoServer *demo_server_start    (const char   *data_dir);
void        demo_server_free     (DemoServer   *self);
JsonNode   *demo_call            (DemoServer   *self,
                                  const char   *token,
                                  const char   *method,
                                  const char   *path,
                                  const char   *body,
                                  guint        *out_status);
char       *demo_login           (DemoServer   *self,
                                  const char   *username,
                                  const char   *password);
GPtrArray  *demo_list_all        (DemoServer   *self,
                                  const char   *token,
                                  const char   *path);

GHashTable *demo_account_roles   (DemoServer   *self,
                                  const char   *admin_token);
void        demo_assert_timeline (JsonObject   *case_obj,
                                  GHashTable   *roles);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (DemoServer, demo_server_free)

G_END_DECLS
