/* wg-store.h — the client's SQLite cache of the server's records, and the outbox
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WG_STORE_ERROR (wg_store_error_quark ())

typedef enum
{
  WG_STORE_ERROR_FAILED,
  WG_STORE_ERROR_TOO_NEW,     /* written by a newer Wangge: refused, never touched */
  WG_STORE_ERROR_CORRUPT,     /* not a Wangge cache, or damaged */
  WG_STORE_ERROR_BAD_DATA,    /* a record from the server that cannot be stored */
  WG_STORE_ERROR_NOT_FOUND,
} WgStoreError;

/* The schema this build writes; a cache with a higher user_version is refused. */
#define WG_STORE_SCHEMA_VERSION 5

/* Expressions over the cases table that the schema indexes, so that the queue sorts on them
 * without sorting: an ORDER BY must spell them exactly so for SQLite to use the index. */
#define WG_STORE_URGENCY_RANK \
  "(CASE urgency WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 WHEN 'low' THEN 3 ELSE 4 END)"
#define WG_STORE_STATE_RANK \
  "(CASE coalesce (local_state, state) WHEN 'reported' THEN 0 WHEN 'accepted' THEN 1" \
  " WHEN 'dispatched' THEN 2 WHEN 'claimed' THEN 3 WHEN 'in_progress' THEN 4 WHEN 'resolved' THEN 5" \
  " WHEN 'verified' THEN 6 WHEN 'escalated' THEN 7 WHEN 'closed' THEN 8 WHEN 'rejected' THEN 9" \
  " WHEN 'merged' THEN 10 ELSE 11 END)"

typedef struct _WgStoreTxn WgStoreTxn;

/* Runs on the writer thread inside one transaction; returning FALSE rolls it back. */
typedef gboolean (*WgStoreWriteFunc) (WgStoreTxn  *txn,
                                      gpointer     data,
                                      GError     **error);

typedef enum
{
  WG_OUTBOX_PENDING,      /* waiting to be sent */
  WG_OUTBOX_FAILED,       /* the server refused it; kept until retried or discarded */
} WgOutboxState;

typedef struct
{
  gint64         seq;
  char          *key;         /* the Idempotency-Key */
  char          *case_id;
  char          *action;
  char          *payload;     /* JSON body of the request */
  gint64         if_match;    /* the version the action was taken on; 0 for none */
  WgOutboxState  state;
  char          *error;       /* the server's or the network's words, for the person */
  guint          attempts;
  char          *created_at;
} WgOutboxItem;

void          wg_outbox_item_free      (WgOutboxItem *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgOutboxItem, wg_outbox_item_free)

#define WG_TYPE_STORE (wg_store_get_type ())

G_DECLARE_FINAL_TYPE (WgStore, wg_store, WG, STORE, GObject)

GQuark        wg_store_error_quark     (void);

WgStore      *wg_store_open            (const char          *path,
                                        GError             **error);
const char   *wg_store_get_path        (WgStore             *self);
void          wg_store_close           (WgStore             *self);

