/* pages_volunteer.c: the volunteer's own page (/tinh-nguyen-vien: my
 * assists and hours this week and quarter, my teams' totals) and the CSV
 * export of assists (/ho-tro/xuat.csv), whose columns follow the caller's
 * role (the rule is in teams.h and docs/api.md). */
#include "views/pages.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/measure/measure.h"
#include "domain/places/units.h"
#include "views/help/teams_view.h"
#include "views/tmpl.h"

/* A duration as people say it: "15 phút", "2 giờ", "1 giờ 5 phút". */
static const char *hours(struct hv_ctx *c, int64_t minutes)
{
	long long h = (long long)(minutes / 60), m = (long long)(minutes % 60);
	const char *hs = hv_t(c->lang, "duration.hours"), *ms = hv_t(c->lang, "duration.minutes");
	if (!h)
		return hv_arena_printf(c->arena, "%lld %s", m, ms);
	if (!m)
		return hv_arena_printf(c->arena, "%lld %s", h, hs);
	return hv_arena_printf(c->arena, "%lld %s %lld %s", h, hs, m, ms);
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

/* Rows a page of the export reads: the streamed answer holds at most
 * this many rows in memory at once. */
#define EXPORT_PAGE 200

struct export_state {
	const struct hv_unit *unit;
	int64_t from, to;
	struct hv_export_cursor cur;
};

static int to_buf(const char *line, size_t len, void *arg)
{
	struct hv_buf *b = arg;
	hv_buf_append(b, line, len);
	return b->failed ? HV_ETOOBIG : HV_OK;
}

static int export_page(struct hv_ctx *c, struct hv_buf *out, struct hv_error *e)
{
	struct export_state *s = c->stream_arg;
	return hv_assists_export(hv_store_reader(c->app->store), c->who, s->unit, s->from, s->to, &s->cur, EXPORT_PAGE, to_buf, out, e);
}

/* The next page of a streamed export (see hv_ctx.stream). */
static int export_more(struct hv_ctx *c, struct hv_buf *out)
{
	struct export_state *s = c->stream_arg;
	if (c->body.len) { /* the first page, read by the handler */
		hv_buf_append(out, c->body.data, c->body.len);
		hv_buf_reset(&c->body);
		return 1;
	}
	if (s->cur.done)
		return 0;
	struct hv_error e = {0};
	if (export_page(c, out, &e) < 0)
		return -1;
	return s->cur.done ? 0 : 1;
}

/* GET /ho-tro/xuat.csv?don-vi=CODE&ky=2026Q4: the first page is read
 * here (so a refusal is an ordinary error answer), the rest while the
 * client downloads. */
int hv_assists_csv(struct hv_ctx *c)
{
	struct export_state *s = hv_arena_alloc(c->arena, sizeof *s);
	s->unit = hv_scope_unit(c, hv_query(c, "don-vi"), HV_ROLES_ALL);
	if (!s->unit)
		return hv_fail(c, hv_query(c, "don-vi") ? HV_ENOTFOUND : HV_EFORBIDDEN, "don-vi", hv_t(c->lang, "units.unknown"));
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	const char *period = hv_query(c, "ky") ? hv_query(c, "ky") : q;
	if (hv_period_range(period, &s->from, &s->to) < 0)
		return hv_fail(c, HV_EINVAL, "ky", hv_t(c->lang, "teams.bad_period"));
	c->stream_arg = s;
	struct hv_error e = {0};
	hv_buf_reset(&c->body);
	if (export_page(c, &c->body, &e) < 0) {
		hv_buf_reset(&c->body);
		return hv_fail_err(c, &e);
	}
	/* The rows may name people's accounts and what they were helped with. */
	if (!hv_audit_read(c, "assists.export", "assists.csv", s->unit->code, period))
		return HV_OK;
	if (!s->cur.done)
		c->stream = export_more;
	c->resp_type = "text/csv; charset=utf-8";
	c->no_store = true;
	c->status = 200;
	return HV_OK;
}
