/* dispatch.c: one request through its stages: the target, static files,
 * the route, the anonymous page cache, the request's parts, who is
 * asking, whether they may, the handler, the answer. */
#include "http/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "domain/learn/content.h"
#include "domain/people/auth.h"
#include "domain/people/sessions.h"
#include "domain/places/units.h"
#include "http/internal.h"
#include "http/parse.h"
#include "views/access.h"
#include "views/tmpl.h"

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
	/* A first visit (no choice made yet): what the browser asks for. */
	return hv_accept_lang(MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Accept-Language"));
}

/* One request on its way through the stages.  A stage returns 0 to go
 * on, or the HTTP status of an early refusal with its message in msg
 * (answered by hv_send_error); HANDLED when it answered itself. */
struct job {
	struct hv_app *app;
	struct MHD_Connection *conn;
	struct req *r;
	struct hv_ctx *c;
	const struct hv_route *rt;
	const char *path, *q, *cache_key;
	size_t plen;
	bool is_api, is_get, gzip_ok;
	const char *msg;
	enum MHD_Result res;
};
#define HANDLED (-1)

static int refuse(struct job *j, int status, const char *msg)
{
	j->msg = msg;
	return status;
}

/* parse: the request target and method; the per-request arena. */
static int parse_target(struct job *j)
{
	struct req *r = j->r;
	j->is_api = strncmp(r->raw_uri, "/api/", 5) == 0;
	if (strlen(r->raw_uri) > HV_MAX_URI)
		return refuse(j, 414, "Địa chỉ quá dài. / The address is too long.");
	if (strcmp(r->method, "GET") && strcmp(r->method, "HEAD") && strcmp(r->method, "POST") && strcmp(r->method, "DELETE"))
		return refuse(j, 405, "Phương thức không được hỗ trợ. / Method not allowed.");
	r->arena = hv_arena_new();
	struct hv_error e = {0};
	j->q = strchr(r->raw_uri, '?');
	j->plen = j->q ? (size_t)(j->q - r->raw_uri) : strlen(r->raw_uri);
	if (hv_parse_path(r->arena, r->raw_uri, j->plen, &j->path, &e) < 0)
		return refuse(j, 400, "Địa chỉ không hợp lệ. / The address is not valid.");
	j->gzip_ok = hv_accepts_gzip(header(j->conn, "Accept-Encoding"));
	j->is_get = !strcmp(r->method, "GET") || !strcmp(r->method, "HEAD");
	return 0;
}

/* Files under /static/ (compiled in), before any route. */
static int serve_static(struct job *j)
{
	struct req *r = j->r;
	if (strncmp(j->path, "/static/", 8) != 0)
		return 0;
	r->route = ROUTE_STATIC;
	j->is_api = false;
	if (r->body.len)
		return refuse(j, 405, "Method not allowed.");
	if (!hv_static_serve(j->conn, j->path + 8, header(j->conn, "If-None-Match"), j->gzip_ok, &r->status, &r->bytes))
		return refuse(j, 404, "Không tìm thấy tệp. / File not found.");
	r->answered = true;
	j->res = MHD_YES;
	return HANDLED;
}

/* route: the table entry, the handler's context, the cookies and the
 * language (part of the cache key); an unknown address is the normal
 * error page in the visitor's language. */
static int route(struct job *j)
{
	struct req *r = j->r;
	struct hv_error e = {0};
	struct hv_ctx *c = j->c = hv_arena_alloc(r->arena, sizeof *c);
	char *scratch = hv_arena_alloc(r->arena, j->plen + 8);
	int route = hv_route_match(r->method, j->path, c->params, scratch, j->plen + 8);
	if (route == -2)
		return refuse(j, 405, "Phương thức không được hỗ trợ. / Method not allowed.");
	c->arena = r->arena;
	c->app = j->app;
	c->route = route;
	c->method = r->method;
	c->path = j->path;
	c->ip = r->ip;
	c->query_string = j->q ? j->q + 1 : "";
	hv_buf_init(&c->body);
	hv_arena_defer(r->arena, (void (*)(void *))hv_buf_free, &c->body);
	if (hv_parse_cookies(r->arena, header(j->conn, "Cookie"), &c->cookies, &e) < 0)
		return refuse(j, 400, "Cookie không hợp lệ. / Invalid cookie.");
	c->lang = pick_lang(c, j->conn);
	if (route == -1) {
		hv_parse_urlencoded(r->arena, "", 0, &c->query, &e);
		hv_parse_urlencoded(r->arena, "", 0, &c->form, &e);
		hv_fail(c, HV_ENOTFOUND, NULL, hv_t(c->lang, "error.no_page"));
		j->res = hv_respond(j->conn, r, c, j->gzip_ok, NULL);
		return HANDLED;
	}
	r->route = route;
	j->rt = &hv_routes[route];
	return 0;
}

