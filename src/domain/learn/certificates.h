/* certificates.h: certificates as records: issue (inside the write that
 * completes a course), read, revoke, re-sign; each one's signed W3C VC 2.0
 * / Open Badges 3.0 credential (cert_doc.c) and its place in the published
 * revocation list (status_list.h). */
#ifndef HV_CERTIFICATES_H
#define HV_CERTIFICATES_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

#define HV_CERT_CODE_MAX 16

struct hv_cert {
	char code[HV_CERT_CODE_MAX];
	int64_t account_id, course_id, issued_at, revoked_at, status_seq; /* status_seq -1: none */
	bool revoked_by_holder;  /* the holder deleted their data */
	char holder[4 * 120 + 1];
	char reason[4 * 200 + 1];
	char *credential;      /* malloc'd JSON; free with hv_cert_clear */
};
/* Normalises a typed code ("hv 7k2m-qx9p" → "HV-7K2M-QX9P"); false if it
 * cannot be one. */
bool hv_cert_code_normalise(const char *in, char out[HV_CERT_CODE_MAX]);
int hv_cert_get(struct hv_conn *c, const char *code, struct hv_cert *out);   /* HV_ENOTFOUND */
void hv_cert_clear(struct hv_cert *c);
typedef void (*hv_cert_cb)(const struct hv_cert *c, void *arg);
int hv_certs_of(struct hv_conn *c, int64_t account, hv_cert_cb cb, void *arg);
int hv_cert_revoke(struct hv_store *s, const char *code, const char *reason, int64_t actor, const char *ip, struct hv_error *e);

/* Inside a write: a new certificate of course_id for the account (its code
 * in code), signed, with the next place in the status lists. */
int hv_cert_issue(struct hv_conn *c, int64_t account, const char *holder, int64_t course_id, const char *unit,
                  const char *province, int64_t now, char code[HV_CERT_CODE_MAX]);
/* Re-signs every certificate with the loaded key, the current public_url
 * and issuer name (codes, holders, dates and status places kept); a
 * holder's deleted one stays blank.  *done receives how many. */
int hv_cert_reissue(struct hv_store *s, long *done, void (*progress)(const char *, long, long), struct hv_error *e);

/* What a credential's signature is worth here. */
enum hv_cert_sig {
	HV_SIG_OURS,      /* valid, made by one of our keys */
	HV_SIG_FOREIGN,   /* valid, but by a key that is not ours (a did:key) */
	HV_SIG_BAD,       /* changed, malformed, or a key we cannot resolve */
};
/* Checks doc's proof and whose key made it; for ours, also that the
 * issuer it names is the signer.  c may be NULL (then only the loaded key
 * is ours).  e gets the reason for HV_SIG_BAD, signer the identifier that
 * signed (the verification method without its fragment). */
enum hv_cert_sig hv_cert_check(struct hv_conn *c, const json_t *doc, char *signer, size_t signer_cap, struct hv_error *e);

#endif
