/* main.c — entry point of the wangge client
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "wg-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(WgApplication) app = NULL;
  const char *localedir = g_getenv ("WANGGE_LOCALEDIR");

  setlocale (LC_ALL, "");
  /* build-aux/demo runs the app uninstalled and points this at the build's translations. */
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Wangge"));

  app = wg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
