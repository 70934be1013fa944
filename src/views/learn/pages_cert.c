/* pages_cert.c: certificates: download (PDF, signed credential served as
 * application/vc) for their holder or staff who reach the holder's unit;
 * the public verification page (holder's full name, course, date, issuing
 * body, status); revocation by an admin.  The issuer's keys and the status
 * lists are in api_issuer.c. */
#include "views/pages.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/learn/learning.h"
#include "domain/learn/vc_verify.h"
#include "domain/places/units.h"
#include "views/learn/cert_status.h"
#include "views/tmpl.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"

/* May the principal download this certificate? */
static bool may_download(struct hv_ctx *c, const struct hv_cert *cert)
{
	if (!c->who || !c->who->second_factor)
		return false;
	if (c->who->acct.id == cert->account_id)
		return true;
	struct hv_account holder;
	if (hv_account_by_id(hv_store_conn(c->app->store), cert->account_id, &holder) < 0)
		return false;
	struct hv_units *u = hv_ctx_units(c);
	const struct hv_unit *home = hv_units_get(u, holder.home_unit[0] ? holder.home_unit : HV_ROOT_CODE);
	return home && hv_can(c->who, HV_ROLE_ADMIN | HV_ROLE_MANAGER, home);
}

int hv_cert_download(struct hv_ctx *c)
{
	char code[40];
	snprintf(code, sizeof code, "%s", c->params[0]);
	char *dot = strrchr(code, '.');
	if (!dot || (strcmp(dot, ".pdf") && strcmp(dot, ".json")))
		return hv_fail(c, HV_ENOTFOUND, "code", hv_t(c->lang, "cert.unknown"));
	bool pdf = !strcmp(dot, ".pdf");
	*dot = '\0';
	struct hv_cert cert;
	if (hv_cert_get(hv_store_conn(c->app->store), code, &cert) < 0)
		return hv_fail(c, HV_ENOTFOUND, "code", hv_t(c->lang, "cert.unknown"));
	if (!may_download(c, &cert)) {
		hv_cert_clear(&cert);
		if (!c->who) {
			hv_redirect(c, hv_arena_printf(c->arena, "/dang-nhap/hoc-vien?next=/hoc-tap-cua-toi"));
			return HV_OK;
		}
		return hv_fail(c, HV_EFORBIDDEN, "code", hv_t(c->lang, "cert.not_yours"));
	}
	char target[40];
	snprintf(target, sizeof target, "account:%lld", (long long)cert.account_id);
	if (c->who->acct.id != cert.account_id && !hv_audit_read(c, "certificate.read", target, NULL, cert.code)) {
		hv_cert_clear(&cert);
		return HV_OK;
	}
	c->no_store = true;
	c->cache_control = "private, no-store";
	hv_buf_reset(&c->body);
	int rc = HV_OK;
	if (pdf) {
		struct hv_pack *p = hv_ctx_catalog(c);
		const struct hv_course *co = hv_catalog_course_id(p, cert.course_id);
		char date[64];
		hv_date_vi(cert.issued_at, date, sizeof date);
		const char *url = hv_cert_page_url(c, &cert);
		struct hv_cert_pdf in = {.code = cert.code, .holder = cert.holder, .course = co ? co->title : "", .date_vi = date,
		                         .verify_url = url, .issuer = hv_issuer_name(), .demo = hv_url_is_loopback(url)};
		struct hv_error e = {0};
		rc = hv_cert_pdf(&in, &c->body, &e);
		c->resp_type = "application/pdf";
	} else {
		hv_buf_puts(&c->body, cert.credential);
		c->resp_type = "application/vc"; /* VC 2.0, section C.1 */
	}
	c->status = rc < 0 ? 500 : 200;
	hv_cert_clear(&cert);
	return rc;
}

int hv_page_verify_form(struct hv_ctx *c)
{
	const char *ma = hv_query(c, "ma");
	if (ma && *ma) {
		char norm[HV_CERT_CODE_MAX];
		if (hv_cert_code_normalise(ma, norm)) {
			hv_redirect(c, hv_arena_printf(c->arena, "/xac-thuc/%s", norm));
			return HV_OK;
		}
		struct hv_val *d = hv_page_data(c);
		hv_set_bool(d, "unknown", true);
		c->status = 400;
		return hv_page(c, "verify", hv_t(c->lang, "cert.verify_title"), d);
	}
	return hv_page(c, "verify", hv_t(c->lang, "cert.verify_title"), hv_page_data(c));
}

void hv_date_in(const char *lang, int64_t t, char *out, size_t cap)
{
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	if (strcmp(lang, "en") != 0) {
		hv_date_vi(t, out, cap);
		return;
	}
	time_t local = (time_t)(t + 7 * 3600);
	struct tm tm;
	gmtime_r(&local, &tm);
	snprintf(out, cap, "%d %s %d", tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900);
}

