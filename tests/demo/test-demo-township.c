/* test-demo-township.c — the demo township has Majie's figures, a clean map and legal cases
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is counted through the HTTP API of a real server serving the generated data,
 * as a client would see it; the record-level checks read the store through wg-db.
 */
#undef G_DISABLE_ASSERT

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "demo-harness.h"
#include "wg-case-machine.h"
#include "wg-db.h"
#include "wg-demo.h"
#include "wg-geometry.h"
#include "wg-json.h"
#include "wg-schema.h"
#include "wg-working-time.h"

static char *data_dir;
static DemoServer *server;
static char *admin;

static GHashTable *
index_by_id (GPtrArray *items)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    g_hash_table_insert (index, (gpointer) json_object_get_string_member (g_ptr_array_index (items, i), "id"),
                         g_ptr_array_index (items, i));
  return index;
}

static gboolean
has_string (JsonObject *obj,
            const char *member,
            const char *value)
{
  JsonArray *array;

  if (!json_object_has_member (obj, member))
    return FALSE;
  array = json_object_get_array_member (obj, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_array_get_string_element (array, i), value) == 0)
      return TRUE;
  return FALSE;
}

static void
test_figures (void)
{
  g_autoptr(GPtrArray) units = demo_list_all (server, admin, "/api/v1/org-units");
  g_autoptr(GPtrArray) grids = demo_list_all (server, admin, "/api/v1/grids");
  g_autoptr(GPtrArray) households = demo_list_all (server, admin, "/api/v1/households");
  g_autoptr(GPtrArray) people = demo_list_all (server, admin, "/api/v1/people");
  g_autoptr(GPtrArray) assignments = demo_list_all (server, admin, "/api/v1/assignments");
  g_autoptr(GPtrArray) teams = demo_list_all (server, admin, "/api/v1/teams");
  g_autoptr(GPtrArray) categories = demo_list_all (server, admin, "/api/v1/categories");
  g_autoptr(GPtrArray) accounts = demo_list_all (server, admin, "/api/v1/accounts");
  g_autoptr(GHashTable) unit_by_id = index_by_id (units);
  g_autoptr(GHashTable) grid_by_id = index_by_id (grids);
  g_autoptr(GHashTable) person_by_id = index_by_id (people);
  g_autoptr(GHashTable) covered = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) village_cadres = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) covered_villages = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) group_cadres = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) covered_groups = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) covering = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) work_lines = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) codes = g_hash_table_new (g_str_hash, g_str_equal);
  guint villages = 0, communities = 0, groups = 0, branches = 0, generals = 0, townships = 0;
  guint workers = 0, party_workers = 0, difficulty = 0, central = 0, service = 0, departments = 0;
  guint field = 0, team = 0, scoped = 0, n_admin = 0, n_dispatch = 0, n_leader = 0;
  gint64 household_sum = 0;

  for (guint i = 0; i < units->len; i++)
    {
      JsonObject *u = g_ptr_array_index (units, i);
      const char *kind = json_object_get_string_member (u, "kind");

      villages += g_str_equal (kind, "village");
      communities += g_str_equal (kind, "community");
      groups += g_str_equal (kind, "group");
      branches += g_str_equal (kind, "party_branch");
      generals += g_str_equal (kind, "party_general_branch");
      townships += g_str_equal (kind, "township");
    }
  g_assert_cmpuint (townships, ==, 1);
  g_assert_cmpuint (villages + communities, ==, WG_DEMO_N_VILLAGES);
  g_assert_cmpuint (communities, ==, WG_DEMO_N_COMMUNITIES);
  g_assert_cmpuint (groups, ==, WG_DEMO_N_GROUPS);
  g_assert_cmpuint (branches, ==, WG_DEMO_N_PARTY_BRANCHES);
  g_assert_cmpuint (generals, ==, WG_DEMO_N_VILLAGES);

  /* grids: 903, 15-digit codes of the township, nested in their village, group and branch */
  g_assert_cmpuint (grids->len, ==, WG_DEMO_N_GRIDS);
  for (guint i = 0; i < grids->len; i++)
    {
      JsonObject *g = g_ptr_array_index (grids, i);
      const char *code = json_object_get_string_member (g, "code");
      const char *village = json_object_get_string_member (g, "village_id");
      JsonObject *v = g_hash_table_lookup (unit_by_id, village);
      JsonObject *group = g_hash_table_lookup (unit_by_id, json_array_get_string_element (json_object_get_array_member (g, "group_ids"), 0));
      JsonObject *branch = g_hash_table_lookup (unit_by_id, json_object_get_string_member (g, "party_branch_id"));
      JsonArray *worker_ids = json_object_get_array_member (g, "grid_worker_ids");

      g_assert_cmpuint (strlen (code), ==, 15);
      g_assert_true (g_str_has_prefix (code, WG_DEMO_TOWNSHIP_CODE));
      g_assert_true (g_hash_table_add (codes, (gpointer) code));
      g_assert_nonnull (v);
      g_assert_true (g_str_has_prefix (code, json_object_get_string_member (v, "code")));
      g_assert_nonnull (group);
      g_assert_cmpstr (json_object_get_string_member (group, "parent_id"), ==, village);
      g_assert_nonnull (branch);
      g_assert_cmpstr (json_object_get_string_member (branch, "admin_unit_id"), ==, village);
      g_assert_cmpuint (json_array_get_length (worker_ids), ==, 1);
      g_assert_nonnull (g_hash_table_lookup (person_by_id, json_array_get_string_element (worker_ids, 0)));
      household_sum += json_object_get_int_member (g, "household_count");
    }
  g_assert_cmpint (household_sum, ==, WG_DEMO_N_HOUSEHOLDS);

  /* people: 903 grid workers, 145 of them party members */
  for (guint i = 0; i < people->len; i++)
    {
      JsonObject *p = g_ptr_array_index (people, i);

      if (has_string (p, "kinds", "grid_worker"))
        {
          workers++;
          party_workers += has_string (p, "kinds", "party_member");
        }
    }
  g_assert_cmpuint (workers, ==, WG_DEMO_N_GRID_WORKERS);
  g_assert_cmpuint (party_workers, ==, WG_DEMO_N_PARTY_WORKERS);

  /* 17,125 households, each covered by its grid's worker; 80 in difficulty and 35
   * central households, all linked to party members */
  g_assert_cmpuint (households->len, ==, WG_DEMO_N_HOUSEHOLDS);
  for (guint i = 0; i < households->len; i++)
    {
      JsonObject *h = g_ptr_array_index (households, i);
      JsonObject *g = g_hash_table_lookup (grid_by_id, json_object_get_string_member (h, "grid_id"));
      const char *person = json_object_get_string_member (h, "covering_person_id");
      gboolean tagged = has_string (h, "tags", "in_difficulty") || has_string (h, "tags", "party_central");

      g_assert_nonnull (g);
      g_assert_true (has_string (g, "grid_worker_ids", person));
      difficulty += has_string (h, "tags", "in_difficulty");
      central += has_string (h, "tags", "party_central");
      if (tagged)
        g_assert_true (has_string (g_hash_table_lookup (person_by_id, person), "kinds", "party_member"));
    }
  g_assert_cmpuint (difficulty, ==, WG_DEMO_N_DIFFICULTY);
  g_assert_cmpuint (central, ==, WG_DEMO_N_CENTRAL);

  /* 三包: 12 cadres ↔ 12 villages, 81 cadres ↔ 98 groups, 903 workers ↔ 17,125 households */
  for (guint i = 0; i < assignments->len; i++)
    {
      JsonObject *a = g_ptr_array_index (assignments, i);
      const char *kind = json_object_get_string_member (a, "kind");
      const char *person = json_object_get_string_member (a, "person_id");

      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (a, "duties")), ==, 3);
      if (g_str_equal (kind, "village"))
        {
          g_hash_table_add (village_cadres, (gpointer) person);
          g_assert_true (g_hash_table_add (covered_villages, (gpointer) json_object_get_string_member (a, "target_id")));
        }
      else if (g_str_equal (kind, "group"))
        {
          g_hash_table_add (group_cadres, (gpointer) person);
          g_assert_true (g_hash_table_add (covered_groups, (gpointer) json_object_get_string_member (a, "target_id")));
        }
      else if (g_str_equal (kind, "households"))
        {
          JsonArray *ids = json_object_get_array_member (a, "household_ids");

          g_hash_table_add (covering, (gpointer) person);
          for (guint k = 0; k < json_array_get_length (ids); k++)
            g_assert_true (g_hash_table_add (covered, (gpointer) json_array_get_string_element (ids, k)));
        }
    }
  g_assert_cmpuint (g_hash_table_size (village_cadres), ==, WG_DEMO_N_SECTION_CADRES);
  g_assert_cmpuint (g_hash_table_size (covered_villages), ==, WG_DEMO_N_VILLAGES);
  g_assert_cmpuint (g_hash_table_size (group_cadres), ==, WG_DEMO_N_GROUP_CADRES);
  g_assert_cmpuint (g_hash_table_size (covered_groups), ==, WG_DEMO_N_GROUPS);
  g_assert_cmpuint (g_hash_table_size (covering), ==, WG_DEMO_N_GRID_WORKERS);
  g_assert_cmpuint (g_hash_table_size (covered), ==, WG_DEMO_N_HOUSEHOLDS);

  /* the five service teams and the ten departments of "one network" */
  for (guint i = 0; i < teams->len; i++)
    {
      JsonObject *t = g_ptr_array_index (teams, i);

      if (g_str_equal (json_object_get_string_member (t, "kind"), "service_team"))
        service++;
      else
        {
          departments++;
          g_hash_table_add (work_lines, (gpointer) json_object_get_string_member (t, "work_line"));
        }
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (t, "member_ids")), ==, WG_DEMO_N_TEAM_MEMBERS);
    }
  g_assert_cmpuint (service, ==, WG_DEMO_N_SERVICE_TEAMS);
  g_assert_cmpuint (departments, ==, WG_DEMO_N_DEPARTMENTS);
  g_assert_cmpuint (g_hash_table_size (work_lines), ==, WG_DEMO_N_DEPARTMENTS);

  /* categories with the deadlines of DOMAIN.md: urgent 2 h, utilities 24 h, 7 and 15 days */
  {
    gboolean two_hours = FALSE, one_day = FALSE, week = FALSE, fortnight = FALSE;

    for (guint i = 0; i < categories->len; i++)
      {
        JsonObject *c = g_ptr_array_index (categories, i);
        gint64 value = json_object_get_int_member (c, "deadline_value");
        const char *unit = json_object_get_string_member (c, "deadline_unit");

        two_hours |= value == 2 && g_str_equal (unit, "hours") && g_str_equal (json_object_get_string_member (c, "default_urgency"), "urgent");
        one_day |= value == 24 && g_str_equal (unit, "hours");
        week |= value == 7 && g_str_equal (unit, "days");
        fortnight |= value == 15 && g_str_equal (unit, "days");
        g_assert_true (json_object_has_member (c, "default_target"));
      }
    g_assert_true (two_hours && one_day && week && fortnight);
  }

  /* one account per role, a village-scoped one, and every worker and team member */
  for (guint i = 0; i < accounts->len; i++)
    {
      JsonObject *a = g_ptr_array_index (accounts, i);
      const char *role = json_object_get_string_member (a, "role");

      n_admin += g_str_equal (role, "admin");
      n_dispatch += g_str_equal (role, "dispatcher");
      n_leader += g_str_equal (role, "leader");
      field += g_str_equal (role, "field_worker");
      team += g_str_equal (role, "team_member");
      scoped += json_object_has_member (a, "scope_village_id") && g_str_equal (role, "dispatcher");
    }
  g_assert_cmpuint (n_admin, ==, 1);
  g_assert_cmpuint (n_dispatch, >=, 1);
  g_assert_cmpuint (n_leader, ==, 1);
  g_assert_cmpuint (scoped, ==, 1);
  g_assert_cmpuint (field, ==, WG_DEMO_N_GRID_WORKERS);
  g_assert_cmpuint (team, ==, (WG_DEMO_N_SERVICE_TEAMS + WG_DEMO_N_DEPARTMENTS) * WG_DEMO_N_TEAM_MEMBERS);
}

