/* pages_dashboard.c: the staff dashboard of a unit (/bang-dieu-khien/CODE):
 * headline indicators of a period against their targets, the share of
 * adults certified, quarter-by-quarter charts of the year (SVG drawn here,
 * no JavaScript), and the units below ranked, each a link one level down,
 * in a table sortable by any column (?sap-xep=…); filters by target group
 * (?nhom=elderly) or organisation (?to-chuc=ID) read the breakdown
 * aggregates; the same figures as a CSV report (?dinh-dang=csv).  Only for
 * managers, coordinators, viewers and admins whose roles reach the unit. */
#include "views/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/generation.h"
#include "core/log.h"
#include "core/num.h"
#include "domain/measure/measure.h"
#include "domain/help/teams.h"
#include "domain/help/outreach.h"
#include "domain/measure/targets.h"
#include "domain/places/units.h"
#include "views/measure/dash_quality.h"
#include "views/measure/figures.h"
#include "views/measure/measure_nav.h"
#include "views/fragment_cache.h"
#include "views/tmpl.h"
#include "domain/people/roles.h"

#define DASH_ROLES (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR | HV_ROLE_VIEWER)
#define TARGET_ROLES (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR)

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

/* Table orders: ?sap-xep=KEY. */
static const char *const sort_keys[] = {"hang", "ten", "chung-nhan", "ti-le", "ho-tro", "hoc-vien", NULL};

static int by_column(const void *pa, const void *pb, void *arg)
{
	const struct hv_unit_figures *a = pa, *b = pb;
	int64_t x = 0, y = 0;
	switch (*(const int *)arg) {
	case 1: return strcmp(a->unit->bare, b->unit->bare); /* folded, without "Phường", "Xã" … */
	case 2: x = a->v[HV_H_CERTIFIED], y = b->v[HV_H_CERTIFIED]; break;
	case 3: return by_rank(pa, pb);
	case 4: x = a->v[HV_H_ASSISTS], y = b->v[HV_H_ASSISTS]; break;
	case 5: x = a->v[HV_H_LEARNERS], y = b->v[HV_H_LEARNERS]; break;
	default: return 0;
	}
	return x != y ? (x > y ? -1 : 1) : strcmp(a->unit->code, b->unit->code);
}

/* Headline indicators that have breakdowns by group and organisation. */
static bool broken_down(int i)
{
	return i == HV_H_ASSISTS || i == HV_H_HELPED;
}

struct filter {
	char dim[HV_DIM_MAX]; /* "" or a breakdown (measure.h: hv_dim_group, hv_dim_org) */
	char agg_period[48]; /* period + dim */
	const char *group;   /* as given */
	int64_t org;
};

/* Reads ?nhom= and ?to-chuc= (one at a time); fails the request if bad. */
static bool read_filter(struct hv_ctx *c, struct hv_conn *conn, const char *period, struct filter *f)
{
	memset(f, 0, sizeof *f);
	const char *g = hv_query(c, "nhom"), *o = hv_query(c, "to-chuc");
	if (g && !*g)
		g = NULL;
	if (o && !*o)
		o = NULL;
	if (g && o) {
		hv_fail(c, HV_EINVAL, "nhom", hv_t(c->lang, "dash.one_filter"));
		return false;
	}
	if (g) {
		bool known = false;
		for (int i = 0; hv_groups[i]; i++)
			known |= !strcmp(hv_groups[i], g);
		if (!known) {
			hv_fail(c, HV_EINVAL, "nhom", hv_t(c->lang, "dash.bad_group"));
			return false;
		}
		f->group = g;
		hv_dim_group(f->dim, g);
	} else if (o) {
		struct hv_org org;
		int64_t id;
		if (hv_parse_i64(o, 1, INT64_MAX, &id) < 0 || hv_org_get(conn, id, &org) != HV_OK) {
			hv_fail(c, HV_EINVAL, "to-chuc", hv_t(c->lang, "dash.bad_org"));
			return false;
		}
		f->org = id;
		hv_dim_org(f->dim, id);
	}
	snprintf(f->agg_period, sizeof f->agg_period, "%s%s", period, f->dim);
	return true;
}

struct org_opts {
	struct hv_ctx *c;
	struct hv_val *list;
	int64_t selected;
};

