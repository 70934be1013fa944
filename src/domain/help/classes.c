/* classes.c: scheduling and reading mobile classes, and touch points by
 * id (see classes.h).  Registration and attendance are in
 * class_attend.c. */
#include "domain/help/classes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/utf8.h"
#include "domain/learn/content.h"
#include "domain/help/teams.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"

#define CLASS_COLS                                                                                              \
	"k.id, k.title, k.course_id, k.touch_point_id, k.unit_code, k.province_code, k.starts_at, k.ends_at, "       \
	"k.capacity, k.registered, k.head_count, k.organiser_id, k.org_id, k.held_at, t.name, t.address, "          \
	"a.display_name, (SELECT COUNT(*) FROM class_attendance x WHERE x.class_id = k.id) "                         \
	"FROM classes k JOIN touch_points t ON t.id = k.touch_point_id JOIN accounts a ON a.id = k.organiser_id "

static void class_row(struct hv_stmt *st, struct hv_class *k)
{
	memset(k, 0, sizeof *k);
	k->id = hv_col_i64(st, 0);
	snprintf(k->title, sizeof k->title, "%s", hv_col_text(st, 1));
	k->course_id = hv_col_i64(st, 2);
	k->touch_point_id = hv_col_i64(st, 3);
	snprintf(k->unit, sizeof k->unit, "%s", hv_col_text(st, 4));
	snprintf(k->province, sizeof k->province, "%s", hv_col_text(st, 5));
	k->starts_at = hv_col_i64(st, 6);
	k->ends_at = hv_col_i64(st, 7);
	k->capacity = (int)hv_col_i64(st, 8);
	k->registered = (int)hv_col_i64(st, 9);
	k->head_count = (int)hv_col_i64(st, 10);
	k->organiser_id = hv_col_i64(st, 11);
	k->org_id = hv_col_null(st, 12) ? 0 : hv_col_i64(st, 12);
	k->held_at = hv_col_null(st, 13) ? 0 : hv_col_i64(st, 13);
	snprintf(k->point_name, sizeof k->point_name, "%s", hv_col_text(st, 14));
	snprintf(k->point_address, sizeof k->point_address, "%s", hv_col_text(st, 15));
	snprintf(k->organiser, sizeof k->organiser, "%s", hv_col_text(st, 16));
	k->attended = (int)hv_col_i64(st, 17);
}

