/* content_html_test.c: the lesson Markdown renderer (content_html.c).
 * Every way of spelling a javascript:, data: or vbscript: address (entities
 * named and numeric, mixed case, controls inside the scheme, reference
 * links, images, autolinks, raw HTML) is refused with its line and leaves
 * no href or src with a scheme outside http, https, mailto and tel; normal
 * links and the pack's images still work; attribute values are escaped. */
#include <ctype.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/test.h"
#include "domain/learn/content.h"

/* True if every href="..." and src="..." in html has no scheme, or an
 * allowed one (images: http(s) only), read the way a browser would after
 * dropping tabs and newlines. */
static bool addresses_safe(const char *html)
{
	for (const char *p = html; (p = strstr(p, "=\"")) != NULL; p += 2) {
		bool href = p >= html + 4 && !strncmp(p - 4, "href", 4);
		bool src = p >= html + 3 && !strncmp(p - 3, "src", 3);
		if (!href && !src)
			continue;
		char scheme[32];
		size_t n = 0;
		const char *q = p + 2;
		while (*q == ' ')
			q++;
		for (; *q && *q != '"' && !strchr(":/?#", *q); q++)
			if (*q != '\t' && *q != '\n' && *q != '\r' && n < sizeof scheme - 1)
				scheme[n++] = (char)tolower((unsigned char)*q);
		scheme[n] = '\0';
		if (*q != ':')
			continue;
		bool ok = !strcmp(scheme, "http") || !strcmp(scheme, "https") ||
		          (href && (!strcmp(scheme, "mailto") || !strcmp(scheme, "tel")));
		if (!ok)
			return false;
	}
	return true;
}

static const char *render(struct hv_arena *a, const char *md, int *bad)
{
	char *html = NULL;
	if (hv_markdown_render(a, md, strlen(md), &html, bad) != HV_OK)
		return "(render failed)";
	return html;
}

TEST(refuses_every_spelling_of_a_script_address)
{
	static const char *const bad[] = {
		"[a](javascript:alert(1))",
		"[a](javascript&#58;alert(1))",
		"[a](javascript&#058;alert(1))",
		"[a](javascript&colon;alert(1))",
		"[a](javascript&#x3A;alert(1))",
		"[a](javascript&#X3a;alert(1))",
		"[a](&#106;avascript:alert(1))",
		"[a](&#x6A;&#x61;vascript&#x3a;alert(1))",
		"[a](JaVaScRiPt:alert(1))",
		"[a](<java\tscript:alert(1)>)",
		"[a](java&#9;script:alert(1))",
		"[a](java&Tab;script:alert(1))",
		"[a](java&NewLine;script:alert(1))",
		"[a](&#32;javascript:alert(1))",
		"[a](<\x01javascript:alert(1)>)",
		"[a](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
		"[a](DATA&colon;text/html,x)",
		"[a](vbscript:msgbox(1))",
		"[a](vbscript&#58;msgbox(1))",
		"[a](file:///etc/passwd)",
		"[a](//evil.example/x)",
		"[a](/\\evil.example)",
		"[a][r]\n\n[r]: javascript&#58;alert(1)",
		"[a][r]\n\n[r]: <java&#x09;script:alert(1)> \"t\"",
		"![a](javascript&#58;alert(1))",
		"![a](data:image/svg+xml,%3Csvg%20onload=alert(1)%3E)",
		"![a](mailto:x@example.com)",
		"[![i](img/a.svg)](javascript&colon;alert(1))",
		"<javascript:alert(1)>",
		"<vbscript:x>",
		"[a](javascript&copy;:x)", /* an entity we do not decode: refused, not guessed */
		NULL,
	};
	for (int i = 0; bad[i]; i++) {
		struct hv_arena *a = hv_arena_new();
		int line = -1;
		const char *html = render(a, bad[i], &line);
		if (line != 1 || !addresses_safe(html) || strstr(html, "<a ") || strstr(html, "<img src=\"img/") != strstr(html, "<img"))
			fprintf(stderr, "    case %d: %s\n    -> line %d: %s", i, bad[i], line, html);
		CHECK(line == 1);
		CHECK(addresses_safe(html));
		CHECK(!strstr(html, "<a ")); /* and the only image left is the pack's own */
		CHECK(strstr(html, "<img src=\"img/") == strstr(html, "<img"));
		hv_arena_free(a);
	}
}

TEST(refused_link_is_plain_text_on_its_line)
{
	struct hv_arena *a = hv_arena_new();
	int line = 0;
	const char *html = render(a, "Đoạn một.\n\nĐoạn hai,\n[bấm vào đây](javascript&#58;alert(1)) nhé.\n\n[tốt](https://dichvucong.gov.vn)\n", &line);
	CHECK(line == 4);
	CHECK(strstr(html, "Đoạn hai,\nbấm vào đây nhé.") != NULL);
	CHECK(strstr(html, "<a href=\"https://dichvucong.gov.vn\">tốt</a>") != NULL);
	CHECK(!strstr(html, "javascript"));
	/* Only the first refused address is reported. */
	html = render(a, "ok\n\n![ảnh](data:x)\n\n[x](vbscript:y)\n", &line);
	CHECK(line == 3);
	CHECK(strstr(html, "<p>ảnh</p>") != NULL);
	/* Through the importer's wrapper: FILE:LINE, counted from the body's first line. */
	struct hv_error e = {0};
	char *out = NULL;
	const char *md = "một\nhai\n[x](JAVASCRIPT&colon;1)\n";
	CHECK(hv_markdown(a, "c/01-x.md", md, strlen(md), 10, &out, &e) == HV_EINVAL);
	CHECK(!strncmp(e.msg, "c/01-x.md:12: links may only use http", 37));
	hv_arena_free(a);
}

