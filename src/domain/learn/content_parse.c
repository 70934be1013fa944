/* content_parse.c: one content file at a time: split the YAML front
 * matter from the Markdown body, read the YAML with libyaml, check every
 * field strictly (unknown keys are errors), render the Markdown.  Pure:
 * no database, no globals; the importer, the editor and the fuzzers share
 * it.  Errors say "FILE:LINE: what is wrong". */
#include "domain/learn/content.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <yaml.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/num.h"
#include "core/utf8.h"
#include "domain/learn/content_yaml.h"

const char *const hv_domains[] = {"data_information", "communication", "content_creation", "safety",
                                  "problem_solving", "ai", NULL};

static const char *const track_names[] = {"citizen", "civil_servant", "pupil", "small_business", NULL};

const char *hv_track_name(int track)
{
	for (int i = 0; track_names[i]; i++)
		if (track == (1 << i))
			return track_names[i];
	return "?";
}

void hv_tracks_text(int tracks, char out[64])
{
	out[0] = '\0';
	for (int t = HV_TRACK_CITIZEN; t <= HV_TRACK_SMALL_BUSINESS; t <<= 1)
		if (tracks & t) {
			if (out[0])
				strcat(out, ",");
			strcat(out, hv_track_name(t));
		}
}

int hv_track_parse(const char *name)
{
	for (int i = 0; track_names[i]; i++)
		if (!strcmp(track_names[i], name))
			return 1 << i;
	return 0;
}

bool hv_domain_valid(const char *name)
{
	for (int i = 0; hv_domains[i]; i++)
		if (!strcmp(hv_domains[i], name))
			return true;
	return false;
}

/* ---- front matter ---- */

#define doc hv_ydoc /* content_yaml.h */
#define fail hv_ydoc_fail

int hv_ydoc_fail(struct doc *d, int line, const char *fmt, ...)
{
	char msg[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return hv_err_set(d->e, HV_EINVAL, d->file, "%s:%d: %s", d->file, line, msg);
}

static int node_line(const yaml_node_t *n)
{
	return (int)n->start_mark.line + 2; /* YAML starts on line 2, after "---" */
}

static int open_doc(struct doc *d, const char *text, size_t len)
{
	if (!hv_utf8_valid(text, len))
		return fail(d, 1, "the file is not valid UTF-8 text");
	if (len < 4 || strncmp(text, "---", 3) != 0 || (text[3] != '\n' && !(text[3] == '\r' && len > 4 && text[4] == '\n')))
		return fail(d, 1, "the file must start with a front-matter block: a line '---'");
	const char *start = (const char *)memchr(text, '\n', len) + 1; /* text[3] is a newline: found */
	const char *end = NULL;
	int line = 2;
	for (const char *p = start; p < text + len;) {
		const char *nl = memchr(p, '\n', (size_t)(text + len - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
		if (n >= 3 && strncmp(p, "---", 3) == 0 && (n == 3 || (n == 4 && p[3] == '\r'))) {
			end = p;
			d->body = nl ? nl + 1 : text + len;
			d->body_line = line + 1;
			break;
		}
		line++;
		if (!nl)
			break;
		p = nl + 1;
	}
	if (!end)
		return fail(d, 1, "the front-matter block is not closed by a line '---'");
	d->body_len = (size_t)(text + len - d->body);
	yaml_parser_t parser;
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_string(&parser, (const unsigned char *)start, (size_t)(end - start));
	if (!yaml_parser_load(&parser, &d->y)) {
		int l = (int)parser.problem_mark.line + 2;
		int rc = fail(d, l, "YAML error: %s", parser.problem ? parser.problem : "unreadable");
		yaml_parser_delete(&parser);
		return rc;
	}
	yaml_parser_delete(&parser);
	d->loaded = true;
	yaml_node_t *root = yaml_document_get_root_node(&d->y);
	if (!root || root->type != YAML_MAPPING_NODE)
		return fail(d, 2, "the front matter must be a list of 'key: value' lines");
	return HV_OK;
}

static void close_doc(struct doc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->y);
	d->loaded = false;
}

static yaml_node_t *node(struct doc *d, int index)
{
	return yaml_document_get_node(&d->y, index);
}

/* Checks that every key of map is one of allowed. */
static int only_keys(struct doc *d, yaml_node_t *map, const char *const *allowed)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(d, p->key);
		if (!k || k->type != YAML_SCALAR_NODE)
			return fail(d, k ? node_line(k) : 2, "keys must be plain words");
		bool ok = false;
		for (int i = 0; allowed[i] && !ok; i++)
			ok = strlen(allowed[i]) == k->data.scalar.length && !memcmp(allowed[i], k->data.scalar.value, k->data.scalar.length);
		if (!ok)
			return fail(d, node_line(k), "unknown field '%.*s'", (int)(k->data.scalar.length > 40 ? 40 : k->data.scalar.length),
			            (const char *)k->data.scalar.value);
	}
	return HV_OK;
}

