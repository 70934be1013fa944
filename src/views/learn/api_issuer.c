/* api_issuer.c: what outside verifiers fetch: a certificate's public
 * status (/api/v1/certificates/CODE), the issuer's DID document with every
 * key it has had (/api/v1/issuer, /.well-known/did.json: did:web), and the
 * signed revocation lists (/api/v1/status/N, application/vc). */
#include "views/pages.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "core/num.h"
#include "domain/learn/issuer.h"
#include "domain/learn/learning.h"
#include "domain/learn/status_list.h"
#include "views/learn/cert_status.h"

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
	bool sig_ok, demo;
	int status = hv_cert_status(c, &cert, &sig_ok, &demo);
	if (status < 0) {
		hv_cert_clear(&cert);
		return hv_fail(c, HV_EUNAVAIL, NULL, "the certificates cannot be read now, try again");
	}
	static const char *const names[] = {"valid", "revoked", "revoked", "unknown"};
	json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:b, s:b}", "code", cert.code, "status", names[status],
	                      "holder", cert.holder, "holder_initials", initials, "course", co ? co->title : "", "issuer",
	                      hv_issuer_name(), "issued_at", (json_int_t)cert.issued_at, "signature_valid", sig_ok,
	                      "revoked_by_holder", status == HV_CERT_REVOKED_BY_HOLDER, "demo", demo);
	if (cert.revoked_at) {
		json_object_set_new(o, "revoked_reason", json_string(cert.reason));
		json_object_set_new(o, "revoked_at", json_integer(cert.revoked_at));
	}
	hv_cert_clear(&cert);
	c->no_store = true;
	return hv_json(c, 200, o);
}

#define MAX_KEYS 64

int hv_api_issuer(struct hv_ctx *c)
{
	struct hv_issuer_key keys[MAX_KEYS];
	int n = hv_issuer_keys(hv_store_reader(c->app->store), keys, MAX_KEYS);
	if (n < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, "the issuer keys cannot be read, try again");
	const char *id = hv_issuer_id();
	json_t *vms = json_array(), *assert = json_array(), *aka = json_array();
	bool have_loaded = false;
	for (int i = 0; i <= n; i++) {
		const char *mk = i < n ? keys[i].multikey : hv_issuer_multikey();
		if (i == n && (have_loaded || !hv_issuer_ready()))
			break;
		have_loaded |= !strcmp(mk, hv_issuer_multikey());
		char vm[400], dk[96];
		snprintf(vm, sizeof vm, "%.320s#%.63s", id, mk);
		snprintf(dk, sizeof dk, "did:key:%.63s", mk);
		json_array_append_new(vms, json_pack("{s:s, s:s, s:s, s:s}", "id", vm, "type", "Multikey", "controller", id,
		                                     "publicKeyMultibase", mk));
		json_array_append_new(assert, json_string(vm));
		/* Certificates signed before did:web named the key as a did:key. */
		json_array_append_new(aka, json_string(dk));
	}
	json_t *o = json_pack("{s:[s,s], s:s, s:o, s:o, s:o, s:s}", "@context", "https://www.w3.org/ns/did/v1",
	                      "https://w3id.org/security/multikey/v1", "id", id, "verificationMethod", vms, "assertionMethod", assert,
	                      "alsoKnownAs", aka, "name", hv_issuer_name());
	return hv_json(c, 200, o);
}

int hv_api_status_list(struct hv_ctx *c)
{
	int64_t list;
	if (hv_parse_i64(c->params[0], 1, INT64_MAX / HV_STATUS_LIST_BITS, &list) < 0)
		return hv_fail(c, HV_ENOTFOUND, "list", "Không có danh sách trạng thái này. / No such status list.");
	struct hv_error e = {0};
	hv_buf_reset(&c->body);
	if (hv_status_list_get(hv_store_reader(c->app->store), list, &c->body, &e) < 0) {
		hv_buf_reset(&c->body);
		return hv_fail_err(c, &e);
	}
	c->status = 200;
	c->resp_type = "application/vc";
	c->cache_control = "public, max-age=60";
	return HV_OK;
}
