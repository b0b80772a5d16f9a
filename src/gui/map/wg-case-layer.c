/* wg-case-layer.c — a libshumate layer that marks cases, clustered where they crowd
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Tens of thousands of ShumateMarker widgets would each be measured, allocated and snapshot
 * every frame; this layer is one widget that draws what is in view. The markers are clustered
 * once per whole zoom level (greedy, on a grid of cells the size of the cluster radius, as map
 * libraries do) and the clusters kept until the cases change, so a frame only walks the
 * clusters of its level and draws those in view, each as a small texture (a texture node is
 * the cheapest thing a renderer composites; filling paths spread over the whole view costs a
 * full-size mask per colour each frame, ~150 ms with software GL):
 *   - a single case: one texture per state group and ring colour;
 *   - a cluster: a disc with its count, ringed by the share of each state group, with a red
 *     badge counting its urgent or overdue cases (amber when some are only close to their
 *     deadline). Drawn with cairo once per look (count, shares, badge) and kept, so panning,
 *     zooming back and a sync that leaves a cluster as it was draw nothing new.
 * From zoom 17 on every case stands alone. Clicking a case asks the window to open it;
 * clicking a cluster asks the view to zoom to its cases.
 */
#define G_LOG_DOMAIN "WgCaseLayer"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>
#include <pango/pangocairo.h>

#include "wg-case-layer.h"
#include "wg-map-click.h"

/* Cases closer than this (pixels at the level's zoom) share a cluster. */
#define CLUSTER_PX 44.0
/* Above this zoom level markers are never clustered. */
#define MAX_CLUSTER_LEVEL 16
#define N_LEVELS (MAX_CLUSTER_LEVEL + 2)
/* A single marker's texture, logical pixels. */
#define SPRITE_PX 20
/* Cluster textures kept for reuse. */
#define MAX_BUBBLES 2048

typedef struct
{
  double             x;         /* normalised Mercator: the mean of its cases */
  double             y;
  WgMercatorBox      box;
  guint              count;
  guint              marker;    /* a case of the cluster: the only one of a single marker */
  guint              n_alert;
  guint              n_warning;
  guint              counts[WG_MARKER_N_GROUPS];
  WgMarkerAttention  attention; /* the most pressing of its cases */
} Cluster;

typedef struct
{
  guint  cluster;               /* index in the level's clusters */
  double x;                     /* widget coordinates, before the map's rotation */
  double y;
  double radius;
} Drawn;

typedef struct
{
  GdkTexture *texture;          /* centred on the cluster */
  double      half;             /* half the texture's size, logical pixels */
  double      radius;           /* the disc's, for hit-testing */
} Bubble;

struct _WgCaseLayer
{
  ShumateLayer  parent_instance;

  /* Owned */
  GArray       *markers;        /* WgCaseMarker */
  double       *projected;      /* x, y per marker, normalised Mercator; NAN when it has no place */
  GArray       *levels[N_LEVELS]; /* Cluster, in drawing order (most pressing last), per level */
  GHashTable   *bubbles;        /* a cluster's look (count, shares, badge) → Bubble */
  PangoLayout  *count_layout;   /* the clusters' counts */
  PangoLayout  *badge_layout;   /* the badges' counts */
  GdkTexture   *sprites[WG_MARKER_N_GROUPS][WG_MARKER_N_ATTENTIONS];
  GArray       *drawn;          /* Drawn, in the last frame's order */

  /* State */
  int           sprite_scale;
  int           drawn_level;
  int           hovered;        /* index in the hovered level's clusters, or -1 */
  int           hovered_level;
  gboolean      dark;
  GdkRGBA       text_colour;
};

G_DEFINE_FINAL_TYPE (WgCaseLayer, wg_case_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_MARKERS,
  N_PROPS
};

