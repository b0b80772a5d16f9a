/* wg-sim.c — the field simulator: grid workers and service teams playing over the public API
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The simulator signs in with real accounts and uses only the public HTTP API, exactly as
 * the mobile app would: whatever it does, the server's state machine, permissions and
 * change log decide. It follows the change feed like a client (as a team member, or as the
 * dispatcher with --center) and reacts to what it sees: a case dispatched to one of its
 * teams is claimed, started and resolved after plausible delays, a resolved case in one of
 * its grid workers' grids is checked on site. Its grid workers report new cases at a
 * steady rate from inside their own grids.
 *
 * Time is simulated: --speed 60 makes a simulated minute pass in a real second, so a demo
 * shows a day's work in half an hour and a test runs a week in seconds. Everything is one
 * thread with a small agenda of timed tasks; HTTP calls are synchronous because the
 * simulator has nothing else to do while it waits.
 *
 * Decisions per case (return it, let it run overdue, reopen it) come from a hash of the
 * seed and the case id, so a rerun against the same data makes the same choices.
 */
#define G_LOG_DOMAIN "WgSim"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <math.h>
#include <string.h>

#include "wg-case-machine.h"
#include "wg-geometry.h"
#include "wg-json.h"
#include "wg-sim.h"
#include "wg-sim-photo.h"
#include "wg-url.h"

/* The demo's passwords (wangge-server demo, docs/demo.md). */
#define DEMO_FIELD_PASSWORD      "majie-field-demo"
#define DEMO_TEAM_PASSWORD       "majie-team-demo"
#define DEMO_DISPATCHER_PASSWORD "majie-dispatch-demo"

#define POLL_INTERVAL_US (200 * G_TIME_SPAN_MILLISECOND)
#define FEED_PAGE 5000

typedef struct
{
  char      *id;
  char      *code;
  char      *name;
  char      *village_id;
  WgPolygon *boundary;
  GStrv      worker_ids;      /* people */
} SimGrid;

typedef struct
{
  char *id;
  char *name;
  char *kind;                 /* team or department, as an assignee */
  GStrv member_ids;
} SimTeam;

typedef struct
{
  char  *id;
  char  *name;
  guint  weight;              /* cases of this category seen in the feed, plus one */
} SimCategory;

typedef struct
{
  char     *username;
  char     *token;
  char     *account_id;
  char     *person_id;
  char     *display_name;
  SimGrid  *grid;             /* a grid worker's own grid */
  SimTeam  *team;             /* a team member's team */
} SimActor;

typedef enum
{
  FATE_NORMAL,
  FATE_RETURN,
  FATE_OVERDUE,
  FATE_REOPEN,
} Fate;

typedef struct
{
  char        *id;
  char        *number;
  WgCaseState  state;
  gint64       version;
  char        *assignee_kind;
  char        *assignee_id;
  char        *grid_id;
  gint64       deadline;        /* unix µs, 0 when none */
  gboolean     self_handled;
  gboolean     ours;            /* reported by the simulator */
  gboolean     returned;
  gboolean     reopened;
  gboolean     supervised;
  gint64       planned_version; /* the version tasks were last planned for */
  Fate         fate;
} SimCase;

typedef struct
{
  gint64        due;            /* monotonic µs */
  char         *case_id;
  WgCaseAction  action;
  SimActor     *actor;
  WgCaseState   from;
} Task;

typedef enum
{
  STAT_REPORTED,
  STAT_SELF_HANDLED,
  STAT_PHOTOS,
  STAT_DISPATCHED,
  STAT_CLAIMED,
  STAT_STARTED,
  STAT_RESOLVED,
  STAT_RETURNED,
  STAT_HELD,
  STAT_LATE,
  STAT_VERIFIED,
  STAT_CENTER_VERIFIED,
  STAT_REOPENED,
  STAT_CLOSED,
  STAT_SUPERVISED,
  STAT_SKIPPED,
  N_STATS
} Stat;

struct _WgSim
{
  GObject       parent_instance;

  /* owned */
  WgSimOptions  options;
  SoupSession  *session;
  GPtrArray    *grids;          /* SimGrid */
  GPtrArray    *teams;          /* SimTeam */
  GPtrArray    *categories;     /* SimCategory */
  GPtrArray    *workers;        /* SimActor */
  GPtrArray    *members;        /* SimActor */
  SimActor     *center;         /* the dispatcher with --center, else NULL */
  SimActor     *observer;       /* whose change feed the simulator follows */
  GHashTable   *cases;          /* id → SimCase */
  GPtrArray    *agenda;         /* Task, sorted by due */
  GPtrArray    *failures;       /* char * */
  GRand        *rand;

  gint64        cursor;
  gint64        start_us;
  gint64        next_report_us;
  guint         stats[N_STATS];
};

G_DEFINE_FINAL_TYPE (WgSim, wg_sim, G_TYPE_OBJECT)
G_DEFINE_QUARK (wg-sim-error-quark, wg_sim_error)

/* --- small helpers --------------------------------------------------------------------- */

static void
sim_grid_free (gpointer data)
{
  SimGrid *g = data;

  g_free (g->id);
  g_free (g->code);
  g_free (g->name);
  g_free (g->village_id);
  g_clear_pointer (&g->boundary, wg_polygon_unref);
  g_strfreev (g->worker_ids);
  g_free (g);
}

static void
sim_team_free (gpointer data)
{
  SimTeam *t = data;

  g_free (t->id);
  g_free (t->name);
  g_free (t->kind);
  g_strfreev (t->member_ids);
  g_free (t);
}

static void
sim_category_free (gpointer data)
{
  SimCategory *c = data;

  g_free (c->id);
  g_free (c->name);
  g_free (c);
}

static void
sim_actor_free (gpointer data)
{
  SimActor *a = data;

  g_free (a->username);
  g_free (a->token);
  g_free (a->account_id);
  g_free (a->person_id);
  g_free (a->display_name);
  g_free (a);
}

static void
sim_case_free (gpointer data)
{
  SimCase *c = data;

  g_free (c->id);
  g_free (c->number);
  g_free (c->assignee_kind);
  g_free (c->assignee_id);
  g_free (c->grid_id);
  g_free (c);
}

static void
task_free (gpointer data)
{
  Task *t = data;

  g_free (t->case_id);
  g_free (t);
}

