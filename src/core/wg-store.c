/* wg-store.c — the client's SQLite cache of the server's records, and the outbox
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One writer thread owns the only read-write connection: every change (a page of the change
 * feed with its cursor, an action with its outbox row) is one job there, in one transaction,
 * so a crash can neither half-apply a page nor lose an action. Each other thread that reads
 * gets a connection of its own; WAL lets them read while the writer writes.
 *
 * Cases have a table of their own with the columns the dispatch queue sorts and filters on;
 * every other kind is kept whole as JSON in `records`. A case's `local_state` is the
 * optimistic state of an action still in the outbox; the server's own state is never
 * overwritten by it, so "return to the server's state" is just clearing it.
 */
#define G_LOG_DOMAIN "WgStore"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "wg-geometry.h"
#include "wg-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3, sqlite3_close)

struct _WgStoreTxn
{
  WgStore    *store;
  sqlite3    *db;
  GHashTable *changed;      /* kind → GHashTable of ids */
};

typedef struct
{
  WgStoreWriteFunc func;
  gpointer         data;
  GDestroyNotify   data_free;
  GTask           *task;       /* NULL for the "stop" job */
  GMutex           mutex;      /* for synchronous jobs */
  GCond            cond;
  gboolean         done;
  gboolean         ok;
  GError          *error;
  gboolean         sync;
} WriteJob;

struct _WgStore
{
  GObject       parent_instance;

  char         *path;

  /* Owned by the writer thread once it runs */
  sqlite3      *writer_db;
  GHashTable   *writer_stmts;

  GThread      *writer;
  GAsyncQueue  *jobs;
  GMainContext *main_context;

  GMutex        readers_mutex;
  GHashTable   *readers;        /* GThread* → ReaderConn* */
};

typedef struct
{
  sqlite3    *db;
  GHashTable *stmts;
} ReaderConn;

G_DEFINE_FINAL_TYPE (WgStore, wg_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (wg-store-error-quark, wg_store_error)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char * const kinds[] = {
  "org_units", "grids", "households", "people", "teams", "assignments",
  "categories", "cases", "holidays", "accounts", NULL
};

static const char schema_v1[] =
  "CREATE TABLE records ("
  "  kind    TEXT NOT NULL,"
  "  id      TEXT PRIMARY KEY,"
  "  version INTEGER NOT NULL,"
  "  body    TEXT NOT NULL);"
  "CREATE INDEX records_kind ON records (kind);"
  "CREATE TABLE cases ("
  "  id            TEXT PRIMARY KEY,"
  "  version       INTEGER NOT NULL,"
  "  number        TEXT,"
  "  state         TEXT NOT NULL,"
  "  local_state   TEXT,"
  "  pending       INTEGER NOT NULL DEFAULT 0,"
  "  urgency       TEXT,"
  "  category_id   TEXT,"
  "  village_id    TEXT,"
  "  grid_id       TEXT,"
  "  source        TEXT,"
  "  title         TEXT,"
  "  address       TEXT,"
  "  reported_at   TEXT,"
  "  deadline      TEXT,"
  "  assignee_kind TEXT,"
  "  assignee_id   TEXT,"
  "  updated_at    TEXT,"
  "  body          TEXT NOT NULL);"
  "CREATE INDEX cases_state_deadline ON cases (state, deadline);"
  "CREATE INDEX cases_reported ON cases (reported_at);"
  "CREATE INDEX cases_village ON cases (village_id, state);"
  "CREATE INDEX cases_grid ON cases (grid_id, state);"
  "CREATE INDEX cases_category ON cases (category_id, state);"
  "CREATE INDEX cases_assignee ON cases (assignee_id, state);"
  "CREATE INDEX cases_number ON cases (number);"
  /* Contentless: the text lives in `cases`; CJK is split into single characters by
   * wg_fts_prepare_text () so a phrase query finds any substring. */
  "CREATE VIRTUAL TABLE cases_fts USING fts5 ("
  "  number, title, description, address,"
  "  content='', contentless_delete=1);"
  "CREATE TABLE kv ("
  "  key   TEXT PRIMARY KEY,"
  "  value TEXT);"
  "CREATE TABLE outbox ("
  "  seq        INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  key        TEXT NOT NULL UNIQUE,"
  "  case_id    TEXT,"
  "  action     TEXT NOT NULL,"
  "  payload    TEXT NOT NULL,"
  "  if_match   INTEGER NOT NULL DEFAULT 0,"
  "  state      TEXT NOT NULL DEFAULT 'pending',"
  "  error      TEXT,"
  "  attempts   INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL);";

/* Version 2: what the queue filters and sorts on besides version 1's columns (source,
 * urgency, deadline, and the order of urgencies and states). Indexes only, so a cache of
 * version 1 keeps every row and gains them on opening. */
static const char schema_v2[] =
  "CREATE INDEX IF NOT EXISTS cases_source ON cases (source, reported_at);"
  "CREATE INDEX IF NOT EXISTS cases_urgency ON cases (urgency, reported_at);"
  "CREATE INDEX IF NOT EXISTS cases_deadline ON cases ((deadline IS NULL), deadline);"
  "CREATE INDEX IF NOT EXISTS cases_urgency_rank ON cases (" WG_STORE_URGENCY_RANK ", reported_at);"
  "CREATE INDEX IF NOT EXISTS cases_state_rank ON cases (" WG_STORE_STATE_RANK ", reported_at);";

/* Version 3: where each case is, for "open cases nearby". Filled from the bodies already cached. */
static const char schema_v3[] =
  "ALTER TABLE cases ADD COLUMN lon REAL;"
  "ALTER TABLE cases ADD COLUMN lat REAL;"
  "UPDATE cases SET lon = json_extract (body, '$.location.coordinates[0]'),"
  "  lat = json_extract (body, '$.location.coordinates[1]')"
  " WHERE json_valid (body) AND json_type (body, '$.location.coordinates[1]') IN ('real', 'integer');"
  "CREATE INDEX cases_location ON cases (lat, lon);";

/* Version 4: the dispatch queue over a million cases (benchmarks/dispatch). Every view is a
 * range of the state a dispatcher sees, and its default order, newest report first, is the
 * index's own, so a view is read without a sort; the same holds within a village or a
 * category, the filters a dispatcher changes most. */
static const char schema_v4[] =
  "CREATE INDEX cases_queue ON cases (coalesce (local_state, state), reported_at);"
  "CREATE INDEX cases_queue_village ON cases (coalesce (local_state, state), village_id, reported_at);"
  "CREATE INDEX cases_queue_category ON cases (coalesce (local_state, state), category_id, reported_at);";

/* Version 5: "Overdue" and its count read the cases still being handled whose deadline passed
 * from an index, not from every open case's row (0.5 s on a million cases). */
static const char schema_v5[] =
  "CREATE INDEX cases_queue_deadline ON cases (coalesce (local_state, state), deadline);";

/* --- helpers --------------------------------------------------------------------------------- */

typedef enum
{
  DOING_OPEN,
  DOING_READ,
  DOING_UPDATE,
} Doing;

static gboolean
set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  Doing       doing)
{
  int code = sqlite3_errcode (db);
  const char *detail = sqlite3_errmsg (db);

  if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
    {
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_CORRUPT,
                   _("The local cache is damaged (%s). Sign out and in again to rebuild it."), detail);
      return FALSE;
    }

  switch (doing)
    {
    case DOING_OPEN:
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_FAILED, _("Could not open the local cache: %s"), detail);
      break;
    case DOING_READ:
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_FAILED, _("Could not read the local cache: %s"), detail);
      break;
    case DOING_UPDATE:
    default:
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_FAILED, _("Could not update the local cache: %s"), detail);
      break;
    }
  return FALSE;
}

