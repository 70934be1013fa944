/* signin.c: checking credentials, counting failures, locking accounts and
 * rate-limiting attempts per client address and per account.
 *
 * Unknown logins still cost one argon2id verification (against a dummy
 * hash) and are "locked" after as many failures as a real account, so
 * neither the time nor the answer tells which logins exist.
 *
 * An attempt is counted before its hash is checked, in one write that
 * also refuses it if the account is locked: concurrent attempts cannot all
 * pass a lock check made before they waited for a hashing slot.  A device
 * that signed in to the account before (a signed cookie, views) is not
 * subject to the account's lock, only to its own limit: whoever knows a
 * login can lock out strangers' devices, not the owner's own phone. */
#include "domain/people/signin.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"

#include <arpa/inet.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "core/metrics.h"
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

void hv_ip_key(const char *ip, char out[64])
{
	struct in6_addr a6;
	if (ip && strchr(ip, ':') && inet_pton(AF_INET6, ip, &a6) == 1) {
		/* One IPv6 client holds a whole /64: count them as one. */
		memset(a6.s6_addr + 8, 0, 8);
		char txt[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &a6, txt, sizeof txt);
		snprintf(out, 64, "%s/64", txt);
		return;
	}
	snprintf(out, 64, "%s", ip && *ip ? ip : "?");
}

/* ---- the account's counter ---- */

struct attempt_job {
	int64_t id;
	const char *ip, *what;
	int64_t locked_until; /* out: > now if refused or locked by this attempt */
	bool refused;         /* out: the account was locked already */
};

/* Counts one attempt against an account that is not locked, locking it
 * at the HV_LOCK_AFTER_FAILS-th; refuses it if locked.  One statement, so
 * concurrent attempts each see the others' counts. */
static int attempt_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct attempt_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st = hv_sql(c, "UPDATE accounts SET failed_count = CASE WHEN failed_count + 1 >= $2 THEN 0 ELSE failed_count + 1 END, "
	                               "locked_until = CASE WHEN failed_count + 1 >= $2 THEN $3 ELSE locked_until END "
	                               "WHERE id = $1 AND locked_until <= $4 RETURNING locked_until");
	hv_bind_i64(st, 1, j->id);
	hv_bind_i64(st, 2, HV_LOCK_AFTER_FAILS);
	hv_bind_i64(st, 3, now + HV_LOCK_SECONDS);
	hv_bind_i64(st, 4, now);
	int rc = hv_step(st);
	if (rc == 1)
		j->locked_until = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	if (rc == 0) {
		j->refused = true;
		st = hv_sql(c, "SELECT locked_until FROM accounts WHERE id = $1");
		hv_bind_i64(st, 1, j->id);
		rc = hv_step(st);
		j->locked_until = rc == 1 ? hv_col_i64(st, 0) : now + HV_LOCK_SECONDS;
		hv_stmt_done(st);
		return rc < 0 ? HV_EUNAVAIL : HV_OK;
	}
	if (j->locked_until > now) {
		/* This attempt locked the account: someone is guessing.  Kept in
		 * the audit log (admins see it on /quan-tri) and counted. */
		hv_metrics_signin_lock();
		char target[32];
		snprintf(target, sizeof target, "account:%lld", (long long)j->id);
		char action[40];
		snprintf(action, sizeof action, "%s.lock", j->what);
		return hv_audit(c, j->id, action, target, NULL, NULL, j->ip);
	}
	return HV_OK;
}

struct outcome_job {
	int64_t id;
	bool success, trusted;
	const char *ip, *what;
};

/* After the hash was checked: success clears the count (and a lock this
 * very attempt set); either way one audit row. */
static int outcome_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct outcome_job *j = arg;
	if (j->success) {
		struct hv_stmt *st = hv_sql(c, j->trusted ? "UPDATE accounts SET failed_count = 0 WHERE id = $1 AND failed_count <> 0"
		                                          : "UPDATE accounts SET failed_count = 0, locked_until = 0 WHERE id = $1");
		hv_bind_i64(st, 1, j->id);
		int rc = hv_step(st);
		hv_stmt_done(st);
		if (rc < 0)
			return HV_EUNAVAIL;
	}
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->id);
	char action[40];
	snprintf(action, sizeof action, "%s.%s", j->what, j->success ? "ok" : "fail");
	return hv_audit(c, j->id, action, target, NULL, NULL, j->ip);
}

