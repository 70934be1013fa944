/* pages_editor.c: content editing in the browser, for content editors and
 * admins of the whole country (content is national).  Lessons: edit with a
 * preview, publish or keep as a draft, see every version; quizzes: the
 * quiz.md text, checked exactly like an import.  Anyone else gets 403. */
#include "views/pages.h"

#include <stdio.h>
#include <string.h>

#include "core/num.h"
#include "domain/learn/content.h"
#include "domain/learn/content_edit.h"
#include "domain/learn/learning.h"
#include "domain/places/units.h"
#include "views/tmpl.h"
#include "domain/people/roles.h"

static bool require_editor(struct hv_ctx *c)
{
	struct hv_units *u = hv_ctx_units(c);
	if (!hv_can(c->who, HV_ROLE_EDITOR | HV_ROLE_ADMIN, hv_units_root(u))) {
		hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "edit.forbidden"));
		return false;
	}
	return true;
}

int hv_page_editor(struct hv_ctx *c)
{
	if (!require_editor(c))
		return HV_OK;
	struct hv_pack *p = hv_ctx_catalog(c);
	struct hv_val *d = hv_page_data(c);
	struct hv_val *courses = hv_set(d, "courses", hv_list(c->arena));
	for (int k = 0; p && k < p->ncourses; k++) {
		const struct hv_course *co = &p->courses[k];
		struct hv_val *o = hv_push(courses, hv_obj(c->arena));
		hv_set(o, "slug", hv_str(c->arena, co->slug));
		hv_set(o, "title", hv_str(c->arena, co->title));
		hv_set_bool(o, "quiz_published", co->quiz && co->quiz->published);
		struct hv_val *ls = hv_set(o, "lessons", hv_list(c->arena));
		for (int i = 0; i < co->nlessons; i++) {
			struct hv_val *l = hv_push(ls, hv_obj(c->arena));
			hv_set(l, "slug", hv_str(c->arena, co->lessons[i]->slug));
			hv_set(l, "title", hv_str(c->arena, co->lessons[i]->title));
			hv_set_bool(l, "published", co->lessons[i]->published);
			hv_set_int(l, "version", co->lessons[i]->version);
		}
	}
	return hv_page(c, "editor", hv_t(c->lang, "edit.title"), d);
}

struct versions_ctx {
	struct hv_ctx *c;
	struct hv_val *list;
};

static void add_version(int version, const char *title, bool published, const char *source, int64_t at, const char *editor, void *arg)
{
	struct versions_ctx *x = arg;
	struct hv_val *o = hv_push(x->list, hv_obj(x->c->arena));
	hv_set_int(o, "version", version);
	hv_set_str(o, "title", title);
	hv_set_bool(o, "published", published);
	hv_set_str(o, "source", source);
	hv_set_str(o, "editor", editor);
	char date[64];
	hv_date_vi(at, date, sizeof date);
	hv_set_str(o, "date", date);
}

