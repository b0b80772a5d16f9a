/* test-feed-scanner.c — the sync's page scanner against json-glib on the same bytes
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Valid pages (written here with random escapes, Unicode, numbers, nesting, whitespace and
 * repeated members, and real pages from wangge-server) must give member for member what
 * json-glib's tree of the same bytes gives, and be refused with the same words when they are
 * of the wrong shape. Malformed pages (every truncation of a page, bad escapes, invalid
 * UTF-8, trailing garbage, random mutations) must be refused. Every input is copied into a
 * heap block of exactly its size first, so that AddressSanitizer or valgrind see any read
 * past its end.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "wg-api.h"
#include "wg-feed-scanner.h"
#include "wg-test-server.h"

#define BAD_REPLY_FORMAT "The server’s list of changes could not be read (%s). Nothing was changed here; Wangge will try again."

static const char * const kinds[] = {
  "org_units", "grids", "households", "people", "teams", "assignments", "categories",
  "cases", "holidays", "accounts",
};

/* --- json-glib's view ------------------------------------------------------------------------ */

static WgFeedType
type_of (JsonNode *node)
{
  if (node == NULL)
    return WG_FEED_ABSENT;

  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      return WG_FEED_OBJECT;
    case JSON_NODE_ARRAY:
      return WG_FEED_ARRAY;
    case JSON_NODE_NULL:
      return WG_FEED_NULL;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING)
        return WG_FEED_STRING;
      if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
        return WG_FEED_BOOLEAN;
      if (json_node_get_value_type (node) == G_TYPE_INT64)
        return WG_FEED_INTEGER;
      return WG_FEED_NUMBER;
    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
member (JsonNode   *object,
        const char *name)
{
  if (object == NULL || !JSON_NODE_HOLDS_OBJECT (object))
    return NULL;
  return json_object_get_member (json_node_get_object (object), name);
}

/* json-glib clamps an integer outside gint64 to its ends; the scanner calls it a number
 * that is not an integer (documented in wg-feed-scanner.c). */
static gboolean
clamped (WgFeedType  type,
         JsonNode   *node)
{
  return type == WG_FEED_NUMBER && type_of (node) == WG_FEED_INTEGER &&
         (json_node_get_int (node) == G_MAXINT64 || json_node_get_int (node) == G_MININT64);
}

static void
assert_type (WgFeedType  type,
             JsonNode   *node,
             const char *what)
{
  if (type != type_of (node) && !clamped (type, node))
    g_error ("%s: the scanner has type %d, json-glib %d", what, type, type_of (node));
}

static void
assert_value (const WgFeedValue *value,
              JsonNode          *node,
              const char        *what)
{
  WgFeedType expected = type_of (node);

  if (clamped (value->type, node))
    return;

  assert_type (value->type, node, what);
  if (expected == WG_FEED_STRING && g_strcmp0 (value->string, json_node_get_string (node)) != 0)
    g_error ("%s: the scanner has “%s”, json-glib “%s”", what, value->string, json_node_get_string (node));
  if (expected == WG_FEED_INTEGER && value->integer != json_node_get_int (node))
    g_error ("%s: the scanner has %" G_GINT64_FORMAT ", json-glib %" G_GINT64_FORMAT, what,
             value->integer, json_node_get_int (node));
  if (expected == WG_FEED_BOOLEAN && !value->boolean != !json_node_get_boolean (node))
    g_error ("%s: booleans differ", what);
}

/* The checks wg-sync.c made with json-glib before the scanner, word for word: NULL when the
 * page passes. */
