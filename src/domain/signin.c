/* signin.c: checking credentials, counting failures, locking accounts and
 * rate-limiting attempts per client address.
 *
 * Unknown logins still cost one argon2id verification (against a dummy
 * hash) so that timing does not reveal which logins exist. */
#include "auth.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "domain/internal.h"

static char dummy_hash[128];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
	char pw[33];
	hv_random_chars(pw, 32, "abcdefghijklmnopqrstuvwxyz");
	if (crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
	                      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		dummy_hash[0] = '\0'; /* verification against "" simply fails */
}

struct rl_job {
	const char *key;
	int64_t window;
	int64_t hits;
};

static int rl_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct rl_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO rate_limits (key, window_start, hits) VALUES ($1, $2, 1) "
	                               "ON CONFLICT (key) DO UPDATE SET hits = CASE WHEN rate_limits.window_start = $2 "
	                               "THEN rate_limits.hits + 1 ELSE 1 END, window_start = $2 RETURNING hits");
	hv_bind_text(st, 1, j->key);
	hv_bind_i64(st, 2, j->window);
	int rc = hv_step(st);
	if (rc == 1)
		j->hits = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc == 1 && randombytes_uniform(100) == 0) {
		st = hv_sql(c, "DELETE FROM rate_limits WHERE window_start < $1");
		hv_bind_i64(st, 1, j->window - 86400);
		hv_step(st);
		hv_stmt_done(st);
	}
	return rc == 1 ? HV_OK : HV_EUNAVAIL;
}

int hv_rate_limit(struct hv_store *s, const char *key, int max, int window_seconds)
{
	int64_t now = (int64_t)time(NULL);
	struct rl_job j = {.key = key, .window = now - now % window_seconds};
	int rc = hv_store_write(s, rl_fn, &j, NULL);
	if (rc < 0)
		return rc;
	return j.hits > max ? HV_ELIMIT : HV_OK;
}

struct fail_job {
	int64_t id;
	bool success;
	const char *ip, *what;
	int64_t locked_until;
};

static int fail_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct fail_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st;
	if (j->success) {
		st = hv_sql(c, "UPDATE accounts SET failed_count = 0 WHERE id = $1 AND failed_count <> 0");
		hv_bind_i64(st, 1, j->id);
	} else {
		st = hv_sql(c, "UPDATE accounts SET failed_count = CASE WHEN failed_count + 1 >= $2 THEN 0 ELSE failed_count + 1 END, "
		               "locked_until = CASE WHEN failed_count + 1 >= $2 THEN $3 ELSE locked_until END "
		               "WHERE id = $1 RETURNING locked_until");
		hv_bind_i64(st, 1, j->id);
		hv_bind_i64(st, 2, HV_LOCK_AFTER_FAILS);
		hv_bind_i64(st, 3, now + HV_LOCK_SECONDS);
	}
	int rc = hv_step(st);
	if (rc == 1)
		j->locked_until = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->id);
	char action[40];
	snprintf(action, sizeof action, "%s.%s", j->what, j->success ? "ok" : j->locked_until > now ? "lock" : "fail");
	return hv_audit(c, j->id, action, target, NULL, NULL, j->ip);
}

/* Records the outcome; returns how long the account is now locked for. */
int hv_signin_record(struct hv_store *s, int64_t id, bool success, const char *what, const char *ip)
{
	struct fail_job j = {.id = id, .success = success, .ip = ip, .what = what};
	hv_store_write(s, fail_fn, &j, NULL);
	int64_t left = j.locked_until - (int64_t)time(NULL);
	return left > 0 ? (int)left : 0;
}

static int locked_message(struct hv_error *e, int64_t seconds)
{
	int minutes = (int)((seconds + 59) / 60);
	return hv_err_set(e, HV_ELIMIT, NULL, "Tài khoản tạm khóa vì nhập sai nhiều lần. Hãy thử lại sau %d phút.", minutes);
}

static int check_secret(struct hv_store *s, struct hv_account *a, bool found, const char *secret, const char *what,
                        const char *ip, const char *wrong, struct hv_error *e)
{
	struct hv_conn *c = hv_store_conn(s);
	char hash[160] = {0};
	if (found) {
		struct hv_stmt *st = hv_sql(c, "SELECT COALESCE(secret_hash, '') FROM accounts WHERE id = $1");
		hv_bind_i64(st, 1, a->id);
		if (hv_step(st) == 1)
			snprintf(hash, sizeof hash, "%s", hv_col_text(st, 0));
		hv_stmt_done(st);
	}
	int64_t now = (int64_t)time(NULL);
	if (found && a->locked_until > now)
		return locked_message(e, a->locked_until - now);
	pthread_once(&dummy_once, make_dummy);
	int rc = hv_secret_verify(found && hash[0] ? hash : dummy_hash, secret);
	sodium_memzero(hash, sizeof hash);
	if (rc == HV_EUNAVAIL)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Máy chủ đang bận, vui lòng thử lại sau ít phút.");
	if (!found || rc != HV_OK) {
		if (found) {
			int left = hv_signin_record(s, a->id, false, what, ip);
			if (left > 0)
				return locked_message(e, left);
		}
		return hv_err_set(e, HV_EINVAL, NULL, "%s", wrong);
	}
	if (a->disabled)
		return hv_err_set(e, HV_EFORBIDDEN, NULL, "Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ cán bộ quản lý.");
	hv_signin_record(s, a->id, true, what, ip);
	return HV_OK;
}

/* The per-address limit every sign-in passes first. */
static int signin_allowed(struct hv_store *s, const char *ip, struct hv_error *e)
{
	char key[96];
	snprintf(key, sizeof key, "signin:%s", ip ? ip : "?");
	int rc = hv_rate_limit(s, key, HV_SIGNIN_PER_MINUTE_IP, 60);
	if (rc == HV_ELIMIT)
		return hv_err_set(e, HV_ELIMIT, NULL, "Quá nhiều lần đăng nhập từ máy này. Hãy đợi một phút rồi thử lại.");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Máy chủ đang bận, vui lòng thử lại.");
	return HV_OK;
}

int hv_signin_staff(struct hv_store *s, const char *login, const char *password, const char *ip,
                    struct hv_account *a, struct hv_error *e)
{
	int rc = signin_allowed(s, ip, e);
	if (rc < 0)
		return rc;
	if (strlen(login) > HV_LOGIN_MAX || strlen(password) > HV_PASSWORD_MAX)
		return hv_err_set(e, HV_EINVAL, NULL, "Tên đăng nhập hoặc mật khẩu không đúng.");
	bool found = hv_account_by_login(hv_store_conn(s), login, a) == HV_OK && strcmp(a->kind, "staff") == 0;
	return check_secret(s, a, found, password, "signin", ip, "Tên đăng nhập hoặc mật khẩu không đúng.", e);
}

int hv_signin_learner(struct hv_store *s, const char *phone, const char *pin, const char *ip,
                      struct hv_account *a, struct hv_error *e)
{
	int rc = signin_allowed(s, ip, e);
	if (rc < 0)
		return rc;
	char norm[16];
	if ((rc = hv_check_phone(phone, norm, e)) < 0)
		return rc;
	if (strlen(pin) != 6)
		return hv_err_set(e, HV_EINVAL, "pin", "Mã PIN gồm đúng 6 chữ số.");
	bool found = hv_account_by_phone(hv_store_conn(s), norm, a) == HV_OK && strcmp(a->kind, "learner") == 0;
	return check_secret(s, a, found, pin, "pin", ip, "Số điện thoại hoặc mã PIN không đúng.", e);
}
