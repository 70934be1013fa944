/* measure.h: indicators computed from records, never typed as totals.
 *
 * Every record that counts (a learner registered, a course completed, an
 * assist, a touch point) bumps its indicators in the same transaction,
 * for the record's unit and each unit above it, for its year and its
 * quarter.  Dashboards read these few rows instead of scanning records;
 * hv_measure_verify recomputes everything from the raw records. */
#ifndef HV_MEASURE_H
#define HV_MEASURE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "store/store.h"

/* The indicators and their published definitions (indicators.c): one
 * table, one name per indicator in each language, used by every page,
 * report, ranking and the API, and listed on /chi-so. */
struct hv_indicator {
	const char *code;
	const char *name_vi, *name_en;
	const char *unit_vi;     /* "người", "lượt", "%" … */
	const char *formula;     /* what counts (Vietnamese) */
	const char *formula_en;  /* what counts (English) */
	const char *num, *den;   /* ratios: the codes divided (den "population:adults" …); NULL for counts */
	const char *removal_vi, *removal_en; /* what a deletion or a revocation does */
};
/* Counted indicators (kept as aggregates), then NULL; */
extern const struct hv_indicator hv_indicators[];
/* …and ratios computed from them (percent, one decimal, rounded half up). */
extern const struct hv_indicator hv_ratios[];
/* Position of code in hv_indicators (a code that must exist: aborts if not). */
int hv_indicator_index(const char *code);
/* The counted indicator or ratio named code, or NULL. */
const struct hv_indicator *hv_indicator_find(const char *code);
/* Its name in lang ("vi" or "en"); code itself when unknown. */
const char *hv_indicator_name(const char *code, const char *lang);
/* num / den × 100 rounded to one decimal (76.86… → 76.9); den > 0. */
double hv_ratio_pct(int64_t num, int64_t den);

/* Breakdowns (by target group "@g<group>", by organisation "@o<id>") are
 * stored as a suffix of the period: "2026Q4@gelderly".  Reads of a plain
 * period never see them.  The format is spelled only here (measure.c):
 * everyone else builds and reads it with these. */
#define HV_DIM_MAX 40
void hv_dim_group(char out[HV_DIM_MAX], const char *group);   /* "@g<group>" */
void hv_dim_org(char out[HV_DIM_MAX], int64_t org);           /* "@o<id>" */
bool hv_dim_is_group(const char *dim);
/* The organisation of a breakdown period ("2026Q4@o12" → 12), 0 if none. */
int64_t hv_dim_org_of(const char *period);
/* A LIKE pattern for every organisation's breakdown of period. */
void hv_dim_org_like(const char *period, char *out, size_t cap);

/* "2026Q4" and "2026" for a time (Vietnam time). */
void hv_periods(int64_t t, char quarter[8], char year[8]);
/* The quarter before a valid period ("2026Q1" → "2025Q4"), or the year
 * before ("2026" → "2025"), into out[8]. */
void hv_period_prior(const char *period, char out[8]);
/* True for "2026", "2026Q1".."2026Q4" (years 2000–2100). */
bool hv_period_valid(const char *p);

/* Inside a write: add delta to indicator for unit (and its ancestors) in
 * the periods of time at. */
int hv_agg_add(struct hv_conn *c, const char *unit, int64_t at, const char *indicator, int64_t delta);
/* Inside a write: count item once per (unit, period) for indicator, however
 * many records name it; hv_agg_undistinct takes one such record back. */
int hv_agg_distinct(struct hv_conn *c, const char *unit, int64_t at, const char *indicator, const char *item);
int hv_agg_undistinct(struct hv_conn *c, const char *unit, int64_t at, const char *indicator, const char *item);
/* Changes made by the three calls above are summed in memory and written
 * just before COMMIT (agg_write.c); reads in the same transaction do not
 * see them. */

/* A hv_count_fn (outreach.h) whose ctx is a struct hv_conn in a write:
 * plain counters go to hv_agg_add, items to hv_agg_distinct/undistinct. */
int hv_agg_sink(void *conn, const char *unit, int64_t at, const char *dim, const char *indicator, const char *item,
                int64_t delta);

/* Inside a write: a learner's record counts for indicator, in the periods
 * of at named by mask, overall and, when the learner gave a target group
 * (civil servant, pupil …), in that group's breakdown.  "Distinct" learner
 * indicators (people certified) are decided by the caller from the records
 * (the person's first certificate of the quarter, of the year), so they
 * need no seen-set rows. */
