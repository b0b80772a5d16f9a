/* wg-window-session.c — the main window's sign-in, first sync, offline banner and outbox
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window shows one of three pages: the sign-in page, the first sync (a new cache filling
 * up, with real counts), or the sections. Which one follows from the session and its sync
 * status alone, so there is no state here to fall out of step.
 */
#define G_LOG_DOMAIN "WgWindow"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-labels.h"
#include "wg-window-private.h"

/* --- pages ----------------------------------------------------------------------------------- */

static void
update_page (WgWindow *self)
{
  WgSyncStatus *status = wg_session_get_sync_status (self->session);
  WgSyncState state = wg_sync_status_get_state (status);
  const char *page;

  if (!wg_session_get_signed_in (self->session))
    page = "login";
  else if (self->first_sync && state != WG_SYNC_STATE_UP_TO_DATE)
    page = "first-sync";
  else
    {
      self->first_sync = FALSE;
      page = "main";
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), page) != 0)
    {
      gtk_stack_set_visible_child_name (self->pages, page);
      if (g_str_equal (page, "login"))
        wg_login_page_focus (self->login_page);
    }
}

static char *
format_time (GDateTime *when)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (when);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (g_date_time_get_year (local) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  /* Translators: a date and time in the past, see GDateTime's format codes */
  return g_date_time_format (local, _("%m-%d %H:%M"));
}

static void
update_sync_status (WgWindow *self)
{
  WgSyncStatus *status = wg_session_get_sync_status (self->session);
  WgSyncState state = wg_sync_status_get_state (status);
  const char *error = wg_sync_status_get_error_message (status);
  GDateTime *last_sync = wg_sync_status_get_last_sync (status);
  GDateTime *offline_since = wg_sync_status_get_offline_since (status);
  guint pending = wg_sync_status_get_pending (status);
  double fraction = wg_sync_status_get_fraction (status);
  const char *detail = wg_sync_status_get_detail (status);
  g_autoptr(GString) text = g_string_new (NULL);
  const char *label = wg_sync_status_get_label (status);
  g_autofree char *header_label = NULL;

  /* The header: the state, and how many actions wait when any do. */
  if (pending > 0)
    header_label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s · %u waiting", "%s · %u waiting", pending),
                                    label, pending);
  else
    header_label = g_strdup (label);
  gtk_label_set_label (self->sync_label, header_label);
  gtk_image_set_from_icon_name (self->sync_icon, wg_sync_status_get_icon_name (status));
  gtk_label_set_label (self->sync_popover_title, label);

  if (wg_session_get_server_url (self->session) != NULL)
    {
      /* Translators: %s is the user name, then the server's address */
      g_string_append_printf (text, _("Signed in as %s at %s."), wg_session_get_username (self->session),
                              wg_session_get_server_url (self->session));
    }
  if (last_sync != NULL)
    {
      g_autofree char *when = format_time (last_sync);

      g_string_append_c (text, '\n');
      g_string_append_printf (text, _("Last synced at %s."), when);
    }
  if (pending > 0)
    {
      g_string_append_c (text, '\n');
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE,
                                                 "%u action is waiting to be sent.",
                                                 "%u actions are waiting to be sent.", pending),
                              pending);
    }
  gtk_label_set_label (self->sync_popover_detail, text->str);
  gtk_label_set_label (self->sync_popover_error, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->sync_popover_error),
                          error != NULL && state != WG_SYNC_STATE_UP_TO_DATE);

  /* The banner: only for being offline, the one state that lasts and changes what to expect. */
  if (state == WG_SYNC_STATE_OFFLINE && offline_since != NULL)
    {
      g_autofree char *since = format_time (offline_since);
      g_autofree char *title = g_strdup_printf (_("Offline since %s. What is synced can still be read and acted on; actions are sent when the connection returns."),
                                                since);

      adw_banner_set_title (self->offline_banner, title);
      adw_banner_set_revealed (self->offline_banner, TRUE);
    }
  else
    adw_banner_set_revealed (self->offline_banner, FALSE);

  /* The first sync: real numbers, not a spinner alone. */
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->first_sync_progress, fraction);
  else
    gtk_progress_bar_pulse (self->first_sync_progress);
  if (detail != NULL && detail[0] != '\0')
    {
      g_autofree char *received = g_strdup_printf (_("Received so far: %s"), detail);

      gtk_label_set_label (self->first_sync_detail, received);
    }
  else
    gtk_label_set_label (self->first_sync_detail, _("Asking the server for the township’s grids, people and cases…"));
  gtk_label_set_label (self->first_sync_error, error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->first_sync_error),
                          error != NULL && state != WG_SYNC_STATE_SYNCING);

  update_page (self);
}

