/* wg-test-server.c — a real wangge-server on loopback for the client's tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server is the built binary ($WANGGE_SERVER), with its own database in a temporary
 * directory, started on a free port and killed with SIGKILL when asked, so tests see what a
 * crash or a pulled cable does. Password hashing runs at its test cost.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "wg-test-server.h"

/* A server must not outlive a test that failed half-way: it would hold meson's pipe open. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static const char *
server_binary (void)
{
  const char *path = g_getenv ("WANGGE_SERVER");

  g_assert_nonnull (path);
  return path;
}

static void
run_sync (const char * const *argv,
          const char         *input)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDOUT_SILENCE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;

  g_subprocess_launcher_setenv (launcher, "WANGGE_SERVER_TEST_FAST_HASH", "1", TRUE);
  /* The server warns that hashing is cheap; a UI test's fatal-warnings must not kill it. */
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, NULL, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (process))
    g_error ("%s %s failed: %s", argv[0], argv[1], err);
}

void
wg_test_remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        wg_test_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

WgTestServer *
wg_test_server_new (void)
{
  WgTestServer *self = g_new0 (WgTestServer, 1);
  g_autoptr(GError) error = NULL;

  self->data_dir = g_dir_make_tmp ("wg-server-XXXXXX", &error);
  g_assert_no_error (error);
  self->session = soup_session_new_with_options ("timeout", 20, NULL);

  {
    const char *init[] = { server_binary (), "init", "-d", self->data_dir, NULL };
    const char *admin[] = { server_binary (), "add-account", "-d", self->data_dir, "-u", "admin",
                            "-n", "管理员", "-r", "admin", NULL };
    const char *dispatcher[] = { server_binary (), "add-account", "-d", self->data_dir, "-u", "dispatcher",
                                 "-n", "值班调度员", "-r", "dispatcher", NULL };

    run_sync (init, NULL);
    run_sync (admin, WG_TEST_ADMIN_PASSWORD "\n");
    run_sync (dispatcher, WG_TEST_DISPATCHER_PASSWORD "\n");
  }

  return self;
}

void
wg_test_server_start (WgTestServer *self)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *port = g_strdup_printf ("%u", self->port);
  g_autofree char *line = NULL;
  g_autoptr(GUri) uri = NULL;
  gsize len;

  g_assert_null (self->process);

  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, (gpointer) "serve");
  g_ptr_array_add (argv, (gpointer) "-d");
  g_ptr_array_add (argv, self->data_dir);
  g_ptr_array_add (argv, (gpointer) "-p");
  g_ptr_array_add (argv, port);
  g_ptr_array_add (argv, (gpointer) "--heartbeat-seconds=2");
  for (guint i = 0; self->extra_args != NULL && self->extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, self->extra_args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "WANGGE_SERVER_TEST_FAST_HASH", "1", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_unsetenv (launcher, "G_DEBUG");
  /* Restarting on the same port right after a kill must not fail on TIME_WAIT; the server
   * sets SO_REUSEADDR through GSocketService, and a few tries cover the rest. */
  for (guint attempt = 0; attempt < 20; attempt++)
    {
      g_clear_object (&self->process);
      g_clear_object (&out);
      g_clear_pointer (&line, g_free);
      self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
      line = g_data_input_stream_read_line_utf8 (out, &len, NULL, NULL);
      if (line != NULL && g_str_has_prefix (line, "listening on "))
        break;
      g_subprocess_wait (self->process, NULL, NULL);
      g_usleep (100 * G_USEC_PER_SEC / 1000);
    }
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));

  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, &error);
  g_assert_no_error (error);
  self->port = g_uri_get_port (uri);
}

void
wg_test_server_kill (WgTestServer *self)
{
  if (self->process == NULL)
    return;

  g_subprocess_send_signal (self->process, SIGKILL);
  g_subprocess_wait (self->process, NULL, NULL);
  g_clear_object (&self->process);
}

void
wg_test_server_free (WgTestServer *self)
{
  wg_test_server_kill (self);
  wg_test_remove_tree (self->data_dir);
  g_clear_object (&self->session);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self->admin_token);
  g_strfreev (self->extra_args);
  g_free (self);
}

JsonNode *
wg_test_server_call (WgTestServer *self,
                     const char   *token,
                     const char   *method,
                     const char   *path,
                     const char   *body,
                     guint        *out_status)
{
  g_autofree char *url = g_strconcat (self->url, path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  reply = soup_session_send_and_read (self->session, message, NULL, &error);
  g_assert_no_error (error);
  if (out_status != NULL)
    *out_status = soup_message_get_status (message);
  if (g_bytes_get_size (reply) == 0)
    return json_node_new (JSON_NODE_NULL);
  return json_from_string (g_bytes_get_data (reply, NULL), NULL);
}

char *
wg_test_server_login (WgTestServer *self,
                      const char   *username,
                      const char   *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = wg_test_server_call (self, NULL, "POST", "/api/v1/session", body, &status);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (json_node_get_object (reply), "token"));
}

