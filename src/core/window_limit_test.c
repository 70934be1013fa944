/* window_limit_test.c: the in-memory limiter allows exactly max per
 * window, per key, and starts again in the next window. */
#include "core/test.h"
#include "core/window_limit.h"

TEST(exactly_max_per_window)
{
	struct hv_window_limit *l = hv_window_limit_new(64);
	for (int i = 0; i < 5; i++)
		CHECK(hv_window_limit_take(l, "10.0.0.1", 5, 60, 120));
	CHECK(!hv_window_limit_take(l, "10.0.0.1", 5, 60, 130));  /* the sixth in the window */
	CHECK(hv_window_limit_take(l, "10.0.0.2", 5, 60, 130));   /* another address */
	CHECK(hv_window_limit_take(l, "10.0.0.1", 5, 60, 180));   /* the next window */
	CHECK(hv_window_limit_take(l, "10.0.0.1", 0, 60, 180));   /* 0: no limit */
	hv_window_limit_free(l);
}

int main(void)
{
	RUN(exactly_max_per_window);
	return TEST_DONE();
}