/* The documented passwords sign in, and the village account sees its village only. */
static void
test_accounts (void)
{
  const char *users[][2] = {
    { "dispatcher", WG_DEMO_PASSWORD_DISPATCHER }, { "leader", WG_DEMO_PASSWORD_LEADER },
    { "gw001", WG_DEMO_PASSWORD_FIELD }, { "gw903", WG_DEMO_PASSWORD_FIELD },
    { "team15-3", WG_DEMO_PASSWORD_TEAM },
  };
  g_autofree char *village = demo_login (server, "songmao", WG_DEMO_PASSWORD_VILLAGE);
  g_autoptr(GPtrArray) all = demo_list_all (server, admin, "/api/v1/cases");
  g_autoptr(GPtrArray) seen = demo_list_all (server, village, "/api/v1/cases");
  g_autoptr(JsonNode) me = demo_call (server, village, "GET", "/api/v1/session", NULL, NULL);
  const char *scope = json_object_get_string_member (json_object_get_object_member (json_node_get_object (me), "account"),
                                                     "scope_village_id");

  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    g_free (demo_login (server, users[i][0], users[i][1]));
  g_assert_cmpuint (seen->len, >, 0);
  g_assert_cmpuint (seen->len, <, all->len);
  for (guint i = 0; i < seen->len; i++)
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (seen, i), "village_id"), ==, scope);
}

