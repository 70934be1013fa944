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
#include "http/request.h"

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
#include "domain/people/roles.h"
#include "domain/people/sessions.h"


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
	if (hv_dispatch_read(app, r->conn, r) != MHD_YES && r->pending) {
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
				return hv_send_error(conn, r, 503, is_api, "Cơ sở dữ liệu đang bận. / Database unavailable.");
			}
		}
		unsigned long long expect = cl ? strtoull(cl, NULL, 10) : te ? r->limit : 0;
		if (cl && expect > r->limit) {
			r->too_big = true;
			hv_guard_headers_done(srv->guard, conn, 0);
			return hv_send_error(conn, r, 413, is_api,
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
		return hv_send_error(conn, r, 413, strncmp(r->raw_uri, "/api/", 5) == 0, "Dữ liệu gửi lên quá lớn. / The request body is too large.");
	/* The request's reads share one snapshot (store.h), ended once the
	 * answer is queued. */
	r->srv = srv;
	r->conn = conn;
	enum MHD_Result res = hv_dispatch_read(app, conn, r);
	if (r->hand_off) {
		r->hand_off = false;
		hv_arena_free(r->arena); /* the worker starts the request over */
		r->arena = NULL;
		r->on_worker = true;
		if (hv_pool_submit(srv->pool, run_on_worker, r, suspend, r))
			return MHD_YES;
		r->on_worker = false;
		r->in_place = true; /* the pool is stopping */
		res = hv_dispatch_read(app, conn, r);
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
