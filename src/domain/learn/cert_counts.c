/* cert_counts.c: a revoked certificate leaves the figures in the
 * transaction that revokes it.  Its completion is marked revoked and taken
 * back from courses_completed; for people certified, if it was the
 * person's first completion of the quarter (or year) it is taken back there
 * and the person's next completion in that period, if any, counts instead
 * (in its own unit) — the rule hv_measure_verify recomputes. */
#include "domain/learn/learn_internal.h"

#include <stdio.h>
#include <string.h>

#include "domain/measure/measure.h"

#define MAX_COMPLETIONS 256

struct done {
	int64_t course, at;
	char unit[16];
	bool has_unit;
};

/* (at, course) order, as hv_measure_verify reads completions. */
static bool before(const struct done *a, const struct done *b)
{
	return a->at < b->at || (a->at == b->at && a->course < b->course);
}

static bool same_period(int64_t a, int64_t b, int mask)
{
	char qa[8], ya[8], qb[8], yb[8];
	hv_periods(a, qa, ya);
	hv_periods(b, qb, yb);
	return mask == HV_IN_QUARTER ? !strcmp(qa, qb) : !strcmp(ya, yb);
}

/* The account's completions that still count, into out. */
static int counting(struct hv_conn *c, int64_t account, struct done *out, int max)
{
	struct hv_stmt *st = hv_sql(c, "SELECT course_id, completed_at, unit_code FROM completions "
	                               "WHERE account_id = $1 AND revoked_at IS NULL");
	hv_bind_i64(st, 1, account);
	int n = 0, rc;
	while ((rc = hv_step(st)) == 1 && n < max) {
		struct done *d = &out[n++];
		d->course = hv_col_i64(st, 0);
		d->at = hv_col_i64(st, 1);
		d->has_unit = !hv_col_null(st, 2);
		snprintf(d->unit, sizeof d->unit, "%s", d->has_unit ? hv_col_text(st, 2) : "");
	}
	hv_stmt_done(st);
	return rc < 0 ? rc : n;
}

static int uncount_completion(struct hv_conn *c, int64_t account, int64_t course, int64_t now)
{
	struct done all[MAX_COMPLETIONS];
	int n = counting(c, account, all, MAX_COMPLETIONS);
	if (n < 0)
		return n;
	const struct done *x = NULL;
	for (int i = 0; i < n && !x; i++)
		if (all[i].course == course)
			x = &all[i];
	if (!x)
		return HV_OK; /* revoked before, or never completed: it counts for nothing */
	struct hv_stmt *st = hv_sql(c, "UPDATE completions SET revoked_at = $3 WHERE account_id = $1 AND course_id = $2");
	hv_bind_i64(st, 1, account);
	hv_bind_i64(st, 2, course);
	hv_bind_i64(st, 3, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	char group[32] = "";
	st = hv_sql(c, "SELECT person_group FROM accounts WHERE id = $1");
	hv_bind_i64(st, 1, account);
	if ((rc = hv_step(st)) == 1 && !hv_col_null(st, 0))
		snprintf(group, sizeof group, "%s", hv_col_text(st, 0));
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	const char *unit = x->has_unit ? x->unit : NULL;
	if (hv_learner_add(c, unit, x->at, group, "courses_completed", HV_IN_QUARTER | HV_IN_YEAR, -1) < 0)
		return HV_EUNAVAIL;
	static const int masks[] = {HV_IN_QUARTER, HV_IN_YEAR};
	for (int m = 0; m < 2; m++) {
		const struct done *next = NULL;
		bool first = true;
		for (int i = 0; i < n && first; i++) {
			const struct done *o = &all[i];
			if (o == x || !same_period(o->at, x->at, masks[m]))
				continue;
			if (before(o, x))
				first = false;
			else if (!next || before(o, next))
				next = o;
		}
		if (!first)
			continue;
		if (hv_learner_add(c, unit, x->at, group, "people_certified", masks[m], -1) < 0 ||
		    (next && hv_learner_add(c, next->has_unit ? next->unit : NULL, next->at, group, "people_certified", masks[m], 1) < 0))
			return HV_EUNAVAIL;
	}
	return HV_OK;
}

int hv_cert_uncount(struct hv_conn *c, const char *code, int64_t now)
{
	struct hv_stmt *st = hv_sql(c, "SELECT account_id, course_id FROM certificates WHERE code = $1");
	hv_bind_text(st, 1, code);
	int rc = hv_step(st);
	int64_t account = rc == 1 ? hv_col_i64(st, 0) : 0, course = rc == 1 ? hv_col_i64(st, 1) : 0;
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	return rc == 1 ? uncount_completion(c, account, course, now) : HV_OK;
}

int hv_certs_uncount(struct hv_conn *c, int64_t account, int64_t now)
{
	struct done all[MAX_COMPLETIONS];
	int n = counting(c, account, all, MAX_COMPLETIONS);
	for (int i = 0; i < n; i++) {
		int rc = uncount_completion(c, account, all[i].course, now);
		if (rc < 0)
			return rc;
	}
	return n < 0 ? n : HV_OK;
}
