/* bench-dispatch.c — the dispatcher's queue over a million cached cases, next to bare SQLite
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 *   bench-dispatch --sync URL USERNAME PASSWORD DATA_DIR
 *   bench-dispatch DATA_DIR [RUNS]
 *
 * The first form signs in and fills DATA_DIR/cache.db with a real initial sync (the records,
 * their columns, the indexes and the full-text index, exactly as the app gets them), keeping
 * the token in a file. benchmarks/dispatch/run-bench-dispatch does that once per township.
 *
 * The second resumes that sign-in without a server (the app starting offline: the first form
 * leaves the cache signed in to an address where nothing listens) and measures the real
 * WgDispatchPage in a 1280 × 800 window on the display:
 *
 *   open     the page created and given the session, until a frame has been drawn that
 *            shows the first case of the default view ("new") in the column view
 *   filter   a village or a category chosen, until a frame shows the new first case
 *   search   a keystroke in the search entry, until a frame shows the new first case
 *            (timed from "search-changed": the entry itself waits its search-delay first)
 *   scroll   "All cases" scrolled by the wheel (three rows a frame) and by jumps to random
 *            places, each frame timed from its update phase to its paint
 *   memory   VmRSS once the page is open and idle
 *
 * Each is printed next to the same rows read with sqlite3 directly in the same process, on a
 * connection of its own: the first screenful (the page's WHERE and ORDER BY, LIMIT 40) and
 * the COUNT of the view. A search is also printed next to the page's own query through the
 * store, every matching rowid in order.
 */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

#include "wg-case-views.h"
#include "wg-dispatch-page.h"
#include "wg-record-list.h"
#include "wg-session.h"

#define SCREENFUL 40
/* the page's default order: newest report first */
#define ORDER_BY "reported_at DESC, rowid DESC"

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static long
rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, "VmRSS:");
  return line != NULL ? strtol (line + 6, NULL, 10) : -1;
}

static void
got_result_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static gboolean
tick_cb (gpointer data)
{
  return G_SOURCE_CONTINUE;
}

typedef gboolean (*Condition) (gpointer data);

static gboolean
wait_for (Condition condition,
          gpointer  data,
          guint     timeout_ms)
{
  double end = now_ms () + timeout_ms;
  guint tick = g_timeout_add (5, tick_cb, NULL);
  gboolean ok;

  while (!(ok = condition (data)) && now_ms () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return ok;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
settle (guint ms)
{
  wait_for (never, NULL, ms);
}

/* --- sync mode ----------------------------------------------------------------------------- */

/* Where the measuring runs believe their server is: the discard port, where nothing listens,
 * so the app's sync finds no server (as the app starting offline) and no other program that
 * happens to listen on the port the sync used can answer it. */
#define GONE_URL "http://127.0.0.1:9"

static gboolean
set_identity_cb (WgStoreTxn  *txn,
                 gpointer     data,
                 GError     **error)
{
  return wg_store_txn_set_value (txn, "identity", data, error);
}

static int
run_sync (const char *url,
          const char *username,
          const char *password,
          const char *dir)
{
  g_autoptr(WgSession) session = wg_session_new (dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *who = g_build_filename (dir, "bench-dispatch.ini", NULL);
  g_autofree char *contents = g_strdup_printf ("%s\n%s\n", GONE_URL, username);
  g_autofree char *identity = g_strdup_printf ("%s\n%s", GONE_URL, username);
  WgSyncStatus *status;
  double t0 = now_ms ();
  double last = t0;

  wg_session_set_token_in_file (session, TRUE);
  wg_session_sign_in_async (session, url, username, password, NULL, got_result_cb, &result);
  if (!wg_session_sign_in_finish (session, wait_result (&result), NULL, &error))
    g_error ("sign-in: %s", error->message);

  status = wg_session_get_sync_status (session);
  while (wg_sync_status_get_state (status) != WG_SYNC_STATE_UP_TO_DATE)
    {
      g_main_context_iteration (NULL, TRUE);
      if (wg_sync_status_get_state (status) == WG_SYNC_STATE_ERROR)
        g_error ("sync failed: %s", wg_sync_status_get_error_message (status));
      if (now_ms () - last > 10000)
        {
          last = now_ms ();
          printf ("  … %" G_GUINT64_FORMAT " records after %.0f s\n", wg_sync_status_get_received (status), (last - t0) / 1000);
          fflush (stdout);
        }
    }
  printf ("initial sync of %" G_GUINT64_FORMAT " records into %s in %.1f s\n",
          wg_sync_status_get_received (status), dir, (now_ms () - t0) / 1000);
  wg_sync_stop (wg_session_get_sync (session));
  if (!wg_store_write_sync (wg_session_get_store (session), set_identity_cb, identity, &error) ||
      !g_file_set_contents (who, contents, -1, &error))
    g_error ("%s", error->message);
  return 0;
}

/* --- bare SQLite ----------------------------------------------------------------------------- */

static sqlite3 *bare;

typedef struct
{
  char   *first_number;    /* of the first row, NULL when none */
  gint64  count;
  double  select_ms;       /* the first screenful, every column the model reads */
  double  count_ms;
} Bare;

static void
bare_clear (Bare *b)
{
  g_clear_pointer (&b->first_number, g_free);
}

static sqlite3_stmt *
bare_prepare (const char *sql,
              const char *param)
{
  sqlite3_stmt *stmt = NULL;
  int index;

  if (sqlite3_prepare_v2 (bare, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (bare));
  if ((index = sqlite3_bind_parameter_index (stmt, "?2")) > 0)
    sqlite3_bind_text (stmt, index, param != NULL ? param : "", -1, SQLITE_TRANSIENT);
  return stmt;
}

/* The page's query, read directly: the first screenful and the count. */
static void
bare_query (const char *where,
            const char *param,
            Bare       *out)
{
  g_autofree char *select = g_strdup_printf ("SELECT rowid, id, version, body, local_state, pending, number"
                                             " FROM cases WHERE (%s) ORDER BY " ORDER_BY " LIMIT %d",
                                             where, SCREENFUL);
  g_autofree char *count = g_strdup_printf ("SELECT count(*) FROM cases WHERE (%s)", where);
  sqlite3_stmt *stmt;
  double t0;

  memset (out, 0, sizeof *out);
  t0 = now_ms ();
  stmt = bare_prepare (select, param);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      /* read what the model reads for a row */
      (void) sqlite3_column_text (stmt, 1);
      (void) sqlite3_column_text (stmt, 3);
      if (out->first_number == NULL)
        out->first_number = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
    }
  sqlite3_finalize (stmt);
  out->select_ms = now_ms () - t0;

  t0 = now_ms ();
  stmt = bare_prepare (count, param);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    out->count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  out->count_ms = now_ms () - t0;
}

static double
bare_all_rowids_ms (const char *where,
                    const char *param)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM cases WHERE (%s) ORDER BY " ORDER_BY, where);
  sqlite3_stmt *stmt = bare_prepare (sql, param);
  double t0 = now_ms ();
  gint64 sum = 0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    sum += sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return now_ms () - t0 + (sum == -1 ? 1 : 0);
}

/* The same search as the model lists it: every matching rowid in order, through the store
 * (which reads a search that matches many cases into a bitmap, see WG_STORE_SEARCH_MANY). */
static double
store_rowids_ms (WgStore    *store,
                 const char *where,
                 const char *param)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rowids = NULL;
  double t0 = now_ms ();

  rowids = wg_store_list_rowids (store, "cases", where, param, ORDER_BY, &error);
  if (rowids == NULL)
    g_error ("the store's search: %s", error->message);
  return now_ms () - t0;
}

static void
explain (const char *where,
         const char *param)
{
  g_autofree char *sql = g_strdup_printf ("EXPLAIN QUERY PLAN SELECT rowid FROM cases WHERE (%s) ORDER BY " ORDER_BY, where);
  sqlite3_stmt *stmt = bare_prepare (sql, param);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    printf ("      plan: %s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
}

/* --- the page ------------------------------------------------------------------------------ */

static GtkWindow *window;
static WgDispatchPage *page;

static GtkWidget *
find_named (GtkWidget  *root,
            GType       type,
            const char *name)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type) && (name == NULL || g_strcmp0 (gtk_widget_get_name (child), name) == 0))
        return child;
      if ((found = find_named (child, type, name)) != NULL)
        return found;
    }
  return NULL;
}

