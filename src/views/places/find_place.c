/* find_place.c: finding a place by name or by the browser's location for
 * the classes and touch points pages (see find_place.h).  Coordinates are
 * used for one answer and kept nowhere (the access log drops them). */
#include "views/places/find_place.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "domain/help/outreach.h"
#include "views/tmpl.h"

struct tp_match {
	const char *folded;
	char unit[8];
	struct hv_arena *arena;
	bool found;
};

static char *fold(struct hv_arena *a, const char *s)
{
	struct hv_buf b;
	hv_buf_init(&b);
	char *out = hv_fold(&b, s, strlen(s)) && b.data ? hv_arena_strdup(a, b.data) : NULL;
	hv_buf_free(&b);
	return out;
}

static void tp_match(const struct hv_touch_point *tp, void *arg)
{
	struct tp_match *m = arg;
	if (m->found)
		return;
	char *f = fold(m->arena, tp->name);
	if (f && strstr(f, m->folded)) {
		memcpy(m->unit, tp->unit, sizeof m->unit);
		m->found = true;
	}
}

const struct hv_unit *hv_find_place(struct hv_ctx *c, struct hv_units *u, const char *typed, struct hv_val *d)
{
	if (!typed || !*typed)
		return hv_units_get(u, HV_ROOT_CODE);
	const struct hv_unit *x = hv_units_get(u, typed);
	if (x)
		return x;
	if (strlen(typed) > HV_SEARCH_MAX)
		return NULL;
	const struct hv_unit *hits[8];
	size_t n = hv_units_search(u, typed, hits, 8);
	if (n > 0) {
		struct hv_val *alt = hv_set(d, "alternatives", hv_list(c->arena));
		for (size_t i = 1; i < n; i++) {
			struct hv_val *o = hv_push(alt, hv_obj(c->arena));
			hv_set_str(o, "code", hits[i]->code);
			hv_set_str(o, "name", hits[i]->name);
			hv_set_str(o, "parent", hits[i]->depth == 2 ? hits[i]->parent->name : "");
		}
		return hits[0];
	}
	struct tp_match m = {.folded = fold(c->arena, typed), .arena = c->arena};
	if (!m.folded || !*m.folded)
		return NULL;
	if (hv_touch_points(hv_store_reader(c->app->store), HV_ROOT_CODE, tp_match, &m) < 0 || !m.found)
		return NULL;
	return hv_units_get(u, m.unit);
}

bool hv_near_query(struct hv_ctx *c, double *lat, double *lon, bool *bad)
{
	const char *la = hv_query(c, "lat"), *lo = hv_query(c, "lon");
	*bad = false;
	if (!la && !lo)
		return false;
	char *e1 = NULL, *e2 = NULL;
	*lat = la && *la ? strtod(la, &e1) : NAN;
	*lon = lo && *lo ? strtod(lo, &e2) : NAN;
	if (!e1 || !e2 || *e1 || *e2 || isnan(*lat) || isnan(*lon)) {
		*bad = true;
		hv_fail(c, HV_EINVAL, "lat", hv_t(c->lang, "near.bad"));
		return false;
	}
	/* Viet Nam with its islands: the box the touch point form accepts. */
	if (*lat < 8.0 || *lat > 24.0 || *lon < 102.0 || *lon > 118.0) {
		*bad = true;
		hv_fail(c, HV_EINVAL, "lat", hv_t(c->lang, "near.outside"));
		return false;
	}
	return true;
}

double hv_km_between(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0, k = 3.14159265358979323846 / 180.0;
	double dlat = (lat2 - lat1) * k, dlon = (lon2 - lon1) * k;
	double a = sin(dlat / 2) * sin(dlat / 2) + cos(lat1 * k) * cos(lat2 * k) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(sqrt(a));
}
