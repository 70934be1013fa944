/* gzip.c: gzip bodies with zlib.  Cached and static bodies are compressed
 * once, at level 6 (hv_gzip).  Bodies built per request (hv_gzip_fast) use
 * level 1 and a deflate state kept per thread and reset between uses:
 * setting one up costs ~256 KB of allocation and clearing, more than
 * compressing a page (a 26 KB dashboard: ~6 KB at level 1, ~5 KB at 6). */
#include "internal.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

/* Compresses src into out with the initialised stream z; false if it
 * failed or would not be smaller. */
static bool deflate_all(z_stream *z, const void *src, size_t n, struct hv_buf *out)
{
	uLong bound = deflateBound(z, (uLong)n);
	char *dst = hv_xmalloc(bound + 1);
	z->next_in = (Bytef *)src;
	z->avail_in = (uInt)n;
	z->next_out = (Bytef *)dst;
	z->avail_out = (uInt)bound;
	int rc = deflate(z, Z_FINISH);
	size_t len = bound - z->avail_out;
	hv_buf_reset(out);
	bool ok = rc == Z_STREAM_END && len < n;
	if (ok)
		hv_buf_append(out, dst, len);
	free(dst);
	return ok;
}

bool hv_gzip(const void *src, size_t n, struct hv_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	bool ok = deflate_all(&z, src, n, out);
	deflateEnd(&z);
	return ok;
}

static pthread_key_t stream_key;
static pthread_once_t stream_once = PTHREAD_ONCE_INIT;

static void stream_free(void *p)
{
	deflateEnd(p);
	free(p);
}

static void stream_key_make(void)
{
	pthread_key_create(&stream_key, stream_free);
}

bool hv_gzip_fast(const void *src, size_t n, struct hv_buf *out)
{
	pthread_once(&stream_once, stream_key_make);
	z_stream *z = pthread_getspecific(stream_key);
	if (!z) {
		z = hv_xcalloc(1, sizeof *z);
		if (deflateInit2(z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			free(z);
			return false;
		}
		pthread_setspecific(stream_key, z);
	} else if (deflateReset(z) != Z_OK) {
		return false;
	}
	return deflate_all(z, src, n, out);
}

bool hv_accepts_gzip(const char *ae)
{
	const char *p = ae ? strstr(ae, "gzip") : NULL;
	if (!p)
		return false;
	/* "gzip;q=0" refuses it. */
	const char *q = p + 4;
	while (*q == ' ')
		q++;
	if (*q != ';')
		return true;
	q++;
	while (*q == ' ')
		q++;
	if (q[0] != 'q' || q[1] != '=')
		return true;
	return strtod(q + 2, NULL) > 0;
}
