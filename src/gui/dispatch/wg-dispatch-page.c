/* wg-dispatch-page.c — the dispatcher's queue over the local cache
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queue is a column view over a WgRecordList of cases: filtering (the chosen view, the
 * filters, the search) and sorting happen in SQL with indexes, rows are built only when
 * drawn. Names of villages, grids, categories and assignees come from an index built on a
 * worker thread and rebuilt when those records change. Counts per view, saved views
 * included, are counted there too.
 *
 * This file holds the views (built-in and saved), the selection and the case beside the
 * queue (pushed as a page of its own at narrow widths), the keyboard and the notifications;
 * the filters, the columns and the bar for several cases have files of their own.
 */
#define G_LOG_DOMAIN "WgDispatchPage"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-dispatch-page-private.h"
#include "wg-json.h"
#include "wg-labels.h"

G_DEFINE_FINAL_TYPE (WgDispatchPage, wg_dispatch_page, ADW_TYPE_BIN)

/* --- names and counts, off the main thread --------------------------------------------------- */

static const char * const named_kinds[] = { "org_units", "grids", "categories", "teams", "people", "holidays", NULL };

static gboolean load_cb (gpointer data);
static void apply_filter (WgDispatchPage *self,
                          gboolean        live);
static const char *base_view_id (WgDispatchPage *self);

typedef struct
{
  char *key;        /* a view's id, or a saved view's */
  char *where;
  char *param;
} CountJob;

static void
count_job_free (gpointer data)
{
  CountJob *job = data;

  g_free (job->key);
  g_free (job->where);
  g_free (job->param);
  g_free (job);
}

typedef struct
{
  WgStore           *store;
  gboolean           with_names;
  GPtrArray         *jobs;         /* CountJob */

  GHashTable        *names;
  GHashTable        *counts;       /* key → count */
  GPtrArray         *villages;     /* ids, in name order */
  GPtrArray         *categories;
  GPtrArray         *assignees;    /* ids: teams, departments, villages, grids, people */
  GPtrArray         *grids;        /* WgGridEntry */
  GHashTable        *labels;       /* assignee id → "name · kind" */
  WgWorkingCalendar *calendar;
} Loaded;

static void
grid_entry_free (gpointer data)
{
  WgGridEntry *entry = data;

  g_free (entry->id);
  g_free (entry->village_id);
  g_free (entry);
}

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_object (&loaded->store);
  g_clear_pointer (&loaded->jobs, g_ptr_array_unref);
  g_clear_pointer (&loaded->names, g_hash_table_unref);
  g_clear_pointer (&loaded->counts, g_hash_table_unref);
  g_clear_pointer (&loaded->villages, g_ptr_array_unref);
  g_clear_pointer (&loaded->categories, g_ptr_array_unref);
  g_clear_pointer (&loaded->assignees, g_ptr_array_unref);
  g_clear_pointer (&loaded->grids, g_ptr_array_unref);
  g_clear_pointer (&loaded->labels, g_hash_table_unref);
  g_clear_object (&loaded->calendar);
  g_free (loaded);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      names)
{
  return g_utf8_collate (g_hash_table_lookup (names, a), g_hash_table_lookup (names, b));
}

static int
compare_grids (gconstpointer a,
               gconstpointer b,
               gpointer      names)
{
  const WgGridEntry *x = *(WgGridEntry **) a;
  const WgGridEntry *y = *(WgGridEntry **) b;

  return g_utf8_collate (g_hash_table_lookup (names, x->id), g_hash_table_lookup (names, y->id));
}

static const char *
assignee_kind_label (const char *kind)
{
  if (g_str_equal (kind, "team"))
    return C_("target", "Service team");
  if (g_str_equal (kind, "department"))
    return C_("target", "Department");
  if (g_str_equal (kind, "village"))
    return C_("target", "Village");
  if (g_str_equal (kind, "grid"))
    return C_("target", "Grid");
  return C_("target", "Person");
}

/* Whom a case can be sent to, in the order the dispatch dialog offers them. */
static void
add_assignees (Loaded     *loaded,
               const char *kind,
               GPtrArray  *ids)
{
  g_ptr_array_sort_values_with_data (ids, compare_names, loaded->names);
  for (guint i = 0; i < ids->len; i++)
    {
      /* Translators: an assignee in the queue's filter, "便民服务队 · 服务队" */
      g_hash_table_insert (loaded->labels, g_strdup (ids->pdata[i]),
                           g_strdup_printf (C_("assignee", "%s · %s"),
                                            (char *) g_hash_table_lookup (loaded->names, ids->pdata[i]),
                                            assignee_kind_label (kind)));
      g_ptr_array_add (loaded->assignees, g_strdup (ids->pdata[i]));
    }
}

