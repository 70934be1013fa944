/* content_store.h: the one write path for lessons and quizzes, inside a
 * write transaction (content_store.c). */
#ifndef HV_CONTENT_STORE_H
#define HV_CONTENT_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "store/store.h"

/* A lesson as stored.  course_id and position 0 on an update: left as
 * they are; position 0 on an insert: last in the course.  slug NULL on an
 * update: kept.  editor 0: the pack import (version source "import"). */
struct hv_lesson_row {
	const char *slug;
	int64_t course_id, editor;
	int position, minutes, level;
	const char *title, *module, *tracks, *domain, *video, *body_md, *body_html;
	bool published;
};

/* Inserts (*id 0) or updates lesson *id, counts its version and keeps it;
 * *id receives the lesson's id.  HV_ENOTFOUND for an unknown id,
 * HV_ECONFLICT for a slug taken, < 0 for a failed statement. */
int hv_lesson_write(struct hv_conn *c, const struct hv_lesson_row *l, int64_t *id, int64_t now);

/* Inserts (*quiz 0, for course_id) or updates quiz *quiz with its whole
 * source, counts its version and keeps it (editor 0: the import). */
int hv_quiz_write(struct hv_conn *c, int64_t *quiz, int64_t course_id, const char *title, const char *source, bool published,
                  int64_t editor, int64_t now);

/* Inserts (*sim 0, for course_id) or updates simulation *sim with its
 * whole source, counts its version and keeps it (editor 0: the import). */
int hv_sim_write(struct hv_conn *c, int64_t *sim, int64_t course_id, const char *slug, int position, const char *source,
                 bool published, int64_t editor, int64_t now);

/* Moves settings.content_version: every server reloads its catalogue. */
int hv_content_moved(struct hv_conn *c, int64_t now);

#endif
