/* wg-case-views.h — the dispatcher's views of the queue, and how a deadline reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "wg-working-time.h"

G_BEGIN_DECLS

typedef struct
{
  const char *id;
  const char *title;     /* untranslated; see wg_case_view_get_title () */
  const char *where;     /* SQL over the cases table */
} WgCaseView;

typedef enum
{
  WG_DEADLINE_NONE,
  WG_DEADLINE_OK,
  WG_DEADLINE_APPROACHING,
  WG_DEADLINE_OVERDUE,
} WgDeadlineState;

/* When a case was reported, in local days counted back from today. */
typedef enum
{
  WG_DATE_RANGE_ANY,
  WG_DATE_RANGE_TODAY,
  WG_DATE_RANGE_LAST_7_DAYS,
  WG_DATE_RANGE_LAST_30_DAYS,
  WG_DATE_RANGE_CUSTOM,
} WgDateRange;

/* The filters of the queue; NULL (or WG_DATE_RANGE_ANY) for "any". Ids are record ids. */
typedef struct
{
  char        *village_id;
  char        *grid_id;
  char        *category_id;
  char        *urgency;
  char        *source;
  char        *assignee_id;
  WgDateRange  range;
  char        *from;          /* custom range, YYYY-MM-DD local, inclusive; NULL: open */
  char        *to;
} WgCaseFilter;

const WgCaseView *wg_case_views_get          (guint              *n_views);
const WgCaseView *wg_case_views_find         (const char         *id);
const char       *wg_case_view_get_title     (const WgCaseView   *view);
char             *wg_case_view_where         (const WgCaseView   *view,
                                              GDateTime          *now);
const char       *wg_case_search_where       (void);

WgCaseFilter     *wg_case_filter_new         (void);
WgCaseFilter     *wg_case_filter_copy        (const WgCaseFilter *filter);
void              wg_case_filter_free        (WgCaseFilter       *filter);
void              wg_case_filter_clear       (WgCaseFilter       *filter);
gboolean          wg_case_filter_equal       (const WgCaseFilter *a,
                                              const WgCaseFilter *b);
guint             wg_case_filter_count_active (const WgCaseFilter *filter);
GVariant         *wg_case_filter_to_variant  (const WgCaseFilter *filter);
WgCaseFilter     *wg_case_filter_from_variant (GVariant          *variant);
gboolean          wg_case_filter_get_bounds  (const WgCaseFilter *filter,
                                              GDateTime          *now,
                                              char              **out_from,
                                              char              **out_until);
char             *wg_case_filter_where       (const WgCaseView   *view,
                                              gboolean            search,
                                              const WgCaseFilter *filter,
                                              GDateTime          *now);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgCaseFilter, wg_case_filter_free)

const char       *wg_case_sort_order_by      (const char         *column,
                                              gboolean            descending);

GDateTime        *wg_case_views_now          (void);
void              wg_case_views_set_clock_offset (GTimeSpan       offset);
WgWorkingCalendar *wg_case_views_get_calendar (void);
void              wg_case_views_set_calendar (WgWorkingCalendar  *calendar);

WgDeadlineState   wg_case_deadline_state     (const char         *state,
                                              const char         *deadline,
                                              GDateTime          *now,
                                              char              **out_text);
gboolean          wg_case_deadline_passed    (const char         *state,
                                              const char         *deadline,
                                              GDateTime          *after,
                                              GDateTime          *now);

gboolean          wg_case_wants_attention    (const char         *state,
                                              const char         *urgency,
                                              const char         *created_at,
                                              GDateTime          *since);

char             *wg_case_format_time        (const char         *when);

const char       *wg_label_urgency           (const char         *urgency);
const char       *wg_label_source            (const char         *source);

G_END_DECLS
