/* wg-preferences-dialog.c — Preferences
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server address and the base map's addresses are saved only when they are valid; a wrong
 * one is kept in the row, marked, and explained beneath it, so nothing the person typed is
 * lost. An MBTiles file is opened before it is saved, so a file that cannot serve is said here
 * and not as a blank map later. The photo cache's size is a setting the application hands to
 * the attachments; the space used is counted on a worker when the dialog opens.
 */
#define G_LOG_DOMAIN "WgPreferencesDialog"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-attachments.h"
#include "wg-mbtiles-source.h"
#include "wg-preferences-dialog.h"
#include "wg-tile-source.h"
#include "wg-url.h"

/* The base map kinds, in the order of the combo row. */
static const char * const base_map_kinds[] = { "none", "tiles", "mbtiles" };

struct _WgPreferencesDialog
{
  AdwPreferencesDialog  parent_instance;

  /* Template widgets */
  AdwEntryRow          *server_row;
  GtkLabel             *server_error_label;
  AdwActionRow         *ca_row;
  GtkButton            *ca_clear_button;
  GtkLabel             *ca_error_label;
  AdwSpinRow           *cache_size_row;
  AdwActionRow         *cache_used_row;
  AdwComboRow          *base_map_row;
  AdwPreferencesGroup  *tiles_group;
  AdwEntryRow          *tiles_url_row;
  GtkLabel             *tiles_url_error;
  AdwPreferencesGroup  *overlay_group;
  AdwEntryRow          *overlay_url_row;
  GtkLabel             *overlay_url_error;
  AdwPreferencesGroup  *zoom_group;
  AdwSpinRow           *max_zoom_row;
  AdwPreferencesGroup  *mbtiles_group;
  AdwActionRow         *mbtiles_row;
  GtkLabel             *mbtiles_error;
  AdwPreferencesGroup  *attribution_group;
  AdwEntryRow          *attribution_row;

  /* Owned */
  GSettings            *settings;
  GCancellable         *cancellable;

  /* State */
  gboolean              clearing;
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

/* --- the photo cache ------------------------------------------------------------------------- */

static void
show_cache_used (WgPreferencesDialog *self,
                 guint64              used)
{
  g_autofree char *used_text = g_format_size (used);
  g_autofree char *limit_text = g_format_size ((guint64) g_settings_get_int (self->settings, "attachment-cache-size") * 1000 * 1000);
  /* Translators: the space the kept photos and files take, of the most they may take, e.g. "12.3 MB of 500.0 MB" */
  g_autofree char *text = g_strdup_printf (C_("photo cache", "%s of %s"), used_text, limit_text);

  adw_action_row_set_subtitle (self->cache_used_row, text);
}

static void
cache_measured_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WgPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 used = 0;

  if (!wg_attachments_cache_finish (result, &used, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (self->cache_used_row, error->message);
      return;
    }
  show_cache_used (self, used);
}

static void
measure_cache (WgPreferencesDialog *self)
{
  wg_attachments_cache_async (WG_ATTACHMENTS_CACHE_MEASURE, self->cancellable, cache_measured_cb, g_object_ref (self));
}

static void
cache_size_changed_cb (WgPreferencesDialog *self)
{
  int value = (int) adw_spin_row_get_value (self->cache_size_row);

  if (self->settings == NULL || g_settings_get_int (self->settings, "attachment-cache-size") == value)
    return;
  /* The application trims to the new size; counted after that. */
  g_settings_set_int (self->settings, "attachment-cache-size", value);
  measure_cache (self);
}

static void
cache_cleared_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(WgPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 used = 0;

  if (!wg_attachments_cache_finish (result, &used, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->clearing = FALSE;
      adw_action_row_set_subtitle (self->cache_used_row, error->message);
      return;
    }
  self->clearing = FALSE;
  show_cache_used (self, used);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), adw_toast_new (_("Photo cache cleared")));
}

