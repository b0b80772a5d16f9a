/* wg-case-detail.c — one case: its fields, its timeline and the actions it allows
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Shown beside the queue. It is rebuilt from the case's record whenever the queue hands it a
 * new one (another case, or the same case after a change), so what it shows is always the
 * cache's current state. The buttons are exactly the actions the state machine allows this
 * user on this case now; an action goes through the outbox and the case shows as waiting
 * until the server confirms it.
 *
 * The detail also gives the dispatch page its keyboard: a shortcut for every action, managed
 * by the window so it works with the focus in the queue as in the detail, and it keeps the
 * focus there when an action rebuilds the buttons or removes the row that had it.
 */
#define G_LOG_DOMAIN "WgCaseDetail"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-action-dialog.h"
#include "wg-case-detail.h"
#include "wg-case-machine.h"
#include "wg-case-map.h"
#include "wg-case-nearby.h"
#include "wg-case-people.h"
#include "wg-case-photos.h"
#include "wg-case-views.h"
#include "wg-deadline-group.h"
#include "wg-dispatch-dialog.h"
#include "wg-labels.h"
#include "wg-merge-dialog.h"
#include "wg-new-case-dialog.h"

typedef enum
{
  FOCUS_ELSEWHERE,
  FOCUS_QUEUE,
  FOCUS_DETAIL,
} FocusArea;

struct _WgCaseDetail
{
  AdwBin              parent_instance;

  GtkBox             *box;

  /* Weak */
  GtkWidget          *buttons;        /* the row of action buttons, when shown */
  GtkWidget          *queue;          /* the page's queue, found once */

  /* Borrowed */
  GtkWidget          *page;           /* the dispatch page, for its shortcuts and its queue */
  GtkWindow          *window;         /* whose focus is followed while rooted */

  /* Owned */
  WgSession          *session;
  GHashTable         *names;          /* record id → name, shared with the queue */
  WgRecord           *record;
  GtkWidget          *case_map;       /* kept across rebuilds: one map, moved to the new case */
  GSimpleActionGroup *actions;        /* "case.*": one per action, enabled as allowed */
  GSimpleActionGroup *page_actions;   /* "dispatch.new-case", on the page */

  char               *last_id;        /* the case last on show, for the focus */
  WgCaseAction        primary;        /* the suggested action, or WG_N_CASE_ACTIONS */
  gboolean            busy;           /* an action was taken and is not shown yet */
  FocusArea           focus_area;
  guint               restore_source;
  guint               restore_tries;
};

G_DEFINE_FINAL_TYPE (WgCaseDetail, wg_case_detail, ADW_TYPE_BIN)

static void dialog_closed_cb (AdwDialog    *dialog,
                              WgCaseDetail *self);

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

/* Every action a dispatcher (or an administrator standing in) may take here, in the order
 * their buttons come, each with its shortcut: Alt and a letter, so typing in the search never
 * takes one. The first few allowed that are prominent get buttons of their own (the first is
 * the suggested one, also on Ctrl+Return); the rest wait in the "More" menu, so the detail
 * stays calm. */
typedef struct
{
  WgCaseAction action;
  guint        key;
  gboolean     prominent;
} ActionInfo;

static const ActionInfo action_info[] = {
  { WG_CASE_ACTION_ACCEPT,    GDK_KEY_a, TRUE },
  { WG_CASE_ACTION_DISPATCH,  GDK_KEY_d, TRUE },
  { WG_CASE_ACTION_CLAIM,     GDK_KEY_l, TRUE },
  { WG_CASE_ACTION_START,     GDK_KEY_s, TRUE },
  { WG_CASE_ACTION_RESOLVE,   GDK_KEY_o, TRUE },
  { WG_CASE_ACTION_VERIFY,    GDK_KEY_v, TRUE },
  { WG_CASE_ACTION_CLOSE,     GDK_KEY_c, TRUE },
  { WG_CASE_ACTION_RATE,      GDK_KEY_b, TRUE },
  { WG_CASE_ACTION_SUPERVISE, GDK_KEY_u, TRUE },
  { WG_CASE_ACTION_REOPEN,    GDK_KEY_r, TRUE },
  { WG_CASE_ACTION_REJECT,    GDK_KEY_j, TRUE },
  { WG_CASE_ACTION_MERGE,     GDK_KEY_m, FALSE },
  { WG_CASE_ACTION_EXTEND,    GDK_KEY_x, FALSE },
  { WG_CASE_ACTION_ESCALATE,  GDK_KEY_e, FALSE },
  { WG_CASE_ACTION_RETURN,    GDK_KEY_t, FALSE },
  { WG_CASE_ACTION_COMMENT,   GDK_KEY_n, FALSE },
};