/* What may wait goes to the worker pool (on_request hands it over); a
 * page the same for every anonymous visitor may come from memory. */
static int hand_off_or_cache(struct job *j)
{
	struct req *r = j->r;
	struct hv_ctx *c = j->c;
	if (r->srv->pool && !r->on_worker && !r->in_place && (!j->is_get || (j->rt->flags & HV_R_BLOCKING))) {
		r->hand_off = true;
		j->res = MHD_YES;
		return HANDLED;
	}
	/* Personal cookies (session, anonymous progress) make a page personal. */
	if ((j->rt->flags & HV_R_CACHE) && j->is_get && !has_session_cookie(j->conn) && !hv_cookie(c, "hv_p") &&
	    !header(j->conn, "Authorization") && !j->q) {
		const char *large = hv_cookie(c, "hv_large");
		j->cache_key = hv_arena_printf(r->arena, "%s|%c|%s", c->lang, large && !strcmp(large, "1") ? 'L' : 'n', j->path);
		if (hv_cache_serve(j->conn, j->cache_key, j->gzip_ok, &r->bytes)) {
			r->status = 200;
			r->answered = true;
			j->res = MHD_YES;
			return HANDLED;
		}
	}
	return 0;
}

/* parse: the query, the headers handlers read, the body by its type. */
static int parse_request(struct job *j)
{
	struct req *r = j->r;
	struct hv_ctx *c = j->c;
	struct hv_error e = {0};
	if (hv_parse_urlencoded(r->arena, c->query_string, strlen(c->query_string), &c->query, &e) < 0)
		return refuse(j, 400, "Tham số không hợp lệ. / Invalid query parameters.");
	c->user_agent = header(j->conn, "User-Agent");
	c->accept_encoding = header(j->conn, "Accept-Encoding");
	c->if_none_match = header(j->conn, "If-None-Match");
	c->content_type = header(j->conn, "Content-Type");
	c->authorization = header(j->conn, "Authorization");
	c->csrf_header = header(j->conn, "X-CSRF-Token");
	c->body_len = r->body.len;
	if (!j->is_get && r->body.len) {
		const char *ct = c->content_type ? c->content_type : "";
		if (!strncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
			if (hv_parse_urlencoded(r->arena, r->body.data, r->body.len, &c->form, &e) < 0)
				return refuse(j, 400, "Dữ liệu biểu mẫu không hợp lệ. / Invalid form data.");
		} else if (!strncasecmp(ct, "multipart/form-data", 19) && (j->rt->flags & HV_R_UPLOAD)) {
			if (hv_parse_multipart(r->arena, ct, r->body.data, r->body.len, &c->form, &c->files, &e) < 0)
				return refuse(j, 400,
				              hv_arena_printf(r->arena, "Tệp gửi lên không đọc được (%s); hãy chọn lại tệp và gửi lại. / The upload could not be read (%s): choose the file and send it again.",
				                              e.msg, e.msg));
		} else if (!strncasecmp(ct, "application/json", 16) || !strncasecmp(ct, "application/ld+json", 19)) {
			json_error_t je;
			if (!hv_json_depth_ok(r->body.data, r->body.len, HV_MAX_JSON_DEPTH))
				return refuse(j, 400, "JSON lồng quá sâu. / JSON nested too deeply.");
			c->json = json_loadb(r->body.data, r->body.len, JSON_REJECT_DUPLICATES, &je);
			if (!c->json)
				return refuse(j, 400, "JSON không hợp lệ. / Malformed JSON.");
			hv_arena_defer(r->arena, (void (*)(void *))json_decref, c->json);
		} else {
			return refuse(j, 415, "Kiểu dữ liệu không được hỗ trợ. / Unsupported content type.");
		}
	}
	if (!c->form.items)
		hv_parse_urlencoded(r->arena, "", 0, &c->form, &e);
	return 0;
}

