/* pages_personal.c: a signed-in person downloads everything held about
 * them (JSON) or deletes it (with an explicit confirmation). */
#include "views/pages.h"

#include <jansson.h>
#include <string.h>

#include "domain/people/personal.h"
#include "views/tmpl.h"

int hv_personal_json(struct hv_ctx *c)
{
	if (!c->who || !c->who->second_factor) {
		hv_redirect(c, "/dang-nhap/hoc-vien?next=/tai-khoan");
		return HV_OK;
	}
	json_t *o = hv_personal_export(hv_store_conn(c->app->store), c->who->acct.id);
	int rc = hv_json(c, 200, o);
	c->no_store = true;
	c->cache_control = "private, no-store";
	return rc;
}

int hv_post_personal_delete(struct hv_ctx *c)
{
	if (!c->who || !c->who->second_factor) {
		hv_redirect(c, "/dang-nhap/hoc-vien?next=/tai-khoan");
		return HV_OK;
	}
	const char *confirm = hv_form(c, "confirm");
	if (!confirm || strcmp(confirm, "yes") != 0)
		return hv_fail(c, HV_EINVAL, "confirm", hv_t(c->lang, "data.confirm_needed"));
	if (strcmp(c->who->acct.kind, "learner") != 0)
		return hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "data.staff_no"));
	struct hv_error e = {0};
	if (hv_personal_delete(c->app->store, c->who->acct.id, c->ip, &e) < 0)
		return hv_fail_err(c, &e);
	hv_set_cookie(c, "hv_s", "", 0);
	hv_redirect(c, "/?da-xoa=1");
	return HV_OK;
}
