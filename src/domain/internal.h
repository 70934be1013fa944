/* internal.h: helpers shared between files of the domain layer only. */
#ifndef HV_DOMAIN_INTERNAL_H
#define HV_DOMAIN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Records a sign-in or second-factor outcome (what = "signin", "pin",
 * "totp"); returns the seconds the account is now locked for, or 0. */
int hv_signin_record(struct hv_store *s, int64_t id, bool success, const char *what, const char *ip);

struct hv_new_account;
struct hv_error;
/* Inside a write: inserts a validated account (hash already computed),
 * its first role and team, and the audit rows (hv_account_create's body). */
int hv_account_insert(struct hv_conn *c, struct hv_new_account *n, const char *hash, int64_t now, struct hv_error *e);

#endif
