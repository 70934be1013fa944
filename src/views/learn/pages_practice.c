/* pages_practice.c: practice simulations ("Thực hành"): each step a
 * server-rendered page whose tap areas are real form buttons placed over
 * the screen by the simulation's own stylesheet (the CSP allows no inline
 * style); a wrong answer shows the step's hint, "Chỉ cho tôi" outlines the
 * right area, a right answer goes on to the next step (303).  web/practice.js
 * runs the same forms in place.  Answering a step not reached is 409 and
 * counts nothing (domain/learn/practice.c). */
#include "views/pages.h"

#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/num.h"
#include "core/utf8.h"
#include "domain/learn/practice.h"
#include "views/learn/progress.h"
#include "views/tmpl.h"

static const struct hv_sim *sim_of(struct hv_ctx *c)
{
	const struct hv_sim *s = hv_catalog_sim(hv_ctx_catalog(c), c->params[0], c->params[1]);
	return s && s->published && s->course->published ? s : NULL;
}

static const char *step_url(struct hv_ctx *c, const struct hv_sim *s, int step)
{
	if (step > s->nsteps)
		return hv_arena_printf(c->arena, "/thuc-hanh/%s/%s/xong", s->course->slug, s->slug);
	return hv_arena_printf(c->arena, "/thuc-hanh/%s/%s/%d", s->course->slug, s->slug, step);
}

static bool run_of(struct hv_ctx *c, const struct hv_sim *s, bool create, char key[HV_LEARNER_KEY_MAX], struct hv_learner_ref *who,
                   struct hv_practice_run *r)
{
	if (!hv_learner_ref_of(c, create, who, NULL)) {
		memset(r, 0, sizeof *r);
		r->next = 1;
		key[0] = '\0';
		return true;
	}
	hv_learner_key(who, key);
	return hv_practice_get(hv_store_conn(c->app->store), key, s->id, r) == HV_OK;
}

/* The step's page; wrong: after a wrong answer; show: "show me". */
static int step_page(struct hv_ctx *c, const struct hv_sim *s, int step, bool wrong, bool show)
{
	const struct hv_sim_step *st = &s->steps[step - 1];
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "course_slug", s->course->slug);
	hv_set_str(d, "course_title", s->course->title);
	hv_set_str(d, "slug", s->slug);
	hv_set_str(d, "sim_title", s->title);
	hv_set_int(d, "step", step);
	hv_set_int(d, "nsteps", s->nsteps);
	hv_set_int(d, "version", s->version);
	hv_set_str(d, "say", st->say);
	hv_set_str(d, "alt", st->alt);
	hv_set_str(d, "screen_file", st->screen + 4); /* after "img/" */
	hv_set_str(d, "csrf", hv_csrf_token(c));
	hv_set_bool(d, "wrong", wrong);
	hv_set_bool(d, "show", show);
	if (wrong)
		hv_set_str(d, "hint", st->hint);
	hv_set_bool(d, "tap", st->kind == HV_STEP_TAP);
	hv_set_bool(d, "choose", st->kind == HV_STEP_CHOOSE);
	hv_set_bool(d, "type", st->kind == HV_STEP_TYPE);
	if (st->kind == HV_STEP_TYPE) {
		hv_set_str(d, "field", st->field);
		if (show)
			hv_set_str(d, "answer", st->answer);
	}
	struct hv_val *areas = hv_set(d, "areas", hv_list(c->arena));
	for (int k = 0; k < st->nareas; k++) {
		struct hv_val *o = hv_push(areas, hv_obj(c->arena));
		hv_set_int(o, "n", k + 1);
		hv_set_str(o, "label", st->areas[k].label);
		hv_set_bool(o, "lit", show && st->areas[k].correct);
	}
	if (wrong)
		c->status = 200;
	return hv_page(c, "practice", s->title, d);
}

/* GET /thuc-hanh/{course}/{sim}: on to the learner's step. */
int hv_page_practice(struct hv_ctx *c)
{
	const struct hv_sim *s = sim_of(c);
	if (!s)
		return hv_fail(c, HV_ENOTFOUND, "sim", hv_t(c->lang, "practice.none"));
	char key[HV_LEARNER_KEY_MAX];
	struct hv_learner_ref who;
	struct hv_practice_run r;
	if (!run_of(c, s, false, key, &who, &r))
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	hv_redirect(c, step_url(c, s, r.next > s->nsteps ? 1 : r.next));
	return HV_OK;
}

static int done_page(struct hv_ctx *c, const struct hv_sim *s, const struct hv_practice_run *r)
{
	if (!r->done && r->next <= s->nsteps) {
		hv_redirect(c, step_url(c, s, r->next));
		return HV_OK;
	}
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "course_slug", s->course->slug);
	hv_set_str(d, "course_title", s->course->title);
	hv_set_str(d, "slug", s->slug);
	hv_set_str(d, "sim_title", s->title);
	hv_set_int(d, "version", s->version);
	hv_set_bool(d, "clean", r->next > s->nsteps && r->misses == 0 && r->shown == 0);
	return hv_page(c, "practice_done", s->title, d);
}

static int step_param(struct hv_ctx *c, const struct hv_sim *s)
{
	int64_t n;
	return hv_parse_i64(c->params[2], 1, s->nsteps, &n) == 0 ? (int)n : 0;
}

