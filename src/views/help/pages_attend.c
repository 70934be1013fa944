/* pages_attend.c: taking attendance at a class.  The organiser's screen
 * shows a QR code of a check-in address whose token changes every minute
 * (app.js reloads it each minute; a button does without JavaScript); a learner
 * who scans it signs in if needed, comes back and confirms once.  Staff
 * can also tick registered names and enter an anonymous head count, and
 * print the attendance sheet.  Every staff route answers 403 outside the
 * caller's units. */
#include "views/pages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "core/num.h"
#include "domain/help/class_pdf.h"
#include "domain/help/classes.h"
#include "domain/learn/learning.h"
#include "views/tmpl.h"

#define MAX_TICKS 1000

/* The class of {id}, for staff who run it; otherwise answered (401/403/404). */
static bool staff_class(struct hv_ctx *c, struct hv_class *k)
{
	if (!hv_class_param(c, k))
		return false;
	if (!hv_class_can_run(c->who, k, hv_ctx_units(c))) {
		hv_fail(c, HV_EFORBIDDEN, "id", hv_t(c->lang, "class.not_yours"));
		return false;
	}
	c->no_store = true;
	return true;
}

static const char *checkin_path(struct hv_ctx *c, int64_t id, const char *token)
{
	return hv_arena_printf(c->arena, "/lop-hoc/%lld/co-mat?t=%s", (long long)id, token);
}

int hv_page_class_qr(struct hv_ctx *c)
{
	struct hv_class k;
	if (!staff_class(c, &k))
		return HV_OK;
	int64_t now = (int64_t)time(NULL);
	char token[HV_CLASS_TOKEN_MAX];
	hv_class_token(c->app->secret, k.id, now / 60, token);
	const char *url = hv_arena_printf(c->arena, "%s%s", hv_learn_public_url(), checkin_path(c, k.id, token));
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "class", hv_class_val(c, &k));
	hv_set(d, "qr", hv_str(c->arena, hv_qr_svg(c, url)));
	hv_set(d, "checkin_url", hv_str(c->arena, url));
	/* The script reloads just after the minute turns, so the code on
	 * screen is the current one (the previous one is still accepted);
	 * without it, "Lấy mã mới" does.  ?dung=1 pauses it (WCAG 2.2.1: the
	 * user can turn the timing off).  No <meta refresh> (axe). */
	if (hv_query(c, "dung"))
		hv_set_bool(d, "paused", true);
	else
		hv_set_int(d, "reload_in", 60 - now % 60 + 1);
	return hv_page(c, "class_qr", hv_t(c->lang, "class.qr_title"), d);
}

struct people_arg {
	struct hv_ctx *c;
	struct hv_val *list;
	struct hv_buf shown; /* the accounts ticked from the list, space-separated */
	const char **names;  /* the printed sheet's */
	int n, cap;
};

static void person_val(const struct hv_class_person *p, void *arg)
{
	struct people_arg *a = arg;
	struct hv_val *o = hv_push(a->list, hv_obj(a->c->arena));
	hv_set_int(o, "account", p->account);
	hv_set_str(o, "name", hv_person_name(a->c, p->name));
	hv_set_bool(o, "registered", p->registered);
	hv_set_bool(o, "attended", p->attended);
	hv_set_bool(o, "by_qr", !strcmp(p->how, "qr"));
	if (p->attended && strcmp(p->how, "qr") != 0)
		hv_buf_printf(&a->shown, "%s%lld", a->shown.len ? " " : "", (long long)p->account);
}

/* Staff reading a class's people (names, how they came): audit-logged,
 * and nothing shown if the row cannot be written. */
static bool audit_people(struct hv_ctx *c, const struct hv_class *k, const char *action)
{
	char target[32];
	snprintf(target, sizeof target, "class:%lld", (long long)k->id);
	return hv_audit_read(c, action, target, k->unit, NULL);
}

