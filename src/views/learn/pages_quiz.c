/* pages_quiz.c: a course's final quiz (see domain/learn/quiz.h): the form
 * of the learner's current attempt — its draw, the same on every load —,
 * answering it (each attempt once, none during a cool-down), and the
 * result of their last attempt, which explains the answers they chose and
 * no others.  A learner is an account or an anonymous visitor's nonce. */
#include "views/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ids.h"
#include "core/num.h"
#include "domain/learn/quiz.h"
#include "views/learn/progress.h"
#include "views/tmpl.h"

static const struct hv_course *quiz_course(struct hv_ctx *c)
{
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_course *co = hv_catalog_course(p, c->params[0]);
	if (!co || !co->published || !co->quiz || !co->quiz->published)
		return NULL;
	return co;
}

static void base(struct hv_ctx *c, struct hv_val *d, const struct hv_course *co)
{
	hv_set(d, "course_slug", hv_str(c->arena, co->slug));
	hv_set(d, "course_title", hv_str(c->arena, co->title));
	hv_set(d, "title", hv_str(c->arena, co->quiz->title));
	hv_set_int(d, "pass_mark", co->pass_mark);
	hv_set_int(d, "draw", co->quiz->draw);
	hv_set_int(d, "need", (co->pass_mark * co->quiz->draw + 99) / 100);
}

/* Attempt k of who: its seed is HMAC(server secret, who, quiz, k, bank). */
static void draw_of(struct hv_ctx *c, const struct hv_learner_ref *who, const struct hv_course *co, int k, struct hv_draw *d)
{
	char key[HV_LEARNER_KEY_MAX];
	hv_learner_key(who, key);
	const char *data = hv_arena_printf(c->arena, "%s:%lld:%d:%s", key, (long long)co->quiz->id, k, co->quiz->digest);
	unsigned char seed[32];
	hv_hmac(c, "draw:", data, strlen(data), seed);
	hv_quiz_draw(co->quiz, seed, d);
}

/* "Today you have not passed N times … from midnight on D/M/YYYY." */
static const char *cooldown(struct hv_ctx *c, const struct hv_quiz_status *s)
{
	time_t local = (time_t)(s->wait_until + 7 * 3600);
	struct tm tm;
	gmtime_r(&local, &tm);
	return hv_arena_printf(c->arena, "%s %d %s %d/%d/%d.", hv_t(c->lang, "quiz.cooldown_a"), s->failed_today,
	                       hv_t(c->lang, "quiz.cooldown_b"), tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
}

static bool status_of(struct hv_ctx *c, const struct hv_learner_ref *who, const struct hv_course *co, struct hv_quiz_status *s)
{
	return hv_quiz_status(hv_store_conn(c->app->store), who, co->quiz, (int64_t)time(NULL), s) == HV_OK;
}

/* The form of attempt k; selected (file order) keeps answers given. */
static int quiz_form(struct hv_ctx *c, const struct hv_course *co, int k, const struct hv_draw *dr, const uint32_t *selected,
                     const char *error)
{
	struct hv_val *d = hv_page_data(c);
	base(c, d, co);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	hv_set_int(d, "attempt", k);
	hv_set_str(d, "bank", co->quiz->digest);
	if (error) {
		hv_set_str(d, "error", error);
		c->status = 400;
	}
	struct hv_val *qs = hv_set(d, "questions", hv_list(c->arena));
	for (int i = 0; i < dr->n; i++) {
		const struct hv_drawn *it = &dr->items[i];
		const struct hv_question *q = &co->quiz->questions[it->q];
		struct hv_val *o = hv_push(qs, hv_obj(c->arena));
		hv_set_int(o, "n", i + 1);
		hv_set(o, "prompt", hv_str(c->arena, q->prompt));
		hv_set_bool(o, "multiple", q->multiple);
		hv_set(o, "field", hv_str(c->arena, hv_arena_printf(c->arena, "q%d", it->q + 1)));
		struct hv_val *as = hv_set(o, "answers", hv_list(c->arena));
		for (int pos = 0; pos < it->nanswers; pos++) {
			int a = it->order[pos];
			struct hv_val *v = hv_push(as, hv_obj(c->arena));
			hv_set_int(v, "k", pos + 1);
			hv_set(v, "text", hv_str(c->arena, q->answers[a].text));
			hv_set(v, "suffix", hv_str(c->arena, q->multiple ? hv_arena_printf(c->arena, "_%d", pos + 1) : ""));
			hv_set_bool(v, "checked", selected && (selected[i] & (1u << a)));
		}
	}
	return hv_page(c, "quiz", co->quiz->title, d);
}

int hv_page_quiz(struct hv_ctx *c)
{
	const struct hv_course *co = quiz_course(c);
	if (!co)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "quiz.none"));
	struct hv_learner_ref who;
	hv_learner_ref_of(c, true, &who, NULL);
	struct hv_quiz_status s;
	if (!status_of(c, &who, co, &s))
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	if (s.wait_until) {
		struct hv_val *d = hv_page_data(c);
		base(c, d, co);
		hv_set_str(d, "cooldown", cooldown(c, &s));
		return hv_page(c, "quiz", co->quiz->title, d);
	}
	struct hv_draw dr;
	draw_of(c, &who, co, s.attempts, &dr);
	return quiz_form(c, co, s.attempts, &dr, NULL, NULL);
}

