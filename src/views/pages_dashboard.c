/* pages_dashboard.c: the staff dashboard of a unit (/bang-dieu-khien/CODE):
 * headline indicators of a period against their targets, the share of
 * adults certified, and the units below ranked, each a link one level down;
 * the same figures as a CSV report (?dinh-dang=csv).  Only for managers,
 * coordinators, viewers and admins whose roles reach the unit. */
#include "pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/measure.h"
#include "domain/targets.h"
#include "domain/units.h"
#include "views/figures.h"
#include "views/tmpl.h"

#define DASH_ROLES (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR | HV_ROLE_VIEWER)

/* Best share first; units without population after, by people certified;
 * then by code, so the order is stable. */
static int by_rank(const void *pa, const void *pb)
{
	const struct hv_unit_figures *a = pa, *b = pb;
	if ((a->pct >= 0) != (b->pct >= 0))
		return a->pct >= 0 ? -1 : 1;
	if (a->pct != b->pct)
		return a->pct > b->pct ? -1 : 1;
	if (a->v[HV_H_CERTIFIED] != b->v[HV_H_CERTIFIED])
		return a->v[HV_H_CERTIFIED] > b->v[HV_H_CERTIFIED] ? -1 : 1;
	return strcmp(a->unit->code, b->unit->code);
}

static void pct_text(char *out, size_t cap, double pct)
{
	if (pct < 0)
		snprintf(out, cap, "–");
	else
		snprintf(out, cap, "%.1f", pct);
}

static void csv_field(struct hv_buf *b, const char *s)
{
	hv_buf_putc(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			hv_buf_putc(b, '"');
		hv_buf_putc(b, *s);
	}
	hv_buf_putc(b, '"');
}

static void csv_row(struct hv_buf *b, const struct hv_unit_figures *f, int64_t target)
{
	csv_field(b, f->unit->code);
	hv_buf_putc(b, ',');
	csv_field(b, f->unit->name);
	for (int i = 0; i < HV_H_COUNT; i++)
		hv_buf_printf(b, ",%lld", (long long)f->v[i]);
	char pct[16];
	pct_text(pct, sizeof pct, f->pct);
	hv_buf_printf(b, ",%lld,%s,", (long long)f->adults, f->pct < 0 ? "" : pct);
	if (target >= 0)
		hv_buf_printf(b, "%lld", (long long)target);
	hv_buf_puts(b, "\r\n");
}

/* The unit to show when none is named: the first one the roles allow. */
static int redirect_to_own_unit(struct hv_ctx *c)
{
	for (int i = 0; i < c->who->acct.nroles; i++) {
		if (c->who->acct.roles[i].kind & DASH_ROLES) {
			hv_redirect(c, hv_arena_printf(c->arena, "/bang-dieu-khien/%s", c->who->acct.roles[i].unit));
			return HV_OK;
		}
	}
	return hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "dash.no_role"));
}

static struct hv_val *card(struct hv_ctx *c, const char *name, int64_t value, int64_t target)
{
	struct hv_val *o = hv_obj(c->arena);
	hv_set_str(o, "name", name);
	hv_set_int(o, "value", value);
	hv_set_bool(o, "has_target", target > 0);
	if (target > 0) {
		int64_t pct = value * 100 / target;
		hv_set_int(o, "target", target);
		hv_set_int(o, "pct", pct);
		hv_set_int(o, "bar", pct > 100 ? 100 : pct);
	}
	return o;
}

