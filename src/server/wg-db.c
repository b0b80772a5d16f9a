/* wg-db.c — the server's storage: every SQL statement of wangge-server lives in this file
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keeping all SQL here is what lets a PostgreSQL backend replace SQLite for a city without
 * touching the routes: the rest of the server speaks WgRecord and change-feed callbacks.
 *
 * Records of every kind share one table. The API's record (JSON) is stored whole in `body`
 * and served as is; the few columns beside it are what queries and permission checks need.
 *
 * The change log relies on SQLite's single writer: a sequence number is taken inside the
 * write transaction, and no other transaction can commit until this one does, so sequence
 * numbers become visible strictly in order and a reader polling `seq > cursor` can never
 * skip one that commits later with a smaller number. A backend with concurrent writers
 * (PostgreSQL) needs another scheme, for example reading only up to the oldest open
 * transaction's sequence.
 *
 * Statements are prepared once when the database opens and reset after each use.
 */
#define G_LOG_DOMAIN "WgDb"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sqlite3.h>

#include "wg-db.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

typedef enum
{
  STMT_BEGIN,
  STMT_COMMIT,
  STMT_ROLLBACK,
  STMT_GET_RECORD,
  STMT_FIND_BY_KEY,
  STMT_PUT_RECORD,
  STMT_INSERT_CHANGE,
  STMT_LIST_RECORDS,
  STMT_COUNT_RECORDS,
  STMT_HEAD,
  STMT_KIND_HEAD,
  STMT_READ_CHANGES,
  STMT_NEXT_COUNTER,
  STMT_SET_PASSWORD,
  STMT_GET_PASSWORD,
  STMT_INSERT_SESSION,
  STMT_LOOKUP_SESSION,
  STMT_DELETE_SESSION,
  STMT_DELETE_ACCOUNT_SESSIONS,
  STMT_IDEMPOTENCY_LOOKUP,
  STMT_IDEMPOTENCY_STORE,
  STMT_INSERT_ATTACHMENT,
  STMT_GET_ATTACHMENT,
  STMT_AUDIT,
  STMT_PURGE_SESSIONS,
  STMT_PURGE_IDEMPOTENCY,
  N_STMTS
} StmtId;