enum {
  CASE_ACTIVATED,
  CLUSTER_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* --- helpers --------------------------------------------------------------------------------- */

static void
clear_levels (WgCaseLayer *self)
{
  for (guint i = 0; i < N_LEVELS; i++)
    g_clear_pointer (&self->levels[i], g_array_unref);
  g_array_set_size (self->drawn, 0);
  self->hovered = -1;
}

static void
clear_sprites (WgCaseLayer *self)
{
  for (guint g = 0; g < WG_MARKER_N_GROUPS; g++)
    for (guint a = 0; a < WG_MARKER_N_ATTENTIONS; a++)
      g_clear_object (&self->sprites[g][a]);
}

static void
bubble_free (gpointer data)
{
  Bubble *bubble = data;

  g_clear_object (&bubble->texture);
  g_free (bubble);
}

/* Sprites, bubbles and layouts follow the colours, fonts and scale: all made again. */
static void
clear_looks (WgCaseLayer *self)
{
  clear_sprites (self);
  if (self->bubbles != NULL)
    g_hash_table_remove_all (self->bubbles);
  g_clear_object (&self->count_layout);
  g_clear_object (&self->badge_layout);
}

static int
level_for_zoom (double zoom)
{
  return CLAMP ((int) floor (zoom + 1e-6), 0, MAX_CLUSTER_LEVEL + 1);
}

static void
cluster_add (Cluster            *cluster,
             const WgCaseMarker *marker,
             double              x,
             double              y)
{
  cluster->x += x;
  cluster->y += y;
  wg_mercator_box_extend (&cluster->box, x, y);
  cluster->count++;
  cluster->counts[marker->group]++;
  cluster->n_alert += marker->attention == WG_MARKER_ALERT;
  cluster->n_warning += marker->attention == WG_MARKER_WARNING;
  cluster->attention = MAX (cluster->attention, marker->attention);
}

static int
compare_clusters (gconstpointer a,
                  gconstpointer b)
{
  const Cluster *ca = a;
  const Cluster *cb = b;

  /* Calm first and pressing last, so the red ones are drawn on top. */
  if (ca->attention != cb->attention)
    return ca->attention < cb->attention ? -1 : 1;
  return ca->count < cb->count ? -1 : ca->count > cb->count;
}

static gint64
cell_key (gint64 cx,
          gint64 cy)
{
  return (cx << 32) ^ (cy & 0xffffffff);
}

typedef struct
{
  double x;
  double y;
  int    next;                  /* the next seed in the same cell, or -1 */
} Seed;

/* Greedy clustering: each case joins the nearest cluster whose first case (its seed) is
 * within CLUSTER_PX, looking only in the 3 × 3 cells around it; otherwise it seeds a new one.
 * Linear in the number of cases. */
static GArray *
build_level (WgCaseLayer *self,
             int          level)
{
  GArray *clusters = g_array_new (FALSE, TRUE, sizeof (Cluster));
  guint n = self->markers != NULL ? self->markers->len : 0;
  double world = wg_mercator_world_size (level);
  g_autoptr(GHashTable) cells = NULL;
  g_autoptr(GArray) seeds = NULL;

  if (level > MAX_CLUSTER_LEVEL)
    {
      for (guint i = 0; i < n; i++)
        {
          Cluster cluster = { 0, };

          if (isnan (self->projected[2 * i]))
            continue;
          wg_mercator_box_init_empty (&cluster.box);
          cluster.marker = i;
          cluster_add (&cluster, &g_array_index (self->markers, WgCaseMarker, i),
                       self->projected[2 * i], self->projected[2 * i + 1]);
          g_array_append_val (clusters, cluster);
        }
      g_array_sort (clusters, compare_clusters);
      return clusters;
    }

  cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  seeds = g_array_new (FALSE, FALSE, sizeof (Seed));
  for (guint i = 0; i < n; i++)
    {
      double mx = self->projected[2 * i], my = self->projected[2 * i + 1];
      double px = mx * world, py = my * world;
      gint64 cx, cy;
      int best = -1;
      double best_d = CLUSTER_PX * CLUSTER_PX;
      Cluster *cluster;

      if (isnan (mx))
        continue;
      cx = (gint64) floor (px / CLUSTER_PX);
      cy = (gint64) floor (py / CLUSTER_PX);
      for (gint64 dy = -1; dy <= 1; dy++)
        for (gint64 dx = -1; dx <= 1; dx++)
          {
            gint64 key = cell_key (cx + dx, cy + dy);
            gpointer head = g_hash_table_lookup (cells, &key);

            for (int j = head != NULL ? GPOINTER_TO_INT (head) - 1 : -1; j >= 0;
                 j = g_array_index (seeds, Seed, j).next)
              {
                const Seed *seed = &g_array_index (seeds, Seed, j);
                double d = (seed->x - px) * (seed->x - px) + (seed->y - py) * (seed->y - py);

                if (d < best_d)
                  {
                    best_d = d;
                    best = j;
                  }
              }
          }

      if (best < 0)
        {
          gint64 key = cell_key (cx, cy);
          gpointer head = g_hash_table_lookup (cells, &key);
          Seed seed = { px, py, head != NULL ? GPOINTER_TO_INT (head) - 1 : -1 };
          Cluster fresh = { 0, };

          best = (int) seeds->len;
          g_array_append_val (seeds, seed);
          g_hash_table_replace (cells, g_memdup2 (&key, sizeof key), GINT_TO_POINTER (best + 1));
          wg_mercator_box_init_empty (&fresh.box);
          fresh.marker = i;
          g_array_append_val (clusters, fresh);
        }
      cluster = &g_array_index (clusters, Cluster, best);
      cluster_add (cluster, &g_array_index (self->markers, WgCaseMarker, i), mx, my);
    }

  for (guint c = 0; c < clusters->len; c++)
    {
      Cluster *cluster = &g_array_index (clusters, Cluster, c);

      cluster->x /= cluster->count;
      cluster->y /= cluster->count;
    }
  g_array_sort (clusters, compare_clusters);
  return clusters;
}

static GArray *
ensure_level (WgCaseLayer *self,
              int          level)
{
  if (self->levels[level] == NULL)
    {
      gint64 start = g_get_monotonic_time ();

      self->levels[level] = build_level (self, level);
      g_debug ("Clustered %u cases into %u at level %d in %.1f ms",
               self->markers != NULL ? self->markers->len : 0, self->levels[level]->len, level,
               (g_get_monotonic_time () - start) / 1000.0);
    }
  return self->levels[level];
}

/* A cairo surface @size logical pixels square at the widget's scale, for one texture. */
static cairo_t *
begin_texture (WgCaseLayer *self,
               int          size)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size * scale, size * scale);
  cairo_t *cr = cairo_create (surface);

  cairo_surface_destroy (surface);
  cairo_scale (cr, scale, scale);
  return cr;
}

