/* agg_move.c: a commune moved to another province takes its counters with
 * it (see hv_agg_move in measure.h).
 *
 * Plain counters are sums, so the old province loses the commune's value
 * and the new one gains it.  Distinct counters (registered people helped,
 * active volunteers) are not: a person helped in two communes of a province
 * counts once there.  Their reference counts (agg_seen) move item by item, and a
 * province's counter moves only when an item's count there goes from 0 to
 * positive or back — the same rule as the write path (agg_write.c). */
#include "domain/measure/measure.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strmap.h"
#include "domain/places/units.h"

struct seen_row {
	char *period, *indicator, *item;
	int64_t n;
};

/* Writes the summed changes of map ("period|indicator" → delta) to unit. */
static int write_shift(struct hv_conn *c, struct hv_strmap *map, const char *unit, int64_t now)
{
	int rc = HV_OK;
	for (size_t i = 0; rc == HV_OK && i < map->cap; i++) {
		const struct hv_strmap_slot *s = &map->s[i];
		const char *bar = s->key ? strchr(s->key, '|') : NULL;
		if (!bar || !s->value)
			continue;
		char period[128];
		snprintf(period, sizeof period, "%.*s", (int)(bar - s->key), s->key);
		rc = hv_agg_write_under(c, unit, HV_ROOT_CODE, period, bar + 1, s->value, now);
	}
	return rc;
}

int hv_agg_move(struct hv_conn *c, const char *unit, const char *from, const char *to, int64_t now)
{
	struct hv_arena *a = hv_arena_new();
	struct hv_strmap lose = {.a = a}, gain = {.a = a};
	int rc = HV_OK, s;
	/* The plain part of each counter: its value less the items it counts
	 * (people helped counts anonymous people per assist, registered ones
	 * once). */
	struct hv_stmt *st = hv_sql(c, "SELECT period, indicator, value - (SELECT COUNT(*) FROM agg_seen x WHERE "
	                               "x.unit_code = g.unit_code AND x.period = g.period AND x.indicator = g.indicator "
	                               "AND x.n > 0) FROM agg g WHERE unit_code = $1");
	hv_bind_text(st, 1, unit);
	while ((s = hv_step(st)) == 1) {
		char *key = hv_arena_printf(a, "%s|%s", hv_col_text(st, 0), hv_col_text(st, 1));
		hv_strmap_find(&lose, key, true)->value -= hv_col_i64(st, 2);
		hv_strmap_find(&gain, key, true)->value += hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	if (s < 0)
		rc = HV_EUNAVAIL;
	/* Distinct counters: read the commune's items first (the writes below
	 * touch the same table). */
	size_t n = 0, cap = 256;
	struct seen_row *rows = hv_xcalloc(cap, sizeof *rows);
	st = hv_sql(c, "SELECT period, indicator, item, n FROM agg_seen WHERE unit_code = $1 AND n > 0");
	hv_bind_text(st, 1, unit);
	while (rc == HV_OK && (s = hv_step(st)) == 1) {
		if (n == cap) {
			cap *= 2;
			rows = hv_xrealloc(rows, cap * sizeof *rows);
		}
		rows[n++] = (struct seen_row){hv_arena_strdup(a, hv_col_text(st, 0)), hv_arena_strdup(a, hv_col_text(st, 1)),
		                              hv_arena_strdup(a, hv_col_text(st, 2)), hv_col_i64(st, 3)};
	}
	hv_stmt_done(st);
	if (s < 0)
		rc = HV_EUNAVAIL;
	for (size_t i = 0; rc == HV_OK && i < n; i++) {
		char *key = hv_arena_printf(a, "%s|%s", rows[i].period, rows[i].indicator);
		int64_t left = 0, reached = 0;
		const char *at_from[4] = {from, rows[i].period, rows[i].indicator, rows[i].item};
		const char *at_to[4] = {to, rows[i].period, rows[i].indicator, rows[i].item};
		rc = hv_agg_seen_add(c, at_from, -rows[i].n, &left);
		if (rc == HV_OK)
			rc = hv_agg_seen_add(c, at_to, rows[i].n, &reached);
		if (rc == HV_OK && left <= 0)
			hv_strmap_find(&lose, key, true)->value--;
		if (rc == HV_OK && reached == rows[i].n)
			hv_strmap_find(&gain, key, true)->value++;
	}
	free(rows);
	if (rc == HV_OK)
		rc = write_shift(c, &lose, from, now);
	if (rc == HV_OK)
		rc = write_shift(c, &gain, to, now);
	if (rc == HV_OK) {
		st = hv_sql(c, "UPDATE agg_child SET parent_code = $3, updated_at = $4 WHERE unit_code = $1 AND parent_code = $2");
		hv_bind_text(st, 1, unit);
		hv_bind_text(st, 2, from);
		hv_bind_text(st, 3, to);
		hv_bind_i64(st, 4, now);
		if (hv_step(st) < 0)
			rc = HV_EUNAVAIL;
		hv_stmt_done(st);
	}
	hv_strmap_clear(&lose);
	hv_strmap_clear(&gain);
	hv_arena_free(a);
	return rc;
}
