/* wg-sim-photo.c — the simulator's "on-site photos": small generated street scenes as PNG
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A grid worker's patrol report comes with a photo taken on the spot. The simulator has no
 * camera, so it paints one: sky, hills, a row of village houses, a road and the thing being
 * reported (a pothole, a heap of rubbish, a fallen branch or a leaning lamp post), with a
 * little grain so it reads as a photo in a thumbnail. Everything follows from the seed, so a
 * rerun uploads the same bytes. The PNG is written here (zlib from GIO), so the simulator
 * links nothing new.
 */
#define G_LOG_DOMAIN "WgSimPhoto"

#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

#include "wg-sim-photo.h"

typedef struct
{
  guint8 r, g, b;
} Rgb;

typedef struct
{
  guint   width;
  guint   height;
  guint8 *pixels;     /* RGB, row after row */
  guint64 state;      /* the random sequence */
} Canvas;

/* splitmix64: small, fast and the same everywhere */
static guint64
next_random (Canvas *c)
{
  guint64 z = (c->state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);
  return z ^ (z >> 31);
}

static double
uniform (Canvas *c,
         double  lo,
         double  hi)
{
  return lo + (hi - lo) * ((next_random (c) >> 11) * (1.0 / 9007199254740992.0));
}

static Rgb
mix (Rgb    a,
     Rgb    b,
     double t)
{
  Rgb out = { (guint8) (a.r + (b.r - a.r) * t), (guint8) (a.g + (b.g - a.g) * t), (guint8) (a.b + (b.b - a.b) * t) };

  return out;
}

static void
put (Canvas *c,
     int     x,
     int     y,
     Rgb     color)
{
  guint8 *p;

  if (x < 0 || y < 0 || (guint) x >= c->width || (guint) y >= c->height)
    return;
  p = c->pixels + ((gsize) y * c->width + x) * 3;
  p[0] = color.r;
  p[1] = color.g;
  p[2] = color.b;
}

static void
fill_rect (Canvas *c,
           int     x0,
           int     y0,
           int     x1,
           int     y1,
           Rgb     color)
{
  for (int y = y0; y < y1; y++)
    for (int x = x0; x < x1; x++)
      put (c, x, y, color);
}

static void
fill_ellipse (Canvas *c,
              double  cx,
              double  cy,
              double  rx,
              double  ry,
              Rgb     color)
{
  for (int y = (int) (cy - ry); y <= (int) (cy + ry); y++)
    for (int x = (int) (cx - rx); x <= (int) (cx + rx); x++)
      {
        double dx = (x - cx) / rx, dy = (y - cy) / ry;

        if (dx * dx + dy * dy <= 1)
          put (c, x, y, color);
      }
}

static void
draw_line (Canvas *c,
           double  x0,
           double  y0,
           double  x1,
           double  y1,
           double  thickness,
           Rgb     color)
{
  double length = hypot (x1 - x0, y1 - y0);

  for (double t = 0; t <= 1; t += 0.5 / MAX (length, 1))
    fill_ellipse (c, x0 + (x1 - x0) * t, y0 + (y1 - y0) * t, thickness / 2, thickness / 2, color);
}

