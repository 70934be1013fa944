/* pages_teams.c: organisations (/to-chuc), a team and its leader page
 * (/to-doi/{id}).
 *
 * Handlers only gather the form and call the domain (teams.c), which
 * checks scope on every object: a coordinator who changes the team id in
 * the URL to another organisation's team gets 403, not the page. */
#include "views/pages.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/num.h"
#include "domain/help/teams.h"
#include "domain/places/units.h"
#include "views/help/teams_view.h"
#include "views/tmpl.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"

#define SEE_ORGS (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR | HV_ROLE_VIEWER)

const char *hv_org_kind_label(struct hv_ctx *c, const char *kind)
{
	char key[48];
	snprintf(key, sizeof key, "org.%s", kind);
	return hv_t_exists(key) ? hv_t(c->lang, key) : kind;
}

struct rows {
	struct hv_ctx *c;
	struct hv_val *list;
	struct hv_units *u;
};

static void org_val(const struct hv_org *o, void *arg)
{
	struct rows *r = arg;
	struct hv_val *v = hv_push(r->list, hv_obj(r->c->arena));
	const struct hv_unit *x = hv_units_get(r->u, o->unit);
	hv_set_int(v, "id", o->id);
	hv_set_str(v, "name", o->name);
	hv_set_str(v, "kind", hv_org_kind_label(r->c, o->kind));
	hv_set_str(v, "unit", x ? x->name : o->unit);
}

static void team_val(const struct hv_team *t, void *arg)
{
	struct rows *r = arg;
	struct hv_val *v = hv_push(r->list, hv_obj(r->c->arena));
	const struct hv_unit *x = hv_units_get(r->u, t->unit);
	hv_set_int(v, "id", t->id);
	hv_set_str(v, "name", t->name);
	hv_set_str(v, "unit", x ? x->name : t->unit);
	hv_set_str(v, "org", t->org_name);
	hv_set_str(v, "leader", t->leader_name);
}

static struct hv_val *kind_options(struct hv_ctx *c, const char *selected)
{
	struct hv_val *l = hv_list(c->arena);
	for (int i = 0; hv_org_kinds[i]; i++) {
		struct hv_val *o = hv_push(l, hv_obj(c->arena));
		hv_set_str(o, "value", hv_org_kinds[i]);
		hv_set_str(o, "label", hv_org_kind_label(c, hv_org_kinds[i]));
		hv_set_bool(o, "selected", selected && !strcmp(selected, hv_org_kinds[i]));
	}
	return l;
}

static void set_error(struct hv_ctx *c, struct hv_val *d, const struct hv_error *e)
{
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
}

/* The unit of ?don-vi= or the first of the caller's roles in mask. */
const struct hv_unit *hv_scope_unit(struct hv_ctx *c, const char *code, int mask)
{
	for (int i = 0; !code && i < c->who->acct.nroles; i++)
		if (c->who->acct.roles[i].kind & mask)
			code = c->who->acct.roles[i].unit;
	return code ? hv_units_get(hv_ctx_units(c), code) : NULL;
}

