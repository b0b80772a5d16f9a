/* wg-case-detail.c — one case: its fields, its timeline and the actions it allows
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shown beside the queue. It is rebuilt from the case's record whenever the queue hands it a
 * new one (another case, or the same case after a change), so what it shows is always the
 * cache's current state. The buttons are exactly the actions the state machine allows this
 * user on this case now; an action goes through the outbox and the case shows as waiting
 * until the server confirms it.
 */
#define G_LOG_DOMAIN "WgCaseDetail"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-case-detail.h"
#include "wg-case-machine.h"
#include "wg-case-nearby.h"
#include "wg-case-people.h"
#include "wg-case-photos.h"
#include "wg-case-views.h"
#include "wg-dispatch-dialog.h"
#include "wg-labels.h"

struct _WgCaseDetail
{
  AdwBin      parent_instance;

  GtkBox     *box;

  WgSession  *session;
  GHashTable *names;       /* record id → name, shared with the queue */
  WgRecord   *record;
};

G_DEFINE_FINAL_TYPE (WgCaseDetail, wg_case_detail, ADW_TYPE_BIN)

static const char *
name_of (WgCaseDetail *self,
         const char   *id)
{
  const char *name = id != NULL && self->names != NULL ? g_hash_table_lookup (self->names, id) : NULL;

  return name != NULL ? name : "";
}

static WgStore *
get_store (WgCaseDetail *self)
{
  return self->session != NULL && wg_session_get_signed_in (self->session) ? wg_session_get_store (self->session) : NULL;
}

/* --- actions --------------------------------------------------------------------------------- */

/* The actions offered here need nothing but a click; the ones that ask for a reason, a target
 * or a deadline come with their dialogs. */
static const WgCaseAction quick_actions[] = {
  WG_CASE_ACTION_ACCEPT,
  WG_CASE_ACTION_DISPATCH,
  WG_CASE_ACTION_CLAIM,
  WG_CASE_ACTION_START,
  WG_CASE_ACTION_VERIFY,
  WG_CASE_ACTION_CLOSE,
  WG_CASE_ACTION_REJECT,
  WG_CASE_ACTION_REOPEN,
};

/* Actions that need a reason the dispatcher types. */
static gboolean
needs_reason (WgCaseAction action)
{
  return action == WG_CASE_ACTION_REJECT || action == WG_CASE_ACTION_REOPEN ||
         action == WG_CASE_ACTION_RETURN || action == WG_CASE_ACTION_ESCALATE;
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

/* Takes @action on the case on show with @params: shown at once as pending; the outbox sends
 * it when it can, and a refusal says why. */
static void
take_action (WgCaseDetail *self,
             WgCaseAction  action,
             JsonObject   *params)
{
  WgRecord *record = self->record;
  WgSync *sync = self->session != NULL ? wg_session_get_sync (self->session) : NULL;
  const WgCaseTransition *transition;
  WgCaseState from;

  if (record == NULL || sync == NULL || !wg_case_state_from_string (wg_record_get_state (record), &from) ||
      (transition = wg_case_machine_lookup (from, action)) == NULL)
    return;

  wg_sync_take_action_async (sync, wg_record_get_id (record), wg_case_action_to_string (action), params,
                             wg_record_get_version (record), wg_case_state_to_string (transition->to),
                             NULL, action_taken_cb, NULL);
}

static void
target_chosen_cb (WgDispatchDialog *dialog,
                  const char       *kind,
                  const char       *id,
                  const char       *name,
                  WgCaseDetail     *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  JsonObject *assignee = json_object_new ();

  json_object_set_string_member (assignee, "kind", kind);
  json_object_set_string_member (assignee, "id", id);
  json_object_set_object_member (params, "assignee", assignee);
  take_action (self, WG_CASE_ACTION_DISPATCH, params);
}

static void
reason_response_cb (AdwAlertDialog *dialog,
                    const char     *response,
                    WgCaseDetail   *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "entry");
  WgCaseAction action = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "action"));
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  g_autoptr(JsonObject) params = NULL;

  if (g_strcmp0 (response, "confirm") != 0 || reason[0] == '\0')
    return;
  params = json_object_new ();
  json_object_set_string_member (params, "reason", reason);
  take_action (self, action, params);
}

static void
reason_changed_cb (GtkEditable    *entry,
                   AdwAlertDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_alert_dialog_set_response_enabled (dialog, "confirm", reason[0] != '\0');
}

