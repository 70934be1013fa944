/* learning.c: progress, quiz scoring, completion, certificates and claims
 * (see learning.h).  Every write runs through hv_store_write, so a mark,
 * an attempt or a claim, the completion it causes and the signed
 * certificate are durable together or not at all. */
#include "domain/learn/learning.h"

#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/ids.h"
#include "core/utf8.h"
#include "domain/measure/measure.h"
#include "domain/places/units.h"

static char public_url[256] = "http://localhost:8080";

void hv_learn_configure(const char *url)
{
	snprintf(public_url, sizeof public_url, "%s", url);
	size_t n = strlen(public_url);
	while (n && public_url[n - 1] == '/')
		public_url[--n] = '\0';
}

const char *hv_learn_public_url(void)
{
	return public_url;
}

void hv_quiz_score(const struct hv_course *c, const uint32_t *selected, struct hv_quiz_result *r)
{
	memset(r, 0, sizeof *r);
	const struct hv_quiz *q = c->quiz;
	if (!q)
		return;
	r->total = q->nquestions < HV_QUIZ_MAX_QUESTIONS ? q->nquestions : HV_QUIZ_MAX_QUESTIONS;
	for (int i = 0; i < r->total; i++) {
		uint32_t want = 0;
		for (int k = 0; k < q->questions[i].nanswers; k++)
			if (q->questions[i].answers[k].correct)
				want |= 1u << k;
		r->correct[i] = selected[i] == want;
		r->score += r->correct[i];
	}
	r->passed = r->total > 0 && r->score * 100 >= c->pass_mark * r->total;
}

int hv_progress_lessons(struct hv_conn *c, int64_t account, int64_t *out, int max)
{
	struct hv_stmt *st = hv_sql(c, "SELECT lesson_id FROM progress WHERE account_id = $1");
	hv_bind_i64(st, 1, account);
	int n = 0, rc;
	while ((rc = hv_step(st)) == 1 && n < max)
		out[n++] = hv_col_i64(st, 0);
	hv_stmt_done(st);
	return rc < 0 ? rc : n;
}

