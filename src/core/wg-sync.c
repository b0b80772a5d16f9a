/* wg-sync.c — keeps the local cache in step with the server, both ways
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pull: pages of /changes are fetched, read on a worker thread by a strict one-pass scanner
 * (wg-feed-scanner.c) and applied by the store's writer together with the cursor they end
 * at. The next page is fetched while the previous one is applied; each page is applied only
 * if the stored cursor is still where the page began, so a failed page can never leave a gap
 * behind a later one.
 *
 * Push: the outbox is sent in order, one request at a time, each with its Idempotency-Key,
 * so resending after a lost answer does nothing twice. A refusal (409, 412, 403, …) marks the
 * row failed with the server's words and returns the case to the server's state.
 *
 * Live: a WebSocket announces the server's head; a head past our cursor triggers a pull.
 * While it is down we poll, and reconnect with backoff.
 */
#define G_LOG_DOMAIN "WgSync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "wg-feed-scanner.h"
#include "wg-sync.h"

#define DEFAULT_PAGE_SIZE 5000   /* the server's largest; fewer, larger pages sync fastest */
#define POLL_SECONDS      30
#define MAX_BACKOFF_SECONDS 60

struct _WgSync
{
  GObject                  parent_instance;

  /* Owned */
  WgStore                 *store;
  WgApi                   *api;
  WgSyncStatus            *status;
  GCancellable            *cancellable;
  SoupWebsocketConnection *live;
  GHashTable              *received_per_kind;

  guint                    page_size;
  gboolean                 running;
  gboolean                 live_enabled;

  /* Pull */
  gboolean                 fetching;
  guint                    parsing;
  guint                    applying;
  gint64                   apply_since;    /* where the next page to write must begin */
  GPtrArray               *parsed;         /* pages parsed, waiting for their turn */
  gboolean                 pull_again;
  gboolean                 pull_failed;
  gboolean                 more_to_fetch;
  gint64                   fetch_since;
  gint64                   pull_start;
  gint64                   known_head;
  guint                    pull_failures;
  guint                    retry_source;

  /* Push */
  gboolean                 pushing;
  guint                    push_failures;
  guint                    push_retry_source;

  /* Live */
  guint                    live_failures;
  guint                    live_retry_source;
  guint                    poll_source;
  gulong                   network_handler;
};

G_DEFINE_FINAL_TYPE (WgSync, wg_sync, G_TYPE_OBJECT)

enum {
  AUTH_REQUIRED,
  ACTION_REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  const char *kind;       /* in the page's scan */
  const char *id;
  gboolean    deleted;
  JsonObject *record;     /* the record's members that the store reads */
  const char *text;       /* the record's JSON exactly as received, inside the page's bytes */
  gsize       text_len;
} Change;

typedef struct
{
  gint64      since;
  gint64      next;
  gboolean    has_more;
  GArray     *changes;   /* of Change */
  WgFeedPage *feed;      /* the page's scan: the changes' kinds and ids point into it */
  GBytes     *bytes;     /* the page as received: the changes' texts point into it */
} Page;

/* Where a pull's time goes, for G_MESSAGES_DEBUG=WgSync: microseconds over all pulls. */
static gssize parse_us;
static gssize apply_us;

static void pull_step   (WgSync *self);
static void push_step   (WgSync *self);
static void connect_live (WgSync *self);

/* --- helpers --------------------------------------------------------------------------------- */

static void
change_clear (gpointer data)
{
  Change *change = data;

  g_clear_pointer (&change->record, json_object_unref);
}

static void
page_free (gpointer data)
{
  Page *page = data;

  g_clear_pointer (&page->changes, g_array_unref);
  g_clear_pointer (&page->feed, wg_feed_page_free);
  g_clear_pointer (&page->bytes, g_bytes_unref);
  g_free (page);
}

/* Exponential backoff with ±50 % jitter, so many workstations coming back after an outage do
 * not knock on the server in the same second. */
static guint
backoff_ms (guint failures)
{
  guint seconds = MIN (MAX_BACKOFF_SECONDS, 1u << MIN (failures, 6));

  return (guint) (seconds * 1000 * g_random_double_range (0.5, 1.5));
}