static gboolean
shows_label (GtkWidget  *root,
             const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      const char *shown = GTK_IS_LABEL (child) ? gtk_label_get_label (GTK_LABEL (child))
                        : GTK_IS_INSCRIPTION (child) ? gtk_inscription_get_text (GTK_INSCRIPTION (child)) : NULL;

      if (shown != NULL && gtk_widget_get_mapped (child) && g_strcmp0 (shown, text) == 0)
        return TRUE;
      if (shows_label (child, text))
        return TRUE;
    }
  return FALSE;
}

/* What one measurement waits for: the model reloaded after t0 and holding the expected number
 * of rows, then a frame drawn with the expected first case in the column view (or the empty
 * page, for an empty result). */
typedef struct
{
  double      t0;
  const Bare *expected;
  gboolean    reloaded;     /* the model went through a reload that began after t0 */
  gboolean    began;
  double      done_ms;      /* since t0; < 0 until done */
  double      loaded_ms;    /* since t0, when the model had its rows */
  guint       paints;       /* frames drawn since t0 */
  gulong      paint_id;
  gulong      loading_id;
} Watch;

static Watch watch;

static GListModel *
page_cases (void)
{
  return page != NULL ? wg_dispatch_page_get_cases (page) : NULL;
}

static void
loading_cb (GObject    *model,
            GParamSpec *pspec,
            gpointer    data)
{
  if (wg_record_list_get_loading (WG_RECORD_LIST (model)))
    watch.began = TRUE;
  else if (watch.began)
    {
      watch.reloaded = TRUE;
      watch.loaded_ms = now_ms () - watch.t0;
    }
}

/* When the frame being drawn began, and when GTK had laid it out and painted it (these
 * handlers run after GTK's own), for BENCH_DISPATCH_DEBUG. */
static double frame_began, frame_laid_out, frame_painted;

static void
before_paint_cb (GdkFrameClock *clock,
                 gpointer       data)
{
  frame_began = now_ms ();
}

static void
layout_cb (GdkFrameClock *clock,
           gpointer       data)
{
  frame_laid_out = now_ms ();
}

