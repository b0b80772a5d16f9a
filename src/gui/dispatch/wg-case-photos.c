/* wg-case-photos.c — a case's photos as thumbnails and its other files as rows
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of the case detail. Photos show as a row of thumbnails (wrapping in the narrow pane);
 * clicking one, or Enter on it, opens the photo viewer. Other files (a PDF, a recording) are
 * rows with their name and size that open in the desktop's default application.
 *
 * Files come from the disk cache or are downloaded through the session's API client; decoding
 * runs on a worker thread. A photo that cannot be had shows a placeholder and, under the
 * thumbnails, why ("not downloaded yet — connect to the server"): never an error dialog.
 * When the link to the server comes back, those not downloaded yet are tried again.
 */
#define G_LOG_DOMAIN "WgCasePhotos"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "wg-attachments.h"
#include "wg-case-photo-viewer.h"
#include "wg-case-photos.h"

/* Thumbnails: three fit across the detail pane. */
#define TILE_SIZE 96

typedef enum
{
  TILE_IDLE,
  TILE_LOADING,
  TILE_SHOWN,
  TILE_FAILED,
} TileState;

typedef struct
{
  GtkWidget  *child;         /* GtkFlowBoxChild */
  GtkImage   *picture;     /* the thumbnail, square */
  GtkImage   *icon;
  TileState   state;
  const char *reason;        /* static, translated */
  gboolean    retry;         /* failed for want of the server */
} Tile;

struct _WgCasePhotos
{
  AdwBin        parent_instance;

  /* Children */
  GtkWidget    *group;
  GtkFlowBox   *grid;
  GtkLabel     *caption;
  GtkListBox   *files_list;

  /* Owned */
  WgSession    *session;
  GPtrArray    *photos;        /* WgAttachment, images */
  GPtrArray    *files;         /* WgAttachment, the rest */
  GArray       *tiles;         /* Tile, one per photo */
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (WgCasePhotos, wg_case_photos, ADW_TYPE_BIN)

/* --- helpers --------------------------------------------------------------------------------- */

static WgApi *
get_api (WgCasePhotos *self)
{
  WgSync *sync;

  if (self->session == NULL || !wg_session_get_signed_in (self->session) ||
      (sync = wg_session_get_sync (self->session)) == NULL)
    return NULL;
  return wg_sync_get_api (sync);
}

GdkTexture *
_wg_case_photos_load_texture (const char  *path,
                              int          max_size,
                              gboolean     square,
                              GError     **error)
{
  g_autoptr(GdkPixbuf) pixbuf = NULL;
  g_autoptr(GdkPixbuf) upright = NULL;
  g_autoptr(GdkPixbuf) cropped = NULL;
  g_autoptr(GError) pixbuf_error = NULL;
  GdkPixbuf *result;
  int width = 0, height = 0;

  /* Scaled down while decoding, never up: a square fills @max_size with its shorter side. */
  if (max_size > 0 && gdk_pixbuf_get_file_info (path, &width, &height) != NULL && width > 0 && height > 0 &&
      (square ? MIN (width, height) > max_size : MAX (width, height) > max_size))
    {
      double scale = (double) max_size / (square ? MIN (width, height) : MAX (width, height));

      pixbuf = gdk_pixbuf_new_from_file_at_scale (path, MAX (1, (int) (width * scale + 0.5)),
                                                  MAX (1, (int) (height * scale + 0.5)), FALSE, &pixbuf_error);
    }
  else
    pixbuf = gdk_pixbuf_new_from_file (path, &pixbuf_error);
  if (pixbuf == NULL)
    {
      /* GTK reads some formats gdk-pixbuf has no loader for. */
      g_debug ("gdk-pixbuf could not read %s (%s); trying GTK’s own loaders", path, pixbuf_error->message);
      return gdk_texture_new_from_filename (path, error);
    }
  /* Phones store photos sideways with an EXIF note to turn them. */
  upright = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  result = upright != NULL ? upright : pixbuf;
  if (square)
    {
      int side = MIN (gdk_pixbuf_get_width (result), gdk_pixbuf_get_height (result));

      /* the middle of the photo, as a thumbnail shows it */
      cropped = gdk_pixbuf_new_subpixbuf (result, (gdk_pixbuf_get_width (result) - side) / 2,
                                          (gdk_pixbuf_get_height (result) - side) / 2, side, side);
      result = cropped;
    }
  return gdk_texture_new_for_pixbuf (result);
}

static void
update_caption (WgCasePhotos *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  for (guint i = 0; i < self->tiles->len; i++)
    {
      Tile *tile = &g_array_index (self->tiles, Tile, i);

      if (tile->state == TILE_FAILED && !g_ptr_array_find (reasons, tile->reason, NULL))
        g_ptr_array_add (reasons, (gpointer) tile->reason);
    }
  for (guint i = 0; i < reasons->len; i++)
    g_string_append_printf (text, "%s%s", i > 0 ? "\n" : "", (const char *) reasons->pdata[i]);
  gtk_label_set_text (self->caption, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->caption), text->len > 0);
}

