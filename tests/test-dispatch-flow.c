/* test-dispatch-flow.c — a case's whole way through the dispatch queue, with a live server and simulator
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application under the headless display, signed in as the demo township's
 * dispatcher on a real wangge-server (the demo township without its history: only what the
 * test and the simulator make happens). Input is real X input (XTest): the rows are chosen
 * with the arrow keys, the actions taken from the keyboard, the dispatch target typed.
 *
 *   /dispatch-flow/simulated-case  wangge-sim reports a case from a grid; it shows in "New";
 *                                  the dispatcher accepts it and dispatches it to a team by
 *                                  typing the team's name; the server has it dispatched; the
 *                                  simulator's team claims, starts and resolves it; the
 *                                  dispatcher verifies and closes it; the server has it closed
 *   /dispatch-flow/overdue         cases with deadlines set against the server's clock: the
 *                                  "Overdue" view counts what the server says is overdue, and
 *                                  the row says so in words and in colour
 *   /dispatch-flow/offline         the server goes away; a dispatch waits in the outbox and the
 *                                  row says so; the server comes back on the same port with the
 *                                  same data and the dispatch arrives exactly once
 *
 * Screenshots (zh_CN): the queue, the detail, the dispatch dialog, the overdue view and the
 * pending row, in $WANGGE_SCREENSHOT_DIR.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <X11/extensions/XTest.h>
#include <X11/keysym.h>

#include "wg-application.h"
#include "wg-dispatch-dialog.h"
#include "wg-dispatch-page.h"
#include "wg-record-list.h"
#include "wg-test-server.h"
#include "wg-test-ui.h"
#include "wg-window.h"

/* The demo township's dispatcher (wangge-server demo; docs/demo.md: public demo passwords). */
#define DISPATCHER          "dispatcher"
#define DISPATCHER_PASSWORD "majie-dispatch-demo"

static WgApplication *app;
static WgWindow *window;
static WgTestServer *server;
static char *token;          /* the dispatcher's, for reading the server's side */
static char *lang;

#define IS_ZH (g_str_has_prefix (lang, "zh"))

/* --- the keyboard ---------------------------------------------------------------------------- */

/* A case action from the keyboard: its Alt shortcut (listed in the shortcuts window), once
 * the detail offers it as a button, i.e. the state machine allows it. */
static GtkWidget *detail_box (void);

static void
take_action_by_keyboard (const char *action)
{
  static const struct { const char *action; guint key; } shortcuts[] = {
    { "accept", XK_a }, { "dispatch", XK_d }, { "verify", XK_v }, { "close", XK_c },
  };
  GtkWidget *button = wg_test_find_widget (detail_box (), GTK_TYPE_BUTTON, action);
  guint key = 0;

  for (guint i = 0; i < G_N_ELEMENTS (shortcuts); i++)
    if (g_str_equal (shortcuts[i].action, action))
      key = shortcuts[i].key;
  g_assert_cmpuint (key, !=, 0);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_get_sensitive (button));
  WG_TEST_PRESS (XK_Alt_L, key);
}

G_GNUC_BEGIN_IGNORE_DEPRECATIONS

/* Types @text as key presses, any character: each one is put on a spare key code for the
 * moment it is pressed (as xdotool does), so Chinese names are typed, not pasted. */
static void
type_text (const char *text)
{
  Display *dpy = gdk_x11_display_get_xdisplay (gdk_display_get_default ());
  int min_code, max_code, per_code;
  KeySym *map;
  KeyCode spare = 0;
  KeySym none = NoSymbol;

  XDisplayKeycodes (dpy, &min_code, &max_code);
  map = XGetKeyboardMapping (dpy, min_code, max_code - min_code + 1, &per_code);
  for (int code = max_code; code >= min_code && spare == 0; code--)
    {
      gboolean unused = TRUE;

      for (int i = 0; i < per_code; i++)
        unused &= map[(code - min_code) * per_code + i] == NoSymbol;
      if (unused)
        spare = code;
    }
  XFree (map);
  g_assert_cmpuint (spare, !=, 0);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      KeySym sym = c < 0x100 ? (KeySym) c : (KeySym) (0x01000000 | c);

      XChangeKeyboardMapping (dpy, spare, 1, &sym, 1);
      XSync (dpy, False);
      wg_test_settle (60);
      XTestFakeKeyEvent (dpy, spare, True, CurrentTime);
      XTestFakeKeyEvent (dpy, spare, False, CurrentTime);
      XSync (dpy, False);
      wg_test_settle (60);
    }
  XChangeKeyboardMapping (dpy, spare, 1, &none, 1);
  XSync (dpy, False);
  wg_test_settle (60);
}

