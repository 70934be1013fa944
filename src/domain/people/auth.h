/* auth.h: accounts, roles held at a unit, sessions, API tokens, second
 * factor and sign-in throttling.
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

const char *hv_role_name(int kind);
int hv_role_parse(const char *name);  /* 0 if unknown */
bool hv_account_needs_totp(const struct hv_account *a);
/* True if one of the principal's roles in mask reaches unit. */
bool hv_can(const struct hv_principal *p, int mask, const struct hv_unit *unit);
/* True if p may see and change account a: p manages accounts at a unit
 * reaching a's home unit and every unit where a holds a role. */
bool hv_can_manage_account(const struct hv_principal *p, const struct hv_account *a, const struct hv_units *u);
/* The unit of p's first role that manages accounts (admin or manager),
 * or NULL if p manages nowhere. */
const char *hv_manage_unit(const struct hv_principal *p);
/* Roles p may grant somewhere (for forms): the union over p's roles. */
int hv_grantable_roles(const struct hv_principal *p);
/* Roles p may grant at unit: an admin any role within its subtree; a
 * manager coordinator, volunteer, viewer and editor within its subtree, and
 * manager too strictly below its own unit (never to a peer). */
int hv_grantable_roles_at(const struct hv_principal *p, const struct hv_unit *unit);

/* Validators: record a user message and return HV_EINVAL. */
int hv_check_login(const char *login, struct hv_error *e);
int hv_check_password(const char *pw, struct hv_error *e);
int hv_check_name(const char *name, struct hv_error *e);
/* A one-line field (a name, a title, an address): HV_EINVAL, with a message
 * that starts with label, if s holds a tab, a line break or another control
 * character (C0 or DEL). */
int hv_check_one_line(const char *s, const char *field, const char *label, struct hv_error *e);
int hv_check_phone(const char *phone, char out[16], struct hv_error *e);
int hv_check_pin(const char *pin, struct hv_error *e);

/* argon2id; at most as many hashes run at once as there are cores, others
 * wait up to 5 s and then get HV_EUNAVAIL. out has crypto_pwhash_STRBYTES. */
int hv_secret_hash(const char *secret, char out[128], struct hv_error *e);
int hv_secret_verify(const char *hash, const char *secret); /* 0 ok, HV_EINVAL no, HV_EUNAVAIL busy */

int hv_account_by_id(struct hv_conn *c, int64_t id, struct hv_account *a);     /* HV_ENOTFOUND */
int hv_account_by_login(struct hv_conn *c, const char *login, struct hv_account *a);
int hv_account_by_phone(struct hv_conn *c, const char *phone, struct hv_account *a);
int hv_account_load_roles(struct hv_conn *c, struct hv_account *a);

struct hv_new_account {
	const char *kind, *login, *phone, *name, *home_unit, *secret;
	const char *group;      /* learners: optional target group (hv_groups), for the certified shares */
	bool consent;
	int role_kind;          /* optional first role, granted in the same transaction */
	const char *role_unit;
	int64_t role_org;       /* optional organisation of that role (coordinator) */
	int64_t team_id;        /* optional team joined in the same transaction */
	int64_t actor_id;
	const char *ip;
	bool public_signup;     /* self-registration: limited per address and commune */
	int64_t out_id;
};
/* Validates, hashes and inserts (audit-logged). HV_ECONFLICT if taken. */
int hv_account_create(struct hv_store *s, struct hv_new_account *n, struct hv_error *e);
int hv_account_set_secret(struct hv_store *s, int64_t id, const char *secret, int64_t actor, const char *ip, struct hv_error *e);
int hv_account_set_disabled(struct hv_store *s, int64_t id, bool disabled, int64_t actor, const char *ip, struct hv_error *e);
/* Grants or revokes role kind at unit (audit-logged). */
int hv_role_grant(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t actor, const char *ip, struct hv_error *e);
/* The same with an organisation (coordinators only; org must exist): the
 * coordinator then manages only that organisation's teams. */
int hv_role_grant_org(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t org, int64_t actor, const char *ip,
                      struct hv_error *e);
int hv_role_revoke(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t actor, const char *ip, struct hv_error *e);