const char *
wg_sync_kind_label (const char *kind)
{
  static const struct { const char *kind; const char *label; } labels[] = {
    { "org_units", N_("villages and groups") },
    { "grids", N_("grids") },
    { "households", N_("households") },
    { "people", N_("people") },
    { "teams", N_("teams and departments") },
    { "assignments", N_("assignments") },
    { "categories", N_("categories") },
    { "cases", N_("cases") },
    { "holidays", N_("holidays") },
    { "accounts", N_("accounts") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (labels[i].kind, kind) == 0)
      return _(labels[i].label);
  return kind;
}

/* "903 grids, 17,125 households, 584 cases": what the first sync has brought so far, in the
 * order of wg_store_kinds (). */
char *
wg_sync_describe_counts (GHashTable *per_kind)
{
  const char * const *kinds = wg_store_kinds ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; kinds[i] != NULL; i++)
    {
      guint64 n = GPOINTER_TO_SIZE (g_hash_table_lookup (per_kind, kinds[i]));

      if (n == 0)
        continue;
      if (text->len > 0)
        /* Translators: separates items of a list such as "903 grids, 584 cases" */
        g_string_append (text, _(", "));
      {
        g_autofree char *count = g_strdup_printf ("%'" G_GUINT64_FORMAT, n);

        /* Translators: a count and what was counted, e.g. "903 grids" */
        g_string_append_printf (text, C_("count", "%s %s"), count, wg_sync_kind_label (kinds[i]));
      }
    }

  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
set_failure (WgSync       *self,
             const GError *error)
{
  if (g_error_matches (error, WG_API_ERROR, WG_API_ERROR_UNAUTHORIZED))
    {
      wg_sync_status_set_error (self->status, error->message);
      wg_sync_status_set_state (self->status, WG_SYNC_STATE_ERROR);
      wg_sync_stop (self);
      g_signal_emit (self, signals[AUTH_REQUIRED], 0, error->message);
      return;
    }

  wg_sync_status_set_error (self->status, error->message);
  if (g_error_matches (error, WG_API_ERROR, WG_API_ERROR_NETWORK))
    {
      wg_sync_status_set_connected (self->status, FALSE);
      wg_sync_status_set_state (self->status, WG_SYNC_STATE_OFFLINE);
    }
  else
    wg_sync_status_set_state (self->status, WG_SYNC_STATE_ERROR);
}

/* Actions still to be sent; refused ones wait for the person, not the network, and are
 * counted apart in the outbox. */
static void
update_pending (WgSync *self)
{
  g_autoptr(GPtrArray) items = wg_store_list_outbox (self->store, NULL);
  guint pending = 0;

  if (items == NULL)
    return;
  for (guint i = 0; i < items->len; i++)
    if (((WgOutboxItem *) items->pdata[i])->state == WG_OUTBOX_PENDING)
      pending++;
  wg_sync_status_set_pending (self->status, pending);
}

static void
update_progress (WgSync *self)
{
  g_autofree char *detail = wg_sync_describe_counts (self->received_per_kind);
  guint64 received = 0;
  double fraction = -1;
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->received_per_kind);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    received += GPOINTER_TO_SIZE (value);

  if (self->known_head > self->pull_start)
    fraction = CLAMP ((double) (self->fetch_since - self->pull_start) /
                      (double) (self->known_head - self->pull_start), 0.0, 1.0);

  wg_sync_status_set_progress (self->status, received, fraction, detail);
}

/* --- pull: parse ----------------------------------------------------------------------------- */

static gboolean
bad_reply (GError     **error,
           const char  *what)
{
  g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
               _("The server’s list of changes could not be read (%s). Nothing was changed here; Wangge will try again."),
               what);
  return FALSE;
}

static gboolean
member_is (JsonObject *object,
           const char *name,
           GType       type)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

/* The store reads a record's id and version and, of a case, the columns and full-text fields
 * (wg-store.c). This holds the members of those that are strings (the version an integer, the
 * assignee and the location objects), so the store finds in it what it would find in the whole record; the
 * record itself is stored as the text the page has. */
static JsonObject *
record_summary (const WgFeedChange *change,
                gboolean            is_case)
{
  JsonObject *record = json_object_new ();
  guint last = is_case ? WG_FEED_FIELD_ASSIGNEE : WG_FEED_FIELD_VERSION;

  for (guint f = 0; f <= last; f++)
    {
      const WgFeedValue *value = &change->fields[f];
      const char *name = wg_feed_field_name (f);

      if (f == WG_FEED_FIELD_VERSION)
        {
          if (value->type == WG_FEED_INTEGER)
            json_object_set_int_member (record, name, value->integer);
        }
      else if (f == WG_FEED_FIELD_ASSIGNEE)
        {
          if (value->type == WG_FEED_OBJECT)
            {
              JsonObject *assignee = json_object_new ();

              for (guint g = WG_FEED_FIELD_ASSIGNEE_KIND; g <= WG_FEED_FIELD_ASSIGNEE_ID; g++)
                if (change->fields[g].type == WG_FEED_STRING)
                  json_object_set_string_member (assignee, wg_feed_field_name (g), change->fields[g].string);
              json_object_set_object_member (record, name, assignee);
            }
        }
      else if (value->type == WG_FEED_STRING)
        json_object_set_string_member (record, name, value->string);
    }

  /* The location is small and already checked: json-glib reads it. */
  if (is_case && change->location_text != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new_immutable ();

      if (json_parser_load_from_data (parser, change->location_text, (gssize) change->location_len, NULL))
        json_object_set_member (record, "location", json_node_copy (json_parser_get_root (parser)));
    }

  return record;
}

