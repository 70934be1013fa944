/* gzip.c: gzip bodies with zlib.  Cached and static bodies are compressed
 * once, at level 6 (hv_gzip).  Bodies built per request use level 1 and
 * the thread's raw deflate stream (core/deflate.h), with the gzip header
 * and trailer written here.  That also lets a
 * body with parts compressed beforehand (views/splice.c) be answered by
 * compressing only the text around them: the stream is fully flushed
 * before each part (byte boundary, no reference back past it), the part's
 * deflate data is copied in, and the CRC-32s are combined. */
#include "http/internal.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "core/deflate.h"
#include "views/ctx.h"

bool hv_gzip(const void *src, size_t n, struct hv_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	uLong bound = deflateBound(&z, (uLong)n);
	char *dst = hv_xmalloc(bound + 1);
	z.next_in = (Bytef *)src;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)dst;
	z.avail_out = (uInt)bound;
	int rc = deflate(&z, Z_FINISH);
	size_t len = bound - z.avail_out;
	deflateEnd(&z);
	hv_buf_reset(out);
	bool ok = rc == Z_STREAM_END && len < n;
	if (ok)
		hv_buf_append(out, dst, len);
	free(dst);
	return ok;
}

struct gz {
	z_stream *z;
	struct hv_buf *out;
	uLong crc, total;
};

static bool run(struct gz *g, const void *in, size_t n, int flush)
{
	g->z->next_in = (Bytef *)in;
	g->z->avail_in = (uInt)n;
	for (;;) {
		unsigned char tmp[16384];
		g->z->next_out = tmp;
		g->z->avail_out = sizeof tmp;
		int rc = deflate(g->z, flush);
		if (rc == Z_STREAM_ERROR)
			return false;
		hv_buf_append(g->out, tmp, sizeof tmp - g->z->avail_out);
		if (g->z->avail_out != 0 && g->z->avail_in == 0)
			return flush != Z_FINISH || rc == Z_STREAM_END;
	}
}

static bool piece(const char *text, size_t len, const struct hv_part *part, void *arg)
{
	struct gz *g = arg;
	if (part && part->z) {
		if (!run(g, NULL, 0, Z_FULL_FLUSH))
			return false;
		hv_buf_append(g->out, part->z, part->zlen);
		g->crc = crc32_combine(g->crc, part->crc, (z_off_t)part->len);
		g->total += part->len;
		return true;
	}
	if (part) {
		text = part->text;
		len = part->len;
	}
	g->crc = crc32(g->crc, (const Bytef *)text, (uInt)len);
	g->total += len;
	return run(g, text, len, Z_NO_FLUSH);
}

static bool gzip_pieces(struct hv_ctx *c, const void *src, size_t n, struct hv_buf *out)
{
	struct gz g = {.z = hv_deflate_stream(), .out = out, .crc = crc32(0, NULL, 0)};
	if (!g.z)
		return false;
	static const unsigned char header[10] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	hv_buf_reset(out);
	hv_buf_append(out, header, sizeof header);
	bool ok = c ? hv_splice_walk(c, piece, &g) : piece(src, n, NULL, &g);
	if (!ok || !run(&g, NULL, 0, Z_FINISH))
		return false;
	unsigned char trailer[8];
	for (int i = 0; i < 4; i++) {
		trailer[i] = (unsigned char)(g.crc >> (8 * i));
		trailer[4 + i] = (unsigned char)(g.total >> (8 * i));
	}
	hv_buf_append(out, trailer, sizeof trailer);
	return out->len < g.total;
}

bool hv_gzip_fast(const void *src, size_t n, struct hv_buf *out)
{
	return gzip_pieces(NULL, src, n, out);
}

bool hv_gzip_body(struct hv_ctx *c, struct hv_buf *out)
{
	return gzip_pieces(c, NULL, 0, out);
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
