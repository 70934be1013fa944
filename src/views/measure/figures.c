/* figures.c: see figures.h. */
#include "views/measure/figures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "domain/measure/measure.h"
#include "domain/measure/targets.h"

const char *const hv_headline[] = {"registered_learners", "courses_completed", "people_certified", "assists",
                                   "people_helped", "touch_points", NULL};

static double share(const struct hv_unit_figures *f)
{
	return f->adults > 0 ? 100.0 * (double)f->v[HV_H_CERTIFIED] / (double)f->adults : -1;
}

static void set_adults(struct hv_unit_figures *f, const struct hv_pop *p)
{
	f->adults = p->known ? p->value[HV_POP_ADULTS] : 0;
	f->adults_own = p->has_own ? p->own[HV_POP_ADULTS] : -1;
	f->adults_summed = p->has_sum;
	f->pct = share(f);
}

int hv_figures_of(struct hv_conn *c, const struct hv_unit *x, const char *period, int year, struct hv_unit_figures *f,
                  int64_t *updated)
{
	*f = (struct hv_unit_figures){.unit = x};
	if (hv_agg_values(c, x->code, period, hv_headline, f->v, updated) < 0)
		return HV_EUNAVAIL;
	struct hv_pop p;
	if (hv_population_tree(c, x, year, &p, NULL) < 0)
		return HV_EUNAVAIL;
	set_adults(f, &p);
	return HV_OK;
}

void hv_figures_overlap(const struct hv_unit_figures *total, const struct hv_unit_figures *rows, size_t n, int64_t out[])
{
	for (int i = 0; i < HV_H_COUNT; i++) {
		out[i] = -total->v[i];
		for (size_t k = 0; k < n; k++)
			out[i] += rows[k].v[i];
	}
}

struct below {
	struct hv_unit_figures *rows;   /* sorted by unit code, as the children are */
	size_t n;
	int64_t *updated;
	size_t next;                    /* the row after the last one found */
	char indicator[48];             /* the last indicator seen and its index */
	int index;
};

static int by_code(const void *key, const void *elem)
{
	return strcmp(key, ((const struct hv_unit_figures *)elem)->unit->code);
}

static void on_value(const char *unit, const char *indicator, int64_t value, int64_t updated_at, void *arg)
{
	struct below *b = arg;
	/* Rows come in key order (indicator, then unit code), so the unit is
	 * most often the row after the last one, and the indicator the last. */
	struct hv_unit_figures *f = b->next < b->n && !strcmp(unit, b->rows[b->next].unit->code)
	                                ? &b->rows[b->next]
	                                : bsearch(unit, b->rows, b->n, sizeof *b->rows, by_code);
	if (!f && unit[0] == '~')
		f = &b->rows[b->n]; /* the records of the unit itself */
	if (!f)
		return;   /* a retired unit */
	b->next = f == &b->rows[b->n] ? b->next : (size_t)(f - b->rows) + 1;
	if (strcmp(b->indicator, indicator) != 0) {
		snprintf(b->indicator, sizeof b->indicator, "%s", indicator);
		b->index = -1;
		for (int i = 0; i < HV_H_COUNT; i++)
			if (!strcmp(hv_headline[i], indicator))
				b->index = i;
	}
	if (b->index >= 0)
		f->v[b->index] = value;
	if (updated_at > *b->updated)
		*b->updated = updated_at;
}

int hv_figures_below(struct hv_conn *c, const struct hv_unit *x, const char *period, int year,
                     struct hv_unit_figures *rows, int64_t *updated)
{
	struct below b = {.rows = rows, .n = x->nchildren, .updated = updated, .index = -1};
	for (size_t k = 0; k < x->nchildren; k++)
		rows[k] = (struct hv_unit_figures){.unit = x->children[k], .adults_own = -1};
	rows[x->nchildren] = (struct hv_unit_figures){.unit = x, .unassigned = true, .adults_own = -1, .pct = -1};
	struct hv_pop total, *kids = calloc(x->nchildren + 1, sizeof *kids);
	int rc = kids ? HV_OK : HV_EUNAVAIL;
	if (rc == HV_OK && (hv_agg_children(c, x->code, period, hv_headline, on_value, &b) < 0 ||
	                    hv_population_tree(c, x, year, &total, kids) < 0))
		rc = HV_EUNAVAIL;
	for (size_t k = 0; rc == HV_OK && k < x->nchildren; k++)
		set_adults(&rows[k], &kids[k]);
	free(kids);
	return rc;
}