/* Fills the lesson form from the lesson, overridden by what was posted. */
static void form_fields(struct hv_ctx *c, struct hv_val *d, const struct hv_lesson *l, struct hv_lesson_edit *ed)
{
	const char *f;
	ed->title = (f = hv_form(c, "title")) ? f : l ? l->title : "";
	ed->module = (f = hv_form(c, "module")) ? f : l ? l->module : "";
	ed->domain = (f = hv_form(c, "domain")) ? f : l ? l->domain : "safety";
	ed->video = (f = hv_form(c, "video")) ? f : l ? l->video : "";
	ed->body_md = (f = hv_form(c, "body")) ? f : l ? l->body_md : "";
	int64_t n;
	ed->minutes = (f = hv_form(c, "minutes")) && hv_parse_i64(f, 1, 120, &n) == 0 ? (int)n : f ? 0 : l ? l->minutes : 5;
	ed->level = (f = hv_form(c, "level")) && hv_parse_i64(f, 1, 8, &n) == 0 ? (int)n : f ? 0 : l ? l->level : 1;
	if (c->form.n) {
		ed->tracks = 0;
		for (int t = HV_TRACK_CITIZEN; t <= HV_TRACK_SMALL_BUSINESS; t <<= 1)
			if (hv_form(c, hv_arena_printf(c->arena, "track_%s", hv_track_name(t))))
				ed->tracks |= t;
	} else {
		ed->tracks = l ? l->tracks : HV_TRACK_CITIZEN;
	}
	hv_set_str(d, "f_title", ed->title);
	hv_set_str(d, "f_module", ed->module);
	hv_set_str(d, "f_video", ed->video);
	hv_set_str(d, "f_body", ed->body_md);
	hv_set_int(d, "f_minutes", ed->minutes);
	hv_set_int(d, "f_level", ed->level);
	struct hv_val *tracks = hv_set(d, "tracks", hv_list(c->arena));
	for (int t = HV_TRACK_CITIZEN; t <= HV_TRACK_SMALL_BUSINESS; t <<= 1) {
		struct hv_val *o = hv_push(tracks, hv_obj(c->arena));
		char key[40];
		snprintf(key, sizeof key, "track.%s", hv_track_name(t));
		hv_set(o, "code", hv_str(c->arena, hv_track_name(t)));
		hv_set(o, "label", hv_str(c->arena, hv_t(c->lang, key)));
		hv_set_bool(o, "checked", (ed->tracks & t) != 0);
	}
	struct hv_val *domains = hv_set(d, "domains", hv_list(c->arena));
	for (int i = 0; hv_domains[i]; i++) {
		struct hv_val *o = hv_push(domains, hv_obj(c->arena));
		char key[40];
		snprintf(key, sizeof key, "domain.%s", hv_domains[i]);
		hv_set(o, "code", hv_str(c->arena, hv_domains[i]));
		hv_set(o, "label", hv_str(c->arena, hv_t(c->lang, key)));
		hv_set_bool(o, "selected", !strcmp(ed->domain, hv_domains[i]));
	}
}

static int lesson_page(struct hv_ctx *c, const struct hv_course *co, const struct hv_lesson *l, const struct hv_error *e,
                       const char *notice, bool preview)
{
	struct hv_val *d = hv_page_data(c);
	struct hv_lesson_edit ed = {0};
	form_fields(c, d, l, &ed);
	hv_set_bool(d, "is_new", !l);
	hv_set(d, "course_slug", hv_str(c->arena, co->slug));
	hv_set(d, "course_title", hv_str(c->arena, co->title));
	hv_set_str(d, "slug", l ? l->slug : (hv_form(c, "slug") ? hv_form(c, "slug") : ""));
	hv_set_bool(d, "published", l && l->published);
	hv_set_str(d, "action", l ? hv_arena_printf(c->arena, "/bien-tap/bai/%s", l->slug) : "/bien-tap/bai-moi");
	struct hv_error pe = {0}; /* a refused preview: lives until the page is built */
	if (preview) {
		char *html = NULL;
		if (hv_lesson_check(c->arena, &ed, &html, &pe) == 0)
			hv_set(d, "preview", hv_str(c->arena, html));
		else
			e = &pe;
	}
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	if (notice)
		hv_set_str(d, "notice", notice);
	if (l) {
		struct versions_ctx x = {.c = c, .list = hv_set(d, "versions", hv_list(c->arena))};
		hv_lesson_versions(hv_store_conn(c->app->store), l->id, add_version, &x);
	}
	return hv_page(c, "editor_lesson", l ? l->title : hv_t(c->lang, "edit.new_lesson"), d);
}

int hv_page_edit_lesson(struct hv_ctx *c)
{
	if (!require_editor(c))
		return HV_OK;
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_lesson *l = hv_catalog_lesson(p, c->params[0]);
	if (!l)
		return hv_fail(c, HV_ENOTFOUND, "lesson", hv_t(c->lang, "learn.unknown_lesson"));
	const char *notice = hv_query(c, "da-luu") ? hv_t(c->lang, "edit.saved") : NULL;
	return lesson_page(c, l->course, l, NULL, notice, false);
}