static sqlite3_stmt *
prepare_cached (GHashTable  *cache,
                sqlite3     *db,
                const char  *sql,
                GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (cache, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, DOING_READ);
      return NULL;
    }

  /* The SQL texts are static strings, so the pointer is a stable key. */
  g_hash_table_insert (cache, (gpointer) sql, stmt);
  return stmt;
}

static void
finalize_stmt (gpointer data)
{
  sqlite3_finalize (data);
}

static GHashTable *
new_stmt_cache (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, finalize_stmt);
}

static void
bind_text_or_null (sqlite3_stmt *stmt,
                   int           index,
                   const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_FAILED,
                   _("Could not update the local cache: %s"), message);
      sqlite3_free (message);
      return FALSE;
    }

  return TRUE;
}

static void
reader_conn_free (gpointer data)
{
  ReaderConn *conn = data;

  g_hash_table_unref (conn->stmts);
  sqlite3_close (conn->db);
  g_free (conn);
}

/* --- searching many cases ------------------------------------------------------------------ */

/* A search that matches many cases (a single common character: 路 is in a tenth of them) is
 * read once into a bitmap of their rowids, which the query then tests row by row as it walks
 * its view's index. For WG_STORE_CASE_SEARCH, SQLite would first copy all those rowids into a
 * temporary index, three quarters of the time of a search in "New". A search that matches few
 * keeps the IN: SQLite can then go straight to those few rows, which is what a case number
 * searched in "All Cases" needs. */
#define SEARCH_HIT "wg_search_hit (rowid, ?3)"
#define SEARCH_HITS_TYPE "wg_search_hits"

typedef struct
{
  gint64  n_bits;
  guint8 *bits;
} SearchHits;

static void
search_hits_free (void *data)
{
  SearchHits *hits = data;

  g_free (hits->bits);
  g_free (hits);
}

/* wg_search_hit (rowid, hits): whether the search found the row. */
static void
search_hit_func (sqlite3_context  *context,
                 int               argc,
                 sqlite3_value   **argv)
{
  SearchHits *hits = sqlite3_value_pointer (argv[1], SEARCH_HITS_TYPE);
  sqlite3_int64 rowid = sqlite3_value_int64 (argv[0]);

  sqlite3_result_int (context, hits != NULL && rowid >= 0 && rowid < hits->n_bits &&
                               (hits->bits[rowid >> 3] & (1u << (rowid & 7))) != 0);
}

/* The rowids matching the FTS5 @query when there are more than WG_STORE_SEARCH_MANY, else
 * NULL (also for a query FTS5 refuses: the statement itself then says so). */
static SearchHits *
read_search_hits (ReaderConn *conn,
                  const char *query)
{
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = prepare_cached (conn->stmts, conn->db,
                                       "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?1", NULL);
  SearchHits *hits;
  gint64 max = 0;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, query, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      if (rowid >= 0)
        {
          g_array_append_val (rowids, rowid);
          max = MAX (max, rowid);
        }
    }
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  if (rc != SQLITE_DONE || rowids->len <= WG_STORE_SEARCH_MANY)
    return NULL;

  hits = g_new0 (SearchHits, 1);
  hits->n_bits = max + 1;
  hits->bits = g_malloc0 (max / 8 + 1);
  for (guint i = 0; i < rowids->len; i++)
    {
      gint64 rowid = g_array_index (rowids, gint64, i);

      hits->bits[rowid >> 3] |= 1u << (rowid & 7);
    }
  return hits;
}

static ReaderConn *
get_reader (WgStore  *self,
            GError  **error)
{
  ReaderConn *conn;
  sqlite3 *db = NULL;

  g_mutex_lock (&self->readers_mutex);
  conn = g_hash_table_lookup (self->readers, g_thread_self ());
  g_mutex_unlock (&self->readers_mutex);
  if (conn != NULL)
    return conn;

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, DOING_OPEN);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  sqlite3_create_function_v2 (db, "wg_search_hit", 2, SQLITE_UTF8 | SQLITE_DIRECTONLY, NULL,
                              search_hit_func, NULL, NULL, NULL);

  conn = g_new0 (ReaderConn, 1);
  conn->db = db;
  conn->stmts = new_stmt_cache ();

  g_mutex_lock (&self->readers_mutex);
  g_hash_table_insert (self->readers, g_thread_self (), conn);
  g_mutex_unlock (&self->readers_mutex);
  return conn;
}

const char * const *
wg_store_kinds (void)
{
  return kinds;
}

static gboolean
is_known_kind (const char *kind)
{
  return kind != NULL && g_strv_contains (kinds, kind);
}

/* A kind the server sent that this client does not know fails the whole page. */
static gboolean
check_kind (const char  *kind,
            GError     **error)
{
  if (is_known_kind (kind))
    return TRUE;

  g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_BAD_DATA,
               _("The server sent records of an unknown kind “%s”"), kind ? kind : "");
  return FALSE;
}

void
wg_outbox_item_free (WgOutboxItem *item)
{
  if (item == NULL)
    return;

  g_free (item->key);
  g_free (item->case_id);
  g_free (item->action);
  g_free (item->payload);
  g_free (item->error);
  g_free (item->created_at);
  g_free (item);
}

/* --- full-text search ------------------------------------------------------------------------ */

static gboolean
is_cjk (gunichar c)
{
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0xf900 && c <= 0xfaff) ||
         (c >= 0x20000 && c <= 0x2fa1f) || (c >= 0x3000 && c <= 0x303f) ||
         (c >= 0xff00 && c <= 0xffef);
}

/* Chinese has no spaces between words, and FTS5's unicode61 tokenizer would make one token
 * of a whole sentence. Standing each CJK character alone makes every character a token, and a
 * phrase query of adjacent characters then finds any substring, 漏水 in 楼顶漏水严重. */
char *
wg_fts_prepare_text (const char *text)
{
  GString *out;

  if (text == NULL)
    return g_strdup ("");

  out = g_string_sized_new (strlen (text) * 2);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char_validated (p, -1);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        break;
      if (is_cjk (c))
        {
          g_string_append_c (out, ' ');
          g_string_append_unichar (out, c);
          g_string_append_c (out, ' ');
        }
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/* Turns what a person typed into an FTS5 query: every word must appear, CJK runs as phrases,
 * the last word as a prefix so results come while typing. Returns NULL when nothing is left
 * to search for. Quotes are FTS5's only escape, so every token is quoted. */
char *
wg_fts_build_query (const char *text)
{
  g_autofree char *prepared = wg_fts_prepare_text (text);
  g_autoptr(GString) query = g_string_new (NULL);
  g_autoptr(GString) phrase = g_string_new (NULL);
  gboolean in_cjk = FALSE;
  const char *p = prepared;

  while (TRUE)
    {
      gunichar c = *p != '\0' ? g_utf8_get_char (p) : 0;
      gboolean word_char = c != 0 && (g_unichar_isalnum (c) || is_cjk (c));
      gboolean cjk = c != 0 && is_cjk (c);

      if (word_char && cjk && !g_unichar_ispunct (c))
        {
          if (phrase->len > 0 && !in_cjk)
            {
              g_string_append_printf (query, "%s\"%s\"", query->len ? " " : "", phrase->str);
              g_string_truncate (phrase, 0);
            }
          in_cjk = TRUE;
          if (phrase->len > 0)
            g_string_append_c (phrase, ' ');
          g_string_append_unichar (phrase, c);
        }
      else if (word_char && !cjk)
        {
          if (phrase->len > 0 && in_cjk)
            {
              g_string_append_printf (query, "%s\"%s\"", query->len ? " " : "", phrase->str);
              g_string_truncate (phrase, 0);
            }
          in_cjk = FALSE;
          g_string_append_unichar (phrase, c);
        }
      else if (c == ' ' && in_cjk)
        {
          /* the spaces wg_fts_prepare_text put around CJK characters */
        }
      else
        {
          if (phrase->len > 0)
            {
              gboolean last = (c == 0);

              g_string_append_printf (query, "%s\"%s\"%s", query->len ? " " : "",
                                      phrase->str, last && !in_cjk ? "*" : "");
              g_string_truncate (phrase, 0);
            }
          in_cjk = FALSE;
        }

      if (c == 0)
        break;
      p = g_utf8_next_char (p);
    }

  if (query->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&query), FALSE);
}