static char *
json_glib_check (JsonNode *root)
{
  JsonArray *array;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return g_strdup ("not a JSON object");
  if (type_of (member (root, "changes")) != WG_FEED_ARRAY || type_of (member (root, "next")) != WG_FEED_INTEGER ||
      type_of (member (root, "has_more")) != WG_FEED_BOOLEAN)
    return g_strdup ("“changes”, “next” or “has_more” is missing");

  array = json_node_get_array (member (root, "changes"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *item = json_array_get_element (array, i);
      const char *op;

      if (!JSON_NODE_HOLDS_OBJECT (item))
        return g_strdup ("a change is not an object");
      if (type_of (member (item, "kind")) != WG_FEED_STRING || type_of (member (item, "id")) != WG_FEED_STRING ||
          type_of (member (item, "op")) != WG_FEED_STRING || type_of (member (item, "seq")) != WG_FEED_INTEGER)
        return g_strdup ("a change lacks its kind, id, op or seq");
      op = json_node_get_string (member (item, "op"));
      if (g_str_equal (op, "delete"))
        continue;
      if (!g_str_equal (op, "upsert"))
        return g_strdup ("a change has an unknown op");
      if (type_of (member (item, "record")) != WG_FEED_OBJECT)
        return g_strdup ("an update comes without its record");
    }

  return NULL;
}

static void
assert_change (const WgFeedChange *change,
               JsonNode           *item,
               const char         *data,
               gsize               len,
               guint               index)
{
  g_autofree char *where = g_strdup_printf ("change %u", index);
  JsonNode *record = member (item, "record");
  JsonNode *assignee;

  assert_type (change->type, item, where);
  if (change->type != WG_FEED_OBJECT)
    return;

  assert_value (&change->kind, member (item, "kind"), "kind");
  assert_value (&change->id, member (item, "id"), "id");
  assert_value (&change->op, member (item, "op"), "op");
  assert_value (&change->seq, member (item, "seq"), "seq");
  assert_type (change->record, record, "record");
  if (change->record != WG_FEED_OBJECT)
    {
      g_assert_null (change->record_text);
      for (guint f = 0; f < WG_FEED_N_FIELDS; f++)
        g_assert_cmpint (change->fields[f].type, ==, WG_FEED_ABSENT);
      return;
    }

  /* The record's text is its whole value, inside the page, and reads as json-glib's tree. */
  g_assert_true (change->record_text >= data && change->record_text + change->record_len <= data + len);
  g_assert_cmpint (change->record_text[0], ==, '{');
  g_assert_cmpint (change->record_text[change->record_len - 1], ==, '}');
  {
    g_autofree char *text = g_strndup (change->record_text, change->record_len);
    g_autoptr(JsonNode) again = json_from_string (text, NULL);

    g_assert_nonnull (again);
    g_assert_true (json_node_equal (again, record));
  }

  for (guint f = 0; f <= WG_FEED_FIELD_ASSIGNEE; f++)
    {
      g_autofree char *what = g_strdup_printf ("%s: record member %s", where, wg_feed_field_name (f));

      assert_value (&change->fields[f], member (record, wg_feed_field_name (f)), what);
    }
  /* The location, kept as text for the cache's coordinates, reads as json-glib's. */
  if (member (record, "location") == NULL)
    g_assert_null (change->location_text);
  else
    {
      g_autofree char *text = g_strndup (change->location_text, change->location_len);
      g_autoptr(JsonNode) again = json_from_string (text, NULL);

      g_assert_true (change->location_text > change->record_text &&
                     change->location_text + change->location_len < change->record_text + change->record_len);
      g_assert_nonnull (again);
      g_assert_true (json_node_equal (again, member (record, "location")));
    }
  assignee = member (record, "assignee");
  assert_value (&change->fields[WG_FEED_FIELD_ASSIGNEE_KIND], member (assignee, "kind"), "assignee kind");
  assert_value (&change->fields[WG_FEED_FIELD_ASSIGNEE_ID], member (assignee, "id"), "assignee id");
}

/* Scans @len bytes (copied to a block of exactly that size) and returns the page, or NULL
 * with the "what" of the error in @out_what. */
static WgFeedPage *
scan_exactly (const char  *data,
              gsize        len,
              char       **out_what)
{
  g_autofree char *copy = len > 0 ? g_memdup2 (data, len) : NULL;
  g_autoptr(GError) error = NULL;
  WgFeedPage *page = wg_feed_scan (copy, len, &error);

  /* The page points into the copy; the callers only look at its types and strings, which
   * are its own, unless they keep @data (see assert_same_as_json_glib ()). */
  if (page == NULL)
    {
      g_assert_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REPLY);
      if (out_what != NULL)
        {
          const char *open = strchr (error->message, '(');
          const char *close = strrchr (error->message, ')');

          g_assert_nonnull (open);
          g_assert_nonnull (close);
          *out_what = g_strndup (open + 1, close - open - 1);
        }
      return NULL;
    }

  g_assert_no_error (error);
  return page;
}

/* Whether @data may have an integer outside gint64 (a run of digits past G_MAXINT64, in a
 * string or not): json-glib clamps those and may take a page the scanner refuses. */
static gboolean
may_clamp (const char *data,
           gsize       len)
{
  for (gsize i = 0; i < len; )
    {
      gsize run = 0;

      while (i + run < len && g_ascii_isdigit (data[i + run]))
        run++;
      if (run > 19 || (run == 19 && memcmp (data + i, "9223372036854775807", 19) > 0))
        return TRUE;
      i += MAX (run, 1);
    }
  return FALSE;
}

/* @data must be valid JSON: the scanner must read it, and give what json-glib gives. */
static void
assert_same_as_json_glib (const char *data,
                          gsize       len)
{
  char *copy = len > 0 ? g_memdup2 (data, len) : NULL;
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) check_error = NULL;
  g_autoptr(WgFeedPage) page = NULL;
  g_autofree char *expected = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, data, len, &error))
    g_error ("json-glib refuses a page it should read: %s\n%.*s", error->message, (int) MIN (len, 2000), data);
  root = json_parser_get_root (parser);

  page = wg_feed_scan (copy, len, &error);
  if (page == NULL)
    g_error ("the scanner refuses a page json-glib reads: %s\n%.*s", error->message, (int) MIN (len, 2000), data);

  assert_type (page->root, root, "root");
  if (page->root == WG_FEED_OBJECT)
    {
      JsonNode *changes = member (root, "changes");

      assert_type (page->changes_type, changes, "changes");
      assert_value (&page->next, member (root, "next"), "next");
      assert_value (&page->has_more, member (root, "has_more"), "has_more");
      if (page->changes_type == WG_FEED_ARRAY)
        {
          JsonArray *array = json_node_get_array (changes);

          g_assert_cmpuint (page->n_changes, ==, json_array_get_length (array));
          for (guint i = 0; i < page->n_changes; i++)
            assert_change (&page->changes[i], json_array_get_element (array, i), copy, len, i);
        }
      else
        g_assert_cmpuint (page->n_changes, ==, 0);
    }

  /* The same verdict in the same words as the checks made on json-glib's tree. */
  expected = json_glib_check (root);
  if (may_clamp (data, len))
    ;
  else if (expected == NULL)
    {
      if (!wg_feed_page_check (page, &check_error))
        g_error ("the scanner says “%s”, json-glib takes:\n%.*s", check_error->message, (int) MIN (len, 4000), data);
    }
  else
    {
      g_autofree char *message = g_strdup_printf (BAD_REPLY_FORMAT, expected);

      g_assert_false (wg_feed_page_check (page, &check_error));
      g_assert_error (check_error, WG_API_ERROR, WG_API_ERROR_BAD_REPLY);
      if (!g_str_equal (check_error->message, message))
        g_error ("the scanner says “%s”, json-glib “%s” of:\n%.*s", check_error->message, message,
                 (int) MIN (len, 4000), data);
    }

  g_clear_pointer (&page, wg_feed_page_free);
  g_free (copy);
}

/* --- pages written at random ----------------------------------------------------------------- */

typedef struct
{
  GRand   *rand;
  GString *out;
  double   chaos;       /* how often a member has the wrong type, is missing or repeated */
  gboolean spaces;
} Gen;

static gboolean
chance (Gen    *gen,
        double  p)
{
  return g_rand_double (gen->rand) < p;
}

static guint
pick (Gen   *gen,
      guint  n)
{
  return g_rand_int_range (gen->rand, 0, n);
}

