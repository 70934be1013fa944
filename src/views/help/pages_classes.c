/* pages_classes.c: mobile classes (lớp học lưu động) for the public and
 * learners: the listing per commune and day, a class page with
 * registration and cancellation, scheduling by staff; a touch point's
 * page with its upcoming classes; the printable poster and handouts.
 * Attendance is in pages_attend.c.  Times are shown and typed in
 * Vietnam time (UTC+7), the only zone of the country. */
#include "views/pages.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/num.h"
#include "domain/help/class_pdf.h"
#include "domain/help/classes.h"
#include "domain/learn/learning.h"
#include "domain/places/units.h"
#include "views/pickers.h"
#include "views/places/find_place.h"
#include "views/tmpl.h"
#include "domain/people/roles.h"

#define VN_OFFSET (7 * 3600)
#define LIST_MAX 200

static struct tm vn_tm(int64_t t)
{
	time_t local = (time_t)(t + VN_OFFSET);
	struct tm tm;
	gmtime_r(&local, &tm);
	return tm;
}

/* "08:00–10:00, 01/12/2026" (the end's date too when another day). */
static const char *when(struct hv_ctx *c, int64_t start, int64_t end)
{
	struct tm a = vn_tm(start), b = vn_tm(end);
	if (a.tm_yday == b.tm_yday && a.tm_year == b.tm_year)
		return hv_arena_printf(c->arena, "%02d:%02d–%02d:%02d, %02d/%02d/%04d", a.tm_hour, a.tm_min, b.tm_hour, b.tm_min,
		                       a.tm_mday, a.tm_mon + 1, a.tm_year + 1900);
	return hv_arena_printf(c->arena, "%02d:%02d %02d/%02d/%04d – %02d:%02d %02d/%02d/%04d", a.tm_hour, a.tm_min, a.tm_mday,
	                       a.tm_mon + 1, a.tm_year + 1900, b.tm_hour, b.tm_min, b.tm_mday, b.tm_mon + 1, b.tm_year + 1900);
}

/* "YYYY-MM-DD" (with "THH:MM" when time) in Vietnam time; -1 if malformed. */
static int64_t parse_local(const char *s, bool time)
{
	int y, mo, d, h = 0, mi = 0, n = 0;
	size_t want = time ? 16 : 10;
	if (!s || strlen(s) != want)
		return -1;
	if (time ? sscanf(s, "%4d-%2d-%2dT%2d:%2d%n", &y, &mo, &d, &h, &mi, &n) != 5
	         : sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return -1;
	if ((size_t)n != want || y < 2000 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || h < 0 || mi < 0)
		return -1;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi};
	int64_t t = (int64_t)timegm(&tm) - VN_OFFSET;
	struct tm back = vn_tm(t);
	return back.tm_mday == d ? t : -1; /* 31/02 is not a day */
}

struct hv_val *hv_class_val(struct hv_ctx *c, const struct hv_class *k)
{
	struct hv_val *o = hv_obj(c->arena);
	hv_set_int(o, "id", k->id);
	hv_set_str(o, "title", k->title);
	hv_set(o, "when", hv_str(c->arena, when(c, k->starts_at, k->ends_at)));
	hv_set_int(o, "point_id", k->touch_point_id);
	hv_set_str(o, "point", k->point_name);
	hv_set_str(o, "address", k->point_address);
	hv_set_str(o, "organiser", k->organiser);
	hv_set_int(o, "capacity", k->capacity);
	hv_set_int(o, "registered", k->registered);
	hv_set_int(o, "free", k->capacity - k->registered);
	hv_set_bool(o, "full", k->registered >= k->capacity);
	hv_set_bool(o, "over", k->ends_at <= (int64_t)time(NULL));
	hv_set_int(o, "attended", k->attended);
	hv_set_int(o, "head_count", k->head_count);
	hv_set_int(o, "total", k->attended + k->head_count);
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_course *co = p ? hv_catalog_course_id(p, k->course_id) : NULL;
	hv_set_str(o, "course", co ? co->title : "");
	hv_set_str(o, "course_slug", co ? co->slug : "");
	return o;
}

bool hv_class_param(struct hv_ctx *c, struct hv_class *k)
{
	int64_t id;
	int rc = hv_parse_i64(c->params[0], 1, INT64_MAX, &id) < 0 ? HV_ENOTFOUND : hv_class_get(hv_store_conn(c->app->store), id, k);
	if (rc < 0)
		hv_fail(c, rc, "id", hv_t(c->lang, rc == HV_ENOTFOUND ? "class.unknown" : "error.retry"));
	return rc == HV_OK;
}