static void
load_names (Loaded *loaded)
{
  g_autoptr(GPtrArray) teams = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) departments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) grid_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (g_free);

  loaded->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  loaded->villages = g_ptr_array_new_with_free_func (g_free);
  loaded->categories = g_ptr_array_new_with_free_func (g_free);
  loaded->assignees = g_ptr_array_new_with_free_func (g_free);
  loaded->grids = g_ptr_array_new_with_free_func (grid_entry_free);
  loaded->labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  loaded->calendar = wg_working_calendar_new ();

  for (guint k = 0; named_kinds[k] != NULL; k++)
    {
      g_autoptr(GPtrArray) records = wg_store_list_records (loaded->store, named_kinds[k], NULL);

      for (guint i = 0; records != NULL && i < records->len; i++)
        {
          JsonObject *record = records->pdata[i];
          const char *kind = json_object_get_string_member_with_default (record, "kind", "");
          const char *id;

          if (g_str_equal (named_kinds[k], "holidays"))
            {
              /* The deployment's own days, over the official calendar, as the server counts. */
              wg_working_calendar_set_day_iso (loaded->calendar,
                                               json_object_get_string_member_with_default (record, "date", NULL),
                                               g_str_equal (kind, "workday") ? WG_DAY_KIND_WORKDAY : WG_DAY_KIND_HOLIDAY);
              continue;
            }
          if (!json_object_has_member (record, "id") || !json_object_has_member (record, "name"))
            continue;
          id = json_object_get_string_member (record, "id");
          g_hash_table_insert (loaded->names, g_strdup (id), g_strdup (json_object_get_string_member (record, "name")));
          if (g_str_equal (named_kinds[k], "org_units") && (g_str_equal (kind, "village") || g_str_equal (kind, "community")))
            g_ptr_array_add (loaded->villages, g_strdup (id));
          else if (g_str_equal (named_kinds[k], "categories"))
            g_ptr_array_add (loaded->categories, g_strdup (id));
          else if (g_str_equal (named_kinds[k], "teams"))
            g_ptr_array_add (g_str_equal (kind, "department") ? departments : teams, g_strdup (id));
          else if (g_str_equal (named_kinds[k], "people"))
            g_ptr_array_add (people, g_strdup (id));
          else if (g_str_equal (named_kinds[k], "grids"))
            {
              WgGridEntry *entry = g_new0 (WgGridEntry, 1);

              entry->id = g_strdup (id);
              entry->village_id = g_strdup (json_object_get_string_member_with_default (record, "village_id", NULL));
              g_ptr_array_add (loaded->grids, entry);
              g_ptr_array_add (grid_ids, g_strdup (id));
            }
        }
    }
  g_ptr_array_sort_values_with_data (loaded->villages, compare_names, loaded->names);
  g_ptr_array_sort_values_with_data (loaded->categories, compare_names, loaded->names);
  g_ptr_array_sort_with_data (loaded->grids, compare_grids, loaded->names);
  add_assignees (loaded, "team", teams);
  add_assignees (loaded, "department", departments);
  {
    g_autoptr(GPtrArray) villages = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < loaded->villages->len; i++)
      g_ptr_array_add (villages, g_strdup (loaded->villages->pdata[i]));
    add_assignees (loaded, "village", villages);
  }
  add_assignees (loaded, "grid", grid_ids);
  add_assignees (loaded, "person", people);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Loaded *loaded = task_data;

  if (loaded->with_names)
    load_names (loaded);

  loaded->counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < loaded->jobs->len; i++)
    {
      CountJob *job = loaded->jobs->pdata[i];

      g_hash_table_insert (loaded->counts, g_strdup (job->key),
                           GSIZE_TO_POINTER (MAX (0, wg_store_count_where (loaded->store, "cases", job->where,
                                                                             job->param, NULL))));
    }

  g_task_return_boolean (task, TRUE);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (object);
  Loaded *loaded = g_task_get_task_data (G_TASK (result));
  GHashTableIter iter;
  gpointer key, value;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;

  if (loaded->names != NULL)
    {
      wg_case_views_set_calendar (loaded->calendar);
      g_clear_pointer (&self->names, g_hash_table_unref);
      self->names = g_steal_pointer (&loaded->names);
      g_clear_pointer (&self->grids, g_ptr_array_unref);
      self->grids = g_steal_pointer (&loaded->grids);
      /* The assignee filter says what kind each one is; the cells show the bare name. */
      _wg_dispatch_page_fill_choices (self, self->names, loaded->villages, loaded->categories,
                                      loaded->assignees, loaded->labels);
      wg_case_detail_set_names (self->detail, self->names);
      /* Rows already drawn show the new names and the deadlines in the new calendar. */
      _wg_dispatch_page_refresh_cells (self, FALSE);
    }

  g_hash_table_iter_init (&iter, loaded->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GtkLabel *label = g_hash_table_lookup (self->count_labels, key);
      g_autofree char *text = g_strdup_printf ("%'" G_GSIZE_FORMAT, GPOINTER_TO_SIZE (value));

      if (label != NULL)
        gtk_label_set_label (label, text);
    }
}

static Loaded *
loaded_new (WgStore *store)
{
  Loaded *loaded = g_new0 (Loaded, 1);

  loaded->store = g_object_ref (store);
  loaded->jobs = g_ptr_array_new_with_free_func (count_job_free);
  return loaded;
}

static void
run_load (WgDispatchPage *self,
          Loaded         *loaded)
{
  g_autoptr(GTask) task = g_task_new (self, self->cancellable, loaded_cb, NULL);

  g_task_set_source_tag (task, load_cb);
  g_task_set_task_data (task, loaded, loaded_free);
  g_task_run_in_thread (task, load_thread);
}

static gboolean
load_cb (gpointer data)
{
  WgDispatchPage *self = data;
  g_autoptr(GDateTime) now = wg_case_views_now ();
  Loaded *loaded;
  const WgCaseView *views;
  guint n_views;

  self->counts_source = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  /* The names (every person, team and grid of the township: a second on a large one) in a
   * task of their own, so the counts do not wait for them. */
  if (self->names_stale)
    {
      self->names_stale = FALSE;
      loaded = loaded_new (self->store);
      loaded->with_names = TRUE;
      run_load (self, loaded);
    }

  loaded = loaded_new (self->store);

  views = wg_case_views_get (&n_views);
  for (guint i = 0; i < n_views; i++)
    {
      CountJob *job = g_new0 (CountJob, 1);

      job->key = g_strdup (views[i].id);
      job->where = wg_case_view_where (&views[i], now);
      g_ptr_array_add (loaded->jobs, job);
    }
  /* A saved view counts what it shows: its view, filters and search, with "today" now. */
  for (guint i = 0; i < self->saved_views->len; i++)
    {
      WgSavedView *saved = self->saved_views->pdata[i];
      CountJob *job = g_new0 (CountJob, 1);

      job->key = g_strdup (saved->id);
      job->where = _wg_dispatch_page_build_where (self, saved->view_id, saved->filter, saved->search, now, &job->param);
      if (job->where == NULL)
        {
          count_job_free (job);
          continue;
        }
      g_ptr_array_add (loaded->jobs, job);
    }

  run_load (self, loaded);
  return G_SOURCE_REMOVE;
}

void
_wg_dispatch_page_schedule_load (WgDispatchPage *self,
                                 gboolean        names)
{
  self->names_stale |= names;
  if (self->counts_source == 0)
    self->counts_source = g_timeout_add (150, load_cb, self);
}

/* --- notifications --------------------------------------------------------------------------- */

static GApplication *
get_application (WgDispatchPage *self,
                 gboolean       *out_active)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (!GTK_IS_WINDOW (root))
    return NULL;
  *out_active = gtk_window_is_active (GTK_WINDOW (root));
  return G_APPLICATION (gtk_window_get_application (GTK_WINDOW (root)));
}

static void
send_notification (GApplication *app,
                   const char   *notification_id,
                   const char   *title,
                   const char   *body,
                   const char   *case_id)
{
  g_autoptr(GNotification) notification = g_notification_new (title);

  g_notification_set_body (notification, body);
  g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
  g_notification_set_default_action_and_target (notification, "app.show-case", "s", case_id);
  g_application_send_notification (app, notification_id, notification);
}

/* An urgent report that arrives while the dispatcher looks elsewhere: a desktop notification
 * that opens the case. A burst (a long-offline workstation catching up) notifies a few. */
static void
notify_urgent (WgDispatchPage *self,
               GStrv           ids)
{
  gboolean active = TRUE;
  GApplication *app = get_application (self, &active);
  guint sent = 0;

  if (app == NULL || self->store == NULL || active)
    return;

  for (guint i = 0; ids[i] != NULL && i < 200 && sent < 5; i++)
    {
      g_autoptr(JsonObject) record = NULL;
      g_autofree char *title = NULL;
      g_autofree char *notification_id = NULL;

      if (ids[i][0] == '\0' || g_hash_table_contains (self->notified, ids[i]) ||
          (record = wg_store_get_record (self->store, "cases", ids[i], NULL)) == NULL)
        continue;
      if (!wg_case_wants_attention (json_object_get_string_member_with_default (record, "state", NULL),
                                    json_object_get_string_member_with_default (record, "urgency", NULL),
                                    json_object_get_string_member_with_default (record, "created_at", NULL),
                                    self->opened_at))
        continue;

      g_hash_table_add (self->notified, g_strdup (ids[i]));
      /* Translators: a desktop notification's title; %s is the case number */
      title = g_strdup_printf (_("Urgent Case %s"), json_object_get_string_member_with_default (record, "number", ""));
      notification_id = g_strconcat ("case-", ids[i], NULL);
      send_notification (app, notification_id, title, json_object_get_string_member_with_default (record, "title", ""), ids[i]);
      sent++;
    }
}

