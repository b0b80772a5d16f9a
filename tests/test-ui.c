/* test-ui.c — the real application under a display, driven by real keyboard and mouse input
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Input goes through the X server (XTest), so the shortcuts and clicks are the ones a person
 * makes, not calls into our code. Every screen visited is saved as a PNG in
 * $WANGGE_SCREENSHOT_DIR, one set per language (LANGUAGE decides: en or zh_CN).
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <X11/keysym.h>

#include "wg-application.h"
#include "wg-dispatch-dialog.h"
#include "wg-dispatch-page.h"
#include "wg-preferences-dialog.h"
#include "wg-record-list.h"
#include "wg-test-server.h"
#include "wg-test-ui.h"
#include "wg-window.h"

static const char * const sections[] = { "map", "dispatch", "assignments", "dashboard", "tasks" };

static WgApplication *app;
static WgWindow *window;
static char *lang;
static WgTestServer *server;
static GPtrArray *case_ids;

#define IS_ZH (g_str_has_prefix (lang, "zh"))

/* --- conditions ------------------------------------------------------------------------------ */

static gboolean
window_is_drawn (gpointer data)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) &&
         gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static gboolean
section_is (gpointer data)
{
  return g_strcmp0 (wg_window_get_section (window), data) == 0;
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

static GtkWindow *
find_shortcuts_window (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) w = g_list_model_get_item (toplevels, i);

      if (g_str_equal (G_OBJECT_TYPE_NAME (w), "GtkShortcutsWindow") &&
          gtk_widget_get_mapped (GTK_WIDGET (w)))
        return w;
    }

  return NULL;
}

static gboolean
shortcuts_window_open (gpointer data)
{
  return find_shortcuts_window () != NULL;
}

static gboolean
shortcuts_window_closed (gpointer data)
{
  return find_shortcuts_window () == NULL;
}

static gboolean
widget_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_widget_get_mapped (data);
}

static gboolean
settings_string_is (gpointer data)
{
  const char **pair = data;
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
  g_autofree char *value = g_settings_get_string (settings, pair[0]);

  return g_strcmp0 (value, pair[1]) == 0;
}

static gboolean
split_view_collapsed (gpointer data)
{
  AdwNavigationSplitView *split = data;

  return adw_navigation_split_view_get_collapsed (split) == TRUE;
}

static gboolean
app_has_no_windows (gpointer data)
{
  return gtk_application_get_windows (GTK_APPLICATION (app)) == NULL;
}

/* --- widget lookup --------------------------------------------------------------------------- */

static const char *
visible_page_title (void)
{
  GtkStack *stack = GTK_STACK (wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "sections"));
  GtkWidget *child = gtk_stack_get_visible_child (stack);

  return gtk_stack_page_get_title (gtk_stack_get_page (stack, child));
}

static const char *
visible_page (void)
{
  GtkStack *pages = GTK_STACK (wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_STACK, "pages"));

  return gtk_stack_get_visible_child_name (pages);
}

static gboolean
page_is (gpointer data)
{
  return g_strcmp0 (visible_page (), data) == 0;
}

static GtkLabel *
named_label (const char *name)
{
  GtkWidget *label = wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, name);

  g_assert_nonnull (label);
  return GTK_LABEL (label);
}

static gboolean
label_shows_text (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_label_get_label (data)[0] != '\0';
}

static gboolean
sync_state_is (gpointer data)
{
  WgSyncStatus *status = wg_session_get_sync_status (wg_application_get_session (app));

  return wg_sync_status_get_state (status) == (WgSyncState) GPOINTER_TO_INT (data);
}

static gboolean
banner_revealed (gpointer data)
{
  GtkWidget *banner = wg_test_find_widget (GTK_WIDGET (window), ADW_TYPE_BANNER, NULL);

  return banner != NULL && adw_banner_get_revealed (ADW_BANNER (banner));
}