/* --- the map ----------------------------------------------------------------------------- */

typedef struct
{
  double  *xy;       /* km, closed ring */
  guint    n;        /* points, the closing one included */
  WgBBox   box;
  double   area;
  guint    village;
} Poly;

#define KX (111.32 * cos (24.9 * G_PI / 180))
#define KY 110.57

static double
shoelace (const double *xy,
          guint         n)
{
  double s = 0;

  for (guint i = 0; i + 1 < n; i++)
    s += xy[2 * i] * xy[2 * i + 3] - xy[2 * i + 2] * xy[2 * i + 1];
  return s / 2;
}

static double
orient (const double *a,
        const double *b,
        const double *c)
{
  return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
}

/* Do segments ab and cd cross at a point inside both (not merely touch or share a part)? */
static gboolean
proper_crossing (const double *a,
                 const double *b,
                 const double *c,
                 const double *d)
{
  double o1 = orient (a, b, c), o2 = orient (a, b, d), o3 = orient (c, d, a), o4 = orient (c, d, b);
  double eps = 1e-12;

  return ((o1 > eps && o2 < -eps) || (o1 < -eps && o2 > eps)) &&
         ((o3 > eps && o4 < -eps) || (o3 < -eps && o4 > eps));
}

static gint64
point_key (double lon,
           double lat)
{
  return (gint64) llround (lon * 1e7) * 4000000000LL + llround (lat * 1e7);
}

