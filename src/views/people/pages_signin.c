/* pages_signin.c: signing in and out (staff with password and TOTP,
 * learners with phone and PIN), learner registration with consent, and
 * the "my account" page. */
#include "views/pages.h"

#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "core/limits.h"
#include "domain/places/units.h"
#include "views/people/device.h"
#include "views/tmpl.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"
#include "domain/people/sessions.h"
#include "domain/people/signin.h"
#include "domain/people/totp.h"

#define SESSION_COOKIE "hv_s"

void hv_session_cookie(struct hv_ctx *c, const char *token, bool staff)
{
	hv_set_cookie(c, SESSION_COOKIE, token, staff ? HV_SESSION_STAFF_SECONDS : HV_SESSION_LEARNER_SECONDS);
}

void hv_signed_in(struct hv_ctx *c, const char *token, bool staff, const char *next)
{
	hv_session_cookie(c, token, staff);
	hv_redirect(c, hv_safe_next(next));
}

/* Signing in ends whatever session the browser had (no fixation). */
static void end_old_session(struct hv_ctx *c)
{
	if (c->who && !c->who->via_token)
		hv_session_revoke(c->app->store, c->who->session_hash);
}

static int signin_form(struct hv_ctx *c, const char *tmpl, const char *title_key, const struct hv_error *e)
{
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	const char *next = hv_form(c, "next");
	if (!next)
		next = hv_query(c, "next");
	hv_set_str(d, "next", hv_safe_next(next));
	hv_set_str(d, "login", hv_form(c, "login") ? hv_form(c, "login") : "");
	hv_set_str(d, "phone", hv_form(c, "phone") ? hv_form(c, "phone") : "");
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	return hv_page(c, tmpl, hv_t(c->lang, title_key), d);
}

int hv_page_signin(struct hv_ctx *c)
{
	return signin_form(c, "signin", "signin.title", NULL);
}

int hv_post_signin(struct hv_ctx *c)
{
	const char *login = hv_form(c, "login"), *pw = hv_form(c, "password");
	struct hv_error e = {0};
	if (!login || !pw || !*login || !*pw) {
		hv_err_set(&e, HV_EINVAL, "login", "%s", hv_t(c->lang, "signin.missing"));
		return signin_form(c, "signin", "signin.title", &e);
	}
	struct hv_account a;
	if (hv_signin_staff(c->app->store, login, pw, c->ip, hv_device_account(c), &a, &e) < 0)
		return signin_form(c, "signin", "signin.title", &e);
	end_old_session(c);
	bool needs = hv_account_needs_totp(&a);
	char token[HV_TOKEN_CHARS + 1];
	if (hv_session_create(c->app->store, &a, !needs, token, &e) < 0)
		return signin_form(c, "signin", "signin.title", &e);
	const char *next = hv_landing(&a, hv_form(c, "next"));
	if (needs) {
		hv_set_cookie(c, SESSION_COOKIE, token, HV_SESSION_STAFF_SECONDS);
		struct hv_buf b;
		hv_buf_init(&b);
		hv_buf_puts(&b, "/xac-thuc-2-lop?next=");
		hv_buf_urlenc(&b, next, strlen(next));
		hv_redirect(c, b.data);
		hv_buf_free(&b);
		return HV_OK;
	}
	hv_device_remember(c, a.id);
	hv_signed_in(c, token, true, next);
	return HV_OK;
}

int hv_page_signin_learner(struct hv_ctx *c)
{
	return signin_form(c, "signin_learner", "learner.signin_title", NULL);
}

