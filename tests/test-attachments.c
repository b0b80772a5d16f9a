/* test-attachments.c — a case's attachments: what they are, where they are kept, offline,
 * and the size limit of the folder they are kept in
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * First the parts that need no server: reading the case's list, the cache path (never outside
 * the cache folder, whatever the server sends) and fetching from the cache without a
 * connection. Then, against the real wangge-server on loopback ($WANGGE_SERVER), the size
 * limit: downloads that take the folder over it remove the least recently used files, a file
 * just viewed or just written stays, a temporary left by a killed process goes, and a removed
 * file is simply downloaded again.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>
#include <utime.h>

#include "wg-attachments.h"
#include "wg-test-server.h"

static char *cache_home;

#define SHA "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08"
#define ID  "3f1e2d4c-5b6a-4789-8abc-def012345678"

static JsonObject *
parse_one (const char *text)
{
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_nonnull (node);
  return json_object_ref (json_node_get_object (node));
}

static void
test_from_case (void)
{
  g_autoptr(JsonObject) case_json = parse_one (
    "{\"id\":\"c1\",\"attachments\":["
    "{\"id\":\"" ID "\",\"name\":\"现场照片.jpg\",\"content_type\":\"image/jpeg\",\"size\":1234,\"sha256\":\"" SHA "\"},"
    "{\"id\":\"4f1e2d4c-5b6a-4789-8abc-def012345678\",\"name\":\"告知书.pdf\",\"content_type\":\"application/pdf\",\"size\":99},"
    "{\"name\":\"no id\"},"
    "\"not an object\"]}");
  g_autoptr(JsonObject) bare = parse_one ("{\"id\":\"c2\"}");
  g_autoptr(GPtrArray) attachments = wg_attachments_from_case (case_json);
  g_autoptr(GPtrArray) none = wg_attachments_from_case (bare);
  WgAttachment *photo, *pdf;

  g_assert_cmpuint (attachments->len, ==, 2);
  photo = attachments->pdata[0];
  pdf = attachments->pdata[1];
  g_assert_cmpstr (photo->name, ==, "现场照片.jpg");
  g_assert_cmpint (photo->size, ==, 1234);
  g_assert_true (wg_attachment_is_image (photo));
  g_assert_false (wg_attachment_is_image (pdf));
  g_assert_null (pdf->sha256);
  g_assert_cmpuint (none->len, ==, 0);
}

static void
test_cache_path (void)
{
  g_autofree char *dir = g_build_filename (cache_home, "wangge", "attachments", NULL);
  WgAttachment by_sha = { (char *) ID, (char *) "a.jpg", (char *) "image/jpeg", (char *) SHA, 1 };
  WgAttachment by_id = { (char *) ID, (char *) "a.jpg", (char *) "image/jpeg", (char *) "not-a-sha", 1 };
  WgAttachment hostile = { (char *) "../../../.bashrc", (char *) "a.jpg", (char *) "image/jpeg", (char *) "../../x", 1 };
  g_autofree char *sha_path = wg_attachment_get_cache_path (&by_sha);
  g_autofree char *id_path = wg_attachment_get_cache_path (&by_id);
  g_autofree char *hostile_path = wg_attachment_get_cache_path (&hostile);
  g_autofree char *sha_lower = g_ascii_strdown (SHA, -1);
  g_autofree char *expected_sha = g_build_filename (dir, sha_lower, NULL);
  g_autofree char *expected_id = g_build_filename (dir, ID, NULL);

  /* content-addressed: the same photo on two cases is kept once */
  g_assert_cmpstr (sha_path, ==, expected_sha);
  g_assert_cmpstr (id_path, ==, expected_id);
  g_assert_null (hostile_path);
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static char *
fetch_with (WgAttachment  *attachment,
            WgApi         *api,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wg_attachment_fetch_async (attachment, api, NULL, fetched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wg_attachment_fetch_finish (result, error);
}

static char *
fetch (WgAttachment  *attachment,
       GError       **error)
{
  return fetch_with (attachment, NULL, error);
}

/* Signed out or offline (no API client): what is cached is found, the rest says why. */
static void
test_fetch_offline (void)
{
  WgAttachment photo = { (char *) ID, (char *) "a.png", (char *) "image/png", (char *) SHA, 5 };
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = fetch (&photo, &error);
  g_autofree char *path = wg_attachment_get_cache_path (&photo);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *found = NULL;

  g_assert_null (missing);
  g_assert_error (error, WG_API_ERROR, WG_API_ERROR_NETWORK);
  g_assert_cmpstr (wg_attachment_describe_error (error), ==, "Not downloaded yet — connect to the server to see it.");
  g_clear_error (&error);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, "photo", 5, NULL));
  found = fetch (&photo, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found, ==, path);
  g_unlink (path);
}

