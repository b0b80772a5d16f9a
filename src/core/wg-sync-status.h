/* wg-sync-status.h — what the client knows about its link to the server, for the UI to bind
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  WG_SYNC_STATE_NOT_CONNECTED,
  WG_SYNC_STATE_OFFLINE,
  WG_SYNC_STATE_SYNCING,
  WG_SYNC_STATE_UP_TO_DATE,
  WG_SYNC_STATE_ERROR,
} WgSyncState;

#define WG_TYPE_SYNC_STATUS (wg_sync_status_get_type ())

G_DECLARE_FINAL_TYPE (WgSyncStatus, wg_sync_status, WG, SYNC_STATUS, GObject)

WgSyncStatus *wg_sync_status_new            (void);
gboolean      wg_sync_status_get_connected  (WgSyncStatus *self);
void          wg_sync_status_set_connected  (WgSyncStatus *self,
                                             gboolean      connected);
double        wg_sync_status_get_fraction   (WgSyncStatus *self);
guint64       wg_sync_status_get_received   (WgSyncStatus *self);
const char   *wg_sync_status_get_detail     (WgSyncStatus *self);
void          wg_sync_status_set_progress   (WgSyncStatus *self,
                                             guint64       received,
                                             double        fraction,
                                             const char   *detail);
const char   *wg_sync_status_get_error_message (WgSyncStatus *self);
void          wg_sync_status_set_error      (WgSyncStatus *self,
                                             const char   *message);
GDateTime    *wg_sync_status_get_offline_since (WgSyncStatus *self);
GDateTime    *wg_sync_status_get_last_sync  (WgSyncStatus *self);
void          wg_sync_status_set_last_sync  (WgSyncStatus *self,
                                             GDateTime    *when);
guint         wg_sync_status_get_pending    (WgSyncStatus *self);
void          wg_sync_status_set_pending    (WgSyncStatus *self,
                                             guint         pending);
WgSyncState   wg_sync_status_get_state      (WgSyncStatus *self);
void          wg_sync_status_set_state      (WgSyncStatus *self,
                                             WgSyncState   state);
const char   *wg_sync_status_get_label      (WgSyncStatus *self);
const char   *wg_sync_status_get_icon_name  (WgSyncStatus *self);

const char   *wg_sync_state_describe        (WgSyncState   state);
const char   *wg_sync_state_icon_name       (WgSyncState   state);

G_END_DECLS
