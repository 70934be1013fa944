/* device.c: the "this device signed in here before" cookie (hv_d).
 *
 * After a complete sign-in the browser keeps hv_d = ID.EXPIRY.MAC, MAC an
 * HMAC of both under the server secret.  A sign-in from a device holding
 * a valid hv_d for the account is held to that device's own limit, not to
 * the account's lock (domain/signin.c): a stranger who hammers a known
 * login cannot lock its owner out of their own phone. */
#include "views/people/device.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/num.h"

#define DEVICE_COOKIE "hv_d"
#define DEVICE_SECONDS (180 * 86400)
#define MAC_CHARS 22 /* 128 bits, base64url */

static void device_mac(struct hv_ctx *c, const char *payload, char out[MAC_CHARS + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	hv_hmac(c, "device:", payload, strlen(payload), mac);
	char full[64];
	sodium_bin2base64(full, sizeof full, mac, 16, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	memcpy(out, full, MAC_CHARS);
	out[MAC_CHARS] = '\0';
}

int64_t hv_device_account(struct hv_ctx *c)
{
	const char *v = hv_cookie(c, DEVICE_COOKIE);
	if (!v)
		return 0;
	const char *dot = strrchr(v, '.');
	if (!dot || strlen(dot + 1) != MAC_CHARS || (size_t)(dot - v) >= 48)
		return 0;
	char payload[48];
	memcpy(payload, v, (size_t)(dot - v));
	payload[dot - v] = '\0';
	char want[MAC_CHARS + 1];
	device_mac(c, payload, want);
	if (sodium_memcmp(want, dot + 1, MAC_CHARS) != 0)
		return 0;
	char *mid = strchr(payload, '.');
	if (!mid)
		return 0;
	*mid = '\0';
	int64_t id, until;
	if (hv_parse_i64(payload, 1, INT64_MAX, &id) < 0 || hv_parse_i64(mid + 1, 0, INT64_MAX, &until) < 0 ||
	    until < (int64_t)time(NULL))
		return 0;
	return id;
}

void hv_device_remember(struct hv_ctx *c, int64_t account)
{
	char payload[48], mac[MAC_CHARS + 1];
	snprintf(payload, sizeof payload, "%lld.%lld", (long long)account, (long long)time(NULL) + DEVICE_SECONDS);
	device_mac(c, payload, mac);
	hv_set_cookie(c, DEVICE_COOKIE, hv_arena_printf(c->arena, "%s.%s", payload, mac), DEVICE_SECONDS);
}
