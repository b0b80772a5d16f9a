/* test-actions.c — every case action from the dispatch page, by keyboard, against the real server
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application under the headless display, signed in to a real wangge-server on
 * loopback. Each action is taken by its shortcut (XTest key presses, as a person makes them)
 * with the focus in the queue or the detail; its dialog is checked to refuse incomplete input;
 * what reaches the server is read back through the server's API. One action is taken with
 * the server down: it stays pending and is applied exactly once when the server is back. A
 * case taken by phone reaches the server, its place marked by a click on the dialog's map. The
 * dialogs are saved as screenshots.
 *
 * The tests run in order and share the application: each starts where the last one ended.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <X11/keysym.h>

#include "wg-action-dialog.h"
#include "wg-application.h"
#include "wg-case-detail.h"
#include "wg-case-map.h"
#include "wg-deadline-group.h"
#include "wg-dispatch-dialog.h"
#include "wg-dispatch-page.h"
#include "wg-merge-dialog.h"
#include "wg-new-case-dialog.h"
#include "wg-record-list.h"
#include "wg-test-server.h"
#include "wg-test-ui.h"
#include "wg-window.h"

#define N_CASES 12

static WgApplication *app;
static WgWindow *window;
static char *lang;
static WgTestServer *server;
static GPtrArray *case_ids;
static char *admin_token;
static char *team_id;

/* --- looking things up ----------------------------------------------------------------------- */

static WgDispatchPage *
dispatch_page (void)
{
  return WG_DISPATCH_PAGE (wg_test_find_widget (GTK_WIDGET (window), WG_TYPE_DISPATCH_PAGE, "dispatch-page"));
}

static GtkColumnView *
queue (void)
{
  return GTK_COLUMN_VIEW (wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_COLUMN_VIEW, "case-queue"));
}

static WgCaseDetail *
detail (void)
{
  return WG_CASE_DETAIL (wg_test_find_widget (GTK_WIDGET (dispatch_page ()), WG_TYPE_CASE_DETAIL, NULL));
}

static GtkWidget *
detail_button (const char *action)
{
  return wg_test_find_widget (GTK_WIDGET (detail ()), GTK_TYPE_BUTTON, action);
}

static AdwDialog *
visible_dialog (void)
{
  return adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));
}

static WgStore *
store (void)
{
  return wg_session_get_store (wg_application_get_session (app));
}

static const char *
case_id (guint i)
{
  return case_ids->pdata[i];
}

/* --- the server's side ----------------------------------------------------------------------- */

static JsonObject *
server_case (const char *id)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s", id);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = wg_test_server_call (server, admin_token, "GET", path, NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  return json_object_ref (json_node_get_object (reply));
}

/* The last entry of the case's timeline on the server. */
static JsonObject *
server_last_step (const char *id)
{
  g_autoptr(JsonObject) record = server_case (id);
  JsonArray *timeline = json_object_get_array_member (record, "timeline");

  return json_object_ref (json_array_get_object_element (timeline, json_array_get_length (timeline) - 1));
}

static guint
server_count_steps (const char *id,
                    const char *action)
{
  g_autoptr(JsonObject) record = server_case (id);
  JsonArray *timeline = json_object_get_array_member (record, "timeline");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (timeline); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (timeline, i), "action"), action) == 0)
      n++;
  return n;
}

/* The case with @title on the server, or NULL. */
static JsonObject *
server_find_title (const char *title)
{
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *items;
  guint status = 0;

  reply = wg_test_server_call (server, admin_token, "GET", "/api/v1/cases?limit=500", NULL, &status);
  g_assert_cmpuint (status, ==, 200);
  items = json_object_get_array_member (json_node_get_object (reply), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (items, i), "title"), title) == 0)
      return json_object_ref (json_array_get_object_element (items, i));
  return NULL;
}

static gboolean
server_has_title (gpointer data)
{
  g_autoptr(JsonObject) found = server_find_title (data);

  wg_test_settle (50);
  return found != NULL;
}

/* An action taken by someone else, straight on the server (as the administrator). */
static void
server_action (const char *id,
               const char *action,
               const char *body)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/actions/%s", id, action);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = wg_test_server_call (server, admin_token, "POST", path, body, &status);
  if (status != 200)
    g_error ("%s on %s → %u: %s", action, id, status, json_to_string (reply, FALSE));
}

/* --- conditions ------------------------------------------------------------------------------ */

static gboolean
window_is_drawn (gpointer data)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static gboolean
window_is_narrow (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (window)) <= GPOINTER_TO_INT (data);
}

static gboolean
window_is_wide (gpointer data)
{
  return gtk_widget_get_width (GTK_WIDGET (window)) >= GPOINTER_TO_INT (data);
}

static gboolean
dialog_is_open (gpointer data)
{
  AdwDialog *dialog = visible_dialog ();

  return dialog != NULL && G_TYPE_CHECK_INSTANCE_TYPE (dialog, GPOINTER_TO_SIZE (data)) &&
         gtk_widget_get_mapped (GTK_WIDGET (dialog));
}

static gboolean
no_dialog_open (gpointer data)
{
  return visible_dialog () == NULL;
}

static gboolean
page_is (gpointer data)
{
  GtkStack *pages = GTK_STACK (wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "pages"));

  return g_strcmp0 (gtk_stack_get_visible_child_name (pages), data) == 0;
}

static gboolean
sync_up_to_date (gpointer data)
{
  WgSyncStatus *status = wg_session_get_sync_status (wg_application_get_session (app));

  return wg_sync_status_get_state (status) == WG_SYNC_STATE_UP_TO_DATE;
}

static gboolean
sync_offline (gpointer data)
{
  WgSyncStatus *status = wg_session_get_sync_status (wg_application_get_session (app));

  return wg_sync_status_get_state (status) == WG_SYNC_STATE_OFFLINE;
}

/* The case has @state as the server confirmed it, and nothing waits in the outbox. */
static gboolean
settled_as (gpointer data)
{
  const char **pair = data;
  g_autoptr(JsonObject) record = wg_store_get_record (store (), "cases", pair[0], NULL);

  return record != NULL && g_strcmp0 (json_object_get_string_member (record, "state"), pair[1]) == 0 &&
         wg_store_count_outbox (store (), NULL) == 0;
}

static gint64
local_version (const char *id)
{
  g_autoptr(JsonObject) record = wg_store_get_record (store (), "cases", id, NULL);

  return record != NULL ? json_object_get_int_member (record, "version") : 0;
}

typedef struct
{
  const char *id;
  gint64      version;
} Since;

/* The server confirmed an action on the case after @version, and nothing waits. */
static gboolean
changed_since (gpointer data)
{
  Since *since = data;

  return local_version (since->id) > since->version && wg_store_count_outbox (store (), NULL) == 0;
}

/* The detail shows the case, and can act on it (not waiting for an earlier action). */
static gboolean
detail_shows (gpointer data)
{
  WgRecord *record = wg_case_detail_get_record (detail ());

  return record != NULL && g_strcmp0 (wg_record_get_id (record), data) == 0 && !wg_record_get_pending (record) &&
         wg_record_get_version (record) == local_version (data) &&
         gtk_widget_get_mapped (GTK_WIDGET (detail ())) &&
         wg_test_find_widget (GTK_WIDGET (detail ()), GTK_TYPE_WIDGET, "case-actions") != NULL;
}

static gboolean
detail_is_pending (gpointer data)
{
  WgRecord *record = wg_case_detail_get_record (detail ());

  return record != NULL && g_strcmp0 (wg_record_get_id (record), data) == 0 && wg_record_get_pending (record);
}

