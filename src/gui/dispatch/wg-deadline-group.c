/* wg-deadline-group.c — a deadline chosen by date and time, read in working time
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Used by the dispatch dialog (the deadline a case gets) and the extension dialog (the new
 * deadline). The date and time are Beijing time, the time the working calendar counts in;
 * below them the choice is said in working time ("due in 3 working days"), the way the
 * township's rules state deadlines, or why it cannot be taken (in the past, not later than
 * the current deadline, no working time before it).
 */
#define G_LOG_DOMAIN "WgDeadlineGroup"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-deadline-group.h"

struct _WgDeadlineGroup
{
  AdwPreferencesGroup  parent_instance;

  /* Children */
  GtkMenuButton       *date_button;
  GtkPopover          *date_popover;
  GtkCalendar         *calendar;
  GtkSpinButton       *hour;
  GtkSpinButton       *minute;
  GtkLabel            *message;

  /* Owned */
  WgWorkingCalendar   *working;
  GDateTime           *deadline;      /* Beijing time */
  GDateTime           *base;          /* the deadline an extension starts from, or NULL */

  gint64               added;         /* working minutes from the base (or now) to the deadline */
  gboolean             valid;
  gboolean             updating;
  int                  pressed_day;
};

G_DEFINE_FINAL_TYPE (WgDeadlineGroup, wg_deadline_group, ADW_TYPE_PREFERENCES_GROUP)

enum {
  PROP_0,
  PROP_DEADLINE,
  PROP_VALID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* --- working time in words ------------------------------------------------------------------- */

/* "3 working days 2 hours", "5 hours 30 minutes": a working day is the office's eight hours. */
char *
wg_deadline_format_working_time (gint64 minutes)
{
  int days = (int) (minutes / WG_WORKING_MINUTES_PER_DAY);
  int hours = (int) ((minutes % WG_WORKING_MINUTES_PER_DAY) / 60);
  int rest = (int) (minutes % 60);
  g_autofree char *day_text = NULL;
  g_autofree char *hour_text = NULL;
  g_autofree char *minute_text = NULL;

  if (days > 0)
    day_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d working day", "%d working days", days), days);
  if (hours > 0)
    hour_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour", "%d hours", hours), hours);
  if (rest > 0 && days == 0)
    minute_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", rest), rest);

  if (day_text != NULL && hour_text != NULL)
    /* Translators: an amount of working time, "3 working days 2 hours" */
    return g_strdup_printf (C_("working time", "%s %s"), day_text, hour_text);
  if (hour_text != NULL && minute_text != NULL)
    return g_strdup_printf (C_("working time", "%s %s"), hour_text, minute_text);
  if (day_text != NULL)
    return g_steal_pointer (&day_text);
  if (hour_text != NULL)
    return g_steal_pointer (&hour_text);
  if (minute_text != NULL)
    return g_steal_pointer (&minute_text);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute", "%d minutes", 0), 0);
}

/* The official calendar built in, changed by the township's holidays as synced. */
WgWorkingCalendar *
wg_deadline_load_calendar (WgStore *store)
{
  WgWorkingCalendar *calendar = wg_working_calendar_new ();
  g_autoptr(GPtrArray) holidays = NULL;

  g_return_val_if_fail (WG_IS_STORE (store), calendar);

  holidays = wg_store_list_records (store, "holidays", NULL);
  for (guint i = 0; holidays != NULL && i < holidays->len; i++)
    {
      JsonObject *day = holidays->pdata[i];
      const char *date = json_object_get_string_member_with_default (day, "date", NULL);
      const char *kind = json_object_get_string_member_with_default (day, "kind", NULL);

      if (date != NULL)
        wg_working_calendar_set_day_iso (calendar, date,
                                         g_strcmp0 (kind, "workday") == 0 ? WG_DAY_KIND_WORKDAY : WG_DAY_KIND_HOLIDAY);
    }
  return calendar;
}

/* The handling time the server gives a case dispatched without a deadline
 * (wg_handling_minutes ()): the dispatch dialog proposes the same. */
gint64
wg_deadline_proposal_minutes (JsonObject *category,
                              const char *urgency)
{
  gint64 value = 0;

  if (category != NULL && json_object_has_member (category, "deadline_value") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (category, "deadline_value")))
    value = json_object_get_int_member (category, "deadline_value");
  return wg_handling_minutes (urgency, value,
                              category != NULL ? json_object_get_string_member_with_default (category, "deadline_unit", "hours") : NULL);
}

