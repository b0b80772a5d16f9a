/* wg-server.c — the HTTP server: routing, auth, generic resources, change feed, live channel
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every request is handled to completion on the main thread with the one SQLite connection.
 * That is deliberate: SQLite has one writer anyway, a township's load is a few requests per
 * second, and a request's transaction never interleaves with another's, so the change log
 * cannot see two writers at once. Only the Argon2id check of a login leaves the main
 * thread, because it takes long enough (tens of ms, 64 MiB) to stall everyone else.
 *
 * A mutating request runs in one transaction: the record, its change-log entry and the
 * idempotency record commit together, so a retried POST either sees the first response or
 * finds nothing done.
 */
#define G_LOG_DOMAIN "WgServer"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <string.h>

#include "wg-api-error.h"
#include "wg-case-machine.h"
#include "wg-geometry.h"
#include "wg-json.h"
#include "wg-server-private.h"

#define DEFAULT_LIST_LIMIT 100
#define MAX_LIST_LIMIT 1000
#define DEFAULT_CHANGES_LIMIT 500
#define MAX_CHANGES_LIMIT 5000
/* Keys live at least the seven days the contract promises; purge a day later. */
#define IDEMPOTENCY_KEEP_DAYS 8
#define LOGIN_FAILURES_PER_ACCOUNT 5
#define LOGIN_FAILURES_PER_ADDRESS 20
#define LOGIN_WINDOW_SECONDS (15 * 60)

/* Roles that do not need residents' phone numbers to do their work see them masked. */
#define MASKED_ROLES (WG_ROLE_LEADER | WG_ROLE_TEAM_MEMBER)

typedef struct
{
  char      *id;
  char      *village_id;
  WgPolygon *polygon;
} GridEntry;

G_DEFINE_FINAL_TYPE (WgServer, wg_server, G_TYPE_OBJECT)

static const char * const echo_fields[] = { "id", "version", "created_at", "updated_at", NULL };

/* --- requests -------------------------------------------------------------------------- */

static void
request_free (WgRequest *req)
{
  if (--req->ref_count > 0)
    return;

  for (guint i = 0; i < WG_ROUTE_MAX_PARAMS; i++)
    g_free (req->params[i]);
  g_free (req->path);
  g_free (req->address);
  g_free (req->now);
  g_clear_pointer (&req->account, wg_record_free);
  g_clear_pointer (&req->account_obj, json_object_unref);
  g_free (req->token_hash);
  g_free (req->response);
  g_clear_pointer (&req->raw_response, g_bytes_unref);
  g_clear_object (&req->msg);
  g_clear_object (&req->server);
  g_free (req);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgRequest, request_free)

static char *
error_json (const char *code,
            const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return wg_json_to_string (root);
}

static void
request_set_error (WgRequest    *req,
                   const GError *error)
{
  guint status = wg_api_error_status (error);

  if (error->domain != WG_API_ERROR || status >= 500)
    {
      /* The text may name files and SQL: log it, tell the client only that it failed. */
      g_warning ("%s %s failed: %s", req->method, req->path, error->message);
      g_free (req->response);
      req->response = error_json ("internal",
                                  _("The server failed to handle the request. The administrator can find the cause in the server's log."));
      req->status = 500;
    }
  else
    {
      g_free (req->response);
      req->response = error_json (wg_api_error_code (error), error->message);
      req->status = status;
    }
  req->content_type = "application/json";
  g_clear_pointer (&req->raw_response, g_bytes_unref);
}

void
_wg_request_respond_json (WgRequest *req,
                          guint      status,
                          char      *json)
{
  g_free (req->response);
  req->response = json;
  req->status = status;
  req->content_type = "application/json";
}

static void
send_response (WgRequest *req)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_server_message_set_status (req->msg, req->status, NULL);
  if (req->raw_response != NULL)
    {
      soup_message_headers_set_content_type (headers, req->content_type, NULL);
      soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), req->raw_response);
    }
  else if (req->response != NULL)
    {
      gsize len = strlen (req->response);

      soup_server_message_set_response (req->msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                        g_steal_pointer (&req->response), len);
    }
  g_debug ("%s %s %s → %u", req->address, req->method, req->path, req->status);
}

/* Sends a JSON error straight on a message that has no WgRequest yet. */
static void
message_set_error (SoupServerMessage *msg,
                   guint              status,
                   const char        *code,
                   const char        *message)
{
  char *json = error_json (code, message);

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, json, strlen (json));
}

gboolean
_wg_request_parse_body (WgRequest  *req,
                        JsonNode  **out_root,
                        GError    **error)
{
  SoupMessageBody *body = soup_server_message_get_request_body (req->msg);
  g_autoptr(GBytes) bytes = soup_message_body_flatten (body);
  g_autoptr(GError) local = NULL;
  const char *ctype;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len > req->server->max_body)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_TOO_LARGE,
                   _("The request body has %zu bytes; the limit is %zu."),
                   (size_t) len, (size_t) req->server->max_body);
      return FALSE;
    }
  ctype = soup_message_headers_get_content_type (soup_server_message_get_request_headers (req->msg), NULL);
  if (len > 0 && ctype != NULL && g_ascii_strcasecmp (ctype, "application/json") != 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_UNSUPPORTED_MEDIA,
                   _("The body must be JSON (Content-Type: application/json), not %s."), ctype);
      return FALSE;
    }
  *out_root = wg_json_parse_object (data, len, &local);
  if (*out_root == NULL)
    {
      g_set_error_literal (error, WG_API_ERROR, WG_API_ERROR_INVALID_JSON, local->message);
      return FALSE;
    }
  return TRUE;
}