#define MAX_BUTTONS 3

/* Shortcut arguments that are not a case action. */
enum {
  SHORTCUT_PRIMARY = -1,
  SHORTCUT_NEW_CASE = -2,
};

/* Whether the action asks something first (then its button ends in "…"). */
static gboolean
asks_first (WgCaseAction action)
{
  return action == WG_CASE_ACTION_DISPATCH || action == WG_CASE_ACTION_MERGE || wg_action_dialog_wants (action);
}

static char *
action_label (WgCaseAction action)
{
  const char *verb = action == WG_CASE_ACTION_RATE ? _("Record Satisfaction")
                                                   : wg_label_case_action (wg_case_action_to_string (action));

  return g_strconcat (verb, asks_first (action) ? "…" : "", NULL);
}

static WgRole
current_role (WgCaseDetail *self)
{
  WgRole role = WG_ROLE_NONE;

  if (self->session != NULL && wg_session_get_role (self->session) != NULL)
    wg_role_from_string (wg_session_get_role (self->session), &role);
  return role;
}

/* Whether @action can be taken on the case on show now, by this user. */
static gboolean
can_take (WgCaseDetail *self,
          WgCaseAction  action)
{
  WgCaseState state;

  return self->record != NULL && wg_record_get_json (self->record) != NULL && !self->busy &&
         !wg_record_get_pending (self->record) &&
         wg_case_state_from_string (wg_record_get_state (self->record), &state) &&
         wg_case_machine_can (state, action, current_role (self));
}

static void
update_action_states (WgCaseDetail *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (action_info); i++)
    {
      GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions),
                                                    wg_case_action_to_string (action_info[i].action));

      g_simple_action_set_enabled (G_SIMPLE_ACTION (action), can_take (self, action_info[i].action));
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->page_actions), "new-case")),
                               get_store (self) != NULL);
}

/* The case an open dialog acts on: fixed when it opened, so the queue moving on meanwhile
 * never sends the action to another case; the version makes the server refuse it if the
 * case changed in between. */
typedef struct
{
  char        *id;
  char        *from;
  gint64       version;
  WgCaseAction action;
} Target;

static void
target_free (gpointer data)
{
  Target *target = data;

  g_free (target->id);
  g_free (target->from);
  g_free (target);
}

static Target *
target_new (WgCaseDetail *self,
            WgCaseAction  action)
{
  Target *target = g_new0 (Target, 1);

  target->id = g_strdup (wg_record_get_id (self->record));
  target->from = g_strdup (wg_record_get_state (self->record));
  target->version = wg_record_get_version (self->record);
  target->action = action;
  return target;
}

static void
action_taken_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(WgCaseDetail) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!wg_sync_take_action_finish (WG_SYNC (object), result, &error))
    {
      g_warning ("Could not record the action: %s", error->message);
      self->busy = FALSE;
      update_action_states (self);
    }
}

/* Takes the action of @target with @params: shown at once as pending; the outbox sends it
 * when it can, and a refusal says why and restores the case. */
