/* wg-dispatch-page.c — the dispatcher's queue over the local cache
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The queue is a column view over a WgRecordList of cases: filtering (the chosen view, the
 * search) and sorting happen in SQL with indexes, rows are built only when drawn. Names of
 * villages, grids, categories and assignees come from an index built on a worker thread and
 * rebuilt when those records change. Counts per view are counted there too.
 */
#define G_LOG_DOMAIN "WgDispatchPage"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-case-detail.h"
#include "wg-case-views.h"
#include "wg-dispatch-page.h"
#include "wg-labels.h"
#include "wg-record-list.h"

struct _WgDispatchPage
{
  AdwBin          parent_instance;

  /* Template widgets */
  GtkListBox     *views_list;
  GtkDropDown    *views_dropdown;
  GtkDropDown    *village_filter;
  GtkDropDown    *category_filter;
  GtkDropDown    *urgency_filter;
  GtkSearchEntry *search_entry;
  GtkStack       *content_stack;
  GtkColumnView  *column_view;
  AdwStatusPage  *empty_page;
  GtkRevealer    *detail_revealer;
  WgCaseDetail   *detail;

  /* Owned */
  WgSession      *session;
  WgStore        *store;
  char           *selected_id;
  GDateTime      *opened_at;       /* urgent reports after this are notified */
  GHashTable     *notified;        /* case ids already notified */
  char           *pending_show;    /* a case to select once the queue has it */
  WgRecordList   *cases;
  GHashTable     *names;           /* record id → name */
  GStrv           village_ids;     /* behind the village filter's entries, after "all" */
  GStrv           category_ids;
  GHashTable     *count_labels;    /* view id → GtkLabel (borrowed) */
  GCancellable   *cancellable;
  char           *view_id;
  guint           counts_source;
  gboolean        names_stale;
};

G_DEFINE_FINAL_TYPE (WgDispatchPage, wg_dispatch_page, ADW_TYPE_BIN)

/* --- names and counts, off the main thread --------------------------------------------------- */

static const char * const named_kinds[] = { "org_units", "grids", "categories", "teams", "people", NULL };

typedef struct
{
  GHashTable *names;
  GHashTable *counts;      /* view id → count */
  GPtrArray  *villages;    /* ids, in name order */
  GPtrArray  *categories;
} Loaded;

static void
loaded_free (gpointer data)
{
  Loaded *loaded = data;

  g_clear_pointer (&loaded->names, g_hash_table_unref);
  g_clear_pointer (&loaded->counts, g_hash_table_unref);
  g_clear_pointer (&loaded->villages, g_ptr_array_unref);
  g_clear_pointer (&loaded->categories, g_ptr_array_unref);
  g_free (loaded);
}

static int
compare_names (gconstpointer a,
               gconstpointer b,
               gpointer      names)
{
  return g_utf8_collate (g_hash_table_lookup (names, a), g_hash_table_lookup (names, b));
}

static void update_filter (WgDispatchPage *self);

/* Fills a filter drop-down: "any" first, then the names of @ids; keeps the choice when the
 * chosen id is still there. */
