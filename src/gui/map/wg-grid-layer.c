/* wg-grid-layer.c — a libshumate layer that draws every grid, coloured by a metric, and hit-tests them
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Thousands of ShumatePathLayers or marker widgets do not scale, and stroking 10,000 polygons
 * every frame costs far more than a frame (cairo needs ~0.4 s). So the layer draws the grids
 * once per zoom level into 512-pixel tiles in projected pixel space (GskPaths rasterised to
 * textures) and a frame only composites the visible tiles. Panning never rebuilds a path;
 * tiles newly scrolled into view are drawn within a time budget per frame, and a zoom level
 * is only drawn once the zoom has settled (meanwhile the previous level is scaled).
 *
 * Per tile the polygons go into one fill path per colour class and two stroke paths (grid
 * edges, village edges), so a tile is a handful of nodes whatever the number of grids. Each
 * shared edge is stroked once, by one of its grids, and an edge is a village boundary when its
 * two grids belong to different villages (or it has only one grid): the heavier village lines
 * come from the grids themselves, no village polygons needed.
 *
 * A change to one grid (its figures, name or boundary) drops only the tiles under it.
 */
#define G_LOG_DOMAIN "WgGridLayer"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "wg-grid-layer.h"
#include "wg-map-click.h"
#include "wg-map-enums.h"

/* Logical pixels per cached tile. */
#define TILE_SIZE 512
/* Tiles whose grids' labels may reach in from a neighbouring tile are drawn with this margin. */
#define LABEL_MARGIN 96.0
/* A grid narrower than this (pixels) gets no outline of its own, only its fill and village lines. */
#define MIN_OUTLINE_PX 4.0
/* A grid wider than this (pixels) is labelled, if its name fits. */
#define MIN_LABEL_PX 48.0
/* Tiles are cached per zoom level to 1/1000: whatever zoom the map settles on is drawn exactly. */
#define LEVEL_STEPS 1000.0
/* A new zoom level is drawn once the zoom has not changed for this long. */
#define SETTLE_US (180 * G_TIME_SPAN_MILLISECOND)
/* What a frame may spend drawing new tiles before it leaves the rest to the next frames: about
 * half a 60 Hz frame, the rest is for compositing and the other widgets. */
#define DEFAULT_BUDGET_US (7 * G_TIME_SPAN_MILLISECOND)
/* Memory the cached tiles may use. */
#define CACHE_BYTES (160 * 1024 * 1024)

typedef struct
{
  double   x0, y0, x1, y1;
  gboolean village;
} Edge;

typedef struct
{
  WgGridLayer   *layer;        /* borrowed */
  WgMapGrid     *grid;         /* owned */
  gulong         notify_id;
  WgMercatorBox  box;          /* normalised; empty without a boundary */
  GArray        *points;       /* double x, y pairs of all rings, normalised */
  GArray        *ring_ends;    /* guint: index in points past each ring's last pair */
  GArray        *edges;        /* Edge: the edges this grid strokes */
  double         label_x;
  double         label_y;
  int            klass;
  guint          stamp;
} Entry;

typedef struct
{
  int level;                   /* zoom × LEVEL_STEPS */
  int x;
  int y;
} TileKey;

typedef struct
{
  TileKey     key;
  GdkTexture *texture;         /* owned; NULL when the tile is empty */
  guint64     last_used;
} Tile;

struct _WgGridLayer
{
  ShumateLayer     parent_instance;

  /* Owned */
  GListModel      *grids;
  GPtrArray       *entries;    /* Entry, in model order */
  GHashTable      *by_id;      /* id → Entry (borrowed from entries) */
  GHashTable      *tiles;      /* Tile → Tile */
  WgMapGrid       *hovered;
  WgMapGrid       *selected;
  guint            settle_id;
  guint            redraw_id;

  /* Spatial index: buckets over the extent, in compressed rows (offsets, then entry indices) */
  WgMercatorBox    extent;
  guint            index_cols;
  guint            index_rows;
  guint           *bucket_offsets;
  guint           *bucket_items;
  guint            stamp;
  gboolean         index_dirty;
  gboolean         edges_dirty;

  /* State */
  WgMapMetric      metric;
  int              draw_level;
  gint64           zoom_changed_at;
  gint64           budget_us;
  gint64           tile_cost_us;
  guint64          frame;
  guint            n_pending;
  gboolean         dark;
  GdkRGBA          text_colour;
  double           fill_opacity;
};

G_DEFINE_FINAL_TYPE (WgGridLayer, wg_grid_layer, SHUMATE_TYPE_LAYER)

enum {
  PROP_0,
  PROP_GRIDS,
  PROP_METRIC,
  PROP_HOVERED_GRID,
  PROP_SELECTED_GRID,
  N_PROPS
};

