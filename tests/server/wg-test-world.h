/* wg-test-world.h — a small township the server tests share: two villages, grids, a team
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "wg-test-server.h"

G_BEGIN_DECLS

typedef struct
{
  char *township;
  char *village_a;
  char *village_b;
  char *group_a;
  char *grid_a;          /* square 104.30–104.31 E, 24.90–24.91 N in village A */
  char *grid_b;          /* square 104.40–104.41 E, 24.90–24.91 N in village B */
  char *person;
  char *team;
  char *category;        /* deadline 2 working hours */
  char *household_b;     /* in grid B, with a phone */
} WgTestWorld;

WgTestWorld *wg_test_world_create (WgTestServer *ts);
void         wg_test_world_free   (WgTestWorld  *world);

G_END_DECLS
