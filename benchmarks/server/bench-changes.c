/* bench-changes.c — change-feed throughput from 0 over 100k cases, next to reading the rows straight from SQLite
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-server-changes [N_CASES] [PAGE]     (defaults 100000 and 5000)
 *        with WANGGE_SERVER naming the wangge-server binary.
 *
 * Seeds N cases (each with a three-entry timeline, about 1 KB) through the server's own
 * bulk storage API in one transaction, starts the real server on loopback and pulls the
 * whole feed from since=0 as a client does: HTTP pages of PAGE changes, each parsed with
 * json-glib. In the same run it reads the same change rows through the storage module
 * without HTTP and JSON, which is the ceiling the feed is measured against.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "wg-db.h"
#include "wg-json.h"
#include "wg-server-private.h"
#include "wg-test-server.h"

static void
count_cb (gint64      seq,
          const char *kind,
          const char *id,
          gint64      version,
          const char *op,
          const char *at,
          const char *body,
          gpointer    user_data)
{
  gsize *bytes = user_data;

  *bytes += body ? strlen (body) : 0;
}

static void
seed (const char *data_dir,
      guint       n)
{
  g_autofree char *path = g_build_filename (data_dir, "wangge.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgDb) db = wg_db_open (path, FALSE, &error);
  g_autofree char *now = wg_rfc3339_now ();
  gint64 t0 = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_assert_true (wg_db_begin (db, &error));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *id = g_uuid_string_random ();
      g_autofree char *number = g_strdup_printf ("2026-%06u", i + 1);
      g_autoptr(WgRecord) r = wg_record_new ("cases", id);

      r->version = 3;
      r->created_at = g_strdup (now);
      r->updated_at = g_strdup (now);
      r->natural_key = g_strdup (number);
      r->body = g_strdup_printf (
        "{\"id\":\"%s\",\"version\":3,\"created_at\":\"%s\",\"updated_at\":\"%s\",\"number\":\"%s\","
        "\"state\":\"dispatched\",\"source\":\"grid_patrol\",\"title\":\"路灯不亮 %u\",\"description\":\"马街镇某村主干道路灯夜间不亮，影响群众出行。\","
        "\"urgency\":\"normal\",\"location\":{\"type\":\"Point\",\"coordinates\":[104.3%04u,24.9%04u]},"
        "\"reporter\":{\"name\":\"张三\",\"phone\":\"13800000000\"},\"self_handled\":false,"
        "\"assignee\":{\"kind\":\"team\",\"id\":\"6f1c2b1e-1111-4222-8333-944455556666\"},"
        "\"deadline\":\"2026-10-08T02:00:00.000Z\",\"satisfaction\":null,\"attachments\":[],\"timeline\":["
        "{\"n\":1,\"at\":\"%s\",\"actor_id\":\"6f1c2b1e-1111-4222-8333-944455556666\",\"actor_name\":\"网格员\",\"action\":\"report\",\"from\":\"new\",\"to\":\"reported\",\"note\":null},"
        "{\"n\":2,\"at\":\"%s\",\"actor_id\":\"6f1c2b1e-1111-4222-8333-944455556666\",\"actor_name\":\"调度员\",\"action\":\"accept\",\"from\":\"reported\",\"to\":\"accepted\",\"note\":null},"
        "{\"n\":3,\"at\":\"%s\",\"actor_id\":\"6f1c2b1e-1111-4222-8333-944455556666\",\"actor_name\":\"调度员\",\"action\":\"dispatch\",\"from\":\"accepted\",\"to\":\"dispatched\",\"note\":\"请尽快处理\"}]}",
        id, now, now, number, i, i % 10000, i % 10000, now, now, now);
      g_assert_true (wg_db_put_record (db, r, NULL, NULL, &error));
    }
  g_assert_true (wg_db_commit (db, &error));
  g_print ("seeded %u cases in one transaction in %.1f s\n", n, (g_get_monotonic_time () - t0) / 1e6);
}

static double
read_sqlite (const char *data_dir,
             guint       page,
             guint      *out_n,
             gsize      *out_bytes)
{
  g_autofree char *path = g_build_filename (data_dir, "wangge.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgDb) db = wg_db_open (path, FALSE, &error);
  gint64 since = 0, next = 0, t0;
  gboolean more = TRUE;
  gsize bytes = 0;

  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  while (more)
    {
      g_assert_true (wg_db_read_changes (db, since, page, NULL, TRUE, count_cb, &bytes, &next, &more, &error));
      since = next;
    }
  *out_n = (guint) since;
  *out_bytes = bytes;
  return (g_get_monotonic_time () - t0) / 1e6;
}

static double
read_feed (WgTestServer *ts,
           guint         page,
           gboolean      parse,
           guint        *out_n,
           gsize        *out_bytes)
{
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 300, NULL);
  gint64 since = 0, t0 = g_get_monotonic_time ();
  gboolean more = TRUE;
  guint n = 0;
  gsize bytes = 0;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=%u", since, page);
      g_autofree char *uri = g_strconcat (ts->url, path, NULL);
      g_autofree char *auth = g_strdup_printf ("Bearer %s", ts->admin_token);
      g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
      g_autoptr(GBytes) body = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;
      const char *data;

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
      body = soup_session_send_and_read (session, msg, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
      data = g_bytes_get_data (body, &len);
      bytes += len;
      if (parse)
        {
          g_autoptr(JsonParser) parser = json_parser_new_immutable ();
          JsonObject *obj;

          g_assert_true (json_parser_load_from_data (parser, data, len, &error));
          obj = json_node_get_object (json_parser_get_root (parser));
          n += json_array_get_length (json_object_get_array_member (obj, "changes"));
          since = json_object_get_int_member (obj, "next");
          more = json_object_get_boolean_member (obj, "has_more");
        }
      else
        {
          /* find the cursor without a DOM: the trailer is ],"next":N,"has_more":B} */
          const char *tail = g_strrstr_len (data, len, "\"next\":");

          g_assert_nonnull (tail);
          since = g_ascii_strtoll (tail + 7, NULL, 10);
          more = g_strrstr_len (tail, len - (tail - data), "\"has_more\":true") != NULL;
          n = (guint) since;
        }
    }
  *out_n = n;
  *out_bytes = bytes;
  return (g_get_monotonic_time () - t0) / 1e6;
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) g_ascii_strtoull (argv[1], NULL, 10) : 100000;
  guint page = argc > 2 ? (guint) g_ascii_strtoull (argv[2], NULL, 10) : 5000;
  WgTestServer *ts;
  guint n_sql, n_raw, n_parsed;
  gsize b_sql, b_raw, b_parsed;
  double t_sql, t_raw, t_parsed;

  ts = wg_test_server_start (NULL);
  wg_test_server_stop (ts, FALSE);      /* seed while nobody else writes */
  seed (ts->data_dir, n);
  {
    WgTestServer *again = wg_test_server_start_in (ts->data_dir, NULL);

    ts->process = g_steal_pointer (&again->process);
    g_free (ts->url);
    ts->url = g_steal_pointer (&again->url);
    wg_test_server_free (again);
  }

  /* warm the page cache the same way for everyone */
  read_sqlite (ts->data_dir, page, &n_sql, &b_sql);

  t_sql = read_sqlite (ts->data_dir, page, &n_sql, &b_sql);
  t_raw = read_feed (ts, page, FALSE, &n_raw, &b_raw);
  t_parsed = read_feed (ts, page, TRUE, &n_parsed, &b_parsed);

  g_print ("\nchange feed from 0, %u changes (%u cases), pages of %u:\n", n_parsed, n, page);
  g_print ("  %-52s %9.0f records/s  (%.2f s, %.0f MB/s)\n", "SQLite rows via the storage module, no HTTP",
           n_sql / t_sql, t_sql, b_sql / t_sql / 1e6);
  g_print ("  %-52s %9.0f records/s  (%.2f s, %.0f MB/s)\n", "GET /api/v1/changes, bytes only",
           n_raw / t_raw, t_raw, b_raw / t_raw / 1e6);
  g_print ("  %-52s %9.0f records/s  (%.2f s, %.0f MB/s)\n", "GET /api/v1/changes, each page parsed (json-glib)",
           n_parsed / t_parsed, t_parsed, b_parsed / t_parsed / 1e6);
  g_print ("  feed / SQLite: %.0f%% (bytes only), %.0f%% (parsed)\n",
           100.0 * (n_raw / t_raw) / (n_sql / t_sql), 100.0 * (n_parsed / t_parsed) / (n_sql / t_sql));

  wg_test_server_free (ts);
  return 0;
}