static void
gen_space (Gen *gen)
{
  static const char space[] = " \t\r\n";

  if (!gen->spaces || !chance (gen, 0.3))
    return;
  for (guint n = 1 + pick (gen, 3); n > 0; n--)
    g_string_append_c (gen->out, space[pick (gen, 4)]);
}

static void
gen_u_escape (Gen      *gen,
              gunichar  unit)
{
  g_string_append_printf (gen->out, chance (gen, 0.5) ? "\\u%04x" : "\\u%04X", unit);
}

static gunichar
random_char (Gen *gen)
{
  for (;;)
    {
      gunichar c;

      switch (pick (gen, 4))
        {
        case 0: c = g_rand_int_range (gen->rand, 0x80, 0x800); break;
        case 1: c = g_rand_int_range (gen->rand, 0x800, 0x10000); break;
        case 2: c = g_rand_int_range (gen->rand, 0x10000, 0x110000); break;
        default: c = g_rand_int_range (gen->rand, 0x4e00, 0xa000); break;     /* CJK */
        }
      if (c < 0xd800 || c > 0xdfff)
        return c;
    }
}

/* A string of random text: ASCII, the short escapes, \u escapes (surrogate pairs too), raw
 * UTF-8 of every length, CJK, and now and then a \u0000. */
static void
gen_text (Gen *gen)
{
  static const char * const escapes[] = { "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t" };

  g_string_append_c (gen->out, '"');
  for (guint n = pick (gen, 12); n > 0; n--)
    switch (pick (gen, 8))
      {
      case 0:
      case 1:
        {
          char c = (char) g_rand_int_range (gen->rand, 0x20, 0x7f);

          if (c == '"' || c == '\\')
            c = 'x';
          g_string_append_c (gen->out, c);
        }
        break;
      case 2:
        g_string_append (gen->out, escapes[pick (gen, G_N_ELEMENTS (escapes))]);
        break;
      case 3:
        {
          gunichar c = random_char (gen);

          if (c < 0x10000)
            gen_u_escape (gen, c);
          else
            {
              gen_u_escape (gen, 0xd800 + ((c - 0x10000) >> 10));
              gen_u_escape (gen, 0xdc00 + ((c - 0x10000) & 0x3ff));
            }
        }
        break;
      case 4:
        gen_u_escape (gen, g_rand_int_range (gen->rand, 0x01, 0x20));
        break;
      case 5:
        if (chance (gen, 0.1))
          g_string_append (gen->out, "\\u0000");
        else
          g_string_append (gen->out, "abc");
        break;
      default:
        g_string_append_unichar (gen->out, random_char (gen));
        break;
      }
  g_string_append_c (gen->out, '"');
}

/* A member's name, now and then with one of its letters escaped. */
static void
gen_name (Gen        *gen,
          const char *name)
{
  gsize len = strlen (name);
  gsize escaped = len > 0 && chance (gen, 0.1) ? pick (gen, len) : G_MAXSIZE;

  gen_space (gen);
  g_string_append_c (gen->out, '"');
  for (gsize i = 0; i < len; i++)
    {
      if (i == escaped)
        gen_u_escape (gen, (guchar) name[i]);
      else
        g_string_append_c (gen->out, name[i]);
    }
  g_string_append_c (gen->out, '"');
  gen_space (gen);
  g_string_append_c (gen->out, ':');
  gen_space (gen);
}

static void
gen_integer (Gen *gen)
{
  switch (pick (gen, 6))
    {
    case 0: g_string_append (gen->out, "0"); break;
    case 1: g_string_append (gen->out, "-0"); break;
    case 2: g_string_append_printf (gen->out, "%" G_GINT64_FORMAT, G_MAXINT64); break;
    case 3: g_string_append_printf (gen->out, "%" G_GINT64_FORMAT, G_MININT64); break;
    default:
      g_string_append_printf (gen->out, "%" G_GINT64_FORMAT,
                              (gint64) g_rand_int_range (gen->rand, -1000000, 1000000) * (chance (gen, 0.5) ? 1 : 1000003));
      break;
    }
}

static void
gen_number (Gen *gen)
{
  static const char * const numbers[] = { "1.5", "-0.0", "1e3", "1E+3", "2.5e-7", "-12.25E2", "0.000", "1e999" };

  if (chance (gen, 0.5))
    gen_integer (gen);
  else
    g_string_append (gen->out, numbers[pick (gen, G_N_ELEMENTS (numbers))]);
}

static void gen_value (Gen *gen, guint depth);

static void
gen_object (Gen   *gen,
            guint  depth)
{
  guint n = pick (gen, 4);

  g_string_append_c (gen->out, '{');
  gen_space (gen);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *name = g_strdup_printf ("m%u", pick (gen, 3));

      if (i > 0)
        g_string_append_c (gen->out, ',');
      gen_name (gen, chance (gen, 0.2) ? "id" : name);
      gen_value (gen, depth + 1);
      gen_space (gen);
    }
  g_string_append_c (gen->out, '}');
}

static void
gen_value (Gen   *gen,
           guint  depth)
{
  switch (pick (gen, depth > 3 ? 6 : 8))
    {
    case 0: g_string_append (gen->out, "null"); break;
    case 1: g_string_append (gen->out, chance (gen, 0.5) ? "true" : "false"); break;
    case 2: gen_number (gen); break;
    case 3:
    case 4:
    case 5: gen_text (gen); break;
    case 6:
      {
        guint n = pick (gen, 4);

        g_string_append_c (gen->out, '[');
        gen_space (gen);
        for (guint i = 0; i < n; i++)
          {
            if (i > 0)
              g_string_append_c (gen->out, ',');
            gen_space (gen);
            gen_value (gen, depth + 1);
            gen_space (gen);
          }
        g_string_append_c (gen->out, ']');
      }
      break;
    default:
      gen_object (gen, depth);
      break;
    }
}

typedef void (*GenMember) (Gen *gen, guint which);