/* --- the choice ------------------------------------------------------------------------------ */

static void
set_message (WgDeadlineGroup *self,
             const char      *text,
             gboolean         error)
{
  gtk_label_set_label (self->message, text);
  if (error)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->message), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->message), "dim-label");
    }
}

static void
check (WgDeadlineGroup *self)
{
  GTimeZone *tz = wg_working_calendar_get_timezone (self->working);
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  GDateTime *from = self->base != NULL && g_date_time_compare (self->base, now) > 0 ? self->base : now;
  gboolean was_valid = self->valid;

  self->valid = FALSE;
  self->added = 0;
  if (self->deadline == NULL)
    set_message (self, "", FALSE);
  else if (g_date_time_compare (self->deadline, now) <= 0)
    set_message (self, _("The deadline has to be in the future."), TRUE);
  else if (self->base != NULL && g_date_time_compare (self->deadline, self->base) <= 0)
    {
      /* Translators: a date and time, see GDateTime's format codes */
      g_autofree char *current = g_date_time_format (self->base, _("%Y-%m-%d %H:%M"));
      g_autofree char *text = g_strdup_printf (_("The new deadline has to be later than the current one, %s."), current);

      set_message (self, text, TRUE);
    }
  else if ((self->added = wg_working_calendar_minutes_between (self->working, from, self->deadline)) <= 0)
    set_message (self, _("No working time lies before this deadline: choose a later working day or hour."), TRUE);
  else
    {
      g_autofree char *amount = wg_deadline_format_working_time (self->added);
      /* Translators: %s is an amount of working time, "3 working days 2 hours" */
      g_autofree char *text = self->base != NULL
        ? g_strdup_printf (_("%s more than the current deadline."), amount)
        : g_strdup_printf (_("Due in %s."), amount);

      self->valid = TRUE;
      set_message (self, text, FALSE);
    }

  if (was_valid != self->valid)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

/* Shows the deadline in the widgets. */
static void
show (WgDeadlineGroup *self)
{
  g_autofree char *label = NULL;

  if (self->deadline == NULL)
    return;
  self->updating = TRUE;
  /* Translators: the deadline's date on its button, see GDateTime's format codes */
  label = g_date_time_format (self->deadline, _("%a %Y-%m-%d"));
  gtk_menu_button_set_label (self->date_button, label);
  gtk_calendar_select_day (self->calendar, self->deadline);
  gtk_spin_button_set_value (self->hour, g_date_time_get_hour (self->deadline));
  gtk_spin_button_set_value (self->minute, g_date_time_get_minute (self->deadline));
  self->updating = FALSE;
}

/* Reads the deadline back from the widgets after the person changed one. */
static void
read_widgets (WgDeadlineGroup *self)
{
  GDateTime *deadline;

  if (self->updating)
    return;
  deadline = g_date_time_new (wg_working_calendar_get_timezone (self->working),
                              gtk_calendar_get_year (self->calendar), gtk_calendar_get_month (self->calendar) + 1,
                              gtk_calendar_get_day (self->calendar),
                              gtk_spin_button_get_value_as_int (self->hour),
                              gtk_spin_button_get_value_as_int (self->minute), 0);
  if (deadline == NULL)
    return;
  g_clear_pointer (&self->deadline, g_date_time_unref);
  self->deadline = deadline;
  show (self);
  check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE]);
}

/* --- signal callbacks ------------------------------------------------------------------------ */

static void
changed_cb (WgDeadlineGroup *self)
{
  read_widgets (self);
}

