/* server.h: the HTTP server (libmicrohttpd, epoll, thread pool). */
#ifndef HV_SERVER_H
#define HV_SERVER_H

#include "core/err.h"
#include "views/ctx.h"

struct hv_server;

/* Listens on listen ("HOST:PORT", port 0 picks a free one) with threads
 * worker threads. */
int hv_server_start(struct hv_app *app, const char *listen, int threads, struct hv_server **out, struct hv_error *e);
unsigned hv_server_port(const struct hv_server *s);
void hv_server_stop(struct hv_server *s);

#endif
