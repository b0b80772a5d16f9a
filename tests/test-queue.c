/* test-queue.c — the dispatch queue: filters, saved views, columns, countdown, new cases, bulk
 * actions, the keyboard and narrow widths, in the real application against the real server
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server holds the demo township (wangge-server demo: 12 villages, 903 grids, 584 cases
 * over four weeks, from every source and of every urgency), so each filter has something to
 * narrow. What a filter should leave is counted here from the server's own data, never
 * written down. Settings live in a key file and the cache in a data folder of their own, so
 * the second half, in a new process (a restart), finds what the first half left.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <X11/keysym.h>

#include "wg-application.h"
#include "wg-case-views.h"
#include "wg-dispatch-dialog.h"
#include "wg-dispatch-page.h"
#include "wg-record-list.h"
#include "wg-test-server.h"
#include "wg-test-ui.h"
#include "wg-window.h"
#include "wg-working-time.h"

/* The demo's passwords (docs/demo.md). */
#define DEMO_ADMIN_PASSWORD      "majie-admin-demo"
#define DEMO_DISPATCHER_PASSWORD "majie-dispatch-demo"

/* What the first run leaves for the restart. */
#define SAVED_VIEW_NAME "重点村 本周"
#define RENAMED_VIEW_NAME "重点村 近七天"
#define TITLE_WIDTH 300

static WgApplication *app;
static WgWindow *window;
static WgTestServer *server;
static GPtrArray *cases;        /* JsonObject: every case on the server, read when needed */
static const char *lang = "zh_CN";

/* --- the server's data ----------------------------------------------------------------------- */

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

/* A server with the demo township, started on loopback. */
static WgTestServer *
start_demo_server (void)
{
  WgTestServer *self = g_new0 (WgTestServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *err = NULL;

  self->data_dir = g_dir_make_tmp ("wg-queue-XXXXXX", &error);
  g_assert_no_error (error);
  self->session = soup_session_new_with_options ("timeout", 30, NULL);

  g_subprocess_launcher_setenv (launcher, "WANGGE_SERVER_TEST_FAST_HASH", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("WANGGE_SERVER"), "demo", "-d", self->data_dir, NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("wangge-server demo failed: %s", err);

  wg_test_server_start (self);
  self->admin_token = wg_test_server_login (self, "admin", DEMO_ADMIN_PASSWORD);
  return self;
}

/* Every record of @kind on the server, page by page. */
static GPtrArray *
fetch_all (const char *kind)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *after = NULL;

  do
    {
      g_autofree char *path = after != NULL
        ? g_strdup_printf ("/api/v1/%s?limit=500&after=%s", wg_test_server_kind_path (kind), after)
        : g_strdup_printf ("/api/v1/%s?limit=500", wg_test_server_kind_path (kind));
      g_autoptr(JsonNode) reply = NULL;
      JsonObject *page;
      JsonArray *items;
      guint status = 0;

      reply = wg_test_server_call (server, server->admin_token, "GET", path, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      page = json_node_get_object (reply);
      items = json_object_get_array_member (page, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        g_ptr_array_add (records, json_object_ref (json_array_get_object_element (items, i)));
      g_clear_pointer (&after, g_free);
      if (!json_object_get_null_member (page, "next"))
        after = g_strdup (json_object_get_string_member (page, "next"));
    }
  while (after != NULL);

  return records;
}

static void
refresh_cases (void)
{
  g_clear_pointer (&cases, g_ptr_array_unref);
  cases = fetch_all ("cases");
}

static const char *
member (JsonObject *object,
        const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static const char *
assignee_of (JsonObject *record)
{
  JsonNode *node = json_object_get_member (record, "assignee");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? member (json_node_get_object (node), "id") : NULL;
}

static JsonObject *
get_case (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s", id);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = wg_test_server_call (server, server->admin_token, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_node_get_object (reply));
}

static const char *
name_of_record (const char *kind,
                const char *id)
{
  static GHashTable *names;

  if (names == NULL)
    names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (!g_hash_table_contains (names, id))
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/%s/%s", wg_test_server_kind_path (kind), id);
      g_autoptr(JsonNode) reply = NULL;
      guint status = 0;

      reply = wg_test_server_call (server, server->admin_token, "GET", path, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      g_hash_table_insert (names, g_strdup (id), g_strdup (member (json_node_get_object (reply), "name")));
    }
  return g_hash_table_lookup (names, id);
}

/* The value of @field most cases have (among those @keep accepts, when given). */
static char *
most_common (const char *field,
             const char *keep_field,
             const char *keep_value)
{
  g_autoptr(GHashTable) counts = g_hash_table_new (g_str_hash, g_str_equal);
  GHashTableIter iter;
  gpointer key, value;
  const char *best = NULL;
  guint best_count = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      const char *v = g_str_equal (field, "assignee") ? assignee_of (cases->pdata[i]) : member (cases->pdata[i], field);

      if (v == NULL || (keep_field != NULL && g_strcmp0 (member (cases->pdata[i], keep_field), keep_value) != 0))
        continue;
      g_hash_table_insert (counts, (gpointer) v, GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (counts, v)) + 1));
    }
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (GPOINTER_TO_UINT (value) > best_count)
      {
        best = key;
        best_count = GPOINTER_TO_UINT (value);
      }
  g_assert_nonnull (best);
  return g_strdup (best);
}

/* A filter as the server's data sees it. */
typedef struct
{
  const char *village;
  const char *grid;
  const char *category;
  const char *urgency;
  const char *source;
  const char *assignee;
  const char *state;
  GDateTime  *from;        /* reported at or after */
  GDateTime  *until;       /* reported before */
} Expect;

static guint
count_matching (const Expect *e)
{
  guint n = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      JsonObject *c = cases->pdata[i];
      g_autoptr(GDateTime) reported = g_date_time_new_from_iso8601 (member (c, "reported_at"), NULL);

      if ((e->village && g_strcmp0 (member (c, "village_id"), e->village) != 0) ||
          (e->grid && g_strcmp0 (member (c, "grid_id"), e->grid) != 0) ||
          (e->category && g_strcmp0 (member (c, "category_id"), e->category) != 0) ||
          (e->urgency && g_strcmp0 (member (c, "urgency"), e->urgency) != 0) ||
          (e->source && g_strcmp0 (member (c, "source"), e->source) != 0) ||
          (e->assignee && g_strcmp0 (assignee_of (c), e->assignee) != 0) ||
          (e->state && g_strcmp0 (member (c, "state"), e->state) != 0) ||
          (e->from && g_date_time_compare (reported, e->from) < 0) ||
          (e->until && g_date_time_compare (reported, e->until) >= 0))
        continue;
      n++;
    }
  return n;
}

/* Midnight, local time (Beijing in this test), @days from today. */
static GDateTime *
local_midnight (int days)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                                      g_date_time_get_day_of_month (now), 0, 0, 0);

  return g_date_time_add_days (today, days);
}

/* Creates a case as the hotline would, in the most used category and grid; returns its id. */
static char *
report_case (const char *title)
{
  g_autofree char *category = most_common ("category_id", NULL, NULL);
  g_autofree char *grid = most_common ("grid_id", NULL, NULL);
  g_autofree char *body = g_strdup_printf ("{\"source\":\"hotline_12345\",\"title\":\"%s\",\"description\":\"测试\","
                                           "\"category_id\":\"%s\",\"grid_id\":\"%s\",\"address\":\"马街镇\"}",
                                           title, category, grid);

  return wg_test_server_create (server, "/api/v1/cases", body);
}

static void
server_action (const char *id,
               const char *action,
               const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/actions/%s", id, action);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = wg_test_server_call (server, server->admin_token, "POST", path, body, &status);
  if (status != 200 && status != 201)
    g_error ("%s %s → %u: %s", path, body, status, json_to_string (reply, FALSE));
}

/* --- the window ------------------------------------------------------------------------------ */

static GtkWidget *
find_button_labelled (GtkWidget  *root,
                      const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_BUTTON (child) && gtk_widget_get_mapped (child) &&
          g_strcmp0 (gtk_button_get_label (GTK_BUTTON (child)), label) == 0)
        return child;
      if ((found = find_button_labelled (child, label)) != NULL)
        return found;
    }
  return NULL;
}

static WgDispatchPage *
page (void)
{
  return WG_DISPATCH_PAGE (wg_test_find_widget (GTK_WIDGET (window), WG_TYPE_DISPATCH_PAGE, "dispatch-page"));
}

