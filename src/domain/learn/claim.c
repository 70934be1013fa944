/* claim.c: an anonymous visitor's progress moves into their account when
 * they register or sign in, once per progress cookie: the cookie's nonce
 * is recorded in progress_claims in the same transaction, and a second
 * claim of the same nonce writes nothing (see learning.h). */
#include "domain/learn/learning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/learn/learn_internal.h"
#include "domain/learn/quiz.h"

#define MAX_ATTEMPTS 512

int hv_claim_used(struct hv_conn *c, const char *nonce)
{
	struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM progress_claims WHERE nonce = $1");
	hv_bind_text(st, 1, nonce);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc;
}

struct claim_job {
	struct hv_learn_who a;
	const struct hv_pack *p;
	const struct hv_claim *cl;
	int certs;
};

static int run(struct hv_conn *c, const char *sql, const char *nonce)
{
	struct hv_stmt *st = hv_sql(c, sql);
	hv_bind_text(st, 1, nonce);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

struct attempt {
	int64_t quiz, created_at;
	int score, total;
	char *answers;
};

/* The nonce's attempts become the account's, numbered after its own. */
static int move_attempts(struct hv_conn *c, const struct claim_job *j)
{
	struct attempt *list = hv_xcalloc(MAX_ATTEMPTS, sizeof *list);
	struct hv_stmt *st = hv_sql(c, "SELECT quiz_id, created_at, score, total, answers FROM anon_attempts WHERE nonce = $1 ORDER BY id");
	hv_bind_text(st, 1, j->cl->nonce);
	int n = 0, rc;
	while ((rc = hv_step(st)) == 1 && n < MAX_ATTEMPTS)
		list[n++] = (struct attempt){hv_col_i64(st, 0), hv_col_i64(st, 1), (int)hv_col_i64(st, 2), (int)hv_col_i64(st, 3),
		                             hv_xstrdup(hv_col_text(st, 4))};
	hv_stmt_done(st);
	for (int i = 0; rc >= 0 && i < n; i++) {
		const struct hv_course *co = NULL;
		for (int k = 0; k < j->p->ncourses && !co; k++)
			if (j->p->courses[k].quiz && j->p->courses[k].quiz->id == list[i].quiz)
				co = &j->p->courses[k];
		if (!co)
			continue; /* a quiz removed since: ignore */
		st = hv_sql(c, "INSERT INTO quiz_attempts (account_id, quiz_id, attempt_no, score, total, passed, answers, created_at, "
		               "province_code) VALUES ($1, $2, (SELECT COUNT(*) FROM quiz_attempts WHERE account_id = $1 AND quiz_id = $2), "
		               "$3, $4, $5, $6, $7, $8)");
		hv_bind_i64(st, 1, j->a.id);
		hv_bind_i64(st, 2, list[i].quiz);
		hv_bind_i64(st, 3, list[i].score);
		hv_bind_i64(st, 4, list[i].total);
		hv_bind_i64(st, 5, hv_quiz_passed(co->pass_mark, list[i].score, list[i].total));
		hv_bind_text(st, 6, list[i].answers);
		hv_bind_i64(st, 7, list[i].created_at);
		hv_bind_text(st, 8, j->a.province);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	for (int i = 0; i < n; i++)
		free(list[i].answers);
	free(list);
	return rc < 0 ? rc : run(c, "DELETE FROM anon_attempts WHERE nonce = $1", j->cl->nonce);
}

static int move_practice(struct hv_conn *c, struct claim_job *j)
{
	char from[HV_NONCE_CHARS + 2], to[32];
	snprintf(from, sizeof from, "n%s", j->cl->nonce);
	snprintf(to, sizeof to, "a%lld", (long long)j->a.id);
	struct hv_stmt *st = hv_sql(c, "INSERT INTO practice_done (learner, simulation_id, account_id, clean, completed_at) "
	                               "SELECT $2, simulation_id, $3, clean, completed_at FROM practice_done WHERE learner = $1 "
	                               "ON CONFLICT (learner, simulation_id) DO NOTHING");
	hv_bind_text(st, 1, from);
	hv_bind_text(st, 2, to);
	hv_bind_i64(st, 3, j->a.id);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc;
}

static int claim_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct claim_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	struct hv_stmt *st = hv_sql(c, "INSERT INTO progress_claims (nonce, account_id, claimed_at) VALUES ($1, $2, $3) "
	                               "ON CONFLICT (nonce) DO NOTHING RETURNING nonce");
	hv_bind_text(st, 1, j->cl->nonce);
	hv_bind_i64(st, 2, j->a.id);
	hv_bind_i64(st, 3, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_ECONFLICT, "hv_p", "Tiến độ học trên máy này đã được chuyển vào một tài khoản trước đây.");
	for (int i = 0; rc >= 0 && i < j->cl->nlessons; i++)
		if (hv_catalog_lesson_id(j->p, j->cl->lessons[i])) /* a lesson removed since: ignore */
			rc = hv_learn_progress_add(c, &j->a, j->cl->lessons[i], now);
	if (rc >= 0)
		rc = move_attempts(c, j);
	if (rc >= 0) /* the practice done under the nonce becomes the account's */
		rc = move_practice(c, j);
	for (int k = 0; rc >= 0 && k < j->p->ncourses; k++) {
		char cert[HV_CERT_CODE_MAX];
		rc = hv_learn_complete(c, &j->a, j->p->courses[k].id, now, cert);
		j->certs += rc >= 0 && cert[0];
	}
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được tiến độ học, vui lòng thử lại.") : HV_OK;
}

int hv_learn_claim(struct hv_store *s, const struct hv_account *a, const struct hv_pack *p, const struct hv_claim *cl,
                   int *certs, struct hv_error *e)
{
	if (certs)
		*certs = 0;
	if (!cl->nonce[0])
		return HV_OK;
	char province[8];
	struct claim_job j = {.p = p, .cl = cl};
	hv_learn_who(a, &j.a, province);
	int rc = hv_store_write(s, claim_fn, &j, e);
	if (certs)
		*certs = rc == HV_OK ? j.certs : 0;
	return rc;
}
