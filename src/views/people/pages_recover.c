/* pages_recover.c: getting back into a learner account (see
 * domain/people/recovery.h): the public "Quên mã PIN" page where a code
 * and a new PIN are entered, the page where a volunteer or official issues
 * a reset code after checking the person face to face, and the person's
 * own recovery code (made and shown once on "my account", replaceable). */
#include "views/pages.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/learn/learning.h"
#include "domain/people/recovery.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"
#include "domain/people/sessions.h"
#include "domain/places/units.h"
#include "views/people/device.h"
#include "views/tmpl.h"

/* Pages that show a code are nobody's to keep. */
static void private_page(struct hv_ctx *c)
{
	c->no_store = true;
	c->cache_control = "private, no-store";
}

/* The message for a domain error in the page's language where the field
 * says which one it is. */
static const char *reset_message(struct hv_ctx *c, const struct hv_error *e)
{
	if (!strcmp(e->field, "code"))
		return hv_t(c->lang, "reset.bad_code");
	if (!strcmp(e->field, "limit"))
		return hv_t(c->lang, "reset.limited");
	if (!strcmp(e->field, "pin"))
		return hv_t(c->lang, "reset.bad_pin");
	return e->msg;
}

static int forgot_form(struct hv_ctx *c, const struct hv_error *e)
{
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	hv_set_str(d, "phone", hv_form(c, "phone") ? hv_form(c, "phone") : "");
	hv_set_str(d, "code", hv_form(c, "code") ? hv_form(c, "code") : "");
	if (e) {
		hv_set_str(d, "error", reset_message(c, e));
		hv_set_str(d, "error_field", e->field);
		c->status = hv_status_for(e->code);
	}
	private_page(c);
	return hv_page(c, "forgot", hv_t(c->lang, "forgot.title"), d);
}

int hv_page_forgot(struct hv_ctx *c)
{
	return forgot_form(c, NULL);
}

/* The person's own code, on a page they can print. */
static int show_code(struct hv_ctx *c, const char *code, bool pin_set)
{
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "recovery", code);
	hv_set_bool(d, "pin_set", pin_set);
	private_page(c);
	return hv_page(c, "recovery_code", hv_t(c->lang, pin_set ? "forgot.done_title" : "recovery.title"), d);
}

