/* pages_learn.c: the course catalogue, course and lesson pages, marking a
 * lesson read, and lesson images.  Lesson pages come from the in-memory
 * catalogue; each carries the time it was served, signed for this learner
 * (an account or an anonymous cookie's nonce): the evidence that marking
 * it read asks for. */
#include "views/pages.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/limits.h"
#include "core/num.h"
#include "domain/learn/content.h"
#include "domain/learn/learning.h"
#include "views/people/learner.h"
#include "views/tmpl.h"

static const char *tr(struct hv_ctx *c, const char *prefix, const char *code)
{
	char key[64];
	snprintf(key, sizeof key, "%s.%s", prefix, code);
	return hv_t(c->lang, key);
}

static int course_minutes(const struct hv_course *co)
{
	int m = 0;
	for (int i = 0; i < co->nlessons; i++)
		if (co->lessons[i]->published)
			m += co->lessons[i]->minutes;
	return m;
}

int hv_page_courses(struct hv_ctx *c)
{
	struct hv_pack *p = hv_ctx_catalog(c);
	const char *track = hv_query(c, "doi-tuong"), *domain = hv_query(c, "nang-luc");
	int want_track = track && *track ? hv_track_parse(track) : 0;
	if ((track && *track && !want_track) || (domain && *domain && !hv_domain_valid(domain)))
		return hv_fail(c, HV_EINVAL, "filter", hv_t(c->lang, "learn.none"));
	struct hv_learner me;
	hv_learner_load(c, p, &me);
	struct hv_val *d = hv_page_data(c);
	struct hv_val *tracks = hv_set(d, "tracks", hv_list(c->arena));
	for (int t = HV_TRACK_CITIZEN; t <= HV_TRACK_SMALL_BUSINESS; t <<= 1) {
		struct hv_val *o = hv_push(tracks, hv_obj(c->arena));
		hv_set(o, "code", hv_str(c->arena, hv_track_name(t)));
		hv_set(o, "label", hv_str(c->arena, tr(c, "track", hv_track_name(t))));
		hv_set_bool(o, "selected", t == want_track);
	}
	struct hv_val *domains = hv_set(d, "domains", hv_list(c->arena));
	for (int i = 0; hv_domains[i]; i++) {
		struct hv_val *o = hv_push(domains, hv_obj(c->arena));
		hv_set(o, "code", hv_str(c->arena, hv_domains[i]));
		hv_set(o, "label", hv_str(c->arena, tr(c, "domain", hv_domains[i])));
		hv_set_bool(o, "selected", domain && !strcmp(domain, hv_domains[i]));
	}
	struct hv_val *list = hv_set(d, "courses", hv_list(c->arena));
	for (int k = 0; p && k < p->ncourses; k++) {
		const struct hv_course *co = &p->courses[k];
		if (!co->published)
			continue;
		bool match = true;
		if (want_track || (domain && *domain)) {
			match = false;
			for (int i = 0; i < co->nlessons && !match; i++) {
				const struct hv_lesson *l = co->lessons[i];
				match = l->published && (!want_track || (l->tracks & want_track)) && (!domain || !*domain || !strcmp(l->domain, domain));
			}
		}
		if (!match)
			continue;
		int read, total, best, best_total;
		bool passed;
		hv_learner_course(&me, co, &read, &total, &passed, &best, &best_total);
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		hv_set(o, "slug", hv_str(c->arena, co->slug));
		hv_set(o, "title", hv_str(c->arena, co->title));
		hv_set(o, "summary", hv_str(c->arena, co->summary));
		hv_set_int(o, "lessons", total);
		hv_set_int(o, "minutes", course_minutes(co));
		hv_set_int(o, "read", read);
		hv_set_bool(o, "passed", passed);
	}
	return hv_page(c, "courses", hv_t(c->lang, "learn.title"), d);
}

