/* totp.c: time-based one-time passwords (RFC 6238) for officials and admins.
 *
 * HMAC-SHA1 with 30-second steps and 6 digits, because that is what every
 * authenticator app accepts; SHA-1 comes from OpenSSL's libcrypto (already
 * linked through libpq) since libsodium has no SHA-1.  A code is accepted
 * for the previous, current or next step, and never twice.
 *
 * The secret is kept sealed under the secrets key (secrets.h), bound to
 * its account; a plain secret left by an older version is read as it is
 * and sealed by hv_totp_prepare, which init and serve run at start. */
#include "domain/people/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/internal.h"
#include "domain/people/secrets.h"
#include "domain/people/audit.h"

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void hv_totp_new_secret(char out[33])
{
	unsigned char raw[20];
	randombytes_buf(raw, sizeof raw);
	/* 160 bits = 32 base32 characters exactly. */
	int o = 0;
	for (int i = 0; i < 20; i += 5) {
		uint64_t v = 0;
		for (int k = 0; k < 5; k++)
			v = (v << 8) | raw[i + k];
		for (int k = 7; k >= 0; k--)
			out[o++] = b32[(v >> (k * 5)) & 31];
	}
	out[o] = '\0';
	sodium_memzero(raw, sizeof raw);
}

static int decode(const char *s, unsigned char *out, size_t cap)
{
	size_t n = 0;
	uint32_t buf = 0;
	int bits = 0;
	for (; *s; s++) {
		const char *p = strchr(b32, *s);
		if (!p || !*s)
			return -1;
		buf = (buf << 5) | (uint32_t)(p - b32);
		bits += 5;
		if (bits >= 8) {
			if (n >= cap)
				return -1;
			out[n++] = (unsigned char)(buf >> (bits - 8));
			bits -= 8;
		}
	}
	return (int)n;
}

int hv_totp_code(const char *secret, int64_t step, char out[7])
{
	unsigned char key[64];
	int klen = decode(secret, key, sizeof key);
	if (klen <= 0)
		return HV_EINVAL;
	unsigned char msg[8];
	for (int i = 7; i >= 0; i--) {
		msg[i] = (unsigned char)(step & 0xff);
		step >>= 8;
	}
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mlen = 0;
	if (!HMAC(EVP_sha1(), key, klen, msg, sizeof msg, mac, &mlen) || mlen < 20)
		return HV_EINTERNAL;
	sodium_memzero(key, sizeof key);
	int off = mac[mlen - 1] & 0x0f;
	uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) | ((uint32_t)mac[off + 2] << 8) | mac[off + 3];
	snprintf(out, 7, "%06u", bin % 1000000u);
	return HV_OK;
}

static void context_of(int64_t account, char out[32])
{
	snprintf(out, 32, "totp:%lld", (long long)account);
}

/* The account's secret as stored (sealed, or plain from an older version)
 * into out; "" when it has none or it does not open. */
static void secret_of(const char *stored, int64_t account, char out[40])
{
	char ctx[32];
	context_of(account, ctx);
	out[0] = '\0';
	if (hv_sealed(stored)) {
		if (hv_unseal(ctx, stored, out, 40) < 0 || strlen(out) != 32)
			sodium_memzero(out, 40);
	} else if (strlen(stored) == 32) {
		snprintf(out, 40, "%s", stored);
	}
}

struct begin_job {
	int64_t account;
	const char *sealed;
};

static int begin_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct begin_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "UPDATE accounts SET totp_secret = $2, totp_last_step = 0 WHERE id = $1 AND totp_enabled = 0");
	hv_bind_i64(st, 1, j->account);
	hv_bind_text(st, 2, j->sealed);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.") : HV_OK;
}

static int not_ready(struct hv_error *e)
{
	return hv_err_set(e, HV_EINTERNAL, NULL, "Máy chủ chưa có khóa bảo vệ mã xác thực (secrets_key). Hãy báo quản trị viên.");
}

