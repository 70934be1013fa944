/* pages_help.c: the Help pillar's pages and API: the one-screen assist
 * form for volunteers (its hidden UUID makes a resubmitted form count
 * once, with or without JavaScript), POST/GET /api/v1/assists, touch
 * points (public list per unit, a page each, and JSON). */
#include "views/pages.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/assets.h"
#include "core/ids.h"
#include "core/num.h"
#include "domain/measure/measure.h"
#include "domain/help/outreach.h"
#include "domain/help/teams.h"
#include "domain/measure/targets.h"
#include "domain/places/units.h"
#include "views/places/find_place.h"
#include "views/tmpl.h"
#include "domain/people/roles.h"

/* Fails with 401 unless a signed-in (second factor done) or bearer caller. */
static bool api_signed_in(struct hv_ctx *c)
{
	if (c->who && c->who->second_factor)
		return true;
	hv_fail(c, HV_EUNAUTH, NULL, "sign in or send Authorization: Bearer TOKEN");
	return false;
}

/* Answers with the JSON text body (malloc'd, freed here), never cached. */
static int send_json_text(struct hv_ctx *c, int status, char *body)
{
	hv_buf_reset(&c->body);
	hv_buf_puts(&c->body, body);
	free(body);
	c->status = status;
	c->resp_type = "application/json";
	c->no_store = true;
	return HV_OK;
}

int hv_api_assist_post(struct hv_ctx *c)
{
	if (!api_signed_in(c))
		return HV_OK;
	if (!c->json)
		return hv_fail(c, HV_EINVAL, "", "send the assist as a JSON object (Content-Type: application/json)");
	struct hv_assist_result r;
	struct hv_error e = {0};
	if (hv_assist_submit(c->app->store, c->who, c->json, c->ip, &r, &e) < 0)
		return hv_fail_err(c, &e);
	return send_json_text(c, r.created ? 201 : 200, r.body);
}

int hv_api_assist_get(struct hv_ctx *c)
{
	if (!api_signed_in(c))
		return HV_OK;
	char *body = NULL, unit[8], id[37];
	struct hv_error e = {0};
	if (hv_assist_get(hv_store_conn(c->app->store), c->who, c->params[0], &body, unit, &e) < 0)
		return hv_fail_err(c, &e);
	for (int i = 0; i < 37; i++) /* a valid UUID: named as stored */
		id[i] = (char)tolower((unsigned char)c->params[0][i]);
	if (!hv_audit_read(c, "assist.read", id, unit, NULL)) {
		free(body);
		return HV_OK;
	}
	return send_json_text(c, 200, body);
}

int hv_api_assist_edit(struct hv_ctx *c)
{
	if (!api_signed_in(c))
		return HV_OK;
	if (!c->json)
		return hv_fail(c, HV_EINVAL, "", "send the changed assist as a JSON object");
	char *body = NULL;
	struct hv_error e = {0};
	if (hv_assist_edit(c->app->store, c->who, c->params[0], c->json, c->ip, &body, &e) < 0)
		return hv_fail_err(c, &e);
	return send_json_text(c, 200, body);
}

int hv_api_assist_delete(struct hv_ctx *c)
{
	if (!api_signed_in(c))
		return HV_OK;
	struct hv_error e = {0};
	if (hv_assist_delete(c->app->store, c->who, c->params[0], c->ip, &e) < 0)
		return hv_fail_err(c, &e);
	return send_json_text(c, 200, hv_xstrdup("{\"deleted\":true}"));
}

struct tp_list {
	struct hv_ctx *c;
	json_t *arr;
	struct hv_val *list;
	struct hv_units *u;
	const char *chosen; /* the id of the touch point chosen, if any */
	bool near;          /* nearest first from (lat, lon): only points with coordinates */
	double lat, lon;
};

static void tp_json(const struct hv_touch_point *tp, void *arg)
{
	struct tp_list *l = arg;
	json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:b, s:s}", "id", (json_int_t)tp->id, "name", tp->name, "unit", tp->unit,
	                      "address", tp->address, "free_wifi", tp->free_wifi, "hours", tp->hours);
	json_object_set_new(o, "lat", tp->has_coords ? json_real(tp->lat) : json_null());
	json_object_set_new(o, "lon", tp->has_coords ? json_real(tp->lon) : json_null());
	json_array_append_new(l->arr, o);
}

