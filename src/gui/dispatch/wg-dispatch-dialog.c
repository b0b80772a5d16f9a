/* wg-dispatch-dialog.c — send a case to a team, department, village, grid or person
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed-to-find: the dispatcher types part of a name and presses Enter. Each target shows how
 * many open cases it already carries, so the load can be spread; the category's usual target,
 * when it has one, comes first. The deadline is proposed from the case's category and urgency
 * in working time, exactly as the server would set it, and can be changed; what is shown is
 * what is sent, so a dispatch made offline keeps the deadline the dispatcher saw.
 */
#define G_LOG_DOMAIN "WgDispatchDialog"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "wg-deadline-group.h"
#include "wg-dispatch-dialog.h"

/* Rows shown at most: a township has about two thousand targets; typing narrows them. */
#define MAX_ROWS 60

struct _WgDispatchDialog
{
  AdwDialog          parent_instance;

  /* Children */
  GtkSearchEntry    *search;
  GtkListBox        *list;
  GtkScrolledWindow *scrolled;
  GtkButton         *confirm;
  AdwWindowTitle    *title;
  WgDeadlineGroup   *deadline;       /* NULL for several cases: each gets its own */

  /* Owned */
  GPtrArray         *targets;    /* Target */
  char              *suggested;  /* the category's usual target, or NULL */

  gboolean           chosen;
};

G_DEFINE_FINAL_TYPE (WgDispatchDialog, wg_dispatch_dialog, ADW_TYPE_DIALOG)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  char     *kind;       /* team, department, village, grid, person */
  char     *id;
  char     *name;
  char     *folded;     /* for matching what is typed */
  int       load;
  gboolean  suggested;  /* the category's usual target */
} Target;

static void
target_free (gpointer data)
{
  Target *target = data;

  g_free (target->kind);
  g_free (target->id);
  g_free (target->name);
  g_free (target->folded);
  g_free (target);
}

static const char *
kind_label (const char *kind)
{
  if (g_str_equal (kind, "team"))
    return C_("target", "Service team");
  if (g_str_equal (kind, "department"))
    return C_("target", "Department");
  if (g_str_equal (kind, "village"))
    return C_("target", "Village");
  if (g_str_equal (kind, "grid"))
    return C_("target", "Grid");
  return C_("target", "Person");
}

static void
add_targets (WgDispatchDialog *self,
             WgStore          *store,
             const char       *record_kind,
             GHashTable       *load)
{
  g_autoptr(GPtrArray) records = wg_store_list_records (store, record_kind, NULL);

  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];
      const char *kind = NULL;
      Target *target;

      if (!json_object_has_member (record, "id") || !json_object_has_member (record, "name"))
        continue;

      if (g_str_equal (record_kind, "teams"))
        kind = g_strcmp0 (json_object_get_string_member_with_default (record, "kind", ""), "department") == 0
               ? "department" : "team";
      else if (g_str_equal (record_kind, "org_units"))
        {
          const char *unit = json_object_get_string_member_with_default (record, "kind", "");

          if (!g_str_equal (unit, "village") && !g_str_equal (unit, "community"))
            continue;
          kind = "village";
        }
      else if (g_str_equal (record_kind, "grids"))
        kind = "grid";
      else
        kind = "person";

      target = g_new0 (Target, 1);
      target->kind = g_strdup (kind);
      target->id = g_strdup (json_object_get_string_member (record, "id"));
      target->name = g_strdup (json_object_get_string_member (record, "name"));
      target->folded = g_utf8_casefold (target->name, -1);
      target->load = GPOINTER_TO_INT (g_hash_table_lookup (load, target->id));
      target->suggested = g_strcmp0 (target->id, self->suggested) == 0;
      if (target->suggested)
        g_ptr_array_insert (self->targets, 0, target);
      else
        g_ptr_array_add (self->targets, target);
    }
}

static GtkWidget *
create_row (Target *target)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *load = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d open case", "%d open cases", target->load),
                                           target->load);
  GtkWidget *suffix = gtk_label_new (load);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), target->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  if (target->suggested)
    {
      /* Translators: a dispatch target's kind, and that the case's category usually goes there */
      g_autofree char *subtitle = g_strdup_printf (_("%s · usual for this category"), kind_label (target->kind));

      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
    }
  else
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), kind_label (target->kind));
  gtk_widget_add_css_class (suffix, target->load > 5 ? "warning" : "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data (G_OBJECT (row), "target", target);
  return row;
}