/* --- writer thread --------------------------------------------------------------------------- */

typedef struct
{
  char  *kind;
  GStrv  ids;
} ChangedNotice;

static void
changed_notice_free (gpointer data)
{
  ChangedNotice *notice = data;

  g_free (notice->kind);
  g_strfreev (notice->ids);
  g_free (notice);
}

typedef struct
{
  WgStore   *store;
  GPtrArray *notices;
} EmitData;

static gboolean
emit_changed_cb (gpointer data)
{
  EmitData *emit = data;

  for (guint i = 0; i < emit->notices->len; i++)
    {
      ChangedNotice *notice = g_ptr_array_index (emit->notices, i);

      g_signal_emit (emit->store, signals[CHANGED], 0, notice->kind, notice->ids);
    }

  return G_SOURCE_REMOVE;
}

static void
emit_data_free (gpointer data)
{
  EmitData *emit = data;

  g_object_unref (emit->store);
  g_ptr_array_unref (emit->notices);
  g_free (emit);
}

static void
txn_note_change (WgStoreTxn *txn,
                 const char *kind,
                 const char *id)
{
  GHashTable *ids = g_hash_table_lookup (txn->changed, kind);

  if (ids == NULL)
    {
      ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_insert (txn->changed, g_strdup (kind), ids);
    }
  g_hash_table_add (ids, g_strdup (id));
}

static void
run_job (WgStore  *self,
         WriteJob *job)
{
  WgStoreTxn txn = { self, self->writer_db, NULL };
  g_autoptr(GError) error = NULL;
  gboolean ok;

  txn.changed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_hash_table_unref);

  if (job->task != NULL && g_task_return_error_if_cancelled (job->task))
    {
      g_hash_table_unref (txn.changed);
      return;
    }

  ok = exec (self->writer_db, "BEGIN IMMEDIATE", &error);
  if (ok)
    ok = job->func (&txn, job->data, &error);
  if (ok)
    ok = exec (self->writer_db, "COMMIT", &error);
  if (!ok)
    sqlite3_exec (self->writer_db, "ROLLBACK", NULL, NULL, NULL);

  if (ok && g_hash_table_size (txn.changed) > 0)
    {
      EmitData *emit = g_new0 (EmitData, 1);
      GHashTableIter iter;
      gpointer key, value;

      emit->store = g_object_ref (self);
      emit->notices = g_ptr_array_new_with_free_func (changed_notice_free);
      g_hash_table_iter_init (&iter, txn.changed);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          ChangedNotice *notice = g_new0 (ChangedNotice, 1);
          /* the array holds the table's own strings: copy them before the table goes */
          g_autofree gpointer *ids = g_hash_table_get_keys_as_array (value, NULL);

          notice->kind = g_strdup (key);
          notice->ids = g_strdupv ((char **) ids);
          g_ptr_array_add (emit->notices, notice);
        }
      g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT,
                                  emit_changed_cb, emit, emit_data_free);
    }
  g_hash_table_unref (txn.changed);

  if (job->sync)
    {
      g_mutex_lock (&job->mutex);
      job->ok = ok;
      job->error = g_steal_pointer (&error);
      job->done = TRUE;
      g_cond_signal (&job->cond);
      g_mutex_unlock (&job->mutex);
    }
  else if (ok)
    g_task_return_boolean (job->task, TRUE);
  else
    g_task_return_error (job->task, g_steal_pointer (&error));
}

static gboolean
unref_on_main_cb (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static gpointer
writer_thread (gpointer data)
{
  WgStore *self = data;
  g_autoptr(GMainContext) own = g_main_context_new ();

  /* With a context of its own, g_main_context_invoke () from here always queues to the main
   * context instead of running inline when that context happens to be idle. */
  g_main_context_push_thread_default (own);

  for (;;)
    {
      WriteJob *job = g_async_queue_pop (self->jobs);
      gboolean sync;

      if (job->func == NULL)
        {
          g_free (job);
          break;
        }

      /* A synchronous job lives on its caller's stack and may be gone the moment run_job ()
       * signals it: decide now, not after. */
      sync = job->sync;
      run_job (self, job);

      if (!sync)
        {
          if (job->data_free != NULL)
            job->data_free (job->data);
          /* The task holds the store: letting go of it here could drop the last reference on
           * this thread, and a store cannot finalize on its own writer (it joins it). */
          g_main_context_invoke_full (self->main_context, G_PRIORITY_DEFAULT,
                                      (GSourceFunc) unref_on_main_cb, g_steal_pointer (&job->task), NULL);
          g_free (job);
        }
    }

  g_main_context_pop_thread_default (own);
  return NULL;
}

/* --- opening --------------------------------------------------------------------------------- */

static int
read_user_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  int version = -1;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static gboolean
migrate (sqlite3  *db,
         int       from,
         GError  **error)
{
  g_autofree char *set_version = NULL;

  if (from >= WG_STORE_SCHEMA_VERSION)
    return TRUE;

  if (!exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;
  if (from < 1 && !exec (db, schema_v1, error))
    goto fail;
  if (from < 2 && !exec (db, schema_v2, error))
    goto fail;
  if (from < 3 && !exec (db, schema_v3, error))
    goto fail;
  if (from < 4 && !exec (db, schema_v4, error))
    goto fail;
  if (from < 5 && !exec (db, schema_v5, error))
    goto fail;
  /* Later versions add their steps here, each guarded by `from < N`. */
  set_version = g_strdup_printf ("PRAGMA user_version = %d", WG_STORE_SCHEMA_VERSION);
  if (!exec (db, set_version, error) || !exec (db, "COMMIT", error))
    goto fail;
  return TRUE;

fail:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

WgStore *
wg_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(WgStore) self = NULL;
  g_autofree char *dir = NULL;
  sqlite3 *db = NULL;
  int version;

  g_return_val_if_fail (path != NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_FAILED,
                   _("Could not create the folder for the local cache %s: %s"),
                   dir, g_strerror (saved_errno));
      return NULL;
    }

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, DOING_OPEN);
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);

  /* Read the version before anything that writes (even switching to WAL writes the header),
   * so a cache from a newer Wangge, or a file that is not ours, is left exactly as it was. */
  version = read_user_version (db);
  if (version < 0)
    {
      set_sqlite_error (error, db, DOING_READ);
      sqlite3_close (db);
      return NULL;
    }
  if (version > WG_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_TOO_NEW,
                   _("The local cache %s was written by a newer version of Wangge (format %d; this version reads up to %d). Update Wangge, or sign out to start a new cache."),
                   path, version, WG_STORE_SCHEMA_VERSION);
      sqlite3_close (db);
      return NULL;
    }

  /* A large page cache for the writer: a sync writes cases all over the id and date indexes,
   * and SQLite's default 2 MB makes every page a disk read once the cache holds 100k cases. */
  if (!exec (db, "PRAGMA journal_mode = WAL", error) ||
      !exec (db, "PRAGMA synchronous = NORMAL", error) ||
      !exec (db, "PRAGMA cache_size = -65536", error) ||
      !migrate (db, version, error))
    {
      sqlite3_close (db);
      return NULL;
    }

  self = g_object_new (WG_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->writer_db = db;
  self->main_context = g_main_context_ref_thread_default ();
  self->writer = g_thread_new ("wg-store-writer", writer_thread, self);

  return g_steal_pointer (&self);
}