/* The queue shows the case as waiting for the server. */
static gboolean
queue_shows_pending (gpointer data)
{
  GListModel *cases = wg_dispatch_page_get_cases (dispatch_page ());

  for (guint i = 0; cases != NULL && i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(WgRecord) record = g_list_model_get_item (cases, i);

      if (g_strcmp0 (wg_record_get_id (record), data) == 0)
        return wg_record_get_pending (record);
    }
  return FALSE;
}

static gboolean
in_queue (gpointer data)
{
  GListModel *cases = wg_dispatch_page_get_cases (dispatch_page ());

  for (guint i = 0; cases != NULL && i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(WgRecord) record = g_list_model_get_item (cases, i);

      if (g_strcmp0 (wg_record_get_id (record), data) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
not_in_queue (gpointer data)
{
  return !in_queue (data);
}

/* The keyboard focus is on the dispatch page's queue or in the case detail: never lost. */
static gboolean
focus_in_queue_or_detail (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL &&
         (gtk_widget_is_ancestor (focus, GTK_WIDGET (queue ())) || gtk_widget_is_ancestor (focus, GTK_WIDGET (detail ())));
}

static gboolean
focus_in_queue (gpointer data)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

  return focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (queue ()));
}

static gboolean
list_has_rows (gpointer data)
{
  GtkWidget *list = data;
  guint n = 0;

  for (GtkWidget *row = gtk_widget_get_first_child (list); row != NULL; row = gtk_widget_get_next_sibling (row))
    n++;
  return n == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (list), "want"));
}

static gboolean
popover_open (gpointer data)
{
  GtkPopover *popover = gtk_menu_button_get_popover (data);

  return popover != NULL && gtk_widget_get_mapped (GTK_WIDGET (popover));
}

static void
assert_focus_kept (void)
{
  GtkWidget *focus;

  if (wg_test_wait_for (focus_in_queue_or_detail, NULL, 3000))
    return;
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_error ("The focus is lost: on %s “%s”, in %s",
           focus != NULL ? G_OBJECT_TYPE_NAME (focus) : "nothing", focus != NULL ? gtk_widget_get_name (focus) : "",
           focus != NULL && gtk_widget_get_parent (focus) != NULL ? G_OBJECT_TYPE_NAME (gtk_widget_get_parent (focus)) : "-");
}

/* --- doing things ---------------------------------------------------------------------------- */

/* Selects the case in the queue's view @view and puts the focus on its row. The queue drops
 * its selection when the selected case changes (a reload after an action), so this tries
 * again until the detail shows the case as the cache has it now. */
static void
select_in_view (const char *id,
                const char *view)
{
  wg_dispatch_page_set_view (dispatch_page (), view);
  g_assert_true (wg_test_wait_for (in_queue, (gpointer) id, 10000));
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      GListModel *cases = wg_dispatch_page_get_cases (dispatch_page ());

      for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
        {
          g_autoptr(WgRecord) record = g_list_model_get_item (cases, i);

          if (g_strcmp0 (wg_record_get_id (record), id) == 0)
            {
              /* scroll_to () moves the focus only when the queue has it already */
              gtk_widget_grab_focus (GTK_WIDGET (queue ()));
              gtk_column_view_scroll_to (queue (), i, NULL, GTK_LIST_SCROLL_SELECT | GTK_LIST_SCROLL_FOCUS, NULL);
              break;
            }
        }
      if (wg_test_wait_for (detail_shows, (gpointer) id, 1000))
        {
          wg_test_settle (100);
          if (detail_shows ((gpointer) id))
            break;
        }
    }
  g_assert_true (detail_shows ((gpointer) id));
  g_assert_true (wg_test_wait_for (focus_in_queue, NULL, 3000));
}

/* Shows a case that waits for the server in the detail. */
static void
select_pending (const char *id)
{
  GListModel *cases = wg_dispatch_page_get_cases (dispatch_page ());

  for (guint i = 0; i < g_list_model_get_n_items (cases); i++)
    {
      g_autoptr(WgRecord) record = g_list_model_get_item (cases, i);

      if (g_strcmp0 (wg_record_get_id (record), id) == 0)
        wg_test_select_row (queue (), i);
    }
  g_assert_true (wg_test_wait_for (detail_is_pending, (gpointer) id, 5000));
}

static void
select_case (const char *id)
{
  select_in_view (id, "all");
}

static void
wait_settled (const char *id,
              const char *state)
{
  const char *pair[2] = { id, state };

  g_assert_true (wg_test_wait_for (settled_as, pair, 20000));
}

static AdwDialog *
wait_dialog (GType type)
{
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (type), 5000));
  wg_test_settle (150);
  return visible_dialog ();
}

static GtkWidget *
dialog_child (GType       type,
              const char *name)
{
  GtkWidget *child = wg_test_find_widget (GTK_WIDGET (visible_dialog ()), type, name);

  g_assert_nonnull (child);
  return child;
}

static gboolean
confirm_enabled (void)
{
  return gtk_widget_get_sensitive (dialog_child (GTK_TYPE_BUTTON, "confirm"));
}

/* Types into an entry of the dialog (the text is Chinese: XTest cannot type it) and leaves the
 * cursor there, so Return is pressed where a person would. */
static void
fill (GtkWidget  *entry,
      const char *text)
{
  gtk_widget_grab_focus (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  wg_test_settle (50);
}

static void
press_return_in_dialog (void)
{
  WG_TEST_PRESS (XK_Return);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 5000));
}

/* The sign-in rows in order: 0 server, 1 user name, 2 password. */
static void
type_into_row (guint       index,
               const char *text)
{
  GtkWidget *pages = wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "pages");
  GtkWidget *group = wg_test_find_widget (pages, ADW_TYPE_PREFERENCES_GROUP, NULL);
  GtkWidget *row = wg_test_find_widget (group, ADW_TYPE_ENTRY_ROW, NULL);

  for (guint i = 0; i < index; i++)
    row = gtk_widget_get_next_sibling (row);
  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static void
sign_in (const char *username,
         const char *password)
{
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "login", 5000));
  type_into_row (0, server->url);
  type_into_row (1, username);
  type_into_row (2, password);
  wg_test_settle (100);
  WG_TEST_PRESS (XK_Return);
  /* No keyring under the test display: Wangge offers a private file, declined here. */
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ALERT_DIALOG), 10000));
  wg_test_settle (400);
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
  g_assert_true (wg_test_wait_for (sync_up_to_date, NULL, 20000));
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "main", 5000));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.section", "s", "dispatch");
  wg_test_focus_window (GTK_WIDGET (window));
}

/* --- the tests ------------------------------------------------------------------------------- */

static void
test_start (void)
{
  g_autofree char *body = NULL;

  server = wg_test_server_new ();
  wg_test_server_start (server);
  case_ids = g_ptr_array_new_with_free_func (g_free);
  wg_test_server_seed (server, 4, N_CASES, case_ids);
  admin_token = wg_test_server_login (server, "admin", WG_TEST_ADMIN_PASSWORD);
  team_id = wg_test_server_create (server, "/api/v1/teams", "{\"name\":\"便民服务队\",\"kind\":\"service_team\"}");
  g_free (wg_test_server_create (server, "/api/v1/teams", "{\"name\":\"安监站\",\"kind\":\"department\"}"));

  app = wg_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (app));
  window = WG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (wg_test_wait_for (window_is_drawn, NULL, 5000));
  wg_test_focus_window (GTK_WIDGET (window));

  sign_in ("dispatcher", WG_TEST_DISPATCHER_PASSWORD);
  for (guint i = 0; i < N_CASES; i++)
    g_assert_true (wg_test_wait_for (in_queue, (gpointer) case_id (i), 10000));
}

