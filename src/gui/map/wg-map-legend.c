/* wg-map-legend.c — the key to the grid map's colours for the chosen metric
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Built from the same pure functions the layer colours with (wg-map-metric.c), so the key can
 * never disagree with the map, and rebuilt when the metric or light/dark mode changes.
 * The swatches carry the fill's alpha over the legend's own background, as on the map.
 */
#define G_LOG_DOMAIN "WgMapLegend"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "wg-map-enums.h"
#include "wg-map-legend.h"

struct _WgMapLegend
{
  GtkWidget    parent_instance;

  /* Children */
  GtkWidget   *metric_box;
  GtkLabel    *title;
  GtkGrid     *rows;
  GtkWidget   *cases_box;
  GtkLabel    *cases_title;
  GtkGrid     *case_rows;

  /* State */
  WgMapMetric  metric;
  WgMapCases   cases;
};

G_DEFINE_FINAL_TYPE (WgMapLegend, wg_map_legend, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_METRIC,
  PROP_CASES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
draw_swatch (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  WgMapLegend *self = data;
  int klass = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "wg-class"));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  WgMapColour colour;
  GdkRGBA fg;

  wg_map_metric_class_colour (self->metric, klass, dark, &colour);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_set_source_rgba (cr, colour.red, colour.green, colour.blue, colour.alpha);
  cairo_fill_preserve (cr);
  /* The grid outline, as the map draws it; alone it stands for "no data". */
  gtk_widget_get_color (GTK_WIDGET (area), &fg);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.45);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
add_row (WgMapLegend *self,
         int          klass,
         int          row)
{
  GtkWidget *swatch = gtk_drawing_area_new ();
  g_autofree char *text = wg_map_metric_class_label (self->metric, klass);
  GtkWidget *label = gtk_label_new (text);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 22);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 14);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (swatch), "wg-class", GINT_TO_POINTER (klass));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_swatch, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_grid_attach (self->rows, swatch, 0, row, 1, 1);
  gtk_grid_attach (self->rows, label, 1, row, 1, 1);
}

static void
rebuild (WgMapLegend *self)
{
  GtkWidget *child;
  guint n = wg_map_metric_get_n_classes (self->metric);
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->rows))) != NULL)
    gtk_grid_remove (self->rows, child);

  gtk_label_set_label (self->title, wg_map_metric_get_title (self->metric));
  gtk_widget_set_tooltip_text (self->metric_box, wg_map_metric_get_description (self->metric));

  /* Worst first for counts and rates, as people read a key top-down for "where is it bad". */
  if (self->metric == WG_MAP_METRIC_COVERAGE)
    for (guint k = 0; k < n; k++)
      add_row (self, k, row++);
  else
    for (guint k = n; k > 0; k--)
      add_row (self, k - 1, row++);
  add_row (self, WG_MAP_CLASS_NO_DATA, row);
}

/* A case marker as the map draws it: a dot of the group's colour in a ring, or for the ring
 * rows a neutral dot in the attention's ring. */
static void
draw_marker (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        data)
{
  int group = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "wg-group"));
  int attention = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (area), "wg-attention"));
  gboolean dark = adw_style_manager_get_dark (adw_style_manager_get_default ());
  double cx = width / 2.0, cy = height / 2.0;
  WgMapColour fill, ring;

  wg_marker_group_colour (group >= 0 ? (WgMarkerGroup) group : WG_MARKER_CLOSED, dark, &fill);
  wg_marker_attention_colour ((WgMarkerAttention) attention, dark, &ring);

  if (attention != WG_MARKER_CALM)
    {
      cairo_arc (cr, cx, cy, 8.5, 0, 2 * G_PI);
      if (dark)
        cairo_set_source_rgba (cr, 0.12, 0.12, 0.14, 0.9);
      else
        cairo_set_source_rgba (cr, 1, 1, 1, 0.95);
      cairo_fill (cr);
    }
  cairo_arc (cr, cx, cy, attention != WG_MARKER_CALM ? 7.5 : 6.5, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, 0, 0, 0, dark ? 0.7 : 0.45);
  cairo_fill (cr);
  cairo_arc (cr, cx, cy, attention != WG_MARKER_CALM ? 6.75 : 5.75, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, ring.red, ring.green, ring.blue, 1);
  cairo_fill (cr);
  cairo_arc (cr, cx, cy, attention != WG_MARKER_CALM ? 3.75 : 4.25, 0, 2 * G_PI);
  if (group >= 0)
    cairo_set_source_rgba (cr, fill.red, fill.green, fill.blue, 1);
  else
    cairo_set_source_rgba (cr, fill.red, fill.green, fill.blue, 0.6);
  cairo_fill (cr);
}

static void
add_marker_row (WgMapLegend *self,
                int          group,
                int          attention,
                const char  *text,
                int          row)
{
  GtkWidget *swatch = gtk_drawing_area_new ();
  GtkWidget *label = gtk_label_new (text);

  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (swatch), 22);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (swatch), 18);
  gtk_widget_set_valign (swatch, GTK_ALIGN_CENTER);
  g_object_set_data (G_OBJECT (swatch), "wg-group", GINT_TO_POINTER (group));
  g_object_set_data (G_OBJECT (swatch), "wg-attention", GINT_TO_POINTER (attention));
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (swatch), draw_marker, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (swatch), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "caption");
  gtk_grid_attach (self->case_rows, swatch, 0, row, 1, 1);
  gtk_grid_attach (self->case_rows, label, 1, row, 1, 1);
}