static void
refilter (WgDispatchDialog *self)
{
  g_autofree char *typed = g_utf8_casefold (gtk_editable_get_text (GTK_EDITABLE (self->search)), -1);
  guint shown = 0;

  gtk_list_box_remove_all (self->list);
  for (guint i = 0; i < self->targets->len && shown < MAX_ROWS; i++)
    {
      Target *target = self->targets->pdata[i];

      if (typed[0] != '\0' && strstr (target->folded, typed) == NULL)
        continue;
      gtk_list_box_append (self->list, create_row (target));
      shown++;
    }
  gtk_list_box_select_row (self->list, gtk_list_box_get_row_at_index (self->list, 0));
}

static void
update_confirm (WgDispatchDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm),
                            gtk_list_box_get_selected_row (self->list) != NULL &&
                            (self->deadline == NULL || wg_deadline_group_get_valid (self->deadline)));
}

static void
choose (WgDispatchDialog *self,
        GtkListBoxRow    *row)
{
  Target *target = row != NULL ? g_object_get_data (G_OBJECT (row), "target") : NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *deadline = NULL;

  if (target == NULL || self->chosen)
    return;
  if (self->deadline != NULL && !wg_deadline_group_get_valid (self->deadline))
    {
      /* the line under the deadline says why */
      gtk_widget_grab_focus (GTK_WIDGET (self->deadline));
      return;
    }
  if (self->deadline != NULL)
    {
      utc = g_date_time_to_utc (wg_deadline_group_get_deadline (self->deadline));
      deadline = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
    }
  self->chosen = TRUE;   /* once, whether by Enter, a click or the button */
  g_signal_emit (self, signals[CHOSEN], 0, target->kind, target->id, target->name, deadline);
  adw_dialog_close (ADW_DIALOG (self));
}

static void
search_changed_cb (WgDispatchDialog *self)
{
  refilter (self);
}

static void
search_activate_cb (WgDispatchDialog *self)
{
  choose (self, gtk_list_box_get_selected_row (self->list));
}

static void
row_activated_cb (WgDispatchDialog *self,
                  GtkListBoxRow    *row)
{
  choose (self, row);
}

static void
confirm_cb (WgDispatchDialog *self)
{
  choose (self, gtk_list_box_get_selected_row (self->list));
}

static void
cancel_cb (WgDispatchDialog *self)
{
  adw_dialog_close (ADW_DIALOG (self));
}

static void
changed_cb (WgDispatchDialog *self)
{
  update_confirm (self);
}

/* Up and Down in a picker's search choose among the rows of @list (in @scrolled) while the
 * cursor stays in the search. Returns whether @keyval was one of them. Shared with the merge
 * picker. */
gboolean
wg_picker_step (GtkListBox        *list,
                GtkScrolledWindow *scrolled,
                guint              keyval)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);
  int index = row != NULL ? gtk_list_box_row_get_index (row) : -1;
  GtkListBoxRow *next = NULL;

  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    next = gtk_list_box_get_row_at_index (list, index + 1);
  else if ((keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) && index > 0)
    next = gtk_list_box_get_row_at_index (list, index - 1);
  else
    return FALSE;

  if (next != NULL)
    {
      gtk_list_box_select_row (list, next);
      gtk_viewport_scroll_to (GTK_VIEWPORT (gtk_scrolled_window_get_child (scrolled)), GTK_WIDGET (next), NULL);
    }
  return TRUE;
}

static gboolean
search_key_cb (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               WgDispatchDialog      *self)
{
  return wg_picker_step (self->list, self->scrolled, keyval);
}

static void
wg_dispatch_dialog_finalize (GObject *object)
{
  WgDispatchDialog *self = WG_DISPATCH_DIALOG (object);

  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->suggested, g_free);

  G_OBJECT_CLASS (wg_dispatch_dialog_parent_class)->finalize (object);
}

