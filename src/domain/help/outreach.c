/* outreach.c: assists and touch points (see outreach.h). */
#include "domain/help/outreach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/ids.h"
#include "core/utf8.h"
#include "domain/internal.h"
#include "domain/measure/measure.h"
#include "domain/places/units.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"

const char *const hv_services[] = {"vneid_install", "vneid_level2", "vssid", "etax", "ehealth_book", "digital_signature",
                                   "citizen_app", "public_service_portal", "cashless_payment", "scam_awareness", "other", NULL};
const char *const hv_age_bands[] = {"under_16", "16-24", "25-39", "40-59", "60+", NULL};
const char *const hv_genders[] = {"f", "m", "other", NULL};
const char *const hv_groups[] = {"elderly", "worker", "pupil", "civil_servant", "small_business", "disability", "ethnic_minority", "other", NULL};
const char *const hv_outcomes[] = {"done", "partly", "referred", NULL};

static int index_of(const char *const *list, const char *v)
{
	for (int i = 0; v && list[i]; i++)
		if (!strcmp(list[i], v))
			return i;
	return -1;
}

bool hv_group_valid(const char *g)
{
	return index_of(hv_groups, g) >= 0;
}

static int bad(struct hv_error *e, const char *field, const char *msg)
{
	return hv_err_set(e, HV_EINVAL, field, "%s", msg);
}

/* A valid UUID (36 characters) in lower case, as stored. */
static void lower_uuid(const char *id, char out[37])
{
	for (int i = 0; i < 37; i++)
		out[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] + 32 : id[i]);
}

struct assist_in {
	char id[37];
	const struct hv_unit *unit;
	int services;
	const char *other;
	const char *phone_lookup;     /* a registered learner */
	const char *reg_name, *reg_phone; /* register on their behalf */
	const char *age_band, *gender, *group;
	const char *outcome;
	bool has_smartphone;
	int64_t touch_point;
	int minutes;                  /* how long the help took; 0 unknown */
};

static int parse(const json_t *in, struct hv_units *u, struct assist_in *a, struct hv_error *e)
{
	memset(a, 0, sizeof *a);
	if (!json_is_object(in))
		return bad(e, "", "the body must be a JSON object");
	const char *id = json_string_value(json_object_get(in, "id"));
	if (!id || !hv_uuid_valid(id))
		return bad(e, "id", "id must be a UUID made by the client, like 3f2b…-…");
	for (int i = 0; i < 36; i++)
		a->id[i] = (char)(id[i] >= 'A' && id[i] <= 'F' ? id[i] + 32 : id[i]);
	const char *unit = json_string_value(json_object_get(in, "unit"));
	a->unit = unit ? hv_units_get(u, unit) : NULL;
	if (!a->unit || a->unit->retired || a->unit->depth == 0)
		return bad(e, "unit", "unit must be the code of an existing commune or province");
	json_t *sv = json_object_get(in, "services");
	if (!json_is_array(sv) || json_array_size(sv) == 0 || json_array_size(sv) > 11)
		return bad(e, "services", "services must list 1 to 11 service codes");
	for (size_t i = 0; i < json_array_size(sv); i++) {
		int k = index_of(hv_services, json_string_value(json_array_get(sv, i)));
		if (k < 0)
			return bad(e, "services", "unknown service code");
		if (a->services & (1 << k))
			return bad(e, "services", "a service is listed twice");
		a->services |= 1 << k;
	}
	a->other = json_string_value(json_object_get(in, "other"));
	bool other = a->services & (1 << index_of(hv_services, "other"));
	if (other) {
		long n = a->other ? hv_utf8_len(a->other, strlen(a->other)) : -1;
		if (n < 2 || n > 200 || hv_has_any_control(a->other, strlen(a->other)))
			return bad(e, "other", "say on one line (no tab or line break), in 2 to 200 characters, what the other help was");
	} else {
		a->other = NULL;
	}
	json_t *p = json_object_get(in, "person");
	if (!json_is_object(p))
		return bad(e, "person", "person must be an object: {\"phone\"}, {\"register\"} or {\"age_band\", \"gender\", \"group\"}");
	json_t *reg = json_object_get(p, "register");
	a->phone_lookup = json_string_value(json_object_get(p, "phone"));
	if (reg) {
		a->reg_name = json_string_value(json_object_get(reg, "name"));
		a->reg_phone = json_string_value(json_object_get(reg, "phone"));
		if (!json_is_true(json_object_get(reg, "consent")))
			return bad(e, "person.register.consent", "registering someone needs their consent: \"consent\": true");
		if (!a->reg_name || !a->reg_phone)
			return bad(e, "person.register", "register needs name and phone");
	} else if (!a->phone_lookup) {
		a->age_band = json_string_value(json_object_get(p, "age_band"));
		a->gender = json_string_value(json_object_get(p, "gender"));
		a->group = json_string_value(json_object_get(p, "group"));
		if (index_of(hv_age_bands, a->age_band) < 0)
			return bad(e, "person.age_band", "age_band must be under_16, 16-24, 25-39, 40-59 or 60+");
		if (index_of(hv_genders, a->gender) < 0)
			return bad(e, "person.gender", "gender must be f, m or other");
		if (index_of(hv_groups, a->group) < 0)
			return bad(e, "person.group", "group must be elderly, worker, pupil, civil_servant, small_business, disability, ethnic_minority or other");
	}
	a->outcome = json_string_value(json_object_get(in, "outcome"));
	if (index_of(hv_outcomes, a->outcome) < 0)
		return bad(e, "outcome", "outcome must be done, partly or referred");
	json_t *hs = json_object_get(in, "has_smartphone");
	if (!json_is_boolean(hs))
		return bad(e, "has_smartphone", "has_smartphone must be true or false");
	a->has_smartphone = json_is_true(hs);
	json_t *tp = json_object_get(in, "touch_point");
	if (tp && !json_is_null(tp)) {
		if (!json_is_integer(tp) || json_integer_value(tp) <= 0)
			return bad(e, "touch_point", "touch_point must be the id of a touch point");
		a->touch_point = json_integer_value(tp);
	}
	json_t *mn = json_object_get(in, "minutes");
	if (mn && !json_is_null(mn)) {
		if (!json_is_integer(mn) || json_integer_value(mn) < 1 || json_integer_value(mn) > 600)
			return bad(e, "minutes", "minutes (how long the help took) must be a whole number from 1 to 600, or left out");
		a->minutes = (int)json_integer_value(mn);
	}
	return HV_OK;
}