static int list_page(struct hv_ctx *c, const struct hv_class *k, const char *error, const char *notice)
{
	if (!audit_people(c, k, "class.people.read"))
		return HV_OK;
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "class", hv_class_val(c, k));
	struct people_arg a = {.c = c, .list = hv_set(d, "people", hv_list(c->arena))};
	hv_buf_init(&a.shown);
	int rc = hv_class_people(hv_store_conn(c->app->store), k->id, person_val, &a);
	hv_set_str(d, "shown", a.shown.data ? a.shown.data : "");
	hv_buf_free(&a.shown);
	if (rc < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	if (error)
		hv_set_str(d, "error", error);
	if (notice)
		hv_set_str(d, "notice", notice);
	return hv_page(c, "class_list", hv_t(c->lang, "class.list_names"), d);
}

int hv_page_class_list(struct hv_ctx *c)
{
	struct hv_class k;
	if (!staff_class(c, &k))
		return HV_OK;
	return list_page(c, &k, NULL, hv_query(c, "da-luu") ? hv_t(c->lang, "class.saved") : NULL);
}

/* The accounts of shown (space-separated ids) not among the n ticked, into
 * off; false when shown is not such a list. */
static bool unticked(const char *shown, const int64_t *ticked, int n, int64_t *off, int *noff)
{
	for (const char *s = shown ? shown + strspn(shown, " ") : ""; *s; s += strspn(s, " ")) {
		size_t len = strcspn(s, " ");
		char one[24];
		int64_t id;
		if (len >= sizeof one || *noff == MAX_TICKS)
			return false;
		memcpy(one, s, len);
		one[len] = '\0';
		if (hv_parse_i64(one, 1, INT64_MAX, &id) < 0)
			return false;
		bool kept = false;
		for (int t = 0; t < n && !kept; t++)
			kept = ticked[t] == id;
		if (!kept)
			off[(*noff)++] = id;
		s += len;
	}
	return true;
}

int hv_post_class_list(struct hv_ctx *c)
{
	struct hv_class k;
	if (!staff_class(c, &k))
		return HV_OK;
	/* Ticked boxes are named p_ACCOUNT; "shown" lists the accounts the page
	 * showed ticked from the list, so one shown but not sent was unticked. */
	int64_t *ids = hv_arena_alloc(c->arena, sizeof *ids * MAX_TICKS), *off = hv_arena_alloc(c->arena, sizeof *off * MAX_TICKS);
	int n = 0, noff = 0;
	for (int i = 0; i < c->form.n && n < MAX_TICKS; i++) {
		int64_t id;
		if (!strncmp(c->form.items[i].key, "p_", 2) && hv_parse_i64(c->form.items[i].key + 2, 1, INT64_MAX, &id) == 0)
			ids[n++] = id;
	}
	if (!unticked(hv_form(c, "shown"), ids, n, off, &noff)) {
		c->status = 400;
		return list_page(c, &k, hv_t(c->lang, "class.bad_shown"), NULL);
	}
	const char *hc = hv_form(c, "head_count");
	int64_t head = -1;
	struct hv_error e = {0};
	if (hc && *hc && hv_parse_i64(hc, 0, HV_CLASS_CAPACITY_MAX, &head) < 0) {
		c->status = 400;
		return list_page(c, &k, hv_t(c->lang, "class.field.head_count"), NULL);
	}
	if (hv_class_mark(c->app->store, c->who, k.id, (struct hv_ids){ids, n}, (struct hv_ids){off, noff}, head, &e) < 0) {
		c->status = hv_status_for(e.code);
		char key[64];
		snprintf(key, sizeof key, "class.field.%s", e.field);
		return list_page(c, &k, hv_t_exists(key) ? hv_t(c->lang, key) : e.msg, NULL);
	}
	hv_redirect(c, hv_arena_printf(c->arena, "/lop-hoc/%lld/danh-sach?da-luu=1", (long long)k.id));
	return HV_OK;
}

