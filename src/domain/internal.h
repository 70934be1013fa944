/* internal.h: helpers shared between files of the domain layer only. */
#ifndef HV_DOMAIN_INTERNAL_H
#define HV_DOMAIN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* Records a sign-in or second-factor outcome (what = "signin", "pin",
 * "totp"); returns the seconds the account is now locked for, or 0. */
int hv_signin_record(struct hv_store *s, int64_t id, bool success, const char *what, const char *ip);

#endif