/* --- thumbnails ------------------------------------------------------------------------------ */

typedef struct
{
  WgCasePhotos *self;
  guint         index;
} TileLoad;

static void
tile_load_free (gpointer data)
{
  TileLoad *load = data;

  g_clear_object (&load->self);
  g_free (load);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TileLoad, tile_load_free)

static void
set_tile_failed (WgCasePhotos *self,
                 guint         index,
                 const char   *reason,
                 gboolean      retry)
{
  Tile *tile = &g_array_index (self->tiles, Tile, index);

  tile->state = TILE_FAILED;
  tile->reason = reason;
  tile->retry = retry;
  gtk_image_set_from_icon_name (tile->icon, retry ? "network-offline-symbolic" : "image-missing-symbolic");
  gtk_widget_set_visible (GTK_WIDGET (tile->icon), TRUE);
  gtk_widget_set_tooltip_text (tile->child, reason);
  update_caption (self);
}

static void
thumbnail_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GError *error = NULL;
  GdkTexture *texture = _wg_case_photos_load_texture (task_data, TILE_SIZE * 2, TRUE, &error);

  if (texture == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, texture, g_object_unref);
}

static void
thumbnail_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(TileLoad) load = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = g_task_propagate_pointer (G_TASK (result), &error);
  Tile *tile;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      g_debug ("Could not make a thumbnail: %s", error->message);
      set_tile_failed (load->self, load->index, _("This photo cannot be shown here."), FALSE);
      return;
    }

  tile = &g_array_index (load->self->tiles, Tile, load->index);
  tile->state = TILE_SHOWN;
  gtk_image_set_from_paintable (tile->picture, GDK_PAINTABLE (texture));
  gtk_widget_set_visible (GTK_WIDGET (tile->icon), FALSE);
  gtk_widget_set_name (GTK_WIDGET (tile->picture), "photo-thumbnail");
  update_caption (load->self);
}

static void
tile_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(TileLoad) load = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wg_attachment_fetch_finish (result, &error);
  g_autoptr(GTask) task = NULL;
  GCancellable *cancellable;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (path == NULL)
    {
      set_tile_failed (load->self, load->index, wg_attachment_describe_error (error),
                       g_error_matches (error, WG_API_ERROR, WG_API_ERROR_NETWORK) ||
                       g_error_matches (error, WG_API_ERROR, WG_API_ERROR_SERVER));
      return;
    }

  cancellable = load->self->cancellable;
  task = g_task_new (NULL, cancellable, thumbnail_cb, g_steal_pointer (&load));
  g_task_set_source_tag (task, tile_fetched_cb);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_task_run_in_thread (task, thumbnail_thread);
}

static void
load_tile (WgCasePhotos *self,
           guint         index)
{
  Tile *tile = &g_array_index (self->tiles, Tile, index);
  TileLoad *load = g_new0 (TileLoad, 1);

  tile->state = TILE_LOADING;
  load->self = g_object_ref (self);
  load->index = index;
  wg_attachment_fetch_async (self->photos->pdata[index], get_api (self), self->cancellable, tile_fetched_cb, load);
}

