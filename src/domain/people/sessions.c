/* sessions.c: browser sessions and API bearer tokens.
 *
 * Both are 256-bit random values given to the client once; the database
 * keeps only their BLAKE2b hash, so a leaked database does not leak live
 * credentials.  Sessions expire (12 h for staff, 30 days for learners),
 * and earlier without a visit (2 h for staff, 7 days for learners: a phone
 * shared at a touch point does not stay signed in for a month); sign-out
 * revokes server-side.
 * API tokens expire (90 days unless asked otherwise) and keep the time
 * they were last used. */
#include "domain/people/sessions.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "core/num.h"
#include "core/strmap.h"
#include "domain/internal.h"

struct session_job {
	const char *hash;
	int64_t account, expires, now;
	bool second;
};

static int session_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct session_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO sessions (id_hash, account_id, created_at, expires_at, last_seen, second_factor) "
	                               "VALUES ($1, $2, $3, $4, $3, $5)");
	hv_bind_text(st, 1, j->hash);
	hv_bind_i64(st, 2, j->account);
	hv_bind_i64(st, 3, j->now);
	hv_bind_i64(st, 4, j->expires);
	hv_bind_i64(st, 5, j->second);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không tạo được phiên đăng nhập, vui lòng thử lại.");
	/* Old expired sessions of this account are cleared as it signs in. */
	st = hv_sql(c, "DELETE FROM sessions WHERE account_id = $1 AND (expires_at < $2 OR revoked = 1)");
	hv_bind_i64(st, 1, j->account);
	hv_bind_i64(st, 2, j->now);
	hv_step(st);
	hv_stmt_done(st);
	return HV_OK;
}

int hv_session_create(struct hv_store *s, const struct hv_account *a, bool second_factor,
                      char token[HV_TOKEN_CHARS + 1], struct hv_error *e)
{
	char hash[HV_HASH_HEX + 1];
	hv_token_new(token);
	hv_token_hash(token, hash);
	int64_t now = (int64_t)time(NULL);
	bool staff = strcmp(a->kind, "staff") == 0;
	struct session_job j = {.hash = hash, .account = a->id, .now = now, .second = second_factor,
	                        .expires = now + (staff ? HV_SESSION_STAFF_SECONDS : HV_SESSION_LEARNER_SECONDS)};
	return hv_store_write(s, session_fn, &j, e);
}

/* Last seen (a session) or last used (an API token): written without the
 * request waiting, at most once a minute (touch_due). */
struct touch_job {
	char hash[HV_HASH_HEX + 1];
	int64_t now;
	bool token;
};