static GtkWidget *
page_widget (GType       type,
             const char *name)
{
  GtkWidget *widget = wg_test_find_widget (GTK_WIDGET (page ()), type, name);

  g_assert_nonnull (widget);
  return widget;
}

static GtkColumnView *
queue (void)
{
  return GTK_COLUMN_VIEW (page_widget (GTK_TYPE_COLUMN_VIEW, "case-queue"));
}

static GtkSelectionModel *
selection (void)
{
  return gtk_column_view_get_model (queue ());
}

static GtkColumnViewColumn *
column_by_id (const char *id)
{
  GListModel *columns = gtk_column_view_get_columns (queue ());

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_strcmp0 (gtk_column_view_column_get_id (column), id) == 0)
        return column;
    }
  g_assert_not_reached ();
}

/* The case ids of the rows on screen from the top, read from the row widgets: what the
 * dispatcher sees, not what the model says. */
static GPtrArray *
visible_numbers (void)
{
  GtkWidget *list = wg_test_find_widget (GTK_WIDGET (queue ()), GTK_TYPE_LIST_VIEW, NULL);
  GListModel *columns = gtk_column_view_get_columns (queue ());
  GPtrArray *rows = g_ptr_array_new ();
  GPtrArray *numbers = g_ptr_array_new_with_free_func (g_free);
  guint number_index = 0;
  int height = gtk_widget_get_height (list);

  /* The number column's place among the visible cells. */
  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (g_str_equal (gtk_column_view_column_get_id (column), "number"))
        break;
      number_index += gtk_column_view_column_get_visible (column);
    }

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      graphene_point_t at;

      if (!gtk_widget_get_child_visible (row) || !gtk_widget_get_mapped (row) ||
          !gtk_widget_compute_point (row, list, &GRAPHENE_POINT_INIT (0, 0), &at) ||
          at.y + gtk_widget_get_height (row) <= 1 || at.y >= height)
        continue;
      g_object_set_data (G_OBJECT (row), "y", GINT_TO_POINTER ((int) at.y + 100000));
      g_ptr_array_add (rows, row);
    }
  for (guint i = 0; i < rows->len; i++)
    for (guint j = i + 1; j < rows->len; j++)
      if (GPOINTER_TO_INT (g_object_get_data (rows->pdata[j], "y")) < GPOINTER_TO_INT (g_object_get_data (rows->pdata[i], "y")))
        {
          gpointer swap = rows->pdata[i];

          rows->pdata[i] = rows->pdata[j];
          rows->pdata[j] = swap;
        }
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *cell = gtk_widget_get_first_child (rows->pdata[i]);

      for (guint c = 0; cell != NULL && c < number_index; c++)
        cell = gtk_widget_get_next_sibling (cell);
      g_ptr_array_add (numbers, g_strdup (cell != NULL && wg_test_find_text (cell) != NULL ? wg_test_text_of (wg_test_find_text (cell)) : ""));
    }
  g_ptr_array_unref (rows);
  return numbers;
}

/* The text widget of the cell of @column_id in the row on screen that shows case @number. */
static GtkWidget *
cell_label (const char *number,
            const char *column_id)
{
  GtkWidget *list = wg_test_find_widget (GTK_WIDGET (queue ()), GTK_TYPE_LIST_VIEW, NULL);
  GListModel *columns = gtk_column_view_get_columns (queue ());
  guint number_index = 0, wanted_index = 0, index = 0;

  for (guint i = 0; i < g_list_model_get_n_items (columns); i++)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, i);

      if (!gtk_column_view_column_get_visible (column))
        continue;
      if (g_str_equal (gtk_column_view_column_get_id (column), "number"))
        number_index = index;
      if (g_str_equal (gtk_column_view_column_get_id (column), column_id))
        wanted_index = index;
      index++;
    }

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *cell = gtk_widget_get_first_child (row);
      GtkWidget *wanted = NULL;
      GtkWidget *label;

      if (!gtk_widget_get_child_visible (row))
        continue;
      for (guint c = 0; cell != NULL; c++, cell = gtk_widget_get_next_sibling (cell))
        {
          if (c == wanted_index)
            wanted = cell;
          if (c == number_index && ((label = wg_test_find_text (cell)) == NULL ||
                                    g_strcmp0 (wg_test_text_of (label), number) != 0))
            break;
          if (c >= number_index && c >= wanted_index && wanted != NULL)
            return wg_test_find_text (wanted);
        }
    }
  return NULL;
}

/* --- conditions ------------------------------------------------------------------------------ */

static gboolean
window_is_drawn (gpointer data)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static gboolean
page_is (gpointer data)
{
  GtkStack *pages = GTK_STACK (wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "pages"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (pages), data) == 0;
}

static gboolean
dialog_is_open (gpointer data)
{
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

  return dialog != NULL && G_TYPE_CHECK_INSTANCE_TYPE (dialog, GPOINTER_TO_SIZE (data));
}

static gboolean
no_dialog_open (gpointer data)
{
  return adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)) == NULL;
}

static gboolean
up_to_date (gpointer data)
{
  WgSyncStatus *status = wg_session_get_sync_status (wg_application_get_session (app));

  return wg_sync_status_get_state (status) == WG_SYNC_STATE_UP_TO_DATE;
}

static gboolean
queue_has (gpointer data)
{
  GListModel *list = wg_dispatch_page_get_cases (page ());

  return list != NULL && !wg_record_list_get_loading (WG_RECORD_LIST (list)) &&
         g_list_model_get_n_items (list) == GPOINTER_TO_UINT (data);
}

static gboolean
server_state_is (gpointer data)
{
  const char **pair = data;
  g_autoptr(JsonObject) record = get_case (pair[0]);

  /* Waiting on the server: ask again after a while, not in a busy loop. */
  if (g_strcmp0 (member (record, "state"), pair[1]) != 0)
    {
      wg_test_settle (200);
      return FALSE;
    }
  return TRUE;
}

static gboolean
cache_has_case (gpointer data)
{
  g_autoptr(JsonObject) record = wg_store_get_record (wg_session_get_store (wg_application_get_session (app)),
                                                      "cases", data, NULL);

  return record != NULL;
}

static gboolean
grids_offered (gpointer data)
{
  GtkDropDown *grids = GTK_DROP_DOWN (page_widget (GTK_TYPE_DROP_DOWN, "grid-filter"));

  return g_list_model_get_n_items (gtk_drop_down_get_model (grids)) == GPOINTER_TO_UINT (data);
}

static gboolean
row_shown (gpointer data)
{
  GtkWidget *label = cell_label (data, "number");

  return label != NULL && gtk_widget_get_mapped (label);
}

static gboolean
label_is (gpointer data)
{
  const char **pair = data;
  GtkWidget *label = cell_label (pair[0], pair[1]);

  return label != NULL && g_strcmp0 (wg_test_text_of (label), pair[2]) == 0;
}

static gboolean
count_label_is (gpointer data)
{
  const char **pair = data;
  GtkWidget *row = wg_test_find_widget (GTK_WIDGET (page ()), GTK_TYPE_LIST_BOX_ROW, pair[0]);
  GtkWidget *box = row != NULL ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)) : NULL;
  GtkWidget *count = box != NULL ? gtk_widget_get_next_sibling (gtk_widget_get_first_child (box)) : NULL;

  return count != NULL && g_strcmp0 (gtk_label_get_label (GTK_LABEL (count)), pair[1]) == 0;
}

static gboolean
focus_in (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && (focus == data || gtk_widget_is_ancestor (focus, data));
}

static gboolean
focus_on_button_in (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && GTK_IS_BUTTON (focus) && gtk_widget_is_ancestor (focus, data);
}

static gboolean
selected_is (gpointer data)
{
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection ());
  g_autoptr(WgRecord) record = NULL;

  if (gtk_bitset_get_size (selected) != 1)
    return FALSE;
  record = g_list_model_get_item (G_LIST_MODEL (selection ()), gtk_bitset_get_minimum (selected));
  return g_strcmp0 (wg_record_get_id (record), data) == 0;
}

