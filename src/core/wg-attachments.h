/* wg-attachments.h — a case's attachments, fetched once and kept on disk
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wg-api.h"

G_BEGIN_DECLS

typedef struct
{
  char   *id;
  char   *name;
  char   *content_type;
  char   *sha256;
  gint64  size;
} WgAttachment;

WgAttachment *wg_attachment_new_from_json (JsonObject          *object);
WgAttachment *wg_attachment_copy          (const WgAttachment  *self);
void          wg_attachment_free          (WgAttachment        *self);
gboolean      wg_attachment_is_image      (const WgAttachment  *self);
char         *wg_attachment_get_cache_path (const WgAttachment *self);

const char   *wg_attachment_describe_error (const GError     *error);

GPtrArray    *wg_attachments_from_case    (JsonObject          *case_json);
void          wg_attachments_forget_all   (void);

void          wg_attachment_fetch_async   (const WgAttachment  *self,
                                           WgApi               *api,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
char         *wg_attachment_fetch_finish  (GAsyncResult        *result,
                                           GError             **error);

/* The files kept on disk take at most this many bytes, unless set otherwise: a few hundred
 * to a few thousand site photos, several weeks of the cases a dispatcher opens. */
#define WG_ATTACHMENTS_DEFAULT_CACHE_LIMIT (G_GUINT64_CONSTANT (500) * 1000 * 1000)

typedef enum
{
  WG_ATTACHMENTS_CACHE_MEASURE,   /* count the bytes kept, remove nothing */
  WG_ATTACHMENTS_CACHE_TRIM,      /* remove the least recently used files down to the limit */
  WG_ATTACHMENTS_CACHE_CLEAR,     /* remove every file kept */
} WgAttachmentsCacheOp;

void          wg_attachments_set_cache_limit (guint64               bytes);
guint64       wg_attachments_get_cache_limit (void);
void          wg_attachments_cache_async  (WgAttachmentsCacheOp  op,
                                           GCancellable         *cancellable,
                                           GAsyncReadyCallback   callback,
                                           gpointer              user_data);
gboolean      wg_attachments_cache_finish (GAsyncResult         *result,
                                           guint64              *out_used,
                                           GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgAttachment, wg_attachment_free)

G_END_DECLS
