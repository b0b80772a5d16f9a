/* wg-case-nearby.c — open cases near a case that may report the same thing
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the case detail. Residents report the same broken lamp three times; before a
 * dispatcher accepts a report he wants to see the open cases at the same place: within
 * 200 m, reported from a week before this case on, the same category first, the nearest
 * next, five at most. Activating one selects it in the queue (app.show-case), where it can be
 * compared or merged. Queried in the local cache on a worker thread.
 */
#define G_LOG_DOMAIN "WgCaseNearby"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-case-nearby.h"
#include "wg-geometry.h"
#include "wg-json.h"
#include "wg-labels.h"

#define NEARBY_RADIUS_M 200
#define NEARBY_DAYS     7
#define NEARBY_LIMIT    5

struct _WgCaseNearby
{
  AdwBin        parent_instance;

  /* Children */
  GtkWidget    *group;

  /* Owned */
  WgSession    *session;
  char         *case_id;
  char         *category_id;
  char         *since;          /* RFC 3339, UTC, as the server writes times */
  double        lon;
  double        lat;
  GCancellable *cancellable;
  gboolean      loading;
  gboolean      loaded;
};

G_DEFINE_FINAL_TYPE (WgCaseNearby, wg_case_nearby, ADW_TYPE_BIN)

typedef struct
{
  WgStore *store;
  char    *case_id;
  char    *category_id;
  char    *since;
  double   lon;
  double   lat;
} Query;

static void
query_free (gpointer data)
{
  Query *query = data;

  g_clear_object (&query->store);
  g_free (query->case_id);
  g_free (query->category_id);
  g_free (query->since);
  g_free (query);
}

static void
row_activated_cb (AdwActionRow *row,
                  gpointer      user_data)
{
  const char *id = g_object_get_data (G_OBJECT (row), "case-id");

  gtk_widget_activate_action (GTK_WIDGET (row), "app.show-case", "s", id);
}

static GtkWidget *
new_row (const WgNearbyCase *nearby)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *distance = g_strdup_printf (_("%d m"), (int) (nearby->distance_m + 0.5));
  /* Translators: a case near the one on show: its number, how far, its state */
  g_autofree char *subtitle = g_strdup_printf (C_("nearby", "%s · %s · %s"), nearby->number != NULL ? nearby->number : "",
                                               distance, wg_label_case_state (nearby->state));
  g_autofree char *tooltip = g_strdup_printf (_("Show case %s in the queue"), nearby->number != NULL ? nearby->number : "");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), nearby->title != NULL ? nearby->title : "");
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, tooltip);
  gtk_widget_set_name (row, "nearby-case");
  g_object_set_data_full (G_OBJECT (row), "case-id", g_strdup (nearby->id), g_free);
  g_signal_connect (row, "activated", G_CALLBACK (row_activated_cb), NULL);
  return row;
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Query *query = task_data;
  GError *error = NULL;
  GPtrArray *found = wg_store_find_cases_near (query->store, query->lon, query->lat, NEARBY_RADIUS_M,
                                               query->since, query->case_id, query->category_id,
                                               NEARBY_LIMIT, &error);

  if (found == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, found, (GDestroyNotify) g_ptr_array_unref);
}

static void
queried_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WgCaseNearby) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) found = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->loading = FALSE;
  self->loaded = TRUE;
  if (found == NULL)
    {
      g_warning ("Could not look for cases nearby in the local cache: %s", error->message);
      return;
    }

  for (guint i = 0; i < found->len; i++)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), new_row (found->pdata[i]));
  if (found->len == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _("No open case nearby"));
      gtk_widget_add_css_class (none, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), none);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

