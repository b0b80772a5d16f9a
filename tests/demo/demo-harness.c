/* demo-harness.c — generates demo townships and serves them on loopback for the demo tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The programs under test are the built binaries ($WANGGE_SERVER, $WANGGE_SIM), run as a
 * user would run them; a server dies with the test (PR_SET_PDEATHSIG) so a failed test
 * never leaves one holding meson's pipes open.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "demo-harness.h"
#include "wg-case-machine.h"

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

char *
demo_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("wg-demo-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
demo_remove_tree (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        demo_remove_tree (path);
      else
        g_unlink (path);
    }
  g_rmdir (dir);
}

/* Runs a program to its end; returns its exit status. */
int
demo_run (const char * const  *argv,
          char               **out_stdout,
          char               **out_stderr)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                         G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL, *err = NULL;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, &err, &error));
  g_assert_no_error (error);
  if (out_stdout != NULL)
    *out_stdout = g_steal_pointer (&out);
  if (out_stderr != NULL)
    *out_stderr = g_steal_pointer (&err);
  return g_subprocess_get_if_exited (process) ? g_subprocess_get_exit_status (process) : -1;
}

/* `wangge-server demo` into `dir`; returns what it printed. */
char *
demo_generate (const char *dir,
               const char *seed,
               const char *cases)
{
  const char *argv[] = { g_getenv ("WANGGE_SERVER"), "demo", "-d", dir, "--seed", seed, "--now", DEMO_NOW,
                         cases ? "--cases" : NULL, cases, NULL };
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_assert_nonnull (argv[0]);
  status = demo_run (argv, &out, &err);
  if (status != 0)
    g_error ("wangge-server demo failed (%d): %s", status, err);
  return out;
}

DemoServer *
demo_server_start (const char *data_dir)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  const char *argv[] = { g_getenv ("WANGGE_SERVER"), "serve", "-d", data_dir, "-p", "0", NULL };
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  DemoServer *self = g_new0 (DemoServer, 1);

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->data_dir = g_strdup (data_dir);
  self->process = g_subprocess_launcher_spawnv (launcher, argv, &error);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on "));
  self->url = g_strdup (line + strlen ("listening on "));
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  self->session = soup_session_new_with_options ("timeout", 60, NULL);
  return self;
}

void
demo_server_free (DemoServer *self)
{
  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait (self->process, NULL, NULL);
    }
  g_clear_object (&self->process);
  g_clear_object (&self->session);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self);
}

JsonNode *
demo_call (DemoServer *self,
           const char *token,
           const char *method,
           const char *path,
           const char *body,
           guint      *out_status)
{
  g_autofree char *url = g_strconcat (self->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_assert_nonnull (msg);
  if (token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
    }
  reply = soup_session_send_and_read (self->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (out_status != NULL)
    *out_status = soup_message_get_status (msg);
  if (g_bytes_get_size (reply) == 0)
    return json_node_new (JSON_NODE_NULL);
  node = json_from_string (g_bytes_get_data (reply, NULL), &error);
  g_assert_no_error (error);
  return node;
}

char *
demo_login (DemoServer *self,
            const char *username,
            const char *password)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}", username, password);
  g_autoptr(JsonNode) reply = NULL;
  guint status = 0;

  reply = demo_call (self, NULL, "POST", "/api/v1/session", body, &status);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (json_object_get_string_member (json_node_get_object (reply), "token"));
}

/* Every item of a list endpoint, page by page, as JsonObjects. */
GPtrArray *
demo_list_all (DemoServer *self,
               const char *token,
               const char *path)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autofree char *after = NULL;

  do
    {
      g_autofree char *page = NULL;
      g_autoptr(JsonNode) reply = NULL;
      JsonObject *obj;
      JsonArray *array;
      guint status = 0;

      page = g_strdup_printf ("%s%slimit=1000%s%s", path, strchr (path, '?') ? "&" : "?",
                              after ? "&after=" : "", after ? after : "");
      reply = demo_call (self, token, "GET", page, NULL, &status);
      g_assert_cmpuint (status, ==, 200);
      obj = json_node_get_object (reply);
      array = json_object_get_array_member (obj, "items");
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (items, json_object_ref (json_array_get_object_element (array, i)));
      g_clear_pointer (&after, g_free);
      if (!json_object_get_null_member (obj, "next"))
        after = g_strdup (json_object_get_string_member (obj, "next"));
    }
  while (after != NULL);
  return items;
}

