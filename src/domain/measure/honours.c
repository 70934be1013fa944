/* honours.c: honours (see honours.h).  The subject's name and unit are
 * copied into the record when it is made: an honour is a statement of its
 * time and stays as it was even if a team is renamed later. */
#include "domain/measure/honours.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/num.h"
#include "core/utf8.h"
#include "domain/measure/measure.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"

const char *const hv_honour_kinds[] = {"account", "team", "organisation", "unit", NULL};

struct honour_job {
	const char *kind, *subject, *period, *reason, *ip;
	char name[4 * 120 + 1];
	const struct hv_unit *unit;
	int64_t actor, id;
};

/* The subject's display name and unit code; HV_ENOTFOUND if none. */
static int resolve(struct hv_conn *c, struct honour_job *j, char unit[8])
{
	if (!strcmp(j->kind, "unit")) {
		snprintf(unit, 8, "%s", j->subject);
		return HV_OK;
	}
	int64_t id = 0;
	bool numeric = hv_parse_i64(j->subject, 1, INT64_MAX, &id) == 0;
	if (!strcmp(j->kind, "account")) {
		struct hv_account a;
		if ((numeric ? hv_account_by_id(c, id, &a) : hv_account_by_login(c, j->subject, &a)) < 0 || a.disabled)
			return HV_ENOTFOUND;
		snprintf(j->name, sizeof j->name, "%s", a.name);
		if (a.home_unit[0]) {
			snprintf(unit, 8, "%s", a.home_unit);
			return HV_OK;
		}
		if (hv_account_load_roles(c, &a) < 0 || a.nroles == 0)
			return HV_ENOTFOUND;   /* no unit to honour it in */
		snprintf(unit, 8, "%s", a.roles[0].unit);
		return HV_OK;
	}
	if (!numeric)
		return HV_ENOTFOUND;
	struct hv_stmt *st = !strcmp(j->kind, "team") ? hv_sql(c, "SELECT name, unit_code FROM teams WHERE id = $1")
	                                              : hv_sql(c, "SELECT name, unit_code FROM organisations WHERE id = $1");
	hv_bind_i64(st, 1, id);
	int rc = hv_step(st);
	if (rc == 1) {
		snprintf(j->name, sizeof j->name, "%s", hv_col_text(st, 0));
		snprintf(unit, 8, "%s", hv_col_text(st, 1));
	}
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc < 0 ? HV_EUNAVAIL : HV_ENOTFOUND;
}