/* Accept by Alt+A with the focus on the queue: the case leaves "New", the focus stays in the
 * queue. Typing in the search takes no action. */
static void
test_accept (void)
{
  GtkWidget *search = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_SEARCH_ENTRY, "queue-search");
  const char *id = case_id (0);

  select_in_view (id, "new");
  g_assert_nonnull (detail_button ("accept"));
  g_assert_nonnull (detail_button ("dispatch"));
  g_assert_nonnull (detail_button ("reject"));
  /* a dispatcher neither claims, starts nor resolves */
  g_assert_null (detail_button ("claim"));
  g_assert_null (detail_button ("resolve"));
  g_assert_true (gtk_widget_has_css_class (detail_button ("accept"), "suggested-action"));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "actions-detail", lang);

  /* The "More" menu holds the rest, with their shortcuts. */
  {
    GtkWidget *more = wg_test_find_widget (GTK_WIDGET (detail ()), GTK_TYPE_MENU_BUTTON, "more-actions");

    g_assert_nonnull (more);
    gtk_menu_button_popup (GTK_MENU_BUTTON (more));
    g_assert_true (wg_test_wait_for (popover_open, more, 3000));
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (more))), "actions-more", lang);
    gtk_menu_button_popdown (GTK_MENU_BUTTON (more));
    wg_test_settle (100);
  }

  /* Letters typed in the search are a search, not a shortcut. */
  gtk_widget_grab_focus (search);
  WG_TEST_PRESS (XK_a);
  wg_test_settle (300);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "a");
  g_assert_cmpuint (wg_store_count_outbox (store (), NULL), ==, 0);
  gtk_editable_set_text (GTK_EDITABLE (search), "");
  g_assert_true (wg_test_wait_for (in_queue, (gpointer) id, 5000));

  select_in_view (id, "new");
  WG_TEST_PRESS (XK_Alt_L, XK_a);
  wait_settled (id, "accepted");
  g_assert_true (wg_test_wait_for (not_in_queue, (gpointer) id, 5000));
  assert_focus_kept ();
  g_assert_true (focus_in_queue (NULL));
  {
    g_autoptr(JsonObject) step = server_last_step (id);

    g_assert_cmpstr (json_object_get_string_member (step, "action"), ==, "accept");
    g_assert_cmpstr (json_object_get_string_member (step, "actor_name"), ==, "值班调度员");
  }
}

/* Reject by Alt+J: a reason is required; Escape cancels, Enter confirms. */
static void
test_reject (void)
{
  const char *id = case_id (1);
  GtkWidget *text;

  /* Escape leaves the case as it was. */
  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_j);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  g_assert_false (confirm_enabled ());
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
  wg_test_settle (200);
  g_assert_cmpuint (wg_store_count_outbox (store (), NULL), ==, 0);
  assert_focus_kept ();

  WG_TEST_PRESS (XK_Alt_L, XK_j);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  text = dialog_child (ADW_TYPE_ENTRY_ROW, "action-text");
  /* Enter with nothing typed does nothing; spaces are nothing. */
  fill (text, "   ");
  g_assert_false (confirm_enabled ());
  g_assert_true (gtk_widget_get_visible (dialog_child (GTK_TYPE_LABEL, "action-hint")));
  WG_TEST_PRESS (XK_Return);
  wg_test_settle (300);
  g_assert_true (dialog_is_open (GSIZE_TO_POINTER (WG_TYPE_ACTION_DIALOG)));
  fill (text, "不属于本镇管辖范围");
  g_assert_true (confirm_enabled ());
  wg_test_settle (200);
  wg_test_screenshot (GTK_WIDGET (window), "actions-reject", lang);
  press_return_in_dialog ();
  wait_settled (id, "rejected");
  assert_focus_kept ();
  {
    g_autoptr(JsonObject) record = server_case (id);
    g_autoptr(JsonObject) step = server_last_step (id);

    g_assert_cmpstr (json_object_get_string_member (record, "rejected_reason"), ==, "不属于本镇管辖范围");
    g_assert_cmpstr (json_object_get_string_member (step, "note"), ==, "不属于本镇管辖范围");
    /* Enter took it once */
    g_assert_cmpuint (server_count_steps (id, "reject"), ==, 1);
  }
}

/* Merge by Alt+M into another open case, found by its number; never itself, never a
 * closed one. */
static void
test_merge (void)
{
  const char *id = case_id (3);
  const char *into = case_id (2);
  g_autoptr(JsonObject) target = server_case (into);
  GtkWidget *list;
  GtkWidget *search;

  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_m);
  wait_dialog (WG_TYPE_MERGE_DIALOG);
  list = dialog_child (GTK_TYPE_LIST_BOX, "merge-targets");
  /* Open cases but this one and the rejected one: N_CASES - 2. */
  g_object_set_data (G_OBJECT (list), "want", GUINT_TO_POINTER (N_CASES - 2));
  g_assert_true (wg_test_wait_for (list_has_rows, list, 5000));
  g_assert_null (wg_test_find_widget (list, GTK_TYPE_LIST_BOX_ROW, id));
  g_assert_null (wg_test_find_widget (list, GTK_TYPE_LIST_BOX_ROW, case_id (1)));
  g_assert_nonnull (wg_test_find_widget (list, GTK_TYPE_LIST_BOX_ROW, into));

  search = dialog_child (GTK_TYPE_SEARCH_ENTRY, "merge-search");
  fill (search, json_object_get_string_member (target, "number"));
  g_object_set_data (G_OBJECT (list), "want", GUINT_TO_POINTER (1));
  g_assert_true (wg_test_wait_for (list_has_rows, list, 5000));
  g_assert_nonnull (wg_test_find_widget (list, GTK_TYPE_LIST_BOX_ROW, into));
  g_assert_true (confirm_enabled ());
  wg_test_settle (200);
  wg_test_screenshot (GTK_WIDGET (window), "actions-merge", lang);
  press_return_in_dialog ();
  wait_settled (id, "merged");
  {
    g_autoptr(JsonObject) record = server_case (id);
    g_autoptr(JsonObject) step = server_last_step (into);

    g_assert_cmpstr (json_object_get_string_member (record, "merged_into"), ==, into);
    /* the surviving case tells the story too */
    g_assert_cmpstr (json_object_get_string_member (step, "action"), ==, "comment");
  }
  assert_focus_kept ();
}

/* Dispatch by Alt+D: the deadline is proposed from the category (3 working days), a past one
 * is refused, a chosen one is what the server keeps. */