/* Accounts whose home unit lies in the subtree of unit (limit rows). */
typedef void (*hv_account_cb)(const struct hv_account *a, void *arg);
int hv_accounts_list(struct hv_conn *c, const struct hv_units *u, const char *unit, int limit, hv_account_cb cb, void *arg);

/* Accounts locked after wrong tries since the given time (newest lock
 * first, at most limit): someone may be guessing their secret. */
int hv_accounts_hammered(struct hv_conn *c, int64_t since, int limit, hv_account_cb cb, void *arg);

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

/* Sessions: creates one for account (second_factor as given) and writes the
 * cookie value to token. */
int hv_session_create(struct hv_store *s, const struct hv_account *a, bool second_factor,
                      char token[HV_TOKEN_CHARS + 1], struct hv_error *e);
/* Fills p from a session cookie value; HV_EUNAUTH if unknown, expired,
 * idle too long (HV_SESSION_IDLE_SECONDS for staff,
 * HV_SESSION_LEARNER_IDLE_SECONDS for learners), revoked or the account is
 * disabled. */
int hv_session_lookup(struct hv_store *s, const char *token, struct hv_principal *p);
int hv_session_revoke(struct hv_store *s, const char *session_hash);
int hv_session_second_factor(struct hv_store *s, const char *session_hash);

/* What a token may do beyond its account's roles (api_tokens.scopes). */
enum { HV_SCOPE_ISSUE = 1 };  /* "issue": sign credentials through the VC API */
/* "issue" → HV_SCOPE_ISSUE; a space- or comma-separated list; -1 if one is unknown. */
int hv_scopes_parse(const char *text);
/* The names of scopes, space-separated, into out. */
void hv_scopes_text(unsigned scopes, char *out, size_t cap);

/* API tokens: prints nothing; token receives the bearer value, *id and
 * *expires (may be NULL) its id and when it expires: after days days (1 to
 * HV_TOKEN_DAYS_MAX, else HV_EINVAL), with scopes (HV_SCOPE_*, 0 for none). */
int hv_token_create(struct hv_store *s, int64_t account, const char *label, int days, unsigned scopes,
                    char token[HV_TOKEN_CHARS + 1], int64_t *id, int64_t *expires, struct hv_error *e);
int hv_token_revoke(struct hv_store *s, const char *token_or_id, struct hv_error *e);
/* Fills p from a bearer token; HV_EUNAUTH if unknown, revoked, expired (then
 * *expired_at is when, else 0) or the account is disabled.  Records the
 * time of use, at most once a minute and without waiting. */
int hv_token_lookup(struct hv_store *s, const char *token, struct hv_principal *p, int64_t *expired_at);
struct hv_token_info {
	int64_t id, created, expires, last_used, revoked; /* last_used, revoked: 0 if never */
	char login[65];
	char label[101];
	unsigned scopes;
};
typedef void (*hv_token_cb)(const struct hv_token_info *t, void *arg);
/* The tokens of account (0: of every account), oldest first. */
int hv_token_list(struct hv_conn *c, int64_t account, hv_token_cb cb, void *arg);

/* TOTP (RFC 6238, SHA-1, 30 s, 6 digits). */
void hv_totp_new_secret(char out[33]);   /* base32, 160 bits */
int hv_totp_code(const char *secret_b32, int64_t step, char out[7]);
/* TOTP secrets are stored sealed (domain/secrets.h): these need the
 * secrets key loaded.  Starts enrolment: stores a new, not yet enabled
 * secret and returns it. */
int hv_totp_begin(struct hv_store *s, int64_t account, char secret[33], struct hv_error *e);
/* Checks code against the account's secret (±1 step, no replay); enables
 * the second factor if it was pending. */
int hv_totp_verify(struct hv_store *s, int64_t account, const char *code, const char *ip, struct hv_error *e);
/* Run by init and serve once the secrets key is loaded: checks that it
 * opens the sealed secrets (HV_EINVAL if it is not their key), then seals
 * every secret still stored plain (written before secrets were sealed, or
 * by an older server during an upgrade) in one transaction; *sealed
 * counts those. */
int hv_totp_prepare(struct hv_store *s, int *sealed, struct hv_error *e);

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
