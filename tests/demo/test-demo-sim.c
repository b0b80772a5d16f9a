/* test-demo-sim.c — wangge-sim against a real server: every action succeeds, the log stays consistent
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator plays grid workers, teams and (with --center) the command center on the
 * demo township, fast. Afterwards the change feed, read from 0 as a client reads it, must
 * have strictly increasing sequence numbers without gaps, versions that only grow, and for
 * every case the version the case has now; every case's timeline must be a legal path.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "demo-harness.h"
#include "wg-demo.h"
#include "wg-geometry.h"

static void
test_sim (void)
{
  g_autofree char *dir = demo_make_dir ();
  g_autofree char *generated = demo_generate (dir, "5", NULL);
  g_autoptr(DemoServer) server = demo_server_start (dir);
  g_autofree char *admin = demo_login (server, "admin", WG_DEMO_PASSWORD_ADMIN);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GHashTable) last_version = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) roles = NULL;
  g_autoptr(GPtrArray) cases = NULL;
  g_autoptr(GPtrArray) grids = NULL;
  g_autoptr(GHashTable) grid_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  const char *argv[] = { g_getenv ("WANGGE_SIM"), "--url", server->url, "--center", "--count", "40",
                         "--speed", "20000", "--duration", "100", "--seed", "5", NULL };
  g_autoptr(JsonObject) photo = NULL;
  guint with_photo = 0;
  gint64 since = 0, expected_seq = 1;
  gboolean more = TRUE;
  guint n_changes = 0;
  int status;

  g_assert_nonnull (argv[0]);
  status = demo_run (argv, &out, &err);
  g_test_message ("wangge-sim:\n%s%s", out, err);
  g_assert_cmpint (status, ==, 0);
  g_assert_nonnull (strstr (out, "40 reports"));
  g_assert_nonnull (strstr (out, " 0 failed"));

  /* the feed as a client pulls it */
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=1000", since);
      g_autoptr(JsonNode) reply = demo_call (server, admin, "GET", path, NULL, NULL);
      JsonObject *page = json_node_get_object (reply);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *c = json_array_get_object_element (changes, i);
          const char *id = json_object_get_string_member (c, "id");
          gint64 seq = json_object_get_int_member (c, "seq");
          gint64 version = json_object_get_int_member (c, "version");
          gpointer before;

          /* an administrator sees every change: no gaps */
          g_assert_cmpint (seq, ==, expected_seq);
          expected_seq++;
          if (g_hash_table_lookup_extended (last_version, id, NULL, &before))
            g_assert_cmpint (version, >, GPOINTER_TO_SIZE (before));
          if (json_object_has_member (c, "record"))
            g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (c, "record"), "version"), ==, version);
          g_hash_table_insert (last_version, g_strdup (id), GSIZE_TO_POINTER (version));
          n_changes++;
        }
      if (json_array_get_length (changes) > 0)
        g_assert_cmpint (json_object_get_int_member (page, "next"), ==, expected_seq - 1);
      since = json_object_get_int_member (page, "next");
      more = json_object_get_boolean_member (page, "has_more");
    }
  g_test_message ("%u changes", n_changes);

  roles = demo_account_roles (server, admin);
  cases = demo_list_all (server, admin, "/api/v1/cases");
  grids = demo_list_all (server, admin, "/api/v1/grids");
  for (guint i = 0; i < grids->len; i++)
    g_hash_table_insert (grid_by_id, (gpointer) json_object_get_string_member (g_ptr_array_index (grids, i), "id"),
                         g_ptr_array_index (grids, i));
  g_assert_cmpuint (cases->len, ==, WG_DEMO_N_CASES + 40);
  for (guint i = 0; i < cases->len; i++)
    {
      JsonObject *c = g_ptr_array_index (cases, i);
      JsonObject *g = g_hash_table_lookup (grid_by_id, json_object_get_string_member (c, "grid_id"));
      g_autoptr(WgPolygon) boundary = wg_polygon_new_from_json (json_object_get_member (g, "boundary"), NULL);
      double lon, lat;

      demo_assert_timeline (c, roles);
      g_assert_cmpint (json_object_get_int_member (c, "version"), ==,
                       GPOINTER_TO_SIZE (g_hash_table_lookup (last_version, json_object_get_string_member (c, "id"))));
      g_assert_true (wg_point_from_json (json_object_get_member (c, "location"), &lon, &lat, NULL));
      g_assert_true (wg_polygon_contains (boundary, lon, lat));
      if (json_array_get_length (json_object_get_array_member (c, "attachments")) > 0)
        {
          with_photo++;
          if (photo == NULL)
            photo = json_object_ref (json_array_get_object_element (json_object_get_array_member (c, "attachments"), 0));
        }
    }

  /* About half the reports come with an on-site photo: a real PNG, the bytes the server says. */
  {
    g_autofree char *said = g_strdup_printf ("%u with a photo", with_photo);
    g_autofree char *url = NULL;
    g_autofree char *bearer = g_strconcat ("Bearer ", admin, NULL);
    g_autofree char *sha = NULL;
    g_autoptr(SoupMessage) message = NULL;
    g_autoptr(GBytes) bytes = NULL;
    g_autoptr(GError) error = NULL;
    static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

    g_test_message ("%u of the simulator's 40 reports have a photo", with_photo);
    g_assert_cmpuint (with_photo, >, 5);
    g_assert_cmpuint (with_photo, <, 35);
    g_assert_nonnull (strstr (out, said));
    g_assert_nonnull (photo);
    g_assert_cmpstr (json_object_get_string_member (photo, "content_type"), ==, "image/png");
    url = g_strconcat (server->url, json_object_get_string_member (photo, "url"), NULL);
    message = soup_message_new ("GET", url);
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    bytes = soup_session_send_and_read (server->session, message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 200);
    g_assert_cmpuint (g_bytes_get_size (bytes), ==, json_object_get_int_member (photo, "size"));
    g_assert_cmpmem (g_bytes_get_data (bytes, NULL), sizeof png_signature, png_signature, sizeof png_signature);
    sha = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
    g_assert_cmpstr (sha, ==, json_object_get_string_member (photo, "sha256"));
  }
  demo_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demo/sim/consistent", test_sim);
  return g_test_run ();
}
