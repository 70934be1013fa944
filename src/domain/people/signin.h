/* signin.h: signing in, and the limits on it and on registration
 * (signin.c). */
#ifndef HV_SIGNIN_H
#define HV_SIGNIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/people/auth.h"

/* Sign-in.  On success fills a with the account; counts attempts (before
 * the hash is checked) and locks after HV_LOCK_AFTER_FAILS.  device_account
 * is the account a signed device cookie names (0: none): that device is
 * held to its own limit, not the account's lock.  Unknown names answer
 * like real ones.  HV_EINVAL wrong credentials, HV_ELIMIT locked,
 * HV_EUNAVAIL busy.  Messages are for the user. */
int hv_signin_staff(struct hv_store *s, const char *login, const char *password, const char *ip, int64_t device_account,
                    struct hv_account *a, struct hv_error *e);
int hv_signin_learner(struct hv_store *s, const char *phone, const char *pin, const char *ip, int64_t device_account,
                      struct hv_account *a, struct hv_error *e);
/* The key a client address is counted under: IPv4 as is, IPv6 by /64. */
void hv_ip_key(const char *ip, char out[64]);
/* Public registration, limited per address and per commune (HV_ELIMIT,
 * message set): allowed reads the counts (before a hash is made); count
 * adds one inside the transaction that writes the account, so the limit
 * holds exactly and costs no commit of its own. */
int hv_register_allowed(struct hv_store *s, const char *ip, const char *unit, struct hv_error *e);
int hv_register_count(struct hv_conn *c, const char *ip, const char *unit, struct hv_error *e);
/* Fixed-window limit on key (e.g. "signin:1.2.3.4"): HV_ELIMIT when over. */
int hv_rate_limit(struct hv_store *s, const char *key, int max, int window_seconds);

#endif
