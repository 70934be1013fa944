/* ranking.c: the weighted emulation ranking (see ranking.h).  Everything a
 * ranking needs is read in a fixed number of queries (weights, the targets
 * and aggregates of every unit below, the organisations with their targets
 * and aggregates) and matched in memory, so a province of 170 communes
 * costs what a ward of three does. */
#include "domain/measure/ranking.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/measure/measure.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"

static int indicator_index(const char *code)
{
	for (int i = 0; hv_indicators[i].code; i++)
		if (!strcmp(hv_indicators[i].code, code))
			return i;
	return -1;
}

int hv_weights_get(struct hv_conn *c, struct hv_weights *w)
{
	memset(w, 0, sizeof *w);
	int64_t by_ind[HV_RANK_MAX_IND] = {0};
	struct hv_stmt *st = hv_sql(c, "SELECT indicator, weight, set_at FROM rank_weights");
	int rc;
	while ((rc = hv_step(st)) == 1) {
		int i = indicator_index(hv_col_text(st, 0));
		if (i >= 0 && i < HV_RANK_MAX_IND)
			by_ind[i] = hv_col_i64(st, 1);
		if (hv_col_i64(st, 2) > w->set_at)
			w->set_at = hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	for (int i = 0; hv_indicators[i].code && i < HV_RANK_MAX_IND; i++) {
		if (by_ind[i] <= 0)
			continue;
		w->code[w->n] = hv_indicators[i].code;
		w->w[w->n++] = by_ind[i];
		w->total += by_ind[i];
	}
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

struct weights_job {
	const int64_t *weights;
	int64_t actor;
	const char *ip;
};

static int weights_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct weights_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_buf detail;
	hv_buf_init(&detail);
	int rc = HV_OK;
	for (int i = 0; hv_indicators[i].code && rc == HV_OK; i++) {
		struct hv_stmt *st = hv_sql(c, "SELECT weight FROM rank_weights WHERE indicator = $1");
		hv_bind_text(st, 1, hv_indicators[i].code);
		int got = hv_step(st);
		int64_t old = got == 1 ? hv_col_i64(st, 0) : 0;
		hv_stmt_done(st);
		if (got < 0) {
			rc = HV_EUNAVAIL;
			break;
		}
		if (old == j->weights[i] && (got == 1 || j->weights[i] == 0))
			continue;
		st = hv_sql(c, "INSERT INTO rank_weights (indicator, weight, set_by, set_at) VALUES ($1, $2, $3, $4) "
		               "ON CONFLICT (indicator) DO UPDATE SET weight = excluded.weight, set_by = excluded.set_by, set_at = excluded.set_at");
		hv_bind_text(st, 1, hv_indicators[i].code);
		hv_bind_i64(st, 2, j->weights[i]);
		hv_bind_i64(st, 3, j->actor);
		hv_bind_i64(st, 4, now);
		int r1 = hv_step(st);
		hv_stmt_done(st);
		st = hv_sql(c, "INSERT INTO rank_weight_history (indicator, old_weight, new_weight, set_by, set_at) VALUES ($1, $2, $3, $4, $5)");
		hv_bind_text(st, 1, hv_indicators[i].code);
		if (got == 1)
			hv_bind_i64(st, 2, old);
		else
			hv_bind_null(st, 2);
		hv_bind_i64(st, 3, j->weights[i]);
		hv_bind_i64(st, 4, j->actor);
		hv_bind_i64(st, 5, now);
		int r2 = hv_step(st);
		hv_stmt_done(st);
		if (r1 < 0 || r2 < 0)
			rc = HV_EUNAVAIL;
		hv_buf_printf(&detail, "%s%s %lld→%lld", detail.len ? ", " : "", hv_indicators[i].code, (long long)old,
		              (long long)j->weights[i]);
	}
	if (rc == HV_OK && detail.len && detail.len < 1000 &&
	    hv_audit(c, j->actor, "ranking.weights", "rank_weights", "VN", detail.data, j->ip) < 0)
		rc = HV_EUNAVAIL;
	hv_buf_free(&detail);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

int hv_weights_set(struct hv_store *s, const struct hv_principal *who, const int64_t weights[], const char *ip,
                   struct hv_error *e)
{
	struct hv_units *u = hv_units_acquire();
	bool admin = hv_can(who, HV_ROLE_ADMIN, hv_units_root(u));
	hv_units_release(u);
	if (!admin)
		return hv_err_set(e, HV_EFORBIDDEN, NULL, "Chỉ quản trị viên cấp quốc gia được sửa công thức xếp hạng.");
	int64_t total = 0;
	for (int i = 0; hv_indicators[i].code; i++) {
		if (i >= HV_RANK_MAX_IND || weights[i] < 0 || weights[i] > HV_RANK_MAX_WEIGHT)
			return hv_err_set(e, HV_EINVAL, hv_indicators[i].code,
			                  "Trọng số là số nguyên từ 0 đến %d (chỉ số %s).", HV_RANK_MAX_WEIGHT, hv_indicators[i].code);
		total += weights[i];
	}
	if (total <= 0)
		return hv_err_set(e, HV_EINVAL, "weights", "Cần ít nhất một chỉ số có trọng số lớn hơn 0.");
	struct weights_job j = {weights, who->acct.id, ip};
	return hv_store_write(s, weights_fn, &j, e);
}

void hv_weights_words(const struct hv_weights *w, const char *lang, char *out, size_t cap)
{
	bool en = lang && !strcmp(lang, "en");
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_puts(&b, en ? "Score = Σ weight × min(value ÷ target, 100%) ÷ Σ weight, over the indicators with a weight and a target: "
	                   : "Điểm = Σ trọng số × min(kết quả ÷ chỉ tiêu, 100%) ÷ Σ trọng số, tính trên các chỉ số có trọng số và có chỉ tiêu: ");
	for (int i = 0; i < w->n; i++) {
		/* The indicator's one name in either language, never its code. */
		hv_buf_printf(&b, "%s%s %lld", i ? "; " : "", hv_indicator_name(w->code[i], en ? "en" : "vi"), (long long)w->w[i]);
	}
	hv_buf_puts(&b, en ? ". Without any target: no score (\"no target yet\"), ranked last. Equal scores share a rank."
	                   : ". Không có chỉ tiêu nào: chưa có điểm (\"chưa có chỉ tiêu\"), xếp cuối. Điểm bằng nhau thì cùng hạng.");
	snprintf(out, cap, "%s", b.data ? b.data : "");
	hv_buf_free(&b);
}

/* ---- computing ---- */

static int weighted_index(const struct hv_weights *w, const char *code)
{
	for (int i = 0; i < w->n; i++)
		if (!strcmp(w->code[i], code))
			return i;
	return -1;
}

static void entry_init(struct hv_rank_entry *e)
{
	memset(e, 0, sizeof *e);
	for (int i = 0; i < HV_RANK_MAX_IND; i++)
		e->target[i] = -1;
}

static int by_key(const void *key, const void *elem)
{
	return strcmp(key, ((const struct hv_rank_entry *)elem)->key);
}

/* Before ranking, units are in code order (as the children are). */
static struct hv_rank_entry *unit_entry(struct hv_ranking *r, const char *code)
{
	return bsearch(code, r->units, r->nunits, sizeof *r->units, by_key);
}

static struct hv_rank_entry *org_entry(struct hv_ranking *r, int64_t id, bool create)
{
	for (size_t k = 0; k < r->norgs; k++)
		if (r->orgs[k].org_id == id)
			return &r->orgs[k];
	if (!create)
		return NULL;
	r->orgs = realloc(r->orgs, (r->norgs + 1) * sizeof *r->orgs);
	if (!r->orgs)
		abort();
	struct hv_rank_entry *e = &r->orgs[r->norgs++];
	entry_init(e);
	e->org_id = id;
	snprintf(e->key, sizeof e->key, "%lld", (long long)id);
	snprintf(e->name, sizeof e->name, "#%lld", (long long)id);
	return e;
}

static void on_child_value(const char *unit, const char *indicator, int64_t value, int64_t updated_at, void *arg)
{
	struct hv_ranking *r = arg;
	int i = weighted_index(&r->w, indicator);
	struct hv_rank_entry *e = i >= 0 ? unit_entry(r, unit) : NULL;
	if (!e)
		return;
	e->value[i] = value;
	if (updated_at > r->updated)
		r->updated = updated_at;
}

double hv_rank_attainment(const struct hv_rank_entry *e, int i)
{
	if (e->target[i] <= 0)
		return -1;
	double a = (double)e->value[i] / (double)e->target[i];
	return 100.0 * (a > 1 ? 1 : a);
}

static void score(const struct hv_weights *w, struct hv_rank_entry *e)
{
	double sum = 0;
	int64_t wsum = 0;
	for (int i = 0; i < w->n; i++) {
		double a = hv_rank_attainment(e, i);
		if (a < 0)
			continue;
		sum += (double)w->w[i] * a;
		wsum += w->w[i];
	}
	/* Rounded to 0.01 % so that equal attainments compare equal. */
	e->score = wsum > 0 ? round(sum / (double)wsum * 100.0) / 100.0 : -1;
}

static int by_score(const void *pa, const void *pb)
{
	const struct hv_rank_entry *a = pa, *b = pb;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->name, b->name);
}

static void rank(const struct hv_weights *w, struct hv_rank_entry *e, size_t n)
{
	if (n == 0)
		return;   /* e may be NULL (no organisations) */
	for (size_t k = 0; k < n; k++)
		score(w, &e[k]);
	qsort(e, n, sizeof *e, by_score);
	for (size_t k = 0; k < n; k++)
		e[k].rank = e[k].score < 0 ? 0 /* no target: not ranked, listed apart */
		            : k > 0 && e[k].score == e[k - 1].score ? e[k - 1].rank : (int)k + 1; /* ties: 1, 2, 2, 4 */
}

/* The targets without an organisation of the units below x. */
static int read_unit_targets(struct hv_conn *c, const struct hv_unit *x, const char *period, struct hv_ranking *r)
{
	bool nation = x->depth == 0;
	struct hv_stmt *st =
		nation ? hv_sql(c, "SELECT t.unit_code, t.indicator, t.value FROM targets t JOIN units u ON u.code = t.unit_code "
		                   "WHERE u.level = 'province' AND t.org_id = 0 AND t.period = $1")
		       : hv_sql(c, "SELECT t.unit_code, t.indicator, t.value FROM targets t JOIN units u ON u.code = t.unit_code "
		                   "WHERE u.parent_code = $2 AND t.org_id = 0 AND t.period = $1");
	hv_bind_text(st, 1, period);
	if (!nation)
		hv_bind_text(st, 2, x->code);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		int i = weighted_index(&r->w, hv_col_text(st, 1));
		struct hv_rank_entry *e = i >= 0 ? unit_entry(r, hv_col_text(st, 0)) : NULL;
		if (e)
			e->target[i] = hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

/* The organisations registered at x, those with a target there, their
 * targets and their aggregates (period "2026Q4@o<ID>", see measure.h). */
static int read_orgs(struct hv_conn *c, const struct hv_unit *x, const char *period, struct hv_ranking *r)
{
	struct hv_stmt *st = hv_sql(c, "SELECT id, name FROM organisations WHERE unit_code = $1 ORDER BY id");
	hv_bind_text(st, 1, x->code);
	int rc;
	while ((rc = hv_step(st)) == 1)
		snprintf(org_entry(r, hv_col_i64(st, 0), true)->name, sizeof r->orgs->name, "%s", hv_col_text(st, 1));
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	st = hv_sql(c, "SELECT org_id, indicator, value FROM targets WHERE unit_code = $1 AND org_id > 0 AND period = $2");
	hv_bind_text(st, 1, x->code);
	hv_bind_text(st, 2, period);
	while ((rc = hv_step(st)) == 1) {
		struct hv_rank_entry *e = org_entry(r, hv_col_i64(st, 0), true);
		int i = weighted_index(&r->w, hv_col_text(st, 1));
		if (i >= 0)
			e->target[i] = hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	/* Every organisation's breakdown of the period (measure.h). */
	char like[64];
	hv_dim_org_like(period, like, sizeof like);
	st = hv_sql(c, "SELECT indicator, value, updated_at, period FROM agg WHERE unit_code = $1 AND period LIKE $2");
	hv_bind_text(st, 1, x->code);
	hv_bind_text(st, 2, like);
	while ((rc = hv_step(st)) == 1) {
		int64_t id = hv_dim_org_of(hv_col_text(st, 3));
		int i = weighted_index(&r->w, hv_col_text(st, 0));
		struct hv_rank_entry *e = i >= 0 && id > 0 ? org_entry(r, id, false) : NULL;
		if (!e)
			continue;   /* an organisation with neither registration here nor a target */
		e->value[i] = hv_col_i64(st, 1);
		if (hv_col_i64(st, 2) > r->updated)
			r->updated = hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_ranking_compute(struct hv_conn *c, const struct hv_unit *x, const char *period, struct hv_ranking *r)
{
	memset(r, 0, sizeof *r);
	int rc = hv_weights_get(c, &r->w);
	r->nunits = x->nchildren;
	r->units = calloc(x->nchildren + 1, sizeof *r->units);
	if (!r->units)
		abort();
	for (size_t k = 0; k < x->nchildren; k++) {
		entry_init(&r->units[k]);
		snprintf(r->units[k].key, sizeof r->units[k].key, "%s", x->children[k]->code);
		snprintf(r->units[k].name, sizeof r->units[k].name, "%s", x->children[k]->name);
	}
	if (rc == HV_OK)
		rc = read_unit_targets(c, x, period, r);
	if (rc == HV_OK)
		rc = hv_agg_children(c, x->code, period, NULL, on_child_value, r);
	if (rc == HV_OK)
		rc = read_orgs(c, x, period, r);
	rank(&r->w, r->units, r->nunits);
	rank(&r->w, r->orgs, r->norgs);
	return rc;
}

void hv_ranking_free(struct hv_ranking *r)
{
	free(r->units);
	free(r->orgs);
	r->units = r->orgs = NULL;
	r->nunits = r->norgs = 0;
}
