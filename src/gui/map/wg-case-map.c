/* wg-case-map.c — a small map of one case: where it is, its grid outlined, the grids around it
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A ShumateMap that takes no input, framed on the case's grid, with one layer of its own:
 * the grids in view drawn faintly, the case's grid outlined in the accent colour, and the case
 * as a marker in the same colours as on the grid map. It draws only when the case, the grids
 * or its size change, so it simply strokes the few dozen grids in view each time (the big
 * map's tile cache would be wasted here). A case without a location of its own is put inside
 * its grid; one with neither shows a short note instead of a map.
 *
 * Made pickable (wg_case_map_set_pickable ()), it is the new case's map instead: it shows the
 * township's grids, pans and zooms, and a click or tap on it says where ("picked"); the marker
 * goes only where it is told, never into a grid in its stead.
 */
#define G_LOG_DOMAIN "WgCaseMap"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "wg-blank-map-source.h"
#include "wg-case-map.h"
#include "wg-map-click.h"
#include "wg-case-marker.h"
#include "wg-map-grid.h"
#include "wg-mercator.h"

/* The case's grid fills about this share of the map, never closer than this zoom. */
#define FIT_FRACTION 0.6
#define TOWNSHIP_FIT_FRACTION 0.85
#define MAX_ZOOM 17.5
#define MARKER_RADIUS 10.0

/* --- the layer ------------------------------------------------------------------------------- */

#define WG_TYPE_CASE_MAP_LAYER (wg_case_map_layer_get_type ())

G_DECLARE_FINAL_TYPE (WgCaseMapLayer, wg_case_map_layer, WG, CASE_MAP_LAYER, ShumateLayer)

struct _WgCaseMapLayer
{
  ShumateLayer       parent_instance;

  /* Owned */
  GListModel        *grids;
  GArray            *boxes;       /* WgMercatorBox per grid, in model order; NULL until needed */
  char              *grid_id;
  double             lon;         /* NAN: no case */
  double             lat;
  WgMarkerGroup      group;
  WgMarkerAttention  attention;
};

G_DEFINE_FINAL_TYPE (WgCaseMapLayer, wg_case_map_layer, SHUMATE_TYPE_LAYER)

static void
grid_box (WgMapGrid     *grid,
          WgMercatorBox *out_box)
{
  WgPolygon *boundary = wg_map_grid_get_boundary (grid);
  WgBBox bbox;

  if (boundary == NULL)
    {
      wg_mercator_box_init_empty (out_box);
      return;
    }
  wg_polygon_get_bbox (boundary, &bbox);
  wg_mercator_box_from_bbox (&bbox, out_box);
}

static GArray *
ensure_boxes (WgCaseMapLayer *self)
{
  guint n;

  if (self->boxes != NULL || self->grids == NULL)
    return self->boxes;

  n = g_list_model_get_n_items (self->grids);
  self->boxes = g_array_sized_new (FALSE, FALSE, sizeof (WgMercatorBox), n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(WgMapGrid) grid = g_list_model_get_item (self->grids, i);
      WgMercatorBox box;

      grid_box (grid, &box);
      g_array_append_val (self->boxes, box);
    }
  return self->boxes;
}

static void
add_grid (GskPathBuilder *builder,
          WgMapGrid      *grid,
          double          world,
          double          ox,
          double          oy)
{
  WgPolygon *boundary = wg_map_grid_get_boundary (grid);

  for (guint r = 0; boundary != NULL && r < wg_polygon_get_n_rings (boundary); r++)
    {
      guint n;
      const double *ring = wg_polygon_get_ring (boundary, r, &n);

      for (guint i = 0; i < n; i++)
        {
          double x = wg_mercator_x_from_lon (ring[2 * i]) * world - ox;
          double y = wg_mercator_y_from_lat (ring[2 * i + 1]) * world - oy;

          if (i == 0)
            gsk_path_builder_move_to (builder, x, y);
          else
            gsk_path_builder_line_to (builder, x, y);
        }
      gsk_path_builder_close (builder);
    }
}