int hv_quiz_best(struct hv_conn *c, int64_t account, int64_t quiz, int *best, int *total, bool *passed)
{
	struct hv_stmt *st = hv_sql(c, "SELECT score, total, passed FROM quiz_attempts WHERE account_id = $1 AND quiz_id = $2 "
	                               "ORDER BY passed DESC, score DESC LIMIT 1");
	hv_bind_i64(st, 1, account);
	hv_bind_i64(st, 2, quiz);
	int rc = hv_step(st);
	*best = *total = 0;
	*passed = false;
	if (rc == 1) {
		*best = (int)hv_col_i64(st, 0);
		*total = (int)hv_col_i64(st, 1);
		*passed = hv_col_i64(st, 2) != 0;
	}
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

void hv_initials(const char *name, char *out, size_t cap)
{
	struct hv_buf b;
	hv_buf_init(&b);
	bool start = true;
	for (const unsigned char *p = (const unsigned char *)name; *p;) {
		size_t len = *p < 0x80 ? 1 : (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 : 4;
		if (*p == ' ') {
			start = true;
		} else if (start) {
			hv_buf_append(&b, p, len);
			hv_buf_puts(&b, ". ");
			start = false;
		}
		for (size_t k = 0; k < len && *p; k++)
			p++;
	}
	if (b.len)
		b.data[--b.len] = '\0';
	snprintf(out, cap, "%s", b.data ? b.data : "");
	hv_buf_free(&b);
}

void hv_date_vi(int64_t t, char *out, size_t cap)
{
	time_t local = (time_t)(t + 7 * 3600); /* Vietnam: UTC+7, no daylight saving */
	struct tm tm;
	gmtime_r(&local, &tm);
	snprintf(out, cap, "Ngày %d tháng %d năm %d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900);
}

struct account_info {
	int64_t id;
	const char *name, *home_unit, *province;
};

/* Inside a write: completes the course for the account if every published
 * lesson is read and the quiz passed, and issues the certificate. */
static int maybe_complete(struct hv_conn *c, const struct account_info *a, int64_t course_id, int64_t now, char cert[HV_CERT_CODE_MAX])
{
	cert[0] = '\0';
	struct hv_stmt *st = hv_sql(c, "SELECT COUNT(*) FROM lessons l WHERE l.course_id = $1 AND l.published = 1 AND NOT EXISTS "
	                               "(SELECT 1 FROM progress p WHERE p.account_id = $2 AND p.lesson_id = l.id)");
	hv_bind_i64(st, 1, course_id);
	hv_bind_i64(st, 2, a->id);
	int rc = hv_step(st);
	int64_t unread = rc == 1 ? hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	if (unread != 0)
		return unread < 0 ? HV_EUNAVAIL : HV_OK;
	st = hv_sql(c, "SELECT COUNT(*) FROM quiz_attempts qa JOIN quizzes q ON q.id = qa.quiz_id WHERE q.course_id = $1 "
	               "AND qa.account_id = $2 AND qa.passed = 1");
	hv_bind_i64(st, 1, course_id);
	hv_bind_i64(st, 2, a->id);
	rc = hv_step(st);
	int64_t passed = rc == 1 ? hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	if (passed <= 0)
		return passed < 0 ? HV_EUNAVAIL : HV_OK;
	st = hv_sql(c, "INSERT INTO completions (account_id, course_id, completed_at, unit_code, province_code) VALUES ($1, $2, $3, $4, $5) "
	               "ON CONFLICT (account_id, course_id) DO NOTHING RETURNING course_id");
	hv_bind_i64(st, 1, a->id);
	hv_bind_i64(st, 2, course_id);
	hv_bind_i64(st, 3, now);
	hv_bind_text(st, 4, a->home_unit);
	hv_bind_text(st, 5, a->province);
	rc = hv_step(st);
	hv_stmt_done(st);
	if (rc != 1)
		return rc < 0 ? HV_EUNAVAIL : HV_OK; /* already complete */
	char group[32] = "";
	st = hv_sql(c, "SELECT person_group FROM accounts WHERE id = $1");
	hv_bind_i64(st, 1, a->id);
	if (hv_step(st) == 1)
		snprintf(group, sizeof group, "%s", hv_col_text(st, 0));
	hv_stmt_done(st);
	/* Certified once per period: is this the person's first course of the
	 * quarter, of the year? (From their other completions: a handful.) */
	char q[8], y[8], oq[8], oy[8];
	hv_periods(now, q, y);
	int first = HV_IN_QUARTER | HV_IN_YEAR;
	st = hv_sql(c, "SELECT completed_at FROM completions WHERE account_id = $1 AND course_id <> $2");
	hv_bind_i64(st, 1, a->id);
	hv_bind_i64(st, 2, course_id);
	while ((rc = hv_step(st)) == 1) {
		hv_periods(hv_col_i64(st, 0), oq, oy);
		if (!strcmp(oq, q))
			first &= ~HV_IN_QUARTER;
		if (!strcmp(oy, y))
			first &= ~HV_IN_YEAR;
	}
	hv_stmt_done(st);
	if (rc < 0 || hv_learner_count(c, a->home_unit, now, group, "courses_completed", HV_IN_QUARTER | HV_IN_YEAR) < 0 ||
	    hv_learner_count(c, a->home_unit, now, group, "people_certified", first) < 0)
		return HV_EUNAVAIL;
	return hv_cert_issue(c, a->id, a->name, course_id, a->home_unit, a->province, now, cert);
}

static void account_info(const struct hv_account *a, struct account_info *out, char province[8])
{
	province[0] = '\0';
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, a->home_unit);
	if (x && x->province_code)
		snprintf(province, 8, "%s", x->province_code);
	hv_units_release(u);
	out->id = a->id;
	out->name = a->name;
	out->home_unit = a->home_unit[0] ? a->home_unit : NULL;
	out->province = province[0] ? province : NULL;
}

static int insert_progress(struct hv_conn *c, const struct account_info *a, int64_t lesson, int64_t now)
{
	struct hv_stmt *st = hv_sql(c, "INSERT INTO progress (account_id, lesson_id, read_at, province_code) VALUES ($1, $2, $3, $4) "
	                               "ON CONFLICT (account_id, lesson_id) DO NOTHING");
	hv_bind_i64(st, 1, a->id);
	hv_bind_i64(st, 2, lesson);
	hv_bind_i64(st, 3, now);
	hv_bind_text(st, 4, a->province);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

struct mark_job {
	struct account_info a;
	int64_t lesson, course;
	char *cert;
};

static int mark_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct mark_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	if (insert_progress(c, &j->a, j->lesson, now) < 0 || maybe_complete(c, &j->a, j->course, now, j->cert) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được tiến độ học, vui lòng thử lại.");
	return HV_OK;
}

int hv_learn_mark_read(struct hv_store *s, const struct hv_account *a, const struct hv_lesson *l, char cert[HV_CERT_CODE_MAX],
                       struct hv_error *e)
{
	char province[8];
	struct mark_job j = {.lesson = l->id, .course = l->course->id, .cert = cert};
	account_info(a, &j.a, province);
	cert[0] = '\0';
	return hv_store_write(s, mark_fn, &j, e);
}

struct quiz_job {
	struct account_info a;
	int64_t quiz, course;
	const struct hv_quiz_result *r;
	const char *answers;
	char *cert;
};

static int insert_attempt(struct hv_conn *c, const struct account_info *a, int64_t quiz, int score, int total, bool passed,
                          const char *answers, int64_t now)
{
	struct hv_stmt *st = hv_sql(c, "INSERT INTO quiz_attempts (account_id, quiz_id, score, total, passed, answers, province_code, created_at) "
	                               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	hv_bind_i64(st, 1, a->id);
	hv_bind_i64(st, 2, quiz);
	hv_bind_i64(st, 3, score);
	hv_bind_i64(st, 4, total);
	hv_bind_i64(st, 5, passed);
	hv_bind_text(st, 6, answers);
	hv_bind_text(st, 7, a->province);
	hv_bind_i64(st, 8, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

static int quiz_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct quiz_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	if (insert_attempt(c, &j->a, j->quiz, j->r->score, j->r->total, j->r->passed, j->answers, now) < 0 ||
	    (j->r->passed && maybe_complete(c, &j->a, j->course, now, j->cert) < 0))
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được bài kiểm tra, vui lòng thử lại.");
	return HV_OK;
}

int hv_learn_record_quiz(struct hv_store *s, const struct hv_account *a, const struct hv_course *co,
                         const struct hv_quiz_result *r, const char *answers, char cert[HV_CERT_CODE_MAX], struct hv_error *e)
{
	if (!co->quiz)
		return hv_err_set(e, HV_ENOTFOUND, NULL, "Khóa học này chưa có bài kiểm tra.");
	char province[8];
	struct quiz_job j = {.quiz = co->quiz->id, .course = co->id, .r = r, .answers = answers, .cert = cert};
	account_info(a, &j.a, province);
	cert[0] = '\0';
	return hv_store_write(s, quiz_fn, &j, e);
}

struct claim_job {
	struct account_info a;
	const struct hv_pack *p;
	const struct hv_claim *cl;
	int certs;
};

static int claim_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct claim_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	for (int i = 0; i < j->cl->nlessons; i++) {
		if (!hv_catalog_lesson_id(j->p, j->cl->lessons[i]))
			continue; /* a lesson removed since: ignore */
		if (insert_progress(c, &j->a, j->cl->lessons[i], now) < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được tiến độ học, vui lòng thử lại.");
	}
	for (int i = 0; i < j->cl->nquizzes; i++) {
		const struct hv_course *co = hv_catalog_course_id(j->p, j->cl->quizzes[i].course);
		if (!co || !co->quiz)
			continue;
		int score = j->cl->quizzes[i].score, total = j->cl->quizzes[i].total;
		bool passed = total > 0 && score * 100 >= co->pass_mark * total;
		if (insert_attempt(c, &j->a, co->quiz->id, score, total, passed, "{\"claimed\":true}", now) < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được bài kiểm tra, vui lòng thử lại.");
	}
	for (int k = 0; k < j->p->ncourses; k++) {
		char cert[HV_CERT_CODE_MAX];
		if (maybe_complete(c, &j->a, j->p->courses[k].id, now, cert) < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
		j->certs += cert[0] != 0;
	}
	return HV_OK;
}

int hv_learn_claim(struct hv_store *s, const struct hv_account *a, const struct hv_pack *p, const struct hv_claim *cl,
                   int *certs, struct hv_error *e)
{
	char province[8];
	struct claim_job j = {.p = p, .cl = cl};
	account_info(a, &j.a, province);
	int rc = hv_store_write(s, claim_fn, &j, e);
	if (certs)
		*certs = j.certs;
	return rc;
}
