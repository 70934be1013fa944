/* teams.c: organisations, teams and their members, and who may manage
 * them (see teams.h).  Scope is decided in memory against the unit tree
 * and the principal's roles; every change is one hv_store_write with its
 * audit row, so a refused or failed change writes nothing. */
#include "domain/help/teams.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "core/utf8.h"
#include "domain/measure/measure.h"
#include "domain/places/units.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"

const char *const hv_org_kinds[] = {"mttq", "doan_thanh_nien", "hoi_phu_nu", "hoi_nong_dan", "cong_doan",
                                    "hoi_cuu_chien_binh", "hoi_nguoi_cao_tuoi", "school", "enterprise", "other", NULL};
const char *const hv_org_kind_names[] = {"MTTQ", "Đoàn Thanh niên", "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Công đoàn",
                                         "Hội Cựu chiến binh", "Hội Người cao tuổi", "trường học", "doanh nghiệp", "khác", NULL};

#define SAVE_FAILED "Không lưu được, vui lòng thử lại."

bool hv_can_manage_orgs(const struct hv_principal *p, const struct hv_unit *unit)
{
	return hv_can(p, HV_ROLE_ADMIN | HV_ROLE_MANAGER, unit);
}

bool hv_coordinates(const struct hv_principal *p, int64_t org, const struct hv_unit *unit)
{
	if (!p || !unit || !org || !p->second_factor || p->acct.disabled)
		return false;
	struct hv_units *u = hv_units_acquire();
	bool ok = false;
	for (int i = 0; i < p->acct.nroles && !ok; i++) {
		const struct hv_role *r = &p->acct.roles[i];
		if (r->kind != HV_ROLE_COORDINATOR || r->org_id != org)
			continue;
		const struct hv_unit *at = hv_units_get(u, r->unit);
		ok = at && hv_unit_within(unit, at);
	}
	hv_units_release(u);
	return ok;
}

bool hv_can_manage_team(const struct hv_principal *p, const struct hv_team *t)
{
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, t->unit);
	bool ok = x && (hv_can(p, HV_ROLE_ADMIN | HV_ROLE_MANAGER, x) || hv_coordinates(p, t->org_id, x));
	hv_units_release(u);
	return ok;
}

/* A name: one line (named by label when it is not) of min to max characters (msg). */
static int check_text(const char *s, const char *field, const char *label, int min, int max, const char *msg, struct hv_error *e)
{
	if (hv_check_one_line(s, field, label, e) < 0)
		return HV_EINVAL;
	long n = s ? hv_utf8_len(s, strlen(s)) : -1;
	if (n < min || n > max)
		return hv_err_set(e, HV_EINVAL, field, "%s", msg);
	return HV_OK;
}

/* ---- organisations ---- */

struct org_job {
	struct hv_org *o;
	const char *province, *ip;
	int64_t actor;
};

static int org_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct org_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st;
	if (j->o->id) {
		st = hv_sql(c, "UPDATE organisations SET name = $2, kind = $3, updated_at = $4 WHERE id = $1 RETURNING id");
		hv_bind_i64(st, 1, j->o->id);
		hv_bind_text(st, 2, j->o->name);
		hv_bind_text(st, 3, j->o->kind);
		hv_bind_i64(st, 4, now);
	} else {
		st = hv_sql(c, "INSERT INTO organisations (name, kind, unit_code, province_code, created_by, created_at, updated_at) "
		               "VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id");
		hv_bind_text(st, 1, j->o->name);
		hv_bind_text(st, 2, j->o->kind);
		hv_bind_text(st, 3, j->o->unit);
		hv_bind_text(st, 4, j->province);
		hv_bind_i64(st, 5, j->actor);
		hv_bind_i64(st, 6, now);
	}
	int rc = hv_step(st);
	if (rc == 1)
		j->o->id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_ENOTFOUND, "id", "Không có tổ chức này.");
	char target[32];
	snprintf(target, sizeof target, "org:%lld", (long long)j->o->id);
	/* Organisations are offered as dashboard filters. */
	if (rc < 0 || hv_figures_touch_all(c) < 0 || hv_audit(c, j->actor, "org.save", target, j->o->unit, j->o->kind, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	return HV_OK;
}

static int kind_index(const char *kind)
{
	for (int i = 0; kind && hv_org_kinds[i]; i++)
		if (!strcmp(hv_org_kinds[i], kind))
			return i;
	return -1;
}

int hv_org_save(struct hv_store *s, const struct hv_principal *p, struct hv_org *o, const char *ip, struct hv_error *e)
{
	if (o->id) {
		/* The unit of an existing organisation stays; scope is checked there. */
		struct hv_org old;
		int rc = hv_org_get(hv_store_conn(s), o->id, &old);
		if (rc < 0)
			return hv_err_set(e, rc, "id", rc == HV_ENOTFOUND ? "Không có tổ chức này." : SAVE_FAILED);
		snprintf(o->unit, sizeof o->unit, "%s", old.unit);
	}
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, o->unit);
	int rc = HV_OK;
	if (!x || x->retired)
		rc = hv_err_set(e, HV_EINVAL, "unit", "Không có đơn vị hành chính mã “%s”.", o->unit);
	else if (!hv_can_manage_orgs(p, x))
		rc = hv_err_set(e, HV_EFORBIDDEN, "unit", "Bạn không quản lý tổ chức ở đơn vị này.");
	else if (kind_index(o->kind) < 0)
		rc = hv_err_set(e, HV_EINVAL, "kind", "Hãy chọn loại tổ chức trong danh sách.");
	else
		rc = check_text(o->name, "name", "Tên tổ chức", 2, HV_NAME_MAX, "Tên tổ chức cần từ 2 đến 120 ký tự.", e);
	struct org_job j = {.o = o, .province = x ? x->province_code : NULL, .ip = ip, .actor = p->acct.id};
	if (rc == HV_OK)
		rc = hv_store_write(s, org_fn, &j, e);
	hv_units_release(u);
	return rc;
}

