/* wg-demo.c — the demo township: Majie town (马街镇) at its real scale, generated from a seed
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything is derived from the seed and the reference time `now`: the same pair gives
 * byte-identical records and change log (ids included), so a bug seen in a demo can be
 * reproduced and tests can compare two runs. Only the password hashes differ (Argon2id
 * draws a random salt), and they live outside the records.
 *
 * The map is a jittered quad mesh: every vertex and every edge midpoint is computed once
 * from its lattice position, and both grids sharing an edge use the very same numbers, so
 * the grids tile the township with no gap and no overlap by construction. Rows run north to
 * south, so sorting a village's cells by (row, column) numbers its grids west to east and
 * north to south, the national habit for grid codes.
 *
 * Records are written straight into the store through wg-db (the township in one
 * transaction, cases in batches, see CASE_BATCH); a million cases must take less than two
 * minutes, so JSON is written by hand rather than built as JsonObjects, and case ids are
 * time-ordered (UUIDv7 layout) so that inserts append to the indexes instead of scattering
 * over them. Every step of a case goes through the shared
 * state machine table (wg-case-machine.c) with the acting role, so a generated timeline is
 * a path the server itself would have accepted.
 */
#define G_LOG_DOMAIN "WgDemo"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "wg-auth.h"
#include "wg-case-machine.h"
#include "wg-demo.h"
#include "wg-demo-data.h"
#include "wg-geometry.h"
#include "wg-working-time.h"

#define ID_LEN 37

/* Lattice of the map: 31 rows of cells of about 590 m × 580 m around 24.9°N 104.3°E. */
#define N_ROWS     31
#define MAX_COLS   48
#define CELL_LON   0.0058
#define CELL_LAT   0.0052
#define ORIGIN_LON 104.165
#define ORIGIN_LAT 24.981
#define N_BANDS    3
#define N_PER_BAND 4

/* Cases are committed in batches of this many. One transaction of gigabytes slows down
 * quadratically in WAL mode (every page read searches a WAL index that grows with the
 * transaction: 1M cases took over four minutes, batches take under one). The demo goes
 * into a fresh directory that `wangge-server demo` empties again on failure, so batches
 * lose no atomicity that matters. */
#define CASE_BATCH 16384

/* Cases stay in memory this long (in cases) so a later duplicate can still be merged into
 * them; older ones are written out. A duplicate comes within hours of its original. */
#define CASE_WINDOW 8192

G_DEFINE_QUARK (wg-demo-error-quark, wg_demo_error)

/* --- randomness -------------------------------------------------------------------------- */

/* splitmix64: tiny, fast and identical on every platform, unlike rand (). */
typedef struct
{
  guint64 state;
} Rng;

static guint64
mix64 (guint64 z)
{
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static guint64
rng_next (Rng *r)
{
  r->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);
  return mix64 (r->state);
}

/* Each part of the township draws from its own stream, so a different --cases leaves the
 * map and the people exactly as they were for the seed. */
static void
rng_init (Rng        *r,
          guint64     seed,
          const char *stream)
{
  r->state = mix64 (seed ^ g_str_hash (stream)) ^ (guint64) g_str_hash (stream) << 32;
}

static double
rng_double (Rng *r)
{
  return (rng_next (r) >> 11) * (1.0 / 9007199254740992.0);
}

static guint
rng_below (Rng   *r,
           guint  n)
{
  return n == 0 ? 0 : (guint) (rng_next (r) % n);
}

static double
rng_uniform (Rng    *r,
             double  lo,
             double  hi)
{
  return lo + (hi - lo) * rng_double (r);
}

static gboolean
rng_chance (Rng    *r,
            double  p)
{
  return rng_double (r) < p;
}

#define PICK(r, array) ((array)[rng_below ((r), G_N_ELEMENTS (array))])