static GStrv
string_array (JsonObject *obj,
              const char *member)
{
  JsonNode *node = json_object_get_member (obj, member);
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (wg_json_is_string (item))
            g_strv_builder_add (b, json_node_get_string (item));
        }
    }
  return g_strv_builder_end (b);
}

static gint64
parse_time_us (const char *text)
{
  g_autoptr(GDateTime) t = wg_rfc3339_parse (text);

  return t ? g_date_time_to_unix_usec (t) : 0;
}

/* Simulated minutes to real microseconds, between `lo` and `hi` minutes. */
static gint64
delay_us (WgSim  *self,
          double  lo,
          double  hi)
{
  double minutes = g_rand_double_range (self->rand, lo, hi);

  return (gint64) (minutes * 60 * G_USEC_PER_SEC / self->options.speed);
}

/* A number in [0, 1) that depends only on the seed, the case and @salt: the same decision
 * on every rerun, and independent decisions for different salts. */
static double
case_draw (WgSim      *self,
           const char *case_id,
           guint64     salt)
{
  guint64 h = g_str_hash (case_id) ^ ((self->options.seed + salt) * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  h = (h ^ (h >> 33)) * G_GUINT64_CONSTANT (0xff51afd7ed558ccd);
  h ^= h >> 33;
  return (h >> 11) * (1.0 / 9007199254740992.0);
}

static Fate
fate_for (WgSim      *self,
          const char *case_id)
{
  double x = case_draw (self, case_id, 0);

  if (x < self->options.return_share)
    return FATE_RETURN;
  x -= self->options.return_share;
  if (x < self->options.overdue_share)
    return FATE_OVERDUE;
  x -= self->options.overdue_share;
  if (x < self->options.reopen_share)
    return FATE_REOPEN;
  return FATE_NORMAL;
}

static void
add_failure (WgSim      *self,
             const char *format,
             ...) G_GNUC_PRINTF (2, 3);

static void
add_failure (WgSim      *self,
             const char *format,
             ...)
{
  va_list args;
  char *text;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("wangge-sim: %s\n", text);
  g_ptr_array_add (self->failures, text);
}

/* --- HTTP ------------------------------------------------------------------------------ */

typedef struct
{
  guint     status;
  JsonNode *json;
  char     *error_code;
  char     *message;       /* the server's error message, or the transport's */
} Reply;

static void
reply_clear (Reply *r)
{
  g_clear_pointer (&r->json, json_node_unref);
  g_clear_pointer (&r->error_code, g_free);
  g_clear_pointer (&r->message, g_free);
}

static gboolean
call_full (WgSim       *self,
           SimActor    *actor,
           const char  *method,
           const char  *path,
           const char  *content_type,
           GBytes      *body,
           gint64       if_match,
           Reply       *out)
{
  g_autofree char *url = g_strconcat (self->options.url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;

  memset (out, 0, sizeof *out);
  if (msg == NULL)
    {
      out->message = g_strdup_printf (_("“%s” is not a valid address"), url);
      return FALSE;
    }
  headers = soup_message_get_request_headers (msg);
  if (actor != NULL && actor->token != NULL)
    {
      g_autofree char *bearer = g_strconcat ("Bearer ", actor->token, NULL);

      soup_message_headers_replace (headers, "Authorization", bearer);
    }
  if (if_match > 0)
    {
      g_autofree char *etag = g_strdup_printf ("\"%" G_GINT64_FORMAT "\"", if_match);

      soup_message_headers_replace (headers, "If-Match", etag);
    }
  if (strcmp (method, "POST") == 0 && strcmp (path, "/api/v1/session") != 0)
    {
      /* a retried request is then applied once */
      g_autofree char *key = g_uuid_string_random ();

      soup_message_headers_replace (headers, "Idempotency-Key", key);
    }
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  reply = soup_session_send_and_read (self->session, msg, NULL, &error);
  if (reply == NULL)
    {
      out->message = g_strdup (error->message);
      return FALSE;
    }
  out->status = soup_message_get_status (msg);
  if (g_bytes_get_size (reply) > 0)
    out->json = wg_json_parse (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply), NULL);
  if (out->status >= 300)
    {
      JsonObject *err = NULL;

      if (out->json != NULL && JSON_NODE_HOLDS_OBJECT (out->json) &&
          json_object_has_member (json_node_get_object (out->json), "error"))
        err = json_object_get_object_member (json_node_get_object (out->json), "error");
      out->error_code = g_strdup (err ? wg_json_get_string (err, "code") : NULL);
      out->message = g_strdup (err && wg_json_get_string (err, "message") ? wg_json_get_string (err, "message")
                                                                           : soup_message_get_reason_phrase (msg));
      return FALSE;
    }
  return TRUE;
}

static gboolean
call (WgSim       *self,
      SimActor    *actor,
      const char  *method,
      const char  *path,
      const char  *body,
      gint64       if_match,
      Reply       *out)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return call_full (self, actor, method, path, "application/json", bytes, if_match, out);
}

static JsonObject *
reply_object (Reply *r)
{
  return r->json != NULL && JSON_NODE_HOLDS_OBJECT (r->json) ? json_node_get_object (r->json) : NULL;
}

static SimActor *
sign_in (WgSim       *self,
         const char  *username,
         const char  *password,
         GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  Reply r;
  JsonObject *obj, *account;
  SimActor *actor;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "username");
  json_builder_add_string_value (b, username);
  json_builder_set_member_name (b, "password");
  json_builder_add_string_value (b, password);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = wg_json_to_string (root);
  if (!call (self, NULL, "POST", "/api/v1/session", body, 0, &r) || (obj = reply_object (&r)) == NULL)
    {
      g_set_error (error, WG_SIM_ERROR, WG_SIM_ERROR_SIGN_IN, _("%s cannot sign in: %s"), username,
                   r.message ? r.message : _("no answer"));
      reply_clear (&r);
      return NULL;
    }
  account = json_object_get_object_member (obj, "account");
  actor = g_new0 (SimActor, 1);
  actor->username = g_strdup (username);
  actor->token = g_strdup (wg_json_get_string (obj, "token"));
  actor->account_id = g_strdup (wg_json_get_string (account, "id"));
  actor->person_id = g_strdup (wg_json_get_string (account, "person_id"));
  actor->display_name = g_strdup (wg_json_get_string (account, "display_name"));
  reply_clear (&r);
  return actor;
}

