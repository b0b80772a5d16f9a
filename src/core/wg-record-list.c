/* wg-record-list.c — a GListModel over one kind of record in the local cache
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The model holds only the rowids, in order (8 bytes a row: a million cases fit in 8 MB);
 * the ordering query runs on a worker thread. An item is a rowid until something reads it:
 * the row is read then, by an indexed look-up (GTK asks for every added item when a change
 * removes a row on show, to find it again: that must not cost a query a row). While an item
 * is held (a row drawn, the selection), asking for its position again gives the same object.
 * When the store reports changed ids the order is queried again and compared with the old
 * one: one items-changed for the span that moved, and one per changed row elsewhere, so a
 * view keeps its scroll position and selection.
 */
#define G_LOG_DOMAIN "WgRecordList"

#include "config.h"

#include "wg-record-list.h"

/* --- WgRecord -------------------------------------------------------------------------------- */

struct _WgRecord
{
  GObject       parent_instance;

  const char   *kind;       /* interned */
  gint64        rowid;
  WgStore      *store;      /* until the row is read */
  WgRecordList *owner;      /* whose table of held items lists this one, or NULL */
  char         *id;
  gint64        version;
  char         *body;       /* until parsed into json */
  JsonObject   *json;
  char        **columns;    /* cases: WG_N_CASE_COLUMNS, read with the row */
  char         *local_state;
  guint         pending;
};

G_DEFINE_FINAL_TYPE (WgRecord, wg_record, G_TYPE_OBJECT)

static void forget_item (WgRecordList *list,
                         WgRecord     *record);

static void
wg_record_finalize (GObject *object)
{
  WgRecord *self = WG_RECORD (object);

  if (self->owner != NULL)
    forget_item (self->owner, self);
  g_clear_object (&self->store);
  g_free (self->id);
  g_free (self->local_state);
  g_free (self->body);
  g_clear_pointer (&self->json, json_object_unref);
  for (guint i = 0; self->columns != NULL && i < WG_N_CASE_COLUMNS; i++)
    g_free (self->columns[i]);
  g_free (self->columns);

  G_OBJECT_CLASS (wg_record_parent_class)->finalize (object);
}

/* Reads the row the first time anything about it is asked. A case's body is parsed only when
 * something besides its columns is asked for: a queue's rows show the columns alone. */
static void
ensure_read (WgRecord *self)
{
  g_autoptr(GError) error = NULL;
  gboolean read;

  if (self->store == NULL)
    return;

  if (self->kind == g_intern_static_string ("cases"))
    read = wg_store_read_case_columns (self->store, self->rowid, &self->id, &self->version, &self->body,
                                       &self->local_state, &self->pending, &self->columns, &error);
  else
    read = wg_store_read_row (self->store, self->kind, self->rowid, &self->id, &self->version, &self->body,
                              &self->local_state, &self->pending, &error);
  if (!read)
    /* Deleted since the order was read: an empty item until the reload removes it. */
    g_debug ("Row %" G_GINT64_FORMAT " is gone: %s", self->rowid, error->message);
  g_clear_object (&self->store);
}

static void
ensure_parsed (WgRecord *self)
{
  g_autoptr(JsonNode) node = NULL;

  ensure_read (self);
  if (self->body == NULL)
    return;

  node = json_from_string (self->body, NULL);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    self->json = json_object_ref (json_node_get_object (node));
  g_clear_pointer (&self->body, g_free);
}

static void
wg_record_class_init (WgRecordClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_record_finalize;
}

static void
wg_record_init (WgRecord *self)
{
}

const char *
wg_record_get_id (WgRecord *self)
{
  g_return_val_if_fail (WG_IS_RECORD (self), NULL);

  ensure_read (self);
  return self->id;
}

const char *
wg_record_get_kind (WgRecord *self)
{
  g_return_val_if_fail (WG_IS_RECORD (self), NULL);

  return self->kind;
}

gint64
wg_record_get_version (WgRecord *self)
{
  g_return_val_if_fail (WG_IS_RECORD (self), 0);

  ensure_read (self);
  return self->version;
}

