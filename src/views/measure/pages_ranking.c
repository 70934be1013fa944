/* pages_ranking.c: the emulation ranking (/thi-dua/CODE?ky=PERIOD and
 * GET /api/v1/units/CODE/ranking?period=), its formula page for admins
 * (/quan-tri/thi-dua), and the quarterly review report downloads of the
 * dashboard (/bang-dieu-khien/CODE/bao-cao.csv|xlsx|pdf?ky=).  Everything
 * is scoped like the dashboard: admins, managers, coordinators and viewers
 * whose roles reach the unit. */
#include "views/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/num.h"
#include "domain/measure/measure.h"
#include "domain/measure/ranking.h"
#include "domain/measure/report.h"
#include "domain/places/units.h"
#include "views/measure/measure_nav.h"
#include "views/tmpl.h"
#include "domain/people/roles.h"

/* English for the API, the page's language otherwise. */
static const char *say(struct hv_ctx *c, const char *key, const char *en)
{
	return hv_is_api(c) ? en : hv_t(c->lang, key);
}

int hv_measure_bad_unit(struct hv_ctx *c, const char *code, const char *field)
{
	size_t n = code ? strlen(code) : 0;
	bool wellformed = code && (!strcmp(code, "VN") || ((n == 2 || n == 5) && strspn(code, "0123456789") == n));
	if (!wellformed)
		return hv_fail(c, HV_EINVAL, field, say(c, "figures.bad_unit", "the unit is VN, a province code (2 digits) or a commune code (5 digits)"));
	return hv_fail(c, HV_ENOTFOUND, field, say(c, "units.unknown", "unknown unit code"));
}

const struct hv_unit *hv_measure_scope(struct hv_ctx *c, const char *period_key, const char **period)
{
	c->no_store = true;
	const struct hv_unit *x = hv_units_get(hv_ctx_units(c), c->params[0]);
	if (!x || x->retired) {
		hv_measure_bad_unit(c, c->params[0], "code");
		return NULL;
	}
	if (!hv_can(c->who, HV_ROLES_SEE_FIGURES, x)) {
		hv_fail(c, HV_EFORBIDDEN, "code", say(c, "dash.forbidden", "this unit is outside your roles"));
		return NULL;
	}
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	const char *p = hv_query(c, period_key);
	*period = p ? p : hv_arena_strdup(c->arena, q);
	if (!hv_period_valid(*period)) {
		hv_fail(c, HV_EINVAL, period_key, say(c, "public.bad_period", "period is a year (2026) or a quarter (2026Q4)"));
		return NULL;
	}
	return x;
}

static const char *pct_text(struct hv_ctx *c, double pct)
{
	return pct < 0 ? "–" : hv_arena_printf(c->arena, "%.1f", pct);
}

/* The catalogue's name of an indicator in the page's language, or the
 * Vietnamese name of the indicator list. */
static const char *indicator_label(struct hv_ctx *c, const char *code)
{
	char key[64];
	snprintf(key, sizeof key, "ind.%s", code);
	if (hv_t_exists(key))
		return hv_t(c->lang, key);
	for (int i = 0; hv_indicators[i].code; i++)
		if (!strcmp(hv_indicators[i].code, code))
			return hv_indicators[i].name_vi;
	return code;
}

/* ---- the page ---- */

/* The entries ranked (scored) or those without a target (listed apart),
 * the first max of them; *total counts them all. */
static struct hv_val *page_rows(struct hv_ctx *c, const struct hv_weights *w, const struct hv_rank_entry *e, size_t n, bool units,
                                bool scored, size_t max, size_t *total)
{
	struct hv_val *list = hv_list(c->arena);
	bool any = false;
	*total = 0;
	for (size_t k = 0; k < n; k++) {
		if ((e[k].score >= 0) != scored)
			continue;
		if ((*total)++ >= max)
			continue;
		any = true;
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		hv_set_int(o, "rank", e[k].rank);
		hv_set_str(o, "code", e[k].key);
		hv_set_str(o, "name", e[k].name);
		hv_set_bool(o, "link", units);
		hv_set_bool(o, "scored", e[k].score >= 0);
		hv_set_str(o, "score", pct_text(c, e[k].score));
		struct hv_val *cells = hv_set(o, "cells", hv_list(c->arena));
		for (int i = 0; i < w->n; i++) {
			struct hv_val *cell = hv_push(cells, hv_obj(c->arena));
			hv_set_str(cell, "name", indicator_label(c, w->code[i]));
			hv_set_str(cell, "pct", pct_text(c, hv_rank_attainment(&e[k], i)));
			hv_set_int(cell, "value", e[k].value[i]);
			hv_set_bool(cell, "has_target", e[k].target[i] > 0);
			hv_set_int(cell, "target", e[k].target[i]);
		}
	}
	return any ? list : NULL;
}