static void org_row(struct hv_stmt *st, struct hv_org *o)
{
	memset(o, 0, sizeof *o);
	o->id = hv_col_i64(st, 0);
	snprintf(o->name, sizeof o->name, "%s", hv_col_text(st, 1));
	snprintf(o->kind, sizeof o->kind, "%s", hv_col_text(st, 2));
	snprintf(o->unit, sizeof o->unit, "%s", hv_col_text(st, 3));
	o->created_at = hv_col_i64(st, 4);
}

int hv_org_get(struct hv_conn *c, int64_t id, struct hv_org *o)
{
	struct hv_stmt *st = hv_sql(c, "SELECT id, name, kind, unit_code, created_at FROM organisations WHERE id = $1");
	hv_bind_i64(st, 1, id);
	int rc = hv_step(st);
	if (rc == 1)
		org_row(st, o);
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

int hv_orgs_near(struct hv_conn *c, const struct hv_unit *x, hv_org_cb cb, void *arg)
{
	const char *codes[3] = {"", "", ""};
	int n = 0;
	for (const struct hv_unit *u = x; u && n < 3; u = u->parent)
		codes[n++] = u->code;
	struct hv_stmt *st = hv_sql(c, "SELECT id, name, kind, unit_code, created_at FROM organisations "
	                               "WHERE unit_code = $1 OR unit_code = $2 OR unit_code = $3 ORDER BY name, id LIMIT 200");
	for (int i = 0; i < 3; i++)
		hv_bind_text(st, i + 1, codes[i]);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		struct hv_org o;
		org_row(st, &o);
		cb(&o, arg);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_orgs_list(struct hv_conn *c, const char *unit, int limit, hv_org_cb cb, void *arg)
{
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, unit);
	if (!x) {
		hv_units_release(u);
		return HV_ENOTFOUND;
	}
	/* The nation: every row; a province: by its code (indexed, organisations
	 * carry the province code); a commune: its own.  Each is its subtree. */
	struct hv_stmt *st;
	if (x->depth == 0) {
		st = hv_sql(c, "SELECT id, name, kind, unit_code, created_at FROM organisations ORDER BY name, id LIMIT $1");
	} else {
		st = hv_sql(c, "SELECT id, name, kind, unit_code, created_at FROM organisations WHERE ($2 = 1 AND province_code = $1) "
		               "OR unit_code = $1 ORDER BY name, id LIMIT $3");
		hv_bind_text(st, 1, x->code);
		hv_bind_i64(st, 2, x->depth == 1);
	}
	hv_bind_i64(st, x->depth == 0 ? 1 : 3, limit);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		struct hv_org o;
		org_row(st, &o);
		cb(&o, arg);
	}
	hv_stmt_done(st);
	hv_units_release(u);
	return rc < 0 ? rc : HV_OK;
}

/* ---- teams ---- */

struct team_job {
	const char *name, *province, *ip;
	const struct hv_unit *unit;
	int64_t org, actor, id;
};