static void
append_disc (GtkSnapshot   *snapshot,
             double         x,
             double         y,
             double         radius,
             const GdkRGBA *colour)
{
  g_autoptr(GskPathBuilder) builder = gsk_path_builder_new ();
  g_autoptr(GskPath) path = NULL;

  gsk_path_builder_add_circle (builder, &GRAPHENE_POINT_INIT (x, y), radius);
  path = gsk_path_builder_free_to_path (g_steal_pointer (&builder));
  gtk_snapshot_append_fill (snapshot, path, GSK_FILL_RULE_WINDING, colour);
}

static void
wg_case_map_layer_snapshot (GtkWidget   *widget,
                            GtkSnapshot *snapshot)
{
  WgCaseMapLayer *self = WG_CASE_MAP_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  g_autoptr(GskPathBuilder) others = gsk_path_builder_new ();
  g_autoptr(GskPathBuilder) own = gsk_path_builder_new ();
  g_autoptr(GskPath) others_path = NULL;
  g_autoptr(GskPath) own_path = NULL;
  g_autoptr(GskStroke) thin = gsk_stroke_new (1.0f);
  g_autoptr(GskStroke) thick = gsk_stroke_new (2.5f);
  GdkRGBA *accent = adw_style_manager_get_accent_color_rgba (adw_style_manager_get_default ());
  GdkRGBA fg, tint;
  GArray *boxes;
  double zoom, world, ox, oy;
  WgMercatorBox view;

  if (viewport == NULL || width <= 0 || height <= 0)
    {
      gdk_rgba_free (accent);
      return;
    }

  zoom = shumate_viewport_get_zoom_level (viewport);
  world = wg_mercator_world_size (zoom);
  ox = wg_mercator_x_from_lon (shumate_location_get_longitude (SHUMATE_LOCATION (viewport))) * world - width / 2;
  oy = wg_mercator_y_from_lat (shumate_location_get_latitude (SHUMATE_LOCATION (viewport))) * world - height / 2;
  view = (WgMercatorBox) { ox / world, oy / world, (ox + width) / world, (oy + height) / world };

  boxes = ensure_boxes (self);
  for (guint i = 0; boxes != NULL && i < boxes->len; i++)
    {
      g_autoptr(WgMapGrid) grid = NULL;

      if (!wg_mercator_box_intersects (&g_array_index (boxes, WgMercatorBox, i), &view))
        continue;
      grid = g_list_model_get_item (self->grids, i);
      add_grid (g_strcmp0 (wg_map_grid_get_id (grid), self->grid_id) == 0 ? own : others, grid, world, ox, oy);
    }

  /* The grids around, faint; the case's own, in the accent colour. */
  gtk_widget_get_color (widget, &fg);
  fg.alpha = 0.35f;
  tint = *accent;
  tint.alpha = 0.16f;
  others_path = gsk_path_builder_free_to_path (g_steal_pointer (&others));
  own_path = gsk_path_builder_free_to_path (g_steal_pointer (&own));
  gsk_stroke_set_line_join (thick, GSK_LINE_JOIN_ROUND);
  if (!gsk_path_is_empty (others_path))
    gtk_snapshot_append_stroke (snapshot, others_path, thin, &fg);
  if (!gsk_path_is_empty (own_path))
    {
      gtk_snapshot_append_fill (snapshot, own_path, GSK_FILL_RULE_EVEN_ODD, &tint);
      gtk_snapshot_append_stroke (snapshot, own_path, thick, accent);
    }
  gdk_rgba_free (accent);

  /* The case, as the grid map marks it. */
  if (!isnan (self->lon))
    {
      double x = wg_mercator_x_from_lon (self->lon) * world - ox;
      double y = wg_mercator_y_from_lat (self->lat) * world - oy;
      gboolean pressing = self->attention != WG_MARKER_CALM;
      GdkRGBA edge = { 0, 0, 0, dark ? 0.7f : 0.5f };
      GdkRGBA halo = dark ? (GdkRGBA) { 0.12f, 0.12f, 0.14f, 0.9f } : (GdkRGBA) { 1, 1, 1, 0.95f };
      WgMapColour colour;
      GdkRGBA fill, ring;

      wg_marker_group_colour (self->group, dark, &colour);
      fill = (GdkRGBA) { colour.red, colour.green, colour.blue, colour.alpha };
      wg_marker_attention_colour (self->attention, dark, &colour);
      ring = (GdkRGBA) { colour.red, colour.green, colour.blue, colour.alpha };

      if (pressing)
        append_disc (snapshot, x, y, MARKER_RADIUS + 3, &halo);
      append_disc (snapshot, x, y, MARKER_RADIUS + 1.5, &edge);
      append_disc (snapshot, x, y, MARKER_RADIUS + 0.5, &ring);
      append_disc (snapshot, x, y, pressing ? MARKER_RADIUS - 3.5 : MARKER_RADIUS - 2.5, &fill);
    }
}

