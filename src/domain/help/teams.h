/* teams.h: organisations (MTTQ, Đoàn Thanh niên, …) held at a unit,
 * volunteer teams per commune with a leader and members, the scope rules
 * for them, the activity figures of the volunteer and leader pages, and
 * the CSV imports of volunteers and touch points.
 *
 * Who may do what: admins and managers whose role reaches a unit manage
 * its organisations and every team there; a coordinator is a role granted
 * with an organisation (roles.org_id) and manages only that organisation's
 * teams within the role's subtree (another organisation's team answers
 * HV_EFORBIDDEN).  Members are staff accounts holding the volunteer role
 * at a unit of the team's subtree (or above it). */
#ifndef HV_TEAMS_H
#define HV_TEAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/people/auth.h"
#include "domain/people/audit.h"

extern const char *const hv_org_kinds[];   /* codes, NULL-terminated */
extern const char *const hv_org_kind_names[]; /* their Vietnamese names */

struct hv_org {
	int64_t id;
	char name[4 * 120 + 1], kind[24], unit[8];
	int64_t created_at;
};

struct hv_team {
	int64_t id;
	char name[4 * 120 + 1], unit[8];
	int64_t org_id;           /* 0: no organisation */
	int64_t leader_id;        /* 0: none yet */
	char org_name[4 * 120 + 1], leader_name[4 * 120 + 1];
};

/* May p manage organisations at unit? (admin or manager reaching it) */
bool hv_can_manage_orgs(const struct hv_principal *p, const struct hv_unit *unit);
/* Does p hold a coordinator role of org whose unit reaches unit? */
bool hv_coordinates(const struct hv_principal *p, int64_t org, const struct hv_unit *unit);
/* May p manage team t (members, leader)?  Managers/admins of its unit, or
 * a coordinator of its organisation whose role reaches it. */
bool hv_can_manage_team(const struct hv_principal *p, const struct hv_team *t);

/* Creates (id 0) or changes an organisation; HV_EINVAL with e->field
 * (name, kind, unit), HV_EFORBIDDEN outside p's units.  *id gets the id. */
int hv_org_save(struct hv_store *s, const struct hv_principal *p, struct hv_org *o, const char *ip, struct hv_error *e);
int hv_org_get(struct hv_conn *c, int64_t id, struct hv_org *o);       /* HV_ENOTFOUND */
typedef void (*hv_org_cb)(const struct hv_org *o, void *arg);
/* Organisations at unit and its subtree (limit rows). */
int hv_orgs_list(struct hv_conn *c, const char *unit, int limit, hv_org_cb cb, void *arg);
/* Organisations at x or a unit above it, by name (at most 200): those a
 * unit's dashboard can filter by, as their volunteers' work rolls up. */
int hv_orgs_near(struct hv_conn *c, const struct hv_unit *x, hv_org_cb cb, void *arg);

/* Creates a team in a commune, optionally of an organisation whose unit
 * reaches it.  *id gets the new id. */
int hv_team_create(struct hv_store *s, const struct hv_principal *p, const char *name, const char *unit, int64_t org,
                   const char *ip, int64_t *id, struct hv_error *e);
int hv_team_get(struct hv_conn *c, int64_t id, struct hv_team *t); /* HV_ENOTFOUND */
typedef void (*hv_team_cb)(const struct hv_team *t, void *arg);
/* Teams of unit's subtree (org 0: any organisation), limit rows. */
int hv_teams_list(struct hv_conn *c, const char *unit, int64_t org, int limit, hv_team_cb cb, void *arg);
/* The teams account belongs to (as member or leader). */
int hv_teams_of(struct hv_conn *c, int64_t account, hv_team_cb cb, void *arg);

enum hv_team_action { HV_TEAM_ADD, HV_TEAM_REMOVE, HV_TEAM_LEADER };
/* Adds or removes a member, or makes a member the leader (a new leader is
 * added as a member too).  login names a staff account with the volunteer
 * role reaching or within the team's unit.  Audit-logged. */
int hv_team_member(struct hv_store *s, const struct hv_principal *p, int64_t team, enum hv_team_action act,
                   const char *login, const char *ip, struct hv_error *e);

/* Activity: assists and minutes since week_start and since quarter_start,
 * and the last assist ever, per member of a team (one grouped query). */
struct hv_activity {
	int64_t account;
	char name[4 * 120 + 1], login[65];
	int64_t week, week_minutes, quarter, quarter_minutes, last_at;
	/* hv_team_activity: the part of the above attributed to the team's
	 * organisation when logged (what the team's totals and the dashboard's
	 * organisation filter count); all of it for a team of no organisation. */
	int64_t team_week, team_week_minutes, team_quarter, team_quarter_minutes;
	bool leader;
};
typedef void (*hv_activity_cb)(const struct hv_activity *a, void *arg);
int hv_team_activity(struct hv_conn *c, int64_t team, int64_t week_start, int64_t quarter_start, hv_activity_cb cb, void *arg);
/* The same figures for one volunteer (one query). */
int hv_my_activity(struct hv_conn *c, int64_t account, int64_t week_start, int64_t quarter_start, struct hv_activity *out);
/* Monday 00:00 and the first day of the quarter, Vietnam time (UTC+7). */
void hv_week_quarter_start(int64_t now, int64_t *week, int64_t *quarter);
/* [from, to) of a period "2026" or "2026Q4", Vietnam time; HV_EINVAL. */
int hv_period_range(const char *period, int64_t *from, int64_t *to);

/* CSV imports, validated completely first and applied in one transaction
 * (all or nothing); errors read "SOURCE:LINE: what to do".  progress (may
 * be NULL) is called while validating and writing.  Volunteers: header
 * login,display_name,unit_code,team[,phone]; each gets a random initial
 * password, reported through on_password.  scope (NULL: all) limits the
 * units rows may name: a row outside it fails the whole file.  Touch points: header
 * name,unit_code,address,lat,lon,free_wifi,hours. */
typedef void (*hv_progress_cb)(const char *what, long done, long total);
typedef void (*hv_password_cb)(const char *login, const char *password, void *arg);
int hv_volunteers_import(struct hv_store *s, const char *data, size_t len, const char *source, const struct hv_importer *by,
                         hv_progress_cb progress, hv_password_cb on_password, void *arg, int *rows, struct hv_error *e);
int hv_touch_points_import(struct hv_store *s, const char *data, size_t len, const char *source, const struct hv_importer *by,
                           hv_progress_cb progress, int *rows, struct hv_error *e);
/* Parse and validate only, without a database (fuzzing); units from the
 * loaded tree when present. */
int hv_volunteers_check(const char *data, size_t len, const char *source, int *rows, struct hv_error *e);
int hv_touch_points_check(const char *data, size_t len, const char *source, int *rows, struct hv_error *e);

/* Assists of unit's subtree created in [from, to), oldest first, as CSV
 * lines (UTF-8 with BOM, CRLF) passed to out one at a time, at most limit
 * rows a call: cur (zeroed before the first call) remembers the last row
 * (keyset paging), so a large export is read page by page and no
 * statement stays open between calls; cur->done is set after the last
 * page.  Columns depend on what p may see: volunteers only their own
 * records; viewers no person account, volunteer id or free text. */
struct hv_export_cursor {
	int64_t at;
	char id[37];
	bool started, done;
};
typedef int (*hv_line_cb)(const char *line, size_t len, void *arg);
int hv_assists_export(struct hv_conn *c, const struct hv_principal *p, const struct hv_unit *unit, int64_t from, int64_t to,
                      struct hv_export_cursor *cur, int limit, hv_line_cb out, void *arg, struct hv_error *e);

#endif
