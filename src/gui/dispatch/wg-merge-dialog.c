/* wg-merge-dialog.c — choose the open case a duplicate report is merged into
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Typed-to-find over the local cache, like the queue's search: the number or words of the
 * other case. Only open cases are offered (the server refuses a merge into a closed, rejected
 * or merged one), never the case itself, and those in the same grid come first: a duplicate
 * is most often reported from the same place. Each shows its number, title, village and grid.
 */
#define G_LOG_DOMAIN "WgMergeDialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-case-machine.h"
#include "wg-case-views.h"
#include "wg-dispatch-dialog.h"
#include "wg-merge-dialog.h"
#include "wg-record-list.h"

/* Rows shown at most; typing narrows the rest. */
#define MAX_ROWS 50

struct _WgMergeDialog
{
  AdwDialog          parent_instance;

  /* Children */
  GtkSearchEntry    *search;
  GtkListBox        *list;
  GtkLabel          *more;
  GtkButton         *confirm;
  AdwWindowTitle    *title;
  GtkScrolledWindow *scrolled;

  /* Owned */
  WgRecordList      *cases;
  GHashTable        *names;
  char              *where;       /* open cases but this one */
  char              *selected_id;

  gboolean           chosen;
};

G_DEFINE_FINAL_TYPE (WgMergeDialog, wg_merge_dialog, ADW_TYPE_DIALOG)

enum {
  CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
name_of (WgMergeDialog *self,
         const char    *id)
{
  const char *name = id != NULL && self->names != NULL ? g_hash_table_lookup (self->names, id) : NULL;

  return name != NULL ? name : "";
}

static GtkWidget *
create_row (WgMergeDialog *self,
            WgRecord      *record)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = g_strdup_printf (C_("merge target", "%s · %s"), wg_record_get_string (record, "number"),
                                            wg_record_get_string (record, "title"));
  /* Translators: a case's village and grid in the queue, "马街社区 · 第3网格" */
  g_autofree char *place = g_strdup_printf (C_("place", "%s · %s"), name_of (self, wg_record_get_string (record, "village_id")),
                                            name_of (self, wg_record_get_string (record, "grid_id")));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), place);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_name (row, wg_record_get_id (record));
  g_object_set_data_full (G_OBJECT (row), "number", g_strdup (wg_record_get_string (record, "number")), g_free);
  return row;
}

static void
update_confirm (WgMergeDialog *self)
{
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm), gtk_list_box_get_selected_row (self->list) != NULL);
}

/* Shows the first rows of the model, keeping the chosen case chosen when it is still there. */
static void
refill (WgMergeDialog *self)
{
  GListModel *model = G_LIST_MODEL (self->cases);
  guint n = g_list_model_get_n_items (model);
  GtkListBoxRow *select = NULL;
  g_autofree char *keep = g_strdup (self->selected_id);

  gtk_list_box_remove_all (self->list);
  for (guint i = 0; i < n && i < MAX_ROWS; i++)
    {
      g_autoptr(WgRecord) record = g_list_model_get_item (model, i);
      GtkWidget *row = create_row (self, record);

      gtk_list_box_append (self->list, row);
      if (select == NULL || g_strcmp0 (wg_record_get_id (record), keep) == 0)
        select = GTK_LIST_BOX_ROW (row);
    }
  gtk_list_box_select_row (self->list, select);

  if (n > MAX_ROWS)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            "%u more open case matches: type more of its number or words to find it.",
                                                            "%u more open cases match: type more of the number or words to find the one.",
                                                            n - MAX_ROWS), n - MAX_ROWS);

      gtk_label_set_label (self->more, text);
    }
  else if (n == 0 && !wg_record_list_get_loading (self->cases))
    gtk_label_set_label (self->more, _("No open case matches."));
  else
    gtk_label_set_label (self->more, "");
  gtk_widget_set_visible (GTK_WIDGET (self->more), gtk_label_get_label (self->more)[0] != '\0');
  update_confirm (self);
}