/* Reads the answers: q{B}=P for single choice, q{B}_{P}=P for multiple,
 * where B numbers the question in the bank and P the answer's place on
 * the page.  A question outside the draw (*stray set) or anything
 * else unexpected is refused; *missing is the first unanswered (1-based). */
static int read_answers(struct hv_ctx *c, const struct hv_course *co, const struct hv_draw *dr, uint32_t *selected, int *missing,
                        int *stray)
{
	*missing = *stray = 0;
	for (int f = 0; f < c->form.n; f++) {
		const char *key = c->form.items[f].key, *val = c->form.items[f].value;
		if (!strcmp(key, "_csrf") || !strcmp(key, "lan") || !strcmp(key, "de") || !strcmp(key, "ma"))
			continue;
		int b, p, i = -1;
		char tail;
		int64_t v;
		bool multi = sscanf(key, "q%d_%d%c", &b, &p, &tail) == 2;
		if (!multi && sscanf(key, "q%d%c", &b, &tail) != 1)
			return HV_EINVAL;
		for (int k = 0; k < dr->n && i < 0; k++)
			if (dr->items[k].q == b - 1)
				i = k;
		if (i < 0) {
			*stray = 1;
			return HV_EINVAL;
		}
		const struct hv_drawn *it = &dr->items[i];
		bool multiple = co->quiz->questions[it->q].multiple;
		if (multi) {
			if (!multiple || p < 1 || p > it->nanswers || hv_parse_i64(val, p, p, &v) < 0)
				return HV_EINVAL;
			selected[i] |= 1u << it->order[p - 1];
		} else {
			if (multiple || hv_parse_i64(val, 1, it->nanswers, &v) < 0)
				return HV_EINVAL;
			selected[i] = 1u << it->order[v - 1];
		}
	}
	for (int i = 0; i < dr->n; i++)
		if (!selected[i] && !*missing)
			*missing = i + 1;
	return HV_OK;
}

static int to_result(struct hv_ctx *c, const struct hv_course *co)
{
	hv_redirect(c, hv_arena_printf(c->arena, "/hoc/%s/kiem-tra/ket-qua", co->slug));
	return HV_OK;
}

/* An attempt answered offline and sent later carries the phone's id for
 * it ("ma", a UUID; see web/offline-learn.js): sent again, it answers the
 * stored attempt's result and writes nothing. */
int hv_post_quiz(struct hv_ctx *c)
{
	const struct hv_course *co = quiz_course(c);
	if (!co)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "quiz.none"));
	struct hv_learner_ref who;
	int64_t k;
	const char *bank = hv_form(c, "de"), *client = hv_form(c, "ma");
	if (!hv_learner_ref_of(c, false, &who, NULL))
		return hv_fail(c, HV_EINVAL, "lan", hv_t(c->lang, "quiz.no_attempt"));
	if (!bank || hv_parse_i64(hv_form(c, "lan"), 0, 1000000, &k) < 0 || (client && !hv_uuid_valid(client)))
		return hv_fail(c, HV_EINVAL, "lan", hv_t(c->lang, "quiz.bad_answer"));
	if (client) {
		int seen = hv_quiz_by_client(hv_store_conn(c->app->store), &who, co->quiz->id, client);
		if (seen == HV_OK)
			return to_result(c, co);
		if (seen == HV_ECONFLICT)
			return hv_fail(c, HV_ECONFLICT, "ma", hv_t(c->lang, "quiz.id_used"));
		if (seen < 0 && seen != HV_ENOTFOUND)
			return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	}
	struct hv_quiz_status s;
	if (!status_of(c, &who, co, &s))
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	if (k < s.attempts)
		return hv_fail(c, HV_ECONFLICT, "lan", hv_t(c->lang, "quiz.answered"));
	if (k > s.attempts)
		return hv_fail(c, HV_EINVAL, "lan", hv_t(c->lang, "quiz.bad_answer"));
	if (strcmp(bank, co->quiz->digest) != 0)
		return hv_fail(c, HV_ECONFLICT, "de", hv_t(c->lang, "quiz.changed"));
	if (s.wait_until)
		return hv_fail(c, HV_ELIMIT, NULL, cooldown(c, &s));
	struct hv_draw dr;
	draw_of(c, &who, co, (int)k, &dr);
	uint32_t selected[HV_QUIZ_MAX_DRAW] = {0};
	int missing, stray;
	if (read_answers(c, co, &dr, selected, &missing, &stray) < 0)
		return quiz_form(c, co, (int)k, &dr, NULL, hv_t(c->lang, stray ? "quiz.not_in_draw" : "quiz.bad_answer"));
	if (missing)
		return quiz_form(c, co, (int)k, &dr, selected, hv_arena_printf(c->arena, "%s %d.", hv_t(c->lang, "quiz.unanswered"), missing));
	struct hv_quiz_result r;
	hv_quiz_score(co, &dr, selected, &r);
	char cert[HV_CERT_CODE_MAX];
	struct hv_error e = {0};
	int rc = hv_quiz_record(c->app->store, &who, who.account ? &c->who->acct : NULL, co, (int)k, &dr, selected, &r, client, NULL,
	                        cert, &e);
	if (rc == HV_ECONFLICT && !strcmp(e.field, "ma"))
		return hv_fail(c, HV_ECONFLICT, "ma", hv_t(c->lang, "quiz.id_used"));
	if (rc == HV_ECONFLICT)
		return hv_fail(c, HV_ECONFLICT, "lan", hv_t(c->lang, "quiz.answered"));
	if (rc == HV_ELIMIT && status_of(c, &who, co, &s) && s.wait_until)
		return hv_fail(c, HV_ELIMIT, NULL, cooldown(c, &s));
	if (rc < 0)
		return hv_fail_err(c, &e);
	return to_result(c, co);
}