static int touch_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct touch_job *j = arg;
	struct hv_stmt *st = j->token ? hv_sql(c, "UPDATE api_tokens SET last_used_at = $2 WHERE token_hash = $1")
	                              : hv_sql(c, "UPDATE sessions SET last_seen = $2 WHERE id_hash = $1");
	hv_bind_text(st, 1, j->hash);
	hv_bind_i64(st, 2, j->now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

/* Whether this process should record that a session was seen now: once a
 * minute per session, not once per request until the first write lands
 * (sessions sharing a slot only touch a little more often). */
static bool touch_due(const char *hash, int64_t now)
{
	static struct {
		char hash[17];
		int64_t at;
	} seen[1024];
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	size_t i = hv_str_hash(hash) % (sizeof seen / sizeof seen[0]);
	pthread_mutex_lock(&lock);
	bool due = strncmp(seen[i].hash, hash, 16) != 0 || now - seen[i].at > 60;
	if (due) {
		memcpy(seen[i].hash, hash, 16);
		seen[i].at = now;
	}
	pthread_mutex_unlock(&lock);
	return due;
}

/* Records that hash (a session's or a token's) was used now, when it was
 * last recorded more than a minute ago, without waiting: a read answered
 * by a connection thread never waits. */
static void touch(struct hv_store *s, const char *hash, bool token, int64_t last, int64_t now)
{
	if (now - last <= 60 || !touch_due(hash, now))
		return;
	struct touch_job j = {.now = now, .token = token};
	memcpy(j.hash, hash, sizeof j.hash);
	hv_store_write_later(s, touch_fn, &j, sizeof j);
}

/* The session, its account and the account's roles in one statement (one
 * row per role, at least one): every signed-in request runs it, and each
 * statement outside a transaction is a read transaction of its own.  The
 * roles are put in order below: a sort here would cost a sorter. */
static const char session_sql[] =
	"SELECT s.expires_at, s.last_seen, s.second_factor, s.revoked, " HV_ACCOUNT_COLS("a.") ", " HV_ROLE_COLS("r.") " "
	"FROM sessions s JOIN accounts a ON a.id = s.account_id LEFT JOIN roles r ON r.account_id = a.id "
	"WHERE s.id_hash = $1";
enum { SESSION_COLS = 4, ACCOUNT_AT = SESSION_COLS, ROLE_AT = ACCOUNT_AT + HV_ACCOUNT_NCOLS };

/* In the order they were granted, as hv_account_load_roles gives them; a
 * handful, so sorted here rather than by the database. */
static void sort_roles(struct hv_account *a)
{
	for (int i = 1; i < a->nroles; i++) {
		struct hv_role r = a->roles[i];
		int j = i;
		for (; j > 0 && a->roles[j - 1].id > r.id; j--)
			a->roles[j] = a->roles[j - 1];
		a->roles[j] = r;
	}
}

int hv_session_lookup(struct hv_store *s, const char *token, struct hv_principal *p)
{
	if (strlen(token) != HV_TOKEN_CHARS)
		return HV_EUNAUTH;
	memset(p, 0, sizeof *p);
	hv_token_hash(token, p->session_hash);
	struct hv_stmt *st = hv_sql(hv_store_conn(s), session_sql);
	if (!st)
		return HV_EUNAVAIL;
	hv_bind_text(st, 1, p->session_hash);
	int64_t expires = 0, last_seen = 0, second = 0, revoked = 1;
	int rc, rows = 0;
	while ((rc = hv_step(st)) == 1) {
		if (rows++ == 0) {
			expires = hv_col_i64(st, 0);
			last_seen = hv_col_i64(st, 1);
			second = hv_col_i64(st, 2);
			revoked = hv_col_i64(st, 3);
			hv_account_fill(st, ACCOUNT_AT, &p->acct);
		}
		hv_account_add_role(st, ROLE_AT, &p->acct);
	}
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	if (rows == 0)
		return HV_EUNAUTH;
	sort_roles(&p->acct);
	int64_t now = (int64_t)time(NULL);
	if (revoked || now >= expires)
		return HV_EUNAUTH;
	bool staff = strcmp(p->acct.kind, "staff") == 0;
	if (p->acct.disabled || now - last_seen > (staff ? HV_SESSION_IDLE_SECONDS : HV_SESSION_LEARNER_IDLE_SECONDS))
		return HV_EUNAUTH;
	p->second_factor = second || !hv_account_needs_totp(&p->acct);
	snprintf(p->session_token, sizeof p->session_token, "%s", token);
	touch(s, p->session_hash, false, last_seen, now);
	return HV_OK;
}

static int revoke_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct hv_stmt *st = hv_sql(c, "UPDATE sessions SET revoked = 1 WHERE id_hash = $1");
	hv_bind_text(st, 1, arg);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

int hv_session_revoke(struct hv_store *s, const char *session_hash)
{
	return hv_store_write(s, revoke_fn, (void *)session_hash, NULL);
}

static int second_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct hv_stmt *st = hv_sql(c, "UPDATE sessions SET second_factor = 1 WHERE id_hash = $1");
	hv_bind_text(st, 1, arg);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

int hv_session_second_factor(struct hv_store *s, const char *session_hash)
{
	return hv_store_write(s, second_fn, (void *)session_hash, NULL);
}

/* ---- API tokens ---- */

struct token_job {
	int64_t account, id, now, expires;
	const char *hash, *label;
	unsigned scopes;
};

static const char *const scope_names[] = {"issue"};

int hv_scopes_parse(const char *text)
{
	int out = 0;
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, " ,");
		if (n) {
			int found = -1;
			for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
				if (strlen(scope_names[i]) == n && !strncmp(p, scope_names[i], n))
					found = (int)i;
			if (found < 0)
				return -1;
			out |= 1 << found;
		}
		p += n;
		p += strspn(p, " ,");
	}
	return out;
}

void hv_scopes_text(unsigned scopes, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < sizeof scope_names / sizeof scope_names[0]; i++)
		if (scopes & (1u << i) && len < cap)
			len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "", scope_names[i]);
}

static int token_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct token_job *j = arg;
	char scopes[64];
	hv_scopes_text(j->scopes, scopes, sizeof scopes);
	struct hv_stmt *st = hv_sql(c, "INSERT INTO api_tokens (account_id, token_hash, label, created_at, expires_at, scopes) "
	                               "VALUES ($1, $2, $3, $4, $5, $6) RETURNING id");
	hv_bind_i64(st, 1, j->account);
	hv_bind_text(st, 2, j->hash);
	hv_bind_text(st, 3, j->label);
	hv_bind_i64(st, 4, j->now);
	hv_bind_i64(st, 5, j->expires);
	hv_bind_text(st, 6, scopes);
	int rc = hv_step(st);
	if (rc == 1)
		j->id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc != 1)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "could not store the token");
	char target[32];
	snprintf(target, sizeof target, "account:%lld", (long long)j->account);
	char detail[200];
	snprintf(detail, sizeof detail, "%s%s%s", j->label, *scopes ? "; scopes: " : "", scopes);
	return hv_audit(c, 0, "token.create", target, NULL, detail, "cli");
}