/* Reads a page strictly (wg-feed-scanner.c): a page that is not valid JSON, or any member of
 * the wrong type, fails the whole page before a single row is written. */
static Page *
parse_page (GBytes  *bytes,
            gint64   since,
            GError **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autoptr(WgFeedPage) feed = wg_feed_scan (data, size, error);
  g_autoptr(GArray) changes = NULL;
  Page *page;

  if (feed == NULL || !wg_feed_page_check (feed, error))
    return NULL;
  if (feed->next.integer < since)
    {
      bad_reply (error, _("the cursor went backwards"));
      return NULL;
    }

  changes = g_array_sized_new (FALSE, TRUE, sizeof (Change), feed->n_changes);
  g_array_set_clear_func (changes, change_clear);
  for (guint i = 0; i < feed->n_changes; i++)
    {
      const WgFeedChange *item = &feed->changes[i];
      Change change = { item->kind.string, item->id.string, FALSE, NULL, NULL, 0 };

      if (g_str_equal (item->op.string, "delete"))
        change.deleted = TRUE;
      else
        {
          change.record = record_summary (item, g_str_equal (change.kind, "cases"));
          change.text = item->record_text;
          change.text_len = item->record_len;
        }
      g_array_append_val (changes, change);
    }

  page = g_new0 (Page, 1);
  page->since = since;
  page->next = feed->next.integer;
  page->has_more = feed->has_more.boolean;
  page->changes = g_steal_pointer (&changes);
  page->feed = g_steal_pointer (&feed);
  page->bytes = g_bytes_ref (bytes);
  return page;
}

static void
parse_page_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  gint64 since = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "since"));
  GError *error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  Page *page = parse_page (bytes, since, &error);

  g_atomic_pointer_add (&parse_us, g_get_monotonic_time () - t0);

  if (page == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, page, page_free);
}

/* --- pull: apply ----------------------------------------------------------------------------- */

typedef struct
{
  WgSync *sync;
  Page   *page;
} ApplyData;

typedef struct
{
  WgSync *sync;
  gint64  since;
} FetchData;

static void
apply_data_free (gpointer data)
{
  ApplyData *apply = data;

  g_object_unref (apply->sync);
  page_free (apply->page);
  g_free (apply);
}

static gboolean apply_page_changes (WgStoreTxn *txn, ApplyData *apply, GError **error);

static gboolean
apply_checked_cb (WgStoreTxn  *txn,
                  gpointer     data,
                  GError     **error)
{
  ApplyData *apply = data;
  gint64 t0 = g_get_monotonic_time ();
  gboolean ok = apply_page_changes (txn, apply, error);

  g_atomic_pointer_add (&apply_us, g_get_monotonic_time () - t0);
  return ok;
}

static gboolean
apply_page_changes (WgStoreTxn  *txn,
                    ApplyData   *apply,
                    GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *next = NULL;
  gint64 cursor = wg_store_get_cursor (apply->sync->store, &local_error);

  /* The writer reads through its own thread's connection; the cursor it sees is committed. */
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (cursor != apply->page->since)
    {
      g_set_error (error, WG_STORE_ERROR, WG_STORE_ERROR_FAILED,
                   "page from %" G_GINT64_FORMAT " does not follow the cursor %" G_GINT64_FORMAT,
                   apply->page->since, cursor);
      return FALSE;
    }

  for (guint i = 0; i < apply->page->changes->len; i++)
    {
      Change *change = &g_array_index (apply->page->changes, Change, i);

      if (change->deleted)
        {
          if (!wg_store_txn_delete (txn, change->kind, change->id, error))
            return FALSE;
        }
      else if (!wg_store_txn_upsert_text (txn, change->kind, change->record, change->text,
                                          (gssize) change->text_len, error))
        return FALSE;
    }

  next = g_strdup_printf ("%" G_GINT64_FORMAT, apply->page->next);
  return wg_store_txn_set_value (txn, "cursor", next, error);
}

static void
schedule_pull_retry (WgSync *self);

static void
pull_finished (WgSync *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  g_debug ("pull done: parsing %.2f s, writing %.2f s (totals since start)",
           parse_us / 1e6, apply_us / 1e6);
#ifdef __GLIBC__
  /* A first sync passes hundreds of MB of pages through malloc; give them back. */
  malloc_trim (0);
#endif
  self->pull_failures = 0;
  wg_sync_status_set_error (self->status, NULL);
  wg_sync_status_set_connected (self->status, TRUE);
  wg_sync_status_set_last_sync (self->status, now);
  wg_sync_status_set_state (self->status, WG_SYNC_STATE_UP_TO_DATE);
  update_progress (self);

  if (self->live_enabled && self->live == NULL && self->live_retry_source == 0)
    connect_live (self);
  push_step (self);

  if (self->pull_again)
    {
      self->pull_again = FALSE;
      pull_step (self);
    }
}