static void
paint (Canvas *c)
{
  const int w = c->width, h = c->height;
  const int horizon = (int) (h * uniform (c, 0.42, 0.52));
  gboolean overcast = uniform (c, 0, 1) < 0.4;
  Rgb sky_top = overcast ? (Rgb) { 150, 156, 164 } : (Rgb) { 70, 130, 200 };
  Rgb sky_low = overcast ? (Rgb) { 205, 208, 212 } : (Rgb) { 190, 215, 235 };
  Rgb hill = { 92, 122, 88 };
  Rgb ground = { 150, 138, 110 };
  Rgb asphalt = { 88, 90, 94 };
  double phase = uniform (c, 0, 6.28), hill_height = uniform (c, 0.06, 0.14) * h;
  double vanish = uniform (c, 0.35, 0.65) * w;
  int houses = 2 + (int) uniform (c, 0, 3);
  int problem = (int) uniform (c, 0, 4);

  /* sky, hills, ground */
  for (int y = 0; y < horizon; y++)
    fill_rect (c, 0, y, w, y + 1, mix (sky_top, sky_low, (double) y / horizon));
  for (int x = 0; x < w; x++)
    {
      int top = horizon - (int) (hill_height * (0.6 + 0.4 * sin (x * 0.02 + phase) * sin (x * 0.007 + phase * 2)));

      fill_rect (c, x, top, x + 1, horizon, mix (hill, sky_low, 0.35));
    }
  for (int y = horizon; y < h; y++)
    fill_rect (c, 0, y, w, y + 1, mix (ground, (Rgb) { 120, 112, 90 }, (double) (y - horizon) / (h - horizon)));

  /* village houses along the road: white walls, grey-blue or red roofs, dark windows */
  for (int i = 0; i < houses; i++)
    {
      gboolean left = i % 2 == 0;
      int hw = (int) (uniform (c, 0.14, 0.22) * w + uniform (c, 0, 30));
      int hh = (int) (uniform (c, 0.14, 0.24) * h + 10);
      int x0 = left ? (int) uniform (c, 0, vanish - hw - 20) : (int) uniform (c, vanish + 20, MAX (vanish + 21, w - hw));
      int base = horizon + (int) uniform (c, 2, 10);
      Rgb wall = uniform (c, 0, 1) < 0.7 ? (Rgb) { 228, 226, 218 } : (Rgb) { 196, 150, 120 };
      Rgb roof = uniform (c, 0, 1) < 0.5 ? (Rgb) { 84, 96, 112 } : (Rgb) { 150, 70, 60 };

      fill_rect (c, x0, base - hh, x0 + hw, base, wall);
      for (int k = 0; k < 6; k++)
        fill_rect (c, x0 - 4 + k, base - hh - 6 + k, x0 + hw + 4 - k, base - hh - 5 + k, roof);
      for (int wy = base - hh + 8; wy + 10 < base - 4; wy += 18)
        for (int wx = x0 + 8; wx + 10 < x0 + hw - 6; wx += 22)
          fill_rect (c, wx, wy, wx + 10, wy + 10, (Rgb) { 70, 80, 92 });
    }

  /* the road into the distance, with its dashed centre line */
  for (int y = horizon; y < h; y++)
    {
      double t = (double) (y - horizon) / (h - horizon);
      double half = 4 + t * w * 0.45;

      fill_rect (c, (int) (vanish + (w / 2.0 - vanish) * t - half), y, (int) (vanish + (w / 2.0 - vanish) * t + half), y + 1,
                 mix (asphalt, (Rgb) { 110, 112, 116 }, t * 0.5));
      if (((int) (sqrt (t) * 14)) % 2 == 0)
        fill_rect (c, (int) (vanish + (w / 2.0 - vanish) * t - 1 - t * 2), y, (int) (vanish + (w / 2.0 - vanish) * t + 1 + t * 2), y + 1,
                   (Rgb) { 235, 230, 200 });
    }

  /* what the grid worker reports */
  switch (problem)
    {
    case 0:   /* a pothole with water in it */
      {
        double x = w * uniform (c, 0.4, 0.6);

        fill_ellipse (c, x, h * 0.82, w * 0.1, h * 0.05, (Rgb) { 52, 50, 48 });
        fill_ellipse (c, x - w * 0.02, h * 0.825, w * 0.06, h * 0.025, (Rgb) { 110, 125, 140 });
      }
      break;
    case 1:   /* a heap of rubbish at the roadside */
      for (int i = 0; i < 40; i++)
        fill_ellipse (c, w * uniform (c, 0.08, 0.3), h * uniform (c, 0.72, 0.9), uniform (c, 4, 12), uniform (c, 3, 8),
                      mix ((Rgb) { 60, 120, 70 }, (Rgb) { 200, 190, 170 }, uniform (c, 0, 1)));
      break;
    case 2:   /* a fallen branch across the road */
      draw_line (c, w * 0.25, h * 0.78, w * 0.72, h * 0.86, 6, (Rgb) { 90, 64, 40 });
      for (int i = 0; i < 25; i++)
        fill_ellipse (c, w * uniform (c, 0.3, 0.7), h * uniform (c, 0.74, 0.86), uniform (c, 3, 7), uniform (c, 3, 6), (Rgb) { 60, 110, 50 });
      break;
    default:  /* a lamp post leaning over */
      draw_line (c, w * 0.8, h * 0.9, w * 0.66, h * 0.3, 4, (Rgb) { 70, 72, 76 });
      fill_ellipse (c, w * 0.655, h * 0.29, 8, 4, (Rgb) { 230, 225, 190 });
      break;
    }

  /* grain and a soft vignette */
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 *p = c->pixels + ((gsize) y * w + x) * 3;
        double dx = (x - w / 2.0) / w, dy = (y - h / 2.0) / h;
        double shade = 1 - 0.35 * (dx * dx + dy * dy);
        int noise = (int) (next_random (c) % 7) - 3;

        for (int k = 0; k < 3; k++)
          p[k] = (guint8) CLAMP (p[k] * shade + noise, 0, 255);
      }
}