enum {
  GRID_ACTIVATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void queue_redraw (WgGridLayer *self);

/* --- tiles ----------------------------------------------------------------------------------- */

static guint
tile_hash (gconstpointer data)
{
  const TileKey *key = data;

  return (guint) key->level * 2654435761u ^ (guint) key->x * 40503u ^ (guint) key->y;
}

static gboolean
tile_equal (gconstpointer a,
            gconstpointer b)
{
  const TileKey *ka = a;
  const TileKey *kb = b;

  return ka->level == kb->level && ka->x == kb->x && ka->y == kb->y;
}

static void
tile_free (gpointer data)
{
  Tile *tile = data;

  g_clear_object (&tile->texture);
  g_free (tile);
}

static void
tile_get_box (const TileKey *key,
              double         margin_px,
              WgMercatorBox *out_box)
{
  double world = wg_mercator_world_size (key->level / LEVEL_STEPS);

  out_box->min_x = (key->x * (double) TILE_SIZE - margin_px) / world;
  out_box->min_y = (key->y * (double) TILE_SIZE - margin_px) / world;
  out_box->max_x = ((key->x + 1) * (double) TILE_SIZE + margin_px) / world;
  out_box->max_y = ((key->y + 1) * (double) TILE_SIZE + margin_px) / world;
}

static void
invalidate_all (WgGridLayer *self)
{
  g_hash_table_remove_all (self->tiles);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Drops the tiles of every level that could show anything of @box: a label reaches up to
 * LABEL_MARGIN pixels out of its grid. */
static void
invalidate_box (WgGridLayer         *self,
                const WgMercatorBox *box)
{
  GHashTableIter iter;
  Tile *tile;

  if (wg_mercator_box_is_empty (box))
    return;

  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, (gpointer *) &tile, NULL))
    {
      WgMercatorBox tile_box;

      tile_get_box (&tile->key, LABEL_MARGIN, &tile_box);
      if (wg_mercator_box_intersects (&tile_box, box))
        g_hash_table_iter_remove (&iter);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Least recently used first, never a tile the current frame uses. */
static void
evict_tiles (WgGridLayer *self,
             int          scale_factor)
{
  gsize tile_bytes = (gsize) TILE_SIZE * TILE_SIZE * 4 * scale_factor * scale_factor;
  guint max_tiles = MAX (CACHE_BYTES / tile_bytes, 16);

  while (g_hash_table_size (self->tiles) > max_tiles)
    {
      GHashTableIter iter;
      Tile *tile;
      Tile *oldest = NULL;

      g_hash_table_iter_init (&iter, self->tiles);
      while (g_hash_table_iter_next (&iter, (gpointer *) &tile, NULL))
        if (oldest == NULL || tile->last_used < oldest->last_used)
          oldest = tile;
      if (oldest == NULL || oldest->last_used == self->frame)
        break;
      g_hash_table_remove (self->tiles, oldest);
    }
}

/* --- entries --------------------------------------------------------------------------------- */

static int
classify (WgGridLayer *self,
          WgMapGrid   *grid)
{
  return wg_map_metric_classify (self->metric, wg_map_grid_get_metric_value (grid, self->metric));
}

/* The label goes at the outline's area centroid, or the box centre when the centroid falls
 * outside (a crescent-shaped grid). */
static void
place_label (Entry *entry)
{
  guint end = entry->ring_ends->len > 0 ? g_array_index (entry->ring_ends, guint, 0) : 0;
  const double *p = (const double *) entry->points->data;
  double area = 0, cx = 0, cy = 0;

  entry->label_x = (entry->box.min_x + entry->box.max_x) / 2;
  entry->label_y = (entry->box.min_y + entry->box.max_y) / 2;
  if (end < 3)
    return;

  for (guint i = 0; i + 1 < end; i++)
    {
      /* Relative to the first point: normalised coordinates are tiny differences of ~0.8 */
      double x0 = p[2 * i] - p[0], y0 = p[2 * i + 1] - p[1];
      double x1 = p[2 * i + 2] - p[0], y1 = p[2 * i + 3] - p[1];
      double cross = x0 * y1 - x1 * y0;

      area += cross;
      cx += (x0 + x1) * cross;
      cy += (y0 + y1) * cross;
    }
  if (fabs (area) < 1e-30)
    return;
  cx = cx / (3 * area) + p[0];
  cy = cy / (3 * area) + p[1];
  if (wg_ring_contains (p, end, cx, cy))
    {
      entry->label_x = cx;
      entry->label_y = cy;
    }
}

static void
project_entry (Entry *entry)
{
  WgPolygon *boundary = wg_map_grid_get_boundary (entry->grid);

  g_array_set_size (entry->points, 0);
  g_array_set_size (entry->ring_ends, 0);
  g_array_set_size (entry->edges, 0);
  wg_mercator_box_init_empty (&entry->box);

  if (boundary == NULL)
    return;

  for (guint r = 0; r < wg_polygon_get_n_rings (boundary); r++)
    {
      guint n;
      const double *ring = wg_polygon_get_ring (boundary, r, &n);
      guint end;

      for (guint i = 0; i < n; i++)
        {
          double xy[2] = { wg_mercator_x_from_lon (ring[2 * i]), wg_mercator_y_from_lat (ring[2 * i + 1]) };

          g_array_append_vals (entry->points, xy, 2);
          if (r == 0)
            wg_mercator_box_extend (&entry->box, xy[0], xy[1]);
        }
      end = entry->points->len / 2;
      g_array_append_val (entry->ring_ends, end);
    }
  place_label (entry);
}

static void grid_notify_cb (WgMapGrid  *grid,
                            GParamSpec *pspec,
                            Entry      *entry);

static Entry *
entry_new (WgGridLayer *self,
           WgMapGrid   *grid)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->layer = self;
  entry->grid = g_object_ref (grid);
  entry->points = g_array_new (FALSE, FALSE, sizeof (double));
  entry->ring_ends = g_array_new (FALSE, FALSE, sizeof (guint));
  entry->edges = g_array_new (FALSE, FALSE, sizeof (Edge));
  entry->klass = classify (self, grid);
  entry->notify_id = g_signal_connect (grid, "notify", G_CALLBACK (grid_notify_cb), entry);
  project_entry (entry);
  return entry;
}

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_signal_handler (&entry->notify_id, entry->grid);
  g_clear_object (&entry->grid);
  g_clear_pointer (&entry->points, g_array_unref);
  g_clear_pointer (&entry->ring_ends, g_array_unref);
  g_clear_pointer (&entry->edges, g_array_unref);
  g_free (entry);
}

/* --- spatial index --------------------------------------------------------------------------- */

static void
bucket_range (WgGridLayer         *self,
              const WgMercatorBox *box,
              guint               *c0,
              guint               *r0,
              guint               *c1,
              guint               *r1)
{
  double w = (self->extent.max_x - self->extent.min_x) / self->index_cols;
  double h = (self->extent.max_y - self->extent.min_y) / self->index_rows;

  w = w > 0 ? w : 1;
  h = h > 0 ? h : 1;
  *c0 = (guint) CLAMP (floor ((box->min_x - self->extent.min_x) / w), 0, self->index_cols - 1);
  *c1 = (guint) CLAMP (floor ((box->max_x - self->extent.min_x) / w), 0, self->index_cols - 1);
  *r0 = (guint) CLAMP (floor ((box->min_y - self->extent.min_y) / h), 0, self->index_rows - 1);
  *r1 = (guint) CLAMP (floor ((box->max_y - self->extent.min_y) / h), 0, self->index_rows - 1);
}

/* A uniform grid of buckets suits grids, which are all about the same size: about one grid
 * per bucket, each grid listed in every bucket its box touches. */
static void
build_index (WgGridLayer *self)
{
  guint n_cells;
  guint *fill = NULL;

  g_clear_pointer (&self->bucket_offsets, g_free);
  g_clear_pointer (&self->bucket_items, g_free);
  wg_mercator_box_init_empty (&self->extent);
  for (guint i = 0; i < self->entries->len; i++)
    wg_mercator_box_union (&self->extent, &((Entry *) g_ptr_array_index (self->entries, i))->box);

  self->index_cols = self->index_rows = MAX (1, (guint) ceil (sqrt (self->entries->len)));
  n_cells = self->index_cols * self->index_rows;
  self->bucket_offsets = g_new0 (guint, n_cells + 1);
  self->index_dirty = FALSE;
  if (wg_mercator_box_is_empty (&self->extent))
    return;

  /* Count, then prefix sums, then fill: two passes, no per-bucket arrays. */
  for (guint pass = 0; pass < 2; pass++)
    {
      for (guint i = 0; i < self->entries->len; i++)
        {
          Entry *entry = g_ptr_array_index (self->entries, i);
          guint c0, r0, c1, r1;

          if (wg_mercator_box_is_empty (&entry->box))
            continue;
          bucket_range (self, &entry->box, &c0, &r0, &c1, &r1);
          for (guint r = r0; r <= r1; r++)
            for (guint c = c0; c <= c1; c++)
              {
                guint cell = r * self->index_cols + c;

                if (pass == 0)
                  self->bucket_offsets[cell + 1]++;
                else
                  self->bucket_items[fill[cell]++] = i;
              }
        }
      if (pass == 0)
        {
          for (guint c = 0; c < n_cells; c++)
            self->bucket_offsets[c + 1] += self->bucket_offsets[c];
          self->bucket_items = g_new (guint, self->bucket_offsets[n_cells] + 1);
          fill = g_memdup2 (self->bucket_offsets, sizeof (guint) * n_cells);
        }
    }
  g_free (fill);
}

