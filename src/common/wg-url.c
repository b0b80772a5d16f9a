/* wg-url.c — validation of server addresses typed by people
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A dispatcher types the server's address once, often copied from a printed sheet. We accept
 * what people write ("192.168.1.5:8443", "https://wangge.gov.cn/") and give back one canonical
 * form, or an error that says what is wrong in plain words.
 */
#define G_LOG_DOMAIN "WgUrl"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "wg-url.h"

G_DEFINE_QUARK (wg-url-error-quark, wg_url_error)

gboolean
wg_url_host_is_loopback (const char *host)
{
  g_return_val_if_fail (host != NULL, FALSE);

  return g_ascii_strcasecmp (host, "localhost") == 0 ||
         g_str_has_prefix (host, "127.") ||
         strcmp (host, "::1") == 0 ||
         strcmp (host, "[::1]") == 0;
}

/* Returns the address as "scheme://host[:port][/path]" without a trailing slash, or NULL
 * with @error set. A missing scheme means https, except on loopback where a local test server
 * speaks plain http. */
char *
wg_server_url_normalize (const char  *text,
                         GError     **error)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *scheme;
  const char *host;
  const char *path;
  g_autofree char *clean_path = NULL;
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, WG_URL_ERROR, WG_URL_ERROR_EMPTY,
                           _("Enter the server address, for example https://wangge.example.gov.cn"));
      return NULL;
    }

  for (const char *c = trimmed; *c != '\0'; c++)
    {
      if (g_ascii_isspace (*c))
        {
          g_set_error (error, WG_URL_ERROR, WG_URL_ERROR_SYNTAX,
                       _("“%s” is not a valid address: it contains a space"), trimmed);
          return NULL;
        }
    }

  if (strstr (trimmed, "://") == NULL)
    {
      g_autofree char *probe = g_strconcat ("http://", trimmed, NULL);
      g_autoptr(GUri) probe_uri = g_uri_parse (probe, G_URI_FLAGS_NONE, NULL);
      gboolean local = probe_uri != NULL && g_uri_get_host (probe_uri) != NULL &&
                       wg_url_host_is_loopback (g_uri_get_host (probe_uri));

      with_scheme = g_strconcat (local ? "http://" : "https://", trimmed, NULL);
    }
  else
    with_scheme = g_strdup (trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, &local_error);
  if (uri == NULL)
    {
      g_set_error (error, WG_URL_ERROR, WG_URL_ERROR_SYNTAX,
                   _("“%s” is not a valid address"), trimmed);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, WG_URL_ERROR, WG_URL_ERROR_SCHEME,
                   _("The address must start with https:// or http://, not “%s://”"), scheme);
      return NULL;
    }

  host = g_uri_get_host (uri);
  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, WG_URL_ERROR, WG_URL_ERROR_HOST,
                           _("The address has no server name or IP address"));
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL ||
      g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, WG_URL_ERROR, WG_URL_ERROR_PARTS,
                           _("Enter only the server address, without a user name, “?” or “#”"));
      return NULL;
    }

  path = g_uri_get_path (uri);
  clean_path = g_strdup (path != NULL ? path : "");
  len = strlen (clean_path);
  while (len > 0 && clean_path[len - 1] == '/')
    clean_path[--len] = '\0';

  {
    g_autofree char *lower_scheme = g_ascii_strdown (scheme, -1);
    g_autofree char *lower_host = g_ascii_strdown (host, -1);
    gboolean ipv6 = strchr (lower_host, ':') != NULL;
    int port = g_uri_get_port (uri);
    g_autofree char *port_part = port > 0 ? g_strdup_printf (":%d", port) : g_strdup ("");

    return g_strdup_printf ("%s://%s%s%s%s%s", lower_scheme,
                            ipv6 ? "[" : "", lower_host, ipv6 ? "]" : "",
                            port_part, clean_path);
  }
}
