/* server.c: libmicrohttpd glue: limits, request bodies, authentication,
 * CSRF, routing, the anonymous page cache, responses, logs and metrics.
 *
 * Key decisions.  (1) epoll with a few connection threads (one per core by
 * default): each owns its connections and answers reads itself.  What may
 * wait — a write's group commit, a PDF or spreadsheet — is handed to a
 * larger pool (core/pool.h): the connection is suspended, a worker runs
 * the request and keeps the answer, the connection is resumed and its own
 * thread queues it.  Every thread has its own database connection.  (2) The request
 * context is created in the URI-log callback, which sees the raw request
 * target before MHD unescapes it; we decode paths and queries ourselves,
 * strictly.  (3) Limits: total and per-client connections, an idle timeout,
 * a cap on header memory, a body limit checked against Content-Length
 * before reading (413) and again while reading, and deadlines for the
 * headers and (by size) the body, with a cap on connections still sending
 * headers (http/guard.h), so that slow clients cannot hold the server. */
#include "http/server.h"

#include <arpa/inet.h>
#include <malloc.h>
#include <stdatomic.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

#include "core/limits.h"
#include "core/pool.h"
#include "core/log.h"
#include "core/metrics.h"
#include "domain/learn/content.h"
#include "domain/places/units.h"
#include "http/guard.h"
#include "http/internal.h"
#include "http/parse.h"
#include "views/access.h"
#include "views/fragment_cache.h"
#include "views/routes.h"
#include "views/tmpl.h"

struct hv_server {
	struct MHD_Daemon *daemon;
	struct hv_app *app;
	struct hv_pool *pool;  /* requests that may wait; NULL: all answered in place */
	struct hv_guard *guard; /* connection phases and deadlines */
	unsigned port;
};

struct req {
	struct hv_arena *arena;
	double start;
	double deadline; /* for the body to arrive (0: no body) */
	char *raw_uri;
	struct hv_buf body;
	size_t limit;
	bool started, too_big, answered;
	int route;
	int status;
	size_t bytes;
	char method[12];
	char ip[64];
	/* Handed to the pool: the connection stays suspended until the worker
	 * is done; its answer waits in pending for the connection's thread. */
	struct hv_server *srv;
	struct MHD_Connection *conn;
	struct MHD_Response *pending;
	unsigned pending_status;
	bool hand_off;   /* dispatch found the request should go to the pool */
	bool on_worker;  /* dispatch is running on a pool thread */
	bool worked;     /* the pool ran it (pending NULL: close the connection) */
	bool in_place;   /* the pool is stopping: answer on this thread */
};

#define ROUTE_STATIC (hv_nroutes)
#define ROUTE_NONE (hv_nroutes + 1)

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
	(void)cls;
	(void)conn;
	struct req *r = hv_xcalloc(1, sizeof *r);
	r->start = hv_now();
	size_t n = strlen(uri);
	if (n > HV_MAX_URI)
		n = HV_MAX_URI + 1; /* remembered as too long */
	r->raw_uri = hv_xmalloc(n + 1);
	memcpy(r->raw_uri, uri, n);
	r->raw_uri[n] = '\0';
	r->route = ROUTE_NONE;
	return r;
}

/* After a large body: what parsing it took (a JSON array of a million
 * numbers is many small blocks) goes back to the system, in every malloc
 * arena, at most ten times a second. */
static void give_back_memory(void)
{
	static _Atomic int64_t last_ms;
	int64_t now = (int64_t)(hv_now() * 1000), prev = atomic_load(&last_ms);
	if (now - prev >= 100 && atomic_compare_exchange_strong(&last_ms, &prev, now))
		malloc_trim(0);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	struct hv_server *srv = cls;
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		hv_guard_request_done(srv->guard, conn); /* kept alive: idle */
	struct req *r = *con_cls;
	if (!r)
		return;
	double dt = hv_now() - r->start;
	int status = r->status ? r->status : (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? 200 : 499);
	hv_metrics_request(r->route, status, dt);
	hv_accesslog_write(r->method, r->raw_uri, status, r->bytes, dt, r->ip, hv_route_name(r->route));
	if (r->pending) /* a worker's answer the client never took (the server stopped) */
		MHD_destroy_response(r->pending);
	bool large = r->body.cap >= HV_TRIM_AFTER_BODY;
	hv_buf_free(&r->body);
	hv_arena_free(r->arena);
	free(r->raw_uri);
	free(r);
	*con_cls = NULL;
	if (large)
		give_back_memory();
}

