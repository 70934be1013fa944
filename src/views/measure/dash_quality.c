/* dash_quality.c: the dashboard's data-quality panel (see dash_quality.h). */
#include "views/measure/dash_quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/measure/measure.h"
#include "domain/measure/targets.h"
#include "views/measure/measure_nav.h"
#include "views/tmpl.h"

/* Lists on the panel show their first rows; the count says how many. */
#define QUALITY_SHOWN 15

struct targeted {
	const char **codes;
	size_t n, cap;
	struct hv_arena *a;
};

static void on_targeted(const char *unit, void *arg)
{
	struct targeted *t = arg;
	if (t->n == t->cap)
		return;
	t->codes[t->n++] = hv_arena_strdup(t->a, unit);
}

static bool has_target(const struct targeted *t, const char *code)
{
	for (size_t k = 0; k < t->n; k++)
		if (!strcmp(t->codes[k], code))
			return true;
	return false;
}

static int by_code(const void *key, const void *elem)
{
	return strcmp(key, ((const struct hv_unit_figures *)elem)->unit->code);
}

static void unit_item(struct hv_ctx *c, struct hv_val *list, const struct hv_unit *u, const char *period)
{
	struct hv_val *o = hv_push(list, hv_obj(c->arena));
	hv_set_str(o, "code", u->code);
	hv_set_str(o, "name", u->name);
	hv_set_str(o, "period", period);
}

int hv_dash_quality(struct hv_ctx *c, struct hv_conn *conn, const struct hv_unit *x, const char *period,
                    const struct hv_unit_figures *rows, size_t n, int factor, struct hv_val *d)
{
	if (!n)
		return HV_OK;   /* a commune: no units below, no panel */
	struct hv_val *q = hv_set(d, "quality", hv_obj(c->arena));
	hv_set_int(q, "factor", factor);
	char before[8], year[8];
	hv_period_prior(period, before);
	snprintf(year, sizeof year, "%.4s", period);
	struct hv_unit_figures *prev = hv_arena_alloc(c->arena, (n + 1) * sizeof *prev);
	int64_t updated = 0;
	const char *periods[] = {period, strlen(period) == 6 ? year : NULL, NULL};
	struct targeted t = {hv_arena_alloc(c->arena, (n + 1) * sizeof(char *)), 0, n, c->arena};
	if (hv_figures_below(conn, x, before, atoi(before), prev, &updated) < 0 ||
	    hv_targets_children(conn, x->code, periods, on_targeted, &t) < 0)
		return HV_EUNAVAIL;
	struct hv_val *silent = hv_set(q, "silent", hv_list(c->arena)), *jumps = hv_set(q, "jumps", hv_list(c->arena)),
	              *untargeted = hv_set(q, "untargeted", hv_list(c->arena));
	size_t nsilent = 0, njumps = 0, nuntargeted = 0;
	for (size_t k = 0; k < n; k++) {
		const struct hv_unit_figures *r = &rows[k];
		bool any = false;
		for (int i = 0; i < HV_H_COUNT; i++)
			any |= r->v[i] != 0;
		if (!any && nsilent++ < QUALITY_SHOWN)
			unit_item(c, silent, r->unit, period);
		if (!has_target(&t, r->unit->code) && nuntargeted++ < QUALITY_SHOWN)
			unit_item(c, untargeted, r->unit, period);
		const struct hv_unit_figures *p = bsearch(r->unit->code, prev, n, sizeof *prev, by_code);
		for (int i = 0; p && i < HV_H_COUNT; i++) {
			int64_t now = r->v[i], was = p->v[i];
			bool up = was > 0 && now >= was * factor, down = was > 0 && now * factor <= was;
			if (!up && !down)
				continue;
			if (njumps++ >= QUALITY_SHOWN)
				continue;
			struct hv_val *o = hv_push(jumps, hv_obj(c->arena));
			hv_set_str(o, "code", r->unit->code);
			hv_set_str(o, "name", r->unit->name);
			hv_set_str(o, "indicator", hv_t(c->lang, hv_arena_printf(c->arena, "ind.%s", hv_headline[i])));
			hv_set_str(o, "was", hv_num_text(c, was));
			hv_set_str(o, "now", hv_num_text(c, now));
			hv_set_bool(o, "up", up);
		}
	}
	hv_set_int(q, "silent_n", (int64_t)nsilent);
	hv_set_int(q, "jumps_n", (int64_t)njumps);
	hv_set_int(q, "untargeted_n", (int64_t)nuntargeted);
	hv_set_int(q, "shown_max", QUALITY_SHOWN);
	hv_set_str(q, "before", hv_arena_strdup(c->arena, before));
	hv_set_bool(q, "silent_more", nsilent > QUALITY_SHOWN);
	hv_set_bool(q, "jumps_more", njumps > QUALITY_SHOWN);
	hv_set_bool(q, "untargeted_more", nuntargeted > QUALITY_SHOWN);
	hv_set_bool(q, "any", nsilent || njumps || nuntargeted);
	return HV_OK;
}