static gboolean
two_digits_cb (GtkSpinButton *spin)
{
  char text[8];

  g_snprintf (text, sizeof text, "%02d", gtk_spin_button_get_value_as_int (spin));
  gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
calendar_pressed_cb (GtkGestureClick *gesture,
                     int              n_press,
                     double           x,
                     double           y,
                     WgDeadlineGroup *self)
{
  self->pressed_day = gtk_calendar_get_day (self->calendar);
}

/* A click on a day is a choice: the popover goes; arrows keep it open, Enter closes it. */
static void
calendar_released_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      WgDeadlineGroup *self)
{
  if (gtk_calendar_get_day (self->calendar) != self->pressed_day)
    gtk_popover_popdown (self->date_popover);
}

static gboolean
calendar_key_cb (GtkEventControllerKey *controller,
                 guint                  keyval,
                 guint                  keycode,
                 GdkModifierType        state,
                 WgDeadlineGroup       *self)
{
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      gtk_popover_popdown (self->date_popover);
      return TRUE;
    }
  return FALSE;
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_deadline_group_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  WgDeadlineGroup *self = WG_DEADLINE_GROUP (object);

  switch (prop_id)
    {
    case PROP_DEADLINE:
      g_value_set_boxed (value, self->deadline);
      break;

    case PROP_VALID:
      g_value_set_boolean (value, self->valid);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_deadline_group_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  WgDeadlineGroup *self = WG_DEADLINE_GROUP (object);

  switch (prop_id)
    {
    case PROP_DEADLINE:
      wg_deadline_group_set_deadline (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_deadline_group_finalize (GObject *object)
{
  WgDeadlineGroup *self = WG_DEADLINE_GROUP (object);

  g_clear_object (&self->working);
  g_clear_pointer (&self->deadline, g_date_time_unref);
  g_clear_pointer (&self->base, g_date_time_unref);

  G_OBJECT_CLASS (wg_deadline_group_parent_class)->finalize (object);
}

static void
wg_deadline_group_class_init (WgDeadlineGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = wg_deadline_group_get_property;
  object_class->set_property = wg_deadline_group_set_property;
  object_class->finalize = wg_deadline_group_finalize;

  properties[PROP_DEADLINE] =
    g_param_spec_boxed ("deadline", NULL, NULL, G_TYPE_DATE_TIME,
                        (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static GtkSpinButton *
time_spin (int         upper,
           const char *tooltip)
{
  GtkSpinButton *spin = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (0, upper, 1));

  gtk_spin_button_set_wrap (spin, TRUE);
  gtk_spin_button_set_numeric (spin, TRUE);
  /* Enter in the time confirms the dialog, as everywhere in it */
  gtk_spin_button_set_activates_default (spin, TRUE);
  gtk_editable_set_width_chars (GTK_EDITABLE (spin), 2);
  gtk_widget_set_valign (GTK_WIDGET (spin), GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (GTK_WIDGET (spin), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  g_signal_connect (spin, "output", G_CALLBACK (two_digits_cb), NULL);
  return spin;
}

static void
wg_deadline_group_init (WgDeadlineGroup *self)
{
  GtkWidget *date_row = adw_action_row_new ();
  GtkWidget *time_row = adw_action_row_new ();
  GtkWidget *colon = gtk_label_new (":");
  GtkWidget *times = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *click = gtk_gesture_click_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Deadline"));

  self->calendar = GTK_CALENDAR (gtk_calendar_new ());
  gtk_widget_set_name (GTK_WIDGET (self->calendar), "deadline-calendar");
  self->date_popover = GTK_POPOVER (gtk_popover_new ());
  gtk_popover_set_child (self->date_popover, GTK_WIDGET (self->calendar));
  self->date_button = GTK_MENU_BUTTON (gtk_menu_button_new ());
  gtk_widget_set_name (GTK_WIDGET (self->date_button), "deadline-date");
  gtk_widget_set_valign (GTK_WIDGET (self->date_button), GTK_ALIGN_CENTER);
  gtk_menu_button_set_popover (self->date_button, GTK_WIDGET (self->date_popover));
  gtk_menu_button_set_always_show_arrow (self->date_button, TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (date_row), _("Date"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (date_row), GTK_WIDGET (self->date_button));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (date_row), GTK_WIDGET (self->date_button));
  g_signal_connect_swapped (self->calendar, "day-selected", G_CALLBACK (changed_cb), self);
  g_signal_connect (key, "key-pressed", G_CALLBACK (calendar_key_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->calendar), key);
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
  g_signal_connect (click, "pressed", G_CALLBACK (calendar_pressed_cb), self);
  g_signal_connect (click, "released", G_CALLBACK (calendar_released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self->calendar), GTK_EVENT_CONTROLLER (click));

  self->hour = time_spin (23, _("Hour"));
  gtk_widget_set_name (GTK_WIDGET (self->hour), "deadline-hour");
  self->minute = time_spin (59, _("Minute"));
  gtk_widget_set_name (GTK_WIDGET (self->minute), "deadline-minute");
  g_signal_connect_swapped (self->hour, "value-changed", G_CALLBACK (changed_cb), self);
  g_signal_connect_swapped (self->minute, "value-changed", G_CALLBACK (changed_cb), self);
  gtk_box_append (GTK_BOX (times), GTK_WIDGET (self->hour));
  gtk_box_append (GTK_BOX (times), colon);
  gtk_box_append (GTK_BOX (times), GTK_WIDGET (self->minute));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (time_row), _("Time"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (time_row), times);

  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->message), "deadline-message");
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_widget_set_margin_top (GTK_WIDGET (self->message), 6);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->message), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Deadline"), -1);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), date_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), time_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->message));
}

/* --- public ---------------------------------------------------------------------------------- */

/* @calendar counts the working time (see wg_deadline_load_calendar ()). */
GtkWidget *
wg_deadline_group_new (WgWorkingCalendar *calendar)
{
  WgDeadlineGroup *self;

  g_return_val_if_fail (WG_IS_WORKING_CALENDAR (calendar), NULL);

  self = g_object_new (WG_TYPE_DEADLINE_GROUP, NULL);
  self->working = g_object_ref (calendar);
  return GTK_WIDGET (self);
}

GDateTime *
wg_deadline_group_get_deadline (WgDeadlineGroup *self)
{
  g_return_val_if_fail (WG_IS_DEADLINE_GROUP (self), NULL);

  return self->deadline;
}

/* Shows @deadline, in Beijing time to the minute. */
void
wg_deadline_group_set_deadline (WgDeadlineGroup *self,
                                GDateTime       *deadline)
{
  g_autoptr(GDateTime) local = NULL;

  g_return_if_fail (WG_IS_DEADLINE_GROUP (self));

  if (deadline != NULL)
    {
      local = g_date_time_to_timezone (deadline, wg_working_calendar_get_timezone (self->working));
      g_clear_pointer (&self->deadline, g_date_time_unref);
      self->deadline = g_date_time_new (wg_working_calendar_get_timezone (self->working),
                                        g_date_time_get_year (local), g_date_time_get_month (local),
                                        g_date_time_get_day_of_month (local), g_date_time_get_hour (local),
                                        g_date_time_get_minute (local), 0);
    }
  else
    g_clear_pointer (&self->deadline, g_date_time_unref);
  show (self);
  check (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEADLINE]);
}

/* For an extension: the current deadline, which the new one must pass; the working time is
 * then counted from it (or from now, when it has passed), as the server counts it. */
void
wg_deadline_group_set_base (WgDeadlineGroup *self,
                            GDateTime       *base)
{
  g_return_if_fail (WG_IS_DEADLINE_GROUP (self));

  g_clear_pointer (&self->base, g_date_time_unref);
  if (base != NULL)
    self->base = g_date_time_to_timezone (base, wg_working_calendar_get_timezone (self->working));
  check (self);
}

gboolean
wg_deadline_group_get_valid (WgDeadlineGroup *self)
{
  g_return_val_if_fail (WG_IS_DEADLINE_GROUP (self), FALSE);

  check (self);
  return self->valid;
}

/* Working minutes from the base (or now) to the deadline; 0 when it is not valid. */
gint64
wg_deadline_group_get_added_minutes (WgDeadlineGroup *self)
{
  g_return_val_if_fail (WG_IS_DEADLINE_GROUP (self), 0);

  check (self);
  return self->valid ? self->added : 0;
}
