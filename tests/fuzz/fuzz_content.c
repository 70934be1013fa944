/* fuzz_content.c: the course-pack parsers (src/domain/learn/content_parse.c):
 * YAML front matter, field validation and Markdown rendering of a course,
 * lesson or quiz file, chosen by the first input byte.
 *
 * Properties: the answer is HV_OK or HV_EINVAL with a message that names
 * the file; an accepted lesson's or course's HTML never contains a raw
 * <script, and every href and src in it has no scheme or http(s), mailto
 * or tel (raw HTML in content is shown as text, and addresses are judged
 * after entities are decoded); an accepted quiz has 8+
 * questions, each with a right answer, and single-choice ones exactly one,
 * a bank of twice its draw (or asked whole), and any draw of it (seeded by
 * the input) is distinct questions with their answers permuted. */
#include "fuzz.h"

#include <strings.h>

#include "core/arena.h"
#include "core/limits.h"
#include "domain/learn/content.h"
#include "domain/learn/quiz.h"

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
			/* The bank holds twice the draw (or, without draw, a small
			 * one is asked whole); every draw is distinct questions with
			 * their answers permuted. */
			FUZZ_ASSERT(q.draw >= 1 && q.draw <= HV_QUIZ_MAX_DRAW && q.draw <= q.nquestions);
			FUZZ_ASSERT(2 * q.draw <= q.nquestions || q.draw == q.nquestions);
			FUZZ_ASSERT(q.failures_per_day >= 1 && q.failures_per_day <= 10 && strlen(q.digest) == 16);
			unsigned char seed[32] = {0};
			memcpy(seed, data, size < sizeof seed ? size : sizeof seed);
			struct hv_draw d;
			hv_quiz_draw(&q, seed, &d);
			FUZZ_ASSERT(d.n == q.draw);
			for (int i = 0; i < d.n; i++) {
				FUZZ_ASSERT(d.items[i].q >= 0 && d.items[i].q < q.nquestions);
				for (int j = 0; j < i; j++)
					FUZZ_ASSERT(d.items[j].q != d.items[i].q);
				unsigned places = 0;
				for (int k = 0; k < d.items[i].nanswers; k++)
					places |= 1u << d.items[i].order[k];
				FUZZ_ASSERT(d.items[i].nanswers == q.questions[d.items[i].q].nanswers);
				FUZZ_ASSERT(places == (1u << d.items[i].nanswers) - 1);
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