/* ---- the learner's side of the QR code ---- */

/* The class and a valid token, or an answer: 404, 403 forged, 400 expired. */
static bool checkin_ok(struct hv_ctx *c, struct hv_class *k, const char *token)
{
	if (!hv_class_param(c, k))
		return false;
	struct hv_error e = {0};
	if (hv_class_token_check(c->app->secret, k->id, token, (int64_t)time(NULL), &e) < 0) {
		hv_fail(c, e.code, "t", hv_t(c->lang, e.code == HV_EINVAL ? "class.token_expired" : "class.token_bad"));
		return false;
	}
	if (!c->who) {
		/* Sign in (or register), then come back here. */
		struct hv_buf b;
		hv_buf_init(&b);
		hv_buf_puts(&b, "/dang-nhap/hoc-vien?next=");
		const char *back = checkin_path(c, k->id, token);
		hv_buf_urlenc(&b, back, strlen(back));
		hv_redirect(c, hv_arena_strdup(c->arena, b.data));
		hv_buf_free(&b);
		return false;
	}
	if (strcmp(c->who->acct.kind, "learner") != 0) {
		hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "class.learners_only"));
		return false;
	}
	c->no_store = true;
	return true;
}

static int checkin_page(struct hv_ctx *c, const struct hv_class *k, const char *token, bool done, bool already)
{
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "class", hv_class_val(c, k));
	hv_set_str(d, "token", token);
	hv_set_bool(d, "done", done);
	hv_set_bool(d, "already", already);
	return hv_page(c, "checkin", hv_t(c->lang, "class.checkin_title"), d);
}

int hv_page_checkin(struct hv_ctx *c)
{
	struct hv_class k;
	const char *token = hv_query(c, "t");
	if (!checkin_ok(c, &k, token))
		return HV_OK;
	bool attended = false;
	hv_class_status(hv_store_conn(c->app->store), k.id, c->who->acct.id, &attended);
	return checkin_page(c, &k, token, false, attended);
}

int hv_post_checkin(struct hv_ctx *c)
{
	struct hv_class k;
	const char *token = hv_form(c, "t");
	if (!checkin_ok(c, &k, token))
		return HV_OK;
	bool already = false;
	struct hv_error e = {0};
	if (hv_class_checkin(c->app->store, c->who, k.id, &already, &e) < 0)
		return hv_fail(c, e.code, NULL, hv_t(c->lang, "error.retry"));
	hv_class_get(hv_store_conn(c->app->store), k.id, &k);
	return checkin_page(c, &k, token, true, already);
}

/* ---- the printed sheet ---- */

static void sheet_name(const struct hv_class_person *p, void *arg)
{
	struct people_arg *a = arg;
	if (!p->registered || a->n >= a->cap)
		return;
	a->names[a->n++] = hv_arena_strdup(a->c->arena, hv_person_name(a->c, p->name));
}

int hv_class_sheet(struct hv_ctx *c)
{
	struct hv_class k;
	if (!staff_class(c, &k) || !audit_people(c, &k, "class.sheet.read"))
		return HV_OK;
	struct people_arg a = {.c = c, .cap = k.registered + 1};
	a.names = hv_arena_alloc(c->arena, sizeof *a.names * (size_t)a.cap);
	if (hv_class_people(hv_store_conn(c->app->store), k.id, sheet_name, &a) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	struct hv_val *v = hv_class_val(c, &k);
	struct hv_sheet s = {.title = k.title, .course = hv_get(v, "course")->s, .when = hv_get(v, "when")->s,
	                     .place = k.point_name, .address = k.point_address, .organiser = k.organiser,
	                     .capacity = k.capacity, .names = a.names, .nnames = a.n};
	struct hv_error e = {0};
	hv_buf_reset(&c->body);
	return hv_send_pdf(c, hv_pdf_attendance_sheet(&s, &c->body, &e));
}
