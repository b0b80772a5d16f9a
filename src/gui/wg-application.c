/* wg-application.c — the Wangge application: app-wide actions, accelerators, windows
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "WgApplication"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-application.h"
#include "wg-attachments.h"
#include "wg-preferences-dialog.h"
#include "wg-window.h"

struct _WgApplication
{
  AdwApplication  parent_instance;

  /* Owned */
  WgSession      *session;
  GSettings      *settings;
};

G_DEFINE_FINAL_TYPE (WgApplication, wg_application, ADW_TYPE_APPLICATION)

static GtkWindow *
get_active_window (WgApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (self));
      window = gtk_application_get_active_window (GTK_APPLICATION (self));
    }

  return window;
}

static void
help_launched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GtkWindow) window = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error))
    {
      AdwDialog *dialog;

      dialog = adw_alert_dialog_new (_("Could Not Open the Help"), NULL);
      adw_alert_dialog_format_body (ADW_ALERT_DIALOG (dialog),
                                    _("No help viewer is installed on this computer. Ask your administrator to install “Yelp” (GNOME Help).\n\n%s"),
                                    error->message);
      adw_alert_dialog_add_response (ADW_ALERT_DIALOG (dialog), "close", _("_Close"));
      adw_dialog_present (dialog, GTK_WIDGET (window));
    }
}

static void
help_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  WgApplication *self = user_data;
  GtkWindow *window = get_active_window (self);
  g_autoptr(GAppLaunchContext) context = NULL;

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (gtk_widget_get_display (GTK_WIDGET (window))));

  /* g_app_info_launch_default_for_uri goes through the OpenURI portal inside Flatpak;
   * GtkUriLauncher does not handle help: URIs there. */
  g_app_info_launch_default_for_uri_async ("help:wangge", context, NULL,
                                           help_launched_cb, g_object_ref (window));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  WgApplication *self = user_data;
  static const char *developers[] = { "Wangge developers", NULL };
  AdwDialog *dialog;

  dialog = adw_about_dialog_new_from_appdata ("/io/github/wangge/Wangge/metainfo.xml",
                                              PACKAGE_VERSION);
  adw_about_dialog_set_version (ADW_ABOUT_DIALOG (dialog), PACKAGE_VERSION);
  adw_about_dialog_set_developers (ADW_ABOUT_DIALOG (dialog), developers);
  adw_about_dialog_set_copyright (ADW_ABOUT_DIALOG (dialog), "© 2026 Wangge developers");
  /* Translators: put your names here, one per line. */
  adw_about_dialog_set_translator_credits (ADW_ABOUT_DIALOG (dialog), _("translator-credits"));
  adw_dialog_present (dialog, GTK_WIDGET (get_active_window (self)));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  WgApplication *self = user_data;
  WgPreferencesDialog *dialog = wg_preferences_dialog_new ();

  adw_dialog_present (ADW_DIALOG (dialog), GTK_WIDGET (get_active_window (self)));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  WgApplication *self = user_data;

  /* Close windows properly so they save their size. */
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; )
    {
      GtkWindow *window = l->data;

      l = l->next;
      gtk_window_close (window);
    }

  g_application_quit (G_APPLICATION (self));
}

static void
show_case_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  WgApplication *self = user_data;
  GtkWindow *window = get_active_window (self);

  wg_window_show_case (WG_WINDOW (window), g_variant_get_string (parameter, NULL));
  gtk_window_present (window);
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "help", help_action },
  { "preferences", preferences_action },
  { "quit", quit_action },
  { "show-case", show_case_action, "s" },
};

static void
wg_application_activate (GApplication *app)
{
  WgApplication *self = WG_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (wg_window_new (self));

  gtk_window_present (window);
}

/* The setting is in megabytes (10⁶ bytes, as sizes are shown). */
static void
apply_attachment_cache_size (GSettings *settings)
{
  wg_attachments_set_cache_limit ((guint64) g_settings_get_int (settings, "attachment-cache-size") * 1000 * 1000);
}

static void
settings_changed_cb (GSettings     *settings,
                     const char    *key,
                     WgApplication *self)
{
  if (g_str_equal (key, "ca-file"))
    {
      g_autofree char *path = g_settings_get_string (settings, "ca-file");

      wg_session_set_ca_file (self->session, path);
    }
  else if (g_str_equal (key, "token-in-file"))
    wg_session_set_token_in_file (self->session, g_settings_get_boolean (settings, "token-in-file"));
  else if (g_str_equal (key, "attachment-cache-size"))
    apply_attachment_cache_size (settings);
}

static void
wg_application_startup (GApplication *app)
{
  WgApplication *self = WG_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *help_accels[] = { "F1", NULL };

  G_APPLICATION_CLASS (wg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.help", help_accels);

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/io/github/wangge/Wangge/icons");

  /* The cache and a file-kept token live in the user's data folder (the app's own inside
   * Flatpak). */
  {
    g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "wangge", NULL);
    g_autofree char *ca_file = NULL;

    self->settings = g_settings_new (APPLICATION_ID);
    self->session = wg_session_new (data_dir);
    ca_file = g_settings_get_string (self->settings, "ca-file");
    wg_session_set_ca_file (self->session, ca_file);
    wg_session_set_token_in_file (self->session, g_settings_get_boolean (self->settings, "token-in-file"));
    /* Also clears what a killed instance left half-written. */
    apply_attachment_cache_size (self->settings);
    g_signal_connect_object (self->settings, "changed", G_CALLBACK (settings_changed_cb), self, 0);
  }
}

static void
wg_application_dispose (GObject *object)
{
  WgApplication *self = WG_APPLICATION (object);

  g_clear_object (&self->session);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (wg_application_parent_class)->dispose (object);
}

static void
wg_application_class_init (WgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = wg_application_dispose;

  app_class->activate = wg_application_activate;
  app_class->startup = wg_application_startup;
}

static void
wg_application_init (WgApplication *self)
{
}

WgApplication *
wg_application_new (void)
{
  /* The .Devel profile has its own ID but shares the resources, so the base path is fixed. */
  return g_object_new (WG_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "resource-base-path", "/io/github/wangge/Wangge",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

WgSession *
wg_application_get_session (WgApplication *self)
{
  g_return_val_if_fail (WG_IS_APPLICATION (self), NULL);

  return self->session;
}
