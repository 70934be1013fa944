/* gzip.c: gzip bodies with zlib (level 6: cached and static bodies are
 * compressed once, dynamic ones are small). */
#include "internal.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

bool hv_gzip(const void *src, size_t n, struct hv_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	uLong bound = deflateBound(&z, (uLong)n);
	hv_buf_reset(out);
	hv_buf_append(out, "", 0);
	char *dst = hv_xmalloc(bound + 1);
	z.next_in = (Bytef *)src;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)dst;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	size_t len = bound - z.avail_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END || len >= n) {
		free(dst);
		return false;
	}
	hv_buf_append(out, dst, len);
	free(dst);
	return true;
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
