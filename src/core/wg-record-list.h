/* wg-record-list.h — a GListModel over one kind of record in the local cache
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wg-store.h"

G_BEGIN_DECLS

#define WG_TYPE_RECORD (wg_record_get_type ())

G_DECLARE_FINAL_TYPE (WgRecord, wg_record, WG, RECORD, GObject)

const char  *wg_record_get_id          (WgRecord *self);
const char  *wg_record_get_kind        (WgRecord *self);
gint64       wg_record_get_version     (WgRecord *self);
JsonObject  *wg_record_get_json        (WgRecord *self);
const char  *wg_record_get_column      (WgRecord     *self,
                                        WgCaseColumn  column);
const char  *wg_record_get_string      (WgRecord *self,
                                        const char *member);
const char  *wg_record_get_state       (WgRecord *self);
gboolean     wg_record_get_pending     (WgRecord *self);

#define WG_TYPE_RECORD_LIST (wg_record_list_get_type ())

G_DECLARE_FINAL_TYPE (WgRecordList, wg_record_list, WG, RECORD_LIST, GObject)

/* Called in the middle of a change of filter or order: the new rows are at the top, the old
 * ones below them; a view moves to the top here (see wg_record_list_set_move_func ()). */
typedef void (*WgRecordListMoveFunc) (WgRecordList *list,
                                      gpointer      data);

WgRecordList *wg_record_list_new       (WgStore      *store,
                                        const char   *kind,
                                        const char   *order_by);
const char   *wg_record_list_get_kind  (WgRecordList *self);
gboolean      wg_record_list_get_loading (WgRecordList *self);
void          wg_record_list_rebind    (WgRecordList *self);
void          wg_record_list_set_filter (WgRecordList *self,
                                        const char   *where,
                                        const char   *param);
void          wg_record_list_set_filter_live (WgRecordList *self,
                                              const char   *where,
                                              const char   *param);
void          wg_record_list_set_order_by (WgRecordList *self,
                                        const char   *order_by);
const char   *wg_record_list_get_order_by (WgRecordList *self);
guint         wg_record_list_find      (WgRecordList *self,
                                        const char   *id);
void          wg_record_list_set_move_func (WgRecordList        *self,
                                        WgRecordListMoveFunc  func,
                                        gpointer              data);

G_END_DECLS
