/* wg-json.h — JSON and time helpers shared by client and server
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WG_JSON_ERROR (wg_json_error_quark ())

typedef enum
{
  WG_JSON_ERROR_SYNTAX,
  WG_JSON_ERROR_TYPE,
} WgJsonError;

GQuark      wg_json_error_quark        (void);
JsonNode   *wg_json_parse              (const char  *data,
                                        gssize       length,
                                        GError     **error);
JsonNode   *wg_json_parse_object       (const char  *data,
                                        gssize       length,
                                        GError     **error);
char       *wg_json_to_string          (JsonNode    *node);
const char *wg_json_get_string         (JsonObject  *object,
                                        const char  *member);
gboolean    wg_json_get_int            (JsonObject  *object,
                                        const char  *member,
                                        gint64      *out_value);
gboolean    wg_json_is_integer         (JsonNode    *node);
gboolean    wg_json_is_number          (JsonNode    *node);
gboolean    wg_json_is_string          (JsonNode    *node);

char       *wg_rfc3339_format          (GDateTime   *time);
char       *wg_rfc3339_now             (void);
GDateTime  *wg_rfc3339_parse           (const char  *text);
gboolean    wg_iso_date_is_valid       (const char  *text);

char       *wg_phone_mask              (const char  *phone);

G_END_DECLS