static void
paint_cb (GdkFrameClock *clock,
          gpointer       data)
{
  frame_painted = now_ms ();
}

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       data)
{
  GListModel *cases = page_cases ();
  GtkWidget *queue;

  watch.paints++;
  if (watch.done_ms >= 0 || cases == NULL || !watch.reloaded ||
      g_list_model_get_n_items (cases) != (guint) watch.expected->count)
    return;
  if (watch.expected->first_number == NULL)
    {
      GtkWidget *empty = find_named (GTK_WIDGET (page), ADW_TYPE_STATUS_PAGE, NULL);

      if (empty != NULL && gtk_widget_get_mapped (empty))
        watch.done_ms = now_ms () - watch.t0;
      return;
    }
  queue = find_named (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW, "case-queue");
  if (queue != NULL && shows_label (queue, watch.expected->first_number))
    watch.done_ms = now_ms () - watch.t0;
}

static void
watch_model (void)
{
  GListModel *cases = page_cases ();

  if (watch.loading_id == 0 && cases != NULL)
    {
      g_assert (WG_IS_RECORD_LIST (cases));
      watch.loading_id = g_signal_connect (cases, "notify::loading", G_CALLBACK (loading_cb), NULL);
      /* a model created after t0 is loading already */
      if (wg_record_list_get_loading (WG_RECORD_LIST (cases)))
        watch.began = TRUE;
    }
}

static void
watch_begin (const Bare *expected,
             double      t0)
{
  watch.t0 = t0;
  watch.expected = expected;
  watch.reloaded = FALSE;
  watch.began = FALSE;
  watch.done_ms = -1;
  watch.loaded_ms = -1;
  watch.paints = 0;
  if (watch.paint_id == 0)
    {
      GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));

      watch.paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
      g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
      g_signal_connect (clock, "layout", G_CALLBACK (layout_cb), NULL);
      g_signal_connect (clock, "paint", G_CALLBACK (paint_cb), NULL);
    }
  watch_model ();
}

static gboolean
watch_done (gpointer data)
{
  /* The model may come later than t0 (the page creates it): watch it as soon as it exists. */
  watch_model ();
  return watch.done_ms >= 0;
}

static double
watch_end (const char *what)
{
  if (!wait_for (watch_done, NULL, 60000))
    {
      GtkWidget *queue = find_named (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW, "case-queue");
      GtkAdjustment *v = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (queue));

      g_printerr ("began %d reloaded %d scrolled to %.0f of %.0f\n", watch.began, watch.reloaded,
                  gtk_adjustment_get_value (v), gtk_adjustment_get_upper (v));
    }
  if (g_getenv ("BENCH_DISPATCH_DEBUG") != NULL)
    printf ("      %s: rows in the model after %.1f ms, drawn after %.1f ms, %u frames;"
            " the last began at %.1f ms, laid out in %.1f ms, painted in %.1f ms\n",
            what, watch.loaded_ms, watch.done_ms, watch.paints, frame_began - watch.t0,
            frame_laid_out - frame_began, frame_painted - frame_laid_out);
  if (watch.done_ms < 0)
    g_error ("%s: the expected rows (%" G_GINT64_FORMAT ", first %s) were not drawn within 60 s; the model has %u",
             what, watch.expected->count, watch.expected->first_number, page_cases () ? g_list_model_get_n_items (page_cases ()) : 0);
  return watch.done_ms;
}

static void
watch_forget_model (void)
{
  if (watch.loading_id != 0 && page_cases () != NULL)
    g_signal_handler_disconnect (page_cases (), watch.loading_id);
  watch.loading_id = 0;
}

/* The counts beside the views, as the page shows them. */
static gboolean
counts_shown (gpointer data)
{
  GHashTable *expected = data;
  guint n_views;
  const WgCaseView *views = wg_case_views_get (&n_views);
  GtkWidget *list = find_named (GTK_WIDGET (page), GTK_TYPE_LIST_BOX, "views-list");

  for (guint i = 0; i < n_views; i++)
    {
      GtkWidget *row = find_named (list, GTK_TYPE_LIST_BOX_ROW, views[i].id);
      GtkWidget *box = row != NULL ? gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)) : NULL;
      GtkWidget *count = box != NULL ? gtk_widget_get_last_child (box) : NULL;
      g_autofree char *text = NULL;
      GString *digits = g_string_new (NULL);

      if (count == NULL || !GTK_IS_LABEL (count))
        return FALSE;
      for (const char *p = gtk_label_get_label (GTK_LABEL (count)); *p != '\0'; p++)
        if (g_ascii_isdigit (*p))
          g_string_append_c (digits, *p);
      text = g_string_free (digits, FALSE);
      if (text[0] == '\0')
        return FALSE;
      /* "Overdue" grows as deadlines pass: the page and this count may have looked at
       * different seconds. */
      if (g_str_equal (views[i].id, "overdue")
          ? ABS (g_ascii_strtoll (text, NULL, 10) - (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (expected, views[i].id))) > 20
          : g_ascii_strtoll (text, NULL, 10) != (gint64) GPOINTER_TO_SIZE (g_hash_table_lookup (expected, views[i].id)))
        return FALSE;
    }
  return TRUE;
}