static void
sync_status_notify_cb (WgWindow *self)
{
  update_sync_status (self);
}

/* --- the outbox, in the sync popover --------------------------------------------------------- */

static void
refresh_outbox (WgWindow *self);

static void
discard_response_cb (AdwAlertDialog *dialog,
                     const char     *response,
                     WgWindow       *self)
{
  gint64 seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "seq"));

  if (g_strcmp0 (response, "discard") == 0 && wg_session_get_sync (self->session) != NULL)
    wg_sync_discard_outbox (wg_session_get_sync (self->session), seq);
}

static void
discard_clicked_cb (GtkButton *button,
                    WgWindow  *self)
{
  AdwDialog *dialog;

  dialog = adw_alert_dialog_new (_("Discard This Action?"),
                                 _("It has not reached the server and will not be sent. The case stays as the server has it."));
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Keep"),
                                  "discard", _("_Discard"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "seq", g_object_get_data (G_OBJECT (button), "seq"));
  g_signal_connect_object (dialog, "response", G_CALLBACK (discard_response_cb), self, 0);
  gtk_popover_popdown (self->sync_popover);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
retry_clicked_cb (GtkButton *button,
                  WgWindow  *self)
{
  gint64 seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "seq"));

  if (wg_session_get_sync (self->session) != NULL)
    wg_sync_retry_outbox (wg_session_get_sync (self->session), seq);
}