int hv_totp_begin(struct hv_store *s, int64_t account, char secret[33], struct hv_error *e)
{
	if (!hv_secrets_ready())
		return not_ready(e);
	/* Keep a pending secret across reloads of the enrolment page. */
	struct hv_stmt *st = hv_sql(hv_store_conn(s), "SELECT COALESCE(totp_secret, ''), totp_enabled FROM accounts WHERE id = $1");
	hv_bind_i64(st, 1, account);
	int rc = hv_step(st);
	char have[40] = {0};
	if (rc == 1)
		secret_of(hv_col_text(st, 0), account, have);
	bool enabled = rc == 1 && hv_col_i64(st, 1);
	hv_stmt_done(st);
	if (rc != 1)
		return hv_err_set(e, HV_ENOTFOUND, NULL, "Không tìm thấy tài khoản.");
	if (enabled)
		return hv_err_set(e, HV_ECONFLICT, NULL, "Xác thực hai lớp đã được bật.");
	if (have[0]) {
		memcpy(secret, have, 33); /* 32 characters: secret_of checked */
		sodium_memzero(have, sizeof have);
		return HV_OK;
	}
	hv_totp_new_secret(secret);
	char ctx[32], sealed[HV_SEALED_SIZE(32)];
	context_of(account, ctx);
	if (hv_seal(ctx, secret, sealed, sizeof sealed) < 0)
		return not_ready(e);
	struct begin_job j = {.account = account, .sealed = sealed};
	return hv_store_write(s, begin_fn, &j, e);
}

struct verify_job {
	int64_t account, step;
};

static int verify_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct verify_job *j = arg;
	/* The step condition makes a replayed code fail even under a race. */
	struct hv_stmt *st = hv_sql(c, "UPDATE accounts SET totp_last_step = $2, totp_enabled = 1, failed_count = 0 "
	                               "WHERE id = $1 AND totp_last_step < $2 RETURNING id");
	hv_bind_i64(st, 1, j->account);
	hv_bind_i64(st, 2, j->step);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_EINVAL, "code", "Mã này đã được dùng. Hãy đợi mã mới trên ứng dụng.");
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->account);
	return hv_audit(c, j->account, "totp.ok", target, NULL, NULL, NULL);
}

int hv_totp_verify(struct hv_store *s, int64_t account, const char *code, const char *ip, struct hv_error *e)
{
	if (strlen(code) != 6 || strspn(code, "0123456789") != 6)
		return hv_err_set(e, HV_EINVAL, "code", "Mã xác thực gồm 6 chữ số trên ứng dụng xác thực.");
	if (!hv_secrets_ready())
		return not_ready(e);
	struct hv_stmt *st = hv_sql(hv_store_conn(s), "SELECT COALESCE(totp_secret, ''), locked_until FROM accounts WHERE id = $1");
	hv_bind_i64(st, 1, account);
	int rc = hv_step(st);
	char secret[40] = {0};
	int64_t locked = 0;
	if (rc == 1) {
		secret_of(hv_col_text(st, 0), account, secret);
		locked = hv_col_i64(st, 1);
	}
	hv_stmt_done(st);
	int64_t now = (int64_t)time(NULL);
	if (rc != 1 || !secret[0])
		return hv_err_set(e, HV_EINVAL, "code", "Chưa cài đặt xác thực hai lớp.");
	if (locked > now)
		return hv_err_set(e, HV_ELIMIT, NULL, "Tài khoản tạm khóa vì nhập sai nhiều lần. Hãy thử lại sau %d phút.",
		                  (int)((locked - now + 59) / 60));
	int64_t step = now / 30;
	for (int64_t d = -1; d <= 1; d++) {
		char want[7];
		if (hv_totp_code(secret, step + d, want) == 0 && sodium_memcmp(want, code, 6) == 0) {
			sodium_memzero(secret, sizeof secret);
			struct verify_job j = {.account = account, .step = step + d};
			return hv_store_write(s, verify_fn, &j, e);
		}
	}
	sodium_memzero(secret, sizeof secret);
	int left = hv_signin_record(s, account, false, "totp", ip);
	if (left > 0)
		return hv_err_set(e, HV_ELIMIT, NULL, "Tài khoản tạm khóa vì nhập sai nhiều lần. Hãy thử lại sau %d phút.", (left + 59) / 60);
	return hv_err_set(e, HV_EINVAL, "code", "Mã xác thực không đúng. Hãy nhập mã đang hiện trên ứng dụng.");
}