static GStrv
fill_filter (GtkDropDown *dropdown,
             const char  *any,
             GPtrArray   *ids,
             GHashTable  *names,
             GStrv        old_ids)
{
  g_autoptr(GtkStringList) labels = gtk_string_list_new (NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  guint selected = gtk_drop_down_get_selected (dropdown);
  const char *chosen = old_ids != NULL && selected > 0 && selected <= g_strv_length (old_ids) ? old_ids[selected - 1] : NULL;
  guint keep = 0;

  gtk_string_list_append (labels, any);
  for (guint i = 0; i < ids->len; i++)
    {
      gtk_string_list_append (labels, g_hash_table_lookup (names, ids->pdata[i]));
      g_strv_builder_add (builder, ids->pdata[i]);
      if (g_strcmp0 (chosen, ids->pdata[i]) == 0)
        keep = i + 1;
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (labels));
  gtk_drop_down_set_selected (dropdown, keep);
  return g_strv_builder_end (builder);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WgStore *store = task_data;
  gboolean with_names = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (task), "names"));
  Loaded *loaded = g_new0 (Loaded, 1);
  const WgCaseView *views;
  guint n_views;

  if (with_names)
    {
      loaded->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      loaded->villages = g_ptr_array_new_with_free_func (g_free);
      loaded->categories = g_ptr_array_new_with_free_func (g_free);
      for (guint k = 0; named_kinds[k] != NULL; k++)
        {
          g_autoptr(GPtrArray) records = wg_store_list_records (store, named_kinds[k], NULL);

          for (guint i = 0; records != NULL && i < records->len; i++)
            {
              JsonObject *record = records->pdata[i];

              const char *unit = json_object_get_string_member_with_default (record, "kind", "");

              if (!json_object_has_member (record, "id") || !json_object_has_member (record, "name"))
                continue;
              g_hash_table_insert (loaded->names,
                                   g_strdup (json_object_get_string_member (record, "id")),
                                   g_strdup (json_object_get_string_member (record, "name")));
              if (g_str_equal (named_kinds[k], "org_units") && (g_str_equal (unit, "village") || g_str_equal (unit, "community")))
                g_ptr_array_add (loaded->villages, g_strdup (json_object_get_string_member (record, "id")));
              else if (g_str_equal (named_kinds[k], "categories"))
                g_ptr_array_add (loaded->categories, g_strdup (json_object_get_string_member (record, "id")));
            }
        }
      g_ptr_array_sort_values_with_data (loaded->villages, compare_names, loaded->names);
      g_ptr_array_sort_values_with_data (loaded->categories, compare_names, loaded->names);
    }

  loaded->counts = g_hash_table_new (g_str_hash, g_str_equal);
  views = wg_case_views_get (&n_views);
  for (guint i = 0; i < n_views; i++)
    g_hash_table_insert (loaded->counts, (gpointer) views[i].id,
                         GSIZE_TO_POINTER (MAX (0, wg_store_count_where (store, "cases", views[i].where, NULL, NULL))));

  g_task_return_pointer (task, loaded, loaded_free);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (object);
  Loaded *loaded = g_task_propagate_pointer (G_TASK (result), NULL);
  GHashTableIter iter;
  gpointer key, value;

  if (loaded == NULL)
    return;

  if (loaded->names != NULL)
    {
      GStrv villages = fill_filter (self->village_filter, _("All villages"), loaded->villages, loaded->names, self->village_ids);
      GStrv categories = fill_filter (self->category_filter, _("All categories"), loaded->categories, loaded->names, self->category_ids);

      g_strfreev (self->village_ids);
      self->village_ids = villages;
      g_strfreev (self->category_ids);
      self->category_ids = categories;
      /* The drop-downs changed under the old ids: filter again with the new ones. */
      update_filter (self);
      g_clear_pointer (&self->names, g_hash_table_unref);
      self->names = g_steal_pointer (&loaded->names);
      wg_case_detail_set_names (self->detail, self->names);
      /* Rows already drawn show the new names. */
      if (self->cases != NULL)
        wg_record_list_rebind (self->cases);
    }

  g_hash_table_iter_init (&iter, loaded->counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GtkLabel *label = g_hash_table_lookup (self->count_labels, key);
      g_autofree char *text = g_strdup_printf ("%'" G_GSIZE_FORMAT, GPOINTER_TO_SIZE (value));

      if (label != NULL)
        gtk_label_set_label (label, text);
    }
  loaded_free (loaded);
}

static gboolean
load_cb (gpointer data)
{
  WgDispatchPage *self = data;
  g_autoptr(GTask) task = NULL;

  self->counts_source = 0;
  if (self->store == NULL)
    return G_SOURCE_REMOVE;

  task = g_task_new (self, self->cancellable, loaded_cb, NULL);
  g_task_set_source_tag (task, load_cb);
  g_task_set_task_data (task, g_object_ref (self->store), g_object_unref);
  g_object_set_data (G_OBJECT (task), "names", GINT_TO_POINTER (self->names_stale));
  self->names_stale = FALSE;
  g_task_run_in_thread (task, load_thread);
  return G_SOURCE_REMOVE;
}

static void
schedule_load (WgDispatchPage *self,
               gboolean        names)
{
  self->names_stale |= names;
  if (self->counts_source == 0)
    self->counts_source = g_timeout_add (150, load_cb, self);
}

/* An urgent report that arrives while the dispatcher looks elsewhere: a desktop notification
 * that opens the case. A burst (a long-offline workstation catching up) notifies a few. */
