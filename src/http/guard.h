/* guard.h: keeps slow clients from holding the server's connections.
 *
 * libmicrohttpd closes a connection only after an idle timeout, so a client
 * that sends one header byte every few seconds may keep a connection for
 * ever, and a few thousand such clients fill the table (the slowloris
 * attack).  The guard follows every connection through its phases:
 *
 *   waiting  connected, first request's headers not complete: deadline
 *            header_seconds, and at most max_waiting of them: a new
 *            connection over the cap closes the oldest waiting one, so
 *            clients that send their headers at once still get in;
 *   idle     an established client kept alive between requests: deadline
 *            the idle time plus header_seconds; made to room only when
 *            the table is full (oldest first);
 *   body     headers read, body arriving: deadline by size (a grace plus
 *            the body at HV_BODY_MIN_RATE);
 *   working  the request is being answered: no deadline here.
 *
 * A watchdog thread shuts down connections past their deadline (MHD then
 * closes them as the client's doing).  Established connections that are
 * being answered are never chosen to make room. */
#ifndef HV_GUARD_H
#define HV_GUARD_H

#include <microhttpd.h>
#include <stddef.h>

struct hv_guard;

/* header_seconds: total time for a request's headers; max_waiting: cap on
 * connections in the waiting phase; max_conns: size of the table (the
 * daemon's own connection limit should be this). */
struct hv_guard *hv_guard_new(unsigned header_seconds, unsigned max_waiting, unsigned max_conns);
/* Stops the watchdog; call after the daemon has stopped. */
void hv_guard_free(struct hv_guard *g);

/* MHD_OPTION_NOTIFY_CONNECTION callback (cls is the guard). */
void hv_guard_notify(void *cls, struct MHD_Connection *conn, void **socket_context, enum MHD_ConnectionNotificationCode code);
/* The request's headers are complete; body_bytes expected (0: none). */
void hv_guard_headers_done(struct hv_guard *g, struct MHD_Connection *conn, size_t body_bytes);
/* The answer is sent and the connection kept alive: idle. */
void hv_guard_request_done(struct hv_guard *g, struct MHD_Connection *conn);

/* Counts by phase and closed connections go to core/metrics (/metrics). */

#endif
