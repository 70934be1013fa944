/* parse_test.c: paths, urlencoded forms and cookies, good and hostile. */
#include "core/test.h"
#include "core/limits.h"
#include "http/parse.h"

TEST(paths)
{
	struct hv_arena *a = hv_arena_new();
	struct hv_error e;
	const char *p;
	CHECK(hv_parse_path(a, "/don-vi/79", 10, &p, &e) == 0);
	CHECK_STR(p, "/don-vi/79");
	CHECK(hv_parse_path(a, "/a%20b", 6, &p, &e) == 0);
	CHECK_STR(p, "/a b");
	CHECK(hv_parse_path(a, "/static/../x", 12, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/static/%2e%2e/x", 16, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/x/..", 5, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/x%00y", 6, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/don-vi/79%0D", 13, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/x%7F", 5, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/x%09", 5, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/x%C3", 5, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/x%G1", 5, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/x%4", 4, &p, &e) < 0);
	CHECK(hv_parse_path(a, "//evil.example", 14, &p, &e) < 0);
	CHECK(hv_parse_path(a, "x", 1, &p, &e) < 0);
	CHECK(hv_parse_path(a, "/.well-known/x", 14, &p, &e) == 0);
	hv_arena_free(a);
}

TEST(forms)
{
	struct hv_arena *a = hv_arena_new();
	struct hv_error e;
	struct hv_params f;
	const char *s = "name=Nguy%E1%BB%85n+V%C4%83n+A&phone=0912345678&empty=&flag&name=second";
	CHECK(hv_parse_urlencoded(a, s, strlen(s), &f, &e) == 0);
	CHECK_STR(hv_param(&f, "name"), "Nguyễn Văn A");
	CHECK_STR(hv_param(&f, "phone"), "0912345678");
	CHECK_STR(hv_param(&f, "empty"), "");
	CHECK_STR(hv_param(&f, "flag"), "");
	CHECK(hv_param(&f, "missing") == NULL);
	CHECK(hv_parse_urlencoded(a, "a=%FF", 5, &f, &e) < 0);       /* invalid UTF-8 */
	CHECK(hv_parse_urlencoded(a, "a=%00", 5, &f, &e) < 0);       /* NUL */
	CHECK(hv_parse_urlencoded(a, "a=%", 3, &f, &e) < 0);
	CHECK(hv_parse_urlencoded(a, "%3Cx%3E=1", 9, &f, &e) < 0);   /* bad name */
	CHECK(hv_parse_urlencoded(a, "", 0, &f, &e) == 0 && f.n == 0);
	/* At most HV_MAX_FIELDS fields. */
	static char many[(HV_MAX_FIELDS + 1) * 12];
	size_t len = 0;
	for (int i = 0; i < HV_MAX_FIELDS; i++)
		len += (size_t)snprintf(many + len, sizeof many - len, "k%d=v&", i);
	CHECK(hv_parse_urlencoded(a, many, len, &f, &e) == 0 && f.n == HV_MAX_FIELDS);
	snprintf(many + len, sizeof many - len, "one=more");
	CHECK(hv_parse_urlencoded(a, many, strlen(many), &f, &e) < 0);
	hv_arena_free(a);
}

TEST(cookies)
{
	struct hv_arena *a = hv_arena_new();
	struct hv_error e;
	struct hv_params c;
	CHECK(hv_parse_cookies(a, "hv_s=abc; hv_lang=en;junk; =x; q=\"quoted\"", &c, &e) == 0);
	CHECK_STR(hv_param(&c, "hv_s"), "abc");
	CHECK_STR(hv_param(&c, "hv_lang"), "en");
	CHECK_STR(hv_param(&c, "q"), "quoted");
	CHECK(hv_parse_cookies(a, "a=\xC3", &c, &e) < 0);
	CHECK(hv_parse_cookies(a, NULL, &c, &e) == 0 && c.n == 0);
	hv_arena_free(a);
}

TEST(json_depth)
{
	CHECK(hv_json_depth_ok("{\"a\":[1,{\"b\":2}]}", 17, 16));
	char deep[64];
	memset(deep, '[', 20);
	CHECK(!hv_json_depth_ok(deep, 20, 16));
	CHECK(hv_json_depth_ok("\"[[[[[[[[[[[[[[[[[[[[\"", 22, 16));
}

TEST(accept_lang)
{
	CHECK_STR(hv_accept_lang(NULL), "vi");
	CHECK_STR(hv_accept_lang(""), "vi");
	CHECK_STR(hv_accept_lang("en-US,en;q=0.9"), "en");
	CHECK_STR(hv_accept_lang("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), "vi");
	CHECK_STR(hv_accept_lang("fr-FR, en;q=0.5"), "en");
	CHECK_STR(hv_accept_lang("fr-FR, de"), "vi");
	CHECK_STR(hv_accept_lang("en;q=0.3, vi;q=0.8"), "vi");
	CHECK_STR(hv_accept_lang("EN-gb"), "en");
	CHECK_STR(hv_accept_lang("eng, enx"), "vi");            /* not "en" */
	CHECK_STR(hv_accept_lang("en;q=0"), "vi");              /* "not English" */
	CHECK_STR(hv_accept_lang("en;q=junk"), "vi");
	CHECK_STR(hv_accept_lang(",,, ;;q=1,en"), "en");
	CHECK_STR(hv_accept_lang("*"), "vi");
}

int main(void)
{
	RUN(accept_lang);
	RUN(paths);
	RUN(forms);
	RUN(cookies);
	RUN(json_depth);
	return TEST_DONE();
}
