/* certificates.c: certificates as records (see certificates.h): issue,
 * read, revoke, re-sign, and what a credential's signature is worth. */
#include "domain/learn/certificates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ids.h"
#include "core/utf8.h"
#include "domain/learn/cert_doc.h"
#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/learn/learn_internal.h"
#include "domain/learn/status_list.h"
#include "domain/people/auth.h"
#include "domain/people/audit.h"

static const char code_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

bool hv_cert_code_normalise(const char *in, char out[HV_CERT_CODE_MAX])
{
	char raw[16];
	size_t n = 0;
	for (const char *p = in; *p; p++) {
		char ch = *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p;
		if (ch == '-' || ch == ' ')
			continue;
		if (n >= sizeof raw - 1)
			return false;
		raw[n++] = ch;
	}
	raw[n] = '\0';
	if (n != 10 || raw[0] != 'H' || raw[1] != 'V')
		return false;
	for (size_t i = 2; i < n; i++)
		if (!strchr(code_alphabet, raw[i]))
			return false;
	snprintf(out, HV_CERT_CODE_MAX, "HV-%.4s-%.4s", raw + 2, raw + 6);
	return true;
}

static void new_code(char out[HV_CERT_CODE_MAX])
{
	char r[9];
	hv_random_chars(r, 8, code_alphabet);
	snprintf(out, HV_CERT_CODE_MAX, "HV-%.4s-%.4s", r, r + 4);
}

int hv_cert_course_facts(struct hv_conn *c, int64_t course_id, struct hv_course_facts *out)
{
	memset(out, 0, sizeof *out);
	struct hv_stmt *st = hv_sql(c, "SELECT title, slug, summary, pass_mark FROM courses WHERE id = $1");
	hv_bind_i64(st, 1, course_id);
	int rc = hv_step(st);
	if (rc == 1) {
		snprintf(out->title, sizeof out->title, "%s", hv_col_text(st, 0));
		snprintf(out->slug, sizeof out->slug, "%s", hv_col_text(st, 1));
		snprintf(out->summary, sizeof out->summary, "%s", hv_col_text(st, 2));
		out->pass_mark = (int)hv_col_i64(st, 3);
	}
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

int hv_cert_next_seq(struct hv_conn *c, int64_t *seq)
{
	struct hv_stmt *st = hv_sql(c, "SELECT COALESCE(MAX(status_seq), -1) + 1 FROM certificates");
	int rc = hv_step(st);
	*seq = rc == 1 ? hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : HV_EUNAVAIL;
}

int hv_cert_issue(struct hv_conn *c, int64_t account, const char *holder, int64_t course_id, const char *unit,
                  const char *province, int64_t now, char code[HV_CERT_CODE_MAX])
{
	code[0] = '\0';
	struct hv_course_facts co;
	if (hv_cert_course_facts(c, course_id, &co) == HV_EUNAVAIL)
		return HV_EUNAVAIL;
	for (int attempt = 0; attempt < 5; attempt++) {
		/* The next place in the status lists; another app server taking
		 * the same one makes the insert do nothing, and we try again. */
		int64_t seq;
		if (hv_cert_next_seq(c, &seq) < 0)
			return HV_EUNAVAIL;
		char try_code[HV_CERT_CODE_MAX];
		new_code(try_code);
		struct hv_cert_facts f = {.code = try_code, .holder = holder, .course_title = co.title, .course_slug = co.slug,
		                          .summary = co.summary, .pass_mark = co.pass_mark, .account_id = account, .issued_at = now,
		                          .status_seq = seq};
		struct hv_error e = {0};
		char *cred = hv_cert_doc(&f, now, &e);
		if (!cred)
			return HV_EINTERNAL;
		struct hv_stmt *st = hv_sql(c, "INSERT INTO certificates (code, account_id, course_id, holder_name, issued_at, credential, unit_code, "
		               "province_code, status_seq) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING RETURNING code");
		hv_bind_text(st, 1, try_code);
		hv_bind_i64(st, 2, account);
		hv_bind_i64(st, 3, course_id);
		hv_bind_text(st, 4, holder);
		hv_bind_i64(st, 5, now);
		hv_bind_text(st, 6, cred);
		hv_bind_text(st, 7, unit);
		hv_bind_text(st, 8, province);
		hv_bind_i64(st, 9, seq);
		int rc = hv_step(st);
		hv_stmt_done(st);
		free(cred);
		if (rc == 1) {
			snprintf(code, HV_CERT_CODE_MAX, "%s", try_code);
			return HV_OK;
		}
		if (rc < 0)
			return rc;
	}
	return HV_EINTERNAL;
}

#define CERT_COLUMNS                                                                                                        \
	"SELECT code, account_id, course_id, holder_name, issued_at, credential, revoked_at, COALESCE(revoked_reason, ''), " \
	"status_seq, revoked_by_holder FROM certificates "

static void fill_cert(struct hv_stmt *st, struct hv_cert *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->code, sizeof c->code, "%s", hv_col_text(st, 0));
	c->account_id = hv_col_i64(st, 1);
	c->course_id = hv_col_i64(st, 2);
	snprintf(c->holder, sizeof c->holder, "%s", hv_col_text(st, 3));
	c->issued_at = hv_col_i64(st, 4);
	c->credential = hv_xstrdup(hv_col_text(st, 5));
	c->revoked_at = hv_col_null(st, 6) ? 0 : hv_col_i64(st, 6);
	snprintf(c->reason, sizeof c->reason, "%s", hv_col_text(st, 7));
	c->status_seq = hv_col_null(st, 8) ? -1 : hv_col_i64(st, 8);
	c->revoked_by_holder = hv_col_i64(st, 9) != 0;
}

