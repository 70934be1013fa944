/* answer.c: responses: plain early answers and errors, and the handler's
 * page, JSON or stream, gzipped and kept in the page cache as it says. */
#include "http/request.h"

#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "http/internal.h"
#include "views/tmpl.h"
#include "views/val.h"

enum MHD_Result hv_queue(struct MHD_Connection *conn, struct req *r, int status, struct MHD_Response *resp)
{
	if (r->on_worker) {
		if (r->pending)
			MHD_destroy_response(r->pending);
		r->pending = resp;
		r->pending_status = (unsigned)status;
		return resp ? MHD_YES : MHD_NO;
	}
	enum MHD_Result rc = MHD_queue_response(conn, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return rc;
}

/* Sends a small response built here (errors before a handler runs). */
enum MHD_Result hv_send_plain(struct MHD_Connection *conn, struct req *r, int status, const char *type, const char *body)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	hv_add_common_headers(resp);
	if (status == 413 || status == 400)
		MHD_add_response_header(resp, "Connection", "close");
	enum MHD_Result rc = hv_queue(conn, r, status, resp);
	r->status = status;
	r->bytes = strlen(body);
	r->answered = true;
	return rc;
}

/* The error name of an answer made before any handler runs (400, 405,
 * 414 and 415 are "invalid"). */
static int code_for_status(int status)
{
	switch (status) {
	case 401: return HV_EUNAUTH;
	case 403: return HV_EFORBIDDEN;
	case 404: return HV_ENOTFOUND;
	case 413: return HV_ETOOBIG;
	case 429: return HV_ELIMIT;
	case 503: return HV_EUNAVAIL;
	default: return HV_EINVAL;
	}
}

enum MHD_Result hv_send_error(struct MHD_Connection *conn, struct req *r, int status, bool api, const char *msg)
{
	if (api) {
		struct hv_buf b;
		hv_buf_init(&b);
		hv_buf_printf(&b, "{\"error\":\"%s\",\"message\":", hv_err_name(code_for_status(status)));
		hv_buf_json_str(&b, msg);
		if (r->raw_uri && !strncmp(r->raw_uri, "/api/v1/credentials/", 20)) {
			/* The VC API's shape too (views/learn/api_credentials.c). */
			hv_buf_puts(&b, ",\"verified\":false,\"checks\":[],\"warnings\":[],\"errors\":[{\"type\":"
			                "\"https://www.w3.org/TR/vc-data-model#PARSING_ERROR\",\"title\":\"PARSING_ERROR\",\"detail\":");
			hv_buf_json_str(&b, msg);
			hv_buf_puts(&b, "}]");
		}
		hv_buf_puts(&b, "}");
		enum MHD_Result rc = hv_send_plain(conn, r, status, "application/json", b.data);
		hv_buf_free(&b);
		return rc;
	}
	/* The page is a template too (before the request is parsed: no
	 * language, no layout; both languages in the text). */
	struct hv_arena *a = hv_arena_new();
	struct hv_val *d = hv_obj(a);
	hv_set_int(d, "status", status);
	hv_set_str(d, "message", msg);
	struct hv_buf b;
	hv_buf_init(&b);
	char err[128];
	if (hv_render("error_early", d, "vi", &b, err, sizeof err) < 0 || b.failed) {
		hv_buf_reset(&b);
		hv_buf_html(&b, msg, strlen(msg)); /* the text alone, still escaped */
	}
	enum MHD_Result rc = hv_send_plain(conn, r, status, "text/html; charset=utf-8", b.data);
	hv_buf_free(&b);
	hv_arena_free(a);
	return rc;
}

struct stream {
	struct hv_ctx *c;
	struct req *r;
	struct hv_buf chunk;
	size_t off;
	bool done;
};

/* libmicrohttpd asks for the next bytes of a streamed body. */
static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	struct stream *s = cls;
	while (s->off == s->chunk.len && !s->done) {
		hv_buf_reset(&s->chunk);
		s->off = 0;
		int rc = s->c->stream(s->c, &s->chunk);
		if (rc < 0 || s->chunk.failed)
			return MHD_CONTENT_READER_END_WITH_ERROR;
		s->done = rc == 0;
	}
	if (s->off == s->chunk.len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	size_t n = s->chunk.len - s->off < max ? s->chunk.len - s->off : max;
	memcpy(buf, s->chunk.data + s->off, n);
	s->off += n;
	s->r->bytes += n;
	return (ssize_t)n;
}

static enum MHD_Result respond_stream(struct MHD_Connection *conn, struct req *r, struct hv_ctx *c)
{
	struct stream *s = hv_arena_alloc(r->arena, sizeof *s);
	memset(s, 0, sizeof *s);
	s->c = c;
	s->r = r;
	hv_buf_init(&s->chunk);
	hv_arena_defer(r->arena, (void (*)(void *))hv_buf_free, &s->chunk);
	struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 32 * 1024, stream_read, s, NULL);
	MHD_add_response_header(resp, "Content-Type", c->resp_type ? c->resp_type : "application/octet-stream");
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	hv_add_common_headers(resp);
	int status = c->status ? c->status : 200;
	enum MHD_Result rc = hv_queue(conn, r, status, resp);
	r->status = status;
	r->answered = true;
	return rc;
}

/* Turns what the handler left in c into a queued response. */
enum MHD_Result hv_respond(struct MHD_Connection *conn, struct req *r, struct hv_ctx *c, bool gzip_ok, const char *cache_key)
{
	if (c->stream)
		return respond_stream(conn, r, c);
	int status = c->status ? c->status : 200;
	const char *type = c->resp_type ? c->resp_type : "text/html; charset=utf-8";
	if (cache_key)
		hv_splice_flatten(c); /* a page kept for others holds no markers */
	if (cache_key && status == 200 && !c->no_store && c->nset_cookie == 0)
		hv_cache_put(cache_key, type, c->body.data ? c->body.data : "", c->body.len);
	bool compressed = false;
	struct hv_buf z;
	hv_buf_init(&z);
	if (gzip_ok && (c->nsplice || c->body.len > 1024) &&
	    (c->nsplice ? hv_gzip_body(c, &z) : hv_gzip_fast(c->body.data, c->body.len, &z)))
		compressed = true;
	if (!compressed)
		hv_splice_flatten(c);
	size_t len;
	char *data = compressed ? hv_buf_steal(&z, &len) : hv_buf_steal(&c->body, &len);
	hv_buf_free(&z);
	struct MHD_Response *resp = MHD_create_response_from_buffer(len, data, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(resp, "Content-Type", type);
	if (compressed)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	MHD_add_response_header(resp, "Vary", "Accept-Encoding, Cookie");
	MHD_add_response_header(resp, "Cache-Control", c->cache_control ? c->cache_control : cache_key && !c->no_store ? "public, max-age=60" : "no-store");
	if (c->location)
		MHD_add_response_header(resp, "Location", c->location);
	for (int i = 0; i < c->nset_cookie; i++)
		MHD_add_response_header(resp, "Set-Cookie", c->set_cookie[i]);
	hv_add_common_headers(resp);
	enum MHD_Result rc = hv_queue(conn, r, status, resp);
	r->status = status;
	r->bytes = len;
	r->answered = true;
	return rc;
}