static void
notify_urgent (WgDispatchPage *self,
               GStrv           ids)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = GTK_IS_WINDOW (root) ? G_APPLICATION (gtk_window_get_application (GTK_WINDOW (root))) : NULL;
  guint sent = 0;

  if (app == NULL || self->store == NULL || gtk_window_is_active (GTK_WINDOW (root)))
    return;

  for (guint i = 0; ids[i] != NULL && i < 200 && sent < 5; i++)
    {
      g_autoptr(JsonObject) record = NULL;
      g_autoptr(GNotification) notification = NULL;
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
      notification = g_notification_new (title);
      g_notification_set_body (notification, json_object_get_string_member_with_default (record, "title", ""));
      g_notification_set_priority (notification, G_NOTIFICATION_PRIORITY_URGENT);
      g_notification_set_default_action_and_target (notification, "app.show-case", "s", ids[i]);
      notification_id = g_strconcat ("case-", ids[i], NULL);
      g_application_send_notification (app, notification_id, notification);
      sent++;
    }
}

static void
store_changed_cb (WgStore        *store,
                  const char     *kind,
                  GStrv           ids,
                  WgDispatchPage *self)
{
  if (g_strv_contains (named_kinds, kind))
    schedule_load (self, TRUE);
  else if (g_str_equal (kind, "cases"))
    {
      schedule_load (self, FALSE);
      notify_urgent (self, ids);
    }
}

static const char *
name_of (WgDispatchPage *self,
         const char     *id)
{
  const char *name = id != NULL && self->names != NULL ? g_hash_table_lookup (self->names, id) : NULL;

  return name != NULL ? name : "";
}

/* --- filter ---------------------------------------------------------------------------------- */

static void
update_filter (WgDispatchPage *self)
{
  static const char * const urgencies[] = { NULL, "urgent", "high", "normal", "low" };
  const WgCaseView *view = wg_case_views_find (self->view_id);
  g_autofree char *query = wg_fts_build_query (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  g_autofree char *where = NULL;
  guint village = gtk_drop_down_get_selected (self->village_filter);
  guint category = gtk_drop_down_get_selected (self->category_filter);
  guint urgency = gtk_drop_down_get_selected (self->urgency_filter);

  if (self->cases == NULL || view == NULL)
    return;

  where = wg_case_filter_where (view, query != NULL,
                                village > 0 && self->village_ids != NULL && village <= g_strv_length (self->village_ids)
                                ? self->village_ids[village - 1] : NULL,
                                category > 0 && self->category_ids != NULL && category <= g_strv_length (self->category_ids)
                                ? self->category_ids[category - 1] : NULL,
                                urgency < G_N_ELEMENTS (urgencies) ? urgencies[urgency] : NULL);
  wg_record_list_set_filter (self->cases, where, query);
}

static void
update_empty (WgDispatchPage *self)
{
  gboolean empty = self->cases == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->cases)) == 0;
  const char *search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  adw_status_page_set_description (self->empty_page,
                                   search[0] != '\0' ? _("No case in this view matches the search.")
                                                     : _("Cases reported by grid workers, citizens and the hotline appear here as they arrive."));
  gtk_stack_set_visible_child_name (self->content_stack, empty ? "empty" : "list");
}

static void show_detail (WgDispatchPage *self,
                         WgRecord       *record);

/* Selects the case asked for by wg_dispatch_page_show_case () once the queue holds it. */
static void
select_pending (WgDispatchPage *self)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (self->column_view));
  GListModel *cases = self->cases != NULL ? G_LIST_MODEL (self->cases) : NULL;

  if (self->pending_show == NULL || selection == NULL || cases == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (cases) && i < 10000; i++)
    {
      g_autoptr(WgRecord) record = g_list_model_get_item (cases, i);

      if (g_strcmp0 (wg_record_get_id (record), self->pending_show) == 0)
        {
          g_clear_pointer (&self->pending_show, g_free);
          gtk_single_selection_set_selected (selection, i);
          gtk_column_view_scroll_to (self->column_view, i, NULL, GTK_LIST_SCROLL_SELECT, NULL);
          return;
        }
    }
}

static void
items_changed_cb (GListModel     *model,
                  guint           position,
                  guint           removed,
                  guint           added,
                  WgDispatchPage *self)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_column_view_get_model (self->column_view));
  WgRecord *record = selection != NULL ? gtk_single_selection_get_selected_item (selection) : NULL;

  update_empty (self);
  select_pending (self);
  /* The case on show changed (an action confirmed, a team claimed it): show it as it is now. */
  if (record != NULL && g_strcmp0 (wg_record_get_id (record), self->selected_id) == 0)
    show_detail (self, record);
}

