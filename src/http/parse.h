/* parse.h: strict parsers for what arrives over HTTP: the request path,
 * urlencoded query strings and forms, and the Cookie header.
 *
 * All of them reject rather than repair: invalid percent escapes, NUL,
 * invalid UTF-8, control characters, too many fields or over-long names
 * make the whole input invalid (HV_EINVAL with a message).  Results are
 * allocated in the request arena. */
#ifndef HV_PARSE_H
#define HV_PARSE_H

#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "views/ctx.h"

/* Decodes the path part of a raw request target ("/a%20b?x" -> "/a b"). */
int hv_parse_path(struct hv_arena *a, const char *raw, size_t n, const char **out, struct hv_error *e);
/* Parses "k=v&k2=v2" (with + as space). Later duplicates are dropped. */
int hv_parse_urlencoded(struct hv_arena *a, const char *s, size_t n, struct hv_params *out, struct hv_error *e);
/* Parses a multipart/form-data body (RFC 7578) given its Content-Type
 * header: text parts become form fields (held to the rules of urlencoded
 * ones), parts with a filename become files (at most HV_MAX_FILES, any
 * bytes, pointing into body: a large upload is not held twice).  Strict: a missing or bad boundary, a part without
 * Content-Disposition form-data and a name, over-long or too many headers,
 * or a body that does not end with the closing delimiter fail. */
int hv_parse_multipart(struct hv_arena *a, const char *content_type, const char *body, size_t n, struct hv_params *form,
                       struct hv_files *files, struct hv_error *e);
/* Parses "a=1; b=2". Malformed pairs are skipped (browsers send junk),
 * but invalid UTF-8 or too many cookies fail. */
int hv_parse_cookies(struct hv_arena *a, const char *s, struct hv_params *out, struct hv_error *e);

/* 1 if no object or array in the JSON text nests deeper than max. */
int hv_json_depth_ok(const char *s, size_t n, int max);
/* The language an Accept-Language header prefers among ours: "en" or
 * "vi" (the q-value decides, then the order; "vi" when it names neither,
 * is absent or cannot be read). */
const char *hv_accept_lang(const char *header);

#endif
