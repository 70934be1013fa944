/* fuzz_path.c: hv_parse_path (src/http/parse.c) on raw request paths.
 *
 * Input: the raw path bytes (the part of the request target before '?'),
 * at most HV_MAX_URI bytes as in http/server.c.  On success the decoded
 * path must keep every promise of parse.h and architecture.md: starts with
 * '/', valid UTF-8 without NUL or control characters, no dot segments, no
 * "//" and no '\'.  Re-encoding the result and parsing it again must give
 * the same path back. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"

static bool has_dot_segment(const char *p)
{
	for (const char *s = p; *s; s++) {
		if (*s != '/' || s[1] != '.')
			continue;
		const char *t = s + 2;
		if (*t == '.')
			t++;
		if (*t == '\0' || *t == '/')
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_MAX_URI)
		return 0; /* server.c answers 414 before parsing */
	char *raw = fuzz_dup_exact(data, size);
	struct hv_arena *a = hv_arena_new();
	struct hv_error e = {0};
	const char *out = NULL;
	int rc = hv_parse_path(a, raw, size, &out, &e);
	if (rc == HV_OK) {
		FUZZ_ASSERT(out != NULL);
		size_t n = strlen(out);
		FUZZ_ASSERT(n <= size);
		FUZZ_ASSERT(out[0] == '/');
		FUZZ_ASSERT(hv_utf8_valid(out, n));
		FUZZ_ASSERT(!hv_has_control(out, n));
		/* hv_has_control lets tab, LF and CR through; a path takes none. */
		FUZZ_ASSERT(!memchr(out, '\n', n));
		FUZZ_ASSERT(!memchr(out, '\t', n));
		FUZZ_ASSERT(!memchr(out, '\r', n));
		FUZZ_ASSERT(!strstr(out, "//"));
		FUZZ_ASSERT(!strchr(out, '\\'));
		FUZZ_ASSERT(!has_dot_segment(out));
		/* Without escapes the path is returned unchanged. */
		if (!memchr(raw, '%', size))
			FUZZ_ASSERT(n == size && memcmp(out, raw, size) == 0);
		/* Encode each segment again: parsing that must give the same path. */
		struct hv_buf enc;
		hv_buf_init(&enc);
		const char *seg = out;
		for (;;) {
			const char *slash = strchr(seg, '/');
			size_t sl = slash ? (size_t)(slash - seg) : strlen(seg);
			hv_buf_urlenc(&enc, seg, sl);
			if (!slash)
				break;
			hv_buf_putc(&enc, '/');
			seg = slash + 1;
		}
		FUZZ_ASSERT(!enc.failed);
		const char *again = NULL;
		struct hv_error e2 = {0};
		FUZZ_ASSERT(hv_parse_path(a, enc.data, enc.len, &again, &e2) == HV_OK);
		FUZZ_ASSERT(strcmp(again, out) == 0);
		hv_buf_free(&enc);
	} else {
		FUZZ_ASSERT(rc == HV_EINVAL);
		FUZZ_ASSERT(e.code == HV_EINVAL && e.msg[0] != '\0');
	}
	hv_arena_free(a);
	free(raw);
	return 0;
}
