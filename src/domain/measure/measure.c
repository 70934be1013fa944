/* measure.c: incremental indicator aggregates and their verification
 * (see measure.h). */
#include "domain/measure/measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "domain/help/outreach.h"
#include "domain/places/units.h"

void hv_periods(int64_t t, char quarter[8], char year[8])
{
	time_t local = (time_t)(t + 7 * 3600);
	struct tm tm;
	gmtime_r(&local, &tm);
	unsigned y = (unsigned)(tm.tm_year + 1900) % 10000u, q = (unsigned)(tm.tm_mon / 3) % 4u + 1u;
	for (int i = 3; i >= 0; i--, y /= 10)
		year[i] = quarter[i] = (char)('0' + y % 10);
	year[4] = '\0';
	quarter[4] = 'Q';
	quarter[5] = (char)('0' + q);
	quarter[6] = '\0';
}

void hv_period_prior(const char *period, char out[8])
{
	int y = atoi(period) % 10000;   /* a valid period: 2000..2100 */
	if (y < 1)
		y = 1;
	if (strlen(period) == 6) {
		int q = period[5] - '0';
		q = q < 1 || q > 4 ? 1 : q;
		snprintf(out, 8, "%04uQ%u", (unsigned)(q > 1 ? y : y - 1) % 10000u, (unsigned)(q > 1 ? q - 1 : 4) % 10u);
	} else {
		snprintf(out, 8, "%04u", (unsigned)(y - 1) % 10000u);
	}
}

void hv_dim_group(char out[HV_DIM_MAX], const char *group)
{
	snprintf(out, HV_DIM_MAX, "@g%s", group);
}

void hv_dim_org(char out[HV_DIM_MAX], int64_t org)
{
	snprintf(out, HV_DIM_MAX, "@o%lld", (long long)org);
}

bool hv_dim_is_group(const char *dim)
{
	return dim[0] == '@' && dim[1] == 'g';
}

int64_t hv_dim_org_of(const char *period)
{
	const char *at = strstr(period, "@o");
	if (!at)
		return 0;
	char *end;
	long long id = strtoll(at + 2, &end, 10);
	return *end || id <= 0 ? 0 : (int64_t)id;
}

void hv_dim_org_like(const char *period, char *out, size_t cap)
{
	snprintf(out, cap, "%s@o%%", period);
}

bool hv_period_valid(const char *p)
{
	size_t n = strlen(p);
	if ((n != 4 && n != 6) || strspn(p, "0123456789") != 4)
		return false;
	int y = atoi(p);
	if (y < 2000 || y > 2100)
		return false;
	return n == 4 || (p[4] == 'Q' && p[5] >= '1' && p[5] <= '4');
}