static GdkTexture *
end_texture (cairo_t *cr)
{
  cairo_surface_t *surface = cairo_get_target (cr);
  int height = cairo_image_surface_get_height (surface);
  g_autoptr(GBytes) bytes = NULL;

  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface), (gsize) cairo_image_surface_get_stride (surface) * height);
  /* GDK_MEMORY_DEFAULT is cairo's ARGB32: premultiplied, native byte order. */
  {
    GdkTexture *texture = gdk_memory_texture_new (cairo_image_surface_get_width (surface), height, GDK_MEMORY_DEFAULT,
                                                  bytes, cairo_image_surface_get_stride (surface));
    cairo_destroy (cr);
    return texture;
  }
}

static void
disc (cairo_t           *cr,
      double             x,
      double             y,
      double             radius,
      const WgMapColour *colour,
      double             alpha)
{
  cairo_new_sub_path (cr);
  cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, colour->red, colour->green, colour->blue, colour->alpha * alpha);
  cairo_fill (cr);
}

static const WgMapColour black = { 0, 0, 0, 1 };
static const WgMapColour white = { 1, 1, 1, 1 };
static const WgMapColour dark_grey = { 0.12f, 0.12f, 0.14f, 1 };

/* A single case: its state group's colour inside a ring, white when calm, amber or red when
 * pressing, with a thin dark edge that keeps it apart from any grid colour. A red or amber
 * ring could vanish on a grid of the same colour: a halo keeps it. */
static GdkTexture *
make_sprite (WgCaseLayer       *self,
             WgMarkerGroup      group,
             WgMarkerAttention  attention)
{
  cairo_t *cr = begin_texture (self, SPRITE_PX);
  double c = SPRITE_PX / 2.0;
  gboolean pressing = attention != WG_MARKER_CALM;
  WgMapColour fill, ring;

  wg_marker_group_colour (group, self->dark, &fill);
  wg_marker_attention_colour (attention, self->dark, &ring);
  if (pressing)
    disc (cr, c, c, 10.75, self->dark ? &dark_grey : &white, 0.95);
  disc (cr, c, c, pressing ? 9.25 : 8.0, &black, self->dark ? 0.7 : 0.45);
  disc (cr, c, c, pressing ? 8.5 : 7.25, &ring, 1);
  disc (cr, c, c, pressing ? 5.25 : 5.5, &fill, 1);
  return end_texture (cr);
}

static GdkTexture *
get_sprite (WgCaseLayer       *self,
            WgMarkerGroup      group,
            WgMarkerAttention  attention)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (scale != self->sprite_scale)
    {
      clear_looks (self);
      self->sprite_scale = scale;
    }
  if (self->sprites[group][attention] == NULL)
    self->sprites[group][attention] = make_sprite (self, group, attention);
  return self->sprites[group][attention];
}

