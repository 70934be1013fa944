/* pages_quiz.c: a course's final quiz: the form, scoring with feedback on
 * every answer, and recording the attempt (in the account, or in the
 * anonymous progress cookie until the visitor registers). */
#include "views/pages.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "domain/learn/learning.h"
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
}

static int quiz_form(struct hv_ctx *c, const struct hv_course *co, const uint32_t *selected, const char *error)
{
	struct hv_val *d = hv_page_data(c);
	base(c, d, co);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	if (error) {
		hv_set_str(d, "error", error);
		c->status = 400;
	}
	struct hv_val *qs = hv_set(d, "questions", hv_list(c->arena));
	for (int i = 0; i < co->quiz->nquestions && i < HV_QUIZ_MAX_QUESTIONS; i++) {
		const struct hv_question *q = &co->quiz->questions[i];
		struct hv_val *o = hv_push(qs, hv_obj(c->arena));
		hv_set_int(o, "n", i + 1);
		hv_set(o, "prompt", hv_str(c->arena, q->prompt));
		hv_set_bool(o, "multiple", q->multiple);
		hv_set(o, "field", hv_str(c->arena, hv_arena_printf(c->arena, "q%d", i + 1)));
		struct hv_val *as = hv_set(o, "answers", hv_list(c->arena));
		for (int k = 0; k < q->nanswers; k++) {
			struct hv_val *a = hv_push(as, hv_obj(c->arena));
			hv_set_int(a, "k", k + 1);
			hv_set(a, "text", hv_str(c->arena, q->answers[k].text));
			hv_set(a, "suffix", hv_str(c->arena, q->multiple ? hv_arena_printf(c->arena, "_%d", k + 1) : ""));
			hv_set_bool(a, "checked", selected && (selected[i] & (1u << k)));
		}
	}
	return hv_page(c, "quiz", co->quiz->title, d);
}

int hv_page_quiz(struct hv_ctx *c)
{
	const struct hv_course *co = quiz_course(c);
	if (!co)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "quiz.none"));
	return quiz_form(c, co, NULL, NULL);
}

/* Reads the answers: q{i}=k for single choice, q{i}_{k}=k for multiple.
 * Anything else (a number out of range, an unknown field) is refused. */
static int read_answers(struct hv_ctx *c, const struct hv_course *co, uint32_t *selected, int *missing)
{
	const struct hv_quiz *q = co->quiz;
	*missing = 0;
	for (int f = 0; f < c->form.n; f++) {
		const char *key = c->form.items[f].key, *val = c->form.items[f].value;
		if (!strcmp(key, "_csrf"))
			continue;
		int qi, k;
		char tail;
		int64_t v;
		if (sscanf(key, "q%d_%d%c", &qi, &k, &tail) == 2) {
			if (qi < 1 || qi > q->nquestions || !q->questions[qi - 1].multiple || k < 1 || k > q->questions[qi - 1].nanswers ||
			    hv_parse_i64(val, k, k, &v) < 0)
				return HV_EINVAL;
			selected[qi - 1] |= 1u << (k - 1);
		} else if (sscanf(key, "q%d%c", &qi, &tail) == 1) {
			if (qi < 1 || qi > q->nquestions || q->questions[qi - 1].multiple ||
			    hv_parse_i64(val, 1, q->questions[qi - 1].nanswers, &v) < 0)
				return HV_EINVAL;
			selected[qi - 1] = 1u << (v - 1);
		} else {
			return HV_EINVAL;
		}
	}
	for (int i = 0; i < q->nquestions && i < HV_QUIZ_MAX_QUESTIONS; i++)
		if (!selected[i] && !*missing)
			*missing = i + 1;
	return HV_OK;
}

int hv_post_quiz(struct hv_ctx *c)
{
	const struct hv_course *co = quiz_course(c);
	if (!co)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "quiz.none"));
	uint32_t selected[HV_QUIZ_MAX_QUESTIONS] = {0};
	int missing;
	if (read_answers(c, co, selected, &missing) < 0)
		return quiz_form(c, co, NULL, hv_t(c->lang, "quiz.bad_answer"));
	if (missing)
		return quiz_form(c, co, selected,
		                 hv_arena_printf(c->arena, "%s %d.", hv_t(c->lang, "quiz.unanswered"), missing));
	struct hv_quiz_result r;
	hv_quiz_score(co, selected, &r);
	char cert[HV_CERT_CODE_MAX] = "";
	bool signed_in = c->who && c->who->second_factor;
	if (signed_in) {
		json_t *ans = json_array();
		for (int i = 0; i < r.total; i++)
			json_array_append_new(ans, json_integer(selected[i]));
		char *answers = json_dumps(ans, JSON_COMPACT);
		json_decref(ans);
		struct hv_error e = {0};
		int rc = hv_learn_record_quiz(c->app->store, &c->who->acct, co, &r, answers ? answers : "[]", cert, &e);
		free(answers);
		if (rc < 0)
			return hv_fail_err(c, &e);
	} else {
		struct hv_claim cl;
		hv_progress_read(c, &cl);
		hv_claim_add_quiz(&cl, co->id, r.score, r.total);
		hv_progress_write(c, &cl);
	}
	struct hv_val *d = hv_page_data(c);
	base(c, d, co);
	hv_set_int(d, "score", r.score);
	hv_set_int(d, "total", r.total);
	hv_set_bool(d, "passed", r.passed);
	hv_set_str(d, "cert", cert);
	hv_set_bool(d, "register", r.passed && !signed_in);
	struct hv_val *qs = hv_set(d, "questions", hv_list(c->arena));
	for (int i = 0; i < r.total; i++) {
		const struct hv_question *q = &co->quiz->questions[i];
		struct hv_val *o = hv_push(qs, hv_obj(c->arena));
		hv_set_int(o, "n", i + 1);
		hv_set(o, "prompt", hv_str(c->arena, q->prompt));
		hv_set_bool(o, "right", r.correct[i]);
		struct hv_val *as = hv_set(o, "answers", hv_list(c->arena));
		for (int k = 0; k < q->nanswers; k++) {
			struct hv_val *a = hv_push(as, hv_obj(c->arena));
			hv_set(a, "text", hv_str(c->arena, q->answers[k].text));
			hv_set(a, "why", hv_str(c->arena, q->answers[k].why));
			hv_set_bool(a, "correct", q->answers[k].correct);
			hv_set_bool(a, "chosen", (selected[i] >> k) & 1);
		}
	}
	return hv_page(c, "quiz_result", co->quiz->title, d);
}