static void
pull_failed (WgSync       *self,
             const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_debug ("pull failed: %s", error->message);
  self->pull_failed = TRUE;
  set_failure (self, error);
  if (self->running)
    schedule_pull_retry (self);
}

static void
page_applied_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WgSync) self = user_data;
  g_autoptr(GError) error = NULL;

  self->applying--;
  if (!wg_store_write_finish (WG_STORE (object), result, &error))
    {
      if (!self->pull_failed)
        {
          g_autoptr(GError) shown = g_error_new (WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
                                                 _("The changes from the server could not be saved: %s"),
                                                 error->message);
          pull_failed (self, shown);
        }
      return;
    }

  update_progress (self);
  if (self->pull_failed)
    return;
  if (self->more_to_fetch)
    pull_step (self);
  else if (!self->fetching && self->parsing == 0 && self->applying == 0 && self->parsed->len == 0)
    pull_finished (self);
}

/* Hands parsed pages to the writer strictly in feed order: two pages may finish parsing in
 * either order, but each must start where the previous one ended. */
static void
write_ready_pages (WgSync *self)
{
  gboolean found = TRUE;

  while (found)
    {
      found = FALSE;
      for (guint i = 0; i < self->parsed->len; i++)
        {
          Page *page = g_ptr_array_index (self->parsed, i);
          ApplyData *apply;

          if (page->since != self->apply_since)
            continue;

          g_ptr_array_steal_index (self->parsed, i);
          self->apply_since = page->next;
          apply = g_new0 (ApplyData, 1);
          apply->sync = g_object_ref (self);
          apply->page = page;
          self->applying++;
          wg_store_write_async (self->store, apply_checked_cb, apply, apply_data_free,
                                self->cancellable, page_applied_cb, g_object_ref (self));
          found = TRUE;
          break;
        }
    }
}

static void
page_parsed_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(WgSync) self = user_data;
  g_autoptr(GError) error = NULL;
  Page *page;

  page = g_task_propagate_pointer (G_TASK (result), &error);
  self->parsing--;
  if (page == NULL)
    {
      pull_failed (self, error);
      return;
    }
  if (self->pull_failed || !self->running)
    {
      page_free (page);
      return;
    }

  for (guint i = 0; i < page->changes->len; i++)
    {
      Change *change = &g_array_index (page->changes, Change, i);
      gsize n = GPOINTER_TO_SIZE (g_hash_table_lookup (self->received_per_kind, change->kind));

      g_hash_table_insert (self->received_per_kind, g_strdup (change->kind), GSIZE_TO_POINTER (n + 1));
    }

  /* The cursor peeked from the page's tail must be the one its parse found. */
  if (g_object_get_data (G_OBJECT (result), "peeked") != NULL &&
      GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (result), "peeked-next")) != (gsize) page->next)
    {
      g_autoptr(GError) mismatch = g_error_new (WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
                                                _("The server’s list of changes could not be read (%s). Nothing was changed here; Wangge will try again."),
                                                _("the cursor went backwards"));
      page_free (page);
      pull_failed (self, mismatch);
      return;
    }
  if (g_object_get_data (G_OBJECT (result), "peeked") == NULL)
    {
      self->fetch_since = page->next;
      self->more_to_fetch = page->has_more;
    }
  self->known_head = MAX (self->known_head, page->next);

  g_ptr_array_add (self->parsed, page);
  write_ready_pages (self);

  if (self->more_to_fetch)
    pull_step (self);
}

/* The feed ends "…],"next":N,"has_more":B}": reading that tail lets the next request start
 * while this page is still being parsed. FALSE when the tail does not look like that; the
 * parse then decides. */
static gboolean
peek_cursor (GBytes   *bytes,
             gint64   *out_next,
             gboolean *out_has_more)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (bytes, &size);
  g_autofree char *tail = g_strndup (data + (size > 80 ? size - 80 : 0), MIN (size, 80));
  const char *next = g_strrstr (tail, "],\"next\":");
  const char *more = g_strrstr (tail, ",\"has_more\":");
  char *end = NULL;

  if (next == NULL || more == NULL || more < next)
    return FALSE;
  *out_next = g_ascii_strtoll (next + strlen ("],\"next\":"), &end, 10);
  if (end != more)
    return FALSE;
  more += strlen (",\"has_more\":");
  if (g_str_has_prefix (more, "true}"))
    *out_has_more = TRUE;
  else if (g_str_has_prefix (more, "false}"))
    *out_has_more = FALSE;
  else
    return FALSE;
  return TRUE;
}

