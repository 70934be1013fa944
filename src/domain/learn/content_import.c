/* content_import.c: writing a validated pack to the database in one
 * transaction.  Courses and lessons are matched by slug and updated in
 * place, so their ids — and every learner's progress that points at them —
 * survive a re-import.  Each changed lesson or quiz gets a new version row;
 * lessons that left the pack are unpublished, never deleted. */
#include "domain/learn/content.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/ids.h"
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
	                               "published, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9) "
	                               "ON CONFLICT (slug) DO UPDATE SET title = excluded.title, summary = excluded.summary, "
	                               "intro_md = excluded.intro_md, intro_html = excluded.intro_html, position = excluded.position, "
	                               "tracks = excluded.tracks, pass_mark = excluded.pass_mark, updated_at = excluded.updated_at "
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
	int rc = hv_step(st);
	if (rc == 1)
		*id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : HV_EUNAVAIL;
}

static int upsert_quiz(struct hv_conn *c, int64_t course_id, const struct hv_quiz *q, int64_t now, struct hv_import_report *r)
{
	struct hv_stmt *st = hv_sql(c, "SELECT id, source, version FROM quizzes WHERE course_id = $1");
	hv_bind_i64(st, 1, course_id);
	int rc = hv_step(st);
	int64_t id = 0, version = 0;
	bool same = false;
	if (rc == 1) {
		id = hv_col_i64(st, 0);
		same = !strcmp(hv_col_text(st, 1), q->source);
		version = hv_col_i64(st, 2);
	}
	hv_stmt_done(st);
	if (rc < 0)
		return rc;
	if (same)
		return HV_OK;
	if (!id) {
		st = hv_sql(c, "INSERT INTO quizzes (course_id, title, source, published, version, updated_at) VALUES ($1, $2, $3, 1, 1, $4) RETURNING id");
		hv_bind_i64(st, 1, course_id);
		hv_bind_text(st, 2, q->title);
		hv_bind_text(st, 3, q->source);
		hv_bind_i64(st, 4, now);
	} else {
		st = hv_sql(c, "UPDATE quizzes SET title = $2, source = $3, version = version + 1, updated_at = $4 WHERE id = $1 RETURNING id");
		hv_bind_i64(st, 1, id);
		hv_bind_text(st, 2, q->title);
		hv_bind_text(st, 3, q->source);
		hv_bind_i64(st, 4, now);
	}
	rc = hv_step(st);
	if (rc == 1)
		id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc != 1)
		return HV_EUNAVAIL;
	st = hv_sql(c, "INSERT INTO quiz_versions (quiz_id, version, source, editor_id, created_at) VALUES ($1, $2, $3, NULL, $4)");
	hv_bind_i64(st, 1, id);
	hv_bind_i64(st, 2, version + 1);
	hv_bind_text(st, 3, q->source);
	hv_bind_i64(st, 4, now);
	rc = hv_step(st);
	hv_stmt_done(st);
	r->quizzes++;
	return rc < 0 ? rc : HV_OK;
}

static int upsert_lesson(struct hv_conn *c, int64_t course_id, const struct hv_lesson *l, int64_t now, struct hv_import_report *r)
{
	char tr[64];
	hv_tracks_text(l->tracks, tr);
	struct hv_stmt *st = hv_sql(c, "SELECT id, course_id, title, module, position, minutes, tracks, domain, level, video, body_md, "
	                               "published, version FROM lessons WHERE slug = $1");
	hv_bind_text(st, 1, l->slug);
	int rc = hv_step(st);
	int64_t id = 0, version = 0;
	bool same = false;
	if (rc == 1) {
		id = hv_col_i64(st, 0);
		version = hv_col_i64(st, 12);
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
	if (!id) {
		st = hv_sql(c, "INSERT INTO lessons (slug, course_id, module, position, title, minutes, tracks, domain, level, video, body_md, "
		               "body_html, published, version, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1, 1, $13) "
		               "RETURNING id");
		r->lessons_new++;
	} else {
		st = hv_sql(c, "UPDATE lessons SET slug = $1, course_id = $2, module = $3, position = $4, title = $5, minutes = $6, tracks = $7, "
		               "domain = $8, level = $9, video = $10, body_md = $11, body_html = $12, published = 1, version = version + 1, "
		               "updated_at = $13 WHERE slug = $1 RETURNING id");
		r->lessons_updated++;
	}
	hv_bind_text(st, 1, l->slug);
	hv_bind_i64(st, 2, course_id);
	hv_bind_text(st, 3, l->module);
	hv_bind_i64(st, 4, l->position);
	hv_bind_text(st, 5, l->title);
	hv_bind_i64(st, 6, l->minutes);
	hv_bind_text(st, 7, tr);
	hv_bind_text(st, 8, l->domain);
	hv_bind_i64(st, 9, l->level);
	hv_bind_text(st, 10, l->video);
	hv_bind_text(st, 11, l->body_md);
	hv_bind_text(st, 12, l->body_html);
	hv_bind_i64(st, 13, now);
	rc = hv_step(st);
	if (rc == 1)
		id = hv_col_i64(st, 0);
	hv_stmt_done(st);
	if (rc != 1)
		return HV_EUNAVAIL;
	st = hv_sql(c, "INSERT INTO lesson_versions (lesson_id, version, title, body_md, published, editor_id, source, created_at) "
	               "VALUES ($1, $2, $3, $4, 1, NULL, 'import', $5)");
	hv_bind_i64(st, 1, id);
	hv_bind_i64(st, 2, version + 1);
	hv_bind_text(st, 3, l->title);
	hv_bind_text(st, 4, l->body_md);
	hv_bind_i64(st, 5, now);
	rc = hv_step(st);
	hv_stmt_done(st);
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
		if (unpublish_missing(c, cid, co, j->now) < 0)
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
	char version[48], rnd[9];
	hv_random_chars(rnd, 8, "0123456789abcdef");
	snprintf(version, sizeof version, "%lld-%s", (long long)j->now, rnd);
	if (hv_setting_put(c, "content_version", version) < 0)
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