static void
take_action (WgCaseDetail *self,
             Target       *target,
             JsonObject   *params)
{
  WgSync *sync = self->session != NULL ? wg_session_get_sync (self->session) : NULL;
  const WgCaseTransition *transition;
  WgCaseState from;

  if (sync == NULL || !wg_case_state_from_string (target->from, &from) ||
      (transition = wg_case_machine_lookup (from, target->action)) == NULL)
    return;

  /* No second action until this one shows: a double press must not send it twice. */
  if (self->record != NULL && g_strcmp0 (wg_record_get_id (self->record), target->id) == 0)
    {
      self->busy = TRUE;
      update_action_states (self);
    }
  wg_sync_take_action_async (sync, target->id, wg_case_action_to_string (target->action), params,
                             target->version, wg_case_state_to_string (transition->to),
                             NULL, action_taken_cb, g_object_ref (self));
}

static void
target_chosen_cb (WgDispatchDialog *dialog,
                  const char       *kind,
                  const char       *id,
                  const char       *name,
                  const char       *deadline,
                  WgCaseDetail     *self)
{
  g_autoptr(JsonObject) params = json_object_new ();
  JsonObject *assignee = json_object_new ();

  json_object_set_string_member (assignee, "kind", kind);
  json_object_set_string_member (assignee, "id", id);
  json_object_set_object_member (params, "assignee", assignee);
  if (deadline != NULL)
    json_object_set_string_member (params, "deadline", deadline);
  take_action (self, g_object_get_data (G_OBJECT (dialog), "target"), params);
}

static void
merge_chosen_cb (WgMergeDialog *dialog,
                 const char    *id,
                 const char    *number,
                 WgCaseDetail  *self)
{
  g_autoptr(JsonObject) params = json_object_new ();

  json_object_set_string_member (params, "into", id);
  take_action (self, g_object_get_data (G_OBJECT (dialog), "target"), params);
}

static void
confirmed_cb (WgActionDialog *dialog,
              JsonObject     *params,
              WgCaseDetail   *self)
{
  take_action (self, g_object_get_data (G_OBJECT (dialog), "target"), params);
}

static void
present (WgCaseDetail *self,
         AdwDialog    *dialog,
         WgCaseAction  action)
{
  g_object_set_data_full (G_OBJECT (dialog), "target", target_new (self, action), target_free);
  g_signal_connect_object (dialog, "closed", G_CALLBACK (dialog_closed_cb), self, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

/* Takes @action on the case on show, through its dialog when it asks something first.
 * Returns whether it could. */
static gboolean
trigger (WgCaseDetail *self,
         WgCaseAction  action)
{
  WgStore *store = get_store (self);
  JsonObject *json;

  if (!can_take (self, action) || store == NULL)
    return FALSE;

  json = wg_record_get_json (self->record);
  if (action == WG_CASE_ACTION_DISPATCH)
    {
      WgDispatchDialog *dialog = wg_dispatch_dialog_new (store, json);

      g_signal_connect_object (dialog, "chosen", G_CALLBACK (target_chosen_cb), self, 0);
      present (self, ADW_DIALOG (dialog), action);
    }
  else if (action == WG_CASE_ACTION_MERGE)
    {
      WgMergeDialog *dialog = wg_merge_dialog_new (store, self->names, json);

      g_signal_connect_object (dialog, "chosen", G_CALLBACK (merge_chosen_cb), self, 0);
      present (self, ADW_DIALOG (dialog), action);
    }
  else if (wg_action_dialog_wants (action))
    {
      g_autoptr(WgWorkingCalendar) calendar = action == WG_CASE_ACTION_EXTEND ? wg_deadline_load_calendar (store) : NULL;
      WgActionDialog *dialog = wg_action_dialog_new (action, json, calendar);

      g_signal_connect_object (dialog, "confirmed", G_CALLBACK (confirmed_cb), self, 0);
      present (self, ADW_DIALOG (dialog), action);
    }
  else
    {
      Target *target = target_new (self, action);

      take_action (self, target, NULL);
      target_free (target);
    }
  return TRUE;
}

static void
case_action_cb (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  WgCaseDetail *self = user_data;
  WgCaseAction which;

  if (wg_case_action_from_string (g_action_get_name (G_ACTION (action)), &which))
    trigger (self, which);
}

/* --- a case taken by phone ------------------------------------------------------------------- */

static void
report_queued_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!wg_sync_take_action_finish (WG_SYNC (object), result, &error))
    g_warning ("Could not record the new case: %s", error->message);
}

