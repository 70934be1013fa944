/* audit.h: the audit log, and small settings kept in the database
 * (audit.c). */
#ifndef HV_AUDIT_H
#define HV_AUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/people/auth.h"

int hv_audit(struct hv_conn *c, int64_t actor, const char *action, const char *target, const char *unit,
             const char *detail, const char *ip);

/* Inside an import's write: the audit row "import" of kind (the file src,
 * its rows), by the importer (NULL: the command line). */
struct hv_importer;
int hv_audit_import(struct hv_conn *c, const struct hv_importer *by, const char *kind, const char *src, size_t rows);

/* The same, as its own durable write (for reads that must be logged). */
int hv_audit_write(struct hv_store *s, int64_t actor, const char *action, const char *target, const char *unit,
                   const char *detail, const char *ip);

/* Settings: small key/value pairs in the database. */
int hv_setting_get(struct hv_conn *c, const char *key, char *out, size_t cap);
int hv_setting_put(struct hv_conn *c, const char *key, const char *value);
/* The server secret that keys CSRF tokens; created on first use (init).
 * Shared by every app server because it lives in the database. */
int hv_server_secret(struct hv_store *s, unsigned char out[32]);

#endif