int hv_send_pdf(struct hv_ctx *c, int rc)
{
	if (rc < 0)
		return hv_fail(c, HV_EINTERNAL, NULL, hv_t(c->lang, "error.retry"));
	c->status = 200;
	c->resp_type = "application/pdf";
	c->cache_control = "private, no-store";
	c->no_store = true;
	return HV_OK;
}

struct list_arg {
	struct hv_ctx *c;
	struct hv_val *list;
};

static void push_class(const struct hv_class *k, void *arg)
{
	struct list_arg *l = arg;
	hv_push(l->list, hv_class_val(l->c, k));
}

/* GET /lop-hoc?don-vi=CODE&ngay=YYYY-MM-DD */
int hv_page_classes(struct hv_ctx *c)
{
	struct hv_units *u = hv_ctx_units(c);
	struct hv_val *d = hv_page_data(c);
	/* A code, or a commune, province or touch point name typed with or
	 * without diacritics ("thu dau mot"). */
	const char *typed = hv_query(c, "don-vi");
	hv_set_str(d, "typed", typed ? typed : "");
	const struct hv_unit *x = hv_find_place(c, u, typed, d);
	const char *day = hv_query(c, "ngay");
	hv_set_str(d, "day", day ? day : "");
	if (!x) {
		c->status = 404;
		hv_set_str(d, "not_found", hv_t(c->lang, "near.no_place"));
		hv_set(d, "classes", hv_list(c->arena));
		return hv_page(c, "classes", hv_t(c->lang, "class.list_title"), d);
	}
	int64_t from = (int64_t)time(NULL), to = INT64_MAX;
	if (day && *day) {
		if ((from = parse_local(day, false)) < 0)
			return hv_fail(c, HV_EINVAL, "ngay", hv_t(c->lang, "class.bad_day"));
		to = from + 24 * 3600;
	}
	hv_set_str(d, "unit", x->name);
	hv_set_str(d, "unit_code", x->code);
	struct list_arg l = {.c = c, .list = hv_set(d, "classes", hv_list(c->arena))};
	if (hv_classes_list(hv_store_reader(c->app->store), x, from, to, LIST_MAX, push_class, &l) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	hv_set_bool(d, "can_add", c->who && c->who->second_factor && !strcmp(c->who->acct.kind, "staff"));
	return hv_page(c, "classes", hv_t(c->lang, "class.list_title"), d);
}

static int class_page(struct hv_ctx *c, const struct hv_class *k, const char *error, const char *notice)
{
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "class", hv_class_val(c, k));
	bool learner = c->who && !strcmp(c->who->acct.kind, "learner");
	hv_set_bool(d, "learner", learner);
	if (learner) {
		bool attended = false;
		int reg = hv_class_status(hv_store_conn(c->app->store), k->id, c->who->acct.id, &attended);
		hv_set_bool(d, "registered", reg == 1);
		hv_set_bool(d, "attended", attended);
	}
	hv_set_bool(d, "can_run", hv_class_can_run(c->who, k, hv_ctx_units(c)));
	hv_set(d, "signin_next", hv_str(c->arena, hv_arena_printf(c->arena, "/lop-hoc/%lld", (long long)k->id)));
	if (error)
		hv_set_str(d, "error", error);
	if (notice)
		hv_set_str(d, "notice", notice);
	c->no_store = true;
	return hv_page(c, "class", k->title, d);
}

int hv_page_class(struct hv_ctx *c)
{
	struct hv_class k;
	if (!hv_class_param(c, &k))
		return HV_OK;
	const char *done = hv_query(c, "xong");
	const char *notice = done && !strcmp(done, "dang-ky") ? hv_t(c->lang, "class.registered_ok")
	                     : done && !strcmp(done, "huy")   ? hv_t(c->lang, "class.cancelled_ok")
	                                                      : NULL;
	return class_page(c, &k, NULL, notice);
}

/* Registration errors, in the visitor's language, by field. */
static const char *seat_message(struct hv_ctx *c, const struct hv_error *e)
{
	if (e->code == HV_ECONFLICT && !strcmp(e->field, "capacity"))
		return hv_t(c->lang, "class.full");
	if (e->code == HV_ECONFLICT)
		return hv_t(c->lang, strstr(e->msg, "kết thúc") ? "class.over" : "class.already");
	if (e->code == HV_ENOTFOUND)
		return hv_t(c->lang, "class.not_registered");
	if (e->code == HV_EFORBIDDEN || e->code == HV_EUNAUTH)
		return hv_t(c->lang, "class.learners_only");
	return hv_t(c->lang, "error.retry");
}