static PangoLayout *
make_layout (WgCaseLayer *self,
             double       font_scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (font_scale));
  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum"));
  pango_layout_set_attributes (layout, attrs);
  return layout;
}

/* Lays out @count; returns its width and height in pixels. */
static void
set_count (PangoLayout *layout,
           guint        count,
           int         *width,
           int         *height)
{
  char text[16];

  g_snprintf (text, sizeof text, "%u", count);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_pixel_size (layout, width, height);
}

static void
show_centred (cairo_t           *cr,
              PangoLayout       *layout,
              double             x,
              double             y,
              int                width,
              int                height,
              const WgMapColour *colour)
{
  cairo_move_to (cr, round (x - width / 2.0), round (y - height / 2.0));
  cairo_set_source_rgba (cr, colour->red, colour->green, colour->blue, colour->alpha);
  pango_cairo_show_layout (cr, layout);
}

/* A cluster: a disc with its count, ringed by one arc per state group as long as its share of
 * the cases, and the badge. Made once per look. */
static const Bubble *
get_bubble (WgCaseLayer   *self,
            const Cluster *cluster)
{
  g_autoptr(GString) key = g_string_new (NULL);
  WgMapColour text = { self->text_colour.red, self->text_colour.green, self->text_colour.blue, 1 };
  WgMapColour badge;
  Bubble *bubble;
  cairo_t *cr;
  int width, height, badge_width = 0, badge_height = 0;
  double radius, badge_radius = 0, centre, angle = -G_PI / 2;

  g_string_append_printf (key, "%u:%d:%u", cluster->count, cluster->attention, cluster->n_alert);
  for (guint g = 0; g < WG_MARKER_N_GROUPS; g++)
    g_string_append_printf (key, ",%u", cluster->counts[g]);
  if ((bubble = g_hash_table_lookup (self->bubbles, key->str)) != NULL)
    return bubble;
  if (g_hash_table_size (self->bubbles) >= MAX_BUBBLES)
    g_hash_table_remove_all (self->bubbles);

  if (self->count_layout == NULL)
    self->count_layout = make_layout (self, PANGO_SCALE_SMALL);
  if (self->badge_layout == NULL)
    self->badge_layout = make_layout (self, PANGO_SCALE_X_SMALL);

  set_count (self->count_layout, cluster->count, &width, &height);
  radius = MAX (12.0 + 4.0 * log10 (cluster->count), width / 2.0 + 7.0);
  if (cluster->attention == WG_MARKER_ALERT)
    {
      set_count (self->badge_layout, cluster->n_alert, &badge_width, &badge_height);
      badge_radius = MAX (7.0, badge_width / 2.0 + 3.5);
    }
  else if (cluster->attention == WG_MARKER_WARNING)
    badge_radius = 5.0;

  bubble = g_new0 (Bubble, 1);
  bubble->radius = radius;
  bubble->half = ceil (MAX (radius + 1.5, 0.72 * radius + badge_radius + 1.5));
  centre = bubble->half;
  cr = begin_texture (self, (int) (2 * bubble->half));

  disc (cr, centre, centre, radius + 0.5, &black, self->dark ? 0.75 : 0.5);
  disc (cr, centre, centre, radius - 4.5, self->dark ? &dark_grey : &white, 0.95);
  cairo_set_line_width (cr, 5);
  for (guint g = 0; g < WG_MARKER_N_GROUPS; g++)
    {
      double sweep = 2 * G_PI * cluster->counts[g] / cluster->count;
      WgMapColour colour;

      if (cluster->counts[g] == 0)
        continue;
      wg_marker_group_colour (g, self->dark, &colour);
      cairo_new_sub_path (cr);
      cairo_arc (cr, centre, centre, radius - 2.5, angle, angle + sweep);
      cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, 1);
      cairo_stroke (cr);
      angle += sweep;
    }
  show_centred (cr, self->count_layout, centre, centre, width, height, &text);

  if (badge_radius > 0)
    {
      double bx = centre + 0.72 * radius, by = centre - 0.72 * radius;

      disc (cr, bx, by, badge_radius + 1.25, self->dark ? &dark_grey : &white, 1);
      wg_marker_attention_colour (cluster->attention, self->dark, &badge);
      disc (cr, bx, by, badge_radius, &badge, 1);
      if (cluster->attention == WG_MARKER_ALERT)
        show_centred (cr, self->badge_layout, bx, by, badge_width, badge_height, &white);
    }

  bubble->texture = end_texture (cr);
  g_hash_table_insert (self->bubbles, g_string_free (g_steal_pointer (&key), FALSE), bubble);
  return bubble;
}