static void
filed_cb (WgNewCaseDialog *dialog,
          JsonObject      *report,
          WgCaseDetail    *self)
{
  WgSync *sync = self->session != NULL ? wg_session_get_sync (self->session) : NULL;

  if (sync == NULL)
    return;
  /* The outbox's "create" posts to /api/v1/cases; the case comes into the queue's "New"
   * with the server's answer. */
  wg_sync_take_action_async (sync, NULL, "create", report, 0, NULL, NULL, report_queued_cb, NULL);
}

static void
open_new_case (WgCaseDetail *self)
{
  WgStore *store = get_store (self);
  WgNewCaseDialog *dialog;

  if (store == NULL)
    return;
  dialog = wg_new_case_dialog_new (store);
  g_signal_connect_object (dialog, "filed", G_CALLBACK (filed_cb), self, 0);
  g_signal_connect_object (dialog, "closed", G_CALLBACK (dialog_closed_cb), self, 0);
  adw_dialog_present (ADW_DIALOG (dialog), self->page != NULL ? self->page : GTK_WIDGET (self));
}

static void
new_case_cb (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  open_new_case (WG_CASE_DETAIL (user_data));
}

/* --- keyboard and focus ---------------------------------------------------------------------- */

static AdwDialog *
visible_dialog (WgCaseDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_APPLICATION_WINDOW (root))
    return adw_application_window_get_visible_dialog (ADW_APPLICATION_WINDOW (root));
  if (ADW_IS_WINDOW (root))
    return adw_window_get_visible_dialog (ADW_WINDOW (root));
  return NULL;
}

/* The shortcuts are the window's (managed), but act only for the dispatch page: while the
 * focus is in the queue, the detail or nowhere, and no dialog is open. */
static gboolean
shortcuts_apply (WgCaseDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  if (self->page == NULL || root == NULL || visible_dialog (self) != NULL)
    return FALSE;
  return focus == NULL || focus == self->page || gtk_widget_is_ancestor (focus, self->page);
}

static gboolean
shortcut_cb (GtkWidget *widget,
             GVariant  *args,
             gpointer   user_data)
{
  WgCaseDetail *self = user_data;
  int which = g_variant_get_int32 (args);

  if (!shortcuts_apply (self))
    return FALSE;
  if (which == SHORTCUT_NEW_CASE)
    {
      if (get_store (self) == NULL)
        return FALSE;
      open_new_case (self);
      return TRUE;
    }
  if (which == SHORTCUT_PRIMARY)
    {
      if (self->primary == WG_N_CASE_ACTIONS)
        return FALSE;
      which = self->primary;
    }
  return trigger (self, which);
}

static void
add_shortcut (GtkShortcutController *controller,
              WgCaseDetail          *self,
              guint                  key,
              GdkModifierType        modifiers,
              int                    which)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (key, modifiers),
                                            gtk_callback_action_new (shortcut_cb, g_object_ref (self), g_object_unref));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_int32 (which));
  gtk_shortcut_controller_add_shortcut (controller, shortcut);
}

/* Every action's shortcut (Alt and a letter), the suggested action (Ctrl+Return) and a new
 * case by phone (Ctrl+N). Managed by the window, so they work wherever the focus is on the
 * dispatch page, queue or detail; listed in the shortcuts window (gtk/help-overlay.ui). */
