/* wg-dispatch-page-bulk.c — several cases at once: accept them, or dispatch them to one target
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With more than one case selected (Ctrl or Shift and a click, Ctrl+A) a bar below the queue
 * says how many and offers the two actions a dispatcher takes on a batch. Each case goes
 * through the outbox on its own, exactly as from its detail, and only where the state
 * machine allows this user that action on it now; the others are skipped, and the toast says
 * how many.
 */
#define G_LOG_DOMAIN "WgDispatchPage"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-case-machine.h"
#include "wg-dispatch-dialog.h"
#include "wg-dispatch-page-private.h"

/* More than this at once would read every row on the main thread; a batch is a page or two. */
#define MAX_BATCH 500

static guint
count_selected (WgDispatchPage *self)
{
  g_autoptr(GtkBitset) selected = NULL;

  if (self->selection == NULL)
    return 0;
  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  return (guint) MIN (gtk_bitset_get_size (selected), G_MAXUINT);
}

void
_wg_dispatch_page_update_bulk (WgDispatchPage *self)
{
  guint n = count_selected (self);
  g_autofree char *text = NULL;

  gtk_revealer_set_reveal_child (self->bulk_revealer, n > 1);
  if (n <= 1)
    return;

  if (n > MAX_BATCH)
    /* Translators: the first %d is how many cases are selected, the second how many can be
     * acted on at once */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d selected; select at most %d to act on them together",
                                         "%d selected; select at most %d to act on them together", (int) n),
                            (int) n, MAX_BATCH);
  else
    /* Translators: the bar below the queue when several cases are selected */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d selected", "%d selected", (int) n), (int) n);
  gtk_label_set_label (self->bulk_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bulk_accept_button), n <= MAX_BATCH);
  gtk_widget_set_sensitive (GTK_WIDGET (self->bulk_dispatch_button), n <= MAX_BATCH);
}

/* The selected cases, in queue order. */
static GPtrArray *
selected_records (WgDispatchPage *self)
{
  GPtrArray *records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GtkBitset) selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  GtkBitsetIter iter;
  guint position;

  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok && records->len < MAX_BATCH; ok = gtk_bitset_iter_next (&iter, &position))
    {
      WgRecord *record = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

      if (record != NULL)
        g_ptr_array_add (records, record);
    }
  return records;
}

static void
action_taken_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!wg_sync_take_action_finish (WG_SYNC (object), result, &error))
    g_warning ("Could not record the action: %s", error->message);
}

/* Takes @action with @params on each of @records the state machine allows; returns how many
 * were skipped (not allowed now, or waiting for an earlier action). */
static guint
take_action (WgDispatchPage *self,
             GPtrArray      *records,
             WgCaseAction    action,
             JsonObject     *params,
             guint          *out_taken)
{
  WgSync *sync = self->session != NULL ? wg_session_get_sync (self->session) : NULL;
  WgRole role = WG_ROLE_NONE;
  guint skipped = 0;

  *out_taken = 0;
  if (sync == NULL)
    return records->len;
  if (wg_session_get_role (self->session) != NULL)
    wg_role_from_string (wg_session_get_role (self->session), &role);

  for (guint i = 0; i < records->len; i++)
    {
      WgRecord *record = records->pdata[i];
      const WgCaseTransition *transition;
      WgCaseState from;

      if (wg_record_get_pending (record) || !wg_case_state_from_string (wg_record_get_state (record), &from) ||
          !wg_case_machine_can (from, action, role) || (transition = wg_case_machine_lookup (from, action)) == NULL)
        {
          skipped++;
          continue;
        }
      wg_sync_take_action_async (sync, wg_record_get_id (record), wg_case_action_to_string (action), params,
                                 wg_record_get_version (record), wg_case_state_to_string (transition->to),
                                 NULL, action_taken_cb, NULL);
      (*out_taken)++;
    }
  return skipped;
}

/* Says what happened to the batch, in one toast. */
static void
report (WgDispatchPage *self,
        WgCaseAction    action,
        guint           taken,
        guint           skipped)
{
  g_autofree char *done = NULL;
  g_autofree char *text = NULL;

  if (action == WG_CASE_ACTION_ACCEPT)
    done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d case accepted", "%d cases accepted", (int) taken), (int) taken);
  else
    done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d case dispatched", "%d cases dispatched", (int) taken), (int) taken);

  if (skipped == 0)
    text = g_steal_pointer (&done);
  else
    /* Translators: after a batch action; the first %s is "3 cases accepted", %d how many
     * selected cases could not take that action */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s; %d skipped: its state does not allow it",
                                         "%s; %d skipped: their state does not allow it", (int) skipped),
                            done, (int) skipped);
  _wg_dispatch_page_toast (self, text);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
accept_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);
  g_autoptr(GPtrArray) records = NULL;
  guint taken, skipped;

  if (self->selection == NULL || count_selected (self) > MAX_BATCH)
    return;
  records = selected_records (self);
  skipped = take_action (self, records, WG_CASE_ACTION_ACCEPT, NULL, &taken);
  report (self, WG_CASE_ACTION_ACCEPT, taken, skipped);
}

static void
target_chosen_cb (WgDispatchDialog *dialog,
                  const char       *kind,
                  const char       *id,
                  const char       *name,
                  const char       *deadline,
                  WgDispatchPage   *self)
{
  GPtrArray *records = g_object_get_data (G_OBJECT (dialog), "records");
  g_autoptr(JsonObject) params = json_object_new ();
  JsonObject *assignee = json_object_new ();
  guint taken, skipped;

  json_object_set_string_member (assignee, "kind", kind);
  json_object_set_string_member (assignee, "id", id);
  json_object_set_object_member (params, "assignee", assignee);
  skipped = take_action (self, records, WG_CASE_ACTION_DISPATCH, params, &taken);
  report (self, WG_CASE_ACTION_DISPATCH, taken, skipped);
}

/* One target for all: the cases chosen now, whatever is selected by the time a target is. */
static void
dispatch_selected_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);
  WgDispatchDialog *dialog;

  if (self->selection == NULL || self->store == NULL || count_selected (self) > MAX_BATCH)
    return;
  dialog = wg_dispatch_dialog_new (self->store, NULL);
  g_object_set_data_full (G_OBJECT (dialog), "records", selected_records (self), (GDestroyNotify) g_ptr_array_unref);
  g_signal_connect_object (dialog, "chosen", G_CALLBACK (target_chosen_cb), self, 0);
  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));
}

static void
unselect_all_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  WgDispatchPage *self = WG_DISPATCH_PAGE (widget);

  if (self->selection != NULL)
    gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

void
_wg_dispatch_page_bulk_class_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, bulk_revealer);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, bulk_label);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, bulk_accept_button);
  gtk_widget_class_bind_template_child (widget_class, WgDispatchPage, bulk_dispatch_button);

  gtk_widget_class_install_action (widget_class, "queue.accept-selected", NULL, accept_selected_action);
  gtk_widget_class_install_action (widget_class, "queue.dispatch-selected", NULL, dispatch_selected_action);
  gtk_widget_class_install_action (widget_class, "queue.unselect-all", NULL, unselect_all_action);
}