static int orgs_page(struct hv_ctx *c, const struct hv_error *e)
{
	const struct hv_unit *x = hv_scope_unit(c, hv_query(c, "don-vi") ? hv_query(c, "don-vi") : hv_form(c, "unit"), SEE_ORGS);
	if (!x && !hv_query(c, "don-vi")) /* a bad unit in the form: show the caller's own */
		x = hv_scope_unit(c, NULL, SEE_ORGS);
	if (!x || !hv_can(c->who, SEE_ORGS, x))
		return hv_fail(c, HV_EFORBIDDEN, "unit", hv_t(c->lang, "teams.no_scope"));
	struct hv_units *u = hv_ctx_units(c);
	struct hv_conn *conn = hv_store_conn(c->app->store);
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "unit", x->name);
	hv_set_str(d, "unit_code", x->code);
	hv_set_str(d, "picker_to", "to-chuc");   /* the unit picker (views/measure/pages_picker.c) */
	hv_set_str(d, "picker_name", "");
	struct rows r = {.c = c, .list = hv_set(d, "orgs", hv_list(c->arena)), .u = u};
	hv_orgs_list(conn, x->code, 500, org_val, &r);
	/* A coordinator's own organisations, wherever they are held (those
	 * whose unit the role reaches: the pages it may open). */
	r.list = hv_set(d, "mine", hv_list(c->arena));
	for (int i = 0; i < c->who->acct.nroles; i++) {
		struct hv_org o;
		if (c->who->acct.roles[i].org_id && hv_org_get(conn, c->who->acct.roles[i].org_id, &o) == HV_OK &&
		    hv_coordinates(c->who, o.id, hv_units_get(u, o.unit)))
			org_val(&o, &r);
	}
	r.list = hv_set(d, "teams", hv_list(c->arena));
	hv_teams_list(conn, x->code, 0, 500, team_val, &r);
	hv_set_bool(d, "can_create", hv_can_manage_orgs(c->who, x));
	hv_set(d, "kinds", kind_options(c, hv_form(c, "kind")));
	hv_set_str(d, "f_name", hv_form(c, "name") ? hv_form(c, "name") : "");
	set_error(c, d, e);
	return hv_page(c, "orgs", hv_t(c->lang, "teams.orgs_title"), d);
}

int hv_page_orgs(struct hv_ctx *c)
{
	return orgs_page(c, NULL);
}

int hv_post_orgs(struct hv_ctx *c)
{
	struct hv_org o = {0};
	const char *f;
	snprintf(o.name, sizeof o.name, "%s", (f = hv_form(c, "name")) ? f : "");
	snprintf(o.kind, sizeof o.kind, "%s", (f = hv_form(c, "kind")) ? f : "");
	snprintf(o.unit, sizeof o.unit, "%s", (f = hv_form(c, "unit")) ? f : "");
	struct hv_error e = {0};
	if (hv_org_save(c->app->store, c->who, &o, c->ip, &e) < 0)
		return e.code == HV_EFORBIDDEN ? hv_fail_err(c, &e) : orgs_page(c, &e);
	hv_redirect(c, hv_arena_printf(c->arena, "/to-chuc/%lld", (long long)o.id));
	return HV_OK;
}

/* Loads the organisation of the path; answers 404/403 itself. */
static bool load_org(struct hv_ctx *c, struct hv_org *o)
{
	int64_t id;
	int rc = hv_parse_i64(c->params[0], 1, INT64_MAX, &id) < 0 ? HV_ENOTFOUND : hv_org_get(hv_store_conn(c->app->store), id, o);
	if (rc < 0) {
		hv_fail(c, rc, "id", hv_t(c->lang, rc == HV_ENOTFOUND ? "teams.no_org" : "error.retry"));
		return false;
	}
	const struct hv_unit *x = hv_units_get(hv_ctx_units(c), o->unit);
	/* A coordinator of the organisation, whose role reaches its unit. */
	if (!x || !(hv_can(c->who, SEE_ORGS & ~HV_ROLE_COORDINATOR, x) || hv_coordinates(c->who, o->id, x))) {
		hv_fail(c, HV_EFORBIDDEN, "id", hv_t(c->lang, "teams.out_of_scope"));
		return false;
	}
	return true;
}

static int org_page(struct hv_ctx *c, const struct hv_org *o, const struct hv_error *e)
{
	struct hv_units *u = hv_ctx_units(c);
	const struct hv_unit *x = hv_units_get(u, o->unit);
	struct hv_val *d = hv_page_data(c);
	hv_set_int(d, "id", o->id);
	hv_set_str(d, "name", o->name);
	hv_set_str(d, "kind", hv_org_kind_label(c, o->kind));
	hv_set_str(d, "unit", x ? x->name : o->unit);
	hv_set_str(d, "unit_code", o->unit);
	hv_set_bool(d, "can_edit", hv_can_manage_orgs(c->who, x));
	hv_set_bool(d, "can_team", hv_can_manage_orgs(c->who, x) || hv_coordinates(c->who, o->id, x));
	hv_set(d, "kinds", kind_options(c, o->kind));
	hv_set_str(d, "f_team", hv_form(c, "team_name") ? hv_form(c, "team_name") : "");
	hv_set_str(d, "f_team_unit", hv_form(c, "team_unit") ? hv_form(c, "team_unit") : (x && x->depth == 2 ? x->code : ""));
	struct rows r = {.c = c, .list = hv_set(d, "teams", hv_list(c->arena)), .u = u};
	hv_teams_list(hv_store_conn(c->app->store), o->unit, o->id, 500, team_val, &r);
	set_error(c, d, e);
	return hv_page(c, "org", o->name, d);
}