int hv_signin_record(struct hv_store *s, int64_t id, bool success, const char *what, const char *ip)
{
	int64_t left = 0;
	if (!success) {
		struct attempt_job a = {.id = id, .ip = ip, .what = what};
		hv_store_write(s, attempt_fn, &a, NULL);
		left = a.locked_until - (int64_t)time(NULL);
	}
	struct outcome_job j = {.id = id, .success = success, .ip = ip, .what = what};
	hv_store_write(s, outcome_fn, &j, NULL);
	return left > 0 ? (int)left : 0;
}

static int locked_message(struct hv_error *e, int64_t seconds)
{
	int minutes = (int)((seconds + 59) / 60);
	return hv_err_set(e, HV_ELIMIT, NULL, "Tài khoản tạm khóa vì nhập sai nhiều lần. Hãy thử lại sau %d phút.", minutes);
}

static int busy(struct hv_error *e)
{
	return hv_err_set(e, HV_EUNAVAIL, NULL, "Máy chủ đang bận, vui lòng thử lại sau ít phút.");
}

/* Takes one attempt at the account named by key (login or phone): from
 * the account's own counter, from the device's when the device signed in
 * to it before, or, for a name no account has, from a counter kept like
 * an account's so that the answers match.  HV_ELIMIT: locked. */
static int take_attempt(struct hv_store *s, const struct hv_account *a, bool found, bool trusted, const char *key,
                        const char *what, const char *ip, struct hv_error *e)
{
	char rl[160];
	if (!found || trusted) {
		if (found)
			snprintf(rl, sizeof rl, "device:%s:%lld", what, (long long)a->id);
		else
			snprintf(rl, sizeof rl, "unknown:%s:%.120s", what, key);
		int rc = hv_rate_limit(s, rl, HV_LOCK_AFTER_FAILS, HV_LOCK_SECONDS);
		if (rc == HV_ELIMIT)
			return locked_message(e, HV_LOCK_SECONDS - (int64_t)time(NULL) % HV_LOCK_SECONDS);
		return rc < 0 ? busy(e) : HV_OK;
	}
	struct attempt_job j = {.id = a->id, .ip = ip, .what = what};
	if (hv_store_write(s, attempt_fn, &j, NULL) < 0)
		return busy(e);
	if (j.refused)
		return locked_message(e, j.locked_until - (int64_t)time(NULL));
	return HV_OK;
}

static int check_secret(struct hv_store *s, struct hv_account *a, bool found, bool trusted, const char *key, const char *secret,
                        const char *what, const char *ip, const char *wrong, struct hv_error *e)
{
	struct hv_conn *c = hv_store_conn(s);
	int rc = take_attempt(s, a, found, trusted, key, what, ip, e);
	if (rc < 0)
		return rc;
	char hash[160] = {0};
	if (found) {
		struct hv_stmt *st = hv_sql(c, "SELECT COALESCE(secret_hash, '') FROM accounts WHERE id = $1");
		hv_bind_i64(st, 1, a->id);
		if (hv_step(st) == 1)
			snprintf(hash, sizeof hash, "%s", hv_col_text(st, 0));
		hv_stmt_done(st);
	}
	pthread_once(&dummy_once, make_dummy);
	rc = hv_secret_verify(found && hash[0] ? hash : dummy_hash, secret);
	sodium_memzero(hash, sizeof hash);
	if (rc == HV_EUNAVAIL)
		return busy(e);
	if (!found || rc != HV_OK) {
		struct outcome_job j = {.id = found ? a->id : 0, .ip = ip, .what = what};
		if (found && hv_store_write(s, outcome_fn, &j, NULL) < 0)
			return busy(e);
		return hv_err_set(e, HV_EINVAL, NULL, "%s", wrong);
	}
	if (a->disabled)
		return hv_err_set(e, HV_EFORBIDDEN, NULL, "Tài khoản này đã bị vô hiệu hóa. Hãy liên hệ cán bộ quản lý.");
	struct outcome_job j = {.id = a->id, .success = true, .trusted = trusted, .ip = ip, .what = what};
	if (hv_store_write(s, outcome_fn, &j, NULL) < 0)
		return busy(e); /* the audit row could not be written: not signed in */
	return HV_OK;
}

