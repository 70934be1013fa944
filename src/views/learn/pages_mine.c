/* pages_mine.c: "Học tập của tôi": the visitor's courses and certificates
 * (a certificate earned in the last quarter hour is congratulated, and has
 * its own "Chúc mừng" page); and claiming an anonymous visitor's progress when they register or sign
 * in (once per progress cookie: domain/learn/claim.c). */
#include "views/pages.h"

#include <string.h>
#include <time.h>

#include "domain/learn/learning.h"
#include "domain/learn/quiz.h"
#include "views/people/learner.h"
#include "views/tmpl.h"

/* How long a new certificate is congratulated on "my learning". */
#define FRESH_SECONDS (15 * 60)

struct certs_ctx {
	struct hv_ctx *c;
	struct hv_val *list, *fresh;
	const struct hv_pack *p;
};

static void add_cert(const struct hv_cert *cert, void *arg)
{
	struct certs_ctx *x = arg;
	struct hv_val *o = hv_push(x->list, hv_obj(x->c->arena));
	const struct hv_course *co = hv_catalog_course_id(x->p, cert->course_id);
	char date[64];
	hv_date_in(x->c->lang, cert->issued_at, date, sizeof date);
	hv_set_str(o, "code", cert->code);
	hv_set_str(o, "course", co ? co->title : "");
	hv_set_str(o, "date", date);
	hv_set_bool(o, "revoked", cert->revoked_at != 0);
	if (!cert->revoked_at && cert->issued_at > (int64_t)time(NULL) - FRESH_SECONDS)
		hv_push(x->fresh, o);
}

int hv_page_my_learning(struct hv_ctx *c)
{
	if (c->who && !c->who->second_factor) {
		hv_redirect(c, "/xac-thuc-2-lop");
		return HV_OK;
	}
	struct hv_pack *p = hv_ctx_catalog(c);
	struct hv_learner me;
	hv_learner_load(c, p, &me);
	struct hv_val *d = hv_page_data(c);
	hv_set_bool(d, "anon_hint", !me.signed_in && (me.state.nlessons || me.state.nquizzes));
	hv_set_bool(d, "claimed", hv_query(c, "da-chuyen") != NULL);
	hv_set_bool(d, "claim_used", hv_query(c, "chuyen-roi") != NULL);
	struct hv_val *list = hv_set(d, "courses", hv_list(c->arena));
	for (int k = 0; p && k < p->ncourses; k++) {
		const struct hv_course *co = &p->courses[k];
		int read, total, best, best_total;
		bool passed;
		hv_learner_course(&me, co, &read, &total, &passed, &best, &best_total);
		if (!read && !best_total)
			continue;
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		hv_set(o, "slug", hv_str(c->arena, co->slug));
		hv_set(o, "title", hv_str(c->arena, co->title));
		hv_set_int(o, "read", read);
		hv_set_int(o, "total", total);
		hv_set_bool(o, "passed", passed);
		hv_set_int(o, "best", best);
		hv_set_int(o, "best_total", best_total);
	}
	struct certs_ctx x = {.c = c, .list = hv_set(d, "certs", hv_list(c->arena)), .fresh = hv_set(d, "fresh", hv_list(c->arena)), .p = p};
	if (me.signed_in)
		hv_certs_of(hv_store_conn(c->app->store), c->who->acct.id, add_cert, &x);
	return hv_page(c, "my_learning", hv_t(c->lang, "mine.title"), d);
}

int hv_page_congrats(struct hv_ctx *c)
{
	char code[HV_CERT_CODE_MAX];
	struct hv_cert cert = {0};
	struct hv_conn *conn = hv_store_conn(c->app->store);
	int rc = hv_cert_code_normalise(c->params[0], code) ? hv_cert_get(conn, code, &cert) : HV_ENOTFOUND;
	hv_cert_clear(&cert); /* the signed copy is not shown here */
	if (rc == HV_OK && (cert.account_id != c->who->acct.id || cert.revoked_at))
		rc = HV_ENOTFOUND; /* only one's own, and only while it stands */
	if (rc < 0)
		return hv_fail(c, rc, "code", hv_t(c->lang, rc == HV_ENOTFOUND ? "error.not_found" : "error.retry"));
	const struct hv_course *co = hv_catalog_course_id(hv_ctx_catalog(c), cert.course_id);
	char date[64];
	hv_date_in(c->lang, cert.issued_at, date, sizeof date);
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "code", cert.code);
	hv_set_str(d, "holder", cert.holder);
	hv_set_str(d, "course", co ? co->title : "");
	hv_set_str(d, "date", date);
	return hv_page(c, "congrats", hv_t(c->lang, "congrats.title"), d);
}

static void count_attempt(int64_t quiz, int score, int total, void *arg)
{
	(void)quiz, (void)score, (void)total;
	(*(int *)arg)++;
}

int hv_claim_progress(struct hv_ctx *c, const struct hv_account *a)
{
	struct hv_claim cl;
	hv_progress_read(c, &cl);
	if (!cl.nonce[0])
		return HV_CLAIM_NONE;
	struct hv_pack *p = hv_ctx_catalog(c);
	struct hv_error e = {0};
	int certs = 0, attempts = 0;
	if (hv_quiz_best_anon(hv_store_conn(c->app->store), cl.nonce, count_attempt, &attempts) < 0)
		return HV_CLAIM_NONE;
	int rc = p ? hv_learn_claim(c->app->store, a, p, &cl, &certs, &e) : HV_EUNAVAIL;
	if (rc == HV_EUNAVAIL)
		return HV_CLAIM_NONE; /* the cookie stays: the next sign-in tries again */
	hv_set_cookie(c, "hv_p", "", 0);
	if (rc == HV_ECONFLICT)
		return HV_CLAIM_USED;
	return rc == HV_OK && (cl.nlessons || attempts) ? HV_CLAIM_MOVED : HV_CLAIM_NONE;
}

const char *hv_claim_landing(int outcome, const char *otherwise)
{
	return outcome == HV_CLAIM_MOVED ? "/hoc-tap-cua-toi?da-chuyen=1"
	       : outcome == HV_CLAIM_USED ? "/hoc-tap-cua-toi?chuyen-roi=1"
	                                  : otherwise;
}

bool hv_claim_was_used(struct hv_ctx *c)
{
	struct hv_claim cl;
	hv_progress_read(c, &cl);
	return cl.nonce[0] && hv_claim_used(hv_store_conn(c->app->store), cl.nonce) == 1;
}