/* Returns the version named by If-Match ("3", "\"3\"" or W/"3"), -1 when absent and -2
 * when it is present but not a version. */
gint64
_wg_request_if_match (WgRequest *req)
{
  const char *value = soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), "If-Match");
  g_autofree char *text = NULL;
  char *end = NULL;
  gint64 v;

  if (value == NULL)
    return -1;
  if (g_str_has_prefix (value, "W/"))
    value += 2;
  text = g_strstrip (g_strdup (value));
  if (strcmp (text, "*") == 0)
    return -1;
  if (text[0] == '"' && strlen (text) >= 2 && text[strlen (text) - 1] == '"')
    {
      memmove (text, text + 1, strlen (text));
      text[strlen (text) - 1] = '\0';
    }
  v = g_ascii_strtoll (text, &end, 10);
  if (end == text || *end != '\0' || v < 1)
    return -2;
  return v;
}

/* Optimistic concurrency: the client names the version it last saw, by If-Match or by
 * echoing "version" in the body; a newer stored version means someone else changed the
 * record meanwhile. */
gboolean
_wg_request_check_version (WgRequest       *req,
                           const WgRecord  *record,
                           JsonObject      *body,
                           GError         **error)
{
  gint64 want = _wg_request_if_match (req);
  gint64 echoed;

  if (want == -2)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                   _("If-Match must be the record's version as its ETag gives it, e.g. \"3\"."));
      return FALSE;
    }
  if (want > 0 && want != record->version)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_VERSION_MISMATCH,
                   _("The record changed since you read it (you have version %lld, it is now %lld). Reload it and try again."),
                   (long long) want, (long long) record->version);
      return FALSE;
    }
  if (body != NULL && json_object_has_member (body, "version"))
    {
      if (!wg_json_get_int (body, "version", &echoed))
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_VALIDATION, _("“version” must be a whole number."));
          return FALSE;
        }
      if (echoed != record->version)
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_VERSION_MISMATCH,
                       _("The record changed since you read it (you have version %lld, it is now %lld). Reload it and try again."),
                       (long long) echoed, (long long) record->version);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
_wg_request_can_see (WgRequest      *req,
                     const WgRecord *record)
{
  const WgKind *kind = wg_schema_find_kind (record->kind);

  if (kind == NULL || (kind->read_roles & req->role) == 0)
    return FALSE;
  if (req->scope_village == NULL)
    return TRUE;
  if (record->village_id == NULL)
    return strcmp (record->kind, "cases") != 0;
  return strcmp (record->village_id, req->scope_village) == 0;
}

/* Returns a live record the caller may see, or NULL with a 404: a record of another
 * village is reported as absent, not forbidden, so ids cannot be probed. */
WgRecord *
_wg_request_get_visible (WgRequest   *req,
                         const char  *kind,
                         const char  *id,
                         GError     **error)
{
  g_autoptr(WgRecord) record = NULL;
  g_autoptr(GError) local = NULL;
  const WgKind *k = wg_schema_find_kind (kind);

  if (!wg_uuid_is_valid (id))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_INVALID_ID,
                   _("“%s” is not an id; ids are lower-case UUIDs (8-4-4-4-12 hex digits)."), id);
      return NULL;
    }
  record = wg_db_get_record (req->server->db, id, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return NULL;
    }
  if (record == NULL || record->deleted || strcmp (record->kind, kind) != 0 || !_wg_request_can_see (req, record))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_NOT_FOUND,
                   _("There is no %s with id %s, or it is outside your scope."), k ? _(k->singular) : kind, id);
      return NULL;
    }
  return g_steal_pointer (&record);
}

static void
mask_phones (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          if ((strcmp (name, "phone") == 0 || g_str_has_suffix (name, "_phone")) && wg_json_is_string (member))
            {
              g_autofree char *masked = wg_phone_mask (json_node_get_string (member));

              json_node_set_string (member, masked);
            }
          else
            mask_phones (member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        mask_phones (json_array_get_element (array, i));
    }
}

/* The body as this caller may see it: stored text as is, or with phones masked. */
static char *
body_for (WgRequest  *req,
          const char *body)
{
  g_autoptr(JsonNode) node = NULL;

  if ((req->role & MASKED_ROLES) == 0 || strstr (body, "phone\"") == NULL)
    return g_strdup (body);
  node = wg_json_parse (body, -1, NULL);
  if (node == NULL)
    return g_strdup (body);
  mask_phones (node);
  return wg_json_to_string (node);
}

void
_wg_request_respond_record (WgRequest      *req,
                            guint           status,
                            const WgRecord *record)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (req->msg);
  g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", record->version);

  soup_message_headers_replace (headers, "ETag", etag);
  _wg_request_respond_json (req, status, body_for (req, record->body));
}

