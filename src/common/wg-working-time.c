/* wg-working-time.c — deadlines counted in working time, with China's holiday calendar
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Deadlines (urgent 2 h, general 7 days, …) count working time only: the official working
 * hours on working days. Which days work is not a weekday rule in China: the State Council
 * publishes each year the official holidays and the weekend days that become working days
 * (调休). The published years are built in; a deployment adds later years (or local
 * changes) through the holidays resource, which overrides the built-in days.
 *
 * All arithmetic happens in Beijing time, a fixed UTC+8 without daylight saving, so no
 * tz database is needed on the server.
 */
#define G_LOG_DOMAIN "WgWorkingTime"

#include "config.h"

#include <stdio.h>

#include "wg-working-time.h"

struct _WgWorkingCalendar
{
  GObject     parent_instance;

  /* owned */
  GHashTable *days;      /* julian day → WgDayKind, only the exceptions */
  GTimeZone  *tz;
};

G_DEFINE_FINAL_TYPE (WgWorkingCalendar, wg_working_calendar, G_TYPE_OBJECT)

/* Morning and afternoon sessions of a government office, in minutes after midnight. */
static const struct {
  int start;
  int end;
} sessions[] = {
  { 9 * 60, 12 * 60 },
  { 13 * 60, 18 * 60 },
};

/* The published calendars (国务院办公厅关于部分节假日安排的通知). Each entry is an
 * inclusive range of days of one kind. */
static const struct {
  const char *first;
  const char *last;
  WgDayKind   kind;
} official[] = {
  /* 2025 */
  { "2025-01-01", "2025-01-01", WG_DAY_KIND_HOLIDAY },   /* 元旦 */
  { "2025-01-28", "2025-02-04", WG_DAY_KIND_HOLIDAY },   /* 春节 */
  { "2025-01-26", "2025-01-26", WG_DAY_KIND_WORKDAY },
  { "2025-02-08", "2025-02-08", WG_DAY_KIND_WORKDAY },
  { "2025-04-04", "2025-04-06", WG_DAY_KIND_HOLIDAY },   /* 清明节 */
  { "2025-05-01", "2025-05-05", WG_DAY_KIND_HOLIDAY },   /* 劳动节 */
  { "2025-04-27", "2025-04-27", WG_DAY_KIND_WORKDAY },
  { "2025-05-31", "2025-06-02", WG_DAY_KIND_HOLIDAY },   /* 端午节 */
  { "2025-10-01", "2025-10-08", WG_DAY_KIND_HOLIDAY },   /* 国庆节、中秋节 */
  { "2025-09-28", "2025-09-28", WG_DAY_KIND_WORKDAY },
  { "2025-10-11", "2025-10-11", WG_DAY_KIND_WORKDAY },
  /* 2026 */
  { "2026-01-01", "2026-01-03", WG_DAY_KIND_HOLIDAY },   /* 元旦 */
  { "2026-01-04", "2026-01-04", WG_DAY_KIND_WORKDAY },
  { "2026-02-15", "2026-02-23", WG_DAY_KIND_HOLIDAY },   /* 春节 */
  { "2026-02-14", "2026-02-14", WG_DAY_KIND_WORKDAY },
  { "2026-02-28", "2026-02-28", WG_DAY_KIND_WORKDAY },
  { "2026-04-04", "2026-04-06", WG_DAY_KIND_HOLIDAY },   /* 清明节 */
  { "2026-05-01", "2026-05-05", WG_DAY_KIND_HOLIDAY },   /* 劳动节 */
  { "2026-05-09", "2026-05-09", WG_DAY_KIND_WORKDAY },
  { "2026-06-19", "2026-06-21", WG_DAY_KIND_HOLIDAY },   /* 端午节 */
  { "2026-09-25", "2026-09-27", WG_DAY_KIND_HOLIDAY },   /* 中秋节 */
  { "2026-10-01", "2026-10-07", WG_DAY_KIND_HOLIDAY },   /* 国庆节 */
  { "2026-09-20", "2026-09-20", WG_DAY_KIND_WORKDAY },
  { "2026-10-10", "2026-10-10", WG_DAY_KIND_WORKDAY },
};

/* Never search further than this for the end of a deadline: a calendar with every day
 * marked a holiday must not spin forever. */
#define MAX_DAYS_SCANNED (366 * 10)