int hv_post_forgot(struct hv_ctx *c)
{
	struct hv_error e = {0};
	const char *pin = hv_form(c, "pin"), *pin2 = hv_form(c, "pin2");
	if (!pin || !pin2 || strcmp(pin, pin2) != 0) {
		hv_err_set(&e, HV_EINVAL, "pin2", "%s", hv_t(c->lang, "register.pin_mismatch"));
		return forgot_form(c, &e);
	}
	struct hv_reset_use u = {.phone = hv_form(c, "phone"), .code = hv_form(c, "code"), .pin = pin, .ip = c->ip};
	if (hv_reset_use(c->app->store, &u, &e) < 0)
		return forgot_form(c, &e);
	/* Every session of the account has ended; this browser starts a new
	 * one (and drops whatever session it had). */
	struct hv_account a;
	char token[HV_TOKEN_CHARS + 1];
	if (c->who && !c->who->via_token)
		hv_session_revoke(c->app->store, c->who->session_hash);
	if (hv_account_by_id(hv_store_conn(c->app->store), u.out_account, &a) < 0 ||
	    hv_session_create(c->app->store, &a, true, token, &e) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	hv_session_cookie(c, token, false);
	hv_device_remember(c, a.id);
	/* The page is drawn for the new session: its menu signed in, its
	 * forms' CSRF tokens bound to the new cookie. */
	struct hv_principal *p = hv_arena_alloc(c->arena, sizeof *p);
	memset(p, 0, sizeof *p);
	p->acct = a;
	p->second_factor = true;
	snprintf(p->session_token, sizeof p->session_token, "%s", token);
	c->who = p;
	return show_code(c, u.new_code, true);
}

/* ---- staff: issuing a reset code ---- */

static int issue_form(struct hv_ctx *c, const struct hv_error *e, struct hv_val *d)
{
	if (!d)
		d = hv_page_data(c);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	/* After a code is issued the form is empty, for the next person. */
	hv_set_str(d, "phone", e && hv_form(c, "phone") ? hv_form(c, "phone") : "");
	if (e) {
		hv_set_str(d, "error", e->msg);
		hv_set_str(d, "error_field", e->field);
		c->status = hv_status_for(e->code);
	}
	hv_set_int(d, "minutes", HV_RESET_SECONDS / 60);
	private_page(c);
	return hv_page(c, "reset_issue", hv_t(c->lang, "reset.title"), d);
}

int hv_page_reset_issue(struct hv_ctx *c)
{
	return issue_form(c, NULL, NULL);
}

static int issue_error(struct hv_ctx *c, int code, const char *field, const char *key)
{
	struct hv_error e = {0};
	hv_err_set(&e, code, field, "%s", hv_t(c->lang, key));
	return issue_form(c, &e, NULL);
}

int hv_post_reset_issue(struct hv_ctx *c)
{
	const char *given = hv_form(c, "phone"), *checked = hv_form(c, "checked");
	char phone[16];
	struct hv_error e = {0};
	if (hv_check_phone(given ? given : "", phone, &e) < 0)
		return issue_error(c, HV_EINVAL, "phone", "reset.phone_bad");
	if (!checked || strcmp(checked, "yes") != 0)
		return issue_error(c, HV_EINVAL, "checked", "reset.check_needed");
	struct hv_account a;
	int rc = hv_account_by_phone(hv_store_conn(c->app->store), phone, &a);
	if (rc == HV_ENOTFOUND)
		return issue_error(c, HV_ENOTFOUND, "phone", "reset.no_learner");
	if (rc < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	/* Only within the units the issuer's roles reach; a person with no
	 * commune belongs to the whole country. */
	const struct hv_units *u = hv_ctx_units(c);
	const struct hv_unit *home = a.home_unit[0] ? hv_units_get(u, a.home_unit) : hv_units_root(u);
	if (!home || !hv_can(c->who, HV_ROLES_RESET, home))
		return issue_error(c, HV_EFORBIDDEN, "phone", "reset.not_yours");
	if (strcmp(a.kind, "learner") != 0)
		return issue_error(c, HV_EFORBIDDEN, "phone", "reset.staff_account");
	char code[HV_RESET_CODE_CHARS];
	int64_t expires;
	if ((rc = hv_reset_issue(c->app->store, &a, c->who->acct.id, c->ip, code, &expires, &e)) < 0) {
		if (!strcmp(e.field, "limit"))
			return issue_error(c, rc, "limit", "reset.issue_limited");
		return issue_form(c, &e, NULL);
	}
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "code", code);
	hv_set_str(d, "person", a.name);
	hv_set_str(d, "person_phone", phone);
	time_t local = (time_t)(expires + 7 * 3600); /* Vietnam: UTC+7 */
	struct tm tm;
	gmtime_r(&local, &tm);
	hv_set_str(d, "until", hv_arena_printf(c->arena, "%02d:%02d", tm.tm_hour, tm.tm_min));
	/* The QR opens the page with phone and code filled in; they travel
	 * after '#', so they reach no server log. */
	char digits[HV_RESET_CODE_CHARS];
	size_t n = 0;
	for (const char *p = code; *p; p++)
		if (*p != ' ')
			digits[n++] = *p;
	digits[n] = '\0';
	const char *url = hv_arena_printf(c->arena, "%s/quen-ma-pin#sdt=%s&ma=%s", hv_learn_public_url(), phone, digits);
	hv_set(d, "qr", hv_str(c->arena, hv_qr_svg(c, url)));
	return issue_form(c, NULL, d);
}

/* ---- the person's own recovery code ---- */

const char *hv_recovery_for_me(struct hv_ctx *c)
{
	if (!c->who || strcmp(c->who->acct.kind, "learner") != 0)
		return NULL;
	if (hv_recovery_exists(hv_store_conn(c->app->store), c->who->acct.id) != 0)
		return NULL; /* has one (or cannot tell: offer a new one) */
	char code[HV_RESET_CODE_CHARS];
	struct hv_error e = {0};
	if (hv_recovery_new(c->app->store, c->who->acct.id, c->ip, code, &e) < 0)
		return NULL;
	private_page(c);
	return hv_arena_strdup(c->arena, code);
}

int hv_post_recovery_new(struct hv_ctx *c)
{
	if (strcmp(c->who->acct.kind, "learner") != 0)
		return hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "recovery.staff_no"));
	char code[HV_RESET_CODE_CHARS];
	struct hv_error e = {0};
	if (hv_recovery_new(c->app->store, c->who->acct.id, c->ip, code, &e) < 0)
		return hv_fail_err(c, &e);
	return show_code(c, code, false);
}

bool hv_issues_resets(const struct hv_principal *p)
{
	for (int i = 0; p && i < p->acct.nroles; i++)
		if (p->acct.roles[i].kind & HV_ROLES_RESET)
			return p->second_factor;
	return false;
}