static void
view_selected_cb (WgDispatchPage *self,
                  GtkListBoxRow  *row)
{
  if (row == NULL)
    return;

  g_set_str (&self->view_id, gtk_widget_get_name (GTK_WIDGET (row)));
  gtk_drop_down_set_selected (self->views_dropdown, gtk_list_box_row_get_index (row));
  update_filter (self);
}

/* At narrow widths the views are a drop-down; both choose the same view. */
static void
dropdown_selected_cb (WgDispatchPage *self)
{
  const WgCaseView *views;
  guint n_views;
  guint selected = gtk_drop_down_get_selected (self->views_dropdown);

  views = wg_case_views_get (&n_views);
  if (selected < n_views && g_strcmp0 (self->view_id, views[selected].id) != 0)
    wg_dispatch_page_set_view (self, views[selected].id);
}

static void
filter_changed_cb (WgDispatchPage *self)
{
  update_filter (self);
}

static void
search_changed_cb (WgDispatchPage *self)
{
  update_filter (self);
}

/* --- columns --------------------------------------------------------------------------------- */

typedef enum
{
  COLUMN_URGENCY,
  COLUMN_NUMBER,
  COLUMN_CATEGORY,
  COLUMN_PLACE,
  COLUMN_TITLE,
  COLUMN_SOURCE,
  COLUMN_REPORTED,
  COLUMN_DEADLINE,
  COLUMN_STATE,
  COLUMN_ASSIGNEE,
} Column;

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_list_item_set_child (item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              WgDispatchPage           *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  WgRecord *record = gtk_list_item_get_item (item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (item));
  g_autofree char *owned = NULL;
  const char *text = "";
  const char *state = wg_record_get_state (record);

  gtk_widget_remove_css_class (GTK_WIDGET (label), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (label), "dim-label");

  switch (column)
    {
    case COLUMN_URGENCY:
      {
        const char *urgency = wg_record_get_string (record, "urgency");

        text = wg_label_urgency (urgency);
        if (g_strcmp0 (urgency, "urgent") == 0)
          gtk_widget_add_css_class (GTK_WIDGET (label), "error");
        else if (g_strcmp0 (urgency, "high") == 0)
          gtk_widget_add_css_class (GTK_WIDGET (label), "warning");
      }
      break;

    case COLUMN_NUMBER:
      text = wg_record_get_string (record, "number");
      break;

    case COLUMN_CATEGORY:
      text = name_of (self, wg_record_get_string (record, "category_id"));
      break;

    case COLUMN_PLACE:
      /* Translators: a case's village and grid in the queue, "马街社区 · 第3网格" */
      owned = g_strdup_printf (C_("place", "%s · %s"), name_of (self, wg_record_get_string (record, "village_id")),
                               name_of (self, wg_record_get_string (record, "grid_id")));
      text = owned;
      break;

    case COLUMN_TITLE:
      text = wg_record_get_string (record, "title");
      break;

    case COLUMN_SOURCE:
      text = wg_label_source (wg_record_get_string (record, "source"));
      break;

    case COLUMN_REPORTED:
      owned = wg_case_format_time (wg_record_get_string (record, "created_at"));
      text = owned;
      break;

    case COLUMN_DEADLINE:
      {
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        WgDeadlineState deadline = wg_case_deadline_state (state, wg_record_get_string (record, "deadline"),
                                                           now, &owned);

        text = owned;
        if (deadline == WG_DEADLINE_OVERDUE)
          gtk_widget_add_css_class (GTK_WIDGET (label), "error");
        else if (deadline == WG_DEADLINE_APPROACHING)
          gtk_widget_add_css_class (GTK_WIDGET (label), "warning");
      }
      break;

    case COLUMN_STATE:
      if (wg_record_get_pending (record))
        {
          /* Translators: a case's state while an action on it waits to be sent */
          owned = g_strdup_printf (_("%s (waiting to be sent)"), wg_label_case_state (state));
          text = owned;
          gtk_widget_add_css_class (GTK_WIDGET (label), "dim-label");
        }
      else
        text = wg_label_case_state (state);
      break;

    case COLUMN_ASSIGNEE:
      {
        JsonObject *json = wg_record_get_json (record);
        JsonNode *assignee = json != NULL ? json_object_get_member (json, "assignee") : NULL;

        if (assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee) &&
            json_object_has_member (json_node_get_object (assignee), "id"))
          text = name_of (self, json_object_get_string_member (json_node_get_object (assignee), "id"));
      }
      break;

    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (label, text != NULL ? text : "");
}

