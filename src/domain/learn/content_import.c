/* content_import.c: writing a validated pack to the database in one
 * transaction.  Courses and lessons are matched by slug and updated in
 * place, so their ids — and every learner's progress that points at them —
 * survive a re-import.  Each changed lesson or quiz is written by the
 * editor's path too (content_store.c) and gets a new version row;
 * lessons that left the pack are unpublished, never deleted. */
#include "domain/learn/content.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/learn/content_store.h"
#include "domain/people/auth.h"

struct job {
	const struct hv_pack *p;
	struct hv_import_report *r;
	int64_t now;
};

static int fail_db(struct hv_conn *c, struct hv_error *e)
{
	return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot save the content: %s", hv_conn_error(c));
}

static int upsert_course(struct hv_conn *c, const struct hv_course *co, int64_t now, int64_t *id)
{
	char tr[64];
	hv_tracks_text(co->tracks, tr);
	struct hv_stmt *st = hv_sql(c, "INSERT INTO courses (slug, title, summary, intro_md, intro_html, position, tracks, pass_mark, "
	                               "published, updated_at, needs_practice) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $10) "
	                               "ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary, "
	                               "intro_md = excluded.intro_md, intro_html = excluded.intro_html, position = excluded.position, "
	                               "tracks = excluded.tracks, pass_mark = excluded.pass_mark, updated_at = excluded.updated_at, "
	                               "needs_practice = excluded.needs_practice "
	                               "RETURNING id");
	hv_bind_text(st, 1, co->slug);
	hv_bind_text(st, 2, co->title);
	hv_bind_text(st, 3, co->summary);
	hv_bind_text(st, 4, co->intro_md);
	hv_bind_text(st, 5, co->intro_html);
	hv_bind_i64(st, 6, co->position);
	hv_bind_text(st, 7, tr);
	hv_bind_i64(st, 8, co->pass_mark);
	hv_bind_i64(st, 9, now);
	hv_bind_i64(st, 10, co->needs_practice);
	int rc = hv_step(st);
	if (rc == 1)
		*id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : HV_EUNAVAIL;
}

static int upsert_quiz(struct hv_conn *c, int64_t course_id, const struct hv_quiz *q, int64_t now, struct hv_import_report *r)
{
	struct hv_stmt *st = hv_sql(c, "SELECT id, source FROM quizzes WHERE course_id = $1");
	hv_bind_i64(st, 1, course_id);
	int rc = hv_step(st);
	int64_t id = 0;
	bool same = false;
	if (rc == 1) {
		id = hv_col_i64(st, 0);
		same = !strcmp(hv_col_text(st, 1), q->source);
	}
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	if (same)
		return HV_OK;
	r->quizzes++;
	return hv_quiz_write(c, &id, course_id, q->title, q->source, true, 0, now);
}

static int upsert_lesson(struct hv_conn *c, int64_t course_id, const struct hv_lesson *l, int64_t now, struct hv_import_report *r)
{
	char tr[64];
	hv_tracks_text(l->tracks, tr);
	struct hv_stmt *st = hv_sql(c, "SELECT id, course_id, title, module, position, minutes, tracks, domain, level, video, body_md, "
	                               "published FROM lessons WHERE slug = $1");
	hv_bind_text(st, 1, l->slug);
	int rc = hv_step(st);
	int64_t id = 0;
	bool same = false;
	if (rc == 1) {
		id = hv_col_i64(st, 0);
		same = hv_col_i64(st, 1) == course_id && !strcmp(hv_col_text(st, 2), l->title) && !strcmp(hv_col_text(st, 3), l->module) &&
		       hv_col_i64(st, 4) == l->position && hv_col_i64(st, 5) == l->minutes && !strcmp(hv_col_text(st, 6), tr) &&
		       !strcmp(hv_col_text(st, 7), l->domain) && hv_col_i64(st, 8) == l->level && !strcmp(hv_col_text(st, 9), l->video) &&
		       !strcmp(hv_col_text(st, 10), l->body_md) && hv_col_i64(st, 11) == 1;
	}
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	if (same) {
		r->lessons_unchanged++;
		return HV_OK;
	}
	if (id)
		r->lessons_updated++;
	else
		r->lessons_new++;
	struct hv_lesson_row row = {.slug = l->slug, .course_id = course_id, .position = l->position, .minutes = l->minutes,
	                            .level = l->level, .title = l->title, .module = l->module, .tracks = tr, .domain = l->domain,
	                            .video = l->video, .body_md = l->body_md, .body_html = l->body_html, .published = true};
	return hv_lesson_write(c, &row, &id, now);
}

/* Simulations by slug: unchanged ones are left alone, ones that left the
 * course's pack unpublished (learners' runs point at them). */
