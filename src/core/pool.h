/* pool.h: a fixed set of threads running queued jobs in order.
 *
 * The server's connection threads hand it the requests that may wait —
 * writes waiting for their group commit, PDFs, spreadsheets — so that a
 * few threads (one per core) can answer every read without being held. */
#ifndef HV_POOL_H
#define HV_POOL_H

#include <stdbool.h>

struct hv_pool;

/* n threads (1..256); NULL if none could be started. */
struct hv_pool *hv_pool_new(int n);
/* Queues fn(arg).  before(arg), when given, runs under the queue's lock
 * just before the job is queued, so no thread can start the job before it
 * returns.  False (and before not called) once the pool is stopping. */
bool hv_pool_submit(struct hv_pool *p, void (*fn)(void *), void *arg, void (*before)(void *), void *before_arg);
/* Refuses new jobs (hv_pool_submit returns false), runs those queued and
 * joins the threads; p stays valid until hv_pool_free.  NULL: nothing. */
void hv_pool_stop(struct hv_pool *p);
void hv_pool_free(struct hv_pool *p);

#endif
