/* keyfile.h: 32-byte secret keys kept in files outside the database (the
 * certificate issuer key, the secrets key): 64 hex digits and a newline,
 * created with mode 0600 when asked, refused when group or others may read
 * them.  Each has a setting (issuer_key, secrets_key) whose default is a
 * file of that name (issuer.key, secrets.key) beside the SQLite database;
 * with PostgreSQL there is no default and the setting must be an absolute
 * path, the same file on every app server (config.h, hv_config_key_path). */
#ifndef HV_KEYFILE_H
#define HV_KEYFILE_H

#include <stdbool.h>

#include "core/err.h"

#define HV_KEY_BYTES 32

/* Reads the key at path into key, creating the file with a random key
 * when create is set and it is missing (*created then true; created may be
 * NULL).  setting names the key in messages ("issuer_key").  Refuses an
 * empty path, a file that is not regular, one that group or others may
 * read, and a damaged one. */
int hv_keyfile_load(const char *path, const char *setting, bool create, unsigned char key[HV_KEY_BYTES], bool *created,
                    struct hv_error *e);

#endif
