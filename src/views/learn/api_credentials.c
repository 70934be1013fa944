/* api_credentials.c: the VC API (https://w3c-ccg.github.io/vc-api/) as the
 * W3C conformance suites drive it.
 *
 * POST /api/v1/credentials/verify: public, limited per client address
 * (verify_per_minute) and to the anonymous body limit (64 KiB).  The
 * verdict is vc_verify.c's, the same as `hocvuso cert verify` and the
 * verify page: 200 when verified, 422 when the credential does not hold
 * up, 400 when it is not a credential at all; always the VC API's shape.
 *
 * POST /api/v1/credentials/issue: only for a token made with
 * `--scope issue` (the route table's rule).  Signs a supplied credential
 * with our key as our did:key under the rules of docs/api.md: VC 2.0, the
 * accepted contexts, no Open Badges or status-list types (never a
 * lookalike of a course certificate), issuer our did:key, no proof or
 * status of its own.  The signed credential carries the type
 * HocvusoApiCredential, which vc_verify.c never calls a certificate, and
 * an audit row names the token's account. */
#include "views/pages.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/window_limit.h"
#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/learn/vc_verify.h"
#include "domain/people/auth.h"
#include "domain/people/audit.h"
#include "domain/people/signin.h"

#define VC_MAX_BYTES (64 * 1024) /* the anonymous body limit: one credential, generously */

static struct hv_window_limit *limiter;
static pthread_once_t limiter_once = PTHREAD_ONCE_INIT;

static void make_limiter(void)
{
	limiter = hv_window_limit_new(8192); /* lives as long as the process */
}

/* An answer in the VC API's shape that verifies nothing: status and one
 * problem. */
static int vc_refuse(struct hv_ctx *c, int status, const char *kind, const char *detail)
{
	json_t *errors = json_array();
	json_array_append_new(errors, hv_vc_problem(kind, detail));
	json_t *o = json_pack("{s:b, s:[], s:[], s:o, s:s, s:s}", "verified", 0, "checks", "warnings", "errors", errors, "error",
	                      status == 429 ? "rate_limited" : "invalid", "message", detail);
	c->no_store = true;
	return hv_json(c, status, o);
}

int hv_api_vc_verify(struct hv_ctx *c)
{
	char key[64];
	hv_ip_key(c->ip, key);
	pthread_once(&limiter_once, make_limiter);
	if (!hv_window_limit_take(limiter, key, c->app->cfg->verify_per_minute, 60, (int64_t)time(NULL)))
		return vc_refuse(c, 429, "RATE_LIMITED", "too many verifications from this address: try again in a minute");
	if (!c->json)
		return vc_refuse(c, 400, "PARSING_ERROR",
		                 "send {\"verifiableCredential\": {...}} as JSON (Content-Type: application/json or application/ld+json)");
	json_t *vc = json_object_get(c->json, "verifiableCredential");
	if (!json_is_object(vc))
		return vc_refuse(c, 400, "PARSING_ERROR", "verifiableCredential is missing or not a JSON object");
	json_t *options = json_object_get(c->json, "options");
	if (options && !json_is_object(options))
		return vc_refuse(c, 400, "PARSING_ERROR", "options must be a JSON object");
	struct hv_vc_result r;
	hv_vc_verify(hv_store_reader(c->app->store), vc, (int64_t)time(NULL), &r);
	if (r.verdict == HV_VC_UNKNOWN)
		return hv_fail(c, HV_EUNAVAIL, NULL, "the certificates cannot be read now, try again");
	int status = hv_vc_verified(&r) ? 200 : r.proof_checked ? 422 : 400;
	c->no_store = true;
	return hv_json(c, status, hv_vc_result_json(&r));
}

/* ---- issue ---- */

static const char *const accepted_contexts[] = {
	"https://www.w3.org/ns/credentials/v2",
	"https://w3id.org/security/data-integrity/v2",
	"https://www.w3.org/ns/credentials/examples/v2",
};

/* Types that would dress a credential as a certificate, a status list or
 * something else this issuer makes only its own way. */
static const char *const refused_types[] = {
	"OpenBadgeCredential",   "AchievementCredential",       "EndorsementCredential", "ClrCredential",
	"BitstringStatusListCredential", "VerifiablePresentation",
};

