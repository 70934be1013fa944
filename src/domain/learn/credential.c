/* credential.c: the issuer key, base58, and eddsa-jcs-2022 proofs (W3C Data Integrity EdDSA Cryptosuites v1.0,
 * section 3.3; the canonical JSON is jcs.c): hashData = SHA-256(JCS(proof options with the document's
 * @context)) || SHA-256(JCS(document without proof)), signed with Ed25519,
 * proofValue = "z" + base58btc(signature). */
#include "domain/learn/credential.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/keyfile.h"
#include "core/utf8.h"

static unsigned char *secret_key;   /* sodium_malloc'd, noaccess unless signing */
static unsigned char public_key[crypto_sign_PUBLICKEYBYTES];
static char did[128], multikey[96];

/* Keys that must never be trusted again, as multibase public keys: their
 * secret half was published.  The first sat in this repository as
 * issuer.key until December 2026, so every credential it signed is
 * suspect (docs/security.md, "A published key"). */
static const char *const retired_keys[] = {
	"z6MkurBshpbqdNDBoQTmhVK7zWAqvLhngcgGc5ARUiBFVLbP",
};

bool hv_issuer_key_retired(const char *mk)
{
	for (size_t i = 0; i < sizeof retired_keys / sizeof retired_keys[0]; i++)
		if (!strcmp(mk, retired_keys[i]))
			return true;
	return false;
}

static const char b58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

void hv_base58_encode(struct hv_buf *out, const unsigned char *data, size_t len)
{
	size_t zeros = 0;
	while (zeros < len && data[zeros] == 0)
		zeros++;
	size_t size = (len - zeros) * 138 / 100 + 1;
	unsigned char *tmp = hv_xcalloc(size ? size : 1, 1); /* aborts, never NULL, on no memory */
	size_t high = size;
	for (size_t i = zeros; i < len; i++) {
		int carry = data[i];
		size_t j = size;
		while (j > 0 && (j > high || carry)) {
			j--;
			carry += 256 * tmp[j];
			tmp[j] = (unsigned char)(carry % 58);
			carry /= 58;
		}
		high = j;
	}
	size_t k = 0;
	while (k < size && tmp[k] == 0)
		k++;
	for (size_t i = 0; i < zeros; i++)
		hv_buf_putc(out, '1');
	for (; k < size; k++)
		hv_buf_putc(out, b58[tmp[k]]);
	free(tmp);
}

int hv_base58_decode(const char *s, unsigned char *out, size_t cap)
{
	size_t n = strlen(s);
	if (n > 200)
		return -1;
	unsigned char tmp[160] = {0};
	size_t size = sizeof tmp, zeros = 0;
	while (zeros < n && s[zeros] == '1')
		zeros++;
	for (size_t i = zeros; i < n; i++) {
		const char *p = strchr(b58, s[i]);
		if (!p || !s[i])
			return -1;
		int carry = (int)(p - b58);
		for (size_t j = size; j-- > 0;) {
			carry += 58 * tmp[j];
			tmp[j] = (unsigned char)(carry & 0xff);
			carry >>= 8;
		}
		if (carry)
			return -1;
	}
	size_t k = 0;
	while (k < size && tmp[k] == 0)
		k++;
	size_t len = zeros + (size - k);
	if (len > cap)
		return -1;
	memset(out, 0, zeros);
	memcpy(out + zeros, tmp + k, size - k);
	return (int)len;
}

static void make_ids(void)
{
	unsigned char mk[2 + crypto_sign_PUBLICKEYBYTES] = {0xed, 0x01};
	memcpy(mk + 2, public_key, sizeof public_key);
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_putc(&b, 'z');
	hv_base58_encode(&b, mk, sizeof mk);
	snprintf(multikey, sizeof multikey, "%s", b.data);
	snprintf(did, sizeof did, "did:key:%s", b.data);
	hv_buf_free(&b);
}

