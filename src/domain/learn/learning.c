/* learning.c: progress, completion, certificates (see learning.h); quiz
 * attempts are in quiz_attempts.c, claims in claim.c, which complete
 * courses through learn_internal.h.  Every write runs through
 * hv_store_write, so a mark, an attempt or a claim, the completion it
 * causes and the signed certificate are durable together or not at all. */
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
#include "domain/learn/learn_internal.h"
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


/* Inside a write: completes the course for the account if every published
 * lesson is read and the quiz passed, and issues the certificate. */
static int maybe_complete(struct hv_conn *c, const struct hv_learn_who *a, int64_t course_id, int64_t now, char cert[HV_CERT_CODE_MAX])
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
	/* A course that asks for its practice: every published simulation done. */
	char learner[32];
	snprintf(learner, sizeof learner, "a%lld", (long long)a->id);
	st = hv_sql(c, "SELECT COUNT(*) FROM simulations s JOIN courses co ON co.id = s.course_id WHERE s.course_id = $1 AND "
	               "co.needs_practice = 1 AND s.published = 1 AND NOT EXISTS (SELECT 1 FROM practice_done d WHERE d.learner = $2 "
	               "AND d.simulation_id = s.id)");
	hv_bind_i64(st, 1, course_id);
	hv_bind_text(st, 2, learner);
	rc = hv_step(st);
	int64_t undone = rc == 1 ? hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	if (undone != 0)
		return undone < 0 ? HV_EUNAVAIL : HV_OK;
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
	st = hv_sql(c, "SELECT completed_at FROM completions WHERE account_id = $1 AND course_id <> $2 AND revoked_at IS NULL");
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

static void account_info(const struct hv_account *a, struct hv_learn_who *out, char province[8])
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

static int insert_progress(struct hv_conn *c, const struct hv_learn_who *a, int64_t lesson, int64_t now)
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
	struct hv_learn_who a;
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

/* ---- for quiz.c and claim.c (learn_internal.h) ---- */

void hv_learn_who(const struct hv_account *a, struct hv_learn_who *out, char province[8])
{
	account_info(a, out, province);
}

int hv_learn_progress_add(struct hv_conn *c, const struct hv_learn_who *a, int64_t lesson, int64_t now)
{
	return insert_progress(c, a, lesson, now);
}

int hv_learn_complete(struct hv_conn *c, const struct hv_learn_who *a, int64_t course_id, int64_t now, char cert[HV_CERT_CODE_MAX])
{
	return maybe_complete(c, a, course_id, now, cert);
}