static void
test_dispatch (void)
{
  const char *id = case_id (4);
  g_autoptr(WgWorkingCalendar) calendar = wg_deadline_load_calendar (store ());
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) expected = wg_working_calendar_add_minutes (calendar, now, 3 * WG_WORKING_MINUTES_PER_DAY);
  g_autoptr(GTimeZone) beijing = g_time_zone_new_offset (8 * 3600);
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) yesterday_here = g_date_time_to_timezone (yesterday, beijing);
  g_autoptr(GDateTime) expected_here = g_date_time_to_timezone (expected, beijing);
  g_autoptr(GDateTime) chosen = NULL;
  g_autoptr(GDateTime) kept = NULL;
  WgDeadlineGroup *deadline;
  GtkWidget *search;

  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_d);
  wait_dialog (WG_TYPE_DISPATCH_DIALOG);
  deadline = WG_DEADLINE_GROUP (dialog_child (WG_TYPE_DEADLINE_GROUP, NULL));
  g_assert_true (wg_deadline_group_get_valid (deadline));
  g_assert_cmpint (ABS (g_date_time_difference (wg_deadline_group_get_deadline (deadline), expected)), <, 2 * G_TIME_SPAN_MINUTE);

  /* A day in the past: refused, in words. */
  gtk_calendar_select_day (GTK_CALENDAR (dialog_child (GTK_TYPE_CALENDAR, "deadline-calendar")), yesterday_here);
  g_assert_false (wg_deadline_group_get_valid (deadline));
  g_assert_false (confirm_enabled ());
  g_assert_true (gtk_widget_has_css_class (dialog_child (GTK_TYPE_LABEL, "deadline-message"), "error"));
  WG_TEST_PRESS (XK_Return);
  wg_test_settle (300);
  g_assert_true (dialog_is_open (GSIZE_TO_POINTER (WG_TYPE_DISPATCH_DIALOG)));

  /* Back to the proposal's day, at 16:30. */
  gtk_calendar_select_day (GTK_CALENDAR (dialog_child (GTK_TYPE_CALENDAR, "deadline-calendar")), expected_here);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dialog_child (GTK_TYPE_SPIN_BUTTON, "deadline-hour")), 16);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (dialog_child (GTK_TYPE_SPIN_BUTTON, "deadline-minute")), 30);
  g_assert_true (wg_deadline_group_get_valid (deadline));
  chosen = g_date_time_ref (wg_deadline_group_get_deadline (deadline));
  g_assert_cmpint (g_date_time_get_hour (chosen), ==, 16);
  g_assert_cmpint (g_date_time_get_minute (chosen), ==, 30);

  /* Typed to find: the team, by part of its name. */
  search = dialog_child (GTK_TYPE_SEARCH_ENTRY, "target-search");
  fill (search, "便民");
  wg_test_settle (400);
  g_assert_true (confirm_enabled ());
  wg_test_screenshot (GTK_WIDGET (window), "actions-dispatch", lang);
  gtk_widget_grab_focus (search);
  press_return_in_dialog ();
  wait_settled (id, "dispatched");
  {
    g_autoptr(JsonObject) record = server_case (id);
    JsonObject *assignee = json_object_get_object_member (record, "assignee");

    g_assert_cmpuint (server_count_steps (id, "dispatch"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (assignee, "kind"), ==, "team");
    g_assert_cmpstr (json_object_get_string_member (assignee, "id"), ==, team_id);
    kept = g_date_time_new_from_iso8601 (json_object_get_string_member (record, "deadline"), NULL);
    g_assert_nonnull (kept);
    g_assert_true (g_date_time_equal (kept, chosen));
  }
  assert_focus_kept ();

  /* Alt+L (claim) is not the dispatcher's: nothing happens. */
  select_case (id);
  g_assert_null (detail_button ("claim"));
  WG_TEST_PRESS (XK_Alt_L, XK_l);
  wg_test_settle (300);
  g_assert_cmpuint (wg_store_count_outbox (store (), NULL), ==, 0);
  g_assert_null (visible_dialog ());
}

/* Supervise by Alt+U: the notice comes written and can be changed, not emptied. */
static void
test_supervise (void)
{
  const char *id = case_id (4);
  Since since = { id, 0 };
  GtkWidget *text;

  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_u);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  text = dialog_child (ADW_TYPE_ENTRY_ROW, "action-text");
  g_assert_true (confirm_enabled ());
  fill (text, "");
  g_assert_false (confirm_enabled ());
  fill (text, "请今日内到场处理并回复");
  since.version = local_version (id);
  press_return_in_dialog ();
  g_assert_true (wg_test_wait_for (changed_since, &since, 20000));
  {
    g_autoptr(JsonObject) record = server_case (id);
    g_autoptr(JsonObject) step = server_last_step (id);

    g_assert_cmpint (json_object_get_int_member (record, "supervise_count"), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (step, "action"), ==, "supervise");
    g_assert_cmpstr (json_object_get_string_member (step, "note"), ==, "请今日内到场处理并回复");
  }
  assert_focus_kept ();
}

/* Extend by Alt+X: a reason and a deadline later than the current one, sent as working time
 * from the current deadline. */
static void
test_extend (void)
{
  const char *id = case_id (4);
  g_autoptr(JsonObject) before = server_case (id);
  g_autoptr(GDateTime) current = g_date_time_new_from_iso8601 (json_object_get_string_member (before, "deadline"), NULL);
  g_autoptr(WgWorkingCalendar) calendar = wg_deadline_load_calendar (store ());
  g_autoptr(GDateTime) wanted = wg_working_calendar_add_minutes (calendar, current, 2 * WG_WORKING_MINUTES_PER_DAY);
  g_autoptr(GDateTime) earlier = g_date_time_add_hours (current, -1);
  g_autoptr(GDateTime) kept = NULL;
  Since since = { id, 0 };
  WgDeadlineGroup *deadline;
  GtkWidget *text;

  select_case (id);
  /* The detail's own focus: the shortcut works from there too. */
  g_assert_nonnull (detail_button ("supervise"));
  g_assert_true (gtk_widget_grab_focus (detail_button ("supervise")));
  WG_TEST_PRESS (XK_Alt_L, XK_x);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  text = dialog_child (ADW_TYPE_ENTRY_ROW, "action-text");
  deadline = WG_DEADLINE_GROUP (dialog_child (WG_TYPE_DEADLINE_GROUP, NULL));
  /* proposed: one working day more */
  g_assert_true (wg_deadline_group_get_valid (deadline));
  g_assert_cmpint (wg_deadline_group_get_added_minutes (deadline), ==, WG_WORKING_MINUTES_PER_DAY);
  g_assert_false (confirm_enabled ());   /* no reason yet */

  fill (text, "需协调供电部门更换线路");
  g_assert_true (confirm_enabled ());
  wg_deadline_group_set_deadline (deadline, earlier);
  g_assert_false (confirm_enabled ());
  g_assert_true (gtk_widget_has_css_class (dialog_child (GTK_TYPE_LABEL, "deadline-message"), "error"));
  wg_deadline_group_set_deadline (deadline, wanted);
  g_assert_true (confirm_enabled ());
  g_assert_cmpint (wg_deadline_group_get_added_minutes (deadline), >=, 2 * WG_WORKING_MINUTES_PER_DAY - 1);
  wg_test_settle (200);
  wg_test_screenshot (GTK_WIDGET (window), "actions-extend", lang);
  gtk_widget_grab_focus (text);
  since.version = local_version (id);
  press_return_in_dialog ();
  g_assert_true (wg_test_wait_for (changed_since, &since, 20000));
  assert_focus_kept ();
  {
    g_autoptr(JsonObject) record = server_case (id);
    g_autoptr(JsonObject) step = server_last_step (id);

    kept = g_date_time_new_from_iso8601 (json_object_get_string_member (record, "deadline"), NULL);
    g_assert_cmpstr (json_object_get_string_member (step, "action"), ==, "extend");
    g_assert_cmpstr (json_object_get_string_member (step, "note"), ==, "需协调供电部门更换线路");
    g_assert_cmpint (json_object_get_int_member (record, "extension_count"), ==, 1);
    /* two working days after the old deadline, to the minute */
    g_assert_cmpint (ABS (g_date_time_difference (kept, wanted)), <, G_TIME_SPAN_MINUTE);
  }
}