static void
test_describe_errors (void)
{
  g_autoptr(GError) gone = g_error_new_literal (WG_API_ERROR, WG_API_ERROR_NOT_FOUND, "x");
  g_autoptr(GError) full = g_error_new_literal (G_FILE_ERROR, G_FILE_ERROR_NOSPC, "x");

  g_assert_cmpstr (wg_attachment_describe_error (gone), ==, "The server no longer has this file.");
  g_assert_cmpstr (wg_attachment_describe_error (full), ==, "The disk is full: the file could not be kept.");
}

/* Signing out forgets the files kept on disk, and the copies opened elsewhere, but nothing
 * else in the user's cache. */
static void
test_forget_all (void)
{
  g_autofree char *kept = g_build_filename (g_get_user_cache_dir (), "wangge", "attachments", "0123", NULL);
  g_autofree char *opened_dir = g_build_filename (g_get_user_cache_dir (), "wangge", "open", "abcd", NULL);
  g_autofree char *opened = g_build_filename (opened_dir, "照片.jpg", NULL);
  g_autofree char *other = g_build_filename (g_get_user_cache_dir (), "wangge", "tiles.db", NULL);

  g_assert_cmpint (g_mkdir_with_parents (opened_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (kept, "photo", -1, NULL));
  g_assert_true (g_file_set_contents (opened, "photo", -1, NULL));
  g_assert_true (g_file_set_contents (other, "tiles", -1, NULL));

  wg_attachments_forget_all ();

  g_assert_false (g_file_test (kept, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (opened, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (opened_dir, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
}

/* --- the size limit, against the server ------------------------------------------------------- */

#define PHOTO_SIZE 3000

static WgTestServer *server;
static WgApi *api;
static char *case_id;
static guint n_uploaded;

typedef struct
{
  WgAttachment *attachment;
  GBytes       *bytes;
  char         *path;
} Photo;

static void
photo_free (Photo *photo)
{
  wg_attachment_free (photo->attachment);
  g_bytes_unref (photo->bytes);
  g_free (photo->path);
  g_free (photo);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Photo, photo_free)

/* A photo of PHOTO_SIZE bytes uploaded to the case, as the mobile app sends one; each one
 * different, so each has its own file in the cache. */
static Photo *
upload_photo (void)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/cases/%s/attachments?name=site-photo-%u.jpg",
                                          server->url, case_id, ++n_uploaded);
  g_autofree char *token = wg_test_server_login (server, "admin", WG_TEST_ADMIN_PASSWORD);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("POST", url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (n_uploaded);
  guchar *data = g_malloc (PHOTO_SIZE);
  Photo *photo = g_new0 (Photo, 1);

  for (guint i = 0; i < PHOTO_SIZE; i++)
    data[i] = (guchar) g_rand_int_range (rand, 0, 256);
  photo->bytes = g_bytes_new_take (data, PHOTO_SIZE);

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
  soup_message_set_request_body_from_bytes (message, "image/jpeg", photo->bytes);
  reply = soup_session_send_and_read (server->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 201);
  node = json_from_string (g_bytes_get_data (reply, NULL), NULL);
  g_assert_nonnull (node);
  photo->attachment = wg_attachment_new_from_json (json_node_get_object (node));
  g_assert_nonnull (photo->attachment);
  g_assert_cmpint (photo->attachment->size, ==, PHOTO_SIZE);
  photo->path = wg_attachment_get_cache_path (photo->attachment);
  g_assert_nonnull (photo->path);
  return photo;
}

static char *
cache_dir (void)
{
  return g_build_filename (g_get_user_cache_dir (), "wangge", "attachments", NULL);
}

/* Fetches through the server (or from the cache) and checks it is the photo uploaded. */
static void
fetch_photo (Photo *photo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = fetch_with (photo->attachment, api, &error);
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (path, ==, photo->path);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpmem (contents, length, g_bytes_get_data (photo->bytes, NULL), g_bytes_get_size (photo->bytes));
}

static void
cache_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs @op after every measure, trim or clear asked for before (the trims after downloads
 * among them) and returns the bytes the kept files take then. */
static guint64
cache_run (WgAttachmentsCacheOp op)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint64 used = G_MAXUINT64;

  wg_attachments_cache_async (op, NULL, cache_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (wg_attachments_cache_finish (result, &used, &error));
  g_assert_no_error (error);
  return used;
}

/* What the folder holds, counted here rather than by the code under test. */
static guint64
folder_bytes (void)
{
  g_autofree char *dir = cache_dir ();
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint64 total = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf buf;

      /* a trim may remove it meanwhile */
      if (g_stat (path, &buf) == 0)
        total += buf.st_size;
    }
  return total;
}

static gboolean
keep_ticking (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

/* Waits, with a deadline, for the trims to bring the folder to at most @limit bytes; woken
 * often, so a trim that never comes is seen at the deadline. */
static gboolean
wait_for_folder_at_most (guint64 limit)
{
  guint tick = g_timeout_add (100, keep_ticking, NULL);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (folder_bytes () > limit && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return folder_bytes () <= limit;
}

static void
set_age (const char *path,
         gint64      seconds)
{
  struct utimbuf times;

  times.actime = times.modtime = (time_t) (g_get_real_time () / G_USEC_PER_SEC - seconds);
  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static gint64
age (const char *path)
{
  GStatBuf buf;

  g_assert_cmpint (g_stat (path, &buf), ==, 0);
  return g_get_real_time () / G_USEC_PER_SEC - buf.st_mtime;
}

static gboolean
exists (Photo *photo)
{
  return g_file_test (photo->path, G_FILE_TEST_IS_REGULAR);
}

/* An empty folder, and nothing handed out that a trim would still keep. */
static void
start_clean (guint64 limit)
{
  wg_attachments_forget_all ();
  wg_attachments_set_cache_limit (limit);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, 0);
}

static gboolean
require_server (void)
{
  if (server == NULL)
    {
      g_test_skip ("WANGGE_SERVER is not set");
      return FALSE;
    }
  return TRUE;
}

/* Room for two photos: a third removes the one viewed longest ago; one just viewed stays. */
static void
test_limit_removes_least_recent (void)
{
  g_autoptr(Photo) a = NULL;
  g_autoptr(Photo) b = NULL;
  g_autoptr(Photo) c = NULL;
  g_autoptr(Photo) d = NULL;
  const guint64 limit = 2 * PHOTO_SIZE + PHOTO_SIZE / 3;

  if (!require_server ())
    return;
  a = upload_photo ();
  b = upload_photo ();
  c = upload_photo ();
  d = upload_photo ();
  start_clean (limit);

  fetch_photo (a);
  fetch_photo (b);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, 2 * PHOTO_SIZE);
  g_assert_cmpuint (folder_bytes (), ==, 2 * PHOTO_SIZE);

  /* a was downloaded two hours ago and b one hour ago, but a is looked at again now */
  set_age (a->path, 2 * 3600);
  set_age (b->path, 3600);
  fetch_photo (a);
  g_assert_cmpint (age (a->path), <, 60);
  /* A trim takes over what was handed out (which it keeps): from here only the times decide. */
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_TRIM), ==, 2 * PHOTO_SIZE);

  /* c takes the folder over the limit: b goes, the one viewed longest ago */
  fetch_photo (c);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, 2 * PHOTO_SIZE);
  g_assert_cmpuint (folder_bytes (), <=, limit);
  g_assert_true (exists (a));
  g_assert_false (exists (b));
  g_assert_true (exists (c));

  /* b is wanted again: downloaded again, and now a is the one viewed longest ago */
  fetch_photo (b);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, 2 * PHOTO_SIZE);
  g_assert_cmpuint (folder_bytes (), <=, limit);
  g_assert_false (exists (a));
  g_assert_true (exists (b));
  g_assert_true (exists (c));

  /* A smaller limit trims at once. */
  wg_attachments_set_cache_limit (PHOTO_SIZE / 2);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, 0);
  g_assert_cmpuint (folder_bytes (), ==, 0);

  /* A file just written is never removed by the trim its download starts, even alone over
   * the limit: whoever asked for it is about to read it. A trim a few seconds later takes it,
   * with no other download to start one. */
  fetch_photo (d);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, PHOTO_SIZE);
  g_assert_true (exists (d));
  g_assert_true (wait_for_folder_at_most (0));
  g_assert_false (exists (d));

  /* and removed, it is downloaded once more when wanted */
  fetch_photo (d);
  g_assert_true (exists (d));

  wg_attachments_set_cache_limit (WG_ATTACHMENTS_DEFAULT_CACHE_LIMIT);
}

