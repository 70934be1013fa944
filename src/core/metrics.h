/* metrics.h: lock-free counters and latency histograms, exported by
 * GET /metrics in Prometheus text format.
 *
 * Request counts are kept per (route, status) in a fixed table so that
 * recording is one atomic add; the route index comes from the router. */
#ifndef HV_METRICS_H
#define HV_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

#define HV_METRICS_MAX_ROUTES 128
#define HV_METRICS_BUCKETS 12

void hv_metrics_request(int route, int status, double seconds);
void hv_metrics_db(double seconds);       /* one statement step or exec */
void hv_metrics_commit(double seconds, int jobs); /* one group commit */
/* Connections by phase (http/guard.c), and one closed by the server. */
void hv_metrics_connections(unsigned waiting, unsigned body, unsigned working);
void hv_metrics_conn_closed(bool evicted);
void hv_metrics_signin_lock(void);
void hv_metrics_secret_hash(void); /* one argon2id hash computed */ /* an account locked after wrong tries */
/* route_name(i) gives the label of route i; NULL ends the table. */
void hv_metrics_render(struct hv_buf *out, const char *(*route_name)(int));
double hv_now(void); /* monotonic seconds */

#endif
