/* fragment_cache.c: rendered parts of staff pages kept in memory while the
 * figures they show have not changed (see fragment_cache.h).
 *
 * A fixed table of slots chosen by a hash of the key; a new entry replaces
 * whatever was in its slot, so memory stays bounded (SLOTS entries of at
 * most HV_FRAGMENT_MAX bytes).  An entry's parts — text, and the same
 * compressed once for gzip answers (views/splice.c) — are one block with a
 * reference count: a reader takes a reference under the read lock and
 * gives it back when its request's arena is freed, so a replacement never
 * frees text still being sent. */
#include "views/fragment_cache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "core/generation.h"
#include "core/strmap.h"

#define SLOTS 512

struct block {
	atomic_int refs;
	struct hv_part part[HV_FRAGMENT_PARTS]; /* text and deflate data point into mem */
	char mem[];
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
	return hv_str_hash(key) % SLOTS;
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

bool hv_fragments_get(const char *key, const int64_t version[2], struct hv_arena *a, struct hv_part out[HV_FRAGMENT_PARTS])
{
	struct block *held = NULL;
	struct entry *e = &table[slot(key)];
	pthread_rwlock_rdlock(&lock);
	if (e->key && !strcmp(e->key, key) && e->version[0] == version[0] && e->version[1] == version[1] &&
	    e->generation == hv_generation()) {
		held = e->b;
		atomic_fetch_add_explicit(&held->refs, 1, memory_order_relaxed);
		memcpy(out, held->part, sizeof held->part);
	}
	pthread_rwlock_unlock(&lock);
	if (held)
		hv_arena_defer(a, unref, held);
	atomic_fetch_add_explicit(held ? &hits : &misses, 1, memory_order_relaxed);
	return held != NULL;
}

void hv_fragments_text(const struct hv_buf parts[HV_FRAGMENT_PARTS], struct hv_arena *a, struct hv_part out[HV_FRAGMENT_PARTS])
{
	for (int i = 0; i < HV_FRAGMENT_PARTS; i++)
		out[i] = (struct hv_part){.text = hv_arena_strndup(a, parts[i].data ? parts[i].data : "", parts[i].len),
		                          .len = parts[i].len};
}

void hv_fragments_put(const char *key, const int64_t version[2], uint64_t generation,
                      const struct hv_buf parts[HV_FRAGMENT_PARTS], struct hv_arena *a, struct hv_part out[HV_FRAGMENT_PARTS])
{
	struct hv_buf z[HV_FRAGMENT_PARTS];
	uint32_t crc[HV_FRAGMENT_PARTS];
	size_t total = 0;
	bool zipped = true;
	for (int i = 0; i < HV_FRAGMENT_PARTS; i++) {
		hv_buf_init(&z[i]);
		zipped = hv_deflate_part(parts[i].data ? parts[i].data : "", parts[i].len, &z[i], &crc[i]) && zipped;
		total += parts[i].len + 1 + z[i].len;
	}
	if (!zipped || total > HV_FRAGMENT_MAX) {
		/* Not kept: the text for this answer only. */
		for (int i = 0; i < HV_FRAGMENT_PARTS; i++)
			hv_buf_free(&z[i]);
		hv_fragments_text(parts, a, out);
		return;
	}
	struct entry n = {.key = hv_xstrdup(key), .version = {version[0], version[1]}, .generation = generation};
	n.b = hv_xmalloc(sizeof *n.b + total);
	atomic_init(&n.b->refs, 2); /* the table's and this answer's */
	char *t = n.b->mem;
	for (int i = 0; i < HV_FRAGMENT_PARTS; i++) {
		struct hv_part *p = &n.b->part[i];
		if (parts[i].len)
			memcpy(t, parts[i].data, parts[i].len);
		t[parts[i].len] = '\0';
		p->text = t;
		p->len = parts[i].len;
		t += parts[i].len + 1;
		if (z[i].len)
			memcpy(t, z[i].data, z[i].len);
		p->z = (const unsigned char *)t;
		p->zlen = z[i].len;
		p->crc = crc[i];
		t += z[i].len;
		hv_buf_free(&z[i]);
	}
	memcpy(out, n.b->part, sizeof n.b->part);
	hv_arena_defer(a, unref, n.b);
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
