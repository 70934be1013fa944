/* practice.h: learners' runs through practice simulations (practice.c).
 * A learner ("a<id>" or "n<nonce>", see views/learn/progress.h) is on a
 * step of each simulation; answering a step not reached yet is refused
 * with nothing counted.  Finishing the last step is recorded once in
 * practice_done, the evidence of practice (clean when the run had no
 * wrong answer and no "show me"). */
#ifndef HV_PRACTICE_H
#define HV_PRACTICE_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/learn/learning.h"

struct hv_practice_run {
	int next;                /* 1-based step to do; nsteps + 1 when finished */
	int misses, shown;
	bool done;               /* completed at least once */
};

enum { HV_PRACTICE_RIGHT = 1, HV_PRACTICE_WRONG = 2, HV_PRACTICE_SHOW = 3 };

/* The learner's run (next 1 before the first answer). */
int hv_practice_get(struct hv_conn *c, const char *learner, int64_t sim, struct hv_practice_run *r);
/* Records an answer (act) on 1-based step: HV_ECONFLICT, nothing written,
 * for a step past the learner's next.  A right answer on step 1 of a
 * finished run starts it again.  *completed: this answer finished it; for
 * an account (acct, else NULL) that may complete a course that asks for
 * its practice: the certificate's code in cert (else cert[0] = 0). */
int hv_practice_record(struct hv_store *s, const char *learner, const struct hv_account *acct, const struct hv_sim *sim, int step,
                       int act, bool *completed, char cert[HV_CERT_CODE_MAX], struct hv_error *e);

#endif
