/* assist_person.c: the registered person an assist names, found by phone
 * or registered on their behalf, only within the caller's units.
 *
 * A phone is looked up among the learners whose home unit the caller's
 * roles reach (a learner without one is at the nation's level), and a
 * phone registered elsewhere gets the answer of a phone registered
 * nowhere: a volunteer cannot learn whether any number in the country has
 * an account.  For the same reason, registering a phone that a learner
 * outside the caller's units already holds links the record to that
 * learner (who is there and consents) instead of telling the phone is
 * taken; only a phone held inside the caller's units answers "already
 * registered".  Each account may look up or register at most
 * HV_PERSON_LOOKUPS_PER_HOUR phones an hour. */
#include "domain/help/outreach.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "domain/internal.h"
#include "domain/measure/measure.h"
#include "domain/places/units.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"
#include "domain/people/signin.h"

#define SAVE_FAILED "could not save; try again"
#define NOT_HERE "no learner with this phone is registered in your units; register them (with their consent) instead"

/* Do the caller's roles reach a learner of this home unit ("" none)? */
static bool reaches(const struct hv_units *u, const struct hv_principal *who, const char *home)
{
	const struct hv_unit *x = hv_units_get(u, *home ? home : HV_ROOT_CODE);
	return x && hv_can(who, HV_ROLES_LOG_HELP, x);
}

/* The enabled learner holding phone: *id (0: none) and *near, whether
 * the caller's roles reach them; HV_EUNAVAIL when it cannot be read. */
static int learner(struct hv_conn *c, const struct hv_units *u, const struct hv_principal *who, const char *phone, int64_t *id,
                   bool *near)
{
	struct hv_stmt *st = hv_sql(c, "SELECT id, COALESCE(home_unit, '') FROM accounts "
	                               "WHERE phone = $1 AND kind = 'learner' AND disabled = 0");
	hv_bind_text(st, 1, phone);
	int rc = hv_step(st);
	*id = rc == 1 ? hv_col_i64(st, 0) : 0;
	*near = rc == 1 && reaches(u, who, hv_col_text(st, 1));
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_assist_find_person(struct hv_conn *c, const struct hv_units *u, const struct hv_principal *who, const char *phone,
                          int64_t *person, struct hv_error *e)
{
	bool near;
	if (learner(c, u, who, phone, person, &near) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	if (!near) /* registered nowhere, or outside the caller's units: one answer */
		*person = 0;
	return *person ? HV_OK : hv_err_set(e, HV_EINVAL, "person.phone", NOT_HERE);
}

int hv_assist_register_person(struct hv_conn *c, const struct hv_units *u, const struct hv_principal *who,
                              const struct hv_unit *unit, const char *name, const char *phone, int64_t now, const char *ip,
                              int64_t *person, struct hv_error *e)
{
	/* Registered on their behalf, with consent; they set a PIN later. */
	struct hv_stmt *st = hv_sql(c, "INSERT INTO accounts (kind, phone, display_name, home_unit, province_code, consent_at, created_at, "
	                               "updated_at) VALUES ('learner', $1, $2, $3, $4, $5, $5, $5) ON CONFLICT (phone) DO NOTHING RETURNING id");
	hv_bind_text(st, 1, phone);
	hv_bind_text(st, 2, name);
	hv_bind_text(st, 3, unit->code);
	hv_bind_text(st, 4, unit->province_code);
	hv_bind_i64(st, 5, now);
	int rc = hv_step(st);
	*person = rc == 1 ? hv_col_i64(st, 0) : 0;
	hv_stmt_done(st);
	const char *action = "account.create+consent", *detail = "registered by a volunteer";
	bool near = false;
	if (rc == 0 && learner(c, u, who, phone, person, &near) < 0)
		rc = HV_EUNAVAIL;
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	if (rc == 0) {
		/* Taken: said only inside the caller's units (or for a staff or
		 * disabled account); a learner elsewhere is linked. */
		if (near || !*person)
			return hv_err_set(e, HV_ECONFLICT, "person.register.phone", "this phone is already registered: use {\"phone\": …}");
		action = "account.link+consent";
		detail = "already registered outside the volunteer's units: linked";
	}
	char target[40];
	snprintf(target, sizeof target, "account:%lld", (long long)*person);
	if ((rc == 1 && hv_agg_add(c, unit->code, now, "registered_learners", 1) < 0) ||
	    hv_audit(c, who->acct.id, action, target, unit->code, detail, ip) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED);
	return HV_OK;
}

int hv_assist_person_allowed(struct hv_store *s, const struct hv_principal *who, struct hv_error *e)
{
	char key[48];
	snprintf(key, sizeof key, "person-lookup:%lld", (long long)who->acct.id);
	int rc = hv_rate_limit(s, key, HV_PERSON_LOOKUPS_PER_HOUR, 3600);
	if (rc == HV_ELIMIT)
		return hv_err_set(e, HV_ELIMIT, "person", "at most %d people may be looked up or registered by phone an hour; log this one "
		                                       "with age band, gender and group, or try again later", HV_PERSON_LOOKUPS_PER_HOUR);
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, SAVE_FAILED) : HV_OK;
}