/* The members of an object in random order, some repeated (the last counts), some left out,
 * some of another type, as chaos decides; @wanted writes member @which well typed. */
static void
gen_members (Gen         *gen,
             const char **names,
             guint        n_names,
             GenMember    wanted)
{
  g_autoptr(GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  gboolean first = TRUE;

  for (guint i = 0; i < n_names; i++)
    {
      if (chance (gen, gen->chaos))
        continue;
      g_array_append_val (order, i);
      if (chance (gen, gen->chaos))
        g_array_append_val (order, i);
    }
  /* Shuffle. */
  for (guint i = order->len; i > 1; i--)
    {
      guint j = pick (gen, i);
      guint t = g_array_index (order, guint, i - 1);

      g_array_index (order, guint, i - 1) = g_array_index (order, guint, j);
      g_array_index (order, guint, j) = t;
    }

  g_string_append_c (gen->out, '{');
  gen_space (gen);
  for (guint i = 0; i < order->len; i++)
    {
      guint which = g_array_index (order, guint, i);

      if (!first)
        g_string_append_c (gen->out, ',');
      first = FALSE;
      gen_name (gen, names[which]);
      if (chance (gen, gen->chaos))
        gen_value (gen, 3);
      else
        wanted (gen, which);
      gen_space (gen);
    }
  g_string_append_c (gen->out, '}');
}

static const char *assignee_names[] = { "kind", "id", "name" };

static void
gen_assignee_member (Gen   *gen,
                     guint  which)
{
  gen_text (gen);
}

static const char *record_names[] = {
  "id", "version", "state", "number", "urgency", "category_id", "village_id", "grid_id",
  "source", "title", "address", "description", "reported_at", "created_at", "deadline",
  "updated_at", "assignee", "timeline", "location", "extra",
};

static void
gen_record_member (Gen   *gen,
                   guint  which)
{
  const char *name = record_names[which];

  if (g_str_equal (name, "version"))
    gen_integer (gen);
  else if (g_str_equal (name, "assignee"))
    gen_members (gen, assignee_names, G_N_ELEMENTS (assignee_names), gen_assignee_member);
  else if (g_str_equal (name, "timeline") || g_str_equal (name, "location") || g_str_equal (name, "extra"))
    gen_value (gen, 1);
  else
    gen_text (gen);
}

static const char *change_names[] = { "seq", "kind", "id", "version", "op", "at", "record" };

static void
gen_change_member (Gen   *gen,
                   guint  which)
{
  const char *name = change_names[which];

  if (g_str_equal (name, "seq") || g_str_equal (name, "version"))
    gen_integer (gen);
  else if (g_str_equal (name, "kind"))
    g_string_append_printf (gen->out, "\"%s\"", kinds[pick (gen, G_N_ELEMENTS (kinds))]);
  else if (g_str_equal (name, "op"))
    g_string_append (gen->out, chance (gen, 0.8) ? "\"upsert\"" : chance (gen, 0.9) ? "\"delete\"" : "\"merge\"");
  else if (g_str_equal (name, "record"))
    gen_members (gen, record_names, G_N_ELEMENTS (record_names), gen_record_member);
  else
    gen_text (gen);
}

static const char *page_names[] = { "changes", "next", "has_more", "server_time" };

static void
gen_page_member (Gen   *gen,
                 guint  which)
{
  const char *name = page_names[which];

  if (g_str_equal (name, "changes"))
    {
      guint n = pick (gen, 12);

      g_string_append_c (gen->out, '[');
      gen_space (gen);
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append_c (gen->out, ',');
          gen_space (gen);
          if (chance (gen, gen->chaos / 4))
            gen_value (gen, 2);
          else
            gen_members (gen, change_names, G_N_ELEMENTS (change_names), gen_change_member);
          gen_space (gen);
        }
      g_string_append_c (gen->out, ']');
    }
  else if (g_str_equal (name, "next"))
    gen_integer (gen);
  else if (g_str_equal (name, "has_more"))
    g_string_append (gen->out, chance (gen, 0.5) ? "true" : "false");
  else
    gen_text (gen);
}

static GString *
gen_page (GRand    *rand,
          double    chaos,
          gboolean  spaces)
{
  Gen gen = { rand, g_string_new (NULL), chaos, spaces };

  gen_space (&gen);
  gen_members (&gen, page_names, G_N_ELEMENTS (page_names), gen_page_member);
  return gen.out;
}

static void
test_generated_pages (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint passed = 0;

  for (guint i = 0; i < 3000; i++)
    {
      double chaos = i % 2 == 0 ? 0.0 : 0.08;
      g_autoptr(GString) page = gen_page (rand, chaos, i % 3 != 0);

      /* A trailing newline, as servers often send. */
      if (i % 5 == 0)
        g_string_append_c (page, '\n');
      assert_same_as_json_glib (page->str, page->len);
      {
        g_autoptr(JsonNode) root = json_from_string (page->str, NULL);
        g_autofree char *verdict = json_glib_check (root);

        passed += verdict == NULL;
      }
    }

  /* Both kinds were there: pages the sync takes, and pages it refuses for their shape. */
  g_test_message ("3000 generated pages, %u of them well formed for the sync", passed);
  g_assert_cmpuint (passed, >, 1000);
  g_assert_cmpuint (passed, <, 3000);
}