/* The per-address limit every sign-in passes first. */
static int signin_allowed(struct hv_store *s, const char *ip, struct hv_error *e)
{
	char ipk[64], key[96];
	hv_ip_key(ip, ipk);
	snprintf(key, sizeof key, "signin:%s", ipk);
	int rc = hv_rate_limit(s, key, HV_SIGNIN_PER_MINUTE_IP, 60);
	if (rc == HV_ELIMIT)
		return hv_err_set(e, HV_ELIMIT, NULL, "Quá nhiều lần đăng nhập từ máy này. Hãy đợi một phút rồi thử lại.");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Máy chủ đang bận, vui lòng thử lại.");
	return HV_OK;
}

int hv_signin_staff(struct hv_store *s, const char *login, const char *password, const char *ip, int64_t device_account,
                    struct hv_account *a, struct hv_error *e)
{
	int rc = signin_allowed(s, ip, e);
	if (rc < 0)
		return rc;
	if (strlen(login) > HV_LOGIN_MAX || strlen(password) > HV_PASSWORD_MAX)
		return hv_err_set(e, HV_EINVAL, NULL, "Tên đăng nhập hoặc mật khẩu không đúng.");
	bool found = hv_account_by_login(hv_store_conn(s), login, a) == HV_OK && strcmp(a->kind, "staff") == 0;
	return check_secret(s, a, found, found && device_account == a->id, login, password, "signin", ip,
	                    "Tên đăng nhập hoặc mật khẩu không đúng.", e);
}

int hv_signin_learner(struct hv_store *s, const char *phone, const char *pin, const char *ip, int64_t device_account,
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
	return check_secret(s, a, found, found && device_account == a->id, norm, pin, "pin", ip,
	                    "Số điện thoại hoặc mã PIN không đúng.", e);
}

/* The two keys a public sign-up counts under, their windows and limits. */
struct signup_keys {
	char key[2][96];
	int64_t window[2];
	int max[2];
};

static void signup_keys(const char *ip, const char *unit, struct signup_keys *k)
{
	char ipk[64];
	hv_ip_key(ip, ipk);
	int64_t now = (int64_t)time(NULL);
	snprintf(k->key[0], sizeof k->key[0], "register:%s", ipk);
	k->window[0] = now - now % 600;
	k->max[0] = HV_REGISTER_PER_10MIN_IP;
	/* Per commune, or for the nation those who chose none. */
	snprintf(k->key[1], sizeof k->key[1], "register-unit:%s", unit && *unit ? unit : "-");
	k->window[1] = now - now % 3600;
	k->max[1] = unit && *unit ? HV_REGISTER_PER_HOUR_UNIT : HV_REGISTER_PER_HOUR_NOUNIT;
}

static int too_many_signups(struct hv_error *e)
{
	return hv_err_set(e, HV_ELIMIT, NULL,
	                  "Có quá nhiều đăng ký từ nơi này trong ít phút. Hãy đợi một lúc rồi thử lại, hoặc nhờ tình nguyện viên "
	                  "đăng ký giúp.");
}

int hv_register_allowed(struct hv_store *s, const char *ip, const char *unit, struct hv_error *e)
{
	struct signup_keys k;
	signup_keys(ip, unit, &k);
	for (int i = 0; i < 2; i++) {
		struct hv_stmt *st = hv_sql(hv_store_conn(s), "SELECT hits FROM rate_limits WHERE key = $1 AND window_start = $2");
		hv_bind_text(st, 1, k.key[i]);
		hv_bind_i64(st, 2, k.window[i]);
		int rc = hv_step(st);
		int64_t hits = rc == 1 ? hv_col_i64(st, 0) : 0;
		hv_stmt_done(st);
		if (rc < 0)
			return busy(e);
		if (hits >= k.max[i])
			return too_many_signups(e);
	}
	return HV_OK;
}

int hv_register_count(struct hv_conn *c, const char *ip, const char *unit, struct hv_error *e)
{
	struct signup_keys k;
	signup_keys(ip, unit, &k);
	for (int i = 0; i < 2; i++) {
		struct rl_job j = {.key = k.key[i], .window = k.window[i]};
		if (rl_fn(c, &j, e) < 0)
			return busy(e);
		if (j.hits > k.max[i])
			return too_many_signups(e);
	}
	return HV_OK;
}