static gboolean
filters_filled (gpointer data)
{
  GtkDropDown *villages = GTK_DROP_DOWN (find_named (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, "village-filter"));
  GtkDropDown *categories = GTK_DROP_DOWN (find_named (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, "category-filter"));

  return g_list_model_get_n_items (gtk_drop_down_get_model (villages)) > 1 &&
         g_list_model_get_n_items (gtk_drop_down_get_model (categories)) > 1;
}

static gboolean
model_idle (gpointer data)
{
  GListModel *cases = page_cases ();

  return cases != NULL && !wg_record_list_get_loading (WG_RECORD_LIST (cases));
}

/* --- statistics ---------------------------------------------------------------------------- */

typedef struct
{
  GArray *ui;          /* ms */
  GArray *select;
  GArray *count;
} Series;

static void
series_init (Series *s)
{
  s->ui = g_array_new (FALSE, FALSE, sizeof (double));
  s->select = g_array_new (FALSE, FALSE, sizeof (double));
  s->count = g_array_new (FALSE, FALSE, sizeof (double));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return values->len ? g_array_index (values, double, values->len / 2) : 0;
}

static double
worst (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return values->len ? g_array_index (values, double, values->len - 1) : 0;
}

static void
series_print (Series     *s,
              const char *what,
              double      target)
{
  printf ("  %-34s %7.1f ms median %7.1f ms worst of %u   (target %.0f ms)  %s\n",
          what, median (s->ui), worst (s->ui), s->ui->len, target, worst (s->ui) < target ? "met" : "MISSED");
  printf ("  %-34s %7.1f ms median %7.1f ms worst\n", "    SQLite: first 40 rows", median (s->select), worst (s->select));
  printf ("  %-34s %7.1f ms median %7.1f ms worst\n", "    SQLite: COUNT of the view", median (s->count), worst (s->count));
  fflush (stdout);
}

static void
series_add (Series     *s,
            double      ui,
            const Bare *b)
{
  g_array_append_val (s->ui, ui);
  g_array_append_val (s->select, b->select_ms);
  g_array_append_val (s->count, b->count_ms);
}

/* --- scrolling ----------------------------------------------------------------------------- */

/* GTK binds some 200 rows around what is shown: a jump binds them all anew. */
#define ROWS_BOUND 200
#define SCROLL_FRAMES 120
#define WHEEL_STEP 100.0    /* pixels a frame: three rows, a brisk turn of the wheel */
#define JUMPS 20

/* The queue scrolled from a tick callback, one step a frame; each frame timed from its update
 * phase (where the tick runs) to its after-paint. */
typedef struct
{
  GtkAdjustment *adjustment;
  GRand         *rand;
  double         step;       /* pixels a frame; 0: a jump to a random place each frame */
  guint          frames;     /* still to scroll */
  double         ticked;     /* when this frame's update began; < 0 between frames */
  GArray        *work;       /* ms per frame */
  GArray        *firsts;     /* the first row on show, after each frame */
  GArray        *paint;      /* ms of each frame in GTK's paint phase */
} Scroll;

static guint
first_row_shown (GtkAdjustment *adjustment,
                 guint          n_items)
{
  double upper = gtk_adjustment_get_upper (adjustment);

  return upper > 0 ? (guint) (gtk_adjustment_get_value (adjustment) / upper * n_items) : 0;
}

static gboolean
scroll_tick_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  Scroll *scroll = data;
  double value = gtk_adjustment_get_value (scroll->adjustment);
  double last = gtk_adjustment_get_upper (scroll->adjustment) - gtk_adjustment_get_page_size (scroll->adjustment);

  if (scroll->frames == 0)
    return G_SOURCE_REMOVE;
  scroll->frames--;
  scroll->ticked = now_ms ();
  gtk_adjustment_set_value (scroll->adjustment,
                            scroll->step > 0 ? value + scroll->step : g_rand_double_range (scroll->rand, 0, last));
  return G_SOURCE_CONTINUE;
}

static void
scroll_painted_cb (GdkFrameClock *clock,
                   gpointer       data)
{
  Scroll *scroll = data;
  double ms;
  guint first;

  if (scroll->ticked < 0)
    return;
  ms = now_ms () - scroll->ticked;
  first = first_row_shown (scroll->adjustment, g_list_model_get_n_items (page_cases ()));
  g_array_append_val (scroll->work, ms);
  g_array_append_val (scroll->firsts, first);
  ms = frame_painted - frame_laid_out;
  g_array_append_val (scroll->paint, ms);
  scroll->ticked = -1;
}

static gboolean
scroll_done (gpointer data)
{
  Scroll *scroll = data;

  return scroll->frames == 0 && scroll->ticked < 0;
}

/* Scrolls the queue @frames frames by @step pixels each (0: jumps), from the top. */
static void
run_scroll (Scroll *scroll,
            double  step,
            guint   frames)
{
  GtkWidget *queue = find_named (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW, "case-queue");
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  gulong painted;

  scroll->adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (queue));
  scroll->rand = g_rand_new_with_seed (6);
  scroll->step = step;
  scroll->frames = frames;
  scroll->ticked = -1;
  scroll->work = g_array_new (FALSE, FALSE, sizeof (double));
  scroll->firsts = g_array_new (FALSE, FALSE, sizeof (guint));
  scroll->paint = g_array_new (FALSE, FALSE, sizeof (double));
  painted = g_signal_connect (clock, "after-paint", G_CALLBACK (scroll_painted_cb), scroll);
  gtk_widget_add_tick_callback (queue, scroll_tick_cb, scroll, NULL);
  if (!wait_for (scroll_done, scroll, 120000))
    g_error ("scrolling: %u frames not drawn", scroll->frames);
  g_signal_handler_disconnect (clock, painted);
  g_rand_free (scroll->rand);
}

