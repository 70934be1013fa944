/* credential.h: verifiable certificates: the issuer's Ed25519 key, W3C
 * Verifiable Credential 2.0 / Open Badges 3.0 documents secured with the
 * eddsa-jcs-2022 cryptosuite (JSON Canonicalization Scheme + SHA-256 +
 * Ed25519), did:key identifiers, and the A4 PDF.
 *
 * The key's 32-byte seed lives in a file readable only by its owner (its
 * path is the issuer_key setting); in memory it sits in a guarded
 * libsodium allocation that is readable only while signing. */
#ifndef HV_CREDENTIAL_H
#define HV_CREDENTIAL_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"

/* Loads the issuer key from path, creating it (mode 0600) when create is
 * set and the file is missing.  Refuses an empty path, a file that group
 * or others may read, and a retired key. */
int hv_issuer_load(const char *path, bool create, struct hv_error *e);
void hv_issuer_unload(void);
/* True for a public key (multibase) whose secret was published: never
 * loaded as our key, and no credential it signed verifies. */
bool hv_issuer_key_retired(const char *multikey);
bool hv_issuer_ready(void);
/* "did:key:z6Mk…" of the loaded key. */
const char *hv_issuer_did(void);
/* The public key as multibase (z + base58btc of 0xed01 + key). */
const char *hv_issuer_multikey(void);

/* RFC 8785 canonical JSON of v into out. */
void hv_jcs(struct hv_buf *out, const json_t *v);
void hv_base58_encode(struct hv_buf *out, const unsigned char *data, size_t len);
/* Decodes into out (cap bytes); returns the length or -1. */
int hv_base58_decode(const char *s, unsigned char *out, size_t cap);

/* Adds an eddsa-jcs-2022 DataIntegrityProof to doc (which must have
 * "@context") signed with the issuer key: verificationMethod is vm (the
 * issuer's identifier, '#', the key as multibase), and the proof carries
 * the document's @context, as the Create Proof step of W3C Data Integrity
 * EdDSA Cryptosuites v1.0 (3.3.1) says; created is an ISO 8601 time. */
int hv_credential_sign(json_t *doc, const char *vm, const char *created, struct hv_error *e);

/* What a valid proof says about who signed. */
struct hv_proof_info {
	char vm[256];          /* the proof's verificationMethod */
	char controller[224];  /* vm before '#': a did:key, or an identifier such as our did:web */
	char key[64];          /* the Ed25519 public key that made the signature, as multibase */
	bool self_certifying;  /* a did:key: the identifier is the key, no one need vouch for it */
};
/* Checks the proof of a secured document (eddsa-jcs-2022 verification,
 * 3.3.2: a proof @context must open the document's).  The key is the
 * did:key itself, or the verification method's fragment when that is an
 * Ed25519 multikey (how our did:web names its keys): the signature is then
 * only as good as the caller's trust in that key for that controller.
 * HV_OK if the signature is valid; *out filled (may be NULL). */
int hv_credential_verify(const json_t *doc, struct hv_proof_info *out, struct hv_error *e);

struct hv_cert_pdf {
	const char *code, *holder, *course, *date_vi, *verify_url, *issuer;
	bool demo;  /* issued with a loopback public_url: printed as a demo */
};
/* Renders an A4 certificate PDF into out. */
int hv_cert_pdf(const struct hv_cert_pdf *c, struct hv_buf *out, struct hv_error *e);

#endif