G_GNUC_END_IGNORE_DEPRECATIONS

/* --- widgets, by their stable names ----------------------------------------------------------- */

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (wg_test_text_of (child) != NULL && gtk_widget_get_mapped (child) && g_strcmp0 (wg_test_text_of (child), text) == 0)
        return child;
      if ((found = find_label (child, text)) != NULL)
        return found;
    }
  return NULL;
}

static WgDispatchPage *
dispatch_page (void)
{
  return WG_DISPATCH_PAGE (wg_test_find_widget (GTK_WIDGET (window), WG_TYPE_DISPATCH_PAGE, "dispatch-page"));
}

static GtkWidget *
queue (void)
{
  return wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_COLUMN_VIEW, "case-queue");
}

static GtkWidget *
detail_box (void)
{
  return wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_BOX, "case-detail");
}

static WgStore *
store (void)
{
  return wg_session_get_store (wg_application_get_session (app));
}

/* The row of the queue that shows case @number: the row widget holding the cell with it. */
static GtkWidget *
queue_row_of (const char *number)
{
  GtkWidget *label = find_label (queue (), number);
  GtkWidget *row = label;

  /* label → cell → row; the row is the widget whose parent holds all rows */
  while (row != NULL && !g_str_equal (G_OBJECT_TYPE_NAME (row), "GtkColumnViewRowWidget"))
    row = gtk_widget_get_parent (row);
  return row;
}

/* The label in @row whose text contains @part, or NULL. */
static GtkWidget *
label_containing (GtkWidget  *row,
                  const char *part)
{
  for (GtkWidget *child = gtk_widget_get_first_child (row); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (wg_test_text_of (child) != NULL && strstr (wg_test_text_of (child), part) != NULL)
        return child;
      if ((found = label_containing (child, part)) != NULL)
        return found;
    }
  return NULL;
}

/* The count beside a view in the sidebar, as shown. */
static gint64
view_count (const char *view_id)
{
  GtkWidget *row = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_LIST_BOX_ROW, view_id);
  GtkWidget *count = row != NULL ? gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row))) : NULL;
  g_autoptr(GString) digits = g_string_new (NULL);

  if (count == NULL || !GTK_IS_LABEL (count))
    return -1;
  for (const char *p = gtk_label_get_label (GTK_LABEL (count)); *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
  return digits->len > 0 ? g_ascii_strtoll (digits->str, NULL, 10) : -1;
}

/* --- conditions ------------------------------------------------------------------------------ */

static gboolean
window_is_drawn (gpointer data)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static gboolean
sync_up_to_date (gpointer data)
{
  WgSyncStatus *status = wg_session_get_sync_status (wg_application_get_session (app));

  return wg_session_get_signed_in (wg_application_get_session (app)) &&
         wg_sync_status_get_state (status) == WG_SYNC_STATE_UP_TO_DATE;
}

static gboolean
page_ready (gpointer data)
{
  return dispatch_page () != NULL && gtk_widget_get_mapped (GTK_WIDGET (dispatch_page ())) &&
         wg_dispatch_page_get_cases (dispatch_page ()) != NULL;
}

/* The queue shows case @data (an id). */
static gboolean
queue_shows (gpointer data)
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
queue_lacks (gpointer data)
{
  return !queue_shows (data);
}

static gboolean
selected_is (gpointer data)
{
  g_autoptr(WgRecord) record = wg_test_selected_item (GTK_COLUMN_VIEW (queue ()));

  return record != NULL && g_strcmp0 (wg_record_get_id (record), data) == 0;
}