static void
append_ring (GtkSnapshot   *snapshot,
             double         cx,
             double         cy,
             double         radius,
             const GdkRGBA *colour,
             float          width)
{
  g_autoptr(GskPathBuilder) builder = gsk_path_builder_new ();
  g_autoptr(GskPath) path = NULL;
  g_autoptr(GskStroke) stroke = gsk_stroke_new (width);

  gsk_path_builder_add_circle (builder, &GRAPHENE_POINT_INIT (cx, cy), radius);
  path = gsk_path_builder_free_to_path (g_steal_pointer (&builder));
  gtk_snapshot_append_stroke (snapshot, path, stroke, colour);
}

static void
view_transform (WgCaseLayer *self,
                double      *out_world,
                double      *out_ox,
                double      *out_oy)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double zoom = shumate_viewport_get_zoom_level (viewport);
  double world = wg_mercator_world_size (zoom);
  double mx = wg_mercator_x_from_lon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  double my = wg_mercator_y_from_lat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)));

  *out_world = world;
  *out_ox = mx * world - gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  *out_oy = my * world - gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
}

/* Widget coordinates to the layer's unrotated drawing coordinates. */
static void
unrotate (WgCaseLayer *self,
          double      *x,
          double      *y)
{
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double rotation = shumate_viewport_get_rotation (viewport);
  double cx = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
  double cy = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
  double dx = *x - cx, dy = *y - cy;

  if (rotation == 0)
    return;
  *x = cx + dx * cos (-rotation) - dy * sin (-rotation);
  *y = cy + dx * sin (-rotation) + dy * cos (-rotation);
}

static const Cluster *
drawn_cluster (WgCaseLayer *self,
               const Drawn *drawn)
{
  GArray *clusters = self->drawn_level >= 0 ? self->levels[self->drawn_level] : NULL;

  return clusters != NULL && drawn->cluster < clusters->len ? &g_array_index (clusters, Cluster, drawn->cluster) : NULL;
}

static int
drawn_at (WgCaseLayer *self,
          double       x,
          double       y)
{
  unrotate (self, &x, &y);
  /* The last drawn is on top. */
  for (guint i = self->drawn->len; i > 0; i--)
    {
      const Drawn *drawn = &g_array_index (self->drawn, Drawn, i - 1);
      double dx = x - drawn->x, dy = y - drawn->y;

      if (dx * dx + dy * dy <= drawn->radius * drawn->radius)
        return (int) i - 1;
    }
  return -1;
}