const char *
wg_store_get_path (WgStore *self)
{
  g_return_val_if_fail (WG_IS_STORE (self), NULL);

  return self->path;
}

/* Stops the writer after the jobs already queued; idempotent. */
void
wg_store_close (WgStore *self)
{
  g_return_if_fail (WG_IS_STORE (self));

  if (self->writer != NULL)
    {
      WriteJob *stop = g_new0 (WriteJob, 1);

      g_async_queue_push (self->jobs, stop);
      g_thread_join (g_steal_pointer (&self->writer));
    }

  g_clear_pointer (&self->writer_stmts, g_hash_table_unref);
  g_clear_pointer (&self->writer_db, sqlite3_close);

  g_mutex_lock (&self->readers_mutex);
  g_hash_table_remove_all (self->readers);
  g_mutex_unlock (&self->readers_mutex);
}

/* --- writing --------------------------------------------------------------------------------- */

void
wg_store_write_async (WgStore             *self,
                      WgStoreWriteFunc     func,
                      gpointer             data,
                      GDestroyNotify       data_free,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  WriteJob *job;

  g_return_if_fail (WG_IS_STORE (self));
  g_return_if_fail (func != NULL);

  job = g_new0 (WriteJob, 1);
  job->func = func;
  job->data = data;
  job->data_free = data_free;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, wg_store_write_async);

  if (self->writer == NULL)
    {
      g_task_return_new_error (job->task, WG_STORE_ERROR, WG_STORE_ERROR_FAILED,
                               _("The local cache is closed"));
      if (data_free != NULL)
        data_free (data);
      g_object_unref (job->task);
      g_free (job);
      return;
    }

  g_async_queue_push (self->jobs, job);
}