static gboolean
detail_offers (gpointer data)
{
  GtkWidget *box = detail_box ();

  return box != NULL && gtk_widget_get_mapped (box) && wg_test_find_widget (box, GTK_TYPE_BUTTON, data) != NULL;
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

typedef struct
{
  const char *id;
  const char *state;
} CaseState;

/* The cache holds the case in this state, as the server confirmed it (no action pending). */
static gboolean
cached_state_is (gpointer data)
{
  CaseState *want = data;
  g_autoptr(JsonObject) record = wg_store_get_record (store (), "cases", want->id, NULL);

  return record != NULL && g_strcmp0 (json_object_get_string_member (record, "state"), want->state) == 0;
}

typedef struct
{
  const char *view;
  gint64      n;
} ViewCount;

static gboolean
count_is (gpointer data)
{
  ViewCount *want = data;

  return view_count (want->view) == want->n;
}

/* --- the server's side ----------------------------------------------------------------------- */

static JsonObject *
server_get (const char *path)
{
  guint status = 0;
  g_autoptr(JsonNode) reply = wg_test_server_call (server, token, "GET", path, NULL, &status);

  if (status != 200)
    g_error ("GET %s → %u", path, status);
  return json_object_ref (json_node_get_object (reply));
}

static JsonObject *
server_post (const char *path,
             const char *body)
{
  guint status = 0;
  g_autoptr(JsonNode) reply = wg_test_server_call (server, token, "POST", path, body, &status);

  if (status != 200 && status != 201)
    g_error ("POST %s %s → %u: %s", path, body, status, json_to_string (reply, FALSE));
  return json_object_ref (json_node_get_object (reply));
}

static JsonObject *
server_case (const char *id)
{
  g_autofree char *path = g_strconcat ("/api/v1/cases/", id, NULL);

  return server_get (path);
}

/* The server has the case in @state; asked at most every 200 ms. */
static gboolean
server_state_is (gpointer data)
{
  CaseState *want = data;
  static gint64 last;
  g_autoptr(JsonObject) c = NULL;

  if (g_get_monotonic_time () - last < 200 * 1000)
    return FALSE;
  last = g_get_monotonic_time ();
  c = server_case (want->id);
  return g_strcmp0 (json_object_get_string_member (c, "state"), want->state) == 0;
}

/* How many times @action appears in the server's timeline of case @id. */
static guint
timeline_count (JsonObject *c,
                const char *action)
{
  JsonArray *timeline = json_object_get_array_member (c, "timeline");
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (timeline); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (timeline, i), "action"), action) == 0)
      n++;
  return n;
}

static const char *
timeline_actor (JsonObject *c,
                const char *action)
{
  JsonArray *timeline = json_object_get_array_member (c, "timeline");

  for (guint i = json_array_get_length (timeline); i > 0; i--)
    {
      JsonObject *entry = json_array_get_object_element (timeline, i - 1);

      if (g_strcmp0 (json_object_get_string_member (entry, "action"), action) == 0)
        return json_object_get_string_member (entry, "actor_id");
    }
  return NULL;
}

/* A team of the township that the simulator plays (every team has its member teamNN-1), and
 * its name. */
static char *
pick_team (char **out_name)
{
  g_autoptr(JsonObject) teams = server_get ("/api/v1/teams?limit=500");
  JsonArray *items = json_object_get_array_member (teams, "items");

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *team = json_array_get_object_element (items, i);
      const char *name = json_object_get_string_member (team, "name");
      gboolean unique = TRUE;

      /* a service team (a department is dispatched to as a department) */
      if (g_strcmp0 (json_object_get_string_member_with_default (team, "kind", ""), "department") == 0)
        continue;
      /* typing the whole name must find this team and no other before it */
      for (guint j = 0; j < i; j++)
        if (strstr (json_object_get_string_member (json_array_get_object_element (items, j), "name"), name) != NULL)
          unique = FALSE;
      if (!unique)
        continue;
      *out_name = g_strdup (name);
      return g_strdup (json_object_get_string_member (team, "id"));
    }
  g_assert_not_reached ();
}

/* --- the simulator ----------------------------------------------------------------------------- */

static void
sim_done_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs wangge-sim against the server with @args while the app goes on; returns its output.
 * It must succeed: every action it tried was accepted. */
static char *
run_sim (const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup (server->url);
  char *out = NULL;
  gint64 end = g_get_monotonic_time () + 120 * G_USEC_PER_SEC;

  g_ptr_array_add (argv, (gpointer) g_getenv ("WANGGE_SIM"));
  g_ptr_array_add (argv, (gpointer) "--url");
  g_ptr_array_add (argv, url);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_assert_nonnull (argv->pdata[0]);

  /* its summary in English, whatever the app's language; no fatal warnings of ours */
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "en", TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, sim_done_cb, &result);
  while (result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  if (result == NULL)
    {
      g_subprocess_force_exit (process);
      g_error ("wangge-sim did not finish within 120 s");
    }
  g_assert_true (g_subprocess_communicate_utf8_finish (process, result, &out, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("wangge-sim %s:\n%s", args[0], out);
  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  return out;
}

/* --- the app --------------------------------------------------------------------------------- */

static void
run_sync_cmd (const char * const *argv)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "WANGGE_SERVER_TEST_FAST_HASH", "1", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, NULL, &err, &error));
  if (!g_subprocess_get_successful (process))
    g_error ("%s %s failed: %s", argv[0], argv[1], err);
}