gboolean
_wg_ref_exists_cb (const char *kind,
                   const char *id,
                   gpointer    user_data)
{
  WgRequest *req = user_data;
  g_autoptr(WgRecord) record = wg_db_get_record (req->server->db, id, NULL);

  return record != NULL && !record->deleted && strcmp (record->kind, kind) == 0;
}

/* --- records --------------------------------------------------------------------------- */

/* The stored form of a record: the server's members first, then the fields. */
char *
_wg_record_body_new (const char *id,
                     gint64      version,
                     const char *created_at,
                     const char *updated_at,
                     JsonObject *fields)
{
  g_autoptr(JsonObject) obj = json_object_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  JsonObjectIter iter;
  const char *name;
  JsonNode *node;

  json_object_set_string_member (obj, "id", id);
  json_object_set_int_member (obj, "version", version);
  json_object_set_string_member (obj, "created_at", created_at);
  json_object_set_string_member (obj, "updated_at", updated_at);
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &node))
    if (!g_strv_contains (echo_fields, name))
      json_object_set_member (obj, name, json_node_copy (node));
  json_node_set_object (root, obj);
  return wg_json_to_string (root);
}

JsonObject *
_wg_record_parse_body (const WgRecord *record)
{
  g_autoptr(JsonNode) node = wg_json_parse (record->body, -1, NULL);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

/* Writes `record` with `fields` as its body (version, updated_at as set by the caller)
 * and maps a taken unique key to 409. */
gboolean
_wg_store_record (WgRequest  *req,
                  WgRecord   *record,
                  JsonObject *fields,
                  GError    **error)
{
  g_autoptr(GError) local = NULL;
  const WgKind *kind = wg_schema_find_kind (record->kind);

  g_free (record->body);
  record->body = _wg_record_body_new (record->id, record->version, record->created_at,
                                      record->updated_at, fields);
  if (!wg_db_put_record (req->server->db, record, req->account_id, NULL, &local))
    {
      if (g_error_matches (local, WG_DB_ERROR, WG_DB_ERROR_CONSTRAINT))
        {
          g_set_error (error, WG_API_ERROR, WG_API_ERROR_CONFLICT,
                       _("Another %s already has %s “%s”; choose another."),
                       kind ? _(kind->singular) : record->kind,
                       kind && kind->natural_key ? kind->natural_key : "id",
                       record->natural_key ? record->natural_key : record->id);
          return FALSE;
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  req->wrote = TRUE;
  _wg_server_invalidate (req->server, record->kind);
  return TRUE;
}

/* --- auth ------------------------------------------------------------------------------ */

static gboolean
load_account (WgRequest   *req,
              const char  *account_id,
              GError     **error)
{
  g_autoptr(WgRecord) account = wg_db_get_record (req->server->db, account_id, error);
  g_autoptr(JsonObject) obj = NULL;
  JsonNode *active;

  if (account == NULL || account->deleted)
    return FALSE;
  obj = _wg_record_parse_body (account);
  active = json_object_get_member (obj, "active");
  if (active != NULL && JSON_NODE_HOLDS_VALUE (active) && !json_node_get_boolean (active))
    return FALSE;
  if (!wg_role_from_string (wg_json_get_string (obj, "role"), &req->role))
    return FALSE;
  req->account_obj = g_steal_pointer (&obj);
  req->account = g_steal_pointer (&account);
  req->account_id = req->account->id;
  req->scope_village = wg_json_get_string (req->account_obj, "scope_village_id");
  return TRUE;
}

static gboolean
authenticate (WgRequest  *req,
              GError    **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *auth = soup_message_headers_get_one (headers, "Authorization");
  const char *token = NULL;
  g_autofree char *account_id = NULL;
  g_autoptr(GError) local = NULL;

  if (auth != NULL && g_ascii_strncasecmp (auth, "Bearer ", 7) == 0)
    token = auth + 7;
  /* Browsers cannot set headers on a WebSocket; the live channel also takes the token
   * as a query parameter (over TLS, like the header). */
  else if (req->route->flags & WG_ROUTE_WEBSOCKET && req->query != NULL)
    token = g_hash_table_lookup (req->query, "access_token");

  if (token == NULL || *token == '\0')
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_UNAUTHENTICATED,
                   _("Sign in first: send “Authorization: Bearer TOKEN” with a token from POST /api/v1/session."));
      return FALSE;
    }
  req->token_hash = wg_auth_hash_token (token);
  account_id = wg_db_lookup_session (req->server->db, req->token_hash, req->now, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (account_id == NULL || !load_account (req, account_id, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_UNAUTHENTICATED,
                   _("The token is unknown, expired or its account disabled; sign in again."));
      return FALSE;
    }
  return TRUE;
}

/* --- the dispatcher -------------------------------------------------------------------- */

static void announce_head (WgServer *self);

static gboolean
replay_idempotent (WgRequest   *req,
                   const char  *key,
                   const char  *request_line,
                   gboolean    *out_replayed,
                   GError     **error)
{
  g_autofree char *stored_request = NULL;
  g_autofree char *stored_body = NULL;
  guint stored_status = 0;
  g_autoptr(GError) local = NULL;

  *out_replayed = FALSE;
  if (!wg_db_idempotency_lookup (req->server->db, req->account_id, key, &stored_request,
                                 &stored_status, &stored_body, &local))
    {
      if (local != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      return TRUE;
    }
  if (strcmp (stored_request, request_line) != 0)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_IDEMPOTENCY_REUSED,
                   _("This Idempotency-Key was already used for “%s”; use a new key for a new request."),
                   stored_request);
      return FALSE;
    }
  _wg_request_respond_json (req, stored_status, g_steal_pointer (&stored_body));
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Idempotent-Replayed", "true");
  *out_replayed = TRUE;
  return TRUE;
}

static gboolean
store_idempotent (WgRequest   *req,
                  const char  *key,
                  const char  *request_line,
                  GError     **error)
{
  return wg_db_idempotency_store (req->server->db, req->account_id, key, request_line,
                                  req->status, req->response ? req->response : "", req->now, error);
}

static gboolean
check_idempotency_key (const char  *key,
                       GError     **error)
{
  if (strlen (key) == 0 || strlen (key) > 200)
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                   _("The Idempotency-Key must have 1 to 200 characters; a UUID is a good choice."));
      return FALSE;
    }
  for (const char *p = key; *p; p++)
    if ((guchar) *p < 0x21 || (guchar) *p > 0x7e)
      {
        g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                     _("The Idempotency-Key must be printable ASCII without spaces."));
        return FALSE;
      }
  return TRUE;
}

