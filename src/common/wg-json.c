/* wg-json.c — JSON and time helpers shared by client and server
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * json-glib is permissive about types (json_object_get_string_member on a number returns
 * NULL with a critical); the getters here check the type first so that bad input from the
 * network is an error for the caller to report, never a warning in the log.
 */
#define G_LOG_DOMAIN "WgJson"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdio.h>
#include <string.h>

#include "wg-json.h"

G_DEFINE_QUARK (wg-json-error-quark, wg_json_error)

JsonNode *
wg_json_parse (const char  *data,
               gssize       length,
               GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length < 0)
    length = strlen (data);
  if (length == 0)
    {
      g_set_error (error, WG_JSON_ERROR, WG_JSON_ERROR_SYNTAX, _("The request has no JSON body."));
      return NULL;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error (error, WG_JSON_ERROR, WG_JSON_ERROR_SYNTAX, _("The body is not valid UTF-8."));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, WG_JSON_ERROR, WG_JSON_ERROR_SYNTAX,
                   _("The body is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  return json_parser_steal_root (parser);
}

/* Parses a body that must be one JSON object. */
JsonNode *
wg_json_parse_object (const char  *data,
                      gssize       length,
                      GError     **error)
{
  g_autoptr(JsonNode) root = wg_json_parse (data, length, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, WG_JSON_ERROR, WG_JSON_ERROR_TYPE,
                   _("The body must be a JSON object ({…})."));
      return NULL;
    }
  return g_steal_pointer (&root);
}

char *
wg_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (gen, node);
  return json_generator_to_data (gen, NULL);
}

gboolean
wg_json_is_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
wg_json_is_integer (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         json_node_get_value_type (node) == G_TYPE_INT64;
}

gboolean
wg_json_is_number (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) &&
         (json_node_get_value_type (node) == G_TYPE_INT64 ||
          json_node_get_value_type (node) == G_TYPE_DOUBLE);
}

/* Returns the member's string, or NULL when it is absent, null or not a string. */
const char *
wg_json_get_string (JsonObject *object,
                    const char *member)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, NULL);

  node = json_object_get_member (object, member);
  return wg_json_is_string (node) ? json_node_get_string (node) : NULL;
}

gboolean
wg_json_get_int (JsonObject *object,
                 const char *member,
                 gint64     *out_value)
{
  JsonNode *node;

  g_return_val_if_fail (object != NULL, FALSE);

  node = json_object_get_member (object, member);
  if (!wg_json_is_integer (node))
    return FALSE;
  if (out_value != NULL)
    *out_value = json_node_get_int (node);
  return TRUE;
}

/* RFC 3339 in UTC with milliseconds: the form every timestamp of the API takes, so that
 * strings sort in time order. */
char *
wg_rfc3339_format (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  base = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, g_date_time_get_microsecond (utc) / 1000);
}

char *
wg_rfc3339_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return wg_rfc3339_format (now);
}

/* Accepts RFC 3339 with an offset or Z; a time without offset is rejected rather than
 * guessed, because a guessed zone moves a deadline by eight hours. */
GDateTime *
wg_rfc3339_parse (const char *text)
{
  g_autoptr(GTimeZone) utc = NULL;
  gsize len;

  if (text == NULL)
    return NULL;
  len = strlen (text);
  if (len < 20 || text[10] != 'T')
    return NULL;
  if (text[len - 1] != 'Z' && text[len - 6] != '+' && text[len - 6] != '-')
    return NULL;
  utc = g_time_zone_new_utc ();
  return g_date_time_new_from_iso8601 (text, utc);
}

gboolean
wg_iso_date_is_valid (const char *text)
{
  int y, m, d, n = 0;

  if (text == NULL || strlen (text) != 10)
    return FALSE;
  if (sscanf (text, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10)
    return FALSE;
  return g_date_valid_dmy (d, m, y);
}

/* Keeps the first three and last four digits (138****5678), the form people recognise. */
char *
wg_phone_mask (const char *phone)
{
  glong len;
  GString *out;
  const char *p;
  glong i = 0;

  if (phone == NULL)
    return NULL;
  len = g_utf8_strlen (phone, -1);
  if (len <= 4)
    return g_strnfill (len, '*');
  out = g_string_new (NULL);
  for (p = phone; *p; p = g_utf8_next_char (p), i++)
    {
      if ((len >= 8 && i < 3) || i >= len - 4)
        g_string_append_unichar (out, g_utf8_get_char (p));
      else
        g_string_append_c (out, '*');
    }
  return g_string_free (out, FALSE);
}