int hv_api_touch_points(struct hv_ctx *c)
{
	const char *unit = hv_query(c, "unit");
	if (!unit || !*unit)
		return hv_fail(c, HV_EINVAL, "unit", "give ?unit=CODE (a province or commune code)");
	struct tp_list l = {.c = c, .arr = json_array()};
	int rc = hv_touch_points(hv_store_reader(c->app->store), unit, tp_json, &l);
	if (rc < 0) {
		json_decref(l.arr);
		return hv_fail(c, rc, "unit", rc == HV_ENOTFOUND ? "unknown unit code" : "database unavailable");
	}
	return hv_json(c, 200, l.arr);
}

/* A directions link the phone's map app opens (RFC 5870 geo: URI). */
static const char *geo_uri(struct hv_ctx *c, const struct hv_touch_point *tp)
{
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_printf(&b, "geo:%.6f,%.6f?q=%.6f,%.6f(", tp->lat, tp->lon, tp->lat, tp->lon);
	hv_buf_urlenc(&b, tp->name, strlen(tp->name));
	hv_buf_puts(&b, ")");
	const char *s = b.failed ? "" : hv_arena_strndup(c->arena, b.data, b.len);
	hv_buf_free(&b);
	return s;
}

static void tp_val(const struct hv_touch_point *tp, void *arg)
{
	struct tp_list *l = arg;
	if (l->near && !tp->has_coords)
		return;
	struct hv_val *o = hv_push(l->list, hv_obj(l->c->arena));
	hv_set_int(o, "id", tp->id);
	hv_set_str(o, "name", tp->name);
	hv_set_str(o, "address", tp->address);
	hv_set_str(o, "hours", tp->hours);
	hv_set_bool(o, "wifi", tp->free_wifi);
	const struct hv_unit *x = l->u ? hv_units_get(l->u, tp->unit) : NULL;
	hv_set_str(o, "unit", x ? x->name : tp->unit);
	hv_set_bool(o, "on", l->chosen && atoll(l->chosen) == tp->id);
	if (tp->has_coords)
		hv_set_str(o, "geo", geo_uri(l->c, tp));
	if (l->near) {
		double km = hv_km_between(l->lat, l->lon, tp->lat, tp->lon);
		hv_set_str(o, "km", hv_arena_printf(l->c->arena, km < 10 ? "%.1f" : "%.0f", km));
		hv_set_int(o, "m", (int64_t)(km * 1000));
	}
}

static int by_distance(const void *a, const void *b)
{
	int64_t x = hv_get(*(struct hv_val *const *)a, "m")->i, y = hv_get(*(struct hv_val *const *)b, "m")->i;
	return x < y ? -1 : x > y;
}

/* /diem-cham: by unit code (?don-vi=), by what was typed (?q=: a commune,
 * province or touch point name, diacritics optional), or nearest first
 * (?lat=&lon=, from the browser's location; used once, kept nowhere). */