static bool in_list(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

#define N(a) (sizeof a / sizeof a[0])

/* NULL if credential may be signed here, else why not. */
static const char *issue_problem(struct hv_ctx *c, const json_t *cred)
{
	json_t *ctx = json_object_get(cred, "@context");
	if (!json_is_array(ctx) || !json_array_size(ctx) || !json_is_string(json_array_get(ctx, 0)) ||
	    strcmp(json_string_value(json_array_get(ctx, 0)), accepted_contexts[0]) != 0)
		return "@context must be a list opening with https://www.w3.org/ns/credentials/v2 (VC 2.0)";
	size_t i;
	json_t *v;
	json_array_foreach(ctx, i, v) {
		if (!json_is_string(v) || !in_list(json_string_value(v), accepted_contexts, N(accepted_contexts)))
			return hv_arena_printf(c->arena, "the context %.120s is not accepted here (accepted: the VC 2.0, Data Integrity 2 and "
			                                 "VC examples contexts)", json_is_string(v) ? json_string_value(v) : "(not a URL)");
	}
	json_t *type = json_object_get(cred, "type");
	bool vc = false;
	if (json_is_string(type)) {
		vc = !strcmp(json_string_value(type), "VerifiableCredential");
	} else if (json_is_array(type)) {
		json_array_foreach(type, i, v) {
			if (!json_is_string(v))
				return "type must be a list of names";
			if (in_list(json_string_value(v), refused_types, N(refused_types)))
				return hv_arena_printf(c->arena, "the type %s is not issued through the API (certificates come only from "
				                                 "completing a course)", json_string_value(v));
			vc |= !strcmp(json_string_value(v), "VerifiableCredential");
		}
	}
	if (!vc)
		return "type must include VerifiableCredential";
	json_t *iss = json_object_get(cred, "issuer");
	const char *issuer = json_is_string(iss) ? json_string_value(iss) : json_string_value(json_object_get(iss, "id"));
	if (!issuer || strcmp(issuer, hv_issuer_did()) != 0)
		return hv_arena_printf(c->arena, "issuer must be this issuer's did:key, %s", hv_issuer_did());
	json_t *subject = json_object_get(cred, "credentialSubject");
	if (!json_is_object(subject) && !(json_is_array(subject) && json_array_size(subject)))
		return "credentialSubject is missing";
	if (json_object_get(cred, "proof"))
		return "the credential already has a proof";
	if (json_object_get(cred, "credentialStatus"))
		return "credentialStatus is not accepted: credentials issued through the API have no status list";
	json_t *id = json_object_get(cred, "id");
	if (id && (!json_is_string(id) || !strncmp(json_string_value(id), hv_issuer_url(), strlen(hv_issuer_url()))))
		return "id must be a URL outside this site (a urn:uuid: is usual)";
	return NULL;
}

int hv_api_vc_issue(struct hv_ctx *c)
{
	if (!hv_issuer_ready())
		return hv_fail(c, HV_EUNAVAIL, NULL, "the issuer key is not loaded");
	if (!c->json)
		return vc_refuse(c, 400, "PARSING_ERROR", "send {\"credential\": {...}} as JSON");
	if (c->body_len > VC_MAX_BYTES)
		return vc_refuse(c, 413, "PARSING_ERROR", "a credential to sign is limited to 64 KiB");
	json_t *cred = json_object_get(c->json, "credential");
	if (!json_is_object(cred))
		return vc_refuse(c, 400, "PARSING_ERROR", "credential is missing or not a JSON object");
	json_t *options = json_object_get(c->json, "options");
	if (options && !json_is_object(options))
		return vc_refuse(c, 400, "PARSING_ERROR", "options must be a JSON object");
	const char *opt;
	json_t *ov;
	json_object_foreach(options, opt, ov)
		return vc_refuse(c, 400, "PARSING_ERROR", hv_arena_printf(c->arena, "the option %.60s is not supported", opt));
	const char *problem = issue_problem(c, cred);
	if (problem)
		return vc_refuse(c, 400, "MALFORMED_VALUE_ERROR", problem);
	json_t *doc = json_deep_copy(cred);
	json_t *type = json_object_get(doc, "type");
	if (json_is_string(type))
		json_object_set_new(doc, "type", type = json_pack("[s]", json_string_value(type)));
	json_array_append_new(type, json_string(HV_VC_API_TYPE));
	char vm[256], created[32];
	snprintf(vm, sizeof vm, "%s#%s", hv_issuer_did(), hv_issuer_multikey());
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(created, sizeof created, "%Y-%m-%dT%H:%M:%SZ", &tm);
	struct hv_error e = {0};
	const char *id = json_string_value(json_object_get(doc, "id"));
	/* The audit row first: nothing is handed out unrecorded. */
	int rc = hv_audit_write(c->app->store, c->who->acct.id, "vc.issue", id ? id : "(no id)", NULL, "VC API", c->ip);
	if (rc < 0) {
		json_decref(doc);
		return hv_fail(c, HV_EUNAVAIL, NULL, "the audit log cannot be written: nothing was signed");
	}
	if (hv_credential_sign(doc, vm, created, &e) < 0) {
		json_decref(doc);
		return hv_fail_err(c, &e);
	}
	c->no_store = true;
	return hv_json(c, 201, json_pack("{s:o}", "verifiableCredential", doc));
}