static void
wg_case_map_layer_finalize (GObject *object)
{
  WgCaseMapLayer *self = WG_CASE_MAP_LAYER (object);

  g_clear_object (&self->grids);
  g_clear_pointer (&self->boxes, g_array_unref);
  g_clear_pointer (&self->grid_id, g_free);

  G_OBJECT_CLASS (wg_case_map_layer_parent_class)->finalize (object);
}

static void
wg_case_map_layer_class_init (WgCaseMapLayerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_case_map_layer_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = wg_case_map_layer_snapshot;
}

static void
wg_case_map_layer_init (WgCaseMapLayer *self)
{
  self->lon = self->lat = NAN;
}

/* --- the widget ------------------------------------------------------------------------------ */

struct _WgCaseMap
{
  GtkWidget         parent_instance;

  /* Children */
  ShumateMap       *map;
  GtkWidget        *note;

  /* Owned */
  WgCaseMapLayer   *layer;
  ShumateMapSource *blank_source;
  ShumateMapSource *base_source;
  ShumateMapLayer  *base_layer;
  guint             fit_tick_id;
  guint             nudge_tick_id;
  guint             nudge_frames;
  GtkGesture       *pick;        /* while pickable */

  /* State */
  double            case_lon;   /* the case's own location; NAN when it has none */
  double            case_lat;
};