int hv_page_org(struct hv_ctx *c)
{
	struct hv_org o;
	if (!load_org(c, &o))
		return HV_OK;
	return org_page(c, &o, NULL);
}

int hv_post_org(struct hv_ctx *c)
{
	struct hv_org o;
	if (!load_org(c, &o))
		return HV_OK;
	const char *action = hv_form(c, "action") ? hv_form(c, "action") : "";
	struct hv_error e = {0};
	int rc;
	if (!strcmp(action, "edit")) {
		struct hv_org n = {.id = o.id};
		snprintf(n.name, sizeof n.name, "%s", hv_form(c, "name") ? hv_form(c, "name") : "");
		snprintf(n.kind, sizeof n.kind, "%s", hv_form(c, "kind") ? hv_form(c, "kind") : "");
		if ((rc = hv_org_save(c->app->store, c->who, &n, c->ip, &e)) == HV_OK) {
			hv_redirect(c, hv_arena_printf(c->arena, "/to-chuc/%lld", (long long)o.id));
			return HV_OK;
		}
	} else if (!strcmp(action, "team")) {
		int64_t id;
		if ((rc = hv_team_create(c->app->store, c->who, hv_form(c, "team_name"), hv_form(c, "team_unit"), o.id, c->ip, &id, &e)) ==
		    HV_OK) {
			hv_redirect(c, hv_arena_printf(c->arena, "/to-doi/%lld", (long long)id));
			return HV_OK;
		}
	} else {
		rc = hv_err_set(&e, HV_EINVAL, "action", "%s", hv_t(c->lang, "admin.bad_action"));
	}
	(void)rc;
	return e.code == HV_EFORBIDDEN ? hv_fail_err(c, &e) : org_page(c, &o, &e);
}

/* ---- a team ---- */

static bool load_team(struct hv_ctx *c, struct hv_team *t)
{
	int64_t id;
	int rc = hv_parse_i64(c->params[0], 1, INT64_MAX, &id) < 0 ? HV_ENOTFOUND : hv_team_get(hv_store_conn(c->app->store), id, t);
	if (rc < 0) {
		hv_fail(c, rc, "id", hv_t(c->lang, rc == HV_ENOTFOUND ? "teams.no_team" : "error.retry"));
		return false;
	}
	if (!hv_can_manage_team(c->who, t) && t->leader_id != c->who->acct.id) {
		hv_fail(c, HV_EFORBIDDEN, "id", hv_t(c->lang, "teams.out_of_scope"));
		return false;
	}
	return true;
}

struct members {
	struct hv_ctx *c;
	struct hv_val *list;
	struct hv_activity total;
};

static void member_val(const struct hv_activity *a, void *arg)
{
	struct members *m = arg;
	struct hv_val *v = hv_push(m->list, hv_obj(m->c->arena));
	hv_activity_set(m->c, v, a);
	hv_set_str(v, "name", hv_person_name(m->c, a->name));
	hv_set_str(v, "login", a->login);
	hv_set_bool(v, "leader", a->leader);
	if (a->last_at) {
		char when[32];
		time_t t = (time_t)(a->last_at + 7 * 3600);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%d/%m/%Y %H:%M", &tm);
		hv_set_str(v, "last", when);
	}
	/* The team's totals: what was attributed to it (see hv_team_activity). */
	m->total.week += a->team_week;
	m->total.week_minutes += a->team_week_minutes;
	m->total.quarter += a->team_quarter;
	m->total.quarter_minutes += a->team_quarter_minutes;
}