static yaml_node_t *get(struct doc *d, yaml_node_t *map, const char *key)
{
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(d, p->key);
		if (k && k->type == YAML_SCALAR_NODE && strlen(key) == k->data.scalar.length &&
		    !memcmp(key, k->data.scalar.value, k->data.scalar.length))
			return node(d, p->value);
	}
	return NULL;
}

/* A required text field: NFC, no control characters, 1..max characters. */
static int text_field(struct doc *d, yaml_node_t *map, const char *key, int max, bool allow_empty, char **out)
{
	yaml_node_t *v = get(d, map, key);
	if (!v)
		return fail(d, node_line(map), "the field '%s' is missing", key);
	if (v->type != YAML_SCALAR_NODE)
		return fail(d, node_line(v), "'%s' must be text", key);
	const char *s = (const char *)v->data.scalar.value;
	size_t n = v->data.scalar.length;
	long chars = hv_utf8_len(s, n);
	if (chars < 0 || hv_has_any_control(s, n))
		return fail(d, node_line(v), "'%s' must be one line of text", key);
	if ((!allow_empty && chars == 0) || chars > max)
		return fail(d, node_line(v), "'%s' must have %s%d characters", key, allow_empty ? "at most " : "1 to ", max);
	struct hv_buf b;
	hv_buf_init(&b);
	hv_nfc(&b, s, n);
	*out = hv_arena_strndup(d->a, b.data ? b.data : "", b.len);
	hv_buf_free(&b);
	return HV_OK;
}

static int int_field(struct doc *d, yaml_node_t *map, const char *key, int min, int max, int *out)
{
	yaml_node_t *v = get(d, map, key);
	if (!v)
		return fail(d, node_line(map), "the field '%s' is missing", key);
	char tmp[24];
	int64_t n;
	if (v->type != YAML_SCALAR_NODE || v->data.scalar.length >= sizeof tmp)
		return fail(d, node_line(v), "'%s' must be a number from %d to %d", key, min, max);
	memcpy(tmp, v->data.scalar.value, v->data.scalar.length);
	tmp[v->data.scalar.length] = '\0';
	if (hv_parse_i64(tmp, min, max, &n) < 0)
		return fail(d, node_line(v), "'%s' must be a number from %d to %d", key, min, max);
	*out = (int)n;
	return HV_OK;
}

static bool valid_slug(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 64 || s[0] == '-' || s[n - 1] == '-')
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789-") == n;
}

static int slug_field(struct doc *d, yaml_node_t *map, const char *key, char **out)
{
	int rc = text_field(d, map, key, 64, false, out);
	if (rc)
		return rc;
	if (!valid_slug(*out))
		return fail(d, node_line(get(d, map, key)), "'%s' must be lower-case letters, digits and '-' (a slug)", key);
	return HV_OK;
}