typedef struct
{
  WgStore   *store;
  char      *where;
  GPtrArray *cases;     /* JsonObject */
} OverdueCheck;

static void
overdue_check_free (gpointer data)
{
  OverdueCheck *check = data;

  g_clear_object (&check->store);
  g_free (check->where);
  g_clear_pointer (&check->cases, g_ptr_array_unref);
  g_free (check);
}

static void
overdue_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  OverdueCheck *check = task_data;
  g_autoptr(GArray) rowids = wg_store_list_rowids (check->store, "cases", check->where, NULL, NULL, NULL);

  check->cases = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  for (guint i = 0; rowids != NULL && i < rowids->len && i < 200; i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *body = NULL;
      g_autofree char *local_state = NULL;
      g_autoptr(JsonNode) node = NULL;
      gint64 version;
      guint pending;

      if (!wg_store_read_row (check->store, "cases", g_array_index (rowids, gint64, i), &id, &version, &body,
                              &local_state, &pending, NULL))
        continue;
      node = json_from_string (body, NULL);
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        g_ptr_array_add (check->cases, json_object_ref (json_node_get_object (node)));
    }
  g_task_return_boolean (task, TRUE);
}

static void
overdue_checked_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (object);
  OverdueCheck *check = g_task_get_task_data (G_TASK (result));
  gboolean active = TRUE;
  GApplication *app;
  guint sent = 0;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    return;
  /* Time alone moved these into "Overdue": count again, and show them there. */
  if (check->cases->len > 0)
    {
      _wg_dispatch_page_schedule_load (self, FALSE);
      if (g_strcmp0 (base_view_id (self), "overdue") == 0)
        apply_filter (self, TRUE);
    }
  app = get_application (self, &active);
  if (app == NULL)
    return;

  for (guint i = 0; i < check->cases->len; i++)
    {
      JsonObject *record = check->cases->pdata[i];
      const char *id = json_object_get_string_member_with_default (record, "id", "");
      g_autofree char *notification_id = g_strconcat ("overdue-", id, NULL);
      g_autofree char *title = NULL;

      /* Each case once; one seen going overdue in the window is not notified later. */
      if (g_hash_table_contains (self->notified, notification_id))
        continue;
      g_hash_table_add (self->notified, g_strdup (notification_id));
      if (active || sent >= 5)
        continue;

      /* Translators: a desktop notification's title; %s is the case number */
      title = g_strdup_printf (_("Case %s Is Overdue"), json_object_get_string_member_with_default (record, "number", ""));
      send_notification (app, notification_id, title, json_object_get_string_member_with_default (record, "title", ""), id);
      sent++;
    }
}

/* Cases still being handled whose deadline passed since the last look: told once each, by a
 * desktop notification when the window is not in front. Runs every minute. */
void
_wg_dispatch_page_check_overdue (WgDispatchPage *self)
{
  g_autoptr(GDateTime) now = wg_case_views_now ();
  g_autoptr(GTask) task = NULL;
  g_autofree char *after = NULL;
  g_autofree char *until = NULL;
  OverdueCheck *check;

  if (self->store == NULL || self->overdue_checked == NULL)
    return;

  /* The clock was set back since the last look: look at the minute before now. */
  if (g_date_time_compare (self->overdue_checked, now) > 0)
    {
      g_date_time_unref (self->overdue_checked);
      self->overdue_checked = g_date_time_add_minutes (now, -1);
    }
  after = wg_rfc3339_format (self->overdue_checked);
  until = wg_rfc3339_format (now);
  g_clear_pointer (&self->overdue_checked, g_date_time_unref);
  self->overdue_checked = g_date_time_ref (now);

  check = g_new0 (OverdueCheck, 1);
  check->store = g_object_ref (self->store);
  /* "(deadline IS NULL) = 0" is how the deadline index starts; both bounds are ours. */
  check->where = g_strdup_printf ("coalesce (local_state, state) IN ('reported', 'accepted', 'dispatched', 'claimed', 'in_progress')"
                                  " AND (deadline IS NULL) = 0 AND deadline > '%s' AND deadline <= '%s'",
                                  after, until);
  task = g_task_new (self, self->cancellable, overdue_checked_cb, NULL);
  g_task_set_source_tag (task, _wg_dispatch_page_check_overdue);
  g_task_set_task_data (task, check, overdue_check_free);
  g_task_run_in_thread (task, overdue_thread);
}

static void
store_changed_cb (WgStore        *store,
                  const char     *kind,
                  GStrv           ids,
                  WgDispatchPage *self)
{
  if (g_strv_contains (named_kinds, kind))
    _wg_dispatch_page_schedule_load (self, TRUE);
  else if (g_str_equal (kind, "cases"))
    {
      _wg_dispatch_page_schedule_load (self, FALSE);
      notify_urgent (self, ids);
    }
}

const char *
_wg_dispatch_page_name_of (WgDispatchPage *self,
                           const char     *id)
{
  const char *name = id != NULL && self->names != NULL ? g_hash_table_lookup (self->names, id) : NULL;

  return name != NULL ? name : "";
}

/* Says @text in the window's toast overlay. */
void
_wg_dispatch_page_toast (WgDispatchPage *self,
                         const char     *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

/* --- the queue's rows ------------------------------------------------------------------------ */

static WgSavedView *
find_saved (WgDispatchPage *self,
            const char     *id)
{
  for (guint i = 0; self->saved_views != NULL && i < self->saved_views->len; i++)
    if (g_strcmp0 (((WgSavedView *) self->saved_views->pdata[i])->id, id) == 0)
      return self->saved_views->pdata[i];
  return NULL;
}

/* The built-in view behind the chosen row: itself, or the one a saved view narrows. */
static const char *
base_view_id (WgDispatchPage *self)
{
  WgSavedView *saved = find_saved (self, self->view_id);

  return saved != NULL ? saved->view_id : self->view_id;
}

/* @live: the same view and filters with the time moved on: the queue keeps its place and the
 * cases that joined are pointed out. Otherwise the queue starts at its top. */
static void
apply_filter (WgDispatchPage *self,
              gboolean        live)
{
  g_autoptr(GDateTime) now = wg_case_views_now ();
  g_autofree char *query = NULL;
  g_autofree char *where = NULL;

  if (self->cases == NULL)
    return;

  where = _wg_dispatch_page_build_where (self, base_view_id (self), self->filter,
                                         gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), now, &query);
  if (where == NULL)
    return;
  if (live)
    {
      wg_record_list_set_filter_live (self->cases, where, query);
      return;
    }
  self->scroll_to_top = TRUE;
  wg_record_list_set_filter (self->cases, where, query);
}