int hv_page_touch_points(struct hv_ctx *c)
{
	struct hv_units *u = hv_ctx_units(c);
	struct hv_val *d = hv_page_data(c);
	double lat = 0, lon = 0;
	bool bad;
	bool near = hv_near_query(c, &lat, &lon, &bad);
	if (bad)
		return HV_OK;
	const char *q = hv_query(c, "q");
	const char *code = hv_query(c, "don-vi") ? hv_query(c, "don-vi") : hv_query(c, "unit");
	hv_set_str(d, "q", q ? q : "");
	const struct hv_unit *x = near ? hv_units_get(u, HV_ROOT_CODE) : hv_find_place(c, u, q && *q ? q : code, d);
	if (!x) {
		c->status = 404;
		hv_set_str(d, "not_found", hv_t(c->lang, "near.no_place"));
		hv_set(d, "points", hv_list(c->arena));
		return hv_page(c, "touch_points", hv_t(c->lang, "help.points_title"), d);
	}
	hv_set(d, "unit", hv_str(c->arena, near ? hv_t(c->lang, "near.title") : x->name));
	hv_set(d, "unit_code", hv_str(c->arena, x->code));
	hv_set_bool(d, "near", near);
	struct tp_list l = {.c = c, .list = hv_set(d, "points", hv_list(c->arena)), .u = u, .near = near, .lat = lat, .lon = lon};
	if (hv_touch_points(hv_store_reader(c->app->store), x->code, tp_val, &l) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	if (near) { /* the nearest 20 */
		qsort(l.list->items, l.list->n, sizeof *l.list->items, by_distance);
		if (l.list->n > 20)
			l.list->n = 20;
	}
	hv_set_bool(d, "can_add", !near && c->who && hv_can(c->who, HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR, x) && x->depth == 2);
	if (c->who)
		hv_set_str(d, "csrf", hv_csrf_token(c));
	c->no_store = near;
	return hv_page(c, "touch_points", hv_t(c->lang, "help.points_title"), d);
}

int hv_post_touch_point(struct hv_ctx *c)
{
	struct hv_touch_point tp = {0};
	const char *f;
	snprintf(tp.name, sizeof tp.name, "%s", (f = hv_form(c, "name")) ? f : "");
	snprintf(tp.unit, sizeof tp.unit, "%s", (f = hv_form(c, "unit")) ? f : "");
	snprintf(tp.address, sizeof tp.address, "%s", (f = hv_form(c, "address")) ? f : "");
	snprintf(tp.hours, sizeof tp.hours, "%s", (f = hv_form(c, "hours")) ? f : "");
	tp.free_wifi = hv_form(c, "wifi") != NULL;
	const char *lat = hv_form(c, "lat"), *lon = hv_form(c, "lon");
	struct hv_error e = {0};
	if (lat && *lat && lon && *lon) {
		char *end1, *end2;
		tp.lat = strtod(lat, &end1);
		tp.lon = strtod(lon, &end2);
		if (*end1 || *end2)
			return hv_fail(c, HV_EINVAL, "lat", hv_t(c->lang, "help.bad_coords"));
		tp.has_coords = true;
	}
	int64_t id;
	if (hv_touch_point_add(c->app->store, c->who, &tp, &id, &e) < 0)
		return hv_fail_err(c, &e);
	hv_redirect(c, hv_arena_printf(c->arena, "/diem-cham?unit=%s", tp.unit));
	return HV_OK;
}

/* ---- the assist form ---- */

/* The fields a person must answer, checked all at once: each missing one
 * is marked beside its group and listed at the top of the form. */
struct missing {
	const char *field, *key, *anchor;
};
static const struct missing required_fields[] = {
	{"services", "help.field.services", "f-services"},
	{"age", "help.field.person.age_band", "f-age"},
	{"gender", "help.field.person.gender", "f-gender"},
	{"group", "help.field.person.group", "f-group"},
	{"outcome", "help.field.outcome", "f-outcome"},
	{"smartphone", "help.field.has_smartphone", "f-smartphone"},
};
#define NREQUIRED (sizeof required_fields / sizeof required_fields[0])

static bool in_list(const char *const *list, const char *v)
{
	for (int i = 0; v && list[i]; i++)
		if (!strcmp(list[i], v))
			return true;
	return false;
}

/* Sets miss[i] for every required field the posted form leaves empty or
 * invalid; returns how many. */
static int find_missing(struct hv_ctx *c, bool miss[NREQUIRED])
{
	bool any = false;
	for (int k = 0; hv_services[k]; k++)
		any |= hv_form(c, hv_arena_printf(c->arena, "s_%s", hv_services[k])) != NULL;
	const char *phone = hv_form(c, "phone"), *sp = hv_form(c, "smartphone");
	bool anon = !phone || !*phone;
	miss[0] = !any;
	miss[1] = anon && !in_list(hv_age_bands, hv_form(c, "age_band"));
	miss[2] = anon && !in_list(hv_genders, hv_form(c, "gender"));
	miss[3] = anon && !in_list(hv_groups, hv_form(c, "group"));
	miss[4] = !in_list(hv_outcomes, hv_form(c, "outcome"));
	miss[5] = !sp || (strcmp(sp, "yes") != 0 && strcmp(sp, "no") != 0);
	int n = 0;
	for (size_t i = 0; i < NREQUIRED; i++)
		n += miss[i];
	return n;
}

/* A list of {code, label, first, on} for one choice, "on" when the posted
 * form chose it (or, for a default, when nothing was posted). */
static void choices(struct hv_ctx *c, struct hv_val *d, const char *name, const char *prefix, const char *const *codes,
                    const char *chosen, const char *fallback)
{
	struct hv_val *l = hv_set(d, name, hv_list(c->arena));
	for (int k = 0; codes[k]; k++) {
		struct hv_val *o = hv_push(l, hv_obj(c->arena));
		char key[48];
		snprintf(key, sizeof key, "%s.%s", prefix, codes[k]);
		hv_set(o, "code", hv_str(c->arena, codes[k]));
		hv_set(o, "label", hv_str(c->arena, hv_t(c->lang, key)));
		hv_set_bool(o, "first", k == 0);
		const char *on = chosen ? chosen : fallback;
		hv_set_bool(o, "on", on && !strcmp(on, codes[k]));
	}
}

static int help_form(struct hv_ctx *c, const struct hv_error *e, const bool *miss, const char *notice)
{
	struct hv_val *d = hv_page_data(c);
	struct hv_units *u = hv_ctx_units(c);
	/* The unit: the first where the caller may log help. */
	const char *unit = hv_form(c, "unit");
	for (int i = 0; !unit && i < c->who->acct.nroles; i++)
		if (c->who->acct.roles[i].kind & HV_ROLES_LOG_HELP)
			unit = c->who->acct.roles[i].unit;
	const struct hv_unit *x = unit ? hv_units_get(u, unit) : NULL;
	if (!x || !hv_can(c->who, HV_ROLES_LOG_HELP, x))
		return hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "help.no_scope"));
	/* A refused form comes back with its id and its answers. */
	const char *f, *kept = e ? hv_form(c, "id") : NULL;
	char uuid[37];
	if (kept && hv_uuid_valid(kept))
		snprintf(uuid, sizeof uuid, "%s", kept);
	else
		hv_uuid_new(uuid);
	hv_set_str(d, "uuid", uuid);
	hv_set(d, "unit", hv_str(c->arena, x->name));
	hv_set(d, "unit_code", hv_str(c->arena, x->code));
	hv_set_str(d, "csrf", hv_csrf_token(c));
	struct hv_val *sv = hv_set(d, "services", hv_list(c->arena));
	for (int k = 0; hv_services[k]; k++) {
		struct hv_val *o = hv_push(sv, hv_obj(c->arena));
		char key[48];
		snprintf(key, sizeof key, "service.%s", hv_services[k]);
		hv_set(o, "code", hv_str(c->arena, hv_services[k]));
		hv_set(o, "label", hv_str(c->arena, hv_t(c->lang, key)));
		hv_set_bool(o, "on", e && hv_form(c, hv_arena_printf(c->arena, "s_%s", hv_services[k])));
	}
	choices(c, d, "ages", "age", hv_age_bands, e ? hv_form(c, "age_band") : NULL, NULL);
	choices(c, d, "genders", "gender", hv_genders, e ? hv_form(c, "gender") : NULL, NULL);
	choices(c, d, "groups", "group", hv_groups, e ? hv_form(c, "group") : NULL, NULL);
	choices(c, d, "outcomes", "outcome", hv_outcomes, e ? hv_form(c, "outcome") : NULL, e ? NULL : hv_outcomes[0]);
	hv_set_str(d, "other", e && (f = hv_form(c, "other")) ? f : "");
	hv_set_str(d, "phone", e && (f = hv_form(c, "phone")) ? f : "");
	hv_set_str(d, "minutes", e && (f = hv_form(c, "minutes")) ? f : "");
	if (e) {
		f = hv_form(c, "smartphone");
		hv_set_bool(d, "sp_yes", f && !strcmp(f, "yes"));
		hv_set_bool(d, "sp_no", f && !strcmp(f, "no"));
	}
	struct tp_list l = {.c = c, .list = hv_set(d, "points", hv_list(c->arena)), .u = u, .chosen = e ? hv_form(c, "touch_point") : NULL};
	hv_touch_points(hv_store_conn(c->app->store), x->code, tp_val, &l);
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	if (miss) {
		struct hv_val *m = hv_set(d, "miss", hv_obj(c->arena));
		struct hv_val *errs = hv_set(d, "errors", hv_list(c->arena));
		for (size_t i = 0; i < NREQUIRED; i++) {
			hv_set_bool(m, required_fields[i].field, miss[i]);
			if (!miss[i])
				continue;
			struct hv_val *o = hv_push(errs, hv_obj(c->arena));
			hv_set_str(o, "text", hv_t(c->lang, required_fields[i].key));
			hv_set_str(o, "anchor", required_fields[i].anchor);
		}
	}
	if (notice)
		hv_set_str(d, "notice", notice);
	return hv_page(c, "help_form", hv_t(c->lang, "help.form_title"), d);
}

