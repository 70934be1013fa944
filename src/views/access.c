/* access.c: see access.h.  The dispatcher calls it before every handler,
 * so a route is protected the day it is added to the table, by what its
 * entry declares (tests/http/test_routes.py walks the table). */
#include "views/access.h"

#include <string.h>

#include "domain/people/auth.h"
#include "domain/people/sessions.h"
#include "views/pages.h"
#include "views/tmpl.h"

/* Not signed in: to the sign-in page that fits (staff or learner), with
 * the way back; the API answers 401. */
static bool to_signin(struct hv_ctx *c, const char *page)
{
	if (hv_is_api(c)) {
		hv_fail(c, HV_EUNAUTH, NULL, "sign in or send Authorization: Bearer TOKEN");
		return false;
	}
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_printf(&b, "%s?next=", page);
	hv_buf_urlenc(&b, c->path, strlen(c->path));
	hv_redirect(c, b.data);
	hv_buf_free(&b);
	return false;
}

static bool second_factor(struct hv_ctx *c)
{
	if (c->who->second_factor)
		return true;
	if (hv_is_api(c))
		hv_fail(c, HV_EUNAUTH, NULL, "second factor required");
	else
		hv_redirect(c, "/xac-thuc-2-lop");
	return false;
}

static bool holds_one_of(const struct hv_principal *p, int roles)
{
	for (int i = 0; i < p->acct.nroles; i++)
		if (p->acct.roles[i].kind & roles)
			return true;
	return false;
}

bool hv_access_allows(struct hv_ctx *c, const struct hv_route *rt)
{
	switch (rt->access) {
	case HV_A_PUBLIC:
		return true;
	case HV_A_SESSION:
		return c->who ? true : to_signin(c, "/dang-nhap");
	case HV_A_ACCOUNT:
		if (!c->who)
			return to_signin(c, "/dang-nhap/hoc-vien");
		return second_factor(c);
	case HV_A_STAFF:
		if (!c->who)
			return to_signin(c, "/dang-nhap");
		if (!second_factor(c))
			return false;
		if (strcmp(c->who->acct.kind, "staff") != 0) {
			hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "error.staff_only"));
			return false;
		}
		if (rt->roles && !holds_one_of(c->who, rt->roles)) {
			hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "error.role_needed"));
			return false;
		}
		return true;
	case HV_A_TOKEN:
		/* Never a session: a page cannot be made to call it for someone. */
		if (!c->who || !c->who->via_token) {
			hv_fail(c, HV_EUNAUTH, NULL, "send Authorization: Bearer TOKEN (a token made with hocvuso token create --scope)");
			return false;
		}
		if (((unsigned)rt->roles & c->who->scopes) != (unsigned)rt->roles) {
			char need[64];
			hv_scopes_text((unsigned)rt->roles, need, sizeof need);
			hv_fail(c, HV_EFORBIDDEN, NULL, hv_arena_printf(c->arena, "this token lacks the scope '%s'", need));
			return false;
		}
		return true;
	}
	hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "error.staff_only")); /* a route without a rule: closed */
	return false;
}
