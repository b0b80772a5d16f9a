/* wg-feed-scanner.c — reads a page of the change feed in one strict pass
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A first sync brings hundreds of megabytes of /changes pages. Building json-glib's tree of
 * every page only to read a dozen members of each record cost more than everything else in
 * the sync together, so the sync reads its pages with this scanner instead: it walks the
 * bytes once, checks all of them, and keeps only what the cache needs (the change's kind, id
 * and op, the record's text as received, and the record's members that wg-store.c reads).
 * Everything else in the app keeps using json-glib.
 *
 * Strict JSON (RFC 8259), checked everywhere in the page, also inside records whose content
 * is not read:
 *  - the text must be UTF-8: no overlong forms, no UTF-16 surrogates, nothing past U+10FFFF;
 *    a byte order mark at the very start is skipped, as json-glib does;
 *  - strings take only the escapes \" \\ \/ \b \f \n \r \t \uXXXX; a \u escape of a UTF-16
 *    surrogate must be a high one followed by a low one; control characters must be escaped;
 *  - numbers as the grammar has them (no leading zeros, no "+", no "1.", no hex, NaN or Inf);
 *  - no comments, single quotes, trailing commas, or anything but whitespace after the page;
 *  - at most 1024 levels of nesting (json-glib's limit too).
 * json-glib is laxer on several of these (single quotes, comments, unknown escapes, raw
 * control characters); the feed never needs them, and a page that has them is refused.
 *
 * Where the JSON is valid, the scanner gives what json-glib's tree would:
 *  - a duplicated member: the last one counts, whatever its type (json-glib replaces too);
 *  - a string's text is decoded; a U+0000 in it ends it, as json-glib's strings end there;
 *  - an integer is a number without fraction and exponent; one outside gint64 counts as a
 *    number that is not an integer (json-glib would clamp it to G_MAXINT64 or G_MININT64).
 */
#define G_LOG_DOMAIN "WgSync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wg-api.h"
#include "wg-feed-scanner.h"

#define MAX_DEPTH 1024

typedef enum
{
  SCAN_OK,
  SCAN_CUT_OFF,      /* the input ended inside a value */
  SCAN_SYNTAX,
  SCAN_UTF8,
  SCAN_DEPTH,
} ScanError;

typedef struct
{
  WgFeedPage    page;
  GStringChunk *strings;
  GArray       *changes;
} FeedPage;

typedef struct
{
  const guchar *start;
  const guchar *p;
  const guchar *end;
  FeedPage     *feed;
  GString      *text;       /* decoding a value */
  GString      *key;        /* decoding a member's name */
  ScanError     error;
  gsize         error_at;
} Scanner;

typedef gboolean (*MemberFunc)  (Scanner    *s,
                                 const char *key,
                                 gsize       key_len,
                                 int         depth,
                                 gpointer    data);
typedef gboolean (*ElementFunc) (Scanner    *s,
                                 int         depth,
                                 gpointer    data);

static const struct
{
  const char *name;
  gsize       len;
} fields[WG_FEED_N_FIELDS] = {
#define FIELD(name) { name, sizeof name - 1 }
  [WG_FEED_FIELD_ID] = FIELD ("id"),
  [WG_FEED_FIELD_VERSION] = FIELD ("version"),
  [WG_FEED_FIELD_STATE] = FIELD ("state"),
  [WG_FEED_FIELD_NUMBER] = FIELD ("number"),
  [WG_FEED_FIELD_URGENCY] = FIELD ("urgency"),
  [WG_FEED_FIELD_CATEGORY_ID] = FIELD ("category_id"),
  [WG_FEED_FIELD_VILLAGE_ID] = FIELD ("village_id"),
  [WG_FEED_FIELD_GRID_ID] = FIELD ("grid_id"),
  [WG_FEED_FIELD_SOURCE] = FIELD ("source"),
  [WG_FEED_FIELD_TITLE] = FIELD ("title"),
  [WG_FEED_FIELD_ADDRESS] = FIELD ("address"),
  [WG_FEED_FIELD_DESCRIPTION] = FIELD ("description"),
  [WG_FEED_FIELD_REPORTED_AT] = FIELD ("reported_at"),
  [WG_FEED_FIELD_CREATED_AT] = FIELD ("created_at"),
  [WG_FEED_FIELD_DEADLINE] = FIELD ("deadline"),
  [WG_FEED_FIELD_UPDATED_AT] = FIELD ("updated_at"),
  [WG_FEED_FIELD_ASSIGNEE] = FIELD ("assignee"),
  [WG_FEED_FIELD_ASSIGNEE_KIND] = FIELD ("kind"),
  [WG_FEED_FIELD_ASSIGNEE_ID] = FIELD ("id"),
#undef FIELD
};

