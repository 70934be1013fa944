/* assist_counts.c: what one assist counts for, in one place.
 *
 * The live write path (aggregates moved in the record's transaction) and
 * the verification (everything recomputed from the records) both call
 * hv_assist_count, so they cannot drift apart.  An assist counts for its
 * unit (and the units above it) in the quarter and year it was logged:
 * overall, for the target group of an anonymous person (breakdown
 * "@g<group>"), and for the organisation of its volunteer's team
 * ("@o<id>"), which lets the dashboard filter by group and organisation and
 * the ranking compare organisations.  A breakdown is stored as a suffix of
 * the period ("2026Q4@gelderly"), so the unfiltered rows of a unit and
 * period stay together and are read without the breakdowns. */
#include "domain/help/outreach.h"

#include <stdio.h>
#include <string.h>

#include "domain/measure/measure.h"

int hv_assist_count(const struct hv_assist_facts *f, int sign, hv_count_fn fn, void *ctx)
{
	char dims[3][HV_DIM_MAX];
	int ndims = 0;
	dims[ndims++][0] = '\0';
	if (f->group && *f->group)
		hv_dim_group(dims[ndims++], f->group);
	if (f->org > 0)
		hv_dim_org(dims[ndims++], f->org);
	char person[32], volunteer[32];
	snprintf(person, sizeof person, "p:%lld", (long long)f->person);
	snprintf(volunteer, sizeof volunteer, "%lld", (long long)f->volunteer);
	int rc = 0;
	for (int d = 0; d < ndims && rc >= 0; d++) {
		const char *dim = dims[d];
		rc = fn(ctx, f->unit, f->at, dim, "assists", NULL, sign);
		for (int k = 0; rc >= 0 && hv_services[k]; k++) {
			if (f->services & (1 << k)) {
				char ind[48];
				snprintf(ind, sizeof ind, "assists_%s", hv_services[k]);
				rc = fn(ctx, f->unit, f->at, dim, ind, NULL, sign);
			}
		}
		/* Someone registered counts once per period; someone anonymous once per assist. */
		if (rc >= 0)
			rc = fn(ctx, f->unit, f->at, dim, "people_helped", f->person ? person : NULL, sign);
		if (rc >= 0 && !f->person) /* told apart from registered people helped */
			rc = fn(ctx, f->unit, f->at, dim, "assists_anonymous", NULL, sign);
		if (rc >= 0 && f->has_smartphone)
			rc = fn(ctx, f->unit, f->at, dim, "assists_smartphone", NULL, sign);
		/* Volunteers belong to no target group. */
		if (rc >= 0 && !hv_dim_is_group(dim))
			rc = fn(ctx, f->unit, f->at, dim, "active_volunteers", volunteer, sign);
	}
	return rc;
}