static GtkEventController *
create_shortcuts (WgCaseDetail *self)
{
  GtkEventController *controller = gtk_shortcut_controller_new ();

  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (controller), GTK_SHORTCUT_SCOPE_MANAGED);
  gtk_event_controller_set_name (controller, "case-actions");
  for (guint i = 0; i < G_N_ELEMENTS (action_info); i++)
    add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), self, action_info[i].key, GDK_ALT_MASK, action_info[i].action);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), self, GDK_KEY_Return, GDK_CONTROL_MASK, SHORTCUT_PRIMARY);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), self, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, SHORTCUT_PRIMARY);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (controller), self, GDK_KEY_n, GDK_CONTROL_MASK, SHORTCUT_NEW_CASE);
  return controller;
}

static GtkWidget *
find_queue (GtkWidget *root)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (GTK_IS_COLUMN_VIEW (child))
        return child;
      if ((found = find_queue (child)) != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
get_queue (WgCaseDetail *self)
{
  if (self->queue == NULL && self->page != NULL)
    g_set_weak_pointer (&self->queue, find_queue (self->page));
  return self->queue;
}

/* The first button of the actions' row: in its wrap box, else the menu. */
static GtkWidget *
first_action_button (WgCaseDetail *self)
{
  GtkWidget *first = self->buttons != NULL ? gtk_widget_get_first_child (self->buttons) : NULL;

  if (first != NULL && ADW_IS_WRAP_BOX (first))
    return gtk_widget_get_first_child (first) != NULL ? gtk_widget_get_first_child (first) : gtk_widget_get_next_sibling (first);
  return first;
}

/* Puts the focus back where the dispatcher works: on the detail's first button when it was in
 * the detail and there is one, else on the queue's selected row. */
static void
restore_focus (WgCaseDetail *self)
{
  GtkWidget *queue = get_queue (self);
  GtkWidget *button = first_action_button (self);

  if (self->focus_area == FOCUS_DETAIL && button != NULL && gtk_widget_get_mapped (button) &&
      gtk_widget_grab_focus (button))
    return;
  if (queue != NULL && gtk_widget_get_mapped (queue))
    {
      GtkSelectionModel *model = gtk_column_view_get_model (GTK_COLUMN_VIEW (queue));
      guint selected = GTK_IS_SINGLE_SELECTION (model) ? gtk_single_selection_get_selected (GTK_SINGLE_SELECTION (model))
                                                       : GTK_INVALID_LIST_POSITION;

      /* No case selected (it left the view): the row of the case last on show, if it is
       * still there. */
      for (guint i = 0; selected == GTK_INVALID_LIST_POSITION && self->last_id != NULL &&
                        i < MIN (g_list_model_get_n_items (G_LIST_MODEL (model)), 10000); i++)
        {
          g_autoptr(WgRecord) record = g_list_model_get_item (G_LIST_MODEL (model), i);

          if (g_strcmp0 (wg_record_get_id (record), self->last_id) == 0)
            selected = i;
        }
      /* scroll_to () moves the focus only within a queue that has it */
      gtk_widget_grab_focus (queue);
      if (selected != GTK_INVALID_LIST_POSITION)
        gtk_column_view_scroll_to (GTK_COLUMN_VIEW (queue), selected, NULL, GTK_LIST_SCROLL_FOCUS, NULL);
    }
}

static gboolean
restore_focus_cb (gpointer data)
{
  WgCaseDetail *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  /* A dialog closing gives the focus back itself; wait for it to be gone. */
  if (root != NULL && visible_dialog (self) != NULL && self->restore_tries++ < 50)
    return G_SOURCE_CONTINUE;

  self->restore_source = 0;
  if (root != NULL && gtk_root_get_focus (root) == NULL && self->page != NULL && gtk_widget_get_mapped (self->page))
    restore_focus (self);
  return G_SOURCE_REMOVE;
}

static gboolean
focus_on_page (WgCaseDetail *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && self->page != NULL && gtk_widget_is_ancestor (focus, self->page) &&
         gtk_widget_is_sensitive (focus) && gtk_widget_get_mapped (focus);
}

static gboolean
restore_after_dialog_cb (gpointer data)
{
  WgCaseDetail *self = data;

  if (visible_dialog (self) != NULL && self->restore_tries++ < 50)
    return G_SOURCE_CONTINUE;
  self->restore_source = 0;
  if (!focus_on_page (self) && self->page != NULL && gtk_widget_get_mapped (self->page))
    restore_focus (self);
  return G_SOURCE_REMOVE;
}

/* A dialog gives the focus back to what had it, unless that went or was turned off by the
 * action (its button): then the focus returns to the detail or the queue, not elsewhere. */
static void
dialog_closed_cb (AdwDialog    *dialog,
                  WgCaseDetail *self)
{
  g_clear_handle_id (&self->restore_source, g_source_remove);
  self->restore_tries = 0;
  self->restore_source = g_timeout_add (20, restore_after_dialog_cb, self);
}

/* Follows where the focus is on the dispatch page. When what had it goes away (a button
 * rebuilt after an action, a row leaving the view), the focus would be nowhere: it returns
 * to the queue or the detail. */
static void
focus_changed_cb (GtkWindow    *window,
                  GParamSpec   *pspec,
                  WgCaseDetail *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (window));
  GtkWidget *queue;

  if (focus == NULL)
    {
      if (self->focus_area != FOCUS_ELSEWHERE && self->restore_source == 0)
        {
          self->restore_tries = 0;
          self->restore_source = g_timeout_add (20, restore_focus_cb, self);
        }
      return;
    }
  /* The focus in a dialog goes back where it came from when it closes. */
  if (gtk_widget_get_ancestor (focus, ADW_TYPE_DIALOG) != NULL)
    return;

  queue = get_queue (self);
  if (focus == GTK_WIDGET (self) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self)))
    self->focus_area = FOCUS_DETAIL;
  else if (queue != NULL && (focus == queue || gtk_widget_is_ancestor (focus, queue)))
    self->focus_area = FOCUS_QUEUE;
  else
    self->focus_area = FOCUS_ELSEWHERE;
}

