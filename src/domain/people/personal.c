/* personal.c: a person's own data (Law 91/2025/QH15 on personal data
 * protection): everything we hold about an account as one JSON document,
 * and deletion.  Deleting removes the name, phone, secrets, sessions,
 * tokens, progress, quiz answers and class registrations (the seat is
 * given back), revokes and blanks the certificates
 * (their signed copy carries the name); the completions stay, marked
 * revoked, and leave the figures in the same transaction, as any revoked
 * certificate does (people certified, courses completed). */
#include "domain/people/personal.h"
#include "domain/people/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/learn/content.h"
#include "domain/learn/status_list.h"
#include "domain/learn/learn_internal.h"
#include "domain/measure/measure.h"

static void add_rows(struct hv_conn *c, json_t *out, const char *key, const char *sql, int64_t account, int ncols,
                     const char *const *names, const bool *numeric)
{
	json_t *arr = json_array();
	struct hv_stmt *st = hv_sql(c, sql);
	hv_bind_i64(st, 1, account);
	while (hv_step(st) == 1) {
		json_t *o = json_object();
		for (int i = 0; i < ncols; i++) {
			if (hv_col_null(st, i))
				json_object_set_new(o, names[i], json_null());
			else if (numeric[i])
				json_object_set_new(o, names[i], json_integer(hv_col_i64(st, i)));
			else
				json_object_set_new(o, names[i], json_string(hv_col_text(st, i)));
		}
		json_array_append_new(arr, o);
	}
	hv_stmt_done(st);
	json_object_set_new(out, key, arr);
}

json_t *hv_personal_export(struct hv_conn *c, int64_t account)
{
	json_t *out = json_object();
	{
		static const char *const n[] = {"id", "kind", "login", "phone", "display_name", "home_unit", "consent_at", "created_at"};
		static const bool num[] = {true, false, false, false, false, false, true, true};
		json_t *tmp = json_object();
		add_rows(c, tmp, "a", "SELECT id, kind, login, phone, display_name, home_unit, consent_at, created_at FROM accounts WHERE id = $1",
		         account, 8, n, num);
		json_object_set(out, "account", json_array_get(json_object_get(tmp, "a"), 0));
		json_decref(tmp);
	}
	{
		static const char *const n[] = {"role", "unit", "granted_at"};
		static const bool num[] = {false, false, true};
		add_rows(c, out, "roles", "SELECT role, unit_code, granted_at FROM roles WHERE account_id = $1", account, 3, n, num);
	}
	{
		static const char *const n[] = {"lesson", "read_at"};
		static const bool num[] = {false, true};
		add_rows(c, out, "lessons_read",
		         "SELECT l.slug, p.read_at FROM progress p JOIN lessons l ON l.id = p.lesson_id WHERE p.account_id = $1 ORDER BY p.read_at",
		         account, 2, n, num);
	}
	{
		static const char *const n[] = {"course", "score", "total", "passed", "answers", "at"};
		static const bool num[] = {false, true, true, true, false, true};
		add_rows(c, out, "quiz_attempts",
		         "SELECT c.slug, a.score, a.total, a.passed, a.answers, a.created_at FROM quiz_attempts a JOIN quizzes q ON q.id = a.quiz_id "
		         "JOIN courses c ON c.id = q.course_id WHERE a.account_id = $1 ORDER BY a.created_at",
		         account, 6, n, num);
	}
	{
		static const char *const n[] = {"code", "course", "holder_name", "issued_at", "revoked_at"};
		static const bool num[] = {false, false, false, true, true};
		add_rows(c, out, "certificates",
		         "SELECT t.code, c.slug, t.holder_name, t.issued_at, t.revoked_at FROM certificates t JOIN courses c ON c.id = t.course_id "
		         "WHERE t.account_id = $1", account, 5, n, num);
	}
	{
		static const char *const n[] = {"class", "title", "starts_at", "registered_at"};
		static const bool num[] = {true, false, true, true};
		add_rows(c, out, "class_registrations",
		         "SELECT k.id, k.title, k.starts_at, r.registered_at FROM class_registrations r JOIN classes k ON k.id = r.class_id "
		         "WHERE r.account_id = $1 ORDER BY k.starts_at", account, 4, n, num);
	}
	{
		static const char *const n[] = {"class", "title", "how", "at"};
		static const bool num[] = {true, false, false, true};
		add_rows(c, out, "class_attendance",
		         "SELECT k.id, k.title, x.how, x.at FROM class_attendance x JOIN classes k ON k.id = x.class_id "
		         "WHERE x.account_id = $1 ORDER BY x.at", account, 4, n, num);
	}
	{
		static const char *const n[] = {"at", "action", "ip"};
		static const bool num[] = {true, false, false};
		add_rows(c, out, "sign_in_history",
		         "SELECT at, action, ip FROM audit_log WHERE actor_id = $1 AND (action LIKE 'signin.%' OR action LIKE 'pin.%') "
		         "ORDER BY at DESC LIMIT 100", account, 3, n, num);
	}
	json_object_set_new(out, "exported_at", json_integer((json_int_t)time(NULL)));
	return out;
}