static const char * const stmt_sql[N_STMTS] = {
  [STMT_BEGIN] = "BEGIN IMMEDIATE",
  [STMT_COMMIT] = "COMMIT",
  [STMT_ROLLBACK] = "ROLLBACK",
  [STMT_GET_RECORD] =
    "SELECT kind, id, version, created_at, updated_at, village_id, natural_key, deleted, body "
    "FROM records WHERE id = ?1",
  [STMT_FIND_BY_KEY] =
    "SELECT kind, id, version, created_at, updated_at, village_id, natural_key, deleted, body "
    "FROM records WHERE kind = ?1 AND natural_key = ?2 AND deleted = 0",
  [STMT_PUT_RECORD] =
    "INSERT INTO records (id, kind, version, created_at, updated_at, village_id, natural_key, deleted, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
    "ON CONFLICT (id) DO UPDATE SET version = ?3, updated_at = ?5, village_id = ?6, "
    "natural_key = ?7, deleted = ?8, body = ?9",
  [STMT_INSERT_CHANGE] =
    "INSERT INTO changes (kind, id, version, op, village_id, actor_id, at, body) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  /* The JSON path of the optional filter is a bound parameter too, so one statement serves
   * every filter and no text from a request ever becomes SQL. */
  [STMT_LIST_RECORDS] =
    "SELECT kind, id, version, created_at, updated_at, village_id, natural_key, deleted, body "
    "FROM records WHERE kind = ?1 AND deleted = 0 "
    "AND (?2 IS NULL OR village_id = ?2 OR (village_id IS NULL AND ?3)) "
    "AND (?4 IS NULL OR json_extract (body, ?4) = ?5) "
    "AND (?6 IS NULL OR id > ?6) "
    "ORDER BY id LIMIT ?7",
  [STMT_COUNT_RECORDS] = "SELECT count(*) FROM records WHERE kind = ?1 AND deleted = 0",
  [STMT_HEAD] = "SELECT coalesce (max (seq), 0) FROM changes",
  [STMT_KIND_HEAD] = "SELECT coalesce (max (seq), 0) FROM changes WHERE kind = ?1",
  [STMT_READ_CHANGES] =
    "SELECT seq, kind, id, version, op, at, body FROM changes WHERE seq > ?1 "
    "AND (?2 IS NULL OR village_id = ?2 OR (village_id IS NULL AND kind <> 'cases')) "
    "AND (?3 OR kind <> 'accounts') "
    "ORDER BY seq LIMIT ?4",
  [STMT_NEXT_COUNTER] =
    "INSERT INTO counters (name, value) VALUES (?1, 1) "
    "ON CONFLICT (name) DO UPDATE SET value = value + 1 RETURNING value",
  [STMT_SET_PASSWORD] =
    "INSERT INTO account_secrets (account_id, password_hash) VALUES (?1, ?2) "
    "ON CONFLICT (account_id) DO UPDATE SET password_hash = ?2",
  [STMT_GET_PASSWORD] = "SELECT password_hash FROM account_secrets WHERE account_id = ?1",
  [STMT_INSERT_SESSION] =
    "INSERT INTO sessions (token_hash, account_id, created_at, expires_at, address) "
    "VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_LOOKUP_SESSION] = "SELECT account_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
  [STMT_DELETE_SESSION] = "DELETE FROM sessions WHERE token_hash = ?1",
  [STMT_DELETE_ACCOUNT_SESSIONS] = "DELETE FROM sessions WHERE account_id = ?1",
  [STMT_IDEMPOTENCY_LOOKUP] =
    "SELECT request, status, body FROM idempotency WHERE account_id = ?1 AND key = ?2",
  [STMT_IDEMPOTENCY_STORE] =
    "INSERT INTO idempotency (account_id, key, request, status, body, created_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
  [STMT_INSERT_ATTACHMENT] =
    "INSERT INTO attachments (id, case_id, name, content_type, size, sha256, created_at, created_by) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
  [STMT_GET_ATTACHMENT] =
    "SELECT id, case_id, name, content_type, size FROM attachments WHERE id = ?1",
  [STMT_AUDIT] = "INSERT INTO audit (at, actor_id, address, event, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
  [STMT_PURGE_SESSIONS] = "DELETE FROM sessions WHERE expires_at <= ?1",
  [STMT_PURGE_IDEMPOTENCY] = "DELETE FROM idempotency WHERE created_at < ?1",
};

/* Migrations by PRAGMA user_version: entry i takes the schema from version i to i + 1.
 * Append only; never edit a released step. */
static const char * const migrations[] = {
  /* 0 → 1 */
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  updated_at TEXT NOT NULL,"
  "  village_id TEXT,"
  "  natural_key TEXT,"
  "  deleted INTEGER NOT NULL DEFAULT 0,"
  "  body TEXT NOT NULL);"
  "CREATE INDEX records_by_kind ON records (kind, id);"
  "CREATE UNIQUE INDEX records_by_key ON records (kind, natural_key)"
  "  WHERE natural_key IS NOT NULL AND deleted = 0;"
  "CREATE TABLE changes ("
  "  seq INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  kind TEXT NOT NULL,"
  "  id TEXT NOT NULL,"
  "  version INTEGER NOT NULL,"
  "  op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),"
  "  village_id TEXT,"
  "  actor_id TEXT,"
  "  at TEXT NOT NULL,"
  "  body TEXT);"
  /* lets the server notice changes of one kind made by another process (import-grids) */
  "CREATE INDEX changes_by_kind ON changes (kind, seq);"
  "CREATE TABLE account_secrets ("
  "  account_id TEXT PRIMARY KEY,"
  "  password_hash TEXT NOT NULL);"
  "CREATE TABLE sessions ("
  "  token_hash TEXT PRIMARY KEY,"
  "  account_id TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  expires_at TEXT NOT NULL,"
  "  address TEXT);"
  "CREATE INDEX sessions_by_account ON sessions (account_id);"
  "CREATE TABLE idempotency ("
  "  account_id TEXT NOT NULL,"
  "  key TEXT NOT NULL,"
  "  request TEXT NOT NULL,"
  "  status INTEGER NOT NULL,"
  "  body TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  PRIMARY KEY (account_id, key));"
  "CREATE INDEX idempotency_by_age ON idempotency (created_at);"
  "CREATE TABLE counters ("
  "  name TEXT PRIMARY KEY,"
  "  value INTEGER NOT NULL);"
  "CREATE TABLE attachments ("
  "  id TEXT PRIMARY KEY,"
  "  case_id TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  content_type TEXT NOT NULL,"
  "  size INTEGER NOT NULL,"
  "  sha256 TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  created_by TEXT);"
  "CREATE TABLE audit ("
  "  seq INTEGER PRIMARY KEY,"
  "  at TEXT NOT NULL,"
  "  actor_id TEXT,"
  "  address TEXT,"
  "  event TEXT NOT NULL,"
  "  detail TEXT);",
};

