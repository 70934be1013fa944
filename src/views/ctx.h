/* ctx.h: one request and its response, as the views see them.
 *
 * http/ fills a struct hv_ctx from libmicrohttpd (no MHD type crosses this
 * line), calls the route's handler, and sends what the handler left in the
 * response half.  Everything hangs off the request arena. */
#ifndef HV_CTX_H
#define HV_CTX_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/err.h"
#include "domain/people/auth.h"
#include "domain/learn/content.h"
#include "store/store.h"
#include "views/val.h"

struct hv_kv {
	const char *key, *value;
};

struct hv_params {
	struct hv_kv *items;
	int n, cap;  /* cap: room in items (parsers grow it in the request arena) */
};

/* A file sent in a multipart/form-data body: data points into the request
 * body (not copied, not NUL-terminated; len bytes), alive for the request. */
struct hv_file {
	const char *field, *filename, *type;
	const char *data;
	size_t len;
};

#define HV_MAX_FILES 4

struct hv_files {
	struct hv_file items[HV_MAX_FILES];
	int n;
};

struct hv_app {
	struct hv_store *store;
	struct hv_config *cfg;
	unsigned char secret[32];   /* keys CSRF tokens; from the database */
	double started;
};

#define HV_MAX_SET_COOKIES 6

/* A part of a body kept ready elsewhere (a dashboard's shared parts): its
 * text and, if z, the same text as raw deflate data compressed on its own
 * (ending on a byte boundary, no reference before its start) with the
 * CRC-32 of the text, which a gzip answer copies instead of compressing
 * the text again. */
struct hv_part {
	const char *text;
	size_t len;
	const unsigned char *z;
	size_t zlen;
	uint32_t crc;
};

#define HV_MAX_SPLICES 4

struct hv_ctx {
	struct hv_arena *arena;
	struct hv_app *app;
	int route;
	/* request */
	const char *method;
	const char *path;            /* decoded, validated UTF-8 */
	const char *query_string;    /* raw, may be "" */
	struct hv_params query, form, cookies;
	struct hv_files files;       /* from a multipart body (routes with HV_R_UPLOAD) */
	json_t *json;                /* parsed JSON body, or NULL */
	const char *params[4];       /* {code} parts of the route pattern */
	const char *ip, *user_agent, *accept_encoding, *if_none_match, *content_type, *authorization, *csrf_header;
	size_t body_len;
	const char *lang;            /* "vi" or "en" */
	bool secure;                 /* request came over TLS (per config) */
	struct hv_principal *who;    /* NULL when anonymous */
	/* response */
	int status;
	const char *resp_type;
	struct hv_buf body;
	const char *location;
	const char *filename;        /* a download's file name (ASCII): Content-Disposition: attachment */
	const char *set_cookie[HV_MAX_SET_COOKIES];
	int nset_cookie;
	const char *cache_control;
	bool no_store;               /* do not cache this answer (per-user) */
	/* A streamed body (large exports): when set, body is ignored and the
	 * server calls stream while the client reads, each call appending the
	 * next chunk to out; it returns 1 for more, 0 when done, < 0 to cut
	 * the answer short.  It runs on the request's thread, after the
	 * handler returned and before the arena is freed; it must not hold a
	 * database statement between calls. */
	int (*stream)(struct hv_ctx *c, struct hv_buf *out);
	void *stream_arg;
	/* Parts the body names by a marker (hv_splice_mark), put in when it is
	 * sent: copied, or their deflate data for a gzip answer. */
	struct hv_part splice[HV_MAX_SPLICES];
	int nsplice;
	char splice_nonce[17];
	/* The CSRF token made for this request and what it was bound to: the
	 * layout and a form on the page ask for the same one. */
	const char *csrf_token, *csrf_bound;
};

const char *hv_param(const struct hv_params *p, const char *key); /* NULL if absent */
const char *hv_query(struct hv_ctx *c, const char *key);
const char *hv_form(struct hv_ctx *c, const char *key);
const char *hv_cookie(struct hv_ctx *c, const char *key);

/* Adds a Set-Cookie (HttpOnly, SameSite=Lax, Secure when configured). */
void hv_set_cookie(struct hv_ctx *c, const char *name, const char *value, int64_t max_age);
/* HMAC-SHA256 under the server secret of purpose ("csrf:", "device:", ...)
 * followed by n bytes of data: the one way cookies and tokens are signed. */
void hv_hmac(struct hv_ctx *c, const char *purpose, const char *data, size_t n, unsigned char out[32]);

/* The CSRF token for this request's session (or anonymous cookie, which it
 * sets if missing), and its check for state-changing requests. */
const char *hv_csrf_token(struct hv_ctx *c);
bool hv_csrf_ok(struct hv_ctx *c);

/* Responses. */
void hv_redirect(struct hv_ctx *c, const char *location);  /* 303 */
/* Renders name inside the layout with title; status 200 unless set. */
int hv_page(struct hv_ctx *c, const char *tmpl, const char *title, struct hv_val *data);
/* Error page or JSON error (for /api/) with the status for code. */
int hv_fail(struct hv_ctx *c, int code, const char *field, const char *msg);
int hv_fail_err(struct hv_ctx *c, const struct hv_error *e);
/* Before serving another person's data to staff: writes the audit row
 * (actor, action, target, unit, detail) and returns true; if it cannot be
 * written, answers 503 instead (nothing of the data) and returns false. */
bool hv_audit_read(struct hv_ctx *c, const char *action, const char *target, const char *unit, const char *detail);
int hv_status_for(int code);
/* JSON responses: takes a reference to v and decrefs it. */
int hv_json(struct hv_ctx *c, int status, json_t *v);
/* A base object for page data with lang, user, csrf and nav set. */
struct hv_val *hv_page_data(struct hv_ctx *c);
bool hv_is_api(const struct hv_ctx *c);

/* A marker to put in the body (with {{raw}}) where part p goes; p's
 * memory must last until the request ends.  Markers carry a random
 * per-request nonce, so no text in the page can imitate one. */
const char *hv_splice_mark(struct hv_ctx *c, const struct hv_part *p);
/* Calls piece for each piece of the body in order: plain text (part NULL)
 * or a part where its marker is; stops at the first false. */
bool hv_splice_walk(struct hv_ctx *c, bool (*piece)(const char *text, size_t len, const struct hv_part *part, void *arg),
                    void *arg);
/* Replaces the markers in the body by their parts' text. */
void hv_splice_flatten(struct hv_ctx *c);
/* src as deflate data for a part (level 1, raw, ending on a byte
 * boundary, not the last block) into out, and its CRC-32. */
bool hv_deflate_part(const void *src, size_t n, struct hv_buf *out, uint32_t *crc);

/* Snapshots held until the request ends. */
struct hv_pack *hv_ctx_catalog(struct hv_ctx *c);
struct hv_units *hv_ctx_units(struct hv_ctx *c);

typedef int (*hv_handler)(struct hv_ctx *c);

#endif
