/* honours.h: honours (biểu dương) recorded per period for a person
 * (account), a team, an organisation or a unit, with a reason; recorded by
 * admins and managers whose roles reach the subject's unit, audit-logged,
 * listed per unit subtree and period. */
#ifndef HV_HONOURS_H
#define HV_HONOURS_H

#include <stdint.h>

#include "domain/people/auth.h"

#define HV_HONOUR_REASON_MAX 500   /* characters */
#define HV_HONOURS_LIST_MAX 2000
#define HV_ROLES_HONOUR (HV_ROLE_ADMIN | HV_ROLE_MANAGER)

extern const char *const hv_honour_kinds[];   /* account, team, organisation, unit; NULL-terminated */

struct hv_honour {
	int64_t id;
	char kind[16];
	char subject[72];        /* account id, team id, organisation id or unit code */
	char name[4 * 120 + 1];  /* the subject's name when honoured */
	char unit[8];            /* the subject's unit */
	char period[8];
	char reason[4 * HV_HONOUR_REASON_MAX + 1];
	int64_t created_at;
};

/* Validates (kind, subject exists, period, reason of 1..500 characters),
 * checks that who's admin or manager role reaches the subject's unit, and
 * stores it with an audit row.  subject: an account id or login, a team or
 * organisation id, or a unit code.  HV_EINVAL with e->field naming the
 * field, HV_EFORBIDDEN outside who's units.  *id gets the new id. */
int hv_honour_add(struct hv_store *s, const struct hv_principal *who, const char *kind, const char *subject, const char *period,
                  const char *reason, const char *ip, int64_t *id, struct hv_error *e);

/* The honours of period whose subject's unit lies in x's subtree, oldest
 * first, at most HV_HONOURS_LIST_MAX. */
typedef void (*hv_honour_cb)(const struct hv_honour *h, void *arg);
int hv_honours_list(struct hv_conn *c, const struct hv_unit *x, const char *period, hv_honour_cb cb, void *arg);

#endif