TEST(allowed_addresses_still_work)
{
	struct hv_arena *a = hv_arena_new();
	int line = -1;
	const char *html = render(a, "[https](https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i?a=1&b=2#x) [http](HTTP://example.vn) "
	                             "[rel](/hoc/vneid/cai-dat-vneid) [here](cai-dat-vneid) [frag](#buoc-2) [q](?trang=2) "
	                             "[mail](mailto:hotro@example.vn) [tel](tel:+84-24-1234) [ref][r] <https://dichvucong.gov.vn> "
	                             "![ảnh](img/vneid-1.svg) ![web](https://example.vn/a.png) [amp](/tim-kiem?q=a&amp;b)\n\n[r]: /hoc\n",
	                   &line);
	CHECK(line == 0);
	CHECK(strstr(html, "<a href=\"https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i?a=1&amp;b=2#x\">https</a>") != NULL);
	CHECK(strstr(html, "<a href=\"HTTP://example.vn\">http</a>") != NULL);
	CHECK(strstr(html, "<a href=\"/hoc/vneid/cai-dat-vneid\">rel</a>") != NULL);
	CHECK(strstr(html, "<a href=\"cai-dat-vneid\">here</a>") != NULL);
	CHECK(strstr(html, "<a href=\"#buoc-2\">frag</a>") != NULL);
	CHECK(strstr(html, "<a href=\"?trang=2\">q</a>") != NULL);
	CHECK(strstr(html, "<a href=\"mailto:hotro@example.vn\">mail</a>") != NULL);
	CHECK(strstr(html, "<a href=\"tel:+84-24-1234\">tel</a>") != NULL);
	CHECK(strstr(html, "<a href=\"/hoc\">ref</a>") != NULL);
	CHECK(strstr(html, "<a href=\"https://dichvucong.gov.vn\">https://dichvucong.gov.vn</a>") != NULL);
	CHECK(strstr(html, "<img src=\"img/vneid-1.svg\" alt=\"ảnh\">") != NULL);
	CHECK(strstr(html, "<img src=\"https://example.vn/a.png\" alt=\"web\">") != NULL);
	CHECK(strstr(html, "<a href=\"/tim-kiem?q=a&amp;b\">amp</a>") != NULL);
	CHECK(addresses_safe(html));
	hv_arena_free(a);
}

TEST(attribute_values_are_escaped)
{
	struct hv_arena *a = hv_arena_new();
	int line = -1;
	/* Quotes, angle brackets and ampersands in titles, image descriptions,
	 * addresses and code languages never end the attribute. */
	const char *html = render(a, "[x](/a \"t\\\" onmouseover=alert(1) '<b>&\") ![d \" onerror=alert(1) '](img/a.svg \"it's\")\n"
	                             "[y](/b\"c'd<e>f)\n\n```x\"onclick=y\nz\n```\n",
	                   &line);
	CHECK(line == 0);
	CHECK(strstr(html, "<a href=\"/a\" title=\"t&quot; onmouseover=alert(1) &#39;&lt;b&gt;&amp;\">x</a>") != NULL);
	CHECK(strstr(html, "<img src=\"img/a.svg\" alt=\"d &quot; onerror=alert(1) &#39;\" title=\"it&#39;s\">") != NULL);
	CHECK(strstr(html, "<a href=\"/b%22c%27d%3Ce%3Ef\">y</a>") != NULL);
	CHECK(strstr(html, "<pre><code class=\"language-x&quot;onclick=y\">") != NULL);
	hv_arena_free(a);
}

TEST(raw_html_is_text)
{
	struct hv_arena *a = hv_arena_new();
	int line = -1;
	const char *html = render(a, "<img src=\"javascript:alert(1)\">\n\n<script>alert(1)</script>\n\n"
	                             "x <a href=\"javascript:alert(1)\">y</a> <iframe src=data:text/html,x>\n", &line);
	CHECK(line == 0);
	CHECK(!strstr(html, "<img") && !strstr(html, "<script") && !strstr(html, "<a ") && !strstr(html, "<iframe"));
	CHECK(strstr(html, "&lt;img src=&quot;javascript:alert(1)&quot;&gt;") != NULL);
	CHECK(addresses_safe(html));
	hv_arena_free(a);
}

TEST(entities_in_text)
{
	struct hv_arena *a = hv_arena_new();
	int line = -1;
	const char *html = render(a, "&#60;script&#62; &#x3C;b&#x3E; &amp; &copy; &#0; &#x110000;\n", &line);
	CHECK_STR(html, "<p>&lt;script&gt; &lt;b&gt; &amp; &copy; \xEF\xBF\xBD \xEF\xBF\xBD</p>\n");
	hv_arena_free(a);
}

int main(void)
{
	RUN(refuses_every_spelling_of_a_script_address);
	RUN(refused_link_is_plain_text_on_its_line);
	RUN(allowed_addresses_still_work);
	RUN(attribute_values_are_escaped);
	RUN(raw_html_is_text);
	RUN(entities_in_text);
	return TEST_DONE();
}
