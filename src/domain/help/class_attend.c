/* class_attend.c: registration for a class and its attendance (see
 * classes.h).  Each write keeps classes_held and class_attendance up to
 * date in the same transaction: a class is held the first time any
 * attendance is recorded, and no longer if every tick is taken back and
 * the head count is 0; attendance is one per person plus the head count,
 * counted in the period of the class's start. */
#include "domain/help/classes.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/num.h"
#include "domain/measure/measure.h"

static bool is_learner(const struct hv_principal *who)
{
	return who && who->second_factor && !strcmp(who->acct.kind, "learner");
}

/* The class row a write needs, read inside the transaction. */
struct row {
	char unit[8], province[8];
	int64_t starts_at, ends_at, held_at;
	int head_count;
};

static int load(struct hv_conn *c, int64_t id, struct row *r, struct hv_error *e)
{
	struct hv_stmt *st = hv_sql(c, "SELECT unit_code, province_code, starts_at, ends_at, held_at, head_count FROM classes WHERE id = $1");
	hv_bind_i64(st, 1, id);
	int rc = hv_step(st);
	if (rc == 1) {
		snprintf(r->unit, sizeof r->unit, "%s", hv_col_text(st, 0));
		snprintf(r->province, sizeof r->province, "%s", hv_col_text(st, 1));
		r->starts_at = hv_col_i64(st, 2);
		r->ends_at = hv_col_i64(st, 3);
		r->held_at = hv_col_null(st, 4) ? 0 : hv_col_i64(st, 4);
		r->head_count = (int)hv_col_i64(st, 5);
	}
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_ENOTFOUND, "id", "Không có lớp học này.");
	return rc == 1 ? HV_OK : hv_err_set(e, HV_EUNAVAIL, NULL, "Không đọc được dữ liệu, vui lòng thử lại.");
}

/* Sets or clears the class's held_at and moves classes_held by one. */
static int set_held(struct hv_conn *c, int64_t id, struct row *r, bool held)
{
	r->held_at = held ? (int64_t)time(NULL) : 0;
	struct hv_stmt *st;
	if (held) {
		st = hv_sql(c, "UPDATE classes SET held_at = $2 WHERE id = $1 AND held_at IS NULL");
		hv_bind_i64(st, 2, r->held_at);
	} else {
		st = hv_sql(c, "UPDATE classes SET held_at = NULL WHERE id = $1");
	}
	hv_bind_i64(st, 1, id);
	int rc = hv_step(st) < 0 ? HV_EUNAVAIL : HV_OK;
	hv_stmt_done(st);
	return rc == HV_OK ? hv_agg_add(c, r->unit, r->starts_at, "classes_held", held ? 1 : -1) : rc;
}

/* Attendance moved by delta (new people plus the change of the head
 * count, r->head_count already the new one): the class becomes held on the
 * first attendance recorded and stops being held when none is left. */
static int count(struct hv_conn *c, int64_t id, struct row *r, int64_t delta, bool recorded)
{
	int rc = HV_OK;
	if (!recorded && delta < 0 && r->held_at && r->head_count == 0) {
		struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM class_attendance WHERE class_id = $1 LIMIT 1");
		hv_bind_i64(st, 1, id);
		int any = hv_step(st);
		hv_stmt_done(st);
		rc = any < 0 ? HV_EUNAVAIL : any == 0 ? set_held(c, id, r, false) : HV_OK;
	}
	if (rc == HV_OK && recorded && !r->held_at)
		rc = set_held(c, id, r, true);
	if (rc == HV_OK && delta)
		rc = hv_agg_add(c, r->unit, r->starts_at, "class_attendance", delta);
	return rc;
}

