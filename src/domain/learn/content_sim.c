/* content_sim.c: a practice simulation file (content/<course>/thuc-hanh/
 * <slug>.md): front matter only, read strictly like the other content
 * files (content_yaml.h), every error naming the file, its line and the
 * step.  hv_sim_check then holds each step against the pack's images: its
 * screen must be an SVG of the course (light, with a viewBox) and every
 * tap area must lie inside that screen. */
#include "domain/learn/content.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "domain/learn/content_yaml.h"

#define MIN_AREA 56             /* viewBox units: ≥ 48 px on a 360 px phone */
#define MAX_SCREEN_BYTES (15 * 1024)

static int step_text(struct hv_ydoc *d, yaml_node_t *m, int i, const char *key, int max, char **out)
{
	if (!hv_ydoc_get(d, m, key))
		return hv_ydoc_fail(d, hv_ydoc_line(m), "step %d: the field '%s' is missing%s", i, key,
		                    !strcmp(key, "alt") ? " (the text alternative: what the screen shows, for people who cannot see it)" : "");
	return hv_ydoc_text(d, m, key, max, false, out);
}

static bool is_true(const yaml_node_t *c)
{
	return c && c->type == YAML_SCALAR_NODE && c->data.scalar.length == 4 && !memcmp(c->data.scalar.value, "true", 4);
}

static bool is_bool(const yaml_node_t *c)
{
	return is_true(c) || (c && c->type == YAML_SCALAR_NODE && c->data.scalar.length == 5 && !memcmp(c->data.scalar.value, "false", 5));
}

/* tap: [{label, x, y, w, h, correct}] or choose: [{text, correct}]. */
static int parse_areas(struct hv_ydoc *d, yaml_node_t *list, int i, bool tap, struct hv_sim_step *st)
{
	static const char *const tkeys[] = {"label", "x", "y", "w", "h", "correct", NULL};
	static const char *const ckeys[] = {"text", "correct", NULL};
	const char *what = tap ? "tap" : "choose";
	int n = list->type == YAML_SEQUENCE_NODE ? (int)(list->data.sequence.items.top - list->data.sequence.items.start) : 0;
	if (n < (tap ? 1 : 2) || n > HV_SIM_MAX_AREAS)
		return hv_ydoc_fail(d, hv_ydoc_line(list), "step %d: '%s' must be a list of %d to %d %s", i, what, tap ? 1 : 2, HV_SIM_MAX_AREAS,
		                    tap ? "areas" : "choices");
	st->areas = hv_arena_alloc(d->a, (size_t)n * sizeof *st->areas);
	int right = 0;
	for (int k = 0; k < n; k++) {
		yaml_node_t *m = hv_ydoc_node(d, list->data.sequence.items.start[k]);
		struct hv_sim_area *ar = &st->areas[k];
		if (!m || m->type != YAML_MAPPING_NODE)
			return hv_ydoc_fail(d, hv_ydoc_line(list), "step %d: %s %d must be a mapping", i, what, k + 1);
		int rc = hv_ydoc_keys(d, m, tap ? tkeys : ckeys);
		if (!rc) rc = hv_ydoc_text(d, m, tap ? "label" : "text", 200, false, &ar->label);
		if (!rc && tap) rc = hv_ydoc_int(d, m, "x", -10000, 10000, &ar->x);
		if (!rc && tap) rc = hv_ydoc_int(d, m, "y", -10000, 10000, &ar->y);
		if (!rc && tap) rc = hv_ydoc_int(d, m, "w", 1, 10000, &ar->w);
		if (!rc && tap) rc = hv_ydoc_int(d, m, "h", 1, 10000, &ar->h);
		if (rc)
			return rc;
		if (tap && (ar->w < MIN_AREA || ar->h < MIN_AREA))
			return hv_ydoc_fail(d, hv_ydoc_line(m), "step %d: the area '%s' is %d×%d; tap areas are at least %d×%d (48 px on a phone)", i,
			                    ar->label, ar->w, ar->h, MIN_AREA, MIN_AREA);
		yaml_node_t *c = hv_ydoc_get(d, m, "correct");
		if (c && !is_bool(c))
			return hv_ydoc_fail(d, hv_ydoc_line(c), "step %d: correct must be true or false", i);
		ar->correct = is_true(c);
		right += ar->correct;
		st->nareas++;
	}
	if (right != 1)
		return hv_ydoc_fail(d, hv_ydoc_line(list), "step %d: exactly one %s must be correct: true (%d are)", i,
		                    tap ? "area" : "choice", right);
	return HV_OK;
}

