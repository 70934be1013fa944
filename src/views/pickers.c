/* pickers.c: unit and organisation pickers for staff forms (pickers.h). */
#include "views/pickers.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/num.h"
#include "core/utf8.h"
#include "domain/help/teams.h"
#include "views/tmpl.h"

#define CHOICES_MAX 400

static char *folded(struct hv_arena *a, const char *s)
{
	struct hv_buf b;
	hv_buf_init(&b);
	char *out = hv_fold(&b, s, strlen(s)) && b.data ? hv_arena_strdup(a, b.data) : hv_arena_strdup(a, "");
	hv_buf_free(&b);
	return out;
}

const char *hv_unit_choice(struct hv_ctx *c, const struct hv_unit *x)
{
	return hv_arena_printf(c->arena, "%s · %s", x->name, x->code);
}

const struct hv_unit *hv_pick_unit(struct hv_ctx *c, struct hv_units *u, const char *typed, struct hv_error *e)
{
	const char *t = typed ? typed : "";
	const char *dot = strstr(t, " · ");
	for (const char *p = dot; p; p = strstr(p + 1, " · "))
		dot = p;
	const struct hv_unit *x = hv_units_get(u, dot ? dot + strlen(" · ") : t);
	if (x && !x->retired)
		return x;
	const struct hv_unit *hits[6];
	size_t n = *t && strlen(t) <= 100 ? hv_units_search(u, t, hits, 6) : 0;
	const char *f = folded(c->arena, t);
	size_t exact = 0;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(hits[i]->folded, f) || !strcmp(hits[i]->bare, f))
			hits[exact++] = hits[i];
	if (exact == 1 || (exact == 0 && n == 1))
		return hits[0];
	if (exact == 0 && n == 0) {
		hv_err_set(e, HV_EINVAL, "unit", "%s", hv_t(c->lang, "picker.unit_unknown"));
		return NULL;
	}
	struct hv_buf b;
	hv_buf_init(&b);
	size_t shown = exact ? exact : n;
	for (size_t i = 0; i < shown; i++)
		hv_buf_printf(&b, "%s%s%s%s%s", i ? "; " : "", hits[i]->name, hits[i]->depth == 2 ? " (" : "",
		              hits[i]->depth == 2 ? hits[i]->parent->name : "", hits[i]->depth == 2 ? ")" : "");
	hv_err_set(e, HV_EINVAL, "unit", "%s %s.", hv_t(c->lang, "picker.unit_ambiguous"), b.data ? b.data : "");
	hv_buf_free(&b);
	return NULL;
}

static void push_unit(struct hv_ctx *c, struct hv_val *list, const struct hv_unit *x)
{
	if (list->n >= CHOICES_MAX || x->retired)
		return;
	struct hv_val *o = hv_push(list, hv_obj(c->arena));
	hv_set_str(o, "value", hv_unit_choice(c, x));
}

void hv_unit_choices(struct hv_ctx *c, struct hv_units *u, struct hv_val *d, const char *key)
{
	struct hv_val *list = hv_set(d, key, hv_list(c->arena));
	for (int i = 0; c->who && i < c->who->acct.nroles; i++) {
		if (!(c->who->acct.roles[i].kind & HV_ROLES_MANAGE_ACCOUNTS))
			continue;
		const struct hv_unit *x = hv_units_get(u, c->who->acct.roles[i].unit);
		if (!x)
			continue;
		push_unit(c, list, x);
		const struct hv_unit **kids = hv_arena_alloc(c->arena, x->nchildren * sizeof *kids + 1);
		size_t n = hv_unit_children_by_name(x, kids);
		for (size_t k = 0; k < n; k++)
			push_unit(c, list, kids[k]);
	}
}

struct org_rows {
	struct hv_ctx *c;
	struct hv_units *u;
	struct hv_val *list;
	int64_t selected;
};

static void org_row(const struct hv_org *o, void *arg)
{
	struct org_rows *r = arg;
	for (size_t i = 0; i < r->list->n; i++)
		if (hv_get(r->list->items[i], "id")->i == o->id)
			return;
	const struct hv_unit *x = hv_units_get(r->u, o->unit);
	struct hv_val *v = hv_push(r->list, hv_obj(r->c->arena));
	hv_set_int(v, "id", o->id);
	hv_set_str(v, "value", hv_arena_printf(r->c->arena, "%lld", (long long)o->id));
	hv_set_str(v, "label", hv_arena_printf(r->c->arena, "%s — %s", o->name, x ? x->name : o->unit));
	hv_set_bool(v, "selected", o->id == r->selected);
}

void hv_org_choices(struct hv_ctx *c, struct hv_units *u, struct hv_val *d, const char *key, int64_t selected)
{
	struct org_rows r = {.c = c, .u = u, .list = hv_set(d, key, hv_list(c->arena)), .selected = selected};
	for (int i = 0; c->who && i < c->who->acct.nroles; i++)
		if (c->who->acct.roles[i].kind & (HV_ROLES_MANAGE_ACCOUNTS | HV_ROLE_COORDINATOR))
			hv_orgs_list(hv_store_reader(c->app->store), c->who->acct.roles[i].unit, 200, org_row, &r);
}

int hv_pick_org(struct hv_ctx *c, const char *v, int64_t *org, struct hv_error *e)
{
	*org = 0;
	if (!v || !*v)
		return HV_OK;
	if (hv_parse_i64(v, 1, INT64_MAX, org) < 0)
		return hv_err_set(e, HV_EINVAL, "org", "%s", hv_t(c->lang, "teams.no_org"));
	return HV_OK;
}
