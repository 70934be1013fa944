/* recovery.h: getting back into a learner account without the PIN.
 *
 * Two kinds of one-time code, both stored only as a keyed hash (BLAKE2b
 * under the server secret, with the account's id) and used once:
 *  - a reset code (8 digits, valid HV_RESET_SECONDS) that a volunteer or
 *    official issues after checking the person face to face, or an
 *    operator with `hocvuso user reset-code PHONE`; it also lets a person
 *    registered by a volunteer (no PIN yet) set their first PIN;
 *  - the person's own recovery code (12 digits, no expiry), shown once and
 *    replaced by a new one each time a code is used.
 * Using a code sets the new PIN, unlocks the account, ends its sessions
 * and is audit-logged; attempts are limited per address and per phone,
 * and every wrong, expired, used or unknown code gets the same answer. */
#ifndef HV_RECOVERY_H
#define HV_RECOVERY_H

#include "domain/people/auth.h"

#define HV_RESET_SECONDS (30 * 60)
#define HV_RESET_CODE_CHARS 16 /* "1234 5678 9012" and a NUL */
/* Who may issue reset codes, within the subtree of the unit they hold the
 * role at. */
#define HV_ROLES_RESET (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR | HV_ROLE_VOLUNTEER)
/* Attempts to use a code: per client address per 10 minutes, per phone per
 * 30 minutes.  Codes issued: per account and per issuer per hour. */
#define HV_RESET_TRIES_PER_IP 10
#define HV_RESET_TRIES_PER_PHONE 5
#define HV_RESET_ISSUES_PER_ACCOUNT 5
#define HV_RESET_ISSUES_PER_ISSUER 30

/* Issues a reset code for learner account a (actor 0: the command line),
 * replacing its unused reset codes; code receives it (digits in groups of
 * four) and *expires when it stops working.  HV_EFORBIDDEN for a staff
 * account, HV_ELIMIT past the limits (field "limit"). */
int hv_reset_issue(struct hv_store *s, const struct hv_account *a, int64_t actor, const char *ip, char code[HV_RESET_CODE_CHARS],
                   int64_t *expires, struct hv_error *e);
/* A new recovery code of the account's own, replacing the old one. */
int hv_recovery_new(struct hv_store *s, int64_t account, const char *ip, char code[HV_RESET_CODE_CHARS], struct hv_error *e);
/* 1 if the account has an unused recovery code of its own, 0 if not. */
int hv_recovery_exists(struct hv_conn *c, int64_t account);

struct hv_reset_use {
	const char *phone, *code, *pin, *ip;
	int64_t out_account;
	bool out_by_staff;                   /* a reset code (not the person's own) */
	char new_code[HV_RESET_CODE_CHARS];  /* the person's new recovery code */
};
/* Checks the PIN (field "pin"), then counts the attempt (HV_ELIMIT, field
 * "limit"), then the code for that phone: HV_EINVAL with field "code" for
 * an unknown phone or a wrong, expired, used or another phone's code.  On
 * success sets the PIN, ends the sessions, replaces the recovery code. */
int hv_reset_use(struct hv_store *s, struct hv_reset_use *u, struct hv_error *e);

#endif