static GtkWidget *
new_tile (WgCasePhotos *self,
          WgAttachment *photo,
          Tile         *tile)
{
  GtkWidget *frame = gtk_overlay_new ();

  /* An image at a fixed size, not a picture: a picture asks for its photo's own size. */
  tile->picture = GTK_IMAGE (gtk_image_new ());
  gtk_image_set_pixel_size (tile->picture, TILE_SIZE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tile->picture), GTK_ACCESSIBLE_PROPERTY_LABEL, photo->name, -1);
  gtk_overlay_set_child (GTK_OVERLAY (frame), GTK_WIDGET (tile->picture));

  tile->icon = GTK_IMAGE (gtk_image_new ());
  gtk_image_set_pixel_size (tile->icon, 32);
  gtk_widget_add_css_class (GTK_WIDGET (tile->icon), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (tile->icon), FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (frame), GTK_WIDGET (tile->icon));

  gtk_widget_set_size_request (frame, TILE_SIZE, TILE_SIZE);
  gtk_widget_set_halign (frame, GTK_ALIGN_START);
  gtk_widget_set_valign (frame, GTK_ALIGN_START);
  gtk_widget_set_overflow (frame, GTK_OVERFLOW_HIDDEN);
  gtk_widget_add_css_class (frame, "card");

  tile->child = gtk_flow_box_child_new ();
  gtk_flow_box_child_set_child (GTK_FLOW_BOX_CHILD (tile->child), frame);
  gtk_widget_set_tooltip_text (tile->child, photo->name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (tile->child), GTK_ACCESSIBLE_PROPERTY_LABEL, photo->name, -1);
  return tile->child;
}

static void
tile_activated_cb (GtkFlowBox      *grid,
                   GtkFlowBoxChild *child,
                   WgCasePhotos    *self)
{
  int index = gtk_flow_box_child_get_index (child);
  AdwDialog *viewer;

  if (index < 0 || (guint) index >= self->photos->len)
    return;
  viewer = wg_case_photo_viewer_new (self->photos, index, get_api (self));
  adw_dialog_present (viewer, GTK_WIDGET (self));
}

/* The link is back: try again what could not be downloaded. */
static void
sync_state_cb (WgSyncStatus *status,
               GParamSpec   *pspec,
               WgCasePhotos *self)
{
  if (wg_sync_status_get_state (status) != WG_SYNC_STATE_UP_TO_DATE || gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  for (guint i = 0; i < self->tiles->len; i++)
    {
      Tile *tile = &g_array_index (self->tiles, Tile, i);

      if (tile->state == TILE_FAILED && tile->retry)
        load_tile (self, i);
    }
}

/* --- other files ----------------------------------------------------------------------------- */

/* On a worker: a copy of the cached file under its own name, which is what the application
 * that opens it shows. The name was checked by the server; it is checked again here. */
static void
named_copy_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  const char *cached = task_data;
  const char *name = g_object_get_data (G_OBJECT (task), "name");
  g_autofree char *key = g_path_get_basename (cached);
  g_autofree char *safe = g_strdelimit (g_strdup (name), "/\\:", '_');
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "wangge", "open", key, NULL);
  g_autofree char *path = NULL;
  g_autoptr(GFile) from = g_file_new_for_path (cached);
  g_autoptr(GFile) to = NULL;
  GError *error = NULL;

  if (safe[0] == '\0' || safe[0] == '.')
    g_set_str (&safe, "attachment");
  path = g_build_filename (dir, safe, NULL);
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_task_return_pointer (task, g_steal_pointer (&path), g_free);
      return;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno), "%s", g_strerror (saved_errno));
      return;
    }
  to = g_file_new_for_path (path);
  if (!g_file_copy (from, to, G_FILE_COPY_OVERWRITE, cancellable, NULL, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&path), g_free);
}

static void
file_launched_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(AdwActionRow) row = user_data;
  g_autoptr(GError) error = NULL;

  if (!gtk_file_launcher_launch_finish (GTK_FILE_LAUNCHER (object), result, &error) &&
      !g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    adw_action_row_set_subtitle (row, _("No application on this computer opens this kind of file."));
}

static void
named_copy_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AdwActionRow) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(GFile) file = NULL;
  g_autoptr(GtkFileLauncher) launcher = NULL;

  adw_action_row_set_subtitle (row, g_object_get_data (G_OBJECT (row), "described"));
  if (path == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_action_row_set_subtitle (row, wg_attachment_describe_error (error));
      return;
    }
  file = g_file_new_for_path (path);
  launcher = gtk_file_launcher_new (file);
  gtk_file_launcher_launch (launcher, GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (row))), NULL,
                            file_launched_cb, g_object_ref (row));
}

