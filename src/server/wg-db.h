/* wg-db.h — the server's storage: every SQL statement of wangge-server lives behind this API
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define WG_DB_ERROR (wg_db_error_quark ())

typedef enum
{
  WG_DB_ERROR_FAILED,
  WG_DB_ERROR_CONSTRAINT,     /* a unique key (grid code, username, …) is taken */
  WG_DB_ERROR_MISSING,        /* no database in the data directory yet */
  WG_DB_ERROR_TOO_NEW,        /* written by a newer wangge-server */
} WgDbError;

/* One stored resource. `body` is the whole record as the API returns it (JSON text), so
 * reads and the change feed send it without re-encoding; the other fields are the columns
 * queries and permission checks need. */
typedef struct
{
  char    *kind;
  char    *id;
  gint64   version;
  char    *created_at;
  char    *updated_at;
  char    *village_id;    /* the village the record belongs to, NULL for township-wide */
  char    *natural_key;   /* unique within the kind while not deleted, or NULL */
  gboolean deleted;
  char    *body;
} WgRecord;

typedef struct
{
  char  *id;
  char  *case_id;
  char  *name;
  char  *content_type;
  gint64 size;
} WgAttachmentInfo;

/* Called once per change of the feed, in sequence order. `body` is NULL for tombstones. */
typedef void (*WgChangeFunc) (gint64      seq,
                              const char *kind,
                              const char *id,
                              gint64      version,
                              const char *op,
                              const char *at,
                              const char *body,
                              gpointer    user_data);

#define WG_TYPE_DB (wg_db_get_type ())
G_DECLARE_FINAL_TYPE (WgDb, wg_db, WG, DB, GObject)

GQuark      wg_db_error_quark            (void);

WgDb       *wg_db_open                   (const char        *path,
                                          gboolean           create,
                                          GError           **error);
int         wg_db_get_schema_version     (WgDb              *self);

/* Transactions. Every mutation of the API runs inside one: the record, its change-log entry
 * and the idempotency record commit together or not at all. To insert many records in bulk
 * (imports, a generated demo township) wrap the wg_db_put_record() calls in one of these. */
gboolean    wg_db_begin                  (WgDb              *self,
                                          GError           **error);
gboolean    wg_db_commit                 (WgDb              *self,
                                          GError           **error);
void        wg_db_rollback               (WgDb              *self);
gboolean    wg_db_in_transaction         (WgDb              *self);

WgRecord   *wg_db_get_record             (WgDb              *self,
                                          const char        *id,
                                          GError           **error);
WgRecord   *wg_db_find_by_key            (WgDb              *self,
                                          const char        *kind,
                                          const char        *natural_key,
                                          GError           **error);
gboolean    wg_db_put_record             (WgDb              *self,
                                          const WgRecord    *record,
                                          const char        *actor_id,
                                          gint64            *out_seq,
                                          GError           **error);
gboolean    wg_db_delete_record          (WgDb              *self,
                                          const WgRecord    *record,
                                          const char        *actor_id,
                                          gint64            *out_seq,
                                          GError           **error);
GPtrArray  *wg_db_list_records           (WgDb              *self,
                                          const char        *kind,
                                          const char        *village_id,
                                          gboolean           shared_visible,
                                          const char        *json_path,
                                          const char        *json_value,
                                          const char        *after_id,
                                          guint              limit,
                                          GError           **error);
gint64      wg_db_count_records          (WgDb              *self,
                                          const char        *kind,
                                          GError           **error);

gint64      wg_db_get_head               (WgDb              *self,
                                          GError           **error);
gint64      wg_db_get_kind_head          (WgDb              *self,
                                          const char        *kind,
                                          GError           **error);
gboolean    wg_db_read_changes           (WgDb              *self,
                                          gint64             since,
                                          guint              limit,
                                          const char        *village_id,
                                          gboolean           with_accounts,
                                          WgChangeFunc       func,
                                          gpointer           user_data,
                                          gint64            *out_next,
                                          gboolean          *out_has_more,
                                          GError           **error);

gint64      wg_db_next_counter           (WgDb              *self,
                                          const char        *name,
                                          GError           **error);

gboolean    wg_db_set_password_hash      (WgDb              *self,
                                          const char        *account_id,
                                          const char        *hash,
                                          GError           **error);
char       *wg_db_get_password_hash      (WgDb              *self,
                                          const char        *account_id,
                                          GError           **error);
gboolean    wg_db_insert_session         (WgDb              *self,
                                          const char        *token_hash,
                                          const char        *account_id,
                                          const char        *created_at,
                                          const char        *expires_at,
                                          const char        *address,
                                          GError           **error);
char       *wg_db_lookup_session         (WgDb              *self,
                                          const char        *token_hash,
                                          const char        *now,
                                          GError           **error);
gboolean    wg_db_delete_session         (WgDb              *self,
                                          const char        *token_hash,
                                          GError           **error);
gboolean    wg_db_delete_account_sessions (WgDb             *self,
                                           const char       *account_id,
                                           GError          **error);

gboolean    wg_db_idempotency_lookup     (WgDb              *self,
                                          const char        *account_id,
                                          const char        *key,
                                          char             **out_request,
                                          guint             *out_status,
                                          char             **out_body,
                                          GError           **error);
gboolean    wg_db_idempotency_store      (WgDb              *self,
                                          const char        *account_id,
                                          const char        *key,
                                          const char        *request,
                                          guint              status,
                                          const char        *body,
                                          const char        *at,
                                          GError           **error);

gboolean    wg_db_insert_attachment      (WgDb              *self,
                                          const WgAttachmentInfo *info,
                                          const char        *sha256,
                                          const char        *at,
                                          const char        *actor_id,
                                          GError           **error);
WgAttachmentInfo *wg_db_get_attachment   (WgDb              *self,
                                          const char        *id,
                                          GError           **error);

gboolean    wg_db_audit                  (WgDb              *self,
                                          const char        *at,
                                          const char        *actor_id,
                                          const char        *address,
                                          const char        *event,
                                          const char        *detail,
                                          GError           **error);
gboolean    wg_db_purge                  (WgDb              *self,
                                          const char        *now,
                                          const char        *idempotency_cutoff,
                                          GError           **error);
gboolean    wg_db_backup                 (WgDb              *self,
                                          const char        *destination,
                                          GError           **error);
gboolean    wg_db_checkpoint             (WgDb              *self,
                                          GError           **error);

WgRecord   *wg_record_new                (const char        *kind,
                                          const char        *id);
WgRecord   *wg_record_copy               (const WgRecord    *record);
void        wg_record_free               (WgRecord          *record);
void        wg_attachment_info_free      (WgAttachmentInfo  *info);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgRecord, wg_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgAttachmentInfo, wg_attachment_info_free)

G_END_DECLS
