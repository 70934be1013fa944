/* internal.h: helpers shared between files of the domain layer only. */
#ifndef HV_DOMAIN_INTERNAL_H
#define HV_DOMAIN_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"
#include "domain/people/accounts.h"

/* Records a sign-in or second-factor outcome (what = "signin", "pin",
 * "totp"); returns the seconds the account is now locked for, or 0. */
int hv_signin_record(struct hv_store *s, int64_t id, bool success, const char *what, const char *ip);

/* The columns an account and a role are read from, prefix p naming the
 * table in a join ("a." or ""), and the fillers that read them starting at
 * column at (accounts.c).  A role row that is NULL or unknown adds nothing. */
#define HV_ACCOUNT_COLS(p) p "id, " p "kind, COALESCE(" p "login, ''), COALESCE(" p "phone, ''), " p "display_name, " \
                           "COALESCE(" p "home_unit, ''), " p "disabled, " p "totp_enabled, " p "locked_until, " p "created_at"
#define HV_ACCOUNT_NCOLS 10
#define HV_ROLE_COLS(p) p "id, " p "role, " p "unit_code, COALESCE(" p "org_id, 0)"
struct hv_account;
void hv_account_fill(struct hv_stmt *st, int at, struct hv_account *a);
void hv_account_add_role(struct hv_stmt *st, int at, struct hv_account *a);

struct hv_new_account;
struct hv_error;
/* Inside a write: inserts a validated account (hash already computed),
 * its first role and team, and the audit rows (hv_account_create's body). */
int hv_account_insert(struct hv_conn *c, struct hv_new_account *n, const char *hash, int64_t now, struct hv_error *e);

struct hv_touch_point;
/* Checks name, address, hours and coordinates (message and field set). */
int hv_touch_point_check(const struct hv_touch_point *tp, struct hv_error *e);
/* Inside a write: inserts a validated touch point and counts it. */
int hv_touch_point_insert(struct hv_conn *c, const struct hv_touch_point *tp, const char *province, int64_t actor, int64_t now,
                          int64_t *id);

/* The person an assist names (assist_person.c), inside its write: the
 * learner holding phone (normalised) whom the caller's roles reach, else
 * HV_EINVAL on "person.phone" (the same for a phone registered nowhere and
 * one registered outside the caller's units). */
struct hv_principal;
struct hv_units;
struct hv_unit;
int hv_assist_find_person(struct hv_conn *c, const struct hv_units *u, const struct hv_principal *who, const char *phone,
                          int64_t *person, struct hv_error *e);
/* Registers name and phone at unit with consent (audit-logged, counted);
 * a phone a learner outside the caller's units holds is linked to them
 * instead; HV_ECONFLICT when the phone is taken inside them. */
int hv_assist_register_person(struct hv_conn *c, const struct hv_units *u, const struct hv_principal *who,
                              const struct hv_unit *unit, const char *name, const char *phone, int64_t now, const char *ip,
                              int64_t *person, struct hv_error *e);
/* Before the write: counts one phone looked up or registered by the
 * caller; HV_ELIMIT past HV_PERSON_LOOKUPS_PER_HOUR this clock hour. */
int hv_assist_person_allowed(struct hv_store *s, const struct hv_principal *who, struct hv_error *e);

/* A whole CSV file in rows (csv_rows.c).  Row 0 is the header; line is
 * the row's number in the file, for messages. */
#define HV_CSV_MAX_COLS 8
struct hv_csv_row {
	char **f;
	int nf, line;
};
struct hv_csv {
	struct hv_csv_row *rows;
	size_t n, cap;
	int ncols;           /* columns in the header */
};
/* Import messages in the sender's language: vi (a Vietnamese page) or
 * English (the command line, an English page).  Both are literals, so the
 * compiler checks them against the arguments alike. */
#define HV_MSG(vi, vi_text, en_text) ((vi) ? (vi_text) : (en_text))
/* Where a CSV file's text starts (after a UTF-8 byte-order mark, which
 * spreadsheets write) and its separator: ';' when the header line has
 * more semicolons than commas outside quotes (what Excel writes in a
 * Vietnamese locale), else ','. */
size_t hv_csv_start(const char *data, size_t len, unsigned char *delim);
/* Parses strictly and checks the header against cols (NULL-terminated,
 * the first required ones mandatory, in order), every row's field count
 * and UTF-8.  On success the caller frees out with hv_csv_free. */
int hv_csv_read(const char *data, size_t len, const char *src, const char *const *cols, int required, bool vi, struct hv_csv *out,
                struct hv_error *e);
void hv_csv_free(struct hv_csv *c);
/* One field of an imported row (column col, 1-based, named name): valid
 * UTF-8 on one line, no tab, line break or other control character; the
 * error names the file, the line and the column. */
int hv_csv_field_check(const char *f, const char *src, int line, int col, const char *name, struct hv_error *e);

#endif