static void
update_colours (WgCaseLayer *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA text;

  gtk_widget_get_color (GTK_WIDGET (self), &text);
  if (dark == self->dark && gdk_rgba_equal (&text, &self->text_colour))
    return;
  self->dark = dark;
  self->text_colour = text;
  clear_looks (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- callbacks ------------------------------------------------------------------------------- */

static void
viewport_changed_cb (WgCaseLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Remembered by cluster, not by position in the frame, which changes as the map moves. */
static void
set_hovered (WgCaseLayer *self,
             int          drawn)
{
  int hovered = drawn >= 0 ? (int) g_array_index (self->drawn, Drawn, drawn).cluster : -1;

  if (self->hovered == hovered && (hovered < 0 || self->hovered_level == self->drawn_level))
    return;
  self->hovered = hovered;
  self->hovered_level = self->drawn_level;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), hovered >= 0 ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
motion_cb (WgCaseLayer              *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  set_hovered (self, drawn_at (self, x, y));
}

static void
leave_cb (WgCaseLayer              *self,
          GtkEventControllerMotion *motion)
{
  set_hovered (self, -1);
}

/* On release, and only near where it was pressed: a press that turns into a drag pans the map
 * instead (see wg-map-click.c). */
static void
released_cb (WgCaseLayer     *self,
             int              n_press,
             double           x,
             double           y,
             GtkGestureClick *gesture)
{
  const char *id = NULL;
  WgMercatorBox box;
  guint count;

  if (!wg_map_click_is_click (gesture, n_press, x, y))
    return;
  count = wg_case_layer_item_at (self, x, y, &id, &box);
  g_debug ("Click at %.0f, %.0f: %u cases", x, y, count);
  if (count == 1)
    g_signal_emit (self, signals[CASE_ACTIVATED], 0, id);
  else if (count > 1)
    g_signal_emit (self, signals[CLUSTER_ACTIVATED], 0, box.min_x, box.min_y, box.max_x, box.max_y);
}

static void
dark_changed_cb (WgCaseLayer *self)
{
  update_colours (self);
}

/* --- GtkWidget ------------------------------------------------------------------------------- */

static void
wg_case_layer_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  WgCaseLayer *self = WG_CASE_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  int scale = gtk_widget_get_scale_factor (widget);
  GArray *clusters;
  double world, ox, oy, rotation, vx0, vy0, vx1, vy1;
  int level;

  g_array_set_size (self->drawn, 0);
  self->drawn_level = -1;
  if (viewport == NULL || shumate_viewport_get_reference_map_source (viewport) == NULL ||
      self->markers == NULL || self->markers->len == 0 || width <= 0 || height <= 0)
    return;

  level = level_for_zoom (shumate_viewport_get_zoom_level (viewport));
  clusters = ensure_level (self, level);
  self->drawn_level = level;
  view_transform (self, &world, &ox, &oy);

  rotation = shumate_viewport_get_rotation (viewport);
  gtk_snapshot_save (snapshot);
  if (rotation != 0)
    {
      double radius = hypot (width, height) / 2;

      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2, height / 2));
      gtk_snapshot_rotate (snapshot, rotation * 180 / G_PI);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-width / 2, -height / 2));
      vx0 = width / 2 - radius, vx1 = width / 2 + radius;
      vy0 = height / 2 - radius, vy1 = height / 2 + radius;
    }
  else
    {
      vx0 = 0, vx1 = width;
      vy0 = 0, vy1 = height;
    }

  for (guint i = 0; i < clusters->len; i++)
    {
      const Cluster *cluster = &g_array_index (clusters, Cluster, i);
      double x = cluster->x * world - ox;
      double y = cluster->y * world - oy;
      Drawn drawn = { i, x, y, 0 };
      GdkTexture *texture;
      double half;

      /* No cluster is wider than this; most are far smaller. */
      if (x < vx0 - 48 || x > vx1 + 48 || y < vy0 - 48 || y > vy1 + 48)
        continue;

      if (cluster->count == 1)
        {
          const WgCaseMarker *marker = &g_array_index (self->markers, WgCaseMarker, cluster->marker);

          texture = get_sprite (self, marker->group, marker->attention);
          half = SPRITE_PX / 2.0;
          drawn.radius = cluster->attention != WG_MARKER_CALM ? 10.5 : 8.0;
        }
      else
        {
          const Bubble *bubble = get_bubble (self, cluster);

          texture = bubble->texture;
          half = bubble->half;
          drawn.radius = bubble->radius;
        }
      if (x + half < vx0 || x - half > vx1 || y + half < vy0 || y - half > vy1)
        continue;
      /* On whole device pixels, so the texture is copied, not resampled. */
      gtk_snapshot_append_texture (snapshot, texture,
                                   &GRAPHENE_RECT_INIT (round ((x - half) * scale) / scale,
                                                        round ((y - half) * scale) / scale,
                                                        2 * half, 2 * half));
      g_array_append_val (self->drawn, drawn);
    }

  /* The one under the pointer. */
  for (guint i = 0; self->hovered >= 0 && self->hovered_level == level && i < self->drawn->len; i++)
    {
      const Drawn *drawn = &g_array_index (self->drawn, Drawn, i);
      GdkRGBA *accent;

      if (drawn->cluster != (guint) self->hovered)
        continue;
      accent = adw_style_manager_get_accent_color_rgba (adw_style_manager_get_default ());
      append_ring (snapshot, drawn->x, drawn->y, drawn->radius + 2, accent, 2.5f);
      gdk_rgba_free (accent);
      break;
    }

  gtk_snapshot_restore (snapshot);
}