static int honour_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct honour_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st = hv_sql(c, "INSERT INTO honours (period, subject_kind, subject_id, subject_name, unit_code, province_code, reason, "
	                               "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id");
	hv_bind_text(st, 1, j->period);
	hv_bind_text(st, 2, j->kind);
	hv_bind_text(st, 3, j->subject);
	hv_bind_text(st, 4, j->name);
	hv_bind_text(st, 5, j->unit->code);
	hv_bind_text(st, 6, j->unit->province_code);
	hv_bind_text(st, 7, j->reason);
	hv_bind_i64(st, 8, j->actor);
	hv_bind_i64(st, 9, now);
	int rc = hv_step(st);
	if (rc == 1)
		j->id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	char detail[160];
	snprintf(detail, sizeof detail, "%s %s %s", j->period, j->kind, j->subject);
	if (rc != 1 || hv_audit(c, j->actor, "honour.add", j->subject, j->unit->code, detail, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

static bool kind_known(const char *kind)
{
	for (int i = 0; hv_honour_kinds[i]; i++)
		if (!strcmp(hv_honour_kinds[i], kind))
			return true;
	return false;
}

int hv_honour_add(struct hv_store *s, const struct hv_principal *who, const char *kind, const char *subject, const char *period,
                  const char *reason, const char *ip, int64_t *id, struct hv_error *e)
{
	if (!kind || !kind_known(kind))
		return hv_err_set(e, HV_EINVAL, "kind", "Chọn loại đối tượng: account (người), team (tổ), organisation (tổ chức) hoặc unit (đơn vị).");
	if (!subject || !*subject || strlen(subject) > 64 || !hv_utf8_valid(subject, strlen(subject)))
		return hv_err_set(e, HV_EINVAL, "subject", "Nhập mã của đối tượng được biểu dương (mã tài khoản hoặc tên đăng nhập, mã tổ, mã tổ chức, mã đơn vị).");
	if (!period || !hv_period_valid(period))
		return hv_err_set(e, HV_EINVAL, "period", "Kỳ là một năm (2026) hoặc một quý (2026Q4).");
	size_t rlen = reason ? strlen(reason) : 0;
	long chars = rlen && rlen <= 4 * HV_HONOUR_REASON_MAX && hv_utf8_valid(reason, rlen) && !hv_has_control(reason, rlen)
	                     ? hv_utf8_len(reason, rlen) : -1;
	if (chars < 1 || chars > HV_HONOUR_REASON_MAX || strspn(reason, " ") == rlen)
		return hv_err_set(e, HV_EINVAL, "reason", "Lý do biểu dương dài từ 1 đến %d ký tự.", HV_HONOUR_REASON_MAX);
	struct honour_job j = {.kind = kind, .subject = subject, .period = period, .reason = reason, .ip = ip, .actor = who->acct.id};
	char unit[8] = "";
	int rc = resolve(hv_store_conn(s), &j, unit);
	if (rc == HV_EUNAVAIL)
		return hv_err_set(e, rc, NULL, "Không đọc được dữ liệu, vui lòng thử lại.");
	struct hv_units *u = hv_units_acquire();
	j.unit = rc == HV_OK ? hv_units_get(u, unit) : NULL;
	if (!j.unit || j.unit->retired)
		rc = hv_err_set(e, HV_EINVAL, "subject", "Không tìm thấy đối tượng này (%s %s): kiểm tra lại mã.", kind, subject);
	else if (!hv_can(who, HV_ROLES_HONOUR, j.unit))
		rc = hv_err_set(e, HV_EFORBIDDEN, "subject", "Đối tượng này thuộc đơn vị ngoài phạm vi vai trò quản lý của bạn.");
	else {
		if (!strcmp(kind, "unit"))
			snprintf(j.name, sizeof j.name, "%s", j.unit->name);
		rc = hv_store_write(s, honour_fn, &j, e);
	}
	hv_units_release(u);
	if (rc == HV_OK && id)
		*id = j.id;
	return rc;
}

int hv_honours_list(struct hv_conn *c, const struct hv_unit *x, const char *period, hv_honour_cb cb, void *arg)
{
#define HONOUR_COLS "SELECT id, subject_kind, subject_id, subject_name, unit_code, period, reason, created_at FROM honours "
	struct hv_stmt *st;
	if (x->depth == 0)
		st = hv_sql(c, HONOUR_COLS "WHERE period = $1 ORDER BY created_at, id LIMIT 2000");
	else if (x->depth == 1)
		st = hv_sql(c, HONOUR_COLS "WHERE period = $1 AND province_code = $2 ORDER BY created_at, id LIMIT 2000");
	else
		st = hv_sql(c, HONOUR_COLS "WHERE period = $1 AND unit_code = $2 ORDER BY created_at, id LIMIT 2000");
#undef HONOUR_COLS
	hv_bind_text(st, 1, period);
	if (x->depth > 0)
		hv_bind_text(st, 2, x->code);
	int rc;
	struct hv_honour *h = malloc(sizeof *h);
	if (!h)
		abort();
	while ((rc = hv_step(st)) == 1) {
		h->id = hv_col_i64(st, 0);
		snprintf(h->kind, sizeof h->kind, "%s", hv_col_text(st, 1));
		snprintf(h->subject, sizeof h->subject, "%s", hv_col_text(st, 2));
		snprintf(h->name, sizeof h->name, "%s", hv_col_text(st, 3));
		snprintf(h->unit, sizeof h->unit, "%s", hv_col_text(st, 4));
		snprintf(h->period, sizeof h->period, "%s", hv_col_text(st, 5));
		snprintf(h->reason, sizeof h->reason, "%s", hv_col_text(st, 6));
		h->created_at = hv_col_i64(st, 7);
		cb(h, arg);
	}
	hv_stmt_done(st);
	free(h);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}