/* The server with the demo township (its people, grids, teams and accounts) and no cases,
 * then the app signed in as its dispatcher, synced, on the dispatch queue. */
static void
ensure_app (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  guint status = 0;

  if (app != NULL)
    return;

  server = g_new0 (WgTestServer, 1);
  server->data_dir = g_dir_make_tmp ("wg-dispatch-flow-XXXXXX", &error);
  g_assert_no_error (error);
  server->session = soup_session_new_with_options ("timeout", 20, NULL);
  {
    const char *argv[] = { g_getenv ("WANGGE_SERVER"), "demo", "-d", server->data_dir, "--cases", "0", NULL };

    g_assert_nonnull (argv[0]);
    run_sync_cmd (argv);
  }
  wg_test_server_start (server);
  body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", DISPATCHER, DISPATCHER_PASSWORD);
  {
    g_autoptr(JsonNode) reply = wg_test_server_call (server, NULL, "POST", "/api/v1/session", body, &status);

    g_assert_cmpuint (status, ==, 201);
    token = g_strdup (json_object_get_string_member (json_node_get_object (reply), "token"));
  }

  /* Signed in the way build-aux/demo signs in: the sign-in page itself is test-ui's. */
  g_setenv ("WANGGE_DEMO_SERVER", server->url, TRUE);
  g_setenv ("WANGGE_DEMO_USER", DISPATCHER, TRUE);
  g_setenv ("WANGGE_DEMO_PASSWORD", DISPATCHER_PASSWORD, TRUE);

  app = wg_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (app));
  window = WG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  g_assert_nonnull (window);
  /* wide enough for every column of the queue in the screenshots */
  gtk_window_set_default_size (GTK_WINDOW (window), 1760, 900);
  g_assert_true (wg_test_wait_for (window_is_drawn, NULL, 5000));
  wg_test_focus_window (GTK_WIDGET (window));
  g_assert_true (wg_test_wait_for (sync_up_to_date, NULL, 30000));
  g_assert_true (wg_test_wait_for (page_ready, NULL, 5000));
  g_assert_cmpstr (wg_window_get_section (window), ==, "dispatch");
  wg_test_focus_window (GTK_WIDGET (window));
}

/* Selects the case @id in the current view with the keyboard: focus in the queue, Home, then
 * Down until it is selected (arrows move the selection in a column view). */
static void
select_by_keyboard (const char *id)
{
  GListModel *cases = wg_dispatch_page_get_cases (dispatch_page ());
  guint n = g_list_model_get_n_items (cases);

  g_assert_true (wg_test_wait_for (queue_shows, (gpointer) id, 5000));
  wg_test_focus_window (GTK_WIDGET (window));
  g_assert_true (gtk_widget_grab_focus (queue ()));
  WG_TEST_PRESS (XK_Home);
  wg_test_settle (100);
  for (guint i = 0; i <= n && !selected_is ((gpointer) id); i++)
    {
      WG_TEST_PRESS (XK_Down);
      wg_test_settle (100);
    }
  g_assert_true (wg_test_wait_for (selected_is, (gpointer) id, 2000));
}

/* Dispatches the selected case: the dispatch action, the team's name typed into the picker,
 * Enter. @shot names the dialog's screenshot, or NULL. */
static void
dispatch_by_keyboard (const char *team_name,
                      const char *shot)
{
  GtkWidget *picker;
  GtkWidget *targets;
  GtkWidget *first;

  g_assert_true (wg_test_wait_for (detail_offers, (gpointer) "dispatch", 5000));
  take_action_by_keyboard ("dispatch");
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (WG_TYPE_DISPATCH_DIALOG), 5000));
  picker = GTK_WIDGET (adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window)));
  wg_test_settle (300);
  /* the picker opens with the cursor in its search: type straight away */
  type_text (team_name);
  targets = wg_test_find_widget (picker, GTK_TYPE_LIST_BOX, "dispatch-targets");
  g_assert_nonnull (targets);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (wg_test_find_widget (picker, GTK_TYPE_SEARCH_ENTRY, NULL))), ==, team_name);
  wg_test_settle (400);     /* the search entry's delay, then the list */
  first = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (targets), 0));
  g_assert_nonnull (first);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (first)), ==, team_name);
  if (shot != NULL)
    wg_test_screenshot (GTK_WIDGET (window), shot, lang);
  WG_TEST_PRESS (XK_Return);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 5000));
}

