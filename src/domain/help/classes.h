/* classes.h: mobile classes (lớp học lưu động) held at a digital touch
 * point: scheduling, learners' registration, attendance and the QR
 * check-in token.
 *
 * A class belongs to the unit of its touch point; staff whose roles
 * (admin, manager, coordinator, volunteer) reach that unit schedule and
 * run it.  A seat is taken with one conditional UPDATE (registered <
 * capacity), so the capacity holds with several app servers.  Attendance
 * is one row per person (QR check-in or ticked by staff) plus an
 * anonymous head count; the indicators classes_held and class_attendance
 * move in the same transaction, in the period of the class's start.
 *
 * The check-in token is "MINUTE-MAC": MAC = HMAC-SHA256(server secret,
 * "checkin:ID:MINUTE"), first 8 bytes in hex.  It is accepted for the
 * current and the previous minute; a wrong MAC is forged (403), a right
 * MAC of an older minute is expired (400). */
#ifndef HV_CLASSES_H
#define HV_CLASSES_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/people/auth.h"
#include "domain/help/outreach.h"

#define HV_ROLES_CLASSES HV_ROLES_LOG_HELP
#define HV_CLASS_TOKEN_MAX 48
#define HV_CLASS_CAPACITY_MAX 1000

struct hv_class {
	int64_t id, course_id, touch_point_id, organiser_id, org_id;
	char title[4 * 120 + 1];
	char unit[8], province[8];
	int64_t starts_at, ends_at, held_at;
	int capacity, registered, head_count, attended;
	char point_name[4 * 120 + 1];
	char point_address[4 * 200 + 1];
	char organiser[4 * 120 + 1];
};

struct hv_class_new {
	const char *title;
	int64_t course_id, touch_point_id, org_id;   /* org_id 0: none */
	int64_t starts_at, ends_at;
	int64_t capacity;
};

/* Validates (title 5–120 characters, a published course, an existing touch
 * point the caller's roles reach, end after start, capacity 1–1000) and
 * stores the class with the caller as organiser.  HV_EINVAL with e->field,
 * HV_EFORBIDDEN outside the caller's units. */
int hv_class_create(struct hv_store *s, const struct hv_principal *who, const struct hv_class_new *n, int64_t *id,
                    struct hv_error *e);
/* The class with its touch point and organiser names; HV_ENOTFOUND. */
int hv_class_get(struct hv_conn *c, int64_t id, struct hv_class *out);
/* May who run this class (attendance, sheet)? Staff whose roles reach its unit. */
bool hv_class_can_run(const struct hv_principal *who, const struct hv_class *k, const struct hv_units *u);

typedef void (*hv_class_cb)(const struct hv_class *k, void *arg);
/* Classes of unit's subtree that overlap [from, to), by start; at most limit. */
int hv_classes_list(struct hv_conn *c, const struct hv_unit *unit, int64_t from, int64_t to, int limit, hv_class_cb cb,
                    void *arg);
/* Classes at touch point tp not ended at from, by start; at most limit. */
int hv_classes_at_point(struct hv_conn *c, int64_t tp, int64_t from, int limit, hv_class_cb cb, void *arg);

/* A signed-in learner takes a seat (HV_ECONFLICT: full, already
 * registered, or the class is over) or gives it back (HV_ENOTFOUND if not
 * registered). */
int hv_class_register(struct hv_store *s, const struct hv_principal *who, int64_t id, struct hv_error *e);
int hv_class_cancel(struct hv_store *s, const struct hv_principal *who, int64_t id, struct hv_error *e);
/* 1 registered, 0 not, < 0 error; *attended set when given. */
int hv_class_status(struct hv_conn *c, int64_t id, int64_t account, bool *attended);

struct hv_class_person {
	int64_t account;
	char name[4 * 120 + 1];
	char phone[16];
	bool registered, attended;
	char how[8];               /* "qr" or "list" when attended */
};
typedef void (*hv_class_person_cb)(const struct hv_class_person *p, void *arg);
/* Registered people and anyone who attended, by name. */
int hv_class_people(struct hv_conn *c, int64_t id, hv_class_person_cb cb, void *arg);

/* Staff who run the class: mark the registered accounts listed as present
 * (already present ones are left as they are), take back the ticks of the
 * accounts in untick (those ticked from the list; a learner's own QR
 * check-in stays) and set the anonymous head count
 * (0–HV_CLASS_CAPACITY_MAX; head_count < 0 leaves it). */
struct hv_ids {
	const int64_t *v;
	int n;
};
int hv_class_mark(struct hv_store *s, const struct hv_principal *who, int64_t id, struct hv_ids tick, struct hv_ids untick,
                  int64_t head_count, struct hv_error *e);
/* A learner confirms attendance by QR; *already when it was recorded before. */
int hv_class_checkin(struct hv_store *s, const struct hv_principal *who, int64_t id, bool *already, struct hv_error *e);

/* The token for class id at minute (unix time / 60). */
void hv_class_token(const unsigned char secret[32], int64_t id, int64_t minute, char out[HV_CLASS_TOKEN_MAX]);
/* HV_OK for a token of this or the previous minute; HV_EFORBIDDEN when
 * forged or malformed, HV_EINVAL when expired. */
int hv_class_token_check(const unsigned char secret[32], int64_t id, const char *token, int64_t now, struct hv_error *e);

/* A touch point by id; HV_ENOTFOUND. */
int hv_touch_point_get(struct hv_conn *c, int64_t id, struct hv_touch_point *tp);

#endif