static guint
uf_find (guint *parent,
         guint  i)
{
  while (parent[i] != i)
    i = parent[i] = parent[parent[i]];
  return i;
}

static void
test_geometry (void)
{
  g_autoptr(GPtrArray) grids = demo_list_all (server, admin, "/api/v1/grids");
  g_autoptr(GHashTable) villages = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autofree Poly *polys = g_new0 (Poly, grids->len);
  g_autofree guint *parent = g_new (guint, grids->len);
  double sum = 0, outer_area, cx = 0, cy = 0;
  guint n_pairs = 0;

  for (guint i = 0; i < grids->len; i++)
    {
      JsonObject *g = g_ptr_array_index (grids, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(WgPolygon) poly = wg_polygon_new_from_json (json_object_get_member (g, "boundary"), &error);
      const double *ring;
      guint n;
      gpointer v;

      g_assert_no_error (error);
      g_assert_cmpuint (wg_polygon_get_n_rings (poly), ==, 1);
      ring = wg_polygon_get_ring (poly, 0, &n);
      polys[i].n = n;
      polys[i].xy = g_new (double, 2 * n);
      for (guint k = 0; k < n; k++)
        {
          polys[i].xy[2 * k] = ring[2 * k] * KX;
          polys[i].xy[2 * k + 1] = ring[2 * k + 1] * KY;
        }
      wg_polygon_get_bbox (poly, &polys[i].box);
      polys[i].area = shoelace (polys[i].xy, n);
      /* RFC 7946 outer rings turn counter-clockwise */
      g_assert_cmpfloat (polys[i].area, >, 0);
      sum += polys[i].area;
      cx += (polys[i].box.min_lon + polys[i].box.max_lon) / 2;
      cy += (polys[i].box.min_lat + polys[i].box.max_lat) / 2;
      if (!g_hash_table_lookup_extended (villages, json_object_get_string_member (g, "village_id"), NULL, &v))
        {
          v = GUINT_TO_POINTER (g_hash_table_size (villages));
          g_hash_table_insert (villages, (gpointer) json_object_get_string_member (g, "village_id"), v);
        }
      polys[i].village = GPOINTER_TO_UINT (v);
      parent[i] = i;

      /* every edge, by its two end points: shared by at most two grids */
      for (guint k = 0; k + 1 < n; k++)
        {
          gint64 a = point_key (ring[2 * k], ring[2 * k + 1]), b = point_key (ring[2 * k + 2], ring[2 * k + 3]);
          char *key = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, MIN (a, b), MAX (a, b));
          guint *owners = g_hash_table_lookup (edges, key);

          if (owners == NULL)
            {
              owners = g_new (guint, 3);
              owners[0] = 1;
              owners[1] = i;
              g_hash_table_insert (edges, key, owners);
            }
          else
            {
              g_free (key);
              g_assert_cmpuint (owners[0], ==, 1);
              owners[0] = 2;
              owners[2] = i;
            }
        }
    }
  g_assert_cmpfloat (fabs (cx / grids->len - 104.3), <, 0.05);
  g_assert_cmpfloat (fabs (cy / grids->len - 24.9), <, 0.05);
  g_assert_cmpfloat (sum, >, 250);
  g_assert_cmpfloat (sum, <, 350);

  /* the edges used once are the township's boundary: one closed ring whose area is the sum
   * of the grids' areas, so there is no gap (a hole would add a second ring) and no
   * overlap (overlapping grids would add up to more) */
  {
    g_autoptr(GHashTable) next = g_hash_table_new (g_int64_hash, g_int64_equal);
    g_autoptr(GPtrArray) keys = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GArray) ring = g_array_new (FALSE, FALSE, sizeof (double));
    GHashTableIter iter;
    const char *key;
    guint *owners;
    guint n_boundary = 0, steps = 0;
    gint64 *first = NULL, *cursor;

    g_hash_table_iter_init (&iter, edges);
    while (g_hash_table_iter_next (&iter, (gpointer *) &key, (gpointer *) &owners))
      {
        if (owners[0] == 2)
          {
            /* neighbours in one village join its pieces */
            if (polys[owners[1]].village == polys[owners[2]].village)
              parent[uf_find (parent, owners[1])] = uf_find (parent, owners[2]);
            continue;
          }
        n_boundary++;
      }
    /* walk the boundary: each boundary vertex has exactly two boundary edges */
    for (guint i = 0; i < grids->len; i++)
      for (guint k = 0; k + 1 < polys[i].n; k++)
        {
          double lon1 = polys[i].xy[2 * k] / KX, lat1 = polys[i].xy[2 * k + 1] / KY;
          double lon2 = polys[i].xy[2 * k + 2] / KX, lat2 = polys[i].xy[2 * k + 3] / KY;
          gint64 a = point_key (lon1, lat1), b = point_key (lon2, lat2);
          g_autofree char *ekey = g_strdup_printf ("%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, MIN (a, b), MAX (a, b));
          gint64 *from, *to;

          if (((guint *) g_hash_table_lookup (edges, ekey))[0] != 1)
            continue;
          /* counter-clockwise grids walk the outer boundary counter-clockwise too */
          from = g_new (gint64, 2);
          from[0] = a;
          from[1] = b;
          to = from + 1;
          g_assert_null (g_hash_table_lookup (next, from));
          g_hash_table_insert (next, from, to);
          g_ptr_array_add (keys, from);
          if (first == NULL)
            first = from;
        }
    g_assert_cmpuint (g_hash_table_size (next), ==, n_boundary);
    cursor = first;
    do
      {
        double lon = (double) (*cursor / 4000000000LL) / 1e7, lat = (double) (*cursor % 4000000000LL) / 1e7;
        double x = lon * KX, y = lat * KY;

        g_array_append_val (ring, x);
        g_array_append_val (ring, y);
        cursor = g_hash_table_lookup (next, cursor);
        g_assert_nonnull (cursor);
        steps++;
      }
    while (*cursor != *first && steps <= n_boundary);
    g_assert_cmpuint (steps, ==, n_boundary);
    {
      double x = g_array_index (ring, double, 0), y = g_array_index (ring, double, 1);

      g_array_append_val (ring, x);
      g_array_append_val (ring, y);
    }
    outer_area = shoelace ((double *) ring->data, ring->len / 2);
    g_test_message ("township %.3f km², grids sum %.3f km², %u boundary edges", outer_area, sum, n_boundary);
    g_assert_cmpfloat (fabs (outer_area - sum), <, 1e-6 * sum);
  }

  /* pairwise: no edge of one grid crosses an edge of another, and no point inside one lies
   * inside another (bounding boxes first, so only neighbours are compared) */
  for (guint i = 0; i < grids->len; i++)
    for (guint j = i + 1; j < grids->len; j++)
      {
        Poly *a = &polys[i], *b = &polys[j];
        double ax = 0, ay = 0;

        if (a->box.max_lon < b->box.min_lon || b->box.max_lon < a->box.min_lon ||
            a->box.max_lat < b->box.min_lat || b->box.max_lat < a->box.min_lat)
          continue;
        n_pairs++;
        for (guint p = 0; p + 1 < a->n; p++)
          for (guint q = 0; q + 1 < b->n; q++)
            g_assert_false (proper_crossing (&a->xy[2 * p], &a->xy[2 * p + 2], &b->xy[2 * q], &b->xy[2 * q + 2]));
        for (guint p = 0; p + 1 < a->n; p++)
          ax += a->xy[2 * p] / (a->n - 1), ay += a->xy[2 * p + 1] / (a->n - 1);
        /* points just inside a's corners and its centre are not in b */
        for (guint p = 0; p + 1 < a->n; p++)
          {
            double x = a->xy[2 * p] + 0.05 * (ax - a->xy[2 * p]);
            double y = a->xy[2 * p + 1] + 0.05 * (ay - a->xy[2 * p + 1]);

            g_assert_true (wg_ring_contains (a->xy, a->n, x, y));
            g_assert_false (wg_ring_contains (b->xy, b->n, x, y));
          }
        g_assert_false (wg_ring_contains (b->xy, b->n, ax, ay));
      }
  g_test_message ("%u neighbouring pairs compared", n_pairs);

  /* each village's grids form one piece */
  {
    g_autoptr(GHashTable) roots = g_hash_table_new (NULL, NULL);

    for (guint i = 0; i < grids->len; i++)
      g_hash_table_add (roots, GUINT_TO_POINTER (uf_find (parent, i)));
    g_assert_cmpuint (g_hash_table_size (roots), ==, WG_DEMO_N_VILLAGES);
  }

  for (guint i = 0; i < grids->len; i++)
    g_free (polys[i].xy);
}