static int tracks_field(struct doc *d, yaml_node_t *map, int *out)
{
	yaml_node_t *v = get(d, map, "tracks");
	if (!v)
		return fail(d, node_line(map), "the field 'tracks' is missing");
	if (v->type != YAML_SEQUENCE_NODE || v->data.sequence.items.top == v->data.sequence.items.start)
		return fail(d, node_line(v), "'tracks' must be a list such as [citizen, pupil]");
	*out = 0;
	for (yaml_node_item_t *it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
		yaml_node_t *t = node(d, *it);
		char name[32];
		if (!t || t->type != YAML_SCALAR_NODE || t->data.scalar.length >= sizeof name)
			return fail(d, node_line(v), "'tracks' must list citizen, civil_servant, pupil or small_business");
		memcpy(name, t->data.scalar.value, t->data.scalar.length);
		name[t->data.scalar.length] = '\0';
		int tr = hv_track_parse(name);
		if (!tr)
			return fail(d, node_line(t), "unknown track '%s': use citizen, civil_servant, pupil or small_business", name);
		*out |= tr;
	}
	return HV_OK;
}

/* ---- Markdown ---- */

int hv_markdown(struct hv_arena *a, const char *file, const char *md, size_t len, int line_offset, char **html, struct hv_error *e)
{
	if (!hv_utf8_valid(md, len))
		return hv_err_set(e, HV_EINVAL, file, "%s:%d: the text is not valid UTF-8", file, line_offset);
	int bad = 0;
	if (hv_markdown_render(a, md, len, html, &bad) != HV_OK)
		return hv_err_set(e, HV_EINVAL, file, "%s:%d: the Markdown cannot be rendered", file, line_offset);
	if (bad)
		return hv_err_set(e, HV_EINVAL, file, "%s:%d: links may only use http(s), mailto, tel or a relative address, "
		                  "images http(s) or a relative address", file, line_offset + bad - 1);
	return HV_OK;
}

static char *fold_arena(struct hv_arena *a, const char *s)
{
	struct hv_buf b;
	hv_buf_init(&b);
	hv_fold(&b, s, strlen(s));
	char *r = hv_arena_strndup(a, b.data ? b.data : "", b.len);
	hv_buf_free(&b);
	return r;
}

/* ---- the three kinds of file ---- */

int hv_parse_course(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_course *c, struct hv_error *e)
{
	static const char *const keys[] = {"course", "title", "summary", "order", "tracks", "pass_mark", "practice", NULL};
	struct doc d = {.a = a, .file = file, .e = e};
	memset(c, 0, sizeof *c);
	int rc = open_doc(&d, text, len);
	yaml_node_t *m = rc ? NULL : yaml_document_get_root_node(&d.y);
	if (!rc) rc = only_keys(&d, m, keys);
	if (!rc) rc = slug_field(&d, m, "course", &c->slug);
	if (!rc) rc = text_field(&d, m, "title", 120, false, &c->title);
	if (!rc) rc = text_field(&d, m, "summary", 400, false, &c->summary);
	if (!rc) rc = int_field(&d, m, "order", 1, 1000, &c->position);
	if (!rc) rc = tracks_field(&d, m, &c->tracks);
	if (!rc) rc = int_field(&d, m, "pass_mark", 1, 100, &c->pass_mark);
	char *practice = NULL;
	if (!rc && get(&d, m, "practice") && !(rc = text_field(&d, m, "practice", 20, false, &practice))) {
		if (strcmp(practice, "required") && strcmp(practice, "optional"))
			rc = fail(&d, node_line(get(&d, m, "practice")), "'practice' must be required or optional");
		c->needs_practice = !strcmp(practice, "required");
	}
	if (!rc) {
		c->intro_md = hv_arena_strndup(a, d.body, d.body_len);
		rc = hv_markdown(a, file, d.body, d.body_len, d.body_line, &c->intro_html, e);
	}
	if (!rc) {
		c->folded_title = fold_arena(a, c->title);
		c->published = true;
	}
	close_doc(&d);
	return rc;
}

