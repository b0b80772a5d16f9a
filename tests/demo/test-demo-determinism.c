/* test-demo-determinism.c — the same seed and reference time give byte-identical data
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The dump is every record (all columns and the body) in id order and the whole change log
 * in sequence order, read through wg-db. Password hashes are not in it: Argon2id salts are
 * random by design.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "demo-harness.h"
#include "wg-db.h"
#include "wg-schema.h"

static void
change_cb (gint64      seq,
           const char *kind,
           const char *id,
           gint64      version,
           const char *op,
           const char *at,
           const char *body,
           gpointer    user_data)
{
  g_autofree char *line = g_strdup_printf ("%" G_GINT64_FORMAT "|%s|%s|%" G_GINT64_FORMAT "|%s|%s|",
                                           seq, kind, id, version, op, at);

  g_checksum_update (user_data, (const guchar *) line, -1);
  if (body != NULL)
    g_checksum_update (user_data, (const guchar *) body, -1);
}

/* A digest of the data directory's records (with or without the cases) and, when asked,
 * of its change log. */
static char *
dump (const char *dir,
      gboolean    with_cases,
      gboolean    with_changes)
{
  g_autofree char *path = g_build_filename (dir, "wangge.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgDb) db = wg_db_open (path, FALSE, &error);
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  const WgKind *kinds;
  guint n_kinds;

  g_assert_no_error (error);
  kinds = wg_schema_get_kinds (&n_kinds);
  for (guint k = 0; k < n_kinds; k++)
    g_ptr_array_add (names, (gpointer) kinds[k].name);
  if (with_cases)
    g_ptr_array_add (names, (gpointer) "cases");

  for (guint k = 0; k < names->len; k++)
    {
      g_autofree char *after = NULL;

      for (;;)
        {
          g_autoptr(GPtrArray) page = wg_db_list_records (db, names->pdata[k], NULL, TRUE, NULL, NULL, after, 5000, &error);

          g_assert_no_error (error);
          for (guint i = 0; i < page->len; i++)
            {
              WgRecord *r = g_ptr_array_index (page, i);
              g_autofree char *line = g_strdup_printf ("%s|%s|%" G_GINT64_FORMAT "|%s|%s|%s|%s|%s\n",
                                                       r->kind, r->id, r->version, r->created_at, r->updated_at,
                                                       r->village_id ? r->village_id : "-",
                                                       r->natural_key ? r->natural_key : "-", r->body);

              g_checksum_update (sum, (const guchar *) line, -1);
            }
          if (page->len < 5000)
            break;
          g_free (after);
          after = g_strdup (((WgRecord *) g_ptr_array_index (page, page->len - 1))->id);
        }
    }

  if (with_changes)
    {
      gint64 since = 0;
      gboolean more = TRUE;

      while (more)
        {
          g_assert_true (wg_db_read_changes (db, since, 10000, NULL, TRUE, change_cb, sum, &since, &more, &error));
          g_assert_no_error (error);
        }
    }
  return g_strdup (g_checksum_get_string (sum));
}

static void
test_same_seed (void)
{
  g_autofree char *a = demo_make_dir (), *b = demo_make_dir (), *c = demo_make_dir ();
  g_autofree char *out_a = demo_generate (a, "42", NULL);
  g_autofree char *out_b = demo_generate (b, "42", NULL);
  g_autofree char *out_c = demo_generate (c, "43", NULL);
  g_autofree char *da = dump (a, TRUE, TRUE), *db = dump (b, TRUE, TRUE), *dc = dump (c, TRUE, TRUE);

  g_assert_cmpstr (da, ==, db);
  g_assert_cmpstr (da, !=, dc);
  demo_remove_tree (a);
  demo_remove_tree (b);
  demo_remove_tree (c);
}

/* A longer or shorter history leaves the township itself as it was for the seed. */
static void
test_cases_knob (void)
{
  g_autofree char *a = demo_make_dir (), *b = demo_make_dir ();
  g_autofree char *out_a = demo_generate (a, "7", "100");
  g_autofree char *out_b = demo_generate (b, "7", "3000");
  g_autofree char *da = dump (a, FALSE, FALSE), *db = dump (b, FALSE, FALSE);

  g_assert_nonnull (strstr (out_a, "100"));
  g_assert_nonnull (strstr (out_b, "3000"));
  g_assert_cmpstr (da, ==, db);
  demo_remove_tree (a);
  demo_remove_tree (b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/demo/determinism/same-seed", test_same_seed);
  g_test_add_func ("/demo/determinism/cases-knob", test_cases_knob);
  return g_test_run ();
}
