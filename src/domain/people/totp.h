/* totp.h: the second factor (totp.c). */
#ifndef HV_TOTP_H
#define HV_TOTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/people/auth.h"

/* TOTP (RFC 6238, SHA-1, 30 s, 6 digits). */
void hv_totp_new_secret(char out[33]);   /* base32, 160 bits */
int hv_totp_code(const char *secret_b32, int64_t step, char out[7]);
/* TOTP secrets are stored sealed (domain/secrets.h): these need the
 * secrets key loaded.  Starts enrolment: stores a new, not yet enabled
 * secret and returns it. */
int hv_totp_begin(struct hv_store *s, int64_t account, char secret[33], struct hv_error *e);
/* Checks code against the account's secret (±1 step, no replay); enables
 * the second factor if it was pending. */
int hv_totp_verify(struct hv_store *s, int64_t account, const char *code, const char *ip, struct hv_error *e);
/* Run by init and serve once the secrets key is loaded: checks that it
 * opens the sealed secrets (HV_EINVAL if it is not their key), then seals
 * every secret still stored plain (written before secrets were sealed, or
 * by an older server during an upgrade) in one transaction; *sealed
 * counts those. */
int hv_totp_prepare(struct hv_store *s, int *sealed, struct hv_error *e);

#endif
