/* accounts.c: validating, hashing, creating and reading accounts. */
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"
#include "domain/people/signin.h"

#include <errno.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "domain/internal.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/metrics.h"
#include "core/utf8.h"
#include "domain/measure/measure.h"
#include "domain/help/outreach.h"

int hv_check_login(const char *login, struct hv_error *e)
{
	size_t n = strlen(login);
	if (n < 3 || n > HV_LOGIN_MAX)
		return hv_err_set(e, HV_EINVAL, "login", "Tên đăng nhập cần 3–%d ký tự.", HV_LOGIN_MAX);
	for (size_t i = 0; i < n; i++) {
		char c = login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
			return hv_err_set(e, HV_EINVAL, "login", "Tên đăng nhập chỉ gồm chữ thường không dấu, số và . _ -");
	}
	return HV_OK;
}

int hv_check_password(const char *pw, struct hv_error *e)
{
	size_t n = strlen(pw);
	if (!hv_utf8_valid(pw, n))
		return hv_err_set(e, HV_EINVAL, "password", "Mật khẩu chứa ký tự không hợp lệ.");
	long chars = hv_utf8_len(pw, n);
	if (chars < HV_PASSWORD_MIN || n > HV_PASSWORD_MAX)
		return hv_err_set(e, HV_EINVAL, "password", "Mật khẩu cần từ %d đến %d ký tự.", HV_PASSWORD_MIN, HV_PASSWORD_MAX);
	return HV_OK;
}

int hv_check_one_line(const char *s, const char *field, const char *label, struct hv_error *e)
{
	if (s && hv_has_any_control(s, strlen(s)))
		return hv_err_set(e, HV_EINVAL, field, "%s không được chứa dấu tab, xuống dòng hay ký tự điều khiển khác: hãy viết trên một dòng.",
		                  label);
	return HV_OK;
}

int hv_check_name(const char *name, struct hv_error *e)
{
	size_t n = strlen(name);
	long chars = hv_utf8_len(name, n);
	if (chars < 0)
		return hv_err_set(e, HV_EINVAL, "name", "Họ tên chứa ký tự không hợp lệ.");
	if (hv_check_one_line(name, "name", "Họ tên", e) < 0)
		return HV_EINVAL;
	if (chars < 2 || chars > HV_NAME_MAX)
		return hv_err_set(e, HV_EINVAL, "name", "Họ tên cần từ 2 đến %d ký tự.", HV_NAME_MAX);
	return HV_OK;
}

int hv_check_phone(const char *phone, char out[16], struct hv_error *e)
{
	char digits[24];
	size_t n = 0;
	const char *p = phone;
	if (strncmp(p, "+84", 3) == 0) {
		digits[n++] = '0';
		p += 3;
	}
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n >= sizeof digits - 1)
				break;
			digits[n++] = *p;
		} else if (*p != ' ' && *p != '.' && *p != '-') {
			n = 0;
			break;
		}
	}
	digits[n] = '\0';
	/* Vietnamese mobile numbers: 10 digits, 03x/05x/07x/08x/09x. */
	if (n != 10 || digits[0] != '0' || !strchr("35789", digits[1]))
		return hv_err_set(e, HV_EINVAL, "phone", "Số điện thoại di động gồm 10 chữ số, bắt đầu bằng 03, 05, 07, 08 hoặc 09.");
	memcpy(out, digits, n + 1);
	return HV_OK;
}

int hv_check_pin(const char *pin, struct hv_error *e)
{
	if (strlen(pin) != 6 || strspn(pin, "0123456789") != 6)
		return hv_err_set(e, HV_EINVAL, "pin", "Mã PIN gồm đúng 6 chữ số.");
	bool same = true, up = true, down = true;
	for (int i = 1; i < 6; i++) {
		same &= pin[i] == pin[0];
		up &= pin[i] == pin[i - 1] + 1;
		down &= pin[i] == pin[i - 1] - 1;
	}
	if (same || up || down)
		return hv_err_set(e, HV_EINVAL, "pin", "Mã PIN quá dễ đoán (như 111111 hoặc 123456). Hãy chọn 6 số khác.");
	return HV_OK;
}

/* ---- hashing with a cap on concurrency ---- */

/* As many hashes at once as there are cores.  Sign-ins (checking a hash)
 * go first: making a hash (registration, a new PIN, imports) takes a free
 * slot only while no sign-in is waiting, so a flood of registrations
 * delays a sign-in by one hash at most instead of making it fail.  Either
 * waits up to 5 s, then the answer is "busy, try again". */