int hv_page_ranking(struct hv_ctx *c)
{
	const char *period;
	const struct hv_unit *x = hv_measure_scope(c, "ky", &period);
	if (!x)
		return HV_OK;
	size_t show;
	if (!hv_show_count(c, &show))
		return HV_OK;
	struct hv_ranking r;
	if (hv_ranking_compute(hv_store_reader(c->app->store), x, period, &r) < 0) {
		hv_ranking_free(&r);
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.title"));
	}
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "unit", x->name);
	hv_set_str(d, "unit_code", x->code);
	hv_set_str(d, "period", period);
	hv_measure_crumbs(c, d, x, "/thi-dua/", period, NULL);
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	hv_period_choices(c, d, period, atoi(y));
	char words[2048];
	hv_weights_words(&r.w, c->lang, words, sizeof words);
	hv_set_str(d, "formula", words);
	hv_set_bool(d, "can_edit", hv_can(c->who, HV_ROLE_ADMIN, hv_units_root(hv_ctx_units(c))));
	/* Each list shows its first rows, "Xem thêm" for more (one count for all). */
	const char *prefix = hv_arena_printf(c->arena, "/thi-dua/%s?ky=%s", x->code, period);
	static const char *const names[4] = {"units", "units_untargeted", "orgs", "orgs_untargeted"};
	for (int i = 0; i < 4; i++) {
		bool units = i < 2, scored = i % 2 == 0;
		size_t total;
		struct hv_val *v = page_rows(c, &r.w, units ? r.units : r.orgs, units ? r.nunits : r.norgs, units && x->depth < 2, scored,
		                             show, &total);
		if (!v)
			continue;
		struct hv_val *m = hv_obj(c->arena);
		hv_show_more(c, m, prefix, show, total);
		hv_set(m, "rows", v);
		hv_set(d, names[i], m);
	}
	hv_set_bool(d, "any_units", r.nunits > 0);
	hv_set_bool(d, "any_orgs", r.norgs > 0);
	hv_set_updated(d, r.updated);
	hv_ranking_free(&r);
	return hv_page(c, "ranking", hv_t(c->lang, "rank.title"), d);
}

/* ---- JSON ---- */

static json_t *api_rows(const struct hv_weights *w, const struct hv_rank_entry *e, size_t n, bool units)
{
	json_t *a = json_array();
	for (size_t k = 0; k < n; k++) {
		json_t *o = units ? json_pack("{s:s}", "code", e[k].key) : json_pack("{s:I}", "id", (json_int_t)e[k].org_id);
		json_object_set_new(o, "name", json_string(e[k].name));
		json_object_set_new(o, "rank", e[k].rank > 0 ? json_integer(e[k].rank) : json_null());
		json_object_set_new(o, "score", e[k].score < 0 ? json_null() : json_real(e[k].score));
		json_t *ind = json_array();
		for (int i = 0; i < w->n; i++) {
			double at = hv_rank_attainment(&e[k], i);
			json_t *x = json_pack("{s:s, s:I}", "code", w->code[i], "value", (json_int_t)e[k].value[i]);
			json_object_set_new(x, "target", e[k].target[i] >= 0 ? json_integer(e[k].target[i]) : json_null());
			json_object_set_new(x, "attainment", at < 0 ? json_null() : json_real(at));
			json_array_append_new(ind, x);
		}
		json_object_set_new(o, "indicators", ind);
		json_array_append_new(a, o);
	}
	return a;
}

int hv_api_ranking(struct hv_ctx *c)
{
	const char *period;
	const struct hv_unit *x = hv_measure_scope(c, "period", &period);
	if (!x)
		return HV_OK;
	struct hv_ranking r;
	int rc = hv_ranking_compute(hv_store_reader(c->app->store), x, period, &r);
	if (rc < 0) {
		hv_ranking_free(&r);
		return hv_fail(c, HV_EUNAVAIL, NULL, "the database is not answering; try again");
	}
	json_t *weights = json_object();
	for (int i = 0; i < r.w.n; i++)
		json_object_set_new(weights, r.w.code[i], json_integer(r.w.w[i]));
	char words[2048];
	hv_weights_words(&r.w, "en", words, sizeof words);
	json_t *o = json_pack("{s:s, s:s, s:{s:o, s:s}}", "unit", x->code, "period", period, "formula", "weights", weights, "text", words);
	json_object_set_new(o, "units", api_rows(&r.w, r.units, r.nunits, true));
	json_object_set_new(o, "organisations", api_rows(&r.w, r.orgs, r.norgs, false));
	json_object_set_new(o, "updated_at", r.updated ? json_integer(r.updated) : json_null());
	hv_ranking_free(&r);
	return hv_json(c, 200, o);
}

