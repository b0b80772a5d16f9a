/* wg-sync.h — keeps the local cache in step with the server, both ways
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wg-api.h"
#include "wg-store.h"
#include "wg-sync-status.h"

G_BEGIN_DECLS

#define WG_TYPE_SYNC (wg_sync_get_type ())

G_DECLARE_FINAL_TYPE (WgSync, wg_sync, WG, SYNC, GObject)

WgSync       *wg_sync_new              (WgStore             *store,
                                        WgApi               *api,
                                        WgSyncStatus        *status);
WgStore      *wg_sync_get_store        (WgSync              *self);
WgApi        *wg_sync_get_api          (WgSync              *self);
WgSyncStatus *wg_sync_get_status       (WgSync              *self);

void          wg_sync_start            (WgSync              *self);
void          wg_sync_stop             (WgSync              *self);
void          wg_sync_pull_now         (WgSync              *self);
void          wg_sync_set_page_size    (WgSync              *self,
                                        guint                limit);
void          wg_sync_set_live_enabled (WgSync              *self,
                                        gboolean             enabled);

void          wg_sync_take_action_async (WgSync             *self,
                                        const char          *case_id,
                                        const char          *action,
                                        JsonObject          *params,
                                        gint64               if_match,
                                        const char          *optimistic_state,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
gboolean      wg_sync_take_action_finish (WgSync            *self,
                                        GAsyncResult        *result,
                                        GError             **error);

void          wg_sync_retry_outbox     (WgSync              *self,
                                        gint64               seq);
void          wg_sync_discard_outbox   (WgSync              *self,
                                        gint64               seq);

const char   *wg_sync_kind_label       (const char          *kind);
char         *wg_sync_describe_counts  (GHashTable          *per_kind);

G_END_DECLS