/* A value in [-1, 1) that depends only on the seed and a lattice position. */
static double
lattice_noise (guint64 seed,
               guint   tag,
               guint   i,
               guint   j)
{
  guint64 h = mix64 (seed ^ mix64 (((guint64) tag << 48) ^ ((guint64) i << 24) ^ j));

  return (h >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

static void
random_uuid (Rng  *r,
             char  out[ID_LEN])
{
  guint64 a = rng_next (r), b = rng_next (r);

  a = (a & G_GUINT64_CONSTANT (0xffffffffffff0fff)) | G_GUINT64_CONSTANT (0x4000);
  b = (b & G_GUINT64_CONSTANT (0x3fffffffffffffff)) | G_GUINT64_CONSTANT (0x8000000000000000);
  g_snprintf (out, ID_LEN, "%08x-%04x-%04x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint) (a >> 32), (guint) (a >> 16) & 0xffff, (guint) a & 0xffff,
              (guint) (b >> 48), b & G_GUINT64_CONSTANT (0xffffffffffff));
}

/* UUIDv7 layout: 48 bits of milliseconds first, so ids sort in the order cases were made. */
static void
time_uuid (Rng     *r,
           gint64   ms,
           char     out[ID_LEN])
{
  guint64 a = rng_next (r), b = rng_next (r);

  b = (b & G_GUINT64_CONSTANT (0x3fffffffffffffff)) | G_GUINT64_CONSTANT (0x8000000000000000);
  g_snprintf (out, ID_LEN, "%08x-%04x-7%03x-%04x-%012" G_GINT64_MODIFIER "x",
              (guint) ((guint64) ms >> 16), (guint) ms & 0xffff, (guint) a & 0xfff,
              (guint) (b >> 48), b & G_GUINT64_CONSTANT (0xffffffffffff));
}

/* --- JSON by hand ---------------------------------------------------------------------- */

static void
json_str (GString    *s,
          const char *v)
{
  if (v == NULL)
    {
      g_string_append (s, "null");
      return;
    }
  g_string_append_c (s, '"');
  for (const char *p = v; *p; p++)
    {
      guchar c = *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (s, '\\');
          g_string_append_c (s, c);
        }
      else if (c < 0x20)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_c (s, c);
    }
  g_string_append_c (s, '"');
}

/* `,"name":` — every member after the record's leading id is appended this way. */
#define KEY(s, name) g_string_append ((s), ",\"" name "\":")

static void
key_str (GString    *s,
         const char *name,
         const char *value)
{
  g_string_append_printf (s, ",\"%s\":", name);
  json_str (s, value);
}

static void
key_int (GString    *s,
         const char *name,
         gint64      value)
{
  g_string_append_printf (s, ",\"%s\":%" G_GINT64_FORMAT, name, value);
}

/* --- time ------------------------------------------------------------------------------ */

#define BEIJING (8 * 3600)

/* The server's format (wg_rfc3339_format): UTC with milliseconds. */
static void
format_time (gint64  t,
             char    out[32])
{
  time_t tt = (time_t) t;
  struct tm tm;

  gmtime_r (&tt, &tm);
  g_snprintf (out, 32, "%04d-%02d-%02dT%02d:%02d:%02d.000Z", tm.tm_year + 1900, tm.tm_mon + 1,
              tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static void
format_date (gint64  t,
             char    out[16])
{
  time_t tt = (time_t) (t + BEIJING);
  struct tm tm;

  gmtime_r (&tt, &tm);
  g_snprintf (out, 16, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int
beijing_year (gint64 t)
{
  time_t tt = (time_t) (t + BEIJING);
  struct tm tm;

  gmtime_r (&tt, &tm);
  return tm.tm_year + 1900;
}

/* --- the context ----------------------------------------------------------------------- */

typedef struct
{
  char        id[ID_LEN];
  char        code[16];
  const char *name;
  gboolean    community;
  guint       first_grid;        /* into Ctx.grids, which are sorted by code */
  guint       n_grids;
  guint       first_group;
  guint       n_groups;
  guint       first_branch;
  guint       n_branches;
  guint       first_cadre;
  guint       n_cadres;
  guint       section_cadre;
} Village;

typedef struct
{
  char   id[ID_LEN];
  char   code[16];
  guint  village;
  guint  row;
  guint  col;
  guint  group;
  guint  branch;
  double ring[18];               /* 9 lon/lat pairs, closed */
  guint  worker;                 /* into Ctx.people */
  guint  account;                /* the worker's, into Ctx.accounts */
  guint  first_household;
  guint  n_households;
  guint  population;
} Grid;

typedef struct
{
  char   id[ID_LEN];
  char  *name;
  guint  village;
  guint  cadre;                  /* into Ctx.people */
} Group;

typedef struct
{
  char   id[ID_LEN];
} Branch;

typedef struct
{
  char     id[ID_LEN];
  char    *name;
  char     phone[16];
  gboolean party;
  char     account_id[ID_LEN];   /* empty when the person signs in nowhere */
} Person;

typedef struct
{
  char   id[ID_LEN];
  char   username[16];
  char  *display_name;
  WgRole role;
} Account;

typedef struct
{
  char  id[ID_LEN];
  guint members[WG_DEMO_N_TEAM_MEMBERS];   /* into Ctx.people */
  guint accounts[WG_DEMO_N_TEAM_MEMBERS];  /* into Ctx.accounts */
} Team;

typedef struct
{
  WgDb              *db;
  guint64            seed;
  gint64             now;
  gint64             base;          /* when the township's records were set up */
  char               base_at[32];
  WgWorkingCalendar *calendar;
  WgDemoSummary     *summary;

  char               township_id[ID_LEN];
  char               committee_id[ID_LEN];
  Village            villages[WG_DEMO_N_VILLAGES];
  GArray            *grids;         /* Grid */
  GArray            *groups;        /* Group */
  GArray            *branches;      /* Branch */
  GPtrArray         *people;        /* Person */
  GPtrArray         *accounts;      /* Account */
  Team               teams[G_N_ELEMENTS (demo_teams)];
  char               categories[G_N_ELEMENTS (demo_categories)][ID_LEN];
  guint              category_weight_total;
  guint              dispatchers[2];   /* into accounts */

  char              *hash_field;
  char              *hash_team;

  /* working-time results, direct-mapped: a million cases ask the same few thousand
   * questions (start minute, duration) over and over */
  struct { gint64 start; gint64 minutes; gint64 end; } *wt_cache;
} Ctx;

#define WT_CACHE_SIZE (1 << 16)

static void
person_free (gpointer data)
{
  Person *p = data;

  g_free (p->name);
  g_free (p);
}

static void
account_free (gpointer data)
{
  Account *a = data;

  g_free (a->display_name);
  g_free (a);
}

/* Working time after `start`, in whole seconds, through the shared calendar. */
static gint64
add_working_minutes (Ctx    *ctx,
                     gint64  start,
                     gint64  minutes)
{
  guint slot = (guint) (mix64 ((guint64) start * 131 + (guint64) minutes) & (WT_CACHE_SIZE - 1));
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) end = NULL;

  if (ctx->wt_cache[slot].start == start && ctx->wt_cache[slot].minutes == minutes)
    return ctx->wt_cache[slot].end;
  from = g_date_time_new_from_unix_utc (start);
  end = wg_working_calendar_add_minutes (ctx->calendar, from, minutes);
  ctx->wt_cache[slot].start = start;
  ctx->wt_cache[slot].minutes = minutes;
  ctx->wt_cache[slot].end = g_date_time_to_unix (end);
  return ctx->wt_cache[slot].end;
}

/* --- writing records ------------------------------------------------------------------- */

static GString *
record_begin (Ctx        *ctx,
              const char *id)
{
  GString *s = g_string_sized_new (512);

  g_string_append_printf (s, "{\"id\":\"%s\",\"version\":1,\"created_at\":\"%s\",\"updated_at\":\"%s\"",
                          id, ctx->base_at, ctx->base_at);
  return s;
}

/* Stores a township record (version 1, made at `base`) and frees `body`. `village_id` is
 * what the server's derive_village () would give the record, so scoped accounts see the
 * same records as if an administrator had entered them through the API. */
static gboolean
put (Ctx         *ctx,
     const char  *kind,
     const char  *id,
     const char  *village_id,
     const char  *natural_key,
     GString     *body,
     GError     **error)
{
  WgRecord r = { 0, };
  gboolean ok;

  g_string_append_c (body, '}');
  r.kind = (char *) kind;
  r.id = (char *) id;
  r.version = 1;
  r.created_at = ctx->base_at;
  r.updated_at = ctx->base_at;
  r.village_id = (char *) village_id;
  r.natural_key = (char *) natural_key;
  r.body = body->str;
  ok = wg_db_put_record (ctx->db, &r, NULL, NULL, error);
  g_string_free (body, TRUE);
  ctx->summary->n_records++;
  return ok;
}

/* --- people ---------------------------------------------------------------------------- */

static char *
make_name (Rng      *r,
           gboolean  female)
{
  const char *surname = PICK (r, demo_surnames);

  if (rng_chance (r, 0.3))
    return g_strconcat (surname, female ? PICK (r, demo_given_female) : PICK (r, demo_given_male), NULL);
  if (female)
    return g_strconcat (surname, PICK (r, demo_given_female), PICK (r, demo_given_female), NULL);
  return g_strconcat (surname, PICK (r, demo_given_male), PICK (r, demo_given_male), NULL);
}

static void
make_mobile (Rng  *r,
             char  out[16])
{
  g_snprintf (out, 16, "%s%08u", PICK (r, demo_mobile_prefixes), rng_below (r, 100000000));
}

static guint
add_person (Ctx      *ctx,
            Rng      *r,
            gboolean  female)
{
  Person *p = g_new0 (Person, 1);

  random_uuid (r, p->id);
  p->name = make_name (r, female);
  make_mobile (r, p->phone);
  g_ptr_array_add (ctx->people, p);
  return ctx->people->len - 1;
}

#define PERSON(ctx, i) ((Person *) g_ptr_array_index ((ctx)->people, (i)))
#define ACCOUNT(ctx, i) ((Account *) g_ptr_array_index ((ctx)->accounts, (i)))
#define GRID(ctx, i) (&g_array_index ((ctx)->grids, Grid, (i)))
#define GROUP(ctx, i) (&g_array_index ((ctx)->groups, Group, (i)))

static guint
add_account (Ctx        *ctx,
             Rng        *r,
             const char *username,
             const char *display_name,
             WgRole      role)
{
  Account *a = g_new0 (Account, 1);

  random_uuid (r, a->id);
  g_strlcpy (a->username, username, sizeof a->username);
  a->display_name = g_strdup (display_name);
  a->role = role;
  g_ptr_array_add (ctx->accounts, a);
  return ctx->accounts->len - 1;
}

/* --- the map --------------------------------------------------------------------------- */

typedef struct
{
  guint start[N_ROWS];
  guint width[N_ROWS];
  guint band_first_row[N_BANDS + 1];
  guint village_of[N_ROWS][MAX_COLS];
} Layout;

/* The township's outline: rows wide in the middle, narrow at the ends, drifting east and
 * west so the shape looks like a place rather than a diamond; exactly 903 cells. */
static void
layout_rows (Ctx    *ctx,
             Rng    *r,
             Layout *lay)
{
  int width[N_ROWS], start[N_ROWS];
  int total = 0, drift = 0;
  guint i;

  for (i = 0; i < N_ROWS; i++)
    {
      double s = sin (G_PI * (i + 0.5) / N_ROWS);

      width[i] = (int) lround (13 + 22 * pow (s, 0.6) + rng_uniform (r, -2.5, 2.5));
      total += width[i];
    }
  /* trim or pad the middle rows, one cell at a time, to the exact figure */
  for (i = 0; total != WG_DEMO_N_GRIDS; i = (i + 7) % (N_ROWS - 8))
    {
      guint row = 4 + i;

      if (total > WG_DEMO_N_GRIDS && width[row] > 10)
        width[row]--, total--;
      else if (total < WG_DEMO_N_GRIDS && width[row] < MAX_COLS - 6)
        width[row]++, total++;
    }
  for (i = 0; i < N_ROWS; i++)
    {
      drift += (int) rng_below (r, 3) - 1;
      drift = CLAMP (drift, -3, 3);
      start[i] = (MAX_COLS - width[i]) / 2 + drift;
      start[i] = CLAMP (start[i], 0, MAX_COLS - width[i]);
      lay->start[i] = start[i];
      lay->width[i] = width[i];
    }

  /* three bands of rows with about a third of the cells each */
  {
    guint acc = 0, band = 1;

    lay->band_first_row[0] = 0;
    for (i = 0; i < N_ROWS && band < N_BANDS; i++)
      {
        acc += lay->width[i];
        if (acc * N_BANDS >= band * (guint) WG_DEMO_N_GRIDS)
          lay->band_first_row[band++] = i + 1;
      }
    lay->band_first_row[N_BANDS] = N_ROWS;
  }

  /* four villages per band, cut at fractions of each row that wander a little */
  for (guint b = 0; b < N_BANDS; b++)
    {
      double base[N_PER_BAND - 1];

      for (guint k = 0; k < N_PER_BAND - 1; k++)
        base[k] = (k + 1.0) / N_PER_BAND + rng_uniform (r, -0.04, 0.04);
      for (i = lay->band_first_row[b]; i < lay->band_first_row[b + 1]; i++)
        {
          guint cut[N_PER_BAND + 1];

          cut[0] = 0;
          cut[N_PER_BAND] = lay->width[i];
          for (guint k = 0; k < N_PER_BAND - 1; k++)
            {
              double f = base[k] + 0.02 * lattice_noise (ctx->seed, 7, i, k);

              cut[k + 1] = (guint) lround (f * lay->width[i]);
              cut[k + 1] = MAX (cut[k + 1], cut[k] + 1);
            }
          for (guint k = 0; k < N_PER_BAND; k++)
            for (guint c = cut[k]; c < cut[k + 1]; c++)
              lay->village_of[i][lay->start[i] + c] = b * N_PER_BAND + k;
        }
    }
}

static void
vertex (Ctx    *ctx,
        guint   i,
        guint   j,
        double *lon,
        double *lat)
{
  *lon = ORIGIN_LON + j * CELL_LON + 0.22 * CELL_LON * lattice_noise (ctx->seed, 1, i, j);
  *lat = ORIGIN_LAT - i * CELL_LAT + 0.22 * CELL_LAT * lattice_noise (ctx->seed, 2, i, j);
}

/* The bend in the middle of an edge, shared by the two cells on either side. */
static void
edge_middle (Ctx     *ctx,
             guint    i1,
             guint    j1,
             guint    i2,
             guint    j2,
             gboolean horizontal,
             double  *lon,
             double  *lat)
{
  double x1, y1, x2, y2;
  guint tag = horizontal ? 3 : 4;

  vertex (ctx, i1, j1, &x1, &y1);
  vertex (ctx, i2, j2, &x2, &y2);
  *lon = (x1 + x2) / 2;
  *lat = (y1 + y2) / 2;
  if (horizontal)
    *lat += 0.12 * CELL_LAT * lattice_noise (ctx->seed, tag, i1, j1);
  else
    *lon += 0.12 * CELL_LON * lattice_noise (ctx->seed, tag, i1, j1);
}

/* Counter-clockwise (RFC 7946): north-west, down the west edge, along the south edge, up
 * the east edge, back along the north edge. Rounded to 1e-7° (1 cm) here so that the
 * numbers written for two neighbours are the same. */
static void
cell_ring (Ctx    *ctx,
           guint   row,
           guint   col,
           double *ring)
{
  double *p = ring;

  vertex (ctx, row, col, p, p + 1); p += 2;
  edge_middle (ctx, row, col, row + 1, col, FALSE, p, p + 1); p += 2;
  vertex (ctx, row + 1, col, p, p + 1); p += 2;
  edge_middle (ctx, row + 1, col, row + 1, col + 1, TRUE, p, p + 1); p += 2;
  vertex (ctx, row + 1, col + 1, p, p + 1); p += 2;
  edge_middle (ctx, row, col + 1, row + 1, col + 1, FALSE, p, p + 1); p += 2;
  vertex (ctx, row, col + 1, p, p + 1); p += 2;
  edge_middle (ctx, row, col, row, col + 1, TRUE, p, p + 1); p += 2;
  p[0] = ring[0];
  p[1] = ring[1];
  for (guint k = 0; k < 18; k++)
    ring[k] = round (ring[k] * 1e7) / 1e7;
}

static double
ring_area_km2 (const double *ring,
               guint         n_points)
{
  double sum = 0;
  double kx = 111.32 * cos (24.9 * G_PI / 180), ky = 110.57;

  for (guint k = 0; k + 1 < n_points; k++)
    sum += ring[2 * k] * ring[2 * k + 3] - ring[2 * k + 2] * ring[2 * k + 1];
  return fabs (sum) / 2 * kx * ky;
}

static int
grid_cmp (gconstpointer a,
          gconstpointer b)
{
  return strcmp (((const Grid *) a)->code, ((const Grid *) b)->code);
}

/* Splits `total` into `n` shares proportional to `weights`, largest remainders first,
 * each at least `min`. */
static void
apportion (guint         total,
           const double *weights,
           guint         n,
           guint         min,
           guint        *out)
{
  double sum = 0;
  guint given = 0;
  g_autofree double *rest = g_new0 (double, n);

  for (guint i = 0; i < n; i++)
    sum += weights[i];
  for (guint i = 0; i < n; i++)
    {
      double exact = total * weights[i] / sum;

      out[i] = MAX ((guint) floor (exact), min);
      rest[i] = exact - floor (exact);
      given += out[i];
    }
  while (given < total)
    {
      guint best = 0;

      for (guint i = 1; i < n; i++)
        if (rest[i] > rest[best])
          best = i;
      out[best]++;
      rest[best] = -1;
      given++;
    }
  while (given > total)
    {
      guint best = 0;

      for (guint i = 1; i < n; i++)
        if (out[i] > out[best])
          best = i;
      out[best]--;
      given--;
    }
}

/* Order in which a village's grids are cut into groups and branches: row by row, turning
 * at each end like a plough, so consecutive grids are neighbours and each chunk is a
 * compact piece of the village. */
static GArray *
serpentine (Ctx     *ctx,
            Village *v)
{
  GArray *order = g_array_new (FALSE, FALSE, sizeof (guint));
  guint i = 0;

  while (i < v->n_grids)
    {
      guint row = GRID (ctx, v->first_grid + i)->row;
      guint end = i;
      gboolean reverse;

      while (end < v->n_grids && GRID (ctx, v->first_grid + end)->row == row)
        end++;
      reverse = (row % 2) == 1;
      for (guint k = 0; k < end - i; k++)
        {
          guint idx = v->first_grid + (reverse ? end - 1 - k : i + k);

          g_array_append_val (order, idx);
        }
      i = end;
    }
  return order;
}

static void
build_map (Ctx *ctx)
{
  Layout *lay = g_new0 (Layout, 1);
  Rng r;
  guint seq[WG_DEMO_N_VILLAGES] = { 0, };

  rng_init (&r, ctx->seed, "map");
  layout_rows (ctx, &r, lay);

  for (guint v = 0; v < WG_DEMO_N_VILLAGES; v++)
    {
      Village *vil = &ctx->villages[v];

      random_uuid (&r, vil->id);
      vil->name = demo_villages[v].name;
      vil->community = demo_villages[v].community;
      g_snprintf (vil->code, sizeof vil->code, "%s%s", WG_DEMO_TOWNSHIP_CODE, demo_villages[v].code);
    }

  /* reading order (north row first, west to east) numbers the grids of each village */
  for (guint i = 0; i < N_ROWS; i++)
    for (guint c = lay->start[i]; c < lay->start[i] + lay->width[i]; c++)
      {
        Grid g = { 0, };

        g.row = i;
        g.col = c;
        g.village = lay->village_of[i][c];
        g_snprintf (g.code, sizeof g.code, "%s%03u", ctx->villages[g.village].code, ++seq[g.village]);
        cell_ring (ctx, i, c, g.ring);
        g_array_append_val (ctx->grids, g);
      }
  g_array_sort (ctx->grids, grid_cmp);
  for (guint k = 0; k < ctx->grids->len; k++)
    {
      Grid *g = GRID (ctx, k);
      Village *v = &ctx->villages[g->village];

      random_uuid (&r, g->id);
      if (v->n_grids == 0)
        v->first_grid = k;
      v->n_grids++;
      ctx->summary->area_km2 += ring_area_km2 (g->ring, 9);
    }
  g_free (lay);
}

/* --- the organisation ------------------------------------------------------------------ */

static gboolean
write_org (Ctx     *ctx,
           GError **error)
{
  Rng r;
  double weights[WG_DEMO_N_VILLAGES];
  guint n_groups[WG_DEMO_N_VILLAGES], n_branches[WG_DEMO_N_VILLAGES], n_cadres[WG_DEMO_N_VILLAGES];
  GString *s;

  rng_init (&r, ctx->seed, "org");
  random_uuid (&r, ctx->township_id);
  random_uuid (&r, ctx->committee_id);

  s = record_begin (ctx, ctx->township_id);
  key_str (s, "name", "马街镇");
  key_str (s, "kind", "township");
  key_str (s, "code", WG_DEMO_TOWNSHIP_CODE);
  if (!put (ctx, "org_units", ctx->township_id, NULL, NULL, s, error))
    return FALSE;
  s = record_begin (ctx, ctx->committee_id);
  key_str (s, "name", "中共马街镇委员会");
  key_str (s, "kind", "party_committee");
  key_str (s, "admin_unit_id", ctx->township_id);
  if (!put (ctx, "org_units", ctx->committee_id, NULL, NULL, s, error))
    return FALSE;

  for (guint v = 0; v < WG_DEMO_N_VILLAGES; v++)
    weights[v] = ctx->villages[v].n_grids;
  apportion (WG_DEMO_N_GROUPS, weights, WG_DEMO_N_VILLAGES, 1, n_groups);
  apportion (WG_DEMO_N_PARTY_BRANCHES, weights, WG_DEMO_N_VILLAGES, 1, n_branches);
  /* 81 cadres for 98 groups: each covers one or two groups of his own village */
  {
    double gw[WG_DEMO_N_VILLAGES];

    for (guint v = 0; v < WG_DEMO_N_VILLAGES; v++)
      gw[v] = n_groups[v];
    apportion (WG_DEMO_N_GROUP_CADRES, gw, WG_DEMO_N_VILLAGES, 1, n_cadres);
    for (guint v = 0; v < WG_DEMO_N_VILLAGES; v++)
      g_assert (n_cadres[v] <= n_groups[v] && n_cadres[v] * 2 >= n_groups[v]);
  }

  for (guint v = 0; v < WG_DEMO_N_VILLAGES; v++)
    {
      Village *vil = &ctx->villages[v];
      g_autoptr(GArray) order = serpentine (ctx, vil);
      g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      char general_id[ID_LEN];
      char code12[16];
      g_autofree char *general_name = NULL;

      g_snprintf (code12, sizeof code12, "%.12s", vil->code);
      s = record_begin (ctx, vil->id);
      key_str (s, "name", vil->name);
      key_str (s, "kind", vil->community ? "community" : "village");
      key_str (s, "parent_id", ctx->township_id);
      key_str (s, "code", code12);
      if (!put (ctx, "org_units", vil->id, vil->id, NULL, s, error))
        return FALSE;

      /* 村（社区）党总支: its parent is the township committee, so the server counts it
       * (and the branches under it) township-wide rather than in the village */
      random_uuid (&r, general_id);
      general_name = g_strdup_printf ("中共马街镇%s总支部委员会", vil->name);
      s = record_begin (ctx, general_id);
      key_str (s, "name", general_name);
      key_str (s, "kind", "party_general_branch");
      key_str (s, "parent_id", ctx->committee_id);
      key_str (s, "admin_unit_id", vil->id);
      if (!put (ctx, "org_units", general_id, NULL, NULL, s, error))
        return FALSE;

      vil->first_group = ctx->groups->len;
      vil->n_groups = n_groups[v];
      for (guint k = 0; k < n_groups[v]; k++)
        {
          Group grp = { 0, };
          guint from = k * vil->n_grids / n_groups[v], to = (k + 1) * vil->n_grids / n_groups[v];

          random_uuid (&r, grp.id);
          grp.village = v;
          if (vil->community)
            grp.name = g_strdup_printf ("第%s居民小组", demo_numerals[MIN (k + 1, 20)]);
          else
            do
              {
                g_free (grp.name);
                grp.name = g_strdup_printf ("%s%s组", PICK (&r, demo_hamlet_prefixes), PICK (&r, demo_hamlet_cores));
              }
            while (g_hash_table_contains (used, grp.name));
          g_hash_table_add (used, g_strdup (grp.name));
          for (guint i = from; i < to; i++)
            GRID (ctx, g_array_index (order, guint, i))->group = ctx->groups->len;
          g_array_append_val (ctx->groups, grp);

          s = record_begin (ctx, grp.id);
          key_str (s, "name", grp.name);
          key_str (s, "kind", "group");
          key_str (s, "parent_id", vil->id);
          if (!put (ctx, "org_units", grp.id, vil->id, NULL, s, error))
            return FALSE;
        }

      vil->first_branch = ctx->branches->len;
      vil->n_branches = n_branches[v];
      for (guint k = 0; k < n_branches[v]; k++)
        {
          Branch branch;
          const char *id = branch.id;
          guint from = k * vil->n_grids / n_branches[v], to = (k + 1) * vil->n_grids / n_branches[v];
          g_autofree char *name = g_strdup_printf ("%s第%u网格党支部", vil->name, k + 1);

          random_uuid (&r, branch.id);
          for (guint i = from; i < to; i++)
            GRID (ctx, g_array_index (order, guint, i))->branch = ctx->branches->len;
          g_array_append_val (ctx->branches, branch);
          s = record_begin (ctx, id);
          key_str (s, "name", name);
          key_str (s, "kind", "party_branch");
          key_str (s, "parent_id", general_id);
          key_str (s, "admin_unit_id", vil->id);
          if (!put (ctx, "org_units", id, NULL, NULL, s, error))
            return FALSE;
        }
      vil->n_cadres = n_cadres[v];
    }
  return TRUE;
}

/* --- people, grids, households --------------------------------------------------------- */

static gboolean
write_person (Ctx         *ctx,
              guint        index,
              const char  *kinds,        /* JSON array text */
              const char  *rank,
              const char  *worker_type,
              const char  *org_unit_id,
              const char  *village_id,
              const char  *team_id,
              GError     **error)
{
  Person *p = PERSON (ctx, index);
  GString *s = record_begin (ctx, p->id);

  key_str (s, "name", p->name);
  KEY (s, "kinds");
  g_string_append (s, kinds);
  if (rank != NULL)
    key_str (s, "rank", rank);
  if (worker_type != NULL)
    key_str (s, "worker_type", worker_type);
  key_str (s, "phone", p->phone);
  if (org_unit_id != NULL)
    key_str (s, "org_unit_id", org_unit_id);
  if (team_id != NULL)
    g_string_append_printf (s, ",\"team_ids\":[\"%s\"]", team_id);
  g_string_append (s, ",\"active\":true");
  return put (ctx, "people", p->id, village_id, NULL, s, error);
}

static gboolean
write_assignment (Ctx         *ctx,
                  Rng         *r,
                  const char  *person_id,
                  const char  *kind,
                  const char  *target_id,
                  GString     *household_ids,   /* JSON array text or NULL */
                  const char  *village_id,
                  GError     **error)
{
  char id[ID_LEN], date[16];
  GString *s;

  random_uuid (r, id);
  format_date (ctx->base, date);
  s = record_begin (ctx, id);
  key_str (s, "person_id", person_id);
  key_str (s, "kind", kind);
  if (target_id != NULL)
    key_str (s, "target_id", target_id);
  if (household_ids != NULL)
    {
      KEY (s, "household_ids");
      g_string_append_len (s, household_ids->str, household_ids->len);
    }
  g_string_append (s, ",\"duties\":[\"publicity_education\",\"service_management\",\"joint_prevention\"]");
  key_str (s, "valid_from", date);
  return put (ctx, "assignments", id, village_id, NULL, s, error);
}

static const char *
worker_type_for (Rng *r)
{
  double x = rng_double (r);

  return x < 0.25 ? "full_time" : x < 0.85 ? "part_time" : "resident";
}

/* Household sizes of a rural Yunnan township: mostly three to five people. */
static guint
household_size (Rng *r)
{
  static const double cumulative[] = { 0.08, 0.26, 0.50, 0.75, 0.90, 1.0 };
  double x = rng_double (r);

  for (guint i = 0; i < G_N_ELEMENTS (cumulative); i++)
    if (x < cumulative[i])
      return i + 1;
  return 6;
}

static gboolean
write_people_and_grids (Ctx     *ctx,
                        GError **error)
{
  Rng r;
  guint n_households[WG_DEMO_N_GRIDS];
  g_autofree gboolean *party = g_new0 (gboolean, ctx->grids->len);
  g_autofree guint8 *tag = NULL;   /* 1 in difficulty, 2 party central household */
  guint next_number[WG_DEMO_N_GROUPS] = { 0, };
  guint household_base = 0;

  rng_init (&r, ctx->seed, "people");

  /* 12 section-level cadres, one per village (科级干部包村) */
  for (guint v = 0; v < WG_DEMO_N_VILLAGES; v++)
    {
      guint p = add_person (ctx, &r, rng_chance (&r, 0.25));

      ctx->villages[v].section_cadre = p;
      PERSON (ctx, p)->party = TRUE;
      if (!write_person (ctx, p, "[\"cadre\",\"party_member\"]", demo_section_posts[v], NULL,
                         ctx->township_id, NULL, NULL, error) ||
          !write_assignment (ctx, &r, PERSON (ctx, p)->id, "village", ctx->villages[v].id, NULL,
                             ctx->villages[v].id, error))
        return FALSE;
    }

  /* 81 village cadres covering the 98 groups (村社干部分片包组); a cadre is the grid
   * leader (网格长) of his groups' grids */
  for (guint v = 0; v < WG_DEMO_N_VILLAGES; v++)
    {
      Village *vil = &ctx->villages[v];

      vil->first_cadre = ctx->people->len;
      for (guint k = 0; k < vil->n_cadres; k++)
        {
          guint p = add_person (ctx, &r, rng_chance (&r, 0.3));

          PERSON (ctx, p)->party = rng_chance (&r, 0.7);
          if (!write_person (ctx, p, PERSON (ctx, p)->party ? "[\"cadre\",\"party_member\"]" : "[\"cadre\"]",
                             vil->community ? "社区干部" : "村干部", NULL, vil->id, vil->id, NULL, error))
            return FALSE;
        }
      for (guint k = 0; k < vil->n_groups; k++)
        {
          Group *grp = GROUP (ctx, vil->first_group + k);

          grp->cadre = vil->first_cadre + k % vil->n_cadres;
          if (!write_assignment (ctx, &r, PERSON (ctx, grp->cadre)->id, "group", grp->id, NULL, vil->id, error))
            return FALSE;
        }
    }

  /* 903 grid workers, 145 of them party members (优先选配无职党员担任网格员) */
  for (guint n = 0; n < WG_DEMO_N_PARTY_WORKERS;)
    {
      guint k = rng_below (&r, ctx->grids->len);

      if (!party[k])
        party[k] = TRUE, n++;
    }
  for (guint k = 0; k < ctx->grids->len; k++)
    {
      Grid *g = GRID (ctx, k);
      Group *grp = GROUP (ctx, g->group);
      guint p = add_person (ctx, &r, rng_chance (&r, 0.4));
      Person *person = PERSON (ctx, p);
      char username[16];
      guint a;

      g->worker = p;
      person->party = party[k];
      g_snprintf (username, sizeof username, "gw%03u", k + 1);
      a = add_account (ctx, &r, username, person->name, WG_ROLE_FIELD_WORKER);
      g->account = a;
      g_strlcpy (person->account_id, ACCOUNT (ctx, a)->id, ID_LEN);
      if (!write_person (ctx, p, party[k] ? "[\"grid_worker\",\"party_member\"]" : "[\"grid_worker\"]",
                         NULL, worker_type_for (&r), grp->id, ctx->villages[g->village].id, NULL, error))
        return FALSE;
    }

  /* 17,125 households, denser in the town seat's communities */
  {
    double weights[WG_DEMO_N_GRIDS];

    for (guint k = 0; k < ctx->grids->len; k++)
      weights[k] = rng_uniform (&r, 0.6, 1.4) * (ctx->villages[GRID (ctx, k)->village].community ? 2.2 : 1.0);
    apportion (WG_DEMO_N_HOUSEHOLDS, weights, ctx->grids->len, 4, n_households);
  }
  /* 80 households in difficulty and 35 central households, linked to party members: they
   * lie in grids whose worker is a party member */
  tag = g_new0 (guint8, WG_DEMO_N_HOUSEHOLDS);
  {
    guint first = 0;
    g_autoptr(GArray) candidates = g_array_new (FALSE, FALSE, sizeof (guint));

    for (guint k = 0; k < ctx->grids->len; k++)
      {
        if (party[k])
          for (guint h = 0; h < n_households[k]; h++)
            {
              guint idx = first + h;

              g_array_append_val (candidates, idx);
            }
        first += n_households[k];
      }
    for (guint n = 0; n < WG_DEMO_N_DIFFICULTY + WG_DEMO_N_CENTRAL;)
      {
        guint idx = g_array_index (candidates, guint, rng_below (&r, candidates->len));

        if (tag[idx] == 0)
          tag[idx] = n++ < WG_DEMO_N_DIFFICULTY ? 1 : 2;
      }
  }

  for (guint k = 0; k < ctx->grids->len; k++)
    {
      Grid *g = GRID (ctx, k);
      Village *vil = &ctx->villages[g->village];
      Group *grp = GROUP (ctx, g->group);
      g_autoptr(GString) ids = g_string_new ("[");
      GString *s;

      g->first_household = household_base;
      g->n_households = n_households[k];
      for (guint h = 0; h < g->n_households; h++)
        {
          char id[ID_LEN], phone[16];
          guint size = household_size (&r);
          int head_year = 1945 + (int) rng_below (&r, 52);
          gboolean head_female = rng_chance (&r, 0.15);
          g_autofree char *head = make_name (&r, head_female);
          g_autofree char *address = NULL;
          const char *tags[3] = { NULL, };
          guint n_tags = 0;
          char surname[8];

          random_uuid (&r, id);
          make_mobile (&r, phone);
          g_utf8_strncpy (surname, head, 1);
          if (vil->community)
            address = g_strdup_printf ("马街镇%s%s%u号", vil->name, demo_streets[(g->group * 3 + h / 40) % G_N_ELEMENTS (demo_streets)],
                                       ++next_number[g->group]);
          else
            address = g_strdup_printf ("马街镇%s%s%u号", vil->name, grp->name, ++next_number[g->group]);
          if (tag[household_base + h] == 1)
            tags[n_tags++] = "in_difficulty";
          else if (tag[household_base + h] == 2)
            tags[n_tags++] = "party_central";
          if (size == 1 && head_year < 1956)
            tags[n_tags++] = "elderly_living_alone";

          s = record_begin (ctx, id);
          key_str (s, "address", address);
          key_str (s, "grid_id", g->id);
          key_str (s, "head_name", head);
          key_str (s, "phone", phone);
          KEY (s, "members");
          g_string_append_printf (s, "[{\"name\":\"%s\",\"relation\":\"户主\",\"birth_year\":%d}", head, head_year);
          for (guint m = 1; m < size; m++)
            {
              g_autofree char *name = NULL;
              const char *relation;
              int year;

              if (m == 1 && size > 1 && rng_chance (&r, 0.85))
                {
                  name = make_name (&r, !head_female);
                  relation = "配偶";
                  year = head_year + (int) rng_below (&r, 7) - 3;
                }
              else if (m == size - 1 && size >= 5 && head_year > 1965)
                {
                  g_autofree char *given = make_name (&r, rng_chance (&r, 0.5));

                  name = g_strconcat (surname, g_utf8_offset_to_pointer (given, 1), NULL);
                  relation = rng_chance (&r, 0.5) ? "父亲" : "母亲";
                  year = head_year - 24 - (int) rng_below (&r, 8);
                }
              else
                {
                  gboolean female = rng_chance (&r, 0.48);
                  g_autofree char *given = make_name (&r, female);

                  name = g_strconcat (surname, g_utf8_offset_to_pointer (given, 1), NULL);
                  relation = female ? "女儿" : "儿子";
                  year = MIN (head_year + 22 + (int) rng_below (&r, 14), 2024);
                }
              g_string_append_printf (s, ",{\"name\":\"%s\",\"relation\":\"%s\",\"birth_year\":%d}", name, relation, year);
            }
          g_string_append_c (s, ']');
          if (n_tags > 0)
            {
              KEY (s, "tags");
              g_string_append_c (s, '[');
              for (guint t = 0; t < n_tags; t++)
                g_string_append_printf (s, "%s\"%s\"", t ? "," : "", tags[t]);
              g_string_append_c (s, ']');
            }
          key_str (s, "covering_person_id", PERSON (ctx, g->worker)->id);
          g->population += size;
          g_string_append_printf (ids, "%s\"%s\"", h ? "," : "", id);
          if (!put (ctx, "households", id, vil->id, NULL, s, error))
            return FALSE;
        }
      g_string_append_c (ids, ']');
      household_base += g->n_households;

      /* 党员和网格员包户: the grid worker covers every household of his grid */
      if (!write_assignment (ctx, &r, PERSON (ctx, g->worker)->id, "households", NULL, ids, vil->id, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_grids (Ctx     *ctx,
             GError **error)
{
  for (guint k = 0; k < ctx->grids->len; k++)
    {
      Grid *g = GRID (ctx, k);
      Village *vil = &ctx->villages[g->village];
      Group *grp = GROUP (ctx, g->group);
      g_autofree char *name = g_strdup_printf ("%s第%u网格", vil->name, k - vil->first_grid + 1);
      GString *s = record_begin (ctx, g->id);

      key_str (s, "code", g->code);
      key_str (s, "name", name);
      key_str (s, "village_id", vil->id);
      g_string_append_printf (s, ",\"group_ids\":[\"%s\"]", grp->id);
      g_string_append (s, ",\"boundary\":{\"type\":\"Polygon\",\"coordinates\":[[");
      for (guint p = 0; p < 9; p++)
        g_string_append_printf (s, "%s[%.7f,%.7f]", p ? "," : "", g->ring[2 * p], g->ring[2 * p + 1]);
      g_string_append (s, "]]}");
      key_int (s, "household_count", g->n_households);
      key_int (s, "population", g->population);
      /* the institutions a grid holds: the village committee and school in each village's
       * first grid, the town's offices in the seat's */
      if (k == vil->first_grid)
        {
          if (vil->community && g->village == 5)
            g_string_append (s, ",\"institutions\":[{\"name\":\"马街镇人民政府\",\"kind\":\"government\"},"
                                "{\"name\":\"马街镇中心学校\",\"kind\":\"school\"},"
                                "{\"name\":\"马街镇卫生院\",\"kind\":\"hospital\"},"
                                "{\"name\":\"马街农贸市场\",\"kind\":\"market\"}]");
          else
            g_string_append_printf (s, ",\"institutions\":[{\"name\":\"%s%s\",\"kind\":\"government\"},"
                                       "{\"name\":\"%s%s\",\"kind\":\"school\"}]",
                                    vil->name, vil->community ? "居民委员会" : "村民委员会",
                                    vil->name, vil->community ? "幼儿园" : "小学");
        }
      key_str (s, "grid_leader_id", PERSON (ctx, grp->cadre)->id);
      key_str (s, "grid_instructor_id", PERSON (ctx, vil->section_cadre)->id);
      g_string_append_printf (s, ",\"grid_worker_ids\":[\"%s\"]", PERSON (ctx, g->worker)->id);
      key_str (s, "party_branch_id", g_array_index (ctx->branches, Branch, g->branch).id);
      if (!put (ctx, "grids", g->id, vil->id, g->code, s, error))
        return FALSE;
    }
  return TRUE;
}

/* --- teams, categories, holidays, accounts --------------------------------------------- */

static gboolean
write_teams (Ctx     *ctx,
             GError **error)
{
  Rng r;

  rng_init (&r, ctx->seed, "teams");
  for (guint t = 0; t < G_N_ELEMENTS (demo_teams); t++)
    random_uuid (&r, ctx->teams[t].id);
  for (guint t = 0; t < G_N_ELEMENTS (demo_teams); t++)
    {
      Team *team = &ctx->teams[t];
      GString *s;
      char phone[16];

      for (guint m = 0; m < WG_DEMO_N_TEAM_MEMBERS; m++)
        {
          guint p = add_person (ctx, &r, rng_chance (&r, 0.4));
          char username[16];

          team->members[m] = p;
          g_snprintf (username, sizeof username, "team%02u-%u", t + 1, m + 1);
          team->accounts[m] = add_account (ctx, &r, username, PERSON (ctx, p)->name, WG_ROLE_TEAM_MEMBER);
          g_strlcpy (PERSON (ctx, p)->account_id, ACCOUNT (ctx, team->accounts[m])->id, ID_LEN);
          if (!write_person (ctx, p, "[\"team_member\"]", m == 0 ? "队长" : NULL, NULL, NULL, NULL, team->id, error))
            return FALSE;
        }
      g_snprintf (phone, sizeof phone, "0874-85%05u", rng_below (&r, 100000));
      s = record_begin (ctx, team->id);
      key_str (s, "name", demo_teams[t].name);
      key_str (s, "kind", demo_teams[t].work_line ? "department" : "service_team");
      if (demo_teams[t].work_line != NULL)
        key_str (s, "work_line", demo_teams[t].work_line);
      key_str (s, "duty_phone", phone);
      key_str (s, "leader_id", PERSON (ctx, team->members[0])->id);
      g_string_append (s, ",\"member_ids\":[");
      for (guint m = 0; m < WG_DEMO_N_TEAM_MEMBERS; m++)
        g_string_append_printf (s, "%s\"%s\"", m ? "," : "", PERSON (ctx, team->members[m])->id);
      g_string_append_c (s, ']');
      if (!put (ctx, "teams", team->id, NULL, NULL, s, error))
        return FALSE;
    }

  for (guint c = 0; c < G_N_ELEMENTS (demo_categories); c++)
    {
      const DemoCategory *cat = &demo_categories[c];
      GString *s;

      random_uuid (&r, ctx->categories[c]);
      s = record_begin (ctx, ctx->categories[c]);
      key_str (s, "name", cat->name);
      key_str (s, "code", cat->code);
      key_str (s, "default_urgency", cat->urgency);
      key_int (s, "deadline_value", cat->deadline_value);
      key_str (s, "deadline_unit", cat->deadline_unit);
      g_string_append_printf (s, ",\"default_target\":{\"kind\":\"%s\",\"id\":\"%s\"}",
                              demo_teams[cat->team].work_line ? "department" : "team", ctx->teams[cat->team].id);
      g_string_append (s, ",\"active\":true");
      ctx->category_weight_total += cat->weight;
      if (!put (ctx, "categories", ctx->categories[c], NULL, NULL, s, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
write_holidays (Ctx     *ctx,
                GError **error)
{
  Rng r;

  rng_init (&r, ctx->seed, "holidays");
  for (guint i = 0; i < G_N_ELEMENTS (demo_holidays); i++)
    {
      g_autoptr(GDateTime) first = NULL;
      g_autoptr(GDateTime) last = NULL;
      g_autofree char *first_s = g_strconcat (demo_holidays[i].first, "T00:00:00Z", NULL);
      g_autofree char *last_s = g_strconcat (demo_holidays[i].last, "T00:00:00Z", NULL);
      gint64 t;

      first = g_date_time_new_from_iso8601 (first_s, NULL);
      last = g_date_time_new_from_iso8601 (last_s, NULL);
      for (t = g_date_time_to_unix (first); t <= g_date_time_to_unix (last); t += 86400)
        {
          char id[ID_LEN], date[16];
          GString *s;

          format_date (t - BEIJING, date);
          random_uuid (&r, id);
          /* the generator counts deadlines with exactly the calendar the server will load */
          wg_working_calendar_set_day_iso (ctx->calendar, date,
                                           demo_holidays[i].workday ? WG_DAY_KIND_WORKDAY : WG_DAY_KIND_HOLIDAY);
          s = record_begin (ctx, id);
          key_str (s, "date", date);
          key_str (s, "kind", demo_holidays[i].workday ? "workday" : "holiday");
          key_str (s, "name", demo_holidays[i].name);
          if (!put (ctx, "holidays", id, NULL, date, s, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
write_accounts (Ctx     *ctx,
                GError **error)
{
  for (guint i = 0; i < ctx->accounts->len; i++)
    {
      Account *a = ACCOUNT (ctx, i);
      const char *hash;
      const char *scope = NULL;
      const char *person = NULL;
      GString *s = record_begin (ctx, a->id);

      if (a->role == WG_ROLE_FIELD_WORKER)
        {
          /* gwNNN is the worker of the NNNth grid in code order */
          guint k = (guint) g_ascii_strtoull (a->username + 2, NULL, 10) - 1;
          Grid *g = GRID (ctx, k);

          scope = ctx->villages[g->village].id;
          person = PERSON (ctx, g->worker)->id;
        }
      else if (a->role == WG_ROLE_TEAM_MEMBER)
        {
          guint t = (guint) g_ascii_strtoull (a->username + 4, NULL, 10) - 1;
          guint m = (guint) g_ascii_strtoull (a->username + 7, NULL, 10) - 1;

          person = PERSON (ctx, ctx->teams[t].members[m])->id;
        }
      else if (strcmp (a->username, "songmao") == 0)
        scope = ctx->villages[2].id;

      key_str (s, "username", a->username);
      key_str (s, "display_name", a->display_name);
      key_str (s, "role", wg_role_to_string (a->role));
      if (scope != NULL)
        key_str (s, "scope_village_id", scope);
      if (person != NULL)
        key_str (s, "person_id", person);
      g_string_append (s, ",\"active\":true");
      if (!put (ctx, "accounts", a->id, scope, a->username, s, error))
        return FALSE;

      if (a->role == WG_ROLE_FIELD_WORKER)
        hash = ctx->hash_field;
      else if (a->role == WG_ROLE_TEAM_MEMBER)
        hash = ctx->hash_team;
      else
        hash = NULL;
      if (hash != NULL)
        {
          if (!wg_db_set_password_hash (ctx->db, a->id, hash, error))
            return FALSE;
        }
      else
        {
          const char *password = strcmp (a->username, "admin") == 0 ? WG_DEMO_PASSWORD_ADMIN
                               : strcmp (a->username, "leader") == 0 ? WG_DEMO_PASSWORD_LEADER
                               : strcmp (a->username, "songmao") == 0 ? WG_DEMO_PASSWORD_VILLAGE
                               : WG_DEMO_PASSWORD_DISPATCHER;
          g_autofree char *own = wg_auth_hash_password (password, error);

          if (own == NULL || !wg_db_set_password_hash (ctx->db, a->id, own, error))
            return FALSE;
        }
      ctx->summary->n_accounts++;
    }
  return TRUE;
}

static void
add_center_accounts (Ctx *ctx)
{
  static const struct {
    const char *username;
    const char *post;
    WgRole      role;
  } center[] = {
    { "dispatcher", "指挥中心", WG_ROLE_DISPATCHER },
    { "dispatcher2", "指挥中心", WG_ROLE_DISPATCHER },
    { "leader", "镇党委书记", WG_ROLE_LEADER },
    { "songmao", "松毛村党总支书记", WG_ROLE_DISPATCHER },
  };
  Rng r;

  rng_init (&r, ctx->seed, "accounts");
  add_account (ctx, &r, "admin", "系统管理员", WG_ROLE_ADMIN);
  for (guint i = 0; i < G_N_ELEMENTS (center); i++)
    {
      g_autofree char *name = make_name (&r, rng_chance (&r, 0.4));
      g_autofree char *display = g_strdup_printf ("%s（%s）", name, center[i].post);
      guint a = add_account (ctx, &r, center[i].username, display, center[i].role);

      if (i < 2)
        ctx->dispatchers[i] = a;
    }
}

/* --- cases ----------------------------------------------------------------------------- */

typedef enum
{
  OUT_REPORTED,
  OUT_ACCEPTED,
  OUT_REJECTED,
  OUT_MERGED,
  OUT_ESCALATED,
  OUT_DISPATCHED,
  OUT_CLAIMED,
  OUT_IN_PROGRESS,
  OUT_RESOLVED,
  OUT_VERIFIED,
  OUT_CLOSED,
  N_OUTCOMES
} Outcome;

/* Shares of the 73 unhandled and the 511 handled cases of seed 000, and how recent each
 * outcome tends to be (0 oldest, 1 newest): a case still waiting for triage is from the
 * last hours, a closed one from any time. */
static const struct {
  guint   share;
  gboolean handled;
  double  age_lo;
  double  age_hi;
} outcomes[N_OUTCOMES] = {
  [OUT_REPORTED] = { 6, FALSE, 0.985, 1.0 },
  [OUT_ACCEPTED] = { 5, FALSE, 0.94, 1.0 },
  [OUT_REJECTED] = { 8, FALSE, 0.02, 1.0 },
  [OUT_MERGED] = { 6, FALSE, 0.05, 1.0 },
  [OUT_ESCALATED] = { 3, FALSE, 0.2, 0.95 },
  [OUT_DISPATCHED] = { 13, FALSE, 0.8, 1.0 },
  [OUT_CLAIMED] = { 10, FALSE, 0.6, 1.0 },
  [OUT_IN_PROGRESS] = { 22, FALSE, 0.3, 1.0 },
  [OUT_RESOLVED] = { 34, TRUE, 0.85, 1.0 },
  [OUT_VERIFIED] = { 47, TRUE, 0.7, 1.0 },
  [OUT_CLOSED] = { 430, TRUE, 0.0, 0.97 },
};

typedef struct
{
  gint64      at;
  WgCaseState to;        /* the state the entry leaves the case in */
  char       *tail;      /* the entry after its "n" member */
} Entry;

typedef enum
{
  ASSIGNEE_NONE,
  ASSIGNEE_TEAM,
  ASSIGNEE_GRID,
} AssigneeKind;

typedef struct
{
  char         id[ID_LEN];
  char         number[16];
  Outcome      outcome;
  WgCaseState  state;
  guint        grid;
  guint        category;
  WgCaseSource source;
  const char  *urgency;
  guint        title;
  double       lon;
  double       lat;
  char        *reporter_name;
  char         reporter_phone[16];
  guint        reported_by;       /* account */
  gboolean     self_handled;
  gint64       reported_at;
  gint64       updated_at;
  gint64       dispatch_due;
  AssigneeKind assignee_kind;
  guint        assignee;          /* team or grid */
  gint64       deadline;
  gint         satisfaction;
  gint64       accepted_at, dispatched_at, claimed_at, started_at, resolved_at;
  gint64       verified_at, closed_at, supervised_at, escalated_at;
  guint        claimed_by, verified_by;     /* accounts, G_MAXUINT when absent */
  const char  *result;
  const char  *returned_reason;
  const char  *rejected_reason;
  const char  *escalated_reason;
  char         merged_into[ID_LEN];
  guint        reopen_count, supervise_count, extension_count;
  gint64       ext_minutes, ext_requested_at;
  guint        ext_requested_by, ext_decided_by;
  const char  *ext_status;
  GArray      *entries;           /* Entry */
} Case;

static void
case_free (Case *c)
{
  for (guint i = 0; i < c->entries->len; i++)
    g_free (g_array_index (c->entries, Entry, i).tail);
  g_array_unref (c->entries);
  g_free (c->reporter_name);
  g_free (c);
}

typedef struct
{
  Ctx     *ctx;
  Rng      rng;
  Case    *window[CASE_WINDOW];
  guint    head;                  /* index of the oldest buffered case */
  guint    count;
  guint    written;
  gboolean failed;
} CaseGen;


/* Appends a timeline entry for `action` taken by `actor` at `at`, after checking it against
 * the state machine table with the actor's role, and moves the case. */
static void
step (CaseGen      *gen,
      Case         *c,
      gint64        at,
      WgCaseAction  action,
      guint         actor,
      const char   *note,
      const char   *data)        /* JSON object text or NULL */
{
  Ctx *ctx = gen->ctx;
  Account *a = ACCOUNT (ctx, actor);
  const WgCaseTransition *t = wg_case_machine_lookup (c->state, action);
  GString *s = g_string_sized_new (256);
  Entry e;
  char when[32];

  if (t == NULL || (t->roles & a->role) == 0)
    g_error ("demo: %s by %s is not legal in state %s", wg_case_action_to_string (action),
             wg_role_to_string (a->role), wg_case_state_to_string (c->state));
  at = MAX (at, c->updated_at);
  format_time (at, when);
  g_string_append_printf (s, ",\"at\":\"%s\",\"actor_id\":\"%s\",\"actor_name\":", when, a->id);
  json_str (s, a->display_name);
  g_string_append_printf (s, ",\"action\":\"%s\",\"from\":\"%s\",\"to\":\"%s\",\"note\":",
                          wg_case_action_to_string (action), wg_case_state_to_string (c->state),
                          wg_case_state_to_string (t->to));
  json_str (s, note);
  if (data != NULL)
    g_string_append_printf (s, ",\"data\":%s", data);
  g_string_append_c (s, '}');
  e.at = at;
  e.to = t->to;
  e.tail = g_string_free (s, FALSE);
  g_array_append_val (c->entries, e);
  c->state = t->to;
  c->updated_at = at;
}

static guint
team_member_account (CaseGen *gen,
                     guint    team)
{
  return gen->ctx->teams[team].accounts[rng_below (&gen->rng, WG_DEMO_N_TEAM_MEMBERS)];
}

static guint
grid_account (CaseGen *gen,
              guint    grid)
{
  return GRID (gen->ctx, grid)->account;
}

static guint
dispatcher (CaseGen *gen)
{
  return gen->ctx->dispatchers[rng_below (&gen->rng, 2)];
}

/* Who works on the case: a member of the assigned team, or the grid's own worker. */
static guint
handler_account (CaseGen *gen,
                 Case    *c)
{
  if (c->assignee_kind == ASSIGNEE_GRID)
    return grid_account (gen, c->assignee);
  return team_member_account (gen, c->assignee);
}

static gint64
wm (CaseGen *gen,
    gint64   from,
    double   lo,
    double   hi)
{
  return add_working_minutes (gen->ctx, from, (gint64) rng_uniform (&gen->rng, lo, hi));
}

static void
do_dispatch (CaseGen *gen,
             Case    *c,
             gint64   at,
             gboolean to_other)
{
  Ctx *ctx = gen->ctx;
  const DemoCategory *cat = &demo_categories[c->category];
  g_autofree char *data = NULL;

  /* simple matters stay in the grid (简单事网内商议办); the rest go to the category's team
   * or, after a return, to the service team that takes what nobody else does */
  if (!to_other && rng_chance (&gen->rng, 0.08) && cat->deadline_value <= 7)
    {
      c->assignee_kind = ASSIGNEE_GRID;
      c->assignee = c->grid;
    }
  else
    {
      c->assignee_kind = ASSIGNEE_TEAM;
      c->assignee = to_other ? (cat->team == 0 ? 7 : 0) : cat->team;
    }
  data = g_strdup_printf ("{\"assignee\":{\"kind\":\"%s\",\"id\":\"%s\"}}",
                          c->assignee_kind == ASSIGNEE_GRID ? "grid"
                          : demo_teams[c->assignee].work_line ? "department" : "team",
                          c->assignee_kind == ASSIGNEE_GRID ? GRID (ctx, c->grid)->id : ctx->teams[c->assignee].id);
  step (gen, c, at, WG_CASE_ACTION_DISPATCH, dispatcher (gen), NULL, data);
  if (c->accepted_at == 0)
    c->accepted_at = c->updated_at;
  c->dispatched_at = c->updated_at;
  c->deadline = add_working_minutes (ctx, c->dispatched_at, wg_handling_minutes (c->urgency, cat->deadline_value, cat->deadline_unit));
}

static void
do_claim (CaseGen *gen,
          Case    *c,
          gint64   at)
{
  guint who = handler_account (gen, c);

  step (gen, c, at, WG_CASE_ACTION_CLAIM, who, NULL, NULL);
  c->claimed_by = who;
  c->claimed_at = c->updated_at;
}

static void
do_resolve (CaseGen *gen,
            Case    *c,
            gint64   at)
{
  const char *result = demo_categories[c->category].result;
  g_autoptr(GString) data = g_string_new ("{\"result\":");

  json_str (data, result);
  g_string_append_c (data, '}');
  step (gen, c, at, WG_CASE_ACTION_RESOLVE, c->claimed_by != G_MAXUINT ? c->claimed_by : handler_account (gen, c),
        result, data->str);
  c->result = result;
  c->resolved_at = c->updated_at;
}

/* 督办: the center chases an overdue case a few working hours after its deadline. */
static void
maybe_supervise (CaseGen *gen,
                 Case    *c,
                 gint64   before)
{
  gint64 at;

  if (c->deadline == 0 || c->state == WG_CASE_STATE_RESOLVED)
    return;
  at = wm (gen, c->deadline, 30, 240);
  if (at >= before || at >= gen->ctx->now || !rng_chance (&gen->rng, 0.7))
    return;
  step (gen, c, at, WG_CASE_ACTION_SUPERVISE, dispatcher (gen), demo_supervise_note, NULL);
  c->supervise_count++;
  c->supervised_at = c->updated_at;
}

/* Finds the case a duplicate reported at `at` can be merged into: an earlier one still
 * open (not merged, rejected or closed) at that time, of the same category if possible. */
static Case *
merge_target (CaseGen *gen,
              Case    *dup,
              gint64   at)
{
  Case *fallback = NULL;

  for (guint k = 0; k < gen->count; k++)
    {
      Case *c = gen->window[(gen->head + gen->count - 1 - k) % CASE_WINDOW];
      WgCaseState state = WG_CASE_STATE_NEW;

      if (c == dup || c->reported_at >= at)
        continue;
      for (guint i = 0; i < c->entries->len; i++)
        {
          Entry *e = &g_array_index (c->entries, Entry, i);

          if (e->at > at)
            break;
          state = e->to;
        }
      if (state == WG_CASE_STATE_NEW || state == WG_CASE_STATE_CLOSED ||
          state == WG_CASE_STATE_MERGED || state == WG_CASE_STATE_REJECTED)
        continue;
      if (c->category == dup->category)
        return c;
      if (fallback == NULL)
        fallback = c;
      if (k > 2000)
        break;
    }
  return fallback;
}

static void
do_merge (CaseGen *gen,
          Case    *c,
          gint64   at)
{
  Case *target = merge_target (gen, c, at);
  g_autofree char *data = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GString) s = g_string_new (NULL);
  guint who = dispatcher (gen);
  Account *a = ACCOUNT (gen->ctx, who);
  WgCaseState target_state = WG_CASE_STATE_REPORTED;
  Entry e;
  guint pos;
  char when[32];

  if (target == NULL)
    {
      /* nothing open to merge into (the very first cases): a duplicate of a closed case is
       * rejected instead */
      step (gen, c, at, WG_CASE_ACTION_REJECT, who, demo_reject_reasons[0], NULL);
      c->rejected_reason = demo_reject_reasons[0];
      c->closed_at = c->updated_at;
      return;
    }
  c->title = target->title;
  c->category = target->category;
  data = g_strdup_printf ("{\"into\":\"%s\"}", target->id);
  step (gen, c, at, WG_CASE_ACTION_MERGE, who, "与已受理案件重复，合并办理。", data);
  g_strlcpy (c->merged_into, target->id, ID_LEN);

  /* the surviving case records the merge too, as the server does */
  for (pos = 0; pos < target->entries->len; pos++)
    {
      Entry *te = &g_array_index (target->entries, Entry, pos);

      if (te->at > c->updated_at)
        break;
      target_state = te->to;
    }
  note = g_strdup_printf ("案件 %s 已合并到本案件。", c->number);
  format_time (c->updated_at, when);
  g_string_append_printf (s, ",\"at\":\"%s\",\"actor_id\":\"%s\",\"actor_name\":", when, a->id);
  json_str (s, a->display_name);
  g_string_append_printf (s, ",\"action\":\"comment\",\"from\":\"%s\",\"to\":\"%s\",\"note\":",
                          wg_case_state_to_string (target_state), wg_case_state_to_string (target_state));
  json_str (s, note);
  g_string_append_c (s, '}');
  g_assert (wg_case_machine_can (target_state, WG_CASE_ACTION_COMMENT, a->role));
  e.at = c->updated_at;
  e.to = target_state;
  e.tail = g_string_free (g_steal_pointer (&s), FALSE);
  g_array_insert_val (target->entries, pos, e);
  target->updated_at = MAX (target->updated_at, e.at);
}

/* A function, not MIN (): its argument draws a random delay and must be drawn once. */
static gint64
at_most (gint64 t,
         gint64 limit)
{
  return t < limit ? t : limit;
}

/* Plays the case's life from its report to its outcome, never past `now`. */
static void
play_case (CaseGen *gen,
           Case    *c)
{
  Ctx *ctx = gen->ctx;
  Rng *r = &gen->rng;
  gint64 now = ctx->now;
  gint64 t = c->reported_at;
  guint reporter = c->reported_by;
  gboolean late = rng_chance (r, 0.09);
  gboolean returned = rng_chance (r, 0.06);
  gboolean reopened = rng_chance (r, 0.05);
  gboolean extended = rng_chance (r, 0.04);
  Outcome o = c->outcome;

  /* self-handled (自行处置): the grid worker fixed it himself and reports it resolved */
  if (c->self_handled)
    {
      step (gen, c, t, WG_CASE_ACTION_SELF_HANDLE, reporter, demo_categories[c->category].result, NULL);
      c->result = demo_categories[c->category].result;
      c->resolved_at = c->updated_at;
      goto verify;
    }

  step (gen, c, t, WG_CASE_ACTION_REPORT, reporter, NULL, NULL);
  if (o == OUT_REPORTED)
    return;

  /* filing within one working hour, mostly */
  t = rng_chance (r, 0.85) ? wm (gen, c->updated_at, 3, 55) : wm (gen, c->updated_at, 60, 200);
  t = MIN (t, now - 60);
  if (o == OUT_REJECTED)
    {
      const char *reason = PICK (r, demo_reject_reasons);

      step (gen, c, t, WG_CASE_ACTION_REJECT, dispatcher (gen), reason, NULL);
      c->rejected_reason = reason;
      c->closed_at = c->updated_at;
      return;
    }
  if (o == OUT_MERGED)
    {
      do_merge (gen, c, t);
      return;
    }
  if (o == OUT_ACCEPTED || o == OUT_ESCALATED || rng_chance (r, 0.5))
    {
      step (gen, c, t, WG_CASE_ACTION_ACCEPT, dispatcher (gen), NULL, NULL);
      c->accepted_at = c->updated_at;
      if (o == OUT_ACCEPTED && !returned)
        return;
      t = c->updated_at + 60 * (gint64) rng_uniform (r, 1, 20);
    }
  if (o == OUT_ESCALATED)
    {
      const char *reason = PICK (r, demo_escalate_reasons);

      step (gen, c, MIN (t, now - 30), WG_CASE_ACTION_ESCALATE, dispatcher (gen), reason, NULL);
      c->escalated_at = c->updated_at;
      c->escalated_reason = reason;
      return;
    }
  do_dispatch (gen, c, MIN (t, now - 30), FALSE);

  /* 退单: the team sends it back, the center dispatches it elsewhere */
  if (returned || o == OUT_ACCEPTED)
    {
      const char *reason = PICK (r, demo_return_reasons);
      guint who = handler_account (gen, c);

      t = at_most (wm (gen, c->updated_at, 10, 240), now - 20);
      step (gen, c, t, WG_CASE_ACTION_RETURN, who, reason, NULL);
      c->assignee_kind = ASSIGNEE_NONE;
      c->claimed_by = G_MAXUINT;
      c->returned_reason = reason;
      if (o == OUT_ACCEPTED)
        return;
      do_dispatch (gen, c, at_most (wm (gen, c->updated_at, 5, 60), now - 15), TRUE);
    }
  if (o == OUT_DISPATCHED)
    {
      maybe_supervise (gen, c, now);
      return;
    }

  do_claim (gen, c, at_most (wm (gen, c->updated_at, 5, 120), now - 10));
  if (o == OUT_CLAIMED)
    {
      maybe_supervise (gen, c, now);
      return;
    }
  if (o == OUT_IN_PROGRESS || rng_chance (r, 0.8))
    {
      step (gen, c, at_most (wm (gen, c->updated_at, 10, 240), now - 8), WG_CASE_ACTION_START, c->claimed_by, NULL, NULL);
      c->started_at = c->updated_at;
    }

  /* 延期: the handler asks for three more working days, the center grants them */
  if (extended || (o == OUT_IN_PROGRESS && rng_chance (r, 0.15)))
    {
      gint64 ask = at_most (wm (gen, c->updated_at, 30, 480), now - 6);

      step (gen, c, ask, WG_CASE_ACTION_EXTEND, c->claimed_by, demo_extend_reason, "{\"working_days\":3}");
      c->ext_status = "pending";
      c->ext_minutes = 3 * WG_WORKING_MINUTES_PER_DAY;
      c->ext_requested_at = c->updated_at;
      c->ext_requested_by = c->claimed_by;
      if (o != OUT_IN_PROGRESS || rng_chance (r, 0.6))
        {
          guint who = dispatcher (gen);
          gint64 at = at_most (wm (gen, c->updated_at, 10, 120), now - 5);
          gint64 base;

          step (gen, c, at, WG_CASE_ACTION_EXTEND, who, demo_extend_approval, "{\"approve\":true}");
          base = MAX (c->deadline, c->updated_at);
          c->deadline = add_working_minutes (ctx, base, c->ext_minutes);
          c->extension_count++;
          c->ext_status = "approved";
          c->ext_decided_by = who;
        }
    }
  if (o == OUT_IN_PROGRESS)
    {
      maybe_supervise (gen, c, now);
      return;
    }

  /* handling takes a share of the deadline, or more than all of it for a late case */
  {
    g_autoptr(GDateTime) from = g_date_time_new_from_unix_utc (c->dispatched_at);
    g_autoptr(GDateTime) until = g_date_time_new_from_unix_utc (c->deadline);
    gint64 span = wg_working_calendar_minutes_between (ctx->calendar, from, until);
    double frac = late ? rng_uniform (r, 1.05, 1.8) : rng_uniform (r, 0.1, 0.85);

    t = add_working_minutes (ctx, c->dispatched_at, MAX ((gint64) (span * frac), 20));
    if (late)
      maybe_supervise (gen, c, t);
    do_resolve (gen, c, MIN (t, now - 4));
  }

  /* 返工: the grid worker checks on site and finds it not done */
  if (reopened && o != OUT_RESOLVED)
    {
      const char *reason = PICK (r, demo_reopen_reasons);

      step (gen, c, at_most (wm (gen, c->updated_at, 60, 600), now - 3), WG_CASE_ACTION_REOPEN,
            grid_account (gen, c->grid), reason, NULL);
      c->reopen_count++;
      c->resolved_at = 0;
      c->claimed_by = G_MAXUINT;
      do_claim (gen, c, at_most (wm (gen, c->updated_at, 10, 120), now - 3));
      do_resolve (gen, c, at_most (wm (gen, c->updated_at, 60, 900), now - 3));
    }

verify:
  if (o == OUT_RESOLVED)
    return;
  {
    /* 核查: on site by the grid worker, or by the center on the phone */
    gboolean on_site = !c->self_handled && rng_chance (r, 0.6);
    guint who = on_site ? grid_account (gen, c->grid) : dispatcher (gen);

    step (gen, c, at_most (wm (gen, c->updated_at, 30, 900), now - 2), WG_CASE_ACTION_VERIFY, who,
          demo_verify_notes[rng_below (r, G_N_ELEMENTS (demo_verify_notes))], NULL);
    c->verified_at = c->updated_at;
    c->verified_by = who;
  }
  if (o == OUT_VERIFIED)
    return;
  step (gen, c, at_most (wm (gen, c->updated_at, 5, 120), now - 1), WG_CASE_ACTION_CLOSE, dispatcher (gen), NULL, NULL);
  c->closed_at = c->updated_at;
  /* 回访: most closed cases get the caller's rating */
  if (rng_chance (r, 0.7))
    {
      gint64 at = c->updated_at + (gint64) rng_uniform (r, 3600, 2 * 86400);
      static const int scores[] = { 5, 5, 5, 5, 5, 4, 4, 4, 3, 2 };
      int score = PICK (r, scores);
      g_autofree char *data = g_strdup_printf ("{\"satisfaction\":%d}", score);

      if (at < now)
        {
          step (gen, c, at, WG_CASE_ACTION_RATE, dispatcher (gen), score >= 4 ? "群众表示满意。" : "群众基本满意。", data);
          c->satisfaction = score;
        }
    }
}

static void
time_key (GString    *s,
          const char *name,
          gint64      t)
{
  char when[32];

  if (t == 0)
    return;
  format_time (t, when);
  g_string_append_printf (s, ",\"%s\":\"%s\"", name, when);
}

static gboolean
write_case (CaseGen  *gen,
            Case     *c,
            GError  **error)
{
  Ctx *ctx = gen->ctx;
  const DemoCategory *cat = &demo_categories[c->category];
  Grid *g = GRID (ctx, c->grid);
  Village *vil = &ctx->villages[g->village];
  GString *s = g_string_sized_new (2048 + c->entries->len * 300);
  g_autofree char *title = NULL;
  g_autofree char *place = NULL;
  g_autofree char *address = NULL;
  char created[32], updated[32];
  WgRecord r = { 0, };
  gboolean ok;

  format_time (c->reported_at, created);
  format_time (c->updated_at, updated);
  place = g_strconcat (vil->name, vil->community ? "" : GROUP (ctx, g->group)->name, NULL);
  /* every title template starts with the place ("%s路灯不亮") */
  title = g_strconcat (place, cat->titles[c->title] + 2, NULL);
  address = g_strdup_printf ("马街镇%s", place);

  g_string_append_printf (s, "{\"id\":\"%s\",\"version\":%u,\"created_at\":\"%s\",\"updated_at\":\"%s\"",
                          c->id, c->entries->len, created, updated);
  key_str (s, "number", c->number);
  key_str (s, "state", wg_case_state_to_string (c->state));
  key_str (s, "category_id", ctx->categories[c->category]);
  key_str (s, "urgency", c->urgency);
  key_str (s, "source", wg_case_source_to_string (c->source));
  key_str (s, "title", title);
  key_str (s, "description", cat->description);
  g_string_append_printf (s, ",\"location\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]}", c->lon, c->lat);
  key_str (s, "grid_id", g->id);
  key_str (s, "address", address);
  if (c->reporter_name != NULL)
    {
      g_string_append (s, ",\"reporter\":{\"name\":");
      json_str (s, c->reporter_name);
      g_string_append_printf (s, ",\"phone\":\"%s\"}", c->reporter_phone);
    }
  if (c->result != NULL)
    key_str (s, "result", c->result);
  key_str (s, "village_id", vil->id);
  g_string_append_printf (s, ",\"self_handled\":%s", c->self_handled ? "true" : "false");
  key_str (s, "reported_by", ACCOUNT (ctx, c->reported_by)->id);
  time_key (s, "reported_at", c->reported_at);
  time_key (s, "dispatch_due", c->dispatch_due);
  if (c->assignee_kind == ASSIGNEE_NONE)
    g_string_append (s, ",\"assignee\":null");
  else
    g_string_append_printf (s, ",\"assignee\":{\"kind\":\"%s\",\"id\":\"%s\"}",
                            c->assignee_kind == ASSIGNEE_GRID ? "grid"
                            : demo_teams[c->assignee].work_line ? "department" : "team",
                            c->assignee_kind == ASSIGNEE_GRID ? GRID (ctx, c->assignee)->id : ctx->teams[c->assignee].id);
  if (c->deadline == 0)
    g_string_append (s, ",\"deadline\":null");
  else
    time_key (s, "deadline", c->deadline);
  if (c->satisfaction == 0)
    g_string_append (s, ",\"satisfaction\":null");
  else
    key_int (s, "satisfaction", c->satisfaction);
  time_key (s, "resolved_at", c->resolved_at);
  g_string_append (s, ",\"attachments\":[],\"timeline\":[");
  for (guint i = 0; i < c->entries->len; i++)
    g_string_append_printf (s, "%s{\"n\":%u%s", i ? "," : "", i + 1, g_array_index (c->entries, Entry, i).tail);
  g_string_append_c (s, ']');
  time_key (s, "accepted_at", c->accepted_at);
  time_key (s, "dispatched_at", c->dispatched_at);
  if (c->claimed_by != G_MAXUINT)
    key_str (s, "claimed_by", ACCOUNT (ctx, c->claimed_by)->id);
  time_key (s, "claimed_at", c->claimed_at);
  time_key (s, "started_at", c->started_at);
  time_key (s, "verified_at", c->verified_at);
  if (c->verified_at != 0)
    key_str (s, "verified_by", ACCOUNT (ctx, c->verified_by)->id);
  time_key (s, "closed_at", c->closed_at);
  if (c->rejected_reason != NULL)
    key_str (s, "rejected_reason", c->rejected_reason);
  if (c->merged_into[0] != '\0')
    key_str (s, "merged_into", c->merged_into);
  if (c->returned_reason != NULL)
    key_str (s, "returned_reason", c->returned_reason);
  if (c->reopen_count > 0)
    key_int (s, "reopen_count", c->reopen_count);
  if (c->supervise_count > 0)
    {
      key_int (s, "supervise_count", c->supervise_count);
      time_key (s, "supervised_at", c->supervised_at);
    }
  if (c->ext_status != NULL)
    {
      char when[32];

      format_time (c->ext_requested_at, when);
      g_string_append_printf (s, ",\"extension_request\":{\"status\":\"%s\",\"working_minutes\":%" G_GINT64_FORMAT,
                              c->ext_status, c->ext_minutes);
      key_str (s, "reason", demo_extend_reason);
      key_str (s, "requested_by", ACCOUNT (ctx, c->ext_requested_by)->id);
      key_str (s, "requested_at", when);
      if (c->extension_count > 0)
        key_str (s, "decided_by", ACCOUNT (ctx, c->ext_decided_by)->id);
      g_string_append_c (s, '}');
      if (c->extension_count > 0)
        key_int (s, "extension_count", c->extension_count);
    }
  time_key (s, "escalated_at", c->escalated_at);
  if (c->escalated_reason != NULL)
    key_str (s, "escalated_reason", c->escalated_reason);
  g_string_append_c (s, '}');

  r.kind = (char *) "cases";
  r.id = c->id;
  r.version = c->entries->len;
  r.created_at = created;
  r.updated_at = updated;
  r.village_id = vil->id;
  r.natural_key = c->number;
  r.body = s->str;
  ok = wg_db_put_record (ctx->db, &r, NULL, NULL, error);
  g_string_free (s, TRUE);

  ctx->summary->n_records++;
  ctx->summary->n_cases++;
  if (c->state == WG_CASE_STATE_RESOLVED || c->state == WG_CASE_STATE_VERIFIED || c->state == WG_CASE_STATE_CLOSED)
    ctx->summary->n_handled++;
  if ((c->state == WG_CASE_STATE_DISPATCHED || c->state == WG_CASE_STATE_CLAIMED ||
       c->state == WG_CASE_STATE_IN_PROGRESS) && c->deadline < ctx->now)
    ctx->summary->n_overdue++;
  return ok;
}

static gboolean
flush_oldest (CaseGen  *gen,
              GError  **error)
{
  Case *c = gen->window[gen->head];
  gboolean ok = write_case (gen, c, error);

  if (ok && ++gen->written % CASE_BATCH == 0)
    ok = wg_db_commit (gen->ctx->db, error) && wg_db_begin (gen->ctx->db, error);

  case_free (c);
  gen->window[gen->head] = NULL;
  gen->head = (gen->head + 1) % CASE_WINDOW;
  gen->count--;
  return ok;
}

typedef struct
{
  double  key;
  Outcome outcome;
} Slot;

static int
slot_cmp (gconstpointer a,
          gconstpointer b)
{
  double x = ((const Slot *) a)->key, y = ((const Slot *) b)->key;

  return x < y ? -1 : x > y ? 1 : 0;
}

static int
gint64_cmp (gconstpointer a,
            gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

/* When reports come in: working hours mostly, evenings some, nights rarely; fewer at
 * weekends and on holidays. */
static gint64
report_time (Ctx *ctx,
             Rng *r)
{
  gint64 start = ctx->now - WG_DEMO_HISTORY_DAYS * 86400;

  for (;;)
    {
      gint64 t = start + (gint64) (rng_double (r) * (ctx->now - start - 120));
      time_t local = (time_t) (t + BEIJING);
      struct tm tm;
      double w;

      gmtime_r (&local, &tm);
      w = tm.tm_hour < 7 ? 0.05 : tm.tm_hour < 9 ? 0.5 : tm.tm_hour < 12 ? 1.0
        : tm.tm_hour < 14 ? 0.6 : tm.tm_hour < 18 ? 1.0 : tm.tm_hour < 22 ? 0.35 : 0.1;
      if (!wg_working_calendar_is_working_day (ctx->calendar, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday))
        w *= 0.55;
      if (rng_double (r) < w)
        return t;
    }
}

static guint
pick_category (Ctx *ctx,
               Rng *r)
{
  guint x = rng_below (r, ctx->category_weight_total);

  for (guint c = 0; c < G_N_ELEMENTS (demo_categories); c++)
    {
      if (x < demo_categories[c].weight)
        return c;
      x -= demo_categories[c].weight;
    }
  return 0;
}

static void
point_in_grid (Grid   *g,
               Rng    *r,
               double *lon,
               double *lat)
{
  double min_lon = G_MAXDOUBLE, max_lon = -G_MAXDOUBLE, min_lat = G_MAXDOUBLE, max_lat = -G_MAXDOUBLE;

  for (guint p = 0; p < 9; p++)
    {
      min_lon = MIN (min_lon, g->ring[2 * p]);
      max_lon = MAX (max_lon, g->ring[2 * p]);
      min_lat = MIN (min_lat, g->ring[2 * p + 1]);
      max_lat = MAX (max_lat, g->ring[2 * p + 1]);
    }
  for (guint tries = 0; tries < 100; tries++)
    {
      double x = round (rng_uniform (r, min_lon, max_lon) * 1e6) / 1e6;
      double y = round (rng_uniform (r, min_lat, max_lat) * 1e6) / 1e6;

      if (wg_ring_contains (g->ring, 9, x, y))
        {
          *lon = x;
          *lat = y;
          return;
        }
    }
  g_assert_not_reached ();
}

static gboolean
write_cases (Ctx      *ctx,
             guint     n_cases,
             GError  **error)
{
  CaseGen *gen = g_new0 (CaseGen, 1);
  guint handled = wg_demo_handled_for (n_cases);
  guint counts[N_OUTCOMES];
  g_autofree Slot *slots = g_new (Slot, MAX (n_cases, 1));
  g_autofree gint64 *times = g_new (gint64, MAX (n_cases, 1));
  gint64 last_ms = 0;
  gboolean ok = TRUE;

  gen->ctx = ctx;
  rng_init (&gen->rng, ctx->seed, "cases");

  /* exactly `handled` of the cases end resolved, verified or closed */
  {
    double handled_w[N_OUTCOMES] = { 0, }, open_w[N_OUTCOMES] = { 0, };
    guint h[N_OUTCOMES], u[N_OUTCOMES];

    for (guint o = 0; o < N_OUTCOMES; o++)
      {
        if (outcomes[o].handled)
          handled_w[o] = outcomes[o].share;
        else
          open_w[o] = outcomes[o].share;
      }
    apportion (handled, handled_w, N_OUTCOMES, 0, h);
    apportion (n_cases - handled, open_w, N_OUTCOMES, 0, u);
    for (guint o = 0; o < N_OUTCOMES; o++)
      counts[o] = outcomes[o].handled ? h[o] : u[o];
  }
  {
    guint k = 0;

    for (guint o = 0; o < N_OUTCOMES; o++)
      for (guint i = 0; i < counts[o]; i++, k++)
        {
          slots[k].outcome = o;
          slots[k].key = rng_uniform (&gen->rng, outcomes[o].age_lo, outcomes[o].age_hi);
        }
  }
  qsort (slots, n_cases, sizeof (Slot), slot_cmp);
  for (guint i = 0; i < n_cases; i++)
    times[i] = report_time (ctx, &gen->rng);
  qsort (times, n_cases, sizeof (gint64), gint64_cmp);

  for (guint i = 0; i < n_cases && ok; i++)
    {
      Case *c = g_new0 (Case, 1);
      Rng *r = &gen->rng;
      double x = rng_double (r);
      gint64 ms = MAX (times[i] * 1000, last_ms + 1);
      char counter[32];
      gint64 seq;

      last_ms = ms;
      c->entries = g_array_new (FALSE, FALSE, sizeof (Entry));
      c->outcome = slots[i].outcome;
      c->state = WG_CASE_STATE_NEW;
      c->reported_at = times[i];
      c->updated_at = times[i];
      c->claimed_by = G_MAXUINT;
      c->verified_by = G_MAXUINT;
      time_uuid (r, ms, c->id);
      c->grid = rng_below (r, ctx->grids->len);
      c->category = pick_category (ctx, r);
      c->title = rng_below (r, 3);
      c->urgency = demo_categories[c->category].urgency;
      if (rng_chance (r, 0.06))
        c->urgency = rng_chance (r, 0.3) ? "urgent" : "high";
      point_in_grid (GRID (ctx, c->grid), r, &c->lon, &c->lat);
      c->source = x < 0.62 ? WG_CASE_SOURCE_GRID_PATROL : x < 0.78 ? WG_CASE_SOURCE_CITIZEN
                : x < 0.92 ? WG_CASE_SOURCE_HOTLINE_12345 : WG_CASE_SOURCE_STAFF_ON_BEHALF;
      if (c->source == WG_CASE_SOURCE_GRID_PATROL)
        c->reported_by = grid_account (gen, c->grid);
      else
        {
          /* citizens' orders (群众点单), 12345 calls and walk-ins are filed by the center */
          c->reported_by = dispatcher (gen);
          c->reporter_name = make_name (r, rng_chance (r, 0.45));
          make_mobile (r, c->reporter_phone);
        }
      c->self_handled = c->source == WG_CASE_SOURCE_GRID_PATROL && outcomes[c->outcome].handled &&
                        rng_chance (r, 0.16);
      g_snprintf (counter, sizeof counter, "case-number-%d", beijing_year (c->reported_at));
      seq = wg_db_next_counter (ctx->db, counter, error);
      if (seq < 0)
        {
          case_free (c);
          ok = FALSE;
          break;
        }
      g_snprintf (c->number, sizeof c->number, "%d-%06" G_GINT64_FORMAT, beijing_year (c->reported_at), seq);
      c->dispatch_due = add_working_minutes (ctx, c->reported_at, 60);

      if (gen->count == CASE_WINDOW)
        ok = flush_oldest (gen, error);
      gen->window[(gen->head + gen->count) % CASE_WINDOW] = c;
      gen->count++;
      play_case (gen, c);
    }
  while (gen->count > 0)
    {
      if (ok)
        ok = flush_oldest (gen, error);
      else
        {
          case_free (gen->window[gen->head]);
          gen->head = (gen->head + 1) % CASE_WINDOW;
          gen->count--;
        }
    }
  g_free (gen);
  return ok;
}

/* --- public API ------------------------------------------------------------------------ */

/* The sign-ins the demo documents; every grid worker and team member has one like those
 * shown here. */
const WgDemoAccount *
wg_demo_get_accounts (guint *n_accounts)
{
  static const WgDemoAccount accounts[] = {
    { "admin", WG_DEMO_PASSWORD_ADMIN, "admin", "系统管理员" },
    { "dispatcher", WG_DEMO_PASSWORD_DISPATCHER, "dispatcher", "指挥中心值班调度员" },
    { "dispatcher2", WG_DEMO_PASSWORD_DISPATCHER, "dispatcher", "指挥中心值班调度员（第二班）" },
    { "leader", WG_DEMO_PASSWORD_LEADER, "leader", "镇党委书记（只读）" },
    { "songmao", WG_DEMO_PASSWORD_VILLAGE, "dispatcher", "松毛村党总支书记（仅松毛村）" },
    { "gw001…gw903", WG_DEMO_PASSWORD_FIELD, "field_worker", "网格员，按网格编码顺序" },
    { "team01-1…team15-3", WG_DEMO_PASSWORD_TEAM, "team_member", "服务队、部门队员（01–05 服务队，06–15 部门）" },
  };

  g_return_val_if_fail (n_accounts != NULL, NULL);

  *n_accounts = G_N_ELEMENTS (accounts);
  return accounts;
}

/* 511 of 584 in seed 000; a scaled history keeps the ratio. */
guint
wg_demo_handled_for (guint n_cases)
{
  return (guint) (((guint64) n_cases * WG_DEMO_N_HANDLED + WG_DEMO_N_CASES / 2) / WG_DEMO_N_CASES);
}

gboolean
wg_demo_generate (WgDb                *db,
                  const WgDemoOptions *options,
                  WgDemoSummary       *out_summary,
                  GError             **error)
{
  g_autoptr(GPtrArray) people = g_ptr_array_new_with_free_func (person_free);
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (account_free);
  g_autoptr(GArray) grids = g_array_new (FALSE, TRUE, sizeof (Grid));
  g_autoptr(GArray) groups = g_array_new (FALSE, TRUE, sizeof (Group));
  g_autoptr(GArray) branches = g_array_new (FALSE, TRUE, sizeof (Branch));
  g_autoptr(WgWorkingCalendar) calendar = wg_working_calendar_new ();
  WgDemoSummary summary = { 0, };
  Ctx *ctx;
  gboolean ok;

  g_return_val_if_fail (WG_IS_DB (db), FALSE);
  g_return_val_if_fail (options != NULL && options->now != NULL, FALSE);

  if (options->n_cases > 10000000)
    {
      g_set_error (error, WG_DEMO_ERROR, WG_DEMO_ERROR_INVALID,
                   _("The demo makes at most 10,000,000 cases; %u were asked for."), options->n_cases);
      return FALSE;
    }
  if (wg_db_get_head (db, NULL) != 0)
    {
      g_set_error (error, WG_DEMO_ERROR, WG_DEMO_ERROR_INVALID,
                   _("The database already holds records; the demo township goes into an empty one."));
      return FALSE;
    }

  ctx = g_new0 (Ctx, 1);
  ctx->db = db;
  ctx->seed = options->seed;
  ctx->now = g_date_time_to_unix (options->now);
  /* the township was entered five weeks ago, at 09:00 Beijing time */
  {
    gint64 local = ctx->now - 35 * 86400 + BEIJING;

    ctx->base = local - local % 86400 + 9 * 3600 - BEIJING;
  }
  format_time (ctx->base, ctx->base_at);
  ctx->calendar = calendar;
  ctx->summary = &summary;
  ctx->grids = grids;
  ctx->groups = groups;
  ctx->branches = branches;
  ctx->people = people;
  ctx->accounts = accounts;
  ctx->wt_cache = g_malloc0 (sizeof *ctx->wt_cache * WT_CACHE_SIZE);
  for (guint i = 0; i < WT_CACHE_SIZE; i++)
    ctx->wt_cache[i].start = G_MININT64;

  /* one hash per shared password: 903 Argon2id hashes would take minutes */
  ctx->hash_field = wg_auth_hash_password (WG_DEMO_PASSWORD_FIELD, error);
  ctx->hash_team = ctx->hash_field ? wg_auth_hash_password (WG_DEMO_PASSWORD_TEAM, error) : NULL;

  ok = ctx->hash_team != NULL && wg_db_begin (db, error);
  if (ok)
    {
      add_center_accounts (ctx);
      build_map (ctx);
      ok = write_holidays (ctx, error) &&
           write_org (ctx, error) &&
           write_people_and_grids (ctx, error) &&
           write_grids (ctx, error) &&
           write_teams (ctx, error) &&
           write_accounts (ctx, error) &&
           write_cases (ctx, options->n_cases, error) &&
           wg_db_commit (db, error);
      if (!ok)
        wg_db_rollback (db);
    }

  for (guint i = 0; i < groups->len; i++)
    g_free (g_array_index (groups, Group, i).name);
  g_free (ctx->hash_field);
  g_free (ctx->hash_team);
  g_free (ctx->wt_cache);
  g_free (ctx);
  if (ok && out_summary != NULL)
    *out_summary = summary;
  return ok;
}