static void client_ip(struct hv_app *app, struct MHD_Connection *conn, char out[64])
{
	snprintf(out, 64, "?");
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, 64);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, 64);
	}
	if (app->cfg->trust_proxy) {
		/* The proxy appends the address it saw: the last entry. */
		const char *xff = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "X-Forwarded-For");
		if (xff) {
			const char *last = strrchr(xff, ',');
			last = last ? last + 1 : xff;
			while (*last == ' ')
				last++;
			if (strlen(last) < 64 && strspn(last, "0123456789abcdefABCDEF.:") == strlen(last) && *last)
				snprintf(out, 64, "%s", last);
		}
	}
}

/* Queues resp for the client, or, on a pool thread, keeps it for the
 * connection's own thread (MHD queues responses only there). */
static enum MHD_Result queue(struct MHD_Connection *conn, struct req *r, int status, struct MHD_Response *resp)
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
static enum MHD_Result send_plain(struct MHD_Connection *conn, struct req *r, int status, const char *type, const char *body)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(resp, "Content-Type", type);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	hv_add_common_headers(resp);
	if (status == 413 || status == 400)
		MHD_add_response_header(resp, "Connection", "close");
	enum MHD_Result rc = queue(conn, r, status, resp);
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

static enum MHD_Result send_error(struct MHD_Connection *conn, struct req *r, int status, bool api, const char *msg)
{
	if (api) {
		struct hv_buf b;
		hv_buf_init(&b);
		hv_buf_printf(&b, "{\"error\":\"%s\",\"message\":", hv_err_name(code_for_status(status)));
		hv_buf_json_str(&b, msg);
		hv_buf_puts(&b, "}");
		enum MHD_Result rc = send_plain(conn, r, status, "application/json", b.data);
		hv_buf_free(&b);
		return rc;
	}
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_printf(&b, "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
	                  "<link rel=\"stylesheet\" href=\"/static/style.css\"><title>%d</title><main class=\"page\"><h1>%d</h1><p>", status, status);
	hv_buf_html(&b, msg, strlen(msg));
	hv_buf_puts(&b, "</p><p><a href=\"/\">Về trang chủ / Home</a></p></main></html>");
	enum MHD_Result rc = send_plain(conn, r, status, "text/html; charset=utf-8", b.data);
	hv_buf_free(&b);
	return rc;
}

/* The answer to an expired bearer token: when, in Vietnam time, and what
 * to do. */
static const char *token_expired(struct hv_arena *a, int64_t at)
{
	time_t local = (time_t)(at + 7 * 3600); /* UTC+7, no daylight saving */
	struct tm tm;
	gmtime_r(&local, &tm);
	char vi[16], en[16];
	strftime(vi, sizeof vi, "%d/%m/%Y", &tm);
	strftime(en, sizeof en, "%Y-%m-%d", &tm);
	return hv_arena_printf(a,
	                       "Mã truy cập API đã hết hạn ngày %s. Hãy nhờ quản trị viên cấp mã mới (hocvuso token create). / "
	                       "The API token expired on %s: ask an administrator for a new one (hocvuso token create).",
	                       vi, en);
}

static const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static bool has_session_cookie(struct MHD_Connection *conn)
{
	return MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "hv_s") != NULL;
}

/* The body a request may send, decided from who is asking before a byte
 * of it is read: anonymous 64 KiB; a valid session (second factor passed)
 * or API token 1 MiB; a file upload to a route that takes one, by someone
 * who manages accounts somewhere (imports), 8 MiB.  A cookie or header
 * that merely looks like a session buys nothing.  Returns HV_EUNAVAIL if
 * the database cannot say. */
static int body_limit(struct hv_app *app, struct MHD_Connection *conn, const char *method, const char *raw_uri, size_t *limit)
{
	*limit = HV_MAX_BODY_ANON;
	const char *auth = header(conn, "Authorization");
	const char *sid = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "hv_s");
	struct hv_principal p;
	int64_t expired;
	int rc = HV_ENOTFOUND;
	if (auth && !strncmp(auth, "Bearer ", 7))
		rc = hv_token_lookup(app->store, auth + 7, &p, &expired);
	else if (!auth && sid && *sid)
		rc = hv_session_lookup(app->store, sid, &p);
	if (rc == HV_EUNAVAIL)
		return rc;
	if (rc != HV_OK || !p.second_factor)
		return HV_OK;
	*limit = HV_MAX_BODY_AUTH;
	const char *type = header(conn, "Content-Type");
	if (type && !strncasecmp(type, "multipart/form-data", 19) && !strcmp(method, "POST") && hv_route_takes_upload(raw_uri) &&
	    hv_manage_unit(&p))
		*limit = HV_MAX_BODY_UPLOAD;
	return HV_OK;
}

