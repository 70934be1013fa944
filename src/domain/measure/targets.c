/* targets.c: population denominators (CSV import, validated, all or
 * nothing) and targets per unit, organisation, indicator and period, set
 * by those whose roles reach the unit, with every change kept. */
#include "domain/measure/targets.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/num.h"
#include "core/utf8.h"
#include "domain/measure/measure.h"
#include "domain/help/teams.h"
#include "domain/internal.h"
#include "domain/places/units.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"

bool hv_indicator_known(const char *code)
{
	return hv_indicator_find(code) != NULL;
}

struct target_job {
	const char *unit, *indicator, *period;
	int64_t org, value, actor;
	const char *ip;
};

static int target_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct target_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st = hv_sql(c, "SELECT value FROM targets WHERE unit_code = $1 AND org_id = $2 AND indicator = $3 AND period = $4");
	hv_bind_text(st, 1, j->unit);
	hv_bind_i64(st, 2, j->org);
	hv_bind_text(st, 3, j->indicator);
	hv_bind_text(st, 4, j->period);
	int rc = hv_step(st);
	bool had = rc == 1;
	int64_t old = had ? hv_col_i64(st, 0) : 0;
	hv_stmt_done(st);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	st = hv_sql(c, "INSERT INTO targets (unit_code, org_id, indicator, period, value, set_by, set_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
	               "ON CONFLICT (unit_code, org_id, indicator, period) DO UPDATE SET value = excluded.value, set_by = excluded.set_by, "
	               "set_at = excluded.set_at");
	hv_bind_text(st, 1, j->unit);
	hv_bind_i64(st, 2, j->org);
	hv_bind_text(st, 3, j->indicator);
	hv_bind_text(st, 4, j->period);
	hv_bind_i64(st, 5, j->value);
	hv_bind_i64(st, 6, j->actor);
	hv_bind_i64(st, 7, now);
	rc = hv_step(st);
	hv_stmt_done(st);
	if (rc >= 0) {
		st = hv_sql(c, "INSERT INTO target_history (unit_code, org_id, indicator, period, old_value, new_value, set_by, set_at) "
		               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
		hv_bind_text(st, 1, j->unit);
		hv_bind_i64(st, 2, j->org);
		hv_bind_text(st, 3, j->indicator);
		hv_bind_text(st, 4, j->period);
		if (had)
			hv_bind_i64(st, 5, old);
		else
			hv_bind_null(st, 5);
		hv_bind_i64(st, 6, j->value);
		hv_bind_i64(st, 7, j->actor);
		hv_bind_i64(st, 8, now);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	char detail[120];
	snprintf(detail, sizeof detail, "%s %s = %lld", j->indicator, j->period, (long long)j->value);
	/* The units above show whether this one has a target (the dashboard's
	 * data-quality panel): their figures move too. */
	const char *chain[4];
	char own[HV_UNASSIGNED_MAX];
	int nchain = rc < 0 ? 0 : hv_agg_chain(j->unit, chain, own);
	for (int k = 1; k < nchain && rc >= 0; k++)
		if (chain[k][0] != '~')   /* not the "not assigned" share */
			rc = hv_figures_touch(c, chain[k]);
	if (rc < 0 || hv_figures_touch(c, j->unit) < 0 || hv_audit(c, j->actor, "target.set", j->unit, j->unit, detail, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

/* An organisation's target at x: the organisation exists and is
 * registered at x or a unit above it (its work rolls up there), and the
 * caller is an admin or manager reaching x, or a coordinator of that very
 * organisation whose role reaches x. */
static int org_target_allowed(struct hv_conn *c, const struct hv_principal *who, const struct hv_units *u, const struct hv_unit *x,
                              int64_t org, struct hv_error *e)
{
	struct hv_org o;
	int rc = hv_org_get(c, org, &o);
	if (rc == HV_ENOTFOUND || (rc == HV_OK && !hv_unit_within(x, hv_units_get(u, o.unit))))
		return hv_err_set(e, HV_EINVAL, "organisation", "no such organisation at this unit or above it");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không đọc được dữ liệu, vui lòng thử lại.");
	if (hv_can(who, HV_ROLE_ADMIN | HV_ROLE_MANAGER, x) || hv_coordinates(who, org, x))
		return HV_OK;
	return hv_err_set(e, HV_EFORBIDDEN, "organisation", "you coordinate another organisation");
}

int hv_target_set(struct hv_store *s, const struct hv_principal *who, const char *unit, int64_t org, const char *indicator,
                  const char *period, int64_t value, const char *ip, struct hv_error *e)
{
	if (!indicator || !hv_indicator_known(indicator))
		return hv_err_set(e, HV_EINVAL, "indicator", "unknown indicator code");
	if (!period || !hv_period_valid(period))
		return hv_err_set(e, HV_EINVAL, "period", "period is a year (2026) or a quarter (2026Q4)");
	if (value < 0 || value > 1000000000)
		return hv_err_set(e, HV_EINVAL, "value", "the target is a whole number from 0 to 1,000,000,000");
	if (org < 0)
		return hv_err_set(e, HV_EINVAL, "organisation", "unknown organisation");
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = unit ? hv_units_get(u, unit) : NULL;
	int rc = HV_OK;
	if (!x || x->retired)
		rc = hv_err_set(e, HV_EINVAL, "unit", "unknown unit code");
	else if (!hv_can(who, HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR, x))
		rc = hv_err_set(e, HV_EFORBIDDEN, "unit", "this unit is outside your roles");
	else if (org > 0)
		rc = org_target_allowed(hv_store_conn(s), who, u, x, org, e);
	struct target_job j = {.unit = x ? x->code : NULL, .indicator = indicator, .period = period, .org = org, .value = value,
	                       .actor = who->acct.id, .ip = ip};
	if (rc == HV_OK)
		rc = hv_store_write(s, target_fn, &j, e);
	hv_units_release(u);
	return rc;
}

int hv_target_get(struct hv_conn *c, const char *unit, int64_t org, const char *indicator, const char *period, int64_t *value)
{
	struct hv_stmt *st = hv_sql(c, "SELECT value FROM targets WHERE unit_code = $1 AND org_id = $2 AND indicator = $3 AND period = $4");
	hv_bind_text(st, 1, unit);
	hv_bind_i64(st, 2, org);
	hv_bind_text(st, 3, indicator);
	hv_bind_text(st, 4, period);
	int rc = hv_step(st);
	if (rc == 1)
		*value = hv_col_i64(st, 0);
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

int hv_population_children(struct hv_conn *c, const char *parent, int year, hv_population_cb cb, void *arg)
{
	bool nation = strcmp(parent, "VN") == 0;
	struct hv_stmt *st =
		nation ? hv_sql(c, "SELECT p.unit_code, p.adults FROM population p JOIN units u ON u.code = p.unit_code "
		                   "WHERE u.level = 'province' AND p.year <= $1 ORDER BY p.unit_code, p.year DESC")
		       : hv_sql(c, "SELECT p.unit_code, p.adults FROM population p JOIN units u ON u.code = p.unit_code "
		                   "WHERE u.parent_code = $2 AND p.year <= $1 ORDER BY p.unit_code, p.year DESC");
	hv_bind_i64(st, 1, year);
	if (!nation)
		hv_bind_text(st, 2, parent);
	char last[16] = "";
	int rc;
	while ((rc = hv_step(st)) == 1) {
		const char *unit = hv_col_text(st, 0);
		if (strcmp(unit, last) == 0)
			continue;   /* an older year of the same unit */
		snprintf(last, sizeof last, "%s", unit);
		cb(unit, hv_col_i64(st, 1), arg);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_targets_children(struct hv_conn *c, const char *parent, const char *const periods[], hv_unit_cb cb, void *arg)
{
	bool nation = strcmp(parent, "VN") == 0;
	struct hv_stmt *st =
		nation ? hv_sql(c, "SELECT DISTINCT t.unit_code FROM targets t JOIN units u ON u.code = t.unit_code "
		                   "WHERE u.level = 'province' AND t.org_id = 0 AND t.value > 0 AND t.period IN ($1, $2)")
		       : hv_sql(c, "SELECT DISTINCT t.unit_code FROM targets t JOIN units u ON u.code = t.unit_code "
		                   "WHERE u.parent_code = $3 AND t.org_id = 0 AND t.value > 0 AND t.period IN ($1, $2)");
	hv_bind_text(st, 1, periods[0]);
	hv_bind_text(st, 2, periods[1] ? periods[1] : periods[0]);
	if (!nation)
		hv_bind_text(st, 3, parent);
	int rc;
	while ((rc = hv_step(st)) == 1)
		cb(hv_col_text(st, 0), arg);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_population(struct hv_conn *c, const char *unit, int year, int64_t *adults, int64_t *civil, int64_t *pupils)
{
	struct hv_stmt *st = hv_sql(c, "SELECT adults, civil_servants, pupils FROM population WHERE unit_code = $1 AND year <= $2 "
	                               "ORDER BY year DESC LIMIT 1");
	hv_bind_text(st, 1, unit);
	hv_bind_i64(st, 2, year);
	int rc = hv_step(st);
	if (rc == 1) {
		*adults = hv_col_i64(st, 0);
		*civil = hv_col_i64(st, 1);
		*pupils = hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

/* ---- population CSV ---- */

struct prow {
	char unit[8];
	int64_t adults, civil, pupils, year;
	int line;
};

struct pparse {
	struct prow *rows;
	size_t n, cap;
	char *f[6];
	int nf, line;
	bool bad, oom; /* oom: memory ran out; the import is refused, nothing written */
};

static void pfield(void *s, size_t len, void *data)
{
	struct pparse *p = data;
	if (p->nf >= 6 || len > 64) {
		p->bad = true;
		return;
	}
	if (p->oom || !(p->f[p->nf] = malloc(len + 1))) {
		p->oom = true;
		return;
	}
	memcpy(p->f[p->nf], s, len);
	p->f[p->nf][len] = '\0';
	p->nf++;
}

static void prow_end(int ch, void *data)
{
	(void)ch;
	struct pparse *p = data;
	p->line++;
	if (!p->oom && p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		struct prow *rows = realloc(p->rows, cap * sizeof *rows);
		if (rows) {
			p->rows = rows;
			p->cap = cap;
		} else {
			p->oom = true;
		}
	}
	if (p->oom) {
		for (int i = 0; i < p->nf; i++)
			free(p->f[i]);
		p->nf = 0;
		return;
	}
	struct prow *r = &p->rows[p->n];
	memset(r, 0, sizeof *r);
	r->line = p->line;
	r->adults = -1;
	if (p->nf == 5 && p->line > 1 && strlen(p->f[0]) < sizeof r->unit) {
		snprintf(r->unit, sizeof r->unit, "%s", p->f[0]);
		if (hv_parse_i64(p->f[1], 0, 100000000, &r->adults) < 0 || hv_parse_i64(p->f[2], 0, 100000000, &r->civil) < 0 ||
		    hv_parse_i64(p->f[3], 0, 100000000, &r->pupils) < 0 || hv_parse_i64(p->f[4], 2000, 2100, &r->year) < 0)
			r->adults = -2;
	} else if (p->line == 1) {
		r->adults = (p->nf == 5 && !strcmp(p->f[0], "unit_code") && !strcmp(p->f[1], "adults") && !strcmp(p->f[2], "civil_servants") &&
		             !strcmp(p->f[3], "pupils") && !strcmp(p->f[4], "year")) ? 0 : -3;
	}
	p->n++;
	for (int i = 0; i < p->nf; i++)
		free(p->f[i]);
	p->nf = 0;
}

struct pop_job {
	struct prow *rows;
	size_t n;
	const char *src;
	const struct hv_importer *by;
};

static int pop_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct pop_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 1; i < j->n; i++) {
		struct hv_stmt *st = hv_sql(c, "INSERT INTO population (unit_code, year, adults, civil_servants, pupils, imported_at) "
		                               "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_code, year) DO UPDATE SET adults = excluded.adults, "
		                               "civil_servants = excluded.civil_servants, pupils = excluded.pupils, imported_at = excluded.imported_at");
		hv_bind_text(st, 1, j->rows[i].unit);
		hv_bind_i64(st, 2, j->rows[i].year);
		hv_bind_i64(st, 3, j->rows[i].adults);
		hv_bind_i64(st, 4, j->rows[i].civil);
		hv_bind_i64(st, 5, j->rows[i].pupils);
		hv_bind_i64(st, 6, now);
		int rc = hv_step(st);
		hv_stmt_done(st);
		if (rc < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot save the population: %s", hv_conn_error(c));
	}
	if (hv_figures_touch_all(c) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot save the population: %s", hv_conn_error(c));
	if (hv_audit_import(c, j->by, "population", j->src, j->n - 1) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot write the audit log: %s", hv_conn_error(c));
	return HV_OK;
}

int hv_population_import(struct hv_store *s, const char *data, size_t len, const char *src, const struct hv_importer *by, int *rows,
                         struct hv_error *e)
{
	struct pparse p = {0};
	struct csv_parser cp;
	csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL);
	bool vi = HV_IMPORTER_VI(by);
	unsigned char delim;
	size_t at = hv_csv_start(data, len, &delim);
	csv_set_delim(&cp, delim);
	int rc = HV_OK;
	if (!hv_utf8_valid(data, len))
		rc = hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s: không phải văn bản UTF-8", "%s: not UTF-8 text"), src);
	else if (csv_parse(&cp, data + at, len - at, pfield, prow_end, &p) != len - at || csv_fini(&cp, pfield, prow_end, &p) != 0)
		rc = hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s:%d: tệp CSV sai cấu trúc", "%s:%d: malformed CSV"), src, p.line + 1);
	csv_free(&cp);
	for (int i = 0; i < p.nf; i++)
		free(p.f[i]);
	struct hv_units *u = hv_units_acquire();
	if (rc == HV_OK && p.oom)
		rc = hv_err_set(e, HV_EUNAVAIL, "file", "%s: không đủ bộ nhớ để đọc tệp; hãy chia tệp nhỏ hơn rồi nhập lại.", src);
	if (rc == HV_OK && (p.n < 2 || p.bad))
		rc = hv_err_set(e, HV_EINVAL, "file", "%s: %s", src,
		                p.bad ? HV_MSG(vi, "có dòng quá nhiều ô hoặc ô quá dài", "a line has too many or too long fields")
		                      : HV_MSG(vi, "không có dòng nào sau dòng tiêu đề", "no rows after the header"));
	if (rc == HV_OK && p.rows[0].adults != 0)
		rc = hv_err_set(e, HV_EINVAL, "file",
		                HV_MSG(vi, "%s:1: dòng tiêu đề phải là unit_code,adults,civil_servants,pupils,year (dấu phẩy hoặc chấm phẩy)",
		                       "%s:1: the header must be unit_code,adults,civil_servants,pupils,year (commas or semicolons)"),
		                src);
	for (size_t i = 1; rc == HV_OK && i < p.n; i++) {
		struct prow *r = &p.rows[i];
		const struct hv_unit *x = hv_units_get(u, r->unit);
		if (r->adults == -1)
			rc = hv_err_set(e, HV_EINVAL, "file",
			                HV_MSG(vi, "%s:%d: cần 5 ô: unit_code,adults,civil_servants,pupils,year", "%s:%d: expected 5 fields: unit_code,adults,civil_servants,pupils,year"),
			                src, r->line);
		else if (r->adults == -2)
			rc = hv_err_set(e, HV_EINVAL, "file",
			                HV_MSG(vi, "%s:%d: adults, civil_servants và pupils là số nguyên; year từ 2000 đến 2100",
			                       "%s:%d: adults, civil_servants and pupils are whole numbers; year is 2000–2100"),
			                src, r->line);
		else if (!x || x->retired || x->depth == 0)
			rc = hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s:%d: không có đơn vị mã '%s'", "%s:%d: unknown unit code '%s'"), src, r->line, r->unit);
		else if (!hv_scope_allows(HV_IMPORTER_SCOPE(by), x))
			rc = hv_err_set(e, HV_EINVAL, "file",
			                HV_MSG(vi, "%s:%d: %s (%s) nằm ngoài các đơn vị vai trò của bạn phụ trách; hãy bỏ dòng này",
			                       "%s:%d: %s (%s) is outside the units your role reaches; remove the line"),
			                src, r->line, x->name, x->code);
		else if (r->civil > r->adults)
			rc = hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s:%d: số công chức nhiều hơn số người lớn", "%s:%d: more civil servants than adults"),
			                src, r->line);
		for (size_t k = 1; rc == HV_OK && k < i; k++)
			if (!strcmp(p.rows[k].unit, r->unit) && p.rows[k].year == r->year)
				rc = hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s:%d: %s %lld đã có ở dòng %d", "%s:%d: %s %lld already on line %d"), src,
				                r->line, r->unit, (long long)r->year, p.rows[k].line);
	}
	hv_units_release(u);
	struct pop_job j = {.rows = p.rows, .n = p.n, .src = src, .by = by};
	if (rc == HV_OK)
		rc = hv_store_write(s, pop_fn, &j, e);
	if (rows)
		*rows = rc == HV_OK ? (int)p.n - 1 : 0;
	free(p.rows);
	return rc;
}

int hv_targets_of(struct hv_conn *c, const char *unit, int64_t org, const char *period, const char *const codes[], int64_t out[])
{
	for (int i = 0; codes[i]; i++)
		out[i] = -1;
	struct hv_stmt *st = hv_sql(c, "SELECT indicator, value FROM targets WHERE unit_code = $1 AND org_id = $2 AND period = $3");
	hv_bind_text(st, 1, unit);
	hv_bind_i64(st, 2, org);
	hv_bind_text(st, 3, period);
	int rc;
	while ((rc = hv_step(st)) == 1)
		for (int i = 0; codes[i]; i++)
			if (!strcmp(codes[i], hv_col_text(st, 0)))
				out[i] = hv_col_i64(st, 1);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}
