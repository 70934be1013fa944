/* vc_verify.c: one verdict on a credential (see vc_verify.h). */
#include "domain/learn/vc_verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/learn/issuer.h"
#include "domain/learn/status_list.h"

static void note(struct hv_vc_note *list, int *n, const char *kind, const char *fmt, ...)
{
	if (*n >= HV_VC_MAX_NOTES)
		return;
	struct hv_vc_note *x = &list[(*n)++];
	x->kind = kind;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->text, sizeof x->text, fmt, ap);
	va_end(ap);
}

#define FAIL(r, kind, ...) note((r)->errors, &(r)->nerrors, kind, __VA_ARGS__)
#define WARN(r, kind, ...) note((r)->warnings, &(r)->nwarnings, kind, __VA_ARGS__)

/* An XML Schema dateTimeStamp ("2026-12-08T09:30:00Z", fractions and an
 * offset allowed, the zone required) into Unix seconds. */
static bool parse_stamp(const char *s, int64_t *out)
{
	int y, mo, d, h, mi, sec, n = 0;
	if (!s || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 || n != 19)
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59 || y < 1 || h < 0 || mi < 0 || sec < 0)
		return false;
	const char *p = s + n;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return false;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	int offset = 0;
	if (*p == 'Z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		int oh, om, k = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &oh, &om, &k) != 2 || k != 5 || oh > 14 || om > 59)
			return false;
		offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
		p += 6;
	} else {
		return false;
	}
	if (*p)
		return false;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec};
	time_t t = timegm(&tm);
	if (tm.tm_mday != d) /* 31 February */
		return false;
	*out = (int64_t)t - offset;
	return true;
}

static bool has_type(const json_t *doc, const char *want)
{
	json_t *t = json_object_get(doc, "type");
	if (json_is_string(t))
		return !strcmp(json_string_value(t), want);
	size_t i;
	json_t *v;
	json_array_foreach(t, i, v) if (json_is_string(v) && !strcmp(json_string_value(v), want)) return true;
	return false;
}

/* The shape a VC 2.0 credential must have before its proof is worth
 * checking. */
static bool well_formed(const json_t *doc, struct hv_vc_result *r)
{
	if (!json_is_object(doc)) {
		FAIL(r, "PARSING_ERROR", "the credential is not a JSON object");
		return false;
	}
	json_t *ctx = json_object_get(doc, "@context");
	json_t *first = json_is_array(ctx) ? json_array_get(ctx, 0) : ctx;
	if (!json_is_string(first) || strcmp(json_string_value(first), "https://www.w3.org/ns/credentials/v2") != 0) {
		FAIL(r, "PARSING_ERROR", "the first @context must be https://www.w3.org/ns/credentials/v2 (a VC 2.0 credential)");
		return false;
	}
	if (!has_type(doc, "VerifiableCredential")) {
		FAIL(r, "PARSING_ERROR", "type must include VerifiableCredential");
		return false;
	}
	json_t *subject = json_object_get(doc, "credentialSubject");
	if (!json_is_object(subject) && !(json_is_array(subject) && json_array_size(subject))) {
		FAIL(r, "PARSING_ERROR", "credentialSubject is missing");
		return false;
	}
	json_t *iss = json_object_get(doc, "issuer");
	if (!json_is_string(iss) && !json_is_string(json_object_get(iss, "id"))) {
		FAIL(r, "PARSING_ERROR", "issuer must be a URL or an object with an id");
		return false;
	}
	json_t *proof = json_object_get(doc, "proof");
	if (!json_is_object(proof)) {
		FAIL(r, "MALFORMED_PROOF_ERROR", json_is_array(proof) ? "proof sets are not supported: one proof expected"
		                                                      : "the credential has no proof");
		return false;
	}
	const char *type = json_string_value(json_object_get(proof, "type"));
	const char *suite = json_string_value(json_object_get(proof, "cryptosuite"));
	if (!type || strcmp(type, "DataIntegrityProof") != 0 || !suite || strcmp(suite, "eddsa-jcs-2022") != 0) {
		FAIL(r, "PROOF_VERIFICATION_ERROR", "the proof is %.60s / %.60s: only DataIntegrityProof / eddsa-jcs-2022 is verified here",
		     type ? type : "(no type)", suite ? suite : "(no cryptosuite)");
		return false;
	}
	const char *purpose = json_string_value(json_object_get(proof, "proofPurpose"));
	if (!purpose || strcmp(purpose, "assertionMethod") != 0) {
		FAIL(r, "MISMATCHED_PROOF_PURPOSE_ERROR", "the proof's purpose must be assertionMethod");
		return false;
	}
	json_t *created = json_object_get(proof, "created");
	int64_t t;
	if (created && !parse_stamp(json_string_value(created), &t)) {
		FAIL(r, "MALFORMED_PROOF_ERROR", "the proof's created is not a date and time with a time zone");
		return false;
	}
	return true;
}

