/* learning.h: what learners do: lessons read, quiz attempts, course
 * completion and the certificates it earns, and claiming the progress an
 * anonymous visitor made before registering.
 *
 * A course is complete when every published lesson is read and a quiz
 * attempt reached the course's pass mark.  Completion and the certificate
 * are written in the same transaction as the record that completed it. */
#ifndef HV_LEARNING_H
#define HV_LEARNING_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/people/auth.h"
#include "domain/learn/certificates.h"
#include "domain/learn/content.h"

#define HV_CLAIM_MAX_LESSONS 400
#define HV_CLAIM_MAX_QUIZZES 64
#define HV_NONCE_CHARS 22      /* 128 random bits, base64url */

/* Who is learning: an account (account > 0), or an anonymous visitor known
 * by the nonce of their signed progress cookie. */
struct hv_learner_ref {
	int64_t account;
	char nonce[HV_NONCE_CHARS + 1];
};

/* Where certificates point (public_url) — set once at start-up. */
void hv_learn_configure(const char *public_url);
const char *hv_learn_public_url(void);

/* Lessons of any course that account has read (ids into out, up to max). */
int hv_progress_lessons(struct hv_conn *c, int64_t account, int64_t *out, int max);
/* Best attempt of account on quiz: score, total and whether it passed. */
int hv_quiz_best(struct hv_conn *c, int64_t account, int64_t quiz, int *best, int *total, bool *passed);

/* Returns HV_OK and, when the course just became complete, the new
 * certificate's code in cert (else cert[0] = 0).  Quiz attempts: quiz.h. */
int hv_learn_mark_read(struct hv_store *s, const struct hv_account *a, const struct hv_lesson *l, char cert[HV_CERT_CODE_MAX],
                       struct hv_error *e);
/* An anonymous visitor's progress: the nonce and the lessons read come
 * from the signed cookie; the quiz results (for display) from the attempts
 * kept under the nonce. */
struct hv_claim {
	char nonce[HV_NONCE_CHARS + 1];  /* "" for none (no cookie) */
	int64_t lessons[HV_CLAIM_MAX_LESSONS];
	int nlessons;
	struct {
		int64_t course;
		int score, total;
	} quizzes[HV_CLAIM_MAX_QUIZZES];
	int nquizzes;
};
/* Adds an anonymous visitor's progress to account (one transaction): the
 * lessons of cl, the attempts and lesson views kept under cl->nonce, and
 * the nonce as claimed (claim.c).  A nonce claimed before carries nothing:
 * HV_ECONFLICT, nothing written.  *certs receives how many certificates
 * it earned. */
int hv_learn_claim(struct hv_store *s, const struct hv_account *a, const struct hv_pack *p, const struct hv_claim *cl,
                   int *certs, struct hv_error *e);
/* 1 if the progress cookie with nonce was claimed already, 0 if not. */
int hv_claim_used(struct hv_conn *c, const char *nonce);

/* "N. V. A." from "Nguyễn Văn An". */
void hv_initials(const char *name, char *out, size_t cap);
/* "Ngày 22 tháng 11 năm 2026" (Vietnam time). */
void hv_date_vi(int64_t t, char *out, size_t cap);

#endif