/* --- the tests ------------------------------------------------------------------------------- */

static void
test_simulated_case (void)
{
  const char *report_args[] = { "--count", "1", "--workers", "1", "--self-share", "0", "--return-share", "0",
                                "--overdue-share", "0", "--reopen-share", "0", "--speed", "3000", "--seed", "11", NULL };
  /* Its teams act on what is dispatched to them; nobody checks on site (the dispatcher
   * verifies); it makes its one report (another case) and stops once nothing is left to do. */
  const char *team_args[] = { "--count", "1", "--workers", "1", "--self-share", "0", "--return-share", "0",
                              "--overdue-share", "0", "--reopen-share", "0", "--verify-share", "0",
                              "--speed", "3000", "--seed", "12", NULL };
  g_autofree char *out = NULL;
  g_autofree char *team_id = NULL;
  g_autofree char *team_name = NULL;
  g_autofree char *case_id = NULL;
  g_autofree char *number = NULL;
  g_autoptr(JsonObject) list = NULL;
  g_autoptr(JsonObject) c = NULL;
  gint64 started;
  double seconds;

  ensure_app ();
  wg_dispatch_page_set_view (dispatch_page (), "new");

  /* 1. A grid worker reports from his grid; the case shows in "New" within seconds. */
  started = g_get_monotonic_time ();
  out = run_sim (report_args);
  g_assert_nonnull (strstr (out, "1 reports"));
  list = server_get ("/api/v1/cases?limit=10");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (list, "items")), ==, 1);
  c = json_object_ref (json_array_get_object_element (json_object_get_array_member (list, "items"), 0));
  case_id = g_strdup (json_object_get_string_member (c, "id"));
  number = g_strdup (json_object_get_string_member (c, "number"));
  g_assert_cmpstr (json_object_get_string_member (c, "source"), ==, "grid_patrol");
  g_assert_true (wg_test_wait_for (queue_shows, case_id, 5000));
  seconds = (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
  g_test_message ("case %s reported by the simulator, in \"New\" %.1f s after the simulator started", number, seconds);
  g_assert_true (wg_test_wait_for (count_is, &(ViewCount) { "new", 1 }, 5000));
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "flow-queue", lang);

  /* 2. Accepted from the keyboard; the server has it accepted. */
  select_by_keyboard (case_id);
  g_assert_true (wg_test_wait_for (detail_offers, (gpointer) "accept", 5000));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "flow-detail", lang);
  take_action_by_keyboard ("accept");
  g_assert_true (wg_test_wait_for (server_state_is, &(CaseState) { case_id, "accepted" }, 15000));
  g_assert_true (wg_test_wait_for (cached_state_is, &(CaseState) { case_id, "accepted" }, 10000));

  /* 3. Dispatched to a team by typing its name. */
  team_id = pick_team (&team_name);
  g_test_message ("dispatching to %s", team_name);
  wg_dispatch_page_set_view (dispatch_page (), "to-dispatch");
  select_by_keyboard (case_id);
  dispatch_by_keyboard (team_name, "flow-dispatch-dialog");
  g_assert_true (wg_test_wait_for (server_state_is, &(CaseState) { case_id, "dispatched" }, 15000));
  g_clear_pointer (&c, json_object_unref);
  c = server_case (case_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "assignee"), "id"), ==, team_id);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (c, "assignee"), "kind"), ==, "team");
  g_assert_nonnull (json_object_get_string_member (c, "deadline"));
  g_assert_true (wg_test_wait_for (cached_state_is, &(CaseState) { case_id, "dispatched" }, 10000));

  /* 4. The simulator's team claims, starts and resolves it. */
  g_clear_pointer (&out, g_free);
  out = run_sim (team_args);
  g_assert_nonnull (strstr (out, "1 claimed, 1 started, 1 resolved"));
  g_clear_pointer (&c, json_object_unref);
  c = server_case (case_id);
  g_assert_cmpstr (json_object_get_string_member (c, "state"), ==, "resolved");
  g_assert_cmpuint (timeline_count (c, "claim"), ==, 1);
  g_assert_cmpuint (timeline_count (c, "resolve"), ==, 1);
  g_assert_cmpstr (timeline_actor (c, "claim"), !=, timeline_actor (c, "dispatch"));
  g_assert_true (wg_test_wait_for (cached_state_is, &(CaseState) { case_id, "resolved" }, 10000));

  /* 5. Verified and closed from the keyboard; the server has it closed. */
  wg_dispatch_page_set_view (dispatch_page (), "to-verify");
  select_by_keyboard (case_id);
  g_assert_true (wg_test_wait_for (detail_offers, (gpointer) "verify", 5000));
  take_action_by_keyboard ("verify");
  g_assert_true (wg_test_wait_for (server_state_is, &(CaseState) { case_id, "verified" }, 15000));
  g_assert_true (wg_test_wait_for (cached_state_is, &(CaseState) { case_id, "verified" }, 10000));
  select_by_keyboard (case_id);
  g_assert_true (wg_test_wait_for (detail_offers, (gpointer) "close", 5000));
  take_action_by_keyboard ("close");
  g_assert_true (wg_test_wait_for (server_state_is, &(CaseState) { case_id, "closed" }, 15000));
  g_assert_true (wg_test_wait_for (cached_state_is, &(CaseState) { case_id, "closed" }, 10000));
  g_assert_true (wg_test_wait_for (queue_lacks, case_id, 5000));
  wg_dispatch_page_set_view (dispatch_page (), "closed");
  g_assert_true (wg_test_wait_for (queue_shows, case_id, 5000));

  g_clear_pointer (&c, json_object_unref);
  c = server_case (case_id);
  {
    static const char * const path[] = { "report", "accept", "dispatch", "claim", "start", "resolve", "verify", "close" };
    JsonArray *timeline = json_object_get_array_member (c, "timeline");

    g_assert_cmpuint (json_array_get_length (timeline), ==, G_N_ELEMENTS (path));
    for (guint i = 0; i < G_N_ELEMENTS (path); i++)
      g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (timeline, i), "action"), ==, path[i]);
  }
}