static pthread_mutex_t hash_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hash_free = PTHREAD_COND_INITIALIZER;
static int hash_cores, hash_busy, signins_waiting;

static int take_slot(bool for_signin)
{
	pthread_mutex_lock(&hash_lock);
	if (!hash_cores) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		hash_cores = cores > 0 ? (int)cores : 1;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += 5;
	int rc = HV_OK;
	if (for_signin)
		signins_waiting++;
	while (hash_busy >= hash_cores || (!for_signin && signins_waiting > 0)) {
		if (pthread_cond_timedwait(&hash_free, &hash_lock, &ts) == ETIMEDOUT) {
			rc = HV_EUNAVAIL;
			break;
		}
	}
	if (for_signin)
		signins_waiting--;
	if (rc == HV_OK)
		hash_busy++;
	else
		pthread_cond_broadcast(&hash_free); /* a sign-in gave up: bulk may go */
	pthread_mutex_unlock(&hash_lock);
	return rc;
}

static void give_slot(void)
{
	pthread_mutex_lock(&hash_lock);
	hash_busy--;
	pthread_cond_broadcast(&hash_free);
	pthread_mutex_unlock(&hash_lock);
}

int hv_secret_hash(const char *secret, char out[128], struct hv_error *e)
{
	if (take_slot(false) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Máy chủ đang bận, vui lòng thử lại sau ít phút.");
	int rc = crypto_pwhash_str(out, secret, strlen(secret), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                           crypto_pwhash_MEMLIMIT_INTERACTIVE);
	give_slot();
	hv_metrics_secret_hash();
	if (rc != 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Máy chủ không đủ bộ nhớ, vui lòng thử lại.");
	return HV_OK;
}

int hv_secret_verify(const char *hash, const char *secret)
{
	if (take_slot(true) < 0)
		return HV_EUNAVAIL;
	int rc = crypto_pwhash_str_verify(hash, secret, strlen(secret));
	give_slot();
	return rc == 0 ? HV_OK : HV_EINVAL;
}

/* ---- reading ---- */

#define ACCOUNT_COLS HV_ACCOUNT_COLS("")

void hv_account_fill(struct hv_stmt *st, int at, struct hv_account *a)
{
	memset(a, 0, sizeof *a);
	a->id = hv_col_i64(st, at);
	snprintf(a->kind, sizeof a->kind, "%s", hv_col_text(st, at + 1));
	snprintf(a->login, sizeof a->login, "%s", hv_col_text(st, at + 2));
	snprintf(a->phone, sizeof a->phone, "%s", hv_col_text(st, at + 3));
	snprintf(a->name, sizeof a->name, "%s", hv_col_text(st, at + 4));
	snprintf(a->home_unit, sizeof a->home_unit, "%s", hv_col_text(st, at + 5));
	a->disabled = hv_col_i64(st, at + 6) != 0;
	a->totp_enabled = hv_col_i64(st, at + 7) != 0;
	a->locked_until = hv_col_i64(st, at + 8);
	a->created_at = hv_col_i64(st, at + 9);
}

void hv_account_add_role(struct hv_stmt *st, int at, struct hv_account *a)
{
	int kind = hv_role_parse(hv_col_text(st, at + 1));
	if (!kind || a->nroles >= HV_MAX_ROLES)
		return;
	struct hv_role *r = &a->roles[a->nroles++];
	r->id = hv_col_i64(st, at);
	r->kind = kind;
	snprintf(r->unit, sizeof r->unit, "%s", hv_col_text(st, at + 2));
	r->org_id = hv_col_i64(st, at + 3);
}

static int one(struct hv_conn *c, struct hv_stmt *st, struct hv_account *a)
{
	if (!st)
		return HV_EINTERNAL;
	int rc = hv_step(st);
	if (rc == 1)
		hv_account_fill(st, 0, a);
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	if (rc == 0)
		return HV_ENOTFOUND;
	return hv_account_load_roles(c, a);
}

int hv_account_by_id(struct hv_conn *c, int64_t id, struct hv_account *a)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " ACCOUNT_COLS " FROM accounts WHERE id = $1");
	hv_bind_i64(st, 1, id);
	return one(c, st, a);
}

int hv_account_by_login(struct hv_conn *c, const char *login, struct hv_account *a)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " ACCOUNT_COLS " FROM accounts WHERE login = $1");
	hv_bind_text(st, 1, login);
	return one(c, st, a);
}

