/* secrets_test.c: sealing under the secrets key: a round trip, a value
 * that opens only for its own context and key, tampering, and the key
 * file's rules (created 0600, refused when others may read it). */
#include <sodium.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/test.h"
#include "domain/people/secrets.h"

static char dir[] = "/tmp/hv-secrets-XXXXXX";

static void key_path(char *out, size_t cap, const char *name)
{
	snprintf(out, cap, "%s/%s", dir, name);
}

TEST(round_trip_and_context)
{
	char path[64], sealed[HV_SEALED_SIZE(32)], out[64];
	key_path(path, sizeof path, "a.key");
	bool created = false;
	struct hv_error e = {0};
	CHECK(hv_secrets_load(path, true, &created, &e) == 0 && created);
	struct stat st;
	CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600);
	const char *plain = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
	CHECK(hv_seal("totp:7", plain, sealed, sizeof sealed) == 0);
	CHECK(hv_sealed(sealed));
	CHECK(strstr(sealed, plain) == NULL);
	CHECK(hv_unseal("totp:7", sealed, out, sizeof out) == 0);
	CHECK_STR(out, plain);
	/* Another row, a changed byte, a plain value: refused. */
	CHECK(hv_unseal("totp:8", sealed, out, sizeof out) == HV_EINVAL);
	char bad[sizeof sealed];
	memcpy(bad, sealed, sizeof bad);
	bad[40] = bad[40] == 'A' ? 'B' : 'A';
	CHECK(hv_unseal("totp:7", bad, out, sizeof out) == HV_EINVAL);
	CHECK(hv_unseal("totp:7", plain, out, sizeof out) == HV_EINVAL);
	CHECK(hv_unseal("totp:7", "s1:", out, sizeof out) == HV_EINVAL);
	/* Two seals of one value differ (random nonce). */
	char again[sizeof sealed];
	CHECK(hv_seal("totp:7", plain, again, sizeof again) == 0);
	CHECK(strcmp(again, sealed) != 0);
	/* The same file loads the same key; another key does not open it. */
	CHECK(hv_secrets_load(path, false, &created, &e) == 0 && !created);
	CHECK(hv_unseal("totp:7", sealed, out, sizeof out) == 0);
	key_path(path, sizeof path, "b.key");
	CHECK(hv_secrets_load(path, true, NULL, &e) == 0);
	CHECK(hv_unseal("totp:7", sealed, out, sizeof out) == HV_EINVAL);
	hv_secrets_unload();
	CHECK(!hv_secrets_ready());
	CHECK(hv_seal("totp:7", plain, again, sizeof again) == HV_EINTERNAL);
}

TEST(key_file_rules)
{
	char path[64];
	struct hv_error e = {0};
	CHECK(hv_secrets_load("", false, NULL, &e) == HV_EINVAL);
	CHECK(strstr(e.msg, "secrets_key (HOCVUSO_SECRETS_KEY)") != NULL);
	key_path(path, sizeof path, "missing.key");
	CHECK(hv_secrets_load(path, false, NULL, &e) == HV_EINVAL);
	CHECK(strstr(e.msg, "hocvuso init") != NULL);
	key_path(path, sizeof path, "a.key");
	chmod(path, 0640);
	CHECK(hv_secrets_load(path, false, NULL, &e) == HV_EINVAL);
	CHECK(strstr(e.msg, "chmod 600") != NULL);
	CHECK(!hv_secrets_ready());
	key_path(path, sizeof path, "short.key");
	FILE *f = fopen(path, "w");
	fputs("abcd\n", f);
	fclose(f);
	chmod(path, 0600);
	CHECK(hv_secrets_load(path, false, NULL, &e) == HV_EINVAL);
	CHECK(strstr(e.msg, "damaged") != NULL);
}

int main(void)
{
	if (sodium_init() < 0 || !mkdtemp(dir))
		return 1;
	RUN(round_trip_and_context);
	RUN(key_file_rules);
	int rc = TEST_DONE();
	char cmd[96];
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		rc = 1;
	return rc;
}