/* The case markers' key: one row per state group the filter can show, then the rings. */
static void
rebuild_cases (WgMapLegend *self)
{
  GtkWidget *child;
  int row = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->case_rows))) != NULL)
    gtk_grid_remove (self->case_rows, child);

  gtk_widget_set_visible (self->cases_box, self->cases != WG_MAP_CASES_NONE);
  if (self->cases == WG_MAP_CASES_NONE)
    return;

  gtk_label_set_label (self->cases_title, self->cases == WG_MAP_CASES_OPEN ? _("Case markers") : _("Cases, last 30 days"));
  for (int g = 0; g < WG_MARKER_N_GROUPS; g++)
    if (g != WG_MARKER_CLOSED || self->cases == WG_MAP_CASES_MONTH)
      add_marker_row (self, g, WG_MARKER_CALM, wg_marker_group_get_title (g), row++);
  add_marker_row (self, -1, WG_MARKER_ALERT, wg_marker_attention_get_title (WG_MARKER_ALERT), row++);
  add_marker_row (self, -1, WG_MARKER_WARNING, wg_marker_attention_get_title (WG_MARKER_WARNING), row++);
}

static void
redraw_swatches (GtkWidget *grid)
{
  for (GtkWidget *child = gtk_widget_get_first_child (grid);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_DRAWING_AREA (child))
      gtk_widget_queue_draw (child);
}

static void
dark_changed_cb (WgMapLegend *self)
{
  redraw_swatches (GTK_WIDGET (self->rows));
  redraw_swatches (GTK_WIDGET (self->case_rows));
}

static void
wg_map_legend_dispose (GObject *object)
{
  WgMapLegend *self = WG_MAP_LEGEND (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->metric_box = NULL;
  self->title = NULL;
  self->rows = NULL;
  self->cases_box = NULL;
  self->cases_title = NULL;
  self->case_rows = NULL;

  G_OBJECT_CLASS (wg_map_legend_parent_class)->dispose (object);
}

static void
wg_map_legend_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  WgMapLegend *self = WG_MAP_LEGEND (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      g_value_set_enum (value, self->metric);
      break;

    case PROP_CASES:
      g_value_set_enum (value, self->cases);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_map_legend_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  WgMapLegend *self = WG_MAP_LEGEND (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      wg_map_legend_set_metric (self, g_value_get_enum (value));
      break;

    case PROP_CASES:
      wg_map_legend_set_cases (self, g_value_get_enum (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wg_map_legend_class_init (WgMapLegendClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_map_legend_dispose;
  object_class->get_property = wg_map_legend_get_property;
  object_class->set_property = wg_map_legend_set_property;

  properties[PROP_METRIC] =
    g_param_spec_enum ("metric", NULL, NULL, WG_TYPE_MAP_METRIC, WG_MAP_METRIC_OPEN_CASES,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CASES] =
    g_param_spec_enum ("cases", NULL, NULL, WG_TYPE_MAP_CASES, WG_MAP_CASES_NONE,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "wg-map-legend");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
wg_map_legend_init (WgMapLegend *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  /* The metric's key and the markers' key side by side: the map keeps its height. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 18);

  self->metric_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->metric_box, GTK_WIDGET (self));

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_max_width_chars (self->title, 18);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  gtk_box_append (GTK_BOX (self->metric_box), GTK_WIDGET (self->title));

  self->rows = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->rows, 4);
  gtk_grid_set_column_spacing (self->rows, 8);
  gtk_box_append (GTK_BOX (self->metric_box), GTK_WIDGET (self->rows));

  self->cases_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_visible (self->cases_box, FALSE);
  gtk_widget_set_parent (self->cases_box, GTK_WIDGET (self));

  self->cases_title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->cases_title, 0);
  gtk_label_set_wrap (self->cases_title, TRUE);
  gtk_label_set_max_width_chars (self->cases_title, 18);
  gtk_widget_add_css_class (GTK_WIDGET (self->cases_title), "heading");
  gtk_box_append (GTK_BOX (self->cases_box), GTK_WIDGET (self->cases_title));

  self->case_rows = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->case_rows, 4);
  gtk_grid_set_column_spacing (self->case_rows, 8);
  gtk_box_append (GTK_BOX (self->cases_box), GTK_WIDGET (self->case_rows));

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->title, NULL, -1);

  self->metric = WG_MAP_METRIC_OPEN_CASES;
  rebuild (self);

  g_signal_connect_object (adw_style_manager_get_default (), "notify::dark",
                           G_CALLBACK (dark_changed_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
wg_map_legend_new (void)
{
  return g_object_new (WG_TYPE_MAP_LEGEND, NULL);
}

WgMapMetric
wg_map_legend_get_metric (WgMapLegend *self)
{
  g_return_val_if_fail (WG_IS_MAP_LEGEND (self), WG_MAP_METRIC_OPEN_CASES);

  return self->metric;
}

void
wg_map_legend_set_metric (WgMapLegend *self,
                          WgMapMetric  metric)
{
  g_return_if_fail (WG_IS_MAP_LEGEND (self));
  g_return_if_fail ((guint) metric <= WG_MAP_METRIC_LAST);

  if (self->metric == metric)
    return;
  self->metric = metric;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_METRIC]);
}

WgMapCases
wg_map_legend_get_cases (WgMapLegend *self)
{
  g_return_val_if_fail (WG_IS_MAP_LEGEND (self), WG_MAP_CASES_NONE);

  return self->cases;
}

/* Adds the case markers' key beside the metric's, or hides it for WG_MAP_CASES_NONE. */
void
wg_map_legend_set_cases (WgMapLegend *self,
                         WgMapCases   cases)
{
  g_return_if_fail (WG_IS_MAP_LEGEND (self));
  g_return_if_fail ((guint) cases <= WG_MAP_CASES_LAST);

  if (self->cases == cases)
    return;
  self->cases = cases;
  rebuild_cases (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CASES]);
}