static int
code_cmp (gconstpointer a,
          gconstpointer b)
{
  return strcmp (json_object_get_string_member (*(JsonObject * const *) a, "code"),
                 json_object_get_string_member (*(JsonObject * const *) b, "code"));
}

/* Within a village, each grid lies east of the one before it in code order, or south of it
 * (a new row): codes are numbered west to east, north to south. */
static void
test_numbering (void)
{
  g_autoptr(GPtrArray) sorted = demo_list_all (server, admin, "/api/v1/grids");

  g_ptr_array_sort (sorted, code_cmp);
  for (guint i = 1; i < sorted->len; i++)
    {
      JsonObject *a = g_ptr_array_index (sorted, i - 1), *b = g_ptr_array_index (sorted, i);
      g_autoptr(WgPolygon) pa = wg_polygon_new_from_json (json_object_get_member (a, "boundary"), NULL);
      g_autoptr(WgPolygon) pb = wg_polygon_new_from_json (json_object_get_member (b, "boundary"), NULL);
      WgBBox ba, bb;
      double ya, yb;

      if (g_strcmp0 (json_object_get_string_member (a, "village_id"), json_object_get_string_member (b, "village_id")) != 0)
        continue;
      wg_polygon_get_bbox (pa, &ba);
      wg_polygon_get_bbox (pb, &bb);
      ya = (ba.min_lat + ba.max_lat) / 2;
      yb = (bb.min_lat + bb.max_lat) / 2;
      if (fabs (ya - yb) < 0.0026)
        g_assert_cmpfloat ((bb.min_lon + bb.max_lon) / 2, >, (ba.min_lon + ba.max_lon) / 2);
      else
        g_assert_cmpfloat (yb, <, ya);
    }
}