static gboolean
navigation_shows (gpointer data)
{
  AdwNavigationView *navigation = ADW_NAVIGATION_VIEW (page_widget (ADW_TYPE_NAVIGATION_VIEW, NULL));
  AdwNavigationPage *visible = adw_navigation_view_get_visible_page (navigation);

  return visible != NULL && g_strcmp0 (adw_navigation_page_get_tag (visible), data) == 0;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

static gboolean
widget_unmapped (gpointer data)
{
  return !gtk_widget_get_mapped (data);
}

static gboolean
toast_shown (gpointer data)
{
  GtkWidget *overlay = wg_test_find_widget (GTK_WIDGET (window), ADW_TYPE_TOAST_OVERLAY, NULL);

  for (GtkWidget *child = overlay ? gtk_widget_get_first_child (overlay) : NULL; child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (g_str_equal (G_OBJECT_TYPE_NAME (child), "AdwToastWidget") && gtk_widget_get_mapped (child))
      return TRUE;
  return FALSE;
}

static gboolean
has_class (gpointer data)
{
  const char **pair = data;
  GtkWidget *label = cell_label (pair[0], pair[1]);

  return label != NULL && gtk_widget_has_css_class (label, pair[2]);
}

static gboolean
lacks_class (gpointer data)
{
  const char **pair = data;
  GtkWidget *label = cell_label (pair[0], pair[1]);

  return label != NULL && !has_class (data);
}

/* Whether @text is one of the ways an overdue deadline reads, with the number it has. */
static gboolean
reads_overdue (const char *text)
{
  const char *digits = text;
  int n;

  if (g_str_equal (text, g_dpgettext2 (GETTEXT_PACKAGE, "deadline", "Overdue")))
    return TRUE;
  while (*digits != '\0' && !g_ascii_isdigit (*digits))
    digits++;
  if (*digits == '\0')
    return FALSE;
  n = atoi (digits);
  {
    g_autofree char *minutes = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute overdue", "%d minutes overdue", n), n);
    g_autofree char *hours = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working hour overdue", "%d working hours overdue", n), n);
    g_autofree char *days = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day overdue", "%d working days overdue", n), n);

    return g_str_equal (text, minutes) || g_str_equal (text, hours) || g_str_equal (text, days);
  }
}

static gboolean
cache_state_is (gpointer data)
{
  const char **pair = data;
  g_autoptr(JsonObject) record = wg_store_get_record (wg_session_get_store (wg_application_get_session (app)),
                                                      "cases", pair[0], NULL);

  return record != NULL && g_strcmp0 (member (record, "state"), pair[1]) == 0;
}

static gboolean
list_has_all (gpointer data)
{
  GStrv ids = data;
  GListModel *list = wg_dispatch_page_get_cases (page ());

  if (list == NULL || wg_record_list_get_loading (WG_RECORD_LIST (list)))
    return FALSE;
  for (guint i = 0; ids[i] != NULL; i++)
    if (wg_record_list_find (WG_RECORD_LIST (list), ids[i]) == G_MAXUINT)
      return FALSE;
  return TRUE;
}

/* --- actions --------------------------------------------------------------------------------- */

static void
type_into_row (guint       index,
               const char *text)
{
  GtkWidget *pages = wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "pages");
  GtkWidget *group = wg_test_find_widget (pages, ADW_TYPE_PREFERENCES_GROUP, NULL);
  GtkWidget *row = wg_test_find_widget (group, ADW_TYPE_ENTRY_ROW, NULL);

  for (guint i = 0; i < index; i++)
    row = gtk_widget_get_next_sibling (row);
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* Where a filter drop-down offers @pair[1] (or "@pair[1] · kind"), or G_MAXUINT. */
static guint
offered_at (const char **pair)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (page_widget (GTK_TYPE_DROP_DOWN, pair[0]));
  GListModel *items = gtk_drop_down_get_model (dropdown);

  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      const char *text = gtk_string_list_get_string (GTK_STRING_LIST (items), i);

      if (g_str_equal (text, pair[1]) || (g_str_has_prefix (text, pair[1]) && g_str_has_prefix (text + strlen (pair[1]), " · ")))
        return i;
    }
  return G_MAXUINT;
}

static gboolean
offered (gpointer data)
{
  return offered_at (data) != G_MAXUINT;
}

/* Chooses the entry of a filter drop-down that reads @label, once the names are in. */
static void
choose (const char *dropdown_name,
        const char *label)
{
  const char *pair[2] = { dropdown_name, label };

  if (!wg_test_wait_for (offered, pair, 10000))
    g_error ("no “%s” in %s", label, dropdown_name);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (page_widget (GTK_TYPE_DROP_DOWN, dropdown_name)), offered_at (pair));
}

static void
clear_filters (void)
{
  gtk_widget_activate_action (GTK_WIDGET (page ()), "queue.clear-filters", NULL);
}

static void
expect_rows (guint       expected,
             const char *what)
{
  g_test_message ("%s: %u cases on the server", what, expected);
  if (!wg_test_wait_for (queue_has, GUINT_TO_POINTER (expected), 10000))
    g_error ("%s: the queue shows %u cases, the server has %u", what,
             g_list_model_get_n_items (wg_dispatch_page_get_cases (page ())), expected);
}

/* Answers the alert dialog on show by clicking its button labelled @label. */
static gboolean
dialog_button_shown (gpointer data)
{
  GtkWidget *dialog = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));

  return dialog != NULL && find_button_labelled (dialog, data) != NULL;
}

static void
answer_dialog (const char *label)
{
  GtkWidget *dialog = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  GtkWidget *button;

  g_assert_true (wg_test_wait_for (dialog_button_shown, (gpointer) label, 3000));
  wg_test_settle (200);
  button = find_button_labelled (dialog, label);
  wg_test_focus_window (GTK_WIDGET (window));
  wg_test_click_widget (button);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
}

static void
start_app (void)
{
  g_autoptr(GError) error = NULL;

  app = wg_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  /* The first run's application has left the bus: this one is the primary instance. */
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (app));
  window = WG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (wg_test_wait_for (window_is_drawn, NULL, 5000));
  wg_test_focus_window (GTK_WIDGET (window));
}

static gboolean
app_has_no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

static void
quit_app (void)
{
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_q);
  g_assert_true (wg_test_wait_for (app_has_no_windows, NULL, 5000));
  g_settings_sync ();
  window = NULL;
  g_clear_object (&app);
  wg_test_settle (200);
}

/* --- the first run --------------------------------------------------------------------------- */

static void
sign_in (void)
{
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "login", 3000));
  type_into_row (0, server->url);
  type_into_row (1, "dispatcher");
  type_into_row (2, DEMO_DISPATCHER_PASSWORD);
  wg_test_settle (100);
  WG_TEST_PRESS (XK_Return);
  /* No keyring under the test display: the sign-in is kept in a file, for the restart. */
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ALERT_DIALOG), 15000));
  answer_dialog (g_dgettext (GETTEXT_PACKAGE, "_Keep in a File"));
  g_assert_true (wg_test_wait_for (up_to_date, NULL, 90000));
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "main", 5000));
}

