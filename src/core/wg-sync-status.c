/* wg-sync-status.c — what the client knows about its link to the server, for the UI to bind
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The header's sync area binds to these properties; the words and icons are chosen here, in
 * the core, so tests check them without a display.
 */
#define G_LOG_DOMAIN "WgSyncStatus"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "wg-core-enums.h"
#include "wg-sync-status.h"

struct _WgSyncStatus
{
  GObject     parent_instance;

  WgSyncState state;
  gboolean    connected;
  guint64     received;
  double      fraction;
  char       *detail;
  char       *error_message;
  GDateTime  *offline_since;
  GDateTime  *last_sync;
  guint       pending;
};

G_DEFINE_FINAL_TYPE (WgSyncStatus, wg_sync_status, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LABEL,
  PROP_ICON_NAME,
  PROP_CONNECTED,
  PROP_RECEIVED,
  PROP_FRACTION,
  PROP_DETAIL,
  PROP_ERROR_MESSAGE,
  PROP_OFFLINE_SINCE,
  PROP_LAST_SYNC,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
wg_sync_state_describe (WgSyncState state)
{
  switch (state)
    {
    case WG_SYNC_STATE_NOT_CONNECTED:
      return _("Not connected");
    case WG_SYNC_STATE_OFFLINE:
      return _("Offline");
    case WG_SYNC_STATE_SYNCING:
      return _("Syncing…");
    case WG_SYNC_STATE_UP_TO_DATE:
      return _("Up to date");
    case WG_SYNC_STATE_ERROR:
      return _("Sync failed");
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
wg_sync_state_icon_name (WgSyncState state)
{
  switch (state)
    {
    case WG_SYNC_STATE_NOT_CONNECTED:
      return "network-offline-symbolic";
    case WG_SYNC_STATE_OFFLINE:
      return "network-offline-symbolic";
    case WG_SYNC_STATE_SYNCING:
      return "wg-syncing-symbolic";
    case WG_SYNC_STATE_UP_TO_DATE:
      return "wg-synced-symbolic";
    case WG_SYNC_STATE_ERROR:
      return "dialog-warning-symbolic";
    default:
      g_return_val_if_reached (NULL);
    }
}

static void
wg_sync_status_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  WgSyncStatus *self = WG_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;

    case PROP_LABEL:
      g_value_set_string (value, wg_sync_status_get_label (self));
      break;

    case PROP_ICON_NAME:
      g_value_set_string (value, wg_sync_status_get_icon_name (self));
      break;

    case PROP_CONNECTED:
      g_value_set_boolean (value, self->connected);
      break;

    case PROP_RECEIVED:
      g_value_set_uint64 (value, self->received);
      break;

    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;

    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;

    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;

    case PROP_OFFLINE_SINCE:
      g_value_set_boxed (value, self->offline_since);
      break;

    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;

    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_sync_status_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  WgSyncStatus *self = WG_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STATE:
      wg_sync_status_set_state (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_sync_status_finalize (GObject *object)
{
  WgSyncStatus *self = WG_SYNC_STATUS (object);

  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->error_message, g_free);
  g_clear_pointer (&self->offline_since, g_date_time_unref);
  g_clear_pointer (&self->last_sync, g_date_time_unref);

  G_OBJECT_CLASS (wg_sync_status_parent_class)->finalize (object);
}

static void
wg_sync_status_class_init (WgSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wg_sync_status_finalize;
  object_class->get_property = wg_sync_status_get_property;
  object_class->set_property = wg_sync_status_set_property;

  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL,
                       WG_TYPE_SYNC_STATE, WG_SYNC_STATE_NOT_CONNECTED,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_ICON_NAME] =
    g_param_spec_string ("icon-name", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_STATIC_STRINGS));

  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_RECEIVED] =
    g_param_spec_uint64 ("received", NULL, NULL, 0, G_MAXUINT64, 0,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /* Of the current pull, 0…1; -1 while the total is not known. */
  properties[PROP_FRACTION] =
    g_param_spec_double ("fraction", NULL, NULL, -1, 1, -1,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ERROR_MESSAGE] =
    g_param_spec_string ("error-message", NULL, NULL, NULL,
                         (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_OFFLINE_SINCE] =
    g_param_spec_boxed ("offline-since", NULL, NULL, G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                        (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wg_sync_status_init (WgSyncStatus *self)
{
  self->state = WG_SYNC_STATE_NOT_CONNECTED;
  self->fraction = -1;
}

WgSyncStatus *
wg_sync_status_new (void)
{
  return g_object_new (WG_TYPE_SYNC_STATUS, NULL);
}

WgSyncState
wg_sync_status_get_state (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), WG_SYNC_STATE_NOT_CONNECTED);

  return self->state;
}

void
wg_sync_status_set_state (WgSyncStatus *self,
                          WgSyncState   state)
{
  g_return_if_fail (WG_IS_SYNC_STATUS (self));

  if (self->state == state)
    return;

  /* Offline since the first moment the link went, not the latest retry. */
  if (state == WG_SYNC_STATE_OFFLINE && self->offline_since == NULL)
    {
      self->offline_since = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }
  else if (state != WG_SYNC_STATE_OFFLINE && self->offline_since != NULL)
    {
      g_clear_pointer (&self->offline_since, g_date_time_unref);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OFFLINE_SINCE]);
    }

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ICON_NAME]);
}

