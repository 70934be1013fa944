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

int hv_figures_of(struct hv_conn *c, const struct hv_unit *x, const char *period, int year, struct hv_unit_figures *f,
                  int64_t *updated)
{
	f->unit = x;
	if (hv_agg_values(c, x->code, period, hv_headline, f->v, updated) < 0)
		return HV_EUNAVAIL;
	int64_t civil, pupils;
	int rc = hv_population(c, x->code, year, &f->adults, &civil, &pupils);
	if (rc == HV_EUNAVAIL)
		return rc;
	if (rc != HV_OK)
		f->adults = 0;
	f->pct = share(f);
	return HV_OK;
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
	if (!f)
		return;   /* a retired unit */
	b->next = (size_t)(f - b->rows) + 1;
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

static void on_population(const char *unit, int64_t adults, void *arg)
{
	struct below *b = arg;
	struct hv_unit_figures *f = bsearch(unit, b->rows, b->n, sizeof *b->rows, by_code);
	if (f)
		f->adults = adults;
}

int hv_figures_below(struct hv_conn *c, const struct hv_unit *x, const char *period, int year,
                     struct hv_unit_figures *rows, int64_t *updated)
{
	struct below b = {.rows = rows, .n = x->nchildren, .updated = updated, .index = -1};
	for (size_t k = 0; k < x->nchildren; k++)
		rows[k] = (struct hv_unit_figures){.unit = x->children[k]};
	if (hv_agg_children(c, x->code, period, hv_headline, on_value, &b) < 0 ||
	    hv_population_children(c, x->code, year, on_population, &b) < 0)
		return HV_EUNAVAIL;
	for (size_t k = 0; k < x->nchildren; k++)
		rows[k].pct = share(&rows[k]);
	return HV_OK;
}
