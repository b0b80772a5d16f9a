/* wg-feed-scanner.h — reads a page of the change feed in one strict pass
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The type of a member as the page has it; ABSENT when the member is not there. */
typedef enum
{
  WG_FEED_ABSENT = 0,
  WG_FEED_NULL,
  WG_FEED_BOOLEAN,
  WG_FEED_INTEGER,      /* no fraction, no exponent, within gint64 */
  WG_FEED_NUMBER,       /* any other number */
  WG_FEED_STRING,
  WG_FEED_ARRAY,
  WG_FEED_OBJECT,
} WgFeedType;

typedef struct
{
  WgFeedType  type;
  gboolean    boolean;
  gint64      integer;
  const char *string;   /* decoded, nul-terminated; a U+0000 in it ends it, as in json-glib */
} WgFeedValue;

/* The members of a record that the cache reads (wg-store.c): its id and version, and the
 * columns and full-text fields of a case. ASSIGNEE_KIND and ASSIGNEE_ID are "kind" and "id"
 * of the "assignee" object. Only strings are decoded; other members keep their type. */
typedef enum
{
  WG_FEED_FIELD_ID,
  WG_FEED_FIELD_VERSION,
  WG_FEED_FIELD_STATE,
  WG_FEED_FIELD_NUMBER,
  WG_FEED_FIELD_URGENCY,
  WG_FEED_FIELD_CATEGORY_ID,
  WG_FEED_FIELD_VILLAGE_ID,
  WG_FEED_FIELD_GRID_ID,
  WG_FEED_FIELD_SOURCE,
  WG_FEED_FIELD_TITLE,
  WG_FEED_FIELD_ADDRESS,
  WG_FEED_FIELD_DESCRIPTION,
  WG_FEED_FIELD_REPORTED_AT,
  WG_FEED_FIELD_CREATED_AT,
  WG_FEED_FIELD_DEADLINE,
  WG_FEED_FIELD_UPDATED_AT,
  WG_FEED_FIELD_ASSIGNEE,
  WG_FEED_FIELD_ASSIGNEE_KIND,
  WG_FEED_FIELD_ASSIGNEE_ID,
  WG_FEED_N_FIELDS
} WgFeedField;

typedef struct
{
  WgFeedType   type;           /* OBJECT for a change as the feed sends it */
  WgFeedValue  kind;
  WgFeedValue  id;
  WgFeedValue  op;
  WgFeedValue  seq;
  WgFeedType   record;         /* the type of "record" */
  const char  *record_text;    /* an object record's JSON as received, inside the page */
  gsize        record_len;
  const char  *location_text;  /* the record's "location" as received (any type), or NULL */
  gsize        location_len;
  WgFeedValue  fields[WG_FEED_N_FIELDS];
} WgFeedChange;

typedef struct
{
  WgFeedType     root;          /* OBJECT for a page; ABSENT for an empty reply */
  WgFeedType     changes_type;
  WgFeedValue    next;
  WgFeedValue    has_more;
  WgFeedChange  *changes;
  guint          n_changes;
} WgFeedPage;

const char   *wg_feed_field_name   (WgFeedField        field);

WgFeedPage   *wg_feed_scan         (const char        *data,
                                    gsize              len,
                                    GError           **error);
gboolean      wg_feed_page_check   (const WgFeedPage  *page,
                                    GError           **error);
void          wg_feed_page_free    (WgFeedPage        *page);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgFeedPage, wg_feed_page_free)

G_END_DECLS