/* 1 when the row was new, 0 when already present, < 0 on error. */
static int attend(struct hv_conn *c, int64_t id, const struct row *r, int64_t account, const char *how, int64_t by)
{
	struct hv_stmt *st = hv_sql(c, "INSERT INTO class_attendance (class_id, account_id, province_code, how, marked_by, at) "
	                               "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (class_id, account_id) DO NOTHING RETURNING account_id");
	hv_bind_i64(st, 1, id);
	hv_bind_i64(st, 2, account);
	hv_bind_text(st, 3, r->province);
	hv_bind_text(st, 4, how);
	hv_bind_i64(st, 5, by);
	hv_bind_i64(st, 6, (int64_t)time(NULL));
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : rc;
}

struct seat_job {
	int64_t id, account;
	bool take;
};

static int seat_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct seat_job *j = arg;
	struct row r;
	int rc = load(c, j->id, &r, e);
	if (rc < 0)
		return rc;
	struct hv_stmt *st;
	if (!j->take) {
		st = hv_sql(c, "DELETE FROM class_registrations WHERE class_id = $1 AND account_id = $2 RETURNING account_id");
		hv_bind_i64(st, 1, j->id);
		hv_bind_i64(st, 2, j->account);
		rc = hv_step(st);
		hv_stmt_done(st);
		if (rc == 0)
			return hv_err_set(e, HV_ENOTFOUND, "id", "Bạn chưa đăng ký lớp này.");
		if (rc == 1) {
			st = hv_sql(c, "UPDATE classes SET registered = registered - 1 WHERE id = $1");
			hv_bind_i64(st, 1, j->id);
			rc = hv_step(st);
			hv_stmt_done(st);
		}
		return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.") : HV_OK;
	}
	if (r.ends_at <= (int64_t)time(NULL))
		return hv_err_set(e, HV_ECONFLICT, "id", "Lớp học này đã kết thúc.");
	st = hv_sql(c, "INSERT INTO class_registrations (class_id, account_id, province_code, registered_at) VALUES ($1, $2, $3, $4) "
	               "ON CONFLICT (class_id, account_id) DO NOTHING RETURNING account_id");
	hv_bind_i64(st, 1, j->id);
	hv_bind_i64(st, 2, j->account);
	hv_bind_text(st, 3, r.province);
	hv_bind_i64(st, 4, (int64_t)time(NULL));
	rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_ECONFLICT, "id", "Bạn đã đăng ký lớp này rồi.");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	/* One conditional UPDATE takes the seat; if the class is full the
	 * registration row above is undone with this write's savepoint. */
	st = hv_sql(c, "UPDATE classes SET registered = registered + 1 WHERE id = $1 AND registered < capacity RETURNING registered");
	hv_bind_i64(st, 1, j->id);
	rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_ECONFLICT, "capacity", "Lớp đã đủ chỗ. Hãy chọn lớp khác.");
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.") : HV_OK;
}

static int seat(struct hv_store *s, const struct hv_principal *who, int64_t id, bool take, struct hv_error *e)
{
	if (!is_learner(who))
		return hv_err_set(e, who ? HV_EFORBIDDEN : HV_EUNAUTH, NULL, "Hãy đăng nhập bằng tài khoản người học.");
	struct seat_job j = {.id = id, .account = who->acct.id, .take = take};
	return hv_store_write(s, seat_fn, &j, e);
}

int hv_class_register(struct hv_store *s, const struct hv_principal *who, int64_t id, struct hv_error *e)
{
	return seat(s, who, id, true, e);
}

int hv_class_cancel(struct hv_store *s, const struct hv_principal *who, int64_t id, struct hv_error *e)
{
	return seat(s, who, id, false, e);
}

int hv_class_status(struct hv_conn *c, int64_t id, int64_t account, bool *attended)
{
	struct hv_stmt *st = hv_sql(c, "SELECT (SELECT COUNT(*) FROM class_registrations WHERE class_id = $1 AND account_id = $2), "
	                               "(SELECT COUNT(*) FROM class_attendance WHERE class_id = $1 AND account_id = $2)");
	hv_bind_i64(st, 1, id);
	hv_bind_i64(st, 2, account);
	int rc = hv_step(st);
	int reg = rc == 1 ? (int)hv_col_i64(st, 0) : 0;
	if (attended)
		*attended = rc == 1 && hv_col_i64(st, 1) > 0;
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : reg > 0;
}