/* A download writes under a temporary name and renames it; one left by a killed process is
 * removed by the next trim, one still being written is not, and neither counts. */
static void
test_stale_temporary (void)
{
  g_autoptr(Photo) a = NULL;
  g_autofree char *dir = cache_dir ();
  g_autofree char *stale = NULL;
  g_autofree char *young = NULL;

  if (!require_server ())
    return;
  a = upload_photo ();
  start_clean (WG_ATTACHMENTS_DEFAULT_CACHE_LIMIT);
  fetch_photo (a);
  /* after the trim the download started */
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, PHOTO_SIZE);

  /* named as g_file_set_contents_full names them: the file's name and six characters */
  stale = g_strconcat (a->path, ".Q7xk2P", NULL);
  young = g_build_filename (dir, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef.r4Tz9a", NULL);
  g_assert_true (g_file_set_contents (stale, "half a photo", -1, NULL));
  g_assert_true (g_file_set_contents (young, "a photo on its way", -1, NULL));
  set_age (stale, 2 * 3600);
  set_age (young, 60);

  /* measuring removes nothing */
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, PHOTO_SIZE);
  g_assert_true (g_file_test (stale, G_FILE_TEST_EXISTS));

  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_TRIM), ==, PHOTO_SIZE);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
  g_assert_true (exists (a));

  /* nor does clearing take a temporary still being written */
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_CLEAR), ==, 0);
  g_assert_false (exists (a));
  g_assert_true (g_file_test (young, G_FILE_TEST_EXISTS));
  g_unlink (young);
}