void
_wg_dispatch_page_update_filter (WgDispatchPage *self)
{
  apply_filter (self, FALSE);
}

static void
update_empty (WgDispatchPage *self)
{
  gboolean empty = self->cases == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->cases)) == 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  adw_status_page_set_description (self->empty_page,
                                   search[0] != '\0' ? _("No case in this view matches the search.")
                                   : wg_case_filter_count_active (self->filter) > 0 ? _("No case in this view matches the filters.")
                                   : _("Cases reported by grid workers, citizens and the hotline appear here as they arrive."));
  gtk_stack_set_visible_child_name (self->content_stack, empty ? "empty" : "list");
}

/* The one case selected, or NULL when none or several are. */
WgRecord *
_wg_dispatch_page_get_single (WgDispatchPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (self->selection == NULL)
    return NULL;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_get_size (selected) != 1)
    return NULL;
  return g_list_model_get_item (G_LIST_MODEL (self->selection), gtk_bitset_get_minimum (selected));
}

static void show_detail (WgDispatchPage *self,
                         WgRecord       *record);
static void open_detail (WgDispatchPage *self);

/* Puts the keyboard on the case at @position (selecting it alone when @select): the row may
 * not have a widget yet, so the list takes the focus itself and hands it on. */
static void
focus_row (WgDispatchPage *self,
           guint           position,
           gboolean        select)
{
  gtk_column_view_scroll_to (self->column_view, position, NULL,
                             GTK_LIST_SCROLL_FOCUS | (select ? GTK_LIST_SCROLL_SELECT : 0), NULL);
  if (!gtk_widget_has_focus (GTK_WIDGET (self->column_view)) &&
      !(gtk_widget_get_state_flags (GTK_WIDGET (self->column_view)) & GTK_STATE_FLAG_FOCUS_WITHIN))
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* Selects the case asked for by wg_dispatch_page_show_case () once the queue holds it. */
static void
select_pending (WgDispatchPage *self)
{
  guint position;

  if (self->pending_show == NULL || self->cases == NULL ||
      (position = wg_record_list_find (self->cases, self->pending_show)) == G_MAXUINT)
    return;

  g_clear_pointer (&self->pending_show, g_free);
  focus_row (self, position, TRUE);
}

/* The list must not be scrolled or selected in while it reports a change (GTK's list item
 * manager is between states then): the pending case is selected just after. */
static gboolean
select_pending_cb (gpointer data)
{
  WgDispatchPage *self = data;

  self->select_source = 0;
  select_pending (self);
  if (self->reselect && self->selected_id != NULL && self->cases != NULL)
    {
      guint now_at = wg_record_list_find (self->cases, self->selected_id);
      g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));

      if (now_at != G_MAXUINT && gtk_bitset_is_empty (selected))
        gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), now_at, TRUE);
    }
  self->reselect = FALSE;
  return G_SOURCE_REMOVE;
}

static void
items_changed_cb (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  WgDispatchPage *self)
{
  g_autoptr(WgRecord) record = _wg_dispatch_page_get_single (self);

  update_empty (self);

  /* A case that moved in the order was taken out and put back: select it where it is now. */
  if (record == NULL && self->selected_id != NULL && removed > 0 && added > 0)
    self->reselect = TRUE;
  if ((self->pending_show != NULL || self->reselect) && self->select_source == 0)
    self->select_source = g_idle_add (select_pending_cb, self);
  if (self->reselect)
    return;

  /* The case on show changed (an action confirmed, a team claimed it): show it as it is now. */
  if (record != NULL && g_strcmp0 (wg_record_get_id (record), self->selected_id) == 0)
    show_detail (self, record);
}

/* In the middle of a change of view, filter, search or order: the queue moves to the new rows
 * at the top, so GTK gives them the widgets of the rows on show instead of building new ones
 * (see wg_record_list_set_move_func ()). The case on show is looked for once the change is
 * over. */
static void
move_to_new_rows (WgRecordList *list,
                  gpointer      data)
{
  WgDispatchPage *self = data;

  if (self->selection == NULL || gtk_column_view_get_model (self->column_view) != GTK_SELECTION_MODEL (self->selection))
    return;
  if (self->selected_id != NULL)
    self->reselect = TRUE;
  gtk_column_view_scroll_to (self->column_view, 0, NULL, GTK_LIST_SCROLL_NONE, NULL);
}

/* Another view, filter or order starts at its top once loaded; a sync's changes keep the
 * place. The case on show stays if it is in the new list; else the detail closes rather than
 * show a case that is not there (and would not be kept up to date). */
static void
loading_changed_cb (WgDispatchPage *self)
{
  if (!self->scroll_to_top || wg_record_list_get_loading (self->cases))
    return;
  self->scroll_to_top = FALSE;
  if (self->selected_id != NULL && wg_record_list_find (self->cases, self->selected_id) == G_MAXUINT)
    {
      g_clear_pointer (&self->selected_id, g_free);
      show_detail (self, NULL);
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (self->cases)) > 0)
    gtk_column_view_scroll_to (self->column_view, 0, NULL, GTK_LIST_SCROLL_NONE, NULL);
}

static gboolean
scroll_to_top_cb (gpointer data)
{
  WgDispatchPage *self = data;

  /* Not once the page is going. */
  if (self->cancellable != NULL && self->cases != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->cases)) > 0)
    gtk_column_view_scroll_to (self->column_view, 0, NULL, GTK_LIST_SCROLL_NONE, NULL);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* New cases from a sync, told just before the list changes: pointed out for a moment. When
 * the dispatcher is at the top they come into view there; when scrolled, the rows on screen
 * stay where they are (the view keeps its anchor on the row it shows first, and the
 * selection moves with its cases). */
static void
rows_inserted_cb (WgRecordList   *cases,
                  guint           position,
                  guint           n_items,
                  WgDispatchPage *self)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->column_view));

  _wg_dispatch_page_mark_fresh (self, position, n_items);
  if (position == 0 && vadjustment != NULL && gtk_adjustment_get_value (vadjustment) <= 0)
    g_idle_add_full (G_PRIORITY_DEFAULT, scroll_to_top_cb, g_object_ref (self), NULL);
}

/* --- views ----------------------------------------------------------------------------------- */

