/* pages_public.c: the public transparency page: headline indicators of the
 * nation, a province or a commune and of each unit below it, computed from
 * the records (the aggregates), with no personal data; cached like other
 * anonymous pages. */
#include "views/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/measure/measure.h"
#include "domain/places/units.h"
#include "views/measure/figures.h"
#include "views/tmpl.h"

static struct hv_val *row(struct hv_ctx *c, const struct hv_unit *x, const int64_t v[])
{
	struct hv_val *o = hv_obj(c->arena);
	hv_set(o, "code", hv_str(c->arena, x->code));
	hv_set(o, "name", hv_str(c->arena, x->name));
	hv_set_bool(o, "link", x->depth < 2);
	struct hv_val *cells = hv_set(o, "cells", hv_list(c->arena));
	for (int i = 0; hv_headline[i]; i++)
		hv_push(cells, hv_int(c->arena, v[i]));
	return o;
}

void hv_set_updated(struct hv_val *d, int64_t updated)
{
	char when[64] = "";
	if (updated) {
		time_t t = (time_t)(updated + 7 * 3600);   /* Vietnam time */
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%H:%M %d/%m/%Y", &tm);
	}
	hv_set_str(d, "updated", when);
}

void hv_period_choices(struct hv_ctx *c, struct hv_val *d, const char *period, int year)
{
	struct hv_val *periods = hv_set(d, "periods", hv_list(c->arena));
	for (int yy = year; yy >= year - 1; yy--) {
		for (int qq = 0; qq <= 4; qq++) {
			char p[16];
			if (qq == 0)
				snprintf(p, sizeof p, "%04d", yy % 10000);
			else
				snprintf(p, sizeof p, "%04dQ%d", yy % 10000, qq);
			struct hv_val *o = hv_push(periods, hv_obj(c->arena));
			hv_set_str(o, "value", p);
			hv_set_bool(o, "selected", !strcmp(p, period));
		}
	}
}

int hv_page_public(struct hv_ctx *c)
{
	struct hv_units *u = hv_ctx_units(c);
	const struct hv_unit *x = hv_units_get(u, c->params[0] ? c->params[0] : HV_ROOT_CODE);
	if (!x || x->retired)
		return hv_measure_bad_unit(c, c->params[0], "unit");
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	const char *period = hv_query(c, "ky") ? hv_query(c, "ky") : y;
	if (!hv_period_valid(period))
		return hv_fail(c, HV_EINVAL, "ky", hv_t(c->lang, "public.bad_period"));
	struct hv_conn *conn = hv_store_reader(c->app->store);
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "unit", hv_str(c->arena, x->name));
	hv_set(d, "unit_code", hv_str(c->arena, x->code));
	hv_set_str(d, "period", period);
	hv_set_bool(d, "is_nation", x->depth == 0);
	if (x->parent)
		hv_set(d, "parent_code", hv_str(c->arena, x->parent->depth ? x->parent->code : ""));
	struct hv_val *heads = hv_set(d, "heads", hv_list(c->arena));
	for (int i = 0; hv_headline[i]; i++) {
		char key[64];
		snprintf(key, sizeof key, "ind.%s", hv_headline[i]);
		hv_push(heads, hv_str(c->arena, hv_t(c->lang, key)));
	}
	int64_t updated = 0;
	int year = atoi(period);
	struct hv_unit_figures total;
	struct hv_unit_figures *below = hv_arena_alloc(c->arena, (x->nchildren + 1) * sizeof *below);
	if (hv_figures_of(conn, x, period, year, &total, &updated) < 0 || hv_figures_below(conn, x, period, year, below, &updated) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry")); /* never zeros, never kept */
	hv_set(d, "total", row(c, x, total.v));
	struct hv_val *rows = hv_set(d, "rows", hv_list(c->arena));
	for (size_t k = 0; k < x->nchildren; k++)
		hv_push(rows, row(c, x->children[k], below[k].v));
	/* The rows add up to the total: the unit's own records, then people
	 * counted in two units below (people helped), as a negative row. */
	if (x->nchildren) {
		struct hv_val *o = hv_set(d, "unassigned", row(c, x, below[x->nchildren].v));
		hv_set_bool(o, "link", false);
		int64_t over[HV_H_COUNT];
		hv_figures_overlap(&total, below, x->nchildren + 1, over);
		bool any = false;
		struct hv_val *cells = hv_list(c->arena);
		for (int i = 0; i < HV_H_COUNT; i++) {
			any |= over[i] != 0;
			hv_push(cells, hv_int(c->arena, -over[i]));
		}
		if (any)
			hv_set(hv_set(d, "overlap", hv_obj(c->arena)), "cells", cells);
	}
	hv_set_updated(d, updated);
	hv_period_choices(c, d, period, atoi(y));
	return hv_page(c, "public", hv_t(c->lang, "public.title"), d);
}
