/* fragment_cache.c: rendered parts of staff pages kept in memory while the
 * figures they show have not changed (see fragment_cache.h).
 *
 * A fixed table of slots chosen by a hash of the key; a new entry replaces
 * whatever was in its slot, so memory stays bounded (SLOTS entries of at
 * most HV_FRAGMENT_MAX bytes).  An entry's text is one block with a
 * reference count: a reader takes a reference under the read lock and
 * gives it back when its request's arena is freed, so a replacement never
 * frees text still being sent. */
#include "fragment_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/generation.h"

#define SLOTS 512

struct block {
	atomic_int refs;
	const char *part[HV_FRAGMENT_PARTS]; /* into text */
	char text[];
};

struct entry {
	char *key;
	int64_t version[2];
	uint64_t generation; /* the process's (unit tree reloaded, content) */
	struct block *b;
};

static struct entry table[SLOTS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;
static atomic_uint_fast64_t hits, misses;

static size_t slot(const char *key)
{
	size_t h = 1469598103934665603u;
	for (; *key; key++)
		h = (h ^ (unsigned char)*key) * 1099511628211u;
	return h % SLOTS;
}

static void unref(void *p)
{
	struct block *b = p;
	if (b && atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
		free(b);
}

static void clear(struct entry *e)
{
	free(e->key);
	unref(e->b);
	memset(e, 0, sizeof *e);
}

bool hv_fragments_get(const char *key, const int64_t version[2], struct hv_arena *a, const char *out[HV_FRAGMENT_PARTS])
{
	struct block *held = NULL;
	struct entry *e = &table[slot(key)];
	pthread_rwlock_rdlock(&lock);
	if (e->key && !strcmp(e->key, key) && e->version[0] == version[0] && e->version[1] == version[1] &&
	    e->generation == hv_generation()) {
		held = e->b;
		atomic_fetch_add_explicit(&held->refs, 1, memory_order_relaxed);
		for (int i = 0; i < HV_FRAGMENT_PARTS; i++)
			out[i] = held->part[i];
	}
	pthread_rwlock_unlock(&lock);
	if (held)
		hv_arena_defer(a, unref, held);
	atomic_fetch_add_explicit(held ? &hits : &misses, 1, memory_order_relaxed);
	return held != NULL;
}

void hv_fragments_put(const char *key, const int64_t version[2], uint64_t generation,
                      const struct hv_buf parts[HV_FRAGMENT_PARTS])
{
	size_t total = 0;
	for (int i = 0; i < HV_FRAGMENT_PARTS; i++)
		total += parts[i].len;
	if (total > HV_FRAGMENT_MAX)
		return;
	struct entry n = {.key = hv_xstrdup(key), .version = {version[0], version[1]}, .generation = generation};
	n.b = hv_xmalloc(sizeof *n.b + total + HV_FRAGMENT_PARTS);
	atomic_init(&n.b->refs, 1);
	char *t = n.b->text;
	for (int i = 0; i < HV_FRAGMENT_PARTS; i++) {
		if (parts[i].len)
			memcpy(t, parts[i].data, parts[i].len);
		t[parts[i].len] = '\0';
		n.b->part[i] = t;
		t += parts[i].len + 1;
	}
	struct entry *e = &table[slot(key)];
	pthread_rwlock_wrlock(&lock);
	clear(e);
	*e = n;
	pthread_rwlock_unlock(&lock);
}

void hv_fragments_counts(uint64_t *hit, uint64_t *miss)
{
	*hit = atomic_load(&hits);
	*miss = atomic_load(&misses);
}

void hv_fragments_shutdown(void)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < SLOTS; i++)
		clear(&table[i]);
	pthread_rwlock_unlock(&lock);
}
