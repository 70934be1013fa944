/* pages_honours.c: honours (biểu dương) of a unit's subtree for a period:
 * the list and, for admins and managers, the form to record one
 * (/bieu-duong/CODE?ky=), and the same in JSON (GET
 * /api/v1/units/CODE/honours?period=, POST /api/v1/honours). */
#include "views/pages.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "domain/help/teams.h"
#include "domain/measure/honours.h"
#include "domain/measure/measure.h"
#include "domain/measure/ranking.h"
#include "views/tmpl.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"

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
	hv_set_str(o, "name", hv_person_name(p->c, h->name));
	const struct hv_unit *x = hv_units_get(hv_ctx_units(p->c), h->unit);
	hv_set_str(o, "unit", x ? x->name : h->unit); /* its name, not its code */
	hv_set_str(o, "reason", h->reason);
	hv_set_str(o, "date", date);
}

/* ---- who may be honoured, by name: one list grouped by kind, each
 * choice "kind:subject" (no internal number to type) ---- */

struct subjects {
	struct hv_ctx *c;
	struct hv_val *list;
};

static void subject_push(struct subjects *s, const char *kind, const char *subject, const char *label)
{
	struct hv_val *o = hv_push(s->list, hv_obj(s->c->arena));
	hv_set_str(o, "value", hv_arena_printf(s->c->arena, "%s:%s", kind, subject));
	hv_set_str(o, "label", label);
}

static void on_subject_org(const struct hv_org *o, void *arg)
{
	struct subjects *s = arg;
	subject_push(s, "organisation", hv_arena_printf(s->c->arena, "%lld", (long long)o->id), o->name);
}

static void on_subject_team(const struct hv_team *t, void *arg)
{
	struct subjects *s = arg;
	subject_push(s, "team", hv_arena_printf(s->c->arena, "%lld", (long long)t->id), t->name);
}

static void on_subject_account(const struct hv_account *a, void *arg)
{
	struct subjects *s = arg;
	if (strcmp(a->kind, "staff") == 0 && a->login[0])
		subject_push(s, "account", a->login, a->name);
}

static int subject_choices(struct hv_ctx *c, struct hv_val *d, const struct hv_unit *x)
{
	struct hv_conn *conn = hv_store_reader(c->app->store);
	struct hv_val *groups = hv_set(d, "subject_groups", hv_list(c->arena));
	const char *kinds[] = {"unit", "organisation", "team", "account"};
	struct subjects s[4];
	for (int i = 0; i < 4; i++) {
		struct hv_val *g = hv_push(groups, hv_obj(c->arena));
		hv_set_str(g, "label", hv_t(c->lang, hv_arena_printf(c->arena, "honour.kind_%s", kinds[i])));
		s[i] = (struct subjects){.c = c, .list = hv_set(g, "choices", hv_list(c->arena))};
	}
	subject_push(&s[0], "unit", x->code, x->name);
	for (size_t i = 0; i < x->nchildren && i < 400; i++)
		if (!x->children[i]->retired)
			subject_push(&s[0], "unit", x->children[i]->code, x->children[i]->name);
	int rc = hv_orgs_list(conn, x->code, 200, on_subject_org, &s[1]);
	if (rc >= 0)
		rc = hv_teams_list(conn, x->code, 0, 200, on_subject_team, &s[2]);
	if (rc >= 0)
		rc = hv_accounts_list(conn, hv_ctx_units(c), x->code, 300, on_subject_account, &s[3]);
	return rc < 0 ? rc : HV_OK;
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
	if (hv_truthy(hv_get(d, "can_add")) && subject_choices(c, d, x) < 0)
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
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
	/* The picker's "kind:subject", or the two fields (older forms, scripts). */
	const char *kind = hv_form(c, "kind"), *subject = hv_form(c, "subject"), *pick = hv_form(c, "pick");
	const char *colon = pick ? strchr(pick, ':') : NULL;
	if (colon) {
		kind = hv_arena_strndup(c->arena, pick, (size_t)(colon - pick));
		subject = colon + 1;
	}
	if (hv_honour_add(c->app->store, c->who, kind, subject, period, hv_form(c, "reason"), c->ip, &id, &e) < 0) {
		/* In the page's language, never the domain's English or codes. */
		const char *key = hv_arena_printf(c->arena, "honour.field.%s%s", e.field, e.code == HV_EFORBIDDEN ? "_scope" : "");
		if (hv_t_exists(key))
			snprintf(e.msg, sizeof e.msg, "%s", hv_t(c->lang, key));
		return hv_fail_err(c, &e);
	}
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
