/* ranking.h: the emulation ranking (thi đua).
 *
 * The formula is published and editable by an admin: a non-negative whole
 * weight per indicator (at least one above 0).  The score of a unit or an
 * organisation in a period is
 *     Σ weight × min(value / target, 1)  /  Σ weight
 * over the indicators that have a weight above 0 and a target above 0 for
 * it in that period.  Without any such target the score is null: ranked
 * last and shown "chưa có chỉ tiêu".  Equal scores share a rank.  Units are
 * ranked within their parent, organisations within a unit; organisation
 * values are the aggregates "INDICATOR@oID". */
#ifndef HV_RANKING_H
#define HV_RANKING_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/people/auth.h"

/* Who sees rankings, reports and honours: as for the dashboard. */
#define HV_ROLES_SEE_FIGURES (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR | HV_ROLE_VIEWER)
#define HV_RANK_MAX_IND 32
#define HV_RANK_MAX_WEIGHT 1000

/* The weights with a weight above 0, in catalogue order. */
struct hv_weights {
	int n;
	const char *code[HV_RANK_MAX_IND];   /* points into hv_indicators */
	int64_t w[HV_RANK_MAX_IND];
	int64_t total;
	int64_t set_at;                      /* newest change, 0 = the defaults */
};

int hv_weights_get(struct hv_conn *c, struct hv_weights *w);
/* Replaces the weights: weights[i] for hv_indicators[i] (every code);
 * admins of the nation only; each change kept with who and when, audited.
 * HV_EINVAL (e->field = the indicator code) for a bad value. */
int hv_weights_set(struct hv_store *s, const struct hv_principal *who, const int64_t weights[], const char *ip,
                   struct hv_error *e);
/* The formula in words ("vi" or "en"), into out. */
void hv_weights_words(const struct hv_weights *w, const char *lang, char *out, size_t cap);

struct hv_rank_entry {
	char key[24];                     /* unit code, or organisation id */
	char name[4 * 120 + 1];
	int64_t org_id;                   /* 0 for units */
	int64_t value[HV_RANK_MAX_IND];   /* per weighted indicator, as w.code */
	int64_t target[HV_RANK_MAX_IND];  /* -1 when none */
	double score;                     /* 0..100 (%), or -1 when no target */
	int rank;                         /* 1, 2, 2, 4 …; 0 without a target (not ranked) */
};

struct hv_ranking {
	struct hv_weights w;
	struct hv_rank_entry *units;      /* the units directly below, ranked */
	size_t nunits;
	struct hv_rank_entry *orgs;       /* the organisations at the unit, ranked */
	size_t norgs;
	int64_t updated;                  /* newest aggregate read */
};

/* Ranks the units below x and the organisations at x for period, in six
 * queries whatever the number of units.  Owns its arrays: free with
 * hv_ranking_free.  HV_EUNAVAIL on a database error. */
int hv_ranking_compute(struct hv_conn *c, const struct hv_unit *x, const char *period, struct hv_ranking *r);
void hv_ranking_free(struct hv_ranking *r);
/* Capped attainment of entry for weighted indicator i in %, or -1. */
double hv_rank_attainment(const struct hv_rank_entry *e, int i);

#endif