/* Clearing (Preferences) removes every kept file but one being read this moment; the rest
 * come back from the server when looked at. */
static void
test_clear (void)
{
  g_autoptr(Photo) a = NULL;
  g_autoptr(Photo) b = NULL;

  if (!require_server ())
    return;
  a = upload_photo ();
  b = upload_photo ();
  start_clean (WG_ATTACHMENTS_DEFAULT_CACHE_LIMIT);
  fetch_photo (a);
  fetch_photo (b);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), ==, 2 * PHOTO_SIZE);

  /* the trims after the downloads are over: only a, viewed now, is being read */
  fetch_photo (a);
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_CLEAR), ==, PHOTO_SIZE);
  g_assert_true (exists (a));
  g_assert_false (exists (b));

  fetch_photo (b);
  g_assert_true (exists (b));
}

/* Many photos arriving at once (a case's thumbnails) are all kept by the trims their downloads
 * start; a later trim brings the folder under the limit without another download. */
static void
test_limit_after_burst (void)
{
  const guint64 limit = 2 * PHOTO_SIZE + PHOTO_SIZE / 3;
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func ((GDestroyNotify) photo_free);
  GAsyncResult *results[5] = { NULL, };
  guint kept = 0;

  if (!require_server ())
    return;
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    g_ptr_array_add (photos, upload_photo ());
  start_clean (limit);

  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    wg_attachment_fetch_async (((Photo *) photos->pdata[i])->attachment, api, NULL, fetched_cb, &results[i]);
  for (guint i = 0; i < G_N_ELEMENTS (results); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *path = NULL;

      while (results[i] == NULL)
        g_main_context_iteration (NULL, TRUE);
      path = wg_attachment_fetch_finish (results[i], &error);
      g_assert_no_error (error);
      g_assert_cmpstr (path, ==, ((Photo *) photos->pdata[i])->path);
      g_clear_object (&results[i]);
    }
  g_test_message ("after the burst: %" G_GUINT64_FORMAT " bytes kept", folder_bytes ());

  g_assert_true (wait_for_folder_at_most (limit));
  g_assert_cmpuint (cache_run (WG_ATTACHMENTS_CACHE_MEASURE), <=, limit);
  for (guint i = 0; i < photos->len; i++)
    kept += exists (photos->pdata[i]);
  g_assert_cmpuint (kept, ==, 2);

  wg_attachments_set_cache_limit (WG_ATTACHMENTS_DEFAULT_CACHE_LIMIT);
}

static void
start_server (void)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *token = NULL;

  server = wg_test_server_new ();
  wg_test_server_start (server);
  wg_test_server_seed (server, 1, 1, ids);
  case_id = g_strdup (ids->pdata[0]);
  token = wg_test_server_login (server, "dispatcher", WG_TEST_DISPATCHER_PASSWORD);
  api = wg_api_new (server->url);
  wg_api_set_token (api, token);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  /* Before anything asks GLib for the cache folder: it keeps the first answer. */
  cache_home = g_dir_make_tmp ("wg-attachments-XXXXXX", NULL);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/attachments/from-case", test_from_case);
  g_test_add_func ("/attachments/cache-path", test_cache_path);
  g_test_add_func ("/attachments/fetch-offline", test_fetch_offline);
  g_test_add_func ("/attachments/describe-errors", test_describe_errors);
  g_test_add_func ("/attachments/forget-all", test_forget_all);
  g_test_add_func ("/attachments/limit/least-recent", test_limit_removes_least_recent);
  g_test_add_func ("/attachments/limit/stale-temporary", test_stale_temporary);
  g_test_add_func ("/attachments/limit/clear", test_clear);
  g_test_add_func ("/attachments/limit/burst", test_limit_after_burst);
  if (g_getenv ("WANGGE_SERVER") != NULL)
    start_server ();
  status = g_test_run ();
  g_clear_object (&api);
  g_clear_pointer (&server, wg_test_server_free);
  g_free (case_id);

  {
    g_autofree char *dir = g_build_filename (cache_home, "wangge", "attachments", NULL);
    g_autofree char *parent = g_build_filename (cache_home, "wangge", NULL);

    g_rmdir (dir);
    g_rmdir (parent);
    g_rmdir (cache_home);
  }
  return status;
}
