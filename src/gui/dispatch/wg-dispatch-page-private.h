/* wg-dispatch-page-private.h — the dispatcher's queue: its insides, shared by its files
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-case-detail.h"
#include "wg-case-views.h"
#include "wg-dispatch-page.h"
#include "wg-record-list.h"

G_BEGIN_DECLS

/* A filter set kept under a name, with the view it narrows and the search. */
typedef struct
{
  char         *id;
  char         *name;
  char         *view_id;       /* a built-in view */
  char         *search;
  WgCaseFilter *filter;
  GtkLabel     *count_label;   /* borrowed: in the views list */
} WgSavedView;

/* What a filter drop-down shows: "any" first, then these ids with their names. */
typedef struct
{
  GtkDropDown *dropdown;       /* borrowed: a template child */
  GStrv        ids;            /* behind the entries after "any" */
} WgFilterChoice;

/* A grid, for the grid filter that follows the chosen village. */
typedef struct
{
  char *id;
  char *village_id;
} WgGridEntry;

typedef enum
{
  FILTER_VILLAGE,
  FILTER_GRID,
  FILTER_CATEGORY,
  FILTER_URGENCY,
  FILTER_SOURCE,
  FILTER_ASSIGNEE,
  N_FILTERS
} WgFilterKind;

struct _WgDispatchPage
{
  AdwBin             parent_instance;

  /* Template widgets */
  AdwNavigationView *navigation;
  AdwNavigationPage *detail_page;
  GtkListBox        *views_list;
  GtkDropDown       *views_dropdown;
  GtkDropDown       *village_filter;
  GtkDropDown       *grid_filter;
  GtkDropDown       *category_filter;
  GtkDropDown       *urgency_filter;
  GtkDropDown       *source_filter;
  GtkDropDown       *assignee_filter;
  GtkDropDown       *date_filter;
  GtkWidget         *custom_dates;
  GtkMenuButton     *from_button;
  GtkMenuButton     *to_button;
  GtkCalendar       *from_calendar;
  GtkCalendar       *to_calendar;
  GtkMenuButton     *filters_button;
  GtkLabel          *filters_badge;
  GtkMenuButton     *queue_menu_button;
  GtkSearchEntry    *search_entry;
  GtkStack          *content_stack;
  GtkScrolledWindow *queue_scroller;
  GtkColumnView     *column_view;
  AdwStatusPage     *empty_page;
  GtkRevealer       *bulk_revealer;
  GtkLabel          *bulk_label;
  GtkButton         *bulk_accept_button;
  GtkButton         *bulk_dispatch_button;
  GtkRevealer       *detail_revealer;
  AdwBin            *wide_detail_slot;
  AdwBin            *narrow_detail_slot;
  GtkLabel          *detail_title;
  WgCaseDetail      *detail;

  /* Owned */
  WgSession         *session;
  WgStore           *store;
  GSettings         *settings;
  char              *selected_id;
  GDateTime         *opened_at;        /* urgent reports after this are notified */
  GDateTime         *overdue_checked;  /* cases going overdue after this are notified */
  GHashTable        *notified;         /* notification ids already sent */
  char              *pending_show;     /* a case to select once the queue has it */
  guint              select_source;    /* selects it after the list's change is over */
  gboolean           reselect;         /* the selected case moved: select it where it is */
  WgRecordList      *cases;
  GtkMultiSelection *selection;
  GHashTable        *names;            /* record id → name */
  GPtrArray         *grids;            /* GridEntry, in name order */
  WgFilterChoice     choices[N_FILTERS];
  WgCaseFilter      *filter;
  GPtrArray         *saved_views;      /* WgSavedView */
  GHashTable        *count_labels;     /* view id → GtkLabel (borrowed) */
  GHashTable        *bound_cells;      /* GtkListItem → column, the cells drawn now */
  GHashTable        *fresh;            /* case id → when its highlight ends (monotonic µs) */
  GSimpleActionGroup *column_actions;
  GCancellable      *cancellable;
  char              *view_id;          /* the row chosen: a built-in view or a saved one */
  guint              counts_source;
  guint              grids_source;    /* the grid drop-down refilled for another village */
  guint              tick_source;
  gint64             tick_minute;       /* of the queue's clock, in minutes since 1970 */
  guint              fresh_source;
  guint              widths_source;
  guint              pressed_position; /* a case clicked at narrow widths, to open */
  gboolean           names_stale;
  gboolean           syncing_filters;  /* the drop-downs are being set from the filter */
  gboolean           narrow;
  gboolean           resorting;        /* the sort is being set to one column */
  gboolean           scroll_to_top;    /* another view, filter or order: start at its top */
};

/* wg-dispatch-page.c */
void        _wg_dispatch_page_update_filter   (WgDispatchPage *self);
void        _wg_dispatch_page_schedule_load   (WgDispatchPage *self,
                                               gboolean        names);
const char *_wg_dispatch_page_name_of         (WgDispatchPage *self,
                                               const char     *id);
WgRecord   *_wg_dispatch_page_get_single      (WgDispatchPage *self);
void        _wg_dispatch_page_toast           (WgDispatchPage *self,
                                               const char     *text);
void        _wg_dispatch_page_check_overdue   (WgDispatchPage *self);

/* wg-dispatch-page-filters.c */
void        _wg_dispatch_page_filters_init    (WgDispatchPage *self);
void        _wg_dispatch_page_filters_class_init (GtkWidgetClass *widget_class);
void        _wg_dispatch_page_filters_dispose (WgDispatchPage *self);
void        _wg_dispatch_page_fill_choices    (WgDispatchPage *self,
                                               GHashTable     *names,
                                               GPtrArray      *villages,
                                               GPtrArray      *categories,
                                               GPtrArray      *assignees,
                                               GHashTable     *assignee_labels);
void        _wg_dispatch_page_show_filter     (WgDispatchPage *self);
char       *_wg_dispatch_page_build_where     (WgDispatchPage *self,
                                               const char     *view_id,
                                               const WgCaseFilter *filter,
                                               const char     *search,
                                               GDateTime      *now,
                                               char          **out_query);

/* wg-dispatch-page-columns.c */
void        _wg_dispatch_page_columns_init    (WgDispatchPage *self);
void        _wg_dispatch_page_columns_dispose (WgDispatchPage *self);
void        _wg_dispatch_page_apply_sort      (WgDispatchPage *self);
void        _wg_dispatch_page_mark_fresh      (WgDispatchPage *self,
                                               guint           position,
                                               guint           n_items);
void        _wg_dispatch_page_refresh_cells   (WgDispatchPage *self,
                                               gboolean        deadlines_only);
void        _wg_dispatch_page_start_tick      (WgDispatchPage *self);

/* wg-dispatch-page-bulk.c */
void        _wg_dispatch_page_bulk_class_init (GtkWidgetClass *widget_class);
void        _wg_dispatch_page_update_bulk     (WgDispatchPage *self);

G_END_DECLS
