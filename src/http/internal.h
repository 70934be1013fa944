/* internal.h: shared by the files of the HTTP layer only. */
#ifndef HV_HTTP_INTERNAL_H
#define HV_HTTP_INTERNAL_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

struct hv_ctx;

/* gzip.c: gzip-compresses src into out; false if it did not shrink. */
bool hv_gzip(const void *src, size_t n, struct hv_buf *out);
/* The same for a body built per request: level 1, a deflate state per thread. */
bool hv_gzip_fast(const void *src, size_t n, struct hv_buf *out);
/* c's body with its spliced parts (views/splice.c): their deflate data
 * copied in, the text around them compressed as by hv_gzip_fast. */
bool hv_gzip_body(struct hv_ctx *c, struct hv_buf *out);
/* True if an Accept-Encoding header value allows gzip. */
bool hv_accepts_gzip(const char *accept_encoding);

/* headers.c: security and common headers on every response. */
void hv_add_common_headers(struct MHD_Response *r);

/* cache.c: rendered anonymous pages, by key ("vi|/don-vi/79"). */
/* Queues the cached page for key if fresh; false on a miss. */
bool hv_cache_serve(struct MHD_Connection *conn, const char *key, bool gzip, size_t *bytes);
void hv_cache_put(const char *key, const char *type, const char *body, size_t len);
void hv_cache_shutdown(void);

/* static.c: /static/NAME from web/ in the binary. */
void hv_static_init(void);
void hv_static_shutdown(void);
/* Queues the asset response or returns false if there is no such asset. */
bool hv_static_serve(struct MHD_Connection *conn, const char *name, const char *if_none_match, bool gzip,
                     int *status, size_t *bytes);

/* accesslog.c (opening and closing: server.h) */
void hv_accesslog_write(const char *method, const char *uri, int status, size_t bytes, double seconds,
                        const char *ip, const char *route);

#endif
