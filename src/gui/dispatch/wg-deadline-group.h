/* wg-deadline-group.h — a deadline chosen by date and time, read in working time
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-store.h"
#include "wg-working-time.h"

G_BEGIN_DECLS

#define WG_TYPE_DEADLINE_GROUP (wg_deadline_group_get_type ())

G_DECLARE_FINAL_TYPE (WgDeadlineGroup, wg_deadline_group, WG, DEADLINE_GROUP, AdwPreferencesGroup)

GtkWidget         *wg_deadline_group_new             (WgWorkingCalendar *calendar);
GDateTime         *wg_deadline_group_get_deadline    (WgDeadlineGroup   *self);
void               wg_deadline_group_set_deadline    (WgDeadlineGroup   *self,
                                                      GDateTime         *deadline);
void               wg_deadline_group_set_base        (WgDeadlineGroup   *self,
                                                      GDateTime         *base);
gboolean           wg_deadline_group_get_valid       (WgDeadlineGroup   *self);
gint64             wg_deadline_group_get_added_minutes (WgDeadlineGroup *self);

WgWorkingCalendar *wg_deadline_load_calendar         (WgStore           *store);
gint64             wg_deadline_proposal_minutes      (JsonObject        *category,
                                                      const char        *urgency);
char              *wg_deadline_format_working_time   (gint64             minutes);

G_END_DECLS
