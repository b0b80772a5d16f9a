/* test-url.c — server addresses as people type them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <string.h>

#include "wg-url.h"

static void
test_url_accepts (void)
{
  static const struct { const char *in; const char *out; } cases[] = {
    { "https://wangge.example.gov.cn", "https://wangge.example.gov.cn" },
    { "  https://Wangge.Example.gov.cn/  ", "https://wangge.example.gov.cn" },
    { "wangge.example.gov.cn", "https://wangge.example.gov.cn" },
    { "10.2.3.4:8443", "https://10.2.3.4:8443" },
    { "127.0.0.1:8080", "http://127.0.0.1:8080" },
    { "localhost:8080", "http://localhost:8080" },
    { "HTTP://192.168.1.5:8080/wangge/", "http://192.168.1.5:8080/wangge" },
    { "https://[::1]:9000", "https://[::1]:9000" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = wg_server_url_normalize (cases[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (url, ==, cases[i].out);
    }
}

static void
test_url_refuses (void)
{
  static const struct { const char *in; WgUrlError code; } cases[] = {
    { "", WG_URL_ERROR_EMPTY },
    { "   ", WG_URL_ERROR_EMPTY },
    { "ftp://files.example.org", WG_URL_ERROR_SCHEME },
    { "https://", WG_URL_ERROR_HOST },
    { "https://exa mple.org", WG_URL_ERROR_SYNTAX },
    { "https://admin:pw@example.org", WG_URL_ERROR_PARTS },
    { "https://example.org/?token=1", WG_URL_ERROR_PARTS },
    { "https://example.org:99999", WG_URL_ERROR_SYNTAX },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *url = wg_server_url_normalize (cases[i].in, &error);

      g_assert_null (url);
      g_assert_error (error, WG_URL_ERROR, (int) cases[i].code);
      /* Every refusal says something a person can act on. */
      g_assert_cmpuint (strlen (error->message), >, 10);
    }
}

static void
test_url_loopback (void)
{
  g_assert_true (wg_url_host_is_loopback ("localhost"));
  g_assert_true (wg_url_host_is_loopback ("127.0.0.1"));
  g_assert_true (wg_url_host_is_loopback ("::1"));
  g_assert_false (wg_url_host_is_loopback ("10.0.0.1"));
  g_assert_false (wg_url_host_is_loopback ("localhost.example.org"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/url/accepts", test_url_accepts);
  g_test_add_func ("/url/refuses", test_url_refuses);
  g_test_add_func ("/url/loopback", test_url_loopback);

  return g_test_run ();
}