static int team_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct team_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO teams (name, unit_code, org_id, province_code, created_at) VALUES ($1, $2, $3, $4, $5) "
	                               "RETURNING id");
	hv_bind_text(st, 1, j->name);
	hv_bind_text(st, 2, j->unit->code);
	if (j->org)
		hv_bind_i64(st, 3, j->org);
	else
		hv_bind_null(st, 3);
	hv_bind_text(st, 4, j->unit->province_code);
	int64_t now = (int64_t)time(NULL);
	hv_bind_i64(st, 5, now);
	int rc = hv_step(st);
	if (rc == 1)
		j->id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	/* The "teams" indicator: teams formed, in the period they were formed
	 * (overall and for their organisation). */
	if (rc == 1 && hv_agg_add(c, j->unit->code, now, "teams", 1) < 0)
		rc = HV_EUNAVAIL;
	if (rc == 1 && j->org) {
		char dim[HV_DIM_MAX];
		hv_dim_org(dim, j->org);
		if (hv_agg_sink(c, j->unit->code, now, dim, "teams", NULL, 1) < 0)
			rc = HV_EUNAVAIL;
	}
	char target[32];
	snprintf(target, sizeof target, "team:%lld", (long long)j->id);
	if (rc != 1 || hv_audit(c, j->actor, "team.create", target, j->unit->code, j->name, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	return HV_OK;
}

int hv_team_create(struct hv_store *s, const struct hv_principal *p, const char *name, const char *unit, int64_t org,
                   const char *ip, int64_t *id, struct hv_error *e)
{
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, unit ? unit : "");
	struct hv_org o = {0};
	int rc = HV_OK;
	if (!x || x->retired || x->depth != 2)
		rc = hv_err_set(e, HV_EINVAL, "unit", "Tổ được lập ở một xã, phường hoặc đặc khu: hãy chọn mã đơn vị cấp xã.");
	else if (org && (rc = hv_org_get(hv_store_conn(s), org, &o)) < 0)
		rc = hv_err_set(e, rc == HV_ENOTFOUND ? HV_EINVAL : rc, "org", "Không có tổ chức này.");
	else if (org && (!hv_units_get(u, o.unit) || !hv_unit_within(x, hv_units_get(u, o.unit))))
		rc = hv_err_set(e, HV_EINVAL, "org", "Tổ chức này không hoạt động ở đơn vị đã chọn.");
	else if (!hv_can(p, HV_ROLE_ADMIN | HV_ROLE_MANAGER, x) && !hv_coordinates(p, org, x))
		rc = hv_err_set(e, HV_EFORBIDDEN, "unit", "Bạn chỉ lập tổ trong tổ chức và đơn vị mình phụ trách.");
	else
		rc = check_text(name, "name", "Tên tổ", 2, HV_NAME_MAX, "Tên tổ cần từ 2 đến 120 ký tự.", e);
	struct team_job j = {.name = name, .unit = x, .org = org, .actor = p->acct.id, .ip = ip};
	if (rc == HV_OK)
		rc = hv_store_write(s, team_fn, &j, e);
	if (rc == HV_OK && id)
		*id = j.id;
	hv_units_release(u);
	return rc;
}

#define TEAM_COLS "SELECT t.id, t.name, t.unit_code, COALESCE(t.org_id, 0), COALESCE(t.leader_id, 0), COALESCE(o.name, ''), " \
                  "COALESCE(l.display_name, '') FROM teams t LEFT JOIN organisations o ON o.id = t.org_id " \
                  "LEFT JOIN accounts l ON l.id = t.leader_id "

static void team_row(struct hv_stmt *st, struct hv_team *t)
{
	memset(t, 0, sizeof *t);
	t->id = hv_col_i64(st, 0);
	snprintf(t->name, sizeof t->name, "%s", hv_col_text(st, 1));
	snprintf(t->unit, sizeof t->unit, "%s", hv_col_text(st, 2));
	t->org_id = hv_col_i64(st, 3);
	t->leader_id = hv_col_i64(st, 4);
	snprintf(t->org_name, sizeof t->org_name, "%s", hv_col_text(st, 5));
	snprintf(t->leader_name, sizeof t->leader_name, "%s", hv_col_text(st, 6));
}

static int team_rows(struct hv_stmt *st, hv_team_cb cb, void *arg)
{
	int rc;
	while ((rc = hv_step(st)) == 1) {
		struct hv_team t;
		team_row(st, &t);
		cb(&t, arg);
	}
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

static void copy_team(const struct hv_team *t, void *arg)
{
	*(struct hv_team *)arg = *t;
}

int hv_team_get(struct hv_conn *c, int64_t id, struct hv_team *t)
{
	struct hv_stmt *st = hv_sql(c, TEAM_COLS "WHERE t.id = $1");
	hv_bind_i64(st, 1, id);
	t->id = 0;
	int rc = team_rows(st, copy_team, t);
	return rc < 0 ? rc : t->id == id ? HV_OK : HV_ENOTFOUND;
}

int hv_teams_list(struct hv_conn *c, const char *unit, int64_t org, int limit, hv_team_cb cb, void *arg)
{
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, unit);
	hv_units_release(u);
	if (!x)
		return HV_ENOTFOUND;
	/* Teams sit in communes: a province by its code, a commune by its own. */
	struct hv_stmt *st = hv_sql(c, TEAM_COLS "WHERE ($1 = 'VN' OR t.province_code = $1 OR t.unit_code = $1) "
	                                         "AND ($2 = 0 OR t.org_id = $2) ORDER BY t.unit_code, t.name, t.id LIMIT $3");
	hv_bind_text(st, 1, x->code);
	hv_bind_i64(st, 2, org);
	hv_bind_i64(st, 3, limit);
	return team_rows(st, cb, arg);
}