static int
compare_index (gconstpointer a,
               gconstpointer b)
{
  guint ia = *(const guint *) a;
  guint ib = *(const guint *) b;

  return ia < ib ? -1 : ia > ib;
}

/* Entries whose box meets @box, each once, in model order (so later grids draw on top). */
static void
query (WgGridLayer         *self,
       const WgMercatorBox *box,
       GArray              *out_indices)
{
  guint c0, r0, c1, r1;

  g_array_set_size (out_indices, 0);
  if (self->bucket_items == NULL || !wg_mercator_box_intersects (box, &self->extent))
    return;

  self->stamp++;
  bucket_range (self, box, &c0, &r0, &c1, &r1);
  for (guint r = r0; r <= r1; r++)
    for (guint c = c0; c <= c1; c++)
      {
        guint cell = r * self->index_cols + c;

        for (guint k = self->bucket_offsets[cell]; k < self->bucket_offsets[cell + 1]; k++)
          {
            guint i = self->bucket_items[k];
            Entry *entry = g_ptr_array_index (self->entries, i);

            if (entry->stamp == self->stamp || !wg_mercator_box_intersects (box, &entry->box))
              continue;
            entry->stamp = self->stamp;
            g_array_append_val (out_indices, i);
          }
      }
  if (r0 != r1 || c0 != c1)
    g_array_sort (out_indices, compare_index);
}

/* --- shared edges ---------------------------------------------------------------------------- */

typedef struct
{
  gint64      ax, ay, bx, by;  /* quantised ends, (a) < (b) */
  guint       owner;
  guint       count;
  const char *village;
  gboolean    differs;
  double      coords[4];
} EdgeInfo;

static guint
edge_hash (gconstpointer data)
{
  const EdgeInfo *e = data;
  guint64 h = (guint64) e->ax * 0x9E3779B97F4A7C15ull ^ (guint64) e->ay * 0xC2B2AE3D27D4EB4Full ^
              (guint64) e->bx * 0x165667B19E3779F9ull ^ (guint64) e->by;

  return (guint) (h ^ (h >> 32));
}

static gboolean
edge_equal (gconstpointer a,
            gconstpointer b)
{
  const EdgeInfo *ea = a;
  const EdgeInfo *eb = b;

  return ea->ax == eb->ax && ea->ay == eb->ay && ea->bx == eb->bx && ea->by == eb->by;
}

/* Ends are quantised to ~1 cm so that vertices neighbours share match despite rounding. */
static gint64
quantise (double v)
{
  return (gint64) llround (v * 4294967296.0);
}

static void
build_edges (WgGridLayer *self)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (edge_hash, edge_equal);
  g_autofree EdgeInfo *infos = NULL;
  guint n_segments = 0;
  guint n_infos = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      g_array_set_size (entry->edges, 0);
      n_segments += entry->points->len / 2;
    }
  infos = g_new (EdgeInfo, MAX (n_segments, 1));

  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);
      const double *p = (const double *) entry->points->data;
      const char *village = wg_map_grid_get_village_id (entry->grid);
      guint start = 0;

      for (guint r = 0; r < entry->ring_ends->len; r++)
        {
          guint end = g_array_index (entry->ring_ends, guint, r);

          for (guint k = start; k + 1 < end; k++)
            {
              EdgeInfo *info = &infos[n_infos];
              EdgeInfo *found;
              gint64 ax = quantise (p[2 * k]), ay = quantise (p[2 * k + 1]);
              gint64 bx = quantise (p[2 * k + 2]), by = quantise (p[2 * k + 3]);

              if (ax == bx && ay == by)
                continue;
              if (ax > bx || (ax == bx && ay > by))
                *info = (EdgeInfo) { bx, by, ax, ay, i, 1, village, FALSE, { p[2 * k + 2], p[2 * k + 3], p[2 * k], p[2 * k + 1] } };
              else
                *info = (EdgeInfo) { ax, ay, bx, by, i, 1, village, FALSE, { p[2 * k], p[2 * k + 1], p[2 * k + 2], p[2 * k + 3] } };

              found = g_hash_table_lookup (seen, info);
              if (found != NULL)
                {
                  found->count++;
                  found->differs |= g_strcmp0 (found->village, village) != 0;
                  continue;
                }
              g_hash_table_add (seen, info);
              n_infos++;
            }
          start = end;
        }
    }

  for (guint k = 0; k < n_infos; k++)
    {
      EdgeInfo *info = &infos[k];
      Entry *owner = g_ptr_array_index (self->entries, info->owner);
      Edge edge = { info->coords[0], info->coords[1], info->coords[2], info->coords[3],
                    info->count == 1 || info->differs };

      g_array_append_val (owner->edges, edge);
    }
  self->edges_dirty = FALSE;
}

static void
ensure_geometry (WgGridLayer *self)
{
  if (self->index_dirty)
    build_index (self);
  if (self->edges_dirty)
    build_edges (self);
}

/* --- drawing --------------------------------------------------------------------------------- */

static void
colour_to_rgba (const WgMapColour *colour,
                GdkRGBA           *rgba)
{
  *rgba = (GdkRGBA) { colour->red, colour->green, colour->blue, colour->alpha };
}

/* Adds a ring in tile pixels, skipping vertices closer than half a pixel to the last one:
 * at low zoom a grid's dozens of vertices collapse to a few. */
static void
add_ring (GskPathBuilder *builder,
          const double   *p,
          guint           start,
          guint           end,
          double          world,
          double          ox,
          double          oy)
{
  double lx = 0, ly = 0;

  for (guint k = start; k < end; k++)
    {
      double x = p[2 * k] * world - ox;
      double y = p[2 * k + 1] * world - oy;

      if (k == start)
        gsk_path_builder_move_to (builder, x, y);
      else if (k + 1 == end || fabs (x - lx) + fabs (y - ly) >= 0.5)
        gsk_path_builder_line_to (builder, x, y);
      else
        continue;
      lx = x;
      ly = y;
    }
  gsk_path_builder_close (builder);
}

static void
append_label (WgGridLayer *self,
              GtkSnapshot *snapshot,
              PangoLayout *layout,
              double       x,
              double       y)
{
  static const graphene_point_t halo[] = { { -1, 0 }, { 1, 0 }, { 0, -1 }, { 0, 1 } };
  GdkRGBA halo_colour = self->dark ? (GdkRGBA) { 0.12, 0.12, 0.12, 0.85 } : (GdkRGBA) { 1, 1, 1, 0.85 };

  /* A one-pixel halo in the background colour keeps names readable over every fill. */
  for (guint i = 0; i < G_N_ELEMENTS (halo); i++)
    {
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x + halo[i].x, y + halo[i].y));
      gtk_snapshot_append_layout (snapshot, layout, &halo_colour);
      gtk_snapshot_restore (snapshot);
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, &self->text_colour);
  gtk_snapshot_restore (snapshot);
}