/* Accept by its button (a click), escalate by Alt+E, comment by Alt+N. */
static void
test_escalate_and_comment (void)
{
  const char *id = case_id (5);
  Since since = { id, 0 };
  GtkWidget *text;

  select_case (id);
  wg_test_click_widget (detail_button ("accept"));
  wait_settled (id, "accepted");
  assert_focus_kept ();

  select_case (id);

  WG_TEST_PRESS (XK_Alt_L, XK_e);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  text = dialog_child (ADW_TYPE_ENTRY_ROW, "action-text");
  g_assert_false (confirm_enabled ());
  fill (text, "涉及跨县河道，需县水务局处理");
  press_return_in_dialog ();
  wait_settled (id, "escalated");
  {
    g_autoptr(JsonObject) record = server_case (id);

    g_assert_cmpstr (json_object_get_string_member (record, "escalated_reason"), ==, "涉及跨县河道，需县水务局处理");
  }

  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_n);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  text = dialog_child (ADW_TYPE_ENTRY_ROW, "action-text");
  g_assert_false (confirm_enabled ());
  fill (text, "已电话告知报事人");
  since.version = local_version (id);
  press_return_in_dialog ();
  g_assert_true (wg_test_wait_for (changed_since, &since, 20000));
  {
    g_autoptr(JsonObject) step = server_last_step (id);

    g_assert_cmpstr (json_object_get_string_member (step, "action"), ==, "comment");
    g_assert_cmpstr (json_object_get_string_member (step, "note"), ==, "已电话告知报事人");
  }
  assert_focus_kept ();
}

/* A team does the work (straight on the server); the dispatcher reopens it (Alt+R), then
 * verifies by the suggested action (Ctrl+Return), records the call back (Alt+B) and closes
 * (Alt+C). */
static void
test_verify_rate_close (void)
{
  const char *id = case_id (6);
  Since since = { id, 0 };
  g_autofree char *assign = g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"}}", team_id);
  GtkWidget *text;

  server_action (id, "dispatch", assign);
  server_action (id, "claim", NULL);
  server_action (id, "resolve", "{\"result\":\"已更换灯泡\"}");
  wait_settled (id, "resolved");

  select_case (id);
  g_assert_nonnull (detail_button ("verify"));
  WG_TEST_PRESS (XK_Alt_L, XK_r);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  text = dialog_child (ADW_TYPE_ENTRY_ROW, "action-text");
  fill (text, "现场核查灯仍不亮");
  press_return_in_dialog ();
  wait_settled (id, "dispatched");
  {
    g_autoptr(JsonObject) record = server_case (id);

    g_assert_cmpint (json_object_get_int_member (record, "reopen_count"), ==, 1);
  }

  server_action (id, "claim", NULL);
  server_action (id, "resolve", "{\"result\":\"已更换整条线路\"}");
  wait_settled (id, "resolved");
  select_case (id);
  g_assert_true (gtk_widget_has_css_class (detail_button ("verify"), "suggested-action"));
  WG_TEST_PRESS (XK_Control_L, XK_Return);
  wait_settled (id, "verified");
  assert_focus_kept ();

  /* The call back: nothing chosen, nothing sent. */
  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_b);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  g_assert_false (confirm_enabled ());
  adw_toggle_group_set_active_name (ADW_TOGGLE_GROUP (dialog_child (ADW_TYPE_TOGGLE_GROUP, "rating")), "basically-satisfied");
  g_assert_true (confirm_enabled ());
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "action-note"), "希望以后处理快一些");
  wg_test_settle (200);
  wg_test_screenshot (GTK_WIDGET (window), "actions-rate", lang);
  since.version = local_version (id);
  press_return_in_dialog ();
  g_assert_true (wg_test_wait_for (changed_since, &since, 20000));
  {
    g_autoptr(JsonObject) record = server_case (id);
    g_autoptr(JsonObject) step = server_last_step (id);

    g_assert_cmpint (json_object_get_int_member (record, "satisfaction"), ==, 3);
    g_assert_cmpstr (json_object_get_string_member (step, "action"), ==, "rate");
    g_assert_cmpstr (json_object_get_string_member (step, "note"), ==, "希望以后处理快一些");
  }

  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_c);
  wait_settled (id, "closed");
  assert_focus_kept ();
}

/* With the server down an accept waits, shown as pending, and is applied once when the server
 * is back. */
static void
test_offline (void)
{
  const char *id = case_id (7);

  select_case (id);
  wg_test_server_kill (server);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  g_assert_true (wg_test_wait_for (sync_offline, NULL, 15000));

  WG_TEST_PRESS (XK_Alt_L, XK_a);
  g_assert_true (wg_test_wait_for (queue_shows_pending, (gpointer) id, 5000));
  g_assert_cmpuint (wg_store_count_outbox (store (), NULL), ==, 1);
  assert_focus_kept ();
  wg_test_settle (1500);
  /* still waiting, the case shown as accepted-to-be, with no action to take on it */
  g_assert_true (queue_shows_pending ((gpointer) id));
  select_pending (id);
  g_assert_null (wg_test_find_widget (GTK_WIDGET (detail ()), GTK_TYPE_WIDGET, "case-actions"));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "actions-pending", lang);

  wg_test_server_start (server);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  g_assert_true (wg_test_wait_for (sync_up_to_date, NULL, 30000));
  wait_settled (id, "accepted");
  g_assert_cmpuint (server_count_steps (id, "accept"), ==, 1);
  assert_focus_kept ();
}

/* Ctrl+N: a case taken by phone. The dialog needs a summary, the category and the grid, and
 * refuses a phone number that is not one; the case reaches the server. */
static void
test_new_case (void)
{
  AdwComboRow *category;
  AdwComboRow *grid;
  GtkWidget *phone;
  g_autoptr(JsonObject) found = NULL;

  select_case (case_id (8));
  WG_TEST_PRESS (XK_Control_L, XK_n);
  wait_dialog (WG_TYPE_NEW_CASE_DIALOG);
  g_assert_false (confirm_enabled ());
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "case-title"), "兴隆路井盖缺失");
  g_assert_false (confirm_enabled ());
  category = ADW_COMBO_ROW (dialog_child (ADW_TYPE_COMBO_ROW, "case-category"));
  grid = ADW_COMBO_ROW (dialog_child (ADW_TYPE_COMBO_ROW, "case-grid"));
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (grid)), ==, 5);   /* "not chosen" and 4 */
  adw_combo_row_set_selected (category, 1);
  adw_combo_row_set_selected (grid, 2);
  g_assert_true (confirm_enabled ());
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "case-address"), "马街镇兴隆路 18 号门口");
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "caller-name"), "李女士");
  phone = dialog_child (ADW_TYPE_ENTRY_ROW, "caller-phone");
  fill (phone, "138-abc");
  g_assert_false (confirm_enabled ());
  g_assert_true (gtk_widget_has_css_class (dialog_child (GTK_TYPE_LABEL, "new-case-hint"), "error"));
  WG_TEST_PRESS (XK_Return);
  wg_test_settle (300);
  g_assert_true (dialog_is_open (GSIZE_TO_POINTER (WG_TYPE_NEW_CASE_DIALOG)));
  fill (phone, "138 8741 2233");
  g_assert_true (confirm_enabled ());
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (dialog_child (GTK_TYPE_TEXT_VIEW, "case-description"))),
                            "路口井盖缺失，夜间行人容易踩空，请尽快处理。", -1);
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "actions-new-case", lang);
  gtk_widget_grab_focus (phone);
  press_return_in_dialog ();
  g_assert_true (wg_test_wait_for (server_has_title, (gpointer) "兴隆路井盖缺失", 20000));
  found = server_find_title ("兴隆路井盖缺失");
  g_assert_nonnull (found);
  g_assert_cmpstr (json_object_get_string_member (found, "state"), ==, "reported");
  g_assert_cmpstr (json_object_get_string_member (found, "source"), ==, "staff_on_behalf");
  g_assert_cmpstr (json_object_get_string_member (found, "address"), ==, "马街镇兴隆路 18 号门口");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (found, "reporter"), "name"), ==, "李女士");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (found, "reporter"), "phone"), ==, "138 8741 2233");
  g_assert_nonnull (json_object_get_string_member (found, "grid_id"));
  g_assert_nonnull (json_object_get_string_member (found, "village_id"));
  /* the queue has it among the new cases */
  wg_dispatch_page_set_view (dispatch_page (), "new");
  g_assert_true (wg_test_wait_for (in_queue, (gpointer) json_object_get_string_member (found, "id"), 10000));
  assert_focus_kept ();
}