/* --- PNG ------------------------------------------------------------------------------------- */

static guint32
crc32_of (const guint8 *data,
          gsize         length,
          guint32       crc)
{
  static guint32 table[256];
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 v = n;

          for (int k = 0; k < 8; k++)
            v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
          table[n] = v;
        }
      g_once_init_leave (&initialised, 1);
    }
  crc = ~crc;
  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);
  return ~crc;
}

static void
append_be32 (GByteArray *out,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, (value >> 16) & 0xff, (value >> 8) & 0xff, value & 0xff };

  g_byte_array_append (out, bytes, 4);
}

static void
append_chunk (GByteArray   *out,
              const char   *type,
              const guint8 *data,
              gsize         length)
{
  guint32 crc = crc32_of ((const guint8 *) type, 4, 0);

  crc = crc32_of (data, length, crc);
  append_be32 (out, length);
  g_byte_array_append (out, (const guint8 *) type, 4);
  g_byte_array_append (out, data, length);
  append_be32 (out, crc);
}

static GBytes *
deflate (const guint8 *data,
         gsize         length)
{
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_ZLIB, 9);
  g_autoptr(GOutputStream) out = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  /* Writing to memory cannot fail. */
  g_output_stream_write_all (out, data, length, NULL, NULL, NULL);
  g_output_stream_close (out, NULL, NULL);
  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

/* A @width × @height street scene as a PNG file, the same for the same @seed. */
GBytes *
wg_sim_photo_new (guint64 seed,
                  guint   width,
                  guint   height)
{
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  Canvas canvas = { width, height, NULL, seed };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autofree guint8 *raw = NULL;
  g_autoptr(GBytes) compressed = NULL;
  guint8 header[13];
  gsize row = (gsize) width * 3 + 1;
  gsize length;
  const guint8 *data;

  g_return_val_if_fail (width >= 64 && width <= 4096 && height >= 64 && height <= 4096, NULL);

  canvas.pixels = g_malloc0 ((gsize) width * height * 3);
  paint (&canvas);

  /* every row starts with its filter type, 0: none */
  raw = g_malloc0 (row * height);
  for (guint y = 0; y < height; y++)
    memcpy (raw + y * row + 1, canvas.pixels + (gsize) y * width * 3, (gsize) width * 3);
  g_free (canvas.pixels);
  compressed = deflate (raw, row * height);

  g_byte_array_append (png, signature, sizeof signature);
  header[0] = width >> 24; header[1] = (width >> 16) & 0xff; header[2] = (width >> 8) & 0xff; header[3] = width & 0xff;
  header[4] = height >> 24; header[5] = (height >> 16) & 0xff; header[6] = (height >> 8) & 0xff; header[7] = height & 0xff;
  header[8] = 8;      /* bits per channel */
  header[9] = 2;      /* RGB */
  header[10] = 0;     /* deflate */
  header[11] = 0;     /* adaptive filtering */
  header[12] = 0;     /* not interlaced */
  append_chunk (png, "IHDR", header, sizeof header);
  data = g_bytes_get_data (compressed, &length);
  append_chunk (png, "IDAT", data, length);
  append_chunk (png, "IEND", NULL, 0);
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}