JsonObject *
wg_record_get_json (WgRecord *self)
{
  g_return_val_if_fail (WG_IS_RECORD (self), NULL);

  ensure_parsed (self);
  return self->json;
}

/* Members kept as columns beside a case's body, exactly as the body has them. */
static const char * const straight_columns[WG_N_CASE_COLUMNS] = {
  [WG_CASE_COLUMN_NUMBER] = "number",
  [WG_CASE_COLUMN_STATE] = "state",
  [WG_CASE_COLUMN_URGENCY] = "urgency",
  [WG_CASE_COLUMN_CATEGORY_ID] = "category_id",
  [WG_CASE_COLUMN_VILLAGE_ID] = "village_id",
  [WG_CASE_COLUMN_GRID_ID] = "grid_id",
  [WG_CASE_COLUMN_SOURCE] = "source",
  [WG_CASE_COLUMN_TITLE] = "title",
  [WG_CASE_COLUMN_ADDRESS] = "address",
  [WG_CASE_COLUMN_DEADLINE] = "deadline",
  [WG_CASE_COLUMN_UPDATED_AT] = "updated_at",
};

/* A case's column (see WgCaseColumn), read with its row; NULL for other kinds of record. */
const char *
wg_record_get_column (WgRecord     *self,
                      WgCaseColumn  column)
{
  g_return_val_if_fail (WG_IS_RECORD (self), NULL);
  g_return_val_if_fail (column < WG_N_CASE_COLUMNS, NULL);

  ensure_read (self);
  return self->columns != NULL ? self->columns[column] : NULL;
}

/* A string member of the record, or NULL when absent or not a string. */
const char *
wg_record_get_string (WgRecord   *self,
                      const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (WG_IS_RECORD (self), NULL);

  ensure_read (self);
  if (self->columns != NULL && self->json == NULL)
    for (guint i = 0; i < WG_N_CASE_COLUMNS; i++)
      if (straight_columns[i] != NULL && g_str_equal (straight_columns[i], member))
        return self->columns[i];
  ensure_parsed (self);
  node = self->json != NULL ? json_object_get_member (self->json, member) : NULL;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* A case's state as the dispatcher should see it: the optimistic one while an action waits. */
const char *
wg_record_get_state (WgRecord *self)
{
  g_return_val_if_fail (WG_IS_RECORD (self), NULL);

  ensure_read (self);
  return self->local_state != NULL ? self->local_state : wg_record_get_string (self, "state");
}

gboolean
wg_record_get_pending (WgRecord *self)
{
  g_return_val_if_fail (WG_IS_RECORD (self), FALSE);

  ensure_read (self);
  return self->pending > 0;
}

/* --- WgRecordList ---------------------------------------------------------------------------- */

/* A change that adds more rows than this and removes some is told as a removal, then an
 * addition: GTK otherwise looks for the rows it showed among every added one, an item each. */
#define LARGE_CHANGE 50000

/* Above this many rows in common at the top, a change of filter or order is told as it is:
 * the rows on show keep their widgets anyway. */
#define MOVE_PREFIX 256

struct _WgRecordList
{
  GObject       parent_instance;

  /* Owned */
  WgStore      *store;
  char         *kind;
  char         *order_by;
  char         *where;
  char         *param;
  GArray       *rowids;
  GHashTable   *held;           /* rowid → WgRecord, the items alive (not owned) */
  GHashTable   *changed_ids;    /* ids reported changed since the last reload */
  GCancellable *cancellable;
  guint         reload_source;
  gboolean      loading;
  gboolean      reload_again;
  gboolean      next_live;      /* every reload asked for since the last began was a sync's */
  gboolean      first_pending;  /* created, its first reload not begun */
  WgRecordListMoveFunc move_func;
  gpointer      move_data;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WgRecordList, wg_record_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  ROWS_INSERTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Above this many rows in the span that moved, new rows are not looked for: a sync that
 * changes that much is a catch-up, not news. */
#define MAX_INSERTED_SPAN 10000
/* A held item is finalized: its position gets a new item the next time. */
static void
forget_item (WgRecordList *list,
             WgRecord     *record)
{
  if (g_hash_table_lookup (list->held, &record->rowid) == record)
    g_hash_table_remove (list->held, &record->rowid);
  record->owner = NULL;
}

/* The item of @rowid, if one is held, no longer stands for the row: the next request for
 * that position builds (and later reads) a new one. */
static void
detach_item (WgRecordList *self,
             gint64        rowid)
{
  WgRecord *record = g_hash_table_lookup (self->held, &rowid);

  if (record != NULL)
    forget_item (self, record);
}

static void
detach_all_items (WgRecordList *self)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->held);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      ((WgRecord *) value)->owner = NULL;
      g_hash_table_iter_remove (&iter);
    }
}