static void
add_column (WgDispatchPage *self,
            Column          column,
            const char     *title,
            gboolean        expand,
            int             width)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (column));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), NULL);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_cell_cb), self, 0);
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (view_column, expand);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  if (width > 0)
    gtk_column_view_column_set_fixed_width (view_column, width);
  gtk_column_view_append_column (self->column_view, view_column);
  g_object_unref (view_column);
}

/* --- views ----------------------------------------------------------------------------------- */

static void
populate_views (WgDispatchPage *self)
{
  g_autoptr(GtkStringList) titles = gtk_string_list_new (NULL);
  const WgCaseView *views;
  guint n_views;

  views = wg_case_views_get (&n_views);
  for (guint i = 0; i < n_views; i++)
    gtk_string_list_append (titles, wg_case_view_get_title (&views[i]));
  gtk_drop_down_set_model (self->views_dropdown, G_LIST_MODEL (titles));

  for (guint i = 0; i < n_views; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *title = gtk_label_new (wg_case_view_get_title (&views[i]));
      GtkWidget *count = gtk_label_new ("");

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_widget_set_hexpand (title, TRUE);
      gtk_widget_add_css_class (count, "dim-label");
      gtk_widget_add_css_class (count, "numeric");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), count);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_name (row, views[i].id);
      gtk_list_box_append (self->views_list, row);
      g_hash_table_insert (self->count_labels, (gpointer) views[i].id, count);
    }
}

/* --- the case's detail ----------------------------------------------------------------------- */

static void
show_detail (WgDispatchPage *self,
             WgRecord       *record)
{
  wg_case_detail_set_record (self->detail, record);
  gtk_revealer_set_reveal_child (self->detail_revealer, record != NULL);
}

static void
selection_changed_cb (GtkSingleSelection *selection,
                      GParamSpec         *pspec,
                      WgDispatchPage     *self)
{
  WgRecord *record = gtk_single_selection_get_selected_item (selection);

  g_set_str (&self->selected_id, record != NULL ? wg_record_get_id (record) : NULL);
  show_detail (self, record);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
focus_search_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_widget_grab_focus (GTK_WIDGET (WG_DISPATCH_PAGE (widget)->search_entry));
}

static void
wg_dispatch_page_dispose (GObject *object)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (object);

  wg_dispatch_page_set_session (self, NULL);
  g_clear_object (&self->session);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), WG_TYPE_DISPATCH_PAGE);

  G_OBJECT_CLASS (wg_dispatch_page_parent_class)->dispose (object);
}

static void
wg_dispatch_page_finalize (GObject *object)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (object);

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->count_labels, g_hash_table_unref);
  g_clear_pointer (&self->village_ids, g_strfreev);
  g_clear_pointer (&self->category_ids, g_strfreev);
  g_clear_pointer (&self->view_id, g_free);
  g_clear_pointer (&self->selected_id, g_free);
  g_clear_pointer (&self->opened_at, g_date_time_unref);
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
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, views_list);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, views_dropdown);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, village_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, category_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, urgency_filter);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, detail_revealer);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, detail);
  gtk_widget_class_bind_template_callback (widget_class, view_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, dropdown_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, filter_changed_cb);

  gtk_widget_class_install_action (widget_class, "dispatch.search", NULL, focus_search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "dispatch.search", NULL);
}