/* Each filter narrows the queue to what the server's data says, alone and with the others. */
static void
check_filters (void)
{
  g_autofree char *village = most_common ("village_id", NULL, NULL);
  g_autofree char *grid = most_common ("grid_id", "village_id", village);
  g_autofree char *category = most_common ("category_id", NULL, NULL);
  g_autofree char *assignee = most_common ("assignee", NULL, NULL);
  g_autoptr(GPtrArray) grids = fetch_all ("grids");
  g_autoptr(GDateTime) today = local_midnight (0);
  g_autoptr(GDateTime) tomorrow = local_midnight (1);
  g_autoptr(GDateTime) week = local_midnight (-6);
  g_autoptr(GDateTime) month = local_midnight (-29);
  g_autoptr(GDateTime) from = local_midnight (-10);
  g_autoptr(GDateTime) to = local_midnight (-3);
  g_autoptr(GDateTime) until = local_midnight (-2);
  const char *assignee_kind = NULL;
  guint village_grids = 0;

  wg_dispatch_page_set_view (page (), "all");
  expect_rows (count_matching (&(Expect) { 0 }), "all cases");

  choose ("village-filter", name_of_record ("org_units", village));
  expect_rows (count_matching (&(Expect) { .village = village }), "village");

  /* The grid filter offers the chosen village's grids only. */
  for (guint i = 0; i < grids->len; i++)
    village_grids += g_strcmp0 (member (grids->pdata[i], "village_id"), village) == 0;
  g_assert_true (wg_test_wait_for (grids_offered, GUINT_TO_POINTER (village_grids + 1), 10000));
  choose ("grid-filter", name_of_record ("grids", grid));
  expect_rows (count_matching (&(Expect) { .village = village, .grid = grid }), "village and grid");
  clear_filters ();

  choose ("category-filter", name_of_record ("categories", category));
  expect_rows (count_matching (&(Expect) { .category = category }), "category");
  clear_filters ();

  choose ("urgency-filter", wg_label_urgency ("high"));
  expect_rows (count_matching (&(Expect) { .urgency = "high" }), "urgency");
  clear_filters ();

  choose ("source-filter", wg_label_source ("citizen"));
  expect_rows (count_matching (&(Expect) { .source = "citizen" }), "source");
  clear_filters ();

  for (guint i = 0; i < cases->len; i++)
    if (g_strcmp0 (assignee_of (cases->pdata[i]), assignee) == 0)
      assignee_kind = member (json_node_get_object (json_object_get_member (cases->pdata[i], "assignee")), "kind");
  choose ("assignee-filter", name_of_record (g_strcmp0 (assignee_kind, "team") == 0 || g_strcmp0 (assignee_kind, "department") == 0 ? "teams"
                                             : g_strcmp0 (assignee_kind, "village") == 0 ? "org_units"
                                             : g_strcmp0 (assignee_kind, "grid") == 0 ? "grids" : "people", assignee));
  expect_rows (count_matching (&(Expect) { .assignee = assignee }), "assignee");
  clear_filters ();

  {
    GtkDropDown *dates = GTK_DROP_DOWN (page_widget (GTK_TYPE_DROP_DOWN, "date-filter"));
    GtkWidget *from_button = page_widget (GTK_TYPE_MENU_BUTTON, "from-button");
    GtkWidget *to_button = page_widget (GTK_TYPE_MENU_BUTTON, "to-button");
    GtkCalendar *from_calendar = GTK_CALENDAR (wg_test_find_widget (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (from_button))),
                                                                    GTK_TYPE_CALENDAR, NULL));
    GtkCalendar *to_calendar = GTK_CALENDAR (wg_test_find_widget (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (to_button))),
                                                                  GTK_TYPE_CALENDAR, NULL));

    gtk_drop_down_set_selected (dates, WG_DATE_RANGE_TODAY);
    expect_rows (count_matching (&(Expect) { .from = today, .until = tomorrow }), "reported today");
    gtk_drop_down_set_selected (dates, WG_DATE_RANGE_LAST_7_DAYS);
    expect_rows (count_matching (&(Expect) { .from = week, .until = tomorrow }), "reported in the last 7 days");
    gtk_drop_down_set_selected (dates, WG_DATE_RANGE_LAST_30_DAYS);
    expect_rows (count_matching (&(Expect) { .from = month, .until = tomorrow }), "reported in the last 30 days");

    /* A custom range, chosen on the calendars: ten days ago to three days ago, inclusive. */
    gtk_drop_down_set_selected (dates, WG_DATE_RANGE_CUSTOM);
    g_assert_true (gtk_widget_get_visible (gtk_widget_get_parent (from_button)));
    gtk_calendar_select_day (from_calendar, from);
    g_signal_emit_by_name (from_calendar, "day-selected");
    gtk_calendar_select_day (to_calendar, to);
    g_signal_emit_by_name (to_calendar, "day-selected");
    expect_rows (count_matching (&(Expect) { .from = from, .until = until }), "reported in a custom range");
    g_assert_nonnull (strstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (from_button)), "-"));
  }
  clear_filters ();

  /* Together, in a view of its own: the village's cases of the last 30 days still open. */
  wg_dispatch_page_set_view (page (), "all");
  choose ("village-filter", name_of_record ("org_units", village));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (page_widget (GTK_TYPE_DROP_DOWN, "date-filter")), WG_DATE_RANGE_LAST_30_DAYS);
  choose ("source-filter", wg_label_source ("grid_patrol"));
  expect_rows (count_matching (&(Expect) { .village = village, .from = month, .until = tomorrow, .source = "grid_patrol" }),
               "village, last 30 days and source");
  {
    GtkWidget *badge = page_widget (GTK_TYPE_LABEL, "filters-badge");
    GtkWidget *button = page_widget (GTK_TYPE_MENU_BUTTON, "filters-button");

    g_assert_true (gtk_widget_get_visible (badge));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (badge)), ==, "3");
    wg_test_settle (400);
    wg_test_screenshot (GTK_WIDGET (window), "queue-filters", lang);
    wg_test_click_widget (button);
    g_assert_true (wg_test_wait_for (widget_mapped, gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)), 3000));
    wg_test_settle (400);
    wg_test_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))), "queue-filters-popover", lang);
    WG_TEST_PRESS (XK_Escape);
    g_assert_true (wg_test_wait_for (widget_unmapped, gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)), 3000));
  }
  clear_filters ();
}

/* The saved view's id, from its row. */
static const char *
saved_view_id (const char *name)
{
  GtkWidget *list = page_widget (GTK_TYPE_LIST_BOX, "views-list");

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    {
      GtkWidget *box = GTK_IS_LIST_BOX_ROW (row) ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)) : NULL;

      if (box != NULL && g_str_has_prefix (gtk_widget_get_name (row), "saved-") &&
          g_strcmp0 (gtk_label_get_label (GTK_LABEL (gtk_widget_get_first_child (box))), name) == 0)
        return gtk_widget_get_name (row);
    }
  return NULL;
}

static gboolean
saved_view_exists (gpointer data)
{
  return saved_view_id (data) != NULL;
}

static gboolean
saved_view_gone (gpointer data)
{
  return saved_view_id (data) == NULL;
}

static void
name_view (const char *action,
           GVariant   *target,
           const char *name)
{
  GtkWidget *dialog;
  GtkWidget *entry;

  gtk_widget_activate_action_variant (GTK_WIDGET (page ()), action, target);
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ALERT_DIALOG), 3000));
  dialog = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  entry = wg_test_find_widget (dialog, GTK_TYPE_ENTRY, "view-name");
  g_assert_nonnull (entry);
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), name);
  wg_test_settle (400);
  if (g_str_equal (action, "queue.save-view") && g_str_equal (name, SAVED_VIEW_NAME))
    wg_test_screenshot (GTK_WIDGET (window), "queue-save-view", lang);
  WG_TEST_PRESS (XK_Return);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
}

/* A filter set kept under a name shows in the views with its count, can be renamed and
 * deleted. The one left is checked again after the restart. */
static void
check_saved_views (void)
{
  g_autofree char *village = most_common ("village_id", NULL, NULL);
  g_autoptr(GDateTime) week = local_midnight (-6);
  g_autoptr(GDateTime) tomorrow = local_midnight (1);
  g_autofree char *count = NULL;
  const char *pair[2];

  wg_dispatch_page_set_view (page (), "all");
  choose ("village-filter", name_of_record ("org_units", village));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (page_widget (GTK_TYPE_DROP_DOWN, "date-filter")), WG_DATE_RANGE_LAST_7_DAYS);
  expect_rows (count_matching (&(Expect) { .village = village, .from = week, .until = tomorrow }), "the view to save");

  name_view ("queue.save-view", NULL, SAVED_VIEW_NAME);
  g_assert_true (wg_test_wait_for (saved_view_exists, (gpointer) SAVED_VIEW_NAME, 3000));
  g_assert_cmpstr (wg_dispatch_page_get_view (page ()), ==, saved_view_id (SAVED_VIEW_NAME));
  count = g_strdup_printf ("%u", count_matching (&(Expect) { .village = village, .from = week, .until = tomorrow }));
  pair[0] = saved_view_id (SAVED_VIEW_NAME);
  pair[1] = count;
  g_assert_true (wg_test_wait_for (count_label_is, pair, 5000));

  /* Another view, narrowing "new" by source, then away: choosing the saved view brings its
   * filters back. */
  clear_filters ();
  wg_dispatch_page_set_view (page (), "all");
  choose ("source-filter", wg_label_source ("hotline_12345"));
  name_view ("queue.save-view", NULL, "热线");
  g_assert_true (wg_test_wait_for (saved_view_exists, (gpointer) "热线", 3000));
  clear_filters ();
  wg_dispatch_page_set_view (page (), "new");
  wg_dispatch_page_set_view (page (), saved_view_id (SAVED_VIEW_NAME));
  expect_rows (count_matching (&(Expect) { .village = village, .from = week, .until = tomorrow }), "the saved view chosen again");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (page_widget (GTK_TYPE_LABEL, "filters-badge"))), ==, "2");
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "queue-saved-views", lang);

  /* Renamed through its menu's action, the other one deleted. */
  name_view ("queue.rename-view", g_variant_new_string (saved_view_id (SAVED_VIEW_NAME)), RENAMED_VIEW_NAME);
  g_assert_true (wg_test_wait_for (saved_view_exists, (gpointer) RENAMED_VIEW_NAME, 3000));
  g_assert_null (saved_view_id (SAVED_VIEW_NAME));
  gtk_widget_activate_action_variant (GTK_WIDGET (page ()), "queue.delete-view", g_variant_new_string (saved_view_id ("热线")));
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ALERT_DIALOG), 3000));
  answer_dialog (g_dgettext (GETTEXT_PACKAGE, "_Delete"));
  g_assert_true (wg_test_wait_for (saved_view_gone, (gpointer) "热线", 3000));
  g_assert_nonnull (saved_view_id (RENAMED_VIEW_NAME));
  clear_filters ();
}