/* In a string: 0 a byte that stands for itself, 1 the closing quote, 2 an escape, 3 a
 * control character (must be escaped), 4 the first byte of a multi-byte sequence (or not
 * UTF-8 at all). */
static const guint8 string_class[256] = {
  [0x00 ... 0x1f] = 3,
  ['"'] = 1,
  ['\\'] = 2,
  [0x80 ... 0xff] = 4,
};

/* The member name of @field: ASSIGNEE_KIND and ASSIGNEE_ID are "kind" and "id" inside
 * "assignee". */
const char *
wg_feed_field_name (WgFeedField field)
{
  g_return_val_if_fail (field < WG_FEED_N_FIELDS, NULL);

  return fields[field].name;
}

/* --- errors ---------------------------------------------------------------------------------- */

static gboolean
fail (Scanner      *s,
      ScanError     error,
      const guchar *at)
{
  if (s->error == SCAN_OK)
    {
      s->error = error;
      s->error_at = at - s->start;
    }
  return FALSE;
}

/* Something else was expected at @at: the end of the input there means it was cut off. */
static gboolean
unexpected (Scanner      *s,
            const guchar *at)
{
  return fail (s, at >= s->end ? SCAN_CUT_OFF : SCAN_SYNTAX, at);
}

static gboolean
bad_reply (GError     **error,
           const char  *what)
{
  g_set_error (error, WG_API_ERROR, WG_API_ERROR_BAD_REPLY,
               _("The server’s list of changes could not be read (%s). Nothing was changed here; Wangge will try again."),
               what);
  return FALSE;
}

static void
set_scan_error (const Scanner  *s,
                GError        **error)
{
  g_autofree char *at = g_strdup_printf ("%" G_GSIZE_FORMAT, s->error_at);
  g_autofree char *what = NULL;

  switch (s->error)
    {
    case SCAN_CUT_OFF:
      what = g_strdup (_("the reply is cut off"));
      break;
    case SCAN_UTF8:
      /* Translators: %s is a position in the server's reply, in bytes */
      what = g_strdup_printf (_("text that is not UTF-8 at byte %s"), at);
      break;
    case SCAN_DEPTH:
      /* Translators: %s is a position in the server's reply, in bytes */
      what = g_strdup_printf (_("values nested too deeply at byte %s"), at);
      break;
    case SCAN_OK:
    case SCAN_SYNTAX:
    default:
      /* Translators: %s is a position in the server's reply, in bytes */
      what = g_strdup_printf (_("invalid JSON at byte %s"), at);
      break;
    }
  bad_reply (error, what);
}

/* --- tokens ---------------------------------------------------------------------------------- */