int hv_page_dashboard(struct hv_ctx *c)
{
	if (!hv_require_staff(c))
		return HV_OK;
	c->no_store = true;
	if (!c->params[0])
		return redirect_to_own_unit(c);
	struct hv_units *u = hv_ctx_units(c);
	const struct hv_unit *x = hv_units_get(u, c->params[0]);
	if (!x || x->retired)
		return hv_fail(c, HV_ENOTFOUND, "unit", hv_t(c->lang, "units.unknown"));
	if (!hv_can(c->who, DASH_ROLES, x))
		return hv_fail(c, HV_EFORBIDDEN, "unit", hv_t(c->lang, "dash.forbidden"));
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	const char *period = hv_query(c, "ky") ? hv_query(c, "ky") : q;
	if (!hv_period_valid(period))
		return hv_fail(c, HV_EINVAL, "ky", hv_t(c->lang, "public.bad_period"));
	const char *format = hv_query(c, "dinh-dang");
	if (format && strcmp(format, "csv") != 0)
		return hv_fail(c, HV_EINVAL, "dinh-dang", hv_t(c->lang, "dash.bad_format"));
	int year = atoi(period);
	struct hv_conn *conn = hv_store_reader(c->app->store);
	int64_t updated = 0;
	struct hv_unit_figures total;
	hv_figures_of(conn, x, period, year, &total, &updated);
	struct hv_unit_figures *rows = hv_arena_alloc(c->arena, (x->nchildren + 1) * sizeof *rows);
	hv_figures_below(conn, x, period, year, rows, &updated);
	qsort(rows, x->nchildren, sizeof *rows, by_rank);
	int64_t targets[HV_H_COUNT];
	for (int i = 0; i < HV_H_COUNT; i++)
		if (!hv_target_get(conn, x->code, 0, hv_headline[i], period, &targets[i]))
			targets[i] = -1;

	if (format) {
		hv_buf_puts(&c->body, "\xEF\xBB\xBF");   /* BOM: spreadsheet programs then read UTF-8 */
		hv_buf_puts(&c->body, "unit_code,unit_name");
		for (int i = 0; i < HV_H_COUNT; i++)
			hv_buf_printf(&c->body, ",%s", hv_headline[i]);
		hv_buf_printf(&c->body, ",adults,adults_certified_pct,target_people_certified\r\n");
		csv_row(&c->body, &total, targets[HV_H_CERTIFIED]);
		for (size_t k = 0; k < x->nchildren; k++) {
			int64_t t;
			csv_row(&c->body, &rows[k], hv_target_get(conn, rows[k].unit->code, 0, "people_certified", period, &t) ? t : -1);
		}
		c->resp_type = "text/csv; charset=utf-8";
		c->status = 200;
		return HV_OK;
	}

	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "unit", x->name);
	hv_set_str(d, "unit_code", x->code);
	hv_set_str(d, "period", period);
	if (x->parent && hv_can(c->who, DASH_ROLES, x->parent))
		hv_set_str(d, "parent_code", x->parent->code);
	hv_period_choices(c, d, period, atoi(y));
	struct hv_val *cards = hv_set(d, "cards", hv_list(c->arena));
	for (int i = 0; i < HV_H_COUNT; i++) {
		char key[64];
		snprintf(key, sizeof key, "ind.%s", hv_headline[i]);
		hv_push(cards, card(c, hv_t(c->lang, key), total.v[i], targets[i]));
	}
	char pct[16];
	pct_text(pct, sizeof pct, total.pct);
	hv_set_bool(d, "has_population", total.adults > 0);
	hv_set_str(d, "adults_pct", pct);
	hv_set_int(d, "adults", total.adults);
	struct hv_val *list = hv_set(d, "rows", hv_list(c->arena));
	for (size_t k = 0; k < x->nchildren; k++) {
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		hv_set_int(o, "rank", (int64_t)k + 1);
		hv_set_str(o, "code", rows[k].unit->code);
		hv_set_str(o, "name", rows[k].unit->name);
		hv_set_bool(o, "link", rows[k].unit->depth < 2);
		hv_set_int(o, "certified", rows[k].v[HV_H_CERTIFIED]);
		pct_text(pct, sizeof pct, rows[k].pct);
		hv_set_str(o, "pct", pct);
		hv_set_int(o, "assists", rows[k].v[HV_H_ASSISTS]);
		hv_set_int(o, "learners", rows[k].v[HV_H_LEARNERS]);
	}
	hv_set_updated(d, updated);
	return hv_page(c, "dashboard", hv_t(c->lang, "dash.title"), d);
}