static void
file_fetched_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(AdwActionRow) row = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = wg_attachment_fetch_finish (result, &error);
  WgAttachment *file = g_object_get_data (G_OBJECT (row), "attachment");
  g_autoptr(GTask) task = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (path == NULL)
    {
      adw_action_row_set_subtitle (row, wg_attachment_describe_error (error));
      return;
    }
  task = g_task_new (NULL, NULL, named_copy_cb, g_steal_pointer (&row));
  g_task_set_source_tag (task, file_fetched_cb);
  g_task_set_task_data (task, g_steal_pointer (&path), g_free);
  g_object_set_data_full (G_OBJECT (task), "name", g_strdup (file->name), g_free);
  g_task_run_in_thread (task, named_copy_thread);
}

static void
file_activated_cb (AdwActionRow *row,
                   WgCasePhotos *self)
{
  WgAttachment *file = g_object_get_data (G_OBJECT (row), "attachment");

  adw_action_row_set_subtitle (row, _("Downloading…"));
  wg_attachment_fetch_async (file, get_api (self), self->cancellable, file_fetched_cb, g_object_ref (row));
}

static GtkWidget *
new_file_row (WgCasePhotos *self,
              WgAttachment *file)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *type = g_content_type_from_mime_type (file->content_type);
  g_autofree char *kind = type != NULL ? g_content_type_get_description (type) : NULL;
  g_autofree char *size = file->size > 0 ? g_format_size (file->size) : NULL;
  g_autofree char *described = NULL;

  /* Translators: an attachment's kind and size, e.g. "PDF document · 1.2 MB" */
  described = size != NULL ? g_strdup_printf (C_("attachment", "%s · %s"), kind != NULL ? kind : file->content_type, size)
                           : g_strdup (kind != NULL ? kind : file->content_type);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), file->name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), described);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("document-open-symbolic"));
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _("Open with the default application"));
  g_object_set_data_full (G_OBJECT (row), "attachment", wg_attachment_copy (file), (GDestroyNotify) wg_attachment_free);
  g_object_set_data_full (G_OBJECT (row), "described", g_steal_pointer (&described), g_free);
  g_signal_connect_object (row, "activated", G_CALLBACK (file_activated_cb), self, 0);
  return row;
}

/* --- GtkWidget ------------------------------------------------------------------------------- */

/* Loading starts when the detail shows the case and stops when it shows another. */
static void
wg_case_photos_root (GtkWidget *widget)
{
  WgCasePhotos *self = WG_CASE_PHOTOS (widget);

  GTK_WIDGET_CLASS (wg_case_photos_parent_class)->root (widget);

  for (guint i = 0; self->tiles != NULL && i < self->tiles->len; i++)
    if (g_array_index (self->tiles, Tile, i).state == TILE_IDLE)
      load_tile (self, i);
}

static void
wg_case_photos_unroot (GtkWidget *widget)
{
  WgCasePhotos *self = WG_CASE_PHOTOS (widget);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  for (guint i = 0; self->tiles != NULL && i < self->tiles->len; i++)
    if (g_array_index (self->tiles, Tile, i).state == TILE_LOADING)
      g_array_index (self->tiles, Tile, i).state = TILE_IDLE;

  GTK_WIDGET_CLASS (wg_case_photos_parent_class)->unroot (widget);
}

/* --- GObject --------------------------------------------------------------------------------- */

static void
wg_case_photos_dispose (GObject *object)
{
  WgCasePhotos *self = WG_CASE_PHOTOS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_pointer (&self->photos, g_ptr_array_unref);
  g_clear_pointer (&self->files, g_ptr_array_unref);
  g_clear_pointer (&self->tiles, g_array_unref);

  G_OBJECT_CLASS (wg_case_photos_parent_class)->dispose (object);
}

static void
wg_case_photos_class_init (WgCasePhotosClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = wg_case_photos_dispose;
  GTK_WIDGET_CLASS (klass)->root = wg_case_photos_root;
  GTK_WIDGET_CLASS (klass)->unroot = wg_case_photos_unroot;
}