static void
draw_labels (WgGridLayer *self,
             GtkSnapshot *snapshot,
             GArray      *indices,
             double       world,
             double       ox,
             double       oy)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoLayout) small = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (small, attrs);

  for (guint i = 0; i < indices->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, g_array_index (indices, guint, i));
      double w = (entry->box.max_x - entry->box.min_x) * world;
      double h = (entry->box.max_y - entry->box.min_y) * world;
      double x = entry->label_x * world - ox;
      double y = entry->label_y * world - oy;
      const char *name = wg_map_grid_get_name (entry->grid);
      const char *code = wg_map_grid_get_code (entry->grid);
      int nw = 0, nh = 0, cw = 0, ch = 0;
      gboolean show_code;

      if (w < MIN_LABEL_PX || x < -LABEL_MARGIN || y < -LABEL_MARGIN ||
          x > TILE_SIZE + LABEL_MARGIN || y > TILE_SIZE + LABEL_MARGIN)
        continue;

      /* The name when it fits, the code under it when the grid is large enough for both. */
      if (name == NULL || *name == '\0')
        name = code;
      if (name == NULL)
        continue;
      pango_layout_set_text (layout, name, -1);
      pango_layout_get_pixel_size (layout, &nw, &nh);
      if (nw + 6 > w || nh + 4 > h)
        continue;
      show_code = code != NULL && name != code;
      if (show_code)
        {
          pango_layout_set_text (small, code, -1);
          pango_layout_get_pixel_size (small, &cw, &ch);
          show_code = cw + 6 <= w && nh + ch + 8 <= h;
        }

      if (show_code)
        {
          append_label (self, snapshot, layout, round (x - nw / 2.0), round (y - (nh + ch) / 2.0));
          append_label (self, snapshot, small, round (x - cw / 2.0), round (y - (nh + ch) / 2.0 + nh));
        }
      else
        append_label (self, snapshot, layout, round (x - nw / 2.0), round (y - nh / 2.0));
    }
}

static GskRenderNode *
record_tile (WgGridLayer   *self,
             const TileKey *key)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GArray) indices = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GskPathBuilder) grid_lines = gsk_path_builder_new ();
  g_autoptr(GskPathBuilder) village_lines = gsk_path_builder_new ();
  GskPathBuilder *fills[WG_MAP_MAX_CLASSES] = { NULL, };
  double world = wg_mercator_world_size (key->level / LEVEL_STEPS);
  double ox = key->x * (double) TILE_SIZE;
  double oy = key->y * (double) TILE_SIZE;
  double typical_px = 0;
  guint n_typical = 0;
  WgMercatorBox box;
  WgMercatorBox inner;
  gboolean any_lines = FALSE, any_village = FALSE;

  tile_get_box (key, LABEL_MARGIN, &box);
  tile_get_box (key, 4, &inner);
  query (self, &box, indices);

  for (guint i = 0; i < indices->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, g_array_index (indices, guint, i));
      const double *p = (const double *) entry->points->data;
      double px = (entry->box.max_x - entry->box.min_x) * world;
      guint start = 0;

      if (!wg_mercator_box_intersects (&inner, &entry->box))
        continue;

      typical_px += px;
      n_typical++;
      if (entry->klass >= 0)
        {
          if (fills[entry->klass] == NULL)
            fills[entry->klass] = gsk_path_builder_new ();
          for (guint r = 0; r < entry->ring_ends->len; r++)
            {
              guint end = g_array_index (entry->ring_ends, guint, r);

              add_ring (fills[entry->klass], p, start, end, world, ox, oy);
              start = end;
            }
        }

      for (guint k = 0; k < entry->edges->len; k++)
        {
          const Edge *edge = &g_array_index (entry->edges, Edge, k);
          GskPathBuilder *builder = edge->village ? village_lines : grid_lines;

          if (!edge->village && px < MIN_OUTLINE_PX)
            continue;
          gsk_path_builder_move_to (builder, edge->x0 * world - ox, edge->y0 * world - oy);
          gsk_path_builder_line_to (builder, edge->x1 * world - ox, edge->y1 * world - oy);
          any_village |= edge->village;
          any_lines |= !edge->village;
        }
    }
  typical_px = n_typical > 0 ? typical_px / n_typical : 0;

  for (guint k = 0; k < WG_MAP_MAX_CLASSES; k++)
    {
      g_autoptr(GskPath) path = NULL;
      WgMapColour colour;
      GdkRGBA rgba;

      if (fills[k] == NULL)
        continue;
      path = gsk_path_builder_free_to_path (g_steal_pointer (&fills[k]));
      wg_map_metric_class_colour (self->metric, k, self->dark, &colour);
      colour_to_rgba (&colour, &rgba);
      rgba.alpha *= self->fill_opacity;
      gtk_snapshot_append_fill (snapshot, path, GSK_FILL_RULE_EVEN_ODD, &rgba);
    }

  if (any_lines)
    {
      g_autoptr(GskPath) path = gsk_path_builder_to_path (grid_lines);
      g_autoptr(GskStroke) stroke = gsk_stroke_new (typical_px < 24 ? 0.6f : 1.0f);
      GdkRGBA rgba = self->dark ? (GdkRGBA) { 1, 1, 1, 0.28 } : (GdkRGBA) { 0.14, 0.12, 0.16, 0.35 };

      gtk_snapshot_append_stroke (snapshot, path, stroke, &rgba);
    }

  if (any_village)
    {
      g_autoptr(GskPath) path = gsk_path_builder_to_path (village_lines);
      g_autoptr(GskStroke) stroke = gsk_stroke_new (typical_px < 24 ? 1.5f : 2.5f);
      GdkRGBA rgba = self->dark ? (GdkRGBA) { 0.92, 0.92, 0.94, 0.85 } : (GdkRGBA) { 0.20, 0.18, 0.24, 0.85 };

      gsk_stroke_set_line_cap (stroke, GSK_LINE_CAP_ROUND);
      gsk_stroke_set_line_join (stroke, GSK_LINE_JOIN_ROUND);
      gtk_snapshot_append_stroke (snapshot, path, stroke, &rgba);
    }

  if (typical_px >= MIN_LABEL_PX || n_typical == 0)
    draw_labels (self, snapshot, indices, world, ox, oy);

  return gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
}

/* The widget's own renderer keeps the texture where it will be drawn (GPU memory with GL or
 * Vulkan); before the layer is realised, or with no renderer, cairo does it. */
static GdkTexture *
rasterize (WgGridLayer   *self,
           GskRenderNode *node)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));
  int size = TILE_SIZE * scale;
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  g_autoptr(GskRenderNode) scaled = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  g_autoptr(GBytes) bytes = NULL;

  scaled = scale == 1 ? gsk_render_node_ref (node)
                      : gsk_transform_node_new (node, gsk_transform_scale (NULL, scale, scale));
  if (renderer != NULL && gsk_renderer_is_realized (renderer))
    return gsk_renderer_render_texture (renderer, scaled, &GRAPHENE_RECT_INIT (0, 0, size, size));

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, size, size);
  cr = cairo_create (surface);
  gsk_render_node_draw (scaled, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  bytes = g_bytes_new (cairo_image_surface_get_data (surface),
                       (gsize) cairo_image_surface_get_stride (surface) * size);
  {
    GdkTexture *texture = gdk_memory_texture_new (size, size, GDK_MEMORY_DEFAULT, bytes,
                                                  cairo_image_surface_get_stride (surface));
    cairo_surface_destroy (surface);
    return texture;
  }
}