/* ---- the formula (admins) ---- */

static bool require_admin(struct hv_ctx *c)
{
	c->no_store = true;
	if (hv_can(c->who, HV_ROLE_ADMIN, hv_units_root(hv_ctx_units(c))))
		return true;
	hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "rank.admin_only"));
	return false;
}

int hv_page_weights(struct hv_ctx *c)
{
	if (!require_admin(c))
		return HV_OK;
	struct hv_weights w;
	if (hv_weights_get(hv_store_reader(c->app->store), &w) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.title"));
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	char words[2048];
	hv_weights_words(&w, c->lang, words, sizeof words);
	hv_set_str(d, "formula", words);
	hv_set_bool(d, "saved", hv_query(c, "da-luu") != NULL);
	struct hv_val *list = hv_set(d, "weights", hv_list(c->arena));
	for (int i = 0; hv_indicators[i].code; i++) {
		int64_t v = 0;
		for (int k = 0; k < w.n; k++)
			if (!strcmp(w.code[k], hv_indicators[i].code))
				v = w.w[k];
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		hv_set_str(o, "code", hv_indicators[i].code);
		hv_set_str(o, "name", indicator_label(c, hv_indicators[i].code));
		hv_set_int(o, "weight", v);
	}
	return hv_page(c, "weights", hv_t(c->lang, "rank.weights_title"), d);
}

int hv_post_weights(struct hv_ctx *c)
{
	if (!require_admin(c))
		return HV_OK;
	int64_t weights[HV_RANK_MAX_IND] = {0};
	struct hv_error e = {0};
	for (int i = 0; hv_indicators[i].code && i < HV_RANK_MAX_IND; i++) {
		const char *v = hv_form(c, hv_indicators[i].code);
		if (v && *v && hv_parse_i64(v, 0, HV_RANK_MAX_WEIGHT, &weights[i]) < 0) {
			hv_err_set(&e, HV_EINVAL, hv_indicators[i].code, "%s", hv_t(c->lang, "rank.bad_weight"));
			return hv_fail_err(c, &e);
		}
	}
	if (hv_weights_set(c->app->store, c->who, weights, c->ip, &e) < 0)
		return hv_fail_err(c, &e);
	hv_redirect(c, "/quan-tri/thi-dua?da-luu=1");
	return HV_OK;
}

/* ---- report downloads ---- */


static int report(struct hv_ctx *c, const char *format)
{
	/* A report names its unit and period: an unknown or retired unit is a
	 * bad request naming the parameter (400), like a bad period. */
	const struct hv_unit *u = hv_units_get(hv_ctx_units(c), c->params[0]);
	if (!u || u->retired) {
		c->no_store = true;
		return hv_fail(c, HV_EINVAL, "code", hv_t(c->lang, "report.bad_unit"));
	}
	const char *period;
	const struct hv_unit *x = hv_measure_scope(c, "ky", &period);
	if (!x)
		return HV_OK;
	/* Its honours name the people honoured. */
	if (!hv_audit_read(c, "report.export", hv_arena_printf(c->arena, "report.%s", format), x->code, period))
		return HV_OK;
	struct hv_report r;
	struct hv_error e = {0};
	/* A report of an ended period is served as first issued (a filed
	 * report does not change when a record is deleted later). */
	bool ended = hv_period_ended(period, (int64_t)time(NULL));
	int64_t issued = 0;
	hv_buf_reset(&c->body);
	int rc = ended ? hv_report_snapshot_get(hv_store_reader(c->app->store), x->code, period, format, c->lang, &c->body, &issued)
	               : HV_ENOTFOUND;
	if (rc == HV_EUNAVAIL)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	if (rc == HV_ENOTFOUND) {
		if (hv_report_build(hv_store_reader(c->app->store), x, period, c->lang, &r, &e) < 0)
			return hv_fail_err(c, &e);
		rc = hv_report_render(&r, format, &c->body, &e);
		hv_report_free(&r);
		if (rc == HV_OK && ended)
			rc = hv_report_snapshot_put(c->app->store, x->code, period, format, c->lang, &c->body, &e);
		if (rc < 0) {
			hv_buf_reset(&c->body);
			return hv_fail_err(c, &e);
		}
	}
	c->resp_type = hv_report_mime(format);
	c->filename = hv_report_filename(c->arena, x->code, period, format);
	c->status = 200;
	return HV_OK;
}

int hv_report_csv_page(struct hv_ctx *c)
{
	return report(c, "csv");
}

int hv_report_xlsx_page(struct hv_ctx *c)
{
	return report(c, "xlsx");
}

int hv_report_pdf_page(struct hv_ctx *c)
{
	return report(c, "pdf");
}