static gboolean
wg_case_layer_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip)
{
  WgCaseLayer *self = WG_CASE_LAYER (widget);
  int index = keyboard ? -1 : drawn_at (self, x, y);
  const Cluster *cluster;
  g_autofree char *markup = NULL;

  if (index < 0 || (cluster = drawn_cluster (self, &g_array_index (self->drawn, Drawn, index))) == NULL)
    return FALSE;

  if (cluster->count == 1)
    {
      const WgCaseMarker *marker = &g_array_index (self->markers, WgCaseMarker, cluster->marker);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      g_autofree char *described = wg_case_marker_describe (marker, now);

      /* Translators: the map's tooltip on a case: its title, then number, state, urgency and deadline */
      markup = g_markup_printf_escaped (_("<b>%s</b>\n%s\nClick to open it in Dispatch"),
                                        marker->title != NULL ? marker->title : "", described);
    }
  else
    {
      g_autofree char *count = g_strdup_printf (g_dngettext (NULL, "%u case", "%u cases", cluster->count), cluster->count);
      g_autofree char *pressing = NULL;

      if (cluster->n_alert > 0)
        pressing = g_strdup_printf (g_dngettext (NULL, "%u urgent or overdue", "%u urgent or overdue", cluster->n_alert),
                                    cluster->n_alert);
      /* Translators: the map's tooltip on a cluster of cases */
      markup = g_markup_printf_escaped (_("<b>%s</b>%s%s\nClick to zoom in"), count,
                                        pressing != NULL ? "\n" : "", pressing != NULL ? pressing : "");
    }
  gtk_tooltip_set_markup (tooltip, markup);
  return TRUE;
}

/* The layer takes the points over its markers; elsewhere they reach the grids below. */
static gboolean
wg_case_layer_contains (GtkWidget *widget,
                        double     x,
                        double     y)
{
  return drawn_at (WG_CASE_LAYER (widget), x, y) >= 0;
}

