/* vc_verify.h: what a credential handed to us is worth, decided once for
 * everyone who asks: `hocvuso cert verify`, the verify page and the VC
 * API's POST /api/v1/credentials/verify.
 *
 * A VC 2.0 credential secured with a DataIntegrityProof / eddsa-jcs-2022 is
 * checked as the Verify Proof algorithm of W3C vc-di-eddsa (3.3.2) says
 * (credential.c), then its validity period, then each credentialStatus
 * entry that points at our own Bitstring Status Lists, then — when our key
 * signed it as the issuer's did:web — that it is a certificate on record
 * and not revoked.  A proof by a did:key that is not ours is a valid
 * signature from elsewhere: nobody here vouches for its issuer. */
#ifndef HV_VC_VERIFY_H
#define HV_VC_VERIFY_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/learn/certificates.h"
#include "store/store.h"

/* The type every credential signed through POST /api/v1/credentials/issue
 * carries; such a credential is never shown as a course certificate. */
#define HV_VC_API_TYPE "HocvusoApiCredential"

enum hv_vc_verdict {
	HV_VC_CERT_VALID,       /* one of our certificates, on record, not revoked */
	HV_VC_CERT_REVOKED,     /* ours, revoked (by an administrator or at the holder's request) */
	HV_VC_SIGNED_ELSEWHERE, /* valid signature by a did:key that is not ours */
	HV_VC_SIGNED_API,       /* valid, signed by our key through the VC API: not a certificate */
	HV_VC_INVALID,          /* malformed, changed, unknown key, out of its validity period, revoked in a list … */
	HV_VC_UNKNOWN,          /* the database could not be read: ask again */
};

#define HV_VC_MAX_NOTES 4

/* One error or warning, as W3C problem details: kind is the error's name
 * in VC Data Model 2.0 / Data Integrity (PARSING_ERROR,
 * PROOF_VERIFICATION_ERROR, …), text says why in English. */
struct hv_vc_note {
	const char *kind;
	char text[240];
};

struct hv_vc_result {
	enum hv_vc_verdict verdict;
	bool proof_checked, validity_checked, status_checked, record_checked;
	bool revoked_by_holder;
	char code[HV_CERT_CODE_MAX];  /* our certificate's code, or "" */
	char signer[256];             /* the verification method's controller */
	char reason[4 * 200 + 1];     /* why an administrator revoked it */
	struct hv_vc_note errors[HV_VC_MAX_NOTES], warnings[HV_VC_MAX_NOTES];
	int nerrors, nwarnings;
};

/* Decides doc's verdict at time now (Unix seconds).  c may be NULL (no
 * database: only the loaded key is ours, records and lists unchecked, said
 * in a warning).  Never fails: the verdict says what happened. */
void hv_vc_verify(struct hv_conn *c, const json_t *doc, int64_t now, struct hv_vc_result *out);

/* True for the verdicts a verifier may accept. */
bool hv_vc_verified(const struct hv_vc_result *r);

/* The VC API's answer: {"verified", "checks", "warnings", "errors",
 * "verdict", "signer"[, "code"]}; errors and warnings as problem details
 * ({"type", "title", "detail"}). */
json_t *hv_vc_result_json(const struct hv_vc_result *r);

/* A problem detail for an error found before verification (bad JSON, a
 * missing member): the same shape as the result's errors. */
json_t *hv_vc_problem(const char *kind, const char *detail);

#endif