static void
page_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  FetchData *fetch = user_data;
  g_autoptr(WgSync) self = fetch->sync;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GTask) task = NULL;
  gint64 since = fetch->since;
  gint64 next = 0;
  gboolean has_more = FALSE;

  g_free (fetch);
  self->fetching = FALSE;
  bytes = wg_api_get_bytes_finish (WG_API (object), result, &error);
  if (bytes == NULL)
    {
      pull_failed (self, error);
      return;
    }
  if (self->pull_failed || !self->running)
    return;

  task = g_task_new (self, self->cancellable, page_parsed_cb, g_object_ref (self));
  g_task_set_source_tag (task, page_fetched_cb);
  g_object_set_data (G_OBJECT (task), "since", GSIZE_TO_POINTER (since));
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  if (peek_cursor (bytes, &next, &has_more) && next >= since)
    {
      g_object_set_data (G_OBJECT (task), "peeked", GINT_TO_POINTER (TRUE));
      g_object_set_data (G_OBJECT (task), "peeked-next", GSIZE_TO_POINTER (next));
      self->fetch_since = next;
      self->more_to_fetch = has_more;
    }
  else
    self->more_to_fetch = FALSE;

  self->parsing++;
  g_task_run_in_thread (task, parse_page_thread);

  /* The next page travels while this one is parsed. */
  if (self->more_to_fetch)
    pull_step (self);
}

static void
pull_step (WgSync *self)
{
  g_autofree char *path = NULL;
  FetchData *fetch;

  /* Never more than three pages between the network and the writer: a page of 5,000 changes
   * is about 13 MB of text, held until it is written. */
  if (!self->running || self->fetching || self->pull_failed ||
      self->parsing + self->parsed->len + self->applying >= 3)
    return;

  self->fetching = TRUE;
  fetch = g_new0 (FetchData, 1);
  fetch->sync = g_object_ref (self);
  fetch->since = self->fetch_since;
  path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u",
                          self->fetch_since, self->page_size);
  wg_api_get_bytes_async (self->api, path, self->cancellable, page_fetched_cb, fetch);
}

/* Starts a pull from the stored cursor, unless one is under way (then one more follows). */
void
wg_sync_pull_now (WgSync *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (WG_IS_SYNC (self));

  if (!self->running)
    return;
  if (self->fetching || self->parsing > 0 || self->applying > 0)
    {
      self->pull_again = TRUE;
      return;
    }

  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->pull_failed = FALSE;
  self->more_to_fetch = FALSE;
  self->fetch_since = wg_store_get_cursor (self->store, &error);
  self->apply_since = self->fetch_since;
  g_ptr_array_set_size (self->parsed, 0);
  self->pull_start = self->fetch_since;
  if (wg_sync_status_get_state (self->status) != WG_SYNC_STATE_UP_TO_DATE ||
      self->known_head > self->fetch_since)
    wg_sync_status_set_state (self->status, WG_SYNC_STATE_SYNCING);
  pull_step (self);
}

static gboolean
pull_retry_cb (gpointer data)
{
  WgSync *self = data;

  self->retry_source = 0;
  wg_sync_pull_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_pull_retry (WgSync *self)
{
  g_clear_handle_id (&self->retry_source, g_source_remove);
  self->retry_source = g_timeout_add (backoff_ms (self->pull_failures++), pull_retry_cb, self);
}

/* --- push ------------------------------------------------------------------------------------ */

typedef struct
{
  WgSync       *sync;
  WgOutboxItem *item;
  JsonObject   *record;    /* the case as the server returned it, or NULL */
  char         *message;   /* the refusal, or NULL on success */
} PushResult;

static void
push_result_free (gpointer data)
{
  PushResult *push = data;

  g_object_unref (push->sync);
  wg_outbox_item_free (push->item);
  g_clear_pointer (&push->record, json_object_unref);
  g_free (push->message);
  g_free (push);
}

static gboolean
push_result_cb (WgStoreTxn  *txn,
                gpointer     data,
                GError     **error)
{
  PushResult *push = data;

  if (push->message != NULL)
    {
      if (!wg_store_txn_outbox_fail (txn, push->item->seq, push->message, error))
        return FALSE;
    }
  else if (!wg_store_txn_outbox_remove (txn, push->item->seq, error))
    return FALSE;

  if (push->record != NULL && !wg_store_txn_upsert (txn, "cases", push->record, error))
    return FALSE;

  /* Either way the optimistic state goes: the server's record (or, after a refusal, the
   * state we had from the server) is what the case shows now. */
  if (push->item->case_id != NULL &&
      !wg_store_txn_set_local_state (txn, push->item->case_id, NULL, -1, error))
    return FALSE;

  return TRUE;
}

static void
push_recorded_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WgSync) self = user_data;
  g_autoptr(GError) error = NULL;

  self->pushing = FALSE;
  update_pending (self);
  if (!wg_store_write_finish (WG_STORE (object), result, &error))
    {
      g_warning ("Could not record the server's answer to an action: %s", error->message);
      return;
    }

  push_step (self);
}

static gboolean
push_retry_cb (gpointer data)
{
  WgSync *self = data;

  self->push_retry_source = 0;
  push_step (self);
  return G_SOURCE_REMOVE;
}