/* Runs the route's handler in a transaction with idempotency around it. Returns FALSE
 * with the error for the response. */
static gboolean
run_handler (WgRequest  *req,
             GError    **error)
{
  const WgRoute *route = req->route;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
  const char *key = NULL;
  g_autofree char *request_line = NULL;
  gboolean mutating = strcmp (req->method, "GET") != 0;
  gboolean replayed = FALSE;
  g_autoptr(GError) local = NULL;
  WgDb *db = req->server->db;

  if (!(route->flags & WG_ROUTE_NO_AUTH) && !authenticate (req, error))
    return FALSE;

  if (mutating && req->role == WG_ROLE_LEADER && !(route->flags & WG_ROUTE_READ_ONLY_OK))
    {
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_READ_ONLY,
                   _("Leaders' accounts are read only; ask a dispatcher or an administrator to make this change."));
      return FALSE;
    }

  if (strcmp (req->method, "POST") == 0 && !(route->flags & WG_ROUTE_NO_IDEMPOTENCY))
    key = soup_message_headers_get_one (headers, "Idempotency-Key");
  if (key != NULL)
    {
      if (!check_idempotency_key (key, error))
        return FALSE;
      request_line = g_strdup_printf ("%s %s", req->method, req->path);
      if (!replay_idempotent (req, key, request_line, &replayed, error))
        return FALSE;
      if (replayed)
        return TRUE;
    }

  if (!mutating || (route->flags & WG_ROUTE_NO_TRANSACTION))
    return route->handler (req, error);

  if (!wg_db_begin (db, error))
    return FALSE;
  if (!route->handler (req, &local))
    {
      wg_db_rollback (db);
      req->wrote = FALSE;
      _wg_server_invalidate (req->server, NULL);
      /* The failure is the first response too: a retry gets the same answer, unless the
       * server itself failed, which a retry may fix. */
      if (key != NULL && wg_api_error_status (local) < 500)
        {
          request_set_error (req, local);
          if (wg_db_begin (db, NULL))
            {
              if (!store_idempotent (req, key, request_line, NULL) || !wg_db_commit (db, NULL))
                wg_db_rollback (db);
            }
        }
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if ((key != NULL && !store_idempotent (req, key, request_line, error)) || !wg_db_commit (db, error))
    {
      wg_db_rollback (db);
      req->wrote = FALSE;
      _wg_server_invalidate (req->server, NULL);
      return FALSE;
    }
  return TRUE;
}

static void
handle_request_cb (SoupServer        *soup,
                   SoupServerMessage *msg,
                   const char        *path,
                   GHashTable        *query,
                   gpointer           user_data)
{
  WgServer *self = user_data;
  g_autoptr(WgRequest) req = g_new0 (WgRequest, 1);
  g_autoptr(GString) allow = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  req->ref_count = 1;
  req->server = g_object_ref (self);
  req->msg = g_object_ref (msg);
  req->method = soup_server_message_get_method (msg);
  req->query = query;
  req->path = g_strdup (path);
  req->address = g_strdup (soup_server_message_get_remote_host (msg));
  req->now = wg_rfc3339_now ();
  req->status = 200;

  /* A NUL hidden in the query would silently cut a value short (?name=a%00.exe reads "a"). */
  {
    const char *raw = g_uri_get_query (soup_server_message_get_uri (msg));

    if (raw != NULL && (strstr (raw, "%00") != NULL))
      {
        g_set_error (&error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                     _("The query contains a NUL character (%%00), which no parameter may hold."));
        request_set_error (req, error);
        send_response (req);
        return;
      }
  }

  req->route = wg_routes_match (req->method, path, req->params, allow);
  if (req->route == NULL)
    {
      if (allow->len > 0)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", allow->str);
          g_set_error (&error, WG_API_ERROR, WG_API_ERROR_METHOD_NOT_ALLOWED,
                       _("%s is not allowed on %s; use %s."), req->method, path, allow->str);
        }
      else
        g_set_error (&error, WG_API_ERROR, WG_API_ERROR_NOT_FOUND,
                     _("There is no API endpoint at %s. The API lives under /api/v1; see docs/api/openapi.yaml."),
                     path);
      request_set_error (req, error);
      send_response (req);
      return;
    }

  if (req->route->flags & WG_ROUTE_WEBSOCKET)
    {
      /* Only authenticate here; the handshake completes after this handler when no status
       * is set, and changes_live_cb takes over. */
      if (!authenticate (req, &error))
        {
          request_set_error (req, error);
          send_response (req);
        }
      else if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, NULL))
        {
          g_set_error (&error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST,
                       _("%s is a WebSocket endpoint; connect with a WebSocket client."), path);
          request_set_error (req, error);
          send_response (req);
        }
      return;
    }

  ok = run_handler (req, &error);
  if (ok && req->async)
    return;   /* the handler finishes it later (login) */
  if (!ok)
    request_set_error (req, error);
  send_response (req);
  if (req->wrote)
    announce_head (self);
}