static void
choose (WgMergeDialog *self,
        GtkListBoxRow *row)
{
  if (row == NULL || self->chosen)
    return;
  self->chosen = TRUE;   /* once, whether by Enter, a click or the button */
  g_signal_emit (self, signals[CHOSEN], 0, gtk_widget_get_name (GTK_WIDGET (row)),
                 g_object_get_data (G_OBJECT (row), "number"));
  adw_dialog_close (ADW_DIALOG (self));
}

/* --- signal callbacks ------------------------------------------------------------------------ */

static void
items_changed_cb (WgMergeDialog *self)
{
  refill (self);
}

static void
search_changed_cb (WgMergeDialog *self)
{
  g_autofree char *query = wg_fts_build_query (gtk_editable_get_text (GTK_EDITABLE (self->search)));
  g_autofree char *where = query != NULL ? g_strdup_printf ("%s AND (%s)", self->where, wg_case_search_where ())
                                         : g_strdup (self->where);

  wg_record_list_set_filter (self->cases, where, query);
}

static void
search_activate_cb (WgMergeDialog *self)
{
  choose (self, gtk_list_box_get_selected_row (self->list));
}

static void
row_activated_cb (WgMergeDialog *self,
                  GtkListBoxRow *row)
{
  choose (self, row);
}

static void
row_selected_cb (WgMergeDialog *self,
                 GtkListBoxRow *row)
{
  if (row != NULL)
    g_set_str (&self->selected_id, gtk_widget_get_name (GTK_WIDGET (row)));
  update_confirm (self);
}

static void
confirm_cb (WgMergeDialog *self)
{
  choose (self, gtk_list_box_get_selected_row (self->list));
}

static void
cancel_cb (WgMergeDialog *self)
{
  adw_dialog_close (ADW_DIALOG (self));
}

/* Up and Down choose among the cases while the cursor stays in the search. */
static gboolean
search_key_cb (GtkEventControllerKey *controller,
               guint                  keyval,
               guint                  keycode,
               GdkModifierType        state,
               WgMergeDialog         *self)
{
  return wg_picker_step (self->list, self->scrolled, keyval);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_merge_dialog_dispose (GObject *object)
{
  WgMergeDialog *self = WG_MERGE_DIALOG (object);

  if (self->cases != NULL)
    g_signal_handlers_disconnect_by_data (self->cases, self);
  g_clear_object (&self->cases);

  G_OBJECT_CLASS (wg_merge_dialog_parent_class)->dispose (object);
}

static void
wg_merge_dialog_finalize (GObject *object)
{
  WgMergeDialog *self = WG_MERGE_DIALOG (object);

  g_clear_pointer (&self->names, g_hash_table_unref);
  g_clear_pointer (&self->where, g_free);
  g_clear_pointer (&self->selected_id, g_free);

  G_OBJECT_CLASS (wg_merge_dialog_parent_class)->finalize (object);
}

static void
wg_merge_dialog_class_init (WgMergeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wg_merge_dialog_dispose;
  object_class->finalize = wg_merge_dialog_finalize;

  /**
   * WgMergeDialog::chosen:
   * @id: the id of the case to merge into
   * @number: its number
   */
  signals[CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
wg_merge_dialog_init (WgMergeDialog *self)
{
  GtkWidget *toolbar = adw_toolbar_view_new ();
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_("_Cancel"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *hint = gtk_label_new (_("Only open cases are listed; those in the same grid come first."));
  GtkEventController *key = gtk_event_controller_key_new ();

  adw_dialog_set_title (ADW_DIALOG (self), _("Merge Into Another Case"));
  adw_dialog_set_content_width (ADW_DIALOG (self), 520);
  adw_dialog_set_content_height (ADW_DIALOG (self), 560);

  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_("Merge Into Another Case"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  g_signal_connect_swapped (cancel, "clicked", G_CALLBACK (cancel_cb), self);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  self->confirm = GTK_BUTTON (gtk_button_new_with_label (g_dpgettext2 (GETTEXT_PACKAGE, "case", "Merge")));
  gtk_widget_set_name (GTK_WIDGET (self->confirm), "confirm");
  gtk_widget_add_css_class (GTK_WIDGET (self->confirm), "suggested-action");
  g_signal_connect_swapped (self->confirm, "clicked", G_CALLBACK (confirm_cb), self);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), GTK_WIDGET (self->confirm));

  self->search = GTK_SEARCH_ENTRY (gtk_search_entry_new ());
  gtk_widget_set_name (GTK_WIDGET (self->search), "merge-search");
  gtk_search_entry_set_placeholder_text (self->search, _("Type the other case’s number or words from it"));
  gtk_search_entry_set_search_delay (self->search, 100);
  g_signal_connect_swapped (self->search, "search-changed", G_CALLBACK (search_changed_cb), self);
  g_signal_connect_swapped (self->search, "activate", G_CALLBACK (search_activate_cb), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (search_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->search), key);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "merge-targets");
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_valign (GTK_WIDGET (self->list), GTK_ALIGN_START);
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_BROWSE);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  g_signal_connect_swapped (self->list, "row-selected", G_CALLBACK (row_selected_cb), self);

  self->more = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->more), "merge-more");
  gtk_label_set_wrap (self->more, TRUE);
  gtk_label_set_xalign (self->more, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->more), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->more), FALSE);

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
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->more));
  self->scrolled = GTK_SCROLLED_WINDOW (scrolled);

  adw_toolbar_view_add_top_bar (ADW_TOOLBAR_VIEW (toolbar), header);
  adw_toolbar_view_set_content (ADW_TOOLBAR_VIEW (toolbar), box);
  adw_dialog_set_child (ADW_DIALOG (self), toolbar);
  adw_dialog_set_focus (ADW_DIALOG (self), GTK_WIDGET (self->search));
  adw_dialog_set_default_widget (ADW_DIALOG (self), GTK_WIDGET (self->confirm));
  update_confirm (self);
}

