/* wg-session.c — who is signed in where: token, cache and sync together
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The cache belongs to one account on one server. Signing in as someone else, or to another
 * server, starts a new cache; signing out wipes it, as the cadres' phone numbers in it are not
 * for the next person at the workstation.
 */
#define G_LOG_DOMAIN "WgSession"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wg-attachments.h"
#include "wg-credentials.h"
#include "wg-session.h"

struct _WgSession
{
  GObject       parent_instance;

  /* Owned */
  char         *data_dir;
  char         *ca_file;
  gboolean      token_in_file;
  WgSyncStatus *status;
  WgApi        *api;
  WgStore      *store;
  WgSync       *sync;
  char         *username;
  char         *server_url;
  char         *role;
  gboolean      signed_in;
};

G_DEFINE_FINAL_TYPE (WgSession, wg_session, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SIGNED_IN,
  PROP_USERNAME,
  PROP_SERVER_URL,
  N_PROPS
};

enum {
  SIGNED_OUT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef struct
{
  char    *server_url;
  char    *username;
  char    *role;
  char    *token;
  char    *keyring_warning;
  WgStore *store;
} SignIn;

static void
sign_in_free (gpointer data)
{
  SignIn *sign_in = data;

  g_free (sign_in->server_url);
  g_free (sign_in->username);
  g_free (sign_in->role);
  g_free (sign_in->token);
  g_free (sign_in->keyring_warning);
  g_clear_object (&sign_in->store);
  g_free (sign_in);
}

static char *
cache_path (WgSession *self)
{
  return g_build_filename (self->data_dir, "cache.db", NULL);
}

char *
wg_session_get_token_file (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return g_build_filename (self->data_dir, "token", NULL);
}

static void
auth_required_cb (WgSync     *sync,
                  const char *message,
                  WgSession  *self)
{
  g_autofree char *file = wg_session_get_token_file (self);

  /* The token is dead; keep the cache (it may still hold unsent actions for this account)
   * and ask for the password again. */
  wg_credentials_forget (self->server_url, self->username, self->token_in_file ? file : NULL);
  self->signed_in = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_signal_emit (self, signals[SIGNED_OUT], 0, message);
}

static void
stop_sync (WgSession *self)
{
  if (self->sync != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->sync, self);
      wg_sync_stop (self->sync);
    }
  g_clear_object (&self->sync);
}

/* Takes over a signed-in account: its API client and its opened cache. */
static void
become_signed_in (WgSession  *self,
                  WgApi      *api,
                  SignIn     *sign_in)
{
  stop_sync (self);
  if (self->store != NULL && self->store != sign_in->store)
    wg_store_close (self->store);
  g_set_object (&self->store, sign_in->store);
  g_set_object (&self->api, api);
  g_set_str (&self->server_url, sign_in->server_url);
  g_set_str (&self->username, sign_in->username);
  g_set_str (&self->role, sign_in->role);

  self->sync = wg_sync_new (self->store, self->api, self->status);
  g_signal_connect (self->sync, "auth-required", G_CALLBACK (auth_required_cb), self);
  wg_sync_start (self->sync);

  self->signed_in = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USERNAME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
}

/* --- opening the cache, off the main thread -------------------------------------------------- */

static gboolean
wipe_cb (WgStoreTxn  *txn,
         gpointer     data,
         GError     **error)
{
  return wg_store_txn_wipe (txn, error) &&
         wg_store_txn_set_value (txn, "identity", data, error);
}

static gboolean
set_role_cb (WgStoreTxn  *txn,
             gpointer     data,
             GError     **error)
{
  return wg_store_txn_set_value (txn, "role", data, error);
}