static GtkWidget *
create_view_row (WgDispatchPage *self,
                 const char     *id,
                 const char     *title,
                 gboolean        saved)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *count = gtk_label_new ("");

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_widget_add_css_class (count, "dim-label");
  gtk_widget_add_css_class (count, "numeric");
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), count);

  if (saved)
    {
      g_autoptr(GMenu) menu = g_menu_new ();
      g_autoptr(GMenuItem) rename = g_menu_item_new (_("_Rename…"), NULL);
      g_autoptr(GMenuItem) delete = g_menu_item_new (_("_Delete"), NULL);
      GtkWidget *button = gtk_menu_button_new ();

      g_menu_item_set_action_and_target_value (rename, "queue.rename-view", g_variant_new_string (id));
      g_menu_item_set_action_and_target_value (delete, "queue.delete-view", g_variant_new_string (id));
      g_menu_append_item (menu, rename);
      g_menu_append_item (menu, delete);
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-more-symbolic");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
      gtk_widget_set_tooltip_text (button, _("Rename or Delete the View"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_name (button, "saved-view-menu");
      gtk_box_append (GTK_BOX (box), button);
      g_object_set_data (G_OBJECT (row), "saved", GINT_TO_POINTER (TRUE));
    }

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_widget_set_name (row, id);
  g_hash_table_insert (self->count_labels, g_strdup (id), count);
  return row;
}

/* "Saved Views" above the first saved one. */
static void
views_header_cb (GtkListBoxRow *row,
                 GtkListBoxRow *before,
                 gpointer       data)
{
  gboolean saved = g_object_get_data (G_OBJECT (row), "saved") != NULL;
  gboolean first = saved && (before == NULL || g_object_get_data (G_OBJECT (before), "saved") == NULL);

  if (first && gtk_list_box_row_get_header (row) == NULL)
    {
      GtkWidget *header = gtk_label_new (_("Saved Views"));

      gtk_label_set_xalign (GTK_LABEL (header), 0);
      gtk_widget_set_margin_top (header, 12);
      gtk_widget_set_margin_start (header, 12);
      gtk_widget_set_margin_bottom (header, 3);
      gtk_widget_add_css_class (header, "heading");
      gtk_widget_add_css_class (header, "dim-label");
      gtk_list_box_row_set_header (row, header);
    }
  else if (!first)
    gtk_list_box_row_set_header (row, NULL);
}

/* The built-in views, then the saved ones; the narrow drop-down lists the same. Keeps the
 * chosen row when it is still there. */
static void
populate_views (WgDispatchPage *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  g_autofree char *chosen = g_strdup (self->view_id);
  const WgCaseView *views;
  GtkWidget *row;
  guint n_views;

  g_hash_table_remove_all (self->count_labels);
  while ((row = gtk_widget_get_first_child (GTK_WIDGET (self->views_list))) != NULL)
    gtk_list_box_remove (self->views_list, row);

  views = wg_case_views_get (&n_views);
  for (guint i = 0; i < n_views; i++)
    {
      gtk_string_list_append (titles, wg_case_view_get_title (&views[i]));
      gtk_list_box_append (self->views_list, create_view_row (self, views[i].id, wg_case_view_get_title (&views[i]), FALSE));
    }
  for (guint i = 0; i < self->saved_views->len; i++)
    {
      WgSavedView *saved = self->saved_views->pdata[i];

      gtk_string_list_append (titles, saved->name);
      gtk_list_box_append (self->views_list, create_view_row (self, saved->id, saved->name, TRUE));
      saved->count_label = g_hash_table_lookup (self->count_labels, saved->id);
    }
  gtk_drop_down_set_model (self->views_dropdown, G_LIST_MODEL (titles));

  wg_dispatch_page_set_view (self, find_saved (self, chosen) != NULL || wg_case_views_find (chosen) != NULL ? chosen : "new");
  _wg_dispatch_page_schedule_load (self, FALSE);
}

static void
view_selected_cb (WgDispatchPage *self,
                  GtkListBoxRow  *row)
{
  WgSavedView *saved;

  gboolean from_saved;

  if (row == NULL)
    return;

  from_saved = find_saved (self, self->view_id) != NULL;
  g_set_str (&self->view_id, gtk_widget_get_name (GTK_WIDGET (row)));
  gtk_drop_down_set_selected (self->views_dropdown, gtk_list_box_row_get_index (row));

  /* A saved view brings back its filters and search, and takes them along when left for a
   * view of the list; between those, the filters stay as set. */
  if ((saved = find_saved (self, self->view_id)) != NULL)
    {
      wg_case_filter_free (self->filter);
      self->filter = wg_case_filter_copy (saved->filter);
      _wg_dispatch_page_show_filter (self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), saved->search != NULL ? saved->search : "");
    }
  else if (from_saved)
    {
      wg_case_filter_clear (self->filter);
      _wg_dispatch_page_show_filter (self);
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
    }
  _wg_dispatch_page_update_filter (self);
  update_empty (self);
}

/* At narrow widths the views are a drop-down; both choose the same view. */
static void
dropdown_selected_cb (WgDispatchPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->views_list, gtk_drop_down_get_selected (self->views_dropdown));

  if (row != NULL && g_strcmp0 (self->view_id, gtk_widget_get_name (GTK_WIDGET (row))) != 0)
    gtk_list_box_select_row (self->views_list, row);
}

static void
search_changed_cb (WgDispatchPage *self)
{
  _wg_dispatch_page_update_filter (self);
}

/* --- saved views ----------------------------------------------------------------------------- */

static void
saved_view_free (gpointer data)
{
  WgSavedView *saved = data;

  g_free (saved->id);
  g_free (saved->name);
  g_free (saved->view_id);
  g_free (saved->search);
  wg_case_filter_free (saved->filter);
  g_free (saved);
}

/* Saved views belong to an account on a server: the same as the cache's identity. */
static char *
account_key (WgDispatchPage *self)
{
  if (self->session == NULL || !wg_session_get_signed_in (self->session))
    return NULL;
  return g_strconcat (wg_session_get_server_url (self->session), "\n", wg_session_get_username (self->session), NULL);
}

static void
load_saved_views (WgDispatchPage *self)
{
  g_autofree char *account = account_key (self);
  g_autoptr(GVariant) all = g_settings_get_value (self->settings, "saved-views");
  GVariantIter iter;
  const char *owner, *id, *name, *view_id, *search;
  GVariant *filter;

  g_ptr_array_set_size (self->saved_views, 0);
  if (account == NULL)
    return;

  g_variant_iter_init (&iter, all);
  while (g_variant_iter_next (&iter, "(&s&s&s&s&s@a{ss})", &owner, &id, &name, &view_id, &search, &filter))
    {
      if (g_str_equal (owner, account) && wg_case_views_find (view_id) != NULL && find_saved (self, id) == NULL)
        {
          WgSavedView *saved = g_new0 (WgSavedView, 1);

          saved->id = g_strdup (id);
          saved->name = g_strdup (name);
          saved->view_id = g_strdup (view_id);
          saved->search = g_strdup (search);
          saved->filter = wg_case_filter_from_variant (filter);
          g_ptr_array_add (self->saved_views, saved);
        }
      g_variant_unref (filter);
    }
}