static int save(struct hv_ctx *c, const struct hv_course *co, const struct hv_lesson *l)
{
	const char *action = hv_form(c, "action") ? hv_form(c, "action") : "";
	if (!strcmp(action, "preview"))
		return lesson_page(c, co, l, NULL, NULL, true);
	struct hv_val *scratch = hv_obj(c->arena);
	struct hv_lesson_edit ed = {0};
	form_fields(c, scratch, l, &ed);
	if (!strcmp(action, "publish"))
		ed.published = true;
	else if (!strcmp(action, "draft"))
		ed.published = false;
	else {
		struct hv_error bad = {0};
		hv_err_set(&bad, HV_EINVAL, "action", "%s", hv_t(c->lang, "edit.bad_action"));
		return lesson_page(c, co, l, &bad, NULL, false);
	}
	ed.id = l ? l->id : 0;
	ed.course_id = co->id;
	ed.slug = l ? l->slug : hv_form(c, "slug");
	struct hv_error e = {0};
	int64_t id = 0;
	if (hv_lesson_save(c->app->store, c->arena, c->who->acct.id, &ed, &id, &e) < 0)
		return lesson_page(c, co, l, &e, NULL, false);
	/* Show the saved lesson from the reloaded catalogue. */
	hv_catalog_load(hv_store_conn(c->app->store), &e);
	hv_redirect(c, hv_arena_printf(c->arena, "/bien-tap/bai/%s?da-luu=1", ed.slug));
	return HV_OK;
}

int hv_post_edit_lesson(struct hv_ctx *c)
{
	if (!require_editor(c))
		return HV_OK;
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_lesson *l = hv_catalog_lesson(p, c->params[0]);
	if (!l)
		return hv_fail(c, HV_ENOTFOUND, "lesson", hv_t(c->lang, "learn.unknown_lesson"));
	return save(c, l->course, l);
}

int hv_page_new_lesson(struct hv_ctx *c)
{
	if (!require_editor(c))
		return HV_OK;
	struct hv_pack *p = hv_ctx_catalog(c);
	const char *slug = hv_query(c, "khoa") ? hv_query(c, "khoa") : hv_form(c, "course");
	const struct hv_course *co = slug ? hv_catalog_course(p, slug) : NULL;
	if (!co)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "learn.unknown_course"));
	return lesson_page(c, co, NULL, NULL, NULL, false);
}

int hv_post_new_lesson(struct hv_ctx *c)
{
	if (!require_editor(c))
		return HV_OK;
	struct hv_pack *p = hv_ctx_catalog(c);
	const char *slug = hv_form(c, "course");
	const struct hv_course *co = slug ? hv_catalog_course(p, slug) : NULL;
	if (!co)
		return hv_fail(c, HV_EINVAL, "course", hv_t(c->lang, "learn.unknown_course"));
	return save(c, co, NULL);
}

static int quiz_page(struct hv_ctx *c, const struct hv_course *co, const char *source, const struct hv_error *e)
{
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "course_slug", hv_str(c->arena, co->slug));
	hv_set(d, "course_title", hv_str(c->arena, co->title));
	hv_set_str(d, "source", source);
	hv_set_bool(d, "published", co->quiz->published);
	if (e) {
		hv_set_str(d, "error", e->msg);
		c->status = hv_status_for(e->code);
	}
	hv_set_bool(d, "saved", hv_query(c, "da-luu") != NULL);
	return hv_page(c, "editor_quiz", co->quiz->title, d);
}

int hv_page_edit_quiz(struct hv_ctx *c)
{
	if (!require_editor(c))
		return HV_OK;
	const struct hv_course *co = hv_catalog_course(hv_ctx_catalog(c), c->params[0]);
	if (!co || !co->quiz)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "quiz.none"));
	return quiz_page(c, co, co->quiz->source, NULL);
}

int hv_post_edit_quiz(struct hv_ctx *c)
{
	if (!require_editor(c))
		return HV_OK;
	const struct hv_course *co = hv_catalog_course(hv_ctx_catalog(c), c->params[0]);
	if (!co || !co->quiz)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "quiz.none"));
	const char *source = hv_form(c, "source") ? hv_form(c, "source") : "";
	const char *action = hv_form(c, "action") ? hv_form(c, "action") : "";
	struct hv_error e = {0};
	char file[96];
	snprintf(file, sizeof file, "%s/quiz.md", co->slug);
	/* Browsers send CRLF from text areas; the parser wants LF. */
	char *lf = hv_arena_strdup(c->arena, source), *o = lf;
	for (const char *s = source; *s; s++)
		if (*s != '\r')
			*o++ = *s;
	*o = '\0';
	if (hv_quiz_save(c->app->store, c->arena, c->who->acct.id, co->quiz->id, file, lf, strcmp(action, "draft") != 0, &e) < 0)
		return quiz_page(c, co, source, &e);
	hv_catalog_load(hv_store_conn(c->app->store), &e);
	hv_redirect(c, hv_arena_printf(c->arena, "/bien-tap/kiem-tra/%s?da-luu=1", co->slug));
	return HV_OK;
}