int hv_class_people(struct hv_conn *c, int64_t id, hv_class_person_cb cb, void *arg)
{
	/* Registered people, then those who checked in without registering. */
	struct hv_stmt *st = hv_sql(c, "SELECT a.id, a.display_name, a.phone, 1, x.how FROM class_registrations r "
	                               "JOIN accounts a ON a.id = r.account_id "
	                               "LEFT JOIN class_attendance x ON x.class_id = r.class_id AND x.account_id = r.account_id "
	                               "WHERE r.class_id = $1 "
	                               "UNION ALL SELECT a.id, a.display_name, a.phone, 0, x.how FROM class_attendance x "
	                               "JOIN accounts a ON a.id = x.account_id WHERE x.class_id = $1 AND NOT EXISTS "
	                               "(SELECT 1 FROM class_registrations r WHERE r.class_id = $1 AND r.account_id = x.account_id) "
	                               "ORDER BY 2, 1");
	hv_bind_i64(st, 1, id);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		struct hv_class_person p = {0};
		p.account = hv_col_i64(st, 0);
		snprintf(p.name, sizeof p.name, "%s", hv_col_text(st, 1));
		snprintf(p.phone, sizeof p.phone, "%s", hv_col_null(st, 2) ? "" : hv_col_text(st, 2));
		p.registered = hv_col_i64(st, 3) != 0;
		p.attended = !hv_col_null(st, 4);
		snprintf(p.how, sizeof p.how, "%s", p.attended ? hv_col_text(st, 4) : "");
		cb(&p, arg);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

/* ---- attendance ---- */

struct mark_job {
	int64_t id, by, head_count;
	struct hv_ids tick, untick;
	bool qr, already;
};

/* 1 when a tick from the list was taken back, 0 when there was none. */
static int unattend(struct hv_conn *c, int64_t id, int64_t account)
{
	struct hv_stmt *st = hv_sql(c, "DELETE FROM class_attendance WHERE class_id = $1 AND account_id = $2 AND how = 'list' "
	                               "RETURNING account_id");
	hv_bind_i64(st, 1, id);
	hv_bind_i64(st, 2, account);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : rc;
}

static int mark_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct mark_job *j = arg;
	struct row r;
	int rc = load(c, j->id, &r, e);
	if (rc < 0)
		return rc;
	int64_t delta = 0;
	for (int i = 0; i < j->tick.n; i++) {
		if (!j->qr) {
			/* Only registered people are ticked. */
			struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM class_registrations WHERE class_id = $1 AND account_id = $2");
			hv_bind_i64(st, 1, j->id);
			hv_bind_i64(st, 2, j->tick.v[i]);
			rc = hv_step(st);
			hv_stmt_done(st);
			if (rc == 0)
				return hv_err_set(e, HV_EINVAL, "present", "Chỉ đánh dấu được người đã đăng ký lớp này.");
			if (rc < 0)
				return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
		}
		rc = attend(c, j->id, &r, j->tick.v[i], j->qr ? "qr" : "list", j->by);
		if (rc < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
		delta += rc;
		j->already = rc == 0;
	}
	bool recorded = delta > 0;
	for (int i = 0; i < j->untick.n; i++) {
		rc = unattend(c, j->id, j->untick.v[i]);
		if (rc < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
		delta -= rc;
	}
	if (j->head_count >= 0 && j->head_count != r.head_count) {
		struct hv_stmt *st = hv_sql(c, "UPDATE classes SET head_count = $2 WHERE id = $1");
		hv_bind_i64(st, 1, j->id);
		hv_bind_i64(st, 2, j->head_count);
		rc = hv_step(st) < 0 ? HV_EUNAVAIL : HV_OK;
		hv_stmt_done(st);
		if (rc < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
		/* A lower head count moves class_attendance down by the difference. */
		recorded |= j->head_count > r.head_count;
		delta += j->head_count - r.head_count;
		r.head_count = (int)j->head_count;
	}
	return count(c, j->id, &r, delta, recorded) < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.") : HV_OK;
}

int hv_class_mark(struct hv_store *s, const struct hv_principal *who, int64_t id, struct hv_ids tick, struct hv_ids untick,
                  int64_t head_count, struct hv_error *e)
{
	struct hv_class k;
	int rc = hv_class_get(hv_store_conn(s), id, &k);
	if (rc < 0)
		return hv_err_set(e, rc, "id", rc == HV_ENOTFOUND ? "Không có lớp học này." : "Không đọc được dữ liệu, vui lòng thử lại.");
	struct hv_units *u = hv_units_acquire();
	bool ok = hv_class_can_run(who, &k, u);
	hv_units_release(u);
	if (!ok)
		return hv_err_set(e, HV_EFORBIDDEN, "id", "Lớp học này ngoài đơn vị của bạn.");
	if (head_count > HV_CLASS_CAPACITY_MAX)
		return hv_err_set(e, HV_EINVAL, "head_count", "Số người không tên phải từ 0 đến 1000.");
	struct mark_job j = {.id = id, .by = who->acct.id, .head_count = head_count, .tick = tick, .untick = untick};
	return hv_store_write(s, mark_fn, &j, e);
}

int hv_class_checkin(struct hv_store *s, const struct hv_principal *who, int64_t id, bool *already, struct hv_error *e)
{
	if (!is_learner(who))
		return hv_err_set(e, who ? HV_EFORBIDDEN : HV_EUNAUTH, NULL, "Hãy đăng nhập bằng tài khoản người học.");
	int64_t me = who->acct.id;
	struct mark_job j = {.id = id, .by = me, .head_count = -1, .tick = {&me, 1}, .qr = true};
	int rc = hv_store_write(s, mark_fn, &j, e);
	*already = j.already;
	return rc;
}

/* ---- the rotating check-in token ---- */

static void mac_hex(const unsigned char secret[32], int64_t id, int64_t minute, char out[17])
{
	char msg[64];
	int n = snprintf(msg, sizeof msg, "checkin:%lld:%lld", (long long)id, (long long)minute);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, secret, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)msg, (unsigned long long)n);
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 17, mac, 8);
}

