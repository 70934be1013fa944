/* quiz_attempts.c: numbered quiz attempts in the database (see quiz.h):
 * an account's in quiz_attempts, an anonymous visitor's in anon_attempts
 * under their progress cookie's nonce; where a learner stands (attempts,
 * failures today, cool-down); recording one, checked again inside the
 * write; the last one, for the result page. */
#include "domain/learn/quiz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/learn/learn_internal.h"

/* Midnight in Vietnam (UTC+7, no daylight saving) at or before t. */
static int64_t day_start(int64_t t)
{
	int64_t local = t + 7 * 3600;
	int64_t day = local / 86400 - (local % 86400 < 0);
	return day * 86400 - 7 * 3600;
}

/* The statement for who: the account's (with $1 its id) or the anonymous
 * visitor's (with $1 the nonce). */
static struct hv_stmt *for_learner(struct hv_conn *c, const struct hv_learner_ref *who, const char *account_sql,
                                   const char *anon_sql)
{
	struct hv_stmt *st = hv_sql(c, who->account ? account_sql : anon_sql);
	if (who->account)
		hv_bind_i64(st, 1, who->account);
	else
		hv_bind_text(st, 1, who->nonce);
	return st;
}

int hv_quiz_status(struct hv_conn *c, const struct hv_learner_ref *who, const struct hv_quiz *q, int64_t now,
                   struct hv_quiz_status *out)
{
	memset(out, 0, sizeof *out);
	struct hv_stmt *st =
		for_learner(c, who,
		            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN passed = 0 AND created_at >= $3 THEN 1 ELSE 0 END), 0) "
		            "FROM quiz_attempts WHERE account_id = $1 AND quiz_id = $2",
		            "SELECT COUNT(*), COALESCE(SUM(CASE WHEN passed = 0 AND created_at >= $3 THEN 1 ELSE 0 END), 0) "
		            "FROM anon_attempts WHERE nonce = $1 AND quiz_id = $2");
	hv_bind_i64(st, 2, q->id);
	int64_t start = day_start(now);
	hv_bind_i64(st, 3, start);
	int rc = hv_step(st);
	if (rc == 1) {
		out->attempts = (int)hv_col_i64(st, 0);
		out->failed_today = (int)hv_col_i64(st, 1);
	}
	hv_stmt_done(st);
	if (rc != 1)
		return HV_EUNAVAIL;
	if (out->failed_today >= q->failures_per_day)
		out->wait_until = start + 86400;
	return HV_OK;
}

struct record_job {
	const struct hv_learner_ref *who;
	struct hv_learn_who a;
	const struct hv_course *co;
	int attempt_no;
	const char *answers;
	const struct hv_quiz_result *r;
	char *cert;
	const char *client_id;  /* NULL online; the phone's UUID for a queued attempt */
	bool replayed;          /* that id was already stored: nothing written */
};