/* Headers sort in SQL, columns hide, widths change: the restart must find them so. */
static void
check_columns (void)
{
  GtkColumnViewColumn *urgency = column_by_id ("urgency");
  GtkWidget *header = NULL;
  g_autoptr(WgRecord) first = NULL;
  g_autoptr(WgRecord) last = NULL;
  GListModel *list;

  wg_dispatch_page_set_view (page (), "all");
  expect_rows (cases->len, "all cases");

  /* A real click on the urgency header: most urgent first. */
  {
    GtkWidget *headers = gtk_widget_get_first_child (GTK_WIDGET (queue ()));

    /* The header row's cells, in column order; the urgency column is the first. */
    for (GtkWidget *cell = gtk_widget_get_first_child (headers); cell != NULL; cell = gtk_widget_get_next_sibling (cell))
      if (wg_test_find_widget (cell, GTK_TYPE_LABEL, NULL) != NULL &&
          g_strcmp0 (gtk_label_get_label (GTK_LABEL (wg_test_find_widget (cell, GTK_TYPE_LABEL, NULL))),
                     gtk_column_view_column_get_title (urgency)) == 0)
        header = cell;
  }
  g_assert_nonnull (header);
  wg_test_click_widget (header);
  wg_test_settle (500);
  list = wg_dispatch_page_get_cases (page ());
  g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (cases->len), 5000));
  first = g_list_model_get_item (list, 0);
  last = g_list_model_get_item (list, g_list_model_get_n_items (list) - 1);
  g_assert_cmpstr (wg_record_get_string (first, "urgency"), ==, "urgent");
  g_assert_cmpstr (wg_record_get_string (last, "urgency"), ==, "low");
  g_assert_cmpstr (gtk_column_view_column_get_id (gtk_column_view_sorter_get_primary_sort_column (GTK_COLUMN_VIEW_SORTER (gtk_column_view_get_sorter (queue ())))),
                   ==, "urgency");

  /* Source hidden from the columns menu's action, the title wider. */
  gtk_widget_activate_action (GTK_WIDGET (page ()), "columns.source", NULL);
  g_assert_false (gtk_column_view_column_get_visible (column_by_id ("source")));
  gtk_column_view_column_set_fixed_width (column_by_id ("title"), TITLE_WIDTH);
  wg_test_settle (800);
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
    g_auto(GStrv) shown = g_settings_get_strv (settings, "queue-columns");
    g_autofree char *sort = g_settings_get_string (settings, "queue-sort");

    g_assert_false (g_strv_contains ((const char * const *) shown, "source"));
    g_assert_true (g_strv_contains ((const char * const *) shown, "title"));
    g_assert_cmpstr (sort, ==, "urgency");
    g_assert_false (g_settings_get_boolean (settings, "queue-sort-descending"));
  }
}

/* The countdown counts working minutes and moves as the clock passes a minute; overdue
 * shows in words and in red. Both cases are real, their deadlines the server's. */
static void
check_countdown (void)
{
  g_autoptr(WgWorkingCalendar) calendar = wg_working_calendar_new ();
  g_autoptr(GTimeZone) beijing = g_time_zone_new_identifier ("Asia/Shanghai");
  g_autoptr(GDateTime) now = g_date_time_new_now (beijing);
  g_autoptr(GDateTime) day = g_date_time_add_days (now, 1);
  g_autoptr(GDateTime) deadline = NULL;
  g_autoptr(GDateTime) past = g_date_time_add_hours (now, -3);
  g_autofree char *team = NULL;
  g_autofree char *soon = report_case ("倒计时测试：路灯不亮");
  g_autofree char *late = report_case ("超期测试：井盖缺失");
  g_autofree char *body = NULL;
  g_autofree char *soon_number = NULL;
  g_autofree char *late_number = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *past_text = NULL;
  g_autoptr(GDateTime) clock = NULL;
  const char *check[3];

  {
    g_autoptr(GPtrArray) teams = fetch_all ("teams");

    team = g_strdup (member (teams->pdata[0], "id"));
  }

  /* The next working day, 11:00 in Beijing: its morning is working time. */
  while (!wg_working_calendar_is_working_day (calendar, g_date_time_get_year (day), g_date_time_get_month (day),
                                              g_date_time_get_day_of_month (day)))
    {
      GDateTime *next = g_date_time_add_days (day, 1);

      g_date_time_unref (day);
      day = next;
    }
  deadline = g_date_time_new (beijing, g_date_time_get_year (day), g_date_time_get_month (day),
                              g_date_time_get_day_of_month (day), 11, 0, 0);
  {
    g_autofree char *due = g_date_time_format (deadline, "%Y-%m-%dT%H:%M:%S%:z");
    g_autofree char *was = g_date_time_format (past, "%Y-%m-%dT%H:%M:%S%:z");

    body = g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"},\"deadline\":\"%s\"}", team, due);
    server_action (soon, "dispatch", body);
    g_free (body);
    body = g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"},\"deadline\":\"%s\"}", team, was);
    server_action (late, "dispatch", body);
  }
  {
    g_autoptr(JsonObject) a = get_case (soon);
    g_autoptr(JsonObject) b = get_case (late);

    soon_number = g_strdup (member (a, "number"));
    late_number = g_strdup (member (b, "number"));
  }
  g_assert_true (wg_test_wait_for (cache_has_case, late, 10000));

  /* Overdue: at least three hours ago, in working time at least a minute, in red. */
  wg_dispatch_page_set_view (page (), "dispatched");
  gtk_editable_set_text (GTK_EDITABLE (page_widget (GTK_TYPE_SEARCH_ENTRY, "queue-search")), late_number);
  expect_rows (1, "the late case");
  check[0] = late_number;
  check[1] = "deadline";
  check[2] = "error";
  g_assert_true (wg_test_wait_for (has_class, check, 5000));
  past_text = g_strdup (wg_test_text_of (cell_label (late_number, "deadline")));
  g_test_message ("overdue: %s", past_text);
  g_assert_true (reads_overdue (past_text));

  /* The queue's clock set to 10:29:50 that morning: 30 working minutes left, approaching. */
  clock = g_date_time_add_seconds (deadline, -(30 * 60 + 10));
  {
    g_autoptr(GDateTime) real = g_date_time_new_now_utc ();

    wg_case_views_set_clock_offset (g_date_time_difference (clock, real));
  }
  gtk_editable_set_text (GTK_EDITABLE (page_widget (GTK_TYPE_SEARCH_ENTRY, "queue-search")), soon_number);
  expect_rows (1, "the case due soon");
  before = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left", "%d minutes left", 30), 30);
  after = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute left", "%d minutes left", 29), 29);
  check[0] = soon_number;
  check[1] = "deadline";
  check[2] = before;
  /* Drawn by the page for the new search, on the queue's clock. */
  g_assert_true (wg_test_wait_for (label_is, check, 8000));
  /* The minute passes on the queue's clock; the cell changes without the list reloading. */
  check[2] = after;
  g_assert_true (wg_test_wait_for (label_is, check, 80000));
  check[2] = "warning";
  g_assert_true (has_class (check));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "queue-countdown", lang);

  wg_case_views_set_clock_offset (0);
  gtk_editable_set_text (GTK_EDITABLE (page_widget (GTK_TYPE_SEARCH_ENTRY, "queue-search")), "");
}

/* A case reported while the dispatcher looks further down: the rows on screen stay, the
 * selection stays on its case, and at the top the new case shows, pointed out. */
