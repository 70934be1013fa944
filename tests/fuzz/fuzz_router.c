/* fuzz_router.c: hv_route_match (src/views/routes.c) on fuzzed methods
 * and paths.
 *
 * Input: one byte choosing the method (GET, HEAD, POST, or the bytes up to
 * the first NUL when the byte is >= 0xC0), then the raw path.  The path goes
 * through hv_parse_path first as in http/server.c, and the scratch buffer is
 * exactly what server.c gives (raw length + 8) in its own heap block so ASan
 * sees any overflow.  Paths the parser refuses are matched raw as well (the
 * contract of hv_route_match does not require a parsed path).
 * Properties: the result is -2, -1 or a route index; a match fills exactly
 * as many non-empty, slash-free parameters as the pattern has {}; putting
 * the parameters back into the pattern gives the path (up to one trailing
 * slash); -2 only when another method's route matches; HEAD answers like
 * GET; and every route's own pattern (with "x" for {}) matches itself. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "http/parse.h"
#include "views/routes.h"

static int count_params(const char *pattern)
{
	int n = 0;
	for (const char *p = pattern; (p = strstr(p, "{}")) != NULL; p += 2)
		n++;
	return n;
}

static void check_match(const char *method, const char *path, size_t raw_len)
{
	size_t slen = raw_len + 8;
	char *scratch = malloc(slen);
	if (!scratch)
		abort();
	const char *params[4] = {0};
	int r = hv_route_match(method, path, params, scratch, slen);
	FUZZ_ASSERT(r >= -2 && r < hv_nroutes);
	if (r >= 0) {
		const struct hv_route *rt = &hv_routes[r];
		FUZZ_ASSERT(!strcmp(rt->method, method) || (!strcmp(method, "HEAD") && !strcmp(rt->method, "GET")));
		int np = count_params(rt->pattern);
		FUZZ_ASSERT(np <= HV_MAX_PATH_PARAMS);
		/* Rebuild the path from the pattern and the parameters. */
		struct hv_buf b;
		hv_buf_init(&b);
		int k = 0;
		for (const char *p = rt->pattern; *p;) {
			if (p[0] == '{' && p[1] == '}') {
				const char *v = params[k++];
				FUZZ_ASSERT(v != NULL && v[0] != '\0' && !strchr(v, '/'));
				FUZZ_ASSERT(v >= scratch && v < scratch + slen);
				hv_buf_puts(&b, v);
				p += 2;
			} else {
				hv_buf_putc(&b, *p++);
			}
		}
		FUZZ_ASSERT(k == np);
		size_t pl = strlen(path);
		bool same = strcmp(b.data, path) == 0;
		bool trailing = pl == b.len + 1 && path[pl - 1] == '/' && memcmp(b.data, path, b.len) == 0;
		FUZZ_ASSERT(same || trailing);
		hv_buf_free(&b);
	}
	if (r == -2) {
		/* Some route matches with another method. */
		const char *others[] = {"GET", "POST"};
		bool any = false;
		for (int i = 0; i < 2 && !any; i++) {
			const char *p2[4];
			any = hv_route_match(others[i], path, p2, scratch, slen) >= 0;
		}
		FUZZ_ASSERT(any);
	}
	if (!strcmp(method, "HEAD")) {
		const char *p2[4];
		FUZZ_ASSERT(hv_route_match("GET", path, p2, scratch, slen) == r);
	}
	free(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Every route matches its own pattern. */
	for (int i = 0; i < hv_nroutes; i++) {
		struct hv_buf b;
		hv_buf_init(&b);
		for (const char *p = hv_routes[i].pattern; *p;) {
			if (p[0] == '{' && p[1] == '}') {
				hv_buf_putc(&b, 'x');
				p += 2;
			} else {
				hv_buf_putc(&b, *p++);
			}
		}
		char scratch[256];
		const char *params[4];
		int r = hv_route_match(hv_routes[i].method, b.data, params, scratch, sizeof scratch);
		FUZZ_ASSERT(r == i);
		hv_buf_free(&b);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > HV_MAX_URI + 12)
		return 0;
	static const char *methods[] = {"GET", "HEAD", "POST"};
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	char *method = NULL;
	if (data[0] >= 0xC0) {
		/* A method of our own: up to the first NUL, at most 11 bytes as in server.c. */
		const uint8_t *z = memchr(p, 0, n);
		if (!z)
			return 0;
		size_t ml = (size_t)(z - p);
		if (ml > 11)
			ml = 11;
		method = fuzz_cstr(p, ml);
		n -= (size_t)(z - p) + 1;
		p = z + 1;
	}
	const char *m = method ? method : methods[data[0] % 3];
	if (n > HV_MAX_URI) {
		free(method);
		return 0;
	}
	char *raw = fuzz_dup_exact(p, n);
	struct hv_arena *a = hv_arena_new();
	struct hv_error e = {0};
	const char *path;
	if (hv_parse_path(a, raw, n, &path, &e) == HV_OK)
		check_match(m, path, n);
	char *cpath = fuzz_cstr(p, n);
	check_match(m, cpath, strlen(cpath));
	free(cpath);
	hv_arena_free(a);
	free(raw);
	free(method);
	return 0;
}
