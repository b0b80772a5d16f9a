/* wg-action-dialog.c — what an action on a case needs typed or chosen: a reason, a note, a new deadline, a rating
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One dialog for the actions that take words or a choice, each asking exactly what the server
 * takes for it (see the action's fields in src/server/wg-server-cases.c): a reason to reject,
 * return, reopen or escalate; a note to comment or supervise (督办); the result to resolve; a
 * reason and the new deadline to extend (延期), sent as working hours or days from the current
 * deadline, as the server counts; the caller's satisfaction at the call back (回访).
 *
 * The confirm button stays off until the input can be sent, and a line under the fields says
 * what is missing. Enter confirms, Escape cancels.
 */
#define G_LOG_DOMAIN "WgActionDialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-action-dialog.h"
#include "wg-deadline-group.h"
#include "wg-labels.h"

struct _WgActionDialog
{
  AdwDialog        parent_instance;

  /* Children */
  GtkButton       *confirm;
  AdwEntryRow     *text;
  WgDeadlineGroup *deadline;
  AdwToggleGroup  *rating;
  AdwEntryRow     *note;
  GtkLabel        *hint;

  /* Owned */
  WgCaseAction     action;
  gboolean         confirmed;
};

G_DEFINE_FINAL_TYPE (WgActionDialog, wg_action_dialog, ADW_TYPE_DIALOG)

enum {
  CONFIRMED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  WgCaseAction  action;
  const char   *title;
  const char   *body;
  const char   *field;        /* the member the typed text goes in, or NULL */
  const char   *field_title;
  const char   *missing;      /* what the hint says while the text is empty */
  const char   *prefill;
  gboolean      deadline;
  gboolean      rating;
} Kind;

static const Kind kinds[] = {
  { WG_CASE_ACTION_REJECT, N_("Reject Case"),
    N_("The case is closed without being handled. The reason goes into its timeline, where the reporter reads it."),
    "reason", N_("Reason"), N_("Write why the case is rejected."), NULL, FALSE, FALSE },
  { WG_CASE_ACTION_RETURN, N_("Return Case"),
    N_("The case goes back to the command center to be dispatched again."),
    "reason", N_("Reason"), N_("Write why the case is returned."), NULL, FALSE, FALSE },
  { WG_CASE_ACTION_REOPEN, N_("Reopen Case"),
    N_("The work is not done: the case goes back to its handler for rework."),
    "reason", N_("What still has to be done"), N_("Write what still has to be done."), NULL, FALSE, FALSE },
  { WG_CASE_ACTION_ESCALATE, N_("Escalate Case"),
    N_("The case goes to the county because the township cannot handle it."),
    "reason", N_("Reason"), N_("Write why the township cannot handle the case."), NULL, FALSE, FALSE },
  { WG_CASE_ACTION_RESOLVE, N_("Resolve Case"),
    N_("Say what was done; the command center then verifies it."),
    "result", N_("What was done"), N_("Write what was done."), NULL, FALSE, FALSE },
  { WG_CASE_ACTION_COMMENT, N_("Comment on Case"),
    N_("The comment goes into the case’s timeline; the case itself does not change."),
    "note", N_("Comment"), N_("Write the comment."), NULL, FALSE, FALSE },
  { WG_CASE_ACTION_SUPERVISE, N_("Supervise Case"),
    N_("A supervision notice goes to whoever handles the case, and the case counts as supervised."),
    "note", N_("Notice"), N_("Write the notice."), N_("Please speed up the handling of this case and report back."), FALSE, FALSE },
  { WG_CASE_ACTION_EXTEND, N_("Extend Deadline"),
    N_("The case gets more working time. The new deadline is counted in working time from the current one."),
    "reason", N_("Reason"), N_("Write why more time is needed."), NULL, TRUE, FALSE },
  { WG_CASE_ACTION_RATE, N_("Record Satisfaction"),
    N_("How satisfied the reporter said they were when called back."),
    NULL, NULL, NULL, NULL, FALSE, TRUE },
};

/* The caller's answer at the call back; the server keeps 1–5 (5 satisfied), the office asks
 * three ways, as the 12345 hotlines do. */
static const struct {
  const char *name;
  const char *label;
  int         score;
} ratings[] = {
  { "satisfied", N_("Satisfied"), 5 },
  { "basically-satisfied", N_("Basically Satisfied"), 3 },
  { "dissatisfied", N_("Dissatisfied"), 1 },
};

static const Kind *
find_kind (WgCaseAction action)
{
  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (kinds[i].action == action)
      return &kinds[i];
  return NULL;
}

static char *
typed (AdwEntryRow *row)
{
  return row != NULL ? g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row)))) : g_strdup ("");
}

/* What still stops the action, in words, or NULL when it can go. */
static const char *
missing (WgActionDialog *self)
{
  const Kind *kind = find_kind (self->action);
  g_autofree char *text = typed (self->text);

  if (self->text != NULL && text[0] == '\0')
    return _(kind->missing);
  if (self->deadline != NULL && !wg_deadline_group_get_valid (self->deadline))
    return _("Choose a later deadline.");
  if (self->rating != NULL && adw_toggle_group_get_active_name (self->rating) == NULL)
    return _("Choose what the reporter said.");
  return NULL;
}