G_DEFINE_FINAL_TYPE (WgCaseMap, wg_case_map, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_GRIDS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static WgMapGrid *
find_grid (WgCaseMap  *self,
           const char *id)
{
  GListModel *grids = self->layer->grids;

  for (guint i = 0; grids != NULL && id != NULL && i < g_list_model_get_n_items (grids); i++)
    {
      g_autoptr(WgMapGrid) grid = g_list_model_get_item (grids, i);

      if (g_strcmp0 (wg_map_grid_get_id (grid), id) == 0)
        return g_steal_pointer (&grid);
    }
  return NULL;
}

/* Frames the case's grid, or the case alone. */
static void
fit (WgCaseMap *self)
{
  ShumateViewport *viewport = shumate_map_get_viewport (self->map);
  double width = gtk_widget_get_width (GTK_WIDGET (self->map));
  double height = gtk_widget_get_height (GTK_WIDGET (self->map));
  g_autoptr(WgMapGrid) grid = find_grid (self, self->layer->grid_id);
  WgMercatorBox box;
  double zoom, lon, lat, fraction = FIT_FRACTION;

  wg_mercator_box_init_empty (&box);
  if (grid != NULL)
    grid_box (grid, &box);
  if (!isnan (self->layer->lon))
    wg_mercator_box_extend (&box, wg_mercator_x_from_lon (self->layer->lon), wg_mercator_y_from_lat (self->layer->lat));
  if (wg_mercator_box_is_empty (&box) && self->pick != NULL)
    {
      /* Nothing chosen yet: the whole township. */
      GArray *boxes = ensure_boxes (self->layer);

      for (guint i = 0; boxes != NULL && i < boxes->len; i++)
        if (!wg_mercator_box_is_empty (&g_array_index (boxes, WgMercatorBox, i)))
          wg_mercator_box_union (&box, &g_array_index (boxes, WgMercatorBox, i));
      fraction = TOWNSHIP_FIT_FRACTION;
    }
  if (wg_mercator_box_is_empty (&box))
    return;

  zoom = box.max_x > box.min_x ? wg_mercator_box_zoom_to_fit (&box, width * fraction, height * fraction) : 16;
  zoom = CLAMP (zoom, shumate_viewport_get_min_zoom_level (viewport),
                MIN (MAX_ZOOM, shumate_viewport_get_max_zoom_level (viewport)));
  wg_mercator_box_get_center (&box, &lon, &lat);
  shumate_viewport_set_zoom_level (viewport, zoom);
  shumate_map_center_on (self->map, lat, lon);
  gtk_widget_queue_draw (GTK_WIDGET (self->layer));
}

static gboolean
fit_tick_cb (GtkWidget     *widget,
             GdkFrameClock *clock,
             gpointer       data)
{
  WgCaseMap *self = WG_CASE_MAP (widget);

  /* Framing needs the map's size, which it has only once allocated. */
  if (gtk_widget_get_width (GTK_WIDGET (self->map)) <= 0)
    return G_SOURCE_CONTINUE;

  self->fit_tick_id = 0;
  fit (self);
  return G_SOURCE_REMOVE;
}

/* libshumate 1.4's map layer may defer its first tiles and never ask again until the view
 * moves (see wg-map-view.c): a few frames on, tell it the view moved. */
static gboolean
nudge_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  WgCaseMap *self = WG_CASE_MAP (widget);

  if (++self->nudge_frames < 3)
    return G_SOURCE_CONTINUE;
  self->nudge_frames = 0;
  self->nudge_tick_id = 0;
  g_object_notify (G_OBJECT (shumate_map_get_viewport (self->map)), "longitude");
  return G_SOURCE_REMOVE;
}

static void
queue_fit (WgCaseMap *self)
{
  if (self->fit_tick_id == 0)
    self->fit_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), fit_tick_cb, NULL, NULL);
}

static void
update_note (WgCaseMap *self)
{
  g_autoptr(WgMapGrid) grid = find_grid (self, self->layer->grid_id);
  gboolean placed = !isnan (self->layer->lon) || grid != NULL;

  /* Picking, there is something to click on as soon as there are grids. */
  if (self->pick != NULL)
    placed = self->layer->grids != NULL && g_list_model_get_n_items (self->layer->grids) > 0;

  gtk_widget_set_visible (self->note, !placed);
  gtk_widget_set_visible (GTK_WIDGET (self->map), placed);
}

/* The marker goes at the case's location, or inside its grid when it has none. */
static void
place (WgCaseMap *self)
{
  WgCaseMapLayer *layer = self->layer;
  g_autoptr(WgMapGrid) grid = NULL;

  layer->lon = self->case_lon;
  layer->lat = self->case_lat;
  if (isnan (layer->lon) && self->pick == NULL && (grid = find_grid (self, layer->grid_id)) != NULL &&
      !wg_map_grid_get_inner_point (grid, &layer->lon, &layer->lat))
    layer->lon = layer->lat = NAN;
}

