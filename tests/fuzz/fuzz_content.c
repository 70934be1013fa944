/* fuzz_content.c: the course-pack parsers (src/domain/learn/content_parse.c):
 * YAML front matter, field validation and Markdown rendering of a course,
 * lesson or quiz file, chosen by the first input byte.
 *
 * Properties: the answer is HV_OK or HV_EINVAL with a message that names
 * the file; an accepted lesson's or course's HTML never contains a raw
 * <script, and every href and src in it has no scheme or http(s), mailto
 * or tel (raw HTML in content is shown as text, and addresses are judged
 * after entities are decoded); an accepted quiz has 8+
 * questions, each with a right answer, and single-choice ones exactly one. */
#include "fuzz.h"

#include <strings.h>

#include "core/arena.h"
#include "core/limits.h"
#include "domain/learn/content.h"

static bool has_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = hay; *p; p++)
		if (!strncasecmp(p, needle, n))
			return true;
	return false;
}

/* Every href="..." and src="..." names no scheme (nothing but a ':' ends
 * its first run of characters other than / ? #) or an allowed one. */
static bool addresses_allowed(const char *html)
{
	static const char *const ok[] = {"http:", "https:", "mailto:", "tel:"};
	for (const char *p = html; (p = strstr(p, "=\"")) != NULL; p += 2) {
		if (!(p - html >= 4 && !strncmp(p - 4, "href", 4)) && !(p - html >= 3 && !strncmp(p - 3, "src", 3)))
			continue;
		const char *v = p + 2;
		size_t n = strcspn(v, ":/?#\"");
		bool good = v[n] != ':';
		for (int i = 0; i < 4 && !good; i++)
			good = strlen(ok[i]) == n + 1 && !strncasecmp(v, ok[i], n + 1);
		if (!good)
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 256 * 1024)
		return 0;
	int kind = data[0] % 3;
	char *text = fuzz_dup_exact(data + 1, size - 1);
	struct hv_arena *a = hv_arena_new();
	struct hv_error e = {0};
	int rc;
	if (kind == 0) {
		struct hv_lesson l;
		rc = hv_parse_lesson(a, "c/01-x.md", text, size - 1, &l, &e);
		if (rc == HV_OK) {
			FUZZ_ASSERT(!has_ci(l.body_html, "<script"));
			FUZZ_ASSERT(addresses_allowed(l.body_html));
			FUZZ_ASSERT(l.minutes >= 1 && l.minutes <= 120 && l.level >= 1 && l.level <= 8);
			FUZZ_ASSERT(hv_domain_valid(l.domain));
		}
	} else if (kind == 1) {
		struct hv_quiz q;
		rc = hv_parse_quiz(a, "c/quiz.md", text, size - 1, &q, &e);
		if (rc == HV_OK) {
			FUZZ_ASSERT(q.nquestions >= 8);
			for (int i = 0; i < q.nquestions; i++) {
				int right = 0;
				for (int k = 0; k < q.questions[i].nanswers; k++)
					right += q.questions[i].answers[k].correct;
				FUZZ_ASSERT(right >= 1);
				FUZZ_ASSERT(q.questions[i].multiple || right == 1);
			}
		}
	} else {
		struct hv_course c;
		rc = hv_parse_course(a, "c/course.md", text, size - 1, &c, &e);
		if (rc == HV_OK) {
			FUZZ_ASSERT(!has_ci(c.intro_html, "<script"));
			FUZZ_ASSERT(addresses_allowed(c.intro_html));
		}
	}
	FUZZ_ASSERT(rc == HV_OK || rc == HV_EINVAL);
	if (rc != HV_OK)
		FUZZ_ASSERT(!strncmp(e.msg, "c/", 2));
	hv_arena_free(a);
	free(text);
	return 0;
}