int hv_page_help(struct hv_ctx *c)
{
	return help_form(c, NULL, NULL, hv_query(c, "da-ghi") ? hv_t(c->lang, "help.saved") : NULL);
}

int hv_post_help(struct hv_ctx *c)
{
	/* Every required answer is checked at once, before anything else. */
	bool miss[NREQUIRED];
	if (find_missing(c, miss) > 0) {
		struct hv_error me = {0};
		hv_err_set(&me, HV_EINVAL, "", "%s", hv_t(c->lang, "help.missing"));
		return help_form(c, &me, miss, NULL);
	}
	/* The form becomes the same JSON the API takes. */
	json_t *in = json_object();
	const char *f;
	json_object_set_new(in, "id", json_string((f = hv_form(c, "id")) ? f : ""));
	json_object_set_new(in, "unit", json_string((f = hv_form(c, "unit")) ? f : ""));
	json_t *sv = json_array();
	for (int k = 0; hv_services[k]; k++)
		if (hv_form(c, hv_arena_printf(c->arena, "s_%s", hv_services[k])))
			json_array_append_new(sv, json_string(hv_services[k]));
	json_object_set_new(in, "services", sv);
	if ((f = hv_form(c, "other")) && *f)
		json_object_set_new(in, "other", json_string(f));
	json_t *p = json_object();
	const char *phone = hv_form(c, "phone");
	if (phone && *phone) {
		json_object_set_new(p, "phone", json_string(phone));
	} else {
		json_object_set_new(p, "age_band", json_string((f = hv_form(c, "age_band")) ? f : ""));
		json_object_set_new(p, "gender", json_string((f = hv_form(c, "gender")) ? f : ""));
		json_object_set_new(p, "group", json_string((f = hv_form(c, "group")) ? f : ""));
	}
	json_object_set_new(in, "person", p);
	json_object_set_new(in, "outcome", json_string((f = hv_form(c, "outcome")) ? f : ""));
	f = hv_form(c, "smartphone");
	if (f && (!strcmp(f, "yes") || !strcmp(f, "no")))
		json_object_set_new(in, "has_smartphone", json_boolean(!strcmp(f, "yes")));
	int64_t tp;
	if ((f = hv_form(c, "touch_point")) && *f && hv_parse_i64(f, 1, INT64_MAX, &tp) == 0)
		json_object_set_new(in, "touch_point", json_integer(tp));
	int64_t minutes;
	if ((f = hv_form(c, "minutes")) && *f) /* a bad value stays text: the validator names the field */
		json_object_set_new(in, "minutes", hv_parse_i64(f, 1, 600, &minutes) == 0 ? json_integer(minutes) : json_string(f));
	struct hv_assist_result r;
	struct hv_error e = {0};
	int rc = hv_assist_submit(c->app->store, c->who, in, c->ip, &r, &e);
	json_decref(in);
	if (rc < 0) {
		char key[64];
		snprintf(key, sizeof key, "help.field.%s", e.code == HV_ELIMIT ? "limit" : e.field);
		if (hv_t_exists(key))
			snprintf(e.msg, sizeof e.msg, "%s", hv_t(c->lang, key));
		return help_form(c, &e, NULL, NULL);
	}
	free(r.body);
	hv_redirect(c, "/ho-tro?da-ghi=1");
	return HV_OK;
}