/* Rejects an oversized body from its Content-Length before libsoup reads it: a client
 * must not make the server buffer gigabytes only to be told no. */
static void
early_handler_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  WgServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  goffset length = soup_message_headers_get_content_length (headers);
  gboolean upload = g_str_has_suffix (path, "/attachments") && g_str_has_prefix (path, "/api/v1/cases/");
  gsize limit = upload ? self->max_upload : self->max_body;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH && (gsize) length > limit)
    {
      g_autofree char *text = g_strdup_printf (_("The request body has %lld bytes; the limit here is %zu."),
                                               (long long) length, (size_t) limit);

      message_set_error (msg, 413, "body_too_large", text);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection", "close");
    }
}

/* --- the live channel ------------------------------------------------------------------ */

static void
send_to_sockets (WgServer   *self,
                 const char *type,
                 gint64      head)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"%s\",\"head\":%" G_GINT64_FORMAT "}", type, head);

  for (guint i = 0; i < self->sockets->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (self->sockets, i);

      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (conn, text);
    }
}

static void
announce_head (WgServer *self)
{
  gint64 head = wg_db_get_head (self->db, NULL);

  if (head > self->announced_head)
    {
      self->announced_head = head;
      send_to_sockets (self, "head", head);
    }
}

static gboolean
heartbeat_cb (gpointer user_data)
{
  WgServer *self = user_data;

  send_to_sockets (self, "heartbeat", MAX (self->announced_head, wg_db_get_head (self->db, NULL)));
  return G_SOURCE_CONTINUE;
}

static void
socket_closed_cb (SoupWebsocketConnection *conn,
                  gpointer                 user_data)
{
  WgServer *self = user_data;

  g_ptr_array_remove (self->sockets, conn);
}

static void
changes_live_cb (SoupServer              *soup,
                 SoupServerMessage       *msg,
                 const char              *path,
                 SoupWebsocketConnection *conn,
                 gpointer                 user_data)
{
  WgServer *self = user_data;
  g_autofree char *hello = NULL;
  gint64 head = wg_db_get_head (self->db, NULL);

  g_ptr_array_add (self->sockets, g_object_ref (conn));
  g_signal_connect_object (conn, "closed", G_CALLBACK (socket_closed_cb), self, 0);
  /* Protocol-level pings find dead peers behind NATs that drop idle connections. */
  soup_websocket_connection_set_keepalive_interval (conn, self->heartbeat_seconds);
  hello = g_strdup_printf ("{\"type\":\"head\",\"head\":%" G_GINT64_FORMAT "}", head);
  soup_websocket_connection_send_text (conn, hello);
}

gboolean
_wg_handle_changes_live (WgRequest  *req,
                         GError    **error)
{
  /* Never called: the route is served by changes_live_cb; it is here for the route table. */
  g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REQUEST, "WebSocket only");
  return FALSE;
}

/* --- caches ---------------------------------------------------------------------------- */

static void
grid_entry_free (gpointer data)
{
  GridEntry *e = data;

  g_free (e->id);
  g_free (e->village_id);
  g_clear_pointer (&e->polygon, wg_polygon_unref);
  g_free (e);
}

void
_wg_server_invalidate (WgServer   *self,
                       const char *kind)
{
  if (kind == NULL || strcmp (kind, "grids") == 0)
    g_clear_pointer (&self->grid_cache, g_ptr_array_unref);
  if (kind == NULL || strcmp (kind, "holidays") == 0)
    self->calendar_stale = TRUE;
}

/* The built-in official calendar with the deployment's holidays on top. */
WgWorkingCalendar *
_wg_server_get_calendar (WgServer  *self,
                         GError   **error)
{
  g_autofree char *after = NULL;
  gint64 seq = wg_db_get_kind_head (self->db, "holidays", error);

  if (seq < 0)
    return NULL;
  if (!self->calendar_stale && seq == self->calendar_seq)
    return self->calendar;
  self->calendar_seq = seq;

  g_clear_object (&self->calendar);
  self->calendar = wg_working_calendar_new ();
  for (;;)
    {
      g_autoptr(GPtrArray) page = wg_db_list_records (self->db, "holidays", NULL, TRUE, NULL, NULL,
                                                      after, 1000, error);

      if (page == NULL)
        return NULL;
      for (guint i = 0; i < page->len; i++)
        {
          WgRecord *r = g_ptr_array_index (page, i);
          g_autoptr(JsonObject) obj = _wg_record_parse_body (r);
          const char *kind = wg_json_get_string (obj, "kind");

          wg_working_calendar_set_day_iso (self->calendar, wg_json_get_string (obj, "date"),
                                           g_strcmp0 (kind, "workday") == 0 ? WG_DAY_KIND_WORKDAY
                                                                            : WG_DAY_KIND_HOLIDAY);
        }
      if (page->len < 1000)
        break;
      g_free (after);
      after = g_strdup (((WgRecord *) g_ptr_array_index (page, page->len - 1))->id);
    }
  self->calendar_stale = FALSE;
  return self->calendar;
}