static char *body_of(const struct assist_in *a, int64_t volunteer, int64_t person, int64_t now)
{
	json_t *sv = json_array();
	for (int k = 0; hv_services[k]; k++)
		if (a->services & (1 << k))
			json_array_append_new(sv, json_string(hv_services[k]));
	json_t *p = json_object();
	if (person)
		json_object_set_new(p, "account", json_integer(person));
	else {
		json_object_set_new(p, "age_band", json_string(a->age_band));
		json_object_set_new(p, "gender", json_string(a->gender));
		json_object_set_new(p, "group", json_string(a->group));
	}
	json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b, s:I, s:I}", "id", a->id, "unit", a->unit->code, "services", sv,
	                      "person", p, "outcome", a->outcome, "has_smartphone", a->has_smartphone, "volunteer",
	                      (json_int_t)volunteer, "created_at", (json_int_t)now);
	json_object_set_new(o, "touch_point", a->touch_point ? json_integer(a->touch_point) : json_null());
	if (a->other)
		json_object_set_new(o, "other", json_string(a->other));
	if (a->minutes)
		json_object_set_new(o, "minutes", json_integer(a->minutes));
	char *s = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

struct submit_job {
	const struct assist_in *a;
	const struct hv_principal *who;
	const char *ip;
	char phone[16];
	struct hv_assist_result *out;
	const struct hv_units *u;
};

static int existing(struct hv_conn *c, struct submit_job *j, struct hv_error *e)
{
	struct hv_stmt *st = hv_sql(c, "SELECT body, unit_code FROM assists WHERE id = $1");
	hv_bind_text(st, 1, j->a->id);
	int rc = hv_step(st);
	if (rc == 1) {
		const struct hv_unit *unit = hv_units_get(j->u, hv_col_text(st, 1));
		if (!unit || !hv_can(j->who, HV_ROLES_LOG_HELP, unit)) {
			hv_stmt_done(st);
			return hv_err_set(e, HV_EFORBIDDEN, "id", "this id belongs to a record outside your units");
		}
		j->out->body = hv_xstrdup(hv_col_text(st, 0));
		j->out->created = false;
	}
	hv_stmt_done(st);
	return rc == 1 ? 1 : rc < 0 ? HV_EUNAVAIL : 0;
}