static gboolean
widget_mapped (gpointer data)
{
  return data != NULL && gtk_widget_get_mapped (data);
}

static gboolean
case_state_is (gpointer data)
{
  const char **pair = data;
  WgSession *session = wg_application_get_session (app);
  g_autoptr(JsonObject) record = wg_store_get_record (wg_session_get_store (session), "cases", pair[0], NULL);

  return record != NULL && g_strcmp0 (json_object_get_string_member (record, "state"), pair[1]) == 0;
}

static WgDispatchPage *
dispatch_page (void)
{
  return WG_DISPATCH_PAGE (wg_test_find_widget (GTK_WIDGET (window), WG_TYPE_DISPATCH_PAGE, "dispatch-page"));
}

static gboolean
case_selected (gpointer data)
{
  GtkWidget *queue = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_COLUMN_VIEW, "case-queue");
  GtkSelectionModel *selection = gtk_column_view_get_model (GTK_COLUMN_VIEW (queue));
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (selection);
  g_autoptr(WgRecord) record = NULL;

  if (gtk_bitset_get_size (selected) != 1)
    return FALSE;
  record = g_list_model_get_item (G_LIST_MODEL (selection), gtk_bitset_get_minimum (selected));
  return record != NULL && g_strcmp0 (wg_record_get_id (record), data) == 0;
}