struct _WgDb
{
  GObject       parent_instance;

  /* owned */
  sqlite3      *handle;
  sqlite3_stmt *stmts[N_STMTS];
  char         *path;
  gboolean      in_transaction;
};

G_DEFINE_FINAL_TYPE (WgDb, wg_db, G_TYPE_OBJECT)
G_DEFINE_QUARK (wg-db-error-quark, wg_db_error)

static gboolean
set_sqlite_error (WgDb        *self,
                  int          rc,
                  const char  *what,
                  GError     **error)
{
  int code = (rc & 0xff) == SQLITE_CONSTRAINT ? WG_DB_ERROR_CONSTRAINT : WG_DB_ERROR_FAILED;

  g_set_error (error, WG_DB_ERROR, code, "%s: %s (%s)", what,
               sqlite3_errmsg (self->handle), self->path);
  return FALSE;
}

static sqlite3_stmt *
stmt (WgDb   *self,
      StmtId  id)
{
  sqlite3_stmt *s = self->stmts[id];

  sqlite3_reset (s);
  sqlite3_clear_bindings (s);
  return s;
}

static void
bind_text (sqlite3_stmt *s,
           int           i,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (s, i);
  else
    sqlite3_bind_text (s, i, text, -1, SQLITE_TRANSIENT);
}

static char *
column_dup (sqlite3_stmt *s,
            int           i)
{
  return g_strdup ((const char *) sqlite3_column_text (s, i));
}

/* Runs a statement that returns no rows. */
static gboolean
step_done (WgDb          *self,
           sqlite3_stmt  *s,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (s);

  sqlite3_reset (s);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (self, rc, what, error);
  return TRUE;
}

static WgRecord *
record_from_row (sqlite3_stmt *s)
{
  WgRecord *r = g_new0 (WgRecord, 1);

  r->kind = column_dup (s, 0);
  r->id = column_dup (s, 1);
  r->version = sqlite3_column_int64 (s, 2);
  r->created_at = column_dup (s, 3);
  r->updated_at = column_dup (s, 4);
  r->village_id = column_dup (s, 5);
  r->natural_key = column_dup (s, 6);
  r->deleted = sqlite3_column_int (s, 7) != 0;
  r->body = column_dup (s, 8);
  return r;
}