int hv_issuer_load(const char *path, bool create, struct hv_error *e)
{
	unsigned char seed[crypto_sign_SEEDBYTES];
	_Static_assert(sizeof seed == HV_KEY_BYTES, "an issuer key file holds an Ed25519 seed");
	int rc = hv_keyfile_load(path, "issuer_key", create, seed, NULL, e);
	if (rc < 0)
		return rc;
	hv_issuer_unload();
	secret_key = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	if (!secret_key)
		return hv_err_set(e, HV_EINTERNAL, NULL, "out of memory");
	crypto_sign_seed_keypair(public_key, secret_key, seed);
	sodium_memzero(seed, sizeof seed);
	sodium_mprotect_noaccess(secret_key);
	make_ids();
	if (hv_issuer_key_retired(multikey)) {
		hv_issuer_unload();
		return hv_err_set(e, HV_EINVAL, "issuer_key",
		                  "the issuer key %s is a retired key whose secret was published; move it away and run hocvuso init "
		                  "to create a new one",
		                  path);
	}
	return HV_OK;
}

void hv_issuer_unload(void)
{
	if (secret_key) {
		sodium_mprotect_readwrite(secret_key);
		sodium_free(secret_key);
		secret_key = NULL;
	}
}

bool hv_issuer_ready(void)
{
	return secret_key != NULL;
}

const char *hv_issuer_did(void)
{
	return did;
}

const char *hv_issuer_multikey(void)
{
	return multikey;
}

static void hash_data(const json_t *doc_without_proof, const json_t *proof_config, unsigned char out[64])
{
	struct hv_buf a, b;
	hv_buf_init(&a);
	hv_buf_init(&b);
	hv_jcs(&a, proof_config);
	hv_jcs(&b, doc_without_proof);
	crypto_hash_sha256(out, (const unsigned char *)a.data, a.len);
	crypto_hash_sha256(out + 32, (const unsigned char *)b.data, b.len);
	hv_buf_free(&a);
	hv_buf_free(&b);
}

int hv_credential_sign(json_t *doc, const char *vm, const char *created, struct hv_error *e)
{
	if (!secret_key)
		return hv_err_set(e, HV_EINTERNAL, NULL, "the issuer key is not loaded");
	json_t *ctx = json_object_get(doc, "@context");
	if (!ctx)
		return hv_err_set(e, HV_EINVAL, NULL, "the document has no @context");
	json_object_del(doc, "proof");
	/* The proof options with the document's @context: what is signed and
	 * what is handed out are the same object. */
	json_t *proof = json_pack("{s:O, s:s, s:s, s:s, s:s, s:s}", "@context", ctx, "type", "DataIntegrityProof", "cryptosuite",
	                          "eddsa-jcs-2022", "created", created, "verificationMethod", vm, "proofPurpose", "assertionMethod");
	if (!proof)
		return hv_err_set(e, HV_EINTERNAL, NULL, "out of memory");
	unsigned char h[64], sig[crypto_sign_BYTES];
	hash_data(doc, proof, h);
	sodium_mprotect_readonly(secret_key);
	crypto_sign_detached(sig, NULL, h, sizeof h, secret_key);
	sodium_mprotect_noaccess(secret_key);
	struct hv_buf pv;
	hv_buf_init(&pv);
	hv_buf_putc(&pv, 'z');
	hv_base58_encode(&pv, sig, sizeof sig);
	json_object_set_new(proof, "proofValue", json_string(pv.data));
	json_object_set_new(doc, "proof", proof);
	hv_buf_free(&pv);
	return HV_OK;
}

/* Does the document's @context start with the proof's, in order? */
static bool context_opens(const json_t *doc_ctx, const json_t *proof_ctx)
{
	if (json_is_string(proof_ctx))
		return json_equal(doc_ctx, proof_ctx) || (json_is_array(doc_ctx) && json_equal(json_array_get(doc_ctx, 0), proof_ctx));
	if (!json_is_array(proof_ctx) || !json_array_size(proof_ctx))
		return false;
	if (!json_is_array(doc_ctx))
		return json_array_size(proof_ctx) == 1 && json_equal(doc_ctx, json_array_get(proof_ctx, 0));
	if (json_array_size(proof_ctx) > json_array_size(doc_ctx))
		return false;
	for (size_t i = 0; i < json_array_size(proof_ctx); i++)
		if (!json_equal(json_array_get(doc_ctx, i), json_array_get(proof_ctx, i)))
			return false;
	return true;
}