/* --- cases ------------------------------------------------------------------------------- */

static void
test_cases (void)
{
  g_autoptr(GPtrArray) cases = demo_list_all (server, admin, "/api/v1/cases");
  g_autoptr(GPtrArray) holidays = demo_list_all (server, admin, "/api/v1/holidays");
  g_autoptr(GPtrArray) categories = demo_list_all (server, admin, "/api/v1/categories");
  g_autoptr(GHashTable) category_by_id = index_by_id (categories);
  g_autoptr(GHashTable) roles = demo_account_roles (server, admin);
  g_autoptr(WgWorkingCalendar) calendar = wg_working_calendar_new ();
  g_autoptr(GHashTable) sources = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) used_categories = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) states = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GDateTime) now = g_date_time_new_from_iso8601 (DEMO_NOW, NULL);
  g_autoptr(GDateTime) four_weeks = g_date_time_add_days (now, -WG_DEMO_HISTORY_DAYS);
  guint handled = 0, overdue = 0, reopened = 0, returned = 0, self_handled = 0, supervised = 0;
  guint merged = 0, deadlines_checked = 0;

  for (guint i = 0; i < holidays->len; i++)
    {
      JsonObject *h = g_ptr_array_index (holidays, i);

      wg_working_calendar_set_day_iso (calendar, json_object_get_string_member (h, "date"),
                                       g_str_equal (json_object_get_string_member (h, "kind"), "workday")
                                       ? WG_DAY_KIND_WORKDAY : WG_DAY_KIND_HOLIDAY);
    }

  g_assert_cmpuint (cases->len, ==, WG_DEMO_N_CASES);
  for (guint i = 0; i < cases->len; i++)
    {
      JsonObject *c = g_ptr_array_index (cases, i);
      const char *state = json_object_get_string_member (c, "state");
      g_autoptr(GDateTime) reported = wg_rfc3339_parse (json_object_get_string_member (c, "reported_at"));
      JsonArray *timeline = json_object_get_array_member (c, "timeline");
      guint dispatches = 0, extensions = 0;
      const char *dispatched_at = NULL;

      demo_assert_timeline (c, roles);
      g_assert_true (g_date_time_compare (reported, four_weeks) >= 0);
      g_assert_true (g_date_time_compare (reported, now) < 0);
      g_assert_cmpstr (json_object_get_string_member (c, "updated_at"), <, DEMO_NOW);
      handled += g_str_equal (state, "resolved") || g_str_equal (state, "verified") || g_str_equal (state, "closed");
      g_hash_table_add (sources, (gpointer) json_object_get_string_member (c, "source"));
      g_hash_table_add (used_categories, (gpointer) json_object_get_string_member (c, "category_id"));
      g_hash_table_add (states, (gpointer) state);
      self_handled += json_object_get_boolean_member (c, "self_handled");
      reopened += json_object_has_member (c, "reopen_count");
      supervised += json_object_has_member (c, "supervise_count");
      merged += json_object_has_member (c, "merged_into");
      if ((g_str_equal (state, "dispatched") || g_str_equal (state, "claimed") || g_str_equal (state, "in_progress")) &&
          strcmp (json_object_get_string_member (c, "deadline"), DEMO_NOW) < 0)
        overdue++;
      for (guint k = 0; k < json_array_get_length (timeline); k++)
        {
          JsonObject *e = json_array_get_object_element (timeline, k);
          const char *action = json_object_get_string_member (e, "action");

          returned += g_str_equal (action, "return");
          extensions += g_str_equal (action, "extend");
          if (g_str_equal (action, "dispatch"))
            {
              dispatches++;
              dispatched_at = json_object_get_string_member (e, "at");
            }
        }

      /* the deadline is the category's time in working time after the dispatch */
      if (dispatches == 1 && extensions == 0 && json_object_get_member (c, "deadline") != NULL &&
          !json_object_get_null_member (c, "deadline"))
        {
          JsonObject *cat = g_hash_table_lookup (category_by_id, json_object_get_string_member (c, "category_id"));
          gint64 minutes = json_object_get_int_member (cat, "deadline_value") *
                           (g_str_equal (json_object_get_string_member (cat, "deadline_unit"), "days") ? WG_WORKING_MINUTES_PER_DAY : 60);
          g_autoptr(GDateTime) start = wg_rfc3339_parse (dispatched_at);
          g_autoptr(GDateTime) end = NULL;
          g_autofree char *expected = NULL;

          if (g_str_equal (json_object_get_string_member (c, "urgency"), "urgent"))
            minutes = MIN (minutes, 120);
          end = wg_working_calendar_add_minutes (calendar, start, minutes);
          expected = wg_rfc3339_format (end);
          g_assert_cmpstr (json_object_get_string_member (c, "deadline"), ==, expected);
          deadlines_checked++;
        }
    }
  g_test_message ("%u handled, %u overdue, %u reopened, %u returns, %u self-handled, %u supervised, %u merged; %u deadlines recomputed",
                  handled, overdue, reopened, returned, self_handled, supervised, merged, deadlines_checked);
  g_assert_cmpuint (handled, ==, WG_DEMO_N_HANDLED);
  g_assert_cmpuint (overdue, >, 0);
  g_assert_cmpuint (reopened, >, 0);
  g_assert_cmpuint (returned, >, 0);
  g_assert_cmpuint (self_handled, >, 0);
  g_assert_cmpuint (supervised, >, 0);
  g_assert_cmpuint (merged, >, 0);
  g_assert_cmpuint (deadlines_checked, >, 300);
  g_assert_cmpuint (g_hash_table_size (sources), ==, 4);
  g_assert_cmpuint (g_hash_table_size (used_categories), >=, 15);
  g_assert_cmpuint (g_hash_table_size (states), >=, 10);
}

