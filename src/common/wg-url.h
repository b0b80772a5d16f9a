/* wg-url.h — validation of server addresses typed by people
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WG_URL_ERROR (wg_url_error_quark ())

typedef enum
{
  WG_URL_ERROR_EMPTY,
  WG_URL_ERROR_SYNTAX,
  WG_URL_ERROR_SCHEME,
  WG_URL_ERROR_HOST,
  WG_URL_ERROR_PARTS,
} WgUrlError;

GQuark  wg_url_error_quark        (void);
char   *wg_server_url_normalize   (const char  *text,
                                   GError     **error);
gboolean wg_url_host_is_loopback  (const char  *host);

G_END_DECLS
