/* roles.c: role names, scope checks and granting.
 *
 * The rule everywhere: a role held at unit U reaches U and its subtree.
 * Checking is done in memory against the unit tree (hv_unit_within). */
#include "domain/people/roles.h"
#include "domain/people/audit.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/help/teams.h"

static const struct {
	int kind;
	const char *name;
} names[] = {
	{HV_ROLE_ADMIN, "admin"},         {HV_ROLE_MANAGER, "manager"}, {HV_ROLE_COORDINATOR, "coordinator"},
	{HV_ROLE_VOLUNTEER, "volunteer"}, {HV_ROLE_EDITOR, "editor"},   {HV_ROLE_VIEWER, "viewer"},
};

const char *hv_role_name(int kind)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].kind == kind)
			return names[i].name;
	return "?";
}

int hv_role_parse(const char *name)
{
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(names[i].name, name) == 0)
			return names[i].kind;
	return 0;
}

bool hv_account_needs_totp(const struct hv_account *a)
{
	for (int i = 0; i < a->nroles; i++)
		if (a->roles[i].kind & HV_ROLES_NEED_TOTP)
			return true;
	return false;
}

bool hv_can(const struct hv_principal *p, int mask, const struct hv_unit *unit)
{
	if (!p || !unit || !p->second_factor || p->acct.disabled)
		return false;
	struct hv_units *u = hv_units_acquire();
	bool ok = false;
	for (int i = 0; i < p->acct.nroles && !ok; i++) {
		if (!(p->acct.roles[i].kind & mask))
			continue;
		const struct hv_unit *at = hv_units_get(u, p->acct.roles[i].unit);
		ok = at && hv_unit_within(unit, at);
	}
	hv_units_release(u);
	return ok;
}

bool hv_can_manage_account(const struct hv_principal *p, const struct hv_account *a, const struct hv_units *u)
{
	const struct hv_unit *home = hv_units_get(u, a->home_unit);
	if (!home || !hv_can(p, HV_ROLES_MANAGE_ACCOUNTS, home))
		return false;
	for (int i = 0; i < a->nroles; i++) {
		const struct hv_unit *at = hv_units_get(u, a->roles[i].unit);
		if (!at || !(a->roles[i].kind & hv_grantable_roles_at(p, at)))
			return false;
	}
	return true;
}

int hv_grantable_roles_at(const struct hv_principal *p, const struct hv_unit *unit)
{
	if (!p || !unit || !p->second_factor || p->acct.disabled)
		return 0;
	struct hv_units *u = hv_units_acquire();
	int mask = 0;
	for (int i = 0; i < p->acct.nroles; i++) {
		const struct hv_unit *at = hv_units_get(u, p->acct.roles[i].unit);
		if (!at || !hv_unit_within(unit, at))
			continue;
		if (p->acct.roles[i].kind == HV_ROLE_ADMIN)
			mask |= HV_ROLES_ALL;
		else if (p->acct.roles[i].kind == HV_ROLE_MANAGER)
			mask |= HV_ROLE_COORDINATOR | HV_ROLE_VOLUNTEER | HV_ROLE_VIEWER | HV_ROLE_EDITOR |
			        (unit != at ? HV_ROLE_MANAGER : 0);
	}
	hv_units_release(u);
	return mask;
}

const char *hv_manage_unit(const struct hv_principal *p)
{
	for (int i = 0; i < p->acct.nroles; i++)
		if (p->acct.roles[i].kind & HV_ROLES_MANAGE_ACCOUNTS)
			return p->acct.roles[i].unit;
	return NULL;
}

int hv_grantable_roles(const struct hv_principal *p)
{
	int mask = 0;
	for (int i = 0; i < p->acct.nroles; i++) {
		if (p->acct.roles[i].kind == HV_ROLE_ADMIN)
			mask |= HV_ROLES_ALL;
		else if (p->acct.roles[i].kind == HV_ROLE_MANAGER)
			mask |= HV_ROLE_COORDINATOR | HV_ROLE_VOLUNTEER | HV_ROLE_VIEWER | HV_ROLE_EDITOR | HV_ROLE_MANAGER;
	}
	return mask;
}

