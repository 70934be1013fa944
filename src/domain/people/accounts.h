/* accounts.h: accounts, their validators and their secrets (argon2id)
 * (accounts.c). */
#ifndef HV_ACCOUNTS_H
#define HV_ACCOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/people/auth.h"

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

/* Accounts whose home unit lies in the subtree of unit (limit rows). */
typedef void (*hv_account_cb)(const struct hv_account *a, void *arg);
int hv_accounts_list(struct hv_conn *c, const struct hv_units *u, const char *unit, int limit, hv_account_cb cb, void *arg);

/* Accounts locked after wrong tries since the given time (newest lock
 * first, at most limit): someone may be guessing their secret. */
int hv_accounts_hammered(struct hv_conn *c, int64_t since, int limit, hv_account_cb cb, void *arg);

#endif