int hv_touch_point_get(struct hv_conn *c, int64_t id, struct hv_touch_point *tp)
{
	struct hv_stmt *st = hv_sql(c, "SELECT name, unit_code, address, lat, lon, free_wifi, hours FROM touch_points WHERE id = $1");
	hv_bind_i64(st, 1, id);
	int rc = hv_step(st);
	if (rc == 1) {
		memset(tp, 0, sizeof *tp);
		tp->id = id;
		snprintf(tp->name, sizeof tp->name, "%s", hv_col_text(st, 0));
		snprintf(tp->unit, sizeof tp->unit, "%s", hv_col_text(st, 1));
		snprintf(tp->address, sizeof tp->address, "%s", hv_col_text(st, 2));
		tp->has_coords = !hv_col_null(st, 3);
		tp->lat = tp->has_coords ? strtod(hv_col_text(st, 3), NULL) : 0;
		tp->lon = tp->has_coords ? strtod(hv_col_text(st, 4), NULL) : 0;
		tp->free_wifi = hv_col_i64(st, 5) != 0;
		snprintf(tp->hours, sizeof tp->hours, "%s", hv_col_text(st, 6));
	}
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

int hv_class_get(struct hv_conn *c, int64_t id, struct hv_class *out)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " CLASS_COLS "WHERE k.id = $1");
	hv_bind_i64(st, 1, id);
	int rc = hv_step(st);
	if (rc == 1)
		class_row(st, out);
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

bool hv_class_can_run(const struct hv_principal *who, const struct hv_class *k, const struct hv_units *u)
{
	const struct hv_unit *x = hv_units_get(u, k->unit);
	return who && who->second_factor && !strcmp(who->acct.kind, "staff") && x && hv_can(who, HV_ROLES_CLASSES, x);
}

static int each(struct hv_stmt *st, hv_class_cb cb, void *arg)
{
	int rc;
	struct hv_class k;
	while ((rc = hv_step(st)) == 1) {
		class_row(st, &k);
		cb(&k, arg);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_classes_list(struct hv_conn *c, const struct hv_unit *unit, int64_t from, int64_t to, int limit, hv_class_cb cb,
                    void *arg)
{
	/* Like touch points: the nation, a province by its code, or a commune. */
	struct hv_stmt *st;
	if (unit->depth == 0) {
		st = hv_sql(c, "SELECT " CLASS_COLS "WHERE k.ends_at > $1 AND k.starts_at < $2 ORDER BY k.starts_at, k.id LIMIT $3");
	} else if (unit->depth == 1) {
		st = hv_sql(c, "SELECT " CLASS_COLS "WHERE k.ends_at > $1 AND k.starts_at < $2 AND k.province_code = $4 "
		               "ORDER BY k.starts_at, k.id LIMIT $3");
		hv_bind_text(st, 4, unit->code);
	} else {
		st = hv_sql(c, "SELECT " CLASS_COLS "WHERE k.ends_at > $1 AND k.starts_at < $2 AND k.unit_code = $4 "
		               "ORDER BY k.starts_at, k.id LIMIT $3");
		hv_bind_text(st, 4, unit->code);
	}
	hv_bind_i64(st, 1, from);
	hv_bind_i64(st, 2, to);
	hv_bind_i64(st, 3, limit);
	return each(st, cb, arg);
}

int hv_classes_at_point(struct hv_conn *c, int64_t tp, int64_t from, int limit, hv_class_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " CLASS_COLS "WHERE k.touch_point_id = $1 AND k.ends_at > $2 "
	                               "ORDER BY k.starts_at, k.id LIMIT $3");
	hv_bind_i64(st, 1, tp);
	hv_bind_i64(st, 2, from);
	hv_bind_i64(st, 3, limit);
	return each(st, cb, arg);
}

/* ---- scheduling ---- */

struct create_job {
	const struct hv_class_new *n;
	const struct hv_principal *who;
	const struct hv_touch_point *tp;
	const char *province;
	int64_t id;
};

static int create_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct create_job *j = arg;
	if (j->n->org_id) {
		struct hv_org org;
		int found = hv_org_get(c, j->n->org_id, &org);
		if (found != HV_OK)
			return found == HV_EUNAVAIL ? HV_EUNAVAIL : hv_err_set(e, HV_EINVAL, "organisation", "Không có tổ chức với mã này.");
	}
	struct hv_stmt *st = hv_sql(c, "INSERT INTO classes (title, course_id, touch_point_id, unit_code, province_code, starts_at, "
	                               "ends_at, capacity, organiser_id, org_id, created_at) "
	                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id");
	hv_bind_text(st, 1, j->n->title);
	hv_bind_i64(st, 2, j->n->course_id);
	hv_bind_i64(st, 3, j->tp->id);
	hv_bind_text(st, 4, j->tp->unit);
	hv_bind_text(st, 5, j->province);
	hv_bind_i64(st, 6, j->n->starts_at);
	hv_bind_i64(st, 7, j->n->ends_at);
	hv_bind_i64(st, 8, j->n->capacity);
	hv_bind_i64(st, 9, j->who->acct.id);
	if (j->n->org_id)
		hv_bind_i64(st, 10, j->n->org_id);
	else
		hv_bind_null(st, 10);
	hv_bind_i64(st, 11, (int64_t)time(NULL));
	int rc = hv_step(st);
	if (rc == 1)
		j->id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
}

static int check_new(const struct hv_class_new *n, struct hv_error *e)
{
	size_t len = n->title ? strlen(n->title) : 0;
	long chars = n->title ? hv_utf8_len(n->title, len) : -1;
	if (hv_check_one_line(n->title, "title", "Tên lớp", e) < 0)
		return HV_EINVAL;
	if (chars < 5 || chars > 120)
		return hv_err_set(e, HV_EINVAL, "title", "Tên lớp cần từ 5 đến 120 ký tự.");
	struct hv_pack *p = hv_catalog_acquire();
	const struct hv_course *co = p ? hv_catalog_course_id(p, n->course_id) : NULL;
	bool course_ok = co && co->published;
	if (p)
		hv_catalog_release(p);
	if (!course_ok)
		return hv_err_set(e, HV_EINVAL, "course", "Hãy chọn một khóa học có trong danh mục.");
	if (n->starts_at <= 0)
		return hv_err_set(e, HV_EINVAL, "start", "Hãy ghi giờ bắt đầu, ví dụ 2026-12-01T08:00.");
	if (n->ends_at <= n->starts_at)
		return hv_err_set(e, HV_EINVAL, "end", "Giờ kết thúc phải sau giờ bắt đầu.");
	if (n->ends_at - n->starts_at > 14 * 24 * 3600)
		return hv_err_set(e, HV_EINVAL, "end", "Một lớp kéo dài tối đa 14 ngày.");
	if (n->capacity < 1 || n->capacity > HV_CLASS_CAPACITY_MAX)
		return hv_err_set(e, HV_EINVAL, "capacity", "Sĩ số phải từ 1 đến 1000.");
	return HV_OK;
}

int hv_class_create(struct hv_store *s, const struct hv_principal *who, const struct hv_class_new *n, int64_t *id,
                    struct hv_error *e)
{
	int rc = check_new(n, e);
	if (rc < 0)
		return rc;
	struct hv_touch_point tp;
	rc = n->touch_point_id > 0 ? hv_touch_point_get(hv_store_conn(s), n->touch_point_id, &tp) : HV_ENOTFOUND;
	if (rc == HV_ENOTFOUND)
		return hv_err_set(e, HV_EINVAL, "touch_point", "Hãy chọn một điểm chạm số có thật.");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không đọc được dữ liệu, vui lòng thử lại.");
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, tp.unit);
	struct create_job j = {.n = n, .who = who, .tp = &tp, .province = x ? x->province_code : NULL};
	if (!x || !hv_can(who, HV_ROLES_CLASSES, x))
		rc = hv_err_set(e, HV_EFORBIDDEN, "touch_point", "Điểm chạm số này ngoài đơn vị của bạn.");
	else
		rc = hv_store_write(s, create_fn, &j, e);
	hv_units_release(u);
	if (rc == HV_OK && id)
		*id = j.id;
	return rc;
}
