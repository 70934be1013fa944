/* pages_import.c: /quan-tri/nhap-du-lieu, CSV imports sent from a browser
 * (touch points, volunteers, population) by admins and unit managers.
 *
 * The same domain functions as `hocvuso import`: the whole file is checked
 * first, errors name the line and say what to change, and nothing is
 * written unless every line is right.  Every row must name a unit the
 * sender's role reaches.  Volunteers' initial passwords are shown once, on
 * the answer page, which is never cached. */
#include <string.h>

#include "core/limits.h"
#include "domain/people/auth.h"
#include "domain/people/audit.h"
#include "domain/people/roles.h"
#include "domain/measure/targets.h"
#include "domain/help/teams.h"
#include "views/pages.h"
#include "views/tmpl.h"

#define WEB_MAX_VOLUNTEERS 200   /* each needs an argon2id hash (~0.1 s) */

static const char *const kinds[] = {"touch-points", "volunteers", "population", NULL};

static bool manages(const struct hv_unit *x, void *arg)
{
	return hv_can(arg, HV_ROLES_MANAGE_ACCOUNTS, x);
}

static bool allowed(struct hv_ctx *c)
{
	c->no_store = true;
	if (hv_manage_unit(c->who))
		return true;
	hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "admin.no_scope"));
	return false;
}

static struct hv_val *form_data(struct hv_ctx *c, const char *kind)
{
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "csrf", hv_csrf_token(c));
	struct hv_val *opts = hv_set(d, "kinds", hv_list(c->arena));
	for (int i = 0; kinds[i]; i++) {
		struct hv_val *o = hv_push(opts, hv_obj(c->arena));
		hv_set_str(o, "value", kinds[i]);
		hv_set_str(o, "label", hv_t(c->lang, hv_arena_printf(c->arena, "import.kind.%s", kinds[i])));
		hv_set_bool(o, "selected", kind && !strcmp(kind, kinds[i]));
	}
	hv_set_int(d, "max_volunteers", WEB_MAX_VOLUNTEERS);
	hv_set_int(d, "max_mb", HV_MAX_BODY_UPLOAD / (1024 * 1024));
	return d;
}

static int show(struct hv_ctx *c, const char *kind, const struct hv_error *e)
{
	struct hv_val *d = form_data(c, kind);
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	return hv_page(c, "import", hv_t(c->lang, "import.title"), d);
}

int hv_page_import(struct hv_ctx *c)
{
	if (!allowed(c))
		return HV_OK;
	return show(c, hv_query(c, "loai"), NULL);
}

struct passwords {
	struct hv_ctx *c;
	struct hv_val *list;
};

static void on_password(const char *login, const char *password, void *arg)
{
	struct passwords *p = arg;
	struct hv_val *o = hv_push(p->list, hv_obj(p->c->arena));
	hv_set_str(o, "login", login);
	hv_set_str(o, "password", password);
}

static size_t count_lines(const char *s, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += s[i] == '\n';
	return k + (n && s[n - 1] != '\n');
}

int hv_post_import(struct hv_ctx *c)
{
	if (!allowed(c))
		return HV_OK;
	struct hv_error e = {0};
	const char *kind = hv_form(c, "kind");
	int k = 0;
	while (kinds[k] && (!kind || strcmp(kind, kinds[k]) != 0))
		k++;
	if (!kinds[k]) {
		hv_err_set(&e, HV_EINVAL, "kind", "%s", hv_t(c->lang, "import.bad_kind"));
		return show(c, NULL, &e);
	}
	const struct hv_file *f = NULL;
	for (int i = 0; i < c->files.n && !f; i++)
		if (!strcmp(c->files.items[i].field, "file"))
			f = &c->files.items[i];
	if (!f || !f->filename[0] || f->len == 0) {
		hv_err_set(&e, HV_EINVAL, "file", "%s", hv_t(c->lang, "import.no_file"));
		return show(c, kind, &e);
	}
	/* the name shown in messages: the file's own name, without a folder */
	const char *src = f->filename;
	for (const char *p = f->filename; *p; p++)
		if (*p == '/' || *p == '\\')
			src = p + 1;
	if (!*src)
		src = "upload.csv";
	if (k == 1 && count_lines(f->data, f->len) > WEB_MAX_VOLUNTEERS + 1) {
		hv_err_set(&e, HV_EINVAL, "file", "%s %d.", hv_t(c->lang, "import.too_many_volunteers"), WEB_MAX_VOLUNTEERS);
		return show(c, kind, &e);
	}
	struct hv_importer by = {{manages, c->who}, c->who->acct.id, c->ip, strcmp(c->lang, "en") != 0};
	struct hv_val *d = form_data(c, kind);
	struct passwords pw = {c, hv_set(d, "passwords", hv_list(c->arena))};
	int rows = 0, rc;
	switch (k) {
	case 0: rc = hv_touch_points_import(c->app->store, f->data, f->len, src, &by, NULL, &rows, &e); break;
	case 1: rc = hv_volunteers_import(c->app->store, f->data, f->len, src, &by, NULL, on_password, &pw, &rows, &e); break;
	default: rc = hv_population_import(c->app->store, f->data, f->len, src, &by, &rows, &e); break;
	}
	if (rc < 0) {
		hv_set_str(d, "error", e.msg);
		hv_set(d, "passwords", hv_list(c->arena));
		c->status = hv_status_for(e.code);
		return hv_page(c, "import", hv_t(c->lang, "import.title"), d);
	}
	hv_set_bool(d, "done", true);
	hv_set_int(d, "rows", rows);
	if (k == 2) { /* a parent's figure that contradicts its children: imported, the difference reported */
		struct hv_buf diff = {0};
		int ndiff = 0;
		if (hv_population_differences(hv_store_reader(c->app->store), &diff, &ndiff) == HV_OK && ndiff)
			hv_set_str(d, "differences", hv_arena_strdup(c->arena, diff.data));
		hv_buf_free(&diff);
	}
	hv_set_str(d, "source", src);
	hv_set_str(d, "done_kind", hv_t(c->lang, hv_arena_printf(c->arena, "import.kind.%s", kind)));
	return hv_page(c, "import", hv_t(c->lang, "import.title"), d);
}