gboolean
wg_store_write_finish (WgStore       *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (WG_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Runs @func on the writer thread and waits for it: for worker threads and tests, never for
 * the main thread of the application. */
gboolean
wg_store_write_sync (WgStore           *self,
                     WgStoreWriteFunc   func,
                     gpointer           data,
                     GError           **error)
{
  WriteJob job = { 0 };
  gboolean ok;

  g_return_val_if_fail (WG_IS_STORE (self), FALSE);
  g_return_val_if_fail (self->writer != NULL, FALSE);

  job.func = func;
  job.data = data;
  job.sync = TRUE;
  g_mutex_init (&job.mutex);
  g_cond_init (&job.cond);

  g_async_queue_push (self->jobs, &job);

  g_mutex_lock (&job.mutex);
  while (!job.done)
    g_cond_wait (&job.cond, &job.mutex);
  g_mutex_unlock (&job.mutex);

  ok = job.ok;
  if (!ok)
    g_propagate_error (error, job.error);
  g_mutex_clear (&job.mutex);
  g_cond_clear (&job.cond);
  return ok;
}

static sqlite3_stmt *
txn_prepare (WgStoreTxn  *txn,
             const char  *sql,
             GError     **error)
{
  if (txn->store->writer_stmts == NULL)
    txn->store->writer_stmts = new_stmt_cache ();

  return prepare_cached (txn->store->writer_stmts, txn->db, sql, error);
}

static gboolean
txn_step_done (WgStoreTxn    *txn,
               sqlite3_stmt  *stmt,
               GError       **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    return set_sqlite_error (error, txn->db, DOING_UPDATE);
  return TRUE;
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
upsert_case (WgStoreTxn  *txn,
             JsonObject  *record,
             const char  *id,
             gint64       version,
             const char  *body,
             gssize       body_len,
             GError     **error)
{
  static const char sql[] =
    "INSERT INTO cases (id, version, number, state, urgency, category_id, village_id, grid_id,"
    "  source, title, address, reported_at, deadline, assignee_kind, assignee_id, updated_at, body,"
    "  lon, lat)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
    " ON CONFLICT (id) DO UPDATE SET version = ?2, number = ?3, state = ?4, urgency = ?5,"
    "  category_id = ?6, village_id = ?7, grid_id = ?8, source = ?9, title = ?10, address = ?11,"
    "  reported_at = ?12, deadline = ?13, assignee_kind = ?14, assignee_id = ?15,"
    "  updated_at = ?16, body = ?17, lon = ?18, lat = ?19"
    " WHERE excluded.version >= cases.version"
    " RETURNING rowid";
  static const char fts_sql[] =
    "INSERT OR REPLACE INTO cases_fts (rowid, number, title, description, address)"
    " VALUES (?1, ?2, ?3, ?4, ?5)";
  sqlite3_stmt *stmt;
  const char *state = member_string (record, "state");
  const char *assignee_kind = NULL;
  const char *assignee_id = NULL;
  JsonNode *assignee = json_object_get_member (record, "assignee");
  const char *reported_at = member_string (record, "reported_at");
  JsonNode *location = json_object_get_member (record, "location");
  double lon, lat;
  gint64 rowid;
  int rc;

  if (state == NULL)
    {
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_BAD_DATA,
                   _("The server sent a case without a state (%s)"), id);
      return FALSE;
    }
  if (assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee))
    {
      assignee_kind = member_string (json_node_get_object (assignee), "kind");
      assignee_id = member_string (json_node_get_object (assignee), "id");
    }
  if (reported_at == NULL)
    reported_at = member_string (record, "created_at");

  if (!(stmt = txn_prepare (txn, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, version);
  bind_text_or_null (stmt, 3, member_string (record, "number"));
  sqlite3_bind_text (stmt, 4, state, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 5, member_string (record, "urgency"));
  bind_text_or_null (stmt, 6, member_string (record, "category_id"));
  bind_text_or_null (stmt, 7, member_string (record, "village_id"));
  bind_text_or_null (stmt, 8, member_string (record, "grid_id"));
  bind_text_or_null (stmt, 9, member_string (record, "source"));
  bind_text_or_null (stmt, 10, member_string (record, "title"));
  bind_text_or_null (stmt, 11, member_string (record, "address"));
  bind_text_or_null (stmt, 12, reported_at);
  bind_text_or_null (stmt, 13, member_string (record, "deadline"));
  bind_text_or_null (stmt, 14, assignee_kind);
  bind_text_or_null (stmt, 15, assignee_id);
  bind_text_or_null (stmt, 16, member_string (record, "updated_at"));
  sqlite3_bind_text (stmt, 17, body, body_len, SQLITE_STATIC);
  if (location != NULL && JSON_NODE_HOLDS_OBJECT (location) && wg_point_from_json (location, &lon, &lat, NULL))
    {
      sqlite3_bind_double (stmt, 18, lon);
      sqlite3_bind_double (stmt, 19, lat);
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      /* An older version than the one we have: the feed never goes back, keep ours. */
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return set_sqlite_error (error, txn->db, DOING_UPDATE);
    }
  rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (!(stmt = txn_prepare (txn, fts_sql, error)))
    return FALSE;
  {
    g_autofree char *number = wg_fts_prepare_text (member_string (record, "number"));
    g_autofree char *title = wg_fts_prepare_text (member_string (record, "title"));
    g_autofree char *description = wg_fts_prepare_text (member_string (record, "description"));
    g_autofree char *address = wg_fts_prepare_text (member_string (record, "address"));

    sqlite3_bind_int64 (stmt, 1, rowid);
    sqlite3_bind_text (stmt, 2, number, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, title, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, description, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 5, address, -1, SQLITE_TRANSIENT);
    return txn_step_done (txn, stmt, error);
  }
}

/* Stores @record, the whole resource as the server sent it, unless we already hold a newer
 * version. */
gboolean
wg_store_txn_upsert (WgStoreTxn  *txn,
                     const char  *kind,
                     JsonObject  *record,
                     GError     **error)
{
  return wg_store_txn_upsert_text (txn, kind, record, NULL, -1, error);
}

/* The same, with @text (@text_len bytes, or -1 for up to its nul) the record's JSON as
 * received: the sync engine has it already, and writing it out again would cost as much as
 * parsing it. NULL serialises @record. The text must stay alive until this returns. */
gboolean
wg_store_txn_upsert_text (WgStoreTxn  *txn,
                          const char  *kind,
                          JsonObject  *record,
                          const char  *text,
                          gssize       text_len,
                          GError     **error)
{
  static const char sql[] =
    "INSERT INTO records (kind, id, version, body) VALUES (?1, ?2, ?3, ?4)"
    " ON CONFLICT (id) DO UPDATE SET kind = ?1, version = ?3, body = ?4"
    " WHERE excluded.version >= records.version";
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  const char *id;
  JsonNode *version_node;
  gint64 version;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (record != NULL, FALSE);

  if (!check_kind (kind, error))
    return FALSE;

  id = member_string (record, "id");
  version_node = json_object_get_member (record, "version");
  if (id == NULL || version_node == NULL || !JSON_NODE_HOLDS_VALUE (version_node) ||
      json_node_get_value_type (version_node) != G_TYPE_INT64)
    {
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_BAD_DATA,
                   _("The server sent a %s record without an id or version"), kind);
      return FALSE;
    }
  version = json_node_get_int (version_node);

  if (text == NULL)
    {
      node = json_node_init_object (json_node_alloc (), record);
      body = json_to_string (node, FALSE);
      text = body;
      text_len = -1;
    }

  if (g_str_equal (kind, "cases"))
    {
      if (!upsert_case (txn, record, id, version, text, text_len, error))
        return FALSE;
    }
  else
    {
      if (!(stmt = txn_prepare (txn, sql, error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, version);
      sqlite3_bind_text (stmt, 4, text, text_len, SQLITE_STATIC);
      if (!txn_step_done (txn, stmt, error))
        return FALSE;
    }

  txn_note_change (txn, kind, id);
  return TRUE;
}

gboolean
wg_store_txn_delete (WgStoreTxn  *txn,
                     const char  *kind,
                     const char  *id,
                     GError     **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (txn != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!check_kind (kind, error))
    return FALSE;

  if (g_str_equal (kind, "cases"))
    {
      if (!(stmt = txn_prepare (txn, "DELETE FROM cases_fts WHERE rowid = (SELECT rowid FROM cases WHERE id = ?1)", error)))
        return FALSE;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (!txn_step_done (txn, stmt, error))
        return FALSE;
      if (!(stmt = txn_prepare (txn, "DELETE FROM cases WHERE id = ?1", error)))
        return FALSE;
    }
  else if (!(stmt = txn_prepare (txn, "DELETE FROM records WHERE id = ?1", error)))
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (!txn_step_done (txn, stmt, error))
    return FALSE;

  txn_note_change (txn, kind, id);
  return TRUE;
}

gboolean
wg_store_txn_set_value (WgStoreTxn  *txn,
                        const char  *key,
                        const char  *value,
                        GError     **error)
{
  sqlite3_stmt *stmt;

  if (value == NULL)
    stmt = txn_prepare (txn, "DELETE FROM kv WHERE key = ?1", error);
  else
    stmt = txn_prepare (txn, "INSERT OR REPLACE INTO kv (key, value) VALUES (?1, ?2)", error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  if (value != NULL)
    sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
  return txn_step_done (txn, stmt, error);
}

/* Sets (or with NULL clears) the optimistic state of a case and counts its pending actions. */
gboolean
wg_store_txn_set_local_state (WgStoreTxn  *txn,
                              const char  *case_id,
                              const char  *local_state,
                              int          pending_delta,
                              GError     **error)
{
  static const char sql[] =
    "UPDATE cases SET local_state = ?2, pending = max (0, pending + ?3) WHERE id = ?1";
  sqlite3_stmt *stmt;

  if (!(stmt = txn_prepare (txn, sql, error)))
    return FALSE;
  sqlite3_bind_text (stmt, 1, case_id, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, local_state);
  sqlite3_bind_int (stmt, 3, pending_delta);
  if (!txn_step_done (txn, stmt, error))
    return FALSE;

  txn_note_change (txn, "cases", case_id);
  return TRUE;
}

gint64
wg_store_txn_outbox_add (WgStoreTxn  *txn,
                         const char  *key,
                         const char  *case_id,
                         const char  *action,
                         const char  *payload,
                         gint64       if_match,
                         GError     **error)
{
  static const char sql[] =
    "INSERT INTO outbox (key, case_id, action, payload, if_match, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, strftime ('%Y-%m-%dT%H:%M:%SZ', 'now'))";
  sqlite3_stmt *stmt;

  if (!(stmt = txn_prepare (txn, sql, error)))
    return 0;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  bind_text_or_null (stmt, 2, case_id);
  sqlite3_bind_text (stmt, 3, action, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 4, payload, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 5, if_match);
  if (!txn_step_done (txn, stmt, error))
    return 0;

  txn_note_change (txn, "outbox", key);
  return sqlite3_last_insert_rowid (txn->db);
}

/* One statement on one outbox row (?1 its seq, ?2 @text when the statement has it). */
static gboolean
outbox_update (WgStoreTxn  *txn,
               const char  *sql,
               gint64       seq,
               const char  *text,
               GError     **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = txn_prepare (txn, sql, error)))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    bind_text_or_null (stmt, 2, text);
  if (!txn_step_done (txn, stmt, error))
    return FALSE;

  txn_note_change (txn, "outbox", "");
  return TRUE;
}

gboolean
wg_store_txn_outbox_remove (WgStoreTxn  *txn,
                            gint64       seq,
                            GError     **error)
{
  return outbox_update (txn, "DELETE FROM outbox WHERE seq = ?1", seq, NULL, error);
}

gboolean
wg_store_txn_outbox_fail (WgStoreTxn  *txn,
                          gint64       seq,
                          const char  *message,
                          GError     **error)
{
  return outbox_update (txn, "UPDATE outbox SET state = 'failed', error = ?2, attempts = attempts + 1 WHERE seq = ?1",
                        seq, message, error);
}

gboolean
wg_store_txn_outbox_retry (WgStoreTxn  *txn,
                           gint64       seq,
                           GError     **error)
{
  return outbox_update (txn, "UPDATE outbox SET state = 'pending', error = NULL WHERE seq = ?1", seq, NULL, error);
}

/* Forgets everything: the records, the cursor and the outbox (on logout). */
gboolean
wg_store_txn_wipe (WgStoreTxn  *txn,
                   GError     **error)
{
  if (!exec (txn->db, "DELETE FROM records; DELETE FROM cases; DELETE FROM cases_fts;"
                      "DELETE FROM kv; DELETE FROM outbox;", error))
    return FALSE;

  for (guint i = 0; kinds[i] != NULL; i++)
    txn_note_change (txn, kinds[i], "");
  txn_note_change (txn, "outbox", "");
  return TRUE;
}

/* --- reading --------------------------------------------------------------------------------- */

static sqlite3_stmt *
reader_prepare (WgStore     *self,
                const char  *sql,
                ReaderConn **out_conn,
                GError     **error)
{
  ReaderConn *conn = get_reader (self, error);

  if (conn == NULL)
    return NULL;
  if (out_conn != NULL)
    *out_conn = conn;
  return prepare_cached (conn->stmts, conn->db, sql, error);
}

char *
wg_store_get_value (WgStore     *self,
                    const char  *key,
                    GError     **error)
{
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  char *value = NULL;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);

  if (!(stmt = reader_prepare (self, "SELECT value FROM kv WHERE key = ?1", &conn, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  else if (rc != SQLITE_DONE)
    set_sqlite_error (error, conn->db, DOING_READ);
  sqlite3_reset (stmt);
  return value;
}

gint64
wg_store_get_cursor (WgStore  *self,
                     GError  **error)
{
  g_autofree char *value = wg_store_get_value (self, "cursor", error);

  return value != NULL ? g_ascii_strtoll (value, NULL, 10) : 0;
}

gint64
wg_store_count (WgStore     *self,
                const char  *kind,
                GError     **error)
{
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (WG_IS_STORE (self), -1);

  if (g_strcmp0 (kind, "cases") == 0)
    stmt = reader_prepare (self, "SELECT count(*) FROM cases", &conn, error);
  else
    stmt = reader_prepare (self, "SELECT count(*) FROM records WHERE kind = ?1", &conn, error);
  if (stmt == NULL)
    return -1;

  if (g_strcmp0 (kind, "cases") != 0)
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_sqlite_error (error, conn->db, DOING_READ);
  sqlite3_reset (stmt);
  return count;
}

/* A SHA-256 over "id:version" of every record of @kind in id order: equal checksums on the
 * client and the server mean the same records at the same versions. */
char *
wg_store_checksum (WgStore     *self,
                   const char  *kind,
                   GError     **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);

  if (g_strcmp0 (kind, "cases") == 0)
    stmt = reader_prepare (self, "SELECT id, version FROM cases ORDER BY id", &conn, error);
  else
    stmt = reader_prepare (self, "SELECT id, version FROM records WHERE kind = ?1 ORDER BY id", &conn, error);
  if (stmt == NULL)
    return NULL;
  if (g_strcmp0 (kind, "cases") != 0)
    sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *line = g_strdup_printf ("%s:%" G_GINT64_FORMAT "\n",
                                               sqlite3_column_text (stmt, 0),
                                               (gint64) sqlite3_column_int64 (stmt, 1));

      g_checksum_update (checksum, (const guchar *) line, -1);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }

  return g_strdup (g_checksum_get_string (checksum));
}

JsonObject *
wg_store_get_record (WgStore     *self,
                     const char  *kind,
                     const char  *id,
                     GError     **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (g_strcmp0 (kind, "cases") == 0)
    stmt = reader_prepare (self, "SELECT body FROM cases WHERE id = ?1", &conn, error);
  else
    stmt = reader_prepare (self, "SELECT body FROM records WHERE id = ?1", &conn, error);
  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    body = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_NOT_FOUND,
                   _("The record %s is not in the local cache"), id);
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }

  node = json_from_string (body, error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_object_ref (json_node_get_object (node));
}

GPtrArray *
wg_store_list_outbox (WgStore  *self,
                      GError  **error)
{
  static const char sql[] =
    "SELECT seq, key, case_id, action, payload, if_match, state, error, attempts, created_at"
    " FROM outbox ORDER BY seq";
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_outbox_item_free);
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);

  if (!(stmt = reader_prepare (self, sql, &conn, error)))
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WgOutboxItem *item = g_new0 (WgOutboxItem, 1);

      item->seq = sqlite3_column_int64 (stmt, 0);
      item->key = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->case_id = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      item->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      item->payload = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      item->if_match = sqlite3_column_int64 (stmt, 5);
      item->state = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 6), "failed") == 0
                    ? WG_OUTBOX_FAILED : WG_OUTBOX_PENDING;
      item->error = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      item->attempts = sqlite3_column_int (stmt, 8);
      item->created_at = g_strdup ((const char *) sqlite3_column_text (stmt, 9));
      g_ptr_array_add (items, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }

  return g_steal_pointer (&items);
}