/* The service worker must be served from the root to control /ho-tro. */
int hv_service_worker(struct hv_ctx *c)
{
	const struct hv_asset *a = hv_asset_find("web/sw.js");
	if (!a)
		return hv_fail(c, HV_ENOTFOUND, NULL, hv_t(c->lang, "error.not_found"));
	hv_buf_reset(&c->body);
	hv_buf_append(&c->body, a->data, a->len);
	c->status = 200;
	c->resp_type = "text/javascript; charset=utf-8";
	c->cache_control = "no-cache";
	return HV_OK;
}

/* GET /api/v1/units/{code}/indicators?period=2025Q4: every indicator of a
 * unit for a period, for staff whose roles reach the unit. */
int hv_api_indicators(struct hv_ctx *c)
{
	if (!api_signed_in(c))
		return HV_OK;
	struct hv_units *u = hv_ctx_units(c);
	/* "~79": the records of 79 itself, in no unit below (its "not assigned" row). */
	bool own = c->params[0][0] == '~';
	const struct hv_unit *x = hv_units_get(u, c->params[0] + own);
	if (!x || (own && x->depth == 2))
		return hv_measure_bad_unit(c, c->params[0] + own, "code");
	const char *agg_unit = own ? c->params[0] : x->code;
	if (!hv_can(c->who, HV_ROLES_ALL, x))
		return hv_fail(c, HV_EFORBIDDEN, "code", "this unit is outside your roles");
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	const char *period = hv_query(c, "period") ? hv_query(c, "period") : q;
	if (!hv_period_valid(period))
		return hv_fail(c, HV_EINVAL, "period", "period is a year (2026) or a quarter (2026Q4)");
	struct hv_conn *conn = hv_store_reader(c->app->store);
	int64_t org = 0;
	if (hv_query(c, "organisation") && hv_parse_i64(hv_query(c, "organisation"), 1, INT64_MAX, &org) < 0)
		return hv_fail(c, HV_EINVAL, "organisation", "organisation is the number of an organisation");
	struct hv_org known;
	int orc = org ? hv_org_get(conn, org, &known) : HV_OK;
	if (orc == HV_ENOTFOUND)
		return hv_fail(c, HV_EINVAL, "organisation", "no such organisation");
	if (orc < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, "Database unavailable, try again shortly.");
	const char *group = hv_query(c, "group");
	if (group && !hv_group_valid(group))
		return hv_fail(c, HV_EINVAL, "group", "group is one of elderly, worker, pupil, civil_servant, small_business, disability, ethnic_minority, other");
	if (group && org)
		return hv_fail(c, HV_EINVAL, "group", "give organisation or group, not both");
	/* Values of the breakdown asked for ("2026Q4@o12"), all in one query. */
	char agg_period[64], dim[HV_DIM_MAX] = "";
	if (group)
		hv_dim_group(dim, group);
	else if (org)
		hv_dim_org(dim, org);
	snprintf(agg_period, sizeof agg_period, "%s%s", period, dim);
	const char *codes[64];
	int n = 0;
	for (; hv_indicators[n].code && n < 63; n++)
		codes[n] = hv_indicators[n].code;
	codes[n] = NULL;
	int64_t values[64], updated = 0;
	if (hv_agg_values(conn, agg_unit, agg_period, codes, values, &updated) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, "Database unavailable, try again shortly.");
	json_t *a = json_array();
	bool failed = false;
	for (int i = 0; i < n; i++) {
		int64_t target;
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:s}", "code", codes[i], "name", hv_indicators[i].name_vi, "name_en",
		                      hv_indicators[i].name_en, "unit", hv_indicators[i].unit_vi, "value", (json_int_t)values[i],
		                      "period", period);
		int trc = hv_target_get(conn, agg_unit, org, codes[i], period, &target);
		failed |= trc == HV_EUNAVAIL;
		json_object_set_new(o, "target", trc == HV_OK ? json_integer(target) : json_null());
		json_object_set_new(o, "updated_at", updated ? json_integer(updated) : json_null());
		json_array_append_new(a, o);
	}
	/* Shares: people certified out of the imported population (overall, civil
	 * servants, pupils), and smartphone ownership among the people helped. */
	int64_t cs = 0, pu = 0, up2 = 0;
	struct hv_pop popn;
	failed |= hv_population_tree(conn, x, atoi(period), &popn, NULL) < 0;
	bool pop = !failed && popn.known && !own; /* rolled up from the units below; none for the unassigned row */
	int64_t adults = popn.value[HV_POP_ADULTS], civil = popn.value[HV_POP_CIVIL], pupils = popn.value[HV_POP_PUPILS];
	char p2[64];
	const char *one[] = {"people_certified", NULL};
	snprintf(p2, sizeof p2, "%s@gcivil_servant", period);
	failed |= hv_agg_values(conn, agg_unit, p2, one, &cs, &up2) < 0;
	snprintf(p2, sizeof p2, "%s@gpupil", period);
	failed |= hv_agg_values(conn, agg_unit, p2, one, &pu, &up2) < 0;
	const struct {
		const char *code;
		int64_t num, den;
	} shares[] = { /* in the order of hv_ratios */
		{"adults_certified_pct", values[hv_indicator_index("people_certified")], pop ? adults : 0},
		{"civil_servants_certified_pct", cs, pop ? civil : 0},
		{"pupils_certified_pct", pu, pop ? pupils : 0},
		{"smartphone_pct", values[hv_indicator_index("assists_smartphone")], values[hv_indicator_index("assists")]},
	};
	for (size_t i = 0; i < sizeof shares / sizeof shares[0]; i++) {
		int64_t target;
		const struct hv_indicator *def = hv_indicator_find(shares[i].code);
		json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s}", "code", shares[i].code, "name", def->name_vi, "name_en", def->name_en,
		                      "unit", "%", "period", period);
		json_object_set_new(o, "value", shares[i].den > 0 ? json_real(hv_ratio_pct(shares[i].num, shares[i].den)) : json_null());
		int trc = hv_target_get(conn, agg_unit, org, shares[i].code, period, &target);
		failed |= trc == HV_EUNAVAIL;
		json_object_set_new(o, "target", trc == HV_OK ? json_integer(target) : json_null());
		json_object_set_new(o, "updated_at", updated ? json_integer(updated) : json_null());
		json_array_append_new(a, o);
	}
	if (failed) { /* a figure is unknown: never answered as zero or "no target" */
		json_decref(a);
		return hv_fail(c, HV_EUNAVAIL, NULL, "Database unavailable, try again shortly.");
	}
	c->no_store = true;
	return hv_json(c, 200, a);
}

