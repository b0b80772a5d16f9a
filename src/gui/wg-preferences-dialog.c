/* wg-preferences-dialog.c — Preferences
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server address is saved only when it is valid; a wrong one is kept in the row, marked,
 * and explained beneath it, so nothing the person typed is lost.
 */
#define G_LOG_DOMAIN "WgPreferencesDialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-preferences-dialog.h"
#include "wg-url.h"

struct _WgPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  /* Template widgets */
  AdwEntryRow          *server_row;
  GtkLabel             *server_error_label;
  AdwActionRow         *ca_row;
  GtkButton            *ca_clear_button;
  GtkLabel             *ca_error_label;

  /* Owned */
  GSettings            *settings;
};

G_DEFINE_FINAL_TYPE (WgPreferencesDialog, wg_preferences_dialog, ADW_TYPE_PREFERENCES_DIALOG)

static void
show_server_error (WgPreferencesDialog *self,
                   const char          *message)
{
  gtk_label_set_label (self->server_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->server_error_label), message != NULL);

  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->server_row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->server_row), "error");
}

static void
server_row_changed_cb (WgPreferencesDialog *self)
{
  /* Typing again clears the old complaint; the new text is judged on apply. */
  show_server_error (self, NULL);
}

static void
server_row_apply_cb (WgPreferencesDialog *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->server_row));

  url = wg_server_url_normalize (text, &error);
  if (url == NULL)
    {
      show_server_error (self, error->message);
      return;
    }

  g_settings_set_string (self->settings, "server-url", url);

  g_signal_handlers_block_by_func (self->server_row, server_row_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  g_signal_handlers_unblock_by_func (self->server_row, server_row_changed_cb, self);

  show_server_error (self, NULL);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self),
                                    adw_toast_new (_("Server address saved")));
}

static void
update_ca_row (WgPreferencesDialog *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "ca-file");

  adw_action_row_set_subtitle (self->ca_row, path[0] != '\0'
                               ? path : _("None: only the authorities this computer trusts"));
  gtk_widget_set_visible (GTK_WIDGET (self->ca_clear_button), path[0] != '\0');
}

static void
show_ca_error (WgPreferencesDialog *self,
               const char          *message)
{
  gtk_label_set_label (self->ca_error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->ca_error_label), message != NULL);
}

static void
ca_chosen_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WgPreferencesDialog) self = user_data;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTlsDatabase) database = NULL;
  g_autofree char *path = NULL;

  file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, &error);
  if (file == NULL)
    return;

  path = g_file_get_path (file);
  /* Check it now, so a wrong file is explained here and not as a failed sync later. */
  database = path != NULL ? g_tls_file_database_new (path, &error) : NULL;
  if (database == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("This file is not a certificate authority Wangge can use: %s"),
                                                  error != NULL ? error->message : _("it is not a local file"));

      show_ca_error (self, message);
      return;
    }

  show_ca_error (self, NULL);
  g_settings_set_string (self->settings, "ca-file", path);
  update_ca_row (self);
}

static void
ca_choose_clicked_cb (WgPreferencesDialog *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

  gtk_file_filter_set_name (filter, _("Certificates"));
  gtk_file_filter_add_suffix (filter, "pem");
  gtk_file_filter_add_suffix (filter, "crt");
  gtk_file_filter_add_suffix (filter, "cer");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");
  g_list_store_append (filters, filter);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_title (dialog, _("Choose the Certificate Authority"));
  gtk_file_dialog_open (dialog, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL,
                        ca_chosen_cb, g_object_ref (self));
}

static void
ca_clear_clicked_cb (WgPreferencesDialog *self)
{
  g_settings_set_string (self->settings, "ca-file", "");
  show_ca_error (self, NULL);
  update_ca_row (self);
}

static void
wg_preferences_dialog_dispose (GObject *object)
{
  WgPreferencesDialog *self = WG_PREFERENCES_DIALOG (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), WG_TYPE_PREFERENCES_DIALOG);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (wg_preferences_dialog_parent_class)->dispose (object);
}

static void
wg_preferences_dialog_class_init (WgPreferencesDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_preferences_dialog_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wangge/Wangge/wg-preferences-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, server_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, server_error_label);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, ca_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, ca_error_label);
  gtk_widget_class_bind_template_callback (widget_class, ca_choose_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, ca_clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_row_changed_cb);
}

static void
wg_preferences_dialog_init (WgPreferencesDialog *self)
{
  g_autofree char *url = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  url = g_settings_get_string (self->settings, "server-url");

  g_signal_handlers_block_by_func (self->server_row, server_row_changed_cb, self);
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  g_signal_handlers_unblock_by_func (self->server_row, server_row_changed_cb, self);

  update_ca_row (self);
}

WgPreferencesDialog *
wg_preferences_dialog_new (void)
{
  return g_object_new (WG_TYPE_PREFERENCES_DIALOG, NULL);
}