static bool image_path_ok(const char *p)
{
	size_t n = strlen(p);
	if (strncmp(p, "img/", 4) != 0 || n < 6 || n > 100 || strstr(p, "..") || strchr(p + 4, '/'))
		return false;
	if (strspn(p + 4, "abcdefghijklmnopqrstuvwxyz0123456789-_.") != n - 4)
		return false;
	const char *dot = strrchr(p, '.');
	return dot && (!strcmp(dot, ".svg") || !strcmp(dot, ".png") || !strcmp(dot, ".jpg") || !strcmp(dot, ".webp"));
}

int hv_parse_lesson(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_lesson *l, struct hv_error *e)
{
	static const char *const keys[] = {"lesson", "title", "module", "order", "minutes", "tracks",
	                                   "domain", "level", "images", "video", NULL};
	struct doc d = {.a = a, .file = file, .e = e};
	memset(l, 0, sizeof *l);
	l->file = file;
	int rc = open_doc(&d, text, len);
	yaml_node_t *m = rc ? NULL : yaml_document_get_root_node(&d.y);
	if (!rc) rc = only_keys(&d, m, keys);
	if (!rc) rc = slug_field(&d, m, "lesson", &l->slug);
	if (!rc) rc = text_field(&d, m, "title", 120, false, &l->title);
	if (!rc) rc = text_field(&d, m, "module", 120, false, &l->module);
	if (!rc) rc = int_field(&d, m, "order", 1, 1000, &l->position);
	if (!rc) rc = int_field(&d, m, "minutes", 1, 120, &l->minutes);
	if (!rc) rc = tracks_field(&d, m, &l->tracks);
	if (!rc) rc = text_field(&d, m, "domain", 40, false, &l->domain);
	if (!rc && !hv_domain_valid(l->domain))
		rc = fail(&d, node_line(get(&d, m, "domain")), "unknown domain '%s': use data_information, communication, "
		          "content_creation, safety, problem_solving or ai", l->domain);
	if (!rc) rc = int_field(&d, m, "level", 1, 8, &l->level);
	if (!rc) {
		yaml_node_t *im = get(&d, m, "images");
		if (im && im->type != YAML_SEQUENCE_NODE)
			rc = fail(&d, node_line(im), "'images' must be a list such as [img/phone.svg]");
		int count = !rc && im ? (int)(im->data.sequence.items.top - im->data.sequence.items.start) : 0;
		if (!rc && count > 20)
			rc = fail(&d, node_line(im), "at most 20 images per lesson");
		l->images = hv_arena_alloc(a, (size_t)(count + 1) * sizeof *l->images);
		for (int i = 0; !rc && i < count; i++) {
			yaml_node_t *t = node(&d, im->data.sequence.items.start[i]);
			if (!t || t->type != YAML_SCALAR_NODE) {
				rc = fail(&d, node_line(im), "'images' must list file paths");
				break;
			}
			char *p = hv_arena_strndup(a, (const char *)t->data.scalar.value, t->data.scalar.length);
			if (!image_path_ok(p))
				rc = fail(&d, node_line(t), "image '%.60s' must be img/NAME.svg|png|jpg|webp", p);
			l->images[l->nimages++] = p;
		}
	}
	if (!rc) {
		yaml_node_t *v = get(&d, m, "video");
		l->video = hv_arena_strdup(a, "");
		if (v) {
			rc = text_field(&d, m, "video", 300, true, &l->video);
			if (!rc && l->video[0] && strncmp(l->video, "https://", 8) != 0)
				rc = fail(&d, node_line(v), "'video' must be empty or an https:// address");
		}
	}
	if (!rc) {
		if (hv_utf8_len(d.body, d.body_len) < 20)
			rc = fail(&d, d.body_line, "the lesson has no text after the front matter");
		else
			rc = hv_markdown(a, file, d.body, d.body_len, d.body_line, &l->body_html, e);
	}
	if (!rc) {
		l->body_md = hv_arena_strndup(a, d.body, d.body_len);
		/* Images named in the body must be declared, so the pack ships them. */
		for (const char *p = l->body_md; (p = strstr(p, "](img/")) != NULL; p += 2) {
			const char *end = strchr(p + 2, ')');
			if (!end)
				break;
			char *ref = hv_arena_strndup(a, p + 2, (size_t)(end - p - 2));
			bool declared = false;
			for (int i = 0; i < l->nimages && !declared; i++)
				declared = !strcmp(l->images[i], ref);
			if (!declared) {
				int line = d.body_line;
				for (const char *q = l->body_md; q < p; q++)
					line += *q == '\n';
				rc = fail(&d, line, "image %.60s is used but not listed in 'images'", ref);
				break;
			}
		}
	}
	if (!rc) {
		struct hv_buf t;
		hv_buf_init(&t);
		hv_buf_puts(&t, l->title);
		hv_buf_putc(&t, ' ');
		hv_buf_puts(&t, l->body_md);
		l->folded = fold_arena(a, t.data);
		hv_buf_free(&t);
		l->folded_title = fold_arena(a, l->title);
		l->published = true;
		l->version = 1;
	}
	close_doc(&d);
	return rc;
}