/* Origin (or Referer) absent, or naming the Host we answer as; and the
 * browser's Sec-Fetch-Site, when sent, not cross-site. */
static bool same_origin(struct MHD_Connection *conn)
{
	const char *host = header(conn, "Host");
	const char *site = header(conn, "Sec-Fetch-Site");
	if (site && !strcmp(site, "cross-site"))
		return false;
	const char *origin = header(conn, "Origin");
	if (!origin)
		origin = header(conn, "Referer");
	if (!origin || !strcmp(origin, "null"))
		return origin == NULL;
	const char *p = strstr(origin, "://");
	if (!p || !host)
		return false;
	p += 3;
	size_t n = strcspn(p, "/");
	return strlen(host) == n && !strncmp(p, host, n);
}

static const char *pick_lang(struct hv_ctx *c, struct MHD_Connection *conn)
{
	const char *l = hv_cookie(c, "hv_lang");
	if (l && !strcmp(l, "en"))
		return "en";
	if (l && !strcmp(l, "vi"))
		return "vi";
	(void)conn;
	return "vi";
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
	enum MHD_Result rc = queue(conn, r, status, resp);
	r->status = status;
	r->answered = true;
	return rc;
}

/* Turns what the handler left in c into a queued response. */
static enum MHD_Result respond(struct MHD_Connection *conn, struct req *r, struct hv_ctx *c, bool gzip_ok, const char *cache_key)
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
	enum MHD_Result rc = queue(conn, r, status, resp);
	r->status = status;
	r->bytes = len;
	r->answered = true;
	return rc;
}