static void org_option(const struct hv_org *org, void *arg)
{
	struct org_opts *o = arg;
	struct hv_val *v = hv_push(o->list, hv_obj(o->c->arena));
	hv_set_int(v, "id", org->id);
	hv_set_str(v, "name", org->name);
	hv_set_bool(v, "selected", org->id == o->selected);
}

/* The filter again, for links that keep it: "&nhom=…", "&to-chuc=…" or "". */
static const char *filter_query(struct hv_ctx *c, const struct filter *f)
{
	return f->group ? hv_arena_printf(c->arena, "&nhom=%s", f->group)
	       : f->org ? hv_arena_printf(c->arena, "&to-chuc=%lld", (long long)f->org) : "";
}

static int filter_choices(struct hv_ctx *c, struct hv_conn *conn, const struct hv_unit *x, const struct filter *f,
                          struct hv_val *d)
{
	struct hv_val *groups = hv_set(d, "groups", hv_list(c->arena));
	for (int i = 0; hv_groups[i]; i++) {
		char key[48];
		snprintf(key, sizeof key, "group.%s", hv_groups[i]);
		struct hv_val *o = hv_push(groups, hv_obj(c->arena));
		hv_set_str(o, "value", hv_groups[i]);
		hv_set_str(o, "label", hv_t(c->lang, key));
		hv_set_bool(o, "selected", f->group && !strcmp(f->group, hv_groups[i]));
	}
	struct org_opts oo = {c, hv_set(d, "orgs", hv_list(c->arena)), f->org};
	if (hv_orgs_near(conn, x, org_option, &oo) < 0)
		return HV_EUNAVAIL;
	hv_set_bool(d, "filtered", f->dim[0] != '\0');
	hv_set_str(d, "filter_query", filter_query(c, f));
	return HV_OK;
}

/* Bar charts of the four quarters of the period's year. */
static int quarter_charts(struct hv_ctx *c, struct hv_conn *conn, const struct hv_unit *x, int year, const struct filter *f,
                          struct hv_val *d, int64_t *updated)
{
	const char *codes[] = {f->dim[0] ? "people_helped" : "people_certified", "assists", NULL};
	int64_t v[4][8];
	if (hv_agg_quarters(conn, x->code, year, f->dim, codes, v, updated) < 0)
		return HV_EUNAVAIL;
	struct hv_val *charts = hv_set(d, "charts", hv_list(c->arena));
	for (int k = 0; codes[k]; k++) {
		int64_t max = 1;
		for (int q = 0; q < 4; q++)
			max = v[q][k] > max ? v[q][k] : max;
		char key[64];
		snprintf(key, sizeof key, "ind.%s", codes[k]);
		struct hv_val *ch = hv_push(charts, hv_obj(c->arena));
		hv_set_str(ch, "code", codes[k]);
		hv_set_str(ch, "name", hv_t(c->lang, key));
		hv_set_int(ch, "year", year);
		struct hv_buf sum;
		hv_buf_init(&sum);
		struct hv_val *bars = hv_set(ch, "bars", hv_list(c->arena));
		for (int q = 0; q < 4; q++) {
			int64_t h = v[q][k] * 100 / max;
			struct hv_val *b = hv_push(bars, hv_obj(c->arena));
			hv_set_int(b, "q", q + 1);
			hv_set_int(b, "value", v[q][k]);
			hv_set_int(b, "x", 12 + q * 76);
			hv_set_int(b, "tx", 40 + q * 76);
			hv_set_int(b, "y", 120 - h);
			hv_set_int(b, "h", h);
			hv_set_int(b, "ty", 120 - h - 6);
			hv_buf_printf(&sum, "%sQ%d: %lld", q ? ", " : "", q + 1, (long long)v[q][k]);
		}
		hv_set_str(ch, "summary", sum.data ? sum.data : "");
		hv_buf_free(&sum);
	}
	return HV_OK;
}

static void pct_text(char *out, size_t cap, double pct)
{
	if (pct < 0)
		snprintf(out, cap, "–");
	else
		snprintf(out, cap, "%.1f", pct);
}