int hv_post_signin_learner(struct hv_ctx *c)
{
	const char *phone = hv_form(c, "phone"), *pin = hv_form(c, "pin");
	struct hv_error e = {0};
	if (!phone || !pin || !*phone || !*pin) {
		hv_err_set(&e, HV_EINVAL, "phone", "%s", hv_t(c->lang, "learner.missing"));
		return signin_form(c, "signin_learner", "learner.signin_title", &e);
	}
	struct hv_account a;
	if (hv_signin_learner(c->app->store, phone, pin, c->ip, hv_device_account(c), &a, &e) < 0)
		return signin_form(c, "signin_learner", "learner.signin_title", &e);
	end_old_session(c);
	char token[HV_TOKEN_CHARS + 1];
	if (hv_session_create(c->app->store, &a, true, token, &e) < 0)
		return signin_form(c, "signin_learner", "learner.signin_title", &e);
	int claimed = hv_claim_progress(c, &a);
	hv_device_remember(c, a.id);
	hv_signed_in(c, token, false, hv_claim_landing(claimed, hv_landing(&a, hv_form(c, "next"))));
	return HV_OK;
}

/* The place part of the registration form: province, then (once one is
 * chosen, in this same form) its communes in alphabetical order; either may
 * be "none" ("Không rõ / chưa chọn").  Nothing is chosen for the person. */
static void register_places(struct hv_ctx *c, struct hv_val *d, struct hv_units *u)
{
	const char *tinh = hv_form(c, "tinh") ? hv_form(c, "tinh") : hv_query(c, "tinh");
	const char *chosen = hv_form(c, "unit");
	const struct hv_unit *p = tinh ? hv_units_get(u, tinh) : NULL;
	if (!p && chosen && !tinh) { /* an older form: the commune alone */
		const struct hv_unit *x = hv_units_get(u, chosen);
		p = x && x->depth == 2 ? x->parent : x;
	}
	if (p && p->depth != 1)
		p = NULL;
	const struct hv_unit *root = hv_units_root(u);
	const struct hv_unit **list = hv_arena_alloc(c->arena, (root ? root->nchildren : 0) * sizeof *list + 1);
	size_t n = hv_unit_children_by_name(root, list);
	struct hv_val *provs = hv_set(d, "provinces", hv_list(c->arena));
	for (size_t i = 0; i < n; i++) {
		struct hv_val *o = hv_push(provs, hv_obj(c->arena));
		hv_set_str(o, "code", list[i]->code);
		hv_set_str(o, "name", list[i]->name);
		hv_set_bool(o, "selected", p == list[i]);
	}
	hv_set_bool(d, "province_none", tinh && !strcmp(tinh, "none"));
	struct hv_val *communes = hv_set(d, "communes", hv_list(c->arena));
	if (!p)
		return;
	hv_set_str(d, "province", p->name);
	hv_set_str(d, "province_code", p->code);
	list = hv_arena_alloc(c->arena, p->nchildren * sizeof *list + 1);
	n = hv_unit_children_by_name(p, list);
	for (size_t i = 0; i < n; i++) {
		struct hv_val *o = hv_push(communes, hv_obj(c->arena));
		hv_set_str(o, "code", list[i]->code);
		hv_set_str(o, "name", list[i]->name);
		hv_set_str(o, "bare", list[i]->folded);
		hv_set_bool(o, "selected", chosen && !strcmp(chosen, list[i]->code));
	}
	hv_set_bool(d, "commune_none", chosen && !strcmp(chosen, "none"));
}