static void
ask_reason (WgCaseDetail *self,
            WgCaseAction  action)
{
  const char *verb = wg_label_case_action (wg_case_action_to_string (action));
  g_autofree char *heading = g_strdup_printf (_("%s: Why?"), verb);
  AdwDialog *dialog = adw_alert_dialog_new (heading, _("The reason goes into the case’s timeline, where the reporter and the teams read it."));
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  adw_alert_dialog_set_extra_child (ADW_ALERT_DIALOG (dialog), entry);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog), "cancel", _("_Cancel"), "confirm", verb, NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "confirm", ADW_RESPONSE_SUGGESTED);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "confirm");
  adw_alert_dialog_set_response_enabled (ADW_ALERT_DIALOG (dialog), "confirm", FALSE);
  g_object_set_data (G_OBJECT (dialog), "entry", entry);
  g_object_set_data (G_OBJECT (dialog), "action", GINT_TO_POINTER (action));
  g_signal_connect_object (entry, "changed", G_CALLBACK (reason_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (reason_response_cb), self, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
action_clicked_cb (GtkButton      *button,
                   WgCaseDetail *self)
{
  WgCaseAction action = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (button), "action"));

  if (action == WG_CASE_ACTION_DISPATCH && get_store (self) != NULL)
    {
      WgDispatchDialog *dialog = wg_dispatch_dialog_new (get_store (self));

      g_signal_connect_object (dialog, "chosen", G_CALLBACK (target_chosen_cb), self, 0);
      adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (self));
      return;
    }
  if (needs_reason (action))
    {
      ask_reason (self, action);
      return;
    }

  take_action (self, action, NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
}

/* --- what is shown --------------------------------------------------------------------------- */

static void
add_field (GtkWidget  *group,
           const char *title,
           const char *value)
{
  GtkWidget *row;

  if (value == NULL || value[0] == '\0')
    return;
  row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), value);
  adw_action_row_set_subtitle_selectable (ADW_ACTION_ROW (row), TRUE);
  gtk_widget_add_css_class (row, "property");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
}

static void
append_title (WgCaseDetail *self)
{
  GtkWidget *title = gtk_label_new (wg_record_get_string (self->record, "title"));

  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "title-3");
  gtk_box_append (self->box, title);
}

/* The actions this user may take on this case now: the state machine decides. None while an
 * earlier action on it waits for the server. */
static void
append_actions (WgCaseDetail *self)
{
  GtkWidget *buttons;
  WgCaseState state;
  WgRole role = WG_ROLE_NONE;

  if (wg_record_get_pending (self->record) || !wg_case_state_from_string (wg_record_get_state (self->record), &state))
    return;
  if (self->session != NULL && wg_session_get_role (self->session) != NULL)
    wg_role_from_string (wg_session_get_role (self->session), &role);

  buttons = gtk_flow_box_new ();
  gtk_flow_box_set_selection_mode (GTK_FLOW_BOX (buttons), GTK_SELECTION_NONE);
  gtk_flow_box_set_column_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_row_spacing (GTK_FLOW_BOX (buttons), 6);
  gtk_flow_box_set_homogeneous (GTK_FLOW_BOX (buttons), FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (quick_actions); i++)
    if (wg_case_machine_can (state, quick_actions[i], role))
      {
        g_autofree char *label = g_strconcat (wg_label_case_action (wg_case_action_to_string (quick_actions[i])),
                                              (quick_actions[i] == WG_CASE_ACTION_DISPATCH || needs_reason (quick_actions[i])) ? "…" : "",
                                              NULL);
        GtkWidget *button = gtk_button_new_with_label (label);

        g_object_set_data (G_OBJECT (button), "action", GINT_TO_POINTER (quick_actions[i]));
        gtk_widget_set_name (button, wg_case_action_to_string (quick_actions[i]));
        if (gtk_widget_get_first_child (buttons) == NULL)
          gtk_widget_add_css_class (button, "suggested-action");
        g_signal_connect_object (button, "clicked", G_CALLBACK (action_clicked_cb), self, 0);
        gtk_flow_box_append (GTK_FLOW_BOX (buttons), button);
      }
  if (gtk_widget_get_first_child (buttons) != NULL)
    gtk_box_append (self->box, buttons);
  else
    {
      g_object_ref_sink (buttons);
      g_object_unref (buttons);
    }
}

