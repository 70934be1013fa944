/* secrets.h: values a stolen database or backup must not give away (the
 * TOTP secrets of officials) are sealed with XChaCha20-Poly1305 under the
 * secrets key, a file kept outside the database (the secrets_key setting;
 * created by `hocvuso init`, mode 0600, see core/keyfile.h).
 *
 * A sealed value is "s1:" + base64url(nonce || ciphertext || tag).  Its
 * purpose and row ("totp:42") are the associated data: a sealed value
 * copied into another account's row does not open.  The key sits in a
 * guarded libsodium allocation, readable only while sealing or opening. */
#ifndef HV_SECRETS_H
#define HV_SECRETS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

#define HV_SEALED_PREFIX "s1:"
/* The sealed length of a value of n bytes, with its NUL. */
#define HV_SEALED_SIZE(n) (3 + ((24 + (n) + 16 + 2) / 3) * 4 + 1)

/* Loads the key from path (creating it when create is set and the file is
 * missing); *created tells whether it was made now (may be NULL). */
int hv_secrets_load(const char *path, bool create, bool *created, struct hv_error *e);
void hv_secrets_unload(void);
bool hv_secrets_ready(void);

/* True when v has the sealed form (it may still fail to open). */
bool hv_sealed(const char *v);
/* Seals plain for context into out (cap bytes).  HV_EINTERNAL without a
 * key or room. */
int hv_seal(const char *context, const char *plain, char *out, size_t cap);
/* Opens a sealed value for context into out (cap bytes, NUL-terminated).
 * HV_EINVAL if it is damaged, made for another context or under another
 * key; HV_EINTERNAL without a key or room. */
int hv_unseal(const char *context, const char *sealed, char *out, size_t cap);

#endif
