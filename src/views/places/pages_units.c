/* pages_units.c: browsing the administrative tree (nation → province →
 * commune) as pages and as JSON under /api/v1/units. */
#include "views/pages.h"

#include <string.h>

#include "core/limits.h"
#include "core/utf8.h"
#include "domain/places/units.h"
#include "views/tmpl.h"

static struct hv_units *units_for(struct hv_ctx *c)
{
	struct hv_units *u = hv_units_acquire();
	if (u)
		hv_arena_defer(c->arena, (void (*)(void *))hv_units_release, u);
	return u;
}

/* A unit's kind as the page's language names it ("thành phố" is "city"). */
static const char *kind_label(struct hv_ctx *c, const char *kind)
{
	static const char *const kinds[][2] = {{"tỉnh", "unitkind.province"}, {"thành phố", "unitkind.city"}, {"xã", "unitkind.commune"},
	                                       {"phường", "unitkind.ward"},   {"đặc khu", "unitkind.special"}, {"quốc gia", "unitkind.nation"}};
	for (size_t i = 0; kind && i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kind, kinds[i][0]))
			return hv_t(c->lang, kinds[i][1]);
	return kind;
}

static struct hv_val *unit_val(struct hv_ctx *c, const struct hv_unit *x)
{
	struct hv_val *o = hv_obj(c->arena);
	hv_set(o, "code", hv_str(c->arena, x->code));
	hv_set(o, "name", hv_str(c->arena, x->name));
	hv_set(o, "kind", hv_str(c->arena, kind_label(c, x->kind)));
	hv_set(o, "level", hv_str(c->arena, x->level));
	hv_set_int(o, "children", (int64_t)x->nchildren);
	hv_set_bool(o, "retired", x->retired);
	return o;
}

/* Units are written straight into the body: arrays of a few hundred
 * objects through jansson cost more than the rest of the request. */
static void unit_json(struct hv_buf *b, const struct hv_unit *x)
{
	hv_buf_puts(b, "{\"code\":");
	hv_buf_json_str(b, x->code);
	hv_buf_puts(b, ",\"name\":");
	hv_buf_json_str(b, x->name);
	hv_buf_puts(b, ",\"level\":");
	hv_buf_json_str(b, x->level);
	hv_buf_puts(b, ",\"kind\":");
	hv_buf_json_str(b, x->kind);
	hv_buf_puts(b, ",\"parent_code\":");
	if (x->parent_code)
		hv_buf_json_str(b, x->parent_code);
	else
		hv_buf_puts(b, "null");
	hv_buf_puts(b, ",\"province_code\":");
	if (x->province_code)
		hv_buf_json_str(b, x->province_code);
	else
		hv_buf_puts(b, "null");
	hv_buf_printf(b, ",\"children\":%zu,\"retired\":%s", x->nchildren, x->retired ? "true" : "false");
	if (x->successor_code) {
		hv_buf_puts(b, ",\"successor_code\":");
		hv_buf_json_str(b, x->successor_code);
	}
	hv_buf_putc(b, '}');
}

static void unit_list_json(struct hv_buf *b, const struct hv_unit *const *list, size_t n)
{
	hv_buf_putc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			hv_buf_putc(b, ',');
		unit_json(b, list[i]);
	}
	hv_buf_putc(b, ']');
}

static int json_done(struct hv_ctx *c)
{
	c->status = 200;
	c->resp_type = "application/json";
	return HV_OK;
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
	unit_json(&c->body, x);
	return json_done(c);
}

int hv_api_unit_children(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	const struct hv_unit *x = hv_units_get(u, c->params[0]);
	if (!x)
		return hv_fail(c, HV_ENOTFOUND, "code", "unknown unit code");
	unit_list_json(&c->body, x->children, x->nchildren);
	return json_done(c);
}

int hv_api_units(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	bool bad;
	const char *q = search_query(c, &bad);
	if (bad)
		return HV_OK;
	if (q && *q) {
		const struct hv_unit *hits[HV_SEARCH_RESULTS];
		size_t n = hv_units_search(u, q, hits, HV_SEARCH_RESULTS);
		unit_list_json(&c->body, hits, n);
	} else {
		const struct hv_unit *root = hv_units_root(u);
		unit_list_json(&c->body, root ? root->children : NULL, root ? root->nchildren : 0);
	}
	return json_done(c);
}