static void
load (WgCaseNearby *self)
{
  WgStore *store = self->session != NULL && wg_session_get_signed_in (self->session)
                   ? wg_session_get_store (self->session) : NULL;
  g_autoptr(GTask) task = NULL;
  Query *query;

  if (store == NULL || self->case_id == NULL || self->loading || self->loaded)
    return;

  self->loading = TRUE;
  query = g_new0 (Query, 1);
  query->store = g_object_ref (store);
  query->case_id = g_strdup (self->case_id);
  query->category_id = g_strdup (self->category_id);
  query->since = g_strdup (self->since);
  query->lon = self->lon;
  query->lat = self->lat;
  task = g_task_new (NULL, self->cancellable, queried_cb, g_object_ref (self));
  g_task_set_source_tag (task, load);
  g_task_set_task_data (task, query, query_free);
  g_task_run_in_thread (task, query_thread);
}

static void
wg_case_nearby_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (wg_case_nearby_parent_class)->root (widget);

  load (WG_CASE_NEARBY (widget));
}

static void
wg_case_nearby_unroot (GtkWidget *widget)
{
  WgCaseNearby *self = WG_CASE_NEARBY (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = FALSE;

  GTK_WIDGET_CLASS (wg_case_nearby_parent_class)->unroot (widget);
}

static void
wg_case_nearby_dispose (GObject *object)
{
  WgCaseNearby *self = WG_CASE_NEARBY (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->case_id, g_free);
  g_clear_pointer (&self->category_id, g_free);
  g_clear_pointer (&self->since, g_free);

  G_OBJECT_CLASS (wg_case_nearby_parent_class)->dispose (object);
}

static void
wg_case_nearby_class_init (WgCaseNearbyClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wg_case_nearby_dispose;
  GTK_WIDGET_CLASS (klass)->root = wg_case_nearby_root;
  GTK_WIDGET_CLASS (klass)->unroot = wg_case_nearby_unroot;
}

static void
wg_case_nearby_init (WgCaseNearby *self)
{
  g_autofree char *description = NULL;

  self->cancellable = g_cancellable_new ();
  self->group = adw_preferences_group_new ();
  gtk_widget_set_name (self->group, "case-nearby");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group), _("Open Cases Nearby"));
  description = g_strdup_printf (_("Within %d m, reported from %d days before this case on: they may be about the same thing."),
                                 NEARBY_RADIUS_M, NEARBY_DAYS);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->group), description);
  adw_bin_set_child (ADW_BIN (self), self->group);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

/* The open cases near the case @record; nothing when it has no location. */
GtkWidget *
wg_case_nearby_new (WgSession *session,
                    WgRecord  *record)
{
  WgCaseNearby *self;
  JsonObject *json;
  JsonNode *location;
  const char *reported;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) since = NULL;

  g_return_val_if_fail (session == NULL || WG_IS_SESSION (session), NULL);
  g_return_val_if_fail (WG_IS_RECORD (record), NULL);

  self = g_object_new (WG_TYPE_CASE_NEARBY, NULL);
  json = wg_record_get_json (record);
  location = json != NULL ? json_object_get_member (json, "location") : NULL;
  if (location == NULL || !JSON_NODE_HOLDS_OBJECT (location) || !wg_point_from_json (location, &self->lon, &self->lat, NULL))
    return GTK_WIDGET (self);

  self->session = session != NULL ? g_object_ref (session) : NULL;
  self->case_id = g_strdup (wg_record_get_id (record));
  self->category_id = g_strdup (wg_record_get_string (record, "category_id"));
  reported = wg_record_get_string (record, "reported_at");
  if (reported == NULL)
    reported = wg_record_get_string (record, "created_at");
  when = reported != NULL ? wg_rfc3339_parse (reported) : NULL;
  /* A week before the report, or before now for a report dated in the future. */
  since = g_date_time_add_days (when != NULL && g_date_time_compare (when, now) < 0 ? when : now, -NEARBY_DAYS);
  self->since = wg_rfc3339_format (since);
  return GTK_WIDGET (self);
}

/* Whether the search has run: for tests. */
gboolean
wg_case_nearby_get_loaded (WgCaseNearby *self)
{
  g_return_val_if_fail (WG_IS_CASE_NEARBY (self), FALSE);

  return self->loaded;
}
