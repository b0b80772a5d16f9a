/* test-sync-status.c — the words and icons the header shows for the link to the server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include "wg-core-enums.h"
#include "wg-sync-status.h"

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  guint *count = user_data;

  (*count)++;
}

static void
test_sync_status_starts_not_connected (void)
{
  g_autoptr(WgSyncStatus) status = wg_sync_status_new ();

  g_assert_cmpint (wg_sync_status_get_state (status), ==, WG_SYNC_STATE_NOT_CONNECTED);
  g_assert_cmpstr (wg_sync_status_get_label (status), ==, "Not connected");
  g_assert_cmpstr (wg_sync_status_get_icon_name (status), ==, "network-offline-symbolic");
}

static void
test_sync_status_notifies_once_per_change (void)
{
  g_autoptr(WgSyncStatus) status = wg_sync_status_new ();
  guint label_changes = 0;

  g_signal_connect (status, "notify::label", G_CALLBACK (notify_cb), &label_changes);

  wg_sync_status_set_state (status, WG_SYNC_STATE_SYNCING);
  wg_sync_status_set_state (status, WG_SYNC_STATE_SYNCING);
  g_assert_cmpuint (label_changes, ==, 1);
  g_assert_cmpstr (wg_sync_status_get_label (status), ==, "Syncing…");

  wg_sync_status_set_state (status, WG_SYNC_STATE_OFFLINE);
  g_assert_cmpuint (label_changes, ==, 2);
}

static void
test_sync_status_every_state_has_words (void)
{
  g_autoptr(GEnumClass) klass = g_type_class_ref (WG_TYPE_SYNC_STATE);
  g_autoptr(GHashTable) labels = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < klass->n_values; i++)
    {
      WgSyncState state = klass->values[i].value;
      const char *label = wg_sync_state_describe (state);

      g_assert_nonnull (label);
      g_assert_nonnull (wg_sync_state_icon_name (state));
      /* No two states may read the same to a dispatcher. */
      g_assert_false (g_hash_table_contains (labels, label));
      g_hash_table_add (labels, (gpointer) label);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-status/starts-not-connected", test_sync_status_starts_not_connected);
  g_test_add_func ("/sync-status/notifies-once-per-change", test_sync_status_notifies_once_per_change);
  g_test_add_func ("/sync-status/every-state-has-words", test_sync_status_every_state_has_words);

  return g_test_run ();
}
