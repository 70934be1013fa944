/* population.c: denominators rolled up the unit tree (see targets.h).
 *
 * The population import gives figures per unit, most often per commune.
 * A unit's denominator is the sum of its children's (each child's own sum
 * when its children have figures, else its own import); a unit's own
 * import, where given, is kept beside the sum so that a page can show both
 * and flag the difference.  A unit none of whose children has a figure
 * uses its own import. */
#include "domain/measure/targets.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "domain/places/units.h"

static void add(int64_t to[3], const int64_t v[3])
{
	for (int i = 0; i < 3; i++)
		to[i] += v[i];
}

static int by_code(const void *key, const void *elem)
{
	return strcmp(key, (*(const struct hv_unit *const *)elem)->code);
}

/* Index of code among x's children, or -1. */
static long child_index(const struct hv_unit *x, const char *code)
{
	const struct hv_unit **k = x->nchildren ? bsearch(code, x->children, x->nchildren, sizeof *x->children, by_code) : NULL;
	return k ? (long)(k - x->children) : -1;
}

/* The effective figures of p: its sum when it has one, else its own. */
static void settle(struct hv_pop *p)
{
	const int64_t *from = p->has_sum ? p->sum : p->own;
	for (int i = 0; i < 3; i++)
		p->value[i] = p->has_sum || p->has_own ? from[i] : 0;
	p->known = p->has_sum || p->has_own;
}

int hv_population_tree(struct hv_conn *c, const struct hv_unit *x, int year, struct hv_pop *total, struct hv_pop *children)
{
	memset(total, 0, sizeof *total);
	size_t nk = x->nchildren;
	struct hv_pop *kids = children ? children : calloc(nk + 1, sizeof *kids);
	if (!kids)
		return HV_EUNAVAIL;
	memset(kids, 0, nk * sizeof *kids);
	/* The latest figures at or before year of x, its children and (for the
	 * nation) its grandchildren: the rows of one unit come together, newest first. */
	struct hv_stmt *st =
		x->depth == 0 ? hv_sql(c, "SELECT unit_code, adults, civil_servants, pupils FROM population WHERE year <= $1 "
		                          "AND $2 <> '' ORDER BY unit_code, year DESC")
		              : hv_sql(c, "SELECT p.unit_code, p.adults, p.civil_servants, p.pupils FROM population p "
		                          "LEFT JOIN units u ON u.code = p.unit_code WHERE p.year <= $1 "
		                          "AND (p.unit_code = $2 OR u.parent_code = $2) ORDER BY p.unit_code, p.year DESC");
	hv_bind_i64(st, 1, year);
	hv_bind_text(st, 2, x->code);
	struct hv_units *u = hv_units_acquire();
	char last[16] = "";
	int rc;
	while ((rc = hv_step(st)) == 1) {
		const char *code = hv_col_text(st, 0);
		if (!strcmp(code, last))
			continue; /* an older year of the same unit */
		snprintf(last, sizeof last, "%s", code);
		int64_t v[3] = {hv_col_i64(st, 1), hv_col_i64(st, 2), hv_col_i64(st, 3)};
		const struct hv_unit *y = hv_units_get(u, code);
		if (!y || y->retired)
			continue;
		long k = child_index(x, y->code);
		if (y == x) {
			memcpy(total->own, v, sizeof total->own);
			total->has_own = true;
		} else if (k >= 0) {
			memcpy(kids[k].own, v, sizeof kids[k].own);
			kids[k].has_own = true;
		} else if (y->parent && (k = child_index(x, y->parent->code)) >= 0) {
			add(kids[k].sum, v);
			kids[k].has_sum = true;
		}
	}
	hv_stmt_done(st);
	hv_units_release(u);
	if (rc == 0) {
		for (size_t k = 0; k < nk; k++) {
			settle(&kids[k]);
			if (kids[k].known) {
				add(total->sum, kids[k].value);
				total->has_sum = true;
			}
		}
		settle(total);
	}
	if (!children)
		free(kids);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

/* One line into out if x's own import differs from the sum below it. */
static int check_one(struct hv_conn *c, const struct hv_unit *x, struct hv_buf *out, int *n)
{
	struct hv_pop p;
	if (hv_population_tree(c, x, 9999, &p, NULL) < 0)
		return HV_EUNAVAIL;
	static const char *const what[3] = {"adults", "civil_servants", "pupils"};
	for (int i = 0; p.has_own && p.has_sum && i < 3; i++) {
		if (p.own[i] == p.sum[i])
			continue;
		hv_buf_printf(out, "%s %s: imported %lld, sum of the units below %lld (difference %+lld)\n", x->code, what[i],
		              (long long)p.own[i], (long long)p.sum[i], (long long)(p.own[i] - p.sum[i]));
		(*n)++;
	}
	return HV_OK;
}

int hv_population_differences(struct hv_conn *c, struct hv_buf *out, int *n)
{
	*n = 0;
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *root = hv_units_root(u);
	int rc = root ? check_one(c, root, out, n) : HV_OK;
	for (size_t k = 0; root && rc == HV_OK && k < root->nchildren; k++)
		rc = check_one(c, root->children[k], out, n);
	hv_units_release(u);
	return rc;
}
