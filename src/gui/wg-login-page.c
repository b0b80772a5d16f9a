/* wg-login-page.c — signing in to the township's server
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The page checks what it can itself (an address that is an address, no empty field) and
 * hands the rest to whoever listens to ::sign-in; their answer comes back as an error
 * message under the fields, and nothing typed is cleared but the password.
 */
#define G_LOG_DOMAIN "WgLoginPage"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-login-page.h"
#include "wg-url.h"

struct _WgLoginPage
{
  AdwBin       parent_instance;

  /* Template widgets */
  GtkImage    *icon;
  AdwEntryRow *server_row;
  AdwEntryRow *username_row;
  AdwEntryRow *password_row;
  GtkLabel    *error_label;
  GtkButton   *sign_in_button;
  GtkStack    *button_stack;

  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (WgLoginPage, wg_login_page, ADW_TYPE_BIN)

enum {
  SIGN_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
row_changed_cb (WgLoginPage *self)
{
  if (!self->busy)
    wg_login_page_set_error (self, NULL);
}

static void
next_row_cb (WgLoginPage *self,
             AdwEntryRow *row)
{
  if (row == self->server_row)
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
sign_in_cb (WgLoginPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *username = NULL;
  const char *password;

  if (self->busy)
    return;

  url = wg_server_url_normalize (gtk_editable_get_text (GTK_EDITABLE (self->server_row)), &error);
  if (url == NULL)
    {
      wg_login_page_set_error (self, error->message);
      gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }

  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  if (username[0] == '\0')
    {
      wg_login_page_set_error (self, _("Enter your user name."));
      gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
      return;
    }

  password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));
  if (password[0] == '\0')
    {
      wg_login_page_set_error (self, _("Enter your password."));
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), url);
  g_signal_emit (self, signals[SIGN_IN], 0, url, username, password);
}

static void
wg_login_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), WG_TYPE_LOGIN_PAGE);

  G_OBJECT_CLASS (wg_login_page_parent_class)->dispose (object);
}

static void
wg_login_page_class_init (WgLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_login_page_dispose;

  /**
   * WgLoginPage::sign-in:
   * @server_url: the normalised server address
   * @username: the user name
   * @password: the password
   */
  signals[SIGN_IN] =
    g_signal_new ("sign-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wangge/Wangge/wg-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, WgLoginPage, icon);
  gtk_widget_class_bind_template_child (widget_class, WgLoginPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, WgLoginPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, WgLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, WgLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, WgLoginPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, WgLoginPage, button_stack);
  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_row_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_in_cb);
}

static void
wg_login_page_init (WgLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_image_set_from_icon_name (self->icon, APPLICATION_ID);
}

void
wg_login_page_set_server (WgLoginPage *self,
                          const char  *server_url)
{
  g_return_if_fail (WG_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server_url != NULL ? server_url : "");
}

void
wg_login_page_set_username (WgLoginPage *self,
                            const char  *username)
{
  g_return_if_fail (WG_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username != NULL ? username : "");
}

void
wg_login_page_set_busy (WgLoginPage *self,
                        gboolean     busy)
{
  g_return_if_fail (WG_IS_LOGIN_PAGE (self));

  self->busy = busy;
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "busy" : "label");
  /* The rows stay sensitive: taking focus away from a row mid-typing loses its state, and
   * sign_in_cb ignores a second press while busy. */
  gtk_widget_set_can_target (GTK_WIDGET (self->sign_in_button), !busy);
  if (!busy)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
}

void
wg_login_page_set_error (WgLoginPage *self,
                         const char  *message)
{
  g_return_if_fail (WG_IS_LOGIN_PAGE (self));

  gtk_label_set_label (self->error_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Puts the cursor where the person has to type next. */
void
wg_login_page_focus (WgLoginPage *self)
{
  g_return_if_fail (WG_IS_LOGIN_PAGE (self));

  if (gtk_editable_get_text (GTK_EDITABLE (self->server_row))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (gtk_editable_get_text (GTK_EDITABLE (self->username_row))[0] == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}