static void
cache_clear_clicked_cb (WgPreferencesDialog *self)
{
  /* Not made insensitive: the focus would leave the dialog, and Esc with it. */
  if (self->clearing)
    return;
  self->clearing = TRUE;
  adw_action_row_set_subtitle (self->cache_used_row, _("Clearing…"));
  wg_attachments_cache_async (WG_ATTACHMENTS_CACHE_CLEAR, self->cancellable, cache_cleared_cb, g_object_ref (self));
}

/* --- the base map ---------------------------------------------------------------------------- */

static void
show_row_error (AdwEntryRow *row,
                GtkLabel    *label,
                const char  *message)
{
  gtk_label_set_label (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
  if (message != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
set_row_text (AdwEntryRow *row,
              const char  *text,
              gpointer     changed_cb,
              gpointer     data)
{
  if (changed_cb != NULL)
    g_signal_handlers_block_by_func (row, changed_cb, data);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  if (changed_cb != NULL)
    g_signal_handlers_unblock_by_func (row, changed_cb, data);
}

static void
update_base_map_groups (WgPreferencesDialog *self)
{
  guint kind = adw_combo_row_get_selected (self->base_map_row);

  gtk_widget_set_visible (GTK_WIDGET (self->tiles_group), kind == 1);
  gtk_widget_set_visible (GTK_WIDGET (self->overlay_group), kind == 1);
  gtk_widget_set_visible (GTK_WIDGET (self->zoom_group), kind == 1);
  gtk_widget_set_visible (GTK_WIDGET (self->mbtiles_group), kind == 2);
  gtk_widget_set_visible (GTK_WIDGET (self->attribution_group), kind != 0);
}

static void
update_mbtiles_row (WgPreferencesDialog *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "base-map-file");

  adw_action_row_set_subtitle (self->mbtiles_row, *path != '\0' ? path : _("None chosen yet"));
}

static void
base_map_selected_cb (WgPreferencesDialog *self)
{
  guint kind = adw_combo_row_get_selected (self->base_map_row);

  update_base_map_groups (self);
  if (self->settings != NULL && kind < G_N_ELEMENTS (base_map_kinds))
    g_settings_set_string (self->settings, "base-map", base_map_kinds[kind]);
}

/* A template is saved only when Wangge can fetch tiles with it; an empty overlay clears it. */
static gboolean
apply_template (WgPreferencesDialog *self,
                AdwEntryRow         *row,
                GtkLabel            *label,
                const char          *key,
                gboolean             optional)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));

  if (!(optional && *text == '\0') && !wg_tile_template_check (text, &error))
    {
      show_row_error (row, label, error->message);
      return FALSE;
    }
  show_row_error (row, label, NULL);
  g_settings_set_string (self->settings, key, text);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), adw_toast_new (_("Base map saved")));
  return TRUE;
}

static void
tiles_url_apply_cb (WgPreferencesDialog *self)
{
  apply_template (self, self->tiles_url_row, self->tiles_url_error, "base-map-url", FALSE);
}

static void
tiles_url_changed_cb (WgPreferencesDialog *self)
{
  show_row_error (self->tiles_url_row, self->tiles_url_error, NULL);
}

static void
overlay_url_apply_cb (WgPreferencesDialog *self)
{
  apply_template (self, self->overlay_url_row, self->overlay_url_error, "base-map-overlay-url", TRUE);
}

static void
overlay_url_changed_cb (WgPreferencesDialog *self)
{
  show_row_error (self->overlay_url_row, self->overlay_url_error, NULL);
}

static void
max_zoom_changed_cb (WgPreferencesDialog *self)
{
  int value = (int) adw_spin_row_get_value (self->max_zoom_row);

  if (self->settings != NULL && g_settings_get_int (self->settings, "base-map-max-zoom") != value)
    g_settings_set_int (self->settings, "base-map-max-zoom", value);
}

static void
attribution_apply_cb (WgPreferencesDialog *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->attribution_row))));

  g_settings_set_string (self->settings, "base-map-attribution", text);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), adw_toast_new (_("Attribution saved")));
}