static gboolean
parse_iso_date (const char *text,
                GDate      *out)
{
  int y, m, d;
  char tail;

  if (text == NULL || sscanf (text, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
    return FALSE;
  if (!g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

static void
load_official (WgWorkingCalendar *self)
{
  for (guint i = 0; i < G_N_ELEMENTS (official); i++)
    {
      GDate first, last;

      if (!parse_iso_date (official[i].first, &first) || !parse_iso_date (official[i].last, &last))
        g_assert_not_reached ();
      for (guint32 j = g_date_get_julian (&first); j <= g_date_get_julian (&last); j++)
        g_hash_table_insert (self->days, GUINT_TO_POINTER (j), GINT_TO_POINTER (official[i].kind));
    }
}

static gboolean
is_working_julian (WgWorkingCalendar *self,
                   guint32            julian)
{
  gpointer value;
  GDate date;

  if (g_hash_table_lookup_extended (self->days, GUINT_TO_POINTER (julian), NULL, &value))
    {
      WgDayKind kind = GPOINTER_TO_INT (value);

      if (kind == WG_DAY_KIND_HOLIDAY)
        return FALSE;
      if (kind == WG_DAY_KIND_WORKDAY)
        return TRUE;
    }
  g_date_clear (&date, 1);
  g_date_set_julian (&date, julian);
  return g_date_get_weekday (&date) < G_DATE_SATURDAY;
}

static void
wg_working_calendar_finalize (GObject *object)
{
  WgWorkingCalendar *self = (WgWorkingCalendar *)object;

  g_clear_pointer (&self->days, g_hash_table_unref);
  g_clear_pointer (&self->tz, g_time_zone_unref);

  G_OBJECT_CLASS (wg_working_calendar_parent_class)->finalize (object);
}

static void
wg_working_calendar_class_init (WgWorkingCalendarClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_working_calendar_finalize;
}

static void
wg_working_calendar_init (WgWorkingCalendar *self)
{
  self->days = g_hash_table_new (NULL, NULL);
  self->tz = g_time_zone_new_offset (8 * 3600);
  load_official (self);
}

/* Returns a calendar with the built-in official years loaded. */
WgWorkingCalendar *
wg_working_calendar_new (void)
{
  return g_object_new (WG_TYPE_WORKING_CALENDAR, NULL);
}

/* Forgets the built-in days too, for a deployment that keeps its whole calendar itself. */
void
wg_working_calendar_clear (WgWorkingCalendar *self)
{
  g_return_if_fail (WG_IS_WORKING_CALENDAR (self));

  g_hash_table_remove_all (self->days);
}

void
wg_working_calendar_set_day (WgWorkingCalendar *self,
                             GDateYear          year,
                             GDateMonth         month,
                             GDateDay           day,
                             WgDayKind          kind)
{
  GDate date;

  g_return_if_fail (WG_IS_WORKING_CALENDAR (self));
  g_return_if_fail (g_date_valid_dmy (day, month, year));

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  if (kind == WG_DAY_KIND_DEFAULT)
    g_hash_table_remove (self->days, GUINT_TO_POINTER (g_date_get_julian (&date)));
  else
    g_hash_table_insert (self->days, GUINT_TO_POINTER (g_date_get_julian (&date)), GINT_TO_POINTER (kind));
}

/* Like set_day() with a "YYYY-MM-DD" date; returns FALSE when the text is no such date. */
gboolean
wg_working_calendar_set_day_iso (WgWorkingCalendar *self,
                                 const char        *date,
                                 WgDayKind          kind)
{
  GDate parsed;

  g_return_val_if_fail (WG_IS_WORKING_CALENDAR (self), FALSE);

  if (!parse_iso_date (date, &parsed))
    return FALSE;
  wg_working_calendar_set_day (self, g_date_get_year (&parsed), g_date_get_month (&parsed),
                               g_date_get_day (&parsed), kind);
  return TRUE;
}

gboolean
wg_working_calendar_is_working_day (WgWorkingCalendar *self,
                                    GDateYear          year,
                                    GDateMonth         month,
                                    GDateDay           day)
{
  GDate date;

  g_return_val_if_fail (WG_IS_WORKING_CALENDAR (self), FALSE);
  g_return_val_if_fail (g_date_valid_dmy (day, month, year), FALSE);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return is_working_julian (self, g_date_get_julian (&date));
}

GTimeZone *
wg_working_calendar_get_timezone (WgWorkingCalendar *self)
{
  g_return_val_if_fail (WG_IS_WORKING_CALENDAR (self), NULL);

  return self->tz;
}

static GDateTime *
local_midnight (WgWorkingCalendar *self,
                GDateTime         *local)
{
  return g_date_time_new (self->tz,
                          g_date_time_get_year (local),
                          g_date_time_get_month (local),
                          g_date_time_get_day_of_month (local), 0, 0, 0);
}

/* Returns the instant `minutes` working minutes after `start` (in UTC). A start outside
 * working hours counts from the next working session; a deadline that ends exactly at the
 * end of a session stays there instead of jumping to the next morning. */
GDateTime *
wg_working_calendar_add_minutes (WgWorkingCalendar *self,
                                 GDateTime         *start,
                                 gint64             minutes)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  gint64 remaining = minutes;
  gint64 cursor;          /* seconds after local midnight of the day being scanned */

  g_return_val_if_fail (WG_IS_WORKING_CALENDAR (self), NULL);
  g_return_val_if_fail (start != NULL, NULL);
  g_return_val_if_fail (minutes >= 0, NULL);

  local = g_date_time_to_timezone (start, self->tz);
  midnight = local_midnight (self, local);
  cursor = g_date_time_difference (local, midnight) / G_TIME_SPAN_SECOND;

  if (remaining == 0)
    return g_date_time_to_utc (start);

  for (guint n = 0; n < MAX_DAYS_SCANNED; n++)
    {
      guint32 julian;
      GDate date;
      g_autoptr(GDateTime) next = NULL;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (midnight),
                      g_date_time_get_month (midnight), g_date_time_get_year (midnight));
      julian = g_date_get_julian (&date);

      if (is_working_julian (self, julian))
        {
          for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
            {
              gint64 s = (gint64) sessions[i].start * 60;
              gint64 e = (gint64) sessions[i].end * 60;
              gint64 from = MAX (cursor, s);

              if (from >= e)
                continue;
              if (remaining * 60 <= e - from)
                {
                  g_autoptr(GDateTime) end = g_date_time_add_seconds (midnight, (double) (from + remaining * 60));
                  return g_date_time_to_utc (end);
                }
              remaining -= (e - from) / 60;
              cursor = e;
            }
        }
      next = g_date_time_add_days (midnight, 1);
      g_clear_pointer (&midnight, g_date_time_unref);
      midnight = g_steal_pointer (&next);
      cursor = 0;
    }

  g_warning ("No working time found in %d days after the start; is every day a holiday?",
             MAX_DAYS_SCANNED);
  return g_date_time_add_days (start, MAX_DAYS_SCANNED);
}

/* Working minutes between two instants: how much working time is left before a deadline
 * (0 when end is not after start). */
gint64
wg_working_calendar_minutes_between (WgWorkingCalendar *self,
                                     GDateTime         *start,
                                     GDateTime         *end)
{
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) local_end = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  gint64 total = 0;
  gint64 cursor;

  g_return_val_if_fail (WG_IS_WORKING_CALENDAR (self), 0);
  g_return_val_if_fail (start != NULL && end != NULL, 0);

  if (g_date_time_compare (end, start) <= 0)
    return 0;

  local = g_date_time_to_timezone (start, self->tz);
  local_end = g_date_time_to_timezone (end, self->tz);
  midnight = local_midnight (self, local);
  cursor = g_date_time_difference (local, midnight) / G_TIME_SPAN_SECOND;

  for (guint n = 0; n < MAX_DAYS_SCANNED && g_date_time_compare (midnight, local_end) <= 0; n++)
    {
      gint64 limit = g_date_time_difference (local_end, midnight) / G_TIME_SPAN_SECOND;
      GDate date;
      g_autoptr(GDateTime) next = NULL;

      g_date_clear (&date, 1);
      g_date_set_dmy (&date, g_date_time_get_day_of_month (midnight),
                      g_date_time_get_month (midnight), g_date_time_get_year (midnight));
      if (is_working_julian (self, g_date_get_julian (&date)))
        {
          for (guint i = 0; i < G_N_ELEMENTS (sessions); i++)
            {
              gint64 s = MAX ((gint64) sessions[i].start * 60, cursor);
              gint64 e = MIN ((gint64) sessions[i].end * 60, limit);

              if (e > s)
                total += e - s;
            }
        }
      next = g_date_time_add_days (midnight, 1);
      g_clear_pointer (&midnight, g_date_time_unref);
      midnight = g_steal_pointer (&next);
      cursor = 0;
    }

  return total / 60;
}

/* The working minutes a case gets to be handled once dispatched: its category's time limit
 * (@category_value in @category_unit, "days" or "hours"; 0 when the category sets none),
 * else by urgency (Beijing 12345 practice: high 3 days, normal 7, low 15), and never more
 * than two working hours when urgent. Server, demo and the dispatch dialog all use this. */
gint64
wg_handling_minutes (const char *urgency,
                     gint64      category_value,
                     const char *category_unit)
{
  gint64 minutes = 7 * WG_WORKING_MINUTES_PER_DAY;

  if (g_strcmp0 (urgency, "high") == 0)
    minutes = 3 * WG_WORKING_MINUTES_PER_DAY;
  else if (g_strcmp0 (urgency, "low") == 0)
    minutes = 15 * WG_WORKING_MINUTES_PER_DAY;
  if (category_value > 0)
    minutes = category_value * (g_strcmp0 (category_unit, "days") == 0 ? WG_WORKING_MINUTES_PER_DAY : 60);
  if (g_strcmp0 (urgency, "urgent") == 0)
    minutes = MIN (minutes, 120);
  return minutes;
}
