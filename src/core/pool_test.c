/* pool_test.c: every queued job runs once, after its "before" step, and
 * stopping drains the queue. */
#include "core/pool.h"
#include "core/test.h"

#include <stdatomic.h>
#include <unistd.h>

static atomic_int ran, out_of_order;

struct item {
	atomic_bool prepared;
};

static void prepare(void *arg)
{
	struct item *it = arg;
	usleep(50); /* a worker that took the job early would see it unprepared */
	atomic_store(&it->prepared, true);
}

static void job(void *arg)
{
	struct item *it = arg;
	if (!atomic_load(&it->prepared))
		atomic_fetch_add(&out_of_order, 1);
	atomic_fetch_add(&ran, 1);
}

TEST(jobs_run_once_after_before_and_stop_drains)
{
	static struct item items[2000];
	struct hv_pool *p = hv_pool_new(4);
	CHECK(p != NULL);
	if (!p)
		return;
	for (int i = 0; i < 2000; i++) {
		bool with_before = i % 10 == 0;
		if (!with_before)
			atomic_store(&items[i].prepared, true); /* nothing to wait for */
		CHECK(hv_pool_submit(p, job, &items[i], with_before ? prepare : NULL, &items[i]));
	}
	hv_pool_stop(p); /* returns once every queued job ran */
	CHECK(atomic_load(&ran) == 2000);
	CHECK(atomic_load(&out_of_order) == 0); /* no job started before its before step ended */
	struct item late = {0};
	CHECK(!hv_pool_submit(p, job, &late, prepare, &late)); /* stopped: refused, before not run */
	CHECK(!atomic_load(&late.prepared));
	hv_pool_free(p);
	CHECK(atomic_load(&ran) == 2000);
}

TEST(bad_sizes_refused)
{
	CHECK(hv_pool_new(0) == NULL);
	CHECK(hv_pool_new(257) == NULL);
}

int main(void)
{
	RUN(jobs_run_once_after_before_and_stop_drains);
	RUN(bad_sizes_refused);
	return TEST_DONE();
}