/* --- the new case's map ---------------------------------------------------------------------- */

typedef struct
{
  WgCaseMap *map;
  double     lon;
  double     lat;
} MapPoint;

/* The grid's record in the cache and its boundary, by the grid drop-down's position (codes in
 * order, after "not chosen"). */
static JsonObject *
grid_by_position (guint       position,
                  WgPolygon **out_boundary)
{
  g_autoptr(GPtrArray) grids = wg_store_list_records (store (), "grids", NULL);
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();
  const char *code;

  g_assert_nonnull (grids);
  for (guint i = 0; i < grids->len; i++)
    g_ptr_array_add (codes, (gpointer) json_object_get_string_member (grids->pdata[i], "code"));
  g_ptr_array_sort_values (codes, (GCompareFunc) g_strcmp0);
  g_assert_cmpuint (position, >=, 1);
  g_assert_cmpuint (position, <=, codes->len);
  code = codes->pdata[position - 1];
  for (guint i = 0; i < grids->len; i++)
    if (g_strcmp0 (json_object_get_string_member (grids->pdata[i], "code"), code) == 0)
      {
        *out_boundary = wg_polygon_new_from_json (json_object_get_member (grids->pdata[i], "boundary"), NULL);
        g_assert_nonnull (*out_boundary);
        return json_object_ref (grids->pdata[i]);
      }
  g_assert_not_reached ();
}

/* Where the point is on the map's widget, through its viewport's projection. */
static gboolean
map_point_coords (MapPoint *point,
                  double   *out_x,
                  double   *out_y)
{
  ShumateMap *inner = wg_case_map_get_map (point->map);

  if (!gtk_widget_get_mapped (GTK_WIDGET (inner)) || gtk_widget_get_width (GTK_WIDGET (inner)) <= 0)
    return FALSE;
  shumate_viewport_location_to_widget_coords (shumate_map_get_viewport (inner), GTK_WIDGET (inner),
                                              point->lat, point->lon, out_x, out_y);
  return *out_x > 12 && *out_y > 12 &&
         *out_x < gtk_widget_get_width (GTK_WIDGET (inner)) - 12 && *out_y < gtk_widget_get_height (GTK_WIDGET (inner)) - 12;
}

static gboolean
map_shows_point (gpointer data)
{
  double x, y;

  return map_point_coords (data, &x, &y);
}

/* A real click (XTest) on the map where the point is. */
static void
click_map_at (WgCaseMap *map,
              double     lon,
              double     lat)
{
  MapPoint point = { map, lon, lat };
  double x, y;

  g_assert_true (wg_test_wait_for (map_shows_point, &point, 5000));
  wg_test_settle (200);
  g_assert_true (map_point_coords (&point, &x, &y));
  wg_test_click_at (GTK_WIDGET (wg_case_map_get_map (map)), x, y);
}

/* The dialog's page scrolled so the whole map shows. */
static void
scroll_to_map (WgCaseMap *map)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (map), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_rect_t bounds;

  g_assert_true (gtk_widget_compute_bounds (gtk_widget_get_parent (GTK_WIDGET (map)), scrolled, &bounds));
  if (bounds.origin.y + bounds.size.height > gtk_widget_get_height (scrolled))
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) +
                              bounds.origin.y + bounds.size.height - gtk_widget_get_height (scrolled) + 12);
  wg_test_settle (300);
}

static gboolean
combo_selects (gpointer data)
{
  AdwComboRow *grid = ADW_COMBO_ROW (dialog_child (ADW_TYPE_COMBO_ROW, "case-grid"));

  return adw_combo_row_get_selected (grid) == GPOINTER_TO_UINT (data);
}

static gboolean
outbox_has_one (gpointer data)
{
  return wg_store_count_outbox (store (), NULL) == 1;
}

static gboolean
map_is_marked (gpointer data)
{
  double lon, lat;

  return wg_case_map_get_location (data, &lon, &lat);
}

static gboolean
map_hint_is_error (gpointer data)
{
  return gtk_widget_has_css_class (dialog_child (GTK_TYPE_LABEL, "new-case-map-hint"), "error");
}

typedef struct
{
  WgCaseMap *map;
  WgPolygon *boundary;
} MapGrid;

/* The map centred on the grid: its middle within the middle half of the grid's bounds. */
static gboolean
map_centred_in (gpointer data)
{
  MapGrid *on = data;
  ShumateViewport *viewport = shumate_map_get_viewport (wg_case_map_get_map (on->map));
  WgBBox bbox, middle;

  wg_polygon_get_bbox (on->boundary, &bbox);
  middle = (WgBBox) { bbox.min_lon + (bbox.max_lon - bbox.min_lon) / 4, bbox.min_lat + (bbox.max_lat - bbox.min_lat) / 4,
                      bbox.max_lon - (bbox.max_lon - bbox.min_lon) / 4, bbox.max_lat - (bbox.max_lat - bbox.min_lat) / 4 };
  return wg_bbox_contains (&middle, shumate_location_get_longitude (SHUMATE_LOCATION (viewport)),
                           shumate_location_get_latitude (SHUMATE_LOCATION (viewport)));
}

/* The location in a report or a case, or FALSE. */
static gboolean
location_of (JsonObject *object,
             double     *out_lon,
             double     *out_lat)
{
  JsonNode *node = json_object_get_member (object, "location");

  return node != NULL && !JSON_NODE_HOLDS_NULL (node) && wg_point_from_json (node, out_lon, out_lat, NULL);
}

static gboolean
detail_map_has_location (gpointer data)
{
  WgCaseMap *map = WG_CASE_MAP (wg_test_find_widget (GTK_WIDGET (detail ()), WG_TYPE_CASE_MAP, "case-map"));
  double lon, lat;

  return map != NULL && wg_case_map_get_location (map, &lon, &lat) &&
         fabs (lon - ((double *) data)[0]) < 1e-6 && fabs (lat - ((double *) data)[1]) < 1e-6;
}

/* Ctrl+N, and the place marked on the dialog's map: a click in a grid chooses it and marks the
 * point; a click outside the grids says so and changes nothing; a grid chosen by name moves
 * the map there and drops a mark outside it. Filed offline, the outbox keeps the point; the
 * server's case has the grid and the point, and the detail's map shows it there. Narrow, the
 * map still fits and takes a tap. */
