/* pages_admin.c: account administration within the viewer's scope.
 *
 * Every handler that takes an account id checks hv_can_manage_account
 * before showing or changing anything, so changing the id in the URL to an
 * account of another unit answers 403 (no IDOR).  Reads of another
 * person's record are audit-logged, and not served if the row cannot be
 * written.  A coordinator role may name only an organisation of the
 * caller's units. */
#include "views/pages.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/num.h"
#include "domain/help/teams.h"
#include "domain/places/units.h"
#include "views/pickers.h"
#include "views/tmpl.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"

static struct hv_units *units_for(struct hv_ctx *c)
{
	struct hv_units *u = hv_units_acquire();
	hv_arena_defer(c->arena, (void (*)(void *))hv_units_release, u);
	return u;
}

/* The first unit where the principal manages accounts. */
static struct hv_val *role_options(struct hv_ctx *c, int mask, const char *selected)
{
	static const int kinds[] = {HV_ROLE_VOLUNTEER, HV_ROLE_COORDINATOR, HV_ROLE_VIEWER, HV_ROLE_EDITOR, HV_ROLE_MANAGER, HV_ROLE_ADMIN};
	struct hv_val *list = hv_list(c->arena);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		if (!(mask & kinds[i]))
			continue;
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		char key[32];
		snprintf(key, sizeof key, "role.%s", hv_role_name(kinds[i]));
		hv_set(o, "value", hv_str(c->arena, hv_role_name(kinds[i])));
		hv_set(o, "label", hv_str(c->arena, hv_t(c->lang, key)));
		hv_set_bool(o, "selected", selected && !strcmp(selected, hv_role_name(kinds[i])));
	}
	return list;
}

struct list_ctx {
	struct hv_ctx *c;
	struct hv_val *list;
	struct hv_units *u;
};

static void add_row(const struct hv_account *a, void *arg)
{
	struct list_ctx *l = arg;
	struct hv_ctx *c = l->c;
	struct hv_val *o = hv_push(l->list, hv_obj(c->arena));
	hv_set_int(o, "id", a->id);
	hv_set_str(o, "login", a->login);
	hv_set_str(o, "name", a->name);
	hv_set_bool(o, "disabled", a->disabled);
	const struct hv_unit *x = hv_units_get(l->u, a->home_unit);
	hv_set_str(o, "unit", x ? x->name : a->home_unit);
	struct hv_buf roles;
	hv_buf_init(&roles);
	for (int i = 0; i < a->nroles; i++) {
		char key[32];
		snprintf(key, sizeof key, "role.%s", hv_role_name(a->roles[i].kind));
		hv_buf_printf(&roles, "%s%s (%s)", i ? ", " : "", hv_t(c->lang, key), a->roles[i].unit);
	}
	hv_set_str(o, "roles", roles.data ? roles.data : "");
	hv_buf_free(&roles);
}

/* An account locked after wrong tries, shown to those who manage it. */
static void add_hammered(const struct hv_account *a, void *arg)
{
	struct list_ctx *l = arg;
	struct hv_ctx *c = l->c;
	/* A learner who chose no commune belongs to the nation's managers. */
	const char *mine = hv_manage_unit(c->who);
	bool ok = a->home_unit[0] ? hv_can_manage_account(c->who, a, l->u) : mine && !strcmp(mine, HV_ROOT_CODE);
	if (!ok)
		return;
	struct hv_val *o = hv_push(l->list, hv_obj(c->arena));
	hv_set_int(o, "id", a->id);
	hv_set_str(o, "name", a->name);
	/* A phone is shown by its last three digits only. */
	size_t n = a->phone[0] ? strlen(a->phone) : 0;
	hv_set_str(o, "login", a->login[0] ? a->login : n > 3 ? hv_arena_printf(c->arena, "…%s", a->phone + n - 3) : "");
	hv_set_bool(o, "locked_now", a->locked_until > (int64_t)time(NULL));
}

