/* catalog.c: the published course pack as the site shows it, loaded from
 * the database into one immutable, reference-counted snapshot (quizzes are
 * parsed from their stored source), and reloaded when
 * settings.content_version changes.  Lesson pages never touch the
 * database. */
#include "domain/learn/content.h"

#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/generation.h"
#include "core/log.h"
#include "core/utf8.h"
#include "domain/people/auth.h"
#include "domain/people/audit.h"
#include "domain/learn/catalog_internal.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct hv_pack *current;
static _Atomic long last_check;

struct hv_pack *hv_catalog_acquire(void)
{
	pthread_mutex_lock(&lock);
	struct hv_pack *p = current;
	if (p)
		atomic_fetch_add(&catalog_extra(p)->refs, 1);
	pthread_mutex_unlock(&lock);
	return p;
}

void hv_catalog_release(struct hv_pack *p)
{
	if (p && atomic_fetch_sub(&catalog_extra(p)->refs, 1) == 1)
		hv_pack_free(p);
}

void hv_catalog_shutdown(void)
{
	pthread_mutex_lock(&lock);
	struct hv_pack *p = current;
	current = NULL;
	pthread_mutex_unlock(&lock);
	hv_catalog_release(p);
}

static int tracks_of(const char *s)
{
	int t = 0;
	char tmp[64];
	snprintf(tmp, sizeof tmp, "%s", s);
	for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ","))
		t |= hv_track_parse(tok);
	return t;
}

static char *fold(struct hv_arena *a, const char *s1, const char *s2)
{
	struct hv_buf in, out;
	hv_buf_init(&in);
	hv_buf_init(&out);
	hv_buf_puts(&in, s1);
	if (s2) {
		hv_buf_putc(&in, ' ');
		hv_buf_puts(&in, s2);
	}
	hv_fold(&out, in.data, in.len);
	char *r = hv_arena_strndup(a, out.data ? out.data : "", out.len);
	hv_buf_free(&in);
	hv_buf_free(&out);
	return r;
}

static int count(struct hv_conn *c, const char *sql)
{
	struct hv_stmt *st = hv_sql(c, sql);
	int n = hv_step(st) == 1 ? (int)hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	return n;
}

/* Simulations, after the images their screens are checked against; a
 * stored one that no longer reads is left out with a warning. */
static void load_sims(struct hv_conn *c, struct hv_pack *p, int ns)
{
	struct hv_stmt *st = hv_sql(c, "SELECT s.id, s.course_id, s.source, s.published, s.version, co.slug, s.slug FROM simulations s "
	                               "JOIN courses co ON co.id = s.course_id ORDER BY s.course_id, s.position, s.id");
	while (p->nsims < ns && hv_step(st) == 1) {
		struct hv_course *co = NULL;
		for (int k = 0; k < p->ncourses && !co; k++)
			if (p->courses[k].id == hv_col_i64(st, 1))
				co = &p->courses[k];
		struct hv_sim *s = &p->sims[p->nsims];
		const char *src = hv_col_text(st, 2);
		const char *file = hv_arena_printf(p->arena, "%s/thuc-hanh/%s.md", hv_col_text(st, 5), hv_col_text(st, 6));
		struct hv_error se = {0};
		if (!co || hv_parse_sim(p->arena, file, src, strlen(src), s, &se) != 0 || hv_sim_check(p, co->slug, s, &se) != 0) {
			hv_warn("catalog: stored simulation is invalid: %s", se.msg);
			continue;
		}
		s->id = hv_col_i64(st, 0);
		s->published = hv_col_i64(st, 3) != 0;
		s->version = (int)hv_col_i64(st, 4);
		s->course = co;
		co->sims[co->nsims++] = s;
		p->nsims++;
	}
	hv_stmt_done(st);
}