static enum MHD_Result dispatch(struct hv_app *app, struct MHD_Connection *conn, struct req *r)
{
	bool is_api = strncmp(r->raw_uri, "/api/", 5) == 0;
	if (strlen(r->raw_uri) > HV_MAX_URI)
		return send_error(conn, r, 414, is_api, "Địa chỉ quá dài. / The address is too long.");
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && strcmp(r->method, "POST") && strcmp(r->method, "DELETE"))
		return send_error(conn, r, 405, is_api, "Phương thức không được hỗ trợ. / Method not allowed.");
	r->arena = hv_arena_new();
	struct hv_error e = {0};
	const char *q = strchr(r->raw_uri, '?');
	size_t plen = q ? (size_t)(q - r->raw_uri) : strlen(r->raw_uri);
	const char *path;
	if (hv_parse_path(r->arena, r->raw_uri, plen, &path, &e) < 0)
		return send_error(conn, r, 400, is_api, "Địa chỉ không hợp lệ. / The address is not valid.");
	bool gzip_ok = hv_accepts_gzip(header(conn, "Accept-Encoding"));

	if (strncmp(path, "/static/", 8) == 0) {
		r->route = ROUTE_STATIC;
		if (r->body.len)
			return send_error(conn, r, 405, false, "Method not allowed.");
		if (hv_static_serve(conn, path + 8, header(conn, "If-None-Match"), gzip_ok, &r->status, &r->bytes)) {
			r->answered = true;
			return MHD_YES;
		}
		return send_error(conn, r, 404, false, "Không tìm thấy tệp. / File not found.");
	}

	struct hv_ctx *c = hv_arena_alloc(r->arena, sizeof *c);
	char *scratch = hv_arena_alloc(r->arena, plen + 8);
	int route = hv_route_match(r->method, path, c->params, scratch, plen + 8);
	if (route == -2)
		return send_error(conn, r, 405, is_api, "Phương thức không được hỗ trợ. / Method not allowed.");
	bool is_get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");

	/* Cookies first: the language is part of the cache key. */
	c->arena = r->arena;
	c->app = app;
	c->route = route;
	c->method = r->method;
	c->path = path;
	c->ip = r->ip;
	c->query_string = q ? q + 1 : "";
	hv_buf_init(&c->body);
	hv_arena_defer(r->arena, (void (*)(void *))hv_buf_free, &c->body);
	if (hv_parse_cookies(r->arena, header(conn, "Cookie"), &c->cookies, &e) < 0)
		return send_error(conn, r, 400, is_api, "Cookie không hợp lệ. / Invalid cookie.");
	c->lang = pick_lang(c, conn);
	if (route == -1) {
		/* Unknown address: the normal error page, in the visitor's language. */
		hv_parse_urlencoded(r->arena, "", 0, &c->query, &e);
		hv_parse_urlencoded(r->arena, "", 0, &c->form, &e);
		hv_fail(c, HV_ENOTFOUND, NULL, hv_t(c->lang, "error.no_page"));
		return respond(conn, r, c, gzip_ok, NULL);
	}
	r->route = route;
	const struct hv_route *rt = &hv_routes[route];
	/* What may wait goes to the pool (on_request hands it over). */
	if (r->srv->pool && !r->on_worker && !r->in_place && (!is_get || (rt->flags & HV_R_BLOCKING))) {
		r->hand_off = true;
		return MHD_YES;
	}
	const char *cache_key = NULL;
	/* Personal cookies (session, anonymous progress) make a page personal. */
	if ((rt->flags & HV_R_CACHE) && is_get && !has_session_cookie(conn) && !hv_cookie(c, "hv_p") && !header(conn, "Authorization") &&
	    !q) {
		const char *large = hv_cookie(c, "hv_large");
		cache_key = hv_arena_printf(r->arena, "%s|%c|%s", c->lang, large && !strcmp(large, "1") ? 'L' : 'n', path);
		if (hv_cache_serve(conn, cache_key, gzip_ok, &r->bytes)) {
			r->status = 200;
			r->answered = true;
			return MHD_YES;
		}
	}

	if (hv_parse_urlencoded(r->arena, c->query_string, strlen(c->query_string), &c->query, &e) < 0)
		return send_error(conn, r, 400, is_api, "Tham số không hợp lệ. / Invalid query parameters.");
	c->user_agent = header(conn, "User-Agent");
	c->accept_encoding = header(conn, "Accept-Encoding");
	c->if_none_match = header(conn, "If-None-Match");
	c->content_type = header(conn, "Content-Type");
	c->authorization = header(conn, "Authorization");
	c->csrf_header = header(conn, "X-CSRF-Token");
	c->body_len = r->body.len;

	/* Body by type. */
	if (!is_get && r->body.len) {
		const char *ct = c->content_type ? c->content_type : "";
		if (!strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
			if (hv_parse_urlencoded(r->arena, r->body.data, r->body.len, &c->form, &e) < 0)
				return send_error(conn, r, 400, is_api, "Dữ liệu biểu mẫu không hợp lệ. / Invalid form data.");
		} else if (!strncasecmp(ct, "multipart/form-data", 19) && (rt->flags & HV_R_UPLOAD)) {
			if (hv_parse_multipart(r->arena, ct, r->body.data, r->body.len, &c->form, &c->files, &e) < 0)
				return send_error(conn, r, 400, is_api,
				                  hv_arena_printf(r->arena, "Tệp gửi lên không đọc được (%s); hãy chọn lại tệp và gửi lại. / The upload could not be read (%s): choose the file and send it again.",
				                                  e.msg, e.msg));
		} else if (!strncasecmp(ct, "application/json", 16)) {
			json_error_t je;
			if (!hv_json_depth_ok(r->body.data, r->body.len, HV_MAX_JSON_DEPTH))
				return send_error(conn, r, 400, is_api, "JSON lồng quá sâu. / JSON nested too deeply.");
			c->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
			if (!c->json)
				return send_error(conn, r, 400, is_api, "JSON không hợp lệ. / Malformed JSON.");
			hv_arena_defer(r->arena, (void (*)(void *))json_decref, c->json);
		} else {
			return send_error(conn, r, 415, is_api, "Kiểu dữ liệu không được hỗ trợ. / Unsupported content type.");
		}
	}
	if (!c->form.items)
		hv_parse_urlencoded(r->arena, "", 0, &c->form, &e);

	/* Who is asking. */
	if (c->authorization && !(rt->flags & HV_R_OWN_AUTH)) {
		if (strncmp(c->authorization, "Bearer ", 7) != 0)
			return send_error(conn, r, 401, is_api, "Authorization must be: Bearer TOKEN");
		struct hv_principal *p = hv_arena_alloc(r->arena, sizeof *p);
		int64_t expired = 0;
		int rc = hv_token_lookup(app->store, c->authorization + 7, p, &expired);
		if (rc == HV_EUNAVAIL && hv_store_lost(app->store))
			rc = hv_token_lookup(app->store, c->authorization + 7, p, &expired);
		if (rc == HV_EUNAVAIL)
			return send_error(conn, r, 503, is_api, "Database unavailable, try again shortly.");
		if (rc < 0 && expired)
			return send_error(conn, r, 401, is_api, token_expired(r->arena, expired));
		if (rc < 0)
			return send_error(conn, r, 401, is_api, "Invalid or revoked token.");
		c->who = p;
	} else {
		const char *sid = hv_cookie(c, "hv_s");
		if (sid && *sid) {
			struct hv_principal *p = hv_arena_alloc(r->arena, sizeof *p);
			int rc = hv_session_lookup(app->store, sid, p);
			if (rc == HV_EUNAVAIL && hv_store_lost(app->store))
				rc = hv_session_lookup(app->store, sid, p); /* reconnected: once more */
			if (rc == HV_EUNAVAIL)
				return send_error(conn, r, 503, is_api, "Cơ sở dữ liệu đang bận. / Database unavailable.");
			if (rc == 0)
				c->who = p;
			else
				hv_set_cookie(c, "hv_s", "", 0);
		}
	}
	/* Routes exempt from the CSRF token (marking a lesson read from a cached
	 * page) still refuse requests another site made. */
	if (!is_get && (rt->flags & HV_R_NO_CSRF) && !same_origin(conn))
		return send_error(conn, r, 403, is_api, "Yêu cầu từ trang khác bị từ chối. / Cross-site request refused.");
	/* CSRF on every state change not authenticated by a bearer token. */
	if (!is_get && !(rt->flags & HV_R_NO_CSRF) && !(c->who && c->who->via_token) && !hv_csrf_ok(c))
		return send_error(conn, r, 403, is_api,
		                  "Phiên làm việc của biểu mẫu đã hết hạn. Hãy tải lại trang rồi gửi lại. / The form expired: reload the page and submit again.");

	/* Authorise: the route's access rule, before its handler runs
	 * (views/access.c). */
	if (!hv_access_allows(c, rt))
		return respond(conn, r, c, gzip_ok, NULL);

	struct hv_units *u = hv_units_acquire();
	if (!u)
		hv_units_load(hv_store_conn(app->store), &e);
	hv_units_release(u);
	hv_units_refresh(hv_store_conn(app->store));
	hv_catalog_refresh(hv_store_conn(app->store));

	int rc = rt->fn(c);
	if (is_get && c->status == 503 && hv_store_lost(app->store)) {
		/* The database connection was lost and will be reopened: a read is
		 * safe to run again once. */
		hv_buf_reset(&c->body);
		c->status = 0;
		c->nset_cookie = 0;
		c->location = NULL;
		rc = rt->fn(c);
	}
	if (rc < 0 && !c->status)
		hv_fail(c, rc, NULL, hv_t(c->lang, "error.retry"));
	return respond(conn, r, c, gzip_ok, cache_key);
}

