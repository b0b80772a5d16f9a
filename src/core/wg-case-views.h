/* wg-case-views.h — the dispatcher's views of the queue, and how a deadline reads
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

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

const WgCaseView *wg_case_views_get          (guint            *n_views);
const WgCaseView *wg_case_views_find         (const char       *id);
const char       *wg_case_view_get_title     (const WgCaseView *view);
const char       *wg_case_search_where       (void);
char             *wg_case_filter_where       (const WgCaseView *view,
                                              gboolean          search,
                                              const char       *village_id,
                                              const char       *category_id,
                                              const char       *urgency);

WgDeadlineState   wg_case_deadline_state     (const char       *state,
                                              const char       *deadline,
                                              GDateTime        *now,
                                              char            **out_text);

gboolean          wg_case_wants_attention    (const char       *state,
                                              const char       *urgency,
                                              const char       *created_at,
                                              GDateTime        *since);

char             *wg_case_format_time        (const char       *when);

const char       *wg_label_urgency           (const char       *urgency);
const char       *wg_label_source            (const char       *source);

G_END_DECLS
