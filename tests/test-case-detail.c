/* test-case-detail.c — the case detail's photos, people and nearby cases, against a real server
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The real application under the headless display, signed in as a dispatcher to a real
 * wangge-server holding one grid with its worker, leader and covering cadre, and three cases:
 * one with two photos, one 50 m from it and one 2 km away with a photo of its own. The test
 * looks at what a dispatcher sees: the thumbnails (and the files behind them in the disk
 * cache), the photo viewer stepping by the arrow keys, the people with the phone numbers the
 * server has, the nearby case and not the far one, the queue following a click on it, and,
 * with the server stopped, the photos already seen still there and a placeholder that says
 * why for the one never downloaded. Screenshots in $WANGGE_SCREENSHOT_DIR.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <math.h>
#include <string.h>
#include <X11/keysym.h>

#include "wg-application.h"
#include "wg-case-nearby.h"
#include "wg-case-people.h"
#include "wg-case-photo-viewer.h"
#include "wg-case-photos.h"
#include "wg-dispatch-page.h"
#include "wg-record-list.h"
#include "wg-sim-photo.h"
#include "wg-test-server.h"
#include "wg-test-ui.h"
#include "wg-window.h"

static WgApplication *app;
static WgWindow *window;
static char *lang;
static WgTestServer *server;

#define IS_ZH (g_str_has_prefix (lang, "zh"))

/* The case with photos, at the middle of the grid; metres become degrees on the sphere the
 * client measures on. */
#define BASE_LON 104.300
#define BASE_LAT 24.900
#define METRES_PER_DEGREE (6371008.8 * G_PI / 180)

typedef struct
{
  char   *id;
  char   *number;
  GBytes *photo;      /* the first photo (or file) uploaded, when any */
  char   *sha256;
} SeededCase;

static SeededCase here, near, far;
static char *worker_id, *leader_id, *cadre_id;

/* --- conditions and lookup ------------------------------------------------------------------- */

static gboolean
window_is_drawn (gpointer data)
{
  return window != NULL && gtk_widget_get_mapped (GTK_WIDGET (window)) && gtk_widget_get_width (GTK_WIDGET (window)) > 0;
}

static void
collect_descendants (GtkWidget  *root,
                     GType       type,
                     const char *name,
                     GPtrArray  *out)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (name == NULL || g_strcmp0 (gtk_widget_get_name (child), name) == 0))
        g_ptr_array_add (out, child);
      collect_descendants (child, type, name, out);
    }
}

static GtkWidget *
detail (void)
{
  return wg_test_find_widget (GTK_WIDGET (window), GTK_TYPE_BOX, "case-detail");
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
sync_state_is (gpointer data)
{
  WgSyncStatus *status = wg_session_get_sync_status (wg_application_get_session (app));

  return wg_sync_status_get_state (status) == (WgSyncState) GPOINTER_TO_INT (data);
}

static WgDispatchPage *
dispatch_page (void)
{
  return WG_DISPATCH_PAGE (wg_test_find_widget (GTK_WIDGET (window), WG_TYPE_DISPATCH_PAGE, "dispatch-page"));
}

static gboolean
queue_has (gpointer data)
{
  GListModel *cases = wg_dispatch_page_get_cases (dispatch_page ());

  return cases != NULL && g_list_model_get_n_items (cases) == GPOINTER_TO_UINT (data);
}

static gboolean
case_selected (gpointer data)
{
  GtkWidget *queue = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_COLUMN_VIEW, "case-queue");
  g_autoptr(WgRecord) record = queue != NULL ? wg_test_selected_item (GTK_COLUMN_VIEW (queue)) : NULL;

  return record != NULL && g_strcmp0 (wg_record_get_id (record), data) == 0 && detail () != NULL &&
         gtk_widget_get_mapped (detail ());
}

static gboolean
photos_shown (gpointer data)
{
  GtkWidget *photos = detail () != NULL ? wg_test_find_widget (detail (), WG_TYPE_CASE_PHOTOS, NULL) : NULL;

  return photos != NULL && wg_case_photos_get_n_shown (WG_CASE_PHOTOS (photos)) == GPOINTER_TO_UINT (data);
}