static Tile *
render_tile (WgGridLayer   *self,
             const TileKey *key)
{
  g_autoptr(GskRenderNode) node = record_tile (self, key);
  Tile *tile = g_new0 (Tile, 1);

  tile->key = *key;
  if (node != NULL)
    tile->texture = rasterize (self, node);
  g_hash_table_add (self->tiles, tile);
  return tile;
}

/* Where a tile is not drawn yet, whatever other level has there stands in, scaled. */
static void
draw_stand_in (WgGridLayer           *self,
               GtkSnapshot           *snapshot,
               const graphene_rect_t *hole,
               double                 zoom,
               double                 ox,
               double                 oy)
{
  GHashTableIter iter;
  Tile *tile;

  gtk_snapshot_push_clip (snapshot, hole);
  g_hash_table_iter_init (&iter, self->tiles);
  while (g_hash_table_iter_next (&iter, (gpointer *) &tile, NULL))
    {
      double s = exp2 (zoom - tile->key.level / LEVEL_STEPS);
      graphene_rect_t rect = GRAPHENE_RECT_INIT (tile->key.x * TILE_SIZE * s - ox,
                                                 tile->key.y * TILE_SIZE * s - oy,
                                                 TILE_SIZE * s, TILE_SIZE * s);

      if (tile->texture == NULL || tile->key.level == self->draw_level ||
          !graphene_rect_intersection (&rect, hole, NULL))
        continue;
      gtk_snapshot_append_scaled_texture (snapshot, tile->texture, GSK_SCALING_FILTER_LINEAR, &rect);
    }
  gtk_snapshot_pop (snapshot);
}

static void
append_outline (GtkSnapshot   *snapshot,
                Entry         *entry,
                double         world,
                double         ox,
                double         oy,
                float          width,
                const GdkRGBA *colour,
                const GdkRGBA *fill)
{
  g_autoptr(GskPathBuilder) builder = gsk_path_builder_new ();
  g_autoptr(GskPath) path = NULL;
  g_autoptr(GskStroke) stroke = gsk_stroke_new (width);
  const double *p = (const double *) entry->points->data;
  guint start = 0;

  for (guint r = 0; r < entry->ring_ends->len; r++)
    {
      guint end = g_array_index (entry->ring_ends, guint, r);

      add_ring (builder, p, start, end, world, ox, oy);
      start = end;
    }
  path = gsk_path_builder_free_to_path (g_steal_pointer (&builder));
  gsk_stroke_set_line_join (stroke, GSK_LINE_JOIN_ROUND);
  if (fill != NULL)
    gtk_snapshot_append_fill (snapshot, path, GSK_FILL_RULE_EVEN_ODD, fill);
  gtk_snapshot_append_stroke (snapshot, path, stroke, colour);
}

static Entry *
entry_for_grid (WgGridLayer *self,
                WgMapGrid   *grid)
{
  Entry *entry;

  if (grid == NULL)
    return NULL;
  entry = g_hash_table_lookup (self->by_id, wg_map_grid_get_id (grid));
  return entry != NULL && entry->grid == grid ? entry : NULL;
}

static void
draw_highlights (WgGridLayer *self,
                 GtkSnapshot *snapshot,
                 double       world,
                 double       ox,
                 double       oy)
{
  Entry *hovered = entry_for_grid (self, self->hovered);
  Entry *selected = entry_for_grid (self, self->selected);
  AdwStyleManager *style = adw_style_manager_get_default ();
  GdkRGBA accent;
  GdkRGBA tint;
  GdkRGBA hover = self->text_colour;

  if (hovered != NULL && hovered != selected)
    {
      hover.alpha = 0.9;
      append_outline (snapshot, hovered, world, ox, oy, 2.0f, &hover, NULL);
    }
  if (selected != NULL)
    {
      GdkRGBA *rgba = adw_style_manager_get_accent_color_rgba (style);

      accent = *rgba;
      gdk_rgba_free (rgba);
      tint = accent;
      tint.alpha = 0.18f;
      append_outline (snapshot, selected, world, ox, oy, 3.5f, &accent, &tint);
    }
}

/* --- callbacks ------------------------------------------------------------------------------- */

static gboolean
redraw_cb (gpointer data)
{
  WgGridLayer *self = data;

  self->redraw_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
queue_redraw (WgGridLayer *self)
{
  /* Not gtk_widget_queue_draw () from inside snapshot: the next frame, once this one is out. */
  if (self->redraw_id == 0)
    self->redraw_id = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, redraw_cb, self, NULL);
}

static gboolean
settle_cb (gpointer data)
{
  WgGridLayer *self = data;

  self->settle_id = 0;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return G_SOURCE_REMOVE;
}

static void
viewport_zoom_cb (WgGridLayer *self)
{
  self->zoom_changed_at = g_get_monotonic_time ();
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
viewport_moved_cb (WgGridLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_colours (WgGridLayer *self)
{
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  GdkRGBA text;

  gtk_widget_get_color (GTK_WIDGET (self), &text);
  if (dark == self->dark && gdk_rgba_equal (&text, &self->text_colour))
    return;
  self->dark = dark;
  self->text_colour = text;
  invalidate_all (self);
}

static void
dark_changed_cb (WgGridLayer *self)
{
  update_colours (self);
}

static void
set_hovered (WgGridLayer *self,
             WgMapGrid   *grid)
{
  if (!g_set_object (&self->hovered, grid))
    return;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self), grid != NULL ? "pointer" : NULL);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOVERED_GRID]);
}

static void
motion_cb (WgGridLayer              *self,
           double                    x,
           double                    y,
           GtkEventControllerMotion *motion)
{
  set_hovered (self, wg_grid_layer_grid_at (self, x, y));
}

static void
leave_cb (WgGridLayer              *self,
          GtkEventControllerMotion *motion)
{
  set_hovered (self, NULL);
}

/* On release, not press, and only near where it was pressed: a press that turns into a drag
 * pans the map and selects nothing (see wg-map-click.c). */
static void
released_cb (WgGridLayer    *self,
             int             n_press,
             double          x,
             double          y,
             GtkGestureClick *gesture)
{
  WgMapGrid *grid;

  if (!wg_map_click_is_click (gesture, n_press, x, y))
    return;
  grid = wg_grid_layer_grid_at (self, x, y);
  g_debug ("Click at %.0f, %.0f: %s", x, y, grid != NULL ? wg_map_grid_get_id (grid) : "no grid");
  if (grid == NULL)
    return;
  wg_grid_layer_set_selected_grid (self, grid);
  g_signal_emit (self, signals[GRID_ACTIVATED], 0, wg_map_grid_get_id (grid));
}