/* ---- sealing the plain secrets of an older version ---- */

struct seal_job {
	int sealed;
};

static int seal_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct seal_job *j = arg;
	/* Read them all first (a few per official), then rewrite each. */
	struct hv_stmt *st = hv_sql(c, "SELECT id, totp_secret FROM accounts WHERE totp_secret IS NOT NULL AND totp_secret <> '' "
	                               "AND totp_secret NOT LIKE 's1:%' ORDER BY id");
	struct plain {
		int64_t id;
		char plain[65], sealed[HV_SEALED_SIZE(64)];
	} *rows = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = hv_step(st)) == 1) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			rows = hv_xrealloc(rows, cap * sizeof *rows);
		}
		char ctx[32];
		rows[n].id = hv_col_i64(st, 0);
		context_of(rows[n].id, ctx);
		const char *plain = hv_col_text(st, 1);
		if (strlen(plain) > 64 || hv_seal(ctx, plain, rows[n].sealed, sizeof rows[n].sealed) < 0) {
			rc = HV_EINTERNAL;
			break;
		}
		snprintf(rows[n].plain, sizeof rows[n].plain, "%s", plain);
		n++;
	}
	hv_stmt_done(st);
	int changed = 0;
	for (size_t i = 0; rc == 0 && i < n; i++) {
		/* Unless it changed meanwhile (an older app server enrolling
		 * during an upgrade, or another server sealing it first). */
		st = hv_sql(c, "UPDATE accounts SET totp_secret = $2 WHERE id = $1 AND totp_secret = $3 RETURNING id");
		hv_bind_i64(st, 1, rows[i].id);
		hv_bind_text(st, 2, rows[i].sealed);
		hv_bind_text(st, 3, rows[i].plain);
		int r = hv_step(st);
		rc = r < 0 ? HV_EUNAVAIL : 0;
		changed += r == 1;
		hv_stmt_done(st);
	}
	if (rows)
		sodium_memzero(rows, cap * sizeof *rows);
	free(rows);
	if (rc < 0)
		return hv_err_set(e, rc == HV_EUNAVAIL ? HV_EUNAVAIL : HV_EINTERNAL, NULL, "cannot seal the TOTP secrets: %s",
		                  hv_conn_error(c));
	j->sealed = changed;
	return HV_OK;
}

/* The key must open what it sealed before: a new or another key file
 * would leave every official unable to sign in.  A few sealed secrets are
 * tried (one damaged row does not stop the servers); none is fine. */
static int check_key(struct hv_store *s, struct hv_error *e)
{
	struct hv_stmt *st = hv_sql(hv_store_conn(s), "SELECT id, totp_secret FROM accounts WHERE totp_secret LIKE 's1:%' "
	                                              "ORDER BY id LIMIT 16");
	int rc, rows = 0;
	bool ok = false;
	char secret[40] = {0};
	while (!ok && (rc = hv_step(st)) == 1) {
		rows++;
		secret_of(hv_col_text(st, 1), hv_col_i64(st, 0), secret);
		ok = secret[0] != '\0';
	}
	hv_stmt_done(st);
	sodium_memzero(secret, sizeof secret);
	if (!ok && rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, "db", "cannot read the TOTP secrets");
	ok = ok || rows == 0;
	return ok ? HV_OK
	          : hv_err_set(e, HV_EINVAL, "secrets_key",
	                       "the secrets key does not open the TOTP secrets in the database: it is not the key they were "
	                       "sealed with; put that key file back (or point secrets_key at it)");
}

int hv_totp_prepare(struct hv_store *s, int *sealed, struct hv_error *e)
{
	*sealed = 0;
	if (!hv_secrets_ready())
		return hv_err_set(e, HV_EINTERNAL, "secrets_key", "the secrets key is not loaded");
	int rc = check_key(s, e);
	if (rc < 0)
		return rc;
	struct seal_job j = {0};
	rc = hv_store_write(s, seal_fn, &j, e);
	*sealed = j.sealed;
	return rc;
}