/* The actions this user may take on this case now: the state machine decides. None while an
 * earlier action on it waits for the server. */
static void
append_actions (WgCaseDetail *self)
{
  GtkWidget *row;
  GtkWidget *buttons;
  g_autoptr(GMenu) more = g_menu_new ();
  WgCaseState state;
  WgRole role = current_role (self);
  guint n_buttons = 0;

  self->primary = WG_N_CASE_ACTIONS;
  g_clear_weak_pointer (&self->buttons);
  update_action_states (self);
  if (wg_record_get_pending (self->record) || !wg_case_state_from_string (wg_record_get_state (self->record), &state))
    return;

  buttons = adw_wrap_box_new ();
  adw_wrap_box_set_child_spacing (ADW_WRAP_BOX (buttons), 6);
  adw_wrap_box_set_line_spacing (ADW_WRAP_BOX (buttons), 6);
  for (guint i = 0; i < G_N_ELEMENTS (action_info); i++)
    {
      WgCaseAction action = action_info[i].action;
      const char *name = wg_case_action_to_string (action);
      g_autofree char *label = NULL;
      g_autofree char *detailed = NULL;
      g_autofree char *accel = NULL;

      if (!wg_case_machine_can (state, action, role))
        continue;

      label = action_label (action);
      detailed = g_strconcat ("case.", name, NULL);
      if (action_info[i].prominent && n_buttons < MAX_BUTTONS)
        {
          GtkWidget *button = gtk_button_new_with_label (label);
          g_autofree char *shortcut = gtk_accelerator_get_label (action_info[i].key, GDK_ALT_MASK);
          /* Translators: a button's tooltip: what it does and its shortcut, "受理 (Alt+A)" */
          g_autofree char *tooltip = g_strdup_printf (C_("tooltip", "%s (%s)"), label, shortcut);

          gtk_widget_set_name (button, name);
          gtk_actionable_set_action_name (GTK_ACTIONABLE (button), detailed);
          gtk_widget_set_tooltip_text (button, tooltip);
          if (n_buttons == 0)
            {
              gtk_widget_add_css_class (button, "suggested-action");
              self->primary = action;
            }
          adw_wrap_box_append (ADW_WRAP_BOX (buttons), button);
          n_buttons++;
          continue;
        }

      {
        g_autoptr(GMenuItem) item = g_menu_item_new (label, detailed);

        accel = gtk_accelerator_name (action_info[i].key, GDK_ALT_MASK);
        g_menu_item_set_attribute (item, "accel", "s", accel);
        g_menu_append_item (more, item);
      }
    }

  row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_name (row, "case-actions");
  gtk_widget_set_hexpand (buttons, TRUE);
  gtk_box_append (GTK_BOX (row), buttons);
  /* The menu keeps to the end of the first line, however the buttons wrap. */
  if (g_menu_model_get_n_items (G_MENU_MODEL (more)) > 0)
    {
      GtkWidget *menu = gtk_menu_button_new ();

      gtk_widget_set_name (menu, "more-actions");
      gtk_widget_set_valign (menu, GTK_ALIGN_START);
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu), "view-more-symbolic");
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu), G_MENU_MODEL (more));
      gtk_widget_set_tooltip_text (menu, _("More Actions"));
      gtk_box_append (GTK_BOX (row), menu);
    }

  if (n_buttons > 0 || g_menu_model_get_n_items (G_MENU_MODEL (more)) > 0)
    {
      gtk_box_append (self->box, row);
      g_set_weak_pointer (&self->buttons, row);
    }
  else
    {
      g_object_ref_sink (row);
      g_object_unref (row);
    }
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