static int accounts_page(struct hv_ctx *c, const struct hv_error *e)
{
	struct hv_units *u = units_for(c);
	const char *unit = hv_query(c, "unit");
	if (!unit)
		unit = hv_manage_unit(c->who);
	if (!unit)
		return hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "admin.no_scope"));
	const struct hv_unit *x = hv_units_get(u, unit);
	if (!x)
		return hv_fail(c, HV_ENOTFOUND, "unit", hv_t(c->lang, "units.unknown"));
	if (!hv_can(c->who, HV_ROLES_MANAGE_ACCOUNTS, x))
		return hv_fail(c, HV_EFORBIDDEN, "unit", hv_t(c->lang, "admin.out_of_scope"));
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "unit", hv_str(c->arena, x->name));
	hv_set(d, "unit_code", hv_str(c->arena, x->code));
	struct list_ctx l = {.c = c, .list = hv_set(d, "accounts", hv_list(c->arena)), .u = u};
	hv_accounts_list(hv_store_conn(c->app->store), u, x->code, 500, add_row, &l);
	/* Alert: accounts someone tried to guess into today. */
	struct list_ctx h = {.c = c, .list = hv_set(d, "hammered", hv_list(c->arena)), .u = u};
	if (hv_accounts_hammered(hv_store_conn(c->app->store), (int64_t)time(NULL) - 86400, 50, add_hammered, &h) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	hv_set(d, "role_options", role_options(c, hv_grantable_roles(c->who), hv_form(c, "role")));
	hv_set_str(d, "f_login", hv_form(c, "login") ? hv_form(c, "login") : "");
	hv_set_str(d, "f_name", hv_form(c, "name") ? hv_form(c, "name") : "");
	hv_set_str(d, "f_unit", hv_form(c, "unit") ? hv_form(c, "unit") : hv_unit_choice(c, x));
	hv_unit_choices(c, u, d, "unit_choices");
	int64_t org = 0;
	struct hv_error ignored = {0};
	hv_pick_org(c, hv_form(c, "org"), &org, &ignored);
	hv_org_choices(c, u, d, "org_choices", org);
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	return hv_page(c, "accounts", hv_t(c->lang, "admin.accounts"), d);
}

int hv_page_accounts(struct hv_ctx *c)
{
	return accounts_page(c, NULL);
}

static int org_in_scope(struct hv_ctx *c, struct hv_units *u, int64_t org, struct hv_error *e);

int hv_post_accounts(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	struct hv_error e = {0};
	const struct hv_unit *x = hv_pick_unit(c, u, hv_form(c, "unit"), &e);
	int kind = hv_role_parse(hv_form(c, "role") ? hv_form(c, "role") : "");
	if (!x)
		return accounts_page(c, &e);
	if (!hv_can(c->who, HV_ROLES_MANAGE_ACCOUNTS, x))
		return hv_fail(c, HV_EFORBIDDEN, "unit", hv_t(c->lang, "admin.out_of_scope"));
	if (!kind || !(kind & hv_grantable_roles_at(c->who, x))) {
		hv_err_set(&e, HV_EINVAL, "role", "%s", hv_t(c->lang, "admin.bad_role"));
		return accounts_page(c, &e);
	}
	/* A coordinator manages the organisation chosen here from the start. */
	int64_t org = 0;
	if (hv_pick_org(c, hv_form(c, "org"), &org, &e) < 0 || org_in_scope(c, u, org, &e) < 0)
		return e.code == HV_EFORBIDDEN ? hv_fail_err(c, &e) : accounts_page(c, &e);
	if (org && kind != HV_ROLE_COORDINATOR) {
		hv_err_set(&e, HV_EINVAL, "org", "%s", hv_t(c->lang, "picker.org_only_coordinator"));
		return accounts_page(c, &e);
	}
	struct hv_new_account n = {
		.role_org = org,
		.kind = "staff",
		.login = hv_form(c, "login") ? hv_form(c, "login") : "",
		.name = hv_form(c, "name") ? hv_form(c, "name") : "",
		.home_unit = x->code,
		.secret = hv_form(c, "password") ? hv_form(c, "password") : "",
		.role_kind = kind,
		.role_unit = x->code,
		.actor_id = c->who->acct.id,
		.ip = c->ip,
	};
	if (hv_account_create(c->app->store, &n, &e) < 0)
		return accounts_page(c, &e);
	hv_redirect(c, hv_arena_printf(c->arena, "/quan-tri/tai-khoan/%lld", (long long)n.out_id));
	return HV_OK;
}