/* Where a point of the widget is on the map, or FALSE when the map is not shown. */
static gboolean
location_at (WgCaseMap *self,
             double     x,
             double     y,
             double    *out_lon,
             double    *out_lat)
{
  graphene_point_t point;

  if (!gtk_widget_get_visible (GTK_WIDGET (self->map)) ||
      !gtk_widget_compute_point (GTK_WIDGET (self), GTK_WIDGET (self->map), &GRAPHENE_POINT_INIT (x, y), &point))
    return FALSE;
  shumate_viewport_widget_coords_to_location (shumate_map_get_viewport (self->map), GTK_WIDGET (self->map),
                                              point.x, point.y, out_lat, out_lon);
  return TRUE;
}

/* On release, not press, and only where it was pressed: a press that turns into a drag pans
 * the map and picks nothing (see wg-map-click.c). */
static void
pick_released_cb (WgCaseMap       *self,
                  int              n_press,
                  double           x,
                  double           y,
                  GtkGestureClick *gesture)
{
  double lat, lon;

  if (!wg_map_click_is_click (gesture, n_press, x, y) || !location_at (self, x, y, &lon, &lat))
    return;
  g_debug ("Picked %.0f, %.0f: %.6f, %.6f", x, y, lon, lat);
  g_signal_emit (self, signals[PICKED], 0, lon, lat);
}

/* Picking, the grid under the pointer is named: the small map draws no labels. */
static gboolean
pick_query_tooltip_cb (WgCaseMap  *self,
                       int         x,
                       int         y,
                       gboolean    keyboard,
                       GtkTooltip *tooltip)
{
  g_autoptr(WgMapGrid) grid = NULL;
  g_autofree char *text = NULL;
  double lon, lat;

  if (keyboard || self->pick == NULL || !location_at (self, x, y, &lon, &lat) ||
      (grid = wg_case_map_find_grid (self, lon, lat)) == NULL)
    return FALSE;
  /* Translators: a grid in the new case's grid list: its name and its code */
  text = g_strdup_printf (C_("grid", "%s · %s"), wg_map_grid_get_name (grid) != NULL ? wg_map_grid_get_name (grid) : "",
                          wg_map_grid_get_code (grid) != NULL ? wg_map_grid_get_code (grid) : "");
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
grids_changed_cb (WgCaseMap *self)
{
  g_clear_pointer (&self->layer->boxes, g_array_unref);
  place (self);
  update_note (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->layer));
}

static void
wg_case_map_dispose (GObject *object)
{
  WgCaseMap *self = WG_CASE_MAP (object);

  if (self->fit_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->fit_tick_id);
      self->fit_tick_id = 0;
    }
  if (self->nudge_tick_id != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->nudge_tick_id);
      self->nudge_tick_id = 0;
    }
  if (self->layer != NULL && self->layer->grids != NULL)
    g_signal_handlers_disconnect_by_data (self->layer->grids, self);
  g_clear_pointer ((GtkWidget **) &self->map, gtk_widget_unparent);
  g_clear_pointer (&self->note, gtk_widget_unparent);
  g_clear_object (&self->layer);
  g_clear_object (&self->base_layer);
  g_clear_object (&self->base_source);
  g_clear_object (&self->blank_source);

  G_OBJECT_CLASS (wg_case_map_parent_class)->dispose (object);
}