/* Where the case is: a small map with its grid outlined, once the grids are known. */
static void
append_map (WgCaseDetail *self)
{
  GtkWidget *section;
  GtkWidget *heading;

  if (self->case_map == NULL)
    return;

  section = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  heading = gtk_label_new (_("Location"));
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "heading");
  gtk_box_append (GTK_BOX (section), heading);
  wg_case_map_set_case (WG_CASE_MAP (self->case_map), wg_record_get_json (self->record));
  gtk_box_append (GTK_BOX (section), self->case_map);
  gtk_box_append (self->box, section);
}

static void
rebuild (WgCaseDetail *self)
{
  GtkWidget *child;

  if (self->case_map != NULL && gtk_widget_get_parent (self->case_map) != NULL)
    gtk_box_remove (GTK_BOX (gtk_widget_get_parent (self->case_map)), self->case_map);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->box))) != NULL)
    gtk_box_remove (self->box, child);
  if (self->record == NULL || wg_record_get_json (self->record) == NULL)
    return;

  append_title (self);
  append_actions (self);
  append_fields (self);
  append_map (self);
  gtk_box_append (self->box, wg_case_photos_new (self->session, self->record));
  gtk_box_append (self->box, wg_case_people_new (self->session, self->record));
  gtk_box_append (self->box, wg_case_nearby_new (self->session, self->record));
  append_timeline (self);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_case_detail_root (GtkWidget *widget)
{
  WgCaseDetail *self = WG_CASE_DETAIL (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (wg_case_detail_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (GTK_IS_WINDOW (root))
    {
      self->window = GTK_WINDOW (root);
      g_signal_connect_object (root, "notify::focus-widget", G_CALLBACK (focus_changed_cb), self, 0);
    }
}

static void
wg_case_detail_unroot (GtkWidget *widget)
{
  WgCaseDetail *self = WG_CASE_DETAIL (widget);

  if (self->window != NULL)
    g_signal_handlers_disconnect_by_func (self->window, focus_changed_cb, self);
  self->window = NULL;
  g_clear_handle_id (&self->restore_source, g_source_remove);

  GTK_WIDGET_CLASS (wg_case_detail_parent_class)->unroot (widget);
}

static void
wg_case_detail_dispose (GObject *object)
{
  WgCaseDetail *self = WG_CASE_DETAIL (object);

  g_clear_handle_id (&self->restore_source, g_source_remove);
  g_clear_weak_pointer (&self->buttons);
  g_clear_weak_pointer (&self->queue);
  g_clear_object (&self->actions);
  g_clear_object (&self->page_actions);
  self->page = NULL;
  g_clear_pointer (&self->last_id, g_free);
  g_clear_object (&self->record);
  g_clear_object (&self->case_map);
  g_clear_object (&self->session);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (wg_case_detail_parent_class)->dispose (object);
}

static void
wg_case_detail_class_init (WgCaseDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_case_detail_dispose;
  widget_class->root = wg_case_detail_root;
  widget_class->unroot = wg_case_detail_unroot;
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

  self->primary = WG_N_CASE_ACTIONS;
  self->actions = g_simple_action_group_new ();
  for (guint i = 0; i < G_N_ELEMENTS (action_info); i++)
    {
      g_autoptr(GSimpleAction) action = g_simple_action_new (wg_case_action_to_string (action_info[i].action), NULL);

      g_signal_connect_object (action, "activate", G_CALLBACK (case_action_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->actions), G_ACTION (action));
    }
  gtk_widget_insert_action_group (GTK_WIDGET (self), "case", G_ACTION_GROUP (self->actions));

  self->page_actions = g_simple_action_group_new ();
  {
    g_autoptr(GSimpleAction) action = g_simple_action_new ("new-case", NULL);

    g_signal_connect_object (action, "activate", G_CALLBACK (new_case_cb), self, 0);
    g_action_map_add_action (G_ACTION_MAP (self->page_actions), G_ACTION (action));
  }
  update_action_states (self);
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
  update_action_states (self);
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
  gboolean same;

  g_return_if_fail (WG_IS_CASE_DETAIL (self));

  /* The queue hands over a new object for the same row when anything in the table changes;
   * unchanged, the case keeps what is on show (photos are not fetched again). */
  same = self->record != NULL && record != NULL &&
         g_strcmp0 (wg_record_get_id (self->record), wg_record_get_id (record)) == 0 &&
         wg_record_get_version (self->record) == wg_record_get_version (record) &&
         wg_record_get_pending (self->record) == wg_record_get_pending (record) &&
         g_strcmp0 (wg_record_get_state (self->record), wg_record_get_state (record)) == 0;
  g_set_object (&self->record, record);
  if (same)
    return;
  if (record != NULL)
    g_set_str (&self->last_id, wg_record_get_id (record));
  self->busy = FALSE;
  update_action_states (self);
  rebuild (self);
}

WgRecord *
wg_case_detail_get_record (WgCaseDetail *self)
{
  g_return_val_if_fail (WG_IS_CASE_DETAIL (self), NULL);

  return self->record;
}

/* Gives @page (the dispatch page holding this detail) the case shortcuts, so they work
 * wherever its focus is, and its "dispatch.new-case" action (a case taken by phone). */
void
wg_case_detail_attach_to_page (WgCaseDetail *self,
                               GtkWidget    *page)
{
  g_return_if_fail (WG_IS_CASE_DETAIL (self));
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (self->page == NULL);

  self->page = page;
  gtk_widget_add_controller (page, create_shortcuts (self));
  gtk_widget_insert_action_group (page, "dispatch", G_ACTION_GROUP (self->page_actions));
}

/* The township's grids (the Map section's model), for the small map of where the case is. */
void
wg_case_detail_set_grids (WgCaseDetail *self,
                          GListModel   *grids)
{
  g_return_if_fail (WG_IS_CASE_DETAIL (self));

  if (self->case_map == NULL)
    {
      self->case_map = g_object_ref_sink (wg_case_map_new ());
      gtk_widget_set_name (self->case_map, "case-map");
      gtk_widget_add_css_class (self->case_map, "card");
      gtk_widget_set_overflow (self->case_map, GTK_OVERFLOW_HIDDEN);
    }
  wg_case_map_set_grids (WG_CASE_MAP (self->case_map), grids);
  rebuild (self);
}