/* Hand-written corners of valid JSON, each compared with json-glib. */
static void
test_valid_corners (void)
{
  static const char * const pages[] = {
    /* repeated members: the last counts, whatever its type */
    "{\"changes\":[],\"next\":1,\"next\":2,\"has_more\":false}",
    "{\"changes\":[{\"kind\":\"x\"}],\"changes\":[],\"next\":\"1\",\"next\":3,\"has_more\":true,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":{\"id\":\"a\",\"version\":1,"
    "\"state\":\"open\",\"state\":5,\"title\":1,\"title\":\"t\",\"assignee\":{\"kind\":\"team\",\"id\":\"q\"},"
    "\"assignee\":{\"id\":\"r\"}},\"record\":{\"id\":\"b\",\"version\":2,\"state\":\"closed\"}}],\"next\":1,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":{\"id\":\"a\",\"version\":1,"
    "\"state\":\"x\",\"assignee\":{\"kind\":\"team\",\"id\":\"q\"},\"assignee\":\"nobody\"}}],\"next\":1,\"has_more\":false}",
    /* escapes in names and values, U+0000 ending a text */
    "{\"\\u0063hanges\":[{\"s\\u0065q\":1,\"kind\":\"c\\u0061ses\",\"id\":\"\\ud83d\\ude00\\u00e9\\u4e2d\",\"op\":\"upsert\","
    "\"record\":{\"\\u0069d\":\"x\\u0000y\",\"version\":7,\"state\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\",\"title\":\"\\uD834\\uDD1E\"}}],"
    "\"next\":1,\"has_more\":false}",
    "{\"changes\":[],\"next\":1,\"has_more\":false,\"id\\u0000tail\":1}",
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\\u0000x\",\"record\":{}}],\"next\":1,\"has_more\":false}",
    /* noncharacters, the last code point and C1 controls are valid UTF-8 and valid JSON */
    "{\"changes\":[{\"seq\":1,\"kind\":\"\xef\xbf\xbf\xef\xbf\xbe\xef\xb7\x90\xf4\x8f\xbf\xbf\xc2\x80\",\"id\":"
    "\"\\uffff\\ufffe\\udbff\\udfff\\u0080\",\"op\":\"delete\"}],\"next\":1,\"has_more\":false}",
    /* raw UTF-8 of every length, DEL unescaped */
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"é中😀\x7f\",\"op\":\"delete\"}],\"next\":1,\"has_more\":false}",
    /* numbers at the ends of gint64, and ones that are not integers */
    "{\"changes\":[],\"next\":9223372036854775807,\"has_more\":false,\"a\":-9223372036854775808}",
    "{\"changes\":[],\"next\":-0,\"has_more\":false,\"a\":[0,-0,0.0,1e0,1E-0,-1.5e+300,1e999]}",
    "{\"changes\":[],\"next\":1.0,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1e0,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":{}}],\"next\":1,\"has_more\":false}",
    /* whitespace everywhere, a byte order mark, empty names and values */
    "\xef\xbb\xbf \t\r\n{ \"changes\" : [ ] , \"next\" : 1 , \"has_more\" : false , \"\" : \"\" } \n",
    /* other shapes */
    "",
    "   ",
    "[]",
    "\"changes\"",
    "42",
    "null",
    "{}",
    "{\"changes\":{},\"next\":1,\"has_more\":false}",
    "{\"changes\":[1],\"next\":1,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":null}],\"next\":1,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":[]}],\"next\":1,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\"}],\"next\":1,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"remove\"}],\"next\":1,\"has_more\":false}",
    "{\"changes\":[{\"seq\":1,\"kind\":null,\"id\":\"a\",\"op\":\"delete\"}],\"next\":1,\"has_more\":false}",
    "{\"changes\":[],\"next\":1,\"has_more\":\"false\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    assert_same_as_json_glib (pages[i], strlen (pages[i]));
}

/* 1,024 levels of nesting are read (json-glib's limit too), 1,025 are not. */
static void
test_nesting (void)
{
  for (guint levels = 1023; levels <= 1025; levels++)
    {
      g_autoptr(GString) page = g_string_new ("{\"changes\":[],\"next\":1,\"has_more\":false,\"deep\":");
      g_autoptr(WgFeedPage) scanned = NULL;
      g_autofree char *what = NULL;

      for (guint i = 1; i < levels; i++)
        g_string_append_c (page, '[');
      for (guint i = 1; i < levels; i++)
        g_string_append_c (page, ']');
      g_string_append_c (page, '}');

      if (levels <= 1024)
        assert_same_as_json_glib (page->str, page->len);
      else
        {
          scanned = scan_exactly (page->str, page->len, &what);
          g_assert_null (scanned);
          g_assert_true (g_str_has_prefix (what, "values nested too deeply at byte "));
        }
    }
}

/* --- malformed pages -------------------------------------------------------------------------- */

/* Every truncation of a page is refused as cut off; nothing but whitespace as not an object. */
static void
assert_all_truncations_refused (const char *data,
                                gsize       len)
{
  gsize lead = strspn (data, " \t\r\n");

  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(WgFeedPage) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *what = NULL;

      page = scan_exactly (data, cut, &what);
      if (cut <= lead)
        {
          g_assert_nonnull (page);
          g_assert_false (wg_feed_page_check (page, &error));
          g_assert_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REPLY);
          continue;
        }
      if (page != NULL)
        g_error ("a page cut after %" G_GSIZE_FORMAT " bytes was read: %.*s", cut, (int) cut, data);
      g_assert_cmpstr (what, ==, "the reply is cut off");
    }
}

static void
test_truncated (void)
{
  static const char page[] =
    "{\"changes\":[{\"seq\":1,\"kind\":\"cases\",\"id\":\"c1\",\"version\":3,\"op\":\"upsert\",\"at\":\"2026-01-01T00:00:00Z\","
    "\"record\":{\"id\":\"c1\",\"version\":3,\"state\":\"open\",\"title\":\"路灯\\u4e0d亮 😀 \\ud83d\\ude00 \\\"x\\\"\","
    "\"location\":{\"lat\":24.9,\"lon\":-104.3e0},\"tags\":[true,false,null],\"assignee\":{\"kind\":\"team\",\"id\":\"t\"}}},"
    "{\"seq\":2,\"kind\":\"grids\",\"id\":\"g\",\"op\":\"delete\"}],\"next\":2,\"has_more\":false}";
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());

  assert_same_as_json_glib (page, strlen (page));
  assert_all_truncations_refused (page, strlen (page));

  /* And generated pages with random escapes and Unicode. */
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GString) generated = gen_page (rand, 0.0, TRUE);

      /* Trailing whitespace is no part of the value: a cut there would still be whole. */
      while (generated->len > 0 && strchr (" \t\r\n", generated->str[generated->len - 1]) != NULL)
        g_string_truncate (generated, generated->len - 1);
      assert_same_as_json_glib (generated->str, generated->len);
      assert_all_truncations_refused (generated->str, generated->len);
    }
}