static void
append_fields (WgCaseDetail *self)
{
  WgRecord *record = self->record;
  GtkWidget *group = adw_preferences_group_new ();
  g_autofree char *state = NULL;
  g_autofree char *place = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *reported = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  add_field (group, C_("column", "Number"), wg_record_get_string (record, "number"));
  state = wg_record_get_pending (record)
    ? g_strdup_printf (_("%s (waiting to be sent)"), wg_label_case_state (wg_record_get_state (record)))
    : g_strdup (wg_label_case_state (wg_record_get_state (record)));
  add_field (group, C_("column", "State"), state);
  add_field (group, C_("column", "Category"), name_of (self, wg_record_get_string (record, "category_id")));
  place = g_strdup_printf (C_("place", "%s · %s"), name_of (self, wg_record_get_string (record, "village_id")),
                           name_of (self, wg_record_get_string (record, "grid_id")));
  add_field (group, C_("column", "Village and Grid"), place);
  add_field (group, _("Address"), wg_record_get_string (record, "address"));
  add_field (group, C_("column", "Source"), wg_label_source (wg_record_get_string (record, "source")));
  reported = wg_case_format_time (wg_record_get_string (record, "created_at"));
  add_field (group, C_("column", "Reported"), reported);
  wg_case_deadline_state (wg_record_get_state (record), wg_record_get_string (record, "deadline"), now, &deadline);
  add_field (group, C_("column", "Deadline"), deadline);
  add_field (group, _("Description"), wg_record_get_string (record, "description"));
  gtk_box_append (self->box, group);
}

/* The timeline, oldest first: who did what, when. */
static void
append_timeline (WgCaseDetail *self)
{
  JsonObject *json = wg_record_get_json (self->record);
  JsonArray *timeline;
  GtkWidget *history;

  if (!json_object_has_member (json, "timeline") || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (json, "timeline")))
    return;

  timeline = json_object_get_array_member (json, "timeline");
  history = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (history), _("Timeline"));
  for (guint i = 0; i < json_array_get_length (timeline); i++)
    {
      JsonObject *entry = json_array_get_object_element (timeline, i);
      g_autofree char *when = wg_case_format_time (json_object_has_member (entry, "at") ? json_object_get_string_member (entry, "at") : NULL);
      g_autofree char *what = g_strdup_printf (C_("timeline", "%s · %s"), when,
                                               wg_label_case_action (json_object_get_string_member (entry, "action")));
      const char *who = json_object_has_member (entry, "actor_name") ? json_object_get_string_member (entry, "actor_name") : NULL;

      add_field (history, what, who);
    }
  gtk_box_append (self->box, history);
}

static void
rebuild (WgCaseDetail *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  if (self->record == NULL || wg_record_get_json (self->record) == NULL)
    return;

  append_title (self);
  append_actions (self);
  append_fields (self);
  gtk_box_append (self->box, wg_case_photos_new (self->session, self->record));
  gtk_box_append (self->box, wg_case_people_new (self->session, self->record));
  gtk_box_append (self->box, wg_case_nearby_new (self->session, self->record));
  append_timeline (self);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_case_detail_dispose (GObject *object)
{
  WgCaseDetail *self = WG_CASE_DETAIL (object);

  g_clear_object (&self->record);
  g_clear_object (&self->session);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (wg_case_detail_parent_class)->dispose (object);
}

static void
wg_case_detail_class_init (WgCaseDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wg_case_detail_dispose;
}

static void
wg_case_detail_init (WgCaseDetail *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_set_name (GTK_WIDGET (self->box), "case-detail");
  gtk_widget_set_margin_top (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->box), 12);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->box));
  adw_bin_set_child (ADW_BIN (self), scrolled);
}

GtkWidget *
wg_case_detail_new (void)
{
  return g_object_new (WG_TYPE_CASE_DETAIL, NULL);
}

/* The account whose actions the buttons take. */
void
wg_case_detail_set_session (WgCaseDetail *self,
                            WgSession    *session)
{
  g_return_if_fail (WG_IS_CASE_DETAIL (self));

  g_set_object (&self->session, session);
  rebuild (self);
}

/* Names of villages, grids, categories and people, by record id (kept, not copied). */
void
wg_case_detail_set_names (WgCaseDetail *self,
                          GHashTable   *names)
{
  g_return_if_fail (WG_IS_CASE_DETAIL (self));

  if (self->names == names)
    return;
  g_clear_pointer (&self->names, g_hash_table_unref);
  self->names = names != NULL ? g_hash_table_ref (names) : NULL;
  rebuild (self);
}

/* Shows @record (a case), or nothing when NULL. */
void
wg_case_detail_set_record (WgCaseDetail *self,
                           WgRecord     *record)
{
  g_return_if_fail (WG_IS_CASE_DETAIL (self));

  g_set_object (&self->record, record);
  rebuild (self);
}

WgRecord *
wg_case_detail_get_record (WgCaseDetail *self)
{
  g_return_val_if_fail (WG_IS_CASE_DETAIL (self), NULL);

  return self->record;
}