static void csv_row(struct hv_buf *b, const struct hv_unit_figures *f, int64_t target)
{
	if (f->unassigned) /* the unit's own records: "~79", so that the rows add up to the first */
		hv_buf_printf(b, "~%s,Chưa gắn đơn vị cấp dưới", f->unit->code);
	else {
		hv_buf_csv(b, f->unit->code);
		hv_buf_putc(b, ',');
		hv_buf_csv(b, f->unit->name);
	}
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
	/* value and target: the period's; the year's and the trend are added by the caller */
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

/* Beside each card of a quarter: the year so far against the year's
 * target ("Năm: X / Y"), and for any period the one before it with the
 * change, in words (docs/dashboards.md). */
static int card_context(struct hv_ctx *c, struct hv_conn *conn, const struct hv_unit *x, const struct filter *f,
                        const char *period, struct hv_val *const *cards, const int64_t *now, const int *which, int n,
                        int64_t *updated)
{
	char before[8], year[8];
	hv_period_prior(period, before);
	snprintf(year, sizeof year, "%.4s", period);
	int64_t prev[HV_H_COUNT + 1], yv[HV_H_COUNT + 1], yt[HV_H_COUNT + 1];
	bool quarter = strlen(period) == 6;
	if (hv_agg_values(conn, x->code, hv_arena_printf(c->arena, "%s%s", before, f->dim), hv_headline, prev, updated) < 0 ||
	    (quarter && hv_agg_values(conn, x->code, hv_arena_printf(c->arena, "%s%s", year, f->dim), hv_headline, yv, updated) < 0) ||
	    (quarter && hv_targets_of(conn, x->code, f->org, year, hv_headline, yt) < 0))
		return HV_EUNAVAIL;
	for (int k = 0; k < n; k++) {
		struct hv_val *o = cards[k];
		int i = which[k];
		hv_set_bool(o, "has_prev", true);
		hv_set_str(o, "trend", hv_trend_text(c, before, now[i], prev[i]));
		hv_set_str(o, "trend_period", before);
		if (quarter && (!f->dim[0] || f->org) && yt[i] > 0) {
			hv_set_int(o, "year_value", yv[i]);
			hv_set_int(o, "year_target", yt[i]);
			hv_set_int(o, "year_pct", yv[i] * 100 / yt[i]);
		}
	}
	return HV_OK;
}

/* The figures of x and of the units below it, ranked (and ordered by
 * column sk if not 0), with the targets set at x. */
struct figures {
	struct hv_unit_figures total, *rows;
	int64_t targets[HV_H_COUNT + 1], org_targets[HV_H_COUNT + 1];
	int64_t updated;
};

static int load_figures(struct hv_ctx *c, struct hv_conn *conn, const struct hv_unit *x, const struct filter *f,
                        const char *period, int sk, struct figures *fg)
{
	int year = atoi(period);
	fg->updated = 0;
	fg->rows = hv_arena_alloc(c->arena, (x->nchildren + 1) * sizeof *fg->rows);
	if (hv_figures_of(conn, x, f->agg_period, year, &fg->total, &fg->updated) < 0 ||
	    hv_figures_below(conn, x, f->agg_period, year, fg->rows, &fg->updated) < 0)
		return HV_EUNAVAIL;
	qsort(fg->rows, x->nchildren, sizeof *fg->rows, by_rank);
	for (size_t k = 0; k < x->nchildren; k++) { /* equal places share a rank: 1, 2, 2, 4 */
		const struct hv_unit_figures *a = &fg->rows[k], *b = k ? &fg->rows[k - 1] : NULL;
		bool tie = b && a->pct == b->pct && a->v[HV_H_CERTIFIED] == b->v[HV_H_CERTIFIED];
		fg->rows[k].rank = a->pct < 0 ? 0 /* no population: not ranked */ : tie ? b->rank : (int)k + 1;
	}
	if (sk > 0)
		qsort_r(fg->rows, x->nchildren, sizeof *fg->rows, by_column, &sk);
	if (hv_targets_of(conn, x->code, 0, period, hv_headline, fg->targets) < 0 ||
	    (f->org && hv_targets_of(conn, x->code, f->org, period, hv_headline, fg->org_targets) < 0))
		return HV_EUNAVAIL;
	return HV_OK;
}

static int send_csv(struct hv_ctx *c, struct hv_conn *conn, const struct figures *fg, size_t nrows, const char *period)
{
	hv_buf_puts(&c->body, "\xEF\xBB\xBF");   /* BOM: spreadsheet programs then read UTF-8 */
	hv_buf_puts(&c->body, "unit_code,unit_name");
	for (int i = 0; i < HV_H_COUNT; i++)
		hv_buf_printf(&c->body, ",%s", hv_headline[i]);
	hv_buf_printf(&c->body, ",adults,adults_certified_pct,target_people_certified\r\n");
	csv_row(&c->body, &fg->total, fg->targets[HV_H_CERTIFIED]);
	for (size_t k = 0; k < nrows; k++) {
		int64_t t;
		int rc = hv_target_get(conn, fg->rows[k].unit->code, 0, "people_certified", period, &t);
		if (rc == HV_EUNAVAIL)
			return rc;
		csv_row(&c->body, &fg->rows[k], rc == HV_OK ? t : -1);
	}
	if (nrows)
		csv_row(&c->body, &fg->rows[nrows], -1);
	c->resp_type = "text/csv; charset=utf-8";
	c->filename = hv_arena_printf(c->arena, "so-lieu-%s-%s.csv", fg->total.unit->code, period);
	c->status = 200;
	return HV_OK;
}

/* The parts of the page that are the same for every viewer: filters,
 * cards and charts (0), the table of units below (1, its first show
 * rows), the fields of the target form (2: indicators, organisations,
 * periods), which only those who may set a target are shown, and the
 * filters (3), below the figures. */
static int render_parts(struct hv_ctx *c, struct hv_conn *conn, const struct hv_unit *x, const struct filter *f,
                        const char *period, int this_year, int sk, size_t show, struct hv_buf parts[HV_FRAGMENT_PARTS])
{
	struct figures fg;
	if (load_figures(c, conn, x, f, period, sk, &fg) < 0)
		return HV_EUNAVAIL;
	struct hv_val *d = hv_obj(c->arena);
	hv_set_str(d, "unit_code", x->code);
	hv_set_str(d, "period", period);
	hv_period_choices(c, d, period, this_year);
	if (filter_choices(c, conn, x, f, d) < 0 || quarter_charts(c, conn, x, atoi(period), f, d, &fg.updated) < 0)
		return HV_EUNAVAIL;
	hv_set_bool(d, hv_arena_printf(c->arena, "sort%d", sk), true); /* the column in use */
	struct hv_val *inds = hv_set(d, "target_indicators", hv_list(c->arena));
	for (int i = 0; hv_headline[i]; i++) {
		struct hv_val *o = hv_push(inds, hv_obj(c->arena));
		hv_set_str(o, "code", hv_headline[i]);
		hv_set_str(o, "name", hv_t(c->lang, hv_arena_printf(c->arena, "ind.%s", hv_headline[i])));
	}
	struct hv_val *cards = hv_set(d, "cards", hv_list(c->arena));
	int which[HV_H_COUNT], ncards = 0;
	struct hv_val *objs[HV_H_COUNT];
	for (int i = 0; i < HV_H_COUNT; i++) {
		char key[64];
		snprintf(key, sizeof key, "ind.%s", hv_headline[i]);
		if (f->dim[0] && !broken_down(i))
			continue; /* no breakdown by group or organisation */
		/* Targets are per unit; with a filter the organisation's own target applies. */
		int64_t t = !f->dim[0] ? fg.targets[i] : f->org ? fg.org_targets[i] : -1;
		objs[ncards] = hv_push(cards, card(c, hv_t(c->lang, key), fg.total.v[i], t));
		which[ncards++] = i;
	}
	if (card_context(c, conn, x, f, period, objs, fg.total.v, which, ncards, &fg.updated) < 0)
		return HV_EUNAVAIL;
	char pct[16];
	pct_text(pct, sizeof pct, fg.total.pct);
	hv_set_bool(d, "has_population", fg.total.adults > 0);
	hv_set_str(d, "adults_pct", pct);
	hv_set_int(d, "adults", fg.total.adults);
	if (!f->dim[0] && hv_dash_quality(c, conn, x, period, fg.rows, x->nchildren, c->app->cfg->quality_factor, d) < 0)
		return HV_EUNAVAIL;
	struct hv_val *list = hv_set(d, "rows", hv_list(c->arena));
	hv_show_more(c, d, hv_arena_printf(c->arena, "/bang-dieu-khien/%s?ky=%s%s%s", x->code, period, filter_query(c, f),
	                                   sk ? hv_arena_printf(c->arena, "&sap-xep=%s", sort_keys[sk]) : ""),
	             show, x->nchildren);
	for (size_t k = 0; k < x->nchildren && k < show; k++) {
		const struct hv_unit_figures *r = &fg.rows[k];
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		if (r->rank > 0)
			hv_set_int(o, "rank", r->rank);
		hv_set_str(o, "code", r->unit->code);
		hv_set_str(o, "name", r->unit->name);
		hv_set_bool(o, "link", true); /* every commune too: its own dashboard */
		hv_set_int(o, "certified", r->v[HV_H_CERTIFIED]);
		pct_text(pct, sizeof pct, r->pct);
		hv_set_str(o, "pct", pct);
		hv_set_int(o, "assists", r->v[HV_H_ASSISTS]);
		hv_set_int(o, "learners", r->v[HV_H_LEARNERS]);
		hv_set_int(o, "helped", r->v[HV_H_HELPED]);
	}
	if (x->nchildren) { /* the unit's own records, in no unit below: the rows add up to the total */
		const struct hv_unit_figures *r = &fg.rows[x->nchildren];
		struct hv_val *o = hv_set(d, "unassigned", hv_obj(c->arena));
		hv_set_int(o, "certified", r->v[HV_H_CERTIFIED]);
		hv_set_int(o, "assists", r->v[HV_H_ASSISTS]);
		hv_set_int(o, "learners", r->v[HV_H_LEARNERS]);
		hv_set_int(o, "helped", r->v[HV_H_HELPED]);
	}
	/* The adults: the sum of the units below, and the unit's own import beside it. */
	hv_set_bool(d, "adults_summed", fg.total.adults_summed);
	if (fg.total.adults_own >= 0 && fg.total.adults_summed) {
		hv_set_int(d, "adults_own", fg.total.adults_own);
		hv_set_int(d, "adults_diff", fg.total.adults_own - fg.total.adults);
		hv_set_bool(d, "adults_differ", fg.total.adults_own != fg.total.adults);
	}
	hv_set_updated(d, fg.updated);
	static const char *const names[HV_FRAGMENT_PARTS] = {"dashboard_figures", "dashboard_table", "dashboard_target_fields",
	                                                     "dashboard_filters"};
	char err[256];
	for (int i = 0; i < HV_FRAGMENT_PARTS; i++) {
		if (hv_render(names[i], d, c->lang, &parts[i], err, sizeof err) < 0) {
			hv_error("template: %s", err);
			return HV_EINTERNAL;
		}
	}
	return HV_OK;
}

int hv_page_dashboard(struct hv_ctx *c)
{
	c->no_store = true;
	if (!c->params[0])
		return redirect_to_own_unit(c);
	struct hv_units *u = hv_ctx_units(c);
	const struct hv_unit *x = hv_units_get(u, c->params[0]);
	if (!x || x->retired)
		return hv_measure_bad_unit(c, c->params[0], "unit");
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
	const char *sort = hv_query(c, "sap-xep");
	int sk = 0;
	while (sort && sort_keys[sk] && strcmp(sort_keys[sk], sort) != 0)
		sk++;
	if (sort && !sort_keys[sk])
		return hv_fail(c, HV_EINVAL, "sap-xep", hv_t(c->lang, "dash.bad_sort"));
	size_t show;
	if (!hv_show_count(c, &show))
		return HV_OK;
	struct hv_conn *conn = hv_store_reader(c->app->store);
	struct filter f;
	if (!read_filter(c, conn, period, &f))
		return HV_OK;
	if (format) {
		struct figures fg;
		if (load_figures(c, conn, x, &f, period, sk, &fg) < 0 || send_csv(c, conn, &fg, x->nchildren, period) < 0) {
			hv_buf_reset(&c->body);
			return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
		}
		return HV_OK;
	}

	/* The figures' parts from memory while the unit's figure versions are
	 * those they were made under; the versions are read before the
	 * figures, so a change meanwhile only makes the new entry old. */
	struct hv_part part[HV_FRAGMENT_PARTS];
	const char *key = hv_arena_printf(c->arena, "dash|%s|%s|%d|%zu|%s|%s", x->code, f.agg_period, sk, show, y, c->lang);
	uint64_t generation = hv_generation();
	int64_t version[2];
	bool versioned = c->app->cfg->dashboard_cache && hv_figures_version(conn, x->code, version) == HV_OK;
	if (!versioned || !hv_fragments_get(key, version, c->arena, part)) {
		struct hv_buf parts[HV_FRAGMENT_PARTS];
		for (int i = 0; i < HV_FRAGMENT_PARTS; i++)
			hv_buf_init(&parts[i]);
		int rc = render_parts(c, conn, x, &f, period, atoi(y), sk, show, parts);
		if (rc == HV_OK && versioned)
			hv_fragments_put(key, version, generation, parts, c->arena, part);
		else
			hv_fragments_text(parts, c->arena, part);
		for (int i = 0; i < HV_FRAGMENT_PARTS; i++)
			hv_buf_free(&parts[i]);
		if (rc != HV_OK) /* a failed read: an error page, nothing kept */
			return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	}

	/* What depends on the viewer: the way up, the target form. */
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "unit", x->name);
	hv_set_str(d, "unit_code", x->code);
	hv_set_str(d, "period", period);
	hv_set_str(d, "filter_query", filter_query(c, &f));
	hv_measure_crumbs(c, d, x, "/bang-dieu-khien/", period, filter_query(c, &f));
	hv_set_str(d, "picker_to", "bang-dieu-khien");
	hv_set_str(d, "picker_name", "");
	hv_set_bool(d, "filtered", f.dim[0] != '\0');
	/* The shared parts go in when the answer is sent (views/splice.c). */
	hv_set(d, "figures", hv_str(c->arena, hv_splice_mark(c, &part[0])));
	hv_set(d, "table", hv_str(c->arena, hv_splice_mark(c, &part[1])));
	hv_set(d, "filters", hv_str(c->arena, hv_splice_mark(c, &part[3])));
	if (hv_can(c->who, TARGET_ROLES, x)) {
		hv_set_bool(d, "can_set_target", true);
		hv_set(d, "target_fields", hv_str(c->arena, hv_splice_mark(c, &part[2])));
	}
	if (hv_query(c, "da-luu"))
		hv_set_str(d, "notice", hv_t(c->lang, "dash.target_saved"));
	return hv_page(c, "dashboard", hv_t(c->lang, "dash.title"), d);
}