/* --- following the change feed --------------------------------------------------------- */

static void plan (WgSim *self, SimCase *c);

static void
take_grid (WgSim      *self,
           JsonObject *obj)
{
  SimGrid *g = g_new0 (SimGrid, 1);
  JsonNode *boundary = json_object_get_member (obj, "boundary");

  g->id = g_strdup (wg_json_get_string (obj, "id"));
  g->code = g_strdup (wg_json_get_string (obj, "code"));
  g->name = g_strdup (wg_json_get_string (obj, "name"));
  g->village_id = g_strdup (wg_json_get_string (obj, "village_id"));
  g->worker_ids = string_array (obj, "grid_worker_ids");
  if (boundary != NULL && !JSON_NODE_HOLDS_NULL (boundary))
    g->boundary = wg_polygon_new_from_json (boundary, NULL);
  g_ptr_array_add (self->grids, g);
}

static void
take_case (WgSim      *self,
           JsonObject *obj)
{
  const char *id = wg_json_get_string (obj, "id");
  SimCase *c = g_hash_table_lookup (self->cases, id);
  JsonNode *assignee = json_object_get_member (obj, "assignee");
  JsonNode *self_handled = json_object_get_member (obj, "self_handled");
  WgCaseState state;
  gint64 version;

  if (c == NULL)
    {
      c = g_new0 (SimCase, 1);
      c->id = g_strdup (id);
      c->fate = fate_for (self, id);
      g_hash_table_insert (self->cases, c->id, c);
      /* categories are weighted like the history the server holds */
      for (guint i = 0; i < self->categories->len; i++)
        {
          SimCategory *cat = g_ptr_array_index (self->categories, i);

          if (g_strcmp0 (cat->id, wg_json_get_string (obj, "category_id")) == 0)
            cat->weight++;
        }
    }
  /* the feed also brings versions older than what an action's reply already showed */
  if (!wg_json_get_int (obj, "version", &version) || version <= c->version ||
      !wg_case_state_from_string (wg_json_get_string (obj, "state"), &state))
    return;
  c->version = version;
  c->state = state;
  g_free (c->number);
  c->number = g_strdup (wg_json_get_string (obj, "number"));
  g_clear_pointer (&c->assignee_kind, g_free);
  g_clear_pointer (&c->assignee_id, g_free);
  if (assignee != NULL && JSON_NODE_HOLDS_OBJECT (assignee))
    {
      c->assignee_kind = g_strdup (wg_json_get_string (json_node_get_object (assignee), "kind"));
      c->assignee_id = g_strdup (wg_json_get_string (json_node_get_object (assignee), "id"));
    }
  g_free (c->grid_id);
  c->grid_id = g_strdup (wg_json_get_string (obj, "grid_id"));
  c->deadline = parse_time_us (wg_json_get_string (obj, "deadline"));
  c->self_handled = self_handled != NULL && JSON_NODE_HOLDS_VALUE (self_handled) && json_node_get_boolean (self_handled);
  plan (self, c);
}

/* Reads the feed from the cursor to its head. Before the simulation starts (`setup`) it
 * also collects the grids, teams and categories. */
static gboolean
pull (WgSim     *self,
      gboolean   setup,
      GError   **error)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%d",
                                               self->cursor, FEED_PAGE);
      Reply r;
      JsonObject *obj;
      JsonArray *changes;
      JsonNode *has_more;

      if (!call (self, self->observer, "GET", path, NULL, 0, &r) || (obj = reply_object (&r)) == NULL)
        {
          g_set_error (error, WG_SIM_ERROR, WG_SIM_ERROR_SERVER, _("Reading the change feed failed: %s"),
                       r.message ? r.message : _("no answer"));
          reply_clear (&r);
          return FALSE;
        }
      changes = json_object_get_array_member (obj, "changes");
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          const char *kind = wg_json_get_string (change, "kind");
          JsonNode *record = json_object_get_member (change, "record");

          if (record == NULL || !JSON_NODE_HOLDS_OBJECT (record))
            continue;
          if (strcmp (kind, "cases") == 0)
            take_case (self, json_node_get_object (record));
          else if (setup && strcmp (kind, "grids") == 0)
            take_grid (self, json_node_get_object (record));
          else if (setup && strcmp (kind, "teams") == 0)
            {
              JsonObject *t = json_node_get_object (record);
              SimTeam *team = g_new0 (SimTeam, 1);

              team->id = g_strdup (wg_json_get_string (t, "id"));
              team->name = g_strdup (wg_json_get_string (t, "name"));
              team->kind = g_strdup (g_strcmp0 (wg_json_get_string (t, "kind"), "department") == 0 ? "department" : "team");
              team->member_ids = string_array (t, "member_ids");
              g_ptr_array_add (self->teams, team);
            }
          else if (setup && strcmp (kind, "categories") == 0)
            {
              SimCategory *cat = g_new0 (SimCategory, 1);

              cat->id = g_strdup (wg_json_get_string (json_node_get_object (record), "id"));
              cat->name = g_strdup (wg_json_get_string (json_node_get_object (record), "name"));
              cat->weight = 1;
              g_ptr_array_add (self->categories, cat);
            }
        }
      wg_json_get_int (obj, "next", &self->cursor);
      has_more = json_object_get_member (obj, "has_more");
      more = has_more != NULL && JSON_NODE_HOLDS_VALUE (has_more) && json_node_get_boolean (has_more);
      reply_clear (&r);
    }
  return TRUE;
}

/* --- planning ---------------------------------------------------------------------------- */

static int
task_cmp (gconstpointer a,
          gconstpointer b)
{
  const Task *x = *(const Task * const *) a, *y = *(const Task * const *) b;

  return x->due < y->due ? -1 : x->due > y->due ? 1 : 0;
}

static void
schedule (WgSim        *self,
          SimCase      *c,
          WgCaseAction  action,
          SimActor     *actor,
          gint64        delay)
{
  Task *t = g_new0 (Task, 1);

  t->due = g_get_monotonic_time () + delay;
  t->case_id = g_strdup (c->id);
  t->action = action;
  t->actor = actor;
  t->from = c->state;
  g_ptr_array_add (self->agenda, t);
  g_ptr_array_sort (self->agenda, task_cmp);
}