static char *
first_of (const char *path)
{
  g_autoptr(JsonObject) list = server_get (path);

  return g_strdup (json_object_get_string_member (json_array_get_object_element (json_object_get_array_member (list, "items"), 0), "id"));
}

/* A case reported by phone in the first grid; dispatched to @team_id with a deadline
 * @minutes after the moment the server stamped the report (its clock, not ours), or left
 * reported when @team_id is NULL. Returns the case as the server has it then. */
static JsonObject *
make_case (const char *title,
           const char *team_id,
           int         minutes)
{
  g_autofree char *grid = first_of ("/api/v1/grids?limit=1");
  g_autofree char *category = first_of ("/api/v1/categories?limit=1");
  g_autofree char *body = g_strdup_printf ("{\"source\":\"hotline_12345\",\"title\":\"%s\",\"grid_id\":\"%s\","
                                           "\"category_id\":\"%s\",\"address\":\"马街镇兴隆路 8 号\"}",
                                           title, grid, category);
  g_autoptr(JsonObject) c = server_post ("/api/v1/cases", body);
  g_autoptr(GDateTime) reported = g_date_time_new_from_iso8601 (json_object_get_string_member (c, "reported_at"), NULL);
  g_autoptr(GDateTime) deadline = NULL;
  g_autofree char *deadline_s = NULL;
  g_autofree char *path = NULL;

  g_assert_nonnull (reported);
  if (team_id == NULL)
    return g_steal_pointer (&c);
  deadline = g_date_time_add_minutes (reported, minutes);
  deadline_s = g_date_time_format_iso8601 (deadline);
  g_free (body);
  body = g_strdup_printf ("{\"assignee\":{\"kind\":\"team\",\"id\":\"%s\"},\"deadline\":\"%s\"}", team_id, deadline_s);
  path = g_strdup_printf ("/api/v1/cases/%s/actions/dispatch", json_object_get_string_member (c, "id"));
  return server_post (path, body);
}

