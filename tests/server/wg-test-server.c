/* wg-test-server.c — runs the real wangge-server on loopback for a test and talks HTTP to it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each test gets its own server on a free port (the server picks it: --port 0, and says
 * which on its first line of output) with its own temporary data directory, so tests can
 * run in parallel. The server dies with the test even if the test crashes (PDEATHSIG), so
 * no process is left behind.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "wg-test-server.h"

const char *
wg_test_server_binary (void)
{
  const char *path = g_getenv ("WANGGE_SERVER");

  g_assert_nonnull (path);
  return path;
}

static void
child_setup (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

int
wg_test_run_command (const char * const *argv,
                     const char         *stdin_text,
                     char              **out_stdout)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_setenv (launcher, "WANGGE_SERVER_TEST_FAST_HASH", "1", TRUE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  proc = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (proc, stdin_text, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  return g_subprocess_get_if_exited (proc) ? g_subprocess_get_exit_status (proc) : -1;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

WgTestServer *
wg_test_server_start_in (const char         *data_dir,
                         const char * const *extra_args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  static gint n_started = 0;
  g_autofree char *log_name = g_strdup_printf ("server-%d.log", g_atomic_int_add (&n_started, 1));
  g_autofree char *log = g_build_filename (data_dir, log_name, NULL);
  WgTestServer *ts = g_new0 (WgTestServer, 1);

  ts->data_dir = g_strdup (data_dir);
  g_ptr_array_add (argv, (gpointer) wg_test_server_binary ());
  g_ptr_array_add (argv, (gpointer) "serve");
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, ts->data_dir);
  g_ptr_array_add (argv, (gpointer) "--port");
  g_ptr_array_add (argv, (gpointer) "0");
  g_ptr_array_add (argv, (gpointer) "--verbose");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  g_subprocess_launcher_setenv (launcher, "WANGGE_SERVER_TEST_FAST_HASH", "1", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  ts->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (ts->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    {
      g_autofree char *text = NULL;

      g_file_get_contents (log, &text, NULL, NULL);
      g_error ("wangge-server did not start: %s", text ? text : "(no log)");
    }
  ts->url = g_strdup (line + strlen ("listening on "));
  if (g_str_has_suffix (ts->url, "/"))
    ts->url[strlen (ts->url) - 1] = '\0';
  return ts;
}

/* Creates a data directory with an admin account and starts a server on it. */
WgTestServer *
wg_test_server_start (const char * const *extra_args)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wangge-server-test-XXXXXX", &error);
  g_autofree char *out = NULL;
  const char *init[] = { wg_test_server_binary (), "init", "--data-dir", dir, NULL };
  const char *add[] = { wg_test_server_binary (), "add-account", "--data-dir", dir, "--username", "admin",
                        "--display-name", "管理员", "--role", "admin", NULL };
  WgTestServer *ts;

  g_assert_no_error (error);
  g_assert_cmpint (wg_test_run_command (init, NULL, NULL), ==, 0);
  g_assert_cmpint (wg_test_run_command (add, WG_TEST_ADMIN_PASSWORD "\n", &out), ==, 0);
  ts = wg_test_server_start_in (dir, extra_args);
  ts->admin_id = g_strstrip (g_steal_pointer (&out));
  ts->admin_token = wg_test_login (ts, "admin", WG_TEST_ADMIN_PASSWORD);
  return ts;
}

/* Stops the server with SIGTERM, as systemd would, and checks it exits cleanly. */
void
wg_test_server_stop (WgTestServer *ts,
                     gboolean      remove_data)
{
  g_autoptr(GError) error = NULL;

  if (ts->process != NULL)
    {
      g_subprocess_send_signal (ts->process, SIGTERM);
      g_subprocess_wait (ts->process, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_subprocess_get_if_exited (ts->process));
      g_assert_cmpint (g_subprocess_get_exit_status (ts->process), ==, 0);
      g_clear_object (&ts->process);
    }
  if (remove_data)
    remove_tree (ts->data_dir);
}

void
wg_test_server_free (WgTestServer *ts)
{
  if (ts == NULL)
    return;
  if (ts->process != NULL)
    wg_test_server_stop (ts, TRUE);
  g_free (ts->data_dir);
  g_free (ts->url);
  g_free (ts->admin_token);
  g_free (ts->admin_id);
  g_free (ts);
}

void
wg_response_free (WgResponse *r)
{
  if (r == NULL)
    return;
  g_free (r->body);
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->headers, soup_message_headers_unref);
  g_free (r);
}

WgResponse *
wg_test_request_raw (WgTestServer       *ts,
                     SoupSession        *session,
                     const char         *token,
                     const char         *method,
                     const char         *path,
                     const char         *content_type,
                     GBytes             *body,
                     const char * const *headers)
{
  g_autoptr(SoupSession) own = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *uri = g_strconcat (ts->url, path, NULL);
  WgResponse *r = g_new0 (WgResponse, 1);
  gsize len;
  const char *data;

  if (session == NULL)
    session = own = soup_session_new_with_options ("timeout", 60, NULL);
  msg = soup_message_new (method, uri);
  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL; i += 2)
    soup_message_headers_replace (soup_message_get_request_headers (msg), headers[i], headers[i + 1]);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  out = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  r->status = soup_message_get_status (msg);
  data = g_bytes_get_data (out, &len);
  r->body = g_strndup (data ? data : "", len);
  r->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  if (len > 0)
    r->json = json_from_string (r->body, NULL);
  return r;
}

