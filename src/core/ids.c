/* ids.c: random identifiers (see ids.h). */
#include "core/ids.h"

#include <sodium.h>
#include <string.h>

void hv_token_new(char out[HV_TOKEN_CHARS + 1])
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2base64(out, HV_TOKEN_CHARS + 1, raw, sizeof raw, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof raw);
}

void hv_token_hash(const char *s, char out[HV_HASH_HEX + 1])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof h, (const unsigned char *)s, strlen(s), NULL, 0);
	sodium_bin2hex(out, HV_HASH_HEX + 1, h, sizeof h);
}

void hv_uuid_new(char out[37])
{
	unsigned char r[16];
	randombytes_buf(r, sizeof r);
	r[6] = (unsigned char)((r[6] & 0x0F) | 0x40);
	r[8] = (unsigned char)((r[8] & 0x3F) | 0x80);
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[r[i] >> 4];
		out[o++] = hex[r[i] & 15];
	}
	out[o] = '\0';
}

bool hv_uuid_valid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}

/* One draw from the system generator per batch of bytes (not one per
 * character: a page's nonce would otherwise cost 16 system calls); bytes at
 * or above the largest multiple of the alphabet's size are rejected so every
 * character stays equally likely. */
void hv_random_chars(char *out, size_t n, const char *alphabet)
{
	size_t k = strlen(alphabet);
	unsigned limit = 256 - 256 % (unsigned)k;
	unsigned char pool[64];
	size_t used = sizeof pool;
	for (size_t i = 0; i < n;) {
		if (used == sizeof pool) {
			randombytes_buf(pool, sizeof pool);
			used = 0;
		}
		unsigned char b = pool[used++];
		if (b < limit)
			out[i++] = alphabet[b % k];
	}
	sodium_memzero(pool, sizeof pool);
	out[n] = '\0';
}
