/* team_stats.c: the figures of the volunteer and leader pages, and the CSV
 * export of assists.
 *
 * Each reader is one grouped query (never a query per member): the team's
 * members joined to their assists since the earlier of the week's and the
 * quarter's start, summed with CASE for each window (index
 * assists_volunteer).  The export walks a cursor and hands out one line at
 * a time; what a caller sees is decided once, before the query. */
#include "domain/help/teams.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/measure/measure.h"
#include "domain/help/outreach.h"
#include "domain/places/units.h"
#include "domain/people/roles.h"

#define VN_OFFSET (7 * 3600)

void hv_week_quarter_start(int64_t now, int64_t *week, int64_t *quarter)
{
	int64_t local = now + VN_OFFSET, day = local / 86400;
	int64_t monday = day - (day + 3) % 7; /* 1970-01-01 was a Thursday */
	*week = monday * 86400 - VN_OFFSET;
	time_t t = (time_t)local;
	struct tm tm;
	gmtime_r(&t, &tm);
	struct tm q = {.tm_year = tm.tm_year, .tm_mon = tm.tm_mon / 3 * 3, .tm_mday = 1};
	*quarter = (int64_t)timegm(&q) - VN_OFFSET;
}

int hv_period_range(const char *period, int64_t *from, int64_t *to)
{
	if (!hv_period_valid(period))
		return HV_EINVAL;
	int year = (period[0] - '0') * 1000 + (period[1] - '0') * 100 + (period[2] - '0') * 10 + (period[3] - '0');
	int first = period[4] == 'Q' ? (period[5] - '1') * 3 : 0, months = period[4] == 'Q' ? 3 : 12;
	struct tm a = {.tm_year = year - 1900, .tm_mon = first, .tm_mday = 1};
	struct tm b = {.tm_year = year - 1900, .tm_mon = first + months, .tm_mday = 1};
	*from = (int64_t)timegm(&a) - VN_OFFSET;
	*to = (int64_t)timegm(&b) - VN_OFFSET;
	return HV_OK;
}

static void activity_row(struct hv_stmt *st, struct hv_activity *a)
{
	a->week = hv_col_i64(st, 0);
	a->week_minutes = hv_col_i64(st, 1);
	a->quarter = hv_col_i64(st, 2);
	a->quarter_minutes = hv_col_i64(st, 3);
}

#define WINDOW_SUMS "COALESCE(SUM(CASE WHEN a.created_at >= $2 THEN 1 ELSE 0 END), 0), " \
                    "COALESCE(SUM(CASE WHEN a.created_at >= $2 THEN a.minutes ELSE 0 END), 0), " \
                    "COALESCE(SUM(CASE WHEN a.created_at >= $3 THEN 1 ELSE 0 END), 0), " \
                    "COALESCE(SUM(CASE WHEN a.created_at >= $3 THEN a.minutes ELSE 0 END), 0)"

#define MINE "(t.org_id IS NULL OR a.org_id = t.org_id)"
#define TEAM_SUMS "COALESCE(SUM(CASE WHEN a.created_at >= $2 AND " MINE " THEN 1 ELSE 0 END), 0), " \
                  "COALESCE(SUM(CASE WHEN a.created_at >= $2 AND " MINE " THEN a.minutes ELSE 0 END), 0), " \
                  "COALESCE(SUM(CASE WHEN a.created_at >= $3 AND " MINE " THEN 1 ELSE 0 END), 0), " \
                  "COALESCE(SUM(CASE WHEN a.created_at >= $3 AND " MINE " THEN a.minutes ELSE 0 END), 0)"

/* A team's totals count what the dashboard's organisation filter counts:
 * its members' assists attributed to the team's organisation when they
 * were logged (the volunteer's team at logging time, fixed on the record as
 * org_id) — not help logged before they joined, nor for another
 * organisation (team_* fields).  A team of no organisation counts all its
 * members' help.  Each member's own figures are all their help. */
