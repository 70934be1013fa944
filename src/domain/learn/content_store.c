/* content_store.c: the one write path for lessons, quizzes and simulations, used by the
 * editor (content_edit.c, a lesson or a quiz at a time) and by the pack
 * import (content_import.c, a whole pack in one transaction): the row
 * inserted or updated, its version counted, the version kept in
 * lesson_versions / quiz_versions with its source and editor, and the
 * catalogue's content_version moved so every server reloads. */
#include "domain/learn/content_store.h"

#include <stdio.h>
#include <time.h>

#include "core/ids.h"
#include "domain/people/auth.h"
#include "domain/people/audit.h"

/* Steps an INSERT or UPDATE … RETURNING id, version; HV_ENOTFOUND if no
 * row. */
static int step_row(struct hv_stmt *st, int64_t *id, int64_t *version)
{
	int rc = hv_step(st);
	if (rc == 1) {
		*id = hv_col_i64(st, 0);
		*version = hv_col_i64(st, 1);
	}
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : rc;
}

/* The source of a quiz or simulation kept as version `version` (sql
 * inserts quiz_id or simulation_id, version, source, editor_id, created_at). */
static int keep_source(struct hv_conn *c, const char *sql, int64_t id, int64_t version, const char *source, int64_t editor,
                       int64_t now)
{
	struct hv_stmt *st = hv_sql(c, sql);
	hv_bind_i64(st, 1, id);
	hv_bind_i64(st, 2, version);
	hv_bind_text(st, 3, source);
	if (editor)
		hv_bind_i64(st, 4, editor);
	else
		hv_bind_null(st, 4);
	hv_bind_i64(st, 5, now);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

int hv_lesson_write(struct hv_conn *c, const struct hv_lesson_row *l, int64_t *id, int64_t now)
{
	struct hv_stmt *st;
	if (*id) {
		/* Course and place change only when given (the pack says where a
		 * lesson sits; the editor leaves it where it is). */
		st = hv_sql(c, "UPDATE lessons SET title = $1, module = $2, minutes = $3, tracks = $4, domain = $5, level = $6, video = $7, "
		               "body_md = $8, body_html = $9, published = $10, version = version + 1, updated_at = $11, "
		               "slug = COALESCE($12, slug), course_id = CASE WHEN $13 > 0 THEN $13 ELSE course_id END, "
		               "position = CASE WHEN $14 > 0 THEN $14 ELSE position END WHERE id = $15 RETURNING id, version");
		hv_bind_i64(st, 15, *id);
	} else {
		st = hv_sql(c, "INSERT INTO lessons (title, module, minutes, tracks, domain, level, video, body_md, body_html, published, "
		               "updated_at, slug, course_id, position, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
		               "CASE WHEN $14 > 0 THEN $14 ELSE (SELECT COALESCE(MAX(position), 0) + 1 FROM lessons WHERE course_id = $13) END, 1) "
		               "RETURNING id, version");
	}
	hv_bind_text(st, 1, l->title);
	hv_bind_text(st, 2, l->module);
	hv_bind_i64(st, 3, l->minutes);
	hv_bind_text(st, 4, l->tracks);
	hv_bind_text(st, 5, l->domain);
	hv_bind_i64(st, 6, l->level);
	hv_bind_text(st, 7, l->video);
	hv_bind_text(st, 8, l->body_md);
	hv_bind_text(st, 9, l->body_html);
	hv_bind_i64(st, 10, l->published);
	hv_bind_i64(st, 11, now);
	hv_bind_text(st, 12, l->slug);
	hv_bind_i64(st, 13, l->course_id);
	hv_bind_i64(st, 14, l->position);
	int64_t version = 0;
	int rc = step_row(st, id, &version);
	if (rc < 0)
		return rc;
	st = hv_sql(c, "INSERT INTO lesson_versions (lesson_id, version, title, body_md, published, editor_id, source, created_at) "
	               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
	hv_bind_i64(st, 1, *id);
	hv_bind_i64(st, 2, version);
	hv_bind_text(st, 3, l->title);
	hv_bind_text(st, 4, l->body_md);
	hv_bind_i64(st, 5, l->published);
	if (l->editor)
		hv_bind_i64(st, 6, l->editor);
	else
		hv_bind_null(st, 6);
	hv_bind_text(st, 7, l->editor ? "editor" : "import");
	hv_bind_i64(st, 8, now);
	rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

int hv_quiz_write(struct hv_conn *c, int64_t *quiz, int64_t course_id, const char *title, const char *source, bool published,
                  int64_t editor, int64_t now)
{
	struct hv_stmt *st;
	if (*quiz) {
		st = hv_sql(c, "UPDATE quizzes SET title = $2, source = $3, published = $4, version = version + 1, updated_at = $5 "
		               "WHERE id = $1 RETURNING id, version");
		hv_bind_i64(st, 1, *quiz);
	} else {
		st = hv_sql(c, "INSERT INTO quizzes (course_id, title, source, published, version, updated_at) VALUES ($1, $2, $3, $4, 1, $5) "
		               "RETURNING id, version");
		hv_bind_i64(st, 1, course_id);
	}
	hv_bind_text(st, 2, title);
	hv_bind_text(st, 3, source);
	hv_bind_i64(st, 4, published);
	hv_bind_i64(st, 5, now);
	int64_t version = 0;
	int rc = step_row(st, quiz, &version);
	if (rc < 0)
		return rc;
	return keep_source(c, "INSERT INTO quiz_versions (quiz_id, version, source, editor_id, created_at) VALUES ($1, $2, $3, $4, $5)",
	                   *quiz, version, source, editor, now);
}

int hv_sim_write(struct hv_conn *c, int64_t *sim, int64_t course_id, const char *slug, int position, const char *source,
                 bool published, int64_t editor, int64_t now)
{
	struct hv_stmt *st;
	int o = 0; /* the update's $1 is the id */
	if (*sim) {
		st = hv_sql(c, "UPDATE simulations SET course_id = $2, slug = $3, position = $4, source = $5, published = $6, "
		               "version = version + 1, updated_at = $7 WHERE id = $1 RETURNING id, version");
		hv_bind_i64(st, 1, *sim);
		o = 1;
	} else {
		st = hv_sql(c, "INSERT INTO simulations (course_id, slug, position, source, published, version, updated_at) "
		               "VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id, version");
	}
	hv_bind_i64(st, o + 1, course_id);
	hv_bind_text(st, o + 2, slug);
	hv_bind_i64(st, o + 3, position);
	hv_bind_text(st, o + 4, source);
	hv_bind_i64(st, o + 5, published);
	hv_bind_i64(st, o + 6, now);
	int64_t version = 0;
	int rc = step_row(st, sim, &version);
	if (rc < 0)
		return rc;
	return keep_source(c, "INSERT INTO simulation_versions (simulation_id, version, source, editor_id, created_at) "
	                      "VALUES ($1, $2, $3, $4, $5)",
	                   *sim, version, source, editor, now);
}

int hv_content_moved(struct hv_conn *c, int64_t now)
{
	char version[48], rnd[9];
	hv_random_chars(rnd, 8, "0123456789abcdef");
	snprintf(version, sizeof version, "%lld-%s", (long long)now, rnd);
	return hv_setting_put(c, "content_version", version);
}