/* dispatch with the request's reads in one snapshot (store.h), ended
 * once the answer is made. */
static enum MHD_Result dispatch_read(struct hv_app *app, struct MHD_Connection *conn, struct req *r)
{
	hv_store_read_begin(app->store);
	enum MHD_Result res = dispatch(app, conn, r);
	hv_store_read_end(app->store);
	return res;
}

/* Under the pool's lock, before the job is queued: no worker can resume
 * the connection before it is suspended. */
static void suspend(void *arg)
{
	struct req *r = arg;
	MHD_suspend_connection(r->conn);
}

/* On a pool thread: the whole request, its answer kept in r->pending. */
static void run_on_worker(void *arg)
{
	struct req *r = arg;
	struct hv_app *app = r->srv->app;
	if (dispatch_read(app, r->conn, r) != MHD_YES && r->pending) {
		MHD_destroy_response(r->pending);
		r->pending = NULL;
	}
	r->on_worker = false;
	r->worked = true;
	MHD_resume_connection(r->conn); /* on_request runs again on the connection's thread */
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_data_size, void **con_cls)
{
	(void)url;
	(void)version;
	struct hv_server *srv = cls;
	struct hv_app *app = srv->app;
	struct req *r = *con_cls;
	if (!r)
		return MHD_NO;
	if (r->worked) {
		/* Resumed: the pool's answer, queued on the connection's thread. */
		struct MHD_Response *resp = r->pending;
		r->pending = NULL;
		r->worked = false;
		if (!resp)
			return MHD_NO;
		enum MHD_Result rc = MHD_queue_response(conn, r->pending_status, resp);
		MHD_destroy_response(resp);
		return rc;
	}
	if (r->deadline && hv_now() > r->deadline)
		return MHD_NO; /* the body is too slow: drop the connection (the guard would) */
	if (!r->started) {
		r->started = true;
		snprintf(r->method, sizeof r->method, "%s", method);
		client_ip(app, conn, r->ip);
		hv_buf_init(&r->body);
		const char *cl = header(conn, "Content-Length");
		const char *te = header(conn, "Transfer-Encoding");
		bool is_api = strncmp(r->raw_uri, "/api/", 5) == 0;
		r->limit = HV_MAX_BODY_ANON;
		/* Who is asking is looked up only when the body needs more than
		 * an anonymous one may send (most requests pay nothing). */
		if ((cl && strtoull(cl, NULL, 10) > HV_MAX_BODY_ANON) || (!cl && te)) {
			int rc = body_limit(app, conn, method, r->raw_uri, &r->limit);
			if (rc == HV_EUNAVAIL && hv_store_lost(app->store))
				rc = body_limit(app, conn, method, r->raw_uri, &r->limit);
			if (rc == HV_EUNAVAIL) {
				r->too_big = true; /* the body is not read */
				hv_guard_headers_done(srv->guard, conn, 0);
				return send_error(conn, r, 503, is_api, "Cơ sở dữ liệu đang bận. / Database unavailable.");
			}
		}
		unsigned long long expect = cl ? strtoull(cl, NULL, 10) : te ? r->limit : 0;
		if (cl && expect > r->limit) {
			r->too_big = true;
			hv_guard_headers_done(srv->guard, conn, 0);
			return send_error(conn, r, 413, is_api,
			                  r->limit == HV_MAX_BODY_ANON
			                      ? "Dữ liệu gửi lên quá lớn. Hãy đăng nhập để gửi tệp lớn hơn. / The request body is too large: sign in to send more."
			                      : "Dữ liệu gửi lên quá lớn. / The request body is too large.");
		}
		if (cl && expect)
			hv_buf_reserve(&r->body, (size_t)expect); /* one allocation of the announced size */
		/* Headers complete: a body has time by its size; without one the
		 * request is answered now. */
		hv_guard_headers_done(srv->guard, conn, (size_t)expect);
		if (expect)
			r->deadline = hv_now() + HV_BODY_GRACE_SECONDS + (double)expect / HV_BODY_MIN_RATE;
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->too_big && !r->answered) {
			if (r->body.len + *upload_data_size > r->limit) {
				r->too_big = true;
				hv_buf_free(&r->body);
			} else {
				hv_buf_append(&r->body, upload_data, *upload_data_size);
			}
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->deadline) {
		r->deadline = 0;
		hv_guard_headers_done(srv->guard, conn, 0); /* the body is in: working */
	}
	if (r->answered)
		return MHD_YES;
	if (r->too_big)
		return send_error(conn, r, 413, strncmp(r->raw_uri, "/api/", 5) == 0, "Dữ liệu gửi lên quá lớn. / The request body is too large.");
	/* The request's reads share one snapshot (store.h), ended once the
	 * answer is queued. */
	r->srv = srv;
	r->conn = conn;
	enum MHD_Result res = dispatch_read(app, conn, r);
	if (r->hand_off) {
		r->hand_off = false;
		hv_arena_free(r->arena); /* the worker starts the request over */
		r->arena = NULL;
		r->on_worker = true;
		if (hv_pool_submit(srv->pool, run_on_worker, r, suspend, r))
			return MHD_YES;
		r->on_worker = false;
		r->in_place = true; /* the pool is stopping */
		res = dispatch_read(app, conn, r);
	}
	return res;
}

