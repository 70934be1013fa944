/* fuzz_cookies.c: hv_parse_cookies (src/http/parse.c) on Cookie headers.
 *
 * Input: the header value, at most HV_MAX_HEADER_BYTES (the header memory
 * libmicrohttpd is allowed per connection), cut at the first NUL because
 * the parser receives a C string.  On success: at most HV_MAX_COOKIES
 * cookies, every name passes the allow-list, every value is valid UTF-8
 * without ';' and lies inside the header.  Invalid UTF-8 anywhere must make
 * the whole header fail. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"
#include "views/ctx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_MAX_HEADER_BYTES)
		return 0;
	char *h = fuzz_cstr(data, size);
	size_t hn = strlen(h);
	struct hv_arena *a = hv_arena_new();
	struct hv_error e = {0};
	struct hv_params c = {0};
	int rc = hv_parse_cookies(a, h, &c, &e);
	if (!hv_utf8_valid(h, hn))
		FUZZ_ASSERT(rc == HV_EINVAL);
	if (rc == HV_OK) {
		FUZZ_ASSERT(c.items != NULL);
		FUZZ_ASSERT(c.n >= 0 && c.n <= HV_MAX_COOKIES);
		for (int i = 0; i < c.n; i++) {
			const char *k = c.items[i].key, *v = c.items[i].value;
			FUZZ_ASSERT(k && v);
			FUZZ_ASSERT(fuzz_field_name_ok(k, HV_MAX_FIELD_NAME));
			FUZZ_ASSERT(strstr(h, k) != NULL);
			FUZZ_ASSERT(strlen(v) <= hn);
			FUZZ_ASSERT(!strchr(v, ';'));
			FUZZ_ASSERT(hv_utf8_valid(v, strlen(v)));
			FUZZ_ASSERT(strstr(h, v) != NULL);
		}
	} else {
		FUZZ_ASSERT(rc == HV_EINVAL && e.msg[0] != '\0');
	}
	/* No header at all is no cookies. */
	struct hv_params none = {0};
	FUZZ_ASSERT(hv_parse_cookies(a, NULL, &none, &e) == HV_OK && none.n == 0);
	hv_arena_free(a);
	free(h);
	return 0;
}
