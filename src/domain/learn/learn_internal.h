/* learn_internal.h: what learning.c lends the other writers of learning
 * records (quiz_attempts.c, claim.c, cert_counts.c), all inside a write. */
#ifndef HV_LEARN_INTERNAL_H
#define HV_LEARN_INTERNAL_H

#include "domain/learn/learning.h"

/* The learner as their records carry them: the unit and province counted. */
struct hv_learn_who {
	int64_t id;
	const char *name, *home_unit, *province;
};
void hv_learn_who(const struct hv_account *a, struct hv_learn_who *out, char province[8]);

/* Inside a write: the lesson read (once). */
int hv_learn_progress_add(struct hv_conn *c, const struct hv_learn_who *a, int64_t lesson, int64_t now);
/* Inside a write: completes the course if every published lesson is read
 * and an attempt passed, and issues the certificate (its code in cert). */
int hv_learn_complete(struct hv_conn *c, const struct hv_learn_who *a, int64_t course_id, int64_t now,
                      char cert[HV_CERT_CODE_MAX]);

/* Inside the write that revokes the certificate code (or all of an
 * account's, hv_certs_uncount): its completion stops counting in
 * courses_completed and people_certified, in the periods it counted in
 * (cert_counts.c).  Call after the certificate row is marked revoked. */
int hv_cert_uncount(struct hv_conn *c, const char *code, int64_t now);
int hv_certs_uncount(struct hv_conn *c, int64_t account, int64_t now);

#endif
