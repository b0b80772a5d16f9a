/* test-attachments.c — a case's attachments: what they are, where they are kept, offline
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Downloading through the server is tested by the case-detail UI test; here the parts that
 * need no server: reading the case's list, the cache path (never outside the cache folder,
 * whatever the server sends) and fetching from the cache without a connection.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>

#include "wg-attachments.h"

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
fetch (WgAttachment  *attachment,
       GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  wg_attachment_fetch_async (attachment, NULL, NULL, fetched_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return wg_attachment_fetch_finish (result, error);
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
  status = g_test_run ();

  {
    g_autofree char *dir = g_build_filename (cache_home, "wangge", "attachments", NULL);
    g_autofree char *parent = g_build_filename (cache_home, "wangge", NULL);

    g_rmdir (dir);
    g_rmdir (parent);
    g_rmdir (cache_home);
  }
  return status;
}
