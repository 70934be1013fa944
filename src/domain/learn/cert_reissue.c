/* cert_reissue.c: `hocvuso cert reissue`: every certificate signed again
 * with the loaded key, the current public_url and issuer name, in batches
 * of one transaction each (keyset by code).  Codes, holders, issue dates,
 * status places and the subject's salted identifier stay; a certificate
 * without a status place gets the next one; a holder's deleted one stays
 * blank ('{}'). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/learn/cert_doc.h"
#include "domain/learn/certificates.h"

#define BATCH 200

struct reissue_job {
	char after[HV_CERT_CODE_MAX];
	int done;     /* in this batch */
	bool more;
};

struct row {
	char code[HV_CERT_CODE_MAX];
	int64_t account, course, issued_at, seq;
	char *holder, *credential;
};

static int resign(struct hv_conn *c, struct row *r, int64_t now)
{
	struct hv_course_facts co;
	int rc = hv_cert_course_facts(c, r->course, &co);
	if (rc < 0 || (r->seq < 0 && (rc = hv_cert_next_seq(c, &r->seq)) < 0))
		return rc;
	json_error_t je;
	json_t *old = json_loads(r->credential, 0, &je);
	const json_t *ids = json_object_get(json_object_get(old, "credentialSubject"), "identifier");
	struct hv_cert_facts f = {.code = r->code, .holder = r->holder, .course_title = co.title, .course_slug = co.slug,
	                          .summary = co.summary, .pass_mark = co.pass_mark, .account_id = r->account,
	                          .issued_at = r->issued_at, .status_seq = r->seq,
	                          .identifier = json_is_array(ids) ? json_array_get(ids, 0) : NULL};
	struct hv_error e = {0};
	char *cred = hv_cert_doc(&f, now, &e);
	json_decref(old);
	if (!cred)
		return HV_EINTERNAL;
	struct hv_stmt *st = hv_sql(c, "UPDATE certificates SET credential = $2, status_seq = $3 WHERE code = $1");
	hv_bind_text(st, 1, r->code);
	hv_bind_text(st, 2, cred);
	hv_bind_i64(st, 3, r->seq);
	rc = hv_step(st);
	hv_stmt_done(st);
	free(cred);
	return rc < 0 ? rc : HV_OK;
}

static int batch_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct reissue_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "SELECT code, account_id, course_id, holder_name, issued_at, status_seq, credential "
	                               "FROM certificates WHERE code > $1 AND revoked_by_holder = 0 ORDER BY code LIMIT 200");
	hv_bind_text(st, 1, j->after);
	struct row rows[BATCH];
	int n = 0, rc;
	while (n < BATCH && (rc = hv_step(st)) == 1) {
		struct row *r = &rows[n++];
		snprintf(r->code, sizeof r->code, "%s", hv_col_text(st, 0));
		r->account = hv_col_i64(st, 1);
		r->course = hv_col_i64(st, 2);
		r->holder = hv_xstrdup(hv_col_text(st, 3));
		r->issued_at = hv_col_i64(st, 4);
		r->seq = hv_col_null(st, 5) ? -1 : hv_col_i64(st, 5);
		r->credential = hv_xstrdup(hv_col_text(st, 6));
	}
	hv_stmt_done(st);
	int64_t now = (int64_t)time(NULL);
	int bad = rc < 0 ? rc : HV_OK;
	j->done = 0;
	for (int i = 0; i < n; i++) {
		if (!bad && (bad = resign(c, &rows[i], now)) == HV_OK)
			j->done++;
		free(rows[i].holder);
		free(rows[i].credential);
	}
	if (bad < 0)
		return hv_err_set(e, bad, NULL, "cannot re-sign the certificates after %s", j->after[0] ? j->after : "the first");
	j->more = n == BATCH;
	if (n)
		snprintf(j->after, sizeof j->after, "%s", rows[n - 1].code);
	return HV_OK;
}

int hv_cert_reissue(struct hv_store *s, long *done, void (*progress)(const char *, long, long), struct hv_error *e)
{
	long total = 0;
	struct hv_stmt *st = hv_sql(hv_store_conn(s), "SELECT COUNT(*) FROM certificates WHERE revoked_by_holder = 0");
	if (hv_step(st) == 1)
		total = (long)hv_col_i64(st, 0);
	hv_stmt_done(st);
	struct reissue_job j = {.after = ""};
	*done = 0;
	do {
		int rc = hv_store_write(s, batch_fn, &j, e);
		if (rc < 0)
			return rc;
		*done += j.done;
		if (progress)
			progress("re-signing certificates", *done, total);
	} while (j.more);
	return HV_OK;
}
