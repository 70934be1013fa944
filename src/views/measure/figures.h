/* figures.h: the headline figures of a unit and of every unit below it for
 * a period, read from the aggregates, with the adult population and the
 * share of adults certified; shared by the public page and the dashboard. */
#ifndef HV_VIEWS_FIGURES_H
#define HV_VIEWS_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/places/units.h"
#include "store/store.h"

enum { HV_H_LEARNERS, HV_H_COMPLETED, HV_H_CERTIFIED, HV_H_ASSISTS, HV_H_HELPED, HV_H_POINTS, HV_H_COUNT };
/* Indicator codes in that order, NULL-terminated. */
extern const char *const hv_headline[];

struct hv_unit_figures {
	const struct hv_unit *unit;
	int64_t v[HV_H_COUNT];
	int64_t adults;       /* 0 when unknown: the sum of the units below, else the unit's own import */
	int64_t adults_own;   /* the unit's own import, -1 when none */
	bool adults_summed;   /* adults is the sum of the units below */
	bool unassigned;      /* the row of records of the unit itself, in no unit below */
	double pct;           /* people certified / adults × 100, or -1 */
	int rank;             /* set by the caller that ranks */
};

/* One unit; *updated is raised to the newest change.  HV_EUNAVAIL when a
 * read failed: the figures are not known and must not be shown as zeros. */
int hv_figures_of(struct hv_conn *c, const struct hv_unit *x, const char *period, int year, struct hv_unit_figures *f,
                  int64_t *updated);
/* Every active unit below x into rows[0..x->nchildren), in code order,
 * and into rows[x->nchildren] the records of x that are in no unit below
 * ("not assigned": unit = x, unassigned set), from two queries (not two
 * per unit); HV_EUNAVAIL as above.  rows holds x->nchildren + 1.  For the
 * sums, each row of the total is the rows' sum plus the unassigned row,
 * except people helped, where a registered person helped in two units
 * counts in each and once in the total (hv_figures_overlap). */
int hv_figures_below(struct hv_conn *c, const struct hv_unit *x, const char *period, int year,
                     struct hv_unit_figures *rows, int64_t *updated);

/* For each headline figure, how many more the rows and the unassigned row
 * sum to than the total (people counted in more than one unit below). */
void hv_figures_overlap(const struct hv_unit_figures *total, const struct hv_unit_figures *rows, size_t n, int64_t out[]);

#endif