/* The organisation an assist counts for: that of the first team of its
 * volunteer that belongs to one (fixed on the record when logged). */
static int64_t volunteer_org(struct hv_conn *c, int64_t volunteer)
{
	struct hv_stmt *st = hv_sql(c, "SELECT t.org_id FROM team_members m JOIN teams t ON t.id = m.team_id "
	                               "WHERE m.account_id = $1 AND t.org_id IS NOT NULL ORDER BY t.id LIMIT 1");
	hv_bind_i64(st, 1, volunteer);
	int64_t org = hv_step(st) == 1 ? hv_col_i64(st, 0) : 0;
	hv_stmt_done(st);
	return org;
}

/* The touch point of an assist (created or edited): one that exists
 * (else HV_EINVAL), that the caller's roles reach (else HV_EFORBIDDEN) and
 * that lies on the assist unit's branch (else HV_EINVAL). */
static int check_touch_point(struct hv_conn *c, const struct hv_units *u, const struct hv_principal *who, const struct assist_in *a,
                             struct hv_error *e)
{
	struct hv_stmt *st = hv_sql(c, "SELECT unit_code FROM touch_points WHERE id = $1");
	hv_bind_i64(st, 1, a->touch_point);
	int rc = hv_step(st);
	const struct hv_unit *tu = rc == 1 ? hv_units_get(u, hv_col_text(st, 0)) : NULL;
	hv_stmt_done(st);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "could not read the touch point; try again");
	if (!tu)
		return hv_err_set(e, HV_EINVAL, "touch_point", "there is no touch point with this id");
	if (!hv_can(who, HV_ROLES_LOG_HELP, tu))
		return hv_err_set(e, HV_EFORBIDDEN, "touch_point", "this touch point is outside your units");
	if (!hv_unit_within(tu, a->unit) && !hv_unit_within(a->unit, tu))
		return hv_err_set(e, HV_EINVAL, "touch_point", "this touch point is not in the record's unit");
	return HV_OK;
}

static int submit_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct submit_job *j = arg;
	const struct assist_in *a = j->a;
	int rc = existing(c, j, e);
	if (rc != 0)
		return rc < 0 ? rc : HV_OK;
	int64_t now = (int64_t)time(NULL), person = 0;
	struct hv_stmt *st;
	if (a->touch_point && (rc = check_touch_point(c, j->u, j->who, a, e)) < 0)
		return rc;
	if (a->phone_lookup)
		rc = hv_assist_find_person(c, j->u, j->who, j->phone, &person, e);
	else if (a->reg_phone)
		rc = hv_assist_register_person(c, j->u, j->who, a->unit, a->reg_name, j->phone, now, j->ip, &person, e);
	if (rc < 0)
		return rc;
	char *body = body_of(a, j->who->acct.id, person, now);
	int64_t org = volunteer_org(c, j->who->acct.id);
	st = hv_sql(c, "INSERT INTO assists (id, unit_code, province_code, touch_point_id, volunteer_id, services, other_text, person_account, "
	               "age_band, gender, person_group, outcome, has_smartphone, body, created_at, updated_at, org_id, minutes) "
	               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16, $17)");
	hv_bind_text(st, 1, a->id);
	hv_bind_text(st, 2, a->unit->code);
	hv_bind_text(st, 3, a->unit->province_code);
	if (a->touch_point)
		hv_bind_i64(st, 4, a->touch_point);
	else
		hv_bind_null(st, 4);
	hv_bind_i64(st, 5, j->who->acct.id);
	hv_bind_i64(st, 6, a->services);
	hv_bind_text(st, 7, a->other);
	if (person)
		hv_bind_i64(st, 8, person);
	else
		hv_bind_null(st, 8);
	hv_bind_text(st, 9, person ? NULL : a->age_band);
	hv_bind_text(st, 10, person ? NULL : a->gender);
	hv_bind_text(st, 11, person ? NULL : a->group);
	hv_bind_text(st, 12, a->outcome);
	hv_bind_i64(st, 13, a->has_smartphone);
	hv_bind_text(st, 14, body);
	hv_bind_i64(st, 15, now);
	if (org)
		hv_bind_i64(st, 16, org);
	else
		hv_bind_null(st, 16);
	if (a->minutes)
		hv_bind_i64(st, 17, a->minutes);
	else
		hv_bind_null(st, 17);
	rc = hv_step(st);
	hv_stmt_done(st);
	struct hv_assist_facts f = {.unit = a->unit->code, .group = person ? NULL : a->group, .at = now, .person = person,
	                            .volunteer = j->who->acct.id, .org = org, .services = a->services,
	                            .has_smartphone = a->has_smartphone};
	if (rc >= 0)
		rc = hv_assist_count(&f, +1, hv_agg_sink, c);
	if (rc < 0) {
		free(body);
		return hv_err_set(e, HV_EUNAVAIL, NULL, "could not save; try again");
	}
	j->out->body = body;
	j->out->created = true;
	return HV_OK;
}