/* The 2025 and 2026 holiday records agree with the calendar built into the server. */
static void
test_holidays (void)
{
  g_autoptr(GPtrArray) holidays = demo_list_all (server, admin, "/api/v1/holidays");
  g_autoptr(WgWorkingCalendar) builtin = wg_working_calendar_new ();
  gboolean years[3] = { FALSE, };

  for (guint i = 0; i < holidays->len; i++)
    {
      JsonObject *h = g_ptr_array_index (holidays, i);
      const char *date = json_object_get_string_member (h, "date");
      gboolean workday = g_str_equal (json_object_get_string_member (h, "kind"), "workday");
      int y, m, d;

      g_assert_cmpint (sscanf (date, "%d-%d-%d", &y, &m, &d), ==, 3);
      g_assert_true (y >= 2025 && y <= 2027);
      years[y - 2025] = TRUE;
      if (y <= 2026)
        g_assert_cmpint (wg_working_calendar_is_working_day (builtin, y, m, d), ==, workday);
    }
  g_assert_true (years[0] && years[1] && years[2]);
}

/* Every stored record passes the server's own validation of its kind. */
static gboolean
ref_cb (const char *kind,
        const char *id,
        gpointer    user_data)
{
  g_autoptr(WgRecord) r = wg_db_get_record (user_data, id, NULL);

  return r != NULL && !r->deleted && g_str_equal (r->kind, kind);
}