int hv_account_by_phone(struct hv_conn *c, const char *phone, struct hv_account *a)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " ACCOUNT_COLS " FROM accounts WHERE phone = $1");
	hv_bind_text(st, 1, phone);
	return one(c, st, a);
}

int hv_account_load_roles(struct hv_conn *c, struct hv_account *a)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " HV_ROLE_COLS("") " FROM roles WHERE account_id = $1 ORDER BY id");
	hv_bind_i64(st, 1, a->id);
	a->nroles = 0;
	int rc;
	while ((rc = hv_step(st)) == 1)
		hv_account_add_role(st, 0, a);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_accounts_list(struct hv_conn *c, const struct hv_units *u, const char *unit, int limit, hv_account_cb cb, void *arg)
{
	const struct hv_unit *top = hv_units_get(u, unit);
	if (!top)
		return HV_ENOTFOUND;
	/* Home units are few levels deep; filtering in memory by the tree keeps
	 * the SQL portable.  Learners are listed only on their own pages. */
	struct hv_stmt *st = hv_sql(c, "SELECT " ACCOUNT_COLS " FROM accounts WHERE kind = 'staff' ORDER BY display_name, id");
	int rc, n = 0;
	struct hv_account *a = hv_xmalloc(sizeof *a);
	struct hv_account **keep = hv_xcalloc((size_t)limit + 1, sizeof *keep);
	while (n < limit && (rc = hv_step(st)) == 1) {
		hv_account_fill(st, 0, a);
		const struct hv_unit *home = hv_units_get(u, a->home_unit);
		if (!home || !hv_unit_within(home, top))
			continue;
		keep[n] = hv_xmalloc(sizeof *a);
		memcpy(keep[n], a, sizeof *a);
		n++;
	}
	hv_stmt_done(st);
	for (int i = 0; i < n; i++) {
		hv_account_load_roles(c, keep[i]);
		cb(keep[i], arg);
		free(keep[i]);
	}
	free(keep);
	free(a);
	return HV_OK;
}

int hv_accounts_hammered(struct hv_conn *c, int64_t since, int limit, hv_account_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, "SELECT " ACCOUNT_COLS " FROM accounts WHERE id IN (SELECT actor_id FROM audit_log "
	                               "WHERE at >= $1 AND action IN ('signin.lock', 'pin.lock', 'totp.lock')) "
	                               "ORDER BY locked_until DESC, id LIMIT $2");
	hv_bind_i64(st, 1, since);
	hv_bind_i64(st, 2, limit);
	int rc = 0, n = 0;
	struct hv_account **keep = hv_xcalloc((size_t)limit + 1, sizeof *keep);
	while (n < limit && (rc = hv_step(st)) == 1) {
		keep[n] = hv_xmalloc(sizeof **keep);
		hv_account_fill(st, 0, keep[n]);
		n++;
	}
	hv_stmt_done(st);
	for (int i = 0; i < n; i++) {
		if (rc >= 0 && hv_account_load_roles(c, keep[i]) < 0)
			rc = HV_EUNAVAIL;
		if (rc >= 0)
			cb(keep[i], arg);
		free(keep[i]);
	}
	free(keep);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

/* ---- writing ---- */

struct create_job {
	struct hv_new_account *n;
	const char *hash;
	int64_t now;
};

static int create_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct create_job *j = arg;
	int rc;
	if (j->n->public_signup && (rc = hv_register_count(c, j->n->ip, j->n->home_unit, e)) < 0)
		return rc; /* over the limit: nothing written */
	return hv_account_insert(c, j->n, j->hash, j->now, e);
}