static void
wg_case_map_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  WgCaseMap *self = WG_CASE_MAP (object);

  switch (prop_id)
    {
    case PROP_GRIDS:
      g_value_set_object (value, wg_case_map_get_grids (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_case_map_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  WgCaseMap *self = WG_CASE_MAP (object);

  switch (prop_id)
    {
    case PROP_GRIDS:
      wg_case_map_set_grids (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_case_map_class_init (WgCaseMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_case_map_dispose;
  object_class->get_property = wg_case_map_get_property;
  object_class->set_property = wg_case_map_set_property;

  properties[PROP_GRIDS] =
    g_param_spec_object ("grids", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * WgCaseMap::picked:
   * @lon: the longitude clicked or tapped
   * @lat: the latitude
   *
   * A click or tap on a pickable map, anywhere: in a grid or not (wg_case_map_find_grid ()).
   * The map shows nothing new by itself.
   */
  signals[PICKED] =
    g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "wg-case-map");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
wg_case_map_init (WgCaseMap *self)
{
  ShumateViewport *viewport;

  self->map = shumate_map_new ();
  gtk_widget_set_can_target (GTK_WIDGET (self->map), FALSE);
  gtk_widget_set_can_focus (GTK_WIDGET (self->map), FALSE);
  gtk_widget_add_css_class (GTK_WIDGET (self->map), "view");
  gtk_widget_set_parent (GTK_WIDGET (self->map), GTK_WIDGET (self));

  self->note = gtk_label_new (_("This case has no location and no grid."));
  gtk_label_set_wrap (GTK_LABEL (self->note), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->note), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (self->note, "dim-label");
  gtk_widget_set_parent (self->note, GTK_WIDGET (self));

  viewport = shumate_map_get_viewport (self->map);
  self->blank_source = SHUMATE_MAP_SOURCE (wg_blank_map_source_new ());
  shumate_viewport_set_reference_map_source (viewport, self->blank_source);
  shumate_viewport_set_zoom_level (viewport, 14);
  self->case_lon = self->case_lat = NAN;

  self->layer = g_object_ref_sink (g_object_new (WG_TYPE_CASE_MAP_LAYER, "viewport", viewport, NULL));
  shumate_map_add_layer (self->map, SHUMATE_LAYER (self->layer));

  gtk_widget_set_size_request (GTK_WIDGET (self), -1, 180);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Where the case is"), -1);
  update_note (self);
}

/* --- public API ------------------------------------------------------------------------------ */

GtkWidget *
wg_case_map_new (void)
{
  return g_object_new (WG_TYPE_CASE_MAP, NULL);
}

/**
 * wg_case_map_get_grids:
 *
 * Returns: (transfer none) (nullable): the #GListModel of #WgMapGrid
 */
GListModel *
wg_case_map_get_grids (WgCaseMap *self)
{
  g_return_val_if_fail (WG_IS_CASE_MAP (self), NULL);

  return self->layer->grids;
}

/**
 * wg_case_map_set_grids:
 * @grids: (nullable): a #GListModel of #WgMapGrid, such as the Map section's
 *
 * The grids drawn around the case; their changes show as they happen.
 */
void
wg_case_map_set_grids (WgCaseMap  *self,
                       GListModel *grids)
{
  g_return_if_fail (WG_IS_CASE_MAP (self));
  g_return_if_fail (grids == NULL || G_IS_LIST_MODEL (grids));

  if (self->layer->grids == grids)
    return;
  if (self->layer->grids != NULL)
    g_signal_handlers_disconnect_by_data (self->layer->grids, self);
  g_set_object (&self->layer->grids, grids);
  if (grids != NULL)
    g_signal_connect_swapped (grids, "items-changed", G_CALLBACK (grids_changed_cb), self);
  grids_changed_cb (self);
  queue_fit (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GRIDS]);
}

/**
 * wg_case_map_set_case:
 * @record: (nullable): the case as the server sends it (location, grid_id, state, urgency,
 *   deadline are read); %NULL shows nothing
 *
 * Shows the case and frames its grid. A case without a location is put inside its grid.
 */
void
wg_case_map_set_case (WgCaseMap  *self,
                      JsonObject *record)
{
  WgCaseMapLayer *layer;
  JsonNode *location;
  const char *state = NULL, *urgency = NULL, *deadline = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  double lon, lat;

  g_return_if_fail (WG_IS_CASE_MAP (self));

  layer = self->layer;
  g_clear_pointer (&layer->grid_id, g_free);
  self->case_lon = self->case_lat = NAN;

  if (record != NULL)
    {
      layer->grid_id = g_strdup (json_object_get_string_member_with_default (record, "grid_id", NULL));
      state = json_object_get_string_member_with_default (record, "state", NULL);
      urgency = json_object_get_string_member_with_default (record, "urgency", NULL);
      deadline = json_object_get_string_member_with_default (record, "deadline", NULL);
      location = json_object_get_member (record, "location");
      if (location != NULL && !JSON_NODE_HOLDS_NULL (location) && wg_point_from_json (location, &lon, &lat, NULL))
        {
          self->case_lon = lon;
          self->case_lat = lat;
        }
      layer->group = wg_marker_group_for_state (state);
      layer->attention = wg_marker_attention_for (state, urgency, deadline, now);
    }

  place (self);
  update_note (self);
  queue_fit (self);
  gtk_widget_queue_draw (GTK_WIDGET (layer));
}

/* Where the marker is: the case's location, or the point in its grid it was put at. */
gboolean
wg_case_map_get_location (WgCaseMap *self,
                          double    *out_lon,
                          double    *out_lat)
{
  g_return_val_if_fail (WG_IS_CASE_MAP (self), FALSE);

  if (isnan (self->layer->lon))
    return FALSE;
  *out_lon = self->layer->lon;
  *out_lat = self->layer->lat;
  return TRUE;
}

const char *
wg_case_map_get_grid_id (WgCaseMap *self)
{
  g_return_val_if_fail (WG_IS_CASE_MAP (self), NULL);

  return self->layer->grid_id;
}

/**
 * wg_case_map_set_base_map:
 * @source: (nullable): the base map, as the Map section uses it (a source may be shared); %NULL
 *   for none
 */
void
wg_case_map_set_base_map (WgCaseMap        *self,
                          ShumateMapSource *source)
{
  ShumateViewport *viewport;

  g_return_if_fail (WG_IS_CASE_MAP (self));
  g_return_if_fail (source == NULL || SHUMATE_IS_MAP_SOURCE (source));

  if (self->base_source == source)
    return;
  viewport = shumate_map_get_viewport (self->map);
  if (self->base_layer != NULL)
    {
      shumate_map_remove_layer (self->map, SHUMATE_LAYER (self->base_layer));
      g_clear_object (&self->base_layer);
    }
  g_set_object (&self->base_source, source);
  shumate_viewport_set_reference_map_source (viewport, source != NULL ? source : self->blank_source);
  if (source != NULL)
    {
      self->base_layer = g_object_ref_sink (shumate_map_layer_new (source, viewport));
      shumate_map_insert_layer_behind (self->map, SHUMATE_LAYER (self->base_layer), SHUMATE_LAYER (self->layer));
      if (self->nudge_tick_id == 0)
        self->nudge_tick_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), nudge_tick_cb, NULL, NULL);
    }
  queue_fit (self);
}

/**
 * wg_case_map_get_map:
 *
 * Returns: (transfer none): the #ShumateMap inside
 */
ShumateMap *
wg_case_map_get_map (WgCaseMap *self)
{
  g_return_val_if_fail (WG_IS_CASE_MAP (self), NULL);

  return self->map;
}

/**
 * wg_case_map_set_pickable:
 * @pickable: whether a click or tap on the map says where ("picked")
 *
 * A pickable map pans and zooms, frames the whole township while nothing is chosen, and puts
 * the marker only at a location given (wg_case_map_show_point ()); it is the new case's map.
 */
void
wg_case_map_set_pickable (WgCaseMap *self,
                          gboolean   pickable)
{
  g_return_if_fail (WG_IS_CASE_MAP (self));

  if ((self->pick != NULL) == !!pickable)
    return;
  if (pickable)
    {
      self->pick = wg_map_click_new ();
      gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (self->pick), GTK_PHASE_CAPTURE);
      g_signal_connect_swapped (self->pick, "released", G_CALLBACK (pick_released_cb), self);
      gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->pick));
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), "crosshair");
      g_signal_connect (self, "query-tooltip", G_CALLBACK (pick_query_tooltip_cb), NULL);
      gtk_label_set_label (GTK_LABEL (self->note), _("The grids’ boundaries are not known yet."));
    }
  else
    {
      gtk_widget_remove_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->pick));
      self->pick = NULL;
      gtk_widget_set_cursor (GTK_WIDGET (self), NULL);
      g_signal_handlers_disconnect_by_func (self, pick_query_tooltip_cb, NULL);
      gtk_label_set_label (GTK_LABEL (self->note), _("This case has no location and no grid."));
    }
  /* The map's own gestures pan and zoom; it stays out of the keyboard's way (the grid is
   * chosen by name as well). */
  gtk_widget_set_can_target (GTK_WIDGET (self->map), pickable);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), pickable);
  place (self);
  update_note (self);
  queue_fit (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->layer));
}

