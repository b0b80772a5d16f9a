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
  GtkLabel    *title;
  GtkGrid     *rows;

  /* State */
  WgMapMetric  metric;
};

G_DEFINE_FINAL_TYPE (WgMapLegend, wg_map_legend, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_METRIC,
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
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), wg_map_metric_get_description (self->metric));

  /* Worst first for counts and rates, as people read a key top-down for "where is it bad". */
  if (self->metric == WG_MAP_METRIC_COVERAGE)
    for (guint k = 0; k < n; k++)
      add_row (self, k, row++);
  else
    for (guint k = n; k > 0; k--)
      add_row (self, k - 1, row++);
  add_row (self, WG_MAP_CLASS_NO_DATA, row);
}

static void
dark_changed_cb (WgMapLegend *self)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->rows));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_DRAWING_AREA (child))
      gtk_widget_queue_draw (child);
}

static void
wg_map_legend_dispose (GObject *object)
{
  WgMapLegend *self = WG_MAP_LEGEND (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  self->title = NULL;
  self->rows = NULL;

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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "wg-map-legend");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
wg_map_legend_init (WgMapLegend *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);

  self->title = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->title, 0);
  gtk_label_set_wrap (self->title, TRUE);
  gtk_label_set_max_width_chars (self->title, 18);
  gtk_widget_add_css_class (GTK_WIDGET (self->title), "heading");
  gtk_widget_set_parent (GTK_WIDGET (self->title), GTK_WIDGET (self));

  self->rows = GTK_GRID (gtk_grid_new ());
  gtk_grid_set_row_spacing (self->rows, 4);
  gtk_grid_set_column_spacing (self->rows, 8);
  gtk_widget_set_parent (GTK_WIDGET (self->rows), GTK_WIDGET (self));

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