/* validFrom, validUntil and the proof's expires against now. */
static bool in_period(const json_t *doc, int64_t now, struct hv_vc_result *r)
{
	r->validity_checked = true;
	static const char *const names[] = {"validFrom", "validUntil"};
	for (int i = 0; i < 2; i++) {
		json_t *v = json_object_get(doc, names[i]);
		int64_t t;
		if (!v)
			continue;
		if (!parse_stamp(json_string_value(v), &t)) {
			FAIL(r, "MALFORMED_VALUE_ERROR", "%s is not a date and time with a time zone", names[i]);
			return false;
		}
		if (i == 0 && t > now) {
			FAIL(r, "RANGE_ERROR", "the credential is not valid before %.40s", json_string_value(v));
			return false;
		}
		if (i == 1 && t < now) {
			FAIL(r, "RANGE_ERROR", "the credential expired at %.40s", json_string_value(v));
			return false;
		}
	}
	json_t *expires = json_object_get(json_object_get(doc, "proof"), "expires");
	int64_t t;
	if (expires && (!parse_stamp(json_string_value(expires), &t) || t < now)) {
		FAIL(r, "PROOF_VERIFICATION_ERROR", "the proof has expired, or its expires is not a date and time");
		return false;
	}
	return true;
}

/* One BitstringStatusListEntry: ours is read (a revoked bit fails the
 * credential); another issuer's is left unchecked, said in a warning. */
static bool status_entry_ok(struct hv_conn *c, const json_t *st, struct hv_vc_result *r)
{
	const char *type = json_string_value(json_object_get(st, "type"));
	const char *list = json_string_value(json_object_get(st, "statusListCredential"));
	const char *idx = json_string_value(json_object_get(st, "statusListIndex"));
	const char *purpose = json_string_value(json_object_get(st, "statusPurpose"));
	if (!type || strcmp(type, "BitstringStatusListEntry") != 0) {
		WARN(r, "STATUS_NOT_CHECKED", "a credentialStatus of type %.60s is not checked here", type ? type : "(none)");
		return true;
	}
	if (!list || !idx || !purpose) {
		FAIL(r, "MALFORMED_VALUE_ERROR", "a BitstringStatusListEntry needs statusListCredential, statusListIndex and statusPurpose");
		return false;
	}
	char ours[400];
	hv_status_list_url(1, ours, sizeof ours);
	size_t prefix = strlen(ours) - 1; /* ".../api/v1/status/" */
	if (strncmp(list, ours, prefix) != 0) {
		WARN(r, "STATUS_NOT_CHECKED", "the status list %.150s is another issuer's: not fetched here", list);
		return true;
	}
	char *nend, *iend;
	long long n = strtoll(list + prefix, &nend, 10), i = strtoll(idx, &iend, 10);
	if (n < 1 || *nend || nend == list + prefix || !*idx || *iend || i < 0 || i >= HV_STATUS_LIST_BITS) {
		FAIL(r, "RANGE_ERROR", "status list %.120s index %.20s is out of range (0 to %d)", list, idx, HV_STATUS_LIST_BITS - 1);
		return false;
	}
	if (!c) {
		WARN(r, "STATUS_NOT_CHECKED", "no database: revocation not checked");
		return true;
	}
	bool set;
	if (hv_status_bit(c, (n - 1) * HV_STATUS_LIST_BITS + i, &set) < 0) {
		FAIL(r, "STATUS_RETRIEVAL_ERROR", "the status list cannot be read now");
		r->verdict = HV_VC_UNKNOWN;
		return false;
	}
	r->status_checked = true;
	if (set) {
		FAIL(r, "STATUS_VERIFICATION_ERROR", "the status list marks it %s", !strcmp(purpose, "suspension") ? "suspended" : "revoked");
		return false;
	}
	return true;
}