static GtkWidget *
create_outbox_row (WgWindow     *self,
                   WgOutboxItem *item)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *button;
  g_autofree char *title = NULL;
  g_autoptr(JsonObject) record = NULL;
  const char *number = NULL;

  if (item->case_id != NULL && wg_session_get_store (self->session) != NULL)
    record = wg_store_get_record (wg_session_get_store (self->session), "cases", item->case_id, NULL);
  if (record != NULL && json_object_has_member (record, "number"))
    number = json_object_get_string_member (record, "number");

  /* Translators: an action waiting to be sent, and the case's number: "Dispatch 2026-000123" */
  title = g_strdup_printf (C_("outbox", "%s %s"), wg_label_case_action (item->action), number ? number : "");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               item->state == WG_OUTBOX_FAILED && item->error != NULL
                               ? item->error : _("Waiting to be sent"));
  if (item->state == WG_OUTBOX_FAILED)
    gtk_widget_add_css_class (row, "error");

  if (item->state == WG_OUTBOX_FAILED)
    {
      button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
      gtk_widget_set_tooltip_text (button, _("Send Again"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      g_object_set_data (G_OBJECT (button), "seq", GSIZE_TO_POINTER (item->seq));
      g_signal_connect_object (button, "clicked", G_CALLBACK (retry_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }

  button = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_tooltip_text (button, _("Discard…"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  g_object_set_data (G_OBJECT (button), "seq", GSIZE_TO_POINTER (item->seq));
  g_signal_connect_object (button, "clicked", G_CALLBACK (discard_clicked_cb), self, 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);

  return row;
}

static void
refresh_outbox (WgWindow *self)
{
  g_autoptr(GPtrArray) items = NULL;
  WgStore *store = wg_session_get_store (self->session);

  gtk_list_box_remove_all (self->outbox_list);
  if (store != NULL)
    items = wg_store_list_outbox (store, NULL);

  for (guint i = 0; items != NULL && i < items->len; i++)
    gtk_list_box_append (self->outbox_list, create_outbox_row (self, items->pdata[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->outbox_list), items != NULL && items->len > 0);
}

static void
sync_popover_show_cb (WgWindow *self)
{
  refresh_outbox (self);
}

static void
store_changed_cb (WgStore    *store,
                  const char *kind,
                  GStrv       ids,
                  WgWindow   *self)
{
  if (g_str_equal (kind, "outbox") && gtk_widget_get_visible (GTK_WIDGET (self->sync_popover)))
    refresh_outbox (self);
}

/* --- signing in and out ---------------------------------------------------------------------- */

static void
keyring_response_cb (AdwAlertDialog *dialog,
                     const char     *response,
                     WgWindow       *self)
{
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "file") != 0)
    return;

  if (!wg_session_keep_token_in_file (self->session, &error))
    {
      AdwDialog *failed = adw_alert_dialog_new (_("Could Not Keep the Sign-In"), error->message);

      adw_alert_dialog_add_response (ADW_ALERT_DIALOG (failed), "close", _("_Close"));
      adw_dialog_present (failed, GTK_WIDGET (self));
      return;
    }
  g_settings_set_boolean (self->settings, "token-in-file", TRUE);
}

static void
offer_token_file (WgWindow   *self,
                  const char *why)
{
  AdwDialog *dialog = adw_alert_dialog_new (_("Keep the Sign-In in a File?"), why);

  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "each-time", _("Sign In _Each Time"),
                                  "file", _("_Keep in a File"),
                                  NULL);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "each-time");
  adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "each-time");
  g_signal_connect_object (dialog, "response", G_CALLBACK (keyring_response_cb), self, 0);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
note_first_sync (WgWindow *self)
{
  WgStore *store = wg_session_get_store (self->session);

  /* An empty cache fills for a while: show the counts instead of empty sections. */
  self->first_sync = store != NULL && wg_store_get_cursor (store, NULL) == 0;
}

static void
signed_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(WgWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *keyring_warning = NULL;

  wg_login_page_set_busy (self->login_page, FALSE);
  if (!wg_session_sign_in_finish (WG_SESSION (object), result, &keyring_warning, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        wg_login_page_set_error (self->login_page, error->message);
      return;
    }

  g_settings_set_string (self->settings, "server-url", wg_session_get_server_url (self->session));
  g_settings_set_string (self->settings, "username", wg_session_get_username (self->session));
  note_first_sync (self);
  update_sync_status (self);

  /* The demo's sign-in lasts as long as the demo: nothing to keep. */
  if (keyring_warning != NULL && g_getenv ("WANGGE_DEMO_PASSWORD") == NULL)
    offer_token_file (self, keyring_warning);
}

static void
login_page_sign_in_cb (WgWindow   *self,
                       const char *server_url,
                       const char *username,
                       const char *password)
{
  wg_login_page_set_error (self->login_page, NULL);
  wg_login_page_set_busy (self->login_page, TRUE);
  wg_session_sign_in_async (self->session, server_url, username, password, self->cancellable,
                            signed_in_cb, g_object_ref (self));
}

static void
resumed_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WgWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  wg_login_page_set_busy (self->login_page, FALSE);
  if (!wg_session_resume_finish (WG_SESSION (object), result, &error))
    {
      /* No saved sign-in, or no keyring to ask: the page waits for the password. */
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No saved sign-in: %s", error->message);
      wg_login_page_focus (self->login_page);
      return;
    }

  note_first_sync (self);
  update_sync_status (self);
}

static void
signed_out_cb (WgSession  *session,
               const char *message,
               WgWindow   *self)
{
  wg_login_page_set_error (self->login_page, message);
  update_page (self);
}

static void
sign_out_response_cb (AdwAlertDialog *dialog,
                      const char     *response,
                      WgWindow       *self)
{
  if (g_strcmp0 (response, "sign-out") == 0)
    wg_session_sign_out (self->session);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WgWindow *self = WG_WINDOW (widget);
  guint pending = wg_sync_status_get_pending (wg_session_get_sync_status (self->session));
  g_autofree char *body = NULL;
  AdwDialog *dialog;

  if (pending > 0)
    body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u action has not reached the server yet and will be lost. The copy of the township’s data on this computer is deleted.",
                                         "%u actions have not reached the server yet and will be lost. The copy of the township’s data on this computer is deleted.",
                                         pending),
                            pending);
  else
    body = g_strdup (_("The copy of the township’s data on this computer is deleted; it is fetched again at the next sign-in."));

  dialog = adw_alert_dialog_new (_("Sign Out?"), body);
  adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                  "cancel", _("_Cancel"),
                                  "sign-out", _("_Sign Out"),
                                  NULL);
  adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), "sign-out", ADW_RESPONSE_DESTRUCTIVE);
  adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_popover_popdown (self->sync_popover);
  adw_dialog_present (dialog, GTK_WIDGET (self));
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  WgWindow *self = WG_WINDOW (widget);

  if (wg_session_get_sync (self->session) != NULL)
    wg_sync_pull_now (wg_session_get_sync (self->session));
}

/* The server refused an action from the outbox: say which case, which action and why, at
 * once; the case is already back in the server's state. */
static void
action_refused_cb (WgSync     *sync,
                   const char *case_id,
                   const char *action,
                   const char *message,
                   WgWindow   *self)
{
  g_autoptr(JsonObject) record = NULL;
  g_autofree char *title = NULL;
  const char *number = NULL;
  AdwToast *toast;

  if (case_id != NULL && wg_session_get_store (self->session) != NULL)
    record = wg_store_get_record (wg_session_get_store (self->session), "cases", case_id, NULL);
  if (record != NULL && json_object_has_member (record, "number"))
    number = json_object_get_string_member (record, "number");

  /* Translators: "Dispatch 2026-000123 was refused: <the server's reason>" */
  title = g_strdup_printf (_("%s %s was refused: %s"), wg_label_case_action (action),
                           number != NULL ? number : "", message);
  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Details"));
  adw_toast_set_action_name (toast, "win.show-sync-status");
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
show_sync_status_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  WgWindow *self = WG_WINDOW (widget);

  gtk_menu_button_popup (self->sync_button);
}

