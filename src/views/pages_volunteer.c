/* pages_volunteer.c: the volunteer's own page (/tinh-nguyen-vien: my
 * assists and hours this week and quarter, my teams' totals) and the CSV
 * export of assists (/ho-tro/xuat.csv), whose columns follow the caller's
 * role (the rule is in teams.h and docs/api.md). */
#include "pages.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/measure.h"
#include "domain/units.h"
#include "views/teams_view.h"
#include "views/tmpl.h"

static const char *hours(struct hv_ctx *c, int64_t minutes)
{
	return hv_arena_printf(c->arena, "%lld:%02lld", (long long)(minutes / 60), (long long)(minutes % 60));
}

void hv_activity_set(struct hv_ctx *c, struct hv_val *v, const struct hv_activity *a)
{
	hv_set_int(v, "week", a->week);
	hv_set_int(v, "quarter", a->quarter);
	hv_set_str(v, "week_hours", hours(c, a->week_minutes));
	hv_set_str(v, "quarter_hours", hours(c, a->quarter_minutes));
}

struct my_teams {
	struct hv_ctx *c;
	struct hv_val *list;
	struct hv_units *u;
};

static void my_team(const struct hv_team *t, void *arg)
{
	struct my_teams *m = arg;
	struct hv_val *v = hv_push(m->list, hv_obj(m->c->arena));
	const struct hv_unit *x = hv_units_get(m->u, t->unit);
	hv_set_int(v, "id", t->id);
	hv_set_str(v, "name", t->name);
	hv_set_str(v, "unit", x ? x->name : t->unit);
	hv_set_str(v, "org", t->org_name);
	hv_set_str(v, "leader", t->leader_name);
	hv_set_bool(v, "leads", t->leader_id == m->c->who->acct.id || hv_can_manage_team(m->c->who, t));
	struct hv_activity total = hv_team_members_val(m->c, t->id, hv_list(m->c->arena));
	hv_activity_set(m->c, hv_set(v, "total", hv_obj(m->c->arena)), &total);
}

int hv_page_volunteer(struct hv_ctx *c)
{
	if (!hv_require_staff(c))
		return HV_OK;
	struct hv_conn *conn = hv_store_conn(c->app->store);
	int64_t week, quarter;
	hv_week_quarter_start((int64_t)time(NULL), &week, &quarter);
	struct hv_activity me;
	if (hv_my_activity(conn, c->who->acct.id, week, quarter, &me) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	struct hv_val *d = hv_page_data(c);
	hv_activity_set(c, hv_set(d, "me", hv_obj(c->arena)), &me);
	struct my_teams m = {.c = c, .list = hv_set(d, "teams", hv_list(c->arena)), .u = hv_ctx_units(c)};
	hv_teams_of(conn, c->who->acct.id, my_team, &m);
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	hv_set_str(d, "period", q);
	const struct hv_unit *x = hv_scope_unit(c, NULL, HV_ROLES_ALL);
	hv_set_str(d, "unit_code", x ? x->code : "");
	return hv_page(c, "volunteer", hv_t(c->lang, "teams.volunteer_title"), d);
}

static int to_body(const char *line, size_t len, void *arg)
{
	struct hv_ctx *c = arg;
	hv_buf_append(&c->body, line, len);
	return c->body.failed ? HV_ETOOBIG : HV_OK;
}

/* GET /ho-tro/xuat.csv?don-vi=CODE&ky=2026Q4 */
int hv_assists_csv(struct hv_ctx *c)
{
	if (!hv_require_staff(c))
		return HV_OK;
	const struct hv_unit *x = hv_scope_unit(c, hv_query(c, "don-vi"), HV_ROLES_ALL);
	if (!x)
		return hv_fail(c, hv_query(c, "don-vi") ? HV_ENOTFOUND : HV_EFORBIDDEN, "don-vi", hv_t(c->lang, "units.unknown"));
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	const char *period = hv_query(c, "ky") ? hv_query(c, "ky") : q;
	int64_t from, to;
	if (hv_period_range(period, &from, &to) < 0)
		return hv_fail(c, HV_EINVAL, "ky", hv_t(c->lang, "teams.bad_period"));
	struct hv_error e = {0};
	hv_buf_reset(&c->body);
	if (hv_assists_export(hv_store_reader(c->app->store), c->who, x, from, to, to_body, c, &e) < 0) {
		hv_buf_reset(&c->body);
		return hv_fail_err(c, &e);
	}
	c->resp_type = "text/csv; charset=utf-8";
	c->no_store = true;
	c->status = 200;
	return HV_OK;
}