/* authenticate: a bearer token, else the session cookie. */
static int authenticate(struct job *j)
{
	struct hv_ctx *c = j->c;
	struct hv_store *store = j->app->store;
	if (c->authorization && !(j->rt->flags & HV_R_OWN_AUTH)) {
		if (strncmp(c->authorization, "Bearer ", 7) != 0)
			return refuse(j, 401, "Authorization must be: Bearer TOKEN");
		struct hv_principal *p = hv_arena_alloc(c->arena, sizeof *p);
		int64_t expired = 0;
		int rc = hv_token_lookup(store, c->authorization + 7, p, &expired);
		if (rc == HV_EUNAVAIL && hv_store_lost(store))
			rc = hv_token_lookup(store, c->authorization + 7, p, &expired);
		if (rc == HV_EUNAVAIL)
			return refuse(j, 503, "Database unavailable, try again shortly.");
		if (rc < 0 && expired)
			return refuse(j, 401, token_expired(c->arena, expired));
		if (rc < 0)
			return refuse(j, 401, "Invalid or revoked token.");
		c->who = p;
		return 0;
	}
	const char *sid = hv_cookie(c, "hv_s");
	if (!sid || !*sid)
		return 0;
	struct hv_principal *p = hv_arena_alloc(c->arena, sizeof *p);
	int rc = hv_session_lookup(store, sid, p);
	if (rc == HV_EUNAVAIL && hv_store_lost(store))
		rc = hv_session_lookup(store, sid, p); /* reconnected: once more */
	if (rc == HV_EUNAVAIL)
		return refuse(j, 503, "Cơ sở dữ liệu đang bận. / Database unavailable.");
	if (rc == 0)
		c->who = p;
	else
		hv_set_cookie(c, "hv_s", "", 0);
	return 0;
}

/* authorise: state changes come from our own pages (CSRF token, or for
 * the one exempt route the same origin), then the route's access rule
 * (views/access.c). */
static int authorise(struct job *j)
{
	struct hv_ctx *c = j->c;
	const struct hv_route *rt = j->rt;
	if (!j->is_get && (rt->flags & HV_R_NO_CSRF) && !same_origin(j->conn))
		return refuse(j, 403, "Yêu cầu từ trang khác bị từ chối. / Cross-site request refused.");
	if (!j->is_get && !(rt->flags & HV_R_NO_CSRF) && rt->access != HV_A_TOKEN && !(c->who && c->who->via_token) &&
	    !hv_csrf_ok(c))
		return refuse(j, 403,
		              "Phiên làm việc của biểu mẫu đã hết hạn. Hãy tải lại trang rồi gửi lại. / The form expired: reload the page and submit again.");
	if (!hv_access_allows(c, rt)) {
		j->res = hv_respond(j->conn, j->r, c, j->gzip_ok, NULL);
		return HANDLED;
	}
	return 0;
}

/* handle: the handler, with the unit tree and catalogue current; a read
 * whose database connection was lost runs once more on the new one. */
static int handle(struct job *j)
{
	struct hv_ctx *c = j->c;
	struct hv_store *store = j->app->store;
	struct hv_error e = {0};
	struct hv_units *u = hv_units_acquire();
	if (!u)
		hv_units_load(hv_store_conn(store), &e);
	hv_units_release(u);
	hv_units_refresh(hv_store_conn(store));
	hv_catalog_refresh(hv_store_conn(store));
	int rc = j->rt->fn(c);
	if (j->is_get && c->status == 503 && hv_store_lost(store)) {
		hv_buf_reset(&c->body);
		c->status = 0;
		c->nset_cookie = 0;
		c->location = NULL;
		c->filename = NULL;
		rc = j->rt->fn(c);
	}
	if (rc < 0 && !c->status)
		hv_fail(c, rc, NULL, hv_t(c->lang, "error.retry"));
	return 0;
}

static enum MHD_Result dispatch(struct hv_app *app, struct MHD_Connection *conn, struct req *r)
{
	struct job j = {.app = app, .conn = conn, .r = r};
	static int (*const stages[])(struct job *) = {parse_target, serve_static, route,  hand_off_or_cache,
	                                              parse_request, authenticate, authorise, handle};
	for (size_t i = 0; i < sizeof stages / sizeof stages[0]; i++) {
		int st = stages[i](&j);
		if (st == HANDLED)
			return j.res;
		if (st > 0)
			return hv_send_error(conn, r, st, j.is_api, j.msg);
	}
	return hv_respond(conn, r, j.c, j.gzip_ok, j.cache_key);
}

/* dispatch with the request's reads in one snapshot (store.h), ended
 * once the answer is made. */
enum MHD_Result hv_dispatch_read(struct hv_app *app, struct MHD_Connection *conn, struct req *r)
{
	hv_store_read_begin(app->store);
	enum MHD_Result res = dispatch(app, conn, r);
	hv_store_read_end(app->store);
	return res;
}