static void
session_signed_in_notify_cb (WgWindow *self)
{
  WgStore *store = wg_session_get_store (self->session);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sign-out", wg_session_get_signed_in (self->session));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.sync-now", wg_session_get_signed_in (self->session));
  if (wg_session_get_sync (self->session) != NULL &&
      !g_object_get_data (G_OBJECT (wg_session_get_sync (self->session)), "wg-window-watched"))
    {
      g_object_set_data (G_OBJECT (wg_session_get_sync (self->session)), "wg-window-watched", GINT_TO_POINTER (TRUE));
      g_signal_connect_object (wg_session_get_sync (self->session), "action-refused",
                               G_CALLBACK (action_refused_cb), self, 0);
    }

  /* The sections read the cache of whoever is signed in, and nothing once nobody is. */
  wg_map_page_set_store (self->map_page, wg_session_get_signed_in (self->session) ? store : NULL);
  wg_dispatch_page_set_session (self->dispatch_page, self->session);

  if (store != NULL && !g_object_get_data (G_OBJECT (store), "wg-window-watched"))
    {
      g_object_set_data (G_OBJECT (store), "wg-window-watched", GINT_TO_POINTER (TRUE));
      g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self, 0);
    }
  update_page (self);
}

/* --- setup ----------------------------------------------------------------------------------- */

void
_wg_window_session_class_init (GtkWidgetClass *widget_class)
{
  g_type_ensure (WG_TYPE_LOGIN_PAGE);
  g_type_ensure (WG_TYPE_MAP_PAGE);
  g_type_ensure (WG_TYPE_DISPATCH_PAGE);

  gtk_widget_class_bind_template_child (widget_class, WgWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, sync_icon);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, sync_popover_title);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, first_sync_page);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, first_sync_progress);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, first_sync_detail);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, first_sync_error);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, offline_banner);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, sync_popover);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, sync_popover_detail);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, sync_popover_error);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, outbox_list);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, map_page);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, dispatch_page);
  gtk_widget_class_bind_template_child (widget_class, WgWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, login_page_sign_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_popover_show_cb);

  gtk_widget_class_install_action (widget_class, "win.sign-out", NULL, sign_out_action);
  gtk_widget_class_install_action (widget_class, "win.sync-now", NULL, sync_now_action);
  gtk_widget_class_install_action (widget_class, "win.show-sync-status", NULL, show_sync_status_action);
}

void
_wg_window_session_init (WgWindow  *self,
                         WgSession *session)
{
  WgSyncStatus *status = wg_session_get_sync_status (session);
  g_autofree char *server = g_settings_get_string (self->settings, "server-url");
  g_autofree char *username = g_settings_get_string (self->settings, "username");

  self->session = g_object_ref (session);
  self->cancellable = g_cancellable_new ();

  g_signal_connect_object (status, "notify", G_CALLBACK (sync_status_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "notify::signed-in", G_CALLBACK (session_signed_in_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "signed-out", G_CALLBACK (signed_out_cb), self, 0);

  wg_login_page_set_server (self->login_page, server);
  wg_login_page_set_username (self->login_page, username);
  session_signed_in_notify_cb (self);
  update_sync_status (self);

  /* build-aux/demo signs in as the demo dispatcher; nothing else sets these. */
  if (!wg_session_get_signed_in (session) && g_getenv ("WANGGE_DEMO_SERVER") != NULL &&
      g_getenv ("WANGGE_DEMO_USER") != NULL && g_getenv ("WANGGE_DEMO_PASSWORD") != NULL)
    {
      wg_login_page_set_server (self->login_page, g_getenv ("WANGGE_DEMO_SERVER"));
      wg_login_page_set_username (self->login_page, g_getenv ("WANGGE_DEMO_USER"));
      login_page_sign_in_cb (self, g_getenv ("WANGGE_DEMO_SERVER"), g_getenv ("WANGGE_DEMO_USER"),
                             g_getenv ("WANGGE_DEMO_PASSWORD"));
    }
  else if (!wg_session_get_signed_in (session) && server[0] != '\0' && username[0] != '\0')
    {
      wg_login_page_set_busy (self->login_page, TRUE);
      wg_session_resume_async (session, server, username, self->cancellable, resumed_cb, g_object_ref (self));
    }
}

void
_wg_window_session_dispose (WgWindow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
}