/* An Ed25519 multikey ("z6Mk…") into its 32-byte key. */
static bool multikey_decode(const char *mk, unsigned char key[crypto_sign_PUBLICKEYBYTES])
{
	unsigned char raw[64];
	if (mk[0] != 'z')
		return false;
	int n = hv_base58_decode(mk + 1, raw, sizeof raw);
	if (n != 2 + crypto_sign_PUBLICKEYBYTES || raw[0] != 0xed || raw[1] != 0x01)
		return false;
	memcpy(key, raw + 2, crypto_sign_PUBLICKEYBYTES);
	return true;
}

int hv_credential_verify(const json_t *doc, struct hv_proof_info *out, struct hv_error *e)
{
	struct hv_proof_info info = {0};
	if (!json_is_object(doc))
		return hv_err_set(e, HV_EINVAL, NULL, "not a JSON object");
	json_t *proof = json_object_get(doc, "proof");
	json_t *ctx = json_object_get(doc, "@context");
	if (!json_is_object(proof) || !ctx)
		return hv_err_set(e, HV_EINVAL, NULL, "no proof or no @context");
	const char *type = json_string_value(json_object_get(proof, "type"));
	const char *suite = json_string_value(json_object_get(proof, "cryptosuite"));
	const char *vm = json_string_value(json_object_get(proof, "verificationMethod"));
	const char *pv = json_string_value(json_object_get(proof, "proofValue"));
	const char *purpose = json_string_value(json_object_get(proof, "proofPurpose"));
	if (!type || strcmp(type, "DataIntegrityProof") || !suite || strcmp(suite, "eddsa-jcs-2022") || !vm || !pv || pv[0] != 'z')
		return hv_err_set(e, HV_EINVAL, NULL, "the proof is not an eddsa-jcs-2022 DataIntegrityProof");
	if (!purpose || strcmp(purpose, "assertionMethod") != 0)
		return hv_err_set(e, HV_EINVAL, NULL, "the proof's purpose is not assertionMethod");
	const char *hash = strchr(vm, '#');
	if (!hash || strlen(vm) >= sizeof info.vm || (size_t)(hash - vm) >= sizeof info.controller || strlen(hash + 1) >= sizeof info.key)
		return hv_err_set(e, HV_EINVAL, NULL, "the verification method %.80s names no key", vm);
	snprintf(info.vm, sizeof info.vm, "%s", vm);
	memcpy(info.controller, vm, (size_t)(hash - vm));
	snprintf(info.key, sizeof info.key, "%s", hash + 1);
	unsigned char pk[crypto_sign_PUBLICKEYBYTES];
	/* did:key:z6Mk…#z6Mk… names the Ed25519 public key itself; otherwise
	 * the fragment must be one (our did:web's keys are named so). */
	if (!strncmp(info.controller, "did:key:", 8)) {
		if (strcmp(info.controller + 8, info.key) != 0 || !multikey_decode(info.key, pk))
			return hv_err_set(e, HV_EINVAL, NULL, "the verification method is not an Ed25519 did:key");
		info.self_certifying = true;
	} else if (!multikey_decode(info.key, pk)) {
		return hv_err_set(e, HV_EINVAL, NULL, "the verification method %.120s cannot be resolved without the network", vm);
	}
	if (hv_issuer_key_retired(info.key))
		return hv_err_set(e, HV_EINVAL, NULL, "signed with a key whose secret was published: the certificate cannot be trusted");
	unsigned char sig[80];
	if (hv_base58_decode(pv + 1, sig, sizeof sig) != crypto_sign_BYTES)
		return hv_err_set(e, HV_EINVAL, NULL, "the proof value is malformed");
	json_t *proof_ctx = json_object_get(proof, "@context");
	if (proof_ctx && !context_opens(ctx, proof_ctx))
		return hv_err_set(e, HV_EINVAL, NULL, "the document's @context does not start with the proof's");
	json_t *body = json_deep_copy(doc);
	json_object_del(body, "proof");
	if (proof_ctx)
		json_object_set(body, "@context", proof_ctx);
	json_t *config = json_deep_copy(proof);
	json_object_del(config, "proofValue");
	json_object_set(config, "@context", json_object_get(body, "@context"));
	unsigned char h[64];
	hash_data(body, config, h);
	json_decref(body);
	json_decref(config);
	if (crypto_sign_verify_detached(sig, h, sizeof h, pk) != 0)
		return hv_err_set(e, HV_EINVAL, NULL, "the signature does not match: the certificate was changed or not signed with this key");
	if (out)
		*out = info;
	return HV_OK;
}
