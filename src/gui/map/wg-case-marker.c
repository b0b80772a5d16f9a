/* wg-case-marker.c — cases as the map marks them: where, in which state, how pressing
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A marker's fill is the dispatch queue's view the case sits in (New, To Dispatch, …), named
 * with the queue's own titles; its ring is what the queue colours red or amber: red for urgent
 * or overdue, amber for high urgency or a deadline near. The fills are cool hues (blue, purple,
 * teal, slate, green) so they stand apart from the warm ramp the grids are coloured with, and
 * the rings keep the queue's red and amber.
 */
#define G_LOG_DOMAIN "WgCaseMarker"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "wg-case-marker.h"
#include "wg-case-views.h"
#include "wg-labels.h"

#define RGB(hex) { ((hex) >> 16 & 0xff) / 255.f, ((hex) >> 8 & 0xff) / 255.f, ((hex) & 0xff) / 255.f, 1.f }

static const WgMapColour group_light[WG_MARKER_N_GROUPS] = {
  RGB (0x1c71d8), RGB (0x813d9c), RGB (0x1a8599), RGB (0x5e7186), RGB (0x26a269), RGB (0xc64f8f), RGB (0x9a9996),
};
static const WgMapColour group_dark[WG_MARKER_N_GROUPS] = {
  RGB (0x62a0ea), RGB (0xc08fdb), RGB (0x4fc1d4), RGB (0x9aa9b9), RGB (0x4cc38a), RGB (0xf08cc0), RGB (0x77767b),
};
static const WgMapColour attention_light[WG_MARKER_N_ATTENTIONS] = {
  RGB (0xffffff), RGB (0xe5a50a), RGB (0xe01b24),
};
static const WgMapColour attention_dark[WG_MARKER_N_ATTENTIONS] = {
  RGB (0xdeddda), RGB (0xf8c640), RGB (0xff6b6b),
};

#undef RGB

/* The queue view each group stands for; escalated cases have no view of their own there. */
static const char * const group_views[WG_MARKER_N_GROUPS] = {
  "new", "to-dispatch", "dispatched", "in-progress", "to-verify", NULL, "closed",
};

static const struct
{
  const char *id;
  const char *title;
} cases_filters[] = {
  [WG_MAP_CASES_NONE] = { "none", NC_("cases on the map", "Cases: None") },
  [WG_MAP_CASES_OPEN] = { "open", NC_("cases on the map", "Cases: Open") },
  [WG_MAP_CASES_MONTH] = { "month", NC_("cases on the map", "Cases: Last 30 Days") },
};

const char *
wg_map_cases_to_string (WgMapCases cases)
{
  g_return_val_if_fail ((guint) cases <= WG_MAP_CASES_LAST, NULL);

  return cases_filters[cases].id;
}

gboolean
wg_map_cases_from_string (const char *string,
                          WgMapCases *out_cases)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases_filters); i++)
    if (g_strcmp0 (cases_filters[i].id, string) == 0)
      {
        *out_cases = (WgMapCases) i;
        return TRUE;
      }
  return FALSE;
}

const char *
wg_map_cases_get_title (WgMapCases cases)
{
  g_return_val_if_fail ((guint) cases <= WG_MAP_CASES_LAST, NULL);

  return g_dpgettext2 (NULL, "cases on the map", cases_filters[cases].title);
}

