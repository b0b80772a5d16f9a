/* test-tile-source.c — base map tiles from a real HTTP tile server on loopback
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A libsoup server in the test serves PNG tiles, the way an intranet tile server would: a
 * blue base layer (every other column missing, 404) and an annotation layer with a red square
 * in each tile's middle. The map fetches them through the API client's session: every request
 * must carry Wangge's user agent and never the sign-in token. The screenshot must show the
 * base tiles where they exist, the background where they are missing, the annotation over the
 * base, and the grids over all of it. A server that answers with an error page or a 500 is
 * said over the map in words, and the map goes on.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "map-grids.h"
#include "map-pixels.h"
#include "wg-map-view.h"
#include "wg-test-ui.h"
#include "wg-tile-source.h"

#define ZOOM 11

static const MapGridsSpec township = { 30, 30, 104.3, 24.9, 0.01, 4, 3, 7 };
static const guchar base_rgb[3] = { 30, 140, 200 };
static const char *lang;

typedef struct
{
  SoupServer *server;
  char       *url;
  GPtrArray  *user_agents;   /* one per request */
  guint       n_base;
  guint       n_overlay;
  guint       n_authorized;  /* requests that carried an Authorization header */
  GBytes     *base_png;
  GBytes     *overlay_png;
} TileServer;

static GBytes *
make_png (gboolean overlay)
{
  guchar *data = g_malloc (256 * 256 * 4);
  g_autoptr(GBytes) pixels = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint y = 0; y < 256; y++)
    for (guint x = 0; x < 256; x++)
      {
        guchar *p = data + 4 * (y * 256 + x);
        gboolean square = x >= 112 && x < 144 && y >= 112 && y < 144;

        if (!overlay)
          p[0] = base_rgb[0], p[1] = base_rgb[1], p[2] = base_rgb[2], p[3] = 255;
        else if (square)
          p[0] = 230, p[1] = 20, p[2] = 20, p[3] = 255;
        else
          p[0] = p[1] = p[2] = p[3] = 0;
      }
  pixels = g_bytes_new_take (data, 256 * 256 * 4);
  texture = gdk_memory_texture_new (256, 256, GDK_MEMORY_R8G8B8A8, pixels, 256 * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

/* /base/Z/X/Y.png: blue, but 404 for odd columns; /labels/…: the red square; /html/…: an
 * error page sent as 200; /broken/…: 500. */
static void
handle_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TileServer *self = user_data;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *agent = soup_message_headers_get_one (headers, "User-Agent");
  g_auto(GStrv) parts = g_strsplit (path, "/", -1);
  int x;

  g_ptr_array_add (self->user_agents, g_strdup (agent != NULL ? agent : ""));
  if (soup_message_headers_get_one (headers, "Authorization") != NULL)
    self->n_authorized++;

  if (g_strv_length (parts) != 5)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  x = atoi (parts[3]);
  if (g_str_equal (parts[1], "base"))
    {
      self->n_base++;
      if (x % 2 == 1)
        {
          soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
          return;
        }
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (self->base_png, NULL), g_bytes_get_size (self->base_png));
    }
  else if (g_str_equal (parts[1], "labels"))
    {
      self->n_overlay++;
      soup_server_message_set_response (msg, "image/png", SOUP_MEMORY_COPY,
                                        g_bytes_get_data (self->overlay_png, NULL), g_bytes_get_size (self->overlay_png));
    }
  else if (g_str_equal (parts[1], "html"))
    soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<html>Please sign in</html>", 27);
  else if (g_str_equal (parts[1], "broken"))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      return;
    }
  else
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_FOUND, NULL);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

static TileServer *
tile_server_new (void)
{
  TileServer *self = g_new0 (TileServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->user_agents = g_ptr_array_new_with_free_func (g_free);
  self->base_png = make_png (FALSE);
  self->overlay_png = make_png (TRUE);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);
  g_assert_true (soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  self->url = g_uri_to_string (uris->data);
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return self;
}

static void
tile_server_free (TileServer *self)
{
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  g_ptr_array_unref (self->user_agents);
  g_bytes_unref (self->base_png);
  g_bytes_unref (self->overlay_png);
  g_free (self->url);
  g_free (self);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TileServer, tile_server_free)

static gboolean
received_at_least (gpointer data)
{
  gpointer *pair = data;

  return wg_tile_source_get_n_received (pair[0]) >= GPOINTER_TO_UINT (pair[1]);
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (data) && gtk_label_get_label (data)[0] != '\0';
}

static gboolean
has_label_containing (GtkWidget  *root,
                      const char *text)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child) && strstr (gtk_label_get_label (GTK_LABEL (child)), text) != NULL)
        return TRUE;
      if (has_label_containing (child, text))
        return TRUE;
    }
  return FALSE;
}