/* Writes this account's saved views back, leaving other accounts' as they were. */
static void
store_saved_views (WgDispatchPage *self)
{
  g_autofree char *account = account_key (self);
  g_autoptr(GVariant) all = g_settings_get_value (self->settings, "saved-views");
  GVariantBuilder builder;
  GVariantIter iter;
  GVariant *entry;

  if (account == NULL)
    return;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sssssa{ss})"));
  g_variant_iter_init (&iter, all);
  while ((entry = g_variant_iter_next_value (&iter)) != NULL)
    {
      const char *owner;

      g_variant_get_child (entry, 0, "&s", &owner);
      if (!g_str_equal (owner, account))
        g_variant_builder_add_value (&builder, entry);
      g_variant_unref (entry);
    }
  for (guint i = 0; i < self->saved_views->len; i++)
    {
      WgSavedView *saved = self->saved_views->pdata[i];

      g_variant_builder_add (&builder, "(sssss@a{ss})", account, saved->id, saved->name, saved->view_id,
                             saved->search != NULL ? saved->search : "", wg_case_filter_to_variant (saved->filter));
    }
  g_settings_set_value (self->settings, "saved-views", g_variant_builder_end (&builder));
}

static void
name_changed_cb (GtkEditable    *entry,
                 AdwAlertDialog *dialog)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_alert_dialog_set_response_enabled (dialog, "save", name[0] != '\0');
}

static void
name_response_cb (AdwAlertDialog *dialog,
                  const char     *response,
                  WgDispatchPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  const char *renaming = g_object_get_data (G_OBJECT (dialog), "saved-id");
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  WgSavedView *saved;

  if (g_strcmp0 (response, "save") != 0 || name[0] == '\0')
    return;

  if (renaming != NULL)
    {
      if ((saved = find_saved (self, renaming)) == NULL)
        return;
      g_set_str (&saved->name, name);
    }
  else
    {
      g_autofree char *uuid = g_uuid_string_random ();

      saved = g_new0 (WgSavedView, 1);
      saved->id = g_strconcat ("saved-", uuid, NULL);
      saved->name = g_strdup (name);
      saved->view_id = g_strdup (base_view_id (self));
      saved->search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      saved->filter = wg_case_filter_copy (self->filter);
      g_ptr_array_add (self->saved_views, saved);
      g_set_str (&self->view_id, saved->id);
    }
  store_saved_views (self);
  populate_views (self);
}

/* Asks for a view's name: a new one for the current filters, or @saved's new name. */
static void
ask_name (WgDispatchPage *self,
          WgSavedView    *saved)
{
  AdwDialog *dialog;
  GtkWidget *entry = gtk_entry_new ();

  if (saved == NULL)
    dialog = adw_alert_dialog_new (_("Save as View"),
                                   _("The view, its filters and the search are kept under this name in the list of views, with their count."));
  else
    dialog = adw_alert_dialog_new (_("Rename View"), NULL);

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_widget_set_name (entry, "view-name");
  if (saved != NULL)
    gtk_editable_set_text (GTK_EDITABLE (entry), saved->name);
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), entry);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog), "cancel", _("_Cancel"),
                                  "save", saved == NULL ? _("_Save") : _("_Rename"), NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "save");
  adw_alert_dialog_set_response_enabled (ADW_ALERT_DIALOG (dialog), "save", saved != NULL);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  if (saved != NULL)
    g_object_set_data_full (G_OBJECT (dialog), "saved-id", g_strdup (saved->id), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (name_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (name_response_cb), self, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
save_view_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);

  if (self->store != NULL)
    ask_name (self, NULL);
}

static void
rename_view_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);
  WgSavedView *saved = find_saved (self, g_variant_get_string (parameter, NULL));

  if (saved != NULL)
    ask_name (self, saved);
}

static void
delete_response_cb (AdwAlertDialog *dialog,
                    const char     *response,
                    WgDispatchPage *self)
{
  WgSavedView *saved = find_saved (self, g_object_get_data (G_OBJECT (dialog), "saved-id"));

  if (g_strcmp0 (response, "delete") != 0 || saved == NULL)
    return;
  /* The filters stay as they are; only the name goes. */
  if (g_strcmp0 (self->view_id, saved->id) == 0)
    g_set_str (&self->view_id, saved->view_id);
  g_ptr_array_remove (self->saved_views, saved);
  store_saved_views (self);
  populate_views (self);
}

static void
delete_view_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);
  WgSavedView *saved = find_saved (self, g_variant_get_string (parameter, NULL));
  g_autofree char *heading = NULL;
  AdwDialog *dialog;

  if (saved == NULL)
    return;
  heading = g_strdup_printf (_("Delete View “%s”?"), saved->name);
  dialog = adw_alert_dialog_new (heading, _("The cases stay as they are; only the view’s name and filters are forgotten."));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog), "cancel", _("_Cancel"), "delete", _("_Delete"), NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "delete", ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data_full (G_OBJECT (dialog), "saved-id", g_strdup (saved->id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

/* --- the case's detail ----------------------------------------------------------------------- */

static void
show_detail (WgDispatchPage *self,
             WgRecord       *record)
{
  wg_case_detail_set_record (self->detail, record);
  gtk_revealer_set_reveal_child (self->detail_revealer, record != NULL && !self->narrow);
  gtk_label_set_label (self->detail_title, record != NULL && wg_record_get_string (record, "number") != NULL
                                           ? wg_record_get_string (record, "number") : "");
  if (record == NULL && self->narrow)
    adw_navigation_view_pop_to_tag (self->navigation, "queue");
}

static void
selection_changed_cb (GtkSelectionModel *selection,
                      guint              position,
                      guint              n_items,
                      WgDispatchPage    *self)
{
  g_autoptr(WgRecord) record = _wg_dispatch_page_get_single (self);

  g_set_str (&self->selected_id, record != NULL ? wg_record_get_id (record) : NULL);
  show_detail (self, record);
  _wg_dispatch_page_update_bulk (self);
}

/* The detail lives beside the queue when there is room, and on a page of its own below the
 * breakpoint; moved after the breakpoint applied, never in the middle of a size allocation. */
static gboolean
place_detail_cb (gpointer data)
{
  WgDispatchPage *self = data;
  AdwBin *from = self->narrow ? self->wide_detail_slot : self->narrow_detail_slot;
  AdwBin *to = self->narrow ? self->narrow_detail_slot : self->wide_detail_slot;
  g_autoptr(WgRecord) record = _wg_dispatch_page_get_single (self);

  if (self->cancellable == NULL)
    {
      g_object_unref (self);
      return G_SOURCE_REMOVE;
    }
  if (adw_bin_get_child (from) == GTK_WIDGET (self->detail))
    {
      g_object_ref (self->detail);
      adw_bin_set_child (from, NULL);
      adw_bin_set_child (to, GTK_WIDGET (self->detail));
      g_object_unref (self->detail);
    }
  if (!self->narrow)
    adw_navigation_view_pop_to_tag (self->navigation, "queue");
  gtk_revealer_set_reveal_child (self->detail_revealer, record != NULL && !self->narrow);
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

static void
set_narrow (WgDispatchPage *self,
            gboolean        narrow)
{
  self->narrow = narrow;
  g_idle_add_full (G_PRIORITY_DEFAULT, place_detail_cb, g_object_ref (self), NULL);
}

static void
narrow_apply_cb (WgDispatchPage *self)
{
  set_narrow (self, TRUE);
}

static void
narrow_unapply_cb (WgDispatchPage *self)
{
  set_narrow (self, FALSE);
}

/* The first button of the detail's actions, where Enter takes the dispatcher. */
static GtkWidget *
find_first_button (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_visible (child) && gtk_widget_get_sensitive (child))
        return child;
      if ((found = find_first_button (child)) != NULL)
        return found;
    }
  return NULL;
}

static void
focus_detail (WgDispatchPage *self)
{
  GtkWidget *button = find_first_button (GTK_WIDGET (self->detail));

  if (button != NULL)
    gtk_widget_grab_focus (button);
  else
    gtk_widget_child_focus (GTK_WIDGET (self->detail), GTK_DIR_TAB_FORWARD);
}

static void
detail_mapped_cb (WgDispatchPage *self)
{
  g_signal_handlers_disconnect_by_func (self->detail, detail_mapped_cb, self);
  focus_detail (self);
}

/* Enter: the selected case, with the focus on its first action; a page of its own when
 * narrow. */
static void
open_detail (WgDispatchPage *self)
{
  g_autoptr(WgRecord) record = _wg_dispatch_page_get_single (self);

  if (record == NULL)
    return;
  show_detail (self, record);
  if (self->narrow)
    {
      if (adw_navigation_view_get_visible_page (self->navigation) != self->detail_page)
        adw_navigation_view_push (self->navigation, self->detail_page);
    }
  /* Once the revealer or the page shows the detail's buttons: a hidden button takes no focus. */
  g_signal_handlers_disconnect_by_func (self->detail, detail_mapped_cb, self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self->detail)))
    focus_detail (self);
  else
    g_signal_connect_swapped (self->detail, "map", G_CALLBACK (detail_mapped_cb), self);
}