typedef struct
{
  char     *kind;
  char     *where;
  char     *param;
  char     *order_by;
  gboolean  live;
} ReloadData;

static void
reload_data_free (gpointer data)
{
  ReloadData *reload = data;

  g_free (reload->kind);
  g_free (reload->where);
  g_free (reload->param);
  g_free (reload->order_by);
  g_free (reload);
}

static void
reload_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  WgRecordList *self = source_object;
  ReloadData *reload = task_data;
  GError *error = NULL;
  GArray *rowids = wg_store_list_rowids (self->store, reload->kind, reload->where, reload->param,
                                         reload->order_by, &error);

  if (rowids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rowids, (GDestroyNotify) g_array_unref);
}

static gssize
find_rowid (GArray *rowids,
            gint64  rowid)
{
  for (guint i = 0; i < rowids->len; i++)
    if (g_array_index (rowids, gint64, i) == rowid)
      return i;
  return -1;
}

/* Rows of the new span that were in no place of the old one: records that arrived. */
static void
emit_inserted (WgRecordList *self,
               GArray       *old,
               guint         prefix,
               guint         old_end,
               guint         new_end)
{
  g_autoptr(GHashTable) before = NULL;
  guint run = 0;

  if (new_end - prefix > MAX_INSERTED_SPAN || old_end - prefix > MAX_INSERTED_SPAN)
    return;

  before = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = prefix; i < old_end; i++)
    g_hash_table_add (before, &g_array_index (old, gint64, i));

  for (guint i = prefix; i <= new_end; i++)
    {
      if (i < new_end && !g_hash_table_contains (before, &g_array_index (self->rowids, gint64, i)))
        {
          run++;
          continue;
        }
      if (run > 0)
        g_signal_emit (self, signals[ROWS_INSERTED], 0, i - run, run);
      run = 0;
    }
}

/* Rows that changed in place, outside the span that moved: one pass over those rows
 * (a million in "all cases"), not one per changed row. */
static void
refresh_changed (WgRecordList *self,
                 GHashTable   *changed_rowids,
                 guint         n_new,
                 guint         prefix,
                 guint         suffix)
{
  if (changed_rowids == NULL || g_hash_table_size (changed_rowids) == 0)
    return;
  for (guint pos = 0; pos < n_new; pos++)
    {
      if (pos == prefix)
        pos = n_new - suffix;
      if (pos < n_new && g_hash_table_contains (changed_rowids, &g_array_index (self->rowids, gint64, pos)))
        g_list_model_items_changed (G_LIST_MODEL (self), pos, 1, 1);
    }
}