struct delete_job {
	int64_t account;
	const char *ip;
};

static int run(struct hv_conn *c, const char *sql, int64_t account, int64_t now)
{
	struct hv_stmt *st = hv_sql(c, sql);
	hv_bind_i64(st, 1, account);
	if (now)
		hv_bind_i64(st, 2, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

/* A learner who deletes their data no longer counts as registered, in the
 * deletion's transaction (once: a second deletion finds it done). */
static int uncount_learner(struct hv_conn *c, int64_t account, int64_t now)
{
	struct hv_stmt *st = hv_sql(c, "SELECT created_at, home_unit, person_group FROM accounts "
	                               "WHERE id = $1 AND kind = 'learner' AND data_deleted_at IS NULL");
	hv_bind_i64(st, 1, account);
	int rc = hv_step(st);
	if (rc == 1) {
		char unit[16] = "", group[32] = "";
		int64_t at = hv_col_i64(st, 0);
		if (!hv_col_null(st, 1))
			snprintf(unit, sizeof unit, "%s", hv_col_text(st, 1));
		if (!hv_col_null(st, 2))
			snprintf(group, sizeof group, "%s", hv_col_text(st, 2));
		hv_stmt_done(st);
		rc = hv_learner_add(c, unit[0] ? unit : NULL, at, group, "registered_learners", HV_IN_QUARTER | HV_IN_YEAR, -1);
		return rc < 0 ? rc : run(c, "UPDATE accounts SET data_deleted_at = $2 WHERE id = $1", account, now);
	}
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

static int delete_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct delete_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	int rc = 0;
	rc = rc ? rc : run(c, "DELETE FROM sessions WHERE account_id = $1", j->account, 0);
	rc = rc ? rc : run(c, "DELETE FROM reset_codes WHERE account_id = $1", j->account, 0);
	rc = rc ? rc : run(c, "DELETE FROM api_tokens WHERE account_id = $1", j->account, 0);
	rc = rc ? rc : run(c, "DELETE FROM progress WHERE account_id = $1", j->account, 0);
	rc = rc ? rc : run(c, "DELETE FROM quiz_attempts WHERE account_id = $1", j->account, 0);
	rc = rc ? rc : run(c, "DELETE FROM roles WHERE account_id = $1", j->account, 0);
	/* Seats are given back; attendance stays as an anonymous count. */
	rc = rc ? rc : run(c, "UPDATE classes SET registered = registered - 1 WHERE id IN "
	                      "(SELECT class_id FROM class_registrations WHERE account_id = $1)", j->account, 0);
	rc = rc ? rc : run(c, "DELETE FROM class_registrations WHERE account_id = $1", j->account, 0);
	/* Certificates are revoked at the holder's request (visible in the
	 * published status lists), their names and credentials blanked. */
	rc = rc ? rc : run(c, "UPDATE certificates SET holder_name = '', credential = '{}', revoked_at = COALESCE(revoked_at, $2), "
	                      "revoked_reason = 'Người học đã xóa dữ liệu cá nhân', revoked_by_holder = 1 WHERE account_id = $1",
	                   j->account, now);
	rc = rc ? rc : hv_status_list_touch_account(c, j->account);
	rc = rc ? rc : hv_certs_uncount(c, j->account, now);
	rc = rc ? rc : uncount_learner(c, j->account, now);
	rc = rc ? rc : run(c, "UPDATE accounts SET display_name = '(đã xóa)', login = NULL, phone = NULL, secret_hash = NULL, "
	                      "totp_secret = NULL, consent_at = NULL, disabled = 1, updated_at = $2 WHERE id = $1", j->account, now);
	char target[40];
	snprintf(target, sizeof target, "account:%lld", (long long)j->account);
	if (rc < 0 || hv_audit(c, j->account, "account.delete_own_data", target, NULL, NULL, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không xóa được, vui lòng thử lại.");
	return HV_OK;
}

int hv_personal_delete(struct hv_store *s, int64_t account, const char *ip, struct hv_error *e)
{
	struct delete_job j = {.account = account, .ip = ip};
	return hv_store_write(s, delete_fn, &j, e);
}
