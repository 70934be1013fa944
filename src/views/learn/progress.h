/* progress.h: an anonymous learner's progress, kept in the hv_p cookie
 * until they register or sign in (then claimed into their account, once).
 * The cookie is "n:NONCE~l:ID.ID…~SIG": a random nonce that names the
 * visitor's quiz attempts and lesson views on the server, the lessons read,
 * and an HMAC of the rest with the server secret, so it cannot be forged
 * or given another nonce.  A cookie without a nonce (from before nonces)
 * reads as empty. */
#ifndef HV_PROGRESS_H
#define HV_PROGRESS_H

#include "domain/learn/learning.h"
#include "views/ctx.h"

/* Reads the cookie; an absent, damaged or forged cookie gives an empty
 * claim (nonce ""). */
void hv_progress_read(struct hv_ctx *c, struct hv_claim *out);
/* Writes the claim back as the cookie (30 days), with a new nonce if it
 * has none. */
void hv_progress_write(struct hv_ctx *c, struct hv_claim *cl);
bool hv_claim_has_lesson(const struct hv_claim *cl, int64_t id);
void hv_claim_add_lesson(struct hv_claim *cl, int64_t id);
/* Keeps the best result per course. */
void hv_claim_add_quiz(struct hv_claim *cl, int64_t course, int score, int total);

/* Who this request learns as: the signed-in account (second factor done),
 * else the anonymous visitor's nonce, read into cl (may be NULL).  With
 * create, a visitor without one gets a new nonce and cookie; without it,
 * false then. */
bool hv_learner_ref_of(struct hv_ctx *c, bool create, struct hv_learner_ref *out, struct hv_claim *cl);
/* "a123" for an account, "n" and the nonce for an anonymous visitor: what
 * draws and lesson tokens are bound to. */
#define HV_LEARNER_KEY_MAX 32
void hv_learner_key(const struct hv_learner_ref *who, char out[HV_LEARNER_KEY_MAX]);

#endif