static void
apply_reload (WgRecordList *self,
              GArray       *rowids,
              GHashTable   *changed_rowids,
              gboolean      live)
{
  GArray *old = self->rowids;
  guint prefix = 0;
  guint suffix = 0;
  guint removed;
  guint added;
  guint n_old = old->len;
  guint n_new = rowids->len;

  while (prefix < n_old && prefix < n_new &&
         g_array_index (old, gint64, prefix) == g_array_index (rowids, gint64, prefix))
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix &&
         g_array_index (old, gint64, n_old - 1 - suffix) == g_array_index (rowids, gint64, n_new - 1 - suffix))
    suffix++;
  removed = n_old - prefix - suffix;
  added = n_new - prefix - suffix;

  /* Another filter or order, with a view on the list: the new rows are put before the old
   * ones, the view moves to them, and only then do the old rows go. GTK then hands the row
   * widgets of the old rows over to the new ones; told as one change, it would build some
   * 200 rows of cells anew (it reuses a row's widget only for the same item). */
  if (!live && self->move_func != NULL && removed > 0 && added > 0 && prefix < MOVE_PREFIX)
    {
      GArray *both = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n_new + n_old);

      g_array_append_vals (both, rowids->data, n_new);
      g_array_append_vals (both, old->data, n_old);
      self->rowids = both;
      g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, n_new);
      self->move_func (self, self->move_data);
      self->rowids = g_array_ref (rowids);
      g_array_unref (both);
      g_array_unref (old);
      g_list_model_items_changed (G_LIST_MODEL (self), n_new, n_old, 0);
      if (n_old != n_new)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  if (removed > 0 && added > LARGE_CHANGE)
    {
      /* Everything after the common start removed first, then the new rows added: a view
       * showing the old rows then starts again from the top of the change. */
      GArray *between = g_array_sized_new (FALSE, FALSE, sizeof (gint64), prefix);

      g_array_append_vals (between, old->data, prefix);
      self->rowids = between;
      g_list_model_items_changed (G_LIST_MODEL (self), prefix, n_old - prefix, 0);
      self->rowids = old;
      g_array_unref (between);
      suffix = 0;
      removed = 0;
      added = n_new - prefix;
    }
  self->rowids = g_array_ref (rowids);

  /* Told first, so a view binding the new rows already knows them as new. */
  if (live && added > 0)
    emit_inserted (self, old, prefix, n_old - suffix, n_new - suffix);
  g_array_unref (old);
  if (removed > 0 || added > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, removed, added);

  refresh_changed (self, changed_rowids, n_new, prefix, suffix);

  if (n_old != n_new)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
start_reload (WgRecordList *self);

static void
reloaded_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  WgRecordList *self = WG_RECORD_LIST (object);
  g_autoptr(GHashTable) changed_rowids = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;

  rowids = g_task_propagate_pointer (G_TASK (result), &error);
  if (rowids == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not list the %s of the local cache: %s", self->kind, error->message);
      self->loading = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
      return;
    }

  apply_reload (self, rowids, changed_rowids,
                ((ReloadData *) g_task_get_task_data (G_TASK (result)))->live);

  self->loading = FALSE;
  if (self->reload_again)
    {
      self->reload_again = FALSE;
      start_reload (self);
    }
  else
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
start_reload (WgRecordList *self)
{
  g_autoptr(GTask) task = NULL;
  ReloadData *reload;
  GHashTable *changed_rowids;
  GHashTableIter iter;
  gpointer key;

  /* This reload covers whatever a pending one was for. */
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->loading)
    {
      self->reload_again = TRUE;
      return;
    }

  /* Rowids of the changed ids, looked up now: the items held for them are stale. */
  changed_rowids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, self->changed_ids);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      gint64 rowid = wg_store_rowid_for (self->store, self->kind, key);

      if (rowid != 0)
        {
          detach_item (self, rowid);
          g_hash_table_add (changed_rowids, g_memdup2 (&rowid, sizeof rowid));
        }
    }
  g_hash_table_remove_all (self->changed_ids);

  self->loading = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);

  reload = g_new0 (ReloadData, 1);
  reload->kind = g_strdup (self->kind);
  reload->order_by = g_strdup (self->order_by);
  reload->where = g_strdup (self->where);
  reload->param = g_strdup (self->param);
  reload->live = self->next_live;
  self->next_live = TRUE;
  task = g_task_new (self, self->cancellable, reloaded_cb, changed_rowids);
  g_task_set_source_tag (task, start_reload);
  g_task_set_task_data (task, reload, reload_data_free);
  g_task_run_in_thread (task, reload_thread);
}

/* A reload for a filter or an order is not news: only reloads a sync asked for tell of
 * rows that arrived. */
static void
request_reload (WgRecordList *self,
                gboolean      live)
{
  self->next_live = self->next_live && live;
  /* The first reload is still to come: it reads what was set by then. */
  if (self->first_pending)
    return;
  start_reload (self);
}

