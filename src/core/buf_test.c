/* buf_test.c: the growable buffer, arena, escapers and number parser. */
#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/num.h"
#include "core/test.h"

#include <stdint.h>

TEST(buf_grows_and_terminates)
{
	struct hv_buf b;
	hv_buf_init(&b);
	for (int i = 0; i < 1000; i++)
		hv_buf_printf(&b, "%d,", i);
	CHECK(!b.failed);
	CHECK(b.len == strlen(b.data));
	CHECK(strncmp(b.data, "0,1,2,", 6) == 0);
	hv_buf_free(&b);
}

TEST(i64_matches_printf)
{
	const int64_t cases[] = {0, 7, -7, 10, 1234567890123, -99, INT64_MAX, INT64_MIN};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "%lld", (long long)cases[i]);
		struct hv_buf b;
		hv_buf_init(&b);
		hv_buf_i64(&b, cases[i]);
		CHECK_STR(b.data, want);
		hv_buf_free(&b);
	}
}

TEST(fixed_buf_fails_sticky)
{
	char mem[8];
	struct hv_buf b;
	hv_buf_init_fixed(&b, mem, sizeof mem);
	hv_buf_puts(&b, "abc");
	CHECK(!b.failed);
	hv_buf_puts(&b, "defghijk");
	CHECK(b.failed);
	hv_buf_puts(&b, "x");
	CHECK(b.failed);
	CHECK_STR(b.data, "abc");
}

TEST(html_escape)
{
	struct hv_buf b;
	hv_buf_init(&b);
	const char *s = "<script>alert('x')</script> & \"y\"";
	hv_buf_html(&b, s, strlen(s));
	CHECK_STR(b.data, "&lt;script&gt;alert(&#39;x&#39;)&lt;&#47;script&gt; &amp; &quot;y&quot;");
	hv_buf_free(&b);
}

TEST(csv_fields)
{
	/* The six starts a spreadsheet may run as a formula (OWASP): = + - @ tab CR. */
	const char *in[] = {"Phường Sài Gòn", "a,b", "say \"hi\"", "=SUM(A1)", "-5", "@x", "", "line\nbreak", "+1",
	                    "\t=1+2", "\r=1+2", "a\tb", " =x", "x="};
	const char *want[] = {"Phường Sài Gòn", "\"a,b\"", "\"say \"\"hi\"\"\"", "\"'=SUM(A1)\"", "\"'-5\"", "\"'@x\"", "",
	                      "\"line\nbreak\"", "\"'+1\"", "\"'\t=1+2\"", "\"'\r=1+2\"", "a\tb", " =x", "x="};
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		struct hv_buf b;
		hv_buf_init(&b);
		hv_buf_csv(&b, in[i]);
		CHECK_STR(b.data ? b.data : "", want[i]);
		hv_buf_free(&b);
	}
}

TEST(url_and_json_escape)
{
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_urlenc(&b, "a b/ư", strlen("a b/ư"));
	CHECK_STR(b.data, "a%20b%2F%C6%B0");
	hv_buf_reset(&b);
	hv_buf_json_str(&b, "q\"\\\n</script>");
	CHECK_STR(b.data, "\"q\\\"\\\\\\n\\u003c/script\\u003e\"");
	hv_buf_free(&b);
}

static int deferred;
static void count_defer(void *p)
{
	deferred += *(int *)p;
}

TEST(arena_alloc_and_defer)
{
	struct hv_arena *a = hv_arena_new();
	char *big = hv_arena_alloc(a, 100000);
	CHECK(big != NULL);
	big[99999] = 'x';
	for (int i = 0; i < 10000; i++)
		CHECK(hv_arena_strdup(a, "hello")[0] == 'h');
	CHECK_STR(hv_arena_printf(a, "%s-%d", "x", 5), "x-5");
	int *one = hv_arena_alloc(a, sizeof *one);
	*one = 1;
	hv_arena_defer(a, count_defer, one);
	hv_arena_defer(a, count_defer, one);
	CHECK(deferred == 0);
	hv_arena_free(a);
	CHECK(deferred == 2);
}

TEST(parse_i64_strict)
{
	int64_t v;
	CHECK(hv_parse_i64("42", 0, 100, &v) == 0 && v == 42);
	CHECK(hv_parse_i64("-5", -10, 10, &v) == 0 && v == -5);
	CHECK(hv_parse_i64("9223372036854775807", 0, INT64_MAX, &v) == 0 && v == INT64_MAX);
	CHECK(hv_parse_i64("-9223372036854775808", INT64_MIN, 0, &v) == 0 && v == INT64_MIN);
	CHECK(hv_parse_i64("9223372036854775808", 0, INT64_MAX, &v) == HV_EINVAL);
	CHECK(hv_parse_i64("12a", 0, 100, &v) == HV_EINVAL);
	CHECK(hv_parse_i64(" 1", 0, 100, &v) == HV_EINVAL);
	CHECK(hv_parse_i64("", 0, 100, &v) == HV_EINVAL);
	CHECK(hv_parse_i64("-", -1, 100, &v) == HV_EINVAL);
	CHECK(hv_parse_i64("101", 0, 100, &v) == HV_EINVAL);
	CHECK(hv_parse_i64("+1", 0, 100, &v) == HV_EINVAL);
}

int main(void)
{
	RUN(buf_grows_and_terminates);
	RUN(i64_matches_printf);
	RUN(fixed_buf_fails_sticky);
	RUN(html_escape);
	RUN(csv_fields);
	RUN(url_and_json_escape);
	RUN(arena_alloc_and_defer);
	RUN(parse_i64_strict);
	return TEST_DONE();
}