static bool stored_already(struct hv_conn *c, const char *id)
{
	struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM assists WHERE id = $1");
	hv_bind_text(st, 1, id);
	bool found = hv_step(st) == 1;
	hv_stmt_done(st);
	return found;
}

/* The phone (normalised into phone) and the name of the person helped,
 * when given; errors name the field inside "person". */
static int check_person(const struct assist_in *a, char phone[16], struct hv_error *e)
{
	int rc = HV_OK;
	if (a->phone_lookup || a->reg_phone)
		rc = hv_check_phone(a->phone_lookup ? a->phone_lookup : a->reg_phone, phone, e);
	if (rc == HV_OK && a->reg_name)
		rc = hv_check_name(a->reg_name, e);
	if (rc < 0 && (!strcmp(e->field, "phone") || !strcmp(e->field, "name")))
		snprintf(e->field, sizeof e->field, "%s",
		         a->phone_lookup ? "person.phone" : !strcmp(e->field, "phone") ? "person.register.phone" : "person.register.name");
	return rc;
}

int hv_assist_submit(struct hv_store *s, const struct hv_principal *who, const json_t *in, const char *ip,
                     struct hv_assist_result *out, struct hv_error *e)
{
	memset(out, 0, sizeof *out);
	struct hv_units *u = hv_units_acquire();
	struct assist_in a;
	int rc = parse(in, u, &a, e);
	struct submit_job j = {.a = &a, .who = who, .ip = ip, .out = out, .u = u};
	if (rc == HV_OK && !hv_can(who, HV_ROLES_LOG_HELP, a.unit))
		rc = hv_err_set(e, HV_EFORBIDDEN, "unit", "you may not log help in this unit");
	if (rc == HV_OK)
		rc = check_person(&a, j.phone, e);
	/* Each phone looked up or registered counts, found or not (a record
	 * sent again is answered from the first and counts nothing). */
	if (rc == HV_OK && (a.phone_lookup || a.reg_phone) && !stored_already(hv_store_conn(s), a.id))
		rc = hv_assist_person_allowed(s, who, e);
	if (rc == HV_OK)
		rc = hv_store_write(s, submit_fn, &j, e);
	hv_units_release(u);
	return rc;
}

int hv_assist_check(const json_t *in, char **canonical, struct hv_error *e)
{
	if (canonical)
		*canonical = NULL;
	struct hv_units *u = hv_units_acquire();
	struct assist_in a;
	char phone[16];
	int rc = u ? parse(in, u, &a, e) : hv_err_set(e, HV_EINVAL, "unit", "no units are loaded");
	if (rc == HV_OK)
		rc = check_person(&a, phone, e);
	if (rc == HV_OK && canonical)
		*canonical = body_of(&a, 1, a.phone_lookup || a.reg_phone ? 2 : 0, 0);
	hv_units_release(u);
	return rc;
}

