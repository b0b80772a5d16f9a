/* wg-demo.h — the demo township: Majie town (马街镇) at its real scale, generated from a seed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

#include "wg-db.h"

G_BEGIN_DECLS

#define WG_DEMO_ERROR (wg_demo_error_quark ())

typedef enum
{
  WG_DEMO_ERROR_FAILED,
  WG_DEMO_ERROR_INVALID,      /* an option is out of range */
} WgDemoError;

/* The township's figures (seed 000 of the project: "903 grids, 180 grid party branches, …").
 * The tests count them through the API, so they are exported rather than repeated. */
#define WG_DEMO_N_VILLAGES            12
#define WG_DEMO_N_COMMUNITIES          2   /* of the 12, the town seat's two communities */
#define WG_DEMO_N_GROUPS              98
#define WG_DEMO_N_GRIDS              903
#define WG_DEMO_N_HOUSEHOLDS       17125
#define WG_DEMO_N_GRID_WORKERS       903
#define WG_DEMO_N_PARTY_WORKERS      145
#define WG_DEMO_N_PARTY_BRANCHES     180
#define WG_DEMO_N_SECTION_CADRES      12
#define WG_DEMO_N_GROUP_CADRES        81
#define WG_DEMO_N_DIFFICULTY          80
#define WG_DEMO_N_CENTRAL             35
#define WG_DEMO_N_SERVICE_TEAMS        5
#define WG_DEMO_N_DEPARTMENTS         10
#define WG_DEMO_N_TEAM_MEMBERS         3   /* people (and accounts) per team or department */
#define WG_DEMO_N_CASES              584
#define WG_DEMO_N_HANDLED            511   /* resolved, verified or closed */
#define WG_DEMO_HISTORY_DAYS          28

#define WG_DEMO_TOWNSHIP_CODE "530324102"   /* 罗平县 530324, 马街镇 102 */

/* The demo's sign-in names and passwords; docs/demo.md documents the same. Every grid
 * worker has an account gw001…gw903 and every team member team01-1…team15-3; those share
 * one password per role. */
#define WG_DEMO_PASSWORD_ADMIN      "majie-admin-demo"
#define WG_DEMO_PASSWORD_DISPATCHER "majie-dispatch-demo"
#define WG_DEMO_PASSWORD_LEADER     "majie-leader-demo"
#define WG_DEMO_PASSWORD_VILLAGE    "majie-village-demo"
#define WG_DEMO_PASSWORD_FIELD      "majie-field-demo"
#define WG_DEMO_PASSWORD_TEAM       "majie-team-demo"

typedef struct
{
  const char *username;
  const char *password;
  const char *role;
  const char *description;   /* Chinese, data */
} WgDemoAccount;

typedef struct
{
  guint64    seed;
  guint      n_cases;      /* the history's size; WG_DEMO_N_CASES by default */
  GDateTime *now;          /* reference time: every timestamp derives from it */
} WgDemoOptions;

typedef struct
{
  guint   n_records;
  guint   n_cases;
  guint   n_handled;
  guint   n_overdue;       /* open cases past their deadline at `now` */
  guint   n_accounts;
  double  area_km2;        /* the township's area, the sum of its grids */
} WgDemoSummary;

GQuark               wg_demo_error_quark   (void);
const WgDemoAccount *wg_demo_get_accounts  (guint               *n_accounts);
guint                wg_demo_handled_for   (guint                n_cases);
gboolean             wg_demo_generate      (WgDb                *db,
                                            const WgDemoOptions *options,
                                            WgDemoSummary       *out_summary,
                                            GError             **error);

G_END_DECLS