static void
row_activated_cb (WgDispatchPage *self,
                  guint           position)
{
  gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
  open_detail (self);
}

static gboolean
open_pressed_cb (gpointer data)
{
  WgDispatchPage *self = data;

  if (self->cancellable != NULL && self->pressed_position != G_MAXUINT && self->selection != NULL &&
      self->pressed_position < g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
    {
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), self->pressed_position, TRUE);
      open_detail (self);
    }
  self->pressed_position = G_MAXUINT;
  g_object_unref (self);
  return G_SOURCE_REMOVE;
}

/* At narrow widths a click on a case opens it, as a tap would, even the case selected
 * already. The press is seen on its way to the row, which handles it as usual first. */
static void
queue_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  WgDispatchPage  *self)
{
  GdkModifierType state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
  GtkWidget *widget = gtk_widget_pick (GTK_WIDGET (self->column_view), x, y, GTK_PICK_DEFAULT);
  GtkListItem *item = NULL;

  if (!self->narrow || n_press != 1 || (state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK)) != 0)
    return;
  for (; widget != NULL && widget != GTK_WIDGET (self->column_view) && item == NULL; widget = gtk_widget_get_parent (widget))
    item = g_object_get_data (G_OBJECT (widget), "list-item");
  if (item == NULL)
    return;
  self->pressed_position = gtk_list_item_get_position (item);
  g_idle_add_full (G_PRIORITY_DEFAULT, open_pressed_cb, g_object_ref (self), NULL);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  open_detail (WG_DISPATCH_PAGE (widget));
}

/* j and k: the next and the previous case, selected alone and in view. */
static void
move_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);
  int delta = g_variant_get_int32 (parameter);
  guint n_items = self->cases != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->cases)) : 0;
  g_autoptr(GtkBitset) selected = NULL;
  guint position;

  if (n_items == 0)
    return;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_is_empty (selected))
    position = 0;
  else if (delta > 0)
    position = MIN (gtk_bitset_get_maximum (selected) + 1, n_items - 1);
  else
    position = gtk_bitset_get_minimum (selected) > 0 ? gtk_bitset_get_minimum (selected) - 1 : 0;
  focus_row (self, position, TRUE);
}

/* Escape from the case: back to the queue, on the case it came from. Lets Escape go on
 * elsewhere (a search entry clears itself, a dialog closes). */
static gboolean
back_to_queue (GtkWidget *widget,
               GVariant  *args,
               gpointer   data)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));
  gboolean in_detail = focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->detail));
  gboolean on_page = self->narrow && adw_navigation_view_get_visible_page (self->navigation) == self->detail_page;
  g_autoptr(GtkBitset) selected = NULL;

  if (!in_detail && !on_page)
    return FALSE;

  if (on_page)
    adw_navigation_view_pop_to_tag (self->navigation, "queue");
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (!gtk_bitset_is_empty (selected))
    focus_row (self, gtk_bitset_get_minimum (selected), FALSE);
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
  return TRUE;
}

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);

  if (self->narrow)
    adw_navigation_view_pop_to_tag (self->navigation, "queue");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_dispatch_page_dispose (GObject *object)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->select_source, g_source_remove);
  wg_dispatch_page_set_session (self, NULL);
  g_clear_object (&self->session);
  g_clear_object (&self->cancellable);
  _wg_dispatch_page_columns_dispose (self);
  _wg_dispatch_page_filters_dispose (self);
  g_clear_object (&self->settings);
  gtk_widget_dispose_template (GTK_WIDGET (self), WG_TYPE_DISPATCH_PAGE);

  G_OBJECT_CLASS (wg_dispatch_page_parent_class)->dispose (object);
}

static void
wg_dispatch_page_finalize (GObject *object)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (object);

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->grids, g_ptr_array_unref);
  g_clear_pointer (&self->count_labels, g_hash_table_unref);
  g_clear_pointer (&self->saved_views, g_ptr_array_unref);
  g_clear_pointer (&self->filter, wg_case_filter_free);
  g_clear_pointer (&self->view_id, g_free);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->opened_at, g_date_time_unref);
  g_clear_pointer (&self->overdue_checked, g_date_time_unref);
  g_clear_pointer (&self->notified, g_hash_table_unref);
  g_clear_pointer (&self->pending_show, g_free);

  G_OBJECT_CLASS (wg_dispatch_page_parent_class)->finalize (object);
}

