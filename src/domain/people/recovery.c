/* recovery.c: reset codes issued by staff and the person's own recovery
 * code (see recovery.h). */
#include "domain/people/recovery.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/people/signin.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/ids.h"

#define STAFF_DIGITS 8
#define SELF_DIGITS 12
#define BAD_CODE "Mã khôi phục không đúng, đã hết hạn hoặc đã được dùng. Hãy kiểm tra số điện thoại và mã, hoặc nhờ tình nguyện viên cấp mã mới."
#define SAVE_FAILED "Không lưu được, vui lòng thử lại."

/* The keyed hash of digits for account, as hex. */
static int code_hash(struct hv_store *s, int64_t account, const char *digits, char out[65])
{
	unsigned char key[32], h[32];
	if (hv_server_secret(s, key) < 0)
		return HV_EUNAVAIL;
	char msg[64];
	int n = snprintf(msg, sizeof msg, "reset:%lld:%s", (long long)account, digits);
	crypto_generichash(h, sizeof h, (const unsigned char *)msg, (size_t)n, key, sizeof key);
	sodium_memzero(key, sizeof key);
	sodium_bin2hex(out, 65, h, sizeof h);
	return HV_OK;
}

/* n random digits into digits, and the same in groups of four into shown. */
static void make_code(int n, char digits[SELF_DIGITS + 1], char shown[HV_RESET_CODE_CHARS])
{
	hv_random_chars(digits, (size_t)n, "0123456789");
	size_t o = 0;
	for (int i = 0; i < n; i++) {
		if (i && i % 4 == 0)
			shown[o++] = ' ';
		shown[o++] = digits[i];
	}
	shown[o] = '\0';
}

/* The digits of a code as typed (spaces, dashes and dots ignored); false if
 * anything else is in it or it has neither length. */
static bool code_digits(const char *in, char out[SELF_DIGITS + 1])
{
	size_t n = 0;
	for (const char *p = in ? in : ""; *p; p++) {
		if (*p >= '0' && *p <= '9') {
			if (n >= SELF_DIGITS)
				return false;
			out[n++] = *p;
		} else if (*p != ' ' && *p != '-' && *p != '.') {
			return false;
		}
	}
	out[n] = '\0';
	return n == STAFF_DIGITS || n == SELF_DIGITS;
}