static const char *
admin_token (WgTestServer *self)
{
  if (self->admin_token == NULL)
    self->admin_token = wg_test_server_login (self, "admin", WG_TEST_ADMIN_PASSWORD);
  return self->admin_token;
}

/* Creates a record as the admin and returns its id. */
char *
wg_test_server_create (WgTestServer *self,
                       const char   *path,
                       const char   *body)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = wg_test_server_call (self, admin_token (self), "POST", path, body, &status);
  if (status != 201 && status != 200)
    g_error ("POST %s %s → %u: %s", path, body, status, json_to_string (reply, FALSE));
  return g_strdup (json_object_get_string_member (json_node_get_object (reply), "id"));
}

/* A village with @n_grids grids in a row near Majie, a category, and @n_cases cases reported
 * by the staff on behalf of callers. */
void
wg_test_server_seed (WgTestServer *self,
                     guint         n_grids,
                     guint         n_cases,
                     GPtrArray    *case_ids)
{
  g_autofree char *village = NULL;
  g_autofree char *category = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) grids = g_ptr_array_new_with_free_func (g_free);

  village = wg_test_server_create (self, "/api/v1/org-units", "{\"name\":\"马街社区\",\"kind\":\"community\"}");
  category = wg_test_server_create (self, "/api/v1/categories",
                                    "{\"name\":\"公用设施\",\"default_urgency\":\"normal\","
                                    "\"deadline_value\":3,\"deadline_unit\":\"days\"}");

  for (guint i = 0; i < n_grids; i++)
    {
      double x = 104.30 + i * 0.002;

      g_free (body);
      body = g_strdup_printf ("{\"code\":\"530324100001%03u\",\"name\":\"马街社区第%u网格\","
                              "\"village_id\":\"%s\",\"household_count\":%u,"
                              "\"boundary\":{\"type\":\"Polygon\",\"coordinates\":[[[%.4f,24.90],[%.4f,24.90],"
                              "[%.4f,24.902],[%.4f,24.902],[%.4f,24.90]]]}}",
                              i + 1, i + 1, village, 300 + i, x, x + 0.002, x + 0.002, x, x);
      g_ptr_array_add (grids, wg_test_server_create (self, "/api/v1/grids", body));
    }

  for (guint i = 0; i < n_cases; i++)
    {
      char *id;

      g_free (body);
      body = g_strdup_printf ("{\"source\":\"staff_on_behalf\",\"title\":\"路灯不亮 %u 号\","
                              "\"description\":\"居民来电反映第 %u 号路灯夜间不亮\","
                              "\"category_id\":\"%s\",\"grid_id\":\"%s\",\"address\":\"马街镇兴隆路 %u 号\"}",
                              i, i, category, (char *) grids->pdata[i % MAX (grids->len, 1)], i);
      id = wg_test_server_create (self, "/api/v1/cases", body);
      if (case_ids != NULL)
        g_ptr_array_add (case_ids, id);
      else
        g_free (id);
    }
}

const char *
wg_test_server_kind_path (const char *kind)
{
  return g_str_equal (kind, "org_units") ? "org-units" : kind;
}

/* The same digest as wg_store_checksum (): "id:version\n" of every record in id order. */
char *
wg_test_server_checksum (WgTestServer *self,
                         const char   *kind,
                         gint64       *out_count)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autofree char *after = NULL;

  do
    {
      g_autofree char *path = NULL;
      g_autoptr(JsonNode) reply = NULL;
      JsonObject *object;
      JsonArray *items;
      guint status = 0;

      path = after != NULL
        ? g_strdup_printf ("/api/v1/%s?limit=500&after=%s", wg_test_server_kind_path (kind), after)
        : g_strdup_printf ("/api/v1/%s?limit=500", wg_test_server_kind_path (kind));
      reply = wg_test_server_call (self, admin_token (self), "GET", path, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      object = json_node_get_object (reply);
      items = json_object_get_array_member (object, "items");
      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);

          g_ptr_array_add (lines, g_strdup_printf ("%s:%" G_GINT64_FORMAT "\n",
                                                   json_object_get_string_member (item, "id"),
                                                   json_object_get_int_member (item, "version")));
        }
      g_clear_pointer (&after, g_free);
      if (!json_object_get_null_member (object, "next"))
        after = g_strdup (json_object_get_string_member (object, "next"));
    }
  while (after != NULL);

  g_ptr_array_sort_values (lines, (GCompareFunc) strcmp);
  for (guint i = 0; i < lines->len; i++)
    g_checksum_update (checksum, lines->pdata[i], -1);
  if (out_count != NULL)
    *out_count = lines->len;
  return g_strdup (g_checksum_get_string (checksum));
}