static gboolean
photo_caption_shown (gpointer data)
{
  GtkWidget *caption = detail () != NULL ? wg_test_find_widget (detail (), GTK_TYPE_LABEL, "photo-caption") : NULL;

  return caption != NULL && gtk_widget_get_visible (caption) && gtk_label_get_text (GTK_LABEL (caption))[0] != '\0';
}

static gboolean
people_loaded (gpointer data)
{
  GtkWidget *people = detail () != NULL ? wg_test_find_widget (detail (), WG_TYPE_CASE_PEOPLE, NULL) : NULL;

  return people != NULL && wg_case_people_get_loaded (WG_CASE_PEOPLE (people));
}

static gboolean
nearby_loaded (gpointer data)
{
  GtkWidget *nearby = detail () != NULL ? wg_test_find_widget (detail (), WG_TYPE_CASE_NEARBY, NULL) : NULL;

  return nearby != NULL && wg_case_nearby_get_loaded (WG_CASE_NEARBY (nearby));
}

static WgCasePhotoViewer *
viewer (void)
{
  AdwDialog *dialog = adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (window));

  return dialog != NULL && WG_IS_CASE_PHOTO_VIEWER (dialog) ? WG_CASE_PHOTO_VIEWER (dialog) : NULL;
}

static gboolean
viewer_shows (gpointer data)
{
  return viewer () != NULL && wg_case_photo_viewer_get_index (viewer ()) == GPOINTER_TO_UINT (data) &&
         wg_case_photo_viewer_get_shown (viewer ());
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

/* The detail is built again whenever the queue or the names behind it change (right after
 * signing in the names arrive a moment after the cases): wait until it has stood still for a
 * second, so the widgets looked up are the ones on screen. */
static GtkWidget *last_first_child;
static gint64 still_since;

static gboolean
detail_stands_still (gpointer data)
{
  GtkWidget *first = detail () != NULL ? gtk_widget_get_first_child (detail ()) : NULL;
  gint64 now = g_get_monotonic_time ();

  if (first != last_first_child || first == NULL)
    {
      last_first_child = first;
      still_since = now;
      return FALSE;
    }
  return now - still_since > G_USEC_PER_SEC;
}

static void
wait_detail_still (void)
{
  last_first_child = NULL;
  g_assert_true (wg_test_wait_for (detail_stands_still, NULL, 15000));
}

static void
show_case (const char *id)
{
  g_action_group_activate_action (G_ACTION_GROUP (app), "show-case", g_variant_new_string (id));
  g_assert_true (wg_test_wait_for (case_selected, (gpointer) id, 10000));
  wait_detail_still ();
}

/* Brings @widget into view in the detail's scrolled pane, as Tab would. */
static void
scroll_to (GtkWidget *widget)
{
  gtk_widget_grab_focus (widget);
  wg_test_settle (300);
}

/* --- the server's data ----------------------------------------------------------------------- */

static char *
point_json (double east_m,
            double north_m)
{
  char lon[G_ASCII_DTOSTR_BUF_SIZE], lat[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (lon, sizeof lon, "%.7f", BASE_LON + east_m / (METRES_PER_DEGREE * cos (BASE_LAT * G_PI / 180)));
  g_ascii_formatd (lat, sizeof lat, "%.7f", BASE_LAT + north_m / METRES_PER_DEGREE);
  return g_strdup_printf ("{\"type\":\"Point\",\"coordinates\":[%s,%s]}", lon, lat);
}

static char *
square_json (double lon,
             double lat,
             double half)
{
  return g_strdup_printf ("{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f],[%.4f,%.4f]]]}",
                          lon - half, lat - half, lon + half, lat - half, lon + half, lat + half,
                          lon - half, lat + half, lon - half, lat - half);
}

static JsonObject *
upload_typed (const char *token,
              const char *case_id,
              const char *name,
              const char *content_type,
              GBytes     *bytes)
{
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/cases/%s/attachments?name=%s", server->url, case_id, escaped);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
  soup_message_set_request_body_from_bytes (message, content_type, bytes);
  reply = soup_session_send_and_read (server->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 201);
  node = json_from_string (g_bytes_get_data (reply, NULL), NULL);
  return json_object_ref (json_node_get_object (node));
}

static JsonObject *
upload (const char *token,
        const char *case_id,
        const char *name,
        GBytes     *bytes)
{
  return upload_typed (token, case_id, name, "image/png", bytes);
}

static void
create_case (SeededCase *c,
             const char *category,
             const char *title,
             double      east_m,
             double      north_m)
{
  g_autofree char *location = point_json (east_m, north_m);
  g_autofree char *body = g_strdup_printf ("{\"source\":\"grid_patrol\",\"title\":\"%s\",\"description\":\"网格员巡查发现，现场拍照上报。\","
                                           "\"category_id\":\"%s\",\"location\":%s,\"address\":\"马街镇兴隆路\"}",
                                           title, category, location);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) record = NULL;

  c->id = wg_test_server_create (server, "/api/v1/cases", body);
  path = g_strdup_printf ("/api/v1/cases/%s", c->id);
  record = wg_test_server_call (server, server->admin_token, "GET", path, NULL, NULL);
  c->number = g_strdup (json_object_get_string_member (json_node_get_object (record), "number"));
}

static void
seed (void)
{
  g_autofree char *village = NULL;
  g_autofree char *group = NULL;
  g_autofree char *category = NULL;
  g_autofree char *grid = NULL;
  g_autofree char *other_grid = NULL;
  g_autofree char *body = NULL;
  g_autofree char *square = NULL;
  g_autofree char *admin = wg_test_server_login (server, "admin", WG_TEST_ADMIN_PASSWORD);
  g_autoptr(GBytes) second = NULL;
  g_autoptr(GBytes) far_photo = NULL;

  village = wg_test_server_create (server, "/api/v1/org-units", "{\"name\":\"马街社区\",\"kind\":\"community\"}");
  body = g_strdup_printf ("{\"name\":\"马街社区第一村民小组\",\"kind\":\"group\",\"parent_id\":\"%s\"}", village);
  group = wg_test_server_create (server, "/api/v1/org-units", body);
  category = wg_test_server_create (server, "/api/v1/categories",
                                    "{\"name\":\"公用设施\",\"default_urgency\":\"normal\",\"deadline_value\":3,\"deadline_unit\":\"days\"}");

  worker_id = wg_test_server_create (server, "/api/v1/people",
                                     "{\"name\":\"张建华\",\"kinds\":[\"grid_worker\"],\"worker_type\":\"full_time\",\"phone\":\"13908761234\"}");
  leader_id = wg_test_server_create (server, "/api/v1/people",
                                     "{\"name\":\"李国强\",\"kinds\":[\"grid_leader\",\"cadre\"],\"phone\":\"13577012345\"}");
  cadre_id = wg_test_server_create (server, "/api/v1/people",
                                    "{\"name\":\"王秀英\",\"kinds\":[\"cadre\"],\"rank\":\"section_level\",\"phone\":\"0874-4561234\"}");

  g_free (body);
  square = square_json (BASE_LON, BASE_LAT, 0.003);
  body = g_strdup_printf ("{\"code\":\"530324100001001\",\"name\":\"马街社区第1网格\",\"village_id\":\"%s\","
                          "\"group_ids\":[\"%s\"],\"household_count\":320,\"boundary\":%s,"
                          "\"grid_leader_id\":\"%s\",\"grid_worker_ids\":[\"%s\"]}",
                          village, group, square, leader_id, worker_id);
  grid = wg_test_server_create (server, "/api/v1/grids", body);
  g_free (square);
  g_free (body);
  square = square_json (BASE_LON + 2000 / (METRES_PER_DEGREE * cos (BASE_LAT * G_PI / 180)), BASE_LAT, 0.003);
  body = g_strdup_printf ("{\"code\":\"530324100001002\",\"name\":\"马街社区第2网格\",\"village_id\":\"%s\",\"boundary\":%s}",
                          village, square);
  other_grid = wg_test_server_create (server, "/api/v1/grids", body);

  /* 包组: the cadre covers the grid's villager group */
  g_free (body);
  body = g_strdup_printf ("{\"person_id\":\"%s\",\"kind\":\"group\",\"target_id\":\"%s\","
                          "\"duties\":[\"publicity_education\",\"service_management\",\"joint_prevention\"]}",
                          cadre_id, group);
  g_free (wg_test_server_create (server, "/api/v1/assignments", body));

  create_case (&far, category, "兴隆路东段井盖缺失", 2000, 0);
  create_case (&near, category, "兴隆路路灯不亮", 0, 50);
  create_case (&here, category, "兴隆路路灯杆倾斜", 0, 0);

  /* the simulator's street scenes, as the demo's grid workers send them */
  here.photo = wg_sim_photo_new (11, 640, 480);
  {
    g_autoptr(JsonObject) first = upload (admin, here.id, "现场照片-1.png", here.photo);
    g_autoptr(JsonObject) other = NULL;

    here.sha256 = g_strdup (json_object_get_string_member (first, "sha256"));
    second = wg_sim_photo_new (12, 480, 640);
    other = upload (admin, here.id, "现场照片-2.png", second);
  }
  /* a notice handed to the resident, as a PDF: a file, not a photo */
  {
    static const char pdf[] = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    g_autoptr(GBytes) bytes = g_bytes_new_static (pdf, sizeof pdf - 1);

    near.photo = g_bytes_ref (bytes);
    json_object_unref (upload_typed (admin, near.id, "整改通知书.pdf", "application/pdf", bytes));
  }
  far_photo = wg_sim_photo_new (13, 320, 240);
  json_object_unref (upload (admin, far.id, "井盖.png", far_photo));
}

/* --- signing in ------------------------------------------------------------------------------ */

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

/* The names of villages and categories have arrived (the category filter lists one). */
static gboolean
names_loaded (gpointer data)
{
  GtkWidget *filter = wg_test_find_widget (GTK_WIDGET (dispatch_page ()), GTK_TYPE_DROP_DOWN, "category-filter");
  GListModel *model = filter != NULL ? gtk_drop_down_get_model (GTK_DROP_DOWN (filter)) : NULL;

  return model != NULL && g_list_model_get_n_items (model) > 1;
}

static void
sign_in (void)
{
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "login", 5000));
  type_into_row (0, server->url);
  type_into_row (1, "dispatcher");
  type_into_row (2, WG_TEST_DISPATCHER_PASSWORD);
  wg_test_settle (100);
  WG_TEST_PRESS (XK_Return);
  /* No keyring under the test display: Wangge offers a file; decline. */
  g_assert_true (wg_test_wait_for (dialog_is_open, GSIZE_TO_POINTER (ADW_TYPE_ALERT_DIALOG), 10000));
  wg_test_settle (400);
  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
  g_assert_true (wg_test_wait_for (sync_state_is, GINT_TO_POINTER (WG_SYNC_STATE_UP_TO_DATE), 20000));
  g_assert_true (wg_test_wait_for (page_is, (gpointer) "main", 5000));
  g_assert_true (wg_test_wait_for (queue_has, GUINT_TO_POINTER (3), 10000));
  /* When the names arrive the queue is bound again and loses its selection: before that. */
  g_assert_true (wg_test_wait_for (names_loaded, NULL, 10000));
  wg_test_settle (300);
}

