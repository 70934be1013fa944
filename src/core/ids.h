/* ids.h: random tokens, UUIDs and token hashing, all from libsodium's CSPRNG. */
#ifndef HV_IDS_H
#define HV_IDS_H

#include <stdbool.h>
#include <stddef.h>

#define HV_TOKEN_CHARS 43   /* 32 random bytes, base64url without padding */
#define HV_HASH_HEX 64      /* BLAKE2b-256 as hex */

/* Writes HV_TOKEN_CHARS chars + NUL into out. */
void hv_token_new(char out[HV_TOKEN_CHARS + 1]);
/* Hex BLAKE2b-256 of s, keyed with nothing: tokens are high-entropy, so a
 * plain hash suffices to keep a stolen database from yielding live tokens. */
void hv_token_hash(const char *s, char out[HV_HASH_HEX + 1]);
void hv_uuid_new(char out[37]);
/* Lower- or upper-case 8-4-4-4-12 hex. */
bool hv_uuid_valid(const char *s);
/* A random string of n characters from alphabet (rejection-sampled). */
void hv_random_chars(char *out, size_t n, const char *alphabet);

#endif