static void log_mhd(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	hv_log(HV_LOG_DEBUG, "http: %s", msg);
}

int hv_server_start(struct hv_app *app, const char *listen, int io_threads, int workers, struct hv_server **out,
                    struct hv_error *e)
{
	char host[128];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || (size_t)(colon - listen) >= sizeof host)
		return hv_err_set(e, HV_EINVAL, "listen", "--listen must be HOST:PORT, for example 127.0.0.1:8080");
	memcpy(host, listen, (size_t)(colon - listen));
	host[colon - listen] = '\0';
	if (host[0] == '[') {
		memmove(host, host + 1, strlen(host));
		char *b = strchr(host, ']');
		if (b)
			*b = '\0';
	}
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	struct addrinfo *ai = NULL;
	if (getaddrinfo(host, colon + 1, &hints, &ai) != 0 || !ai)
		return hv_err_set(e, HV_EINVAL, "listen", "cannot use listen address %s", listen);
	struct hv_server *s = hv_xcalloc(1, sizeof *s);
	s->app = app;
	if (workers > 0 && !(s->pool = hv_pool_new(workers))) {
		free(s);
		freeaddrinfo(ai);
		return hv_err_set(e, HV_EUNAVAIL, "threads", "cannot start %d worker threads", workers);
	}
	/* Enough descriptors for the connection table (the soft limit is
	 * often 1,024: accept() would fail first and refuse everyone). */
	unsigned max_conns = HV_CONN_TOTAL;
	struct rlimit nofile;
	if (getrlimit(RLIMIT_NOFILE, &nofile) == 0) {
		rlim_t want = HV_CONN_TOTAL + 256;
		if (nofile.rlim_cur < want) {
			nofile.rlim_cur = nofile.rlim_max < want ? nofile.rlim_max : want;
			setrlimit(RLIMIT_NOFILE, &nofile);
			getrlimit(RLIMIT_NOFILE, &nofile);
		}
		if (nofile.rlim_cur < want)
			max_conns = nofile.rlim_cur > 512 ? (unsigned)nofile.rlim_cur - 256 : (unsigned)nofile.rlim_cur / 2;
	}
	unsigned max_waiting = (unsigned)app->cfg->conn_waiting < max_conns / 2 ? (unsigned)app->cfg->conn_waiting : max_conns / 2;
	s->guard = hv_guard_new((unsigned)app->cfg->header_seconds, max_waiting, max_conns);
	if (!s->guard) {
		hv_pool_free(s->pool);
		free(s);
		freeaddrinfo(ai);
		return hv_err_set(e, HV_EUNAVAIL, "threads", "cannot start the connection watchdog");
	}
	hv_static_init();
	unsigned flags = MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	struct MHD_Daemon *d = MHD_start_daemon(
		flags, 0, NULL, NULL, &on_request, s,
		MHD_OPTION_SOCK_ADDR, ai->ai_addr,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)io_threads,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)HV_IDLE_SECONDS,
		MHD_OPTION_CONNECTION_LIMIT, max_conns,
		MHD_OPTION_NOTIFY_CONNECTION, &hv_guard_notify, s->guard,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)app->cfg->conn_per_ip,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HV_MAX_HEADER_BYTES * 2,
		MHD_OPTION_URI_LOG_CALLBACK, &on_uri, app,
		MHD_OPTION_NOTIFY_COMPLETED, &on_completed, s,
		MHD_OPTION_EXTERNAL_LOGGER, &log_mhd, NULL,
		MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
		MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!d) {
		hv_static_shutdown();
		hv_guard_free(s->guard);
		hv_pool_free(s->pool);
		free(s);
		return hv_err_set(e, HV_EUNAVAIL, "listen", "cannot listen on %s (is the port in use, or below 1024 without rights?)", listen);
	}
	s->daemon = d;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	s->port = di ? di->port : 0;
	*out = s;
	return HV_OK;
}

unsigned hv_server_port(const struct hv_server *s)
{
	return s->port;
}

void hv_server_stop(struct hv_server *s)
{
	if (!s)
		return;
	/* Every handed-over request is answered and its connection resumed
	 * before the daemon stops (MHD requires it); meanwhile new ones are
	 * answered in place. */
	hv_pool_stop(s->pool);
	MHD_stop_daemon(s->daemon);
	hv_guard_free(s->guard);
	hv_pool_free(s->pool);
	hv_cache_shutdown();
	hv_fragments_shutdown();
	hv_static_shutdown();
	free(s);
}
