/* quiz.h: final quizzes drawn from a question bank.
 *
 * Each attempt asks quiz->draw questions of the bank, single- and
 * multiple-choice in the bank's proportion, in a random order, each with
 * its answers shuffled.  Attempts are numbered per learner and quiz (0, 1,
 * …); the draw of attempt k follows from a seed the caller derives from a
 * server secret, the learner, the quiz, k and the bank's digest, so the
 * same attempt shows the same draw however often the page is loaded, and
 * the next draw exists only once attempt k is answered.  The draw and the
 * answers are stored with the attempt; scoring is against them.
 *
 * After quiz->failures_per_day failed attempts in a day (Vietnam time) the
 * next attempt waits until the next day. */
#ifndef HV_QUIZ_H
#define HV_QUIZ_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/learn/learning.h"

struct hv_drawn {
	int q;                  /* index into quiz->questions */
	int nanswers;
	uint8_t order[6];       /* order[d]: the answer (file order) shown at position d */
};
struct hv_draw {
	int n;
	struct hv_drawn items[HV_QUIZ_MAX_DRAW];
};
/* The draw of one attempt, from its 32-byte seed (deterministic). */
void hv_quiz_draw(const struct hv_quiz *q, const unsigned char seed[32], struct hv_draw *out);

struct hv_quiz_result {
	int score, total;
	bool passed;
	bool correct[HV_QUIZ_MAX_DRAW];
};
/* selected[i]: the answers chosen for item i of the draw, as a bitmask over
 * the question's answers in file order. */
void hv_quiz_score(const struct hv_course *c, const struct hv_draw *d, const uint32_t *selected, struct hv_quiz_result *r);
/* score of total reaches pass_mark percent: score ≥ ⌈pass_mark × total / 100⌉. */
bool hv_quiz_passed(int pass_mark, int score, int total);

/* The stored form of an attempt (malloc'd JSON):
 * {"bank":DIGEST,"items":[[question,[order…],chosen],…]}. */
char *hv_attempt_json(const struct hv_quiz *q, const struct hv_draw *d, const uint32_t *selected);
/* Reads it back against q; false if it was drawn from another bank (the
 * quiz was edited since) or is a row from before draws. */
bool hv_attempt_parse(const char *json, const struct hv_quiz *q, struct hv_draw *d, uint32_t *selected);

/* Where a learner stands on a quiz at time now. */
struct hv_quiz_status {
	int attempts;           /* answered so far: the number of the next one */
	int failed_today;
	int64_t wait_until;     /* > 0: no attempt before this time (start of the next day) */
};
int hv_quiz_status(struct hv_conn *c, const struct hv_learner_ref *who, const struct hv_quiz *q, int64_t now,
                   struct hv_quiz_status *out);

/* Records attempt number attempt_no of who (acct is the account of who,
 * NULL for an anonymous visitor), with the course's completion and
 * certificate when it passes.  Checked again inside the write: an attempt
 * already answered is HV_ECONFLICT, one during a cool-down HV_ELIMIT;
 * nothing is written then.  client_id (NULL, or the UUID a phone gave an
 * attempt queued offline) is stored with it; when an attempt of who on
 * this quiz already has it, nothing is written, HV_OK and *replayed (may
 * be NULL) true: the stored attempt is the answer.  An id someone else
 * used is HV_ECONFLICT. */
int hv_quiz_record(struct hv_store *s, const struct hv_learner_ref *who, const struct hv_account *acct, const struct hv_course *co,
                   int attempt_no, const struct hv_draw *d, const uint32_t *selected, const struct hv_quiz_result *r,
                   const char *client_id, bool *replayed, char cert[HV_CERT_CODE_MAX], struct hv_error *e);
/* Whether an attempt carries client_id: HV_OK when it is who's on quiz,
 * HV_ECONFLICT when it is another's, HV_ENOTFOUND, or HV_EUNAVAIL. */
int hv_quiz_by_client(struct hv_conn *c, const struct hv_learner_ref *who, int64_t quiz, const char *client_id);

/* The last answered attempt of who on quiz (answers malloc'd: free it);
 * HV_ENOTFOUND if none. */
struct hv_attempt_row {
	int attempt_no, score, total;
	bool passed;
	int64_t created_at;
	char *answers;
};
int hv_quiz_last(struct hv_conn *c, const struct hv_learner_ref *who, int64_t quiz, struct hv_attempt_row *out);

/* An anonymous visitor's best result per quiz: cb(quiz id, score, total). */
typedef void (*hv_best_cb)(int64_t quiz, int score, int total, void *arg);
int hv_quiz_best_anon(struct hv_conn *c, const char *nonce, hv_best_cb cb, void *arg);

/* The code of who's standing certificate for course, or "" (account only). */
int hv_course_cert(struct hv_conn *c, int64_t account, int64_t course, char code[HV_CERT_CODE_MAX]);

#endif
