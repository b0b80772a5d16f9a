/* wg-case-people.c — whom to call about a case: the grid's staff and its covering cadres
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the case detail: the leader, instructor and workers of the case's grid and the
 * cadres who cover it (三包), each with the phone number the server gives this account
 * (masked for some roles, shown as it comes). Numbers can be selected, and a button copies
 * one: dispatchers call from a desk phone. Read from the local cache on a worker thread, so
 * it works offline.
 */
#define G_LOG_DOMAIN "WgCasePeople"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-case-people.h"
#include "wg-grid-people.h"

struct _WgCasePeople
{
  AdwBin        parent_instance;

  /* Children */
  GtkWidget    *group;

  /* Owned */
  WgSession    *session;
  char         *grid_id;
  GCancellable *cancellable;
  gboolean      loading;
  gboolean      loaded;
};

G_DEFINE_FINAL_TYPE (WgCasePeople, wg_case_people, ADW_TYPE_BIN)

static const char *
describe_cover (const char *covers)
{
  /* Translators: what a covering cadre covers (包村, 包组, 包网格), after his role */
  if (g_strcmp0 (covers, "village") == 0)
    return C_("covers", "Village");
  if (g_strcmp0 (covers, "group") == 0)
    return C_("covers", "Villager group");
  if (g_strcmp0 (covers, "grid") == 0)
    return C_("covers", "Grid");
  return NULL;
}

static void
copy_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  const char *phone = g_object_get_data (G_OBJECT (button), "phone");
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (button), ADW_TYPE_TOAST_OVERLAY);

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (button)), phone);
  if (overlay != NULL)
    {
      /* Translators: a short note after the copy button next to a phone number */
      g_autofree char *title = g_strdup_printf (_("Copied %s"), phone);
      AdwToast *toast = adw_toast_new (title);

      adw_toast_set_timeout (toast, 2);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
    }
}

static GtkWidget *
new_row (const WgGridContact *contact)
{
  GtkWidget *row = adw_action_row_new ();
  const char *cover = contact->role == WG_GRID_ROLE_COVERING_CADRE ? describe_cover (contact->covers) : NULL;
  g_autofree char *role = cover != NULL
    /* Translators: a covering cadre's role and what he covers, e.g. "Covering cadre · Village" */
    ? g_strdup_printf (C_("role", "%s · %s"), wg_grid_role_label (contact->role), cover)
    : g_strdup (wg_grid_role_label (contact->role));

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), contact->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), role);
  gtk_widget_set_name (row, "person");

  if (contact->phone != NULL && contact->phone[0] != '\0')
    {
      GtkWidget *phone = gtk_label_new (contact->phone);
      GtkWidget *copy = gtk_button_new_from_icon_name ("edit-copy-symbolic");
      g_autofree char *tooltip = g_strdup_printf (_("Copy %s’s phone number"), contact->name);

      gtk_widget_set_name (phone, "phone");
      gtk_label_set_selectable (GTK_LABEL (phone), TRUE);
      gtk_widget_add_css_class (phone, "numeric");
      gtk_widget_set_valign (phone, GTK_ALIGN_CENTER);
      /* Selectable labels take focus; Tab should go from button to button. */
      gtk_widget_set_focusable (phone, FALSE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), phone);

      gtk_widget_set_name (copy, "copy-phone");
      gtk_widget_set_valign (copy, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (copy, tooltip);
      gtk_widget_add_css_class (copy, "flat");
      g_object_set_data_full (G_OBJECT (copy), "phone", g_strdup (contact->phone), g_free);
      g_signal_connect (copy, "clicked", G_CALLBACK (copy_clicked_cb), NULL);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), copy);
    }
  else
    {
      GtkWidget *none = gtk_label_new (_("No phone number"));

      gtk_widget_add_css_class (none, "dim-label");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), none);
    }
  return row;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  WgStore *store = g_object_get_data (G_OBJECT (task), "store");
  GError *error = NULL;
  GPtrArray *contacts = wg_grid_people_load (store, task_data, &error);

  if (contacts == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, contacts, (GDestroyNotify) g_ptr_array_unref);
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(WgCasePeople) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) contacts = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint shown = 0;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  self->loaded = TRUE;
  if (contacts == NULL)
    {
      /* A grid the cache does not hold (yet): nothing to show, nothing to alarm anyone. */
      if (!g_error_matches (error, WG_STORE_ERROR, WG_STORE_ERROR_NOT_FOUND))
        g_warning ("Could not read the grid’s people from the local cache: %s", error->message);
      return;
    }

  for (guint i = 0; i < contacts->len; i++)
    {
      WgGridContact *contact = contacts->pdata[i];
      /* A cadre covering both the village and one of its groups is listed once. */
      char *key = g_strdup_printf ("%s/%d", contact->person_id, contact->role);

      if (!g_hash_table_add (seen, key))
        continue;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), new_row (contact));
      shown++;
    }
  if (shown == 0)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group),
                                           _("Nobody is recorded for this grid yet."));
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
load (WgCasePeople *self)
{
  WgStore *store = self->session != NULL && wg_session_get_signed_in (self->session)
                   ? wg_session_get_store (self->session) : NULL;
  g_autoptr(GTask) task = NULL;

  if (store == NULL || self->grid_id == NULL || self->loading || self->loaded)
    return;

  self->loading = TRUE;
  task = g_task_new (NULL, self->cancellable, loaded_cb, g_object_ref (self));
  g_task_set_source_tag (task, load);
  g_task_set_task_data (task, g_strdup (self->grid_id), g_free);
  g_object_set_data_full (G_OBJECT (task), "store", g_object_ref (store), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

static void
wg_case_people_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wg_case_people_parent_class)->root (widget);

  load (WG_CASE_PEOPLE (widget));
}

