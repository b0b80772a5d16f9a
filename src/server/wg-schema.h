/* wg-schema.h — the resource kinds of the API and the validation of their fields
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wg-domain.h"

G_BEGIN_DECLS

typedef enum
{
  WG_FIELD_STRING,         /* one line, up to `max` characters (default 200) */
  WG_FIELD_TEXT,           /* free text, up to `max` characters (default 10000) */
  WG_FIELD_INT,            /* integer within [min, max] */
  WG_FIELD_BOOL,
  WG_FIELD_UUID,           /* id of a live record of `ref` kind */
  WG_FIELD_UUID_ARRAY,
  WG_FIELD_STRING_ARRAY,
  WG_FIELD_ENUM,           /* one of `values` */
  WG_FIELD_ENUM_ARRAY,
  WG_FIELD_DATE,           /* YYYY-MM-DD */
  WG_FIELD_DATETIME,       /* RFC 3339 with offset */
  WG_FIELD_POLYGON,        /* GeoJSON Polygon, WGS-84 */
  WG_FIELD_POINT,          /* GeoJSON Point, WGS-84 */
  WG_FIELD_PHONE,
  WG_FIELD_DIGITS,         /* exactly `max` ASCII digits (grid codes) */
  WG_FIELD_OBJECT,         /* nested object with `fields` */
  WG_FIELD_OBJECT_ARRAY,   /* array of nested objects with `fields` */
  WG_FIELD_PASSWORD,       /* write-only: hashed, never stored in the record */
} WgFieldType;

typedef enum
{
  WG_FIELD_REQUIRED = 1 << 0,
} WgFieldFlags;

typedef struct _WgFieldSpec WgFieldSpec;

struct _WgFieldSpec
{
  const char         *name;
  WgFieldType         type;
  WgFieldFlags        flags;
  const char         *ref;        /* kind a UUID must name */
  const char * const *values;     /* allowed values of an enum */
  const WgFieldSpec  *fields;     /* members of a nested object, ended by a NULL name */
  gint64              min;
  gint64              max;
};

typedef struct
{
  const char        *name;         /* kind in the change feed: "org_units" */
  const char        *path;         /* URL segment: "org-units" */
  const char        *singular;     /* for messages: "org unit" */
  const WgFieldSpec *fields;       /* ended by a NULL name */
  const char        *natural_key;  /* member unique within the kind, or NULL */
  WgRole             write_roles;  /* who may create, update and delete */
  WgRole             read_roles;   /* who may list and read */
} WgKind;

/* Checks refer to other records; the caller provides the lookup so this module stays
 * free of storage. Returns TRUE when a live record of `kind` has this id. */
typedef gboolean (*WgRefCheckFunc) (const char *kind,
                                    const char *id,
                                    gpointer    user_data);

const WgKind *wg_schema_get_kinds        (guint          *n_kinds);
const WgKind *wg_schema_find_kind        (const char     *name);
const WgKind *wg_schema_find_kind_by_path (const char    *path);
const WgKind *wg_schema_case_kind        (void);

gboolean      wg_schema_validate         (const WgFieldSpec *fields,
                                          JsonObject     *input,
                                          gboolean        partial,
                                          const char * const *ignored,
                                          WgRefCheckFunc  ref_check,
                                          gpointer        user_data,
                                          GError        **error);
const WgFieldSpec *wg_schema_find_field  (const WgFieldSpec *fields,
                                          const char     *name);
gboolean      wg_uuid_is_valid           (const char     *text);

extern const WgFieldSpec wg_case_report_fields[];

G_END_DECLS