/* The form again with what was typed (never the PIN: asked for again). */
static int register_form(struct hv_ctx *c, const struct hv_error *e, bool pin_again)
{
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	hv_set_str(d, "name", hv_form(c, "name") ? hv_form(c, "name") : "");
	hv_set_str(d, "phone", hv_form(c, "phone") ? hv_form(c, "phone") : "");
	hv_set_bool(d, "consent", hv_form(c, "consent") && !strcmp(hv_form(c, "consent"), "yes"));
	hv_set_bool(d, "pin_again", pin_again || (e && hv_form(c, "pin") && *hv_form(c, "pin")));
	struct hv_units *u = hv_units_acquire();
	hv_arena_defer(c->arena, (void (*)(void *))hv_units_release, u);
	register_places(c, d, u);
	/* Optional: who they are, for the civil-servant and pupil shares. */
	static const char *const learner_groups[] = {"civil_servant", "pupil", "worker", "elderly", "small_business", "other", NULL};
	const char *given = hv_form(c, "group");
	struct hv_val *groups = hv_set(d, "groups", hv_list(c->arena));
	for (int i = 0; learner_groups[i]; i++) {
		struct hv_val *o = hv_push(groups, hv_obj(c->arena));
		hv_set_str(o, "value", learner_groups[i]);
		hv_set_str(o, "label", hv_t(c->lang, hv_arena_printf(c->arena, "group.%s", learner_groups[i])));
		hv_set_bool(o, "selected", given && !strcmp(given, learner_groups[i]));
	}
	if (e) {
		hv_set_str(d, "error", e->msg);
		hv_set_str(d, "error_field", e->field);
		c->status = hv_status_for(e->code);
	}
	return hv_page(c, "register", hv_t(c->lang, "register.title"), d);
}

int hv_page_register(struct hv_ctx *c)
{
	return register_form(c, NULL, false);
}

/* Where the learner lives, from the province and commune chosen: a commune
 * of that province, the province alone ("Không rõ" commune) or nothing
 * ("Không rõ" province).  A form without either field (an older client)
 * stays as before: the commune given, if any, checked by the account code. */
static int register_place(struct hv_ctx *c, const char **home, struct hv_error *e)
{
	const char *tinh = hv_form(c, "tinh"), *unit = hv_form(c, "unit");
	*home = unit && *unit && strcmp(unit, "none") != 0 ? unit : NULL;
	if (!tinh)
		return HV_OK;
	if (!*tinh)
		return hv_err_set(e, HV_EINVAL, "tinh", "%s", hv_t(c->lang, "register.need_province"));
	if (!strcmp(tinh, "none")) {
		*home = NULL;
		return HV_OK;
	}
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *p = hv_units_get(u, tinh), *x = *home ? hv_units_get(u, *home) : NULL;
	int rc = HV_OK;
	if (!p || p->depth != 1 || p->retired)
		rc = hv_err_set(e, HV_EINVAL, "tinh", "%s", hv_t(c->lang, "register.bad_province"));
	else if (!unit || !*unit)
		rc = hv_err_set(e, HV_EINVAL, "unit", "%s", hv_t(c->lang, "register.need_commune"));
	else if (!strcmp(unit, "none"))
		*home = p->code; /* the province is known, the commune not */
	else if (!x || x->retired || x->depth != 2 || x->parent != p)
		rc = hv_err_set(e, HV_EINVAL, "unit", "%s", hv_t(c->lang, "register.commune_elsewhere"));
	if (rc == HV_OK && *home)
		*home = hv_arena_strdup(c->arena, *home);
	hv_units_release(u);
	return rc;
}