static const char *
string_or_null (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

/* Open cases past their deadline by the server's own data and the time now. */
static gint64
server_overdue_count (void)
{
  g_autoptr(JsonObject) list = server_get ("/api/v1/cases?limit=500");
  JsonArray *items = json_object_get_array_member (list, "items");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 n = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *c = json_array_get_object_element (items, i);
      const char *deadline = string_or_null (c, "deadline");
      g_autoptr(GDateTime) due = deadline != NULL ? g_date_time_new_from_iso8601 (deadline, NULL) : NULL;

      if (due != NULL && g_date_time_compare (due, now) < 0 &&
          g_strv_contains ((const char * const[]) { "reported", "accepted", "dispatched", "claimed", "in_progress", NULL },
                           json_object_get_string_member (c, "state")))
        n++;
    }
  return n;
}

typedef struct
{
  const char *number;
  const char *part;
  const char *css;
} RowShows;

static gboolean
row_shows (gpointer data)
{
  RowShows *want = data;
  GtkWidget *row = queue_row_of (want->number);
  GtkWidget *label = row != NULL ? label_containing (row, want->part) : NULL;

  return label != NULL && gtk_widget_has_css_class (label, want->css);
}

/* The row of case @data (a number) is drawn and no longer says it waits to be sent. */
static gboolean
row_not_pending (gpointer data)
{
  GtkWidget *row = queue_row_of (data);

  return row != NULL && label_containing (row, IS_ZH ? "（待发送）" : "(waiting to be sent)") == NULL;
}


static void
test_overdue (void)
{
  g_autofree char *team_name = NULL;
  g_autofree char *team_id = NULL;
  g_autoptr(JsonObject) late = NULL;
  g_autoptr(JsonObject) soon = NULL;
  g_autoptr(JsonObject) later = NULL;
  ViewCount overdue;

  ensure_app ();
  team_id = pick_team (&team_name);

  /* Against the server's clock: 90 minutes past the deadline, 3 hours left (approaching: under
   * a quarter of a day), 3 days left. */
  late = make_case ("兴隆路路灯不亮", team_id, -90);
  soon = make_case ("兴隆路井盖缺失", team_id, 3 * 60);
  later = make_case ("绿化带杂草丛生", team_id, 3 * 24 * 60);
  g_assert_true (wg_test_wait_for (cached_state_is, &(CaseState) { json_object_get_string_member (later, "id"), "dispatched" }, 10000));

  /* The count beside "Overdue" is the server's count of open cases past their deadline. */
  overdue.view = "overdue";
  overdue.n = server_overdue_count ();
  g_assert_cmpint (overdue.n, >=, 1);
  g_assert_true (wg_test_wait_for (count_is, &overdue, 10000));

  wg_dispatch_page_set_view (dispatch_page (), "overdue");
  g_assert_true (wg_test_wait_for (queue_shows, (gpointer) json_object_get_string_member (late, "id"), 5000));
  g_assert_false (queue_shows ((gpointer) json_object_get_string_member (soon, "id")));
  g_assert_false (queue_shows ((gpointer) json_object_get_string_member (later, "id")));
  g_assert_cmpuint (g_list_model_get_n_items (wg_dispatch_page_get_cases (dispatch_page ())), ==, overdue.n);
  /* In words and in colour: "已超期…" in the error colour. How much is counted in working
   * time from the real clock, so the amount depends on the hour the test runs at; ui-queue
   * checks the amounts at a set clock. */
  g_assert_true (wg_test_wait_for (row_shows, &(RowShows) { json_object_get_string_member (late, "number"),
                                                            IS_ZH ? "超期" : "verdue", "error" }, 5000));
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "flow-overdue", lang);

  /* The others are still on time under "Not claimed": neither reads overdue nor is red; the
   * one due in three days is not even approaching. */
  wg_dispatch_page_set_view (dispatch_page (), "dispatched");
  g_assert_true (wg_test_wait_for (queue_shows, (gpointer) json_object_get_string_member (soon, "id"), 5000));
  g_assert_true (wg_test_wait_for (queue_shows, (gpointer) json_object_get_string_member (later, "id"), 5000));
  wg_test_settle (300);
  {
    GtkWidget *row = queue_row_of (json_object_get_string_member (soon, "number"));

    g_assert_nonnull (row);
    g_assert_null (label_containing (row, IS_ZH ? "超期" : "verdue"));
  }
  {
    GtkWidget *row = queue_row_of (json_object_get_string_member (later, "number"));
    GtkWidget *label = row != NULL ? label_containing (row, IS_ZH ? "剩余" : "left") : NULL;

    g_assert_nonnull (label);
    g_assert_false (gtk_widget_has_css_class (label, "warning"));
    g_assert_false (gtk_widget_has_css_class (label, "error"));
  }
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "flow-not-claimed", lang);
}