static void
wg_case_photos_init (WgCasePhotos *self)
{
  self->cancellable = g_cancellable_new ();
  self->tiles = g_array_new (FALSE, TRUE, sizeof (Tile));

  self->group = adw_preferences_group_new ();
  gtk_widget_set_name (self->group, "case-photos");

  self->grid = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->grid), "photo-grid");
  gtk_flow_box_set_selection_mode (self->grid, GTK_SELECTION_NONE);
  gtk_flow_box_set_activate_on_single_click (self->grid, TRUE);
  gtk_flow_box_set_homogeneous (self->grid, TRUE);
  gtk_flow_box_set_column_spacing (self->grid, 6);
  gtk_flow_box_set_row_spacing (self->grid, 6);
  gtk_flow_box_set_max_children_per_line (self->grid, 12);
  gtk_widget_set_halign (GTK_WIDGET (self->grid), GTK_ALIGN_START);
  g_signal_connect_object (self->grid, "child-activated", G_CALLBACK (tile_activated_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), GTK_WIDGET (self->grid));

  self->caption = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->caption), "photo-caption");
  gtk_label_set_wrap (self->caption, TRUE);
  gtk_label_set_xalign (self->caption, 0);
  gtk_widget_add_css_class (GTK_WIDGET (self->caption), "dim-label");
  gtk_widget_add_css_class (GTK_WIDGET (self->caption), "caption");
  gtk_widget_set_margin_top (GTK_WIDGET (self->caption), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->caption), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), GTK_WIDGET (self->caption));

  self->files_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->files_list), "case-files");
  gtk_list_box_set_selection_mode (self->files_list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->files_list), "boxed-list");
  gtk_widget_set_margin_top (GTK_WIDGET (self->files_list), 6);
  gtk_widget_set_visible (GTK_WIDGET (self->files_list), FALSE);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->group), GTK_WIDGET (self->files_list));

  adw_bin_set_child (ADW_BIN (self), self->group);
}

/* The attachments of the case @record; hidden when it has none. */
GtkWidget *
wg_case_photos_new (WgSession *session,
                    WgRecord  *record)
{
  WgCasePhotos *self;
  g_autoptr(GPtrArray) all = NULL;

  g_return_val_if_fail (session == NULL || WG_IS_SESSION (session), NULL);
  g_return_val_if_fail (WG_IS_RECORD (record), NULL);

  self = g_object_new (WG_TYPE_CASE_PHOTOS, NULL);
  self->session = session != NULL ? g_object_ref (session) : NULL;
  self->photos = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_attachment_free);
  self->files = g_ptr_array_new_with_free_func ((GDestroyNotify) wg_attachment_free);

  all = wg_attachments_from_case (wg_record_get_json (record));
  for (guint i = 0; i < all->len; i++)
    g_ptr_array_add (wg_attachment_is_image (all->pdata[i]) ? self->photos : self->files,
                     wg_attachment_copy (all->pdata[i]));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->group),
                                   self->files->len == 0 ? _("Photos") :
                                   self->photos->len == 0 ? _("Files") : _("Photos and Files"));
  g_array_set_size (self->tiles, self->photos->len);
  for (guint i = 0; i < self->photos->len; i++)
    gtk_flow_box_append (self->grid, new_tile (self, self->photos->pdata[i], &g_array_index (self->tiles, Tile, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->grid), self->photos->len > 0);
  for (guint i = 0; i < self->files->len; i++)
    gtk_list_box_append (self->files_list, new_file_row (self, self->files->pdata[i]));
  gtk_widget_set_visible (GTK_WIDGET (self->files_list), self->files->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self), all->len > 0);

  if (self->session != NULL && self->photos->len > 0)
    g_signal_connect_object (wg_session_get_sync_status (self->session), "notify::state",
                             G_CALLBACK (sync_state_cb), self, 0);

  return GTK_WIDGET (self);
}

/* How many thumbnails are drawn (not loading, not missing). */
guint
wg_case_photos_get_n_shown (WgCasePhotos *self)
{
  guint shown = 0;

  g_return_val_if_fail (WG_IS_CASE_PHOTOS (self), 0);

  for (guint i = 0; i < self->tiles->len; i++)
    shown += g_array_index (self->tiles, Tile, i).state == TILE_SHOWN;
  return shown;
}