static gboolean
exec (WgDb        *self,
      const char  *sql,
      GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->handle, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, WG_DB_ERROR, WG_DB_ERROR_FAILED, "%s (%s)", msg, self->path);
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (WgDb    *self,
         GError **error)
{
  int version = wg_db_get_schema_version (self);

  if (version > (int) G_N_ELEMENTS (migrations))
    {
      g_set_error (error, WG_DB_ERROR, WG_DB_ERROR_TOO_NEW,
                   _("The database %s has schema version %d, newer than this wangge-server knows (%d). "
                     "Run the newer server or restore a backup."),
                   self->path, version, (int) G_N_ELEMENTS (migrations));
      return FALSE;
    }
  for (; version < (int) G_N_ELEMENTS (migrations); version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      g_message ("Migrating the database %s from schema %d to %d", self->path, version, version + 1);
      if (!exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;
      if (!exec (self, migrations[version], error) || !exec (self, bump, error))
        {
          exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      if (!exec (self, "COMMIT", error))
        return FALSE;
    }
  return TRUE;
}

static void
wg_db_finalize (GObject *object)
{
  WgDb *self = (WgDb *)object;

  for (guint i = 0; i < N_STMTS; i++)
    g_clear_pointer (&self->stmts[i], sqlite3_finalize);
  g_clear_pointer (&self->handle, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (wg_db_parent_class)->finalize (object);
}

static void
wg_db_class_init (WgDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_db_finalize;
}

static void
wg_db_init (WgDb *self)
{
}

/* Opens (and with `create`, creates) the database at `path` and brings its schema up to
 * date. Without `create` a missing file is an error that tells the operator to run init. */
WgDb *
wg_db_open (const char  *path,
            gboolean     create,
            GError     **error)
{
  g_autoptr(WgDb) self = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!create && !g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, WG_DB_ERROR, WG_DB_ERROR_MISSING,
                   _("There is no database at %s. Create it with “wangge-server init --data-dir DIR”."),
                   path);
      return NULL;
    }
  if (create)
    flags |= SQLITE_OPEN_CREATE;

  self = g_object_new (WG_TYPE_DB, NULL);
  self->path = g_strdup (path);
  rc = sqlite3_open_v2 (path, &self->handle, flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, WG_DB_ERROR, WG_DB_ERROR_FAILED, _("Cannot open the database %s: %s"),
                   path, self->handle ? sqlite3_errmsg (self->handle) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (self->handle, 1);
  /* A backup or a second tool may hold the lock for a moment; wait rather than fail. */
  sqlite3_busy_timeout (self->handle, 10000);
  /* WAL lets the backup subcommand and readers work while the server writes. FULL sync:
   * a write the API has acknowledged must survive a power cut, not just a crash. */
  if (!exec (self, "PRAGMA journal_mode = WAL", error) ||
      !exec (self, "PRAGMA synchronous = FULL", error) ||
      !exec (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    return NULL;

  for (guint i = 0; i < N_STMTS; i++)
    {
      rc = sqlite3_prepare_v3 (self->handle, stmt_sql[i], -1, SQLITE_PREPARE_PERSISTENT,
                               &self->stmts[i], NULL);
      if (rc != SQLITE_OK)
        {
          set_sqlite_error (self, rc, "prepare", error);
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

int
wg_db_get_schema_version (WgDb *self)
{
  g_autoptr(sqlite3_stmt) s = NULL;

  g_return_val_if_fail (WG_IS_DB (self), -1);

  if (sqlite3_prepare_v2 (self->handle, "PRAGMA user_version", -1, &s, NULL) != SQLITE_OK ||
      sqlite3_step (s) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (s, 0);
}

gboolean
wg_db_begin (WgDb    *self,
             GError **error)
{
  g_return_val_if_fail (WG_IS_DB (self), FALSE);
  g_return_val_if_fail (!self->in_transaction, FALSE);

  if (!step_done (self, stmt (self, STMT_BEGIN), "begin", error))
    return FALSE;
  self->in_transaction = TRUE;
  return TRUE;
}

gboolean
wg_db_commit (WgDb    *self,
              GError **error)
{
  g_return_val_if_fail (WG_IS_DB (self), FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  if (!step_done (self, stmt (self, STMT_COMMIT), "commit", error))
    {
      wg_db_rollback (self);
      return FALSE;
    }
  self->in_transaction = FALSE;
  return TRUE;
}

void
wg_db_rollback (WgDb *self)
{
  g_return_if_fail (WG_IS_DB (self));

  if (!self->in_transaction)
    return;
  if (sqlite3_get_autocommit (self->handle) == 0)
    step_done (self, stmt (self, STMT_ROLLBACK), "rollback", NULL);
  self->in_transaction = FALSE;
}

gboolean
wg_db_in_transaction (WgDb *self)
{
  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  return self->in_transaction;
}

/* Returns the record with this id (deleted ones included), or NULL without an error when
 * there is none. */
WgRecord *
wg_db_get_record (WgDb        *self,
                  const char  *id,
                  GError     **error)
{
  sqlite3_stmt *s;
  WgRecord *r = NULL;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  s = stmt (self, STMT_GET_RECORD);
  bind_text (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    r = record_from_row (s);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "get record", error);
  sqlite3_reset (s);
  return r;
}

WgRecord *
wg_db_find_by_key (WgDb        *self,
                   const char  *kind,
                   const char  *natural_key,
                   GError     **error)
{
  sqlite3_stmt *s;
  WgRecord *r = NULL;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), NULL);

  s = stmt (self, STMT_FIND_BY_KEY);
  bind_text (s, 1, kind);
  bind_text (s, 2, natural_key);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    r = record_from_row (s);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "find record", error);
  sqlite3_reset (s);
  return r;
}

static gboolean
append_change (WgDb            *self,
               const WgRecord  *record,
               const char      *op,
               const char      *actor_id,
               gint64          *out_seq,
               GError         **error)
{
  sqlite3_stmt *s = stmt (self, STMT_INSERT_CHANGE);

  bind_text (s, 1, record->kind);
  bind_text (s, 2, record->id);
  sqlite3_bind_int64 (s, 3, record->version);
  bind_text (s, 4, op);
  bind_text (s, 5, record->village_id);
  bind_text (s, 6, actor_id);
  bind_text (s, 7, record->updated_at);
  bind_text (s, 8, record->deleted ? NULL : record->body);
  if (!step_done (self, s, "append change", error))
    return FALSE;
  if (out_seq != NULL)
    *out_seq = sqlite3_last_insert_rowid (self->handle);
  return TRUE;
}

/* Inserts or replaces a record and appends it to the change log with the actor, so every
 * mutation is recorded with who and when. Must run inside a transaction. */
gboolean
wg_db_put_record (WgDb            *self,
                  const WgRecord  *record,
                  const char      *actor_id,
                  gint64          *out_seq,
                  GError         **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);
  g_return_val_if_fail (record != NULL && record->body != NULL, FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  s = stmt (self, STMT_PUT_RECORD);
  bind_text (s, 1, record->id);
  bind_text (s, 2, record->kind);
  sqlite3_bind_int64 (s, 3, record->version);
  bind_text (s, 4, record->created_at);
  bind_text (s, 5, record->updated_at);
  bind_text (s, 6, record->village_id);
  bind_text (s, 7, record->natural_key);
  sqlite3_bind_int (s, 8, 0);
  bind_text (s, 9, record->body);
  if (!step_done (self, s, "store record", error))
    return FALSE;
  return append_change (self, record, "upsert", actor_id, out_seq, error);
}

/* Marks a record deleted and appends a tombstone. The row stays so that its id is never
 * reused and late clients still learn of the deletion. */
gboolean
wg_db_delete_record (WgDb            *self,
                     const WgRecord  *record,
                     const char      *actor_id,
                     gint64          *out_seq,
                     GError         **error)
{
  sqlite3_stmt *s;
  g_autoptr(WgRecord) tomb = NULL;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);
  g_return_val_if_fail (record != NULL, FALSE);
  g_return_val_if_fail (self->in_transaction, FALSE);

  tomb = wg_record_copy (record);
  tomb->deleted = TRUE;
  s = stmt (self, STMT_PUT_RECORD);
  bind_text (s, 1, tomb->id);
  bind_text (s, 2, tomb->kind);
  sqlite3_bind_int64 (s, 3, tomb->version);
  bind_text (s, 4, tomb->created_at);
  bind_text (s, 5, tomb->updated_at);
  bind_text (s, 6, tomb->village_id);
  bind_text (s, 7, NULL);
  sqlite3_bind_int (s, 8, 1);
  bind_text (s, 9, tomb->body);
  if (!step_done (self, s, "delete record", error))
    return FALSE;
  return append_change (self, tomb, "delete", actor_id, out_seq, error);
}

/* Lists live records of a kind in id order, `limit` at most after `after_id`.
 * `village_id` restricts to one village (plus township-wide records when
 * `shared_visible`); `json_path`/`json_value` add an equality filter on a body member. */
GPtrArray *
wg_db_list_records (WgDb        *self,
                    const char  *kind,
                    const char  *village_id,
                    gboolean     shared_visible,
                    const char  *json_path,
                    const char  *json_value,
                    const char  *after_id,
                    guint        limit,
                    GError     **error)
{
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_record_free);
  sqlite3_stmt *s;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), NULL);

  s = stmt (self, STMT_LIST_RECORDS);
  bind_text (s, 1, kind);
  bind_text (s, 2, village_id);
  sqlite3_bind_int (s, 3, shared_visible);
  bind_text (s, 4, json_path);
  bind_text (s, 5, json_value);
  bind_text (s, 6, after_id);
  sqlite3_bind_int64 (s, 7, limit);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (out, record_from_row (s));
  sqlite3_reset (s);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "list records", error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* One row, one integer: runs statement @id (with @text bound as ?1 when given) and returns
 * its first column, or -1 with @error set. */
static gint64
query_int64 (WgDb        *self,
             int          id,
             const char  *text,
             const char  *what,
             GError     **error)
{
  sqlite3_stmt *s = stmt (self, id);
  gint64 value = -1;
  int rc;

  if (text != NULL)
    bind_text (s, 1, text);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    value = sqlite3_column_int64 (s, 0);
  else
    set_sqlite_error (self, rc, what, error);
  sqlite3_reset (s);
  return value;
}

gint64
wg_db_count_records (WgDb        *self,
                     const char  *kind,
                     GError     **error)
{
  g_return_val_if_fail (WG_IS_DB (self), -1);

  return query_int64 (self, STMT_COUNT_RECORDS, kind, "count records", error);
}

gint64
wg_db_get_head (WgDb    *self,
                GError **error)
{
  g_return_val_if_fail (WG_IS_DB (self), -1);

  return query_int64 (self, STMT_HEAD, NULL, "read head", error);
}

/* The newest sequence number of one kind's changes; caches of grids and holidays compare
 * it to see whether another process (import-grids) changed what they hold. */
gint64
wg_db_get_kind_head (WgDb        *self,
                     const char  *kind,
                     GError     **error)
{
  g_return_val_if_fail (WG_IS_DB (self), -1);

  return query_int64 (self, STMT_KIND_HEAD, kind, "read head", error);
}

/* Calls `func` for up to `limit` changes after `since` that the reader may see, in order.
 * `out_next` is the cursor to ask from next time: the last change given, or, when the page
 * is not full, the head read in the same snapshot, so that a reader whose scope filters out
 * a long run of changes still moves forward. */
gboolean
wg_db_read_changes (WgDb          *self,
                    gint64         since,
                    guint          limit,
                    const char    *village_id,
                    gboolean       with_accounts,
                    WgChangeFunc   func,
                    gpointer       user_data,
                    gint64        *out_next,
                    gboolean      *out_has_more,
                    GError       **error)
{
  sqlite3_stmt *s;
  gboolean own_txn = !self->in_transaction;
  gint64 next = since;
  guint n = 0;
  gboolean more = FALSE;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* One read transaction: the head and the rows come from the same snapshot. */
  if (own_txn && !exec (self, "BEGIN", error))
    return FALSE;

  s = stmt (self, STMT_READ_CHANGES);
  sqlite3_bind_int64 (s, 1, since);
  bind_text (s, 2, village_id);
  sqlite3_bind_int (s, 3, with_accounts);
  sqlite3_bind_int64 (s, 4, (gint64) limit + 1);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      if (n == limit)
        {
          more = TRUE;
          break;
        }
      next = sqlite3_column_int64 (s, 0);
      func (next,
            (const char *) sqlite3_column_text (s, 1),
            (const char *) sqlite3_column_text (s, 2),
            sqlite3_column_int64 (s, 3),
            (const char *) sqlite3_column_text (s, 4),
            (const char *) sqlite3_column_text (s, 5),
            (const char *) sqlite3_column_text (s, 6),
            user_data);
      n++;
    }
  sqlite3_reset (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      set_sqlite_error (self, rc, "read changes", error);
      if (own_txn)
        exec (self, "ROLLBACK", NULL);
      return FALSE;
    }
  if (!more)
    {
      gint64 head = wg_db_get_head (self, error);

      if (head < 0)
        {
          if (own_txn)
            exec (self, "ROLLBACK", NULL);
          return FALSE;
        }
      next = MAX (next, head);
    }
  if (own_txn && !exec (self, "COMMIT", error))
    return FALSE;

  if (out_next != NULL)
    *out_next = next;
  if (out_has_more != NULL)
    *out_has_more = more;
  return TRUE;
}

/* Returns the next value of a named counter (1, 2, …); -1 on error. Inside the caller's
 * transaction, so a rolled-back case does not burn a number. */
gint64
wg_db_next_counter (WgDb        *self,
                    const char  *name,
                    GError     **error)
{
  g_return_val_if_fail (WG_IS_DB (self), -1);

  return query_int64 (self, STMT_NEXT_COUNTER, name, "counter", error);
}

gboolean
wg_db_set_password_hash (WgDb        *self,
                         const char  *account_id,
                         const char  *hash,
                         GError     **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_SET_PASSWORD);
  bind_text (s, 1, account_id);
  bind_text (s, 2, hash);
  return step_done (self, s, "store password", error);
}

char *
wg_db_get_password_hash (WgDb        *self,
                         const char  *account_id,
                         GError     **error)
{
  sqlite3_stmt *s;
  char *hash = NULL;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), NULL);

  s = stmt (self, STMT_GET_PASSWORD);
  bind_text (s, 1, account_id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    hash = column_dup (s, 0);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "read password", error);
  sqlite3_reset (s);
  return hash;
}

