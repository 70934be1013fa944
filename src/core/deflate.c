/* deflate.c: one raw deflate stream per thread (see deflate.h). */
#include "core/deflate.h"

#include <pthread.h>
#include <stdlib.h>

#include "core/buf.h"

static pthread_key_t key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void stream_free(void *p)
{
	deflateEnd(p);
	free(p);
}

static void key_make(void)
{
	pthread_key_create(&key, stream_free);
}

z_stream *hv_deflate_stream(void)
{
	pthread_once(&once, key_make);
	z_stream *z = pthread_getspecific(key);
	if (!z) {
		z = hv_xcalloc(1, sizeof *z);
		if (deflateInit2(z, 1, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			free(z);
			return NULL;
		}
		pthread_setspecific(key, z);
		return z;
	}
	return deflateReset(z) == Z_OK ? z : NULL;
}