int hv_account_insert(struct hv_conn *c, struct hv_new_account *n, const char *hash, int64_t now, struct hv_error *e)
{
	struct create_job job = {.n = n, .hash = hash, .now = now}, *j = &job;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO accounts (kind, login, phone, display_name, home_unit, province_code, "
	                               "secret_hash, consent_at, created_at, updated_at, person_group) "
	                               "VALUES ($1, $2, $3, $4, $5, (SELECT province_code FROM units WHERE code = $5), $6, $7, $8, $8, $9) "
	                               "RETURNING id");
	hv_bind_text(st, 1, n->kind);
	hv_bind_text(st, 2, n->login);
	hv_bind_text(st, 3, n->phone);
	hv_bind_text(st, 4, n->name);
	hv_bind_text(st, 5, n->home_unit);
	hv_bind_text(st, 6, j->hash);
	if (n->consent)
		hv_bind_i64(st, 7, j->now);
	else
		hv_bind_null(st, 7);
	hv_bind_i64(st, 8, j->now);
	hv_bind_text(st, 9, n->group && *n->group ? n->group : NULL);
	int rc = hv_step(st);
	if (rc == 1)
		n->out_id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc == HV_ECONFLICT) {
		if (n->login)
			return hv_err_set(e, HV_ECONFLICT, "login", "Tên đăng nhập “%s” đã có người dùng.", n->login);
		return hv_err_set(e, HV_ECONFLICT, "phone", "Số điện thoại này đã được đăng ký. Hãy đăng nhập bằng mã PIN.");
	}
	if (rc != 1)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được tài khoản, vui lòng thử lại.");
	if (!strcmp(n->kind, "learner") && hv_learner_count(c, n->home_unit, j->now, n->group, "registered_learners", HV_IN_QUARTER | HV_IN_YEAR) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được tài khoản, vui lòng thử lại.");
	if (n->role_kind) {
		st = hv_sql(c, "INSERT INTO roles (account_id, role, unit_code, granted_by, granted_at, org_id) VALUES ($1, $2, $3, $4, $5, $6)");
		hv_bind_i64(st, 1, n->out_id);
		hv_bind_text(st, 2, hv_role_name(n->role_kind));
		hv_bind_text(st, 3, n->role_unit);
		if (n->actor_id)
			hv_bind_i64(st, 4, n->actor_id);
		else
			hv_bind_null(st, 4);
		hv_bind_i64(st, 5, j->now);
		if (n->role_org)
			hv_bind_i64(st, 6, n->role_org);
		else
			hv_bind_null(st, 6);
		rc = hv_step(st);
		hv_stmt_done(st);
		if (rc < 0)
			return hv_err_set(e, HV_EINVAL, "role_unit", "Không gán được vai trò: đơn vị không hợp lệ.");
		char detail[32];
		snprintf(detail, sizeof detail, "%s", hv_role_name(n->role_kind));
		char tgt[32];
		snprintf(tgt, sizeof tgt, "account:%lld", (long long)n->out_id);
		if (hv_audit(c, n->actor_id, "role.grant", tgt, n->role_unit, detail, n->ip) < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được tài khoản, vui lòng thử lại.");
	}
	if (n->team_id) {
		st = hv_sql(c, "INSERT INTO team_members (team_id, account_id, joined_at) VALUES ($1, $2, $3)");
		hv_bind_i64(st, 1, n->team_id);
		hv_bind_i64(st, 2, n->out_id);
		hv_bind_i64(st, 3, j->now);
		rc = hv_step(st);
		hv_stmt_done(st);
		if (rc < 0)
			return hv_err_set(e, HV_EINVAL, "team", "Không thêm được vào tổ: tổ không tồn tại.");
	}
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)n->out_id);
	if (hv_audit(c, n->actor_id ? n->actor_id : n->out_id, n->consent ? "account.create+consent" : "account.create",
	             target, n->home_unit, n->login ? n->login : "learner", n->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được tài khoản, vui lòng thử lại.");
	return HV_OK;
}

int hv_account_create(struct hv_store *s, struct hv_new_account *n, struct hv_error *e)
{
	if (n->group && *n->group && !hv_group_valid(n->group))
		return hv_err_set(e, HV_EINVAL, "group", "Nhóm không có trong danh sách: hãy chọn trong ô “Bạn là”.");
	bool staff = strcmp(n->kind, "staff") == 0;
	int rc;
	if (!staff && strcmp(n->kind, "learner") != 0)
		return hv_err_set(e, HV_EINVAL, "kind", "unknown account kind");
	if ((rc = hv_check_name(n->name ? n->name : "", e)) < 0)
		return rc;
	char phone[16];
	if (staff) {
		if ((rc = hv_check_login(n->login ? n->login : "", e)) < 0 ||
		    (rc = hv_check_password(n->secret ? n->secret : "", e)) < 0)
			return rc;
		if (!n->home_unit || !*n->home_unit)
			return hv_err_set(e, HV_EINVAL, "unit", "Hãy chọn đơn vị của tài khoản.");
	} else {
		if ((rc = hv_check_phone(n->phone ? n->phone : "", phone, e)) < 0 ||
		    (rc = hv_check_pin(n->secret ? n->secret : "", e)) < 0)
			return rc;
		if (!n->consent)
			return hv_err_set(e, HV_EINVAL, "consent", "Cần bạn đồng ý cho phép lưu thông tin để tạo tài khoản.");
		n->phone = phone;
		n->login = NULL;
	}
	if (n->home_unit && *n->home_unit) {
		struct hv_units *u = hv_units_acquire();
		const struct hv_unit *x = hv_units_get(u, n->home_unit);
		bool ok = x && !x->retired;
		hv_units_release(u);
		if (!ok)
			return hv_err_set(e, HV_EINVAL, "unit", "Không có đơn vị hành chính mã “%s”.", n->home_unit);
	} else {
		n->home_unit = NULL;
	}
	/* A name already taken is answered before the costly hash (the insert
	 * still decides, should two arrive at once). */
	struct hv_account old;
	if (n->login && hv_account_by_login(hv_store_conn(s), n->login, &old) == HV_OK)
		return hv_err_set(e, HV_ECONFLICT, "login", "Tên đăng nhập “%s” đã có người dùng.", n->login);
	if (n->phone && hv_account_by_phone(hv_store_conn(s), n->phone, &old) == HV_OK)
		return hv_err_set(e, HV_ECONFLICT, "phone", "Số điện thoại này đã được đăng ký. Hãy đăng nhập bằng mã PIN.");
	/* A public sign-up that would be written counts against its address
	 * and commune (mistakes in the form do not). */
	if (n->public_signup && (rc = hv_register_allowed(s, n->ip, n->home_unit, e)) < 0)
		return rc;
	char hash[128];
	if ((rc = hv_secret_hash(n->secret, hash, e)) < 0)
		return rc;
	struct create_job j = {.n = n, .hash = hash, .now = (int64_t)time(NULL)};
	rc = hv_store_write(s, create_fn, &j, e);
	sodium_memzero(hash, sizeof hash);
	if (!staff)
		n->phone = NULL; /* points at our stack */
	return rc;
}

struct secret_job {
	int64_t id, actor;
	const char *hash, *ip;
	int64_t now;
};

static int secret_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct secret_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "UPDATE accounts SET secret_hash = $2, failed_count = 0, locked_until = 0, updated_at = $3 "
	                               "WHERE id = $1 RETURNING id");
	hv_bind_i64(st, 1, j->id);
	hv_bind_text(st, 2, j->hash);
	hv_bind_i64(st, 3, j->now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_ENOTFOUND, NULL, "Không tìm thấy tài khoản.");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	/* A new secret ends every session of the account. */
	st = hv_sql(c, "UPDATE sessions SET revoked = 1 WHERE account_id = $1");
	hv_bind_i64(st, 1, j->id);
	rc = hv_step(st);
	hv_stmt_done(st);
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->id);
	if (rc < 0 || hv_audit(c, j->actor, "account.secret", target, NULL, NULL, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

int hv_account_set_secret(struct hv_store *s, int64_t id, const char *secret, int64_t actor, const char *ip, struct hv_error *e)
{
	struct hv_account a;
	int rc = hv_account_by_id(hv_store_conn(s), id, &a);
	if (rc < 0)
		return hv_err_set(e, rc, NULL, "Không tìm thấy tài khoản.");
	rc = strcmp(a.kind, "staff") == 0 ? hv_check_password(secret, e) : hv_check_pin(secret, e);
	if (rc < 0)
		return rc;
	char hash[128];
	if ((rc = hv_secret_hash(secret, hash, e)) < 0)
		return rc;
	struct secret_job j = {.id = id, .actor = actor, .hash = hash, .ip = ip, .now = (int64_t)time(NULL)};
	rc = hv_store_write(s, secret_fn, &j, e);
	sodium_memzero(hash, sizeof hash);
	return rc;
}

struct disable_job {
	int64_t id, actor;
	bool disabled;
	const char *ip;
};

static int disable_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct disable_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "UPDATE accounts SET disabled = $2, updated_at = $3 WHERE id = $1");
	hv_bind_i64(st, 1, j->id);
	hv_bind_i64(st, 2, j->disabled);
	hv_bind_i64(st, 3, (int64_t)time(NULL));
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0 && j->disabled) {
		st = hv_sql(c, "UPDATE sessions SET revoked = 1 WHERE account_id = $1");
		hv_bind_i64(st, 1, j->id);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->id);
	if (rc < 0 || hv_audit(c, j->actor, j->disabled ? "account.disable" : "account.enable", target, NULL, NULL, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

int hv_account_set_disabled(struct hv_store *s, int64_t id, bool disabled, int64_t actor, const char *ip, struct hv_error *e)
{
	struct disable_job j = {.id = id, .actor = actor, .disabled = disabled, .ip = ip};
	return hv_store_write(s, disable_fn, &j, e);
}