/* --- the parts of the detail ----------------------------------------------------------------- */

static void
check_photos_cached (void)
{
  g_autofree char *path = g_build_filename (g_get_user_cache_dir (), "wangge", "attachments", here.sha256, NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_test_message ("photo cached at %s", path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (here.photo, NULL), g_bytes_get_size (here.photo));
}

static char *
server_phone (const char *person_id)
{
  g_autofree char *token = wg_test_server_login (server, "dispatcher", WG_TEST_DISPATCHER_PASSWORD);
  g_autofree char *path = g_strdup_printf ("/api/v1/people/%s", person_id);
  g_autoptr(JsonNode) person = wg_test_server_call (server, token, "GET", path, NULL, NULL);

  return g_strdup (json_object_get_string_member (json_node_get_object (person), "phone"));
}

/* The name and phone on each person's row, "name=phone". */
static char *
people_on_show (void)
{
  GtkWidget *people = wg_test_find_widget (detail (), WG_TYPE_CASE_PEOPLE, NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GString) text = g_string_new (NULL);

  collect_descendants (people, ADW_TYPE_ACTION_ROW, "person", rows);
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *phone = wg_test_find_widget (rows->pdata[i], GTK_TYPE_LABEL, "phone");

      g_string_append_printf (text, "%s%s=%s", i > 0 ? " " : "",
                              adw_preferences_row_get_title (rows->pdata[i]),
                              phone != NULL ? gtk_label_get_label (GTK_LABEL (phone)) : "");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **out = user_data;

  *out = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);
  if (*out == NULL)
    *out = g_strdup ("");
}