void          wg_store_write_async     (WgStore             *self,
                                        WgStoreWriteFunc     func,
                                        gpointer             data,
                                        GDestroyNotify       data_free,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean      wg_store_write_finish    (WgStore             *self,
                                        GAsyncResult        *result,
                                        GError             **error);
gboolean      wg_store_write_sync      (WgStore             *self,
                                        WgStoreWriteFunc     func,
                                        gpointer             data,
                                        GError             **error);

/* For the writer thread, inside a WgStoreWriteFunc. */
gboolean      wg_store_txn_upsert      (WgStoreTxn          *txn,
                                        const char          *kind,
                                        JsonObject          *record,
                                        GError             **error);
gboolean      wg_store_txn_upsert_text (WgStoreTxn          *txn,
                                        const char          *kind,
                                        JsonObject          *record,
                                        const char          *text,
                                        gssize               text_len,
                                        GError             **error);
gboolean      wg_store_txn_delete      (WgStoreTxn          *txn,
                                        const char          *kind,
                                        const char          *id,
                                        GError             **error);
gboolean      wg_store_txn_set_value   (WgStoreTxn          *txn,
                                        const char          *key,
                                        const char          *value,
                                        GError             **error);
gboolean      wg_store_txn_set_local_state (WgStoreTxn      *txn,
                                        const char          *case_id,
                                        const char          *local_state,
                                        int                  pending_delta,
                                        GError             **error);
gint64        wg_store_txn_outbox_add  (WgStoreTxn          *txn,
                                        const char          *key,
                                        const char          *case_id,
                                        const char          *action,
                                        const char          *payload,
                                        gint64               if_match,
                                        GError             **error);
gboolean      wg_store_txn_outbox_remove (WgStoreTxn        *txn,
                                        gint64               seq,
                                        GError             **error);
gboolean      wg_store_txn_outbox_fail (WgStoreTxn          *txn,
                                        gint64               seq,
                                        const char          *message,
                                        GError             **error);
gboolean      wg_store_txn_outbox_retry (WgStoreTxn         *txn,
                                        gint64               seq,
                                        GError             **error);
gboolean      wg_store_txn_wipe        (WgStoreTxn          *txn,
                                        GError             **error);

/* Reads. They run on the calling thread through its own connection: fast, indexed look-ups
 * only; callers keep them off the main thread where they may be slow. */
char         *wg_store_get_value       (WgStore             *self,
                                        const char          *key,
                                        GError             **error);
gint64        wg_store_get_cursor      (WgStore             *self,
                                        GError             **error);
gint64        wg_store_count           (WgStore             *self,
                                        const char          *kind,
                                        GError             **error);
char         *wg_store_checksum        (WgStore             *self,
                                        const char          *kind,
                                        GError             **error);
JsonObject   *wg_store_get_record      (WgStore             *self,
                                        const char          *kind,
                                        const char          *id,
                                        GError             **error);
GPtrArray    *wg_store_list_outbox     (WgStore             *self,
                                        GError             **error);
guint         wg_store_count_outbox    (WgStore             *self,
                                        GError             **error);

/* For a @where below: the cases whose number, title, description or address match the FTS5
 * query (wg_fts_build_query ()) bound as ?2. */
#define WG_STORE_CASE_SEARCH "rowid IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?2)"
/* A search matching more cases than this is tested row by row (see prepare_filtered ()). */
#define WG_STORE_SEARCH_MANY 20000

GArray       *wg_store_list_rowids     (WgStore             *self,
                                        const char          *kind,
                                        const char          *where,
                                        const char          *param,
                                        const char          *order_by,
                                        GError             **error);
gint64        wg_store_count_where     (WgStore             *self,
                                        const char          *kind,
                                        const char          *where,
                                        const char          *param,
                                        GError             **error);
gint64        wg_store_rowid_for       (WgStore             *self,
                                        const char          *kind,
                                        const char          *id);
gboolean      wg_store_read_row        (WgStore             *self,
                                        const char          *kind,
                                        gint64               rowid,
                                        char               **out_id,
                                        gint64              *out_version,
                                        char               **out_body,
                                        char               **out_local_state,
                                        guint               *out_pending,
                                        GError             **error);

/* The columns the cache keeps of a case beside its body, read by wg_store_read_case_columns ()
 * in this order: each the body's member of that name, but reported_at, which is created_at
 * when the body has none, and assignee_id, the body's assignee.id. */
typedef enum
{
  WG_CASE_COLUMN_NUMBER,
  WG_CASE_COLUMN_STATE,
  WG_CASE_COLUMN_URGENCY,
  WG_CASE_COLUMN_CATEGORY_ID,
  WG_CASE_COLUMN_VILLAGE_ID,
  WG_CASE_COLUMN_GRID_ID,
  WG_CASE_COLUMN_SOURCE,
  WG_CASE_COLUMN_TITLE,
  WG_CASE_COLUMN_ADDRESS,
  WG_CASE_COLUMN_REPORTED_AT,
  WG_CASE_COLUMN_DEADLINE,
  WG_CASE_COLUMN_ASSIGNEE_ID,
  WG_CASE_COLUMN_UPDATED_AT,
  WG_N_CASE_COLUMNS,
} WgCaseColumn;

gboolean      wg_store_read_case_columns (WgStore           *self,
                                        gint64               rowid,
                                        char               **out_id,
                                        gint64              *out_version,
                                        char               **out_body,
                                        char               **out_local_state,
                                        guint               *out_pending,
                                        char              ***out_columns,
                                        GError             **error);

/* Per grid: open, overdue, reported in the last 7 and 30 days (four ints in one array). */
GHashTable   *wg_store_case_counts_by_grid (WgStore         *self,
                                        GDateTime           *now,
                                        GError             **error);

/* A case as the map places it; the strings live only for the callback. lon and lat are NAN
 * when the case has no location. */
typedef struct
{
  const char *id;
  const char *number;
  const char *title;
  const char *state;        /* as the dispatcher sees it: the optimistic one while an action waits */
  const char *urgency;
  const char *deadline;
  const char *grid_id;
  double      lon;
  double      lat;
} WgCasePoint;

typedef void (*WgCasePointFunc) (const WgCasePoint *point,
                                 gpointer           user_data);

gboolean      wg_store_foreach_case_point (WgStore       *self,
                                        const char          *where,
                                        const char          *param,
                                        WgCasePointFunc      func,
                                        gpointer             user_data,
                                        GError             **error);
GHashTable   *wg_store_open_load       (WgStore             *self,
                                        GError             **error);
GPtrArray    *wg_store_list_records    (WgStore             *self,
                                        const char          *kind,
                                        GError             **error);

GPtrArray    *wg_store_list_records_with (WgStore          *self,
                                        const char          *kind,
                                        const char          *member,
                                        const char * const  *values,
                                        GError             **error);

/* An open case near another, for "may be the same". */
typedef struct
{
  char   *id;
  char   *number;
  char   *title;
  char   *state;         /* as shown: an action waiting in the outbox counts */
  char   *category_id;
  char   *reported_at;
  double  lon;
  double  lat;
  double  distance_m;
} WgNearbyCase;

void          wg_nearby_case_free      (WgNearbyCase        *item);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgNearbyCase, wg_nearby_case_free)

GPtrArray    *wg_store_find_cases_near (WgStore             *self,
                                        double               lon,
                                        double               lat,
                                        double               radius_m,
                                        const char          *reported_since,
                                        const char          *exclude_id,
                                        const char          *category_id,
                                        guint                limit,
                                        GError             **error);

const char * const *wg_store_kinds     (void);

char         *wg_fts_prepare_text      (const char          *text);
char         *wg_fts_build_query       (const char          *text);

G_END_DECLS