int hv_page_course(struct hv_ctx *c)
{
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_course *co = hv_catalog_course(p, c->params[0]);
	if (!co || !co->published)
		return hv_fail(c, HV_ENOTFOUND, "course", hv_t(c->lang, "learn.unknown_course"));
	struct hv_learner me;
	hv_learner_load(c, p, &me);
	int read, total, best, best_total;
	bool passed;
	hv_learner_course(&me, co, &read, &total, &passed, &best, &best_total);
	struct hv_val *d = hv_page_data(c);
	struct hv_val *cv = hv_set(d, "course", hv_obj(c->arena));
	hv_set(cv, "slug", hv_str(c->arena, co->slug));
	hv_set(cv, "title", hv_str(c->arena, co->title));
	hv_set(cv, "summary", hv_str(c->arena, co->summary));
	hv_set(cv, "intro_html", hv_str(c->arena, co->intro_html));
	hv_set_int(cv, "pass_mark", co->pass_mark);
	hv_set_int(d, "read", read);
	hv_set_int(d, "total", total);
	hv_set_bool(d, "passed", passed);
	hv_set_bool(d, "complete", passed && read == total);
	hv_set_bool(d, "anon_hint", !me.signed_in && (read > 0 || best_total > 0));
	hv_set_bool(d, "has_quiz", co->quiz && co->quiz->published);
	hv_set_bool(d, "needs_practice", co->needs_practice && co->nsims > 0);
	struct hv_val *sims = hv_set(d, "sims", hv_list(c->arena));
	for (int i = 0; i < co->nsims; i++) {
		if (!co->sims[i]->published)
			continue;
		struct hv_val *o = hv_push(sims, hv_obj(c->arena));
		hv_set_str(o, "slug", co->sims[i]->slug);
		hv_set_str(o, "title", co->sims[i]->title);
		hv_set_str(o, "summary", co->sims[i]->summary);
		hv_set_int(o, "nsteps", co->sims[i]->nsteps);
	}
	hv_set_int(d, "nquestions", co->quiz ? co->quiz->nquestions : 0);
	const char *next = NULL;
	struct hv_val *modules = hv_set(d, "modules", hv_list(c->arena));
	struct hv_val *cur = NULL;
	const char *cur_name = NULL;
	for (int i = 0; i < co->nlessons; i++) {
		const struct hv_lesson *l = co->lessons[i];
		if (!l->published)
			continue;
		bool done = hv_claim_has_lesson(&me.state, l->id);
		if (!next && !done)
			next = l->slug;
		if (!cur_name || strcmp(cur_name, l->module) != 0) {
			struct hv_val *m = hv_push(modules, hv_obj(c->arena));
			hv_set(m, "name", hv_str(c->arena, l->module));
			cur = hv_set(m, "lessons", hv_list(c->arena));
			cur_name = l->module;
		}
		struct hv_val *o = hv_push(cur, hv_obj(c->arena));
		hv_set(o, "slug", hv_str(c->arena, l->slug));
		hv_set(o, "course_slug", hv_str(c->arena, co->slug));
		hv_set(o, "title", hv_str(c->arena, l->title));
		hv_set_int(o, "minutes", l->minutes);
		hv_set_bool(o, "read", done);
	}
	if (!next)
		next = total ? co->lessons[0]->slug : "";
	hv_set(d, "next_slug", hv_str(c->arena, next));
	return hv_page(c, "course", co->title, d);
}

/* The lesson and its neighbours among the course's published lessons. */
static const struct hv_lesson *find_lesson(const struct hv_pack *p, const char *course, const char *slug,
                                           const struct hv_lesson **prev, const struct hv_lesson **next)
{
	const struct hv_course *co = hv_catalog_course(p, course);
	*prev = *next = NULL;
	if (!co || !co->published)
		return NULL;
	const struct hv_lesson *found = NULL, *last = NULL;
	for (int i = 0; i < co->nlessons; i++) {
		const struct hv_lesson *l = co->lessons[i];
		if (!l->published)
			continue;
		if (found) {
			*next = l;
			break;
		}
		if (!strcmp(l->slug, slug)) {
			found = l;
			*prev = last;
		}
		last = l;
	}
	return found;
}

static int lesson_page(struct hv_ctx *c, const struct hv_lesson *l, const struct hv_lesson *prev, const struct hv_lesson *next,
                       const char *served, const char *error)
{
	struct hv_val *d = hv_page_data(c);
	hv_set(d, "course_slug", hv_str(c->arena, l->course->slug));
	hv_set(d, "course_title", hv_str(c->arena, l->course->title));
	hv_set(d, "slug", hv_str(c->arena, l->slug));
	hv_set(d, "title", hv_str(c->arena, l->title));
	hv_set(d, "module", hv_str(c->arena, l->module));
	hv_set_int(d, "minutes", l->minutes);
	hv_set_int(d, "level", l->level);
	hv_set(d, "domain_label", hv_str(c->arena, tr(c, "domain", l->domain)));
	hv_set(d, "body_html", hv_str(c->arena, l->body_html));
	hv_set(d, "video", hv_str(c->arena, l->video));
	hv_set(d, "prev_slug", hv_str(c->arena, prev ? prev->slug : ""));
	hv_set(d, "next_slug", hv_str(c->arena, next ? next->slug : ""));
	hv_set_str(d, "served", served);
	hv_set_int(d, "wait", c->app->cfg->lesson_seconds);
	if (error)
		hv_set_str(d, "error", error);
	return hv_page(c, "lesson", l->title, d);
}

/* The evidence that a lesson was read: its page carries when it was
 * served, "TIME.MAC" (form field "mo"), the MAC an HMAC with the server
 * secret of the learner (account or cookie nonce), the lesson and TIME.
 * Nothing is written per page view and any app server can check it. */