/* Fills list with the members' activity and returns the team's totals. */
struct hv_activity hv_team_members_val(struct hv_ctx *c, int64_t team, struct hv_val *list)
{
	int64_t week, quarter;
	hv_week_quarter_start((int64_t)time(NULL), &week, &quarter);
	struct members m = {.c = c, .list = list};
	hv_team_activity(hv_store_conn(c->app->store), team, week, quarter, member_val, &m);
	return m.total;
}

static int team_page(struct hv_ctx *c, const struct hv_team *t, const struct hv_error *e, const char *notice)
{
	const struct hv_unit *x = hv_units_get(hv_ctx_units(c), t->unit);
	struct hv_val *d = hv_page_data(c);
	hv_set_int(d, "id", t->id);
	hv_set_str(d, "name", t->name);
	hv_set_str(d, "unit", x ? x->name : t->unit);
	hv_set_str(d, "org", t->org_name);
	hv_set_int(d, "org_id", t->org_id);
	hv_set_str(d, "leader", t->leader_name);
	hv_set_bool(d, "can_manage", hv_can_manage_team(c->who, t));
	struct hv_activity total = hv_team_members_val(c, t->id, hv_set(d, "members", hv_list(c->arena)));
	hv_activity_set(c, hv_set(d, "total", hv_obj(c->arena)), &total);
	hv_set_str(d, "f_login", hv_form(c, "login") ? hv_form(c, "login") : "");
	hv_set_str(d, "f_name", hv_form(c, "name") ? hv_form(c, "name") : "");
	set_error(c, d, e);
	if (notice)
		hv_set_str(d, "notice", notice);
	return hv_page(c, "team", t->name, d);
}

int hv_page_team(struct hv_ctx *c)
{
	struct hv_team t;
	if (!load_team(c, &t))
		return HV_OK;
	return team_page(c, &t, NULL, hv_query(c, "da-luu") ? hv_t(c->lang, "admin.saved") : NULL);
}

int hv_post_team(struct hv_ctx *c)
{
	struct hv_team t;
	if (!load_team(c, &t))
		return HV_OK;
	if (!hv_can_manage_team(c->who, &t))
		return hv_fail(c, HV_EFORBIDDEN, "id", hv_t(c->lang, "teams.out_of_scope"));
	const char *action = hv_form(c, "action") ? hv_form(c, "action") : "";
	const char *login = hv_form(c, "login");
	struct hv_error e = {0};
	int rc;
	if (!strcmp(action, "add"))
		rc = hv_team_member(c->app->store, c->who, t.id, HV_TEAM_ADD, login, c->ip, &e);
	else if (!strcmp(action, "remove"))
		rc = hv_team_member(c->app->store, c->who, t.id, HV_TEAM_REMOVE, login, c->ip, &e);
	else if (!strcmp(action, "leader"))
		rc = hv_team_member(c->app->store, c->who, t.id, HV_TEAM_LEADER, login, c->ip, &e);
	else if (!strcmp(action, "create")) {
		struct hv_new_account n = {
			.kind = "staff", .login = login ? login : "", .name = hv_form(c, "name") ? hv_form(c, "name") : "",
			.home_unit = t.unit, .secret = hv_form(c, "password") ? hv_form(c, "password") : "",
			.role_kind = HV_ROLE_VOLUNTEER, .role_unit = t.unit, .team_id = t.id, .actor_id = c->who->acct.id, .ip = c->ip,
		};
		rc = hv_account_create(c->app->store, &n, &e);
	} else
		rc = hv_err_set(&e, HV_EINVAL, "action", "%s", hv_t(c->lang, "admin.bad_action"));
	if (rc == HV_OK) {
		hv_redirect(c, hv_arena_printf(c->arena, "/to-doi/%lld?da-luu=1", (long long)t.id));
		return HV_OK;
	}
	hv_team_get(hv_store_conn(c->app->store), t.id, &t);
	return team_page(c, &t, &e, NULL);
}