int hv_assist_get(struct hv_conn *c, const struct hv_principal *who, const char *id, char **body, char unit[8], struct hv_error *e)
{
	if (!hv_uuid_valid(id))
		return hv_err_set(e, HV_ENOTFOUND, "id", "no such assist");
	char lower[37];
	lower_uuid(id, lower);
	struct hv_stmt *st = hv_sql(c, "SELECT body, unit_code FROM assists WHERE id = $1");
	hv_bind_text(st, 1, lower);
	int rc = hv_step(st);
	if (rc != 1) {
		hv_stmt_done(st);
		return rc == 0 ? hv_err_set(e, HV_ENOTFOUND, "id", "no such assist") : HV_EUNAVAIL;
	}
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, hv_col_text(st, 1));
	bool ok = x && hv_can(who, HV_ROLES_LOG_HELP | HV_ROLE_VIEWER, x);
	if (ok) {
		*body = hv_xstrdup(hv_col_text(st, 0));
		snprintf(unit, 8, "%s", x->code);
	}
	hv_units_release(u);
	hv_stmt_done(st);
	return ok ? HV_OK : hv_err_set(e, HV_EFORBIDDEN, "id", "this assist is outside your units");
}

/* ---- touch points ---- */

struct tp_job {
	const struct hv_touch_point *tp;
	const struct hv_principal *who;
	const char *province;
	int64_t id;
};

static int tp_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct tp_job *j = arg;
	int rc = hv_touch_point_insert(c, j->tp, j->province, j->who->acct.id, (int64_t)time(NULL), &j->id);
	return rc == HV_OK ? HV_OK : hv_err_set(e, HV_EUNAVAIL, NULL, "Không lưu được, vui lòng thử lại.");
}

int hv_touch_point_insert(struct hv_conn *c, const struct hv_touch_point *tp, const char *province, int64_t actor, int64_t now,
                          int64_t *id)
{
	struct tp_job job = {.tp = tp, .province = province}, *j = &job;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO touch_points (name, unit_code, province_code, address, lat, lon, free_wifi, hours, "
	                               "created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id");
	hv_bind_text(st, 1, j->tp->name);
	hv_bind_text(st, 2, j->tp->unit);
	hv_bind_text(st, 3, j->province);
	hv_bind_text(st, 4, j->tp->address);
	if (j->tp->has_coords) {
		char lat[32], lon[32];
		snprintf(lat, sizeof lat, "%.6f", j->tp->lat);
		snprintf(lon, sizeof lon, "%.6f", j->tp->lon);
		hv_bind_text(st, 5, lat);
		hv_bind_text(st, 6, lon);
	} else {
		hv_bind_null(st, 5);
		hv_bind_null(st, 6);
	}
	hv_bind_i64(st, 7, j->tp->free_wifi);
	hv_bind_text(st, 8, j->tp->hours);
	if (actor)
		hv_bind_i64(st, 9, actor);
	else
		hv_bind_null(st, 9);
	hv_bind_i64(st, 10, now);
	int rc = hv_step(st);
	if (rc == 1)
		*id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc == 1 && hv_agg_add(c, j->tp->unit, now, "touch_points", 1) < 0)
		rc = HV_EUNAVAIL;
	return rc == 1 ? HV_OK : HV_EUNAVAIL;
}

int hv_touch_point_check(const struct hv_touch_point *tp, struct hv_error *e)
{
	int rc = HV_OK;
	if ((rc = hv_check_one_line(tp->name, "name", "Tên điểm hỗ trợ", e)) < 0 ||
	    (rc = hv_check_one_line(tp->address, "address", "Địa chỉ", e)) < 0 || (rc = hv_check_one_line(tp->hours, "hours", "Giờ mở cửa", e)) < 0)
		return rc;
	if ((rc = hv_check_name(tp->name, e)) < 0)
		snprintf(e->field, sizeof e->field, "name");
	else if (!hv_utf8_valid(tp->address, strlen(tp->address)) || hv_utf8_len(tp->address, strlen(tp->address)) < 5)
		rc = hv_err_set(e, HV_EINVAL, "address", "Hãy ghi địa chỉ (ít nhất 5 ký tự).");
	else if (!hv_utf8_valid(tp->hours, strlen(tp->hours)) || hv_utf8_len(tp->hours, strlen(tp->hours)) < 3)
		rc = hv_err_set(e, HV_EINVAL, "hours", "Hãy ghi giờ mở cửa, ví dụ: 7:30–17:00, thứ Hai – thứ Sáu.");
	else if (tp->has_coords && !(tp->lat >= 8 && tp->lat <= 24 && tp->lon >= 102 && tp->lon <= 118))
		rc = hv_err_set(e, HV_EINVAL, "lat", "Tọa độ phải nằm trong Việt Nam (vĩ độ 8–24, kinh độ 102–118).");
	return rc;
}