/* Sends a request with an optional JSON body; the varargs are header name/value pairs
 * ended by NULL. */
WgResponse *
wg_test_request (WgTestServer *ts,
                 const char   *token,
                 const char   *method,
                 const char   *path,
                 const char   *body,
                 ...)
{
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  va_list ap;
  const char *name;

  va_start (ap, body);
  while ((name = va_arg (ap, const char *)) != NULL)
    {
      g_ptr_array_add (headers, (gpointer) name);
      g_ptr_array_add (headers, va_arg (ap, char *));
    }
  va_end (ap);
  g_ptr_array_add (headers, NULL);
  if (body != NULL)
    bytes = g_bytes_new (body, strlen (body));
  return wg_test_request_raw (ts, NULL, token, method, path, "application/json", bytes,
                              (const char * const *) headers->pdata);
}

const char *
wg_response_get_string (WgResponse *r,
                        const char *member)
{
  JsonNode *node;

  if (r->json == NULL || !JSON_NODE_HOLDS_OBJECT (r->json))
    g_error ("expected a JSON object, got HTTP %u: %s", r->status, r->body);
  node = json_object_get_member (json_node_get_object (r->json), member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

gint64
wg_response_get_int (WgResponse *r,
                     const char *member)
{
  g_assert_nonnull (r->json);
  return json_object_get_int_member (json_node_get_object (r->json), member);
}

const char *
wg_response_error_code (WgResponse *r)
{
  JsonObject *obj, *err;

  if (r->json == NULL || !JSON_NODE_HOLDS_OBJECT (r->json))
    return NULL;
  obj = json_node_get_object (r->json);
  if (!json_object_has_member (obj, "error"))
    return NULL;
  err = json_object_get_object_member (obj, "error");
  g_assert_nonnull (json_object_get_string_member (err, "message"));
  g_assert_cmpstr (json_object_get_string_member (err, "message"), !=, "");
  return json_object_get_string_member (err, "code");
}

void
wg_assert_status (WgResponse *r,
                  guint       status)
{
  if (r->status != status)
    g_error ("expected HTTP %u, got %u: %s", status, r->status, r->body);
}

/* Every error is {"error": {"code", "message"}} with a JSON content type. */
void
wg_assert_error (WgResponse *r,
                 guint       status,
                 const char *code)
{
  wg_assert_status (r, status);
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (r->headers, NULL), "application/json"));
  g_assert_cmpstr (wg_response_error_code (r), ==, code);
}

char *
wg_test_login (WgTestServer *ts,
               const char   *username,
               const char   *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(WgResponse) r = wg_test_request (ts, NULL, "POST", "/api/v1/session", body, NULL);

  wg_assert_status (r, 201);
  g_assert_cmpuint (strlen (wg_response_get_string (r, "token")), >=, 43);
  return g_strdup (wg_response_get_string (r, "token"));
}

/* Creates an account through the API as the admin and signs it in. */
char *
wg_test_add_account (WgTestServer *ts,
                     const char   *username,
                     const char   *role,
                     const char   *village_id,
                     char        **out_token)
{
  g_autofree char *scope = village_id ? g_strdup_printf (",\"scope_village_id\":\"%s\"", village_id) : g_strdup ("");
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"display_name\":\"%s\",\"role\":\"%s\","
                                           "\"password\":\"%s\"%s}",
                                           username, username, role, WG_TEST_PASSWORD, scope);
  char *id = wg_test_create (ts, ts->admin_token, "/api/v1/accounts", body);

  if (out_token != NULL)
    *out_token = wg_test_login (ts, username, WG_TEST_PASSWORD);
  return id;
}

/* POSTs a record and returns its id, failing the test on anything but 201. */
char *
wg_test_create (WgTestServer *ts,
                const char   *token,
                const char   *path,
                const char   *body)
{
  g_autoptr(WgResponse) r = wg_test_request (ts, token, "POST", path, body, NULL);

  wg_assert_status (r, 201);
  g_assert_nonnull (wg_response_get_string (r, "id"));
  return g_strdup (wg_response_get_string (r, "id"));
}

/* The newest sequence number of the change log, as the admin sees it. */
gint64
wg_test_head (WgTestServer *ts)
{
  gint64 since = 0;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=5000", since);
      g_autoptr(WgResponse) r = wg_test_request (ts, ts->admin_token, "GET", path, NULL, NULL);

      wg_assert_status (r, 200);
      since = wg_response_get_int (r, "next");
      if (!json_object_get_boolean_member (json_node_get_object (r->json), "has_more"))
        return since;
    }
}
