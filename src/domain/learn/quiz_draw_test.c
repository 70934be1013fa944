/* quiz_draw_test.c: drawing an attempt from a bank (deterministic from its
 * seed, the bank's proportion of multiple-choice questions, every question
 * and every answer place equally likely), the pass mark's boundary, the
 * stored form of an attempt, and the quiz.md fields draw and
 * failures_per_day. */
#include <sodium.h>
#include <stdlib.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/test.h"
#include "domain/learn/quiz.h"

/* A bank of n questions, the last nm multiple choice; answer 0 is right
 * (and answer 1 too for multiple choice). */
static char *bank_text(int n, int nm, const char *extra)
{
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_printf(&b, "---\nquiz: thu\ntitle: \"Thử\"\n%squestions:\n", extra);
	for (int i = 0; i < n; i++) {
		bool multi = i >= n - nm;
		hv_buf_printf(&b, "  - q: \"Câu %d\"\n    kind: %s\n    answers:\n", i, multi ? "multiple" : "single");
		for (int k = 0; k < 4; k++)
			hv_buf_printf(&b, "      - text: \"Đáp án %d.%d\"\n        correct: %s\n        why: \"Vì sao %d.%d\"\n", i, k,
			              k == 0 || (multi && k == 1) ? "true" : "false", i, k);
	}
	hv_buf_puts(&b, "---\n");
	return b.data;
}

static int parse(struct hv_arena *a, const char *text, struct hv_quiz *q, struct hv_error *e)
{
	return hv_parse_quiz(a, "thu/quiz.md", text, strlen(text), q, e);
}

/* The bank most tests draw from: 20 questions, 6 multiple choice, draw 10. */
static struct hv_arena *bank_arena;
static char *bank_source;
static struct hv_quiz bank;

TEST(fields_and_defaults)
{
	struct hv_arena *a = hv_arena_new();
	struct hv_quiz q;
	struct hv_error e = {0};
	char *t = bank_text(20, 6, "");
	CHECK(parse(a, t, &q, &e) == 0);
	CHECK(q.draw == 10 && q.failures_per_day == 2 && strlen(q.digest) == 16);
	free(t);
	t = bank_text(10, 2, ""); /* an older pack: every question, shuffled */
	CHECK(parse(a, t, &q, &e) == 0 && q.draw == 10);
	free(t);
	t = bank_text(24, 8, "draw: 12\nfailures_per_day: 3\n");
	CHECK(parse(a, t, &q, &e) == 0 && q.draw == 12 && q.failures_per_day == 3);
	free(t);
	t = bank_text(23, 8, "draw: 12\n");
	CHECK(parse(a, t, &q, &e) == HV_EINVAL && strstr(e.msg, "bank of at least 24"));
	free(t);
	t = bank_text(20, 6, "failures_per_day: 0\n");
	CHECK(parse(a, t, &q, &e) == HV_EINVAL);
	free(t);
	hv_arena_free(a);
}

TEST(draw_is_a_function_of_the_seed)
{
	struct hv_quiz q = bank;
	unsigned char s1[32] = {1}, s2[32] = {2};
	struct hv_draw d1, d1b, d2;
	hv_quiz_draw(&q, s1, &d1);
	hv_quiz_draw(&q, s1, &d1b);
	hv_quiz_draw(&q, s2, &d2);
	CHECK(memcmp(&d1, &d1b, sizeof d1) == 0);
	CHECK(memcmp(&d1, &d2, sizeof d1) != 0);
	CHECK(d1.n == 10);
	int multi = 0;
	uint32_t seen[4] = {0};
	for (int i = 0; i < d1.n; i++) {
		multi += q.questions[d1.items[i].q].multiple;
		CHECK(!(seen[d1.items[i].q / 32] & (1u << d1.items[i].q % 32))); /* no question twice */
		seen[d1.items[i].q / 32] |= 1u << d1.items[i].q % 32;
		uint32_t places = 0;
		for (int k = 0; k < d1.items[i].nanswers; k++)
			places |= 1u << d1.items[i].order[k];
		CHECK(places == 0xF); /* a permutation of the 4 answers */
	}
	CHECK(multi == 3); /* 10 × 6/20 */
}