static bool status_ok(struct hv_conn *c, const json_t *doc, struct hv_vc_result *r)
{
	json_t *st = json_object_get(doc, "credentialStatus");
	if (!st)
		return true;
	if (json_is_object(st))
		return status_entry_ok(c, st, r);
	if (!json_is_array(st)) {
		FAIL(r, "MALFORMED_VALUE_ERROR", "credentialStatus must be an object or a list of objects");
		return false;
	}
	size_t i;
	json_t *v;
	json_array_foreach(st, i, v) if (!status_entry_ok(c, v, r)) return false;
	return true;
}

/* Signed by our key as our did:web: a certificate, which must be on record
 * (its code is the last segment of its id) and not revoked. */
static void certificate(struct hv_conn *c, const json_t *doc, struct hv_vc_result *r)
{
	const char *id = json_string_value(json_object_get(doc, "id"));
	const char *slash = id ? strrchr(id, '/') : NULL;
	if (!slash || !hv_cert_code_normalise(slash + 1, r->code)) {
		r->code[0] = '\0';
		FAIL(r, "PROOF_VERIFICATION_ERROR", "signed by this issuer, but no certificate code in its id");
		r->verdict = HV_VC_INVALID;
		return;
	}
	if (!c) {
		WARN(r, "STATUS_NOT_CHECKED", "no database: revocation not checked");
		r->verdict = HV_VC_CERT_VALID;
		return;
	}
	struct hv_cert cert;
	int g = hv_cert_get(c, r->code, &cert);
	if (g == HV_ENOTFOUND) {
		FAIL(r, "PROOF_VERIFICATION_ERROR", "signed, but %s is not in this database", r->code);
		r->verdict = HV_VC_INVALID;
		return;
	}
	if (g < 0) {
		FAIL(r, "STATUS_RETRIEVAL_ERROR", "the certificates cannot be read now");
		r->verdict = HV_VC_UNKNOWN;
		return;
	}
	r->record_checked = true;
	if (cert.revoked_at) {
		r->verdict = HV_VC_CERT_REVOKED;
		r->revoked_by_holder = cert.revoked_by_holder;
		snprintf(r->reason, sizeof r->reason, "%s", cert.revoked_by_holder ? "" : cert.reason);
		if (!r->nerrors) /* else the status list said so already */
			FAIL(r, "STATUS_VERIFICATION_ERROR", "%s was revoked%s", r->code, cert.revoked_by_holder ? " at the holder's request" : "");
	} else {
		r->verdict = HV_VC_CERT_VALID;
	}
	hv_cert_clear(&cert);
}