const char *hv_cert_page_url(struct hv_ctx *c, const struct hv_cert *cert)
{
	/* The address the credential was signed with, so the QR code and the
	 * credential's id are one (cert reissue moves both). */
	json_error_t je;
	json_t *doc = json_loads(cert->credential, 0, &je);
	const char *id = json_string_value(json_object_get(doc, "id"));
	const char *url = id && !strncmp(id, "http", 4) ? hv_arena_printf(c->arena, "%s", id)
	                                                 : hv_arena_printf(c->arena, "%s/xac-thuc/%s", hv_learn_public_url(), cert->code);
	json_decref(doc);
	return url;
}

int hv_cert_status(struct hv_ctx *c, const struct hv_cert *cert, bool *sig_ok, bool *demo)
{
	*sig_ok = *demo = false;
	if (cert->revoked_by_holder)
		return HV_CERT_REVOKED_BY_HOLDER;
	json_error_t je;
	json_t *doc = json_loads(cert->credential, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return cert->revoked_at ? HV_CERT_REVOKED : HV_CERT_UNKNOWN;
	/* The verdict anyone gets who hands us this credential (vc_verify.c). */
	struct hv_vc_result r;
	hv_vc_verify(hv_store_reader(c->app->store), doc, (int64_t)time(NULL), &r);
	const char *id = json_string_value(json_object_get(doc, "id"));
	*demo = id && hv_url_is_loopback(id);
	json_decref(doc);
	if (r.verdict == HV_VC_UNKNOWN)
		return HV_EUNAVAIL;
	bool ours = strcmp(r.code, cert->code) == 0;
	*sig_ok = r.proof_checked && ours && (r.verdict == HV_VC_CERT_VALID || r.verdict == HV_VC_CERT_REVOKED);
	if (cert->revoked_at)
		return HV_CERT_REVOKED;
	return *sig_ok && r.verdict == HV_VC_CERT_VALID ? HV_CERT_VALID : HV_CERT_UNKNOWN;
}

int hv_page_verify(struct hv_ctx *c)
{
	struct hv_cert cert;
	struct hv_val *d = hv_page_data(c);
	/* Public pages may read from a replica (--db-read): it may lag a little. */
	int rc = hv_cert_get(hv_store_reader(c->app->store), c->params[0], &cert);
	if (rc == HV_EUNAVAIL)
		return hv_fail(c, rc, NULL, hv_t(c->lang, "error.retry"));
	if (rc < 0) {
		hv_set_bool(d, "unknown", true);
		c->status = 404;
		return hv_page(c, "verify", hv_t(c->lang, "cert.verify_title"), d);
	}
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_course *co = hv_catalog_course_id(p, cert.course_id);
	char date[64], revoked_on[64];
	hv_date_in(c->lang, cert.issued_at, date, sizeof date);
	hv_date_in(c->lang, cert.revoked_at, revoked_on, sizeof revoked_on);
	bool sig_ok, demo;
	int status = hv_cert_status(c, &cert, &sig_ok, &demo);
	if (status < 0) {
		hv_cert_clear(&cert);
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	}
	hv_set_bool(d, "found", true);
	hv_set_str(d, "code", cert.code);
	hv_set_str(d, "holder", cert.holder);
	hv_set_str(d, "course", co ? co->title : "");
	hv_set_str(d, "date", date);
	hv_set_str(d, "issuer", hv_issuer_name());
	hv_set_bool(d, "st_valid", status == HV_CERT_VALID);
	hv_set_bool(d, "st_revoked", status == HV_CERT_REVOKED);
	hv_set_bool(d, "st_holder", status == HV_CERT_REVOKED_BY_HOLDER);
	hv_set_bool(d, "st_unknown", status == HV_CERT_UNKNOWN);
	hv_set_bool(d, "revoked", cert.revoked_at != 0);
	hv_set_str(d, "reason", cert.reason);
	hv_set_str(d, "revoked_on", revoked_on);
	hv_set_bool(d, "sig_ok", sig_ok);
	hv_set_bool(d, "demo", demo);
	struct hv_units *u = hv_ctx_units(c);
	hv_set_bool(d, "can_revoke", c->who && hv_can(c->who, HV_ROLE_ADMIN, hv_units_root(u)));
	if (c->who)
		hv_set_str(d, "csrf", hv_csrf_token(c));
	c->no_store = true;
	hv_cert_clear(&cert);
	return hv_page(c, "verify", hv_t(c->lang, "cert.verify_title"), d);
}

int hv_post_revoke(struct hv_ctx *c)
{
	struct hv_units *u = hv_ctx_units(c);
	if (!hv_can(c->who, HV_ROLE_ADMIN, hv_units_root(u)))
		return hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "admin.out_of_scope"));
	struct hv_error e = {0};
	const char *reason = hv_form(c, "reason");
	if (hv_cert_revoke(c->app->store, c->params[0], reason ? reason : "", c->who->acct.id, c->ip, &e) < 0)
		return hv_fail_err(c, &e);
	char norm[HV_CERT_CODE_MAX];
	hv_cert_code_normalise(c->params[0], norm);
	hv_redirect(c, hv_arena_printf(c->arena, "/xac-thuc/%s", norm));
	return HV_OK;
}