static void
wg_case_layer_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (wg_case_layer_parent_class)->css_changed (widget, change);

  update_colours (WG_CASE_LAYER (widget));
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_case_layer_constructed (GObject *object)
{
  WgCaseLayer *self = WG_CASE_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (wg_case_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (viewport_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
wg_case_layer_dispose (GObject *object)
{
  WgCaseLayer *self = WG_CASE_LAYER (object);

  clear_looks (self);

  G_OBJECT_CLASS (wg_case_layer_parent_class)->dispose (object);
}

static void
wg_case_layer_finalize (GObject *object)
{
  WgCaseLayer *self = WG_CASE_LAYER (object);

  clear_levels (self);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_pointer (&self->projected, g_free);
  g_clear_pointer (&self->bubbles, g_hash_table_unref);
  g_clear_pointer (&self->drawn, g_array_unref);

  G_OBJECT_CLASS (wg_case_layer_parent_class)->finalize (object);
}

static void
wg_case_layer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WgCaseLayer *self = WG_CASE_LAYER (object);

  switch (prop_id)
    {
    case PROP_MARKERS:
      g_value_set_boxed (value, self->markers);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_case_layer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WgCaseLayer *self = WG_CASE_LAYER (object);

  switch (prop_id)
    {
    case PROP_MARKERS:
      wg_case_layer_set_markers (self, g_value_get_boxed (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_case_layer_class_init (WgCaseLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wg_case_layer_constructed;
  object_class->dispose = wg_case_layer_dispose;
  object_class->finalize = wg_case_layer_finalize;
  object_class->get_property = wg_case_layer_get_property;
  object_class->set_property = wg_case_layer_set_property;

  widget_class->snapshot = wg_case_layer_snapshot;
  widget_class->query_tooltip = wg_case_layer_query_tooltip;
  widget_class->contains = wg_case_layer_contains;
  widget_class->css_changed = wg_case_layer_css_changed;

  properties[PROP_MARKERS] =
    g_param_spec_boxed ("markers", NULL, NULL, G_TYPE_ARRAY,
                        G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WgCaseLayer::case-activated:
   * @id: the case's id
   *
   * A single case's marker was clicked.
   */
  signals[CASE_ACTIVATED] =
    g_signal_new ("case-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);

  /**
   * WgCaseLayer::cluster-activated:
   * @min_x: the box of the cluster's cases, normalised Mercator
   * @min_y:
   * @max_x:
   * @max_y:
   *
   * A cluster was clicked: the view zooms to its cases.
   */
  signals[CLUSTER_ACTIVATED] =
    g_signal_new ("cluster-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 4,
                  G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);
}

static void
wg_case_layer_init (WgCaseLayer *self)
{
  GtkEventController *motion;
  GtkGesture *click;

  self->bubbles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, bubble_free);
  self->drawn = g_array_new (FALSE, FALSE, sizeof (Drawn));
  self->drawn_level = -1;
  self->hovered = -1;
  self->dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  gtk_widget_get_color (GTK_WIDGET (self), &self->text_colour);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect_swapped (motion, "motion", G_CALLBACK (motion_cb), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (leave_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  click = wg_map_click_new ();
  g_signal_connect_swapped (click, "released", G_CALLBACK (released_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

/* --- public API ------------------------------------------------------------------------------ */

WgCaseLayer *
wg_case_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (WG_TYPE_CASE_LAYER, "viewport", viewport, NULL);
}

/**
 * wg_case_layer_get_markers:
 *
 * Returns: (transfer none) (nullable): the #GArray of #WgCaseMarker shown
 */
GArray *
wg_case_layer_get_markers (WgCaseLayer *self)
{
  g_return_val_if_fail (WG_IS_CASE_LAYER (self), NULL);

  return self->markers;
}

/**
 * wg_case_layer_set_markers:
 * @markers: (nullable): a #GArray of #WgCaseMarker (see wg_case_markers_new ()), kept by
 *   reference and not to be changed afterwards
 *
 * Replaces the cases shown. Cases whose longitude is NAN are not drawn.
 */
void
wg_case_layer_set_markers (WgCaseLayer *self,
                           GArray      *markers)
{
  g_return_if_fail (WG_IS_CASE_LAYER (self));
  g_return_if_fail (markers == NULL || g_array_get_element_size (markers) == sizeof (WgCaseMarker));

  if (self->markers == markers)
    return;

  clear_levels (self);
  g_clear_pointer (&self->markers, g_array_unref);
  g_clear_pointer (&self->projected, g_free);
  if (markers != NULL)
    {
      self->markers = g_array_ref (markers);
      self->projected = g_new (double, 2 * MAX (markers->len, 1));
      for (guint i = 0; i < markers->len; i++)
        {
          const WgCaseMarker *marker = &g_array_index (markers, WgCaseMarker, i);
          gboolean placed = isfinite (marker->lon) && isfinite (marker->lat) &&
                            fabs (marker->lat) < WG_MERCATOR_MAX_LATITUDE && fabs (marker->lon) <= 180;

          self->projected[2 * i] = placed ? wg_mercator_x_from_lon (marker->lon) : NAN;
          self->projected[2 * i + 1] = placed ? wg_mercator_y_from_lat (marker->lat) : NAN;
        }
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MARKERS]);
}

/**
 * wg_case_layer_item_at:
 * @x: widget coordinate
 * @y: widget coordinate
 * @out_case_id: (out) (optional) (transfer none): the case, when there is one
 * @out_box: (out) (optional): the box of the cases there, normalised Mercator
 *
 * What the last frame drew at @x, @y.
 *
 * Returns: how many cases are marked there: 0 for none, 1 for a single case, more for a cluster
 */
guint
wg_case_layer_item_at (WgCaseLayer    *self,
                       double          x,
                       double          y,
                       const char    **out_case_id,
                       WgMercatorBox  *out_box)
{
  int index;
  const Cluster *cluster;

  g_return_val_if_fail (WG_IS_CASE_LAYER (self), 0);

  index = drawn_at (self, x, y);
  if (index < 0 || (cluster = drawn_cluster (self, &g_array_index (self->drawn, Drawn, index))) == NULL)
    return 0;
  if (out_case_id != NULL)
    *out_case_id = g_array_index (self->markers, WgCaseMarker, cluster->marker).id;
  if (out_box != NULL)
    *out_box = cluster->box;
  return cluster->count;
}

guint
_wg_case_layer_get_n_drawn (WgCaseLayer *self)
{
  g_return_val_if_fail (WG_IS_CASE_LAYER (self), 0);

  return self->drawn->len;
}

void
_wg_case_layer_get_drawn (WgCaseLayer *self,
                          guint        index,
                          double      *out_x,
                          double      *out_y,
                          guint       *out_count)
{
  const Drawn *drawn;
  const Cluster *cluster;

  g_return_if_fail (WG_IS_CASE_LAYER (self));
  g_return_if_fail (index < self->drawn->len);

  drawn = &g_array_index (self->drawn, Drawn, index);
  cluster = drawn_cluster (self, drawn);
  *out_x = drawn->x;
  *out_y = drawn->y;
  *out_count = cluster != NULL ? cluster->count : 0;
}

guint
_wg_case_layer_get_cluster_level (WgCaseLayer *self)
{
  g_return_val_if_fail (WG_IS_CASE_LAYER (self), 0);

  return MAX (self->drawn_level, 0);
}