/* Loads the account named in the path and checks scope; answers itself
 * (404/403) and returns false when the caller must stop. */
static bool load_target(struct hv_ctx *c, struct hv_units *u, struct hv_account *a)
{
	if (!hv_manage_unit(c->who)) {
		/* Manages accounts nowhere: whether the id exists is not told. */
		hv_fail(c, HV_EFORBIDDEN, "id", hv_t(c->lang, "admin.out_of_scope"));
		return false;
	}
	int64_t id;
	if (hv_parse_i64(c->params[0], 1, INT64_MAX, &id) < 0) {
		hv_fail(c, HV_ENOTFOUND, "id", hv_t(c->lang, "admin.no_account"));
		return false;
	}
	int rc = hv_account_by_id(hv_store_conn(c->app->store), id, a);
	if (rc == HV_ENOTFOUND || (rc == 0 && strcmp(a->kind, "staff") != 0)) {
		hv_fail(c, HV_ENOTFOUND, "id", hv_t(c->lang, "admin.no_account"));
		return false;
	}
	if (rc < 0) {
		hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
		return false;
	}
	if (!hv_can_manage_account(c->who, a, u)) {
		hv_fail(c, HV_EFORBIDDEN, "id", hv_t(c->lang, "admin.out_of_scope"));
		return false;
	}
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)a->id);
	return a->id == c->who->acct.id || hv_audit_read(c, "account.read", target, a->home_unit, NULL);
}

/* A coordinator role may name only an organisation whose unit the caller
 * manages: HV_EFORBIDDEN otherwise (a ward manager cannot bind a role to
 * another ward's organisation), HV_EINVAL for an unknown one; HV_OK for
 * none (org 0). */
static int org_in_scope(struct hv_ctx *c, struct hv_units *u, int64_t org, struct hv_error *e)
{
	if (!org)
		return HV_OK;
	struct hv_org o;
	int rc = hv_org_get(hv_store_conn(c->app->store), org, &o);
	if (rc == HV_ENOTFOUND)
		return hv_err_set(e, HV_EINVAL, "org", "%s", hv_t(c->lang, "teams.no_org"));
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "%s", hv_t(c->lang, "error.retry"));
	const struct hv_unit *x = hv_units_get(u, o.unit);
	if (!x || !hv_can(c->who, HV_ROLES_MANAGE_ACCOUNTS, x))
		return hv_err_set(e, HV_EFORBIDDEN, "org", "%s", hv_t(c->lang, "admin.org_out_of_scope"));
	return HV_OK;
}

static int account_page(struct hv_ctx *c, struct hv_units *u, struct hv_account *a, const struct hv_error *e, const char *notice)
{
	struct hv_val *d = hv_page_data(c);
	hv_set_int(d, "id", a->id);
	hv_set_str(d, "login", a->login);
	hv_set_str(d, "name", a->name);
	hv_set_bool(d, "disabled", a->disabled);
	hv_set_bool(d, "totp", a->totp_enabled);
	const struct hv_unit *home = hv_units_get(u, a->home_unit);
	hv_set_str(d, "home", home ? home->name : a->home_unit);
	hv_set_str(d, "home_code", a->home_unit);
	struct hv_val *roles = hv_set(d, "roles", hv_list(c->arena));
	for (int i = 0; i < a->nroles; i++) {
		struct hv_val *o = hv_push(roles, hv_obj(c->arena));
		char key[32];
		snprintf(key, sizeof key, "role.%s", hv_role_name(a->roles[i].kind));
		const struct hv_unit *x = hv_units_get(u, a->roles[i].unit);
		hv_set(o, "role", hv_str(c->arena, hv_role_name(a->roles[i].kind)));
		hv_set(o, "label", hv_str(c->arena, hv_t(c->lang, key)));
		hv_set_str(o, "unit", a->roles[i].unit);
		hv_set(o, "unit_name", hv_str(c->arena, x ? x->name : ""));
		hv_set_int(o, "org", a->roles[i].org_id);
	}
	hv_set(d, "role_options", role_options(c, hv_grantable_roles(c->who), NULL));
	hv_set_str(d, "home_choice", home ? hv_unit_choice(c, home) : a->home_unit);
	hv_unit_choices(c, u, d, "unit_choices");
	hv_org_choices(c, u, d, "org_choices", 0);
	hv_set_bool(d, "self", a->id == c->who->acct.id);
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	if (notice)
		hv_set_str(d, "notice", notice);
	return hv_page(c, "account", a->name, d);
}