enum { HV_IN_QUARTER = 1, HV_IN_YEAR = 2 };
int hv_learner_count(struct hv_conn *c, const char *unit, int64_t at, const char *group, const char *indicator, int mask);
/* The same with any delta: -1 takes a record back (a revoked certificate). */
int hv_learner_add(struct hv_conn *c, const char *unit, int64_t at, const char *group, const char *indicator, int mask,
                   int64_t delta);

/* The unit and every unit above it, nation last (codes live in the unit
 * snapshot), then, for a record of the nation or of a province itself (no
 * commune: a learner who chose none, an assist logged at the province),
 * the pseudo-unit "~<code>" written into own: that unit's "not assigned
 * to a unit below" share, kept like a child of it (agg and agg_child), so
 * that a unit's figure is the sum of its children's and of this row.
 * Returns how many (up to 4). */
#define HV_UNASSIGNED_MAX 16
int hv_agg_chain(const char *unit, const char *out[4], char own[HV_UNASSIGNED_MAX]);
/* The code under which the counters of code are kept again (agg_child):
 * its parent's, or for "~X" X itself; NULL for the nation. */
struct hv_units;
const char *hv_agg_parent(const struct hv_units *u, const char *code);
/* Writes one counter row at once (rebuild). */
int hv_agg_write_now(struct hv_conn *c, const char *unit, const char *period, const char *indicator, int64_t value, int64_t now);
/* Adds delta to one counter of unit at once, and to its copy kept under
 * parent (agg_child), without the unit snapshot (the units import, whose
 * new units the snapshot does not hold yet). */
int hv_agg_write_under(struct hv_conn *c, const char *unit, const char *parent, const char *period, const char *indicator,
                       int64_t delta, int64_t now);
/* Adds n to the reference count of the seen-set item f (unit, period,
 * indicator, item) at once; *now_n is the count it reaches, and an item
 * whose count is no longer positive leaves the set. */
int hv_agg_seen_add(struct hv_conn *c, const char *const f[4], int64_t n, int64_t *now_n);
/* Inside the units import's transaction: the commune unit moved from
 * province from to province to, with its counters — both provinces'
 * counters change by the commune's (distinct ones item by item) and its
 * rows kept by parent move under to. */
int hv_agg_move(struct hv_conn *c, const char *unit, const char *from, const char *to, int64_t now);


/* The values of the indicators named in codes (NULL-terminated) for unit in
 * period into out (0 when none); *updated is raised to the newest change. */
int hv_agg_values(struct hv_conn *c, const char *unit, const char *period, const char *const codes[], int64_t out[],
                  int64_t *updated);

/* The values of the indicators in codes (NULL-terminated, up to 8) for
 * unit in the four quarters of year, with the breakdown suffix dim ("" for
 * none), into out[quarter][code] (0 when none), in one query. */
int hv_agg_quarters(struct hv_conn *c, const char *unit, int year, const char *dim, const char *const codes[],
                    int64_t out[4][8], int64_t *updated);

/* For the units directly below parent ("VN" for the provinces): one call
 * of cb per stored (unit, indicator) value in period, in one query; codes
 * (up to 8, NULL-terminated) limits it to those indicators, NULL reads all. */
typedef void (*hv_agg_cb)(const char *unit, const char *indicator, int64_t value, int64_t updated_at, void *arg);
int hv_agg_children(struct hv_conn *c, const char *parent, const char *period, const char *const codes[], hv_agg_cb cb,
                    void *arg);

/* Figure versions (figure_versions table): a number per unit that every
 * transaction changing what the unit's dashboard shows moves, in that
 * transaction — counters (the write path does it), targets; the row
 * HV_FIGURES_ALL moves for changes that reach every dashboard (population,
 * units, organisations, a rebuild).  A cached dashboard part is good while
 * both numbers it was made under are unchanged.  hv_figures_version reads
 * them (missing rows read 0): {unit's, all's}. */
#define HV_FIGURES_ALL ""
int hv_figures_touch(struct hv_conn *c, const char *unit);
int hv_figures_touch_all(struct hv_conn *c);
int hv_figures_version(struct hv_conn *c, const char *unit, int64_t out[2]);

/* Recomputes every indicator from the records and compares; writes one
 * line per difference into report; returns the number of differences
 * (or < 0 on a database error). */
long hv_measure_verify(struct hv_conn *c, struct hv_buf *report);

/* Rewrites all aggregates from the records (one transaction). */
int hv_measure_rebuild(struct hv_store *s, long *rows, struct hv_error *e);

#endif
