/* server.h: the HTTP server (libmicrohttpd, epoll, connection threads and a worker pool). */
#ifndef HV_SERVER_H
#define HV_SERVER_H

#include "core/err.h"
#include "views/ctx.h"

struct hv_server;

/* Listens on listen ("HOST:PORT", port 0 picks a free one) with io_threads
 * threads owning the connections and answering reads, and workers threads
 * for the requests that may wait (writes, PDFs, spreadsheets; 0: those too
 * are answered by the connection threads). */
int hv_server_start(struct hv_app *app, const char *listen, int io_threads, int workers, struct hv_server **out,
                    struct hv_error *e);
unsigned hv_server_port(const struct hv_server *s);
void hv_server_stop(struct hv_server *s);

/* The access log (accesslog.c): "-" stdout, "off", or a file; one JSON
 * line per request. */
int hv_accesslog_open(const char *where);
void hv_accesslog_close(void);

#endif
