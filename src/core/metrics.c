/* metrics.c: counters and histograms with C11 atomics (see metrics.h). */
#include "core/metrics.h"

#include <stdatomic.h>
#include <time.h>

static const double bounds[HV_METRICS_BUCKETS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5,
};
static const int statuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405,
                               409, 413, 415, 429, 431, 500, 503, 0};
#define NSTATUS (sizeof statuses / sizeof statuses[0])

struct histo {
	atomic_uint_fast64_t bucket[HV_METRICS_BUCKETS + 1];
	atomic_uint_fast64_t count;
	atomic_uint_fast64_t sum_us;
};

static atomic_uint_fast64_t requests[HV_METRICS_MAX_ROUTES][NSTATUS];
static struct histo req_latency, db_latency, commit_latency;
static atomic_uint_fast64_t commit_jobs;
static atomic_uint_fast64_t signin_locks;
static atomic_uint_fast64_t secret_hashes;
static atomic_uint_fast64_t conn_waiting, conn_body, conn_working, conn_timed_out, conn_evicted;

void hv_metrics_connections(unsigned waiting, unsigned body, unsigned working)
{
	atomic_store(&conn_waiting, waiting);
	atomic_store(&conn_body, body);
	atomic_store(&conn_working, working);
}

void hv_metrics_secret_hash(void)
{
	atomic_fetch_add(&secret_hashes, 1);
}

void hv_metrics_signin_lock(void)
{
	atomic_fetch_add(&signin_locks, 1);
}

void hv_metrics_conn_closed(bool evicted)
{
	atomic_fetch_add(evicted ? &conn_evicted : &conn_timed_out, 1);
}

double hv_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void observe(struct histo *h, double s)
{
	int i = 0;
	while (i < HV_METRICS_BUCKETS && s > bounds[i])
		i++;
	atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&h->sum_us, (uint_fast64_t)(s * 1e6), memory_order_relaxed);
}

void hv_metrics_request(int route, int status, double seconds)
{
	if (route < 0 || route >= HV_METRICS_MAX_ROUTES)
		route = 0;
	size_t k = 0;
	while (statuses[k] && statuses[k] != status)
		k++;
	atomic_fetch_add_explicit(&requests[route][k], 1, memory_order_relaxed);
	observe(&req_latency, seconds);
}

void hv_metrics_db(double seconds)
{
	observe(&db_latency, seconds);
}

void hv_metrics_commit(double seconds, int jobs)
{
	observe(&commit_latency, seconds);
	atomic_fetch_add_explicit(&commit_jobs, (uint_fast64_t)jobs, memory_order_relaxed);
}

static void render_histo(struct hv_buf *out, const char *name, const char *help, struct histo *h)
{
	hv_buf_printf(out, "# HELP %s %s\n# TYPE %s histogram\n", name, help, name);
	uint64_t cum = 0;
	for (int i = 0; i < HV_METRICS_BUCKETS; i++) {
		cum += atomic_load(&h->bucket[i]);
		hv_buf_printf(out, "%s_bucket{le=\"%g\"} %llu\n", name, bounds[i], (unsigned long long)cum);
	}
	cum += atomic_load(&h->bucket[HV_METRICS_BUCKETS]);
	hv_buf_printf(out, "%s_bucket{le=\"+Inf\"} %llu\n", name, (unsigned long long)cum);
	hv_buf_printf(out, "%s_sum %.6f\n%s_count %llu\n", name, (double)atomic_load(&h->sum_us) / 1e6,
	              name, (unsigned long long)atomic_load(&h->count));
}

void hv_metrics_render(struct hv_buf *out, const char *(*route_name)(int))
{
	hv_buf_puts(out, "# HELP hocvuso_http_requests_total HTTP requests by route and status.\n"
	                 "# TYPE hocvuso_http_requests_total counter\n");
	for (int r = 0; r < HV_METRICS_MAX_ROUTES; r++) {
		const char *name = route_name(r);
		if (!name)
			break;
		for (size_t k = 0; k < NSTATUS; k++) {
			uint64_t v = atomic_load(&requests[r][k]);
			if (!v)
				continue;
			if (statuses[k])
				hv_buf_printf(out, "hocvuso_http_requests_total{route=\"%s\",status=\"%d\"} %llu\n",
				              name, statuses[k], (unsigned long long)v);
			else
				hv_buf_printf(out, "hocvuso_http_requests_total{route=\"%s\",status=\"other\"} %llu\n",
				              name, (unsigned long long)v);
		}
	}
	render_histo(out, "hocvuso_http_request_duration_seconds", "Time to answer a request.", &req_latency);
	render_histo(out, "hocvuso_db_statement_duration_seconds", "Time of one database statement.", &db_latency);
	render_histo(out, "hocvuso_db_commit_duration_seconds", "Time of one group commit.", &commit_latency);
	hv_buf_printf(out, "# HELP hocvuso_db_committed_writes_total Writes committed.\n"
	                   "# TYPE hocvuso_db_committed_writes_total counter\n"
	                   "hocvuso_db_committed_writes_total %llu\n",
	              (unsigned long long)atomic_load(&commit_jobs));
	hv_buf_printf(out, "# HELP hocvuso_signin_locks_total Accounts locked after repeated wrong passwords, PINs or codes.\n"
	                   "# TYPE hocvuso_signin_locks_total counter\n"
	                   "hocvuso_signin_locks_total %llu\n",
	              (unsigned long long)atomic_load(&signin_locks));
	hv_buf_printf(out, "# HELP hocvuso_secret_hashes_total New argon2id hashes computed (registrations, PIN and password changes).\n"
	                   "# TYPE hocvuso_secret_hashes_total counter\n"
	                   "hocvuso_secret_hashes_total %llu\n",
	              (unsigned long long)atomic_load(&secret_hashes));
	hv_buf_printf(out, "# HELP hocvuso_http_connections Open connections by phase (waiting: request headers not complete).\n"
	                   "# TYPE hocvuso_http_connections gauge\n"
	                   "hocvuso_http_connections{phase=\"waiting\"} %llu\n"
	                   "hocvuso_http_connections{phase=\"body\"} %llu\n"
	                   "hocvuso_http_connections{phase=\"working\"} %llu\n"
	                   "# HELP hocvuso_http_connections_closed_total Connections the server closed: too slow, or the oldest waiting one to make room.\n"
	                   "# TYPE hocvuso_http_connections_closed_total counter\n"
	                   "hocvuso_http_connections_closed_total{reason=\"deadline\"} %llu\n"
	                   "hocvuso_http_connections_closed_total{reason=\"evicted\"} %llu\n",
	              (unsigned long long)atomic_load(&conn_waiting), (unsigned long long)atomic_load(&conn_body),
	              (unsigned long long)atomic_load(&conn_working), (unsigned long long)atomic_load(&conn_timed_out),
	              (unsigned long long)atomic_load(&conn_evicted));
}