static gboolean
string_set (gpointer data)
{
  return *(char **) data != NULL;
}

static void
check_people (void)
{
  g_autofree char *worker_phone = server_phone (worker_id);
  g_autofree char *leader_phone = server_phone (leader_id);
  g_autofree char *cadre_phone = server_phone (cadre_id);
  g_autofree char *expected = g_strdup_printf ("李国强=%s 张建华=%s 王秀英=%s", leader_phone, worker_phone, cadre_phone);
  g_autofree char *shown = NULL;
  g_autofree char *copied = NULL;
  GtkWidget *people;
  GtkWidget *copy;

  g_assert_true (wg_test_wait_for (people_loaded, NULL, 10000));
  shown = people_on_show ();
  g_test_message ("people: %s", shown);
  g_assert_cmpstr (shown, ==, expected);

  /* The worker's copy button puts his number on the clipboard and says so. */
  people = wg_test_find_widget (detail (), WG_TYPE_CASE_PEOPLE, NULL);
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

    collect_descendants (people, GTK_TYPE_BUTTON, "copy-phone", buttons);
    g_assert_cmpuint (buttons->len, ==, 3);
    copy = buttons->pdata[1];     /* the worker, after the leader */
  }
  scroll_to (copy);
  wg_test_click_widget (copy);
  g_assert_true (wg_test_wait_for (toast_shown, NULL, 5000));
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (copy), NULL, clipboard_read_cb, &copied);
  g_assert_true (wg_test_wait_for (string_set, &copied, 5000));
  g_assert_cmpstr (copied, ==, worker_phone);
}

