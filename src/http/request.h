/* request.h: what the parts of http/ share about one request: the server,
 * the request record (struct req), and the functions that answer it.
 * Internal to http/ (tests/rules.sh): server.c takes connections and
 * bodies, dispatch.c runs a request through its stages, answer.c turns
 * what a handler left into a libmicrohttpd response. */
#ifndef HV_HTTP_REQUEST_H
#define HV_HTTP_REQUEST_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/pool.h"
#include "http/guard.h"
#include "http/server.h"
#include "views/ctx.h"
#include "views/routes.h"

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

static inline const char *header(struct MHD_Connection *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

static inline bool has_session_cookie(struct MHD_Connection *conn)
{
	return MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "hv_s") != NULL;
}

/* answer.c.  Queues resp for the client, or, on a pool thread, keeps it
 * for the connection's own thread (MHD queues responses only there). */
enum MHD_Result hv_queue(struct MHD_Connection *conn, struct req *r, int status, struct MHD_Response *resp);
/* A small answer made before any handler runs. */
enum MHD_Result hv_send_plain(struct MHD_Connection *conn, struct req *r, int status, const char *type, const char *body);
/* An error before any handler runs: JSON for the API, else the
 * "error_early" page template. */
enum MHD_Result hv_send_error(struct MHD_Connection *conn, struct req *r, int status, bool api, const char *msg);
/* What the handler left in c as a response (streamed, cached, gzipped). */
enum MHD_Result hv_respond(struct MHD_Connection *conn, struct req *r, struct hv_ctx *c, bool gzip_ok, const char *cache_key);

/* dispatch.c: the request through its stages, its reads in one snapshot. */
enum MHD_Result hv_dispatch_read(struct hv_app *app, struct MHD_Connection *conn, struct req *r);

#endif