int hv_post_register(struct hv_ctx *c)
{
	struct hv_error e = {0};
	/* "Chọn xã, phường" without JavaScript: the same form again, with the
	 * province's communes and everything typed (the PIN asked again). */
	if (hv_form(c, "chon"))
		return register_form(c, NULL, true);
	const char *home = NULL;
	if (register_place(c, &home, &e) < 0)
		return register_form(c, &e, false);
	const char *pin = hv_form(c, "pin"), *pin2 = hv_form(c, "pin2");
	if (!pin || !pin2 || strcmp(pin, pin2) != 0) {
		hv_err_set(&e, HV_EINVAL, "pin2", "%s", hv_t(c->lang, "register.pin_mismatch"));
		return register_form(c, &e, false);
	}
	/* A progress cookie claimed before (replayed into another registration):
	 * refused with nothing written; the cookie is dropped, so sending the
	 * form again registers without it. */
	if (hv_claim_was_used(c)) {
		hv_set_cookie(c, "hv_p", "", 0);
		hv_err_set(&e, HV_ECONFLICT, "hv_p", "%s", hv_t(c->lang, "register.progress_used"));
		return register_form(c, &e, false);
	}
	const char *consent = hv_form(c, "consent");
	struct hv_new_account n = {
		.kind = "learner",
		.phone = hv_form(c, "phone") ? hv_form(c, "phone") : "",
		.name = hv_form(c, "name") ? hv_form(c, "name") : "",
		.home_unit = home,
		.group = hv_form(c, "group"),
		.secret = pin,
		.consent = consent && !strcmp(consent, "yes"),
		.ip = c->ip,
		.public_signup = true, /* limited per address and commune */
	};
	if (hv_account_create(c->app->store, &n, &e) < 0)
		return register_form(c, &e, false);
	struct hv_account a;
	if (hv_account_by_id(hv_store_conn(c->app->store), n.out_id, &a) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	end_old_session(c);
	char token[HV_TOKEN_CHARS + 1];
	if (hv_session_create(c->app->store, &a, true, token, &e) < 0)
		return hv_fail_err(c, &e);
	int claimed = hv_claim_progress(c, &a);
	hv_device_remember(c, a.id);
	hv_signed_in(c, token, false, hv_claim_landing(claimed, "/tai-khoan"));
	return HV_OK;
}

int hv_post_signout(struct hv_ctx *c)
{
	if (c->who && !c->who->via_token)
		hv_session_revoke(c->app->store, c->who->session_hash);
	hv_set_cookie(c, SESSION_COOKIE, "", 0);
	hv_redirect(c, "/");
	return HV_OK;
}

const char *hv_qr_svg(struct hv_ctx *c, const char *text)
{
	QRcode *q = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return "";
	struct hv_buf b;
	hv_buf_init(&b);
	int w = q->width, m = 4;
	hv_buf_printf(&b, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"240\" height=\"240\" "
	                  "role=\"img\" aria-label=\"QR\" shape-rendering=\"crispEdges\"><rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	              w + 2 * m, w + 2 * m);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (q->data[y * w + x] & 1)
				hv_buf_printf(&b, "M%d %dh1v1h-1z", x + m, y + m);
	hv_buf_puts(&b, "\"/></svg>");
	QRcode_free(q);
	const char *s = hv_arena_strndup(c->arena, b.data, b.len);
	hv_buf_free(&b);
	return s;
}

static int totp_form(struct hv_ctx *c, const struct hv_error *e)
{
	if (!c->who) {
		hv_redirect(c, "/dang-nhap");
		return HV_OK;
	}
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "next", hv_safe_next(hv_form(c, "next") ? hv_form(c, "next") : hv_query(c, "next")));
	if (!c->who->acct.totp_enabled) {
		char secret[33];
		struct hv_error be = {0};
		if (hv_totp_begin(c->app->store, c->who->acct.id, secret, &be) < 0)
			return hv_fail_err(c, &be);
		const char *uri = hv_arena_printf(c->arena, "otpauth://totp/hocvuso:%s?secret=%s&issuer=hocvuso&digits=6&period=30",
		                                  c->who->acct.login, secret);
		hv_set_bool(d, "enrol", true);
		/* Groups of four are easier to type and to read aloud. */
		char grouped[48];
		size_t o = 0;
		for (size_t i = 0; secret[i] && o + 2 < sizeof grouped; i++) {
			if (i && i % 4 == 0)
				grouped[o++] = ' ';
			grouped[o++] = secret[i];
		}
		grouped[o] = '\0';
		hv_set_str(d, "secret", grouped);
		hv_set_str(d, "otpauth", uri);
		hv_set(d, "qr", hv_str(c->arena, hv_qr_svg(c, uri)));
	}
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	return hv_page(c, "totp", hv_t(c->lang, "totp.title"), d);
}

int hv_page_totp(struct hv_ctx *c)
{
	if (c->who && c->who->second_factor) {
		hv_redirect(c, hv_landing(&c->who->acct, hv_query(c, "next")));
		return HV_OK;
	}
	return totp_form(c, NULL);
}

int hv_post_totp(struct hv_ctx *c)
{
	if (!c->who) {
		hv_redirect(c, "/dang-nhap");
		return HV_OK;
	}
	struct hv_error e = {0};
	const char *code = hv_form(c, "code");
	if (hv_totp_verify(c->app->store, c->who->acct.id, code ? code : "", c->ip, &e) < 0)
		return totp_form(c, &e);
	hv_session_second_factor(c->app->store, c->who->session_hash);
	hv_device_remember(c, c->who->acct.id);
	hv_redirect(c, hv_landing(&c->who->acct, hv_form(c, "next")));
	return HV_OK;
}

static struct hv_val *roles_val(struct hv_ctx *c, const struct hv_account *a)
{
	struct hv_units *u = hv_units_acquire();
	hv_arena_defer(c->arena, (void (*)(void *))hv_units_release, u);
	struct hv_val *list = hv_list(c->arena);
	for (int i = 0; i < a->nroles; i++) {
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		const struct hv_unit *x = hv_units_get(u, a->roles[i].unit);
		char key[32];
		snprintf(key, sizeof key, "role.%s", hv_role_name(a->roles[i].kind));
		hv_set(o, "role", hv_str(c->arena, hv_role_name(a->roles[i].kind)));
		hv_set(o, "role_label", hv_str(c->arena, hv_t(c->lang, key)));
		hv_set(o, "unit", hv_str(c->arena, hv_arena_strdup(c->arena, a->roles[i].unit)));
		hv_set(o, "unit_name", hv_str(c->arena, x ? x->name : a->roles[i].unit));
	}
	return list;
}

int hv_page_me(struct hv_ctx *c)
{
	if (!c->who) {
		hv_redirect(c, "/dang-nhap/hoc-vien?next=/tai-khoan");
		return HV_OK;
	}
	if (!c->who->second_factor) {
		hv_redirect(c, "/xac-thuc-2-lop");
		return HV_OK;
	}
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "name", c->who->acct.name);
	hv_set_str(d, "login", c->who->acct.login);
	hv_set_str(d, "phone", c->who->acct.phone);
	hv_set_bool(d, "learner", strcmp(c->who->acct.kind, "learner") == 0);
	hv_set(d, "roles", roles_val(c, &c->who->acct));
	/* A learner's own recovery code, made and shown the first time. */
	const char *code = hv_recovery_for_me(c);
	if (code)
		hv_set_str(d, "recovery", code);
	hv_set_bool(d, "issues_resets", hv_issues_resets(c->who));
	return hv_page(c, "me", hv_t(c->lang, "me.title"), d);
}

json_t *hv_account_json(const struct hv_account *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_integer(a->id));
	json_object_set_new(o, "kind", json_string(a->kind));
	json_object_set_new(o, "name", json_string(a->name));
	json_object_set_new(o, "login", a->login[0] ? json_string(a->login) : json_null());
	json_object_set_new(o, "home_unit", a->home_unit[0] ? json_string(a->home_unit) : json_null());
	json_object_set_new(o, "disabled", json_boolean(a->disabled));
	json_t *roles = json_array();
	for (int i = 0; i < a->nroles; i++)
		json_array_append_new(roles, json_pack("{s:s, s:s}", "role", hv_role_name(a->roles[i].kind), "unit", a->roles[i].unit));
	json_object_set_new(o, "roles", roles);
	return o;
}

int hv_api_me(struct hv_ctx *c)
{
	if (!c->who)
		return hv_fail(c, HV_EUNAUTH, NULL, "sign in or send Authorization: Bearer TOKEN");
	json_t *o = hv_account_json(&c->who->acct);
	json_object_set_new(o, "second_factor", json_boolean(c->who->second_factor));
	return hv_json(c, 200, o);
}
