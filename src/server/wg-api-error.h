/* wg-api-error.h — the API's error domain: one code per HTTP status and "error.code" string
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define WG_API_ERROR (wg_api_error_quark ())

/* Each code maps to one HTTP status and one stable machine-readable string that clients
 * switch on; the message beside it is for people and may be translated. */
typedef enum
{
  WG_API_ERROR_BAD_REQUEST,           /* 400 bad_request */
  WG_API_ERROR_INVALID_JSON,          /* 400 invalid_json */
  WG_API_ERROR_VALIDATION,            /* 400 validation_failed */
  WG_API_ERROR_UNKNOWN_FIELD,         /* 400 unknown_field */
  WG_API_ERROR_INVALID_ID,            /* 400 invalid_id */
  WG_API_ERROR_UNAUTHENTICATED,       /* 401 unauthenticated */
  WG_API_ERROR_FORBIDDEN,             /* 403 forbidden */
  WG_API_ERROR_READ_ONLY,             /* 403 read_only */
  WG_API_ERROR_OUT_OF_SCOPE,          /* 403 out_of_scope */
  WG_API_ERROR_NOT_FOUND,             /* 404 not_found */
  WG_API_ERROR_METHOD_NOT_ALLOWED,    /* 405 method_not_allowed */
  WG_API_ERROR_CONFLICT,              /* 409 conflict */
  WG_API_ERROR_INVALID_TRANSITION,    /* 409 invalid_transition */
  WG_API_ERROR_VERSION_MISMATCH,      /* 412 version_mismatch */
  WG_API_ERROR_TOO_LARGE,             /* 413 body_too_large */
  WG_API_ERROR_UNSUPPORTED_MEDIA,     /* 415 unsupported_media_type */
  WG_API_ERROR_IDEMPOTENCY_REUSED,    /* 422 idempotency_key_reused */
  WG_API_ERROR_TOO_MANY_REQUESTS,     /* 429 too_many_requests */
  WG_API_ERROR_INTERNAL,              /* 500 internal */
  WG_API_ERROR_UNAVAILABLE,           /* 503 unavailable */
  WG_N_API_ERRORS
} WgApiError;

GQuark      wg_api_error_quark   (void);
guint       wg_api_error_status  (const GError *error);
const char *wg_api_error_code    (const GError *error);

G_END_DECLS
