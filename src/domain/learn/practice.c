/* practice.c: runs through practice simulations and the evidence of their
 * completion (see practice.h).  The step check and the write are one job
 * of the writer, so two taps racing cannot skip a step. */
#include "domain/learn/practice.h"

#include <string.h>

#include "domain/learn/learn_internal.h"
#include <time.h>

int hv_practice_get(struct hv_conn *c, const char *learner, int64_t sim, struct hv_practice_run *r)
{
	memset(r, 0, sizeof *r);
	r->next = 1;
	struct hv_stmt *st = hv_sql(c, "SELECT r.next, r.misses, r.shown, (SELECT COUNT(*) FROM practice_done d WHERE d.learner = $1 AND "
	                               "d.simulation_id = $2) FROM practice_runs r WHERE r.learner = $1 AND r.simulation_id = $2");
	hv_bind_text(st, 1, learner);
	hv_bind_i64(st, 2, sim);
	int rc = hv_step(st);
	if (rc == 1) {
		r->next = (int)hv_col_i64(st, 0);
		r->misses = (int)hv_col_i64(st, 1);
		r->shown = (int)hv_col_i64(st, 2);
		r->done = hv_col_i64(st, 3) > 0;
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

struct job {
	const char *learner;
	const struct hv_account *acct;
	char *cert;
	const struct hv_sim *sim;
	int step, act;
	bool *completed;
};

static int record_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct job *j = arg;
	struct hv_practice_run r;
	if (hv_practice_get(c, j->learner, j->sim->id, &r) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot read the practice run: %s", hv_conn_error(c));
	if (j->step > r.next || j->step < 1 || j->step > j->sim->nsteps)
		return hv_err_set(e, HV_ECONFLICT, "step", "step %d is not reached yet", j->step);
	int64_t now = (int64_t)time(NULL);
	bool current = j->step == r.next;
	if (j->act == HV_PRACTICE_RIGHT && j->step == 1 && r.next > j->sim->nsteps) {
		r.next = 2; /* again, from the start */
		r.misses = r.shown = 0;
	} else if (j->act == HV_PRACTICE_RIGHT && current) {
		r.next++;
	} else if (j->act == HV_PRACTICE_WRONG && current) {
		r.misses++;
	} else if (j->act == HV_PRACTICE_SHOW && current) {
		r.shown++;
	}
	struct hv_stmt *st = hv_sql(c, "INSERT INTO practice_runs (learner, simulation_id, next, misses, shown, updated_at) VALUES "
	                               "($1, $2, $3, $4, $5, $6) ON CONFLICT (learner, simulation_id) DO UPDATE SET next = excluded.next, "
	                               "misses = excluded.misses, shown = excluded.shown, updated_at = excluded.updated_at");
	hv_bind_text(st, 1, j->learner);
	hv_bind_i64(st, 2, j->sim->id);
	hv_bind_i64(st, 3, r.next);
	hv_bind_i64(st, 4, r.misses);
	hv_bind_i64(st, 5, r.shown);
	hv_bind_i64(st, 6, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc >= 0 && j->act == HV_PRACTICE_RIGHT && current && r.next == j->sim->nsteps + 1) {
		*j->completed = true;
		st = hv_sql(c, "INSERT INTO practice_done (learner, simulation_id, account_id, clean, completed_at) VALUES ($1, $2, $3, $4, $5) "
		               "ON CONFLICT (learner, simulation_id) DO UPDATE SET clean = CASE WHEN excluded.clean = 1 THEN 1 "
		               "ELSE practice_done.clean END");
		hv_bind_text(st, 1, j->learner);
		hv_bind_i64(st, 2, j->sim->id);
		if (j->acct)
			hv_bind_i64(st, 3, j->acct->id);
		else
			hv_bind_null(st, 3);
		hv_bind_i64(st, 4, r.misses == 0 && r.shown == 0);
		hv_bind_i64(st, 5, now);
		rc = hv_step(st);
		hv_stmt_done(st);
		if (rc >= 0 && j->acct) {
			char province[8];
			struct hv_learn_who who;
			hv_learn_who(j->acct, &who, province);
			rc = hv_learn_complete(c, &who, j->sim->course->id, now, j->cert);
		}
	}
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot save the practice run: %s", hv_conn_error(c));
	return HV_OK;
}

int hv_practice_record(struct hv_store *s, const char *learner, const struct hv_account *acct, const struct hv_sim *sim, int step,
                       int act, bool *completed, char cert[HV_CERT_CODE_MAX], struct hv_error *e)
{
	*completed = false;
	cert[0] = '\0';
	struct job j = {learner, acct, cert, sim, step, act, completed};
	return hv_store_write(s, record_fn, &j, e);
}