/* GET /thuc-hanh/{course}/{sim}/{step|xong} */
int hv_page_practice_step(struct hv_ctx *c)
{
	const struct hv_sim *s = sim_of(c);
	if (!s)
		return hv_fail(c, HV_ENOTFOUND, "sim", hv_t(c->lang, "practice.none"));
	char key[HV_LEARNER_KEY_MAX];
	struct hv_learner_ref who;
	struct hv_practice_run r;
	if (!run_of(c, s, true, key, &who, &r))
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	if (!strcmp(c->params[2], "xong"))
		return done_page(c, s, &r);
	int step = step_param(c, s);
	if (!step)
		return hv_fail(c, HV_ENOTFOUND, "step", hv_t(c->lang, "practice.none"));
	if (step > r.next) {
		hv_redirect(c, step_url(c, s, r.next));
		return HV_OK;
	}
	return step_page(c, s, step, false, false);
}

static char *folded(struct hv_ctx *c, const char *s)
{
	struct hv_buf b;
	hv_buf_init(&b);
	char *out = hv_fold(&b, s, strlen(s)) ? hv_arena_strndup(c->arena, b.data ? b.data : "", b.len) : NULL;
	hv_buf_free(&b);
	return out;
}

/* Whether the answer in the form is right: HV_PRACTICE_RIGHT or _WRONG,
 * HV_PRACTICE_SHOW for "show me", 0 for a malformed answer. */
static int judge(struct hv_ctx *c, const struct hv_sim_step *st)
{
	if (hv_form(c, "show"))
		return HV_PRACTICE_SHOW;
	int64_t k;
	if (st->kind == HV_STEP_TYPE) {
		const char *t = hv_form(c, "text");
		if (!t || strlen(t) > 200 || !hv_utf8_valid(t, strlen(t)))
			return 0;
		char *got = folded(c, t), *want = folded(c, st->answer);
		return got && want && !strcmp(got, want) ? HV_PRACTICE_RIGHT : HV_PRACTICE_WRONG;
	}
	const char *v = hv_form(c, st->kind == HV_STEP_TAP ? "tap" : "choice");
	if (!v || hv_parse_i64(v, 1, st->nareas, &k) < 0)
		return 0;
	return st->areas[k - 1].correct ? HV_PRACTICE_RIGHT : HV_PRACTICE_WRONG;
}

/* POST /thuc-hanh/{course}/{sim}/{step}: tap=N, choice=N, text=… or show=1. */
int hv_post_practice_step(struct hv_ctx *c)
{
	const struct hv_sim *s = sim_of(c);
	int step = s ? step_param(c, s) : 0;
	if (!s || !step)
		return hv_fail(c, HV_ENOTFOUND, "sim", hv_t(c->lang, "practice.none"));
	char key[HV_LEARNER_KEY_MAX];
	struct hv_learner_ref who;
	struct hv_practice_run r;
	if (!run_of(c, s, true, key, &who, &r))
		return hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.retry"));
	if (step > r.next)
		return hv_fail(c, HV_ECONFLICT, "step", hv_t(c->lang, "practice.not_reached"));
	int act = judge(c, &s->steps[step - 1]);
	if (!act)
		return hv_fail(c, HV_EINVAL, "answer", hv_t(c->lang, "practice.bad_answer"));
	bool completed;
	char cert[HV_CERT_CODE_MAX];
	struct hv_error e = {0};
	int rc = hv_practice_record(c->app->store, key, who.account ? &c->who->acct : NULL, s, step, act, &completed, cert, &e);
	if (rc == HV_ECONFLICT)
		return hv_fail(c, HV_ECONFLICT, "step", hv_t(c->lang, "practice.not_reached"));
	if (rc < 0)
		return hv_fail_err(c, &e);
	if (act != HV_PRACTICE_RIGHT)
		return step_page(c, s, step, act == HV_PRACTICE_WRONG, act == HV_PRACTICE_SHOW);
	/* The practice completed the course (it asks for its practice): the certificate. */
	hv_redirect(c, cert[0] ? "/hoc-tap-cua-toi" : step_url(c, s, step + 1));
	return HV_OK;
}

/* GET /thuc-hanh/{course}/{sim}/kieu/v{version}.css: where each step's
 * areas sit on its screen, in percent of the screen (the version in the
 * address lets it be cached for a day). */
int hv_practice_css(struct hv_ctx *c)
{
	const struct hv_sim *s = sim_of(c);
	if (!s || strcmp(c->params[2], hv_arena_printf(c->arena, "v%d.css", s->version)))
		return hv_fail(c, HV_ENOTFOUND, "sim", hv_t(c->lang, "practice.none"));
	hv_buf_reset(&c->body);
	for (int i = 0; i < s->nsteps; i++) {
		const struct hv_sim_step *st = &s->steps[i];
		hv_buf_printf(&c->body, ".s%d .screen{aspect-ratio:%d/%d}\n", i + 1, st->vw, st->vh);
		for (int k = 0; st->kind == HV_STEP_TAP && k < st->nareas; k++) {
			const struct hv_sim_area *a = &st->areas[k];
			hv_buf_printf(&c->body, ".s%d .a%d{left:%.3f%%;top:%.3f%%;width:%.3f%%;height:%.3f%%}\n", i + 1, k + 1, 100.0 * a->x / st->vw,
			              100.0 * a->y / st->vh, 100.0 * a->w / st->vw, 100.0 * a->h / st->vh);
		}
	}
	c->status = 200;
	c->resp_type = "text/css; charset=utf-8";
	c->cache_control = "public, max-age=86400";
	return HV_OK;
}
