/* cache.c: anonymous pages rendered once and served from memory.
 *
 * Pages that are the same for every anonymous visitor (home, unit pages)
 * are kept as ready libmicrohttpd responses, plain and gzipped, so a hit
 * costs a hash lookup and a queue call.  An entry dies when the content
 * generation changes (units re-imported, content published) or after a
 * minute, so that other app servers' changes also show. */
#include "http/internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/generation.h"
#include "core/strmap.h"

#define SLOTS 8192
#define TTL_SECONDS 60

struct entry {
	char *key;
	struct MHD_Response *plain, *gz;
	size_t plain_len, gz_len;
	uint64_t generation;
	time_t made;
};

static struct entry table[SLOTS];
static pthread_rwlock_t lock = PTHREAD_RWLOCK_INITIALIZER;

static size_t slot(const char *key)
{
	return hv_str_hash(key) % SLOTS;
}

static void clear(struct entry *e)
{
	free(e->key);
	if (e->plain)
		MHD_destroy_response(e->plain);
	if (e->gz)
		MHD_destroy_response(e->gz);
	memset(e, 0, sizeof *e);
}

bool hv_cache_serve(struct MHD_Connection *conn, const char *key, bool gzip, size_t *bytes)
{
	bool hit = false;
	size_t i = slot(key);
	pthread_rwlock_rdlock(&lock);
	struct entry *e = &table[i];
	if (e->key && strcmp(e->key, key) == 0 && e->generation == hv_generation() && time(NULL) - e->made < TTL_SECONDS) {
		/* Queue under the lock: queueing takes MHD's own reference, after
		 * which a concurrent replacement can no longer free it under us. */
		bool z = gzip && e->gz;
		hit = MHD_queue_response(conn, MHD_HTTP_OK, z ? e->gz : e->plain) == MHD_YES;
		*bytes = z ? e->gz_len : e->plain_len;
	}
	pthread_rwlock_unlock(&lock);
	return hit;
}

static struct MHD_Response *make(const char *type, const void *body, size_t len, bool gz)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return NULL;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "public, max-age=60");
	MHD_add_response_header(r, "Vary", "Accept-Encoding, Accept-Language, Cookie");
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	hv_add_common_headers(r);
	return r;
}

void hv_cache_put(const char *key, const char *type, const char *body, size_t len)
{
	struct entry n = {0};
	n.plain = make(type, body, len, false);
	n.plain_len = len;
	struct hv_buf z;
	hv_buf_init(&z);
	if (hv_gzip(body, len, &z)) {
		n.gz = make(type, z.data, z.len, true);
		n.gz_len = z.len;
	}
	hv_buf_free(&z);
	if (!n.plain) {
		clear(&n);
		return;
	}
	n.key = hv_xstrdup(key);
	n.generation = hv_generation();
	n.made = time(NULL);
	size_t i = slot(key);
	pthread_rwlock_wrlock(&lock);
	/* MHD keeps a reference while a response is being sent, so destroying
	 * the old entry here is safe even if it is in flight. */
	clear(&table[i]);
	table[i] = n;
	pthread_rwlock_unlock(&lock);
}

void hv_cache_shutdown(void)
{
	pthread_rwlock_wrlock(&lock);
	for (size_t i = 0; i < SLOTS; i++)
		clear(&table[i]);
	pthread_rwlock_unlock(&lock);
}
