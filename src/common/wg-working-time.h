/* wg-working-time.h — deadlines counted in working time, with China's holiday calendar
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  WG_DAY_KIND_DEFAULT,   /* Monday to Friday work, weekends rest */
  WG_DAY_KIND_HOLIDAY,   /* an official day off, weekday or not */
  WG_DAY_KIND_WORKDAY,   /* 调休: a weekend day that becomes a working day */
} WgDayKind;

/* Working hours of the day, minutes after local midnight (Beijing time). */
#define WG_WORKING_MINUTES_PER_DAY 480

#define WG_TYPE_WORKING_CALENDAR (wg_working_calendar_get_type ())
G_DECLARE_FINAL_TYPE (WgWorkingCalendar, wg_working_calendar, WG, WORKING_CALENDAR, GObject)

WgWorkingCalendar *wg_working_calendar_new             (void);
void               wg_working_calendar_clear           (WgWorkingCalendar *self);
void               wg_working_calendar_set_day         (WgWorkingCalendar *self,
                                                        GDateYear          year,
                                                        GDateMonth         month,
                                                        GDateDay           day,
                                                        WgDayKind          kind);
gboolean           wg_working_calendar_set_day_iso     (WgWorkingCalendar *self,
                                                        const char        *date,
                                                        WgDayKind          kind);
gboolean           wg_working_calendar_is_working_day  (WgWorkingCalendar *self,
                                                        GDateYear          year,
                                                        GDateMonth         month,
                                                        GDateDay           day);
GDateTime         *wg_working_calendar_add_minutes     (WgWorkingCalendar *self,
                                                        GDateTime         *start,
                                                        gint64             minutes);
gint64             wg_working_calendar_minutes_between (WgWorkingCalendar *self,
                                                        GDateTime         *start,
                                                        GDateTime         *end);
GTimeZone         *wg_working_calendar_get_timezone    (WgWorkingCalendar *self);

gint64             wg_handling_minutes                 (const char        *urgency,
                                                        gint64             category_value,
                                                        const char        *category_unit);

G_END_DECLS