static void
open_cache_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  WgSession *self = source_object;
  SignIn *sign_in = task_data;
  g_autofree char *path = cache_path (self);
  g_autofree char *identity = g_strconcat (sign_in->server_url, "\n", sign_in->username, NULL);
  g_autofree char *previous = NULL;
  g_autoptr(WgStore) store = NULL;
  GError *error = NULL;

  if (self->store != NULL)
    store = g_object_ref (self->store);
  else if ((store = wg_store_open (path, &error)) == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  previous = wg_store_get_value (store, "identity", NULL);
  if (g_strcmp0 (previous, identity) != 0)
    {
      if (!wg_store_write_sync (store, wipe_cb, identity, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      wg_attachments_forget_all ();
    }

  /* The role decides which actions the client offers: from the sign-in reply, kept in the
   * cache for the next start with a saved token. */
  if (sign_in->role != NULL)
    {
      g_autofree char *role = g_strdup (sign_in->role);

      if (!wg_store_write_sync (store, set_role_cb, role, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    sign_in->role = wg_store_get_value (store, "role", NULL);

  sign_in->store = g_steal_pointer (&store);
  g_task_return_boolean (task, TRUE);
}

/* --- signing in ------------------------------------------------------------------------------ */

static void
cache_opened_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  WgSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  WgApi *api = g_object_get_data (G_OBJECT (task), "api");
  GError *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  become_signed_in (self, api, sign_in);
  g_task_return_boolean (task, TRUE);
}

static void
open_cache (GTask *task)
{
  WgSession *self = g_task_get_source_object (task);
  GTask *open = g_task_new (self, g_task_get_cancellable (task), cache_opened_cb, task);

  g_task_set_task_data (open, g_task_get_task_data (task), NULL);
  g_task_run_in_thread (open, open_cache_thread);
  g_object_unref (open);
}

static void
token_stored_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GTask *task = user_data;
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  /* No keyring is not a reason to refuse the sign-in: work on, and say so. */
  if (!wg_credentials_store_finish (result, &error))
    sign_in->keyring_warning = g_strdup (error->message);

  open_cache (task);
}

static void
logged_in_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  WgSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autofree char *file = wg_session_get_token_file (self);
  GError *error = NULL;

  sign_in->token = wg_api_login_finish (WG_API (object), result, &error);
  if (sign_in->token == NULL)
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  sign_in->role = g_strdup (wg_api_get_role (WG_API (object)));

  wg_credentials_store_async (sign_in->server_url, sign_in->username, sign_in->token,
                              self->token_in_file ? file : NULL,
                              g_task_get_cancellable (task), token_stored_cb, task);
}

void
wg_session_sign_in_async (WgSession           *self,
                          const char          *server_url,
                          const char          *username,
                          const char          *password,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(WgApi) api = NULL;
  GError *error = NULL;
  SignIn *sign_in;
  GTask *task;

  g_return_if_fail (WG_IS_SESSION (self));
  g_return_if_fail (server_url != NULL && username != NULL && password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_session_sign_in_async);
  sign_in = g_new0 (SignIn, 1);
  sign_in->server_url = g_strdup (server_url);
  sign_in->username = g_strdup (username);
  g_task_set_task_data (task, sign_in, sign_in_free);

  api = wg_api_new (server_url);
  if (!wg_api_set_ca_file (api, self->ca_file, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "api", g_object_ref (api), g_object_unref);

  wg_api_login_async (api, username, password, cancellable, logged_in_cb, task);
}

gboolean
wg_session_sign_in_finish (WgSession     *self,
                           GAsyncResult  *result,
                           char         **keyring_warning,
                           GError       **error)
{
  SignIn *sign_in;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  sign_in = g_task_get_task_data (G_TASK (result));
  if (keyring_warning != NULL)
    *keyring_warning = g_strdup (sign_in->keyring_warning);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* --- resuming -------------------------------------------------------------------------------- */

static void
token_found_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  GTask *task = user_data;
  WgSession *self = g_task_get_source_object (task);
  SignIn *sign_in = g_task_get_task_data (task);
  g_autoptr(WgApi) api = NULL;
  GError *error = NULL;

  sign_in->token = wg_credentials_lookup_finish (result, &error);
  if (error != NULL || sign_in->token == NULL)
    {
      /* Nothing saved (or no keyring): the sign-in page asks. */
      if (error != NULL)
        g_task_return_error (task, error);
      else
        g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }

  api = wg_api_new (sign_in->server_url);
  wg_api_set_token (api, sign_in->token);
  if (!wg_api_set_ca_file (api, self->ca_file, &error))
    {
      g_task_return_error (task, error);
      g_object_unref (task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "api", g_steal_pointer (&api), g_object_unref);
  open_cache (task);
}

/* Signs in again with the saved token, if there is one. Finishes FALSE (without an error)
 * when nothing is saved. An expired token shows later, as WgSession::signed-out. */
void
wg_session_resume_async (WgSession           *self,
                         const char          *server_url,
                         const char          *username,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autofree char *file = NULL;
  SignIn *sign_in;
  GTask *task;

  g_return_if_fail (WG_IS_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, wg_session_resume_async);
  if (server_url == NULL || server_url[0] == '\0' || username == NULL || username[0] == '\0')
    {
      g_task_return_boolean (task, FALSE);
      g_object_unref (task);
      return;
    }

  sign_in = g_new0 (SignIn, 1);
  sign_in->server_url = g_strdup (server_url);
  sign_in->username = g_strdup (username);
  g_task_set_task_data (task, sign_in, sign_in_free);

  file = wg_session_get_token_file (self);
  wg_credentials_lookup_async (server_url, username, self->token_in_file ? file : NULL,
                               cancellable, token_found_cb, task);
}

gboolean
wg_session_resume_finish (WgSession     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The person agreed to keep the token in a file only they can read. */
gboolean
wg_session_keep_token_in_file (WgSession  *self,
                               GError    **error)
{
  g_autofree char *file = wg_session_get_token_file (self);

  g_return_val_if_fail (WG_IS_SESSION (self), FALSE);
  g_return_val_if_fail (self->api != NULL, FALSE);

  if (!wg_credentials_write_file (file, wg_api_get_token (self->api), error))
    return FALSE;
  self->token_in_file = TRUE;
  return TRUE;
}

/* --- signing out ----------------------------------------------------------------------------- */

static void
signed_out_on_server_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = wg_api_request_finish (WG_API (object), result, NULL, &error);

  if (reply == NULL)
    g_message ("The server did not confirm the sign-out: %s", error->message);
}

static void
wiped_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!wg_store_write_finish (WG_STORE (object), result, &error))
    g_warning ("Could not empty the local cache: %s", error->message);
}

static void
forget_attachments_thread (GTask        *task,
                           gpointer      source,
                           gpointer      data,
                           GCancellable *cancellable)
{
  wg_attachments_forget_all ();
}

static void
forget_attachments (void)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_run_in_thread (task, forget_attachments_thread);
}

/* Forgets the token, tells the server, and wipes the cache and the attachments kept on disk. */
void
wg_session_sign_out (WgSession *self)
{
  g_autofree char *file = NULL;

  g_return_if_fail (WG_IS_SESSION (self));

  file = wg_session_get_token_file (self);
  stop_sync (self);
  if (self->api != NULL && wg_api_get_token (self->api) != NULL)
    {
      wg_api_set_timeout (self->api, 5);
      wg_api_request_async (self->api, "DELETE", "/api/v1/session", NULL, NULL, 0, NULL,
                            signed_out_on_server_cb, NULL);
    }
  wg_credentials_forget (self->server_url, self->username, file);
  self->token_in_file = FALSE;
  if (self->store != NULL)
    wg_store_write_async (self->store, wipe_cb, g_strdup (""), g_free, NULL, wiped_cb, NULL);
  forget_attachments ();

  wg_sync_status_set_state (self->status, WG_SYNC_STATE_NOT_CONNECTED);
  wg_sync_status_set_pending (self->status, 0);
  wg_sync_status_set_error (self->status, NULL);
  self->signed_in = FALSE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SIGNED_IN]);
  g_signal_emit (self, signals[SIGNED_OUT], 0, NULL);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_session_dispose (GObject *object)
{
  WgSession *self = WG_SESSION (object);

  stop_sync (self);
  if (self->store != NULL)
    wg_store_close (self->store);
  g_clear_object (&self->store);
  g_clear_object (&self->api);

  G_OBJECT_CLASS (wg_session_parent_class)->dispose (object);
}

