/* personal.h: a person seeing, downloading and deleting their own data. */
#ifndef HV_PERSONAL_H
#define HV_PERSONAL_H

#include <jansson.h>

#include "domain/people/auth.h"

/* Everything held about account, as a new JSON object (caller decrefs). */
json_t *hv_personal_export(struct hv_conn *c, int64_t account);
/* Erases the account's personal data in one transaction (see personal.c). */
int hv_personal_delete(struct hv_store *s, int64_t account, const char *ip, struct hv_error *e);

#endif
