/* wg-credentials.c — where the sign-in token is kept: the keyring, or a private file
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The keyring (the Secret portal inside Flatpak) is the default. Some office machines run
 * without one; there the person is told so and may choose a file only they can read. The
 * file is written whole to a temporary name and renamed, mode 0600 from the start, so no
 * other user ever sees a half-written or readable token.
 */
#define G_LOG_DOMAIN "WgCredentials"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "wg-credentials.h"

G_DEFINE_QUARK (wg-credentials-error-quark, wg_credentials_error)

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "io.github.wangge.Wangge.Token", SECRET_SCHEMA_NONE,
    {
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  };

  return &schema;
}

static GError *
keyring_error (const GError *error)
{
  /* The D-Bus details mean nothing at the counter; they go to the log for IT. */
  g_message ("No usable keyring: %s", error->message);
  return g_error_new_literal (WG_CREDENTIALS_ERROR, WG_CREDENTIALS_ERROR_NO_KEYRING,
                              _("This computer has no keyring to keep your sign-in safe. You can keep it in a file only you can read instead, or sign in each time."));
}

gboolean
wg_credentials_write_file (const char  *path,
                           const char  *token,
                           GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) local_error = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, WG_CREDENTIALS_ERROR, WG_CREDENTIALS_ERROR_FAILED,
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!g_file_set_contents_full (path, token, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, WG_CREDENTIALS_ERROR, WG_CREDENTIALS_ERROR_FAILED,
                   _("Could not save the sign-in: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

char *
wg_credentials_read_file (const char  *path,
                          GError     **error)
{
  g_autofree char *contents = NULL;
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return NULL;
  /* A token others can read may have been seen: treat it as lost rather than use it. */
  if ((st.st_mode & 0077) != 0)
    {
      g_set_error (error, WG_CREDENTIALS_ERROR, WG_CREDENTIALS_ERROR_FAILED,
                   _("The saved sign-in in %s could be read by other users, so it was not used. Sign in again."),
                   path);
      g_unlink (path);
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  g_strstrip (contents);
  return contents[0] != '\0' ? g_steal_pointer (&contents) : NULL;
}

/* --- store ----------------------------------------------------------------------------------- */

static void
stored_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!secret_password_store_finish (result, &error))
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_boolean (task, TRUE);
}

void
wg_credentials_store_async (const char          *server,
                            const char          *username,
                            const char          *token,
                            const char          *file_path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autofree char *label = NULL;

  g_task_set_source_tag (task, wg_credentials_store_async);

  if (file_path != NULL)
    {
      GError *error = NULL;

      if (wg_credentials_write_file (file_path, token, &error))
        g_task_return_boolean (task, TRUE);
      else
        g_task_return_error (task, error);
      return;
    }

  /* Translators: the keyring's label for the saved token; %s are the user and the server */
  label = g_strdup_printf (_("Wangge sign-in of %s at %s"), username, server);
  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, token, cancellable,
                         stored_cb, g_steal_pointer (&task),
                         "server", server, "username", username, NULL);
}

gboolean
wg_credentials_store_finish (GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- lookup ---------------------------------------------------------------------------------- */

static void
looked_up_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  char *token = secret_password_lookup_finish (result, &error);

  if (error != NULL)
    g_task_return_error (task, keyring_error (error));
  else
    g_task_return_pointer (task, token, g_free);
}

/* Returns the token, or NULL with no error when none is saved. */
void
wg_credentials_lookup_async (const char          *server,
                             const char          *username,
                             const char          *file_path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, wg_credentials_lookup_async);

  if (file_path != NULL)
    {
      GError *error = NULL;
      char *token = wg_credentials_read_file (file_path, &error);

      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, token, g_free);
      return;
    }

  secret_password_lookup (token_schema (), cancellable, looked_up_cb, g_steal_pointer (&task),
                          "server", server, "username", username, NULL);
}

char *
wg_credentials_lookup_finish (GAsyncResult  *result,
                              GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
cleared_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!secret_password_clear_finish (result, &error) && error != NULL)
    g_message ("Could not remove the sign-in from the keyring: %s", error->message);
}

/* Forgets the token wherever it may be kept; nothing to report if it was not there. */
void
wg_credentials_forget (const char *server,
                       const char *username,
                       const char *file_path)
{
  if (file_path != NULL)
    g_unlink (file_path);

  if (server != NULL && username != NULL)
    secret_password_clear (token_schema (), NULL, cleared_cb, NULL,
                           "server", server, "username", username, NULL);
}
