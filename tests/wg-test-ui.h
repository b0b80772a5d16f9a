/* wg-test-ui.h — waiting, real X input and screenshots for the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef gboolean (*WgTestCondition) (gpointer data);

gboolean wg_test_wait_for      (WgTestCondition  condition,
                                gpointer         data,
                                guint            timeout_ms);
void     wg_test_settle        (guint            ms);
gpointer wg_test_selected_item (GtkColumnView   *view);
const char *wg_test_text_of    (GtkWidget       *widget);
GtkWidget *wg_test_find_text   (GtkWidget       *root);
GtkWidget *wg_test_find_widget (GtkWidget       *root,
                                GType            type,
                                const char      *name);
void     wg_test_select_row    (GtkColumnView   *view,
                                guint            position);
void     wg_test_focus_window  (GtkWidget       *widget);
void     wg_test_unfocus_windows (void);
void     wg_test_press_keys    (const guint     *keysyms,
                                guint            n_keys);
void     wg_test_click_at      (GtkWidget       *widget,
                                double           x,
                                double           y);
void     wg_test_click_widget  (GtkWidget       *widget);
void     wg_test_drag          (GtkWidget       *widget,
                                double           x0,
                                double           y0,
                                double           x1,
                                double           y1);
void     wg_test_screenshot    (GtkWidget       *widget,
                                const char      *name,
                                const char      *lang);
void     wg_test_notifications_watch (void);
GPtrArray *wg_test_notifications (void);

#define WG_TEST_PRESS(...) G_STMT_START { \
    const guint keys_[] = { __VA_ARGS__ }; \
    wg_test_press_keys (keys_, G_N_ELEMENTS (keys_)); \
  } G_STMT_END

G_END_DECLS