int hv_teams_of(struct hv_conn *c, int64_t account, hv_team_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, TEAM_COLS "WHERE t.leader_id = $1 OR t.id IN (SELECT team_id FROM team_members WHERE account_id = $1) "
	                                         "ORDER BY t.name, t.id");
	hv_bind_i64(st, 1, account);
	return team_rows(st, cb, arg);
}

/* ---- members ---- */

struct member_job {
	const struct hv_team *t;
	enum hv_team_action act;
	int64_t account, actor;
	const char *ip;
};

static int member_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct member_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st;
	int rc = 0;
	if (j->act == HV_TEAM_REMOVE) {
		st = hv_sql(c, "UPDATE teams SET leader_id = NULL WHERE id = $1 AND leader_id = $2");
		hv_bind_i64(st, 1, j->t->id);
		hv_bind_i64(st, 2, j->account);
		rc = hv_step(st);
		hv_stmt_done(st);
		st = hv_sql(c, "DELETE FROM team_members WHERE team_id = $1 AND account_id = $2");
	} else {
		st = hv_sql(c, "INSERT INTO team_members (team_id, account_id, joined_at) VALUES ($1, $2, $3) "
		               "ON CONFLICT (team_id, account_id) DO NOTHING");
		hv_bind_i64(st, 3, now);
	}
	hv_bind_i64(st, 1, j->t->id);
	hv_bind_i64(st, 2, j->account);
	if (rc >= 0)
		rc = hv_step(st);
	hv_stmt_done(st);
	if (rc >= 0 && j->act == HV_TEAM_LEADER) {
		st = hv_sql(c, "UPDATE teams SET leader_id = $2 WHERE id = $1");
		hv_bind_i64(st, 1, j->t->id);
		hv_bind_i64(st, 2, j->account);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	static const char *const actions[] = {"team.member.add", "team.member.remove", "team.leader"};
	char target[32], detail[32];
	snprintf(target, sizeof target, "team:%lld", (long long)j->t->id);
	snprintf(detail, sizeof detail, "account:%lld", (long long)j->account);
	if (rc < 0 || hv_audit(c, j->actor, actions[j->act], target, j->t->unit, detail, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	return HV_OK;
}

/* A volunteer role at a unit on the team unit's line (above or below). */
static bool volunteers_here(const struct hv_account *a, const struct hv_unit *x, const struct hv_units *u)
{
	for (int i = 0; i < a->nroles; i++) {
		const struct hv_unit *at = hv_units_get(u, a->roles[i].unit);
		if (a->roles[i].kind == HV_ROLE_VOLUNTEER && at && (hv_unit_within(at, x) || hv_unit_within(x, at)))
			return true;
	}
	return false;
}

int hv_team_member(struct hv_store *s, const struct hv_principal *p, int64_t team, enum hv_team_action act,
                   const char *login, const char *ip, struct hv_error *e)
{
	struct hv_conn *c = hv_store_conn(s);
	struct hv_team t;
	int rc = hv_team_get(c, team, &t);
	if (rc < 0)
		return hv_err_set(e, rc, "team", rc == HV_ENOTFOUND ? "Không có tổ này." : SAVE_FAILED);
	if (!hv_can_manage_team(p, &t))
		return hv_err_set(e, HV_EFORBIDDEN, "team", "Tổ này không thuộc tổ chức hoặc đơn vị bạn phụ trách.");
	struct hv_account a;
	rc = login && *login ? hv_account_by_login(c, login, &a) : HV_ENOTFOUND;
	if (rc == HV_ENOTFOUND || (rc == HV_OK && strcmp(a.kind, "staff") != 0))
		return hv_err_set(e, HV_EINVAL, "login", "Không có tài khoản tình nguyện viên “%s”: kiểm tra tên đăng nhập.", login ? login : "");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, t.unit);
	bool ok = act == HV_TEAM_REMOVE || (x && volunteers_here(&a, x, u));
	hv_units_release(u);
	if (!ok)
		return hv_err_set(e, HV_EINVAL, "login",
		                  "“%s” chưa có vai trò tình nguyện viên ở đơn vị của tổ: hãy cấp vai trò trước rồi thêm vào tổ.", login);
	struct member_job j = {.t = &t, .act = act, .account = a.id, .actor = p->acct.id, .ip = ip};
	return hv_store_write(s, member_fn, &j, e);
}