static double
percentile (GArray *values,
            double  p)
{
  g_array_sort (values, compare_doubles);
  return values->len ? g_array_index (values, double, MIN (values->len - 1, (guint) (values->len * p))) : 0;
}

static void
scroll_clear (Scroll *scroll)
{
  g_array_unref (scroll->work);
  g_array_unref (scroll->firsts);
  g_array_unref (scroll->paint);
}

static void
scroll_print (Scroll     *scroll,
              const char *what,
              gboolean    target)
{
  printf ("  %-34s %7.1f ms median %7.1f ms p95 %7.1f ms worst", what, median (scroll->work),
          percentile (scroll->work, 0.95), worst (scroll->work));
  if (target)
    printf ("   (a frame at 60 Hz: 16.7 ms)  %s", percentile (scroll->work, 0.95) < 1000.0 / 60 ? "met" : "MISSED");
  printf ("\n  %-34s %7.1f ms median %7.1f ms p95\n", "      of which GTK's paint phase",
          median (scroll->paint), percentile (scroll->paint, 0.95));
}

/* The bare SQLite figure for rows @first … @first + @n of the view: their rowids listed (not
 * timed), then each row read by its rowid as the model reads it, timed. */
static double
bare_rows_ms (const char *where,
              guint       first,
              guint       n)
{
  g_autofree char *list = g_strdup_printf ("SELECT rowid FROM cases WHERE (%s) ORDER BY " ORDER_BY " LIMIT %u OFFSET %u",
                                           where, n, first);
  g_autoptr(GArray) rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt = bare_prepare (list, NULL);
  double t0;

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 rowid = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (rowids, rowid);
    }
  sqlite3_finalize (stmt);

  stmt = bare_prepare ("SELECT id, version, body, local_state, pending, number, state, urgency, category_id,"
                       " village_id, grid_id, source, title, address, reported_at, deadline, assignee_id,"
                       " updated_at FROM cases WHERE rowid = ?1", NULL);
  t0 = now_ms ();
  for (guint i = 0; i < rowids->len; i++)
    {
      sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
      if (sqlite3_step (stmt) == SQLITE_ROW)
        for (int column = 0; column < 18; column++)
          (void) sqlite3_column_text (stmt, column);
      sqlite3_reset (stmt);
    }
  t0 = now_ms () - t0;
  sqlite3_finalize (stmt);
  return t0;
}

/* --- run mode ------------------------------------------------------------------------------ */

static void
resume (WgSession  *session,
        const char *dir)
{
  g_autofree char *who = g_build_filename (dir, "bench-dispatch.ini", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (who, &contents, NULL, &error))
    g_error ("%s (fill the cache first with --sync)", error->message);
  lines = g_strsplit (contents, "\n", 3);
  wg_session_set_token_in_file (session, TRUE);
  wg_session_resume_async (session, lines[0], lines[1], NULL, got_result_cb, &result);
  if (!wg_session_resume_finish (session, wait_result (&result), &error))
    g_error ("resuming the sign-in: %s", error ? error->message : "no saved token");
}

static const char *
where_of (const char *view_id,
          gboolean    search,
          const char *village,
          const char *category)
{
  static char *where;
  g_autoptr(WgCaseFilter) filter = wg_case_filter_new ();

  filter->village_id = g_strdup (village);
  filter->category_id = g_strdup (category);
  g_free (where);
  where = wg_case_filter_where (wg_case_views_find (view_id), search, filter, NULL);
  return where;
}

/* Ids behind a filter drop-down's entries (after "all"), in the page's order: names from
 * the cache, sorted as the page sorts them. */
static GPtrArray *
filter_ids (WgStore    *store,
            const char *kind)
{
  g_autoptr(GPtrArray) records = wg_store_list_records (store, kind, NULL);
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = records->pdata[i];
      const char *unit = json_object_get_string_member_with_default (record, "kind", "");

      if (g_str_equal (kind, "org_units") && !g_str_equal (unit, "village") && !g_str_equal (unit, "community"))
        continue;
      g_ptr_array_add (ids, g_strdup (json_object_get_string_member (record, "id")));
      g_hash_table_insert (names, g_strdup (json_object_get_string_member (record, "id")),
                           g_strdup (json_object_get_string_member (record, "name")));
    }
  for (guint i = 0; i < ids->len; i++)
    for (guint j = i + 1; j < ids->len; j++)
      if (g_utf8_collate (g_hash_table_lookup (names, ids->pdata[i]), g_hash_table_lookup (names, ids->pdata[j])) > 0)
        {
          gpointer t = ids->pdata[i];

          ids->pdata[i] = ids->pdata[j];
          ids->pdata[j] = t;
        }
  return ids;
}