static gboolean
reload_timeout_cb (gpointer data)
{
  WgRecordList *self = data;

  self->reload_source = 0;
  self->first_pending = FALSE;
  request_reload (self, TRUE);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (WgStore      *store,
                  const char   *kind,
                  GStrv         ids,
                  WgRecordList *self)
{
  if (g_strcmp0 (kind, self->kind) != 0)
    return;

  for (guint i = 0; ids[i] != NULL; i++)
    {
      if (ids[i][0] == '\0')
        detach_all_items (self);
      else
        g_hash_table_add (self->changed_ids, g_strdup (ids[i]));
    }

  /* A sync applies pages in quick succession: gather them into one reload. */
  if (self->reload_source == 0)
    self->reload_source = g_timeout_add (30, reload_timeout_cb, self);
}

/* --- GListModel ------------------------------------------------------------------------------ */

static GType
wg_record_list_get_item_type (GListModel *model)
{
  return WG_TYPE_RECORD;
}

static guint
wg_record_list_get_n_items (GListModel *model)
{
  return WG_RECORD_LIST (model)->rowids->len;
}

static gpointer
wg_record_list_get_item (GListModel *model,
                         guint       position)
{
  WgRecordList *self = WG_RECORD_LIST (model);
  WgRecord *record;
  gint64 rowid;

  if (position >= self->rowids->len)
    return NULL;

  rowid = g_array_index (self->rowids, gint64, position);
  record = g_hash_table_lookup (self->held, &rowid);
  if (record != NULL)
    return g_object_ref (record);

  /* Read when first asked about (ensure_read ()), not here. */
  record = g_object_new (WG_TYPE_RECORD, NULL);
  record->kind = g_intern_string (self->kind);
  record->rowid = rowid;
  record->store = g_object_ref (self->store);
  record->owner = self;
  g_hash_table_insert (self->held, &record->rowid, record);
  return record;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = wg_record_list_get_item_type;
  iface->get_n_items = wg_record_list_get_n_items;
  iface->get_item = wg_record_list_get_item;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_record_list_dispose (GObject *object)
{
  WgRecordList *self = WG_RECORD_LIST (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reload_source, g_source_remove);
  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (wg_record_list_parent_class)->dispose (object);
}

static void
wg_record_list_finalize (GObject *object)
{
  WgRecordList *self = WG_RECORD_LIST (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->rowids, g_array_unref);
  if (self->held != NULL)
    detach_all_items (self);
  g_clear_pointer (&self->held, g_hash_table_unref);
  g_clear_pointer (&self->changed_ids, g_hash_table_unref);
  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->order_by, g_free);
  g_clear_pointer (&self->where, g_free);
  g_clear_pointer (&self->param, g_free);

  G_OBJECT_CLASS (wg_record_list_parent_class)->finalize (object);
}

static void
wg_record_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WgRecordList *self = WG_RECORD_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;

    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rowids->len);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_record_list_class_init (WgRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wg_record_list_dispose;
  object_class->finalize = wg_record_list_finalize;
  object_class->get_property = wg_record_list_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WgRecordList::rows-inserted:
   * @position: the first of the rows
   * @n_items: how many
   *
   * Emitted when records that were not in the list arrived with a sync, or joined it as its
   * filter's time moved on (wg_record_list_set_filter_live ()); never for a new filter or
   * order: a run of new rows the view may point out. It comes just before the
   * items-changed that inserts them; the positions and the items are already the new ones.
   */
  signals[ROWS_INSERTED] =
    g_signal_new ("rows-inserted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
wg_record_list_init (WgRecordList *self)
{
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->held = g_hash_table_new (g_int64_hash, g_int64_equal);
  self->changed_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  self->next_live = TRUE;
}

/* A live list of the records of @kind, ordered by @order_by: an SQL expression written in
 * code (e.g. "json_extract (body, '$.code')" or, for cases, "reported_at DESC"). It fills
 * from a worker thread, from the next main loop iteration on; "loading" says when. */
WgRecordList *
wg_record_list_new (WgStore    *store,
                    const char *kind,
                    const char *order_by)
{
  WgRecordList *self;

  g_return_val_if_fail (WG_IS_STORE (store), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  self = g_object_new (WG_TYPE_RECORD_LIST, NULL);
  self->store = g_object_ref (store);
  self->kind = g_strdup (kind);
  self->order_by = g_strdup (order_by);
  g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  /* Soon, not now: a filter set right after creation replaces this first reload instead of
   * waiting for every row to be listed. The first fill is no news. */
  self->next_live = FALSE;
  self->first_pending = TRUE;
  self->reload_source = g_idle_add (reload_timeout_cb, self);
  return self;
}

const char *
wg_record_list_get_kind (WgRecordList *self)
{
  g_return_val_if_fail (WG_IS_RECORD_LIST (self), NULL);

  return self->kind;
}

gboolean
wg_record_list_get_loading (WgRecordList *self)
{
  g_return_val_if_fail (WG_IS_RECORD_LIST (self), FALSE);

  return self->loading;
}

/* Shows only the records matching @where (SQL written in code; ?2 in it is @param, which may
 * be what a person typed). NULL shows all. */
void
wg_record_list_set_filter (WgRecordList *self,
                           const char   *where,
                           const char   *param)
{
  g_return_if_fail (WG_IS_RECORD_LIST (self));

  if (g_strcmp0 (self->where, where) == 0 && g_strcmp0 (self->param, param) == 0)
    return;

  g_set_str (&self->where, where);
  g_set_str (&self->param, param);
  request_reload (self, FALSE);
}

/* As wg_record_list_set_filter (), for the same filter at a later time (the clock written in
 * its SQL moved on): the rows that join or leave are told as after a sync, so a view keeps its
 * place and the rows that joined are pointed out (WgRecordList::rows-inserted). */
void
wg_record_list_set_filter_live (WgRecordList *self,
                                const char   *where,
                                const char   *param)
{
  g_return_if_fail (WG_IS_RECORD_LIST (self));

  if (g_strcmp0 (self->where, where) == 0 && g_strcmp0 (self->param, param) == 0)
    return;

  g_set_str (&self->where, where);
  g_set_str (&self->param, param);
  request_reload (self, TRUE);
}

/* Orders the records by @order_by (SQL written in code, as for wg_record_list_new ()). */
void
wg_record_list_set_order_by (WgRecordList *self,
                             const char   *order_by)
{
  g_return_if_fail (WG_IS_RECORD_LIST (self));

  if (g_strcmp0 (self->order_by, order_by) == 0)
    return;

  g_set_str (&self->order_by, order_by);
  request_reload (self, FALSE);
}

/* Where the record with @id is in the list, or GTK's invalid position (G_MAXUINT) when it
 * is not there: an indexed look-up and a scan of the rowids, no row is read. */
guint
wg_record_list_find (WgRecordList *self,
                     const char   *id)
{
  gint64 rowid;
  gssize position;

  g_return_val_if_fail (WG_IS_RECORD_LIST (self), G_MAXUINT);

  if (id == NULL || (rowid = wg_store_rowid_for (self->store, self->kind, id)) == 0)
    return G_MAXUINT;
  position = find_rowid (self->rowids, rowid);
  return position >= 0 ? (guint) position : G_MAXUINT;
}

const char *
wg_record_list_get_order_by (WgRecordList *self)
{
  g_return_val_if_fail (WG_IS_RECORD_LIST (self), NULL);

  return self->order_by;
}

/* Tells views that every row may read differently (names they show changed elsewhere), while
 * the rows themselves stay: views rebind them and keep their place. */
void
wg_record_list_rebind (WgRecordList *self)
{
  g_return_if_fail (WG_IS_RECORD_LIST (self));

  detach_all_items (self);
  if (self->rowids->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, self->rowids->len, self->rowids->len);
}

/* Sets what a view does in the middle of a change of filter or order (not a sync's): it is
 * called once the new rows are at the top of the list, the old ones below them, and before
 * the old ones are taken away. A view that moves to the top then keeps its row widgets for
 * the new rows. No selecting, scrolling or focus other than that move is allowed there. */
void
wg_record_list_set_move_func (WgRecordList         *self,
                              WgRecordListMoveFunc  func,
                              gpointer              data)
{
  g_return_if_fail (WG_IS_RECORD_LIST (self));

  self->move_func = func;
  self->move_data = data;
}