guint
wg_store_count_outbox (WgStore  *self,
                       GError  **error)
{
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  guint count = 0;

  g_return_val_if_fail (WG_IS_STORE (self), 0);

  if (!(stmt = reader_prepare (self, "SELECT count(*) FROM outbox", &conn, error)))
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int (stmt, 0);
  else
    set_sqlite_error (error, conn->db, DOING_READ);
  sqlite3_reset (stmt);
  return count;
}

/* --- rows for list models ------------------------------------------------------------------- */

/* Binds ?1 (the kind, for the records table) and ?2 (@param), as the statement uses them; a
 * search for many cases becomes a test of their bitmap, bound as ?3 (see WG_STORE_SEARCH_MANY). */
static sqlite3_stmt *
prepare_filtered (ReaderConn  *conn,
                  const char  *sql,
                  const char  *kind,
                  const char  *param,
                  GError     **error)
{
  g_autofree char *rewritten = NULL;
  SearchHits *hits = NULL;
  sqlite3_stmt *stmt = NULL;
  int index;

  if (param != NULL && strstr (sql, WG_STORE_CASE_SEARCH) != NULL &&
      (hits = read_search_hits (conn, param)) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (sql, WG_STORE_CASE_SEARCH, -1);

      sql = rewritten = g_strjoinv (SEARCH_HIT, parts);
    }
  if (sqlite3_prepare_v2 (conn->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      g_clear_pointer (&hits, search_hits_free);
      return NULL;
    }
  if ((index = sqlite3_bind_parameter_index (stmt, "?1")) > 0)
    sqlite3_bind_text (stmt, index, kind, -1, SQLITE_TRANSIENT);
  if ((index = sqlite3_bind_parameter_index (stmt, "?2")) > 0)
    sqlite3_bind_text (stmt, index, param != NULL ? param : "", -1, SQLITE_TRANSIENT);
  /* The statement frees the bitmap with its bindings. */
  if (hits != NULL)
    sqlite3_bind_pointer (stmt, sqlite3_bind_parameter_index (stmt, "?3"), hits, SEARCH_HITS_TYPE,
                          search_hits_free);
  return stmt;
}

/* The rowid breaks ties in the direction of the order's last term: an index on the terms,
 * read backwards for a descending order, then gives the whole order without a sort. */
static char *
filtered_sql (const char *select,
              const char *kind,
              const char *where,
              const char *order_by)
{
  gboolean cases = g_str_equal (kind, "cases");
  /* An ORDER BY that names rowid itself chooses its direction. */
  gboolean tie = order_by != NULL && strstr (order_by, "rowid") == NULL;
  g_autofree char *lower = order_by != NULL ? g_ascii_strdown (order_by, -1) : NULL;
  gboolean descending = lower != NULL && g_str_has_suffix (g_strchomp (lower), " desc");

  return g_strdup_printf ("SELECT %s FROM %s WHERE %s AND (%s)%s%s%s",
                          select, cases ? "cases" : "records", cases ? "?1 = ?1" : "kind = ?1",
                          where != NULL ? where : "1",
                          order_by != NULL ? " ORDER BY " : "", order_by != NULL ? order_by : "",
                          !tie ? "" : descending ? ", rowid DESC" : ", rowid");
}

/* The rowids of the records of @kind that match @where, in the order of @order_by. Both are
 * SQL written in code, never what a person typed: what a person typed goes in @param, bound
 * as ?2. Cases filter on their columns, other kinds on their JSON body. */
GArray *
wg_store_list_rowids (WgStore     *self,
                      const char  *kind,
                      const char  *where,
                      const char  *param,
                      const char  *order_by,
                      GError     **error)
{
  g_autofree char *sql = NULL;
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);
  g_return_val_if_fail (is_known_kind (kind), NULL);

  sql = filtered_sql ("rowid", kind, where, order_by);
  if ((conn = get_reader (self, error)) == NULL ||
      (stmt = prepare_filtered (conn, sql, kind, param, error)) == NULL)
    return NULL;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  if (rc != SQLITE_DONE)
    set_sqlite_error (error, conn->db, DOING_READ);
  sqlite3_finalize (stmt);

  return rc == SQLITE_DONE ? g_steal_pointer (&rowids) : NULL;
}