gboolean
wg_case_map_get_pickable (WgCaseMap *self)
{
  g_return_val_if_fail (WG_IS_CASE_MAP (self), FALSE);

  return self->pick != NULL;
}

/**
 * wg_case_map_show_point:
 * @grid_id: (nullable): the grid to outline
 * @lon: where the marker goes, or NAN for no marker
 * @lat: its latitude
 *
 * Outlines the grid and puts a new case's marker at (@lon, @lat) without moving the map:
 * what a pick chose. wg_case_map_frame () brings them into view.
 */
void
wg_case_map_show_point (WgCaseMap  *self,
                        const char *grid_id,
                        double      lon,
                        double      lat)
{
  WgCaseMapLayer *layer;

  g_return_if_fail (WG_IS_CASE_MAP (self));

  layer = self->layer;
  if (layer->grid_id != grid_id)
    {
      g_free (layer->grid_id);
      layer->grid_id = g_strdup (grid_id);
    }
  self->case_lon = isnan (lon) || isnan (lat) ? NAN : lon;
  self->case_lat = isnan (lon) || isnan (lat) ? NAN : lat;
  layer->group = WG_MARKER_NEW;
  layer->attention = WG_MARKER_CALM;
  place (self);
  update_note (self);
  gtk_widget_queue_draw (GTK_WIDGET (layer));
}