int hv_catalog_load(struct hv_conn *c, struct hv_error *e)
{
	struct hv_pack *p = hv_xcalloc(1, sizeof *p);
	p->arena = hv_arena_new();
	struct hv_arena *a = p->arena;
	struct catalog_extra *x = hv_arena_alloc(a, sizeof *x);
	atomic_init(&x->refs, 1);
	catalog_set_extra(p, x);
	hv_setting_get(c, "content_version", x->version, sizeof x->version);
	int nc = count(c, "SELECT COUNT(*) FROM courses"), nl = count(c, "SELECT COUNT(*) FROM lessons"),
	    ni = count(c, "SELECT COUNT(*) FROM content_images"), ns = count(c, "SELECT COUNT(*) FROM simulations");
	if (nc < 0 || nl < 0 || ni < 0 || ns < 0) {
		hv_pack_free(p);
		return hv_err_set(e, HV_EUNAVAIL, "db", "cannot read the courses");
	}
	p->courses = hv_arena_alloc(a, (size_t)(nc + 1) * sizeof *p->courses);
	p->lessons = hv_arena_alloc(a, (size_t)(nl + 1) * sizeof *p->lessons);
	p->images = hv_arena_alloc(a, (size_t)(ni + 1) * sizeof *p->images);
	p->sims = hv_arena_alloc(a, (size_t)(ns + 1) * sizeof *p->sims);
	struct hv_stmt *st = hv_sql(c, "SELECT id, slug, title, summary, intro_md, intro_html, position, tracks, pass_mark, published, "
	                               "needs_practice FROM courses ORDER BY position, slug");
	while (p->ncourses < nc && hv_step(st) == 1) {
		struct hv_course *co = &p->courses[p->ncourses++];
		co->id = hv_col_i64(st, 0);
		co->slug = hv_arena_strdup(a, hv_col_text(st, 1));
		co->title = hv_arena_strdup(a, hv_col_text(st, 2));
		co->summary = hv_arena_strdup(a, hv_col_text(st, 3));
		co->intro_md = hv_arena_strdup(a, hv_col_text(st, 4));
		co->intro_html = hv_arena_strdup(a, hv_col_text(st, 5));
		co->position = (int)hv_col_i64(st, 6);
		co->tracks = tracks_of(hv_col_text(st, 7));
		co->pass_mark = (int)hv_col_i64(st, 8);
		co->published = hv_col_i64(st, 9) != 0;
		co->needs_practice = hv_col_i64(st, 10) != 0;
		co->folded_title = fold(a, co->title, co->summary);
		co->lessons = hv_arena_alloc(a, (size_t)(nl + 1) * sizeof *co->lessons);
		co->sims = hv_arena_alloc(a, (size_t)(ns + 1) * sizeof *co->sims);
	}
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT id, slug, course_id, module, position, title, minutes, tracks, domain, level, video, body_md, body_html, "
	               "published, version FROM lessons ORDER BY course_id, position, id");
	while (p->nlessons < nl && hv_step(st) == 1) {
		struct hv_lesson *l = &p->lessons[p->nlessons];
		int64_t cid = hv_col_i64(st, 2);
		struct hv_course *co = NULL;
		for (int k = 0; k < p->ncourses && !co; k++)
			if (p->courses[k].id == cid)
				co = &p->courses[k];
		if (!co)
			continue;
		p->nlessons++;
		l->id = hv_col_i64(st, 0);
		l->slug = hv_arena_strdup(a, hv_col_text(st, 1));
		l->course = co;
		l->module = hv_arena_strdup(a, hv_col_text(st, 3));
		l->position = (int)hv_col_i64(st, 4);
		l->title = hv_arena_strdup(a, hv_col_text(st, 5));
		l->minutes = (int)hv_col_i64(st, 6);
		l->tracks = tracks_of(hv_col_text(st, 7));
		l->domain = hv_arena_strdup(a, hv_col_text(st, 8));
		l->level = (int)hv_col_i64(st, 9);
		l->video = hv_arena_strdup(a, hv_col_text(st, 10));
		l->body_md = hv_arena_strdup(a, hv_col_text(st, 11));
		l->body_html = hv_arena_strdup(a, hv_col_text(st, 12));
		l->published = hv_col_i64(st, 13) != 0;
		l->version = (int)hv_col_i64(st, 14);
		l->folded_title = fold(a, l->title, NULL);
		l->folded = fold(a, l->title, l->body_md);
		co->lessons[co->nlessons++] = l;
	}
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT q.id, q.course_id, q.source, q.published, c.slug FROM quizzes q JOIN courses c ON c.id = q.course_id");
	while (hv_step(st) == 1) {
		int64_t cid = hv_col_i64(st, 1);
		for (int k = 0; k < p->ncourses; k++) {
			if (p->courses[k].id != cid)
				continue;
			struct hv_quiz *q = hv_arena_alloc(a, sizeof *q);
			const char *src = hv_col_text(st, 2);
			char file[96];
			snprintf(file, sizeof file, "%s/quiz.md", hv_col_text(st, 4));
			struct hv_error qe = {0};
			if (hv_parse_quiz(a, file, src, strlen(src), q, &qe) == 0) {
				q->id = hv_col_i64(st, 0);
				q->published = hv_col_i64(st, 3) != 0;
				p->courses[k].quiz = q;
			} else {
				hv_warn("catalog: stored quiz is invalid: %s", qe.msg);
			}
		}
	}
	hv_stmt_done(st);
	st = hv_sql(c, "SELECT path, mime, data FROM content_images");
	while (p->nimages < ni && hv_step(st) == 1) {
		struct hv_image *im = &p->images[p->nimages];
		const char *b64 = hv_col_text(st, 2);
		size_t blen = strlen(b64), len = 0;
		unsigned char *bin = hv_arena_alloc(a, blen + 1);
		if (sodium_base642bin(bin, blen + 1, b64, blen, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			continue;
		im->path = hv_arena_strdup(a, hv_col_text(st, 0));
		im->mime = hv_arena_strdup(a, hv_col_text(st, 1));
		im->data = bin;
		im->len = len;
		p->nimages++;
	}
	hv_stmt_done(st);
	load_sims(c, p, ns);
	catalog_build_index(p);
	pthread_mutex_lock(&lock);
	struct hv_pack *old = current;
	current = p;
	pthread_mutex_unlock(&lock);
	hv_catalog_release(old);
	hv_generation_bump();
	return HV_OK;
}

void hv_catalog_refresh(struct hv_conn *c)
{
	long now = (long)time(NULL);
	long prev = atomic_load(&last_check);
	if (now == prev || !atomic_compare_exchange_strong(&last_check, &prev, now))
		return;
	char version[48] = "";
	hv_setting_get(c, "content_version", version, sizeof version);
	struct hv_pack *p = hv_catalog_acquire();
	bool changed = !p || strcmp(catalog_extra(p)->version, version) != 0;
	hv_catalog_release(p);
	if (changed) {
		struct hv_error e = {0};
		if (hv_catalog_load(c, &e) == 0)
			hv_info("catalog: reloaded version %s", version);
	}
}

const struct hv_course *hv_catalog_course(const struct hv_pack *p, const char *slug)
{
	for (int i = 0; p && i < p->ncourses; i++)
		if (!strcmp(p->courses[i].slug, slug))
			return &p->courses[i];
	return NULL;
}

const struct hv_course *hv_catalog_course_id(const struct hv_pack *p, int64_t id)
{
	for (int i = 0; p && i < p->ncourses; i++)
		if (p->courses[i].id == id)
			return &p->courses[i];
	return NULL;
}

const struct hv_lesson *hv_catalog_lesson(const struct hv_pack *p, const char *slug)
{
	for (int i = 0; p && i < p->nlessons; i++)
		if (!strcmp(p->lessons[i].slug, slug))
			return &p->lessons[i];
	return NULL;
}

const struct hv_lesson *hv_catalog_lesson_id(const struct hv_pack *p, int64_t id)
{
	for (int i = 0; p && i < p->nlessons; i++)
		if (p->lessons[i].id == id)
			return &p->lessons[i];
	return NULL;
}

const struct hv_sim *hv_catalog_sim(const struct hv_pack *p, const char *course, const char *slug)
{
	for (int i = 0; p && i < p->nsims; i++)
		if (!strcmp(p->sims[i].slug, slug) && !strcmp(p->sims[i].course->slug, course))
			return &p->sims[i];
	return NULL;
}

const struct hv_image *hv_catalog_image(const struct hv_pack *p, const char *path)
{
	for (int i = 0; p && i < p->nimages; i++)
		if (!strcmp(p->images[i].path, path))
			return &p->images[i];
	return NULL;
}