static void
action_sent_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autofree PushResult *push_holder = user_data;
  PushResult *push = push_holder;
  WgSync *self = push->sync;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = wg_api_request_finish (WG_API (object), result, &status, &error);
  if (reply == NULL)
    {
      gboolean refused = error->domain == WG_API_ERROR &&
                         (error->code == WG_API_ERROR_CONFLICT || error->code == WG_API_ERROR_STALE ||
                          error->code == WG_API_ERROR_FORBIDDEN || error->code == WG_API_ERROR_NOT_FOUND ||
                          error->code == WG_API_ERROR_INVALID);

      if (!refused)
        {
          /* Not answered, or the server failed: the row stays and is sent again later with the
           * same key, which the server recognises. */
          self->pushing = FALSE;
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            {
              set_failure (self, error);
              if (self->running)
                self->push_retry_source = g_timeout_add (backoff_ms (self->push_failures++), push_retry_cb, self);
            }
          push_result_free (g_steal_pointer (&push_holder));
          return;
        }

      push->message = g_strdup (error->message);
      g_signal_emit (self, signals[ACTION_REFUSED], 0, push->item->case_id, push->item->action, error->message);
      /* The case as the server has it now comes with the next pull. */
      self->pull_again = TRUE;
    }
  else if (JSON_NODE_HOLDS_OBJECT (reply))
    {
      JsonObject *object_reply = json_node_get_object (reply);
      JsonNode *record = json_object_get_member (object_reply, "case");

      if (record != NULL && JSON_NODE_HOLDS_OBJECT (record))
        push->record = json_object_ref (json_node_get_object (record));
      else if (json_object_has_member (object_reply, "state") && json_object_has_member (object_reply, "id"))
        push->record = json_object_ref (object_reply);
    }

  self->push_failures = 0;
  wg_store_write_async (self->store, push_result_cb, g_steal_pointer (&push_holder), push_result_free,
                        NULL, push_recorded_cb, g_object_ref (self));
  wg_sync_pull_now (self);
}

static void
push_step (WgSync *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  WgOutboxItem *item = NULL;
  PushResult *push;

  if (!self->running || self->pushing || self->push_retry_source != 0)
    return;

  items = wg_store_list_outbox (self->store, &error);
  if (items == NULL)
    return;
  for (guint i = 0; i < items->len && item == NULL; i++)
    if (((WgOutboxItem *) items->pdata[i])->state == WG_OUTBOX_PENDING)
      item = g_ptr_array_steal_index (items, i);
  if (item == NULL)
    {
      update_pending (self);
      return;
    }

  body = json_from_string (item->payload, NULL);
  if (g_str_equal (item->action, "create"))
    path = g_strdup ("/api/v1/cases");
  else
    path = g_strdup_printf ("/api/v1/cases/%s/actions/%s", item->case_id, item->action);

  push = g_new0 (PushResult, 1);
  push->sync = g_object_ref (self);
  push->item = item;
  self->pushing = TRUE;
  wg_api_request_async (self->api, "POST", path, body, item->key, item->if_match,
                        self->cancellable, action_sent_cb, push);
}

typedef struct
{
  char   *key;
  char   *case_id;
  char   *action;
  char   *payload;
  gint64  if_match;
  char   *optimistic_state;
} ActionData;

static void
action_data_free (gpointer data)
{
  ActionData *action = data;

  g_free (action->key);
  g_free (action->case_id);
  g_free (action->action);
  g_free (action->payload);
  g_free (action->optimistic_state);
  g_free (action);
}

static gboolean
queue_action_cb (WgStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  ActionData *action = data;

  if (wg_store_txn_outbox_add (txn, action->key, action->case_id, action->action,
                               action->payload, action->if_match, error) == 0)
    return FALSE;

  return action->case_id == NULL ||
         wg_store_txn_set_local_state (txn, action->case_id, action->optimistic_state, 1, error);
}

static void
action_queued_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WgSync *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!wg_store_write_finish (WG_STORE (object), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  update_pending (self);
  push_step (self);
  g_task_return_boolean (task, TRUE);
}

/* Records an action on a case: the optimistic state and the outbox row in one transaction,
 * shown at once; sent when the link allows. @if_match is the case version it was taken on. */
void
wg_sync_take_action_async (WgSync              *self,
                           const char          *case_id,
                           const char          *action,
                           JsonObject          *params,
                           gint64               if_match,
                           const char          *optimistic_state,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(JsonNode) node = NULL;
  ActionData *data;
  GTask *task;

  g_return_if_fail (WG_IS_SYNC (self));
  g_return_if_fail (action != NULL);

  node = json_node_new (JSON_NODE_OBJECT);
  if (params != NULL)
    json_node_set_object (node, params);
  else
    json_node_take_object (node, json_object_new ());

  data = g_new0 (ActionData, 1);
  data->key = g_uuid_string_random ();
  data->case_id = g_strdup (case_id);
  data->action = g_strdup (action);
  data->payload = json_to_string (node, FALSE);
  data->if_match = if_match;
  data->optimistic_state = g_strdup (optimistic_state);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_sync_take_action_async);
  wg_store_write_async (self->store, queue_action_cb, data, action_data_free, cancellable,
                        action_queued_cb, task);
}