static void
update (WgActionDialog *self)
{
  const char *why;

  if (self->hint == NULL)   /* still being built */
    return;
  why = missing (self);
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm), why == NULL);
  gtk_label_set_label (self->hint, why != NULL ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->hint), why != NULL);
}

/* --- signal callbacks ------------------------------------------------------------------------ */

static void
changed_cb (WgActionDialog *self)
{
  update (self);
}

static void
confirm_cb (WgActionDialog *self)
{
  g_autoptr(JsonObject) params = NULL;

  if (self->confirmed)
    return;
  if ((params = wg_action_dialog_dup_params (self)) == NULL)
    {
      update (self);
      return;
    }
  self->confirmed = TRUE;   /* once, whether by Enter or the button */
  g_signal_emit (self, signals[CONFIRMED], 0, params);
  adw_dialog_close (ADW_DIALOG (self));
}

static void
cancel_cb (WgActionDialog *self)
{
  adw_dialog_close (ADW_DIALOG (self));
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_action_dialog_class_init (WgActionDialogClass *klass)
{
  /**
   * WgActionDialog::confirmed:
   * @params: the action's parameters, as the server takes them
   */
  signals[CONFIRMED] =
    g_signal_new ("confirmed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
}

static void
wg_action_dialog_init (WgActionDialog *self)
{
}

static AdwEntryRow *
add_entry (WgActionDialog *self,
           GtkWidget      *group,
           const char     *title,
           const char     *name)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (GTK_WIDGET (row), name);
  g_signal_connect_swapped (row, "changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (row, "entry-activated", G_CALLBACK (confirm_cb), self);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (row));
  return row;
}

/* Builds the dialog for @kind on the case @case_json. */
static void
build (WgActionDialog    *self,
       const Kind        *kind,
       JsonObject        *case_json,
       WgWorkingCalendar *calendar)
{
  GtkWidget *toolbar = adw_toolbar_view_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *title = adw_window_title_new (_(kind->title), json_object_get_string_member_with_default (case_json, "number", ""));
  const char *verb = kind->action == WG_CASE_ACTION_RATE ? _("Record")
                                                          : wg_label_case_action (wg_case_action_to_string (kind->action));

  adw_dialog_set_title (ADW_DIALOG (self), _(kind->title));
  adw_dialog_set_content_width (ADW_DIALOG (self), 480);

  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), title);
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->confirm = GTK_BUTTON (gtk_button_new_with_label (verb));
  gtk_widget_set_name (GTK_WIDGET (self->confirm), "confirm");
  gtk_widget_add_css_class (GTK_WIDGET (self->confirm), "suggested-action");
  g_signal_connect_swapped (self->confirm, "clicked", G_CALLBACK (confirm_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->confirm));

  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), _(kind->body));
  if (kind->field != NULL)
    {
      self->text = add_entry (self, group, _(kind->field_title), "action-text");
      if (kind->prefill != NULL)
        gtk_editable_set_text (GTK_EDITABLE (self->text), _(kind->prefill));
    }
  if (kind->rating)
    {
      GtkWidget *toggles = adw_toggle_group_new ();

      self->rating = ADW_TOGGLE_GROUP (toggles);
      gtk_widget_set_name (toggles, "rating");
      gtk_widget_set_margin_bottom (toggles, 12);
      for (guint i = 0; i < G_N_ELEMENTS (ratings); i++)
        {
          AdwToggle *toggle = adw_toggle_new ();

          adw_toggle_set_name (toggle, ratings[i].name);
          adw_toggle_set_label (toggle, _(ratings[i].label));
          adw_toggle_group_add (self->rating, toggle);
        }
      /* Nothing chosen until the dispatcher says what the reporter said. */
      adw_toggle_group_set_active (self->rating, GTK_INVALID_LIST_POSITION);
      g_signal_connect_swapped (toggles, "notify::active", G_CALLBACK (changed_cb), self);
      gtk_box_append (GTK_BOX (box), group);
      group = adw_preferences_group_new ();
      gtk_box_append (GTK_BOX (box), toggles);
      self->note = add_entry (self, group, _("Note (optional)"), "action-note");
    }
  gtk_box_append (GTK_BOX (box), group);

  if (kind->deadline)
    {
      const char *current = json_object_get_string_member_with_default (case_json, "deadline", NULL);
      JsonNode *request = json_object_get_member (case_json, "extension_request");
      g_autoptr(GDateTime) base = current != NULL ? g_date_time_new_from_iso8601 (current, NULL) : NULL;
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autoptr(GDateTime) from = NULL;
      g_autoptr(GDateTime) proposal = NULL;
      gint64 minutes = WG_WORKING_MINUTES_PER_DAY;

      /* A handler's pending request (申请延期) is what the center most often grants. */
      if (request != NULL && JSON_NODE_HOLDS_OBJECT (request) &&
          g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (request), "status", NULL), "pending") == 0)
        {
          JsonObject *asked = json_node_get_object (request);

          minutes = MAX (60, json_object_get_int_member_with_default (asked, "working_minutes", minutes));
          if (self->text != NULL && json_object_get_string_member_with_default (asked, "reason", NULL) != NULL)
            gtk_editable_set_text (GTK_EDITABLE (self->text), json_object_get_string_member (asked, "reason"));
        }
      from = g_date_time_ref (base != NULL && g_date_time_compare (base, now) > 0 ? base : now);
      proposal = wg_working_calendar_add_minutes (calendar, from, minutes);
      self->deadline = WG_DEADLINE_GROUP (wg_deadline_group_new (calendar));
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->deadline), _("New Deadline"));
      if (base != NULL)
        {
          g_autoptr(GDateTime) local = g_date_time_to_timezone (base, wg_working_calendar_get_timezone (calendar));
          /* Translators: the case's deadline before the extension, see GDateTime's format codes */
          g_autofree char *when = g_date_time_format (local, _("%a %Y-%m-%d %H:%M"));
          g_autofree char *text = g_strdup_printf (_("The current deadline is %s."), when);

          adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->deadline), text);
        }
      wg_deadline_group_set_base (self->deadline, base);
      wg_deadline_group_set_deadline (self->deadline, proposal);
      g_signal_connect_swapped (self->deadline, "notify::valid", G_CALLBACK (changed_cb), self);
      g_signal_connect_swapped (self->deadline, "notify::deadline", G_CALLBACK (changed_cb), self);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->deadline));
    }

  self->hint = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->hint), "action-hint");
  gtk_label_set_wrap (self->hint, TRUE);
  gtk_label_set_xalign (self->hint, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->hint), "dim-label");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->hint));

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), header);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), box);
  adw_dialog_set_child (ADW_DIALOG (self), toolbar);
  adw_dialog_set_default_widget (ADW_DIALOG (self), GTK_WIDGET (self->confirm));
  adw_dialog_set_focus (ADW_DIALOG (self), self->text != NULL ? GTK_WIDGET (self->text) : GTK_WIDGET (self->rating));
  update (self);
}