/* POST /bang-dieu-khien/CODE/chi-tieu: a target for the unit, or for one
 * organisation's work in it (org), from the dashboard's form; back to the
 * dashboard (filtered by that organisation, so its progress shows). */
int hv_post_dashboard_target(struct hv_ctx *c)
{
	const char *indicator = hv_form(c, "indicator"), *period = hv_form(c, "period"), *value = hv_form(c, "value");
	const char *org_s = hv_form(c, "org");
	int64_t v, org = 0;
	if (!value || hv_parse_i64(value, 0, 1000000000, &v) < 0)
		return hv_fail(c, HV_EINVAL, "value", hv_t(c->lang, "dash.bad_target_value"));
	if (org_s && *org_s && hv_parse_i64(org_s, 0, INT64_MAX, &org) < 0)
		return hv_fail(c, HV_EINVAL, "org", hv_t(c->lang, "dash.bad_target_org"));
	struct hv_error e = {0};
	if (hv_target_set(c->app->store, c->who, c->params[0], org, indicator, period, v, c->ip, &e) < 0) {
		const char *msg = e.code == HV_EFORBIDDEN ? "dash.forbidden"
		                  : !strcmp(e.field, "indicator") ? "dash.bad_target_indicator"
		                  : !strcmp(e.field, "period") ? "public.bad_period"
		                  : !strcmp(e.field, "organisation") ? "dash.bad_target_org"
		                  : !strcmp(e.field, "unit") ? "units.unknown" : "error.retry";
		return hv_fail(c, e.code, e.field, hv_t(c->lang, msg));
	}
	hv_redirect(c, org ? hv_arena_printf(c->arena, "/bang-dieu-khien/%s?ky=%s&to-chuc=%lld&da-luu=1", c->params[0], period, (long long)org)
	                   : hv_arena_printf(c->arena, "/bang-dieu-khien/%s?ky=%s&da-luu=1", c->params[0], period));
	return HV_OK;
}