gboolean
wg_sync_take_action_finish (WgSync        *self,
                            GAsyncResult  *result,
                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
retry_outbox_cb (WgStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  return wg_store_txn_outbox_retry (txn, *(gint64 *) data, error);
}

static gboolean
discard_outbox_cb (WgStoreTxn  *txn,
                   gpointer     data,
                   GError     **error)
{
  return wg_store_txn_outbox_remove (txn, *(gint64 *) data, error);
}

static void
outbox_edited_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WgSync) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wg_store_write_finish (WG_STORE (object), result, &error))
    g_warning ("Could not change the outbox: %s", error->message);
  update_pending (self);
  g_clear_handle_id (&self->push_retry_source, g_source_remove);
  push_step (self);
}

void
wg_sync_retry_outbox (WgSync *self,
                      gint64  seq)
{
  g_return_if_fail (WG_IS_SYNC (self));

  wg_store_write_async (self->store, retry_outbox_cb, g_memdup2 (&seq, sizeof seq), g_free,
                        NULL, outbox_edited_cb, g_object_ref (self));
}

void
wg_sync_discard_outbox (WgSync *self,
                        gint64  seq)
{
  g_return_if_fail (WG_IS_SYNC (self));

  wg_store_write_async (self->store, discard_outbox_cb, g_memdup2 (&seq, sizeof seq), g_free,
                        NULL, outbox_edited_cb, g_object_ref (self));
}

/* --- live ------------------------------------------------------------------------------------ */

static gboolean
poll_cb (gpointer data)
{
  WgSync *self = data;

  wg_sync_pull_now (self);
  push_step (self);
  return G_SOURCE_CONTINUE;
}

static void
start_polling (WgSync *self)
{
  if (self->poll_source == 0 && self->running)
    self->poll_source = g_timeout_add_seconds (POLL_SECONDS, poll_cb, self);
}

static gboolean
live_retry_cb (gpointer data)
{
  WgSync *self = data;

  self->live_retry_source = 0;
  connect_live (self);
  return G_SOURCE_REMOVE;
}

static void
live_message_cb (SoupWebsocketConnection *connection,
                 int                      type,
                 GBytes                  *message,
                 WgSync                  *self)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;
  gint64 head;

  if (type != SOUP_WEBSOCKET_DATA_TEXT ||
      !json_parser_load_from_data (parser, g_bytes_get_data (message, NULL), g_bytes_get_size (message), NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      !member_is (json_node_get_object (root), "head", G_TYPE_INT64))
    return;

  head = json_object_get_int_member (json_node_get_object (root), "head");
  self->known_head = MAX (self->known_head, head);
  if (head > wg_store_get_cursor (self->store, NULL))
    wg_sync_pull_now (self);
}

static void
live_closed_cb (SoupWebsocketConnection *connection,
                WgSync                  *self)
{
  g_debug ("live channel closed");
  g_signal_handlers_disconnect_by_data (connection, self);
  g_clear_object (&self->live);
  if (!self->running)
    return;

  start_polling (self);
  g_clear_handle_id (&self->live_retry_source, g_source_remove);
  self->live_retry_source = g_timeout_add (backoff_ms (self->live_failures++), live_retry_cb, self);
}

static void
live_connected_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WgSync) self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = wg_api_connect_live_finish (WG_API (object), result, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || !self->running)
        return;
      g_debug ("live channel: %s", error->message);
      start_polling (self);
      self->live_retry_source = g_timeout_add (backoff_ms (self->live_failures++), live_retry_cb, self);
      return;
    }

  if (!self->running)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (connection);
      return;
    }

  self->live_failures = 0;
  self->live = connection;
  g_clear_handle_id (&self->poll_source, g_source_remove);
  soup_websocket_connection_set_keepalive_interval (connection, 20);
  g_signal_connect (connection, "message", G_CALLBACK (live_message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (live_closed_cb), self);
  /* Anything that happened between the last pull and now. */
  wg_sync_pull_now (self);
}

static void
connect_live (WgSync *self)
{
  if (!self->running || self->live != NULL)
    return;

  wg_api_connect_live_async (self->api, self->cancellable, live_connected_cb, g_object_ref (self));
}