int hv_touch_point_add(struct hv_store *s, const struct hv_principal *who, const struct hv_touch_point *tp, int64_t *id,
                       struct hv_error *e)
{
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *unit = hv_units_get(u, tp->unit);
	int rc = HV_OK;
	if (!unit || unit->retired || unit->depth == 0)
		rc = hv_err_set(e, HV_EINVAL, "unit", "Không có đơn vị hành chính với mã này.");
	else if (!hv_can(who, HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR, unit))
		rc = hv_err_set(e, HV_EFORBIDDEN, "unit", "Bạn không quản lý đơn vị này.");
	else
		rc = hv_touch_point_check(tp, e);
	struct tp_job j = {.tp = tp, .who = who, .province = unit ? unit->province_code : NULL};
	if (rc == HV_OK)
		rc = hv_store_write(s, tp_fn, &j, e);
	if (rc == HV_OK && id)
		*id = j.id;
	hv_units_release(u);
	return rc;
}

int hv_touch_points(struct hv_conn *c, const char *unit, hv_touch_point_cb cb, void *arg)
{
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *top = hv_units_get(u, unit);
	if (!top) {
		hv_units_release(u);
		return HV_ENOTFOUND;
	}
	/* A province's points are those of its communes: one query by the
	 * province code (indexed) or by the commune itself. */
	struct hv_stmt *st;
	if (top->depth == 0) {
		st = hv_sql(c, "SELECT id, name, unit_code, address, lat, lon, free_wifi, hours FROM touch_points ORDER BY unit_code, name");
	} else if (top->depth == 1) {
		st = hv_sql(c, "SELECT id, name, unit_code, address, lat, lon, free_wifi, hours FROM touch_points WHERE province_code = $1 "
		               "ORDER BY unit_code, name");
		hv_bind_text(st, 1, top->code);
	} else {
		st = hv_sql(c, "SELECT id, name, unit_code, address, lat, lon, free_wifi, hours FROM touch_points WHERE unit_code = $1 "
		               "ORDER BY name, id");
		hv_bind_text(st, 1, top->code);
	}
	int rc;
	while ((rc = hv_step(st)) == 1) {
		struct hv_touch_point tp = {0};
		tp.id = hv_col_i64(st, 0);
		snprintf(tp.name, sizeof tp.name, "%s", hv_col_text(st, 1));
		snprintf(tp.unit, sizeof tp.unit, "%s", hv_col_text(st, 2));
		snprintf(tp.address, sizeof tp.address, "%s", hv_col_text(st, 3));
		tp.has_coords = !hv_col_null(st, 4);
		tp.lat = tp.has_coords ? strtod(hv_col_text(st, 4), NULL) : 0;
		tp.lon = tp.has_coords ? strtod(hv_col_text(st, 5), NULL) : 0;
		tp.free_wifi = hv_col_i64(st, 6) != 0;
		snprintf(tp.hours, sizeof tp.hours, "%s", hv_col_text(st, 7));
		cb(&tp, arg);
	}
	hv_stmt_done(st);
	hv_units_release(u);
	return rc < 0 ? rc : HV_OK;
}

/* ---- edits and deletions ---- */

/* A stored assist: its JSON, and the facts it counts with. */
struct stored {
	char *body;                /* malloc'd */
	char unit[8], group[24];
	struct hv_assist_facts f;  /* points into this struct */
};

static int load_stored(struct hv_conn *c, const char *id, struct stored *r, struct hv_error *e)
{
	memset(r, 0, sizeof *r);
	struct hv_stmt *st = hv_sql(c, "SELECT body, unit_code, volunteer_id, created_at, services, has_smartphone, person_account, "
	                               "person_group, org_id FROM assists WHERE id = $1");
	hv_bind_text(st, 1, id);
	int rc = hv_step(st);
	if (rc != 1) {
		hv_stmt_done(st);
		return rc == 0 ? hv_err_set(e, HV_ENOTFOUND, "id", "no such assist") : hv_err_set(e, HV_EUNAVAIL, NULL, "try again");
	}
	r->body = hv_xstrdup(hv_col_text(st, 0));
	snprintf(r->unit, sizeof r->unit, "%s", hv_col_text(st, 1));
	snprintf(r->group, sizeof r->group, "%s", hv_col_text(st, 7));
	r->f = (struct hv_assist_facts){.unit = r->unit, .group = hv_col_null(st, 7) ? NULL : r->group,
	                                .at = hv_col_i64(st, 3), .person = hv_col_null(st, 6) ? 0 : hv_col_i64(st, 6),
	                                .volunteer = hv_col_i64(st, 2), .org = hv_col_null(st, 8) ? 0 : hv_col_i64(st, 8),
	                                .services = (int)hv_col_i64(st, 4), .has_smartphone = hv_col_i64(st, 5) != 0};
	hv_stmt_done(st);
	return HV_OK;
}