static void
grid_notify_cb (WgMapGrid  *grid,
                GParamSpec *pspec,
                Entry      *entry)
{
  WgGridLayer *self = entry->layer;
  const char *name = pspec->name;

  if (g_str_equal (name, "boundary"))
    {
      WgMercatorBox old = entry->box;

      project_entry (entry);
      self->index_dirty = self->edges_dirty = TRUE;
      invalidate_box (self, &old);
      invalidate_box (self, &entry->box);
    }
  else if (g_str_equal (name, "village-id"))
    {
      self->edges_dirty = TRUE;
      invalidate_box (self, &entry->box);
    }
  else if (g_str_equal (name, "name") || g_str_equal (name, "code"))
    invalidate_box (self, &entry->box);
  else
    {
      /* A figure: only a change of colour class shows. */
      int klass = classify (self, grid);

      if (klass != entry->klass)
        {
          entry->klass = klass;
          invalidate_box (self, &entry->box);
        }
    }
}

static void
items_changed_cb (WgGridLayer *self,
                  guint        position,
                  guint        removed,
                  guint        added,
                  GListModel  *model)
{
  gboolean everything = removed + added > MAX (self->entries->len / 4, 64);
  g_autofree char *selected_id = self->selected != NULL ? g_strdup (wg_map_grid_get_id (self->selected)) : NULL;

  for (guint i = position; i < position + removed; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      if (!everything)
        invalidate_box (self, &entry->box);
      if (g_hash_table_lookup (self->by_id, wg_map_grid_get_id (entry->grid)) == entry)
        g_hash_table_remove (self->by_id, wg_map_grid_get_id (entry->grid));
      if (entry->grid == self->hovered)
        set_hovered (self, NULL);
    }
  g_ptr_array_remove_range (self->entries, position, removed);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(WgMapGrid) grid = g_list_model_get_item (model, position + i);
      Entry *entry = entry_new (self, grid);

      g_ptr_array_insert (self->entries, position + i, entry);
      g_hash_table_insert (self->by_id, (gpointer) wg_map_grid_get_id (grid), entry);
      if (!everything)
        invalidate_box (self, &entry->box);
    }

  /* A replaced item keeps its selection: the store swaps objects when a grid changes. */
  if (selected_id != NULL)
    {
      Entry *entry = g_hash_table_lookup (self->by_id, selected_id);

      wg_grid_layer_set_selected_grid (self, entry != NULL ? entry->grid : NULL);
    }

  self->index_dirty = self->edges_dirty = TRUE;
  if (everything)
    invalidate_all (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* --- GtkWidget ------------------------------------------------------------------------------- */

static void
wg_grid_layer_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  WgGridLayer *self = WG_GRID_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  int scale_factor = gtk_widget_get_scale_factor (widget);
  double zoom, level_zoom, s, world, mx, my, ox, oy, rotation, radius;
  double vx0, vy0, vx1, vy1;
  int target, n_tiles, tx0, ty0, tx1, ty1;
  gint64 now, deadline;
  gboolean rendered_one = FALSE;

  self->n_pending = 0;
  if (viewport == NULL || shumate_viewport_get_reference_map_source (viewport) == NULL ||
      self->entries->len == 0 || width <= 0 || height <= 0)
    return;

  ensure_geometry (self);
  if (wg_mercator_box_is_empty (&self->extent))
    return;
  self->frame++;

  zoom = shumate_viewport_get_zoom_level (viewport);
  target = (int) round (zoom * LEVEL_STEPS);
  now = g_get_monotonic_time ();
  if (self->draw_level < 0 || now - self->zoom_changed_at >= SETTLE_US)
    self->draw_level = target;
  else if (target != self->draw_level && self->settle_id == 0)
    self->settle_id = g_timeout_add_once ((SETTLE_US - (now - self->zoom_changed_at)) / 1000 + 1,
                                          (GSourceOnceFunc) settle_cb, self);
  level_zoom = self->draw_level / LEVEL_STEPS;
  world = wg_mercator_world_size (level_zoom);
  /* On the drawn level the tiles are composited 1:1, never resampled: resampling would blend
   * their edges with nothing and show seams. The level differs from the zoom by under 1/2000,
   * a fraction of a pixel across the view. */
  s = self->draw_level == target ? 1.0 : exp2 (zoom - level_zoom);

  /* Everything below is in pixels of the drawn level, scaled by s about the view's centre;
   * the origin is snapped to device pixels so the tiles are sampled 1:1. */
  mx = wg_mercator_x_from_lon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport)));
  my = wg_mercator_y_from_lat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)));
  ox = round ((mx * world * s - width / 2) * scale_factor) / scale_factor;
  oy = round ((my * world * s - height / 2) * scale_factor) / scale_factor;

  rotation = shumate_viewport_get_rotation (viewport);
  gtk_snapshot_save (snapshot);
  if (rotation != 0)
    {
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (width / 2, height / 2));
      gtk_snapshot_rotate (snapshot, rotation * 180 / G_PI);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (-width / 2, -height / 2));
      radius = hypot (width, height) / 2;
      vx0 = width / 2 - radius, vx1 = width / 2 + radius;
      vy0 = height / 2 - radius, vy1 = height / 2 + radius;
    }
  else
    {
      vx0 = 0, vx1 = width;
      vy0 = 0, vy1 = height;
    }

  /* Visible tiles of the drawn level, only where there are grids. */
  n_tiles = (int) ceil (world / TILE_SIZE);
  tx0 = (int) floor (MAX ((ox + vx0) / s, self->extent.min_x * world - 4) / TILE_SIZE);
  tx1 = (int) floor (MIN ((ox + vx1) / s, self->extent.max_x * world + 4) / TILE_SIZE);
  ty0 = (int) floor (MAX ((oy + vy0) / s, self->extent.min_y * world - 4) / TILE_SIZE);
  ty1 = (int) floor (MIN ((oy + vy1) / s, self->extent.max_y * world + 4) / TILE_SIZE);
  tx0 = MAX (tx0, 0), ty0 = MAX (ty0, 0);
  tx1 = MIN (tx1, n_tiles - 1), ty1 = MIN (ty1, n_tiles - 1);

  deadline = now + self->budget_us;
  for (int ty = ty0; ty <= ty1; ty++)
    for (int tx = tx0; tx <= tx1; tx++)
      {
        TileKey key = { self->draw_level, tx, ty };
        Tile *tile = g_hash_table_lookup (self->tiles, &key);
        graphene_rect_t rect = GRAPHENE_RECT_INIT (tx * TILE_SIZE * s - ox, ty * TILE_SIZE * s - oy,
                                                   TILE_SIZE * s, TILE_SIZE * s);

        if (tile == NULL)
          {
            gint64 tile_start = g_get_monotonic_time ();

            /* At least one tile per frame, so drawing always progresses; another only if it
             * should fit in what is left of the budget. */
            if (self->budget_us > 0 && rendered_one && tile_start + self->tile_cost_us >= deadline)
              {
                self->n_pending++;
                draw_stand_in (self, snapshot, &rect, zoom, mx * wg_mercator_world_size (zoom) - width / 2,
                               my * wg_mercator_world_size (zoom) - height / 2);
                continue;
              }
            tile = render_tile (self, &key);
            rendered_one = TRUE;
            /* A running average: tiles cost more where grids are dense or labelled. */
            self->tile_cost_us = (3 * self->tile_cost_us + (g_get_monotonic_time () - tile_start)) / 4;
          }
        tile->last_used = self->frame;
        if (tile->texture == NULL)
          continue;
        if (s == 1.0)
          gtk_snapshot_append_texture (snapshot, tile->texture, &rect);
        else
          gtk_snapshot_append_scaled_texture (snapshot, tile->texture, GSK_SCALING_FILTER_LINEAR, &rect);
      }

  draw_highlights (self, snapshot, world * s, ox, oy);
  gtk_snapshot_restore (snapshot);

  evict_tiles (self, scale_factor);
  if (self->n_pending > 0)
    queue_redraw (self);
}

