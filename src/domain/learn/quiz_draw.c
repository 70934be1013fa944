/* quiz_draw.c: the pure part of quizzes (see quiz.h): drawing questions
 * and answer orders from a seed, scoring, the pass mark, and the stored
 * JSON form of an attempt.  No database, no globals. */
#include "domain/learn/quiz.h"

#include <jansson.h>
#include <sodium.h>
#include <string.h>

/* A stream of numbers from the seed (ChaCha20: libsodium's deterministic
 * random bytes).  A draw needs at most 100 + 50 + 50 × 6 numbers. */
struct stream {
	uint32_t v[512];
	int next;
};

static unsigned below(struct stream *s, unsigned n)
{
	uint32_t x = s->v[s->next++ % 512];
	return n ? x % n : 0; /* n ≤ 100: the bias is below 3e-8 */
}

/* Moves k of the n items of a to its front, uniformly (partial Fisher–Yates). */
static void pick(struct stream *s, int *a, int n, int k)
{
	for (int i = 0; i < k && i < n - 1; i++) {
		int j = i + (int)below(s, (unsigned)(n - i));
		int t = a[i];
		a[i] = a[j];
		a[j] = t;
	}
}

void hv_quiz_draw(const struct hv_quiz *q, const unsigned char seed[32], struct hv_draw *out)
{
	memset(out, 0, sizeof *out);
	struct stream s = {.next = 0};
	randombytes_buf_deterministic(s.v, sizeof s.v, seed);
	int n = q->nquestions < HV_QUIZ_MAX_QUESTIONS ? q->nquestions : HV_QUIZ_MAX_QUESTIONS;
	int singles[HV_QUIZ_MAX_QUESTIONS], multis[HV_QUIZ_MAX_QUESTIONS], ns = 0, nm = 0;
	for (int i = 0; i < n; i++) {
		if (q->questions[i].multiple)
			multis[nm++] = i;
		else
			singles[ns++] = i;
	}
	int want = q->draw < n ? q->draw : n;
	if (want > HV_QUIZ_MAX_DRAW)
		want = HV_QUIZ_MAX_DRAW;
	if (want <= 0)
		return;
	/* Multiple-choice questions in the bank's proportion, rounded. */
	int m = (want * nm * 2 + n) / (2 * n);
	if (m > nm)
		m = nm;
	int k = want - m;
	if (k > ns) {
		k = ns;
		m = want - k;
	}
	pick(&s, singles, ns, k);
	pick(&s, multis, nm, m);
	int chosen[HV_QUIZ_MAX_DRAW];
	for (int i = 0; i < k; i++)
		chosen[i] = singles[i];
	for (int i = 0; i < m; i++)
		chosen[k + i] = multis[i];
	pick(&s, chosen, want, want);
	for (int i = 0; i < want; i++) {
		struct hv_drawn *d = &out->items[i];
		const struct hv_question *qq = &q->questions[chosen[i]];
		d->q = chosen[i];
		d->nanswers = qq->nanswers < 6 ? qq->nanswers : 6;
		int order[6];
		for (int a = 0; a < d->nanswers; a++)
			order[a] = a;
		pick(&s, order, d->nanswers, d->nanswers);
		for (int a = 0; a < d->nanswers; a++)
			d->order[a] = (uint8_t)order[a];
	}
	out->n = want;
}

bool hv_quiz_passed(int pass_mark, int score, int total)
{
	return total > 0 && score * 100 >= pass_mark * total;
}

void hv_quiz_score(const struct hv_course *c, const struct hv_draw *d, const uint32_t *selected, struct hv_quiz_result *r)
{
	memset(r, 0, sizeof *r);
	const struct hv_quiz *q = c->quiz;
	if (!q)
		return;
	r->total = d->n;
	for (int i = 0; i < d->n; i++) {
		const struct hv_question *qq = &q->questions[d->items[i].q];
		uint32_t want = 0;
		for (int k = 0; k < qq->nanswers; k++)
			if (qq->answers[k].correct)
				want |= 1u << k;
		r->correct[i] = selected[i] == want;
		r->score += r->correct[i];
	}
	r->passed = hv_quiz_passed(c->pass_mark, r->score, r->total);
}

char *hv_attempt_json(const struct hv_quiz *q, const struct hv_draw *d, const uint32_t *selected)
{
	json_t *items = json_array();
	for (int i = 0; i < d->n; i++) {
		json_t *order = json_array();
		for (int a = 0; a < d->items[i].nanswers; a++)
			json_array_append_new(order, json_integer(d->items[i].order[a]));
		json_array_append_new(items, json_pack("[I,o,I]", (json_int_t)d->items[i].q, order, (json_int_t)selected[i]));
	}
	json_t *doc = json_pack("{s:s,s:o}", "bank", q->digest, "items", items);
	char *s = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return s;
}

bool hv_attempt_parse(const char *text, const struct hv_quiz *q, struct hv_draw *d, uint32_t *selected)
{
	memset(d, 0, sizeof *d);
	json_t *doc = json_loads(text, 0, NULL);
	json_t *items = json_object_get(doc, "items");
	const char *bank = json_string_value(json_object_get(doc, "bank"));
	bool ok = bank && !strcmp(bank, q->digest) && json_is_array(items) && json_array_size(items) <= HV_QUIZ_MAX_DRAW;
	for (size_t i = 0; ok && i < json_array_size(items); i++) {
		json_t *it = json_array_get(items, i), *order = json_array_get(it, 1);
		json_int_t qi = json_integer_value(json_array_get(it, 0)), chosen = json_integer_value(json_array_get(it, 2));
		ok = qi >= 0 && qi < q->nquestions && json_is_array(order) &&
		     (int)json_array_size(order) == q->questions[qi].nanswers && q->questions[qi].nanswers <= 6 && chosen >= 0 &&
		     chosen < (1 << q->questions[qi].nanswers);
		struct hv_drawn *x = &d->items[i];
		uint32_t seen = 0;
		for (size_t a = 0; ok && a < json_array_size(order); a++) {
			json_int_t o = json_integer_value(json_array_get(order, a));
			ok = o >= 0 && o < q->questions[qi].nanswers && !(seen & (1u << o));
			seen |= ok ? 1u << o : 0;
			x->order[a] = (uint8_t)o;
		}
		if (ok) {
			x->q = (int)qi;
			x->nanswers = q->questions[qi].nanswers;
			selected[i] = (uint32_t)chosen;
			d->n = (int)i + 1;
		}
	}
	json_decref(doc);
	return ok && d->n > 0;
}