static int parse_question(struct doc *d, yaml_node_t *qn, int index, struct hv_question *q)
{
	static const char *const keys[] = {"q", "kind", "answers", NULL};
	static const char *const akeys[] = {"text", "correct", "why", NULL};
	if (!qn || qn->type != YAML_MAPPING_NODE)
		return fail(d, qn ? node_line(qn) : 2, "question %d must have q, kind and answers", index);
	int rc = only_keys(d, qn, keys);
	if (!rc) rc = text_field(d, qn, "q", 400, false, &q->prompt);
	char *kind = NULL;
	if (!rc) rc = text_field(d, qn, "kind", 10, false, &kind);
	if (!rc && strcmp(kind, "single") && strcmp(kind, "multiple"))
		rc = fail(d, node_line(get(d, qn, "kind")), "question %d: kind must be single or multiple", index);
	if (rc)
		return rc;
	q->multiple = !strcmp(kind, "multiple");
	yaml_node_t *an = get(d, qn, "answers");
	if (!an || an->type != YAML_SEQUENCE_NODE)
		return fail(d, node_line(qn), "question %d needs a list of answers", index);
	int n = (int)(an->data.sequence.items.top - an->data.sequence.items.start);
	if (n < 2 || n > 6)
		return fail(d, node_line(an), "question %d needs 2 to 6 answers", index);
	q->answers = hv_arena_alloc(d->a, (size_t)n * sizeof *q->answers);
	int correct = 0;
	for (int i = 0; i < n; i++) {
		yaml_node_t *a = node(d, an->data.sequence.items.start[i]);
		struct hv_answer *ans = &q->answers[i];
		if (!a || a->type != YAML_MAPPING_NODE)
			return fail(d, node_line(an), "question %d, answer %d must have text, correct and why", index, i + 1);
		if ((rc = only_keys(d, a, akeys)) || (rc = text_field(d, a, "text", 300, false, &ans->text)) ||
		    (rc = text_field(d, a, "why", 500, false, &ans->why)))
			return rc;
		yaml_node_t *c = get(d, a, "correct");
		if (!c || c->type != YAML_SCALAR_NODE ||
		    !((c->data.scalar.length == 4 && !memcmp(c->data.scalar.value, "true", 4)) ||
		      (c->data.scalar.length == 5 && !memcmp(c->data.scalar.value, "false", 5))))
			return fail(d, node_line(a), "question %d, answer %d: correct must be true or false", index, i + 1);
		ans->correct = c->data.scalar.length == 4;
		correct += ans->correct;
		q->nanswers++;
	}
	if (correct == 0)
		return fail(d, node_line(qn), "question %d has no right answer", index);
	if (!q->multiple && correct != 1)
		return fail(d, node_line(qn), "question %d is single choice but has %d right answers", index, correct);
	return HV_OK;
}