static int upsert_sims(struct hv_conn *c, int64_t course_id, const struct hv_course *co, int64_t now, struct hv_import_report *r)
{
	for (int i = 0; i < co->nsims; i++) {
		const struct hv_sim *s = co->sims[i];
		struct hv_stmt *st = hv_sql(c, "SELECT id, source, course_id, position, published FROM simulations WHERE slug = $1");
		hv_bind_text(st, 1, s->slug);
		int rc = hv_step(st);
		int64_t id = 0;
		bool same = false;
		if (rc == 1) {
			id = hv_col_i64(st, 0);
			same = !strcmp(hv_col_text(st, 1), s->source) && hv_col_i64(st, 2) == course_id && hv_col_i64(st, 3) == s->position &&
			       hv_col_i64(st, 4) == 1;
		}
		hv_stmt_done(st);
		if (rc < 0)
			return rc;
		if (same)
			continue;
		r->sims++;
		if ((rc = hv_sim_write(c, &id, course_id, s->slug, s->position, s->source, true, 0, now)) < 0)
			return rc;
	}
	struct hv_stmt *st = hv_sql(c, "SELECT id, slug FROM simulations WHERE course_id = $1 AND published = 1");
	hv_bind_i64(st, 1, course_id);
	int64_t gone[32];
	int ngone = 0, rc;
	while ((rc = hv_step(st)) == 1) {
		bool in = false;
		for (int i = 0; i < co->nsims && !in; i++)
			in = !strcmp(co->sims[i]->slug, hv_col_text(st, 1));
		if (!in && ngone < 32)
			gone[ngone++] = hv_col_i64(st, 0);
	}
	hv_stmt_done(st);
	for (int i = 0; i < ngone && rc >= 0; i++) {
		st = hv_sql(c, "UPDATE simulations SET published = 0, updated_at = $2 WHERE id = $1");
		hv_bind_i64(st, 1, gone[i]);
		hv_bind_i64(st, 2, now);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	return rc < 0 ? rc : HV_OK;
}

static int unpublish_missing(struct hv_conn *c, int64_t course_id, const struct hv_course *co, int64_t now)
{
	struct hv_stmt *st = hv_sql(c, "SELECT slug FROM lessons WHERE course_id = $1 AND published = 1");
	hv_bind_i64(st, 1, course_id);
	char gone[64][65];
	int ngone = 0, rc;
	while ((rc = hv_step(st)) == 1) {
		const char *slug = hv_col_text(st, 0);
		bool in = false;
		for (int i = 0; i < co->nlessons && !in; i++)
			in = !strcmp(co->lessons[i]->slug, slug);
		if (!in && ngone < 64)
			snprintf(gone[ngone++], 65, "%s", slug);
	}
	hv_stmt_done(st);
	for (int i = 0; i < ngone && rc >= 0; i++) {
		st = hv_sql(c, "UPDATE lessons SET published = 0, updated_at = $2 WHERE slug = $1");
		hv_bind_text(st, 1, gone[i]);
		hv_bind_i64(st, 2, now);
		rc = hv_step(st);
		hv_stmt_done(st);
	}
	return rc < 0 ? rc : HV_OK;
}

static int import_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct job *j = arg;
	const struct hv_pack *p = j->p;
	for (int k = 0; k < p->ncourses; k++) {
		const struct hv_course *co = &p->courses[k];
		int64_t cid;
		if (upsert_course(c, co, j->now, &cid) < 0 || upsert_quiz(c, cid, co->quiz, j->now, j->r) < 0)
			return fail_db(c, e);
		for (int i = 0; i < co->nlessons; i++)
			if (upsert_lesson(c, cid, co->lessons[i], j->now, j->r) < 0)
				return fail_db(c, e);
		if (unpublish_missing(c, cid, co, j->now) < 0 || upsert_sims(c, cid, co, j->now, j->r) < 0)
			return fail_db(c, e);
		j->r->courses++;
	}
	for (int i = 0; i < p->nimages; i++) {
		const struct hv_image *im = &p->images[i];
		size_t blen = sodium_base64_encoded_len(im->len, sodium_base64_VARIANT_ORIGINAL);
		char *b64 = hv_xmalloc(blen);
		sodium_bin2base64(b64, blen, im->data, im->len, sodium_base64_VARIANT_ORIGINAL);
		struct hv_stmt *st = hv_sql(c, "INSERT INTO content_images (path, mime, data, updated_at) VALUES ($1, $2, $3, $4) "
		                               "ON CONFLICT (path) DO UPDATE SET mime = excluded.mime, data = excluded.data, updated_at = excluded.updated_at");
		hv_bind_text(st, 1, im->path);
		hv_bind_text(st, 2, im->mime);
		hv_bind_text(st, 3, b64);
		hv_bind_i64(st, 4, j->now);
		int rc = hv_step(st);
		hv_stmt_done(st);
		free(b64);
		if (rc < 0)
			return fail_db(c, e);
		j->r->images++;
	}
	if (hv_content_moved(c, j->now) < 0)
		return fail_db(c, e);
	return HV_OK;
}

int hv_content_import(struct hv_store *s, const struct hv_pack *p, struct hv_import_report *r, struct hv_error *e)
{
	memset(r, 0, sizeof *r);
	struct job j = {.p = p, .r = r, .now = (int64_t)time(NULL)};
	int rc = hv_store_write(s, import_fn, &j, e);
	if (rc < 0)
		memset(r, 0, sizeof *r);
	return rc;
}

int hv_courses_stored(struct hv_conn *c)
{
	struct hv_stmt *st = hv_sql(c, "SELECT COUNT(*) FROM courses");
	int n = hv_step(st) == 1 ? (int)hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	return n;
}
