/* wg-window-private.h — the main window's insides, shared by its files
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "wg-dispatch-page.h"
#include "wg-login-page.h"
#include "wg-map-page.h"
#include "wg-session.h"
#include "wg-window.h"

G_BEGIN_DECLS

struct _WgWindow
{
  AdwApplicationWindow  parent_instance;

  /* Template widgets */
  AdwNavigationSplitView *split_view;
  AdwNavigationPage      *content_page;
  GtkListBox             *sidebar_list;
  GtkStack               *stack;
  GtkMenuButton          *sync_button;
  GtkImage               *sync_icon;
  GtkLabel               *sync_label;
  GtkLabel               *sync_popover_title;

  /* Template widgets: the session's pages and the sync indicator */
  GtkStack               *pages;
  WgLoginPage            *login_page;
  AdwStatusPage          *first_sync_page;
  GtkProgressBar         *first_sync_progress;
  GtkLabel               *first_sync_detail;
  GtkLabel               *first_sync_error;
  AdwBanner              *offline_banner;
  GtkPopover             *sync_popover;
  GtkLabel               *sync_popover_detail;
  GtkLabel               *sync_popover_error;
  GtkListBox             *outbox_list;
  WgMapPage              *map_page;
  WgDispatchPage         *dispatch_page;
  AdwToastOverlay        *toast_overlay;

  /* Owned */
  GSettings              *settings;
  char                   *section;
  WgSession              *session;
  GCancellable           *cancellable;
  gboolean                first_sync;
};

void _wg_window_session_class_init (GtkWidgetClass *widget_class);
void _wg_window_session_init       (WgWindow       *self,
                                    WgSession      *session);
void _wg_window_session_dispose    (WgWindow       *self);

G_END_DECLS
