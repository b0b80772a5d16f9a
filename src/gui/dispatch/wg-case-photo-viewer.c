/* wg-case-photo-viewer.c — a case's photos, one at a time, large
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Opened from a thumbnail in the case detail. The arrow keys (and the buttons at the sides)
 * step through the case's photos, Escape closes. Each photo comes from the disk cache, or is
 * downloaded first, and is decoded on a worker thread; one that cannot be had says why in
 * the dialog itself.
 */
#define G_LOG_DOMAIN "WgCasePhotoViewer"

#include "config.h"

#include <glib/gi18n.h>

#include "wg-attachments.h"
#include "wg-case-photo-viewer.h"
#include "wg-case-photos.h"

/* Larger photos are scaled down to this while decoding: sharp on any screen, not 50 MB each. */
#define MAX_SIZE 2560

struct _WgCasePhotoViewer
{
  AdwDialog       parent_instance;

  /* Template widgets */
  AdwWindowTitle *window_title;
  GtkStack       *stack;
  GtkPicture     *picture;
  AdwStatusPage  *status_page;

  /* Owned */
  GPtrArray      *photos;        /* WgAttachment */
  WgApi          *api;
  GCancellable   *cancellable;   /* of the photo being loaded */
  guint           index;
};

G_DEFINE_FINAL_TYPE (WgCasePhotoViewer, wg_case_photo_viewer, ADW_TYPE_DIALOG)

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture = _wg_case_photos_load_texture (task_data, MAX_SIZE, FALSE, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
show_unavailable (WgCasePhotoViewer *self,
                  const char        *reason)
{
  adw_status_page_set_description (self->status_page, reason);
  gtk_stack_set_visible_child_name (self->stack, "unavailable");
}

static void
decoded_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WgCasePhotoViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      g_debug ("Could not decode the photo: %s", error->message);
      show_unavailable (self, _("This photo cannot be shown here."));
      return;
    }
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->stack, "picture");
}

static void
fetched_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(WgCasePhotoViewer) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wg_attachment_fetch_finish (result, &error);
  g_autoptr(GTask) task = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (path == NULL)
    {
      show_unavailable (self, wg_attachment_describe_error (error));
      return;
    }

  task = g_task_new (NULL, self->cancellable, decoded_cb, g_object_ref (self));
  g_task_set_source_tag (task, fetched_cb);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_task_run_in_thread (task, decode_thread);
}

static void
load (WgCasePhotoViewer *self)
{
  WgAttachment *photo = self->photos->pdata[self->index];
  g_autofree char *position = NULL;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* Translators: which photo of how many, under its name in the photo viewer */
  position = g_strdup_printf (_("%u of %u"), self->index + 1, self->photos->len);
  adw_window_title_set_title (self->window_title, photo->name);
  adw_window_title_set_subtitle (self->window_title, self->photos->len > 1 ? position : "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.previous", self->index > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "viewer.next", self->index + 1 < self->photos->len);

  gtk_picture_set_paintable (self->picture, NULL);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  wg_attachment_fetch_async (photo, self->api, self->cancellable, fetched_cb, g_object_ref (self));
}

static void
step_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  WgCasePhotoViewer *self = WG_CASE_PHOTO_VIEWER (widget);
  int step = g_str_equal (action_name, "viewer.next") ? 1 : -1;

  if ((step < 0 && self->index == 0) || (step > 0 && self->index + 1 >= self->photos->len))
    return;
  wg_case_photo_viewer_set_index (self, self->index + step);
}

static void
wg_case_photo_viewer_closed (AdwDialog *dialog)
{
  WgCasePhotoViewer *self = WG_CASE_PHOTO_VIEWER (dialog);

  g_cancellable_cancel (self->cancellable);

  if (ADW_DIALOG_CLASS (wg_case_photo_viewer_parent_class)->closed != NULL)
    ADW_DIALOG_CLASS (wg_case_photo_viewer_parent_class)->closed (dialog);
}

static void
wg_case_photo_viewer_dispose (GObject *object)
{
  WgCasePhotoViewer *self = WG_CASE_PHOTO_VIEWER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->api);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), WG_TYPE_CASE_PHOTO_VIEWER);

  G_OBJECT_CLASS (wg_case_photo_viewer_parent_class)->dispose (object);
}

static void
wg_case_photo_viewer_class_init (WgCasePhotoViewerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = wg_case_photo_viewer_dispose;
  ADW_DIALOG_CLASS (klass)->closed = wg_case_photo_viewer_closed;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/wangge/Wangge/dispatch/wg-case-photo-viewer.ui");
  gtk_widget_class_bind_template_child (widget_class, WgCasePhotoViewer, window_title);
  gtk_widget_class_bind_template_child (widget_class, WgCasePhotoViewer, stack);
  gtk_widget_class_bind_template_child (widget_class, WgCasePhotoViewer, picture);
  gtk_widget_class_bind_template_child (widget_class, WgCasePhotoViewer, status_page);

  gtk_widget_class_install_action (widget_class, "viewer.previous", NULL, step_action);
  gtk_widget_class_install_action (widget_class, "viewer.next", NULL, step_action);
}

static void
wg_case_photo_viewer_init (WgCasePhotoViewer *self)
{
  static const struct { guint key; const char *action; } keys[] = {
    { GDK_KEY_Left, "viewer.previous" }, { GDK_KEY_KP_Left, "viewer.previous" }, { GDK_KEY_Page_Up, "viewer.previous" },
    { GDK_KEY_Right, "viewer.next" }, { GDK_KEY_KP_Right, "viewer.next" }, { GDK_KEY_Page_Down, "viewer.next" },
  };
  GtkEventController *shortcuts = gtk_shortcut_controller_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* Before the focused button sees them: arrows step through the photos, they do not move
   * the focus from one button to the next. */
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                          gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, 0),
                                                            gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

/* @photos: WgAttachment, the case's images (copied); @api downloads those not cached yet (NULL
 * offline or signed out). */
AdwDialog *
wg_case_photo_viewer_new (GPtrArray *photos,
                          guint      index,
                          WgApi     *api)
{
  WgCasePhotoViewer *self;

  g_return_val_if_fail (photos != NULL && photos->len > 0, NULL);
  g_return_val_if_fail (index < photos->len, NULL);
  g_return_val_if_fail (api == NULL || WG_IS_API (api), NULL);

  self = g_object_new (WG_TYPE_CASE_PHOTO_VIEWER, NULL);
  self->photos = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_attachment_free);
  for (guint i = 0; i < photos->len; i++)
    g_ptr_array_add (self->photos, wg_attachment_copy (photos->pdata[i]));
  self->api = api != NULL ? g_object_ref (api) : NULL;
  self->index = index;
  load (self);
  return ADW_DIALOG (self);
}

guint
wg_case_photo_viewer_get_index (WgCasePhotoViewer *self)
{
  g_return_val_if_fail (WG_IS_CASE_PHOTO_VIEWER (self), 0);

  return self->index;
}

void
wg_case_photo_viewer_set_index (WgCasePhotoViewer *self,
                                guint              index)
{
  g_return_if_fail (WG_IS_CASE_PHOTO_VIEWER (self));
  g_return_if_fail (index < self->photos->len);

  if (index == self->index && self->cancellable != NULL)
    return;
  self->index = index;
  load (self);
}

/* Whether the photo on show has been decoded and is drawn, not still loading or missing. */
gboolean
wg_case_photo_viewer_get_shown (WgCasePhotoViewer *self)
{
  g_return_val_if_fail (WG_IS_CASE_PHOTO_VIEWER (self), FALSE);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "picture") == 0;
}