static void
check_nearby (void)
{
  GtkWidget *nearby;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  const char *subtitle;

  g_assert_true (wg_test_wait_for (nearby_loaded, NULL, 10000));
  nearby = wg_test_find_widget (detail (), WG_TYPE_CASE_NEARBY, NULL);
  collect_descendants (nearby, ADW_TYPE_ACTION_ROW, "nearby-case", rows);
  g_assert_cmpuint (rows->len, ==, 1);
  subtitle = adw_action_row_get_subtitle (rows->pdata[0]);
  g_test_message ("nearby: %s — %s", adw_preferences_row_get_title (rows->pdata[0]), subtitle);
  g_assert_cmpstr (adw_preferences_row_get_title (rows->pdata[0]), ==, "兴隆路路灯不亮");
  g_assert_nonnull (strstr (subtitle, near.number));
  g_assert_nonnull (strstr (subtitle, IS_ZH ? "50 米" : "50 m"));
  g_assert_null (strstr (subtitle, far.number));
}

static void
check_viewer (void)
{
  GtkWidget *photos = wg_test_find_widget (detail (), WG_TYPE_CASE_PHOTOS, NULL);
  GtkWidget *first = wg_test_find_widget (photos, GTK_TYPE_FLOW_BOX_CHILD, NULL);

  scroll_to (first);
  wg_test_click_widget (first);
  g_assert_true (wg_test_wait_for (viewer_shows, GUINT_TO_POINTER (0), 10000));
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "case-photo-viewer", lang);

  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Right);
  g_assert_true (wg_test_wait_for (viewer_shows, GUINT_TO_POINTER (1), 10000));
  wg_test_settle (300);
  wg_test_screenshot (GTK_WIDGET (window), "case-photo-viewer-2", lang);
  /* the last photo: Right stays */
  WG_TEST_PRESS (XK_Right);
  wg_test_settle (200);
  g_assert_cmpuint (wg_case_photo_viewer_get_index (viewer ()), ==, 1);
  WG_TEST_PRESS (XK_Left);
  g_assert_true (wg_test_wait_for (viewer_shows, GUINT_TO_POINTER (0), 10000));
  WG_TEST_PRESS (XK_Escape);
  g_assert_true (wg_test_wait_for (no_dialog_open, NULL, 3000));
}

