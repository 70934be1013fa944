/* ids_test.c: random strings, tokens and UUIDs from the CSPRNG. */
#include "core/ids.h"
#include "core/test.h"

#include <sodium.h>

TEST(random_chars_from_alphabet_evenly)
{
	/* 36 characters: 256 % 36 != 0, so without rejection the first four
	 * would come up 8/7 as often; 36,000 draws show that (each count is
	 * ~1,000 ± 32; 1,143 would be the biased mean). */
	static const char alpha[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	int count[36] = {0};
	char s[1001];
	for (int round = 0; round < 36; round++) {
		hv_random_chars(s, 1000, alpha);
		CHECK(strlen(s) == 1000);
		for (int i = 0; i < 1000; i++) {
			const char *at = strchr(alpha, s[i]);
			CHECK(at != NULL && s[i] != '\0');
			if (at)
				count[at - alpha]++;
		}
	}
	int lo = 36000, hi = 0, first4 = 0, rest = 0;
	for (int i = 0; i < 36; i++) {
		lo = count[i] < lo ? count[i] : lo;
		hi = count[i] > hi ? count[i] : hi;
		if (i < 4)
			first4 += count[i];
		else
			rest += count[i];
	}
	CHECK(lo > 850 && hi < 1150);
	CHECK(first4 / 4.0 < rest / 32.0 * 1.07);
	/* Two draws differ; a zero-length draw is just the terminator. */
	char a[17], b[17], z[1] = {'x'};
	hv_random_chars(a, 16, alpha);
	hv_random_chars(b, 16, alpha);
	CHECK(strcmp(a, b) != 0);
	hv_random_chars(z, 0, alpha);
	CHECK(z[0] == '\0');
}

TEST(tokens_and_uuids)
{
	char t1[HV_TOKEN_CHARS + 1], t2[HV_TOKEN_CHARS + 1], h[HV_HASH_HEX + 1], u[37];
	hv_token_new(t1);
	hv_token_new(t2);
	CHECK(strlen(t1) == HV_TOKEN_CHARS && strcmp(t1, t2) != 0);
	hv_token_hash(t1, h);
	CHECK(strlen(h) == HV_HASH_HEX && strspn(h, "0123456789abcdef") == HV_HASH_HEX);
	hv_uuid_new(u);
	CHECK(hv_uuid_valid(u) && u[14] == '4');
	CHECK(!hv_uuid_valid("not-a-uuid"));
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	RUN(random_chars_from_alphabet_evenly);
	RUN(tokens_and_uuids);
	return TEST_DONE();
}
