/* progress.h: an anonymous learner's progress, kept in the hv_p cookie
 * until they register (then claimed into their account).  The cookie is
 * "l:ID.ID…~q:COURSE-SCORE-TOTAL.…~SIG" where SIG is an HMAC of the rest
 * with the server secret, so scores cannot be forged by editing it. */
#ifndef HV_PROGRESS_H
#define HV_PROGRESS_H

#include "domain/learn/learning.h"
#include "views/ctx.h"

/* Reads the cookie; an absent, damaged or forged cookie gives an empty claim. */
void hv_progress_read(struct hv_ctx *c, struct hv_claim *out);
/* Writes the claim back as the cookie (30 days). */
void hv_progress_write(struct hv_ctx *c, const struct hv_claim *cl);
bool hv_claim_has_lesson(const struct hv_claim *cl, int64_t id);
void hv_claim_add_lesson(struct hv_claim *cl, int64_t id);
/* Keeps the best result per course. */
void hv_claim_add_quiz(struct hv_claim *cl, int64_t course, int score, int total);

#endif
