/* roles.h: what a role held at a unit reaches, and granting roles
 * (roles.c). */
#ifndef HV_ROLES_H
#define HV_ROLES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/people/auth.h"

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

/* Grants or revokes role kind at unit (audit-logged). */
int hv_role_grant(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t actor, const char *ip, struct hv_error *e);
/* The same with an organisation (coordinators only; org must exist): the
 * coordinator then manages only that organisation's teams. */
int hv_role_grant_org(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t org, int64_t actor, const char *ip,
                      struct hv_error *e);
int hv_role_revoke(struct hv_store *s, int64_t account, int kind, const char *unit, int64_t actor, const char *ip, struct hv_error *e);

#endif
