/* search_latency.c: time hv_catalog_search in-process over a database's
 * catalogue (bench/run.sh builds it against build/obj and runs it on the
 * 1,000+-lesson pack).  Prints p50/p99/max in microseconds. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/learn/content.h"
#include "store/store.h"

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: search_latency DB [ROUNDS]\n");
		return 2;
	}
	int rounds = argc > 2 ? atoi(argv[2]) : 2000;
	struct hv_store *s;
	struct hv_error e = {0};
	if (hv_store_open(argv[1], NULL, &s, &e) < 0 || hv_catalog_load(hv_store_conn(s), &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 1;
	}
	static const char *queries[] = {"dich vu cong", "DỊCH VỤ CÔNG", "vneid", "chu ky so", "thue dien tu", "lua dao",
	                                "mat khau manh", "ma qr", "dich vu cog", "bao hiem xa hoi", "so suc khoe", "tri tue nhan tao"};
	size_t nq = sizeof queries / sizeof queries[0];
	double *t = calloc((size_t)rounds * nq, sizeof *t);
	struct hv_pack *p = hv_catalog_acquire();
	struct hv_search_hit hits[20];
	size_t n = 0, total = 0;
	for (int r = 0; r < rounds; r++)
		for (size_t i = 0; i < nq; i++) {
			struct timespec a, b;
			clock_gettime(CLOCK_MONOTONIC, &a);
			total += hv_catalog_search(p, queries[i], hits, 20);
			clock_gettime(CLOCK_MONOTONIC, &b);
			t[n++] = (double)(b.tv_sec - a.tv_sec) * 1e6 + (double)(b.tv_nsec - a.tv_nsec) / 1e3;
		}
	qsort(t, n, sizeof *t, cmp);
	int lessons = 0;
	for (int i = 0; i < p->nlessons; i++)
		lessons += p->lessons[i].published;
	printf("search over %d lessons, %zu queries: p50 %.0f µs, p99 %.0f µs, max %.0f µs (%zu hits)\n", lessons, n, t[n / 2],
	       t[n * 99 / 100], t[n - 1], total);
	hv_catalog_release(p);
	hv_catalog_shutdown();
	hv_store_close(s);
	free(t);
	return 0;
}