gboolean
wg_db_insert_session (WgDb        *self,
                      const char  *token_hash,
                      const char  *account_id,
                      const char  *created_at,
                      const char  *expires_at,
                      const char  *address,
                      GError     **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_INSERT_SESSION);
  bind_text (s, 1, token_hash);
  bind_text (s, 2, account_id);
  bind_text (s, 3, created_at);
  bind_text (s, 4, expires_at);
  bind_text (s, 5, address);
  return step_done (self, s, "store session", error);
}

/* Returns the account id of a live session, or NULL (without error) when the token is
 * unknown or expired. */
char *
wg_db_lookup_session (WgDb        *self,
                      const char  *token_hash,
                      const char  *now,
                      GError     **error)
{
  sqlite3_stmt *s;
  char *account = NULL;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), NULL);

  s = stmt (self, STMT_LOOKUP_SESSION);
  bind_text (s, 1, token_hash);
  bind_text (s, 2, now);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    account = column_dup (s, 0);
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "read session", error);
  sqlite3_reset (s);
  return account;
}

gboolean
wg_db_delete_session (WgDb        *self,
                      const char  *token_hash,
                      GError     **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_DELETE_SESSION);
  bind_text (s, 1, token_hash);
  return step_done (self, s, "delete session", error);
}

gboolean
wg_db_delete_account_sessions (WgDb        *self,
                               const char  *account_id,
                               GError     **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_DELETE_ACCOUNT_SESSIONS);
  bind_text (s, 1, account_id);
  return step_done (self, s, "delete sessions", error);
}