static void
check_new_case (void)
{
  GtkAdjustment *vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (queue ()));
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *selected = NULL;
  g_autofree char *fresh = NULL;
  g_autofree char *number = NULL;
  guint n;
  const char *check[3];

  /* Newest first again, in all cases. */
  gtk_column_view_sort_by_column (queue (), column_by_id ("reported"), GTK_SORT_DESCENDING);
  wg_dispatch_page_set_view (page (), "all");
  n = cases->len;
  expect_rows (n, "all cases, newest first");
  gtk_column_view_scroll_to (queue (), 20, NULL, GTK_LIST_SCROLL_SELECT, NULL);
  wg_test_settle (300);
  gtk_adjustment_set_value (vadjustment, gtk_adjustment_get_value (vadjustment) + 7);
  wg_test_settle (300);
  {
    g_autoptr(WgRecord) record = g_list_model_get_item (wg_dispatch_page_get_cases (page ()), 20);

    selected = g_strdup (wg_record_get_id (record));
  }
  g_assert_true (selected_is (selected));
  before = visible_numbers ();
  g_assert_cmpuint (before->len, >, 5);
  g_test_message ("first row on screen: %s", (char *) before->pdata[0]);

  fresh = report_case ("新上报：路面塌陷");
  {
    g_autoptr(JsonObject) record = get_case (fresh);

    number = g_strdup (member (record, "number"));
  }
  /* Within a second of the server having it (the live channel), with some slack for load. */
  g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (n + 1), 5000));
  wg_test_settle (300);
  after = visible_numbers ();
  g_assert_cmpstr (after->pdata[0], ==, before->pdata[0]);
  g_assert_cmpstr (after->pdata[1], ==, before->pdata[1]);
  g_assert_true (selected_is (selected));
  {
    g_autoptr(WgRecord) top = g_list_model_get_item (wg_dispatch_page_get_cases (page ()), 0);

    g_assert_cmpstr (wg_record_get_id (top), ==, fresh);
  }

  /* At the top the next one comes into view, marked, and the mark goes. */
  gtk_adjustment_set_value (vadjustment, 0);
  wg_test_settle (300);
  g_free (fresh);
  fresh = report_case ("新上报：供水管道破裂");
  {
    g_autoptr(JsonObject) record = get_case (fresh);

    g_free (number);
    number = g_strdup (member (record, "number"));
  }
  g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (n + 2), 5000));
  check[0] = number;
  check[1] = "title";
  check[2] = "fresh";
  g_assert_true (wg_test_wait_for (has_class, check, 3000));
  g_clear_pointer (&after, g_ptr_array_unref);
  after = visible_numbers ();
  g_assert_cmpstr (after->pdata[0], ==, number);
  wg_test_screenshot (GTK_WIDGET (window), "queue-new-case", lang);
  g_assert_true (wg_test_wait_for (lacks_class, check, 10000));
}

/* Cases still being handled whose deadline is before @limit: what "Overdue" counts then. */
static guint
count_overdue_at (GDateTime *limit)
{
  static const char * const open[] = { "reported", "accepted", "dispatched", "claimed", "in_progress", NULL };
  guint n = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      JsonObject *c = cases->pdata[i];
      g_autoptr(GDateTime) deadline = member (c, "deadline") != NULL
                                      ? g_date_time_new_from_iso8601 (member (c, "deadline"), NULL) : NULL;

      if (deadline != NULL && g_strv_contains (open, member (c, "state")) && g_date_time_compare (deadline, limit) < 0)
        n++;
    }
  return n;
}

static gboolean
list_holds (gpointer data)
{
  GListModel *list = wg_dispatch_page_get_cases (page ());

  return !wg_record_list_get_loading (WG_RECORD_LIST (list)) &&
         wg_record_list_find (WG_RECORD_LIST (list), data) != G_MAXUINT;
}

static gboolean
list_loaded (gpointer data)
{
  return !wg_record_list_get_loading (WG_RECORD_LIST (wg_dispatch_page_get_cases (page ())));
}

static gboolean
window_inactive (gpointer data)
{
  return !gtk_window_is_active (GTK_WINDOW (window));
}

/* The notification with @data ("ID\tTITLE"), whatever its body. */
static gboolean
notified (gpointer data)
{
  GPtrArray *sent = wg_test_notifications ();
  g_autofree char *prefix = g_strconcat (data, "\t", NULL);

  for (guint i = 0; i < sent->len; i++)
    if (g_str_has_prefix (sent->pdata[i], prefix))
      return TRUE;
  return FALSE;
}

/* The dispatcher in another application: an urgent report and a case whose deadline passes
 * are told on the desktop, and the late case joins "Overdue" as the minute turns, pointed out,
 * though nothing changed on the server. */
static void
check_notifications (void)
{
  g_autoptr(GDateTime) real = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) minute = g_date_time_new_utc (g_date_time_get_year (real), g_date_time_get_month (real),
                                                      g_date_time_get_day_of_month (real),
                                                      g_date_time_get_hour (real), g_date_time_get_minute (real), 0);
  /* The deadline a minute or two ahead on the hour's minute: few demo deadlines fall between. */
  g_autoptr(GDateTime) deadline = g_date_time_add_minutes (minute, 2);
  g_autoptr(GDateTime) after = g_date_time_add_seconds (deadline, 1);
  g_autoptr(GDateTime) clock = g_date_time_add_seconds (deadline, -4);
  g_autofree char *late = report_case ("超期提醒测试：垃圾未清运");
  g_autofree char *urgent = NULL;
  g_autofree char *body = NULL;
  g_autofree char *late_number = NULL;
  g_autofree char *late_title = NULL;
  g_autofree char *urgent_title = NULL;
  g_autofree char *expected = NULL;
  const char *pair[2];
  const char *check[3];

  {
    g_autoptr(GPtrArray) teams = fetch_all ("teams");
    g_autofree char *due = g_date_time_format (deadline, "%Y-%m-%dT%H:%M:%SZ");

    body = g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"},\"deadline\":\"%s\"}",
                            member (teams->pdata[0], "id"), due);
    server_action (late, "dispatch", body);
  }
  pair[0] = late;
  pair[1] = "dispatched";
  g_assert_true (wg_test_wait_for (cache_state_is, pair, 10000));
  {
    g_autoptr(JsonObject) record = get_case (late);

    late_number = g_strdup (member (record, "number"));
  }

  /* Four seconds before the deadline on the queue's clock: not in "Overdue" yet. */
  {
    g_autoptr(GDateTime) at = g_date_time_new_now_utc ();

    wg_case_views_set_clock_offset (g_date_time_difference (clock, at));
  }
  wg_dispatch_page_set_view (page (), "overdue");
  gtk_editable_set_text (GTK_EDITABLE (page_widget (GTK_TYPE_SEARCH_ENTRY, "queue-search")), "");
  wg_test_settle (300);
  g_assert_true (wg_test_wait_for (list_loaded, NULL, 5000));
  g_assert_false (list_holds (late));

  /* In another application: the window has lost the keyboard. */
  wg_test_unfocus_windows ();
  g_assert_true (wg_test_wait_for (window_inactive, NULL, 3000));

  /* An urgent report from the hotline, told at once. */
  {
    g_autofree char *category = most_common ("category_id", NULL, NULL);
    g_autofree char *grid = most_common ("grid_id", NULL, NULL);
    g_autofree char *report = g_strdup_printf ("{\"source\":\"hotline_12345\",\"title\":\"紧急：燃气泄漏\",\"description\":\"测试\","
                                               "\"category_id\":\"%s\",\"grid_id\":\"%s\",\"address\":\"马街镇\",\"urgency\":\"urgent\"}",
                                               category, grid);
    g_autoptr(JsonObject) record = NULL;
    g_autofree char *title = NULL;

    urgent = wg_test_server_create (server, "/api/v1/cases", report);
    record = get_case (urgent);
    g_assert_cmpstr (member (record, "urgency"), ==, "urgent");
    title = g_strdup_printf (_("Urgent Case %s"), member (record, "number"));
    urgent_title = g_strconcat ("case-", urgent, "\t", title, NULL);
  }
  g_assert_true (wg_test_wait_for (notified, urgent_title, 5000));

  /* The minute turns: the late case is in "Overdue", pointed out, counted, and told. */
  g_assert_true (wg_test_wait_for (list_holds, late, 15000));
  check[0] = late_number;
  check[1] = "title";
  check[2] = "fresh";
  g_assert_true (wg_test_wait_for (has_class, check, 3000));
  {
    g_autofree char *title = g_strdup_printf (_("Case %s Is Overdue"), late_number);

    late_title = g_strconcat ("overdue-", late, "\t", title, NULL);
  }
  g_assert_true (wg_test_wait_for (notified, late_title, 5000));
  refresh_cases ();
  expected = g_strdup_printf ("%'u", count_overdue_at (after));
  pair[0] = "overdue";
  pair[1] = expected;
  g_assert_true (wg_test_wait_for (count_label_is, pair, 5000));
  wg_test_screenshot (GTK_WIDGET (window), "queue-overdue-joins", lang);

  wg_case_views_set_clock_offset (0);
  wg_test_focus_window (GTK_WIDGET (window));
}