static SimActor *
worker_of_grid (WgSim      *self,
                const char *grid_id)
{
  for (guint i = 0; i < self->workers->len; i++)
    {
      SimActor *a = g_ptr_array_index (self->workers, i);

      if (a->grid != NULL && g_strcmp0 (a->grid->id, grid_id) == 0)
        return a;
    }
  return NULL;
}

/* Who of the simulator works on the case now: a member of the assigned team, or the worker
 * of the assigned grid; NULL when the case is someone else's. */
static SimActor *
handler_of (WgSim   *self,
            SimCase *c)
{
  if (c->assignee_id == NULL)
    return NULL;
  if (g_strcmp0 (c->assignee_kind, "grid") == 0)
    return worker_of_grid (self, c->assignee_id);
  for (guint i = 0; i < self->members->len; i++)
    {
      SimActor *a = g_ptr_array_index (self->members, i);

      if (a->team != NULL && g_strcmp0 (a->team->id, c->assignee_id) == 0)
        return a;
    }
  return NULL;
}

/* Decides, once per version of a case, what the simulator does next with it. */
static void
plan (WgSim   *self,
      SimCase *c)
{
  SimActor *handler;

  if (c->planned_version == c->version)
    return;
  c->planned_version = c->version;
  handler = handler_of (self, c);

  switch (c->state)
    {
    case WG_CASE_STATE_REPORTED:
    case WG_CASE_STATE_ACCEPTED:
      if (self->center != NULL)
        schedule (self, c, WG_CASE_ACTION_DISPATCH, self->center, delay_us (self, 2, 30));
      break;

    case WG_CASE_STATE_DISPATCHED:
      if (handler != NULL && c->fate == FATE_RETURN && !c->returned)
        schedule (self, c, WG_CASE_ACTION_RETURN, handler, delay_us (self, 10, 60));
      else if (handler != NULL)
        schedule (self, c, WG_CASE_ACTION_CLAIM, handler, delay_us (self, 5, 60));
      break;

    case WG_CASE_STATE_CLAIMED:
      if (handler != NULL)
        schedule (self, c, WG_CASE_ACTION_START, handler, delay_us (self, 5, 45));
      break;

    case WG_CASE_STATE_IN_PROGRESS:
      if (handler == NULL)
        break;
      if (c->fate != FATE_OVERDUE)
        schedule (self, c, WG_CASE_ACTION_RESOLVE, handler, delay_us (self, 20, 180));
      else if (self->center != NULL && c->deadline > 0 &&
               c->deadline - g_get_real_time () < delay_us (self, 60, 60))
        {
          /* late: after the deadline the center chases it (督办), then it is resolved */
          gint64 until = c->deadline - g_get_real_time ();

          if (!c->supervised)
            schedule (self, c, WG_CASE_ACTION_SUPERVISE, self->center, MAX (until, 0) + delay_us (self, 5, 20));
          else
            schedule (self, c, WG_CASE_ACTION_RESOLVE, handler, delay_us (self, 20, 60));
        }
      else
        self->stats[STAT_HELD]++;     /* nobody chases it here: it runs overdue */
      break;

    case WG_CASE_STATE_RESOLVED:
      {
        SimActor *worker = c->grid_id ? worker_of_grid (self, c->grid_id) : NULL;

        /* 核查 on site by the grid's worker (a share of the cases, --verify-share); his own
         * self-handled reports, and the rest, the center checks */
        if (worker != NULL && !c->self_handled && case_draw (self, c->id, 1) < self->options.verify_share)
          schedule (self, c, c->fate == FATE_REOPEN && !c->reopened ? WG_CASE_ACTION_REOPEN : WG_CASE_ACTION_VERIFY,
                    worker, delay_us (self, 20, 120));
        else if (self->center != NULL)
          schedule (self, c, WG_CASE_ACTION_VERIFY, self->center, delay_us (self, 20, 120));
      }
      break;

    case WG_CASE_STATE_VERIFIED:
      if (self->center != NULL)
        schedule (self, c, WG_CASE_ACTION_CLOSE, self->center, delay_us (self, 5, 60));
      break;

    case WG_CASE_STATE_NEW:
    case WG_CASE_STATE_REJECTED:
    case WG_CASE_STATE_MERGED:
    case WG_CASE_STATE_CLOSED:
    case WG_CASE_STATE_ESCALATED:
    case WG_N_CASE_STATES:
    default:
      break;
    }
}

/* --- acting ------------------------------------------------------------------------------ */

static SimTeam *
team_by_id (WgSim      *self,
            const char *id)
{
  for (guint i = 0; i < self->teams->len; i++)
    {
      SimTeam *t = g_ptr_array_index (self->teams, i);

      if (g_strcmp0 (t->id, id) == 0)
        return t;
    }
  return NULL;
}

/* The center dispatches to the category's default team (GET categories gives it); after a
 * return, to another of the simulator's teams. */
static char *
dispatch_body (WgSim   *self,
               SimCase *c)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s", c->id);
  SimTeam *team = NULL;
  Reply r;
  JsonObject *obj;
  GString *body = g_string_new ("{");

  if (call (self, self->center, "GET", path, NULL, 0, &r) && (obj = reply_object (&r)) != NULL)
    {
      const char *category = wg_json_get_string (obj, "category_id");
      g_autofree char *cpath = category ? g_strdup_printf ("/api/v1/categories/%s", category) : NULL;
      Reply cr;
      JsonObject *cat;

      if (cpath != NULL && call (self, self->center, "GET", cpath, NULL, 0, &cr) &&
          (cat = reply_object (&cr)) != NULL && json_object_has_member (cat, "default_target"))
        team = team_by_id (self, wg_json_get_string (json_object_get_object_member (cat, "default_target"), "id"));
      reply_clear (&cr);
    }
  reply_clear (&r);
  if (team == NULL || c->returned)
    {
      SimActor *other = self->members->len ? g_ptr_array_index (self->members, g_rand_int_range (self->rand, 0, self->members->len)) : NULL;

      team = other ? other->team : team;
    }
  if (team == NULL)
    team = g_ptr_array_index (self->teams, 0);
  g_string_append_printf (body, "\"assignee\":{\"kind\":\"%s\",\"id\":\"%s\"}", team->kind, team->id);
  /* a case meant to run late gets a short deadline, so the simulation sees it pass */
  if (c->fate == FATE_OVERDUE)
    {
      g_autoptr(GDateTime) deadline = g_date_time_new_from_unix_utc_usec (g_get_real_time () + delay_us (self, 30, 40));
      g_autofree char *text = wg_rfc3339_format (deadline);

      g_string_append_printf (body, ",\"deadline\":\"%s\"", text);
    }
  g_string_append (body, ",\"note\":\"模拟指挥中心派单。\"}");
  return g_string_free (body, FALSE);
}