/* Returns TRUE and fills the out values when the key was used before; FALSE without an
 * error when it is new. */
gboolean
wg_db_idempotency_lookup (WgDb        *self,
                          const char  *account_id,
                          const char  *key,
                          char       **out_request,
                          guint       *out_status,
                          char       **out_body,
                          GError     **error)
{
  sqlite3_stmt *s;
  gboolean found = FALSE;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_IDEMPOTENCY_LOOKUP);
  bind_text (s, 1, account_id);
  bind_text (s, 2, key);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      found = TRUE;
      *out_request = column_dup (s, 0);
      *out_status = sqlite3_column_int (s, 1);
      *out_body = column_dup (s, 2);
    }
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "read idempotency key", error);
  sqlite3_reset (s);
  return found;
}

gboolean
wg_db_idempotency_store (WgDb        *self,
                         const char  *account_id,
                         const char  *key,
                         const char  *request,
                         guint        status,
                         const char  *body,
                         const char  *at,
                         GError     **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_IDEMPOTENCY_STORE);
  bind_text (s, 1, account_id);
  bind_text (s, 2, key);
  bind_text (s, 3, request);
  sqlite3_bind_int (s, 4, status);
  bind_text (s, 5, body);
  bind_text (s, 6, at);
  return step_done (self, s, "store idempotency key", error);
}

