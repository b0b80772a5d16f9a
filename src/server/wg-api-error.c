/* wg-api-error.c — the API's error domain: one code per HTTP status and "error.code" string
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Errors from other domains reaching the HTTP layer (storage, I/O) are server faults: they
 * become 500 "internal" and their text goes to the log, not to the client, because it can
 * name files and SQL that a caller has no business seeing.
 */
#define G_LOG_DOMAIN "WgApiError"

#include "config.h"

#include "wg-api-error.h"

G_DEFINE_QUARK (wg-api-error-quark, wg_api_error)

static const struct {
  guint status;
  const char *code;
} errors[] = {
  { 400, "bad_request" },
  { 400, "invalid_json" },
  { 400, "validation_failed" },
  { 400, "unknown_field" },
  { 400, "invalid_id" },
  { 401, "unauthenticated" },
  { 403, "forbidden" },
  { 403, "read_only" },
  { 403, "out_of_scope" },
  { 404, "not_found" },
  { 405, "method_not_allowed" },
  { 409, "conflict" },
  { 409, "invalid_transition" },
  { 412, "version_mismatch" },
  { 413, "body_too_large" },
  { 415, "unsupported_media_type" },
  { 422, "idempotency_key_reused" },
  { 429, "too_many_requests" },
  { 500, "internal" },
  { 503, "unavailable" },
};
G_STATIC_ASSERT (G_N_ELEMENTS (errors) == WG_N_API_ERRORS);

guint
wg_api_error_status (const GError *error)
{
  g_return_val_if_fail (error != NULL, 500);

  if (error->domain != WG_API_ERROR || error->code < 0 || error->code >= WG_N_API_ERRORS)
    return 500;
  return errors[error->code].status;
}

const char *
wg_api_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, "internal");

  if (error->domain != WG_API_ERROR || error->code < 0 || error->code >= WG_N_API_ERRORS)
    return "internal";
  return errors[error->code].code;
}