int hv_cert_get(struct hv_conn *c, const char *code, struct hv_cert *out)
{
	char norm[HV_CERT_CODE_MAX];
	if (!hv_cert_code_normalise(code, norm))
		return HV_ENOTFOUND;
	struct hv_stmt *st = hv_sql(c, CERT_COLUMNS "WHERE code = $1");
	hv_bind_text(st, 1, norm);
	int rc = hv_step(st);
	if (rc == 1)
		fill_cert(st, out);
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

void hv_cert_clear(struct hv_cert *c)
{
	free(c->credential);
	c->credential = NULL;
}

int hv_certs_of(struct hv_conn *c, int64_t account, hv_cert_cb cb, void *arg)
{
	struct hv_stmt *st = hv_sql(c, CERT_COLUMNS "WHERE account_id = $1 ORDER BY issued_at");
	hv_bind_i64(st, 1, account);
	struct hv_cert list[64];
	int n = 0, rc;
	while (n < 64 && (rc = hv_step(st)) == 1)
		fill_cert(st, &list[n++]);
	hv_stmt_done(st);
	for (int i = 0; i < n; i++) {
		cb(&list[i], arg);
		hv_cert_clear(&list[i]);
	}
	return HV_OK;
}

struct revoke_job {
	const char *code, *reason, *ip;
	int64_t actor;
};

static int revoke_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct revoke_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "UPDATE certificates SET revoked_at = $2, revoked_reason = $3, revoked_by = $4 "
	                               "WHERE code = $1 AND revoked_at IS NULL RETURNING code");
	hv_bind_text(st, 1, j->code);
	hv_bind_i64(st, 2, (int64_t)time(NULL));
	hv_bind_text(st, 3, j->reason);
	if (j->actor)
		hv_bind_i64(st, 4, j->actor);
	else
		hv_bind_null(st, 4);
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc == 0)
		return hv_err_set(e, HV_ENOTFOUND, "code", "Không có chứng nhận đang hiệu lực với mã này.");
	if (rc < 0 || hv_status_list_touch(c, j->code) < 0 || hv_cert_uncount(c, j->code, (int64_t)time(NULL)) < 0 ||
	    hv_audit(c, j->actor, "certificate.revoke", j->code, NULL, j->reason, j->ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
	return HV_OK;
}

int hv_cert_revoke(struct hv_store *s, const char *code, const char *reason, int64_t actor, const char *ip, struct hv_error *e)
{
	char norm[HV_CERT_CODE_MAX];
	if (!hv_cert_code_normalise(code, norm))
		return hv_err_set(e, HV_EINVAL, "code", "Mã chứng nhận có dạng HV-XXXX-XXXX.");
	long chars = hv_utf8_len(reason, strlen(reason));
	if (chars < 5 || chars > 200 || hv_has_any_control(reason, strlen(reason)))
		return hv_err_set(e, HV_EINVAL, "reason", "Hãy ghi lý do thu hồi (5 đến 200 ký tự).");
	struct revoke_job j = {.code = norm, .reason = reason, .ip = ip, .actor = actor};
	return hv_store_write(s, revoke_fn, &j, e);
}

enum hv_cert_sig hv_cert_check(struct hv_conn *c, const json_t *doc, char *signer, size_t signer_cap, struct hv_error *e)
{
	struct hv_proof_info who;
	if (signer_cap)
		signer[0] = '\0';
	if (hv_credential_verify(doc, &who, e) < 0)
		return HV_SIG_BAD;
	snprintf(signer, signer_cap, "%s", who.controller);
	int known = hv_issuer_key_known(c, who.key);
	if (known < 0) {
		hv_err_set(e, HV_EUNAVAIL, NULL, "cannot read the issuer keys");
		return HV_SIG_BAD;
	}
	if (known) {
		/* What we sign names the signer as its issuer. */
		json_t *iss = json_object_get(doc, "issuer");
		const char *issuer = json_is_string(iss) ? json_string_value(iss) : json_string_value(json_object_get(iss, "id"));
		if (!issuer || strcmp(issuer, who.controller) != 0) {
			hv_err_set(e, HV_EINVAL, NULL, "signed by %s, but the issuer field says %s", who.controller,
			           issuer ? issuer : "nothing");
			return HV_SIG_BAD;
		}
		return HV_SIG_OURS;
	}
	if (who.self_certifying)
		return HV_SIG_FOREIGN;
	/* A did:web (or other) method naming a key we do not hold: only its
	 * owner's DID document could vouch for it, and that needs the network. */
	hv_err_set(e, HV_EINVAL, NULL, "the key %s is not one of this issuer's, and %s cannot be resolved without the network", who.key,
	           who.controller);
	return HV_SIG_BAD;
}