typedef struct
{
  const char *text;
  gssize      len;        /* -1: up to the nul */
  const char *what;       /* the start of the error's "what" */
  gboolean    clamped;    /* json-glib clamps this number and takes the page */
} Bad;

#define PAGE(changes) "{\"changes\":[" changes "],\"next\":1,\"has_more\":false}"
#define CHANGE(record) "{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":" record "}"
#define TITLE(text) PAGE (CHANGE ("{\"id\":\"a\",\"version\":1,\"title\":\"" text "\"}"))

static void
test_malformed (void)
{
  static const Bad bad[] = {
    /* not JSON at all */
    { "<html><body>502 Bad Gateway</body></html>", -1, "invalid JSON at byte 0" },
    { "x", -1, "invalid JSON at byte 0" },
    { "\xef\xbb", -1, "invalid JSON at byte 0" },
    /* trailing garbage, and two values */
    { PAGE ("") "x", -1, "invalid JSON at byte 40" },
    { PAGE ("") "{}", -1, "invalid JSON at byte 40" },
    { PAGE ("") " ,", -1, "invalid JSON at byte 41" },
    { PAGE ("") "\0", sizeof PAGE (""), "invalid JSON at byte 40" },
    /* bad escapes */
    { TITLE ("\\x"), -1, "invalid JSON at byte" },
    { TITLE ("\\'"), -1, "invalid JSON at byte" },
    { TITLE ("\\U0041"), -1, "invalid JSON at byte" },
    { TITLE ("\\u12"), -1, "invalid JSON at byte" },
    { TITLE ("\\u12G4"), -1, "invalid JSON at byte" },
    { TITLE ("\\ud800"), -1, "invalid JSON at byte" },
    { TITLE ("\\ud800x"), -1, "invalid JSON at byte" },
    { TITLE ("\\udc00"), -1, "invalid JSON at byte" },
    { TITLE ("\\ud800\\ud800"), -1, "invalid JSON at byte" },
    { TITLE ("\\ud800\\u0041"), -1, "invalid JSON at byte" },
    { TITLE ("\\ud800\\n"), -1, "invalid JSON at byte" },
    { TITLE ("\\ude00\\ud83d"), -1, "invalid JSON at byte" },
    /* control characters unescaped */
    { TITLE ("\x01"), -1, "invalid JSON at byte" },
    { TITLE ("\t"), -1, "invalid JSON at byte" },
    { TITLE ("\n"), -1, "invalid JSON at byte" },
    { TITLE ("a\0b"), sizeof TITLE ("a\0b") - 1, "invalid JSON at byte" },
    /* invalid UTF-8: stray continuation, overlong, surrogate, past U+10FFFF, bad lead bytes,
     * a sequence cut short inside the string, in a name, outside any string */
    { TITLE ("\x80"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xbf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xc0\xaf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xc1\xbf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xe0\x80\xaf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xe0\x9f\xbf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xed\xa0\x80"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xed\xbf\xbf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xf0\x80\x80\xaf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xf0\x8f\xbf\xbf"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xf4\x90\x80\x80"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xf5\x80\x80\x80"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xf8\x88\x80\x80\x80"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xfe"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xff"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xe4\xb8"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xe4"), -1, "text that is not UTF-8 at byte" },
    { TITLE ("\xf0\x9f\x98"), -1, "text that is not UTF-8 at byte" },
    { PAGE ("") ",\"\xff\":1}", -1, "invalid JSON at byte" },
    { "{\"\xff\":1}", -1, "text that is not UTF-8 at byte 2" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false}\xc2\xa0", -1, "invalid JSON at byte 40" },
    /* numbers */
    { "{\"changes\":[],\"next\":01,\"has_more\":false}", -1, "invalid JSON at byte 22" },
    { "{\"changes\":[],\"next\":-01,\"has_more\":false}", -1, "invalid JSON at byte 23" },
    { "{\"changes\":[],\"next\":+1,\"has_more\":false}", -1, "invalid JSON at byte 21" },
    { "{\"changes\":[],\"next\":.5,\"has_more\":false}", -1, "invalid JSON at byte 21" },
    { "{\"changes\":[],\"next\":1.,\"has_more\":false}", -1, "invalid JSON at byte 23" },
    { "{\"changes\":[],\"next\":1e,\"has_more\":false}", -1, "invalid JSON at byte 23" },
    { "{\"changes\":[],\"next\":1e+,\"has_more\":false}", -1, "invalid JSON at byte 24" },
    { "{\"changes\":[],\"next\":-,\"has_more\":false}", -1, "invalid JSON at byte 22" },
    { "{\"changes\":[],\"next\":0x10,\"has_more\":false}", -1, "invalid JSON at byte 22" },
    { "{\"changes\":[],\"next\":NaN,\"has_more\":false}", -1, "invalid JSON at byte 21" },
    { "{\"changes\":[],\"next\":Infinity,\"has_more\":false}", -1, "invalid JSON at byte 21" },
    { "{\"changes\":[],\"next\":1 2,\"has_more\":false}", -1, "invalid JSON at byte 23" },
    /* words */
    { "{\"changes\":[],\"next\":1,\"has_more\":True}", -1, "invalid JSON at byte 34" },
    { "{\"changes\":[],\"next\":1,\"has_more\":fals}", -1, "invalid JSON at byte 38" },
    { "{\"changes\":[],\"next\":1,\"has_more\":nul}", -1, "invalid JSON at byte 37" },
    { "{\"changes\":[],\"next\":1,\"has_more\":truex}", -1, "invalid JSON at byte 38" },
    /* structure: what json-glib lets through (quotes, comments) and what it does not */
    { "{'changes':[],'next':1,'has_more':false}", -1, "invalid JSON at byte 1" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false /* x */}", -1, "invalid JSON at byte 40" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false // x\n}", -1, "invalid JSON at byte 40" },
    { "{changes:[],\"next\":1,\"has_more\":false}", -1, "invalid JSON at byte 1" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false,}", -1, "invalid JSON at byte 40" },
    { "{\"changes\":[1,],\"next\":1,\"has_more\":false}", -1, "invalid JSON at byte 14" },
    { "{\"changes\":[1,,2],\"next\":1,\"has_more\":false}", -1, "invalid JSON at byte 14" },
    { "{\"changes\":[],\"next\":1 \"has_more\":false}", -1, "invalid JSON at byte 23" },
    { "{\"changes\" [],\"next\":1,\"has_more\":false}", -1, "invalid JSON at byte 11" },
    { "{\"changes\":[],\"next\"=1,\"has_more\":false}", -1, "invalid JSON at byte 20" },
    { "{\"changes\":[},\"next\":1,\"has_more\":false}", -1, "invalid JSON at byte 12" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false]", -1, "invalid JSON at byte 39" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false}}", -1, "invalid JSON at byte 40" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false\f}", -1, "invalid JSON at byte 39" },
    { "{\"changes\":[],\"next\":1,\"has_more\":false\v}", -1, "invalid JSON at byte 39" },
    /* cut off */
    { "{\"changes\":[{\"seq\":1,\"kind\":\"grids\",\"id\":\"x\",\"version\":1,\"op\":\"upsert\",\"record\":{\"id\":\"x\",\"ver",
      -1, "the reply is cut off" },
    { "{", -1, "the reply is cut off" },
    /* the right JSON, the wrong shape: refused by the checks, with today's words */
    { "[]", -1, "not a JSON object" },
    { "", -1, "not a JSON object" },
    { "{\"next\":1,\"has_more\":false}", -1, "“changes”, “next” or “has_more” is missing" },
    { "{\"changes\":[],\"next\":\"1\",\"has_more\":false}", -1, "“changes”, “next” or “has_more” is missing" },
    { "{\"changes\":[],\"next\":1.5,\"has_more\":false}", -1, "“changes”, “next” or “has_more” is missing" },
    { "{\"changes\":[],\"next\":1e2,\"has_more\":false}", -1, "“changes”, “next” or “has_more” is missing" },
    { "{\"changes\":[],\"next\":9223372036854775808,\"has_more\":false}", -1, "“changes”, “next” or “has_more” is missing", TRUE },
    { "{\"changes\":[],\"next\":1,\"has_more\":0}", -1, "“changes”, “next” or “has_more” is missing" },
    { "{\"changes\":null,\"next\":1,\"has_more\":false}", -1, "“changes”, “next” or “has_more” is missing" },
    { "{\"changes\":[],\"changes\":{},\"next\":1,\"has_more\":false}", -1, "“changes”, “next” or “has_more” is missing" },
    { PAGE ("\"x\""), -1, "a change is not an object" },
    { PAGE ("[]"), -1, "a change is not an object" },
    { PAGE ("{\"seq\":1,\"kind\":\"cases\",\"id\":5,\"op\":\"upsert\",\"record\":{}}"), -1, "a change lacks its kind, id, op or seq" },
    { PAGE ("{\"seq\":\"1\",\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":{}}"), -1, "a change lacks its kind, id, op or seq" },
    { PAGE ("{\"seq\":1,\"id\":\"a\",\"op\":\"upsert\",\"record\":{}}"), -1, "a change lacks its kind, id, op or seq" },
    { PAGE ("{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":null,\"record\":{}}"), -1, "a change lacks its kind, id, op or seq" },
    { PAGE ("{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":{},\"seq\":true}"), -1, "a change lacks its kind, id, op or seq" },
    { PAGE ("{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"Upsert\",\"record\":{}}"), -1, "a change has an unknown op" },
    { PAGE ("{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":\"{}\"}"), -1, "an update comes without its record" },
    { PAGE ("{\"seq\":1,\"kind\":\"cases\",\"id\":\"a\",\"op\":\"upsert\",\"record\":{},\"record\":null}"), -1, "an update comes without its record" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      gsize len = bad[i].len >= 0 ? (gsize) bad[i].len : strlen (bad[i].text);
      g_autoptr(WgFeedPage) page = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *what = NULL;

      page = scan_exactly (bad[i].text, len, &what);
      if (page != NULL)
        {
          if (wg_feed_page_check (page, &error))
            g_error ("bad page %u was taken: %.*s", i, (int) len, bad[i].text);
          g_assert_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REPLY);
          {
            g_autofree char *message = g_strdup_printf (BAD_REPLY_FORMAT, bad[i].what);

            g_assert_cmpstr (error->message, ==, message);
          }
          /* json-glib reads these too: the same verdict in the same words. */
          if (!bad[i].clamped)
            assert_same_as_json_glib (bad[i].text, len);
          continue;
        }
      if (!g_str_has_prefix (what, bad[i].what))
        g_error ("bad page %u: “%s”, expected “%s…”", i, what, bad[i].what);
    }
}

/* Random damage to valid pages: whatever the scanner takes, json-glib must read the same. */
static void
test_mutations (void)
{
  static const guchar interesting[] = {
    '"', '\\', '{', '}', '[', ']', ',', ':', '0', '1', '-', '+', '.', 'e', 'u', 'd', 't', 'n', ' ',
    '\n', 0x00, 0x01, 0x1f, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff,
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  guint taken = 0, refused = 0;

  g_autoptr(GString) base = NULL;

  for (guint i = 0; i < 20000; i++)
    {
      g_autoptr(GString) page = NULL;
      g_autoptr(WgFeedPage) scanned = NULL;

      if (i % 40 == 0)
        {
          if (base != NULL)
            g_string_free (base, TRUE);
          base = gen_page (rand, i % 80 == 0 ? 0.05 : 0.0, TRUE);
        }
      page = g_string_new_len (base->str, base->len);

      for (guint n = 1 + g_rand_int_range (rand, 0, 3); n > 0 && page->len > 0; n--)
        {
          gsize at = g_rand_int_range (rand, 0, page->len);
          guchar c = g_rand_boolean (rand) ? interesting[g_rand_int_range (rand, 0, sizeof interesting)]
                                           : (guchar) g_rand_int_range (rand, 0, 256);

          switch (g_rand_int_range (rand, 0, 5))
            {
            case 0:
              page->str[at] = (char) c;
              break;
            case 1:
              g_string_erase (page, at, 1);
              break;
            case 2:
              g_string_insert_c (page, at, (char) c);
              break;
            case 3:
              {
                gsize len = MIN ((gsize) g_rand_int_range (rand, 1, 20), page->len - at);
                g_autofree char *span = g_strndup (page->str + at, len);

                g_string_insert_len (page, g_rand_int_range (rand, 0, page->len), span, len);
              }
              break;
            default:
              g_string_truncate (page, at);
              break;
            }
        }

      scanned = scan_exactly (page->str, page->len, NULL);
      if (scanned == NULL)
        {
          refused++;
          continue;
        }
      taken++;
      assert_same_as_json_glib (page->str, page->len);
    }

  g_test_message ("20000 damaged pages: %u read (and the same as json-glib), %u refused", taken, refused);
  g_assert_cmpuint (refused, >, 0);
}

/* --- the real server's pages ----------------------------------------------------------------- */

static GBytes *
get_bytes (WgTestServer *server,
           const char   *token,
           const char   *path)
{
  g_autofree char *url = g_strconcat (server->url, path, NULL);
  g_autofree char *bearer = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *bytes;

  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", bearer);
  bytes = soup_session_send_and_read (server->session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  return bytes;
}

/* Every page of the feed from 0; returns the cursor at its end. */
static gint64
compare_feed (WgTestServer *server,
              const char   *token,
              gint64        since,
              guint        *out_changes,
              char        **out_grid)
{
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=2000", since);
      g_autoptr(GBytes) bytes = get_bytes (server, token, path);
      gsize len = 0;
      const char *data = g_bytes_get_data (bytes, &len);
      g_autoptr(WgFeedPage) page = NULL;

      assert_same_as_json_glib (data, len);
      page = wg_feed_scan (data, len, NULL);
      g_assert_nonnull (page);
      g_assert_true (wg_feed_page_check (page, NULL));
      for (guint i = 0; i < page->n_changes; i++)
        if (out_grid != NULL && *out_grid == NULL && g_str_equal (page->changes[i].kind.string, "grids"))
          *out_grid = g_strdup (page->changes[i].id.string);
      *out_changes += page->n_changes;
      since = page->next.integer;
      more = page->has_more.boolean;
    }

  return since;
}

static void
test_real_server (void)
{
  g_autoptr(WgTestServer) server = NULL;
  g_autofree char *token = NULL;
  g_autofree char *grid = NULL;
  g_autoptr(GError) error = NULL;
  guint n_changes = 0;
  gint64 cursor;
  int status = 0;

  if (g_getenv ("WANGGE_SERVER") == NULL)
    {
      g_test_skip ("WANGGE_SERVER is not set");
      return;
    }

  /* The demo township: every kind, cases with timelines and assignees, Chinese text. */
  server = g_new0 (WgTestServer, 1);
  server->data_dir = g_dir_make_tmp ("wg-feed-XXXXXX", &error);
  g_assert_no_error (error);
  server->session = soup_session_new_with_options ("timeout", 20, NULL);
  {
    const char *argv[] = { g_getenv ("WANGGE_SERVER"), "demo", "-d", server->data_dir, "--cases", "300", NULL };

    g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                                 NULL, NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  wg_test_server_start (server);
  token = wg_test_server_login (server, "dispatcher", "majie-dispatch-demo");

  cursor = compare_feed (server, token, 0, &n_changes, &grid);
  g_test_message ("%u changes from the demo township read as json-glib reads them", n_changes);
  g_assert_cmpuint (n_changes, >, 1000);
  g_assert_nonnull (grid);

  /* Reports with text that must be escaped, reported through the API, then the delta. */
  {
    static const char * const titles[] = {
      "引号\\\"与反斜杠\\\\、斜杠/", "换行\\n制表\\t回车\\r", "表情😀\\ud83d\\ude00",
      "行分隔\\u2028段分隔\\u2029", "零宽\\ufeff不换行\\u00a0", "\\u00e9\\u4E2D",
    };
    static const char * const descriptions[] = {
      "第一行\\n第二行\\r\\n\\t缩进", "\\u00e9", "", "\\\\u0000 不是转义", "\\/", "\\ud83d\\ude00",
    };

    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      {
        g_autofree char *body = g_strdup_printf ("{\"source\":\"hotline_12345\",\"title\":\"测试 %u %s\",\"description\":\"%s\","
                                                 "\"grid_id\":\"%s\"}", i, titles[i], descriptions[i], grid);
        g_autoptr(JsonNode) reply = NULL;
        guint http = 0;

        reply = wg_test_server_call (server, token, "POST", "/api/v1/cases", body, &http);
        if (http != 201)
          g_error ("POST %s → %u: %s", body, http, reply != NULL ? json_to_string (reply, FALSE) : "");
      }
    n_changes = 0;
    compare_feed (server, token, cursor, &n_changes, NULL);
    g_assert_cmpuint (n_changes, >=, G_N_ELEMENTS (titles));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/feed-scanner/valid-corners", test_valid_corners);
  g_test_add_func ("/feed-scanner/generated-pages", test_generated_pages);
  g_test_add_func ("/feed-scanner/nesting", test_nesting);
  g_test_add_func ("/feed-scanner/truncated", test_truncated);
  g_test_add_func ("/feed-scanner/malformed", test_malformed);
  g_test_add_func ("/feed-scanner/mutations", test_mutations);
  g_test_add_func ("/feed-scanner/real-server", test_real_server);

  return g_test_run ();
}
