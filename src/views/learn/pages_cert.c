/* pages_cert.c: certificates: download (PDF, signed JSON) for their holder
 * or staff who reach the holder's unit; the public verification page,
 * which shows only initials; revocation by an admin; the issuer's public
 * key at a fixed address. */
#include "views/pages.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/learn/credential.h"
#include "domain/learn/learning.h"
#include "domain/places/units.h"
#include "views/tmpl.h"

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
		char date[64], url[512];
		hv_date_vi(cert.issued_at, date, sizeof date);
		snprintf(url, sizeof url, "%s/xac-thuc/%s", hv_learn_public_url(), cert.code);
		struct hv_cert_pdf in = {.code = cert.code, .holder = cert.holder, .course = co ? co->title : "",
		                         .date_vi = date, .verify_url = url};
		struct hv_error e = {0};
		rc = hv_cert_pdf(&in, &c->body, &e);
		c->resp_type = "application/pdf";
	} else {
		hv_buf_puts(&c->body, cert.credential);
		c->resp_type = "application/vc+ld+json";
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

/* The credential's signature checks out and was made by our issuer key. */
static bool signature_ok(const struct hv_cert *cert)
{
	json_error_t je;
	json_t *doc = json_loads(cert->credential, 0, &je);
	if (!doc)
		return false;
	const char *signer = NULL;
	struct hv_error e = {0};
	bool ok = hv_credential_verify(doc, &signer, &e) == 0 && signer && !strcmp(signer, hv_issuer_did());
	json_decref(doc);
	return ok;
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
	char initials[200], date[64];
	hv_initials(cert.holder, initials, sizeof initials);
	hv_date_vi(cert.issued_at, date, sizeof date);
	hv_set_bool(d, "found", true);
	hv_set_str(d, "code", cert.code);
	hv_set_str(d, "initials", initials);
	hv_set_str(d, "course", co ? co->title : "");
	hv_set_str(d, "date", date);
	hv_set_bool(d, "revoked", cert.revoked_at != 0);
	hv_set_str(d, "reason", cert.reason);
	hv_set_bool(d, "sig_ok", signature_ok(&cert));
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

int hv_api_cert(struct hv_ctx *c)
{
	struct hv_cert cert;
	int rc = hv_cert_get(hv_store_reader(c->app->store), c->params[0], &cert);
	if (rc < 0)
		return hv_fail(c, rc == HV_EUNAVAIL ? rc : HV_ENOTFOUND, "code", "unknown certificate");
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_course *co = hv_catalog_course_id(p, cert.course_id);
	char initials[200];
	hv_initials(cert.holder, initials, sizeof initials);
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:I, s:b}", "code", cert.code, "status", cert.revoked_at ? "revoked" : "valid",
	                      "holder_initials", initials, "course", co ? co->title : "", "issued_at", (json_int_t)cert.issued_at,
	                      "signature_valid", signature_ok(&cert));
	if (cert.revoked_at)
		json_object_set_new(o, "revoked_reason", json_string(cert.reason));
	hv_cert_clear(&cert);
	c->no_store = true;
	return hv_json(c, 200, o);
}

int hv_api_issuer(struct hv_ctx *c)
{
	char vm[256];
	snprintf(vm, sizeof vm, "%s#%s", hv_issuer_did(), hv_issuer_multikey());
	json_t *o = json_pack("{s:[s,s], s:s, s:[{s:s, s:s, s:s, s:s}], s:[s], s:s}",
	                      "@context", "https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1",
	                      "id", hv_issuer_did(),
	                      "verificationMethod", "id", vm, "type", "Multikey", "controller", hv_issuer_did(),
	                      "publicKeyMultibase", hv_issuer_multikey(),
	                      "assertionMethod", vm,
	                      "name", "Bình dân học vụ số (hocvuso)");
	return hv_json(c, 200, o);
}
