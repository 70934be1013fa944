/* auth.h: who is asking: an account, the roles it holds at units, and
 * the principal of a request.  What is done with them has a header per
 * file: accounts.h (accounts and their secrets), roles.h (what a role
 * reaches, granting), signin.h (sign-in and its limits), sessions.h
 * (sessions and API tokens), totp.h (the second factor), audit.h (the
 * audit log and settings).
 *
 * A role is held at a unit and reaches that unit's subtree, nothing beside
 * or above it.  Staff sign in with login + password (argon2id), learners
 * with phone + 6-digit PIN (argon2id too); 5 wrong tries lock the account
 * for 15 minutes.  Admins, unit managers and viewers (officials) also need
 * a TOTP code.  Session and API tokens are random; only their hashes are
 * stored.  Every function that reads or writes takes the store or a
 * connection; none keeps state besides the hash-concurrency semaphore. */
#ifndef HV_AUTH_H
#define HV_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/ids.h"
#include "domain/places/units.h"
#include "store/store.h"

enum hv_role_kind {
	HV_ROLE_ADMIN = 1 << 0,
	HV_ROLE_MANAGER = 1 << 1,
	HV_ROLE_COORDINATOR = 1 << 2,
	HV_ROLE_VOLUNTEER = 1 << 3,
	HV_ROLE_EDITOR = 1 << 4,
	HV_ROLE_VIEWER = 1 << 5,
};
#define HV_ROLES_ALL 0x3f
#define HV_ROLES_NEED_TOTP (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_VIEWER)
#define HV_ROLES_MANAGE_ACCOUNTS (HV_ROLE_ADMIN | HV_ROLE_MANAGER)
#define HV_MAX_ROLES 16

struct hv_role {
	int64_t id;
	int kind;
	char unit[8];
	int64_t org_id;
};

struct hv_account {
	int64_t id;
	char kind[8];          /* staff or learner */
	char login[65];
	char phone[16];
	char name[4 * 120 + 1];
	char home_unit[8];
	bool disabled;
	bool totp_enabled;
	int64_t locked_until;
	int64_t created_at;
	struct hv_role roles[HV_MAX_ROLES];
	int nroles;
};

/* Who is making a request. */
struct hv_principal {
	struct hv_account acct;
	bool second_factor;    /* TOTP passed, or not needed */
	bool via_token;
	unsigned scopes;       /* a token's HV_SCOPE_* (0 for sessions) */
	char session_hash[HV_HASH_HEX + 1];
	char session_token[HV_TOKEN_CHARS + 1]; /* the cookie value, for CSRF binding */
};

#endif