int hv_agg_values(struct hv_conn *c, const char *unit, const char *period, const char *const codes[], int64_t out[],
                  int64_t *updated)
{
	for (int i = 0; codes[i]; i++)
		out[i] = 0;
	struct hv_stmt *st = hv_sql(c, "SELECT indicator, value, updated_at FROM agg WHERE unit_code = $1 AND period = $2");
	hv_bind_text(st, 1, unit);
	hv_bind_text(st, 2, period);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		for (int i = 0; codes[i]; i++)
			if (!strcmp(codes[i], hv_col_text(st, 0)))
				out[i] = hv_col_i64(st, 1);
		if (hv_col_i64(st, 2) > *updated)
			*updated = hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_agg_quarters(struct hv_conn *c, const char *unit, int year, const char *dim, const char *const codes[],
                    int64_t out[4][8], int64_t *updated)
{
	char p[4][64];
	for (int q = 0; q < 4; q++) {
		snprintf(p[q], sizeof p[q], "%04dQ%d%s", year % 10000, q + 1, dim);
		for (int i = 0; i < 8; i++)
			out[q][i] = 0;
	}
	struct hv_stmt *st = hv_sql(c, "SELECT period, indicator, value, updated_at FROM agg "
	                               "WHERE unit_code = $1 AND period IN ($2, $3, $4, $5)");
	hv_bind_text(st, 1, unit);
	for (int q = 0; q < 4; q++)
		hv_bind_text(st, 2 + q, p[q]);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		const char *period = hv_col_text(st, 0);
		int q = period[5] - '1';
		if (q < 0 || q > 3)
			continue;
		for (int i = 0; i < 8 && codes[i]; i++)
			if (!strcmp(codes[i], hv_col_text(st, 1)))
				out[q][i] = hv_col_i64(st, 2);
		if (hv_col_i64(st, 3) > *updated)
			*updated = hv_col_i64(st, 3);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_agg_children(struct hv_conn *c, const char *parent, const char *period, const char *const codes[], hv_agg_cb cb,
                    void *arg)
{
	/* agg_child keeps every counter again under its unit's parent (the
	 * provinces under "VN"): the units below are one range of rows.  With
	 * codes, only those indicators (up to 8). */
	struct hv_stmt *st =
		codes ? hv_sql(c, "SELECT unit_code, indicator, value, updated_at FROM agg_child WHERE parent_code = $1 AND period = $2 "
		                  "AND indicator IN ($3, $4, $5, $6, $7, $8, $9, $10)")
		      : hv_sql(c, "SELECT unit_code, indicator, value, updated_at FROM agg_child WHERE parent_code = $1 AND period = $2");
	hv_bind_text(st, 1, parent);
	hv_bind_text(st, 2, period);
	for (int i = 0, end = 0; codes && i < 8; i++) {
		end = end || !codes[i]; /* never reads past the NULL */
		hv_bind_text(st, 3 + i, end ? "" : codes[i]);
	}
	int rc;
	while ((rc = hv_step(st)) == 1)
		cb(hv_col_text(st, 0), hv_col_text(st, 1), hv_col_i64(st, 2), hv_col_i64(st, 3), arg);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

/* ---- verification: recompute from the records ---- */

struct expect {
	struct hv_strmap values, seen;
};

static void add_dim(struct expect *x, const char *unit, int64_t at, const char *dim, const char *indicator, int64_t delta,
                    const char *item)
{
	char periods[2][8];
	hv_periods(at, periods[0], periods[1]);
	const char *units[4];
	char own[HV_UNASSIGNED_MAX];
	struct hv_units *hold = hv_units_acquire();
	int n = hv_agg_chain(unit, units, own);
	for (int i = 0; i < n; i++) {
		for (int p = 0; p < 2; p++) {
			char key[160];
			if (item) {
				snprintf(key, sizeof key, "%s|%s%s|%s|%s", units[i], periods[p], dim, indicator, item);
				struct hv_strmap_slot *s = hv_strmap_find(&x->seen, key, true);
				if (s->value++)
					continue;
			}
			snprintf(key, sizeof key, "%s|%s%s|%s", units[i], periods[p], dim, indicator);
			hv_strmap_find(&x->values, key, true)->value += delta;
		}
	}
	hv_units_release(hold);
}

static void add(struct expect *x, const char *unit, int64_t at, const char *indicator, int64_t delta, const char *item)
{
	add_dim(x, unit, at, "", indicator, delta, item);
}

static int expect_sink(void *x, const char *unit, int64_t at, const char *dim, const char *indicator, const char *item,
                       int64_t delta)
{
	add_dim(x, unit, at, dim, indicator, delta, item);
	return 0;
}

/* As hv_learner_count does it. */
static void learner_add(struct expect *x, const char *unit, int64_t at, const char *group, const char *indicator)
{
	add_dim(x, unit, at, "", indicator, 1, NULL);
	if (group && *group) {
		char dim[HV_DIM_MAX];
		hv_dim_group(dim, group);
		add_dim(x, unit, at, dim, indicator, 1, NULL);
	}
}

/* People certified: a person counts in the quarter and the year of their
 * first completion in it, in the unit of that completion (as learning.c
 * decides when the completion is recorded, and cert_counts.c when its
 * certificate is revoked: revoked completions count for nothing). */
static void certified_add(struct expect *x, struct hv_strmap *firsts, const char *unit, int64_t at, const char *group,
                          int64_t account)
{
	char periods[2][8];
	hv_periods(at, periods[0], periods[1]);
	for (int k = 0; k < 2; k++) {
		char key[48];
		snprintf(key, sizeof key, "%lld|%s", (long long)account, periods[k]);
		if (hv_strmap_find(firsts, key, true)->value++)
			continue;
		const char *units[4];
		char own[HV_UNASSIGNED_MAX];
		struct hv_units *hold = hv_units_acquire();
		int n = hv_agg_chain(unit, units, own);
		for (int i = 0; i < n; i++) {
			for (int g = 0; g < (group && *group ? 2 : 1); g++) {
				char dim[HV_DIM_MAX] = "";
				if (g)
					hv_dim_group(dim, group);
				char figure[128];
				snprintf(figure, sizeof figure, "%s|%s%s|people_certified", units[i], periods[k], dim);
				hv_strmap_find(&x->values, figure, true)->value++;
			}
		}
		hv_units_release(hold);
	}
}

/* Every indicator recomputed from the raw records into x. */
static void compute(struct hv_conn *c, struct expect *x)
{
	struct hv_stmt *st = hv_sql(c, "SELECT created_at, home_unit, person_group FROM accounts WHERE kind = 'learner' AND data_deleted_at IS NULL");
	while (hv_step(st) == 1)
		learner_add(x, hv_col_null(st, 1) ? NULL : hv_col_text(st, 1), hv_col_i64(st, 0), hv_col_text(st, 2),
		            "registered_learners");
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT k.completed_at, k.unit_code, k.account_id, a.person_group FROM completions k "
	               "LEFT JOIN accounts a ON a.id = k.account_id WHERE k.revoked_at IS NULL ORDER BY k.completed_at, k.course_id");
	struct hv_strmap firsts = {.a = x->values.a};
	while (hv_step(st) == 1) {
		const char *unit = hv_col_null(st, 1) ? NULL : hv_col_text(st, 1);
		learner_add(x, unit, hv_col_i64(st, 0), hv_col_text(st, 3), "courses_completed");
		certified_add(x, &firsts, unit, hv_col_i64(st, 0), hv_col_text(st, 3), hv_col_i64(st, 2));
	}
	hv_strmap_clear(&firsts);
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT created_at, unit_code, person_group, services, person_account, volunteer_id, has_smartphone, org_id "
	               "FROM assists");
	while (hv_step(st) == 1) {
		struct hv_assist_facts f = {.unit = hv_col_text(st, 1), .group = hv_col_null(st, 2) ? NULL : hv_col_text(st, 2),
		                            .at = hv_col_i64(st, 0), .person = hv_col_null(st, 4) ? 0 : hv_col_i64(st, 4),
		                            .volunteer = hv_col_i64(st, 5), .org = hv_col_null(st, 7) ? 0 : hv_col_i64(st, 7),
		                            .services = (int)hv_col_i64(st, 3), .has_smartphone = hv_col_i64(st, 6) != 0};
		hv_assist_count(&f, +1, expect_sink, x);
	}
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT created_at, unit_code, org_id FROM teams");
	while (hv_step(st) == 1) {
		add(x, hv_col_text(st, 1), hv_col_i64(st, 0), "teams", 1, NULL);
		if (!hv_col_null(st, 2)) {
			char dim[HV_DIM_MAX];
			hv_dim_org(dim, hv_col_i64(st, 2));
			add_dim(x, hv_col_text(st, 1), hv_col_i64(st, 0), dim, "teams", 1, NULL);
		}
	}
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT created_at, unit_code FROM touch_points");
	while (hv_step(st) == 1)
		add(x, hv_col_text(st, 1), hv_col_i64(st, 0), "touch_points", 1, NULL);
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT starts_at, unit_code, held_at, head_count, "
	               "(SELECT COUNT(*) FROM class_attendance x WHERE x.class_id = classes.id) FROM classes");
	while (hv_step(st) == 1) {
		if (!hv_col_null(st, 2))
			add(x, hv_col_text(st, 1), hv_col_i64(st, 0), "classes_held", 1, NULL);
		int64_t n = hv_col_i64(st, 3) + hv_col_i64(st, 4);
		if (n)
			add(x, hv_col_text(st, 1), hv_col_i64(st, 0), "class_attendance", n, NULL);
	}
	hv_stmt_done(st);
}