static void
test_records_valid (void)
{
  g_autofree char *path = g_build_filename (data_dir, "wangge.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(WgDb) db = wg_db_open (path, FALSE, &error);
  const WgKind *kinds;
  guint n_kinds;

  g_assert_no_error (error);
  kinds = wg_schema_get_kinds (&n_kinds);
  for (guint k = 0; k < n_kinds; k++)
    {
      g_autofree char *after = NULL;
      guint n = 0;

      for (;;)
        {
          g_autoptr(GPtrArray) page = wg_db_list_records (db, kinds[k].name, NULL, TRUE, NULL, NULL, after, 2000, &error);

          g_assert_no_error (error);
          for (guint i = 0; i < page->len; i++)
            {
              WgRecord *r = g_ptr_array_index (page, i);
              g_autoptr(JsonNode) node = wg_json_parse (r->body, -1, &error);
              JsonObject *obj;

              g_assert_no_error (error);
              obj = json_node_get_object (node);
              g_assert_cmpstr (json_object_get_string_member (obj, "id"), ==, r->id);
              json_object_remove_member (obj, "id");
              json_object_remove_member (obj, "version");
              json_object_remove_member (obj, "created_at");
              json_object_remove_member (obj, "updated_at");
              if (g_str_equal (kinds[k].name, "accounts"))
                json_object_set_string_member (obj, "password", "not-stored");
              if (!wg_schema_validate (kinds[k].fields, obj, FALSE, NULL, ref_cb, db, &error))
                g_error ("%s %s: %s", kinds[k].name, r->id, error->message);
              n++;
            }
          if (page->len < 2000)
            break;
          g_free (after);
          after = g_strdup (((WgRecord *) g_ptr_array_index (page, page->len - 1))->id);
        }
      g_test_message ("%u %s valid", n, kinds[k].name);
    }
}

static void
test_refuses_non_empty (void)
{
  g_autofree char *dir = demo_make_dir ();
  g_autofree char *file = g_build_filename (dir, "keep.txt", NULL);
  g_autofree char *err = NULL;
  g_autofree char *contents = NULL;
  const char *argv[] = { g_getenv ("WANGGE_SERVER"), "demo", "-d", dir, NULL };

  g_assert_true (g_file_set_contents (file, "mine", -1, NULL));
  g_assert_cmpint (demo_run (argv, NULL, &err), ==, 1);
  g_assert_nonnull (strstr (err, dir));
  g_assert_true (g_file_get_contents (file, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "mine");
  {
    g_autofree char *db = g_build_filename (dir, "wangge.db", NULL);

    g_assert_false (g_file_test (db, G_FILE_TEST_EXISTS));
  }
  demo_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *out = NULL;
  int rc;

  g_test_init (&argc, &argv, NULL);

  data_dir = demo_make_dir ();
  out = demo_generate (data_dir, "1", NULL);
  g_assert_nonnull (strstr (out, WG_DEMO_PASSWORD_DISPATCHER));
  server = demo_server_start (data_dir);
  admin = demo_login (server, "admin", WG_DEMO_PASSWORD_ADMIN);

  g_test_add_func ("/demo/township/figures", test_figures);
  g_test_add_func ("/demo/township/accounts", test_accounts);
  g_test_add_func ("/demo/township/geometry", test_geometry);
  g_test_add_func ("/demo/township/numbering", test_numbering);
  g_test_add_func ("/demo/township/cases", test_cases);
  g_test_add_func ("/demo/township/holidays", test_holidays);
  g_test_add_func ("/demo/township/records-valid", test_records_valid);
  g_test_add_func ("/demo/township/refuses-non-empty", test_refuses_non_empty);
  rc = g_test_run ();

  demo_server_free (server);
  demo_remove_tree (data_dir);
  g_free (data_dir);
  g_free (admin);
  return rc;
}
