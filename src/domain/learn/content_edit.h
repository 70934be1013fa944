/* content_edit.h: saving lessons and quizzes edited in the browser, with
 * every version kept (see content_edit.c). */
#ifndef HV_CONTENT_EDIT_H
#define HV_CONTENT_EDIT_H

#include "domain/learn/content.h"

struct hv_lesson_edit {
	int64_t id;              /* 0 for a new lesson */
	int64_t course_id;       /* new lessons */
	const char *slug;        /* new lessons */
	const char *title, *module, *domain, *video, *body_md;
	int minutes, level, tracks;
	bool published;
};

/* Validates the fields and renders the Markdown (html in arena). */
int hv_lesson_check(struct hv_arena *a, const struct hv_lesson_edit *in, char **html, struct hv_error *e);
int hv_lesson_save(struct hv_store *s, struct hv_arena *a, int64_t editor, const struct hv_lesson_edit *in, int64_t *id,
                   struct hv_error *e);
/* source is a whole quiz.md (front matter), checked like an import. */
int hv_quiz_save(struct hv_store *s, struct hv_arena *a, int64_t editor, int64_t quiz_id, const char *file, const char *source,
                 bool published, struct hv_error *e);
typedef void (*hv_version_cb)(int version, const char *title, bool published, const char *source, int64_t at,
                              const char *editor, void *arg);
int hv_lesson_versions(struct hv_conn *c, int64_t lesson, hv_version_cb cb, void *arg);

#endif
