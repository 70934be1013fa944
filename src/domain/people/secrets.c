/* secrets.c: sealing values under the secrets key (see secrets.h). */
#include "domain/people/secrets.h"

#include <pthread.h>
#include <sodium.h>
#include <string.h>

#include "core/keyfile.h"

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64 sodium_base64_VARIANT_URLSAFE_NO_PADDING
#define MAX_PLAIN 256

static unsigned char *key; /* sodium_malloc'd, noaccess unless in use */
/* Several threads seal and open: the key is made readable and hidden
 * again under one lock, so no thread hides it while another reads it. */
static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;

_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == HV_KEY_BYTES, "a key file holds the AEAD key");
_Static_assert(NONCE == 24 && TAG == 16, "HV_SEALED_SIZE counts a 24-byte nonce and a 16-byte tag");

int hv_secrets_load(const char *path, bool create, bool *created, struct hv_error *e)
{
	unsigned char k[HV_KEY_BYTES];
	int rc = hv_keyfile_load(path, "secrets_key", create, k, created, e);
	if (rc < 0)
		return rc;
	hv_secrets_unload();
	key = sodium_malloc(HV_KEY_BYTES);
	if (!key) {
		sodium_memzero(k, sizeof k);
		return hv_err_set(e, HV_EINTERNAL, NULL, "out of memory");
	}
	memcpy(key, k, sizeof k);
	sodium_memzero(k, sizeof k);
	sodium_mprotect_noaccess(key);
	return HV_OK;
}

void hv_secrets_unload(void)
{
	if (key) {
		sodium_mprotect_readwrite(key);
		sodium_free(key);
		key = NULL;
	}
}

bool hv_secrets_ready(void)
{
	return key != NULL;
}

bool hv_sealed(const char *v)
{
	return v && !strncmp(v, HV_SEALED_PREFIX, strlen(HV_SEALED_PREFIX));
}

int hv_seal(const char *context, const char *plain, char *out, size_t cap)
{
	size_t n = strlen(plain);
	unsigned char box[NONCE + MAX_PLAIN + TAG];
	if (!key || n > MAX_PLAIN || cap < HV_SEALED_SIZE(n))
		return HV_EINTERNAL;
	randombytes_buf(box, NONCE);
	pthread_mutex_lock(&key_lock);
	sodium_mprotect_readonly(key);
	crypto_aead_xchacha20poly1305_ietf_encrypt(box + NONCE, NULL, (const unsigned char *)plain, n, (const unsigned char *)context,
	                                           strlen(context), NULL, box, key);
	sodium_mprotect_noaccess(key);
	pthread_mutex_unlock(&key_lock);
	size_t p = strlen(HV_SEALED_PREFIX);
	memcpy(out, HV_SEALED_PREFIX, p);
	sodium_bin2base64(out + p, cap - p, box, NONCE + n + TAG, B64);
	sodium_memzero(box, sizeof box);
	return HV_OK;
}

int hv_unseal(const char *context, const char *sealed, char *out, size_t cap)
{
	if (!key)
		return HV_EINTERNAL;
	if (!hv_sealed(sealed))
		return HV_EINVAL;
	const char *b64 = sealed + strlen(HV_SEALED_PREFIX);
	unsigned char box[NONCE + MAX_PLAIN + TAG];
	size_t len = 0;
	if (sodium_base642bin(box, sizeof box, b64, strlen(b64), NULL, &len, NULL, B64) != 0 || len < NONCE + TAG)
		return HV_EINVAL;
	unsigned long long n = 0;
	if (len - NONCE - TAG + 1 > cap)
		return HV_EINTERNAL;
	pthread_mutex_lock(&key_lock);
	sodium_mprotect_readonly(key);
	int rc = crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)out, &n, NULL, box + NONCE, len - NONCE,
	                                                    (const unsigned char *)context, strlen(context), box, key);
	sodium_mprotect_noaccess(key);
	pthread_mutex_unlock(&key_lock);
	sodium_memzero(box, sizeof box);
	if (rc != 0) {
		sodium_memzero(out, cap);
		return HV_EINVAL;
	}
	out[n] = '\0';
	return HV_OK;
}