static char *
action_body (WgSim        *self,
             SimCase      *c,
             WgCaseAction  action)
{
  switch (action)
    {
    case WG_CASE_ACTION_DISPATCH:
      return dispatch_body (self, c);
    case WG_CASE_ACTION_RETURN:
      return g_strdup ("{\"reason\":\"该事项不属于本单位职责范围，请指挥中心重新派单。\"}");
    case WG_CASE_ACTION_RESOLVE:
      return g_strdup ("{\"result\":\"已到现场处置完毕，群众认可。\"}");
    case WG_CASE_ACTION_REOPEN:
      return g_strdup ("{\"reason\":\"现场核查发现整改不到位，请返工。\"}");
    case WG_CASE_ACTION_SUPERVISE:
      return g_strdup ("{\"note\":\"已超过办理时限，请尽快办结并反馈。\"}");
    case WG_CASE_ACTION_VERIFY:
      return g_strdup ("{\"note\":\"现场核查属实，已处置到位。\"}");
    case WG_CASE_ACTION_REPORT:
    case WG_CASE_ACTION_SELF_HANDLE:
    case WG_CASE_ACTION_ACCEPT:
    case WG_CASE_ACTION_REJECT:
    case WG_CASE_ACTION_MERGE:
    case WG_CASE_ACTION_CLAIM:
    case WG_CASE_ACTION_START:
    case WG_CASE_ACTION_CLOSE:
    case WG_CASE_ACTION_ESCALATE:
    case WG_CASE_ACTION_EXTEND:
    case WG_CASE_ACTION_COMMENT:
    case WG_CASE_ACTION_RATE:
    case WG_N_CASE_ACTIONS:
    default:
      return NULL;
    }
}

static void
count_action (WgSim        *self,
              SimCase      *c,
              WgCaseAction  action)
{
  switch (action)
    {
    case WG_CASE_ACTION_DISPATCH: self->stats[STAT_DISPATCHED]++; break;
    case WG_CASE_ACTION_CLAIM: self->stats[STAT_CLAIMED]++; break;
    case WG_CASE_ACTION_START: self->stats[STAT_STARTED]++; break;
    case WG_CASE_ACTION_RESOLVE:
      self->stats[STAT_RESOLVED]++;
      if (c->deadline > 0 && g_get_real_time () > c->deadline)
        self->stats[STAT_LATE]++;
      break;
    case WG_CASE_ACTION_RETURN: self->stats[STAT_RETURNED]++; c->returned = TRUE; break;
    case WG_CASE_ACTION_VERIFY: self->stats[STAT_VERIFIED]++; break;
    case WG_CASE_ACTION_REOPEN: self->stats[STAT_REOPENED]++; c->reopened = TRUE; break;
    case WG_CASE_ACTION_CLOSE: self->stats[STAT_CLOSED]++; break;
    case WG_CASE_ACTION_SUPERVISE: self->stats[STAT_SUPERVISED]++; c->supervised = TRUE; break;
    case WG_CASE_ACTION_REPORT:
    case WG_CASE_ACTION_SELF_HANDLE:
    case WG_CASE_ACTION_ACCEPT:
    case WG_CASE_ACTION_REJECT:
    case WG_CASE_ACTION_MERGE:
    case WG_CASE_ACTION_ESCALATE:
    case WG_CASE_ACTION_EXTEND:
    case WG_CASE_ACTION_COMMENT:
    case WG_CASE_ACTION_RATE:
    case WG_N_CASE_ACTIONS:
    default:
      break;
    }
}

/* Runs one task. A case someone else (a dispatcher at the app) moved in the meantime is
 * skipped, not failed: the server refused because the case changed, which is the point of
 * If-Match. Anything else the server refuses is a failure. */
static void
run_task (WgSim *self,
          Task  *t)
{
  SimCase *c = g_hash_table_lookup (self->cases, t->case_id);
  g_autofree char *path = NULL;
  g_autofree char *body = NULL;
  Reply r;

  if (c == NULL)
    return;
  if (c->state != t->from)
    {
      g_debug ("%s of %s skipped: it is %s now", wg_case_action_to_string (t->action), c->number,
               wg_case_state_to_string (c->state));
      self->stats[STAT_SKIPPED]++;
      return;
    }
  path = g_strdup_printf ("/api/v1/cases/%s/actions/%s", c->id, wg_case_action_to_string (t->action));
  body = action_body (self, c, t->action);
  if (call (self, t->actor, "POST", path, body, c->version, &r))
    {
      if (t->action == WG_CASE_ACTION_VERIFY && t->actor == self->center)
        self->stats[STAT_CENTER_VERIFIED]++;
      else
        count_action (self, c, t->action);
      take_case (self, reply_object (&r));
      reply_clear (&r);
      return;
    }
  if (r.status == 412 || r.status == 409)
    {
      Reply fresh;
      g_autofree char *get = g_strdup_printf ("/api/v1/cases/%s", c->id);
      WgCaseState before = c->state;

      if (call (self, t->actor, "GET", get, NULL, 0, &fresh))
        take_case (self, reply_object (&fresh));
      reply_clear (&fresh);
      if (c->state != before || r.status == 412)
        {
          g_debug ("%s of %s skipped: %s", wg_case_action_to_string (t->action), c->number, r.message);
          self->stats[STAT_SKIPPED]++;
          reply_clear (&r);
          return;
        }
    }
  add_failure (self, _("%s of case %s as %s failed (HTTP %u %s): %s"), wg_case_action_to_string (t->action),
               c->number ? c->number : c->id, t->actor->username, r.status,
               r.error_code ? r.error_code : "", r.message ? r.message : "");
  reply_clear (&r);
}