/* Compares one stored table of counters with the recomputation, both
 * ways.  sql returns (unit, period, indicator, value, parent or '').  For
 * agg_child, a row must sit under the unit's current parent and every
 * recomputed counter of a unit below the nation must have a row. */
static long compare(struct hv_conn *c, struct expect *x, const char *sql, bool child, struct hv_buf *report, int *rc)
{
	long diff = 0;
	struct hv_strmap seen_rows = {.a = x->values.a};
	struct hv_units *u = hv_units_acquire();
	struct hv_stmt *st = hv_sql(c, sql);
	while ((*rc = hv_step(st)) == 1) {
		char key[160];
		snprintf(key, sizeof key, "%s|%s|%s", hv_col_text(st, 0), hv_col_text(st, 1), hv_col_text(st, 2));
		struct hv_strmap_slot *s = hv_strmap_find(&x->values, key, false);
		int64_t want = s ? s->value : 0, have = hv_col_i64(st, 3);
		hv_strmap_find(&seen_rows, key, true);
		const char *up = child ? hv_agg_parent(u, hv_col_text(st, 0)) : NULL;
		if (child && (!up || strcmp(up, hv_col_text(st, 4)) != 0)) {
			diff++;
			if (report)
				hv_buf_printf(report, "%s: kept under %s, not under its parent (run hocvuso indicators rebuild)\n", key,
				              hv_col_text(st, 4));
		} else if (want != have) {
			diff++;
			if (report)
				hv_buf_printf(report, "%s%s: stored %lld, recomputed %lld\n", child ? "(by parent) " : "", key,
				              (long long)have, (long long)want);
		}
	}
	hv_stmt_done(st);
	for (size_t i = 0; *rc == 0 && i < x->values.cap; i++) {
		struct hv_strmap_slot *s = &x->values.s[i];
		if (!s->key || !s->value || hv_strmap_find(&seen_rows, s->key, false))
			continue;
		if (child) {
			char code[16];
			snprintf(code, sizeof code, "%.*s", (int)strcspn(s->key, "|"), s->key);
			if (!hv_agg_parent(u, code))
				continue; /* the nation has no parent row */
		}
		diff++;
		if (report)
			hv_buf_printf(report, "%s%s: stored nothing, recomputed %lld\n", child ? "(by parent) " : "", s->key,
			              (long long)s->value);
	}
	hv_units_release(u);
	free(seen_rows.s);
	return diff;
}

