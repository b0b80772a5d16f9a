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
};

G_DEFINE_FINAL_TYPE (WgSyncStatus, wg_sync_status, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_STATE,
  PROP_LABEL,
  PROP_ICON_NAME,
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
wg_sync_status_class_init (WgSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

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

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wg_sync_status_init (WgSyncStatus *self)
{
  self->state = WG_SYNC_STATE_NOT_CONNECTED;
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
