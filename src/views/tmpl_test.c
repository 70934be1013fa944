/* tmpl_test.c: attribute escaping in the real templates.  The search page
 * puts a typed value in value="{{q}}" and each hit's address in
 * href="{{href url_path}}": a value holding " ' < > & must come out as
 * entities, so it can neither end the attribute nor open a tag, and
 * {{href}} must turn anything but our paths and http(s) into "#". */
#include "core/arena.h"
#include "core/buf.h"
#include "core/test.h"
#include "views/tmpl.h"

/* Renders the search page with q and one hit at url_path; the caller frees out. */
static void search_page(struct hv_buf *out, const char *q, const char *url_path)
{
	struct hv_arena *a = hv_arena_new();
	struct hv_val *d = hv_obj(a);
	hv_set_str(d, "q", q);
	hv_set_bool(d, "searched", true);
	struct hv_val *hit = hv_push(hv_set(d, "hits", hv_list(a)), hv_obj(a));
	hv_set_str(hit, "url_path", url_path);
	hv_set_str(hit, "title", "Bài \"một\" <b>");
	hv_set_bool(hit, "is_course", false);
	hv_set_str(hit, "course", "Khoá 'hai' & ba");
	char err[200] = "";
	hv_buf_init(out);
	int rc = hv_render("search", d, "vi", out, err, sizeof err);
	if (rc != 0)
		fprintf(stderr, "    %s\n", err);
	CHECK(rc == 0);
	hv_arena_free(a);
}

TEST(text_attribute_escapes_quotes_and_brackets)
{
	struct hv_buf out;
	search_page(&out, "a\" autofocus onfocus=\"alert(1)' x='<script>&amp;/", "/hoc/vneid");
	CHECK(strstr(out.data, "value=\"a&quot; autofocus onfocus=&quot;alert(1)&#39; x=&#39;&lt;script&gt;&amp;amp;&#47;\"") != NULL);
	CHECK(!strstr(out.data, "onfocus=\"") && !strstr(out.data, "<script"));
	/* Text between tags is escaped the same way. */
	CHECK(strstr(out.data, ">Bài &quot;một&quot; &lt;b&gt;</a>") != NULL);
	CHECK(strstr(out.data, "— Khoá &#39;hai&#39; &amp; ba</span>") != NULL);
	hv_buf_free(&out);
}

TEST(href_escapes_quotes_and_brackets)
{
	struct hv_buf out;
	search_page(&out, "", "/hoc/x?a=\"onmouseover=alert(1)&b='c'<d>");
	CHECK(strstr(out.data, "<a href=\"/hoc/x?a=&quot;onmouseover=alert(1)&amp;b=&#39;c&#39;&lt;d&gt;\">") != NULL);
	hv_buf_free(&out);
	search_page(&out, "", "https://dichvucong.gov.vn/p?x=\"y\"");
	CHECK(strstr(out.data, "<a href=\"https://dichvucong.gov.vn/p?x=&quot;y&quot;\">") != NULL);
	hv_buf_free(&out);
}

TEST(href_refuses_other_targets)
{
	static const char *const bad[] = {
		"javascript:alert(1)", "JAVASCRIPT:alert(1)", " /hoc", "data:text/html,x", "//evil.example", "/\\evil.example",
		"/\t/evil.example", "/\n/evil.example", "/hoc\r", "vbscript:x", "hoc/tuong-doi", "", NULL,
	};
	for (int i = 0; bad[i]; i++) {
		struct hv_buf out;
		search_page(&out, "", bad[i]);
		CHECK(strstr(out.data, "<a href=\"#\">") != NULL);
		hv_buf_free(&out);
	}
}

int main(void)
{
	char err[256];
	if (!hv_tmpl_init(err, sizeof err)) {
		fprintf(stderr, "tmpl_test: %s\n", err);
		return 1;
	}
	RUN(text_attribute_escapes_quotes_and_brackets);
	RUN(href_escapes_quotes_and_brackets);
	RUN(href_refuses_other_targets);
	hv_tmpl_shutdown();
	return TEST_DONE();
}