/* Returns the id of the grid containing the point, or NULL. The polygons are parsed once
 * and kept until a grid changes; a township has about a thousand. */
const char *
_wg_server_locate_grid (WgServer  *self,
                        double     lon,
                        double     lat,
                        GError   **error)
{
  gint64 seq = wg_db_get_kind_head (self->db, "grids", error);

  if (seq < 0)
    return NULL;
  if (seq != self->grid_cache_seq)
    g_clear_pointer (&self->grid_cache, g_ptr_array_unref);
  self->grid_cache_seq = seq;
  if (self->grid_cache == NULL)
    {
      g_autoptr(GPtrArray) cache = g_ptr_array_new_with_free_func (grid_entry_free);
      g_autofree char *after = NULL;

      for (;;)
        {
          g_autoptr(GPtrArray) page = wg_db_list_records (self->db, "grids", NULL, TRUE, NULL, NULL,
                                                          after, 1000, error);

          if (page == NULL)
            return NULL;
          for (guint i = 0; i < page->len; i++)
            {
              WgRecord *r = g_ptr_array_index (page, i);
              g_autoptr(JsonObject) obj = _wg_record_parse_body (r);
              JsonNode *boundary = json_object_get_member (obj, "boundary");
              WgPolygon *poly;
              GridEntry *e;

              if (boundary == NULL || (poly = wg_polygon_new_from_json (boundary, NULL)) == NULL)
                continue;
              e = g_new0 (GridEntry, 1);
              e->id = g_strdup (r->id);
              e->village_id = g_strdup (r->village_id);
              e->polygon = poly;
              g_ptr_array_add (cache, e);
            }
          if (page->len < 1000)
            break;
          g_free (after);
          after = g_strdup (((WgRecord *) g_ptr_array_index (page, page->len - 1))->id);
        }
      self->grid_cache = g_steal_pointer (&cache);
    }

  for (guint i = 0; i < self->grid_cache->len; i++)
    {
      GridEntry *e = g_ptr_array_index (self->grid_cache, i);

      if (wg_polygon_contains (e->polygon, lon, lat))
        return e->id;
    }
  return NULL;
}

static gboolean
purge_cb (gpointer user_data)
{
  WgServer *self = user_data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -IDEMPOTENCY_KEEP_DAYS);
  g_autofree char *now_s = wg_rfc3339_format (now);
  g_autofree char *cutoff_s = wg_rfc3339_format (cutoff);
  g_autoptr(GError) error = NULL;

  if (!wg_db_purge (self->db, now_s, cutoff_s, &error))
    g_warning ("Purging expired sessions and idempotency keys failed: %s", error->message);
  return G_SOURCE_CONTINUE;
}

/* --- object ---------------------------------------------------------------------------- */

static void
wg_server_dispose (GObject *object)
{
  WgServer *self = (WgServer *)object;

  wg_server_shutdown (self);
  g_clear_object (&self->soup);
  g_clear_object (&self->db);
  g_clear_object (&self->calendar);
  g_clear_object (&self->account_limiter);
  g_clear_object (&self->address_limiter);
  g_clear_pointer (&self->grid_cache, g_ptr_array_unref);

  G_OBJECT_CLASS (wg_server_parent_class)->dispose (object);
}

static void
wg_server_finalize (GObject *object)
{
  WgServer *self = (WgServer *)object;

  g_clear_pointer (&self->sockets, g_ptr_array_unref);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->attachments_dir, g_free);

  G_OBJECT_CLASS (wg_server_parent_class)->finalize (object);
}

static void
wg_server_class_init (WgServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wg_server_dispose;
  object_class->finalize = wg_server_finalize;
}

static void
wg_server_init (WgServer *self)
{
  self->sockets = g_ptr_array_new_with_free_func (g_object_unref);
  self->calendar_stale = TRUE;
  self->max_body = 1024 * 1024;
  self->max_upload = 10 * 1024 * 1024;
  self->heartbeat_seconds = 15;
  self->session_hours = 12;
  self->account_limiter = wg_rate_limiter_new (LOGIN_FAILURES_PER_ACCOUNT, LOGIN_WINDOW_SECONDS);
  self->address_limiter = wg_rate_limiter_new (LOGIN_FAILURES_PER_ADDRESS, LOGIN_WINDOW_SECONDS);
}