void hv_class_token(const unsigned char secret[32], int64_t id, int64_t minute, char out[HV_CLASS_TOKEN_MAX])
{
	char hex[17];
	mac_hex(secret, id, minute, hex);
	snprintf(out, HV_CLASS_TOKEN_MAX, "%lld-%s", (long long)minute, hex);
}

int hv_class_token_check(const unsigned char secret[32], int64_t id, const char *token, int64_t now, struct hv_error *e)
{
	const char *dash = token ? strchr(token, '-') : NULL;
	char num[24];
	int64_t minute;
	if (!dash || dash - token >= (long)sizeof num || strlen(dash + 1) != 16)
		return hv_err_set(e, HV_EFORBIDDEN, "t", "Mã điểm danh không hợp lệ. Hãy quét lại mã trên màn hình của lớp.");
	memcpy(num, token, (size_t)(dash - token));
	num[dash - token] = '\0';
	char want[17];
	if (hv_parse_i64(num, 0, INT64_MAX / 60, &minute) < 0 || (mac_hex(secret, id, minute, want), 0) ||
	    sodium_memcmp(want, dash + 1, 16) != 0)
		return hv_err_set(e, HV_EFORBIDDEN, "t", "Mã điểm danh không hợp lệ. Hãy quét lại mã trên màn hình của lớp.");
	int64_t cur = now / 60;
	if (minute != cur && minute != cur - 1)
		return hv_err_set(e, HV_EINVAL, "t", "Mã điểm danh đã hết hạn. Hãy quét lại mã mới trên màn hình của lớp.");
	return HV_OK;
}