static void
wg_case_people_unroot (GtkWidget *widget)
{
  WgCasePeople *self = WG_CASE_PEOPLE (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = FALSE;

  GTK_WIDGET_CLASS (wg_case_people_parent_class)->unroot (widget);
}

static void
wg_case_people_dispose (GObject *object)
{
  WgCasePeople *self = WG_CASE_PEOPLE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->grid_id, g_free);

  G_OBJECT_CLASS (wg_case_people_parent_class)->dispose (object);
}

static void
wg_case_people_class_init (WgCasePeopleClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wg_case_people_dispose;
  GTK_WIDGET_CLASS (klass)->root = wg_case_people_root;
  GTK_WIDGET_CLASS (klass)->unroot = wg_case_people_unroot;
}

static void
wg_case_people_init (WgCasePeople *self)
{
  self->cancellable = g_cancellable_new ();
  self->group = adw_preferences_group_new ();
  gtk_widget_set_name (self->group, "case-people");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("Grid Staff and Covering Cadres"));
  adw_bin_set_child (ADW_BIN (self), self->group);
  /* Shown once there is something to show. */
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* The people of the grid of the case @record. */
GtkWidget *
wg_case_people_new (WgSession *session,
                    WgRecord  *record)
{
  WgCasePeople *self;

  g_return_val_if_fail (session == NULL || WG_IS_SESSION (session), NULL);
  g_return_val_if_fail (WG_IS_RECORD (record), NULL);

  self = g_object_new (WG_TYPE_CASE_PEOPLE, NULL);
  self->session = session != NULL ? g_object_ref (session) : NULL;
  self->grid_id = g_strdup (wg_record_get_string (record, "grid_id"));
  return GTK_WIDGET (self);
}

/* Whether the people have been read (or found missing): for tests. */
gboolean
wg_case_people_get_loaded (WgCasePeople *self)
{
  g_return_val_if_fail (WG_IS_CASE_PEOPLE (self), FALSE);

  return self->loaded;
}
