/* wg-grid-people.h — who answers for a grid: its leader, instructor, workers and covering cadres
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "wg-store.h"

G_BEGIN_DECLS

typedef enum
{
  WG_GRID_ROLE_LEADER,          /* 网格长 */
  WG_GRID_ROLE_INSTRUCTOR,      /* 网格指导员 */
  WG_GRID_ROLE_WORKER,          /* 网格员 */
  WG_GRID_ROLE_COVERING_CADRE,  /* 三包干部: covers the grid, one of its groups, or its village */
} WgGridRole;

typedef struct
{
  WgGridRole  role;
  char       *person_id;
  char       *name;
  char       *phone;            /* as the server sent it (masked for some accounts), or NULL */
  char       *covers;           /* for a covering cadre: "grid", "group" or "village" */
} WgGridContact;

void        wg_grid_contact_free        (WgGridContact *contact);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgGridContact, wg_grid_contact_free)

const char *wg_grid_role_label          (WgGridRole     role);

typedef struct _WgGridPeople WgGridPeople;

WgGridPeople *wg_grid_people_new        (GPtrArray     *people,
                                         GPtrArray     *assignments);
void        wg_grid_people_free         (WgGridPeople  *self);
GPtrArray  *wg_grid_people_list         (WgGridPeople  *self,
                                         JsonObject    *grid);
guint       wg_grid_people_count_cadres (WgGridPeople  *self,
                                         JsonObject    *grid);

GPtrArray  *wg_grid_people_load         (WgStore       *store,
                                         const char    *grid_id,
                                         GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WgGridPeople, wg_grid_people_free)

G_END_DECLS
