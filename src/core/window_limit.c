/* window_limit.c: see window_limit.h. */
#include "core/window_limit.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

struct slot {
	char key[64];
	int64_t window;
	int hits;
};

struct hv_window_limit {
	pthread_mutex_t lock;
	unsigned n;
	struct slot slots[];
};

struct hv_window_limit *hv_window_limit_new(unsigned slots)
{
	struct hv_window_limit *l = hv_xcalloc(1, sizeof *l + (size_t)slots * sizeof(struct slot));
	pthread_mutex_init(&l->lock, NULL);
	l->n = slots ? slots : 1;
	return l;
}

void hv_window_limit_free(struct hv_window_limit *l)
{
	if (!l)
		return;
	pthread_mutex_destroy(&l->lock);
	free(l);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

bool hv_window_limit_take(struct hv_window_limit *l, const char *key, int max, int window_seconds, int64_t now)
{
	if (max <= 0)
		return true;
	int64_t window = now - now % (window_seconds > 0 ? window_seconds : 1);
	struct slot *s = &l->slots[fnv1a(key) % l->n];
	pthread_mutex_lock(&l->lock);
	if (s->window != window || strncmp(s->key, key, sizeof s->key - 1) != 0) {
		snprintf(s->key, sizeof s->key, "%s", key);
		s->window = window;
		s->hits = 0;
	}
	bool ok = ++s->hits <= max;
	pthread_mutex_unlock(&l->lock);
	return ok;
}