static guint
pick_category (WgSim *self)
{
  guint total = 0, x;

  for (guint i = 0; i < self->categories->len; i++)
    total += ((SimCategory *) g_ptr_array_index (self->categories, i))->weight;
  x = g_rand_int_range (self->rand, 0, MAX (total, 1));
  for (guint i = 0; i < self->categories->len; i++)
    {
      SimCategory *cat = g_ptr_array_index (self->categories, i);

      if (x < cat->weight)
        return i;
      x -= cat->weight;
    }
  return 0;
}

/* Whether the @n-th report comes with a photo, and which: from the seed, not from the
 * simulator's random sequence, so adding photos changed none of its other choices. */
static guint64
photo_seed (WgSim *self,
            guint  n)
{
  guint64 z = self->options.seed * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15) + n + 1;

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

/* The worker's on-site photo, uploaded to the case he just reported as the mobile app
 * does it; then the case as it is now (one version on), or NULL when that failed. */
static JsonNode *
attach_photo (WgSim      *self,
              SimActor   *worker,
              const char *case_id,
              guint64     seed,
              guint       n)
{
  g_autoptr(GBytes) png = wg_sim_photo_new (seed, 400, 300);
  g_autofree char *name = g_strdup_printf ("现场照片-%u.png", n + 1);
  g_autofree char *escaped = g_uri_escape_string (name, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/api/v1/cases/%s/attachments?name=%s", case_id, escaped);
  g_autofree char *get = g_strdup_printf ("/api/v1/cases/%s", case_id);
  JsonNode *json;
  Reply r;

  if (!call_full (self, worker, "POST", path, "image/png", png, 0, &r))
    {
      add_failure (self, _("%s's photo upload failed (HTTP %u %s): %s"), worker->username, r.status,
                   r.error_code ? r.error_code : "", r.message ? r.message : "");
      reply_clear (&r);
      return NULL;
    }
  reply_clear (&r);
  self->stats[STAT_PHOTOS]++;
  if (!call (self, worker, "GET", get, NULL, 0, &r) || reply_object (&r) == NULL)
    {
      add_failure (self, _("Reading case %s back after its photo failed: %s"), case_id, r.message ? r.message : "");
      reply_clear (&r);
      return NULL;
    }
  json = g_steal_pointer (&r.json);
  reply_clear (&r);
  return json;
}

/* A grid worker's patrol report (巡查上报), from a point inside his grid; a share he has
 * already handled himself (自行处置). */
static void
report (WgSim *self)
{
  SimActor *worker = g_ptr_array_index (self->workers, g_rand_int_range (self->rand, 0, self->workers->len));
  SimCategory *cat = self->categories->len ? g_ptr_array_index (self->categories, pick_category (self)) : NULL;
  gboolean self_handled = g_rand_double (self->rand) < self->options.self_share;
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *title = NULL;
  WgBBox box;
  double lon = 0, lat = 0;
  Reply r;

  wg_polygon_get_bbox (worker->grid->boundary, &box);
  for (guint tries = 0; tries < 1000; tries++)
    {
      lon = g_rand_double_range (self->rand, box.min_lon, box.max_lon);
      lat = g_rand_double_range (self->rand, box.min_lat, box.max_lat);
      if (wg_polygon_contains (worker->grid->boundary, lon, lat))
        break;
    }
  title = g_strdup_printf ("%s：%s", worker->grid->name, cat ? cat->name : "巡查发现问题");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, id);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, "grid_patrol");
  if (cat != NULL)
    {
      json_builder_set_member_name (b, "category_id");
      json_builder_add_string_value (b, cat->id);
    }
  json_builder_set_member_name (b, "title");
  json_builder_add_string_value (b, title);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, "网格员巡查发现，现场拍照上报。");
  json_builder_set_member_name (b, "location");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "Point");
  json_builder_set_member_name (b, "coordinates");
  json_builder_begin_array (b);
  json_builder_add_double_value (b, round (lon * 1e6) / 1e6);
  json_builder_add_double_value (b, round (lat * 1e6) / 1e6);
  json_builder_end_array (b);
  json_builder_end_object (b);
  if (self_handled)
    {
      json_builder_set_member_name (b, "result");
      json_builder_add_string_value (b, "网格员现场劝导处置，已解决。");
    }
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = wg_json_to_string (root);

  /* without "id" in the path: the server finds the grid from the point */
  if (self_handled)
    {
      path = g_strdup_printf ("/api/v1/cases/%s/actions/self_handle", id);
      {
        g_autoptr(JsonNode) copy = wg_json_parse (body, -1, NULL);

        json_object_remove_member (json_node_get_object (copy), "id");
        g_free (body);
        body = wg_json_to_string (copy);
      }
    }
  if (!call (self, worker, "POST", path ? path : "/api/v1/cases", body, 0, &r))
    {
      add_failure (self, _("%s's report failed (HTTP %u %s): %s"), worker->username, r.status,
                   r.error_code ? r.error_code : "", r.message ? r.message : "");
      reply_clear (&r);
      return;
    }
  self->stats[STAT_REPORTED]++;
  if (self_handled)
    self->stats[STAT_SELF_HANDLED]++;
  {
    JsonObject *obj = reply_object (&r);
    g_autoptr(JsonNode) with_photo = NULL;
    guint64 seed = photo_seed (self, self->stats[STAT_REPORTED] - 1);
    SimCase *c;

    /* the share of reports with a photo, decided by the top bits of the seed */
    if ((seed >> 11) * (1.0 / 9007199254740992.0) < self->options.photo_share)
      with_photo = attach_photo (self, worker, wg_json_get_string (obj, "id"), seed, self->stats[STAT_REPORTED] - 1);
    if (with_photo != NULL && JSON_NODE_HOLDS_OBJECT (with_photo))
      obj = json_node_get_object (with_photo);
    take_case (self, obj);
    c = g_hash_table_lookup (self->cases, id);
    if (c != NULL)
      c->ours = TRUE;
    if (g_strcmp0 (wg_json_get_string (obj, "grid_id"), worker->grid->id) != 0)
      add_failure (self, _("Case %s reported at (%.6f, %.6f) inside grid %s was filed in grid %s."),
                   wg_json_get_string (obj, "number"), lon, lat, worker->grid->code,
                   wg_json_get_string (obj, "grid_id"));
  }
  reply_clear (&r);
}

/* --- setup ------------------------------------------------------------------------------- */

