/* keyfile.c: secret key files (see keyfile.h). */
#include "core/keyfile.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "issuer_key" -> "issuer key", "HOCVUSO_ISSUER_KEY", "issuer.key". */
static void names(const char *setting, char *what, char *env, char *file, size_t cap)
{
	size_t n = strlen(setting);
	if (n + 9 > cap)
		n = cap - 9;
	memcpy(env, "HOCVUSO_", 8);
	for (size_t i = 0; i < n; i++) {
		what[i] = setting[i] == '_' ? ' ' : setting[i];
		file[i] = setting[i] == '_' ? '.' : setting[i];
		env[8 + i] = (char)toupper((unsigned char)setting[i]);
	}
	what[n] = file[n] = env[8 + n] = '\0';
}

static int create_key(const char *path, const char *what, unsigned char key[HV_KEY_BYTES], struct hv_error *e)
{
	char hex[2 * HV_KEY_BYTES + 2];
	randombytes_buf(key, HV_KEY_BYTES);
	sodium_bin2hex(hex, sizeof hex, key, HV_KEY_BYTES);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return hv_err_set(e, HV_EINVAL, NULL, "cannot create the %s file %s", what, path);
	hex[2 * HV_KEY_BYTES] = '\n';
	ssize_t w = write(fd, hex, 2 * HV_KEY_BYTES + 1);
	int synced = fsync(fd);
	close(fd);
	sodium_memzero(hex, sizeof hex);
	if (w != (ssize_t)(2 * HV_KEY_BYTES + 1) || synced != 0)
		return hv_err_set(e, HV_EINVAL, NULL, "cannot write the %s file %s", what, path);
	return HV_OK;
}

static int read_key(int fd, const char *path, const char *what, unsigned char key[HV_KEY_BYTES], struct hv_error *e)
{
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return hv_err_set(e, HV_EINVAL, NULL, "the %s %s is not a regular file", what, path);
	if (st.st_mode & (S_IRWXG | S_IRWXO))
		return hv_err_set(e, HV_EINVAL, NULL,
		                  "the %s file %s can be read by other users (mode %03o): run chmod 600 %s, and make a new key if "
		                  "others may have copied it",
		                  what, path, (unsigned)(st.st_mode & 0777), path);
	char hex[2 * HV_KEY_BYTES + 2];
	ssize_t r = read(fd, hex, sizeof hex);
	size_t len = 0;
	int rc = HV_OK;
	if (r < (ssize_t)(2 * HV_KEY_BYTES) ||
	    sodium_hex2bin(key, HV_KEY_BYTES, hex, 2 * HV_KEY_BYTES, NULL, &len, NULL) != 0 || len != HV_KEY_BYTES)
		rc = hv_err_set(e, HV_EINVAL, NULL, "the %s file %s is damaged", what, path);
	sodium_memzero(hex, sizeof hex);
	return rc;
}

int hv_keyfile_load(const char *path, const char *setting, bool create, unsigned char key[HV_KEY_BYTES], bool *created,
                    struct hv_error *e)
{
	char what[64], env[72], file[64];
	names(setting, what, env, file, sizeof what);
	if (created)
		*created = false;
	int rc;
	if (!path || !*path) {
		rc = hv_err_set(e, HV_EINVAL, NULL,
		                "no %s file is set: with PostgreSQL, set %s (%s) to an absolute path outside the source tree, "
		                "for example /etc/hocvuso/%s",
		                what, setting, env, file);
	} else {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 && errno == ENOENT && create) {
			rc = create_key(path, what, key, e);
			if (rc == HV_OK && created)
				*created = true;
		} else if (fd < 0) {
			rc = hv_err_set(e, HV_EINVAL, NULL, "cannot read the %s %s (run hocvuso init, or set %s)", what, path, setting);
		} else {
			rc = read_key(fd, path, what, key, e);
			close(fd);
		}
	}
	if (rc < 0) {
		sodium_memzero(key, HV_KEY_BYTES);
		if (e)
			snprintf(e->field, sizeof e->field, "%s", setting);
	}
	return rc;
}