int hv_page_account(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	struct hv_account a;
	if (!load_target(c, u, &a))
		return HV_OK;
	return account_page(c, u, &a, NULL, NULL);
}

int hv_post_account(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	struct hv_account a;
	if (!load_target(c, u, &a))
		return HV_OK;
	const char *action = hv_form(c, "action") ? hv_form(c, "action") : "";
	struct hv_error e = {0};
	int rc = HV_OK;
	const char *notice = NULL;
	if (!strcmp(action, "add_role") || !strcmp(action, "remove_role")) {
		int kind = hv_role_parse(hv_form(c, "role") ? hv_form(c, "role") : "");
		const struct hv_unit *x = hv_pick_unit(c, u, hv_form(c, "unit"), &e);
		int64_t org = 0;
		if (!x)
			rc = e.code;
		else if (!hv_can(c->who, HV_ROLES_MANAGE_ACCOUNTS, x))
			return hv_fail(c, HV_EFORBIDDEN, "unit", hv_t(c->lang, "admin.out_of_scope"));
		else if (!kind || !(kind & hv_grantable_roles_at(c->who, x)))
			rc = hv_err_set(&e, HV_EINVAL, "role", "%s", hv_t(c->lang, "admin.bad_role"));
		else if (!strcmp(action, "add_role") && hv_pick_org(c, hv_form(c, "org"), &org, &e) < 0)
			rc = e.code;
		else if (!strcmp(action, "add_role"))
			rc = org_in_scope(c, u, org, &e) < 0 ? e.code
			                                     : hv_role_grant_org(c->app->store, a.id, kind, x->code, org, c->who->acct.id, c->ip, &e);
		else
			rc = hv_role_revoke(c->app->store, a.id, kind, x->code, c->who->acct.id, c->ip, &e);
		notice = hv_t(c->lang, "admin.saved");
	} else if (!strcmp(action, "disable") || !strcmp(action, "enable")) {
		if (a.id == c->who->acct.id)
			rc = hv_err_set(&e, HV_EINVAL, "action", "%s", hv_t(c->lang, "admin.not_self"));
		else
			rc = hv_account_set_disabled(c->app->store, a.id, !strcmp(action, "disable"), c->who->acct.id, c->ip, &e);
		notice = hv_t(c->lang, "admin.saved");
	} else if (!strcmp(action, "password")) {
		rc = hv_account_set_secret(c->app->store, a.id, hv_form(c, "password") ? hv_form(c, "password") : "",
		                           c->who->acct.id, c->ip, &e);
		notice = hv_t(c->lang, "admin.password_set");
	} else {
		rc = hv_err_set(&e, HV_EINVAL, "action", "%s", hv_t(c->lang, "admin.bad_action"));
	}
	hv_account_by_id(hv_store_conn(c->app->store), a.id, &a);
	return account_page(c, u, &a, rc < 0 ? &e : NULL, rc < 0 ? NULL : notice);
}

int hv_api_account(struct hv_ctx *c)
{
	struct hv_units *u = units_for(c);
	struct hv_account a;
	if (!load_target(c, u, &a))
		return HV_OK;
	return hv_json(c, 200, hv_account_json(&a));
}