static inline void
skip_space (Scanner *s)
{
  const guchar *p = s->p;

  while (p < s->end && (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t'))
    p++;
  s->p = p;
}

static inline gboolean
in_range (const guchar *p,
          guchar        low,
          guchar        high)
{
  return *p >= low && *p <= high;
}

/* One UTF-8 sequence of two to four bytes at *@pp (Unicode's table 3-7 of well-formed
 * sequences). */
static gboolean
scan_utf8 (Scanner       *s,
           const guchar **pp)
{
  const guchar *p = *pp;
  guchar c = *p;
  guchar low = 0x80, high = 0xbf;
  guint n;

  if (c >= 0xc2 && c <= 0xdf)
    n = 1;
  else if (c >= 0xe0 && c <= 0xef)
    {
      n = 2;
      if (c == 0xe0)
        low = 0xa0;
      else if (c == 0xed)
        high = 0x9f;          /* not the UTF-16 surrogates */
    }
  else if (c >= 0xf0 && c <= 0xf4)
    {
      n = 3;
      if (c == 0xf0)
        low = 0x90;
      else if (c == 0xf4)
        high = 0x8f;          /* nothing past U+10FFFF */
    }
  else
    return fail (s, SCAN_UTF8, p);

  for (guint i = 1; i <= n; i++)
    {
      if (p + i >= s->end)
        return fail (s, SCAN_CUT_OFF, s->end);
      if (!in_range (p + i, i == 1 ? low : 0x80, i == 1 ? high : 0xbf))
        return fail (s, SCAN_UTF8, p);
    }

  *pp = p + n + 1;
  return TRUE;
}

static int
hex_value (guchar c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
scan_hex4 (Scanner      *s,
           const guchar *p,
           gunichar     *out)
{
  gunichar value = 0;

  for (guint i = 0; i < 4; i++)
    {
      int digit;

      if (p + i >= s->end)
        return fail (s, SCAN_CUT_OFF, s->end);
      if ((digit = hex_value (p[i])) < 0)
        return fail (s, SCAN_SYNTAX, p + i);
      value = value * 16 + digit;
    }

  *out = value;
  return TRUE;
}

/* An escape at *@pp (the backslash). */
static gboolean
scan_escape (Scanner       *s,
             const guchar **pp)
{
  const guchar *p = *pp;
  gunichar unit, low;

  if (p + 1 >= s->end)
    return fail (s, SCAN_CUT_OFF, s->end);

  switch (p[1])
    {
    case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
      *pp = p + 2;
      return TRUE;
    case 'u':
      break;
    default:
      return fail (s, SCAN_SYNTAX, p);
    }

  if (!scan_hex4 (s, p + 2, &unit))
    return FALSE;
  if (unit >= 0xdc00 && unit <= 0xdfff)
    return fail (s, SCAN_SYNTAX, p);       /* a low surrogate alone */
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      /* A high surrogate: a low one must follow. */
      if (p + 6 >= s->end || (p[6] == '\\' && p + 7 >= s->end))
        return fail (s, SCAN_CUT_OFF, s->end);
      if (p[6] != '\\' || p[7] != 'u')
        return fail (s, SCAN_SYNTAX, p);
      if (!scan_hex4 (s, p + 8, &low))
        return FALSE;
      if (low < 0xdc00 || low > 0xdfff)
        return fail (s, SCAN_SYNTAX, p);
      *pp = p + 12;
      return TRUE;
    }

  *pp = p + 6;
  return TRUE;
}

/* A string at s->p (the opening quote), checked whole; @out_start and @out_len are its
 * content between the quotes, @out_escaped whether it has escapes. */
static gboolean
scan_string (Scanner       *s,
             const guchar **out_start,
             gsize         *out_len,
             gboolean      *out_escaped)
{
  const guchar *start = s->p + 1;
  const guchar *p = start;
  const guchar *end = s->end;
  gboolean escaped = FALSE;

  for (;;)
    {
      guint8 class;

      while (p < end && string_class[*p] == 0)
        p++;
      if (p >= end)
        return fail (s, SCAN_CUT_OFF, end);

      class = string_class[*p];
      if (class == 1)
        break;
      if (class == 2)
        {
          escaped = TRUE;
          if (!scan_escape (s, &p))
            return FALSE;
        }
      else if (class == 4)
        {
          if (!scan_utf8 (s, &p))
            return FALSE;
        }
      else
        return fail (s, SCAN_SYNTAX, p);     /* a raw control character */
    }

  *out_start = start;
  *out_len = p - start;
  *out_escaped = escaped;
  s->p = p + 1;
  return TRUE;
}

/* The text of a string that scan_string () has checked: escapes decoded into @out. */
static void
unescape (GString      *out,
          const guchar *p,
          gsize         len)
{
  const guchar *end = p + len;

  g_string_truncate (out, 0);
  while (p < end)
    {
      const guchar *run = p;
      gunichar c;

      while (p < end && *p != '\\')
        p++;
      g_string_append_len (out, (const char *) run, p - run);
      if (p >= end)
        break;

      switch (p[1])
        {
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        case 'u':
          c = 0;
          for (guint i = 2; i < 6; i++)
            c = c * 16 + hex_value (p[i]);
          if (c >= 0xd800 && c <= 0xdbff)
            {
              gunichar low = 0;

              for (guint i = 8; i < 12; i++)
                low = low * 16 + hex_value (p[i]);
              c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
              p += 6;
            }
          g_string_append_unichar (out, c);
          p += 6;
          continue;
        default:
          c = p[1];     /* " \ / */
          break;
        }
      g_string_append_c (out, (char) c);
      p += 2;
    }
}

static const char *
keep_text (Scanner      *s,
           const guchar *start,
           gsize         len,
           gboolean      escaped)
{
  if (!escaped)
    return g_string_chunk_insert_len (s->feed->strings, (const char *) start, len);

  unescape (s->text, start, len);
  return g_string_chunk_insert_len (s->feed->strings, s->text->str, s->text->len);
}

static gboolean
scan_number (Scanner     *s,
             WgFeedValue *value)
{
  const guchar *p = s->p;
  const guchar *end = s->end;
  gboolean negative = FALSE;
  gboolean integer = TRUE;
  guint64 magnitude = 0;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (p >= end)
    return fail (s, SCAN_CUT_OFF, end);
  if (*p == '0')
    p++;
  else if (*p >= '1' && *p <= '9')
    {
      for (; p < end && *p >= '0' && *p <= '9'; p++)
        {
          guint digit = *p - '0';

          if (magnitude > (G_MAXUINT64 - digit) / 10)
            {
              integer = FALSE;        /* far out of range; keeps checking the digits */
              magnitude = G_MAXUINT64;
            }
          else
            magnitude = magnitude * 10 + digit;
        }
    }
  else
    return fail (s, SCAN_SYNTAX, p);

  if (p < end && *p == '.')
    {
      integer = FALSE;
      p++;
      if (p >= end)
        return fail (s, SCAN_CUT_OFF, end);
      if (!(*p >= '0' && *p <= '9'))
        return fail (s, SCAN_SYNTAX, p);
      while (p < end && *p >= '0' && *p <= '9')
        p++;
    }
  if (p < end && (*p == 'e' || *p == 'E'))
    {
      integer = FALSE;
      p++;
      if (p < end && (*p == '+' || *p == '-'))
        p++;
      if (p >= end)
        return fail (s, SCAN_CUT_OFF, end);
      if (!(*p >= '0' && *p <= '9'))
        return fail (s, SCAN_SYNTAX, p);
      while (p < end && *p >= '0' && *p <= '9')
        p++;
    }

  if (integer && negative && magnitude <= (guint64) G_MAXINT64 + 1)
    {
      value->type = WG_FEED_INTEGER;
      value->integer = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
    }
  else if (integer && !negative && magnitude <= G_MAXINT64)
    {
      value->type = WG_FEED_INTEGER;
      value->integer = (gint64) magnitude;
    }
  else
    value->type = WG_FEED_NUMBER;

  s->p = p;
  return TRUE;
}

static gboolean
scan_word (Scanner    *s,
           const char *word)
{
  gsize len = strlen (word);

  for (gsize i = 0; i < len; i++)
    {
      if (s->p + i >= s->end)
        return fail (s, SCAN_CUT_OFF, s->end);
      if (s->p[i] != (guchar) word[i])
        return fail (s, SCAN_SYNTAX, s->p + i);
    }

  s->p += len;
  return TRUE;
}

/* --- values ---------------------------------------------------------------------------------- */

static gboolean scan_object (Scanner *s, int depth, MemberFunc member, gpointer data);
static gboolean scan_array  (Scanner *s, int depth, ElementFunc element, gpointer data);

/* Any value at s->p, checked whole; its type in @value, and a string's text if @keep.
 * @depth is the nesting it has if it is an object or an array. */
static gboolean
scan_value (Scanner     *s,
            int          depth,
            gboolean     keep,
            WgFeedValue *value)
{
  WgFeedValue ignored;

  if (value == NULL)
    value = &ignored;
  memset (value, 0, sizeof *value);

  if (s->p >= s->end)
    return fail (s, SCAN_CUT_OFF, s->end);

  switch (*s->p)
    {
    case '"':
      {
        const guchar *start;
        gsize len;
        gboolean escaped;

        if (!scan_string (s, &start, &len, &escaped))
          return FALSE;
        value->type = WG_FEED_STRING;
        if (keep)
          value->string = keep_text (s, start, len, escaped);
        return TRUE;
      }
    case '{':
      value->type = WG_FEED_OBJECT;
      return scan_object (s, depth, NULL, NULL);
    case '[':
      value->type = WG_FEED_ARRAY;
      return scan_array (s, depth, NULL, NULL);
    case 't':
      value->type = WG_FEED_BOOLEAN;
      value->boolean = TRUE;
      return scan_word (s, "true");
    case 'f':
      value->type = WG_FEED_BOOLEAN;
      return scan_word (s, "false");
    case 'n':
      value->type = WG_FEED_NULL;
      return scan_word (s, "null");
    case '-': case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return scan_number (s, value);
    default:
      return fail (s, SCAN_SYNTAX, s->p);
    }
}

/* A member's name and the colon after it; @out_key is its decoded text, valid until the next
 * name (a U+0000 ends it, as in json-glib). */
static gboolean
scan_name (Scanner     *s,
           const char **out_key,
           gsize       *out_len)
{
  const guchar *start;
  gsize len;
  gboolean escaped;

  if (s->p >= s->end || *s->p != '"')
    return unexpected (s, s->p);
  if (!scan_string (s, &start, &len, &escaped))
    return FALSE;
  if (escaped)
    {
      unescape (s->key, start, len);
      *out_key = s->key->str;
      *out_len = strlen (s->key->str);
    }
  else
    {
      *out_key = (const char *) start;
      *out_len = len;
    }

  skip_space (s);
  if (s->p >= s->end || *s->p != ':')
    return unexpected (s, s->p);
  s->p++;
  skip_space (s);
  return TRUE;
}

/* An object at s->p; @member reads each member's value (NULL: skip them all). */
static gboolean
scan_object (Scanner    *s,
             int         depth,
             MemberFunc  member,
             gpointer    data)
{
  if (depth > MAX_DEPTH)
    return fail (s, SCAN_DEPTH, s->p);

  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      const char *key;
      gsize key_len;

      if (!scan_name (s, &key, &key_len))
        return FALSE;
      if (member != NULL ? !member (s, key, key_len, depth, data) : !scan_value (s, depth + 1, FALSE, NULL))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return fail (s, SCAN_CUT_OFF, s->end);
      if (*s->p == '}')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return fail (s, SCAN_SYNTAX, s->p);
      s->p++;
      skip_space (s);
    }
}

static gboolean
scan_array (Scanner     *s,
            int          depth,
            ElementFunc  element,
            gpointer     data)
{
  if (depth > MAX_DEPTH)
    return fail (s, SCAN_DEPTH, s->p);

  s->p++;
  skip_space (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      return TRUE;
    }

  for (;;)
    {
      if (element != NULL ? !element (s, depth + 1, data) : !scan_value (s, depth + 1, FALSE, NULL))
        return FALSE;
      skip_space (s);
      if (s->p >= s->end)
        return fail (s, SCAN_CUT_OFF, s->end);
      if (*s->p == ']')
        {
          s->p++;
          return TRUE;
        }
      if (*s->p != ',')
        return fail (s, SCAN_SYNTAX, s->p);
      s->p++;
      skip_space (s);
    }
}

/* --- the feed's shape ------------------------------------------------------------------------ */

static inline gboolean
key_is (const char *key,
        gsize       key_len,
        const char *name,
        gsize       name_len)
{
  return key_len == name_len && memcmp (key, name, name_len) == 0;
}

#define KEY_IS(name) key_is (key, key_len, name, sizeof name - 1)

static gboolean
assignee_member (Scanner    *s,
                 const char *key,
                 gsize       key_len,
                 int         depth,
                 gpointer    data)
{
  WgFeedChange *change = data;

  if (KEY_IS ("kind"))
    return scan_value (s, depth + 1, TRUE, &change->fields[WG_FEED_FIELD_ASSIGNEE_KIND]);
  if (KEY_IS ("id"))
    return scan_value (s, depth + 1, TRUE, &change->fields[WG_FEED_FIELD_ASSIGNEE_ID]);
  return scan_value (s, depth + 1, FALSE, NULL);
}

static gboolean
record_member (Scanner    *s,
               const char *key,
               gsize       key_len,
               int         depth,
               gpointer    data)
{
  WgFeedChange *change = data;

  /* The case's point (GeoJSON) is kept as text: the cache reads its coordinates. */
  if (KEY_IS ("location"))
    {
      const char *start = (const char *) s->p;

      if (!scan_value (s, depth + 1, FALSE, NULL))
        return FALSE;
      change->location_text = start;
      change->location_len = (const char *) s->p - start;
      return TRUE;
    }

  for (guint f = 0; f <= WG_FEED_FIELD_ASSIGNEE; f++)
    {
      if (!key_is (key, key_len, fields[f].name, fields[f].len))
        continue;

      if (f != WG_FEED_FIELD_ASSIGNEE)
        return scan_value (s, depth + 1, TRUE, &change->fields[f]);

      /* A later "assignee" replaces an earlier one whole. */
      memset (&change->fields[WG_FEED_FIELD_ASSIGNEE_KIND], 0, sizeof (WgFeedValue));
      memset (&change->fields[WG_FEED_FIELD_ASSIGNEE_ID], 0, sizeof (WgFeedValue));
      if (s->p < s->end && *s->p == '{')
        {
          memset (&change->fields[f], 0, sizeof (WgFeedValue));
          change->fields[f].type = WG_FEED_OBJECT;
          return scan_object (s, depth + 1, assignee_member, change);
        }
      return scan_value (s, depth + 1, TRUE, &change->fields[f]);
    }

  return scan_value (s, depth + 1, FALSE, NULL);
}

static gboolean
change_member (Scanner    *s,
               const char *key,
               gsize       key_len,
               int         depth,
               gpointer    data)
{
  WgFeedChange *change = data;

  if (KEY_IS ("kind"))
    return scan_value (s, depth + 1, TRUE, &change->kind);
  if (KEY_IS ("id"))
    return scan_value (s, depth + 1, TRUE, &change->id);
  if (KEY_IS ("op"))
    return scan_value (s, depth + 1, TRUE, &change->op);
  if (KEY_IS ("seq"))
    return scan_value (s, depth + 1, TRUE, &change->seq);
  if (KEY_IS ("record"))
    {
      WgFeedValue value;

      /* A later "record" replaces an earlier one whole. */
      memset (change->fields, 0, sizeof change->fields);
      change->record_text = NULL;
      change->record_len = 0;
      change->location_text = NULL;
      change->location_len = 0;
      if (s->p < s->end && *s->p == '{')
        {
          const guchar *start = s->p;

          change->record = WG_FEED_OBJECT;
          if (!scan_object (s, depth + 1, record_member, change))
            return FALSE;
          change->record_text = (const char *) start;
          change->record_len = s->p - start;
          return TRUE;
        }
      if (!scan_value (s, depth + 1, FALSE, &value))
        return FALSE;
      change->record = value.type;
      return TRUE;
    }

  return scan_value (s, depth + 1, FALSE, NULL);
}

static gboolean
change_element (Scanner  *s,
                int       depth,
                gpointer  data)
{
  WgFeedChange *change;
  WgFeedValue value;

  /* Nothing is appended while this change is read, so the pointer stays valid. */
  g_array_set_size (s->feed->changes, s->feed->changes->len + 1);
  change = &g_array_index (s->feed->changes, WgFeedChange, s->feed->changes->len - 1);

  if (s->p < s->end && *s->p == '{')
    {
      change->type = WG_FEED_OBJECT;
      return scan_object (s, depth, change_member, change);
    }
  if (!scan_value (s, depth, FALSE, &value))
    return FALSE;
  change->type = value.type;
  return TRUE;
}

static gboolean
page_member (Scanner    *s,
             const char *key,
             gsize       key_len,
             int         depth,
             gpointer    data)
{
  WgFeedPage *page = &s->feed->page;

  if (KEY_IS ("changes"))
    {
      WgFeedValue value;

      /* A later "changes" replaces an earlier one whole. */
      g_array_set_size (s->feed->changes, 0);
      if (s->p < s->end && *s->p == '[')
        {
          page->changes_type = WG_FEED_ARRAY;
          return scan_array (s, depth + 1, change_element, NULL);
        }
      if (!scan_value (s, depth + 1, FALSE, &value))
        return FALSE;
      page->changes_type = value.type;
      return TRUE;
    }
  if (KEY_IS ("next"))
    return scan_value (s, depth + 1, TRUE, &page->next);
  if (KEY_IS ("has_more"))
    return scan_value (s, depth + 1, TRUE, &page->has_more);

  return scan_value (s, depth + 1, FALSE, NULL);
}

/* --- public ---------------------------------------------------------------------------------- */

void
wg_feed_page_free (WgFeedPage *page)
{
  FeedPage *feed = (FeedPage *) page;

  if (feed == NULL)
    return;
  g_string_chunk_free (feed->strings);
  g_array_unref (feed->changes);
  g_free (feed);
}

/* Reads @len bytes of a /changes reply. Any JSON that is not valid fails with a
 * WG_API_ERROR_BAD_REPLY; valid JSON of another shape gives a page that
 * wg_feed_page_check () refuses. The page points into @data, which must outlive it. */
WgFeedPage *
wg_feed_scan (const char  *data,
              gsize        len,
              GError     **error)
{
  g_autoptr(GString) text = g_string_sized_new (256);
  g_autoptr(GString) key = g_string_sized_new (32);
  FeedPage *feed = g_new0 (FeedPage, 1);
  Scanner s = { 0 };
  gboolean ok;

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  feed->strings = g_string_chunk_new (64 * 1024);
  feed->changes = g_array_new (FALSE, TRUE, sizeof (WgFeedChange));
  s.start = s.p = (const guchar *) (data != NULL ? data : "");
  s.end = s.start + len;
  s.feed = feed;
  s.text = text;
  s.key = key;

  if (len >= 3 && memcmp (s.p, "\xef\xbb\xbf", 3) == 0)
    s.p += 3;
  skip_space (&s);

  if (s.p >= s.end)
    ok = TRUE;                  /* no value at all: json-glib's "no root" */
  else if (*s.p == '{')
    {
      feed->page.root = WG_FEED_OBJECT;
      ok = scan_object (&s, 1, page_member, NULL);
    }
  else
    {
      WgFeedValue value;

      ok = scan_value (&s, 1, FALSE, &value);
      feed->page.root = value.type;
    }

  if (ok)
    {
      skip_space (&s);
      if (s.p < s.end)
        ok = fail (&s, SCAN_SYNTAX, s.p);
    }
  if (!ok)
    {
      set_scan_error (&s, error);
      wg_feed_page_free ((WgFeedPage *) feed);
      return NULL;
    }

  feed->page.changes = (WgFeedChange *) (void *) feed->changes->data;
  feed->page.n_changes = feed->changes->len;
  return (WgFeedPage *) feed;
}

/* The checks the sync makes of a page before a single row is written, with the words the
 * person sees: the page's own members, then each change in order. A change's record is
 * checked by the store when it is written (its id and version). */
gboolean
wg_feed_page_check (const WgFeedPage  *page,
                    GError           **error)
{
  g_return_val_if_fail (page != NULL, FALSE);

  if (page->root != WG_FEED_OBJECT)
    return bad_reply (error, _("not a JSON object"));
  if (page->changes_type != WG_FEED_ARRAY || page->next.type != WG_FEED_INTEGER ||
      page->has_more.type != WG_FEED_BOOLEAN)
    return bad_reply (error, _("“changes”, “next” or “has_more” is missing"));

  for (guint i = 0; i < page->n_changes; i++)
    {
      const WgFeedChange *change = &page->changes[i];

      if (change->type != WG_FEED_OBJECT)
        return bad_reply (error, _("a change is not an object"));
      if (change->kind.type != WG_FEED_STRING || change->id.type != WG_FEED_STRING ||
          change->op.type != WG_FEED_STRING || change->seq.type != WG_FEED_INTEGER)
        return bad_reply (error, _("a change lacks its kind, id, op or seq"));
      if (g_str_equal (change->op.string, "delete"))
        continue;
      if (!g_str_equal (change->op.string, "upsert"))
        return bad_reply (error, _("a change has an unknown op"));
      if (change->record != WG_FEED_OBJECT)
        return bad_reply (error, _("an update comes without its record"));
    }

  return TRUE;
}
