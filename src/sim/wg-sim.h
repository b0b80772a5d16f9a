/* wg-sim.h — the field simulator: grid workers and service teams playing over the public API
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WG_SIM_ERROR (wg_sim_error_quark ())

typedef enum
{
  WG_SIM_ERROR_FAILED,
  WG_SIM_ERROR_REMOTE,        /* a non-loopback server without --allow-remote */
  WG_SIM_ERROR_SIGN_IN,       /* an account could not sign in */
  WG_SIM_ERROR_SERVER,        /* the server answered an unexpected error */
} WgSimError;

typedef struct
{
  char    *url;              /* http://127.0.0.1:8443 */
  gboolean allow_remote;
  guint64  seed;
  guint    count;            /* reports to make; 0 for no limit */
  double   duration;         /* real seconds; 0 for no limit */
  double   rate;             /* reports per simulated hour */
  double   speed;            /* simulated seconds per real second */
  guint    n_workers;        /* grid workers to play */
  gboolean center;           /* also play the command center (dispatch, close, supervise) */
  double   return_share;     /* 退单 */
  double   overdue_share;    /* left to run past the deadline */
  double   self_share;       /* 自行处置 */
  double   reopen_share;     /* 返工 on verification */
  double   photo_share;      /* reports that come with an on-site photo */
  double   verify_share;     /* resolved cases the grid worker checks on site; the rest wait for the center */
  char    *field_password;
  char    *team_password;
  char    *dispatcher;
  char    *dispatcher_password;
} WgSimOptions;

#define WG_TYPE_SIM (wg_sim_get_type ())
G_DECLARE_FINAL_TYPE (WgSim, wg_sim, WG, SIM, GObject)

GQuark    wg_sim_error_quark    (void);
void      wg_sim_options_init   (WgSimOptions        *options);
void      wg_sim_options_clear  (WgSimOptions        *options);
WgSim    *wg_sim_new            (const WgSimOptions  *options);
gboolean  wg_sim_run            (WgSim               *self,
                                 GCancellable        *cancellable,
                                 GError             **error);
char     *wg_sim_get_summary    (WgSim               *self);
guint     wg_sim_get_n_failures (WgSim               *self);

G_END_DECLS