gboolean
wg_db_insert_attachment (WgDb                   *self,
                         const WgAttachmentInfo *info,
                         const char             *sha256,
                         const char             *at,
                         const char             *actor_id,
                         GError                **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_INSERT_ATTACHMENT);
  bind_text (s, 1, info->id);
  bind_text (s, 2, info->case_id);
  bind_text (s, 3, info->name);
  bind_text (s, 4, info->content_type);
  sqlite3_bind_int64 (s, 5, info->size);
  bind_text (s, 6, sha256);
  bind_text (s, 7, at);
  bind_text (s, 8, actor_id);
  return step_done (self, s, "store attachment", error);
}

WgAttachmentInfo *
wg_db_get_attachment (WgDb        *self,
                      const char  *id,
                      GError     **error)
{
  sqlite3_stmt *s;
  WgAttachmentInfo *info = NULL;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), NULL);

  s = stmt (self, STMT_GET_ATTACHMENT);
  bind_text (s, 1, id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      info = g_new0 (WgAttachmentInfo, 1);
      info->id = column_dup (s, 0);
      info->case_id = column_dup (s, 1);
      info->name = column_dup (s, 2);
      info->content_type = column_dup (s, 3);
      info->size = sqlite3_column_int64 (s, 4);
    }
  else if (rc != SQLITE_DONE)
    set_sqlite_error (self, rc, "read attachment", error);
  sqlite3_reset (s);
  return info;
}