static gboolean
queue_has (gpointer data)
{
  GListModel *cases = wg_dispatch_page_get_cases (dispatch_page ());

  return cases != NULL && g_list_model_get_n_items (cases) == GPOINTER_TO_UINT (data);
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
popover_open (gpointer data)
{
  GtkMenuButton *button = data;

  return gtk_widget_get_mapped (GTK_WIDGET (gtk_menu_button_get_popover (button)));
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

/* --- the test -------------------------------------------------------------------------------- */

static void
test_shell (void)
{
  static const guint digits[] = { XK_1, XK_2, XK_3, XK_4, XK_5 };
  AdwNavigationSplitView *split;
  GtkWidget *dialog;
  GtkWidget *row;
  GtkWindow *shortcuts;
  const char *saved[2] = { "server-url", "https://10.0.0.5:8443" };

  server = wg_test_server_new ();
  wg_test_server_start (server);
  case_ids = g_ptr_array_new_with_free_func (g_free);
  wg_test_server_seed (server, 12, 20, case_ids);

  app = wg_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  /* Screenshots show settled screens, not the middle of a cross-fade. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (app));
  window = WG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  g_assert_true (wg_test_wait_for (window_is_drawn, NULL, 5000));
  wg_test_focus_window (GTK_WIDGET (window));
  wg_test_settle (300);

  /* First start: the sign-in page, in the language of the session. */
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "login", 2000));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "login", lang);

  /* A wrong password is said plainly and nothing else happens. */
  type_into_row (0, server->url);
  type_into_row (1, "dispatcher");
  type_into_row (2, "not-the-password");
  wg_test_settle (100);
  WG_TEST_PRESS (XK_Return);
  g_assert_true (wg_test_wait_for (label_shows_text, named_label ("login-error"), 5000));
  g_assert_cmpstr (visible_page (), ==, "login");
  g_test_message ("login error: %s", gtk_label_get_label (named_label ("login-error")));
  g_assert_nonnull (strstr (gtk_label_get_label (named_label ("login-error")), IS_ZH ? "密码" : "password"));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "login-error", lang);

  /* The right one signs in. There is no keyring under the test display, so Wangge says so and
   * offers a private file; the person declines here. */
  type_into_row (2, WG_TEST_DISPATCHER_PASSWORD);
  wg_test_settle (100);
  WG_TEST_PRESS (XK_Return);
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ALERT_DIALOG), 10000));
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "no-keyring", lang);
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 2000));

  /* The township's data arrives and the sections show. */
  g_assert_true (wg_test_wait_for (sync_state_is, GINT_TO_POINTER (WG_SYNC_STATE_UP_TO_DATE), 20000));
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "main", 5000));
  g_assert_cmpstr (visible_page_title (), ==, IS_ZH ? "派单调度" : "Dispatch");
  g_assert_cmpstr (wg_window_get_section (window), ==, "dispatch");
  g_assert_cmpstr (gtk_label_get_label (named_label ("sync-label")), ==, IS_ZH ? "已是最新" : "Up to date");
  wg_test_focus_window (GTK_WIDGET (window));

  /* The queue: the 20 reported cases are new, newest first; search narrows them as one types. */
  g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (20), 5000));
  g_assert_cmpstr (wg_dispatch_page_get_view (dispatch_page ()), ==, "new");
  {
    g_autoptr(WgRecord) first = g_list_model_get_item (wg_dispatch_page_get_cases (dispatch_page ()), 0);
    GtkWidget *search = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_SEARCH_ENTRY, "queue-search");
    GtkWidget *to_dispatch = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_LIST_BOX_ROW, "to-dispatch");

    g_assert_cmpstr (wg_record_get_string (first, "number"), ==, "2026-000020");
    wg_test_settle (400);
    wg_test_screenshot (GTK_WIDGET (window), "dispatch-queue", lang);

    WG_TEST_PRESS (GDK_KEY_Control_L, GDK_KEY_f);
    wg_test_settle (100);
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));

      /* Ctrl+F puts the cursor in the search. */
      g_assert_true (focus == search || (focus != NULL && gtk_widget_is_ancestor (focus, search)));
    }
    gtk_editable_set_text (GTK_EDITABLE (search), "000007");
    g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (1), 5000));
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (window), "dispatch-search", lang);
    gtk_editable_set_text (GTK_EDITABLE (search), "");
    g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (20), 5000));

    /* A click on a case shows it beside the queue with the actions the state machine allows
     * a dispatcher; Accept is taken at once, shown as pending, and confirmed by the server. */
    {
      GtkWidget *queue = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_COLUMN_VIEW, "case-queue");
      GtkWidget *detail = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_BOX, "case-detail");
      GtkWidget *accept;
      const char *accepted[2] = { case_ids->pdata[19], "accepted" };

      /* The newest case, at the top of the queue. */
      gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (queue)), 0, TRUE);
      g_assert_true (wg_test_wait_for (widget_mapped, detail, 3000));
      accept = wg_test_find_widget (detail, GTK_TYPE_BUTTON, "accept");
      g_assert_nonnull (accept);
      g_assert_null (wg_test_find_widget (detail, GTK_TYPE_BUTTON, "close"));
      wg_test_settle (400);
      wg_test_screenshot (GTK_WIDGET (window), "case-detail", lang);
      wg_test_click_widget (accept);
      g_assert_true (wg_test_wait_for (case_state_is, accepted, 10000));
      g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (19), 5000));
    }

    /* The accepted case is waiting in "to dispatch". */
    wg_test_click_widget (to_dispatch);
    g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (1), 5000));

    /* Dispatch by typing: part of a grid's name, Enter. */
    {
      GtkWidget *queue = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_COLUMN_VIEW, "case-queue");
      GtkWidget *detail = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_BOX, "case-detail");
      const char *dispatched[2] = { case_ids->pdata[19], "dispatched" };
      GtkWidget *button;
      GtkWidget *picker;
      GtkWidget *target_search;

      gtk_selection_model_select_item (gtk_column_view_get_model (GTK_COLUMN_VIEW (queue)), 0, TRUE);
      g_assert_true (wg_test_wait_for (widget_mapped, detail, 3000));
      wg_test_settle (300);
      button = wg_test_find_widget (detail, GTK_TYPE_BUTTON, "dispatch");
      g_assert_nonnull (button);
      g_assert_null (wg_test_find_widget (detail, GTK_TYPE_BUTTON, "accept"));
      wg_test_click_widget (button);
      g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (WG_TYPE_DISPATCH_DIALOG), 3000));
      picker = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
      target_search = wg_test_find_widget (picker, GTK_TYPE_SEARCH_ENTRY, NULL);
      gtk_editable_set_text (GTK_EDITABLE (target_search), "第3网格");
      wg_test_settle (500);
      wg_test_screenshot (GTK_WIDGET (window), "dispatch-dialog", lang);
      gtk_widget_grab_focus (target_search);
      WG_TEST_PRESS (GDK_KEY_Return);
      g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
      g_assert_true (wg_test_wait_for (case_state_is, dispatched, 10000));
      g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (0), 5000));
    }
    wg_dispatch_page_set_view (dispatch_page (), "new");
    g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (19), 5000));

    /* Filters narrow the queue: the seeded cases are all "normal", none "urgent". */
    {
      GtkWidget *urgency = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_DROP_DOWN, "urgency-filter");

      gtk_drop_down_set_selected (GTK_DROP_DOWN (urgency), 1);
      g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (0), 5000));
      gtk_drop_down_set_selected (GTK_DROP_DOWN (urgency), 3);
      g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (19), 5000));
      gtk_drop_down_set_selected (GTK_DROP_DOWN (urgency), 0);
    }

    /* A notification's "open the case" selects it in the queue. */
    g_action_group_activate_action (G_ACTION_GROUP (app), "show-case", g_variant_new_string (case_ids->pdata[4]));
    g_assert_true (wg_test_wait_for (case_selected, case_ids->pdata[4], 5000));
  }
  wg_test_focus_window (GTK_WIDGET (window));

  /* Every section by its shortcut, Ctrl+1…5. */
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *name = g_strconcat ("section-", sections[i], NULL);

      WG_TEST_PRESS (XK_Control_L, digits[i]);
      g_assert_true (wg_test_wait_for (section_is, (gpointer) sections[i], 2000));
      wg_test_settle (400);
      wg_test_screenshot (GTK_WIDGET (window), name, lang);
    }

  /* Every section by the sidebar, starting from the last one so each click changes it. */
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      row = wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX_ROW, sections[i]);
      g_assert_nonnull (row);
      wg_test_click_widget (row);
      g_assert_true (wg_test_wait_for (section_is, (gpointer) sections[i], 2000));
    }

  /* Preferences by Ctrl+comma: a wrong address is explained and not saved, a right one is. */
  WG_TEST_PRESS (XK_Control_L, XK_comma);
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (WG_TYPE_PREFERENCES_DIALOG), 2000));
  dialog = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  row = wg_test_find_widget (dialog, ADW_TYPE_ENTRY_ROW, NULL);
  g_assert_nonnull (row);
  gtk_widget_grab_focus (row);
  gtk_editable_set_text (GTK_EDITABLE (row), "ftp://files.example.org");
  wg_test_settle (100);
  WG_TEST_PRESS (XK_Return);
  {
    GtkWidget *label = wg_test_find_widget (dialog, GTK_TYPE_LABEL, "server-error");

    g_assert_nonnull (label);
    g_assert_true (wg_test_wait_for (widget_visible, label, 2000));
    g_assert_true (strstr (gtk_label_get_label (GTK_LABEL (label)), "ftp") != NULL);
    g_assert_true (gtk_widget_has_css_class (row, "error"));
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (window), "preferences-error", lang);

    gtk_editable_set_text (GTK_EDITABLE (row), "10.0.0.5:8443");
    wg_test_settle (100);
    WG_TEST_PRESS (XK_Return);
    g_assert_true (wg_test_wait_for (settings_string_is, saved, 2000));
    g_assert_false (gtk_widget_get_visible (label));
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, "https://10.0.0.5:8443");
    wg_test_settle (300);
    wg_test_screenshot (GTK_WIDGET (window), "preferences", lang);
  }
  WG_TEST_PRESS (XK_Escape);
  if (!wg_test_wait_for (no_dialog_open, NULL, 1000))
    g_test_message ("first Escape kept the dialog open");
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 2000));

  /* The sync popover: who is signed in where, when it last synced. */
  {
    GtkWidget *button = wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_MENU_BUTTON, "sync-button");

    wg_test_click_widget (button);
    g_assert_true (wg_test_wait_for (popover_open, button, 2000));
    wg_test_settle (300);
    /* A popover is a surface of its own: take its picture, not the window's. */
    wg_test_screenshot (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button))), "sync-popover", lang);
    WG_TEST_PRESS (XK_Escape);
    wg_test_settle (200);
  }

  /* An action the server refuses (closing a case that was only reported) is said at once,
   * naming the case, and the case stays as the server has it. */
  {
    WgSession *session = wg_application_get_session (app);
    g_autoptr(JsonObject) record = wg_store_get_record (wg_session_get_store (session), "cases",
                                                        case_ids->pdata[0], NULL);

    g_assert_nonnull (record);
    wg_sync_take_action_async (wg_session_get_sync (session), case_ids->pdata[0], "close", NULL,
                               json_object_get_int_member (record, "version"), "closed", NULL, NULL, NULL);
    g_assert_true (wg_test_wait_for (toast_shown, NULL, 10000));
    wg_test_settle (400);
    wg_test_screenshot (GTK_WIDGET (window), "refused", lang);
    g_clear_pointer (&record, json_object_unref);
    record = wg_store_get_record (wg_session_get_store (session), "cases", case_ids->pdata[0], NULL);
    g_assert_cmpstr (json_object_get_string_member (record, "state"), ==, "reported");
  }

  /* The link goes: a banner says since when, and that work goes on. */
  wg_test_server_kill (server);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  g_assert_true (wg_test_wait_for (banner_revealed, NULL, 10000));
  g_assert_true (sync_state_is (GINT_TO_POINTER (WG_SYNC_STATE_OFFLINE)));
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "offline", lang);

  /* About, from the primary menu's action. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ABOUT_DIALOG), 2000));
  wg_test_settle (500);
  wg_test_screenshot (GTK_WIDGET (window), "about", lang);
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 2000));

  /* The shortcuts window by Ctrl+?, closed by Escape. */
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_Shift_L, XK_slash);
  g_assert_true (wg_test_wait_for (shortcuts_window_open, NULL, 3000));
  shortcuts = find_shortcuts_window ();
  wg_test_settle (500);
  wg_test_screenshot (GTK_WIDGET (shortcuts), "shortcuts", lang);
  wg_test_focus_window (GTK_WIDGET (shortcuts));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (shortcuts_window_closed, NULL, 2000));

  /* Narrow widths collapse the sidebar; the section stays. */
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_2);
  g_assert_true (wg_test_wait_for (section_is, (gpointer) "dispatch", 2000));
  split = ADW_NAVIGATION_SPLIT_VIEW (wg_test_find_widget (GTK_WIDGET (window), ADW_TYPE_NAVIGATION_SPLIT_VIEW, NULL));
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 720);
  g_assert_true (wg_test_wait_for (split_view_collapsed, split, 3000));
  wg_test_settle (500);
  wg_test_screenshot (GTK_WIDGET (window), "narrow", lang);
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  wg_test_settle (500);

  /* Dark mode. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  wg_test_settle (500);
  wg_test_screenshot (GTK_WIDGET (window), "dark", lang);
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);

  /* Ctrl+Q quits and the last section is remembered for the next start. */
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_q);
  g_assert_true (wg_test_wait_for (app_has_no_windows, NULL, 3000));
  {
    const char *last[2] = { "last-section", "dispatch" };

    g_assert_true (settings_string_is (last));
  }

  window = NULL;
  g_clear_object (&app);
  g_clear_pointer (&server, wg_test_server_free);
  g_clear_pointer (&case_ids, g_ptr_array_unref);
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
  g_test_add_func ("/ui/shell", test_shell);

  return g_test_run ();
}