/* j, k, Enter and Escape: move, open with the focus on the first action, come back. */
static void
check_keyboard (void)
{
  GtkWidget *detail = page_widget (GTK_TYPE_BOX, "case-detail");
  g_autoptr(WgRecord) first = NULL;
  g_autoptr(WgRecord) second = NULL;
  GListModel *list;

  wg_dispatch_page_set_view (page (), "new");
  list = wg_dispatch_page_get_cases (page ());
  refresh_cases ();
  expect_rows (count_matching (&(Expect) { .state = "reported" }), "new cases");
  g_assert_cmpuint (g_list_model_get_n_items (list), >=, 2);
  first = g_list_model_get_item (list, 0);
  second = g_list_model_get_item (list, 1);

  /* A click on the first case: selected, and the keyboard in the queue. */
  wg_test_focus_window (GTK_WIDGET (window));
  gtk_column_view_scroll_to (queue (), 0, NULL, GTK_LIST_SCROLL_NONE, NULL);
  g_assert_true (wg_test_wait_for (row_shown, (gpointer) wg_record_get_string (first, "number"), 3000));
  wg_test_click_widget (cell_label (wg_record_get_string (first, "number"), "number"));
  g_assert_true (wg_test_wait_for (selected_is, (gpointer) wg_record_get_id (first), 2000));
  g_assert_true (wg_test_wait_for (focus_in, queue (), 2000));

  WG_TEST_PRESS (XK_j);
  g_assert_true (wg_test_wait_for (selected_is, (gpointer) wg_record_get_id (second), 2000));
  WG_TEST_PRESS (XK_k);
  g_assert_true (wg_test_wait_for (selected_is, (gpointer) wg_record_get_id (first), 2000));
  WG_TEST_PRESS (XK_Down);
  g_assert_true (wg_test_wait_for (selected_is, (gpointer) wg_record_get_id (second), 2000));
  WG_TEST_PRESS (XK_Up);
  g_assert_true (wg_test_wait_for (selected_is, (gpointer) wg_record_get_id (first), 2000));

  WG_TEST_PRESS (XK_Return);
  g_assert_true (wg_test_wait_for (focus_on_button_in, detail, 3000));
  g_test_message ("Enter focused “%s”", gtk_button_get_label (GTK_BUTTON (gtk_root_get_focus (GTK_ROOT (window)))));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (focus_in, queue (), 3000));
  g_assert_true (selected_is ((gpointer) wg_record_get_id (first)));
}

static gboolean
bulk_bar_shown (gpointer data)
{
  return gtk_revealer_get_child_revealed (GTK_REVEALER (page_widget (GTK_TYPE_REVEALER, NULL))) ||
         gtk_widget_get_mapped (page_widget (GTK_TYPE_BUTTON, "bulk-accept"));
}

/* Selects the cases with these ids, and only them. */
static void
select_cases (GStrv ids)
{
  GListModel *list = wg_dispatch_page_get_cases (page ());

  gtk_selection_model_unselect_all (selection ());
  for (guint i = 0; ids[i] != NULL; i++)
    {
      guint position = wg_record_list_find (WG_RECORD_LIST (list), ids[i]);

      g_assert_cmpuint (position, !=, G_MAXUINT);
      gtk_selection_model_select_item (selection (), position, FALSE);
    }
}

/* Three cases accepted at once, then dispatched at once to one team: each reaches the server
 * through the outbox. A case whose state does not allow the action is skipped, and said so. */
static void
check_bulk (void)
{
  g_auto(GStrv) ids = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  GtkWidget *bar_label = page_widget (GTK_TYPE_LABEL, "bulk-label");
  g_autofree char *expected = NULL;
  g_autofree char *closed = NULL;
  g_autofree char *team = NULL;
  g_autofree char *team_id = NULL;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *title = g_strdup_printf ("批量受理测试 %u", i + 1);

      g_strv_builder_add (builder, report_case (title));
    }
  ids = g_strv_builder_end (builder);
  for (guint i = 0; ids[i] != NULL; i++)
    g_assert_true (wg_test_wait_for (cache_has_case, ids[i], 10000));

  wg_dispatch_page_set_view (page (), "new");
  g_assert_true (wg_test_wait_for (list_has_all, ids, 5000));
  select_cases (ids);
  g_assert_true (wg_test_wait_for (bulk_bar_shown, NULL, 3000));
  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d selected", "%d selected", 3), 3);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (bar_label)), ==, expected);
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "queue-bulk", lang);

  wg_test_click_widget (page_widget (GTK_TYPE_BUTTON, "bulk-accept"));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *pair[2] = { ids[i], "accepted" };

      g_assert_true (wg_test_wait_for (server_state_is, pair, 20000));
      /* And back in the cache, so the next action is taken on the version the server has. */
      g_assert_true (wg_test_wait_for (cache_state_is, pair, 10000));
    }
  g_assert_true (wg_test_wait_for (toast_shown, NULL, 3000));

  /* In "to dispatch" with a closed case beside them: that one is skipped. */
  for (guint i = 0; i < cases->len && closed == NULL; i++)
    if (g_strcmp0 (member (cases->pdata[i], "state"), "closed") == 0)
      closed = g_strdup (member (cases->pdata[i], "id"));
  g_assert_nonnull (closed);
  {
    g_autoptr(GPtrArray) teams = fetch_all ("teams");

    team = g_strdup (member (teams->pdata[1], "name"));
    team_id = g_strdup (member (teams->pdata[1], "id"));
  }
  wg_dispatch_page_set_view (page (), "all");
  {
    g_autoptr(GStrvBuilder) with_closed = g_strv_builder_new ();
    g_auto(GStrv) all = NULL;

    g_strv_builder_addv (with_closed, (const char **) ids);
    g_strv_builder_add (with_closed, closed);
    all = g_strv_builder_end (with_closed);
    g_assert_true (wg_test_wait_for (list_has_all, all, 5000));
    select_cases (all);
  }
  g_assert_true (wg_test_wait_for (bulk_bar_shown, NULL, 3000));
  wg_test_click_widget (page_widget (GTK_TYPE_BUTTON, "bulk-dispatch"));
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (WG_TYPE_DISPATCH_DIALOG), 3000));
  {
    GtkWidget *picker = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
    GtkWidget *search = wg_test_find_widget (picker, GTK_TYPE_SEARCH_ENTRY, NULL);

    gtk_editable_set_text (GTK_EDITABLE (search), team);
    wg_test_settle (500);
    gtk_widget_grab_focus (search);
    WG_TEST_PRESS (XK_Return);
  }
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
  for (guint i = 0; ids[i] != NULL; i++)
    {
      const char *pair[2] = { ids[i], "dispatched" };
      g_autoptr(JsonObject) record = NULL;

      g_assert_true (wg_test_wait_for (server_state_is, pair, 20000));
      record = get_case (ids[i]);
      g_assert_cmpstr (assignee_of (record), ==, team_id);
    }
  {
    g_autoptr(JsonObject) record = get_case (closed);

    g_assert_cmpstr (member (record, "state"), ==, "closed");
  }
  g_assert_true (wg_test_wait_for (toast_shown, NULL, 3000));
  gtk_widget_activate_action (GTK_WIDGET (page ()), "queue.unselect-all", NULL);
}

