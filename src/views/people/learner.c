/* learner.c: see learner.h. */
#include "views/people/learner.h"

#include <string.h>

#include "domain/learn/quiz.h"

struct anon_best {
	const struct hv_pack *p;
	struct hv_claim *state;
};

/* An anonymous visitor's attempt (kept under their cookie's nonce). */
static void anon_best(int64_t quiz, int score, int total, void *arg)
{
	struct anon_best *x = arg;
	for (int k = 0; x->p && k < x->p->ncourses; k++)
		if (x->p->courses[k].quiz && x->p->courses[k].quiz->id == quiz)
			hv_claim_add_quiz(x->state, x->p->courses[k].id, score, total);
}

void hv_learner_load(struct hv_ctx *c, const struct hv_pack *p, struct hv_learner *l)
{
	memset(l, 0, sizeof *l);
	if (!c->who || !c->who->second_factor) {
		hv_progress_read(c, &l->state);
		if (l->state.nonce[0])
			hv_quiz_best_anon(hv_store_conn(c->app->store), l->state.nonce, anon_best, &(struct anon_best){p, &l->state});
		return;
	}
	l->signed_in = true;
	struct hv_conn *conn = hv_store_conn(c->app->store);
	int n = hv_progress_lessons(conn, c->who->acct.id, l->state.lessons, HV_CLAIM_MAX_LESSONS);
	l->state.nlessons = n > 0 ? n : 0;
	for (int k = 0; p && k < p->ncourses && l->state.nquizzes < HV_CLAIM_MAX_QUIZZES; k++) {
		const struct hv_course *co = &p->courses[k];
		if (!co->quiz)
			continue;
		int best, total;
		bool passed;
		if (hv_quiz_best(conn, c->who->acct.id, co->quiz->id, &best, &total, &passed) == 0 && total > 0)
			hv_claim_add_quiz(&l->state, co->id, best, total);
	}
}

int hv_learner_course(const struct hv_learner *l, const struct hv_course *co, int *read, int *total, bool *passed, int *best, int *best_total)
{
	*read = *total = *best = *best_total = 0;
	*passed = false;
	for (int i = 0; i < co->nlessons; i++) {
		if (!co->lessons[i]->published)
			continue;
		(*total)++;
		*read += hv_claim_has_lesson(&l->state, co->lessons[i]->id);
	}
	for (int i = 0; i < l->state.nquizzes; i++) {
		if (l->state.quizzes[i].course == co->id) {
			*best = l->state.quizzes[i].score;
			*best_total = l->state.quizzes[i].total;
			*passed = hv_quiz_passed(co->pass_mark, *best, *best_total);
		}
	}
	return HV_OK;
}
