/* wg-case-marker.h — cases as the map marks them: where, in which state, how pressing
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pure functions, no GTK: the tests check the grouping and the colours without a display.
 */
#pragma once

#include <glib.h>

#include "wg-map-metric.h"

G_BEGIN_DECLS

/* Which cases the map marks. */
typedef enum
{
  WG_MAP_CASES_NONE,
  WG_MAP_CASES_OPEN,
  WG_MAP_CASES_MONTH,
} WgMapCases;

#define WG_MAP_CASES_LAST WG_MAP_CASES_MONTH

/* A marker's colour: the dispatch queue's views, so the map and the queue say the same. */
typedef enum
{
  WG_MARKER_NEW,
  WG_MARKER_TO_DISPATCH,
  WG_MARKER_NOT_CLAIMED,
  WG_MARKER_IN_PROGRESS,
  WG_MARKER_TO_VERIFY,
  WG_MARKER_ESCALATED,
  WG_MARKER_CLOSED,
} WgMarkerGroup;

#define WG_MARKER_N_GROUPS (WG_MARKER_CLOSED + 1)

/* A marker's ring: the queue's "error" and "warning" for urgency and deadline together. */
typedef enum
{
  WG_MARKER_CALM,
  WG_MARKER_WARNING,     /* high urgency, or the deadline is near */
  WG_MARKER_ALERT,       /* urgent, or past the deadline */
} WgMarkerAttention;

#define WG_MARKER_N_ATTENTIONS (WG_MARKER_ALERT + 1)

typedef struct
{
  char              *id;
  char              *number;
  char              *title;
  char              *grid_id;
  char              *state;
  char              *urgency;
  char              *deadline;
  double             lon;
  double             lat;
  WgMarkerGroup      group;
  WgMarkerAttention  attention;
} WgCaseMarker;

const char        *wg_map_cases_to_string          (WgMapCases          cases);
gboolean           wg_map_cases_from_string        (const char         *string,
                                                    WgMapCases         *out_cases);
const char        *wg_map_cases_get_title          (WgMapCases          cases);

WgMarkerGroup      wg_marker_group_for_state       (const char         *state);
const char        *wg_marker_group_get_title       (WgMarkerGroup       group);
void               wg_marker_group_colour          (WgMarkerGroup       group,
                                                    gboolean            dark,
                                                    WgMapColour        *out_colour);
WgMarkerAttention  wg_marker_attention_for         (const char         *state,
                                                    const char         *urgency,
                                                    const char         *deadline,
                                                    GDateTime          *now);
const char        *wg_marker_attention_get_title   (WgMarkerAttention   attention);
void               wg_marker_attention_colour      (WgMarkerAttention   attention,
                                                    gboolean            dark,
                                                    WgMapColour        *out_colour);

GArray            *wg_case_markers_new             (void);
void               wg_case_markers_add             (GArray             *markers,
                                                    const char         *id,
                                                    const char         *number,
                                                    const char         *title,
                                                    const char         *grid_id,
                                                    const char         *state,
                                                    const char         *urgency,
                                                    const char         *deadline,
                                                    double              lon,
                                                    double              lat,
                                                    GDateTime          *now);
int                wg_case_marker_compare          (const WgCaseMarker *a,
                                                    const WgCaseMarker *b);
char              *wg_case_marker_describe         (const WgCaseMarker *marker,
                                                    GDateTime          *now);

G_END_DECLS