static void
wg_dispatch_page_init (WgDispatchPage *self)
{
  g_type_ensure (WG_TYPE_CASE_DETAIL);
  gtk_widget_init_template (GTK_WIDGET (self));
  wg_case_detail_attach_to_page (self->detail, GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->count_labels = g_hash_table_new (g_str_hash, g_str_equal);
  self->notified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->view_id = g_strdup ("new");

  add_column (self, COLUMN_URGENCY, C_("column", "Urgency"), FALSE, 60);
  add_column (self, COLUMN_NUMBER, C_("column", "Number"), FALSE, 110);
  add_column (self, COLUMN_CATEGORY, C_("column", "Category"), FALSE, 96);
  add_column (self, COLUMN_PLACE, C_("column", "Village and Grid"), FALSE, 170);
  add_column (self, COLUMN_TITLE, C_("column", "Title"), TRUE, 220);
  add_column (self, COLUMN_SOURCE, C_("column", "Source"), FALSE, 96);
  add_column (self, COLUMN_REPORTED, C_("column", "Reported"), FALSE, 110);
  add_column (self, COLUMN_DEADLINE, C_("column", "Deadline"), FALSE, 100);
  add_column (self, COLUMN_STATE, C_("column", "State"), FALSE, 90);
  add_column (self, COLUMN_ASSIGNEE, C_("column", "Assignee"), FALSE, 110);

  {
    g_autoptr(GtkStringList) urgencies = gtk_string_list_new (NULL);
    g_autoptr(GtkStringList) none = gtk_string_list_new (NULL);

    gtk_string_list_append (urgencies, _("Any urgency"));
    gtk_string_list_append (urgencies, wg_label_urgency ("urgent"));
    gtk_string_list_append (urgencies, wg_label_urgency ("high"));
    gtk_string_list_append (urgencies, wg_label_urgency ("normal"));
    gtk_string_list_append (urgencies, wg_label_urgency ("low"));
    gtk_drop_down_set_model (self->urgency_filter, G_LIST_MODEL (urgencies));
    gtk_string_list_append (none, _("All villages"));
    gtk_drop_down_set_model (self->village_filter, G_LIST_MODEL (none));
    g_clear_object (&none);
    none = gtk_string_list_new (NULL);
    gtk_string_list_append (none, _("All categories"));
    gtk_drop_down_set_model (self->category_filter, G_LIST_MODEL (none));
  }

  populate_views (self);
  gtk_list_box_select_row (self->views_list, gtk_list_box_get_row_at_index (self->views_list, 0));
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
    g_signal_handlers_disconnect_by_data (self->cases, self);
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->cases);
  g_clear_handle_id (&self->counts_source, g_source_remove);
  g_set_object (&self->store, store);
  show_detail (self, NULL);
  g_clear_pointer (&self->opened_at, g_date_time_unref);
  self->opened_at = g_date_time_new_now_utc ();

  if (store != NULL)
    {
      g_autoptr(GtkSingleSelection) selection = NULL;

      /* Newest first: what came in last is what needs a look. */
      self->cases = wg_record_list_new (store, "cases", "reported_at DESC, number DESC");
      g_signal_connect (self->cases, "items-changed", G_CALLBACK (items_changed_cb), self);
      selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->cases)));
      gtk_single_selection_set_autoselect (selection, FALSE);
      gtk_single_selection_set_can_unselect (selection, TRUE);
      gtk_single_selection_set_selected (selection, GTK_INVALID_LIST_POSITION);
      g_signal_connect_object (selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self, 0);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (selection));
      update_filter (self);
      g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
      schedule_load (self, TRUE);
    }
  update_empty (self);
}

const char *
wg_dispatch_page_get_view (WgDispatchPage *self)
{
  g_return_val_if_fail (WG_IS_DISPATCH_PAGE (self), NULL);

  return self->view_id;
}

void
wg_dispatch_page_set_view (WgDispatchPage *self,
                           const char     *view_id)
{
  g_return_if_fail (WG_IS_DISPATCH_PAGE (self));

  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->views_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_name (row), view_id) == 0)
      gtk_list_box_select_row (self->views_list, GTK_LIST_BOX_ROW (row));
}

/* The cases shown, for tests and for the detail that comes next. */
GListModel *
wg_dispatch_page_get_cases (WgDispatchPage *self)
{
  g_return_val_if_fail (WG_IS_DISPATCH_PAGE (self), NULL);

  return self->cases != NULL ? G_LIST_MODEL (self->cases) : NULL;
}

/* Shows the case with @id: in "New" when it is there, else among all cases, and selects it. */
void
wg_dispatch_page_show_case (WgDispatchPage *self,
                            const char     *id)
{
  g_return_if_fail (WG_IS_DISPATCH_PAGE (self));

  g_set_str (&self->pending_show, id);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  wg_dispatch_page_set_view (self, "new");
  select_pending (self);
}