static int run(struct hv_conn *c, const char *sql, int64_t a, int64_t b)
{
	struct hv_stmt *st = hv_sql(c, sql);
	hv_bind_i64(st, 1, a);
	hv_bind_i64(st, 2, b);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

/* Inside a write: retires the account's unused codes of kind and stores
 * hash as its new one. */
static int store_code(struct hv_conn *c, int64_t account, const char *kind, const char *hash, int64_t actor, int64_t now,
                      int64_t expires)
{
	struct hv_stmt *st = hv_sql(c, "UPDATE reset_codes SET used_at = $2 WHERE account_id = $1 AND kind = $3 AND used_at IS NULL");
	hv_bind_i64(st, 1, account);
	hv_bind_i64(st, 2, now);
	hv_bind_text(st, 3, kind);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	st = hv_sql(c, "INSERT INTO reset_codes (account_id, kind, code_hash, issued_by, created_at, expires_at) "
	               "VALUES ($1, $2, $3, $4, $5, $6)");
	hv_bind_i64(st, 1, account);
	hv_bind_text(st, 2, kind);
	hv_bind_text(st, 3, hash);
	if (actor)
		hv_bind_i64(st, 4, actor);
	else
		hv_bind_null(st, 4);
	hv_bind_i64(st, 5, now);
	if (expires)
		hv_bind_i64(st, 6, expires);
	else
		hv_bind_null(st, 6);
	rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

struct issue_job {
	int64_t account, actor, now, expires;
	const char *kind, *hash, *ip, *unit;
};

static int issue_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct issue_job *j = arg;
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->account);
	bool staff = !strcmp(j->kind, "staff");
	if (store_code(c, j->account, j->kind, j->hash, j->actor, j->now, j->expires) < 0 ||
	    hv_audit(c, j->actor ? j->actor : (staff ? 0 : j->account), staff ? "account.reset_code" : "account.recovery_code", target,
	             j->unit, NULL, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	return HV_OK;
}

static int limited(struct hv_store *s, const char *key, int max, int window, struct hv_error *e)
{
	int rc = hv_rate_limit(s, key, max, window);
	if (rc == HV_ELIMIT)
		return hv_err_set(e, HV_ELIMIT, "limit", "Đã thử quá nhiều lần. Hãy chờ %d phút rồi thử lại, hoặc nhờ tình nguyện viên.",
		                  window / 60);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Máy chủ đang bận, vui lòng thử lại sau ít phút.");
	return HV_OK;
}

int hv_reset_issue(struct hv_store *s, const struct hv_account *a, int64_t actor, const char *ip, char code[HV_RESET_CODE_CHARS],
                   int64_t *expires, struct hv_error *e)
{
	if (strcmp(a->kind, "learner") != 0)
		return hv_err_set(e, HV_EFORBIDDEN, "phone", "Chỉ cấp mã khôi phục cho tài khoản học viên; cán bộ đổi mật khẩu qua người quản lý.");
	if (a->disabled)
		return hv_err_set(e, HV_EFORBIDDEN, "phone", "Tài khoản này đã bị khóa; hãy liên hệ người quản lý.");
	char key[64];
	int rc;
	snprintf(key, sizeof key, "resetissue:acct:%lld", (long long)a->id);
	if ((rc = limited(s, key, HV_RESET_ISSUES_PER_ACCOUNT, 3600, e)) < 0)
		return rc;
	snprintf(key, sizeof key, "resetissue:by:%lld", (long long)actor);
	if (actor && (rc = limited(s, key, HV_RESET_ISSUES_PER_ISSUER, 3600, e)) < 0)
		return rc;
	char digits[SELF_DIGITS + 1], hash[65];
	make_code(STAFF_DIGITS, digits, code);
	rc = code_hash(s, a->id, digits, hash);
	sodium_memzero(digits, sizeof digits);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	struct issue_job j = {.account = a->id, .actor = actor, .now = (int64_t)time(NULL), .kind = "staff", .hash = hash, .ip = ip,
	                      .unit = a->home_unit[0] ? a->home_unit : NULL};
	j.expires = j.now + HV_RESET_SECONDS;
	if ((rc = hv_store_write(s, issue_fn, &j, e)) < 0)
		return rc;
	if (expires)
		*expires = j.expires;
	return HV_OK;
}

int hv_recovery_new(struct hv_store *s, int64_t account, const char *ip, char code[HV_RESET_CODE_CHARS], struct hv_error *e)
{
	char digits[SELF_DIGITS + 1], hash[65];
	make_code(SELF_DIGITS, digits, code);
	int rc = code_hash(s, account, digits, hash);
	sodium_memzero(digits, sizeof digits);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	struct issue_job j = {.account = account, .now = (int64_t)time(NULL), .kind = "self", .hash = hash, .ip = ip};
	return hv_store_write(s, issue_fn, &j, e);
}

int hv_recovery_exists(struct hv_conn *c, int64_t account)
{
	struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM reset_codes WHERE account_id = $1 AND kind = 'self' AND used_at IS NULL");
	hv_bind_i64(st, 1, account);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : rc;
}

struct use_job {
	int64_t account, code_id, now;
	bool staff;
	const char *pin_hash, *new_hash, *ip;
};

static int use_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct use_job *j = arg;
	/* Used once: of two requests with one code, one wins. */
	struct hv_stmt *st = hv_sql(c, "UPDATE reset_codes SET used_at = $2 WHERE id = $1 AND used_at IS NULL RETURNING id");
	hv_bind_i64(st, 1, j->code_id);
	hv_bind_i64(st, 2, j->now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_EINVAL, "code", BAD_CODE);
	/* Every other open code goes too: a reset code handed out earlier
	 * cannot undo this one. */
	if (rc < 0 || run(c, "UPDATE reset_codes SET used_at = $2 WHERE account_id = $1 AND used_at IS NULL", j->account, j->now) < 0 ||
	    store_code(c, j->account, "self", j->new_hash, 0, j->now, 0) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	st = hv_sql(c, "UPDATE accounts SET secret_hash = $2, failed_count = 0, locked_until = 0, updated_at = $3 WHERE id = $1");
	hv_bind_i64(st, 1, j->account);
	hv_bind_text(st, 2, j->pin_hash);
	hv_bind_i64(st, 3, j->now);
	rc = hv_step(st);
	hv_stmt_done(st);
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->account);
	if (rc >= 0) {
		st = hv_sql(c, "UPDATE sessions SET revoked = 1 WHERE account_id = $1");
		hv_bind_i64(st, 1, j->account);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	if (rc < 0 || hv_audit(c, j->account, "account.reset", target, NULL, j->staff ? "reset code" : "own recovery code", j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	return HV_OK;
}

int hv_reset_use(struct hv_store *s, struct hv_reset_use *u, struct hv_error *e)
{
	int rc;
	if ((rc = hv_check_pin(u->pin ? u->pin : "", e)) < 0)
		return rc;
	/* Every attempt counts, before anything about the code is known. */
	char key[96], ipk[64], phone[16];
	hv_ip_key(u->ip, ipk);
	snprintf(key, sizeof key, "reset:ip:%s", ipk);
	if ((rc = limited(s, key, HV_RESET_TRIES_PER_IP, 600, e)) < 0)
		return rc;
	bool phone_ok = hv_check_phone(u->phone ? u->phone : "", phone, e) == HV_OK;
	if (phone_ok) {
		snprintf(key, sizeof key, "reset:phone:%s", phone);
		if ((rc = limited(s, key, HV_RESET_TRIES_PER_PHONE, 1800, e)) < 0)
			return rc;
	}
	char digits[SELF_DIGITS + 1], hash[65];
	struct hv_account a;
	struct hv_conn *c = hv_store_conn(s);
	if (!phone_ok || !code_digits(u->code, digits))
		return hv_err_set(e, HV_EINVAL, "code", BAD_CODE);
	rc = hv_account_by_phone(c, phone, &a);
	if (rc == HV_ENOTFOUND || (rc == HV_OK && (strcmp(a.kind, "learner") != 0 || a.disabled)))
		return hv_err_set(e, HV_EINVAL, "code", BAD_CODE);
	if (rc < 0 || code_hash(s, a.id, digits, hash) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	sodium_memzero(digits, sizeof digits);
	struct use_job j = {.account = a.id, .now = (int64_t)time(NULL), .ip = u->ip};
	struct hv_stmt *st = hv_sql(c, "SELECT id, kind FROM reset_codes WHERE account_id = $1 AND code_hash = $2 AND used_at IS NULL "
	                               "AND (expires_at IS NULL OR expires_at > $3)");
	hv_bind_i64(st, 1, a.id);
	hv_bind_text(st, 2, hash);
	hv_bind_i64(st, 3, j.now);
	rc = hv_step(st);
	if (rc == 1) {
		j.code_id = hv_col_i64(st, 0);
		j.staff = !strcmp(hv_col_text(st, 1), "staff");
	}
	hv_stmt_done(st);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	if (rc == 0)
		return hv_err_set(e, HV_EINVAL, "code", BAD_CODE);
	char pin_hash[128], new_hash[65];
	make_code(SELF_DIGITS, digits, u->new_code);
	rc = code_hash(s, a.id, digits, new_hash);
	sodium_memzero(digits, sizeof digits);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	if ((rc = hv_secret_hash(u->pin, pin_hash, e)) < 0)
		return rc;
	j.pin_hash = pin_hash;
	j.new_hash = new_hash;
	rc = hv_store_write(s, use_fn, &j, e);
	sodium_memzero(pin_hash, sizeof pin_hash);
	if (rc < 0) {
		u->new_code[0] = '\0';
		return rc;
	}
	u->out_account = a.id;
	u->out_by_staff = j.staff;
	return HV_OK;
}