static gboolean
wg_grid_layer_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard,
                             GtkTooltip *tooltip)
{
  WgGridLayer *self = WG_GRID_LAYER (widget);
  WgMapGrid *grid = keyboard ? NULL : wg_grid_layer_grid_at (self, x, y);
  g_autofree char *label = NULL;
  g_autofree char *value = NULL;
  double v;

  if (grid == NULL)
    return FALSE;

  v = wg_map_grid_get_metric_value (grid, self->metric);
  if (isnan (v))
    value = g_strdup (_("No data"));
  else if (self->metric == WG_MAP_METRIC_COVERAGE)
    value = wg_map_metric_class_label (self->metric, wg_map_metric_classify (self->metric, v));
  else
    value = g_strdup_printf ("%.3g", v);

  /* Translators: the map's tooltip on a grid: name, code, then "metric: value" */
  label = g_markup_printf_escaped (_("<b>%s</b>\n%s\n%s: %s"),
                                   wg_map_grid_get_name (grid) != NULL ? wg_map_grid_get_name (grid) : "",
                                   wg_map_grid_get_code (grid) != NULL ? wg_map_grid_get_code (grid) : "",
                                   wg_map_metric_get_title (self->metric), value);
  gtk_tooltip_set_markup (tooltip, label);
  return TRUE;
}

/* ShumateLayer lets every point fall through to the layers below; this layer takes the
 * points over a grid, so hover, click and tooltip reach it, and the rest still pans the map. */
static gboolean
wg_grid_layer_contains (GtkWidget *widget,
                        double     x,
                        double     y)
{
  return wg_grid_layer_grid_at (WG_GRID_LAYER (widget), x, y) != NULL;
}

static void
wg_grid_layer_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (wg_grid_layer_parent_class)->css_changed (widget, change);

  update_colours (WG_GRID_LAYER (widget));
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_grid_layer_constructed (GObject *object)
{
  WgGridLayer *self = WG_GRID_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (wg_grid_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_zoom_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (viewport_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::reference-map-source", G_CALLBACK (viewport_moved_cb), self, G_CONNECT_SWAPPED);
}

static void
wg_grid_layer_dispose (GObject *object)
{
  WgGridLayer *self = WG_GRID_LAYER (object);

  wg_grid_layer_set_grids (self, NULL);
  g_clear_handle_id (&self->settle_id, g_source_remove);
  g_clear_handle_id (&self->redraw_id, g_source_remove);
  g_clear_object (&self->hovered);
  g_clear_object (&self->selected);
  if (self->tiles != NULL)
    g_hash_table_remove_all (self->tiles);

  G_OBJECT_CLASS (wg_grid_layer_parent_class)->dispose (object);
}

static void
wg_grid_layer_finalize (GObject *object)
{
  WgGridLayer *self = WG_GRID_LAYER (object);

  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->tiles, g_hash_table_unref);
  g_clear_pointer (&self->bucket_offsets, g_free);
  g_clear_pointer (&self->bucket_items, g_free);

  G_OBJECT_CLASS (wg_grid_layer_parent_class)->finalize (object);
}

static void
wg_grid_layer_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WgGridLayer *self = WG_GRID_LAYER (object);

  switch (prop_id)
    {
    case PROP_GRIDS:
      g_value_set_object (value, self->grids);
      break;

    case PROP_METRIC:
      g_value_set_enum (value, self->metric);
      break;

    case PROP_HOVERED_GRID:
      g_value_set_object (value, self->hovered);
      break;

    case PROP_SELECTED_GRID:
      g_value_set_object (value, self->selected);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_grid_layer_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WgGridLayer *self = WG_GRID_LAYER (object);

  switch (prop_id)
    {
    case PROP_GRIDS:
      wg_grid_layer_set_grids (self, g_value_get_object (value));
      break;

    case PROP_METRIC:
      wg_grid_layer_set_metric (self, g_value_get_enum (value));
      break;

    case PROP_SELECTED_GRID:
      wg_grid_layer_set_selected_grid (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_grid_layer_class_init (WgGridLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = wg_grid_layer_constructed;
  object_class->dispose = wg_grid_layer_dispose;
  object_class->finalize = wg_grid_layer_finalize;
  object_class->get_property = wg_grid_layer_get_property;
  object_class->set_property = wg_grid_layer_set_property;

  widget_class->snapshot = wg_grid_layer_snapshot;
  widget_class->query_tooltip = wg_grid_layer_query_tooltip;
  widget_class->css_changed = wg_grid_layer_css_changed;
  widget_class->contains = wg_grid_layer_contains;

  properties[PROP_GRIDS] =
    g_param_spec_object ("grids", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_METRIC] =
    g_param_spec_enum ("metric", NULL, NULL, WG_TYPE_MAP_METRIC, WG_MAP_METRIC_OPEN_CASES,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_HOVERED_GRID] =
    g_param_spec_object ("hovered-grid", NULL, NULL, WG_TYPE_MAP_GRID,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_SELECTED_GRID] =
    g_param_spec_object ("selected-grid", NULL, NULL, WG_TYPE_MAP_GRID,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WgGridLayer::grid-activated:
   * @id: the grid's id
   *
   * A grid was clicked.
   */
  signals[GRID_ACTIVATED] =
    g_signal_new ("grid-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
wg_grid_layer_init (WgGridLayer *self)
{
  GtkEventController *motion;
  GtkGesture *click;

  self->entries = g_ptr_array_new_with_free_func (entry_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->tiles = g_hash_table_new_full (tile_hash, tile_equal, tile_free, NULL);
  self->metric = WG_MAP_METRIC_OPEN_CASES;
  self->draw_level = -1;
  self->budget_us = DEFAULT_BUDGET_US;
  self->fill_opacity = 1.0;
  self->index_dirty = self->edges_dirty = TRUE;
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

WgGridLayer *
wg_grid_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);

  return g_object_new (WG_TYPE_GRID_LAYER, "viewport", viewport, NULL);
}

/**
 * wg_grid_layer_get_grids:
 *
 * Returns: (transfer none) (nullable): the model of #WgMapGrid drawn
 */
GListModel *
wg_grid_layer_get_grids (WgGridLayer *self)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), NULL);

  return self->grids;
}

/**
 * wg_grid_layer_set_grids:
 * @grids: (nullable): a model of #WgMapGrid
 *
 * The layer follows the model's items-changed and each grid's notifications, redrawing only
 * the tiles under what changed.
 */
void
wg_grid_layer_set_grids (WgGridLayer *self,
                         GListModel  *grids)
{
  g_return_if_fail (WG_IS_GRID_LAYER (self));
  g_return_if_fail (grids == NULL || G_IS_LIST_MODEL (grids));
  g_return_if_fail (grids == NULL || g_type_is_a (g_list_model_get_item_type (grids), WG_TYPE_MAP_GRID));

  if (self->grids == grids)
    return;

  if (self->grids != NULL)
    g_signal_handlers_disconnect_by_func (self->grids, items_changed_cb, self);
  g_set_object (&self->grids, grids);
  if (self->entries == NULL)
    return;

  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->entries, 0);
  set_hovered (self, NULL);
  invalidate_all (self);
  self->index_dirty = self->edges_dirty = TRUE;
  if (grids != NULL)
    {
      g_signal_connect_object (grids, "items-changed", G_CALLBACK (items_changed_cb), self, G_CONNECT_SWAPPED);
      items_changed_cb (self, 0, 0, g_list_model_get_n_items (grids), grids);
    }
  else if (self->selected != NULL)
    wg_grid_layer_set_selected_grid (self, NULL);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRIDS]);
}

WgMapMetric
wg_grid_layer_get_metric (WgGridLayer *self)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), WG_MAP_METRIC_OPEN_CASES);

  return self->metric;
}