int hv_token_create(struct hv_store *s, int64_t account, const char *label, int days, unsigned scopes,
                    char token[HV_TOKEN_CHARS + 1], int64_t *id, int64_t *expires, struct hv_error *e)
{
	if (days < 1 || days > HV_TOKEN_DAYS_MAX)
		return hv_err_set(e, HV_EINVAL, "days", "a token lasts from 1 to %d days", HV_TOKEN_DAYS_MAX);
	char hash[HV_HASH_HEX + 1];
	hv_token_new(token);
	hv_token_hash(token, hash);
	int64_t now = (int64_t)time(NULL);
	struct token_job j = {.account = account, .hash = hash, .label = label, .now = now, .expires = now + (int64_t)days * 86400,
	                     .scopes = scopes};
	int rc = hv_store_write(s, token_fn, &j, e);
	if (id)
		*id = j.id;
	if (expires)
		*expires = j.expires;
	return rc;
}

struct revoke_token_job {
	const char *hash;
	int64_t id;
	int changed;
};

static int revoke_token_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct revoke_token_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "UPDATE api_tokens SET revoked_at = $3 WHERE (token_hash = $1 OR id = $2) "
	                               "AND revoked_at IS NULL RETURNING id");
	hv_bind_text(st, 1, j->hash);
	hv_bind_i64(st, 2, j->id);
	hv_bind_i64(st, 3, (int64_t)time(NULL));
	int rc;
	while ((rc = hv_step(st)) == 1)
		j->changed++;
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	return j->changed ? hv_audit(c, 0, "token.revoke", NULL, NULL, NULL, "cli") : HV_OK;
}

int hv_token_revoke(struct hv_store *s, const char *token_or_id, struct hv_error *e)
{
	struct revoke_token_job j = {.hash = "", .id = -1};
	char hash[HV_HASH_HEX + 1];
	int64_t id;
	if (hv_parse_i64(token_or_id, 1, INT64_MAX, &id) == 0) {
		j.id = id;
	} else if (strlen(token_or_id) == HV_TOKEN_CHARS) {
		hv_token_hash(token_or_id, hash);
		j.hash = hash;
	} else {
		return hv_err_set(e, HV_EINVAL, "token", "give the token itself or its numeric id");
	}
	int rc = hv_store_write(s, revoke_token_fn, &j, e);
	if (rc < 0)
		return rc;
	if (!j.changed)
		return hv_err_set(e, HV_ENOTFOUND, "token", "no active token matches");
	return HV_OK;
}

int hv_token_lookup(struct hv_store *s, const char *token, struct hv_principal *p, int64_t *expired_at)
{
	*expired_at = 0;
	if (strlen(token) != HV_TOKEN_CHARS)
		return HV_EUNAUTH;
	memset(p, 0, sizeof *p);
	char hash[HV_HASH_HEX + 1];
	hv_token_hash(token, hash);
	struct hv_conn *c = hv_store_conn(s);
	struct hv_stmt *st = hv_sql(c, "SELECT account_id, expires_at, COALESCE(last_used_at, 0), scopes FROM api_tokens "
	                               "WHERE token_hash = $1 AND revoked_at IS NULL");
	hv_bind_text(st, 1, hash);
	int rc = hv_step(st);
	int64_t account = 0, expires = 0, last_used = 0;
	unsigned scopes = 0;
	if (rc == 1) {
		account = hv_col_i64(st, 0);
		expires = hv_col_i64(st, 1);
		last_used = hv_col_i64(st, 2);
		int sc = hv_scopes_parse(hv_col_text(st, 3));
		scopes = sc < 0 ? 0 : (unsigned)sc; /* a name this version does not know grants nothing */
	}
	hv_stmt_done(st);
	if (rc != 1)
		return rc < 0 ? HV_EUNAVAIL : HV_EUNAUTH;
	int64_t now = (int64_t)time(NULL);
	if (now >= expires) {
		*expired_at = expires;
		return HV_EUNAUTH;
	}
	if ((rc = hv_account_by_id(c, account, &p->acct)) < 0)
		return rc == HV_ENOTFOUND ? HV_EUNAUTH : rc;
	if (p->acct.disabled)
		return HV_EUNAUTH;
	p->second_factor = true; /* tokens are issued by an operator on the server */
	p->via_token = true;
	p->scopes = scopes;
	touch(s, hash, true, last_used, now);
	return HV_OK;
}

int hv_token_list(struct hv_conn *c, int64_t account, hv_token_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, "SELECT t.id, a.login, t.label, t.created_at, t.expires_at, COALESCE(t.last_used_at, 0), "
	                               "COALESCE(t.revoked_at, 0), t.scopes FROM api_tokens t JOIN accounts a ON a.id = t.account_id "
	                               "WHERE $1 = 0 OR t.account_id = $1 ORDER BY t.id");
	hv_bind_i64(st, 1, account);
	int rc;
	while ((rc = hv_step(st)) == 1) {
		struct hv_token_info t = {.id = hv_col_i64(st, 0), .created = hv_col_i64(st, 3), .expires = hv_col_i64(st, 4),
		                          .last_used = hv_col_i64(st, 5), .revoked = hv_col_i64(st, 6)};
		snprintf(t.login, sizeof t.login, "%s", hv_col_text(st, 1));
		snprintf(t.label, sizeof t.label, "%s", hv_col_text(st, 2));
		int sc = hv_scopes_parse(hv_col_text(st, 7));
		t.scopes = sc < 0 ? 0 : (unsigned)sc;
		cb(&t, arg);
	}
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}
