/* outreach.h: the Help pillar: acts of help (assists) logged by volunteers,
 * digital touch points, organisations and teams.
 *
 * An assist is keyed by a UUID the client makes, so a phone that lost its
 * network and sends the same record again creates nothing new: the second
 * answer is the first one, byte for byte.  Everything is checked against
 * the caller's roles: a volunteer of ward A cannot log help in ward B. */
#ifndef HV_OUTREACH_H
#define HV_OUTREACH_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "domain/people/auth.h"

#define HV_ROLES_LOG_HELP (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR | HV_ROLE_VOLUNTEER)

extern const char *const hv_services[];    /* service codes, NULL-terminated */
extern const char *const hv_age_bands[];
extern const char *const hv_genders[];
extern const char *const hv_groups[];
extern const char *const hv_outcomes[];
/* True if g is one of hv_groups. */
bool hv_group_valid(const char *g);

struct hv_assist_result {
	char *body;        /* canonical JSON of the stored assist (malloc'd) */
	bool created;      /* false: the id was already stored */
};

/* Validates the JSON object in (see docs/api.md), checks the caller may log
 * help in its unit, and stores it once.  HV_EINVAL with e->field naming
 * the bad field; HV_EFORBIDDEN outside the caller's units. */
int hv_assist_submit(struct hv_store *s, const struct hv_principal *who, const json_t *in, const char *ip,
                     struct hv_assist_result *out, struct hv_error *e);
/* Validates an assist as hv_assist_submit does before it writes (fields,
 * units of the loaded tree), without a caller or a database: HV_OK and in
 * *canonical (malloc'd, or NULL if not wanted) the record as it would be
 * stored for volunteer 1 at time 0, or HV_EINVAL with e->field.  For the
 * fuzzer; the phone and name of a person registered on the spot are
 * checked too. */
int hv_assist_check(const json_t *in, char **canonical, struct hv_error *e);
/* The stored assist (its JSON in *body, malloc'd, and its unit) if the
 * caller's roles reach its unit. */
int hv_assist_get(struct hv_conn *c, const struct hv_principal *who, const char *id, char **body, char unit[8], struct hv_error *e);

/* Changes services, other, outcome, has_smartphone or touch_point of an
 * assist (id, unit and person stay): its author within 24 hours, or a
 * manager of its unit; every edit is kept (assist_edits) and audit-logged,
 * and the indicators follow.  *body gets the new JSON (malloc'd). */
int hv_assist_edit(struct hv_store *s, const struct hv_principal *who, const char *id, const json_t *in, const char *ip,
                   char **body, struct hv_error *e);

/* Removes an assist logged by mistake (its author within 24 hours, or a
 * manager of its unit); the indicators follow and the removed record is
 * kept in the audit log. */
int hv_assist_delete(struct hv_store *s, const struct hv_principal *who, const char *id, const char *ip, struct hv_error *e);

/* What an assist counts for (assist_counts.c), fed to fn once per
 * (breakdown, indicator, item): dim "" overall, "@g<group>" or "@o<org id>"
 * for a breakdown; item NULL for a plain counter, else a distinct item
 * (a person, a volunteer) to count once per period.  sign is +1 to count
 * the record, -1 to take it back.  Used by the write path and by the
 * verification, so both follow one rule. */
struct hv_assist_facts {
	const char *unit;
	const char *group;     /* target group of an anonymous person, or NULL */
	int64_t at, person, volunteer, org;  /* person/org 0 when none */
	int services;
	bool has_smartphone;
};
typedef int (*hv_count_fn)(void *ctx, const char *unit, int64_t at, const char *dim, const char *indicator, const char *item,
                           int64_t delta);
int hv_assist_count(const struct hv_assist_facts *f, int sign, hv_count_fn fn, void *ctx);

struct hv_touch_point {
	int64_t id;
	char name[4 * 120 + 1], unit[8], address[4 * 200 + 1], hours[4 * 120 + 1];
	double lat, lon;
	bool has_coords, free_wifi;
};
int hv_touch_point_add(struct hv_store *s, const struct hv_principal *who, const struct hv_touch_point *tp, int64_t *id,
                       struct hv_error *e);
typedef void (*hv_touch_point_cb)(const struct hv_touch_point *tp, void *arg);
/* Touch points of unit and its subtree. */
int hv_touch_points(struct hv_conn *c, const char *unit, hv_touch_point_cb cb, void *arg);

#endif
