/* issuer.h: who signs certificates and with which keys.
 *
 * The issuer is did:web of public_url (did:web:hocvuso.example, or
 * did:web:host%3A8080:path with a port and a path): its DID document
 * (/.well-known/did.json) lists every key the issuer has had, each named by
 * its multibase public key (did:web:…#z6Mk…), so credentials signed before
 * `hocvuso cert rotate-key` still verify.  The keys are rows of issuer_keys;
 * the secret half of the current one is the issuer_key file (credential.h).
 * A public_url on a loopback address makes demo credentials, marked so. */
#ifndef HV_ISSUER_H
#define HV_ISSUER_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/learn/credential.h"
#include "store/store.h"

#define HV_ISSUER_NAME_DEFAULT "Phong trào Bình dân học vụ số"

/* Sets the issuing body's name (setting issuer_name) and the public URL
 * (hv_learn_public_url) the identifier is made from.  Once, at start-up. */
void hv_issuer_configure(const char *public_url, const char *name);
const char *hv_issuer_id(void);    /* "did:web:…" */
const char *hv_issuer_name(void);
const char *hv_issuer_url(void);   /* public_url, no trailing slash */
/* True when public_url names this machine (localhost, 127.x, [::1]). */
bool hv_issuer_demo(void);
bool hv_url_is_loopback(const char *url);
/* "did:web:…#z6Mk…" of the loaded key, into out. */
void hv_issuer_vm(char *out, size_t cap);

/* Records the loaded key in issuer_keys if it is not there yet. */
int hv_issuer_register(struct hv_store *s, struct hv_error *e);
/* 1 if the multikey is one of ours (in issuer_keys, or the loaded one) and
 * not retired, 0 if not, < 0 if the database could not be read. */
int hv_issuer_key_known(struct hv_conn *c, const char *multikey);

struct hv_issuer_key {
	char multikey[64];
	int64_t created_at, replaced_at;  /* replaced_at 0: the current key */
};
/* Every key ever recorded, oldest first, retired ones left out; returns
 * how many (at most max) or < 0. */
int hv_issuer_keys(struct hv_conn *c, struct hv_issuer_key *out, int max);
/* Records multikey as the current key and the others as replaced. */
int hv_issuer_rotate(struct hv_store *s, const char *multikey, struct hv_error *e);

#endif
