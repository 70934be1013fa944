/* pages_personal.c: a signed-in person sees everything held about them
 * (a printable page with dates as dates, and the same as JSON) or deletes
 * it (with an explicit confirmation, then a page saying what was done). */
#include "views/pages.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

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
	hv_redirect(c, "/da-xoa-du-lieu");
	return HV_OK;
}

const char *hv_person_name(struct hv_ctx *c, const char *name)
{
	return name && !strcmp(name, "(đã xóa)") ? hv_t(c->lang, "deleted.name") : name;
}

int hv_page_deleted(struct hv_ctx *c)
{
	return hv_page(c, "deleted", hv_t(c->lang, "deleted.title"), hv_page_data(c));
}

/* The export's sections, in the order shown; fields named "at" or "…_at"
 * are times, "answers" (the quiz's raw record) is left to the JSON. */
static const char *const sections[] = {"account", "roles", "lessons_read", "quiz_attempts", "certificates", "class_registrations",
                                       "class_attendance", "sign_in_history", NULL};

static const char *value_text(struct hv_ctx *c, const char *key, json_t *v)
{
	size_t n = strlen(key);
	if (json_is_null(v) || !v)
		return "—";
	if (json_is_integer(v) && (!strcmp(key, "at") || (n > 3 && !strcmp(key + n - 3, "_at")))) {
		time_t local = (time_t)(json_integer_value(v) + 7 * 3600); /* Vietnam: UTC+7 */
		struct tm tm;
		gmtime_r(&local, &tm);
		return hv_arena_printf(c->arena, "%02d/%02d/%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900, tm.tm_hour,
		                       tm.tm_min);
	}
	if (!strcmp(key, "passed"))
		return hv_t(c->lang, json_integer_value(v) ? "export.yes" : "export.no");
	if (json_is_integer(v))
		return hv_arena_printf(c->arena, "%lld", (long long)json_integer_value(v));
	return json_string_value(v) ? json_string_value(v) : "";
}

static struct hv_val *record_val(struct hv_ctx *c, json_t *row)
{
	struct hv_val *fields = hv_list(c->arena);
	const char *key;
	json_t *v;
	json_object_foreach(row, key, v) {
		if (!strcmp(key, "answers"))
			continue;
		struct hv_val *f = hv_push(fields, hv_obj(c->arena));
		hv_set_str(f, "label", hv_t(c->lang, hv_arena_printf(c->arena, "export.col.%s", key)));
		hv_set_str(f, "value", value_text(c, key, v));
	}
	return fields;
}

int hv_personal_html(struct hv_ctx *c)
{
	json_t *o = hv_personal_export(hv_store_conn(c->app->store), c->who->acct.id);
	hv_arena_defer(c->arena, (void (*)(void *))json_decref, o);
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "exported", value_text(c, "exported_at", json_object_get(o, "exported_at")));
	struct hv_val *list = hv_set(d, "sections", hv_list(c->arena));
	for (int i = 0; sections[i]; i++) {
		json_t *sec = json_object_get(o, sections[i]);
		struct hv_val *s = hv_push(list, hv_obj(c->arena));
		hv_set_str(s, "title", hv_t(c->lang, hv_arena_printf(c->arena, "export.sec.%s", sections[i])));
		struct hv_val *rows = hv_set(s, "rows", hv_list(c->arena));
		if (json_is_object(sec)) {
			hv_set(hv_push(rows, hv_obj(c->arena)), "fields", record_val(c, sec));
		} else {
			size_t k;
			json_t *row;
			json_array_foreach(sec, k, row) hv_set(hv_push(rows, hv_obj(c->arena)), "fields", record_val(c, row));
		}
	}
	c->no_store = true;
	c->cache_control = "private, no-store";
	return hv_page(c, "personal_data", hv_t(c->lang, "export.title"), d);
}