void hv_vc_verify(struct hv_conn *c, const json_t *doc, int64_t now, struct hv_vc_result *r)
{
	memset(r, 0, sizeof *r);
	r->verdict = HV_VC_INVALID;
	if (!well_formed(doc, r))
		return;
	struct hv_error e = {0};
	enum hv_cert_sig sig = hv_cert_check(c, doc, r->signer, sizeof r->signer, &e);
	r->proof_checked = true;
	if (sig == HV_SIG_BAD) {
		if (e.code == HV_EUNAVAIL)
			r->verdict = HV_VC_UNKNOWN;
		FAIL(r, e.code == HV_EUNAVAIL ? "STATUS_RETRIEVAL_ERROR" : "PROOF_VERIFICATION_ERROR", "%s", e.msg);
		return;
	}
	if (!c && sig == HV_SIG_OURS)
		WARN(r, "STATUS_NOT_CHECKED", "no database: only the loaded key is known");
	if (!in_period(doc, now, r))
		return;
	bool listed_ok = status_ok(c, doc, r);
	if (r->verdict == HV_VC_UNKNOWN)
		return;
	/* One of our certificates: its record says revoked or not (the list's
	 * bit says the same; both are read). */
	if (sig == HV_SIG_OURS && strncmp(r->signer, "did:key:", 8) != 0) {
		certificate(c, doc, r);
		if (!listed_ok && r->verdict == HV_VC_CERT_VALID)
			r->verdict = HV_VC_INVALID; /* a list that disagrees with the record: trust neither */
		return;
	}
	if (!listed_ok)
		return;
	if (sig == HV_SIG_FOREIGN) {
		r->verdict = HV_VC_SIGNED_ELSEWHERE;
		WARN(r, "ISSUER_NOT_VOUCHED", "signed by %.150s, which is not this issuer: the signature is sound, the issuer unknown here",
		     r->signer);
		return;
	}
	/* Ours through the VC API: a did:key, never a certificate. */
	{
		if (!has_type(doc, HV_VC_API_TYPE)) {
			FAIL(r, "PROOF_VERIFICATION_ERROR", "signed by this issuer's key but not as this issuer issues");
			return;
		}
		r->verdict = HV_VC_SIGNED_API;
		WARN(r, "NOT_A_CERTIFICATE", "issued through the VC API: not a course certificate");
		return;
	}
}

bool hv_vc_verified(const struct hv_vc_result *r)
{
	return r->verdict == HV_VC_CERT_VALID || r->verdict == HV_VC_SIGNED_ELSEWHERE || r->verdict == HV_VC_SIGNED_API;
}

/* Where each kind of problem is defined. */
static const char *problem_type(const char *kind)
{
	static const char *const vcdm[] = {"PARSING_ERROR", "CRYPTOGRAPHIC_SECURITY_ERROR", "MALFORMED_VALUE_ERROR", "RANGE_ERROR"};
	for (size_t i = 0; i < sizeof vcdm / sizeof vcdm[0]; i++)
		if (!strcmp(kind, vcdm[i]))
			return "https://www.w3.org/TR/vc-data-model#";
	if (!strncmp(kind, "STATUS_", 7))
		return "https://www.w3.org/TR/vc-bitstring-status-list#";
	if (!strcmp(kind, "ISSUER_NOT_VOUCHED") || !strcmp(kind, "NOT_A_CERTIFICATE") || !strcmp(kind, "UNAUTHORIZED") ||
	    !strcmp(kind, "RATE_LIMITED") || !strcmp(kind, "PROCESSING_ERROR"))
		return "urn:hocvuso:";
	return "https://w3id.org/security#";
}

json_t *hv_vc_problem(const char *kind, const char *detail)
{
	char type[160];
	snprintf(type, sizeof type, "%s%s", problem_type(kind), kind);
	return json_pack("{s:s, s:s, s:s}", "type", type, "title", kind, "detail", detail);
}

static const char *verdict_name(enum hv_vc_verdict v)
{
	static const char *const names[] = {"certificate", "revoked", "signed_elsewhere", "issued_by_api", "invalid", "unknown"};
	return names[v];
}

json_t *hv_vc_result_json(const struct hv_vc_result *r)
{
	json_t *checks = json_array(), *errors = json_array(), *warnings = json_array();
	if (r->proof_checked)
		json_array_append_new(checks, json_string("proof"));
	if (r->validity_checked)
		json_array_append_new(checks, json_string("validity"));
	if (r->status_checked)
		json_array_append_new(checks, json_string("credentialStatus"));
	if (r->record_checked)
		json_array_append_new(checks, json_string("record"));
	for (int i = 0; i < r->nerrors; i++)
		json_array_append_new(errors, hv_vc_problem(r->errors[i].kind, r->errors[i].text));
	for (int i = 0; i < r->nwarnings; i++)
		json_array_append_new(warnings, hv_vc_problem(r->warnings[i].kind, r->warnings[i].text));
	json_t *o = json_pack("{s:b, s:o, s:o, s:o, s:s, s:s}", "verified", hv_vc_verified(r), "checks", checks, "warnings",
	                      warnings, "errors", errors, "verdict", verdict_name(r->verdict), "signer", r->signer);
	if (r->code[0])
		json_object_set_new(o, "code", json_string(r->code));
	return o;
}