gint64
wg_store_count_where (WgStore     *self,
                      const char  *kind,
                      const char  *where,
                      const char  *param,
                      GError     **error)
{
  g_autofree char *sql = NULL;
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  gint64 count = -1;

  g_return_val_if_fail (WG_IS_STORE (self), -1);
  g_return_val_if_fail (is_known_kind (kind), -1);

  sql = filtered_sql ("count(*)", kind, where, NULL);
  if ((conn = get_reader (self, error)) == NULL ||
      (stmt = prepare_filtered (conn, sql, kind, param, error)) == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  else
    set_sqlite_error (error, conn->db, DOING_READ);
  sqlite3_finalize (stmt);
  return count;
}

gint64
wg_store_rowid_for (WgStore    *self,
                    const char *kind,
                    const char *id)
{
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  gint64 rowid = 0;

  g_return_val_if_fail (WG_IS_STORE (self), 0);

  if (g_strcmp0 (kind, "cases") == 0)
    stmt = reader_prepare (self, "SELECT rowid FROM cases WHERE id = ?1", &conn, NULL);
  else
    stmt = reader_prepare (self, "SELECT rowid FROM records WHERE id = ?1", &conn, NULL);
  if (stmt == NULL)
    return 0;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return rowid;
}

/* One row by @sql (its ?1 the rowid): id, version, body, local_state, pending, then
 * @n_columns more text columns into @out_columns (a new array) when @n_columns > 0. */
static gboolean
read_row_by (WgStore     *self,
             const char  *sql,
             gint64       rowid,
             char       **out_id,
             gint64      *out_version,
             char       **out_body,
             char       **out_local_state,
             guint       *out_pending,
             guint        n_columns,
             char      ***out_columns,
             GError     **error)
{
  ReaderConn *conn;
  sqlite3_stmt *stmt = reader_prepare (self, sql, &conn, error);
  int rc;

  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, 1, rowid);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      *out_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      *out_version = sqlite3_column_int64 (stmt, 1);
      *out_body = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      *out_local_state = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      *out_pending = sqlite3_column_int (stmt, 4);
      if (n_columns > 0)
        {
          *out_columns = g_new0 (char *, n_columns);
          for (guint i = 0; i < n_columns; i++)
            (*out_columns)[i] = g_strdup ((const char *) sqlite3_column_text (stmt, 5 + i));
        }
    }
  else if (rc == SQLITE_DONE)
    g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_NOT_FOUND, _("The record is no longer in the local cache"));
  else
    set_sqlite_error (error, conn->db, DOING_READ);
  sqlite3_reset (stmt);

  return rc == SQLITE_ROW;
}

/* One row by rowid: an indexed look-up, cheap enough for a list row being drawn. */
gboolean
wg_store_read_row (WgStore     *self,
                   const char  *kind,
                   gint64       rowid,
                   char       **out_id,
                   gint64      *out_version,
                   char       **out_body,
                   char       **out_local_state,
                   guint       *out_pending,
                   GError     **error)
{
  g_return_val_if_fail (WG_IS_STORE (self), FALSE);

  return read_row_by (self,
                      g_strcmp0 (kind, "cases") == 0
                      ? "SELECT id, version, body, local_state, pending FROM cases WHERE rowid = ?1"
                      : "SELECT id, version, body, NULL, 0 FROM records WHERE rowid = ?1",
                      rowid, out_id, out_version, out_body, out_local_state, out_pending, 0, NULL, error);
}

/* A case's row as wg_store_read_row () reads it, with its columns (see WgCaseColumn): what a
 * list shows of it without parsing its body. @out_columns: an array of WG_N_CASE_COLUMNS
 * strings, any of them NULL; free each, then the array. */
G_STATIC_ASSERT (WG_N_CASE_COLUMNS == 13);

gboolean
wg_store_read_case_columns (WgStore     *self,
                            gint64       rowid,
                            char       **out_id,
                            gint64      *out_version,
                            char       **out_body,
                            char       **out_local_state,
                            guint       *out_pending,
                            char      ***out_columns,
                            GError     **error)
{
  g_return_val_if_fail (WG_IS_STORE (self), FALSE);

  return read_row_by (self,
                      "SELECT id, version, body, local_state, pending,"
                      " number, state, urgency, category_id, village_id, grid_id, source, title,"
                      " address, reported_at, deadline, assignee_id, updated_at"
                      " FROM cases WHERE rowid = ?1",
                      rowid, out_id, out_version, out_body, out_local_state, out_pending,
                      WG_N_CASE_COLUMNS, out_columns, error);
}

/* --- figures for the map -------------------------------------------------------------------- */

static char *
rfc3339 (GDateTime *when)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (when);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

GHashTable *
wg_store_case_counts_by_grid (WgStore    *self,
                              GDateTime  *now,
                              GError    **error)
{
  /* Open: not closed, rejected or merged. Overdue: still being handled (not yet resolved) past
   * its deadline. Timestamps are RFC 3339 in UTC, so text order is time order. */
  static const char sql[] =
    "SELECT grid_id,"
    "  sum (coalesce (local_state, state) NOT IN ('closed', 'rejected', 'merged')),"
    "  sum (coalesce (local_state, state) NOT IN ('closed', 'rejected', 'merged', 'resolved', 'verified')"
    "       AND deadline IS NOT NULL AND deadline < ?1),"
    "  sum (reported_at >= ?2),"
    "  sum (reported_at >= ?3)"
    " FROM cases WHERE grid_id IS NOT NULL GROUP BY grid_id";
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GDateTime) week = g_date_time_add_days (now, -7);
  g_autoptr(GDateTime) month = g_date_time_add_days (now, -30);
  g_autofree char *now_s = rfc3339 (now);
  g_autofree char *week_s = rfc3339 (week);
  g_autofree char *month_s = rfc3339 (month);
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);

  if (!(stmt = reader_prepare (self, sql, &conn, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, now_s, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, week_s, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, month_s, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int *values = g_new (int, 4);

      for (int i = 0; i < 4; i++)
        values[i] = sqlite3_column_int (stmt, i + 1);
      g_hash_table_insert (counts, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), values);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }

  return g_steal_pointer (&counts);
}

/* Every case matching @where (SQL over the cases table written in code; @param is bound as
 * ?2) with its location, for the map's markers. The location is read from the stored body:
 * the map needs it for the few thousand open cases, not as an indexed column. */
gboolean
wg_store_foreach_case_point (WgStore          *self,
                             const char       *where,
                             const char       *param,
                             WgCasePointFunc   func,
                             gpointer          user_data,
                             GError          **error)
{
  g_autofree char *sql = NULL;
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  sql = filtered_sql ("id, number, title, coalesce (local_state, state), urgency, deadline, grid_id,"
                      " json_extract (body, '$.location.coordinates[0]'),"
                      " json_extract (body, '$.location.coordinates[1]')",
                      "cases", where, NULL);
  if ((conn = get_reader (self, error)) == NULL ||
      (stmt = prepare_filtered (conn, sql, "cases", param, error)) == NULL)
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      WgCasePoint point = {
        (const char *) sqlite3_column_text (stmt, 0),
        (const char *) sqlite3_column_text (stmt, 1),
        (const char *) sqlite3_column_text (stmt, 2),
        (const char *) sqlite3_column_text (stmt, 3),
        (const char *) sqlite3_column_text (stmt, 4),
        (const char *) sqlite3_column_text (stmt, 5),
        (const char *) sqlite3_column_text (stmt, 6),
        NAN, NAN,
      };

      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL && sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        {
          point.lon = sqlite3_column_double (stmt, 7);
          point.lat = sqlite3_column_double (stmt, 8);
        }
      func (&point, user_data);
    }
  if (rc != SQLITE_DONE)
    set_sqlite_error (error, conn->db, DOING_READ);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

