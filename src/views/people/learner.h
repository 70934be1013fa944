/* learner.h: what the pages know about the visitor's learning: read
 * lessons and best quiz results, from the database for a signed-in
 * account; for an anonymous visitor, lessons from the hv_p cookie and
 * quiz results from the attempts kept under its nonce. */
#ifndef HV_LEARNER_H
#define HV_LEARNER_H

#include "views/learn/progress.h"

struct hv_learner {
	bool signed_in;
	struct hv_claim state;   /* lessons read, best quiz per course */
};

void hv_learner_load(struct hv_ctx *c, const struct hv_pack *p, struct hv_learner *l);
/* Lessons read / published lessons of course; true if the quiz is passed. */
int hv_learner_course(const struct hv_learner *l, const struct hv_course *co, int *read, int *total, bool *passed, int *best, int *best_total);

#endif