static int
grid_code_cmp (gconstpointer a,
               gconstpointer b)
{
  const SimGrid *x = *(SimGrid * const *) a, *y = *(SimGrid * const *) b;

  return g_strcmp0 (x->code, y->code);
}

static gboolean
setup (WgSim   *self,
       GError **error)
{
  WgSimOptions *o = &self->options;
  g_autoptr(GUri) uri = g_uri_parse (o->url, G_URI_FLAGS_NONE, error);
  SimActor *first;

  if (uri == NULL)
    return FALSE;
  if (!o->allow_remote && !wg_url_host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error (error, WG_SIM_ERROR, WG_SIM_ERROR_REMOTE,
                   _("%s is not this machine; the simulator writes real cases, so give --allow-remote to play against another server."),
                   o->url);
      return FALSE;
    }

  /* the first team member reads the township (team members see everything but
   * accounts); with --center the dispatcher does */
  first = sign_in (self, "team01-1", o->team_password, error);
  if (first == NULL)
    return FALSE;
  g_ptr_array_add (self->members, first);
  if (o->center)
    {
      self->center = sign_in (self, o->dispatcher, o->dispatcher_password, error);
      if (self->center == NULL)
        return FALSE;
    }
  self->observer = self->center ? self->center : first;
  if (!pull (self, TRUE, error))
    return FALSE;
  if (self->grids->len == 0 || self->teams->len == 0)
    {
      g_set_error (error, WG_SIM_ERROR, WG_SIM_ERROR_FAILED,
                   _("The server has no grids or no teams; create the demo township with “wangge-server demo”."));
      return FALSE;
    }
  g_ptr_array_sort (self->grids, grid_code_cmp);

  /* one member of every team: teamNN-1 belongs to the NNth team in the order the teams
   * were created */
  for (guint i = 0; i < self->teams->len; i++)
    {
      SimTeam *team = g_ptr_array_index (self->teams, i);
      SimActor *a = i == 0 ? first : NULL;
      g_autofree char *username = g_strdup_printf ("team%02u-1", i + 1);

      if (a == NULL)
        {
          a = sign_in (self, username, o->team_password, error);
          if (a == NULL)
            return FALSE;
          g_ptr_array_add (self->members, a);
        }
      for (guint j = 0; j < self->teams->len && a->team == NULL; j++)
        {
          SimTeam *t = g_ptr_array_index (self->teams, j);

          if (a->person_id != NULL && g_strv_contains ((const char * const *) t->member_ids, a->person_id))
            a->team = t;
        }
      if (a->team == NULL)
        a->team = team;
    }

  /* grid workers spread over the township: gwNNN works in the NNNth grid by code */
  for (guint k = 0; k < o->n_workers && k < self->grids->len; k++)
    {
      guint index = (guint) ((guint64) k * self->grids->len / MAX (o->n_workers, 1));
      g_autofree char *username = g_strdup_printf ("gw%03u", index + 1);
      SimActor *a = sign_in (self, username, o->field_password, error);

      if (a == NULL)
        return FALSE;
      for (guint i = 0; i < self->grids->len && a->grid == NULL; i++)
        {
          SimGrid *g = g_ptr_array_index (self->grids, i);

          if (a->person_id != NULL && g->boundary != NULL &&
              g_strv_contains ((const char * const *) g->worker_ids, a->person_id))
            a->grid = g;
        }
      if (a->grid == NULL)
        {
          g_set_error (error, WG_SIM_ERROR, WG_SIM_ERROR_FAILED,
                       _("%s is no grid worker of any grid with a boundary."), username);
          sim_actor_free (a);
          return FALSE;
        }
      g_ptr_array_add (self->workers, a);
    }
  if (self->workers->len == 0)
    {
      g_set_error (error, WG_SIM_ERROR, WG_SIM_ERROR_FAILED, _("Give at least one grid worker to play (--workers)."));
      return FALSE;
    }

  /* what the feed showed before the grid workers and teams were known, planned again */
  {
    GHashTableIter iter;
    SimCase *c;

    g_ptr_array_set_size (self->agenda, 0);
    g_hash_table_iter_init (&iter, self->cases);
    while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &c))
      {
        c->planned_version = 0;
        plan (self, c);
      }
  }
  return TRUE;
}

/* --- the object -------------------------------------------------------------------------- */

static void
wg_sim_finalize (GObject *object)
{
  WgSim *self = (WgSim *)object;

  wg_sim_options_clear (&self->options);
  g_clear_object (&self->session);
  g_clear_pointer (&self->grids, g_ptr_array_unref);
  g_clear_pointer (&self->teams, g_ptr_array_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->workers, g_ptr_array_unref);
  g_clear_pointer (&self->members, g_ptr_array_unref);
  g_clear_pointer (&self->center, sim_actor_free);
  g_clear_pointer (&self->cases, g_hash_table_unref);
  g_clear_pointer (&self->agenda, g_ptr_array_unref);
  g_clear_pointer (&self->failures, g_ptr_array_unref);
  g_clear_pointer (&self->rand, g_rand_free);

  G_OBJECT_CLASS (wg_sim_parent_class)->finalize (object);
}

static void
wg_sim_class_init (WgSimClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_sim_finalize;
}

static void
wg_sim_init (WgSim *self)
{
  self->grids = g_ptr_array_new_with_free_func (sim_grid_free);
  self->teams = g_ptr_array_new_with_free_func (sim_team_free);
  self->categories = g_ptr_array_new_with_free_func (sim_category_free);
  self->workers = g_ptr_array_new_with_free_func (sim_actor_free);
  self->members = g_ptr_array_new_with_free_func (sim_actor_free);
  self->cases = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, sim_case_free);
  self->agenda = g_ptr_array_new_with_free_func (task_free);
  self->failures = g_ptr_array_new_with_free_func (g_free);
  self->session = soup_session_new_with_options ("timeout", 60, "user-agent", "wangge-sim/" PACKAGE_VERSION, NULL);
}

/* --- public API -------------------------------------------------------------------------- */