/* account id → role (as GINT_TO_POINTER (WgRole)), to check who took each step. */
GHashTable *
demo_account_roles (DemoServer *self,
                    const char *admin_token)
{
  g_autoptr(GPtrArray) accounts = demo_list_all (self, admin_token, "/api/v1/accounts");
  GHashTable *roles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < accounts->len; i++)
    {
      JsonObject *a = g_ptr_array_index (accounts, i);
      WgRole role;

      g_assert_true (wg_role_from_string (json_object_get_string_member (a, "role"), &role));
      g_hash_table_insert (roles, g_strdup (json_object_get_string_member (a, "id")), GINT_TO_POINTER (role));
    }
  return roles;
}

/* A case's timeline is a legal path through the state machine table, taken by accounts
 * whose role may take each step, in time order, numbered 1…n, and the case's state and
 * version are where the path ends. */
void
demo_assert_timeline (JsonObject *c,
                      GHashTable *roles)
{
  JsonArray *timeline = json_object_get_array_member (c, "timeline");
  JsonArray *attachments;
  const char *number = json_object_get_string_member (c, "number");
  WgCaseState state = WG_CASE_STATE_NEW;
  const char *last_at = "";

  g_assert_cmpuint (json_array_get_length (timeline), >, 0);
  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonObject *e = json_array_get_object_element (timeline, i);
      const WgCaseTransition *t;
      WgCaseAction action;
      WgCaseState from, to;
      gpointer role;

      g_assert_cmpint (json_object_get_int_member (e, "n"), ==, i + 1);
      g_assert_true (wg_case_action_from_string (json_object_get_string_member (e, "action"), &action));
      g_assert_true (wg_case_state_from_string (json_object_get_string_member (e, "from"), &from));
      g_assert_true (wg_case_state_from_string (json_object_get_string_member (e, "to"), &to));
      if (from != state)
        g_error ("case %s entry %u: from %s, but the case was %s", number, i + 1,
                 wg_case_state_to_string (from), wg_case_state_to_string (state));
      t = wg_case_machine_lookup (from, action);
      if (t == NULL || t->to != to)
        g_error ("case %s entry %u: %s from %s to %s is not in the table", number, i + 1,
                 wg_case_action_to_string (action), wg_case_state_to_string (from), wg_case_state_to_string (to));
      g_assert_true (g_hash_table_lookup_extended (roles, json_object_get_string_member (e, "actor_id"), NULL, &role));
      if ((t->roles & GPOINTER_TO_INT (role)) == 0)
        g_error ("case %s entry %u: a %s may not %s", number, i + 1,
                 wg_role_to_string (GPOINTER_TO_INT (role)), wg_case_action_to_string (action));
      g_assert_cmpstr (json_object_get_string_member (e, "at"), >=, last_at);
      last_at = json_object_get_string_member (e, "at");
      state = to;
    }
  g_assert_cmpstr (json_object_get_string_member (c, "state"), ==, wg_case_state_to_string (state));
  /* every change of a case is a timeline entry or an attachment uploaded to it (the
   * simulator's on-site photos), which changes the case after its last entry at most */
  attachments = json_object_get_array_member (c, "attachments");
  if (json_array_get_length (attachments) == 0)
    g_assert_cmpstr (json_object_get_string_member (c, "updated_at"), ==, last_at);
  else
    g_assert_cmpstr (json_object_get_string_member (c, "updated_at"), >=, last_at);
  g_assert_cmpint (json_object_get_int_member (c, "version"), ==,
                   json_array_get_length (timeline) + json_array_get_length (attachments));
}