/* The desktop's default application for PDF files, for this test: a script that notes which
 * file it was given. */
static char *opened_note;

static void
install_pdf_opener (void)
{
  g_autofree char *apps = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *script = g_build_filename (g_get_user_data_dir (), "wg-test-opener.sh", NULL);
  g_autofree char *desktop = g_build_filename (apps, "wg-test-opener.desktop", NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *script_text = NULL;
  g_autofree char *desktop_text = NULL;

  opened_note = g_build_filename (g_get_user_data_dir (), "opened.txt", NULL);
  script_text = g_strdup_printf ("#!/bin/sh\nprintf '%%s' \"$1\" > '%s.part' && mv '%s.part' '%s'\n",
                                 opened_note, opened_note, opened_note);
  desktop_text = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test opener\nExec=%s %%f\n"
                                  "MimeType=application/pdf;\nNoDisplay=true\n", script);
  g_assert_cmpint (g_mkdir_with_parents (apps, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (g_get_user_config_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (script, script_text, -1, NULL));
  g_assert_cmpint (g_chmod (script, 0700), ==, 0);
  g_assert_true (g_file_set_contents (desktop, desktop_text, -1, NULL));
  g_assert_true (g_file_set_contents (mimeapps, "[Default Applications]\napplication/pdf=wg-test-opener.desktop\n", -1, NULL));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

/* A file that is not a photo: a row with its name and size; activating it downloads it and
 * hands a copy under its own name to the desktop's default application. */
static void
check_file (void)
{
  GtkWidget *files = wg_test_find_widget (detail (), GTK_TYPE_LIST_BOX, "case-files");
  GtkWidget *row = files != NULL ? wg_test_find_widget (files, ADW_TYPE_ACTION_ROW, NULL) : NULL;
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_nonnull (row);
  g_assert_true (gtk_widget_get_visible (files));
  g_assert_null (wg_test_find_widget (wg_test_find_widget (detail (), WG_TYPE_CASE_PHOTOS, NULL), GTK_TYPE_FLOW_BOX_CHILD, NULL));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "整改通知书.pdf");
  g_test_message ("file: %s", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)));
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), IS_ZH ? "字节" : "bytes"));
  wg_test_screenshot (detail (), "case-detail-file", lang);

  scroll_to (row);
  wg_test_click_widget (row);
  g_assert_true (wg_test_wait_for (file_exists, opened_note, 10000));
  g_assert_true (g_file_get_contents (opened_note, &path, NULL, NULL));
  g_test_message ("the default application opened %s", path);
  g_assert_true (g_str_has_suffix (path, "/整改通知书.pdf"));
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (near.photo, NULL), g_bytes_get_size (near.photo));
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), !=, IS_ZH ? "正在下载…" : "Downloading…");
  g_assert_true (no_dialog_open (NULL));
}

/* --- the test -------------------------------------------------------------------------------- */