/* Narrow: the case is a page of its own, pushed over the queue, with a way back. */
static void
check_narrow (void)
{
  GtkWidget *revealer = wg_test_find_widget (GTK_WIDGET (page ()), GTK_TYPE_REVEALER, NULL);
  GtkWidget *detail = page_widget (GTK_TYPE_BOX, "case-detail");
  g_autoptr(WgRecord) first = NULL;

  (void) revealer;
  wg_dispatch_page_set_view (page (), "new");
  wg_test_settle (300);
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 760);
  /* The window's sections fold into a list first: Dispatch from there. */
  g_assert_true (wg_test_wait_for (widget_mapped, wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW, "dispatch"), 3000));
  wg_test_settle (300);
  wg_test_click_widget (wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW, "dispatch"));
  if (!wg_test_wait_for (widget_mapped, page_widget (GTK_TYPE_DROP_DOWN, NULL), 3000))
    {
      wg_test_screenshot (GTK_WIDGET (window), "debug-narrow", lang);
      g_error ("window %d page %d dropdown %s", gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_width (GTK_WIDGET (page ())),
             gtk_widget_get_name (page_widget (GTK_TYPE_DROP_DOWN, NULL)));
    }
  wg_test_settle (500);
  wg_test_screenshot (GTK_WIDGET (window), "queue-narrow", lang);

  first = g_list_model_get_item (wg_dispatch_page_get_cases (page ()), 0);
  wg_test_focus_window (GTK_WIDGET (window));
  /* The keyboard on the first case, without opening it. */
  gtk_widget_grab_focus (GTK_WIDGET (queue ()));
  WG_TEST_PRESS (XK_Home);
  g_assert_true (wg_test_wait_for (selected_is, (gpointer) wg_record_get_id (first), 2000));
  g_assert_true (wg_test_wait_for (focus_in, queue (), 2000));
  g_assert_true (navigation_shows ((gpointer) "queue"));
  WG_TEST_PRESS (XK_Return);
  g_assert_true (wg_test_wait_for (navigation_shows, (gpointer) "detail", 3000));
  g_assert_true (wg_test_wait_for (widget_mapped, detail, 3000));
  g_assert_true (wg_test_wait_for (focus_on_button_in, detail, 3000));
  wg_test_settle (500);
  wg_test_screenshot (GTK_WIDGET (window), "queue-narrow-detail", lang);
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (navigation_shows, (gpointer) "queue", 3000));
  g_assert_true (wg_test_wait_for (focus_in, queue (), 3000));

  /* A click on a case opens it too, as a tap would. */
  {
    GtkWidget *cell = cell_label (wg_record_get_string (first, "number"), "number");

    g_assert_nonnull (cell);
    wg_test_click_widget (cell);
    g_assert_true (wg_test_wait_for (navigation_shows, (gpointer) "detail", 3000));
    wg_test_click_widget (page_widget (GTK_TYPE_BUTTON, "detail-back"));
    g_assert_true (wg_test_wait_for (navigation_shows, (gpointer) "queue", 3000));
  }

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  wg_test_settle (500);
}

/* The server of the whole test, started by the parent process. */
static void
connect_server (void)
{
  server = g_new0 (WgTestServer, 1);
  server->url = g_strdup (g_getenv ("WG_QUEUE_SERVER_URL"));
  server->admin_token = g_strdup (g_getenv ("WG_QUEUE_ADMIN_TOKEN"));
  server->session = soup_session_new_with_options ("timeout", 30, NULL);
  g_assert_nonnull (server->url);
}

static void
disconnect_server (void)
{
  g_clear_object (&server->session);
  g_clear_pointer (&server->url, g_free);
  g_clear_pointer (&server->admin_token, g_free);
  g_clear_pointer (&server, g_free);
}

static void
test_first_run (void)
{
  if (!g_test_subprocess ())
    {
      g_test_skip ("runs in a process of its own, from /queue/restart-keeps");
      return;
    }

  connect_server ();
  refresh_cases ();
  g_test_message ("%u cases on the demo server", cases->len);

  wg_test_notifications_watch ();
  start_app ();
  sign_in ();
  g_assert_cmpstr (wg_window_get_section (window), ==, "dispatch");

  check_filters ();
  check_saved_views ();
  check_columns ();
  check_countdown ();
  refresh_cases ();
  check_new_case ();
  check_notifications ();
  refresh_cases ();
  check_keyboard ();
  check_bulk ();
  check_narrow ();

  /* The sort the restart should find: by urgency, most urgent first. */
  gtk_column_view_sort_by_column (queue (), column_by_id ("urgency"), GTK_SORT_ASCENDING);
  wg_test_settle (300);
  quit_app ();

  disconnect_server ();
  g_clear_pointer (&cases, g_ptr_array_unref);
}

/* The two runs of the application, each in a process of its own that ends as a person's
 * would: the second is a restart with the first one's data folder and settings. */
static void
test_restart_keeps (void)
{
  if (g_test_subprocess ())
    return;

  server = start_demo_server ();
  g_setenv ("WG_QUEUE_SERVER_URL", server->url, TRUE);
  g_setenv ("WG_QUEUE_ADMIN_TOKEN", server->admin_token, TRUE);

  g_test_trap_subprocess ("/queue/first-run", 400 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR | G_TEST_SUBPROCESS_INHERIT_STDOUT);
  g_test_trap_assert_passed ();
  g_test_trap_subprocess ("/queue/restart", 150 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();

  g_clear_pointer (&server, wg_test_server_free);
}

/* --- the restart ----------------------------------------------------------------------------- */

static void
test_restart (void)
{
  g_autoptr(GDateTime) week = local_midnight (-6);
  g_autoptr(GDateTime) tomorrow = local_midnight (1);
  g_autofree char *village = NULL;
  g_autofree char *count = NULL;
  const char *pair[2];

  if (!g_test_subprocess ())
    {
      g_test_skip ("runs in a process of its own, from /queue/restart-keeps");
      return;
    }

  /* The server of the first run, still serving. */
  connect_server ();
  refresh_cases ();

  /* Signed in from the kept token, with the cache of the first run. */
  start_app ();
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "main", 20000));
  g_assert_true (wg_test_wait_for (up_to_date, NULL, 30000));

  /* The saved view, renamed, with its count now. */
  g_assert_true (wg_test_wait_for (saved_view_exists, (gpointer) RENAMED_VIEW_NAME, 5000));
  g_assert_null (saved_view_id ("热线"));
  village = most_common ("village_id", NULL, NULL);
  count = g_strdup_printf ("%u", count_matching (&(Expect) { .village = village, .from = week, .until = tomorrow }));
  pair[0] = saved_view_id (RENAMED_VIEW_NAME);
  pair[1] = count;
  g_assert_true (wg_test_wait_for (count_label_is, pair, 10000));
  wg_dispatch_page_set_view (page (), saved_view_id (RENAMED_VIEW_NAME));
  expect_rows (count_matching (&(Expect) { .village = village, .from = week, .until = tomorrow }), "the saved view after a restart");

  /* The columns as they were left: source hidden, the title wider, sorted by urgency. */
  g_assert_false (gtk_column_view_column_get_visible (column_by_id ("source")));
  g_assert_true (gtk_column_view_column_get_visible (column_by_id ("title")));
  g_assert_cmpint (gtk_column_view_column_get_fixed_width (column_by_id ("title")), ==, TITLE_WIDTH);
  {
    GtkColumnViewSorter *sorter = GTK_COLUMN_VIEW_SORTER (gtk_column_view_get_sorter (queue ()));
    GListModel *list = wg_dispatch_page_get_cases (page ());
    g_autoptr(WgRecord) first = NULL;

    g_assert_cmpstr (gtk_column_view_column_get_id (gtk_column_view_sorter_get_primary_sort_column (sorter)), ==, "urgency");
    g_assert_cmpint (gtk_column_view_sorter_get_primary_sort_order (sorter), ==, GTK_SORT_ASCENDING);
    wg_dispatch_page_set_view (page (), "all");
    expect_rows (cases->len, "all cases after a restart");
    first = g_list_model_get_item (list, 0);
    g_assert_cmpstr (wg_record_get_string (first, "urgency"), ==, "urgent");
  }
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "queue-restart", lang);

  quit_app ();
  disconnect_server ();
  g_clear_pointer (&cases, g_ptr_array_unref);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("WANGGE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  if (g_getenv ("LANGUAGE") != NULL)
    lang = g_getenv ("LANGUAGE");

  g_test_init (&argc, &argv, NULL);

  /* A first start: no cache, no settings, no kept sign-in from an earlier run. */
  if (!g_test_subprocess ())
    {
      if (g_getenv ("XDG_DATA_HOME") != NULL)
        wg_test_remove_tree (g_getenv ("XDG_DATA_HOME"));
      if (g_getenv ("XDG_CONFIG_HOME") != NULL)
        wg_test_remove_tree (g_getenv ("XDG_CONFIG_HOME"));
    }

  g_test_add_func ("/queue/restart-keeps", test_restart_keeps);
  g_test_add_func ("/queue/first-run", test_first_run);
  g_test_add_func ("/queue/restart", test_restart);

  return g_test_run ();
}