WgServer *
wg_server_new (WgDb        *db,
               const char  *data_dir,
               GError     **error)
{
  g_autoptr(WgServer) self = NULL;

  g_return_val_if_fail (WG_IS_DB (db), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (WG_TYPE_SERVER, NULL);
  self->db = g_object_ref (db);
  self->data_dir = g_strdup (data_dir);
  self->attachments_dir = g_build_filename (data_dir, "attachments", NULL);
  if (g_mkdir_with_parents (self->attachments_dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Cannot create the attachments directory %s: %s"), self->attachments_dir, g_strerror (saved));
      return NULL;
    }
  self->announced_head = wg_db_get_head (db, NULL);
  return g_steal_pointer (&self);
}

void
wg_server_set_limits (WgServer *self,
                      gsize     max_body,
                      gsize     max_upload,
                      guint     heartbeat_seconds,
                      guint     session_hours)
{
  g_return_if_fail (WG_IS_SERVER (self));

  self->max_body = max_body;
  self->max_upload = max_upload;
  self->heartbeat_seconds = MAX (1, heartbeat_seconds);
  self->session_hours = MAX (1, session_hours);
}

/* Listens on address:port (port 0 picks a free one) with TLS when a certificate is given,
 * and returns the URL clients reach. */
gboolean
wg_server_listen (WgServer         *self,
                  const char       *address,
                  guint             port,
                  GTlsCertificate  *certificate,
                  char            **out_url,
                  GError          **error)
{
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  GSList *uris;
  SoupServerListenOptions options = 0;

  g_return_val_if_fail (WG_IS_SERVER (self), FALSE);
  g_return_val_if_fail (self->soup == NULL, FALSE);

  inet = g_inet_address_new_from_string (address);
  if (inet == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not an IP address to listen on (e.g. 127.0.0.1, 0.0.0.0 or ::)."), address);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, port);

  self->soup = soup_server_new ("server-header", "wangge-server/" PACKAGE_VERSION " ",
                                "tls-certificate", certificate, NULL);
  if (certificate != NULL)
    options |= SOUP_SERVER_LISTEN_HTTPS;
  soup_server_add_early_handler (self->soup, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handle_request_cb, self, NULL);
  /* The live channel's normal handler authenticates; then the WebSocket handler runs. */
  soup_server_add_handler (self->soup, "/api/v1/changes/live", handle_request_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, "/api/v1/changes/live", NULL, NULL,
                                     changes_live_cb, self, NULL);
  if (!soup_server_listen (self->soup, sockaddr, options, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (out_url != NULL && uris != NULL)
    *out_url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  self->heartbeat_id = g_timeout_add_seconds (self->heartbeat_seconds, heartbeat_cb, self);
  self->purge_id = g_timeout_add_seconds (3600, purge_cb, self);
  purge_cb (self);
  return TRUE;
}

/* Stops accepting requests and closes live connections. Every acknowledged write is
 * already committed (a request's transaction ends before its response is sent), so
 * nothing is pending here. */
void
wg_server_shutdown (WgServer *self)
{
  g_return_if_fail (WG_IS_SERVER (self));

  g_clear_handle_id (&self->heartbeat_id, g_source_remove);
  g_clear_handle_id (&self->purge_id, g_source_remove);
  for (guint i = 0; self->sockets != NULL && i < self->sockets->len; i++)
    {
      SoupWebsocketConnection *conn = g_ptr_array_index (self->sockets, i);

      g_signal_handlers_disconnect_by_data (conn, self);
      if (soup_websocket_connection_get_state (conn) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (conn, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "server shutting down");
    }
  if (self->sockets != NULL)
    g_ptr_array_set_size (self->sockets, 0);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
}

/* --- session --------------------------------------------------------------------------- */

typedef struct
{
  WgRequest *req;
  char      *username;
  char      *password;
  char      *hash;
  char      *account_id;
  gboolean   verified;
} Login;

static void
login_free (Login *login)
{
  if (login->password != NULL)
    memset (login->password, 0, strlen (login->password));
  g_free (login->password);
  g_free (login->username);
  g_free (login->hash);
  g_free (login->account_id);
  request_free (login->req);
  g_free (login);
}

/* A hash to verify against when the username is unknown, so that the answer takes as long
 * as for a real account and does not tell which usernames exist. */
static const char *
dummy_hash (void)
{
  static char *hash = NULL;

  if (hash == NULL)
    hash = wg_auth_hash_password ("not-a-real-password-ever", NULL);
  return hash;
}

static void
verify_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Login *login = task_data;

  login->verified = wg_auth_verify_password (login->hash, login->password) && login->account_id != NULL;
  g_task_return_boolean (task, TRUE);
}

static gboolean
finish_login (Login   *login,
              GError **error)
{
  WgRequest *req = login->req;
  WgServer *self = req->server;
  g_autofree char *account_key = g_strdup_printf ("account:%s", login->username);
  g_autofree char *address_key = g_strdup_printf ("address:%s", req->address);
  g_autofree char *token = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expires = g_date_time_add_hours (now, self->session_hours);
  g_autofree char *expires_s = wg_rfc3339_format (expires);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) account_node = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!login->verified || !load_account (req, login->account_id, NULL))
    {
      wg_rate_limiter_failed (self->account_limiter, account_key, g_get_monotonic_time ());
      wg_rate_limiter_failed (self->address_limiter, address_key, g_get_monotonic_time ());
      wg_db_audit (self->db, req->now, login->account_id, req->address, "login-failed", login->username, NULL);
      g_message ("Failed login for “%s” from %s", login->username, req->address);
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_UNAUTHENTICATED,
                   _("The username or password is wrong, or the account is disabled."));
      return FALSE;
    }
  wg_rate_limiter_reset (self->account_limiter, account_key);

  token = wg_auth_new_token ();
  req->token_hash = wg_auth_hash_token (token);
  if (!wg_db_begin (self->db, error))
    return FALSE;
  if (!wg_db_insert_session (self->db, req->token_hash, req->account_id, req->now, expires_s,
                             req->address, error) ||
      !wg_db_audit (self->db, req->now, req->account_id, req->address, "login", NULL, error) ||
      !wg_db_commit (self->db, error))
    {
      wg_db_rollback (self->db);
      return FALSE;
    }

  account_node = wg_json_parse (req->account->body, -1, NULL);
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "token_type");
  json_builder_add_string_value (b, "Bearer");
  json_builder_set_member_name (b, "expires_at");
  json_builder_add_string_value (b, expires_s);
  json_builder_set_member_name (b, "account");
  json_builder_add_value (b, g_steal_pointer (&account_node));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  _wg_request_respond_json (req, 201, wg_json_to_string (root));
  g_message ("%s signed in from %s", login->username, req->address);
  return TRUE;
}

static void
verify_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Login *login = g_task_get_task_data (G_TASK (result));
  WgRequest *req = login->req;
  g_autoptr(GError) error = NULL;

  if (!finish_login (login, &error))
    request_set_error (req, error);
  send_response (req);
  soup_server_message_unpause (req->msg);
}

