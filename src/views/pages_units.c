/* pages_units.c: browsing the administrative tree (nation → province →
 * commune) as pages and as JSON under /api/v1/units. */
#include "pages.h"

#include <string.h>

#include "core/limits.h"
#include "core/utf8.h"
#include "domain/units.h"
#include "views/tmpl.h"

static struct hv_units *units_for(struct hv_ctx *c)
{
	struct hv_units *u = hv_units_acquire();
	if (u)
		hv_arena_defer(c->arena, (void (*)(void *))hv_units_release, u);
	return u;
}

static struct hv_val *unit_val(struct hv_ctx *c, const struct hv_unit *x)
{
	struct hv_val *o = hv_obj(c->arena);
	hv_set(o, "code", hv_str(c->arena, x->code));
	hv_set(o, "name", hv_str(c->arena, x->name));
	hv_set(o, "kind", hv_str(c->arena, x->kind));
	hv_set(o, "level", hv_str(c->arena, x->level));
	hv_set_int(o, "children", (int64_t)x->nchildren);
	hv_set_bool(o, "retired", x->retired);
	return o;
}

static json_t *unit_json(const struct hv_unit *x)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(x->code));
	json_object_set_new(o, "name", json_string(x->name));
	json_object_set_new(o, "level", json_string(x->level));
	json_object_set_new(o, "kind", json_string(x->kind));
	json_object_set_new(o, "parent_code", x->parent_code ? json_string(x->parent_code) : json_null());
	json_object_set_new(o, "province_code", x->province_code ? json_string(x->province_code) : json_null());
	json_object_set_new(o, "children", json_integer((json_int_t)x->nchildren));
	json_object_set_new(o, "retired", json_boolean(x->retired));
	if (x->successor_code)
		json_object_set_new(o, "successor_code", json_string(x->successor_code));
	return o;
}

/* Checks a search query: UTF-8, bounded.  Returns NULL and answers 400 if bad. */
static const char *search_query(struct hv_ctx *c, bool *bad)
{
	const char *q = hv_query(c, "q");
	*bad = false;
	if (!q)
		return NULL;
	if (strlen(q) > HV_SEARCH_MAX) {
		*bad = true;
		hv_fail(c, HV_EINVAL, "q", hv_t(c->lang, "search.too_long"));
		return NULL;
	}
	return q;
}

int hv_page_units(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	const struct hv_unit *root = hv_units_root(u);
	if (!root)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.no_units"));
	bool bad;
	const char *q = search_query(c, &bad);
	if (bad)
		return HV_OK;
	struct hv_val *d = hv_page_data(c);
	if (q && *q) {
		const struct hv_unit *hits[HV_SEARCH_RESULTS];
		size_t n = hv_units_search(u, q, hits, HV_SEARCH_RESULTS);
		struct hv_val *list = hv_set(d, "results", hv_list(c->arena));
		for (size_t i = 0; i < n; i++) {
			struct hv_val *o = hv_push(list, unit_val(c, hits[i]));
			const struct hv_unit *p = hits[i]->depth == 2 ? hits[i]->parent : NULL;
			hv_set(o, "parent", hv_str(c->arena, p ? p->name : ""));
		}
		hv_set_str(d, "q", q);
		hv_set_bool(d, "searched", true);
	} else {
		hv_set_str(d, "q", "");
	}
	struct hv_val *provinces = hv_set(d, "provinces", hv_list(c->arena));
	for (size_t i = 0; i < root->nchildren; i++)
		hv_push(provinces, unit_val(c, root->children[i]));
	hv_set_int(d, "nprovinces", (int64_t)hv_units_count(u, "province"));
	hv_set_int(d, "ncommunes", (int64_t)hv_units_count(u, "commune"));
	return hv_page(c, "units", hv_t(c->lang, "units.title"), d);
}

int hv_page_unit(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	const struct hv_unit *x = hv_units_get(u, c->params[0]);
	if (!x)
		return hv_fail(c, HV_ENOTFOUND, "code", hv_t(c->lang, "units.unknown"));
	if (x->depth == 0) {
		hv_redirect(c, "/don-vi");
		return HV_OK;
	}
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "unit", unit_val(c, x));
	if (x->parent && x->depth == 2)
		hv_set(d, "parent", unit_val(c, x->parent));
	if (x->successor_code) {
		const struct hv_unit *s = hv_units_get(u, x->successor_code);
		if (s)
			hv_set(d, "successor", unit_val(c, s));
	}
	struct hv_val *kids = hv_set(d, "communes", hv_list(c->arena));
	int64_t nx = 0, np = 0, nd = 0;
	for (size_t i = 0; i < x->nchildren; i++) {
		const struct hv_unit *k = x->children[i];
		hv_push(kids, unit_val(c, k));
		if (!strcmp(k->kind, "xã"))
			nx++;
		else if (!strcmp(k->kind, "phường"))
			np++;
		else
			nd++;
	}
	hv_set_int(d, "nxa", nx);
	hv_set_int(d, "nphuong", np);
	hv_set_int(d, "ndackhu", nd);
	hv_set_bool(d, "is_province", x->depth == 1);
	return hv_page(c, "unit", x->name, d);
}

int hv_api_unit(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	const struct hv_unit *x = hv_units_get(u, c->params[0]);
	if (!x)
		return hv_fail(c, HV_ENOTFOUND, "code", "unknown unit code");
	return hv_json(c, 200, unit_json(x));
}

int hv_api_unit_children(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	const struct hv_unit *x = hv_units_get(u, c->params[0]);
	if (!x)
		return hv_fail(c, HV_ENOTFOUND, "code", "unknown unit code");
	json_t *a = json_array();
	for (size_t i = 0; i < x->nchildren; i++)
		json_array_append_new(a, unit_json(x->children[i]));
	return hv_json(c, 200, a);
}

int hv_api_units(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	bool bad;
	const char *q = search_query(c, &bad);
	if (bad)
		return HV_OK;
	json_t *a = json_array();
	if (q && *q) {
		const struct hv_unit *hits[HV_SEARCH_RESULTS];
		size_t n = hv_units_search(u, q, hits, HV_SEARCH_RESULTS);
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, unit_json(hits[i]));
	} else {
		const struct hv_unit *root = hv_units_root(u);
		for (size_t i = 0; root && i < root->nchildren; i++)
			json_array_append_new(a, unit_json(root->children[i]));
	}
	return hv_json(c, 200, a);
}