static int seat_post(struct hv_ctx *c, bool take)
{
	struct hv_class k;
	if (!hv_class_param(c, &k))
		return HV_OK;
	if (!c->who) {
		hv_redirect(c, hv_arena_printf(c->arena, "/dang-nhap/hoc-vien?next=/lop-hoc/%lld", (long long)k.id));
		return HV_OK;
	}
	struct hv_error e = {0};
	int rc = take ? hv_class_register(c->app->store, c->who, k.id, &e) : hv_class_cancel(c->app->store, c->who, k.id, &e);
	if (rc < 0) {
		c->status = hv_status_for(e.code);
		hv_class_get(hv_store_conn(c->app->store), k.id, &k);
		return class_page(c, &k, seat_message(c, &e), NULL);
	}
	hv_redirect(c, hv_arena_printf(c->arena, "/lop-hoc/%lld?xong=%s", (long long)k.id, take ? "dang-ky" : "huy"));
	return HV_OK;
}

int hv_post_class_register(struct hv_ctx *c)
{
	return seat_post(c, true);
}

int hv_post_class_cancel(struct hv_ctx *c)
{
	return seat_post(c, false);
}

/* ---- scheduling ---- */

struct opt_arg {
	struct hv_ctx *c;
	struct hv_val *list;
	int64_t selected;
};

static void point_opt(const struct hv_touch_point *tp, void *arg)
{
	struct opt_arg *o = arg;
	struct hv_val *v = hv_push(o->list, hv_obj(o->c->arena));
	hv_set_int(v, "id", tp->id);
	hv_set_str(v, "name", tp->name);
	hv_set_bool(v, "selected", tp->id == o->selected);
}

static int new_form(struct hv_ctx *c, const struct hv_error *e)
{
	struct hv_units *u = hv_ctx_units(c);
	/* The unit: ?don-vi= or the first where the caller may run classes. */
	const char *unit = hv_query(c, "don-vi") ? hv_query(c, "don-vi") : hv_form(c, "unit");
	for (int i = 0; !unit && i < c->who->acct.nroles; i++)
		if (c->who->acct.roles[i].kind & HV_ROLES_CLASSES)
			unit = c->who->acct.roles[i].unit;
	const struct hv_unit *x = unit ? hv_units_get(u, unit) : NULL;
	if (!x || !hv_can(c->who, HV_ROLES_CLASSES, x))
		return hv_fail(c, HV_EFORBIDDEN, "don-vi", hv_t(c->lang, "class.no_scope"));
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "unit", x->name);
	hv_set_str(d, "unit_code", x->code);
	const char *f;
	const char *fields[] = {"title", "start", "end", "capacity", "organisation"};
	for (int i = 0; i < 5; i++)
		hv_set_str(d, fields[i], (f = hv_form(c, fields[i])) ? f : "");
	int64_t sel = 0;
	if ((f = hv_form(c, "organisation")))
		hv_parse_i64(f, 1, INT64_MAX, &sel);
	hv_org_choices(c, u, d, "org_choices", sel);
	sel = 0;
	struct opt_arg o = {.c = c, .list = hv_set(d, "points", hv_list(c->arena))};
	if ((f = hv_form(c, "touch_point")) && hv_parse_i64(f, 1, INT64_MAX, &sel) == 0)
		o.selected = sel;
	hv_touch_points(hv_store_conn(c->app->store), x->code, point_opt, &o);
	struct hv_val *courses = hv_set(d, "courses", hv_list(c->arena));
	struct hv_pack *p = hv_ctx_catalog(c);
	sel = 0;
	if ((f = hv_form(c, "course")))
		hv_parse_i64(f, 1, INT64_MAX, &sel);
	for (int i = 0; p && i < p->ncourses; i++) {
		if (!p->courses[i].published)
			continue;
		struct hv_val *v = hv_push(courses, hv_obj(c->arena));
		hv_set_int(v, "id", p->courses[i].id);
		hv_set_str(v, "title", p->courses[i].title);
		hv_set_bool(v, "selected", p->courses[i].id == sel);
	}
	if (e) {
		char key[64];
		snprintf(key, sizeof key, "class.field.%s", e->field);
		hv_set_str(d, "error", e->code == HV_EINVAL && hv_t_exists(key) ? hv_t(c->lang, key) : e->msg);
		c->status = hv_status_for(e->code);
	}
	return hv_page(c, "class_new", hv_t(c->lang, "class.new"), d);
}

int hv_page_class_new(struct hv_ctx *c)
{
	return new_form(c, NULL);
}

