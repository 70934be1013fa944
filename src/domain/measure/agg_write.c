/* agg_write.c: the write path of the indicator aggregates (see measure.h).
 *
 * A record bumps counters for its unit and each unit above it, for its
 * quarter and its year, and often for several indicators and breakdowns:
 * an assist moves some 15 counters × 3 units × 2 periods.  Written one
 * upsert at a time that was the main cost of a write.  Instead the changes
 * of a transaction are summed in memory (deferred work attached to the
 * connection, see hv_conn_deferred in store.h) and each counter row is
 * written once, in key order (the same lock order for every writer), just
 * before COMMIT: one group commit of 200 assists from a dozen wards writes a
 * few hundred rows instead of ten thousand.
 *
 * "Distinct" indicators (people helped, active volunteers, people
 * certified) keep a reference count per (unit, period, indicator, item) in
 * agg_seen; the counter moves when an item's count goes from 0 to positive
 * or back, so deleting a record un-counts a person only when no other
 * record of theirs is left in that period. */
#include "domain/measure/measure.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/strmap.h"
#include "domain/places/units.h"

#define GONE_MAX 4096 /* more in one flush are left at n = 0 (counted as absent) */

struct undo {
	const char *key;   /* owned by the pending arena */
	int64_t delta;
};

/* Changes not yet written, for one connection's transaction.  Keys are
 * "v|unit|period|indicator" (a counter) or "s|unit|period|indicator|item"
 * (a reference count of a distinct item). */
struct pending {
	struct hv_arena *a;
	struct hv_strmap m;
	struct undo *log;  /* the current job's changes, once a savepoint mark is set */
	size_t nlog, caplog;
	bool logging;
	char *gone[GONE_MAX]; /* seen-set keys whose count fell to 0 in this flush */
	size_t ngone;
};

static void *pending_create(void)
{
	struct pending *p = hv_xcalloc(1, sizeof *p);
	p->a = hv_arena_new();
	p->m.a = p->a;
	return p;
}

static void pending_reset(void *state)
{
	struct pending *p = state;
	if (!p->m.n && !p->nlog && !p->logging)
		return;
	hv_strmap_clear(&p->m);
	hv_arena_free(p->a);
	p->a = p->m.a = hv_arena_new();
	p->nlog = 0;
	p->logging = false;
	p->ngone = 0;
}

static void pending_destroy(void *state)
{
	struct pending *p = state;
	hv_strmap_clear(&p->m);
	hv_arena_free(p->a);
	free(p->log);
	free(p);
}

static size_t pending_mark(void *state)
{
	struct pending *p = state;
	p->logging = true;
	p->nlog = 0;
	return 0;
}

static void pending_undo(void *state, size_t mark)
{
	struct pending *p = state;
	(void)mark;
	for (size_t i = p->nlog; i-- > 0;)
		hv_strmap_find(&p->m, p->log[i].key, true)->value -= p->log[i].delta;
	p->nlog = 0;
}

static void pending_add(struct pending *p, const char *key, int64_t delta)
{
	struct hv_strmap_slot *s = hv_strmap_find(&p->m, key, true);
	s->value += delta;
	if (!p->logging)
		return;
	if (p->nlog == p->caplog) {
		p->caplog = p->caplog ? p->caplog * 2 : 256;
		p->log = realloc(p->log, p->caplog * sizeof *p->log);
		if (!p->log)
			abort();
	}
	p->log[p->nlog++] = (struct undo){s->key, delta};
}

