/* targets.h: population denominators and targets (see targets.c). */
#ifndef HV_TARGETS_H
#define HV_TARGETS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/people/auth.h"
#include "domain/people/audit.h"

bool hv_indicator_known(const char *code);
/* org 0 = the unit's own target (no organisation). */
int hv_target_set(struct hv_store *s, const struct hv_principal *who, const char *unit, int64_t org, const char *indicator,
                  const char *period, int64_t value, const char *ip, struct hv_error *e);
/* HV_OK with *value, HV_ENOTFOUND when none is set, HV_EUNAVAIL. */
int hv_target_get(struct hv_conn *c, const char *unit, int64_t org, const char *indicator, const char *period, int64_t *value);
/* The targets of the indicators named in codes (NULL-terminated) for unit,
 * org and period into out (-1 where none), in one query. */
int hv_targets_of(struct hv_conn *c, const char *unit, int64_t org, const char *period, const char *const codes[], int64_t out[]);
/* One call of cb per unit directly below parent ("VN": the provinces)
 * that has a target of its own (no organisation) for any of periods
 * (NULL-terminated, up to 2: a quarter and its year), in one query. */
typedef void (*hv_unit_cb)(const char *unit, void *arg);
int hv_targets_children(struct hv_conn *c, const char *parent, const char *const periods[], hv_unit_cb cb, void *arg);
/* The latest population at or before year: HV_OK, HV_ENOTFOUND, HV_EUNAVAIL. */
int hv_population(struct hv_conn *c, const char *unit, int year, int64_t *adults, int64_t *civil, int64_t *pupils);
/* The latest adult population at or before year of each unit directly
 * below parent ("VN" for the provinces), in one query; units without one
 * get no call. */
typedef void (*hv_population_cb)(const char *unit, int64_t adults, void *arg);
int hv_population_children(struct hv_conn *c, const char *parent, int year, hv_population_cb cb, void *arg);
/* Denominators (adults, civil servants, pupils) of a unit, rolled up. */
struct hv_pop {
	int64_t value[3];   /* what figures divide by: the sum if known, else the unit's own import */
	int64_t sum[3];     /* the sum of the units below (has_sum: one of them has a figure) */
	int64_t own[3];     /* the unit's own import (has_own) */
	bool has_sum, has_own, known;
};
enum { HV_POP_ADULTS, HV_POP_CIVIL, HV_POP_PUPILS };
/* x's denominators into total and, when children is not NULL, those of
 * each of x's active children into children[0..x->nchildren): one query
 * (population.c).  HV_EUNAVAIL on a database error. */
struct hv_unit;
int hv_population_tree(struct hv_conn *c, const struct hv_unit *x, int year, struct hv_pop *total, struct hv_pop *children);
/* After an import: one line per figure where a unit's own import (the
 * nation, a province) differs from the sum of the units below it — the
 * import is kept, the difference reported; *n lines. */
struct hv_buf;
int hv_population_differences(struct hv_conn *c, struct hv_buf *out, int *n);
/* CSV: unit_code,adults,civil_servants,pupils,year — validated, all or nothing. */
int hv_population_import(struct hv_store *s, const char *data, size_t len, const char *src, const struct hv_importer *by, int *rows,
                         struct hv_error *e);

#endif