static void
open_page (WgSession *session)
{
  double t0 = now_ms (), t1, t2;

  page = g_object_new (WG_TYPE_DISPATCH_PAGE, NULL);
  t1 = now_ms ();
  wg_dispatch_page_set_session (page, session);
  t2 = now_ms ();
  gtk_window_set_child (window, GTK_WIDGET (page));
  if (g_getenv ("BENCH_DISPATCH_DEBUG") != NULL)
    printf ("      page built in %.1f ms, given the session in %.1f ms, put in the window in %.1f ms\n",
            t1 - t0, t2 - t1, now_ms () - t2);
}

static gboolean
reloaded (gpointer data)
{
  GListModel *cases = page_cases ();

  return watch.reloaded && cases != NULL && g_list_model_get_n_items (cases) == (guint) watch.expected->count;
}

/* Back to an earlier state (untimed): once the model has reloaded, the queue is scrolled to
 * its top (the column view keeps the rows that were on show in view, which after a filter
 * is cleared are further down) and its first rows drawn. */
static void
wait_back (const char *what)
{
  if (!wait_for (reloaded, NULL, 60000))
    g_error ("%s: no reload", what);
  if (watch.expected->first_number != NULL)
    gtk_column_view_scroll_to (GTK_COLUMN_VIEW (find_named (GTK_WIDGET (page), GTK_TYPE_COLUMN_VIEW, "case-queue")),
                               0, NULL, GTK_LIST_SCROLL_NONE, NULL);
  watch_end (what);
}

static void
close_page (void)
{
  watch_forget_model ();
  gtk_window_set_child (window, NULL);
  page = NULL;
}

/* One filter drop-down set to entry @index (0 is "all"), timed until the rows show. */
static double
time_filter (const char *name,
             guint       index,
             const Bare *expected)
{
  GtkDropDown *dropdown = GTK_DROP_DOWN (find_named (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, name));
  double t0 = now_ms ();

  watch_begin (expected, t0);
  gtk_drop_down_set_selected (dropdown, index);
  return watch_end (name);
}

static void
reset_filter (const char *name,
              const Bare *expected)
{
  watch_begin (expected, now_ms ());
  gtk_drop_down_set_selected (GTK_DROP_DOWN (find_named (GTK_WIDGET (page), GTK_TYPE_DROP_DOWN, name)), 0);
  wait_back (name);
}

static double search_t0;

static gboolean
search_changed_hook (GSignalInvocationHint *hint,
                     guint                  n_values,
                     const GValue          *values,
                     gpointer               data)
{
  search_t0 = now_ms ();
  return TRUE;
}

static double
time_search (GtkEditable *entry,
             const char  *text,
             const Bare  *expected)
{
  const char *before = gtk_editable_get_text (entry);

  search_t0 = -1;
  /* the reload begins once the entry's delay has passed: t0 is reset then */
  watch_begin (expected, now_ms ());
  /* A keystroke adds to what is typed (setting the whole text would empty the entry first,
   * and an emptied search entry searches at once, without its delay). */
  if (before[0] != '\0' && g_str_has_prefix (text, before))
    {
      int position = -1;

      gtk_editable_insert_text (entry, text + strlen (before), -1, &position);
    }
  else
    gtk_editable_set_text (entry, text);
  while (search_t0 < 0)
    g_main_context_iteration (NULL, TRUE);
  watch.t0 = search_t0;
  return watch_end ("search");
}