static void
test_new_case_map (void)
{
  g_autoptr(WgPolygon) second = NULL;
  g_autoptr(WgPolygon) third = NULL;
  g_autoptr(JsonObject) second_grid = grid_by_position (2, &second);
  g_autoptr(JsonObject) third_grid = grid_by_position (3, &third);
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(JsonObject) found = NULL;
  AdwComboRow *grid;
  WgCaseMap *map;
  GtkWidget *map_hint;
  WgBBox bbox;
  double lon, lat, clicked_lon, clicked_lat, got[2];
  const char *id;

  select_case (case_id (8));
  WG_TEST_PRESS (XK_Control_L, XK_n);
  wait_dialog (WG_TYPE_NEW_CASE_DIALOG);
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "case-title"), "幸福巷路灯杆倾斜");
  adw_combo_row_set_selected (ADW_COMBO_ROW (dialog_child (ADW_TYPE_COMBO_ROW, "case-category")), 1);
  grid = ADW_COMBO_ROW (dialog_child (ADW_TYPE_COMBO_ROW, "case-grid"));
  g_assert_cmpuint (adw_combo_row_get_selected (grid), ==, 0);
  map = WG_CASE_MAP (dialog_child (WG_TYPE_CASE_MAP, "new-case-map"));
  map_hint = dialog_child (GTK_TYPE_LABEL, "new-case-map-hint");
  g_assert_true (wg_case_map_get_pickable (map));
  /* out of the keyboard's way: the grid row does the same */
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (map)));
  g_assert_false (gtk_widget_get_can_focus (GTK_WIDGET (wg_case_map_get_map (map))));
  scroll_to_map (map);

  /* A click a third of the way into the second grid: that grid is chosen, the point marked. */
  wg_polygon_get_bbox (second, &bbox);
  lon = bbox.min_lon + (bbox.max_lon - bbox.min_lon) * 0.3;
  lat = bbox.min_lat + (bbox.max_lat - bbox.min_lat) * 0.65;
  g_assert_true (wg_polygon_contains (second, lon, lat));
  click_map_at (map, lon, lat);
  g_assert_true (wg_test_wait_for (combo_selects, GUINT_TO_POINTER (2), 5000));
  g_assert_false (map_hint_is_error (NULL));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (map_hint)), json_object_get_string_member (second_grid, "name")));
  report = wg_new_case_dialog_dup_report (WG_NEW_CASE_DIALOG (visible_dialog ()));
  g_assert_nonnull (report);
  g_assert_cmpstr (json_object_get_string_member (report, "grid_id"), ==, json_object_get_string_member (second_grid, "id"));
  g_assert_true (location_of (report, &clicked_lon, &clicked_lat));
  g_assert_true (wg_polygon_contains (second, clicked_lon, clicked_lat));
  /* where the click was, give or take a pixel or two at this zoom */
  g_test_message ("clicked %.6f, %.6f for %.6f, %.6f", clicked_lon, clicked_lat, lon, lat);
  g_assert_cmpfloat (fabs (clicked_lon - lon), <, (bbox.max_lon - bbox.min_lon) * 0.05);
  g_assert_cmpfloat (fabs (clicked_lat - lat), <, (bbox.max_lat - bbox.min_lat) * 0.05);
  g_assert_true (wg_case_map_get_location (map, &got[0], &got[1]));
  g_assert_cmpstr (wg_case_map_get_grid_id (map), ==, json_object_get_string_member (second_grid, "id"));
  g_assert_true (gtk_widget_get_visible (dialog_child (GTK_TYPE_BUTTON, "new-case-unmark")));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "actions-new-case-map", lang);

  /* A click above the grids: said so, the grid and the point stay. */
  lat = bbox.max_lat + (bbox.max_lat - bbox.min_lat) * 0.3;
  g_assert_null (wg_case_map_find_grid (map, lon, lat));
  click_map_at (map, lon, lat);
  g_assert_true (wg_test_wait_for (map_hint_is_error, NULL, 5000));
  g_assert_cmpuint (adw_combo_row_get_selected (grid), ==, 2);
  g_clear_pointer (&report, json_object_unref);
  report = wg_new_case_dialog_dup_report (WG_NEW_CASE_DIALOG (visible_dialog ()));
  g_assert_true (location_of (report, &got[0], &got[1]));
  g_assert_cmpfloat (got[0], ==, clicked_lon);
  g_assert_cmpfloat (got[1], ==, clicked_lat);
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "actions-new-case-map-outside", lang);

  /* The third grid chosen by name: the map goes there, the mark in the second is dropped. */
  {
    MapGrid on = { map, third };

    g_assert_false (map_centred_in (&on));
    adw_combo_row_set_selected (grid, 3);
    g_assert_true (wg_test_wait_for (map_centred_in, &on, 5000));
  }
  g_assert_false (map_hint_is_error (NULL));
  g_clear_pointer (&report, json_object_unref);
  report = wg_new_case_dialog_dup_report (WG_NEW_CASE_DIALOG (visible_dialog ()));
  g_assert_cmpstr (json_object_get_string_member (report, "grid_id"), ==, json_object_get_string_member (third_grid, "id"));
  g_assert_false (location_of (report, &got[0], &got[1]));
  g_assert_false (wg_case_map_get_location (map, &got[0], &got[1]));
  g_assert_false (gtk_widget_get_visible (dialog_child (GTK_TYPE_BUTTON, "new-case-unmark")));

  /* Marked again, in the third grid now in view, and filed. */
  wg_polygon_get_bbox (third, &bbox);
  lon = bbox.min_lon + (bbox.max_lon - bbox.min_lon) * 0.7;
  lat = bbox.min_lat + (bbox.max_lat - bbox.min_lat) * 0.4;
  click_map_at (map, lon, lat);
  g_assert_true (wg_test_wait_for (map_is_marked, map, 5000));
  g_assert_cmpuint (adw_combo_row_get_selected (grid), ==, 3);
  g_assert_false (map_hint_is_error (NULL));
  g_clear_pointer (&report, json_object_unref);
  report = wg_new_case_dialog_dup_report (WG_NEW_CASE_DIALOG (visible_dialog ()));
  g_assert_true (location_of (report, &clicked_lon, &clicked_lat));
  g_assert_true (wg_polygon_contains (third, clicked_lon, clicked_lat));
  g_assert_cmpfloat (fabs (clicked_lon - lon), <, (bbox.max_lon - bbox.min_lon) * 0.03);
  g_assert_cmpfloat (fabs (clicked_lat - lat), <, (bbox.max_lat - bbox.min_lat) * 0.03);

  /* Filed while the server is down: the outbox keeps the point, and the server gets it once
   * it is back. */
  wg_test_server_kill (server);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  g_assert_true (wg_test_wait_for (sync_offline, NULL, 15000));
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "case-address"), "幸福巷 6 号对面");
  press_return_in_dialog ();
  g_assert_true (wg_test_wait_for (outbox_has_one, NULL, 5000));
  {
    g_autoptr(GPtrArray) items = wg_store_list_outbox (store (), NULL);
    WgOutboxItem *item = items->pdata[0];
    g_autoptr(JsonNode) payload = json_from_string (item->payload, NULL);

    g_assert_cmpstr (item->action, ==, "create");
    g_assert_nonnull (payload);
    g_assert_true (location_of (json_node_get_object (payload), &got[0], &got[1]));
    g_assert_cmpfloat (got[0], ==, clicked_lon);
    g_assert_cmpfloat (got[1], ==, clicked_lat);
  }
  wg_test_server_start (server);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  g_assert_true (wg_test_wait_for (sync_up_to_date, NULL, 30000));
  g_assert_true (wg_test_wait_for (server_has_title, (gpointer) "幸福巷路灯杆倾斜", 20000));
  found = server_find_title ("幸福巷路灯杆倾斜");
  g_assert_cmpstr (json_object_get_string_member (found, "grid_id"), ==, json_object_get_string_member (third_grid, "id"));
  g_assert_true (location_of (found, &got[0], &got[1]));
  g_assert_true (wg_polygon_contains (third, got[0], got[1]));
  g_assert_cmpfloat (fabs (got[0] - clicked_lon), <, 1e-9);
  g_assert_cmpfloat (fabs (got[1] - clicked_lat), <, 1e-9);

  /* The detail's map shows the case at its point. */
  id = json_object_get_string_member (found, "id");
  select_in_view (id, "new");
  g_assert_true (wg_test_wait_for (detail_map_has_location, got, 10000));
  assert_focus_kept ();

  /* Narrow, the dialog is a sheet from the bottom: the map fits its width, and a tap in the
   * first grid chooses it. */
  gtk_window_set_default_size (GTK_WINDOW (window), 400, 760);
  g_assert_true (wg_test_wait_for (window_is_narrow, GINT_TO_POINTER (420), 5000));
  wg_test_settle (300);
  gtk_widget_activate_action (GTK_WIDGET (dispatch_page ()), "dispatch.new-case", NULL);
  wait_dialog (WG_TYPE_NEW_CASE_DIALOG);
  map = WG_CASE_MAP (dialog_child (WG_TYPE_CASE_MAP, "new-case-map"));
  scroll_to_map (map);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (map)), <=, 400);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (map)), >=, 280);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (map)), >=, 200);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (map)), <=, 240);
  {
    g_autoptr(WgPolygon) first = NULL;
    g_autoptr(JsonObject) first_grid = grid_by_position (1, &first);

    wg_polygon_get_bbox (first, &bbox);
    click_map_at (map, (bbox.min_lon + bbox.max_lon) / 2, (bbox.min_lat + bbox.max_lat) / 2);
    g_assert_true (wg_test_wait_for (map_is_marked, map, 5000));
    g_assert_cmpuint (adw_combo_row_get_selected (ADW_COMBO_ROW (dialog_child (ADW_TYPE_COMBO_ROW, "case-grid"))), ==, 1);
  }
  scroll_to_map (map);
  wg_test_screenshot (GTK_WIDGET (window), "actions-new-case-narrow", lang);
  adw_dialog_close (visible_dialog ());
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 5000));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_assert_true (wg_test_wait_for (window_is_wide, GINT_TO_POINTER (1000), 5000));
  wg_test_settle (300);
  g_test_message ("window back at %d px", gtk_widget_get_width (GTK_WIDGET (window)));
}