static int parse_step(struct hv_ydoc *d, yaml_node_t *m, int i, struct hv_sim_step *st)
{
	static const char *const keys[] = {"say", "screen", "alt", "hint", "tap", "type", "field", "choose", NULL};
	if (!m || m->type != YAML_MAPPING_NODE)
		return hv_ydoc_fail(d, m ? hv_ydoc_line(m) : 2, "step %d must be a mapping (say, screen, alt, hint and tap, type or choose)", i);
	int rc = hv_ydoc_keys(d, m, keys);
	if (!rc) rc = step_text(d, m, i, "say", 300, &st->say);
	if (!rc) rc = step_text(d, m, i, "screen", 120, &st->screen);
	if (!rc) rc = step_text(d, m, i, "alt", 600, &st->alt);
	if (!rc) rc = step_text(d, m, i, "hint", 300, &st->hint);
	if (rc)
		return rc;
	size_t sl = strlen(st->screen);
	if (strncmp(st->screen, "img/", 4) || strchr(st->screen + 4, '/') || sl < 9 || strcmp(st->screen + sl - 4, ".svg"))
		return hv_ydoc_fail(d, hv_ydoc_line(hv_ydoc_get(d, m, "screen")), "step %d: the screen must be an SVG of the course: img/NAME.svg", i);
	yaml_node_t *tap = hv_ydoc_get(d, m, "tap"), *type = hv_ydoc_get(d, m, "type"), *choose = hv_ydoc_get(d, m, "choose");
	if (!!tap + !!type + !!choose != 1)
		return hv_ydoc_fail(d, hv_ydoc_line(m), "step %d needs exactly one of tap (areas), type (a text) or choose (choices)", i);
	if (type) {
		st->kind = HV_STEP_TYPE;
		rc = hv_ydoc_text(d, m, "type", 60, false, &st->answer);
		if (!rc) rc = step_text(d, m, i, "field", 80, &st->field);
		return rc;
	}
	if (hv_ydoc_get(d, m, "field"))
		return hv_ydoc_fail(d, hv_ydoc_line(m), "step %d: 'field' belongs to a type step", i);
	st->kind = tap ? HV_STEP_TAP : HV_STEP_CHOOSE;
	return parse_areas(d, tap ? tap : choose, i, tap != NULL, st);
}

int hv_parse_sim(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_sim *s, struct hv_error *e)
{
	static const char *const keys[] = {"simulation", "title", "summary", "order", "steps", NULL};
	struct hv_ydoc d = {.a = a, .file = file, .e = e};
	memset(s, 0, sizeof *s);
	int rc = hv_ydoc_open(&d, text, len);
	yaml_node_t *m = rc ? NULL : yaml_document_get_root_node(&d.y);
	if (!rc) rc = hv_ydoc_keys(&d, m, keys);
	if (!rc) rc = hv_ydoc_slug(&d, m, "simulation", &s->slug);
	if (!rc) rc = hv_ydoc_text(&d, m, "title", 120, false, &s->title);
	if (!rc) rc = hv_ydoc_text(&d, m, "summary", 300, false, &s->summary);
	if (!rc) rc = hv_ydoc_int(&d, m, "order", 1, 99, &s->position);
	if (!rc && strspn(d.body, " \t\r\n") != d.body_len)
		rc = hv_ydoc_fail(&d, d.body_line, "a simulation is its front matter only: write the steps under 'steps:'");
	if (!rc) {
		yaml_node_t *steps = hv_ydoc_get(&d, m, "steps");
		int n = steps && steps->type == YAML_SEQUENCE_NODE ? (int)(steps->data.sequence.items.top - steps->data.sequence.items.start) : 0;
		if (n < 2 || n > HV_SIM_MAX_STEPS)
			rc = hv_ydoc_fail(&d, steps ? hv_ydoc_line(steps) : 2, "'steps' must be a list of 2 to %d steps", HV_SIM_MAX_STEPS);
		else
			s->steps = hv_arena_alloc(a, (size_t)n * sizeof *s->steps);
		for (int i = 0; !rc && i < n; i++) {
			rc = parse_step(&d, hv_ydoc_node(&d, steps->data.sequence.items.start[i]), i + 1, &s->steps[i]);
			if (!rc)
				s->nsteps++;
		}
	}
	if (!rc) {
		s->source = hv_arena_strndup(a, text, len);
		s->published = true;
		s->version = 1;
		s->file = file;
	}
	hv_ydoc_close(&d);
	return rc;
}

/* The viewBox "0 0 W H" of an SVG, or false. */
static bool view_box(const unsigned char *data, size_t len, int *w, int *h)
{
	char head[2048];
	size_t n = len < sizeof head - 1 ? len : sizeof head - 1;
	memcpy(head, data, n);
	head[n] = '\0';
	const char *v = strstr(head, "viewBox=\"");
	return v && sscanf(v + 9, "0 0 %d %d", w, h) == 2 && *w > 0 && *h > 0;
}

int hv_sim_check(const struct hv_pack *p, const char *course_slug, struct hv_sim *s, struct hv_error *e)
{
	for (int i = 0; i < s->nsteps; i++) {
		struct hv_sim_step *st = &s->steps[i];
		char want[256];
		snprintf(want, sizeof want, "%s/%s", course_slug, st->screen);
		const struct hv_image *im = NULL;
		for (int k = 0; k < p->nimages && !im; k++)
			if (!strcmp(p->images[k].path, want))
				im = &p->images[k];
		if (!im)
			return hv_err_set(e, HV_EINVAL, s->file, "%s: step %d: the screen %s is missing (no file %s in the pack)", s->file, i + 1,
			                  st->screen, want);
		if (im->len > MAX_SCREEN_BYTES)
			return hv_err_set(e, HV_EINVAL, s->file, "%s: step %d: the screen %s is %zu KB; screens are at most 15 KB", s->file, i + 1,
			                  st->screen, im->len / 1024);
		if (!view_box(im->data, im->len, &st->vw, &st->vh))
			return hv_err_set(e, HV_EINVAL, s->file, "%s: step %d: the screen %s needs viewBox=\"0 0 W H\"", s->file, i + 1, st->screen);
		for (int k = 0; st->kind == HV_STEP_TAP && k < st->nareas; k++) {
			const struct hv_sim_area *ar = &st->areas[k];
			if (ar->x < 0 || ar->y < 0 || ar->x + ar->w > st->vw || ar->y + ar->h > st->vh)
				return hv_err_set(e, HV_EINVAL, s->file, "%s: step %d: the target area '%s' (x %d, y %d, %d×%d) lies outside the screen %s "
				                  "(%d×%d)", s->file, i + 1, ar->label, ar->x, ar->y, ar->w, ar->h, st->screen, st->vw, st->vh);
		}
	}
	return HV_OK;
}