/* Security events that are not record changes (logins, failed logins, logouts). */
gboolean
wg_db_audit (WgDb        *self,
             const char  *at,
             const char  *actor_id,
             const char  *address,
             const char  *event,
             const char  *detail,
             GError     **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_AUDIT);
  bind_text (s, 1, at);
  bind_text (s, 2, actor_id);
  bind_text (s, 3, address);
  bind_text (s, 4, event);
  bind_text (s, 5, detail);
  return step_done (self, s, "audit", error);
}

gboolean
wg_db_purge (WgDb        *self,
             const char  *now,
             const char  *idempotency_cutoff,
             GError     **error)
{
  sqlite3_stmt *s;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  s = stmt (self, STMT_PURGE_SESSIONS);
  bind_text (s, 1, now);
  if (!step_done (self, s, "purge sessions", error))
    return FALSE;
  s = stmt (self, STMT_PURGE_IDEMPOTENCY);
  bind_text (s, 1, idempotency_cutoff);
  return step_done (self, s, "purge idempotency keys", error);
}

/* Writes a consistent copy of the database to `destination` (which must not exist). Works
 * while a server writes: VACUUM INTO reads one snapshot of the WAL database, and the copy
 * is compact and self-contained (no -wal file to carry along). */
gboolean
wg_db_backup (WgDb        *self,
              const char  *destination,
              GError     **error)
{
  g_autoptr(sqlite3_stmt) s = NULL;
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);
  g_return_val_if_fail (destination != NULL, FALSE);

  if (g_file_test (destination, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, WG_DB_ERROR, WG_DB_ERROR_FAILED,
                   _("%s already exists; choose a new file name for the backup."), destination);
      return FALSE;
    }
  rc = sqlite3_prepare_v2 (self->handle, "VACUUM INTO ?1", -1, &s, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, "backup", error);
  bind_text (s, 1, destination);
  rc = sqlite3_step (s);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "backup", error);
  return TRUE;
}

/* Folds the WAL into the main file; done at clean shutdown so the data directory is one
 * file again. */
gboolean
wg_db_checkpoint (WgDb    *self,
                  GError **error)
{
  int rc;

  g_return_val_if_fail (WG_IS_DB (self), FALSE);

  rc = sqlite3_wal_checkpoint_v2 (self->handle, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    return set_sqlite_error (self, rc, "checkpoint", error);
  return TRUE;
}

WgRecord *
wg_record_new (const char *kind,
               const char *id)
{
  WgRecord *r = g_new0 (WgRecord, 1);

  r->kind = g_strdup (kind);
  r->id = g_strdup (id);
  return r;
}

WgRecord *
wg_record_copy (const WgRecord *record)
{
  WgRecord *r;

  g_return_val_if_fail (record != NULL, NULL);

  r = g_new0 (WgRecord, 1);
  r->kind = g_strdup (record->kind);
  r->id = g_strdup (record->id);
  r->version = record->version;
  r->created_at = g_strdup (record->created_at);
  r->updated_at = g_strdup (record->updated_at);
  r->village_id = g_strdup (record->village_id);
  r->natural_key = g_strdup (record->natural_key);
  r->deleted = record->deleted;
  r->body = g_strdup (record->body);
  return r;
}

void
wg_record_free (WgRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->kind);
  g_free (record->id);
  g_free (record->created_at);
  g_free (record->updated_at);
  g_free (record->village_id);
  g_free (record->natural_key);
  g_free (record->body);
  g_free (record);
}

void
wg_attachment_info_free (WgAttachmentInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->id);
  g_free (info->case_id);
  g_free (info->name);
  g_free (info->content_type);
  g_free (info);
}