static void
wg_dispatch_page_class_init (WgDispatchPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_dispatch_page_dispose;
  object_class->finalize = wg_dispatch_page_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wangge/Wangge/dispatch/wg-dispatch-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, navigation);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, detail_page);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, views_list);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, views_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, queue_scroller);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, queue_menu_button);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, detail_revealer);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, wide_detail_slot);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, narrow_detail_slot);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, detail_title);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, view_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, narrow_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, narrow_unapply_cb);
  _wg_dispatch_page_filters_class_init (widget_class);
  _wg_dispatch_page_bulk_class_init (widget_class);

  gtk_widget_class_install_action (widget_class, "dispatch.search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "dispatch.search", NULL);

  gtk_widget_class_install_action (widget_class, "queue.save-view", NULL, save_view_action);
  gtk_widget_class_install_action (widget_class, "queue.rename-view", "s", rename_view_action);
  gtk_widget_class_install_action (widget_class, "queue.delete-view", "s", delete_view_action);
  gtk_widget_class_install_action (widget_class, "queue.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "queue.move", "i", move_action);
  gtk_widget_class_add_binding (widget_class, GDK_KEY_Escape, 0, back_to_queue, NULL);
}

/* j/k and Enter belong to the queue: typed elsewhere (the search) they are letters. */
static void
setup_keyboard (WgDispatchPage *self)
{
  GtkEventController *keys = gtk_shortcut_controller_new ();
  GtkGesture *click = gtk_gesture_click_new ();
  const struct { guint key; int delta; } moves[] = { { GDK_KEY_j, 1 }, { GDK_KEY_k, -1 } };

  for (guint i = 0; i < G_N_ELEMENTS (moves); i++)
    {
      GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (moves[i].key, 0),
                                                gtk_named_action_new ("queue.move"));

      gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (moves[i].delta));
      gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (keys), shortcut);
    }
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), keys);

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (queue_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->column_view), GTK_EVENT_CONTROLLER (click));
}

static void
wg_dispatch_page_init (WgDispatchPage *self)
{
  g_type_ensure (WG_TYPE_CASE_DETAIL);
  gtk_widget_init_template (GTK_WIDGET (self));
  wg_case_detail_attach_to_page (self->detail, GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  self->cancellable = g_cancellable_new ();
  self->count_labels = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->saved_views = g_ptr_array_new_with_free_func (saved_view_free);
  self->filter = wg_case_filter_new ();
  self->view_id = g_strdup ("new");
  self->pressed_position = G_MAXUINT;

  gtk_list_box_set_header_func (self->views_list, views_header_cb, NULL, NULL);
  _wg_dispatch_page_columns_init (self);
  _wg_dispatch_page_filters_init (self);
  setup_keyboard (self);

  populate_views (self);
  update_empty (self);
}

/* Shows the cases of the signed-in account and follows their changes; NULL (signed out)
 * empties the queue. */
void
wg_dispatch_page_set_session (WgDispatchPage *self,
                              WgSession      *session)
{
  WgStore *store = session != NULL && wg_session_get_signed_in (session) ? wg_session_get_store (session) : NULL;

  g_return_if_fail (WG_IS_DISPATCH_PAGE (self));

  g_set_object (&self->session, session);
  wg_case_detail_set_session (self->detail, session);

  if (self->store == store)
    return;

  if (self->store != NULL)
    g_signal_handlers_disconnect_by_data (self->store, self);
  if (self->cases != NULL)
    {
      /* A reload under way finishes after the list is dropped here. */
      g_signal_handlers_disconnect_by_data (self->cases, self);
      wg_record_list_set_move_func (self->cases, NULL, NULL);
    }
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->cases);
  g_clear_handle_id (&self->counts_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->fresh_source, g_source_remove);
  g_hash_table_remove_all (self->fresh);
  g_set_object (&self->store, store);
  show_detail (self, NULL);
  g_clear_pointer (&self->opened_at, g_date_time_unref);
  g_clear_pointer (&self->overdue_checked, g_date_time_unref);
  self->opened_at = g_date_time_new_now_utc ();
  self->overdue_checked = wg_case_views_now ();

  /* Another account has views of its own. */
  if (self->cancellable != NULL && !g_cancellable_is_cancelled (self->cancellable))
    {
      load_saved_views (self);
      populate_views (self);
    }

  if (store != NULL)
    {
      self->cases = wg_record_list_new (store, "cases", NULL);
      wg_record_list_set_move_func (self->cases, move_to_new_rows, self);
      _wg_dispatch_page_apply_sort (self);
      g_signal_connect (self->cases, "items-changed", G_CALLBACK (items_changed_cb), self);
      g_signal_connect (self->cases, "rows-inserted", G_CALLBACK (rows_inserted_cb), self);
      g_signal_connect_swapped (self->cases, "notify::loading", G_CALLBACK (loading_changed_cb), self);
      self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->cases)));
      g_signal_connect_object (self->selection, "selection-changed", G_CALLBACK (selection_changed_cb), self, 0);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      _wg_dispatch_page_update_filter (self);
      g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      _wg_dispatch_page_schedule_load (self, TRUE);
      _wg_dispatch_page_start_tick (self);
    }
  _wg_dispatch_page_update_bulk (self);
  update_empty (self);
}

const char *
wg_dispatch_page_get_view (WgDispatchPage *self)
{
  g_return_val_if_fail (WG_IS_DISPATCH_PAGE (self), NULL);

  return self->view_id;
}

/* Chooses the view with @view_id: a built-in one ("new", "overdue", …) or a saved one. */
void
wg_dispatch_page_set_view (WgDispatchPage *self,
                           const char     *view_id)
{
  g_return_if_fail (WG_IS_DISPATCH_PAGE (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->views_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (gtk_widget_get_name (row), view_id) == 0)
      gtk_list_box_select_row (self->views_list, GTK_LIST_BOX_ROW (row));
}

/* The cases shown, for tests and for the detail that comes next. */
GListModel *
wg_dispatch_page_get_cases (WgDispatchPage *self)
{
  g_return_val_if_fail (WG_IS_DISPATCH_PAGE (self), NULL);

  return self->cases != NULL ? G_LIST_MODEL (self->cases) : NULL;
}

/* The view a case in @state is found in. */
static const char *
view_for_state (const char *state)
{
  static const struct { const char *state; const char *view; } map[] = {
    { "reported", "new" }, { "accepted", "to-dispatch" }, { "dispatched", "dispatched" },
    { "claimed", "in-progress" }, { "in_progress", "in-progress" }, { "resolved", "to-verify" },
    { "verified", "to-verify" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (map[i].state, state) == 0)
      return map[i].view;
  return "closed";
}

/* Shows the case with @id in the view its state puts it in, without filters or search,
 * and selects it. */
void
wg_dispatch_page_show_case (WgDispatchPage *self,
                            const char     *id)
{
  g_autoptr(JsonObject) record = NULL;
  const char *view = "new";

  g_return_if_fail (WG_IS_DISPATCH_PAGE (self));

  if (self->store != NULL && (record = wg_store_get_record (self->store, "cases", id, NULL)) != NULL)
    view = view_for_state (json_object_get_string_member_with_default (record, "state", NULL));
  g_set_str (&self->pending_show, id);
  wg_case_filter_clear (self->filter);
  _wg_dispatch_page_show_filter (self);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  wg_dispatch_page_set_view (self, view);
  _wg_dispatch_page_update_filter (self);
  select_pending (self);
}

/* The township's grids, for the small map in the case's detail. */
void
wg_dispatch_page_set_grids (WgDispatchPage *self,
                            GListModel     *grids)
{
  g_return_if_fail (WG_IS_DISPATCH_PAGE (self));

  wg_case_detail_set_grids (self->detail, grids);
}