int hv_team_activity(struct hv_conn *c, int64_t team, int64_t week_start, int64_t quarter_start, hv_activity_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " WINDOW_SUMS ", m.account_id, acc.display_name, COALESCE(acc.login, ''), "
	                               "(SELECT MAX(z.created_at) FROM assists z WHERE z.volunteer_id = m.account_id), "
	                               "CASE WHEN t.leader_id = m.account_id THEN 1 ELSE 0 END, " TEAM_SUMS " "
	                               "FROM team_members m JOIN teams t ON t.id = m.team_id JOIN accounts acc ON acc.id = m.account_id "
	                               "LEFT JOIN assists a ON a.volunteer_id = m.account_id AND a.created_at >= $4 "
	                               "WHERE m.team_id = $1 GROUP BY m.account_id, acc.display_name, acc.login, t.leader_id "
	                               "ORDER BY acc.display_name, m.account_id");
	hv_bind_i64(st, 1, team);
	hv_bind_i64(st, 2, week_start);
	hv_bind_i64(st, 3, quarter_start);
	hv_bind_i64(st, 4, week_start < quarter_start ? week_start : quarter_start);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		struct hv_activity a = {0};
		activity_row(st, &a);
		a.account = hv_col_i64(st, 4);
		snprintf(a.name, sizeof a.name, "%s", hv_col_text(st, 5));
		snprintf(a.login, sizeof a.login, "%s", hv_col_text(st, 6));
		a.last_at = hv_col_null(st, 7) ? 0 : hv_col_i64(st, 7);
		a.leader = hv_col_i64(st, 8) != 0;
		a.team_week = hv_col_i64(st, 9);
		a.team_week_minutes = hv_col_i64(st, 10);
		a.team_quarter = hv_col_i64(st, 11);
		a.team_quarter_minutes = hv_col_i64(st, 12);
		cb(&a, arg);
	}
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