static int
run_measurements (const char *dir,
                  guint       runs)
{
  g_autoptr(WgSession) session = wg_session_new (dir);
  g_autofree char *cache = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(GHashTable) expected_counts = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) villages = NULL;
  g_autoptr(GPtrArray) categories = NULL;
  Series open_s, village_s, category_s, search1_s, search2_s, view_s;
  Bare new_view = { 0 };
  double first_open_ms, counts_ms, bare_counts_ms = 0;
  double t0;
  long rss_open;
  guint n_views;
  const WgCaseView *views = wg_case_views_get (&n_views);

  series_init (&open_s);
  series_init (&village_s);
  series_init (&category_s);
  series_init (&search1_s);
  series_init (&search2_s);
  series_init (&view_s);
  printf ("wangge dispatch queue benchmark\n");

  t0 = now_ms ();
  resume (session, dir);
  printf ("  signing in again, offline          %7.1f ms   (opening the cache, migrating it if it is older)\n",
          now_ms () - t0);
  if (sqlite3_open_v2 (cache, &bare, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    g_error ("%s: %s", cache, sqlite3_errmsg (bare));

  printf ("  %" G_GINT64_FORMAT " cached cases in %s\n", wg_store_count (wg_session_get_store (session), "cases", NULL), cache);
  printf ("  resident memory before the page   %7.1f MB\n", rss_kib () / 1024.0);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  settle (300);

  /* 1. Opening the section, the first time in this process (the file may be in the OS cache
   * from an earlier run; SQLite's own caches are cold). */
  /* The counts the page should show, first: these queries on this thread would hold up the
   * page's main loop. Their own connection leaves the page's SQLite caches cold. */
  for (guint i = 0; i < n_views; i++)
    {
      Bare b;

      bare_query (views[i].where, NULL, &b);
      bare_counts_ms += b.count_ms;
      g_hash_table_insert (expected_counts, (gpointer) views[i].id, GSIZE_TO_POINTER (b.count));
      bare_clear (&b);
    }
  bare_query (where_of ("new", FALSE, NULL, NULL), NULL, &new_view);
  t0 = now_ms ();
  watch_begin (&new_view, t0);
  open_page (session);
  first_open_ms = watch_end ("open");
  if (!wait_for (counts_shown, expected_counts, 120000))
    g_error ("the views' counts were not shown within 120 s");
  counts_ms = now_ms () - t0;
  wait_for (filters_filled, NULL, 60000);
  wait_for (model_idle, NULL, 60000);
  settle (500);
  rss_open = rss_kib ();
  printf ("  first open (cold SQLite caches)   %7.1f ms   (\"new\": %" G_GINT64_FORMAT " cases)\n",
          first_open_ms, new_view.count);
  printf ("    SQLite: first 40 rows           %7.1f ms\n", new_view.select_ms);
  printf ("    SQLite: COUNT of the view       %7.1f ms\n", new_view.count_ms);
  printf ("  counts of all %u views shown       %7.1f ms after opening   (SQLite: the %u COUNTs %.1f ms)\n",
          n_views, counts_ms, n_views, bare_counts_ms);
  printf ("  resident memory after opening     %7.1f MB   (target 300 MB)  %s\n",
          rss_open / 1024.0, rss_open / 1024.0 < 300 ? "met" : "MISSED");
  explain (where_of ("new", FALSE, NULL, NULL), NULL);
  fflush (stdout);

  /* 2. Opening again, @runs times. */
  for (guint run = 0; run < runs; run++)
    {
      Bare b;
      double ms;

      close_page ();
      settle (200);
      bare_query (where_of ("new", FALSE, NULL, NULL), NULL, &b);
      watch_begin (&b, now_ms ());
      open_page (session);
      ms = watch_end ("open");
      series_add (&open_s, ms, &b);
      wait_for (counts_shown, expected_counts, 120000);
      wait_for (filters_filled, NULL, 60000);
      wait_for (model_idle, NULL, 60000);
      bare_clear (&b);
    }
  series_print (&open_s, "open the section (\"new\")", 300);

  /* 3. Filters: each run a different village, then a different category, from "all". */
  villages = filter_ids (wg_session_get_store (session), "org_units");
  categories = filter_ids (wg_session_get_store (session), "categories");
  for (guint run = 0; run < runs; run++)
    {
      guint v = run % villages->len;
      guint c = run % categories->len;
      Bare b, back;

      bare_query (where_of ("new", FALSE, villages->pdata[v], NULL), NULL, &b);
      series_add (&village_s, time_filter ("village-filter", v + 1, &b), &b);
      bare_query (where_of ("new", FALSE, NULL, NULL), NULL, &back);
      reset_filter ("village-filter", &back);
      bare_clear (&b);
      bare_clear (&back);

      bare_query (where_of ("new", FALSE, NULL, categories->pdata[c]), NULL, &b);
      series_add (&category_s, time_filter ("category-filter", c + 1, &b), &b);
      bare_query (where_of ("new", FALSE, NULL, NULL), NULL, &back);
      reset_filter ("category-filter", &back);
      bare_clear (&b);
      bare_clear (&back);
    }
  series_print (&village_s, "village filter", 50);
  explain (where_of ("new", FALSE, villages->pdata[0], NULL), NULL);
  series_print (&category_s, "category filter", 50);

  /* 4. Search as one types: 路, then 路灯 (street lights), then cleared. */
  {
    GtkEditable *entry = GTK_EDITABLE (find_named (GTK_WIDGET (page), GTK_TYPE_SEARCH_ENTRY, "queue-search"));
    g_autofree char *q1 = wg_fts_build_query ("路");
    g_autofree char *q2 = wg_fts_build_query ("路灯");
    WgStore *store = wg_session_get_store (session);
    g_autoptr(GArray) store1 = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) store2 = g_array_new (FALSE, FALSE, sizeof (double));
    guint delay = 0;

    g_object_get (entry, "search-delay", &delay, NULL);
    g_signal_add_emission_hook (g_signal_lookup ("search-changed", GTK_TYPE_SEARCH_ENTRY), 0,
                                search_changed_hook, NULL, NULL);
    for (guint run = 0; run < runs; run++)
      {
        Bare b1, b2, back;

        double ms = store_rowids_ms (store, where_of ("new", TRUE, NULL, NULL), q1);

        g_array_append_val (store1, ms);
        ms = store_rowids_ms (store, where_of ("new", TRUE, NULL, NULL), q2);
        g_array_append_val (store2, ms);
        bare_query (where_of ("new", TRUE, NULL, NULL), q1, &b1);
        series_add (&search1_s, time_search (entry, "路", &b1), &b1);
        bare_query (where_of ("new", TRUE, NULL, NULL), q2, &b2);
        series_add (&search2_s, time_search (entry, "路灯", &b2), &b2);
        bare_query (where_of ("new", FALSE, NULL, NULL), NULL, &back);
        watch_begin (&back, now_ms ());
        gtk_editable_set_text (entry, "");
        wait_back ("search cleared");
        bare_clear (&b1);
        bare_clear (&b2);
        bare_clear (&back);
      }
    series_print (&search1_s, "search, 1st keystroke (路)", 50);
    printf ("  %-34s %7.1f ms median %7.1f ms worst\n", "    the store: all rows in order", median (store1), worst (store1));
    explain (where_of ("new", TRUE, NULL, NULL), q1);
    series_print (&search2_s, "search, 2nd keystroke (路灯)", 50);
    printf ("  %-34s %7.1f ms median %7.1f ms worst\n", "    the store: all rows in order", median (store2), worst (store2));
    printf ("    (each timed from \"search-changed\", which the entry emits %u ms after the keystroke)\n", delay);
  }

  /* 5. The largest view: all cases. */
  for (guint run = 0; run < runs; run++)
    {
      Bare all, back;

      bare_query (where_of ("all", FALSE, NULL, NULL), NULL, &all);
      watch_begin (&all, now_ms ());
      wg_dispatch_page_set_view (page, "all");
      series_add (&view_s, watch_end ("all"), &all);
      bare_query (where_of ("new", FALSE, NULL, NULL), NULL, &back);
      watch_begin (&back, now_ms ());
      wg_dispatch_page_set_view (page, "new");
      wait_back ("new");
      if (run == 0)
        printf ("  (\"all\": %" G_GINT64_FORMAT " cases; SQLite reads all their rowids in order in %.0f ms)\n",
                all.count, bare_all_rowids_ms (where_of ("all", FALSE, NULL, NULL), NULL));
      bare_clear (&all);
      bare_clear (&back);
    }
  series_print (&view_s, "switch to the \"all\" view", 300);
  explain (where_of ("all", FALSE, NULL, NULL), NULL);

  /* 6. Scrolling the million: the wheel, three rows a frame from the top, then jumps to random
   * places (the scroll bar dragged), each frame reading the rows it shows from the cache. */
  {
    Bare all, back;
    Scroll wheel, jumps, small;
    g_autoptr(GArray) jump_bare = g_array_new (FALSE, FALSE, sizeof (double));
    guint last_first;
    double wheel_bare;

    bare_query (where_of ("all", FALSE, NULL, NULL), NULL, &all);
    watch_begin (&all, now_ms ());
    wg_dispatch_page_set_view (page, "all");
    watch_end ("all");
    settle (300);

    run_scroll (&wheel, WHEEL_STEP, SCROLL_FRAMES);
    last_first = g_array_index (wheel.firsts, guint, wheel.firsts->len - 1);
    wheel_bare = bare_rows_ms (where_of ("all", FALSE, NULL, NULL), 0, last_first + ROWS_BOUND);

    run_scroll (&jumps, 0, JUMPS);
    for (guint i = 0; i < jumps.firsts->len; i++)
      {
        guint first = g_array_index (jumps.firsts, guint, i);
        double ms = bare_rows_ms (where_of ("all", FALSE, NULL, NULL), first > ROWS_BOUND / 2 ? first - ROWS_BOUND / 2 : 0, ROWS_BOUND);

        g_array_append_val (jump_bare, ms);
      }

    /* The same wheel over "New": what a frame costs when the view is not a million. */
    bare_query (where_of ("new", FALSE, NULL, NULL), NULL, &back);
    watch_begin (&back, now_ms ());
    wg_dispatch_page_set_view (page, "new");
    wait_back ("new");
    settle (300);
    run_scroll (&small, WHEEL_STEP, SCROLL_FRAMES);

    printf ("  scrolling \"all\" by the wheel, %.0f px a frame (%u frames, to about row %u)\n", WHEEL_STEP,
            wheel.work->len, last_first);
    scroll_print (&wheel, "    a frame", TRUE);
    printf ("  %-34s %7.1f ms for the %u rows (%.2f ms a frame)\n", "    SQLite: the rows, one by one",
            wheel_bare, last_first + ROWS_BOUND, wheel_bare / wheel.work->len);
    scroll_print (&small, "    the same wheel over \"new\"", FALSE);
    printf ("  %-34s %7.1f ms median %7.1f ms worst of %u   (target 50 ms)  %s\n",
            "jumps to a random place in \"all\"", median (jumps.work), worst (jumps.work), jumps.work->len,
            worst (jumps.work) < 50 ? "met" : "MISSED");
    printf ("  %-34s %7.1f ms median %7.1f ms p95\n", "      of which GTK's paint phase",
            median (jumps.paint), percentile (jumps.paint, 0.95));
    printf ("  %-34s %7.1f ms median %7.1f ms worst\n", "    SQLite: the 200 rows, one by one",
            median (jump_bare), worst (jump_bare));

    scroll_clear (&wheel);
    scroll_clear (&jumps);
    scroll_clear (&small);
    bare_clear (&all);
    bare_clear (&back);
  }

  printf ("  resident memory at the end        %7.1f MB\n", rss_kib () / 1024.0);
  fflush (stdout);

  close_page ();
  gtk_window_destroy (window);
  bare_clear (&new_view);
  sqlite3_close (bare);
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 6 && g_str_equal (argv[1], "--sync"))
    return run_sync (argv[2], argv[3], argv[4], argv[5]);
  if (argc != 2 && argc != 3)
    {
      g_printerr ("usage: bench-dispatch --sync URL USERNAME PASSWORD DATA_DIR\n"
                  "       bench-dispatch DATA_DIR [RUNS]\n");
      return 2;
    }

  gtk_init ();
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  return run_measurements (argv[1], argc == 3 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 10);
}