void
wg_sim_options_init (WgSimOptions *options)
{
  g_return_if_fail (options != NULL);

  memset (options, 0, sizeof *options);
  options->url = g_strdup ("http://127.0.0.1:8443");
  options->seed = 1;
  options->count = 100;
  options->duration = 600;
  options->rate = 30;
  options->speed = 60;
  options->n_workers = 12;
  options->return_share = 0.08;
  options->overdue_share = 0.08;
  options->self_share = 0.12;
  options->reopen_share = 0.05;
  options->photo_share = 0.5;
  options->verify_share = 1;
  options->field_password = g_strdup (DEMO_FIELD_PASSWORD);
  options->team_password = g_strdup (DEMO_TEAM_PASSWORD);
  options->dispatcher = g_strdup ("dispatcher");
  options->dispatcher_password = g_strdup (DEMO_DISPATCHER_PASSWORD);
}

void
wg_sim_options_clear (WgSimOptions *options)
{
  g_return_if_fail (options != NULL);

  g_clear_pointer (&options->url, g_free);
  g_clear_pointer (&options->field_password, g_free);
  g_clear_pointer (&options->team_password, g_free);
  g_clear_pointer (&options->dispatcher, g_free);
  g_clear_pointer (&options->dispatcher_password, g_free);
}

WgSim *
wg_sim_new (const WgSimOptions *options)
{
  WgSim *self;

  g_return_val_if_fail (options != NULL && options->url != NULL, NULL);
  g_return_val_if_fail (options->speed > 0 && options->rate > 0, NULL);

  self = g_object_new (WG_TYPE_SIM, NULL);
  self->options = *options;
  self->options.url = g_strdup (options->url);
  while (g_str_has_suffix (self->options.url, "/"))
    self->options.url[strlen (self->options.url) - 1] = '\0';
  self->options.field_password = g_strdup (options->field_password);
  self->options.team_password = g_strdup (options->team_password);
  self->options.dispatcher = g_strdup (options->dispatcher);
  self->options.dispatcher_password = g_strdup (options->dispatcher_password);
  self->rand = g_rand_new_with_seed ((guint32) (options->seed ^ (options->seed >> 32)));
  return self;
}

/* Plays until --count reports are made and nothing the simulator would do is left, or
 * until --duration has passed. Returns FALSE only when the simulation could not run at all;
 * refused actions are counted (wg_sim_get_n_failures) and printed as they happen. */
gboolean
wg_sim_run (WgSim         *self,
            GCancellable  *cancellable,
            GError       **error)
{
  gint64 last_poll = 0;
  gint64 end;

  g_return_val_if_fail (WG_IS_SIM (self), FALSE);

  if (!setup (self, error))
    return FALSE;
  self->start_us = g_get_monotonic_time ();
  end = self->options.duration > 0 ? self->start_us + (gint64) (self->options.duration * G_USEC_PER_SEC) : G_MAXINT64;
  self->next_report_us = self->start_us;

  while (!g_cancellable_is_cancelled (cancellable))
    {
      gint64 now = g_get_monotonic_time ();
      gboolean reports_done = self->options.count > 0 && self->stats[STAT_REPORTED] >= self->options.count;
      gint64 wake;

      if (now >= end)
        break;
      if (now - last_poll >= POLL_INTERVAL_US)
        {
          if (!pull (self, FALSE, error))
            return FALSE;
          last_poll = now;
          if (reports_done && self->agenda->len == 0)
            break;
        }
      if (!reports_done && now >= self->next_report_us)
        {
          /* reports arrive as a Poisson process at --rate per simulated hour */
          double mean_us = 3600.0 * G_USEC_PER_SEC / self->options.rate / self->options.speed;

          report (self);
          self->next_report_us = now + (gint64) (-log (1.0 - g_rand_double (self->rand)) * mean_us);
          continue;
        }
      if (self->agenda->len > 0 && ((Task *) g_ptr_array_index (self->agenda, 0))->due <= now)
        {
          Task *t = g_ptr_array_steal_index (self->agenda, 0);

          run_task (self, t);
          task_free (t);
          continue;
        }
      wake = last_poll + POLL_INTERVAL_US;
      if (!reports_done)
        wake = MIN (wake, self->next_report_us);
      if (self->agenda->len > 0)
        wake = MIN (wake, ((Task *) g_ptr_array_index (self->agenda, 0))->due);
      wake = MIN (wake, end);
      if (wake > now)
        g_usleep (wake - now);
    }
  return TRUE;
}

char *
wg_sim_get_summary (WgSim *self)
{
  GString *s = g_string_new (NULL);
  double elapsed = (g_get_monotonic_time () - self->start_us) / (double) G_USEC_PER_SEC;

  g_return_val_if_fail (WG_IS_SIM (self), NULL);

  g_string_append_printf (s, _("Played %.1f s (%.1f simulated hours) with %u grid workers and %u team members.\n"),
                          elapsed, elapsed * self->options.speed / 3600, self->workers->len, self->members->len);
  g_string_append_printf (s, _("Grid workers: %u reports (%u self-handled, %u with a photo), %u verified on site, %u reopened.\n"),
                          self->stats[STAT_REPORTED], self->stats[STAT_SELF_HANDLED], self->stats[STAT_PHOTOS],
                          self->stats[STAT_VERIFIED], self->stats[STAT_REOPENED]);
  g_string_append_printf (s, _("Teams: %u claimed, %u started, %u resolved (%u after the deadline), %u returned, %u left to run overdue.\n"),
                          self->stats[STAT_CLAIMED], self->stats[STAT_STARTED], self->stats[STAT_RESOLVED],
                          self->stats[STAT_LATE], self->stats[STAT_RETURNED], self->stats[STAT_HELD]);
  if (self->center != NULL)
    g_string_append_printf (s, _("Command center: %u dispatched, %u supervised, %u verified, %u closed.\n"),
                            self->stats[STAT_DISPATCHED], self->stats[STAT_SUPERVISED],
                            self->stats[STAT_CENTER_VERIFIED], self->stats[STAT_CLOSED]);
  g_string_append_printf (s, _("%u actions skipped because someone else acted first, %u still planned, %u failed.\n"),
                          self->stats[STAT_SKIPPED], self->agenda->len, self->failures->len);
  for (guint i = 0; i < self->failures->len; i++)
    g_string_append_printf (s, "  %s\n", (const char *) g_ptr_array_index (self->failures, i));
  return g_string_free (s, FALSE);
}

guint
wg_sim_get_n_failures (WgSim *self)
{
  g_return_val_if_fail (WG_IS_SIM (self), 0);

  return self->failures->len;
}
