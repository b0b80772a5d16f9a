/* wg-server-private.h — what the server's files share: the request and the handlers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "wg-auth.h"
#include "wg-db.h"
#include "wg-domain.h"
#include "wg-routes.h"
#include "wg-schema.h"
#include "wg-server.h"
#include "wg-working-time.h"

G_BEGIN_DECLS

struct _WgRequest
{
  guint              ref_count;
  gboolean           async;          /* the handler paused the message and answers later */

  /* borrowed */
  WgServer          *server;
  SoupServerMessage *msg;
  const WgRoute     *route;
  const char        *method;
  GHashTable        *query;

  /* owned */
  char              *path;
  char              *params[WG_ROUTE_MAX_PARAMS];
  char              *address;
  char              *now;            /* one timestamp for everything the request writes */
  WgRecord          *account;        /* the caller, NULL before authentication */
  JsonObject        *account_obj;
  char              *token_hash;

  /* from the account, borrowed from account_obj */
  const char        *account_id;
  const char        *scope_village;  /* NULL: the whole township */
  WgRole             role;

  /* the response */
  guint              status;
  char              *response;
  const char        *content_type;
  GBytes            *raw_response;   /* downloads */
  gboolean           wrote;          /* a mutation happened: announce the new head */
};

struct _WgServer
{
  GObject            parent_instance;

  /* owned */
  WgDb              *db;
  SoupServer        *soup;
  WgWorkingCalendar *calendar;
  WgRateLimiter     *account_limiter;
  WgRateLimiter     *address_limiter;
  GPtrArray         *sockets;        /* SoupWebsocketConnection */
  GPtrArray         *grid_cache;     /* GridEntry, NULL when stale */
  char              *data_dir;
  char              *attachments_dir;
  guint              heartbeat_id;
  guint              purge_id;

  gint64             announced_head;
  gint64             grid_cache_seq;     /* newest grid change the cache reflects */
  gint64             calendar_seq;       /* newest holiday change the calendar reflects */
  gboolean           calendar_stale;
  gsize              max_body;
  gsize              max_upload;
  guint              heartbeat_seconds;
  guint              session_hours;
};

/* helpers shared by the handler files (wg-server.c) */
gboolean    _wg_request_parse_body      (WgRequest          *req,
                                         JsonNode          **out_root,
                                         GError            **error);
gint64      _wg_request_if_match       (WgRequest          *req);
gboolean    _wg_request_check_version  (WgRequest          *req,
                                         const WgRecord     *record,
                                         JsonObject         *body,
                                         GError            **error);
gboolean    _wg_request_can_see        (WgRequest          *req,
                                         const WgRecord     *record);
void        _wg_request_respond_record (WgRequest          *req,
                                         guint               status,
                                         const WgRecord     *record);
void        _wg_request_respond_json   (WgRequest          *req,
                                         guint               status,
                                         char               *json);
gboolean    _wg_ref_exists_cb          (const char         *kind,
                                         const char         *id,
                                         gpointer            user_data);
WgRecord   *_wg_request_get_visible    (WgRequest          *req,
                                         const char         *kind,
                                         const char         *id,
                                         GError            **error);
WgWorkingCalendar *_wg_server_get_calendar (WgServer       *self,
                                             GError         **error);
const char *_wg_server_locate_grid     (WgServer           *self,
                                         double              lon,
                                         double              lat,
                                         GError            **error);
void        _wg_server_invalidate      (WgServer           *self,
                                         const char         *kind);
char       *_wg_record_body_new        (const char         *id,
                                         gint64              version,
                                         const char         *created_at,
                                         const char         *updated_at,
                                         JsonObject         *fields);
JsonObject *_wg_record_parse_body      (const WgRecord     *record);
gboolean    _wg_store_record           (WgRequest          *req,
                                         WgRecord           *record,
                                         JsonObject         *fields,
                                         GError            **error);

/* handlers */
gboolean _wg_handle_health          (WgRequest *req, GError **error);
gboolean _wg_handle_session_create  (WgRequest *req, GError **error);
gboolean _wg_handle_session_get     (WgRequest *req, GError **error);
gboolean _wg_handle_session_delete  (WgRequest *req, GError **error);
gboolean _wg_handle_case_machine    (WgRequest *req, GError **error);
gboolean _wg_handle_changes         (WgRequest *req, GError **error);
gboolean _wg_handle_changes_live    (WgRequest *req, GError **error);
gboolean _wg_handle_resource_list   (WgRequest *req, GError **error);
gboolean _wg_handle_resource_create (WgRequest *req, GError **error);
gboolean _wg_handle_resource_get    (WgRequest *req, GError **error);
gboolean _wg_handle_resource_update (WgRequest *req, GError **error);
gboolean _wg_handle_resource_delete (WgRequest *req, GError **error);
gboolean _wg_handle_grid_locate     (WgRequest *req, GError **error);
gboolean _wg_handle_case_list       (WgRequest *req, GError **error);
gboolean _wg_handle_case_create     (WgRequest *req, GError **error);
gboolean _wg_handle_case_get        (WgRequest *req, GError **error);
gboolean _wg_handle_case_action     (WgRequest *req, GError **error);
gboolean _wg_handle_case_upload     (WgRequest *req, GError **error);
gboolean _wg_handle_attachment_get  (WgRequest *req, GError **error);

G_END_DECLS
