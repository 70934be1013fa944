/* splice.c: parts of a body put in when it is sent (see hv_splice_mark in
 * ctx.h).  A dashboard's shared parts are kept rendered, and compressed
 * once; the page names them by markers, so a gzip answer compresses only
 * the few kilobytes around them (http/gzip.c) and a plain one copies them.
 *
 * A marker is "\x01" NONCE "#" DIGIT "\x01": the nonce is 16 random
 * characters drawn for the request, so neither escaped text nor anything a
 * user typed can contain one. */
#include "views/ctx.h"

#include <stdlib.h>
#include <string.h>

#include "core/deflate.h"
#include "core/ids.h"

#define NONCE 16

const char *hv_splice_mark(struct hv_ctx *c, const struct hv_part *p)
{
	if (c->nsplice == HV_MAX_SPLICES)
		return hv_arena_strndup(c->arena, p->text, p->len); /* no room: the text itself */
	if (!c->nsplice) {
		hv_random_chars(c->splice_nonce, NONCE, "abcdefghijklmnopqrstuvwxyz0123456789");
		c->splice_nonce[NONCE] = '\0';
	}
	c->splice[c->nsplice] = *p;
	return hv_arena_printf(c->arena, "\x01%s#%d\x01", c->splice_nonce, c->nsplice++);
}

bool hv_splice_walk(struct hv_ctx *c, bool (*piece)(const char *text, size_t len, const struct hv_part *part, void *arg),
                    void *arg)
{
	const char *s = c->body.data ? c->body.data : "", *end = s + c->body.len;
	char head[NONCE + 3];
	size_t hn = 0;
	if (c->nsplice) {
		head[0] = '\x01';
		memcpy(head + 1, c->splice_nonce, NONCE);
		head[NONCE + 1] = '#';
		hn = NONCE + 2;
	}
	while (s < end) {
		const char *m = hn ? memmem(s, (size_t)(end - s), head, hn) : NULL;
		int k = m && end - m >= (long)hn + 2 && m[hn + 1] == '\x01' ? m[hn] - '0' : -1;
		if (k < 0 || k >= c->nsplice) {
			/* no (well-formed) marker after s */
			const char *to = m ? m + 1 : end;
			if (!piece(s, (size_t)(to - s), NULL, arg))
				return false;
			s = to;
			continue;
		}
		if (m > s && !piece(s, (size_t)(m - s), NULL, arg))
			return false;
		if (!piece(NULL, 0, &c->splice[k], arg))
			return false;
		s = m + hn + 2;
	}
	return true;
}

static bool append(const char *text, size_t len, const struct hv_part *part, void *arg)
{
	hv_buf_append(arg, part ? part->text : text, part ? part->len : len);
	return true;
}

void hv_splice_flatten(struct hv_ctx *c)
{
	if (!c->nsplice)
		return;
	struct hv_buf out;
	hv_buf_init(&out);
	hv_splice_walk(c, append, &out);
	hv_buf_free(&c->body);
	c->body = out;
	c->nsplice = 0;
}

bool hv_deflate_part(const void *src, size_t n, struct hv_buf *out, uint32_t *crc)
{
	z_stream *z = hv_deflate_stream();
	if (!z)
		return false;
	uLong bound = deflateBound(z, (uLong)n) + 16;
	char *dst = hv_xmalloc(bound);
	z->next_in = (Bytef *)src;
	z->avail_in = (uInt)n;
	z->next_out = (Bytef *)dst;
	z->avail_out = (uInt)bound;
	int rc = deflate(z, Z_SYNC_FLUSH); /* ends on a byte boundary, not the last block */
	bool ok = rc == Z_OK && z->avail_in == 0 && z->avail_out > 0;
	hv_buf_reset(out);
	if (ok)
		hv_buf_append(out, dst, bound - z->avail_out);
	free(dst);
	*crc = (uint32_t)crc32(0, src, (uInt)n);
	return ok;
}