/* --- public ---------------------------------------------------------------------------------- */

/* Offers the open cases of @store but @case_json itself; @names gives villages' and grids'
 * names by id (kept, not copied). */
WgMergeDialog *
wg_merge_dialog_new (WgStore    *store,
                     GHashTable *names,
                     JsonObject *case_json)
{
  WgMergeDialog *self;
  g_autoptr(GString) where = g_string_new ("coalesce (local_state, state) IN (");
  g_autofree char *order = NULL;
  const char *id;
  const char *grid;
  gboolean first = TRUE;

  g_return_val_if_fail (WG_IS_STORE (store), NULL);
  g_return_val_if_fail (case_json != NULL, NULL);

  id = json_object_get_string_member_with_default (case_json, "id", "");
  grid = json_object_get_string_member_with_default (case_json, "grid_id", NULL);

  /* The ids go into SQL written here: they are checked to be UUIDs first. */
  for (WgCaseState state = 0; state < WG_N_CASE_STATES; state++)
    if (wg_case_machine_is_open (state))
      {
        g_string_append_printf (where, "%s'%s'", first ? "" : ", ", wg_case_state_to_string (state));
        first = FALSE;
      }
  g_string_append_c (where, ')');
  if (g_uuid_string_is_valid (id))
    g_string_append_printf (where, " AND id <> '%s'", id);
  order = grid != NULL && g_uuid_string_is_valid (grid)
    ? g_strdup_printf ("grid_id = '%s' DESC, reported_at DESC", grid)
    : g_strdup ("reported_at DESC");

  self = g_object_new (WG_TYPE_MERGE_DIALOG, NULL);
  self->names = names != NULL ? g_hash_table_ref (names) : NULL;
  self->where = g_string_free (g_steal_pointer (&where), FALSE);
  self->cases = wg_record_list_new (store, "cases", order);
  g_signal_connect_swapped (self->cases, "items-changed", G_CALLBACK (items_changed_cb), self);
  g_signal_connect_swapped (self->cases, "notify::loading", G_CALLBACK (items_changed_cb), self);
  adw_window_title_set_subtitle (self->title, json_object_get_string_member_with_default (case_json, "number", ""));
  wg_record_list_set_filter (self->cases, self->where, NULL);
  return self;
}