static const char *served_token(struct hv_ctx *c, const struct hv_learner_ref *who, const struct hv_lesson *l, int64_t at)
{
	char key[HV_LEARNER_KEY_MAX], mac64[32];
	hv_learner_key(who, key);
	const char *data = hv_arena_printf(c->arena, "%s:%lld:%lld", key, (long long)l->id, (long long)at);
	unsigned char mac[32];
	hv_hmac(c, "served:", data, strlen(data), mac);
	sodium_bin2base64(mac64, sizeof mac64, mac, 16, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	return hv_arena_printf(c->arena, "%lld.%s", (long long)at, mac64);
}

/* When the page with token was served to who, or 0 if token is not one. */
static int64_t served_at(struct hv_ctx *c, const struct hv_learner_ref *who, const struct hv_lesson *l, const char *token)
{
	const char *dot = token ? strchr(token, '.') : NULL;
	int64_t at;
	if (!dot || dot - token > 12 || hv_parse_i64(hv_arena_strndup(c->arena, token, (size_t)(dot - token)), 1, INT64_MAX, &at) < 0)
		return 0;
	const char *want = served_token(c, who, l, at);
	return strlen(want) == strlen(token) && sodium_memcmp(want, token, strlen(want)) == 0 ? at : 0;
}

int hv_page_lesson(struct hv_ctx *c)
{
	const struct hv_lesson *prev, *next;
	const struct hv_lesson *l = find_lesson(hv_ctx_catalog(c), c->params[0], c->params[1], &prev, &next);
	struct hv_learner_ref who;
	if (!l || !hv_learner_ref_of(c, true, &who, NULL))
		return hv_fail(c, HV_ENOTFOUND, "lesson", hv_t(c->lang, "learn.unknown_lesson"));
	return lesson_page(c, l, prev, next, served_token(c, &who, l, (int64_t)time(NULL)), NULL);
}

/* "Tôi đã học xong bài này" counts lesson_seconds after the page was
 * served to this learner (see docs/architecture.md); before that, or
 * without a page served to them, the lesson comes back with a gentle word
 * and nothing is recorded. */
int hv_post_lesson_read(struct hv_ctx *c)
{
	struct hv_pack *p = hv_ctx_catalog(c);
	const struct hv_lesson *prev, *next;
	const struct hv_lesson *l = find_lesson(p, c->params[0], c->params[1], &prev, &next);
	if (!l)
		return hv_fail(c, HV_ENOTFOUND, "lesson", hv_t(c->lang, "learn.unknown_lesson"));
	struct hv_learner_ref who;
	struct hv_claim cl;
	hv_learner_ref_of(c, true, &who, &cl);
	int64_t now = (int64_t)time(NULL), served = served_at(c, &who, l, hv_form(c, "mo"));
	int64_t wait = served ? served + c->app->cfg->lesson_seconds - now : c->app->cfg->lesson_seconds;
	if (wait > 0 || !served) {
		c->status = 429;
		return lesson_page(c, l, prev, next, served ? hv_form(c, "mo") : served_token(c, &who, l, now),
		                   hv_arena_printf(c->arena, "%s %lld %s", hv_t(c->lang, "learn.too_soon"),
		                                   (long long)(wait > 0 ? wait : 1), hv_t(c->lang, "learn.too_soon_b")));
	}
	char cert[HV_CERT_CODE_MAX] = "";
	if (who.account) {
		struct hv_error e = {0};
		if (hv_learn_mark_read(c->app->store, &c->who->acct, l, cert, &e) < 0)
			return hv_fail_err(c, &e);
	} else {
		hv_claim_add_lesson(&cl, l->id);
		hv_progress_write(c, &cl);
	}
	if (cert[0])
		hv_redirect(c, "/hoc-tap-cua-toi");
	else if (next)
		hv_redirect(c, hv_arena_printf(c->arena, "/hoc/%s/%s", l->course->slug, next->slug));
	else
		hv_redirect(c, hv_arena_printf(c->arena, "/hoc/%s/kiem-tra", l->course->slug));
	return HV_OK;
}

int hv_content_image(struct hv_ctx *c)
{
	struct hv_pack *p = hv_ctx_catalog(c);
	char path[256];
	snprintf(path, sizeof path, "%s/img/%s", c->params[0], c->params[1]);
	const struct hv_image *im = hv_catalog_image(p, path);
	if (!im)
		return hv_fail(c, HV_ENOTFOUND, "image", hv_t(c->lang, "error.not_found"));
	hv_buf_reset(&c->body);
	hv_buf_append(&c->body, im->data, im->len);
	c->status = 200;
	c->resp_type = im->mime;
	c->cache_control = "public, max-age=86400";
	return HV_OK;
}

int hv_page_large(struct hv_ctx *c)
{
	const char *cur = hv_cookie(c, "hv_large");
	bool on = !(cur && !strcmp(cur, "1"));
	hv_set_cookie(c, "hv_large", on ? "1" : "0", 365LL * 86400);
	hv_redirect(c, hv_safe_next(hv_query(c, "next")));
	return HV_OK;
}
