/* test-spec.c — docs/api/openapi.yaml names exactly the routes wangge-server serves
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server prints its route table (`wangge-server routes`), the very array it dispatches
 * on; the spec's paths and methods are read from the `paths:` block, whose layout the
 * spec's header fixes (path keys at two spaces, methods at four). Both directions count:
 * a served route the spec lacks, and a documented route nobody serves.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "wg-test-server.h"

static GHashTable *
spec_routes (const char *path)
{
  static const char *methods[] = { "get", "put", "post", "delete", "options", "head", "patch", "trace", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *current = NULL;
  gboolean in_paths = FALSE;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *l = lines[i];

      if (l[0] != ' ' && l[0] != '#' && l[0] != '\0')
        {
          in_paths = g_str_has_prefix (l, "paths:");
          continue;
        }
      if (!in_paths)
        continue;
      if (g_str_has_prefix (l, "  ") && l[2] != ' ' && l[2] != '#')
        {
          g_autofree char *key = g_strstrip (g_strdup (l));

          g_assert_true (g_str_has_suffix (key, ":"));
          key[strlen (key) - 1] = '\0';
          if (key[0] == '"' || key[0] == '\'')
            {
              memmove (key, key + 1, strlen (key));
              key[strlen (key) - 1] = '\0';
            }
          g_assert_true (g_str_has_prefix (key, "/"));
          g_free (current);
          current = g_steal_pointer (&key);
        }
      else if (g_str_has_prefix (l, "    ") && l[4] != ' ' && current != NULL)
        {
          g_autofree char *key = g_strstrip (g_strdup (l));
          char *colon = strchr (key, ':');

          if (colon == NULL)
            continue;
          *colon = '\0';
          if (g_strv_contains (methods, key))
            {
              g_autofree char *upper = g_ascii_strup (key, -1);

              g_hash_table_add (out, g_strdup_printf ("%s %s", upper, current));
            }
        }
    }
  return out;
}

static void
test_spec_matches_routes (void)
{
  const char *argv[] = { wg_test_server_binary (), "routes", NULL };
  g_autofree char *out = NULL;
  g_autofree char *spec = g_build_filename (g_getenv ("WANGGE_SOURCE_ROOT"), "docs", "api", "openapi.yaml", NULL);
  g_autoptr(GHashTable) documented = spec_routes (spec);
  g_autoptr(GHashTable) served = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) lines = NULL;
  GHashTableIter iter;
  const char *route;
  guint problems = 0;

  g_assert_cmpint (wg_test_run_command (argv, NULL, &out), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_assert_true (g_hash_table_add (served, g_strdup (lines[i])));   /* no route twice */
  g_assert_cmpuint (g_hash_table_size (served), >, 50);

  g_hash_table_iter_init (&iter, served);
  while (g_hash_table_iter_next (&iter, (gpointer *) &route, NULL))
    if (!g_hash_table_contains (documented, route))
      {
        g_printerr ("served but not in the spec: %s\n", route);
        problems++;
      }
  g_hash_table_iter_init (&iter, documented);
  while (g_hash_table_iter_next (&iter, (gpointer *) &route, NULL))
    if (!g_hash_table_contains (served, route))
      {
        g_printerr ("in the spec but not served: %s\n", route);
        problems++;
      }
  g_assert_cmpuint (problems, ==, 0);
  g_assert_cmpuint (g_hash_table_size (served), ==, g_hash_table_size (documented));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/spec/matches-routes", test_spec_matches_routes);
  return g_test_run ();
}