/* Open cases per assignee id: how loaded each team, village, grid or person is, shown where
 * a dispatcher chooses whom to send a case to. */
GHashTable *
wg_store_open_load (WgStore  *self,
                    GError  **error)
{
  static const char sql[] =
    "SELECT assignee_id, count (*) FROM cases"
    " WHERE assignee_id IS NOT NULL"
    "   AND coalesce (local_state, state) IN ('dispatched', 'claimed', 'in_progress')"
    " GROUP BY assignee_id";
  g_autoptr(GHashTable) load = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);

  if (!(stmt = reader_prepare (self, sql, &conn, error)))
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (load, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 1)));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }
  return g_steal_pointer (&load);
}

/* Every record of @kind (not cases), parsed: for small kinds such as grids and assignments. */
GPtrArray *
wg_store_list_records (WgStore     *self,
                       const char  *kind,
                       GError     **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);

  if (!(stmt = reader_prepare (self, "SELECT body FROM records WHERE kind = ?1", &conn, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (records, json_object_ref (json_node_get_object (node)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }

  return g_steal_pointer (&records);
}

/* Every record of @kind whose string @member is one of @values (NULL-terminated), parsed: the
 * assignments of one grid's village, groups and grid without reading all 20,000 of them. */
GPtrArray *
wg_store_list_records_with (WgStore            *self,
                            const char         *kind,
                            const char         *member,
                            const char * const *values,
                            GError            **error)
{
  static const char sql[] =
    "SELECT body FROM records WHERE kind = ?1"
    " AND json_extract (body, ?2) IN (SELECT value FROM json_each (?3))";
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(JsonNode) list = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  JsonArray *array = json_array_new ();
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);
  g_return_val_if_fail (member != NULL, NULL);

  for (guint i = 0; values != NULL && values[i] != NULL; i++)
    json_array_add_string_element (array, values[i]);
  json_node_take_array (list, array);
  json = json_to_string (list, FALSE);
  path = g_strconcat ("$.", member, NULL);

  if (!(stmt = reader_prepare (self, sql, &conn, error)))
    return NULL;
  sqlite3_bind_text (stmt, 1, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 3, json, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(JsonNode) node = json_from_string ((const char *) sqlite3_column_text (stmt, 0), NULL);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (records, json_object_ref (json_node_get_object (node)));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }

  return g_steal_pointer (&records);
}

/* --- open cases near a place ----------------------------------------------------------------- */

void
wg_nearby_case_free (WgNearbyCase *item)
{
  if (item == NULL)
    return;

  g_free (item->id);
  g_free (item->number);
  g_free (item->title);
  g_free (item->state);
  g_free (item->category_id);
  g_free (item->reported_at);
  g_free (item);
}

static int
compare_nearby (gconstpointer a,
                gconstpointer b,
                gpointer      category_id)
{
  const WgNearbyCase *x = a;
  const WgNearbyCase *y = b;
  gboolean x_same = category_id != NULL && g_strcmp0 (x->category_id, category_id) == 0;
  gboolean y_same = category_id != NULL && g_strcmp0 (y->category_id, category_id) == 0;

  if (x_same != y_same)
    return x_same ? -1 : 1;
  if (x->distance_m != y->distance_m)
    return x->distance_m < y->distance_m ? -1 : 1;
  return g_strcmp0 (x->number, y->number);
}

/* Open cases (not closed, rejected or merged, counting an action still in the outbox) within
 * @radius_m metres of (@lon, @lat), reported at or after @reported_since (RFC 3339 in UTC; NULL
 * for any time), other than @exclude_id: those in @category_id first, then the nearest, at most
 * @limit. The index on (lat, lon) finds the square around the point; the exact distance is
 * measured here. */
GPtrArray *
wg_store_find_cases_near (WgStore     *self,
                          double       lon,
                          double       lat,
                          double       radius_m,
                          const char  *reported_since,
                          const char  *exclude_id,
                          const char  *category_id,
                          guint        limit,
                          GError     **error)
{
  static const char sql[] =
    "SELECT id, number, title, coalesce (local_state, state), category_id, reported_at, lon, lat"
    " FROM cases"
    " WHERE lat BETWEEN ?1 AND ?2 AND lon BETWEEN ?3 AND ?4"
    "   AND coalesce (local_state, state) NOT IN ('closed', 'rejected', 'merged')"
    "   AND (?5 IS NULL OR reported_at >= ?5)"
    "   AND (?6 IS NULL OR id <> ?6)";
  /* Metres per degree of latitude, and a margin so rounding never loses a case on the edge. */
  const double metres_per_degree = 111320.0;
  double dlat = radius_m / metres_per_degree * 1.01;
  double dlon = radius_m / (metres_per_degree * MAX (cos (lat * G_PI / 180), 0.01)) * 1.01;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_nearby_case_free);
  ReaderConn *conn;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (WG_IS_STORE (self), NULL);
  g_return_val_if_fail (radius_m >= 0, NULL);

  if (!(stmt = reader_prepare (self, sql, &conn, error)))
    return NULL;
  sqlite3_bind_double (stmt, 1, lat - dlat);
  sqlite3_bind_double (stmt, 2, lat + dlat);
  sqlite3_bind_double (stmt, 3, lon - dlon);
  sqlite3_bind_double (stmt, 4, lon + dlon);
  bind_text_or_null (stmt, 5, reported_since);
  bind_text_or_null (stmt, 6, exclude_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      double distance = wg_geometry_distance_m (lon, lat, sqlite3_column_double (stmt, 6),
                                                sqlite3_column_double (stmt, 7));
      WgNearbyCase *item;

      if (distance > radius_m)
        continue;
      item = g_new0 (WgNearbyCase, 1);
      item->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      item->number = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      item->title = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      item->state = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      item->category_id = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      item->reported_at = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      item->lon = sqlite3_column_double (stmt, 6);
      item->lat = sqlite3_column_double (stmt, 7);
      item->distance_m = distance;
      g_ptr_array_add (found, item);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, conn->db, DOING_READ);
      return NULL;
    }

  g_ptr_array_sort_values_with_data (found, compare_nearby, (gpointer) category_id);
  if (found->len > limit)
    g_ptr_array_set_size (found, limit);
  return g_steal_pointer (&found);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_store_finalize (GObject *object)
{
  WgStore *self = WG_STORE (object);

  wg_store_close (self);
  g_clear_pointer (&self->jobs, g_async_queue_unref);
  g_clear_pointer (&self->readers, g_hash_table_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->readers_mutex);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (wg_store_parent_class)->finalize (object);
}

static void
wg_store_class_init (WgStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wg_store_finalize;

  /**
   * WgStore::changed:
   * @kind: the kind of records ("cases", "grids", …, or "outbox")
   * @ids: the ids that changed; an empty string means "many, reload"
   *
   * Emitted on the main context after a write committed.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
}

static void
wg_store_init (WgStore *self)
{
  self->jobs = g_async_queue_new ();
  self->readers = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, reader_conn_free);
  g_mutex_init (&self->readers_mutex);
}
