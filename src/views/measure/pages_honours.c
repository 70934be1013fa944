/* pages_honours.c: honours (biểu dương) of a unit's subtree for a period:
 * the list and, for admins and managers, the form to record one
 * (/bieu-duong/CODE?ky=), and the same in JSON (GET
 * /api/v1/units/CODE/honours?period=, POST /api/v1/honours). */
#include "views/pages.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/measure/honours.h"
#include "domain/measure/measure.h"
#include "domain/measure/ranking.h"
#include "views/tmpl.h"

static void when(char out[40], int64_t t)
{
	time_t local = (time_t)(t + 7 * 3600);   /* Vietnam time */
	struct tm tm;
	gmtime_r(&local, &tm);
	strftime(out, 40, "%d/%m/%Y", &tm);
}

struct page_list {
	struct hv_ctx *c;
	struct hv_val *list;
};

static void on_page_honour(const struct hv_honour *h, void *arg)
{
	struct page_list *p = arg;
	struct hv_val *o = hv_push(p->list, hv_obj(p->c->arena));
	char key[48], date[40];
	snprintf(key, sizeof key, "honour.kind_%s", h->kind);
	when(date, h->created_at);
	hv_set_str(o, "kind", hv_t(p->c->lang, key));
	hv_set_str(o, "name", h->name);
	const struct hv_unit *x = hv_units_get(hv_ctx_units(p->c), h->unit);
	hv_set_str(o, "unit", x ? x->name : h->unit); /* its name, not its code */
	hv_set_str(o, "reason", h->reason);
	hv_set_str(o, "date", date);
}

int hv_page_honours(struct hv_ctx *c)
{
	const char *period;
	const struct hv_unit *x = hv_measure_scope(c, "ky", &period);
	if (!x)
		return HV_OK;
	struct hv_val *d = hv_page_data(c);
	struct page_list p = {c, hv_set(d, "honours", hv_list(c->arena))};
	if (hv_honours_list(hv_store_reader(c->app->store), x, period, on_page_honour, &p) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.title"));
	hv_set_str(d, "unit", x->name);
	hv_set_str(d, "unit_code", x->code);
	hv_set_str(d, "period", period);
	char q[8], y[8];
	hv_periods((int64_t)time(NULL), q, y);
	hv_period_choices(c, d, period, atoi(y));
	hv_set_bool(d, "can_add", hv_can(c->who, HV_ROLES_HONOUR, x));
	hv_set_str(d, "csrf", hv_csrf_token(c));
	hv_set_bool(d, "saved", hv_query(c, "da-luu") != NULL);
	struct hv_val *kinds = hv_set(d, "kinds", hv_list(c->arena));
	for (int i = 0; hv_honour_kinds[i]; i++) {
		char key[48];
		snprintf(key, sizeof key, "honour.kind_%s", hv_honour_kinds[i]);
		struct hv_val *o = hv_push(kinds, hv_obj(c->arena));
		hv_set_str(o, "value", hv_honour_kinds[i]);
		hv_set_str(o, "label", hv_t(c->lang, key));
	}
	return hv_page(c, "honours", hv_t(c->lang, "honour.title"), d);
}

int hv_post_honour(struct hv_ctx *c)
{
	const char *period;
	const struct hv_unit *x = hv_measure_scope(c, "ky", &period);
	if (!x)
		return HV_OK;
	const char *fp = hv_form(c, "period");
	if (fp)
		period = fp;
	struct hv_error e = {0};
	int64_t id;
	if (hv_honour_add(c->app->store, c->who, hv_form(c, "kind"), hv_form(c, "subject"), period, hv_form(c, "reason"), c->ip, &id,
	                  &e) < 0)
		return hv_fail_err(c, &e);
	hv_redirect(c, hv_arena_printf(c->arena, "/bieu-duong/%s?ky=%s&da-luu=1", x->code, period));
	return HV_OK;
}

static void on_api_honour(const struct hv_honour *h, void *arg)
{
	json_array_append_new(arg, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "id", (json_int_t)h->id, "kind", h->kind,
	                                     "subject", h->subject, "name", h->name, "unit", h->unit, "period", h->period, "reason",
	                                     h->reason, "created_at", (json_int_t)h->created_at));
}

int hv_api_honours(struct hv_ctx *c)
{
	const char *period;
	const struct hv_unit *x = hv_measure_scope(c, "period", &period);
	if (!x)
		return HV_OK;
	json_t *a = json_array();
	if (hv_honours_list(hv_store_reader(c->app->store), x, period, on_api_honour, a) < 0) {
		json_decref(a);
		return hv_fail(c, HV_EUNAVAIL, NULL, "the database is not answering; try again");
	}
	return hv_json(c, 200, a);
}

/* POST /api/v1/honours {"kind", "subject", "period", "reason"} */
int hv_api_honour_post(struct hv_ctx *c)
{
	c->no_store = true;
	if (!json_is_object(c->json))
		return hv_fail(c, HV_EINVAL, "", "send {\"kind\", \"subject\", \"period\", \"reason\"} as JSON");
	json_t *subject = json_object_get(c->json, "subject");
	char num[24];
	const char *subj = json_string_value(subject);
	if (json_is_integer(subject)) {
		snprintf(num, sizeof num, "%lld", (long long)json_integer_value(subject));
		subj = num;
	}
	const char *kind = json_string_value(json_object_get(c->json, "kind"));
	const char *period = json_string_value(json_object_get(c->json, "period"));
	const char *reason = json_string_value(json_object_get(c->json, "reason"));
	struct hv_error e = {0};
	int64_t id;
	if (hv_honour_add(c->app->store, c->who, kind, subj, period, reason, c->ip, &id, &e) < 0)
		return hv_fail_err(c, &e);
	return hv_json(c, 201, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)id, "kind", kind, "subject", subj, "period",
	                                 period, "reason", reason));
}