static int insert(struct hv_conn *c, const struct record_job *j, int64_t now)
{
	struct hv_stmt *st =
		for_learner(c, j->who,
		            "INSERT INTO quiz_attempts (account_id, quiz_id, attempt_no, score, total, passed, answers, created_at, "
		            "client_id, province_code) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) "
		            "ON CONFLICT (account_id, quiz_id, attempt_no) DO NOTHING RETURNING id",
		            "INSERT INTO anon_attempts (nonce, quiz_id, attempt_no, score, total, passed, answers, created_at, client_id) "
		            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (nonce, quiz_id, attempt_no) DO NOTHING RETURNING id");
	hv_bind_text(st, 9, j->client_id);
	if (j->who->account)
		hv_bind_text(st, 10, j->a.province);
	hv_bind_i64(st, 2, j->co->quiz->id);
	hv_bind_i64(st, 3, j->attempt_no);
	hv_bind_i64(st, 4, j->r->score);
	hv_bind_i64(st, 5, j->r->total);
	hv_bind_i64(st, 6, j->r->passed);
	hv_bind_text(st, 7, j->answers);
	hv_bind_i64(st, 8, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc;
}

static int record_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct record_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	if (j->client_id) {
		int seen = hv_quiz_by_client(c, j->who, j->co->quiz->id, j->client_id);
		if (seen == HV_OK) {
			j->replayed = true; /* a replay: the stored attempt stands */
			return HV_OK;
		}
		if (seen != HV_ENOTFOUND)
			return seen == HV_ECONFLICT ? hv_err_set(e, HV_ECONFLICT, "ma", "Mã bài làm này đã được dùng.")
			                            : hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được bài kiểm tra, vui lòng thử lại.");
	}
	struct hv_quiz_status s;
	if (hv_quiz_status(c, j->who, j->co->quiz, now, &s) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được bài kiểm tra, vui lòng thử lại.");
	if (s.attempts != j->attempt_no)
		return hv_err_set(e, HV_ECONFLICT, "lan", "Lần làm bài này đã nộp rồi; mỗi lần chỉ nộp một lần.");
	if (s.wait_until)
		return hv_err_set(e, HV_ELIMIT, NULL, "Hôm nay bạn đã làm đủ số lần; hãy ôn bài và quay lại vào ngày mai.");
	int rc = insert(c, j, now);
	if (rc == 0)
		return hv_err_set(e, HV_ECONFLICT, "lan", "Lần làm bài này đã nộp rồi; mỗi lần chỉ nộp một lần.");
	if (rc < 0 || (j->who->account && j->r->passed && hv_learn_complete(c, &j->a, j->co->id, now, j->cert) < 0))
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được bài kiểm tra, vui lòng thử lại.");
	return HV_OK;
}

int hv_quiz_by_client(struct hv_conn *c, const struct hv_learner_ref *who, int64_t quiz, const char *client_id)
{
	/* Both tables: an id is the phone's, whoever it was sent as. */
	struct hv_stmt *st = hv_sql(c, "SELECT account_id, '', quiz_id FROM quiz_attempts WHERE client_id = $1 "
	                               "UNION ALL SELECT 0, nonce, quiz_id FROM anon_attempts WHERE client_id = $1");
	hv_bind_text(st, 1, client_id);
	int rc = hv_step(st);
	bool mine = rc == 1 && hv_col_i64(st, 2) == quiz &&
	            (who->account ? hv_col_i64(st, 0) == who->account : !strcmp(hv_col_text(st, 1), who->nonce));
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : rc == 0 ? HV_ENOTFOUND : mine ? HV_OK : HV_ECONFLICT;
}

int hv_quiz_record(struct hv_store *s, const struct hv_learner_ref *who, const struct hv_account *acct, const struct hv_course *co,
                   int attempt_no, const struct hv_draw *d, const uint32_t *selected, const struct hv_quiz_result *r,
                   const char *client_id, bool *replayed, char cert[HV_CERT_CODE_MAX], struct hv_error *e)
{
	cert[0] = '\0';
	if (replayed)
		*replayed = false;
	if (!co->quiz)
		return hv_err_set(e, HV_ENOTFOUND, NULL, "Khóa học này chưa có bài kiểm tra.");
	if (!!who->account != !!acct)
		return hv_err_set(e, HV_EINTERNAL, NULL, "Không lưu được bài kiểm tra.");
	char province[8] = "";
	struct record_job j = {.who = who, .co = co, .attempt_no = attempt_no, .r = r, .cert = cert, .client_id = client_id};
	if (acct)
		hv_learn_who(acct, &j.a, province);
	char *answers = hv_attempt_json(co->quiz, d, selected);
	if (!answers)
		return hv_err_set(e, HV_EINTERNAL, NULL, "Không lưu được bài kiểm tra.");
	j.answers = answers;
	int rc = hv_store_write(s, record_fn, &j, e);
	free(answers);
	if (replayed)
		*replayed = rc == HV_OK && j.replayed;
	return rc;
}

int hv_quiz_last(struct hv_conn *c, const struct hv_learner_ref *who, int64_t quiz, struct hv_attempt_row *out)
{
	memset(out, 0, sizeof *out);
	struct hv_stmt *st = for_learner(c, who,
	                                 "SELECT COALESCE(attempt_no, -1), score, total, passed, created_at, answers FROM quiz_attempts "
	                                 "WHERE account_id = $1 AND quiz_id = $2 ORDER BY id DESC LIMIT 1",
	                                 "SELECT attempt_no, score, total, passed, created_at, answers FROM anon_attempts "
	                                 "WHERE nonce = $1 AND quiz_id = $2 ORDER BY id DESC LIMIT 1");
	hv_bind_i64(st, 2, quiz);
	int rc = hv_step(st);
	if (rc == 1) {
		out->attempt_no = (int)hv_col_i64(st, 0);
		out->score = (int)hv_col_i64(st, 1);
		out->total = (int)hv_col_i64(st, 2);
		out->passed = hv_col_i64(st, 3) != 0;
		out->created_at = hv_col_i64(st, 4);
		out->answers = hv_xstrdup(hv_col_text(st, 5));
	}
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

int hv_quiz_best_anon(struct hv_conn *c, const char *nonce, hv_best_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, "SELECT quiz_id, score, total FROM anon_attempts WHERE nonce = $1");
	hv_bind_text(st, 1, nonce);
	int rc;
	while ((rc = hv_step(st)) == 1)
		cb(hv_col_i64(st, 0), (int)hv_col_i64(st, 1), (int)hv_col_i64(st, 2), arg);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

int hv_course_cert(struct hv_conn *c, int64_t account, int64_t course, char code[HV_CERT_CODE_MAX])
{
	code[0] = '\0';
	struct hv_stmt *st = hv_sql(c, "SELECT code FROM certificates WHERE account_id = $1 AND course_id = $2 AND revoked_at IS NULL");
	hv_bind_i64(st, 1, account);
	hv_bind_i64(st, 2, course);
	int rc = hv_step(st);
	if (rc == 1)
		snprintf(code, HV_CERT_CODE_MAX, "%s", hv_col_text(st, 0));
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}