int hv_my_activity(struct hv_conn *c, int64_t account, int64_t week_start, int64_t quarter_start, struct hv_activity *out)
{
	memset(out, 0, sizeof *out);
	out->account = account;
	struct hv_stmt *st = hv_sql(c, "SELECT " WINDOW_SUMS " FROM assists a WHERE a.volunteer_id = $1 AND a.created_at >= $4");
	hv_bind_i64(st, 1, account);
	hv_bind_i64(st, 2, week_start);
	hv_bind_i64(st, 3, quarter_start);
	hv_bind_i64(st, 4, week_start < quarter_start ? week_start : quarter_start);
	int rc = hv_step(st);
	if (rc == 1)
		activity_row(st, out);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

/* ---- export ---- */

static void csv_field(struct hv_buf *b, const char *s, bool last)
{
	hv_buf_csv(b, s);
	hv_buf_puts(b, last ? "\r\n" : ",");
}

int hv_assists_export(struct hv_conn *c, const struct hv_principal *p, const struct hv_unit *unit, int64_t from, int64_t to,
                      struct hv_export_cursor *cur, int limit, hv_line_cb out, void *arg, struct hv_error *e)
{
	/* What the caller sees: staff who manage or coordinate every record
	 * with the people's account ids; viewers the records without anyone's
	 * id or free text; volunteers only their own records. */
	bool full = hv_can(p, HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR, unit);
	bool viewer = !full && hv_can(p, HV_ROLE_VIEWER, unit);
	bool own = !full && !viewer && hv_can(p, HV_ROLE_VOLUNTEER, unit);
	if (!full && !viewer && !own)
		return hv_err_set(e, HV_EFORBIDDEN, "unit", "Đơn vị này nằm ngoài phạm vi vai trò của bạn.");
	struct hv_stmt *st = hv_sql(c, "SELECT id, created_at, unit_code, COALESCE(touch_point_id, 0), services, COALESCE(other_text, ''), "
	                               "outcome, has_smartphone, COALESCE(minutes, 0), COALESCE(age_band, ''), COALESCE(gender, ''), "
	                               "COALESCE(person_group, ''), volunteer_id, COALESCE(person_account, 0) FROM assists "
	                               "WHERE ($1 = 'VN' OR unit_code = $1 OR province_code = $1) AND created_at >= $2 AND created_at < $3 "
	                               "AND ($4 = 0 OR volunteer_id = $4) AND (created_at > $5 OR (created_at = $5 AND id > $6)) "
	                               "ORDER BY created_at, id LIMIT $7");
	hv_bind_text(st, 1, unit->code);
	hv_bind_i64(st, 2, from);
	hv_bind_i64(st, 3, to);
	hv_bind_i64(st, 4, own ? p->acct.id : 0);
	hv_bind_i64(st, 5, cur->started ? cur->at : from - 1);
	hv_bind_text(st, 6, cur->id);
	hv_bind_i64(st, 7, limit);
	struct hv_buf b;
	hv_buf_init(&b);
	int rc = HV_OK, n = 0;
	if (!cur->started) {
		hv_buf_puts(&b, "\xEF\xBB\xBF" "id,created_at,unit_code,touch_point,services,outcome,has_smartphone,minutes,age_band,gender,group");
		hv_buf_puts(&b, viewer ? "\r\n" : ",other,volunteer_id,person_account\r\n");
		rc = out(b.data, b.len, arg);
		cur->started = true;
	}
	while (rc == HV_OK && (rc = hv_step(st)) == 1) {
		n++;
		cur->at = hv_col_i64(st, 1);
		snprintf(cur->id, sizeof cur->id, "%s", hv_col_text(st, 0));
		hv_buf_reset(&b);
		char when[32], num[24];
		time_t t = (time_t)(hv_col_i64(st, 1) + VN_OFFSET);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S+07:00", &tm);
		csv_field(&b, hv_col_text(st, 0), false);
		csv_field(&b, when, false);
		csv_field(&b, hv_col_text(st, 2), false);
		snprintf(num, sizeof num, "%lld", (long long)hv_col_i64(st, 3));
		csv_field(&b, hv_col_i64(st, 3) ? num : "", false);
		struct hv_buf sv;
		hv_buf_init(&sv);
		int mask = (int)hv_col_i64(st, 4);
		for (int k = 0; hv_services[k]; k++)
			if (mask & (1 << k))
				hv_buf_printf(&sv, "%s%s", sv.len ? ";" : "", hv_services[k]);
		csv_field(&b, sv.data ? sv.data : "", false);
		hv_buf_free(&sv);
		csv_field(&b, hv_col_text(st, 6), false);
		csv_field(&b, hv_col_i64(st, 7) ? "yes" : "no", false);
		snprintf(num, sizeof num, "%lld", (long long)hv_col_i64(st, 8));
		csv_field(&b, hv_col_i64(st, 8) ? num : "", false);
		csv_field(&b, hv_col_text(st, 9), false);
		csv_field(&b, hv_col_text(st, 10), false);
		csv_field(&b, hv_col_text(st, 11), viewer);
		if (!viewer) {
			csv_field(&b, hv_col_text(st, 5), false);
			snprintf(num, sizeof num, "%lld", (long long)hv_col_i64(st, 12));
			csv_field(&b, num, false);
			snprintf(num, sizeof num, "%lld", (long long)hv_col_i64(st, 13));
			csv_field(&b, hv_col_i64(st, 13) ? num : "", true);
		}
		rc = b.failed ? HV_EINTERNAL : out(b.data, b.len, arg);
	}
	hv_stmt_done(st);
	hv_buf_free(&b);
	if (rc < 0)
		return hv_err_set(e, rc, NULL, "Không đọc được dữ liệu, vui lòng thử lại.");
	cur->done = n < limit;
	return HV_OK;
}