/* An administrator stands in for a team: claim (Alt+L), start (Alt+S), resolve (Alt+O, with
 * what was done), and return (Alt+T) with a reason. */
static void
test_admin (void)
{
  const char *id = case_id (9);
  const char *other = case_id (10);
  g_autofree char *assign = g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"}}", team_id);

  server_action (id, "dispatch", assign);
  server_action (other, "dispatch", assign);
  wg_session_sign_out (wg_application_get_session (app));
  sign_in ("admin", WG_TEST_ADMIN_PASSWORD);

  select_case (id);
  g_assert_nonnull (detail_button ("claim"));
  WG_TEST_PRESS (XK_Alt_L, XK_l);
  wait_settled (id, "claimed");
  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_s);
  wait_settled (id, "in_progress");
  select_case (id);
  WG_TEST_PRESS (XK_Alt_L, XK_o);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  g_assert_false (confirm_enabled ());
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "action-text"), "已修复路灯线路");
  press_return_in_dialog ();
  wait_settled (id, "resolved");
  {
    g_autoptr(JsonObject) record = server_case (id);

    g_assert_cmpstr (json_object_get_string_member (record, "result"), ==, "已修复路灯线路");
  }

  select_case (other);
  WG_TEST_PRESS (XK_Alt_L, XK_t);
  wait_dialog (WG_TYPE_ACTION_DIALOG);
  fill (dialog_child (ADW_TYPE_ENTRY_ROW, "action-text"), "不属于本队职责");
  press_return_in_dialog ();
  wait_settled (other, "accepted");
  {
    g_autoptr(JsonObject) record = server_case (other);

    g_assert_cmpstr (json_object_get_string_member (record, "returned_reason"), ==, "不属于本队职责");
  }
  assert_focus_kept ();
}

/* Every action's shortcut is in the shortcuts window (Ctrl+?). */
static void
test_shortcuts_window (void)
{
  GtkWindow *shortcuts = NULL;

  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_Shift_L, XK_slash);
  for (guint attempt = 0; attempt < 100 && shortcuts == NULL; attempt++)
    {
      GListModel *toplevels = gtk_window_get_toplevels ();

      wg_test_settle (30);
      for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
        {
          g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

          if (GTK_IS_SHORTCUTS_WINDOW (w) && gtk_widget_get_mapped (GTK_WIDGET (w)))
            shortcuts = w;
        }
    }
  g_assert_nonnull (shortcuts);
  {
    static const char * const accels[] = { "<Alt>a", "<Alt>j", "<Alt>m", "<Alt>d", "<Alt>l", "<Alt>s", "<Alt>o",
                                           "<Alt>v", "<Alt>c", "<Alt>r", "<Alt>t", "<Alt>e", "<Alt>u", "<Alt>x",
                                           "<Alt>n", "<Alt>b", "<Control>Return", "<Control>n" };

    for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
      {
        gboolean listed = FALSE;

        /* walk every shortcut of the window */
        {
          GPtrArray *stack = g_ptr_array_new ();

          g_ptr_array_add (stack, shortcuts);
          while (stack->len > 0 && !listed)
            {
              GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

              if (GTK_IS_SHORTCUTS_SHORTCUT (w))
                {
                  g_autofree char *accel = NULL;

                  g_object_get (w, "accelerator", &accel, NULL);
                  listed = g_strcmp0 (accel, accels[i]) == 0;
                }
              for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
                g_ptr_array_add (stack, c);
            }
          g_ptr_array_unref (stack);
        }
        if (!listed)
          g_error ("%s is not in the shortcuts window", accels[i]);
      }
  }
  /* They have a section of their own, "Dispatch". */
  g_object_set (shortcuts, "section-name", "dispatch", NULL);
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (shortcuts), "actions-shortcuts", lang);
  gtk_window_close (shortcuts);
}

static void
test_finish (void)
{
  gtk_window_destroy (GTK_WINDOW (window));
  window = NULL;
  g_clear_object (&app);
  g_clear_pointer (&server, wg_test_server_free);
  g_clear_pointer (&case_ids, g_ptr_array_unref);
  g_clear_pointer (&admin_token, g_free);
  g_clear_pointer (&team_id, g_free);
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

  lang = g_strdup (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "en");

  /* A first start: no cache and no saved sign-in from an earlier run. */
  if (g_getenv ("XDG_DATA_HOME") != NULL)
    wg_test_remove_tree (g_getenv ("XDG_DATA_HOME"));

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/actions/start", test_start);
  g_test_add_func ("/actions/accept", test_accept);
  g_test_add_func ("/actions/reject", test_reject);
  g_test_add_func ("/actions/merge", test_merge);
  g_test_add_func ("/actions/dispatch", test_dispatch);
  g_test_add_func ("/actions/supervise", test_supervise);
  g_test_add_func ("/actions/extend", test_extend);
  g_test_add_func ("/actions/escalate-comment", test_escalate_and_comment);
  g_test_add_func ("/actions/verify-rate-close", test_verify_rate_close);
  g_test_add_func ("/actions/offline", test_offline);
  g_test_add_func ("/actions/new-case", test_new_case);
  g_test_add_func ("/actions/new-case-map", test_new_case_map);
  g_test_add_func ("/actions/admin", test_admin);
  g_test_add_func ("/actions/shortcuts-window", test_shortcuts_window);
  g_test_add_func ("/actions/finish", test_finish);

  return g_test_run ();
}