static int upsert(struct hv_conn *c, const char *unit, const char *period, const char *indicator, int64_t delta, int64_t now)
{
	struct hv_stmt *st = hv_sql(c, "INSERT INTO agg (unit_code, period, indicator, value, updated_at) VALUES ($1, $2, $3, $4, $5) "
	                               "ON CONFLICT (unit_code, period, indicator) DO UPDATE SET value = agg.value + excluded.value, "
	                               "updated_at = excluded.updated_at");
	hv_bind_text(st, 1, unit);
	hv_bind_text(st, 2, period);
	hv_bind_text(st, 3, indicator);
	hv_bind_i64(st, 4, delta);
	hv_bind_i64(st, 5, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

/* Splits "k|a|b|c…" into its fields after the kind (in place). */
static int fields(char *key, const char *f[], int max)
{
	int n = 0;
	for (char *s = strchr(key, '|'); s && n < max; s = strchr(s, '|')) {
		*s++ = '\0';
		f[n++] = s;
	}
	return n;
}

struct entry {
	char *key;         /* a copy in the pending arena, sorted on, then split */
	const char *f[4];  /* its fields: unit, period, indicator[, item] */
	int nf;
	int64_t delta;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

/* Copies of the nonzero entries whose key starts with kind, sorted (the
 * map may grow while they are written); caller frees. */
static struct entry *entries(struct pending *p, char kind, size_t *n)
{
	struct entry *v = hv_xcalloc(p->m.n + 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < p->m.cap; i++)
		if (p->m.s[i].key && p->m.s[i].key[0] == kind && p->m.s[i].value)
			v[(*n)++] = (struct entry){.key = hv_arena_strdup(p->a, p->m.s[i].key), .delta = p->m.s[i].value};
	qsort(v, *n, sizeof *v, by_key);
	for (size_t i = 0; i < *n; i++)
		v[i].nf = fields(v[i].key, v[i].f, 4);
	return v;
}


/* Multi-row statements, built once: "INSERT … VALUES (…), (…) …" for
 * chunks of CHUNK, 8 and 1 rows (the statement cache keys on the address,
 * which stays put). */
#define CHUNK 32
static const int chunk_sizes[] = {CHUNK, 8, 1};
static char agg_sql[3][CHUNK * 100 + 256], seen_sql[3][CHUNK * 100 + 256], child_sql[3][CHUNK * 120 + 256],
            version_sql[3][CHUNK * 60 + 256];
static pthread_once_t sql_once = PTHREAD_ONCE_INIT;

/* Columns from first_int on are numbers: cast, because PostgreSQL types
 * the parameters of a multi-row VALUES list as text otherwise. */
static void build_values(char *out, size_t cap, const char *head, const char *tail, int rows, int cols, int first_int)
{
	size_t n = (size_t)snprintf(out, cap, "%s", head);
	for (int r = 0, p = 1; r < rows; r++) {
		n += (size_t)snprintf(out + n, cap - n, "%s(", r ? ", " : "");
		for (int k = 0; k < cols; k++, p++)
			n += (size_t)snprintf(out + n, cap - n, k >= first_int ? "%sCAST($%d AS BIGINT)" : "%s$%d", k ? ", " : "", p);
		n += (size_t)snprintf(out + n, cap - n, ")");
	}
	snprintf(out + n, cap - n, "%s", tail);
}

static void build_sql(void)
{
	for (int i = 0; i < 3; i++) {
		build_values(agg_sql[i], sizeof agg_sql[i], "INSERT INTO agg (unit_code, period, indicator, value, updated_at) VALUES ",
		             " ON CONFLICT (unit_code, period, indicator) DO UPDATE SET value = agg.value + excluded.value, "
		             "updated_at = excluded.updated_at",
		             chunk_sizes[i], 5, 3);
		build_values(seen_sql[i], sizeof seen_sql[i], "INSERT INTO agg_seen (unit_code, period, indicator, item, n) VALUES ",
		             " ON CONFLICT (unit_code, period, indicator, item) DO UPDATE SET n = agg_seen.n + excluded.n "
		             "RETURNING unit_code, period, indicator, item, n",
		             chunk_sizes[i], 5, 4);
		build_values(child_sql[i], sizeof child_sql[i],
		             "INSERT INTO agg_child (parent_code, period, indicator, unit_code, value, updated_at) VALUES ",
		             " ON CONFLICT (parent_code, period, indicator, unit_code) DO UPDATE SET value = agg_child.value + "
		             "excluded.value, updated_at = excluded.updated_at",
		             chunk_sizes[i], 6, 4);
		build_values(version_sql[i], sizeof version_sql[i], "INSERT INTO figure_versions (unit_code, version) VALUES ",
		             " ON CONFLICT (unit_code) DO UPDATE SET version = figure_versions.version + 1", chunk_sizes[i], 2, 1);
	}
}

/* The same counters again under their parent (agg_child): the units below
 * a unit are then one range of rows.  v (counter entries) is reordered:
 * those of the nation, which has no parent, are dropped. */
static int write_children(struct hv_conn *c, struct entry *v, size_t n, int64_t now)
{
	pthread_once(&sql_once, build_sql);
	struct hv_units *u = hv_units_acquire();
	size_t m = 0;
	const char **parent = hv_xcalloc(n + 1, sizeof *parent);
	for (size_t i = 0; i < n; i++) {
		const char *up = v[i].nf == 3 ? hv_agg_parent(u, v[i].f[0]) : NULL;
		if (!up)
			continue; /* the nation */
		parent[m] = up;
		v[m++] = v[i];
	}
	int rc = HV_OK;
	for (size_t i = 0; i < m && rc == HV_OK;) {
		int which = m - i >= CHUNK ? 0 : m - i >= 8 ? 1 : 2, rows = chunk_sizes[which];
		struct hv_stmt *st = hv_sql(c, child_sql[which]);
		if (!st) {
			rc = HV_EINTERNAL;
			break;
		}
		for (int r = 0; r < rows; r++, i++) {
			int base = r * 6;
			hv_bind_text(st, base + 1, parent[i]);
			hv_bind_text(st, base + 2, v[i].f[1]);
			hv_bind_text(st, base + 3, v[i].f[2]);
			hv_bind_text(st, base + 4, v[i].f[0]);
			hv_bind_i64(st, base + 5, v[i].delta);
			hv_bind_i64(st, base + 6, now);
		}
		if (hv_step(st) < 0)
			rc = HV_EUNAVAIL;
		hv_stmt_done(st);
	}
	free(parent);
	hv_units_release(u);
	return rc;
}

/* Writes entries [0, n) with the given columns per row, in chunks; for
 * seen-sets, each returned count moves its distinct counter. */
static int write_chunks(struct hv_conn *c, struct pending *p, struct entry *v, size_t n, bool seen, int64_t now)
{
	size_t i = 0;
	while (i < n) {
		int which = n - i >= CHUNK ? 0 : n - i >= 8 ? 1 : 2, rows = chunk_sizes[which];
		struct hv_stmt *st = hv_sql(c, seen ? seen_sql[which] : agg_sql[which]);
		if (!st)
			return HV_EINTERNAL;
		for (int r = 0; r < rows; r++, i++) {
			int base = r * 5;
			for (int k = 0; k < (seen ? 4 : 3); k++)
				hv_bind_text(st, base + k + 1, k < v[i].nf ? v[i].f[k] : "");
			if (seen) {
				hv_bind_i64(st, base + 5, v[i].delta);
			} else {
				hv_bind_i64(st, base + 4, v[i].delta);
				hv_bind_i64(st, base + 5, now);
			}
		}
		int rc;
		while ((rc = hv_step(st)) == 1) {
			if (!seen)
				continue;
			char *key = hv_arena_printf(p->a, "s|%s|%s|%s|%s", hv_col_text(st, 0), hv_col_text(st, 1), hv_col_text(st, 2),
			                            hv_col_text(st, 3));
			struct hv_strmap_slot *s = hv_strmap_find(&p->m, key, false);
			int64_t now_n = hv_col_i64(st, 4), was = now_n - (s ? s->value : 0);
			int moved = was <= 0 && now_n > 0 ? 1 : was > 0 && now_n <= 0 ? -1 : 0;
			if (moved)
				hv_strmap_find(&p->m, hv_arena_printf(p->a, "v|%s|%s|%s", hv_col_text(st, 0), hv_col_text(st, 1),
				                                      hv_col_text(st, 2)), true)->value += moved;
			if (now_n <= 0 && p->ngone < GONE_MAX)
				p->gone[p->ngone++] = key;
		}
		hv_stmt_done(st);
		if (rc < 0)
			return rc;
	}
	return HV_OK;
}

/* Replaces each change kept under a record's unit by the same change for
 * that unit and each unit above it, from the unit tree as this
 * transaction sees it: a units import that moved a commune (and its
 * counters, hv_agg_move) and committed a moment ago is never raced by a
 * write summed up the old tree. */
static int expand_to_chain(struct hv_conn *c, struct pending *p)
{
	if (hv_units_sync(c) != HV_OK)
		return HV_EUNAVAIL;
	struct hv_strmap up = {.a = p->a};
	struct hv_units *hold = hv_units_acquire(); /* keeps the chain's codes alive */
	for (size_t i = 0; i < p->m.cap; i++) {
		const struct hv_strmap_slot *s = &p->m.s[i];
		if (!s->key || !s->value)
			continue;
		const char *unit = s->key + 2, *rest = strchr(unit, '|');
		char code[16], key[300];
		if (!rest || (size_t)(rest - unit) >= sizeof code)
			continue;
		snprintf(code, sizeof code, "%.*s", (int)(rest - unit), unit);
		const char *chain[4];
		char own[HV_UNASSIGNED_MAX];
		int n = hv_agg_chain(code, chain, own);
		for (int k = 0; k < n; k++) {
			snprintf(key, sizeof key, "%c|%s%s", s->key[0], chain[k], rest);
			hv_strmap_find(&up, key, true)->value += s->value;
		}
	}
	hv_units_release(hold);
	hv_strmap_clear(&p->m);
	p->m = up;
	return HV_OK;
}

/* Adds one to the figure version of each unit of units[0, n) (sorted, so
 * writers lock the rows in one order): their dashboards changed. */
static int touch_units(struct hv_conn *c, const char *const units[], size_t n)
{
	pthread_once(&sql_once, build_sql);
	for (size_t i = 0; i < n;) {
		int which = n - i >= CHUNK ? 0 : n - i >= 8 ? 1 : 2, rows = chunk_sizes[which];
		struct hv_stmt *st = hv_sql(c, version_sql[which]);
		if (!st)
			return HV_EINTERNAL;
		for (int r = 0; r < rows; r++, i++) {
			hv_bind_text(st, r * 2 + 1, units[i]);
			hv_bind_i64(st, r * 2 + 2, 1);
		}
		int rc = hv_step(st);
		hv_stmt_done(st);
		if (rc < 0)
			return HV_EUNAVAIL;
	}
	return HV_OK;
}

/* The units of counter entries v[0, n) (sorted by key, so each unit's
 * entries are together and the units come in order), each once. */
static int touch_counted(struct hv_conn *c, const struct entry *v, size_t n)
{
	const char **units = hv_xcalloc(n + 1, sizeof *units);
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (v[i].nf == 3 && (!m || strcmp(units[m - 1], v[i].f[0]) != 0))
			units[m++] = v[i].f[0];
	int rc = touch_units(c, units, m);
	free(units);
	return rc;
}

int hv_figures_touch(struct hv_conn *c, const char *unit)
{
	return touch_units(c, &unit, 1);
}

int hv_figures_touch_all(struct hv_conn *c)
{
	return hv_figures_touch(c, HV_FIGURES_ALL);
}

/* Removes the seen-set row of f (unit, period, indicator, item) if its
 * count is no longer positive. */
static int seen_drop(struct hv_conn *c, const char *const f[4])
{
	struct hv_stmt *st = hv_sql(c, "DELETE FROM agg_seen WHERE unit_code = $1 AND period = $2 AND indicator = $3 "
	                               "AND item = $4 AND n <= 0");
	for (int k = 0; k < 4; k++)
		hv_bind_text(st, k + 1, f[k]);
	int rc = hv_step(st) < 0 ? HV_EUNAVAIL : HV_OK;
	hv_stmt_done(st);
	return rc;
}

static int pending_flush(struct hv_conn *c, void *state)
{
	struct pending *p = state;
	if (!p->m.n)
		return HV_OK;
	pthread_once(&sql_once, build_sql);
	int rc = expand_to_chain(c, p);
	if (rc != HV_OK)
		return rc;
	int64_t now = (int64_t)time(NULL);
	size_t n;
	struct entry *v = entries(p, 's', &n);
	rc = write_chunks(c, p, v, n, true, now);
	free(v);
	/* Items no record names any more leave the seen-sets. */
	for (size_t i = 0; rc == HV_OK && i < p->ngone; i++) {
		const char *f[4];
		if (fields(p->gone[i], f, 4) == 4)
			rc = seen_drop(c, f);
	}
	if (rc == HV_OK) {
		v = entries(p, 'v', &n);
		rc = write_chunks(c, p, v, n, false, now);
		if (rc == HV_OK)
			rc = touch_counted(c, v, n); /* before write_children reorders v */
		if (rc == HV_OK)
			rc = write_children(c, v, n, now);
		free(v);
	}
	return rc;
}

static const struct hv_deferred pending_ops = {
	.create = pending_create,
	.destroy = pending_destroy,
	.mark = pending_mark,
	.undo = pending_undo,
	.flush = pending_flush,
	.reset = pending_reset,
};

int hv_agg_chain(const char *unit, const char *out[4], char own[HV_UNASSIGNED_MAX])
{
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, unit ? unit : HV_ROOT_CODE);
	int n = 0;
	/* A record of the nation or of a province (no commune given) is that
	 * unit's own "not assigned to a unit below" share. */
	bool above_commune = !x || (x->depth < 2 && !x->retired);
	snprintf(own, HV_UNASSIGNED_MAX, "~%s", x ? x->code : HV_ROOT_CODE);
	for (; x && n < 3; x = x->parent)
		out[n++] = x->code; /* unit strings live as long as the snapshot… */
	hv_units_release(u); /* …which outlives this call: snapshots are only freed when replaced and released */
	if (n == 0)
		out[n++] = HV_ROOT_CODE;
	if (above_commune)
		out[n++] = own;
	return n;
}

const char *hv_agg_parent(const struct hv_units *u, const char *code)
{
	if (code[0] == '~') {
		const struct hv_unit *x = hv_units_get(u, code + 1);
		return x ? x->code : NULL;
	}
	const struct hv_unit *x = hv_units_get(u, code);
	return x && x->parent ? x->parent->code : NULL;
}

/* Adds delta to the key made of kind, the record's unit, each period, the
 * indicator and (for kind 's') the item.  The units above it are added at
 * the flush (expand_to_chain). */
/* mask: HV_IN_QUARTER | HV_IN_YEAR, the periods of at to count in. */
static int pend_in(struct hv_conn *c, char kind, const char *unit, int64_t at, int mask, const char *dim,
                   const char *indicator, const char *item, int64_t delta)
{
	struct pending *p = hv_conn_deferred(c, &pending_ops);
	if (!p)
		return HV_EINTERNAL;
	char periods[2][8];
	hv_periods(at, periods[0], periods[1]);
	if (!unit || !*unit)
		unit = HV_ROOT_CODE;
	for (int k = 0; k < 2; k++) {
		if (!(mask & (1 << k)))
			continue;
		char key[256];
		int len = item ? snprintf(key, sizeof key, "%c|%s|%s%s|%s|%s", kind, unit, periods[k], dim, indicator, item)
		               : snprintf(key, sizeof key, "%c|%s|%s%s|%s", kind, unit, periods[k], dim, indicator);
		if (len < 0 || (size_t)len >= sizeof key - 16) /* room for the units above */
			return HV_EINVAL;
		pending_add(p, key, delta);
	}
	return HV_OK;
}

static int pend(struct hv_conn *c, char kind, const char *unit, int64_t at, const char *dim, const char *indicator,
                const char *item, int64_t delta)
{
	return pend_in(c, kind, unit, at, HV_IN_QUARTER | HV_IN_YEAR, dim, indicator, item, delta);
}

int hv_agg_add(struct hv_conn *c, const char *unit, int64_t at, const char *indicator, int64_t delta)
{
	return delta ? pend(c, 'v', unit, at, "", indicator, NULL, delta) : HV_OK;
}

int hv_agg_distinct(struct hv_conn *c, const char *unit, int64_t at, const char *indicator, const char *item)
{
	return pend(c, 's', unit, at, "", indicator, item, 1);
}

int hv_agg_undistinct(struct hv_conn *c, const char *unit, int64_t at, const char *indicator, const char *item)
{
	return pend(c, 's', unit, at, "", indicator, item, -1);
}

int hv_agg_write_now(struct hv_conn *c, const char *unit, const char *period, const char *indicator, int64_t value, int64_t now)
{
	int rc = upsert(c, unit, period, indicator, value, now);
	if (rc != HV_OK)
		return rc;
	struct entry e = {.f = {unit, period, indicator}, .nf = 3, .delta = value};
	return write_children(c, &e, 1, now);
}

int hv_agg_write_under(struct hv_conn *c, const char *unit, const char *parent, const char *period, const char *indicator,
                       int64_t delta, int64_t now)
{
	pthread_once(&sql_once, build_sql);
	int rc = upsert(c, unit, period, indicator, delta, now);
	if (rc != HV_OK)
		return rc;
	struct hv_stmt *st = hv_sql(c, child_sql[2]);
	if (!st)
		return HV_EINTERNAL;
	hv_bind_text(st, 1, parent);
	hv_bind_text(st, 2, period);
	hv_bind_text(st, 3, indicator);
	hv_bind_text(st, 4, unit);
	hv_bind_i64(st, 5, delta);
	hv_bind_i64(st, 6, now);
	rc = hv_step(st) < 0 ? HV_EUNAVAIL : HV_OK;
	hv_stmt_done(st);
	return rc;
}

int hv_agg_seen_add(struct hv_conn *c, const char *const f[4], int64_t n, int64_t *now_n)
{
	pthread_once(&sql_once, build_sql);
	struct hv_stmt *st = hv_sql(c, seen_sql[2]);
	if (!st)
		return HV_EINTERNAL;
	for (int k = 0; k < 4; k++)
		hv_bind_text(st, k + 1, f[k]);
	hv_bind_i64(st, 5, n);
	int rc = hv_step(st) == 1 ? HV_OK : HV_EUNAVAIL;
	*now_n = rc == HV_OK ? hv_col_i64(st, 4) : 0;
	hv_stmt_done(st);
	return rc == HV_OK && *now_n <= 0 ? seen_drop(c, f) : rc;
}

int hv_agg_sink(void *conn, const char *unit, int64_t at, const char *dim, const char *indicator, const char *item,
                int64_t delta)
{
	if (!delta)
		return HV_OK;
	return pend(conn, item ? 's' : 'v', unit, at, dim, indicator, item, item ? (delta > 0 ? 1 : -1) : delta);
}

int hv_learner_add(struct hv_conn *c, const char *unit, int64_t at, const char *group, const char *indicator, int mask,
                   int64_t delta)
{
	int rc = mask ? pend_in(c, 'v', unit, at, mask, "", indicator, NULL, delta) : HV_OK;
	if (rc == HV_OK && mask && group && *group) {
		char dim[HV_DIM_MAX];
		hv_dim_group(dim, group);
		rc = pend_in(c, 'v', unit, at, mask, dim, indicator, NULL, delta);
	}
	return rc;
}

int hv_learner_count(struct hv_conn *c, const char *unit, int64_t at, const char *group, const char *indicator, int mask)
{
	return hv_learner_add(c, unit, at, group, indicator, mask, 1);
}