long hv_measure_verify(struct hv_conn *c, struct hv_buf *report)
{
	struct expect x = {0};
	x.values.a = x.seen.a = hv_arena_new();
	compute(c, &x);
	int rc = 0;
	long diff = compare(c, &x, "SELECT unit_code, period, indicator, value, '' FROM agg", false, report, &rc);
	if (rc == 0)
		diff += compare(c, &x, "SELECT unit_code, period, indicator, value, parent_code FROM agg_child", true, report, &rc);
	free(x.values.s);
	free(x.seen.s);
	hv_arena_free(x.values.a);
	return rc < 0 ? rc : diff;
}

int hv_figures_version(struct hv_conn *c, const char *unit, int64_t out[2])
{
	out[0] = out[1] = 0;
	/* Two lookups by key in one row: "unit_code = $1 OR unit_code = $2"
	 * would make SQLite build a temporary table to merge the two. */
	struct hv_stmt *st = hv_sql(c, "SELECT (SELECT version FROM figure_versions WHERE unit_code = $1), "
	                               "(SELECT version FROM figure_versions WHERE unit_code = $2)");
	if (!st)
		return HV_EUNAVAIL;
	hv_bind_text(st, 1, unit);
	hv_bind_text(st, 2, HV_FIGURES_ALL);
	int rc = hv_step(st);
	if (rc == 1) {
		out[0] = hv_col_i64(st, 0);
		out[1] = hv_col_i64(st, 1);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

/* Rewrites every aggregate from the records, in one transaction (for a
 * database that had records before the aggregates existed). */
static int rebuild_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	long *rows = arg;
	struct expect x = {0};
	x.values.a = x.seen.a = hv_arena_new();
	compute(c, &x);
	int rc = hv_exec(c, "DELETE FROM agg_seen");
	if (rc == 0)
		rc = hv_exec(c, "DELETE FROM agg");
	if (rc == 0)
		rc = hv_exec(c, "DELETE FROM agg_child");
	if (rc == 0)
		rc = hv_figures_touch_all(c);
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; rc == 0 && i < x.values.cap; i++) {
		struct hv_strmap_slot *s = &x.values.s[i];
		if (!s->key)
			continue;
		char *k = hv_arena_strdup(x.values.a, s->key), *p1 = strchr(k, '|'), *p2 = p1 ? strchr(p1 + 1, '|') : NULL;
		if (!p2)
			continue;
		*p1 = *p2 = '\0';
		rc = hv_agg_write_now(c, k, p1 + 1, p2 + 1, s->value, now);
		(*rows)++;
	}
	for (size_t i = 0; rc == 0 && i < x.seen.cap; i++) {
		struct hv_strmap_slot *s = &x.seen.s[i];
		if (!s->key)
			continue;
		char *k = hv_arena_strdup(x.values.a, s->key), *p[3] = {0};
		p[0] = strchr(k, '|');
		p[1] = p[0] ? strchr(p[0] + 1, '|') : NULL;
		p[2] = p[1] ? strchr(p[1] + 1, '|') : NULL;
		if (!p[2])
			continue;
		*p[0] = *p[1] = *p[2] = '\0';
		struct hv_stmt *st = hv_sql(c, "INSERT INTO agg_seen (unit_code, period, indicator, item, n) VALUES ($1, $2, $3, $4, $5)");
		hv_bind_text(st, 1, k);
		hv_bind_text(st, 2, p[0] + 1);
		hv_bind_text(st, 3, p[1] + 1);
		hv_bind_text(st, 4, p[2] + 1);
		hv_bind_i64(st, 5, s->value);
		rc = hv_step(st) < 0 ? HV_EUNAVAIL : 0;
		hv_stmt_done(st);
	}
	free(x.values.s);
	free(x.seen.s);
	hv_arena_free(x.values.a);
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "cannot rebuild the indicators: %s", hv_conn_error(c)) : HV_OK;
}

int hv_measure_rebuild(struct hv_store *s, long *rows, struct hv_error *e)
{
	*rows = 0;
	return hv_store_write(s, rebuild_fn, rows, e);
}