struct role_job {
	int64_t account, actor;
	int kind;
	const char *unit, *ip;
	bool grant;
	int64_t org;
};

static int role_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct role_job *j = arg;
	struct hv_stmt *st;
	if (j->grant) {
		st = hv_sql(c, "INSERT INTO roles (account_id, role, unit_code, granted_by, granted_at, org_id) VALUES ($1, $2, $3, $4, $5, $6) "
		               "ON CONFLICT (account_id, role, unit_code) DO UPDATE SET org_id = excluded.org_id");
		hv_bind_i64(st, 1, j->account);
		hv_bind_text(st, 2, hv_role_name(j->kind));
		hv_bind_text(st, 3, j->unit);
		if (j->actor)
			hv_bind_i64(st, 4, j->actor);
		else
			hv_bind_null(st, 4);
		hv_bind_i64(st, 5, (int64_t)time(NULL));
		if (j->org)
			hv_bind_i64(st, 6, j->org);
		else
			hv_bind_null(st, 6);
	} else {
		st = hv_sql(c, "DELETE FROM roles WHERE account_id = $1 AND role = $2 AND unit_code = $3");
		hv_bind_i64(st, 1, j->account);
		hv_bind_text(st, 2, hv_role_name(j->kind));
		hv_bind_text(st, 3, j->unit);
	}
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == HV_ECONFLICT)
		return hv_err_set(e, HV_EINVAL, "unit", "Tài khoản hoặc đơn vị không tồn tại.");
	char target[32], detail[64];
	snprintf(target, sizeof target, "account:%lld", (long long)j->account);
	if (j->org)
		snprintf(detail, sizeof detail, "%s org:%lld", hv_role_name(j->kind), (long long)j->org);
	else
		snprintf(detail, sizeof detail, "%s", hv_role_name(j->kind));
	if (rc < 0 || hv_audit(c, j->actor, j->grant ? "role.grant" : "role.revoke", target, j->unit, detail, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

static int change(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t org, int64_t actor, const char *ip,
                  bool grant, struct hv_error *e)
{
	if (!hv_role_name(kind) || !strcmp(hv_role_name(kind), "?"))
		return hv_err_set(e, HV_EINVAL, "role", "Vai trò không hợp lệ.");
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, unit);
	bool ok = x && !x->retired;
	hv_units_release(u);
	if (!ok)
		return hv_err_set(e, HV_EINVAL, "unit", "Không có đơn vị hành chính mã “%s”.", unit);
	if (org && kind != HV_ROLE_COORDINATOR)
		return hv_err_set(e, HV_EINVAL, "org", "Chỉ vai trò điều phối viên gắn với một tổ chức.");
	if (org) {
		struct hv_org o;
		int rc = hv_org_get(hv_store_conn(s), org, &o);
		if (rc != HV_OK)
			return hv_err_set(e, rc == HV_EUNAVAIL ? HV_EUNAVAIL : HV_EINVAL, "org", "Không có tổ chức số %lld.", (long long)org);
	}
	struct role_job j = {.account = account, .actor = actor, .kind = kind, .unit = unit, .ip = ip, .grant = grant, .org = org};
	return hv_store_write(s, role_fn, &j, e);
}

int hv_role_grant(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t actor, const char *ip, struct hv_error *e)
{
	return change(s, account, kind, unit, 0, actor, ip, true, e);
}

int hv_role_grant_org(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t org, int64_t actor, const char *ip,
                      struct hv_error *e)
{
	return change(s, account, kind, unit, org, actor, ip, true, e);
}

int hv_role_revoke(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t actor, const char *ip, struct hv_error *e)
{
	return change(s, account, kind, unit, 0, actor, ip, false, e);
}