void
wg_grid_layer_set_metric (WgGridLayer *self,
                          WgMapMetric  metric)
{
  g_return_if_fail (WG_IS_GRID_LAYER (self));
  g_return_if_fail ((guint) metric <= WG_MAP_METRIC_LAST);

  if (self->metric == metric)
    return;

  self->metric = metric;
  for (guint i = 0; i < self->entries->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->entries, i);

      entry->klass = classify (self, entry->grid);
    }
  invalidate_all (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC]);
}

/**
 * wg_grid_layer_get_hovered_grid:
 *
 * Returns: (transfer none) (nullable): the grid under the pointer
 */
WgMapGrid *
wg_grid_layer_get_hovered_grid (WgGridLayer *self)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), NULL);

  return self->hovered;
}

/**
 * wg_grid_layer_get_selected_grid:
 *
 * Returns: (transfer none) (nullable): the highlighted grid
 */
WgMapGrid *
wg_grid_layer_get_selected_grid (WgGridLayer *self)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), NULL);

  return self->selected;
}

void
wg_grid_layer_set_selected_grid (WgGridLayer *self,
                                 WgMapGrid   *grid)
{
  g_return_if_fail (WG_IS_GRID_LAYER (self));
  g_return_if_fail (grid == NULL || WG_IS_MAP_GRID (grid));

  if (!g_set_object (&self->selected, grid))
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_GRID]);
}

/**
 * wg_grid_layer_grid_at:
 * @x: widget coordinate
 * @y: widget coordinate
 *
 * Hit-tests the grids: the spatial index and the bounding boxes narrow it down, then a point
 * in polygon test on the few left.
 *
 * Returns: (transfer none) (nullable): the grid at @x, @y
 */
WgMapGrid *
wg_grid_layer_grid_at (WgGridLayer *self,
                       double       x,
                       double       y)
{
  ShumateViewport *viewport;
  g_autoptr(GArray) indices = NULL;
  WgMercatorBox point;
  double lat, lon, mx, my;

  g_return_val_if_fail (WG_IS_GRID_LAYER (self), NULL);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  if (viewport == NULL || shumate_viewport_get_reference_map_source (viewport) == NULL ||
      self->entries->len == 0)
    return NULL;

  ensure_geometry (self);
  shumate_viewport_widget_coords_to_location (viewport, GTK_WIDGET (self), x, y, &lat, &lon);
  mx = wg_mercator_x_from_lon (lon);
  my = wg_mercator_y_from_lat (lat);
  point = (WgMercatorBox) { mx, my, mx, my };
  indices = g_array_new (FALSE, FALSE, sizeof (guint));
  query (self, &point, indices);

  /* The last one drawn is the one on top. */
  for (guint i = indices->len; i > 0; i--)
    {
      Entry *entry = g_ptr_array_index (self->entries, g_array_index (indices, guint, i - 1));
      WgPolygon *boundary = wg_map_grid_get_boundary (entry->grid);

      if (boundary != NULL && wg_polygon_contains (boundary, lon, lat))
        return entry->grid;
    }
  return NULL;
}

/**
 * wg_grid_layer_find_grid:
 *
 * Returns: (transfer none) (nullable): the grid with @id
 */
WgMapGrid *
wg_grid_layer_find_grid (WgGridLayer *self,
                         const char  *id)
{
  Entry *entry;

  g_return_val_if_fail (WG_IS_GRID_LAYER (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  entry = g_hash_table_lookup (self->by_id, id);
  return entry != NULL ? entry->grid : NULL;
}

/* The projected box around all grids; FALSE when there are none with a boundary. */
gboolean
wg_grid_layer_get_extent (WgGridLayer   *self,
                          WgMercatorBox *out_box)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), FALSE);
  g_return_val_if_fail (out_box != NULL, FALSE);

  ensure_geometry (self);
  *out_box = self->extent;
  return !wg_mercator_box_is_empty (&self->extent);
}

void
wg_grid_layer_get_grid_extent (WgGridLayer   *self,
                               WgMapGrid     *grid,
                               WgMercatorBox *out_box)
{
  Entry *entry;

  g_return_if_fail (WG_IS_GRID_LAYER (self));
  g_return_if_fail (WG_IS_MAP_GRID (grid));
  g_return_if_fail (out_box != NULL);

  entry = entry_for_grid (self, grid);
  if (entry != NULL)
    *out_box = entry->box;
  else
    wg_mercator_box_init_empty (out_box);
}

double
wg_grid_layer_get_fill_opacity (WgGridLayer *self)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), 1.0);

  return self->fill_opacity;
}

/* How much of the metric's colour the fills keep: lower over a base map, so its streets and
 * names show through the grids. */
void
wg_grid_layer_set_fill_opacity (WgGridLayer *self,
                                double       opacity)
{
  g_return_if_fail (WG_IS_GRID_LAYER (self));

  opacity = CLAMP (opacity, 0.0, 1.0);
  if (self->fill_opacity == opacity)
    return;
  self->fill_opacity = opacity;
  invalidate_all (self);
}

void
_wg_grid_layer_set_tile_budget (WgGridLayer *self,
                                gint64       budget_us)
{
  g_return_if_fail (WG_IS_GRID_LAYER (self));

  self->budget_us = MAX (budget_us, 0);
}

void
_wg_grid_layer_drop_cache (WgGridLayer *self)
{
  g_return_if_fail (WG_IS_GRID_LAYER (self));

  self->draw_level = -1;
  invalidate_all (self);
}

guint
_wg_grid_layer_get_n_pending (WgGridLayer *self)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), 0);

  return self->n_pending;
}

guint
_wg_grid_layer_get_n_cached (WgGridLayer *self)
{
  g_return_val_if_fail (WG_IS_GRID_LAYER (self), 0);

  return g_hash_table_size (self->tiles);
}