/* --- network --------------------------------------------------------------------------------- */

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    WgSync          *self)
{
  if (!self->running)
    return;

  if (!available)
    {
      wg_sync_status_set_connected (self->status, FALSE);
      wg_sync_status_set_state (self->status, WG_SYNC_STATE_OFFLINE);
      return;
    }

  /* The link is back: do not wait out the backoff. */
  self->pull_failures = 0;
  self->push_failures = 0;
  g_clear_handle_id (&self->push_retry_source, g_source_remove);
  wg_sync_pull_now (self);
  push_step (self);
  if (self->live == NULL)
    {
      g_clear_handle_id (&self->live_retry_source, g_source_remove);
      connect_live (self);
    }
}

/* --- public ---------------------------------------------------------------------------------- */

void
wg_sync_start (WgSync *self)
{
  g_return_if_fail (WG_IS_SYNC (self));

  if (self->running)
    return;

  self->running = TRUE;
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->network_handler = g_signal_connect (g_network_monitor_get_default (), "network-changed",
                                            G_CALLBACK (network_changed_cb), self);
  update_pending (self);
  wg_sync_status_set_state (self->status, WG_SYNC_STATE_SYNCING);
  wg_sync_pull_now (self);
}

void
wg_sync_stop (WgSync *self)
{
  g_return_if_fail (WG_IS_SYNC (self));

  if (!self->running)
    return;

  self->running = FALSE;
  g_cancellable_cancel (self->cancellable);
  g_clear_signal_handler (&self->network_handler, g_network_monitor_get_default ());
  g_clear_handle_id (&self->retry_source, g_source_remove);
  g_clear_handle_id (&self->push_retry_source, g_source_remove);
  g_clear_handle_id (&self->live_retry_source, g_source_remove);
  g_clear_handle_id (&self->poll_source, g_source_remove);
  if (self->live != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->live, self);
      if (soup_websocket_connection_get_state (self->live) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (self->live, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
      g_clear_object (&self->live);
    }
  /* In-flight callbacks still come (cancelled) and settle the counters themselves. */
  g_ptr_array_set_size (self->parsed, 0);
  self->pushing = FALSE;
}

void
wg_sync_set_page_size (WgSync *self,
                       guint   limit)
{
  g_return_if_fail (WG_IS_SYNC (self));

  self->page_size = CLAMP (limit, 1, 10000);
}

void
wg_sync_set_live_enabled (WgSync   *self,
                          gboolean  enabled)
{
  g_return_if_fail (WG_IS_SYNC (self));

  self->live_enabled = enabled;
}

static void
wg_sync_dispose (GObject *object)
{
  WgSync *self = WG_SYNC (object);

  wg_sync_stop (self);

  G_OBJECT_CLASS (wg_sync_parent_class)->dispose (object);
}

static void
wg_sync_finalize (GObject *object)
{
  WgSync *self = WG_SYNC (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->api);
  g_clear_object (&self->status);
  g_clear_pointer (&self->received_per_kind, g_hash_table_unref);
  g_clear_pointer (&self->parsed, g_ptr_array_unref);

  G_OBJECT_CLASS (wg_sync_parent_class)->finalize (object);
}

static void
wg_sync_class_init (WgSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wg_sync_dispose;
  object_class->finalize = wg_sync_finalize;

  /**
   * WgSync::auth-required:
   * @message: why, in words for the person
   *
   * The server no longer accepts our token: sign in again. Syncing has stopped.
   */
  signals[AUTH_REQUIRED] =
    g_signal_new ("auth-required", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  /**
   * WgSync::action-refused:
   * @case_id: the case
   * @action: the action
   * @message: the server's reason
   *
   * The server refused an action from the outbox; the case is back in the server's state.
   */
  signals[ACTION_REFUSED] =
    g_signal_new ("action-refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
wg_sync_init (WgSync *self)
{
  self->page_size = DEFAULT_PAGE_SIZE;
  self->live_enabled = TRUE;
  self->received_per_kind = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->parsed = g_ptr_array_new_with_free_func (page_free);
}

WgSync *
wg_sync_new (WgStore      *store,
             WgApi        *api,
             WgSyncStatus *status)
{
  WgSync *self;

  g_return_val_if_fail (WG_IS_STORE (store), NULL);
  g_return_val_if_fail (WG_IS_API (api), NULL);
  g_return_val_if_fail (WG_IS_SYNC_STATUS (status), NULL);

  self = g_object_new (WG_TYPE_SYNC, NULL);
  self->store = g_object_ref (store);
  self->api = g_object_ref (api);
  self->status = g_object_ref (status);
  return self;
}

WgStore *
wg_sync_get_store (WgSync *self)
{
  g_return_val_if_fail (WG_IS_SYNC (self), NULL);

  return self->store;
}

WgApi *
wg_sync_get_api (WgSync *self)
{
  g_return_val_if_fail (WG_IS_SYNC (self), NULL);

  return self->api;
}

WgSyncStatus *
wg_sync_get_status (WgSync *self)
{
  g_return_val_if_fail (WG_IS_SYNC (self), NULL);

  return self->status;
}