int hv_post_class_new(struct hv_ctx *c)
{
	struct hv_class_new n = {.title = hv_form(c, "title")};
	struct hv_error e = {0};
	const char *f;
	if (hv_parse_i64((f = hv_form(c, "course")) ? f : "", 1, INT64_MAX, &n.course_id) < 0)
		n.course_id = 0;
	if (hv_parse_i64((f = hv_form(c, "touch_point")) ? f : "", 1, INT64_MAX, &n.touch_point_id) < 0)
		n.touch_point_id = 0;
	n.starts_at = parse_local(hv_form(c, "start"), true);
	n.ends_at = parse_local(hv_form(c, "end"), true);
	if (hv_parse_i64((f = hv_form(c, "capacity")) ? f : "", 1, HV_CLASS_CAPACITY_MAX, &n.capacity) < 0)
		n.capacity = 0;
	if ((f = hv_form(c, "organisation")) && *f && hv_parse_i64(f, 1, INT64_MAX, &n.org_id) < 0) {
		hv_err_set(&e, HV_EINVAL, "organisation", "%s", hv_t(c->lang, "class.field.organisation"));
		return new_form(c, &e);
	}
	if (n.ends_at < 0 && n.starts_at > 0) {
		hv_err_set(&e, HV_EINVAL, "end", "%s", hv_t(c->lang, "class.field.end"));
		return new_form(c, &e);
	}
	int64_t id;
	if (hv_class_create(c->app->store, c->who, &n, &id, &e) < 0)
		return new_form(c, &e);
	hv_redirect(c, hv_arena_printf(c->arena, "/lop-hoc/%lld", (long long)id));
	return HV_OK;
}

/* ---- touch point page, poster, handouts ---- */

static bool point_param(struct hv_ctx *c, struct hv_touch_point *tp)
{
	int64_t id;
	int rc = hv_parse_i64(c->params[0], 1, INT64_MAX, &id) < 0 ? HV_ENOTFOUND : hv_touch_point_get(hv_store_reader(c->app->store), id, tp);
	if (rc < 0)
		hv_fail(c, rc, "id", hv_t(c->lang, rc == HV_ENOTFOUND ? "class.unknown_point" : "error.retry"));
	return rc == HV_OK;
}

int hv_page_touch_point(struct hv_ctx *c)
{
	struct hv_touch_point tp;
	if (!point_param(c, &tp))
		return HV_OK;
	struct hv_val *d = hv_page_data(c);
	hv_set_int(d, "id", tp.id);
	hv_set_str(d, "name", tp.name);
	hv_set_str(d, "address", tp.address);
	hv_set_str(d, "hours", tp.hours);
	hv_set_bool(d, "wifi", tp.free_wifi);
	const struct hv_unit *x = hv_units_get(hv_ctx_units(c), tp.unit);
	hv_set_str(d, "unit", x ? x->name : tp.unit);
	hv_set_str(d, "unit_code", tp.unit);
	if (tp.has_coords) {
		hv_set(d, "coords", hv_str(c->arena, hv_arena_printf(c->arena, "%.5f, %.5f", tp.lat, tp.lon)));
		hv_set(d, "map", hv_str(c->arena, hv_arena_printf(c->arena, "https://www.openstreetmap.org/?mlat=%.6f&mlon=%.6f#map=17/%.6f/%.6f",
		                                                  tp.lat, tp.lon, tp.lat, tp.lon)));
	}
	struct list_arg l = {.c = c, .list = hv_set(d, "classes", hv_list(c->arena))};
	if (hv_classes_at_point(hv_store_reader(c->app->store), tp.id, (int64_t)time(NULL), LIST_MAX, push_class, &l) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	return hv_page(c, "touch_point", tp.name, d);
}

int hv_touch_point_poster(struct hv_ctx *c)
{
	struct hv_touch_point tp;
	if (!point_param(c, &tp))
		return HV_OK;
	const struct hv_unit *x = hv_units_get(hv_ctx_units(c), tp.unit);
	struct hv_poster p = {.name = tp.name, .address = tp.address, .unit = x ? x->name : tp.unit, .hours = tp.hours,
	                      .wifi = tp.free_wifi,
	                      .url = hv_arena_printf(c->arena, "%s/diem-cham/%lld", hv_learn_public_url(), (long long)tp.id)};
	struct hv_error e = {0};
	hv_buf_reset(&c->body);
	return hv_send_pdf(c, hv_pdf_poster(&p, &c->body, &e));
}

int hv_course_handouts(struct hv_ctx *c)
{
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_course *co = p ? hv_catalog_course(p, c->params[0]) : NULL;
	if (!co || !co->published)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "error.not_found"));
	struct hv_error e = {0};
	hv_buf_reset(&c->body);
	return hv_send_pdf(c, hv_pdf_handouts(co, &c->body, NULL, &e));
}