/* Its author within 24 hours (still holding a role there), or a manager. */
static int may_change(const struct hv_principal *who, const struct hv_units *u, const struct stored *r, int64_t now,
                      struct hv_error *e)
{
	const struct hv_unit *x = hv_units_get(u, r->unit);
	bool author_window = r->f.volunteer == who->acct.id && now - r->f.at < 24 * 3600 && x && hv_can(who, HV_ROLES_LOG_HELP, x);
	if (!author_window && !(x && hv_can(who, HV_ROLE_MANAGER | HV_ROLE_ADMIN, x)))
		return hv_err_set(e, HV_EFORBIDDEN, "id", "only its author (for 24 hours) or a manager of its unit may change this record");
	return HV_OK;
}

struct edit_job {
	const struct hv_principal *who;
	const json_t *in;
	const char *id, *ip;
	const struct hv_units *u;
	char *body;
};

static int edit_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct edit_job *j = arg;
	struct stored old_rec;
	int rc = load_stored(c, j->id, &old_rec, e);
	if (rc < 0)
		return rc;
	char *before = old_rec.body, *unit = old_rec.unit;
	int64_t author = old_rec.f.volunteer, created = old_rec.f.at, person = old_rec.f.person, now = (int64_t)time(NULL);
	if ((rc = may_change(j->who, j->u, &old_rec, now, e)) < 0) {
		free(before);
		return rc;
	}
	/* The edit is the whole record again; id, unit and person stay. */
	json_t *merged = json_deep_copy(j->in);
	json_error_t je;
	json_t *old = json_loads(before, 0, &je);
	json_object_set_new(merged, "id", json_string(j->id));
	json_object_set_new(merged, "unit", json_string(unit));
	json_object_set(merged, "person", json_object_get(old, "person"));
	if (person)
		json_object_set_new(merged, "person", json_pack("{s:s, s:s, s:s}", "age_band", "60+", "gender", "f", "group", "other"));
	struct hv_units *u = (struct hv_units *)j->u;
	struct assist_in a;
	rc = parse(merged, u, &a, e); /* a points into merged: freed at the end */
	if (rc == HV_OK && a.touch_point) /* checked as when logged */
		rc = check_touch_point(c, j->u, j->who, &a, e);
	if (rc < 0) {
		json_decref(merged);
		json_decref(old);
		free(before);
		return rc;
	}
	char *body = body_of(&a, author, person, created);
	if (person) {
		/* Keep the linked person exactly as it was. */
		json_t *b = json_loads(body, 0, &je);
		json_object_set(b, "person", json_object_get(old, "person"));
		free(body);
		body = json_dumps(b, JSON_COMPACT | JSON_SORT_KEYS);
		json_decref(b);
	}
	json_decref(old);
	struct hv_stmt *st = hv_sql(c, "UPDATE assists SET services = $2, other_text = $3, outcome = $4, has_smartphone = $5, touch_point_id = $6, "
	               "age_band = $7, gender = $8, person_group = $9, body = $10, updated_at = $11, minutes = $12 WHERE id = $1");
	hv_bind_text(st, 1, j->id);
	hv_bind_i64(st, 2, a.services);
	hv_bind_text(st, 3, a.other);
	hv_bind_text(st, 4, a.outcome);
	hv_bind_i64(st, 5, a.has_smartphone);
	if (a.touch_point)
		hv_bind_i64(st, 6, a.touch_point);
	else
		hv_bind_null(st, 6);
	hv_bind_text(st, 7, person ? NULL : a.age_band);
	hv_bind_text(st, 8, person ? NULL : a.gender);
	hv_bind_text(st, 9, person ? NULL : a.group);
	hv_bind_text(st, 10, body);
	hv_bind_i64(st, 11, now);
	if (a.minutes)
		hv_bind_i64(st, 12, a.minutes);
	else
		hv_bind_null(st, 12);
	rc = hv_step(st) < 0 ? HV_EUNAVAIL : HV_OK;
	hv_stmt_done(st);
	/* The aggregates follow, in the record's own periods: the old record is
	 * taken back and the new one counted (only the differences are written). */
	struct hv_assist_facts nf = old_rec.f;
	nf.services = a.services;
	nf.has_smartphone = a.has_smartphone;
	nf.group = person ? NULL : a.group;
	if (rc == HV_OK)
		rc = hv_assist_count(&old_rec.f, -1, hv_agg_sink, c);
	if (rc == HV_OK)
		rc = hv_assist_count(&nf, +1, hv_agg_sink, c);
	if (rc == HV_OK) {
		st = hv_sql(c, "INSERT INTO assist_edits (assist_id, editor_id, before_body, after_body, at) VALUES ($1, $2, $3, $4, $5)");
		hv_bind_text(st, 1, j->id);
		hv_bind_i64(st, 2, j->who->acct.id);
		hv_bind_text(st, 3, before);
		hv_bind_text(st, 4, body);
		hv_bind_i64(st, 5, now);
		rc = hv_step(st) < 0 ? HV_EUNAVAIL : HV_OK;
		hv_stmt_done(st);
	}
	if (rc == HV_OK)
		rc = hv_audit(c, j->who->acct.id, "assist.edit", j->id, unit, NULL, j->ip);
	json_decref(merged);
	free(before);
	if (rc < 0) {
		free(body);
		return hv_err_set(e, HV_EUNAVAIL, NULL, "could not save; try again");
	}
	j->body = body;
	return HV_OK;
}