/* The widget point at the middle of tile (@tx, @ty) at ZOOM. */
static void
tile_centre (ShumateViewport *viewport,
             GtkWidget       *widget,
             int              tx,
             int              ty,
             double          *x,
             double          *y)
{
  double lon, lat;

  wg_mercator_from_pixels ((tx + 0.5) * 256, (ty + 0.5) * 256, ZOOM, &lon, &lat);
  shumate_viewport_location_to_widget_coords (viewport, widget, lat, lon, x, y);
}

static void
test_tiles (void)
{
  g_autoptr(TileServer) server = tile_server_new ();
  g_autoptr(WgApi) api = wg_api_new (server->url);
  g_autofree char *base_url = g_strconcat (server->url, "/base/{z}/{x}/{y}.png", NULL);
  g_autofree char *labels_url = g_strconcat (server->url, "/labels/{TileMatrix}/{TileCol}/{TileRow}.png", NULL);
  g_autoptr(WgTileSource) base_tiles = wg_tile_source_new (base_url, api, 18);
  g_autoptr(WgTileSource) label_tiles = wg_tile_source_new (labels_url, api, 18);
  g_autoptr(ShumateMapSource) base = wg_tile_source_create_map_source (base_tiles, "test-base", "Test base", "Test tiles © Wangge");
  g_autoptr(ShumateMapSource) labels = wg_tile_source_create_map_source (label_tiles, "test-labels", "Test labels", "");
  g_autoptr(GListStore) grids = map_grids_new (&township);
  g_autoptr(GdkTexture) shot = NULL;
  g_autofree char *agent = g_strdup ("Wangge/" PACKAGE_VERSION);
  GtkWidget *window;
  WgMapView *view;
  ShumateViewport *viewport;
  GtkWidget *map;
  gpointer wait_base[2], wait_labels[2];
  double x, y, lon, lat;
  int tx, ty, even_tx, odd_tx;
  guchar pixel[4];
  guchar background[4];

  /* A signed-in session: its token must never reach the tile server. */
  wg_api_set_token (api, "secret-token");

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 760);
  view = WG_MAP_VIEW (wg_map_view_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (view));
  wg_map_view_set_grids (view, G_LIST_MODEL (grids));
  gtk_window_present (GTK_WINDOW (window));
  map = GTK_WIDGET (wg_map_view_get_map (view));
  viewport = shumate_map_get_viewport (SHUMATE_MAP (map));
  wg_test_settle (500);

  /* Before the base map: the background where the tiles will be. */
  shumate_viewport_set_zoom_level (viewport, ZOOM);
  shumate_map_center_on (SHUMATE_MAP (map), township.center_lat, township.center_lon);
  wg_test_settle (300);
  {
    g_autoptr(GdkTexture) before = map_render_widget (map);

    map_pixel_at (before, gtk_widget_get_width (map) - 40, 110, background);
  }

  wg_map_view_set_base_map_full (view, base, labels);
  g_assert_true (wg_map_view_get_base_map (view) == base);
  g_assert_true (wg_map_view_get_overlay_map (view) == labels);
  shumate_viewport_set_zoom_level (viewport, ZOOM);
  shumate_map_center_on (SHUMATE_MAP (map), township.center_lat, township.center_lon);

  wait_base[0] = base_tiles, wait_base[1] = GUINT_TO_POINTER (4);
  wait_labels[0] = label_tiles, wait_labels[1] = GUINT_TO_POINTER (8);
  g_assert_true (wg_test_wait_for (received_at_least, wait_base, 10000));
  g_assert_true (wg_test_wait_for (received_at_least, wait_labels, 10000));
  wg_test_settle (800);
  wg_test_screenshot (window, "map-tiles", lang);

  /* Every request was the app's own, and none carried the sign-in token. */
  g_assert_cmpuint (server->user_agents->len, >=, 8);
  for (guint i = 0; i < server->user_agents->len; i++)
    g_assert_cmpstr (server->user_agents->pdata[i], ==, agent);
  g_assert_cmpuint (server->n_authorized, ==, 0);
  g_assert_cmpuint (server->n_base, >, 0);
  g_assert_cmpuint (server->n_overlay, >, 0);
  /* A missing tile is normal, not an error worth saying. */
  g_assert_null (wg_tile_source_get_error (base_tiles));

  /* Top right, away from the grids, the toolbar, the legend and the scale: a column of
   * tiles that exists and, beside it, one that is missing. */
  shot = map_render_widget (map);
  shumate_viewport_widget_coords_to_location (viewport, map, gtk_widget_get_width (map) - 40, 110, &lat, &lon);
  wg_mercator_tile_at (lon, lat, ZOOM, &tx, &ty);
  even_tx = tx % 2 == 0 ? tx : tx - 1;
  odd_tx = even_tx + 1;

  tile_centre (viewport, map, even_tx, ty, &x, &y);
  map_pixel_at (shot, (int) x + 60, (int) y, pixel);
  g_test_message ("base tile %d/%d at %.0f, %.0f: %d %d %d", even_tx, ty, x + 60, y, pixel[0], pixel[1], pixel[2]);
  g_assert_true (map_pixel_near (pixel, base_rgb, 6));

  /* The annotation layer's square, over the base tile. */
  map_pixel_at (shot, (int) round (x), (int) round (y), pixel);
  g_test_message ("annotation at %.0f, %.0f: %d %d %d", x, y, pixel[0], pixel[1], pixel[2]);
  g_assert_true (map_pixel_near (pixel, (const guchar[]) { 230, 20, 20 }, 6));

  /* The missing tile stays the background (the annotation still comes). */
  tile_centre (viewport, map, odd_tx, ty, &x, &y);
  if (x + 60 < gtk_widget_get_width (map))
    {
      map_pixel_at (shot, (int) x + 60, (int) y, pixel);
      g_test_message ("missing tile at %.0f, %.0f: %d %d %d (background %d %d %d)", x + 60, y,
                      pixel[0], pixel[1], pixel[2], background[0], background[1], background[2]);
      g_assert_true (map_pixel_near (pixel, background, 6));
    }

  /* The grids are drawn over the tiles: the middle of the map is not plain base colour. */
  {
    double gx, gy;

    map_grids_cell_point (&township, 15, 15, &lon, &lat);
    shumate_viewport_location_to_widget_coords (viewport, map, lat, lon, &gx, &gy);
    map_pixel_at (shot, (int) gx, (int) gy, pixel);
    g_assert_false (map_pixel_near (pixel, base_rgb, 20));
  }

  /* The attribution the person gave is in the corner. */
  g_assert_true (has_label_containing (GTK_WIDGET (view), "Test tiles © Wangge"));

  /* A server that sends an error page, or fails, is said over the map; the map goes on. */
  {
    g_autofree char *html_url = g_strconcat (server->url, "/html/{z}/{x}/{y}.png", NULL);
    g_autofree char *broken_url = g_strconcat (server->url, "/broken/{z}/{x}/{y}.png", NULL);
    g_autoptr(WgTileSource) html_tiles = wg_tile_source_new (html_url, api, 18);
    g_autoptr(WgTileSource) broken_tiles = wg_tile_source_new (broken_url, api, 18);
    g_autoptr(ShumateMapSource) html = wg_tile_source_create_map_source (html_tiles, "test-html", "HTML", "x");
    g_autoptr(ShumateMapSource) broken = wg_tile_source_create_map_source (broken_tiles, "test-broken", "Broken", "x");
    GtkWidget *label = wg_test_find_widget (GTK_WIDGET (view), GTK_TYPE_WIDGET, "base-map-error");

    g_assert_false (gtk_widget_get_visible (label));
    wg_map_view_set_base_map (view, html);
    g_assert_true (wg_test_wait_for (label_visible, label, 10000));
    g_test_message ("error page: %s", gtk_label_get_label (GTK_LABEL (label)));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "127.0.0.1"));
    g_assert_nonnull (wg_tile_source_get_error (html_tiles));
    wg_test_settle (300);
    wg_test_screenshot (window, "map-tiles-error", lang);

    wg_map_view_set_base_map (view, broken);
    g_assert_true (wg_test_wait_for (label_visible, label, 10000));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (label)), "500"));

    wg_map_view_set_base_map (view, NULL);
    g_assert_false (gtk_widget_get_visible (label));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir = g_getenv ("WANGGE_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  lang = g_getenv ("LANGUAGE") != NULL ? g_getenv ("LANGUAGE") : "en";

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/map/tiles/server", test_tiles);

  return g_test_run ();
}