static void
wg_session_finalize (GObject *object)
{
  WgSession *self = WG_SESSION (object);

  g_clear_object (&self->status);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->ca_file, g_free);
  g_clear_pointer (&self->username, g_free);
  g_clear_pointer (&self->server_url, g_free);
  g_clear_pointer (&self->role, g_free);

  G_OBJECT_CLASS (wg_session_parent_class)->finalize (object);
}

static void
wg_session_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WgSession *self = WG_SESSION (object);

  switch (prop_id)
    {
    case PROP_SIGNED_IN:
      g_value_set_boolean (value, self->signed_in);
      break;

    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;

    case PROP_SERVER_URL:
      g_value_set_string (value, self->server_url);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_session_class_init (WgSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wg_session_dispose;
  object_class->finalize = wg_session_finalize;
  object_class->get_property = wg_session_get_property;

  properties[PROP_SIGNED_IN] =
    g_param_spec_boolean ("signed-in", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WgSession::signed-out:
   * @message: (nullable): why, when the server ended the sign-in; NULL after signing out
   */
  signals[SIGNED_OUT] =
    g_signal_new ("signed-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
wg_session_init (WgSession *self)
{
  self->status = wg_sync_status_new ();
}

WgSession *
wg_session_new (const char *data_dir)
{
  WgSession *self;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (WG_TYPE_SESSION, NULL);
  self->data_dir = g_strdup (data_dir);
  return self;
}

const char *
wg_session_get_data_dir (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return self->data_dir;
}

gboolean
wg_session_get_signed_in (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), FALSE);

  return self->signed_in;
}

const char *
wg_session_get_username (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return self->username;
}

const char *
wg_session_get_server_url (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return self->server_url;
}

WgSyncStatus *
wg_session_get_sync_status (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return self->status;
}

WgSync *
wg_session_get_sync (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return self->sync;
}

WgStore *
wg_session_get_store (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return self->store;
}

void
wg_session_set_ca_file (WgSession  *self,
                        const char *path)
{
  g_return_if_fail (WG_IS_SESSION (self));

  g_set_str (&self->ca_file, path != NULL && path[0] != '\0' ? path : NULL);
  if (self->api != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!wg_api_set_ca_file (self->api, self->ca_file, &error))
        wg_sync_status_set_error (self->status, error->message);
    }
}

void
wg_session_set_token_in_file (WgSession *self,
                              gboolean   in_file)
{
  g_return_if_fail (WG_IS_SESSION (self));

  self->token_in_file = in_file;
}

const char *
wg_session_get_role (WgSession *self)
{
  g_return_val_if_fail (WG_IS_SESSION (self), NULL);

  return self->role;
}