static void
mbtiles_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WgPreferencesDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(WgMbtilesSource) source = wg_mbtiles_source_new_finish (result, &error);

  if (source == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_label (self->mbtiles_error, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->mbtiles_error), TRUE);
        }
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->mbtiles_error), FALSE);
  g_settings_set_string (self->settings, "base-map-file", g_file_peek_path (wg_mbtiles_source_get_file (source)));
  update_mbtiles_row (self);
  adw_preferences_dialog_add_toast (ADW_PREFERENCES_DIALOG (self), adw_toast_new (_("Base map saved")));
}

static void
mbtiles_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(WgPreferencesDialog) self = user_data;
  g_autoptr(GFile) file = NULL;

  file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, NULL);
  if (file == NULL)
    return;
  if (g_file_peek_path (file) == NULL)
    {
      gtk_label_set_label (self->mbtiles_error, _("The base map must be a file on this computer."));
      gtk_widget_set_visible (GTK_WIDGET (self->mbtiles_error), TRUE);
      return;
    }
  /* Opened now, so a file that cannot serve is said here. */
  wg_mbtiles_source_new_async (file, self->cancellable, mbtiles_opened_cb, g_object_ref (self));
}

static void
mbtiles_choose_clicked_cb (WgPreferencesDialog *self)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);

  gtk_file_filter_set_name (filter, _("MBTiles files"));
  gtk_file_filter_add_suffix (filter, "mbtiles");
  g_list_store_append (filters, filter);
  gtk_file_dialog_set_filters (dialog, G_LIST_MODEL (filters));
  gtk_file_dialog_set_title (dialog, _("Choose the Base Map File"));
  gtk_file_dialog_open (dialog, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), NULL,
                        mbtiles_chosen_cb, g_object_ref (self));
}

static void
load_base_map (WgPreferencesDialog *self)
{
  g_autofree char *kind = g_settings_get_string (self->settings, "base-map");
  g_autofree char *url = g_settings_get_string (self->settings, "base-map-url");
  g_autofree char *overlay = g_settings_get_string (self->settings, "base-map-overlay-url");
  g_autofree char *attribution = g_settings_get_string (self->settings, "base-map-attribution");

  for (guint i = 0; i < G_N_ELEMENTS (base_map_kinds); i++)
    if (g_str_equal (kind, base_map_kinds[i]))
      adw_combo_row_set_selected (self->base_map_row, i);
  set_row_text (self->tiles_url_row, url, tiles_url_changed_cb, self);
  set_row_text (self->overlay_url_row, overlay, overlay_url_changed_cb, self);
  set_row_text (self->attribution_row, attribution, NULL, NULL);
  adw_spin_row_set_value (self->max_zoom_row, g_settings_get_int (self->settings, "base-map-max-zoom"));
  update_mbtiles_row (self);
  update_base_map_groups (self);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_preferences_dialog_dispose (GObject *object)
{
  WgPreferencesDialog *self = WG_PREFERENCES_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
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

  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, cache_size_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, cache_used_row);
  gtk_widget_class_bind_template_callback (widget_class, cache_size_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, cache_clear_clicked_cb);

  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, base_map_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, tiles_group);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, tiles_url_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, tiles_url_error);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, overlay_group);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, overlay_url_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, overlay_url_error);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, zoom_group);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, max_zoom_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, mbtiles_group);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, mbtiles_row);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, mbtiles_error);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, attribution_group);
  gtk_widget_class_bind_template_child (widget_class, WgPreferencesDialog, attribution_row);
  gtk_widget_class_bind_template_callback (widget_class, base_map_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, tiles_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, tiles_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, overlay_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, overlay_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, max_zoom_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, attribution_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, mbtiles_choose_clicked_cb);
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

  self->cancellable = g_cancellable_new ();
  load_base_map (self);

  adw_spin_row_set_value (self->cache_size_row, g_settings_get_int (self->settings, "attachment-cache-size"));
  adw_action_row_set_subtitle (self->cache_used_row, _("Counting…"));
  measure_cache (self);
}

WgPreferencesDialog *
wg_preferences_dialog_new (void)
{
  return g_object_new (WG_TYPE_PREFERENCES_DIALOG, NULL);
}