const char *
wg_sync_status_get_label (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), NULL);

  return wg_sync_state_describe (self->state);
}

const char *
wg_sync_status_get_icon_name (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), NULL);

  return wg_sync_state_icon_name (self->state);
}

gboolean
wg_sync_status_get_connected (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), FALSE);

  return self->connected;
}

void
wg_sync_status_set_connected (WgSyncStatus *self,
                              gboolean      connected)
{
  g_return_if_fail (WG_IS_SYNC_STATUS (self));

  connected = !!connected;
  if (self->connected == connected)
    return;
  self->connected = connected;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

double
wg_sync_status_get_fraction (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), -1);

  return self->fraction;
}

guint64
wg_sync_status_get_received (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), 0);

  return self->received;
}

const char *
wg_sync_status_get_detail (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), NULL);

  return self->detail;
}

void
wg_sync_status_set_progress (WgSyncStatus *self,
                             guint64       received,
                             double        fraction,
                             const char   *detail)
{
  g_return_if_fail (WG_IS_SYNC_STATUS (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->received != received)
    {
      self->received = received;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECEIVED]);
    }
  if (self->fraction != fraction)
    {
      self->fraction = fraction;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
    }
  if (g_set_str (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
wg_sync_status_get_error_message (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), NULL);

  return self->error_message;
}

void
wg_sync_status_set_error (WgSyncStatus *self,
                          const char   *message)
{
  g_return_if_fail (WG_IS_SYNC_STATUS (self));

  if (g_set_str (&self->error_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
}

GDateTime *
wg_sync_status_get_offline_since (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), NULL);

  return self->offline_since;
}

GDateTime *
wg_sync_status_get_last_sync (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), NULL);

  return self->last_sync;
}

void
wg_sync_status_set_last_sync (WgSyncStatus *self,
                              GDateTime    *when)
{
  g_return_if_fail (WG_IS_SYNC_STATUS (self));

  g_clear_pointer (&self->last_sync, g_date_time_unref);
  self->last_sync = when != NULL ? g_date_time_ref (when) : NULL;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
}

guint
wg_sync_status_get_pending (WgSyncStatus *self)
{
  g_return_val_if_fail (WG_IS_SYNC_STATUS (self), 0);

  return self->pending;
}

void
wg_sync_status_set_pending (WgSyncStatus *self,
                            guint         pending)
{
  g_return_if_fail (WG_IS_SYNC_STATUS (self));

  if (self->pending == pending)
    return;
  self->pending = pending;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}
