/* arena.c: chunked bump allocator with deferred cleanups (see arena.h).
 *
 * Chunks start at 8 KiB and double up to 1 MiB; a request larger than half a
 * chunk gets a chunk of its own so small allocations keep packing. */
#include "core/arena.h"
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct chunk {
	struct chunk *next;
	size_t cap, used;
	_Alignas(16) unsigned char mem[];
};

struct defer {
	struct defer *next;
	void (*fn)(void *);
	void *arg;
};

struct hv_arena {
	struct chunk *head;
	struct defer *defers;
	size_t next_cap;
	size_t total;
};

struct hv_arena *hv_arena_new(void)
{
	struct hv_arena *a = hv_xcalloc(1, sizeof *a);
	a->next_cap = 8192;
	return a;
}

void hv_arena_free(struct hv_arena *a)
{
	if (!a)
		return;
	struct defer *d = a->defers;
	while (d) {
		struct defer *n = d->next;
		d->fn(d->arg);
		d = n;
	}
	struct chunk *c = a->head;
	while (c) {
		struct chunk *n = c->next;
		free(c);
		c = n;
	}
	free(a);
}

/* n bytes, not cleared. */
static void *alloc_raw(struct hv_arena *a, size_t n)
{
	if (n > SIZE_MAX / 2) {
		fputs("hocvuso: arena request too large\n", stderr);
		abort();
	}
	n = (n + 15) & ~(size_t)15;
	struct chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = a->next_cap;
		if (n > cap / 2) {
			cap = n;
		} else if (a->next_cap < 1024 * 1024) {
			a->next_cap *= 2;
		}
		struct chunk *nc = hv_xmalloc(sizeof *nc + cap);
		nc->cap = cap;
		nc->used = 0;
		if (cap == n && c) {
			/* Oversized: keep the current chunk at the head for small allocations. */
			nc->next = c->next;
			c->next = nc;
		} else {
			nc->next = c;
			a->head = nc;
		}
		c = nc;
	}
	void *p = c->mem + c->used;
	c->used += n;
	a->total += n;
	return p;
}

void *hv_arena_alloc(struct hv_arena *a, size_t n)
{
	return memset(alloc_raw(a, n), 0, n);
}

char *hv_arena_strndup(struct hv_arena *a, const char *s, size_t n)
{
	char *d = alloc_raw(a, n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *hv_arena_strdup(struct hv_arena *a, const char *s)
{
	return hv_arena_strndup(a, s, strlen(s));
}

char *hv_arena_printf(struct hv_arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	char *d = hv_arena_alloc(a, (size_t)n + 1);
	vsnprintf(d, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return d;
}

void hv_arena_defer(struct hv_arena *a, void (*fn)(void *), void *arg)
{
	struct defer *d = hv_arena_alloc(a, sizeof *d);
	d->fn = fn;
	d->arg = arg;
	d->next = a->defers;
	a->defers = d;
}

size_t hv_arena_used(const struct hv_arena *a)
{
	return a->total;
}