/* POST /api/v1/targets {"unit", "indicator", "period", "value", "organisation"?} */
int hv_api_target(struct hv_ctx *c)
{
	if (!api_signed_in(c))
		return HV_OK;
	if (!json_is_object(c->json))
		return hv_fail(c, HV_EINVAL, "", "send {\"unit\", \"indicator\", \"period\", \"value\"} as JSON");
	json_t *v = json_object_get(c->json, "value"), *org = json_object_get(c->json, "organisation");
	if (!json_is_integer(v))
		return hv_fail(c, HV_EINVAL, "value", "value is a whole number");
	if (org && !json_is_null(org) && !json_is_integer(org))
		return hv_fail(c, HV_EINVAL, "organisation", "organisation is a number");
	struct hv_error e = {0};
	const char *unit = json_string_value(json_object_get(c->json, "unit"));
	const char *ind = json_string_value(json_object_get(c->json, "indicator"));
	const char *period = json_string_value(json_object_get(c->json, "period"));
	if (hv_target_set(c->app->store, c->who, unit, org && json_is_integer(org) ? json_integer_value(org) : 0, ind, period,
	                  json_integer_value(v), c->ip, &e) < 0)
		return hv_fail_err(c, &e);
	c->no_store = true;
	return hv_json(c, 200, json_pack("{s:s, s:s, s:s, s:I}", "unit", unit, "indicator", ind, "period", period, "value",
	                                 (json_int_t)json_integer_value(v)));
}