gboolean
_wg_handle_session_create (WgRequest  *req,
                           GError    **error)
{
  static const WgFieldSpec fields[] = {
    { "username", WG_FIELD_STRING, WG_FIELD_REQUIRED, NULL, NULL, NULL, 1, 64 },
    { "password", WG_FIELD_PASSWORD, WG_FIELD_REQUIRED, NULL, NULL, NULL, 0, 0 },
    { NULL, 0, 0, NULL, NULL, NULL, 0, 0 }
  };
  WgServer *self = req->server;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(WgRecord) account = NULL;
  g_autoptr(GTask) task = NULL;
  g_autofree char *account_key = NULL;
  g_autofree char *address_key = NULL;
  JsonObject *body;
  Login *login;
  guint retry_a = 0, retry_b = 0;

  if (!_wg_request_parse_body (req, &root, error))
    return FALSE;
  body = json_node_get_object (root);
  if (!wg_schema_validate (fields, body, FALSE, NULL, NULL, NULL, error))
    return FALSE;

  account_key = g_strdup_printf ("account:%s", wg_json_get_string (body, "username"));
  address_key = g_strdup_printf ("address:%s", req->address);
  if (wg_rate_limiter_blocked (self->account_limiter, account_key, g_get_monotonic_time (), &retry_a) ||
      wg_rate_limiter_blocked (self->address_limiter, address_key, g_get_monotonic_time (), &retry_b))
    {
      g_autofree char *retry = g_strdup_printf ("%u", MAX (retry_a, retry_b));

      soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After", retry);
      g_set_error (error, WG_API_ERROR, WG_API_ERROR_TOO_MANY_REQUESTS,
                   _("Too many failed sign-ins for this account or from this address. Wait %u seconds, or ask an administrator to check the account."),
                   MAX (retry_a, retry_b));
      return FALSE;
    }

  account = wg_db_find_by_key (self->db, "accounts", wg_json_get_string (body, "username"), error);
  if (account == NULL && error != NULL && *error != NULL)
    return FALSE;

  login = g_new0 (Login, 1);
  login->req = req;
  req->ref_count++;
  login->username = g_strdup (wg_json_get_string (body, "username"));
  login->password = g_strdup (wg_json_get_string (body, "password"));
  if (account != NULL)
    {
      login->account_id = g_strdup (account->id);
      login->hash = wg_db_get_password_hash (self->db, account->id, NULL);
    }
  if (login->hash == NULL)
    {
      g_clear_pointer (&login->account_id, g_free);
      login->hash = g_strdup (dummy_hash ());
    }

  req->async = TRUE;
  soup_server_message_pause (req->msg);
  task = g_task_new (self, NULL, verify_done_cb, NULL);
  g_task_set_source_tag (task, _wg_handle_session_create);
  g_task_set_task_data (task, login, (GDestroyNotify) login_free);
  g_task_run_in_thread (task, verify_thread);
  return TRUE;
}

gboolean
_wg_handle_session_get (WgRequest  *req,
                        GError    **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "account");
  json_builder_add_value (b, wg_json_parse (req->account->body, -1, NULL));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  _wg_request_respond_json (req, 200, wg_json_to_string (root));
  return TRUE;
}

gboolean
_wg_handle_session_delete (WgRequest  *req,
                           GError    **error)
{
  if (!wg_db_delete_session (req->server->db, req->token_hash, error) ||
      !wg_db_audit (req->server->db, req->now, req->account_id, req->address, "logout", NULL, error))
    return FALSE;
  req->status = 204;
  g_clear_pointer (&req->response, g_free);
  return TRUE;
}