static gboolean
outbox_waits (gpointer data)
{
  g_autoptr(GPtrArray) items = wg_store_list_outbox (store (), NULL);

  return items != NULL && items->len == 1 && ((WgOutboxItem *) items->pdata[0])->state == WG_OUTBOX_PENDING &&
         g_strcmp0 (((WgOutboxItem *) items->pdata[0])->action, "dispatch") == 0;
}

static gboolean
sync_offline (gpointer data)
{
  return wg_sync_status_get_state (wg_session_get_sync_status (wg_application_get_session (app))) == WG_SYNC_STATE_OFFLINE;
}

static gboolean
outbox_empty (gpointer data)
{
  return wg_store_count_outbox (store (), NULL) == 0;
}

static void
test_offline (void)
{
  g_autofree char *team_name = NULL;
  g_autofree char *team_id = NULL;
  g_autoptr(JsonObject) c = NULL;
  g_autoptr(JsonObject) after = NULL;
  const char *id;
  const char *number;
  gint64 version;

  ensure_app ();
  team_id = pick_team (&team_name);
  c = make_case ("下水道堵塞，居民来电", NULL, 0);
  id = json_object_get_string_member (c, "id");
  number = json_object_get_string_member (c, "number");
  version = json_object_get_int_member (c, "version");
  wg_dispatch_page_set_view (dispatch_page (), "new");
  g_assert_true (wg_test_wait_for (queue_shows, (gpointer) id, 10000));
  g_assert_cmpuint (wg_store_count_outbox (store (), NULL), ==, 0);

  /* The server goes away (as a pulled cable or a crash: no goodbye). */
  wg_test_server_kill (server);

  /* The dispatch is taken all the same: it waits in the outbox, the case moves on at once and
   * its row says it is waiting to be sent. */
  select_by_keyboard (id);
  dispatch_by_keyboard (team_name, NULL);
  wg_dispatch_page_set_view (dispatch_page (), "dispatched");
  g_assert_true (wg_test_wait_for (queue_shows, (gpointer) id, 5000));
  g_assert_true (wg_test_wait_for (row_shows, &(RowShows) { number, IS_ZH ? "（待发送）" : "(waiting to be sent)", "dim-label" }, 5000));
  /* it waits in the outbox, and the client knows it is offline */
  g_assert_true (outbox_waits (NULL));
  g_assert_true (wg_test_wait_for (sync_offline, NULL, 20000));
  wg_test_settle (3000);     /* a few attempts to send it fail meanwhile */
  g_assert_true (outbox_waits (NULL));
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "flow-offline-pending", lang);

  /* The server comes back on the same port with the same data; the client finds it by
   * itself and the dispatch arrives, once. */
  wg_test_server_start (server);
  g_assert_true (wg_test_wait_for (server_state_is, &(CaseState) { id, "dispatched" }, 90000));
  g_assert_true (wg_test_wait_for (outbox_empty, NULL, 10000));
  g_assert_true (wg_test_wait_for (cached_state_is, &(CaseState) { id, "dispatched" }, 10000));
  g_assert_true (wg_test_wait_for (row_not_pending, (gpointer) number, 5000));
  wg_test_settle (2000);     /* a duplicate would have arrived by now */
  after = server_case (id);
  g_assert_cmpuint (timeline_count (after, "dispatch"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (after, "version"), ==, version + 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (after, "assignee"), "id"), ==, team_id);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("WANGGE_LOCALEDIR");
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  lang = g_strdup (g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "en");

  /* no cache, no saved sign-in from an earlier run */
  if (g_getenv ("XDG_DATA_HOME") != NULL)
    wg_test_remove_tree (g_getenv ("XDG_DATA_HOME"));

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/dispatch-flow/simulated-case", test_simulated_case);
  g_test_add_func ("/dispatch-flow/overdue", test_overdue);
  g_test_add_func ("/dispatch-flow/offline", test_offline);
  status = g_test_run ();

  if (window != NULL)
    gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  g_clear_pointer (&server, wg_test_server_free);
  g_free (token);
  g_free (lang);
  return status;
}