/* --- public ---------------------------------------------------------------------------------- */

/* Whether @action asks for something before it is taken (then this dialog asks it). */
gboolean
wg_action_dialog_wants (WgCaseAction action)
{
  return find_kind (action) != NULL;
}

/* A dialog for @action on the case @case_json; @calendar counts working time for an
 * extension and may be NULL for the other actions. */
WgActionDialog *
wg_action_dialog_new (WgCaseAction       action,
                      JsonObject        *case_json,
                      WgWorkingCalendar *calendar)
{
  const Kind *kind = find_kind (action);
  WgActionDialog *self;

  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (case_json != NULL, NULL);
  g_return_val_if_fail (!kind->deadline || WG_IS_WORKING_CALENDAR (calendar), NULL);

  self = g_object_new (WG_TYPE_ACTION_DIALOG, NULL);
  self->action = action;
  build (self, kind, case_json, calendar);
  return self;
}

WgCaseAction
wg_action_dialog_get_action (WgActionDialog *self)
{
  g_return_val_if_fail (WG_IS_ACTION_DIALOG (self), WG_N_CASE_ACTIONS);

  return self->action;
}

/* The parameters as the server takes them, or NULL while something is missing. */
JsonObject *
wg_action_dialog_dup_params (WgActionDialog *self)
{
  const Kind *kind;
  g_autoptr(JsonObject) params = NULL;
  g_autofree char *text = NULL;
  g_autofree char *note = NULL;

  g_return_val_if_fail (WG_IS_ACTION_DIALOG (self), NULL);

  if (missing (self) != NULL)
    return NULL;

  kind = find_kind (self->action);
  params = json_object_new ();
  text = typed (self->text);
  note = typed (self->note);
  if (kind->field != NULL)
    json_object_set_string_member (params, kind->field, text);
  if (note[0] != '\0')
    json_object_set_string_member (params, "note", note);

  if (self->deadline != NULL)
    {
      gint64 minutes = wg_deadline_group_get_added_minutes (self->deadline);

      /* The server adds whole working days or hours to the current deadline; days when the
       * choice is a whole number of them, else hours, rounded up so the case never gets less
       * time than chosen. */
      if (minutes % WG_WORKING_MINUTES_PER_DAY == 0 && minutes / WG_WORKING_MINUTES_PER_DAY <= 250)
        json_object_set_int_member (params, "working_days", minutes / WG_WORKING_MINUTES_PER_DAY);
      else
        json_object_set_int_member (params, "working_hours", MIN ((minutes + 59) / 60, 2000));
    }

  if (self->rating != NULL)
    {
      const char *active = adw_toggle_group_get_active_name (self->rating);

      for (guint i = 0; i < G_N_ELEMENTS (ratings); i++)
        if (g_strcmp0 (active, ratings[i].name) == 0)
          json_object_set_int_member (params, "satisfaction", ratings[i].score);
    }

  return g_steal_pointer (&params);
}