WgMarkerGroup
wg_marker_group_for_state (const char *state)
{
  static const struct
  {
    const char    *state;
    WgMarkerGroup  group;
  } groups[] = {
    { "new", WG_MARKER_NEW },
    { "reported", WG_MARKER_NEW },
    { "accepted", WG_MARKER_TO_DISPATCH },
    { "dispatched", WG_MARKER_NOT_CLAIMED },
    { "claimed", WG_MARKER_IN_PROGRESS },
    { "in_progress", WG_MARKER_IN_PROGRESS },
    { "resolved", WG_MARKER_TO_VERIFY },
    { "verified", WG_MARKER_TO_VERIFY },
    { "escalated", WG_MARKER_ESCALATED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (g_strcmp0 (groups[i].state, state) == 0)
      return groups[i].group;
  /* closed, rejected, merged, and anything this build does not know */
  return WG_MARKER_CLOSED;
}

const char *
wg_marker_group_get_title (WgMarkerGroup group)
{
  g_return_val_if_fail ((guint) group < WG_MARKER_N_GROUPS, NULL);

  if (group_views[group] == NULL)
    return wg_label_case_state ("escalated");
  return wg_case_view_get_title (wg_case_views_find (group_views[group]));
}

void
wg_marker_group_colour (WgMarkerGroup  group,
                        gboolean       dark,
                        WgMapColour   *out_colour)
{
  g_return_if_fail ((guint) group < WG_MARKER_N_GROUPS);
  g_return_if_fail (out_colour != NULL);

  *out_colour = dark ? group_dark[group] : group_light[group];
}

/* Red where the queue shows red (urgent, or past the deadline), amber where it shows amber
 * (high urgency, or the deadline within a quarter of a day); finished cases are calm. */
WgMarkerAttention
wg_marker_attention_for (const char *state,
                         const char *urgency,
                         const char *deadline,
                         GDateTime  *now)
{
  WgDeadlineState due;
  WgMarkerGroup group = wg_marker_group_for_state (state);

  if (group == WG_MARKER_CLOSED || group == WG_MARKER_ESCALATED)
    return WG_MARKER_CALM;
  due = now != NULL ? wg_case_deadline_state (state, deadline, now, NULL) : WG_DEADLINE_NONE;
  if (g_strcmp0 (urgency, "urgent") == 0 || due == WG_DEADLINE_OVERDUE)
    return WG_MARKER_ALERT;
  if (g_strcmp0 (urgency, "high") == 0 || due == WG_DEADLINE_APPROACHING)
    return WG_MARKER_WARNING;
  return WG_MARKER_CALM;
}

const char *
wg_marker_attention_get_title (WgMarkerAttention attention)
{
  switch (attention)
    {
    case WG_MARKER_ALERT:
      return _("Urgent or overdue");
    case WG_MARKER_WARNING:
      return _("High urgency or due soon");
    case WG_MARKER_CALM:
    default:
      return _("Normal");
    }
}

void
wg_marker_attention_colour (WgMarkerAttention  attention,
                            gboolean           dark,
                            WgMapColour       *out_colour)
{
  g_return_if_fail ((guint) attention < WG_MARKER_N_ATTENTIONS);
  g_return_if_fail (out_colour != NULL);

  *out_colour = dark ? attention_dark[attention] : attention_light[attention];
}

static void
marker_clear (gpointer data)
{
  WgCaseMarker *marker = data;

  g_clear_pointer (&marker->id, g_free);
  g_clear_pointer (&marker->number, g_free);
  g_clear_pointer (&marker->title, g_free);
  g_clear_pointer (&marker->grid_id, g_free);
  g_clear_pointer (&marker->state, g_free);
  g_clear_pointer (&marker->urgency, g_free);
  g_clear_pointer (&marker->deadline, g_free);
}

/**
 * wg_case_markers_new:
 *
 * Returns: (transfer full): an empty #GArray of #WgCaseMarker that frees its markers' strings
 */
GArray *
wg_case_markers_new (void)
{
  GArray *markers = g_array_new (FALSE, TRUE, sizeof (WgCaseMarker));

  g_array_set_clear_func (markers, marker_clear);
  return markers;
}

/* Adds a marker; its group and attention follow from the state, urgency and deadline at @now. */
void
wg_case_markers_add (GArray     *markers,
                     const char *id,
                     const char *number,
                     const char *title,
                     const char *grid_id,
                     const char *state,
                     const char *urgency,
                     const char *deadline,
                     double      lon,
                     double      lat,
                     GDateTime  *now)
{
  WgCaseMarker marker;

  g_return_if_fail (markers != NULL);
  g_return_if_fail (id != NULL);

  marker = (WgCaseMarker) {
    g_strdup (id), g_strdup (number), g_strdup (title), g_strdup (grid_id),
    g_strdup (state), g_strdup (urgency), g_strdup (deadline), lon, lat,
    wg_marker_group_for_state (state), wg_marker_attention_for (state, urgency, deadline, now),
  };
  g_array_append_val (markers, marker);
}

/* Most pressing first, then the newest (numbers grow with time). */
int
wg_case_marker_compare (const WgCaseMarker *a,
                        const WgCaseMarker *b)
{
  if (a->attention != b->attention)
    return a->attention > b->attention ? -1 : 1;
  if ((a->group == WG_MARKER_CLOSED) != (b->group == WG_MARKER_CLOSED))
    return a->group == WG_MARKER_CLOSED ? 1 : -1;
  return -g_strcmp0 (a->number, b->number);
}

/* "2026-000123 · In progress · Urgent · 2 hours overdue", for a row or a tooltip. */
char *
wg_case_marker_describe (const WgCaseMarker *marker,
                         GDateTime          *now)
{
  /* Translators: between the parts of a case's description on the map, "2026-000123 · 处理中 · 紧急" */
  const char *separator = C_("case parts", " · ");
  GString *text = g_string_new (marker->number != NULL ? marker->number : "");
  g_autofree char *due = NULL;

  g_string_append_printf (text, "%s%s", separator, wg_label_case_state (marker->state));
  g_string_append_printf (text, "%s%s", separator, wg_label_urgency (marker->urgency));
  if (now != NULL && wg_case_deadline_state (marker->state, marker->deadline, now, &due) != WG_DEADLINE_NONE)
    g_string_append_printf (text, "%s%s", separator, due);
  return g_string_free (text, FALSE);
}