/* Frames what the map shows: the grid and the marker, or (pickable) the whole township. */
void
wg_case_map_frame (WgCaseMap *self)
{
  g_return_if_fail (WG_IS_CASE_MAP (self));

  queue_fit (self);
}

/**
 * wg_case_map_find_grid:
 *
 * The grid that contains the point, of those the map draws; the last one of overlapping grids,
 * as the grid map does.
 *
 * Returns: (transfer full) (nullable): the #WgMapGrid, or %NULL outside every grid
 */
WgMapGrid *
wg_case_map_find_grid (WgCaseMap *self,
                       double     lon,
                       double     lat)
{
  GListModel *grids;
  GArray *boxes;
  double x, y;

  g_return_val_if_fail (WG_IS_CASE_MAP (self), NULL);

  grids = self->layer->grids;
  boxes = ensure_boxes (self->layer);
  if (grids == NULL || boxes == NULL || isnan (lon) || isnan (lat))
    return NULL;
  x = wg_mercator_x_from_lon (lon);
  y = wg_mercator_y_from_lat (lat);
  for (guint i = MIN (boxes->len, g_list_model_get_n_items (grids)); i > 0; i--)
    {
      g_autoptr(WgMapGrid) grid = NULL;
      WgPolygon *boundary;

      if (!wg_mercator_box_contains (&g_array_index (boxes, WgMercatorBox, i - 1), x, y))
        continue;
      grid = g_list_model_get_item (grids, i - 1);
      boundary = wg_map_grid_get_boundary (grid);
      if (boundary != NULL && wg_polygon_contains (boundary, lon, lat))
        return g_steal_pointer (&grid);
    }
  return NULL;
}