static void
test_case_detail (void)
{
  GtkWidget *row;

  server = wg_test_server_new ();
  wg_test_server_start (server);
  seed ();

  app = wg_application_new ();
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, NULL));
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_application_activate (G_APPLICATION (app));
  window = WG_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  g_assert_true (wg_test_wait_for (window_is_drawn, NULL, 5000));
  wg_test_focus_window (GTK_WIDGET (window));
  sign_in ();

  /* The case with photos: two thumbnails, each file kept on disk as the server sent it. */
  show_case (here.id);
  g_assert_true (wg_test_wait_for (photos_shown, GUINT_TO_POINTER (2), 20000));
  check_photos_cached ();
  check_people ();
  check_nearby ();
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "case-detail-photos", lang);
  wg_test_screenshot (detail (), "case-detail-full", lang);
  check_viewer ();

  /* The nearby case, one click away. */
  row = wg_test_find_widget (wg_test_find_widget (detail (), WG_TYPE_CASE_NEARBY, NULL), ADW_TYPE_ACTION_ROW, "nearby-case");
  scroll_to (row);
  wg_test_screenshot (GTK_WIDGET (window), "case-detail-nearby", lang);
  wg_test_click_widget (row);
  g_assert_true (wg_test_wait_for (case_selected, near.id, 10000));
  wait_detail_still ();
  check_file ();

  /* The server goes away. A photo never downloaded says why, in place, without a dialog… */
  wg_test_server_kill (server);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.sync-now", NULL);
  g_assert_true (wg_test_wait_for (sync_state_is, GINT_TO_POINTER (WG_SYNC_STATE_OFFLINE), 10000));
  show_case (far.id);
  g_assert_true (wg_test_wait_for (photo_caption_shown, NULL, 20000));
  g_assert_true (photos_shown (GUINT_TO_POINTER (0)));
  {
    GtkWidget *caption = wg_test_find_widget (detail (), GTK_TYPE_LABEL, "photo-caption");

    g_test_message ("offline: %s", gtk_label_get_text (GTK_LABEL (caption)));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (caption)), IS_ZH ? "连接" : "connect"));
  }
  g_assert_true (no_dialog_open (NULL));
  wg_test_settle (400);
  wg_test_screenshot (detail (), "case-detail-offline-photo", lang);

  /* …and the photos seen before are still there, read from the disk cache. */
  show_case (here.id);
  g_assert_true (wg_test_wait_for (photos_shown, GUINT_TO_POINTER (2), 20000));
  g_assert_false (photo_caption_shown (NULL));
  g_assert_true (wg_test_wait_for (people_loaded, NULL, 10000));
  wg_test_settle (400);
  wg_test_screenshot (GTK_WIDGET (window), "case-detail-offline", lang);

  wg_test_focus_window (GTK_WIDGET (window));
  WG_TEST_PRESS (XK_Control_L, XK_q);
  wg_test_settle (500);
  window = NULL;
  g_clear_object (&app);
  g_clear_pointer (&server, wg_test_server_free);
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

  /* The test writes a default application for PDF files and wipes what it finds: only ever
   * in the folders meson gives it, never in a person's own. */
  if (g_getenv ("XDG_DATA_HOME") == NULL || g_getenv ("XDG_CACHE_HOME") == NULL || g_getenv ("XDG_CONFIG_HOME") == NULL)
    {
      g_printerr ("Run this test with meson test: it needs XDG_DATA_HOME, XDG_CACHE_HOME and XDG_CONFIG_HOME of its own.\n");
      return 77;
    }
  /* A first start: no cache, no photos kept, no saved sign-in. */
  wg_test_remove_tree (g_getenv ("XDG_DATA_HOME"));
  wg_test_remove_tree (g_getenv ("XDG_CONFIG_HOME"));
  {
    g_autofree char *kept = g_build_filename (g_getenv ("XDG_CACHE_HOME"), "wangge", NULL);

    wg_test_remove_tree (kept);
  }
  install_pdf_opener ();

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/ui/case-detail", test_case_detail);

  return g_test_run ();
}