/* The digest names the bank an attempt was drawn from (see quiz.h). */
static void quiz_digest(const char *text, size_t len, char out[17])
{
	unsigned char h[8];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, len, NULL, 0);
	sodium_bin2hex(out, 17, h, sizeof h);
}

int hv_parse_quiz(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_quiz *q, struct hv_error *e)
{
	static const char *const keys[] = {"quiz", "title", "draw", "failures_per_day", "questions", NULL};
	struct doc d = {.a = a, .file = file, .e = e};
	memset(q, 0, sizeof *q);
	int rc = open_doc(&d, text, len);
	yaml_node_t *m = rc ? NULL : yaml_document_get_root_node(&d.y);
	char *slug = NULL;
	if (!rc) rc = only_keys(&d, m, keys);
	if (!rc) rc = slug_field(&d, m, "quiz", &slug);
	if (!rc) rc = text_field(&d, m, "title", 120, false, &q->title);
	if (!rc) {
		yaml_node_t *qs = get(&d, m, "questions");
		if (!qs || qs->type != YAML_SEQUENCE_NODE)
			rc = fail(&d, qs ? node_line(qs) : 2, "'questions' must be a list of questions");
		int n = rc ? 0 : (int)(qs->data.sequence.items.top - qs->data.sequence.items.start);
		if (!rc && (n < 8 || n > 100))
			rc = fail(&d, node_line(qs), "a final quiz needs 8 to 100 questions, this one has %d", n);
		if (!rc)
			q->questions = hv_arena_alloc(a, (size_t)n * sizeof *q->questions);
		for (int i = 0; !rc && i < n; i++) {
			rc = parse_question(&d, node(&d, qs->data.sequence.items.start[i]), i + 1, &q->questions[i]);
			if (!rc)
				q->nquestions++;
		}
	}
	q->draw = q->nquestions >= 20 ? 10 : q->nquestions;
	if (!rc && get(&d, m, "draw")) {
		rc = int_field(&d, m, "draw", 1, HV_QUIZ_MAX_DRAW, &q->draw);
		if (!rc && q->nquestions < 2 * q->draw)
			rc = fail(&d, node_line(get(&d, m, "draw")), "a quiz that asks %d questions needs a bank of at least %d, "
			          "this one has %d", q->draw, 2 * q->draw, q->nquestions);
	}
	q->failures_per_day = 2;
	if (!rc && get(&d, m, "failures_per_day"))
		rc = int_field(&d, m, "failures_per_day", 1, 10, &q->failures_per_day);
	if (!rc) {
		q->source = hv_arena_strndup(a, text, len);
		quiz_digest(text, len, q->digest);
		q->published = true;
	}
	close_doc(&d);
	return rc;
}

/* ---- the reader, for content_sim.c (content_yaml.h) ---- */

int hv_ydoc_open(struct doc *d, const char *text, size_t len) { return open_doc(d, text, len); }
void hv_ydoc_close(struct doc *d) { close_doc(d); }
int hv_ydoc_line(const yaml_node_t *n) { return node_line(n); }
yaml_node_t *hv_ydoc_node(struct doc *d, int index) { return node(d, index); }
int hv_ydoc_keys(struct doc *d, yaml_node_t *map, const char *const *allowed) { return only_keys(d, map, allowed); }
yaml_node_t *hv_ydoc_get(struct doc *d, yaml_node_t *map, const char *key) { return get(d, map, key); }
int hv_ydoc_text(struct doc *d, yaml_node_t *map, const char *key, int max, bool allow_empty, char **out)
{
	return text_field(d, map, key, max, allow_empty, out);
}
int hv_ydoc_int(struct doc *d, yaml_node_t *map, const char *key, int min, int max, int *out) { return int_field(d, map, key, min, max, out); }
int hv_ydoc_slug(struct doc *d, yaml_node_t *map, const char *key, char **out) { return slug_field(d, map, key, out); }