static void
wg_dispatch_dialog_class_init (WgDispatchDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_dispatch_dialog_finalize;

  /**
   * WgDispatchDialog::chosen:
   * @kind: team, department, village, grid or person
   * @id: the target's id
   * @name: its name
   * @deadline: the deadline chosen, RFC 3339 in UTC; NULL for several cases
   */
  signals[CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
}

static void
wg_dispatch_dialog_init (WgDispatchDialog *self)
{
  GtkWidget *toolbar = adw_toolbar_view_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *hint = gtk_label_new (_("Each target shows how many open cases it already carries."));
  GtkEventController *key = gtk_event_controller_key_new ();

  self->targets = g_ptr_array_new_with_free_func (target_free);

  adw_dialog_set_title (ADW_DIALOG (self), _("Dispatch To"));
  adw_dialog_set_content_width (ADW_DIALOG (self), 480);
  adw_dialog_set_content_height (ADW_DIALOG (self), 680);

  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Dispatch To"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->confirm = GTK_BUTTON (gtk_button_new_with_label (g_dpgettext2 (GETTEXT_PACKAGE, "case", "Dispatch")));
  gtk_widget_set_name (GTK_WIDGET (self->confirm), "confirm");
  gtk_widget_add_css_class (GTK_WIDGET (self->confirm), "suggested-action");
  g_signal_connect_swapped (self->confirm, "clicked", G_CALLBACK (confirm_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->confirm));

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->search), "target-search");
  gtk_search_entry_set_placeholder_text (self->search, _("Type part of a team’s, village’s, grid’s or person’s name"));
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search, "activate", G_CALLBACK (search_activate_cb), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (search_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search), key);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "dispatch-targets");
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_BROWSE);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->list, "row-selected", G_CALLBACK (changed_cb), self);

  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_widget_add_css_class (hint, "dim-label");

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_bottom (box, 12);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->search));
  gtk_box_append (GTK_BOX (box), hint);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (box), scrolled);
  self->scrolled = GTK_SCROLLED_WINDOW (scrolled);

  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), header);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), box);
  adw_dialog_set_child (ADW_DIALOG (self), toolbar);
  adw_dialog_set_focus (ADW_DIALOG (self), GTK_WIDGET (self->search));
  adw_dialog_set_default_widget (ADW_DIALOG (self), GTK_WIDGET (self->confirm));
}

/* The targets are read from @store: the category's usual target first, then teams and
 * departments (where most cases go), villages, grids and people. The deadline is proposed
 * for the case @case_json from its category and urgency. With @case_json NULL the dialog
 * dispatches several cases: no deadline is asked, each case gets its category's. */
WgDispatchDialog *
wg_dispatch_dialog_new (WgStore    *store,
                        JsonObject *case_json)
{
  WgDispatchDialog *self;
  g_autoptr(GHashTable) load = NULL;
  g_autoptr(JsonObject) category = NULL;
  g_autoptr(WgWorkingCalendar) calendar = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autoptr(GDateTime) proposal = NULL;
  const char *category_id;

  g_return_val_if_fail (WG_IS_STORE (store), NULL);

  self = g_object_new (WG_TYPE_DISPATCH_DIALOG, NULL);
  if (case_json != NULL)
    adw_window_title_set_subtitle (self->title, json_object_get_string_member_with_default (case_json, "number", ""));
  else
    adw_window_title_set_subtitle (self->title, _("Each case gets the deadline of its category and urgency"));

  category_id = case_json != NULL ? json_object_get_string_member_with_default (case_json, "category_id", NULL) : NULL;
  if (category_id != NULL)
    category = wg_store_get_record (store, "categories", category_id, NULL);
  if (category != NULL && json_object_has_member (category, "default_target") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (category, "default_target")))
    self->suggested = g_strdup (json_object_get_string_member_with_default (json_object_get_object_member (category, "default_target"),
                                                                            "id", NULL));

  load = wg_store_open_load (store, NULL);
  if (load == NULL)
    load = g_hash_table_new (g_str_hash, g_str_equal);
  add_targets (self, store, "teams", load);
  add_targets (self, store, "org_units", load);
  add_targets (self, store, "grids", load);
  add_targets (self, store, "people", load);
  refilter (self);
  if (case_json == NULL)
    {
      update_confirm (self);
      return self;
    }

  calendar = wg_deadline_load_calendar (store);
  now = g_date_time_new_now_utc ();
  proposal = wg_working_calendar_add_minutes (calendar, now,
                                              wg_deadline_proposal_minutes (category,
                                                                            json_object_get_string_member_with_default (case_json, "urgency", NULL)));
  self->deadline = WG_DEADLINE_GROUP (wg_deadline_group_new (calendar));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->deadline),
                                         _("Proposed from the case’s category and urgency; change it if needed."));
  wg_deadline_group_set_deadline (self->deadline, proposal);
  g_signal_connect_swapped (self->deadline, "notify::valid", G_CALLBACK (changed_cb), self);
  gtk_box_append (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->scrolled))), GTK_WIDGET (self->deadline));
  update_confirm (self);
  return self;
}