TEST(every_question_and_place_equally_likely)
{
	struct hv_quiz q = bank;
	int asked[20] = {0}, right_at[4] = {0}, singles = 0;
	enum { N = 4000 };
	for (int s = 0; s < N; s++) {
		unsigned char seed[32];
		crypto_generichash(seed, sizeof seed, (const unsigned char *)&s, sizeof s, NULL, 0);
		struct hv_draw d;
		hv_quiz_draw(&q, seed, &d);
		for (int i = 0; i < d.n; i++) {
			asked[d.items[i].q]++;
			if (!q.questions[d.items[i].q].multiple) {
				singles++;
				for (int k = 0; k < 4; k++)
					right_at[k] += d.items[i].order[k] == 0;
			}
		}
	}
	for (int i = 0; i < 20; i++)
		CHECK(asked[i] > N * 40 / 100 && asked[i] < N * 60 / 100); /* each about half the time */
	for (int k = 0; k < 4; k++)
		CHECK(right_at[k] > singles * 22 / 100 && right_at[k] < singles * 28 / 100);
}

TEST(pass_mark_boundary)
{
	CHECK(hv_quiz_passed(70, 7, 10) && !hv_quiz_passed(70, 6, 10));
	CHECK(hv_quiz_passed(60, 8, 12) && !hv_quiz_passed(60, 7, 12)); /* ⌈7.2⌉ = 8 */
	CHECK(hv_quiz_passed(80, 8, 10) && !hv_quiz_passed(80, 7, 10));
	CHECK(!hv_quiz_passed(60, 0, 0));
}

TEST(scoring_and_the_stored_attempt)
{
	struct hv_quiz q = bank;
	struct hv_course co = {.pass_mark = 70, .quiz = &q};
	unsigned char seed[32] = {7};
	struct hv_draw d;
	hv_quiz_draw(&q, seed, &d);
	uint32_t sel[HV_QUIZ_MAX_DRAW] = {0};
	for (int i = 0; i < d.n; i++)
		sel[i] = i < 7 ? (q.questions[d.items[i].q].multiple ? 3u : 1u) : 4u;
	struct hv_quiz_result r;
	hv_quiz_score(&co, &d, sel, &r);
	CHECK(r.score == 7 && r.total == 10 && r.passed && r.correct[0] && !r.correct[9]);
	char *json = hv_attempt_json(&q, &d, sel);
	struct hv_draw back;
	uint32_t sel2[HV_QUIZ_MAX_DRAW] = {0};
	CHECK(json && hv_attempt_parse(json, &q, &back, sel2));
	CHECK(memcmp(&back, &d, sizeof d) == 0 && memcmp(sel, sel2, sizeof sel) == 0);
	struct hv_quiz other = q;
	memcpy(other.digest, "0000000000000000", 17);
	CHECK(!hv_attempt_parse(json, &other, &back, sel2)); /* another bank */
	CHECK(!hv_attempt_parse("{\"claimed\":true}", &q, &back, sel2));
	CHECK(!hv_attempt_parse("[1,2,3]", &q, &back, sel2));
	char bad[400];
	snprintf(bad, sizeof bad, "{\"bank\":\"%s\",\"items\":[[3,[0,0,1,2],1]]}", q.digest);
	CHECK(!hv_attempt_parse(bad, &q, &back, sel2)); /* not a permutation */
	snprintf(bad, sizeof bad, "{\"bank\":\"%s\",\"items\":[[99,[0,1,2,3],1]]}", q.digest);
	CHECK(!hv_attempt_parse(bad, &q, &back, sel2));
	free(json);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	struct hv_error e = {0};
	bank_arena = hv_arena_new();
	bank_source = bank_text(20, 6, "");
	if (parse(bank_arena, bank_source, &bank, &e) != 0)
		return 1;
	RUN(fields_and_defaults);
	RUN(draw_is_a_function_of_the_seed);
	RUN(every_question_and_place_equally_likely);
	RUN(pass_mark_boundary);
	RUN(scoring_and_the_stored_attempt);
	free(bank_source);
	hv_arena_free(bank_arena);
	return TEST_DONE();
}