int hv_assist_edit(struct hv_store *s, const struct hv_principal *who, const char *id, const json_t *in, const char *ip,
                   char **body, struct hv_error *e)
{
	if (!hv_uuid_valid(id))
		return hv_err_set(e, HV_ENOTFOUND, "id", "no such assist");
	if (!json_is_object(in))
		return hv_err_set(e, HV_EINVAL, "", "the body must be a JSON object");
	char lower[37];
	lower_uuid(id, lower);
	struct hv_units *u = hv_units_acquire();
	struct edit_job j = {.who = who, .in = in, .id = lower, .ip = ip, .u = u};
	int rc = hv_store_write(s, edit_fn, &j, e);
	hv_units_release(u);
	if (rc == HV_OK)
		*body = j.body;
	return rc;
}

struct delete_job {
	const struct hv_principal *who;
	const char *id, *ip;
	const struct hv_units *u;
};

static int delete_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct delete_job *j = arg;
	struct stored r;
	int rc = load_stored(c, j->id, &r, e);
	if (rc < 0)
		return rc;
	if ((rc = may_change(j->who, j->u, &r, (int64_t)time(NULL), e)) < 0)
		goto out;
	rc = hv_assist_count(&r.f, -1, hv_agg_sink, c);
	struct hv_stmt *st = hv_sql(c, "DELETE FROM assist_edits WHERE assist_id = $1");
	hv_bind_text(st, 1, j->id);
	if (rc >= 0)
		rc = hv_step(st);
	hv_stmt_done(st);
	st = hv_sql(c, "DELETE FROM assists WHERE id = $1");
	hv_bind_text(st, 1, j->id);
	if (rc >= 0)
		rc = hv_step(st);
	hv_stmt_done(st);
	if (rc >= 0)
		rc = hv_audit(c, j->who->acct.id, "assist.delete", j->id, r.unit, r.body, j->ip);
	if (rc < 0)
		rc = hv_err_set(e, HV_EUNAVAIL, NULL, "could not delete; try again");
out:
	free(r.body);
	return rc < 0 ? rc : HV_OK;
}

int hv_assist_delete(struct hv_store *s, const struct hv_principal *who, const char *id, const char *ip, struct hv_error *e)
{
	if (!hv_uuid_valid(id))
		return hv_err_set(e, HV_ENOTFOUND, "id", "no such assist");
	char lower[37];
	lower_uuid(id, lower);
	struct hv_units *u = hv_units_acquire();
	struct delete_job j = {.who = who, .id = lower, .ip = ip, .u = u};
	int rc = hv_store_write(s, delete_fn, &j, e);
	hv_units_release(u);
	return rc;
}
