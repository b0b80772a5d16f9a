/* wg-auth.c — passwords, bearer tokens and the failed-login limiter
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Passwords are hashed with Argon2id (libsodium's crypto_pwhash) at the "interactive"
 * cost: about 64 MiB and a fraction of a second per login, which a township server with
 * tens of users affords and which makes an offline guess of a stolen hash expensive.
 *
 * Tokens are 256 random bits; only their SHA-256 is stored, so a copy of the database
 * (a backup on a USB stick) cannot be used to act as anyone. A slow hash is not needed
 * for tokens: they are random, not chosen by people.
 */
#define G_LOG_DOMAIN "WgAuth"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <sodium.h>
#include <string.h>

#include "wg-auth.h"

#define TOKEN_BYTES 32
#define MIN_PASSWORD_CHARS 8

static unsigned long long hash_ops = 0;
static size_t hash_mem = 0;

G_DEFINE_QUARK (wg-auth-error-quark, wg_auth_error)

/* `fast_hash` lowers the Argon2id cost to libsodium's minimum. Only the test suite asks
 * for it (wangge-server --test-fast-hash), so the suite can create and log in dozens of
 * accounts in seconds; a real deployment never sets it. */
gboolean
wg_auth_init (gboolean   fast_hash,
              GError   **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, WG_AUTH_ERROR, WG_AUTH_ERROR_FAILED,
                   _("The cryptography library (libsodium) failed to start."));
      return FALSE;
    }
  if (fast_hash)
    {
      g_warning ("Password hashing is at its minimum cost (--test-fast-hash): for tests only");
      hash_ops = crypto_pwhash_OPSLIMIT_MIN;
      hash_mem = crypto_pwhash_MEMLIMIT_MIN;
    }
  else
    {
      hash_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
      hash_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
    }
  return TRUE;
}

gboolean
wg_auth_check_password_strength (const char  *password,
                                  GError     **error)
{
  if (password == NULL || g_utf8_strlen (password, -1) < MIN_PASSWORD_CHARS)
    {
      g_set_error (error, WG_AUTH_ERROR, WG_AUTH_ERROR_WEAK_PASSWORD,
                   _("The password must have at least %d characters."), MIN_PASSWORD_CHARS);
      return FALSE;
    }
  if (strlen (password) > 1024)
    {
      g_set_error (error, WG_AUTH_ERROR, WG_AUTH_ERROR_WEAK_PASSWORD,
                   _("The password is longer than 1024 bytes; choose a shorter one."));
      return FALSE;
    }
  return TRUE;
}

char *
wg_auth_hash_password (const char  *password,
                       GError     **error)
{
  char out[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (hash_ops != 0, NULL);

  if (!wg_auth_check_password_strength (password, error))
    return NULL;
  if (crypto_pwhash_str_alg (out, password, strlen (password), hash_ops, hash_mem,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, WG_AUTH_ERROR, WG_AUTH_ERROR_FAILED,
                   _("Hashing the password ran out of memory."));
      return NULL;
    }
  return g_strdup (out);
}

/* Safe to call from a worker thread: it touches no shared state. */
gboolean
wg_auth_verify_password (const char *hash,
                         const char *password)
{
  if (hash == NULL || password == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
wg_auth_new_token (void)
{
  guchar bytes[TOKEN_BYTES];
  char out[sodium_base64_ENCODED_LEN (TOKEN_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (out, sizeof out, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero (bytes, sizeof bytes);
  return g_strdup (out);
}

char *
wg_auth_hash_token (const char *token)
{
  g_return_val_if_fail (token != NULL, NULL);

  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

/* The limiter counts failures per key (an account name, an address) in a sliding window.
 * It lives in memory: a restart forgives, which is acceptable for a limiter whose job is
 * to make online guessing slow, and keeps failed logins from writing to the database. */

typedef struct
{
  GArray *times;   /* gint64 monotonic µs of recent failures */
} Entry;

struct _WgRateLimiter
{
  GObject     parent_instance;

  guint       max_failures;
  gint64      window_us;
  /* owned */
  GHashTable *entries;   /* key → Entry */
};

G_DEFINE_FINAL_TYPE (WgRateLimiter, wg_rate_limiter, G_TYPE_OBJECT)

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_array_unref (e->times);
  g_free (e);
}

static void
prune (WgRateLimiter *self,
       Entry         *e,
       gint64         now_us)
{
  guint drop = 0;

  while (drop < e->times->len && g_array_index (e->times, gint64, drop) <= now_us - self->window_us)
    drop++;
  if (drop > 0)
    g_array_remove_range (e->times, 0, drop);
}

static void
wg_rate_limiter_finalize (GObject *object)
{
  WgRateLimiter *self = (WgRateLimiter *)object;

  g_clear_pointer (&self->entries, g_hash_table_unref);

  G_OBJECT_CLASS (wg_rate_limiter_parent_class)->finalize (object);
}

static void
wg_rate_limiter_class_init (WgRateLimiterClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wg_rate_limiter_finalize;
}

static void
wg_rate_limiter_init (WgRateLimiter *self)
{
  self->entries = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, entry_free);
}

WgRateLimiter *
wg_rate_limiter_new (guint max_failures,
                     guint window_seconds)
{
  WgRateLimiter *self = g_object_new (WG_TYPE_RATE_LIMITER, NULL);

  self->max_failures = max_failures;
  self->window_us = (gint64) window_seconds * G_USEC_PER_SEC;
  return self;
}

gboolean
wg_rate_limiter_blocked (WgRateLimiter *self,
                         const char    *key,
                         gint64         now_us,
                         guint         *out_retry_after)
{
  Entry *e;

  g_return_val_if_fail (WG_IS_RATE_LIMITER (self), FALSE);

  e = g_hash_table_lookup (self->entries, key);
  if (e == NULL)
    return FALSE;
  prune (self, e, now_us);
  if (e->times->len < self->max_failures)
    return FALSE;
  if (out_retry_after != NULL)
    {
      gint64 oldest = g_array_index (e->times, gint64, 0);

      *out_retry_after = (guint) MAX (1, (oldest + self->window_us - now_us) / G_USEC_PER_SEC + 1);
    }
  return TRUE;
}

void
wg_rate_limiter_failed (WgRateLimiter *self,
                        const char    *key,
                        gint64         now_us)
{
  Entry *e;

  g_return_if_fail (WG_IS_RATE_LIMITER (self));

  e = g_hash_table_lookup (self->entries, key);
  if (e == NULL)
    {
      e = g_new0 (Entry, 1);
      e->times = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (self->entries, g_strdup (key), e);
    }
  prune (self, e, now_us);
  g_array_append_val (e->times, now_us);
  /* An attacker spraying usernames must not grow the table without bound. */
  if (g_hash_table_size (self->entries) > 100000)
    g_hash_table_remove_all (self->entries);
}

void
wg_rate_limiter_reset (WgRateLimiter *self,
                       const char    *key)
{
  g_return_if_fail (WG_IS_RATE_LIMITER (self));

  g_hash_table_remove (self->entries, key);
}