/* The learner's chosen answers of one question, with their explanations. */
static void chosen(struct hv_ctx *c, struct hv_val *o, const struct hv_question *q, const struct hv_drawn *it, uint32_t picked)
{
	struct hv_val *as = hv_set(o, "chosen", hv_list(c->arena));
	for (int pos = 0; pos < it->nanswers; pos++) {
		int a = it->order[pos];
		if (!(picked & (1u << a)))
			continue;
		struct hv_val *v = hv_push(as, hv_obj(c->arena));
		hv_set(v, "text", hv_str(c->arena, q->answers[a].text));
		hv_set(v, "why", hv_str(c->arena, q->answers[a].why));
	}
}

int hv_page_quiz_result(struct hv_ctx *c)
{
	const struct hv_course *co = quiz_course(c);
	if (!co)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "quiz.none"));
	struct hv_learner_ref who;
	struct hv_attempt_row last;
	struct hv_conn *conn = hv_store_conn(c->app->store);
	int rc = hv_learner_ref_of(c, false, &who, NULL) ? hv_quiz_last(conn, &who, co->quiz->id, &last) : HV_ENOTFOUND;
	if (rc == HV_ENOTFOUND) {
		hv_redirect(c, hv_arena_printf(c->arena, "/hoc/%s/kiem-tra", co->slug));
		return HV_OK;
	}
	if (rc < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	hv_arena_defer(c->arena, free, last.answers);
	struct hv_val *d = hv_page_data(c);
	base(c, d, co);
	hv_set_int(d, "score", last.score);
	hv_set_int(d, "total", last.total);
	hv_set_bool(d, "passed", last.passed);
	char cert[HV_CERT_CODE_MAX] = "";
	if (who.account && last.passed)
		hv_course_cert(conn, who.account, co->id, cert);
	hv_set_str(d, "cert", cert);
	hv_set_bool(d, "register", last.passed && !who.account);
	struct hv_draw dr;
	uint32_t selected[HV_QUIZ_MAX_DRAW] = {0};
	bool detail = hv_attempt_parse(last.answers, co->quiz, &dr, selected);
	hv_set_bool(d, "detail", detail);
	struct hv_val *qs = hv_set(d, "questions", hv_list(c->arena));
	for (int i = 0; detail && i < dr.n; i++) {
		const struct hv_question *q = &co->quiz->questions[dr.items[i].q];
		uint32_t want = 0;
		for (int a = 0; a < q->nanswers; a++)
			want |= q->answers[a].correct ? 1u << a : 0;
		struct hv_val *o = hv_push(qs, hv_obj(c->arena));
		hv_set_int(o, "n", i + 1);
		hv_set(o, "prompt", hv_str(c->arena, q->prompt));
		hv_set_bool(o, "right", selected[i] == want);
		chosen(c, o, q, &dr.items[i], selected[i]);
	}
	struct hv_quiz_status s;
	if (status_of(c, &who, co, &s) && s.wait_until)
		hv_set_str(d, "cooldown", cooldown(c, &s));
	return hv_page(c, "quiz_result", co->quiz->title, d);
}
