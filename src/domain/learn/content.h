/* content.h: the course pack: parsing and validating a folder of Markdown
 * files with YAML front matter, importing it all or nothing, and the
 * in-memory catalogue the learning pages read.
 *
 * Layout (see content/README.md): one folder per course with course.md,
 * NN-slug.md lessons, quiz.md and optional img/.  Markdown is parsed by
 * md4c and rendered by content_html.c; raw HTML is shown as text, and links
 * may only be http(s), mailto, tel or relative (judged after entities are
 * decoded).  The catalogue is an immutable snapshot reloaded when
 * settings.content_version changes, like the unit tree. */
#ifndef HV_CONTENT_H
#define HV_CONTENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

enum { HV_TRACK_CITIZEN = 1, HV_TRACK_CIVIL_SERVANT = 2, HV_TRACK_PUPIL = 4, HV_TRACK_SMALL_BUSINESS = 8 };

struct hv_answer {
	char *text, *why;
	bool correct;
};

struct hv_question {
	char *prompt;
	bool multiple;
	struct hv_answer *answers;
	int nanswers;
};

/* A final quiz: a bank of questions, of which each attempt asks `draw`
 * (see domain/learn/quiz.h).  The bank must hold at least twice `draw`;
 * without the field a bank of 20 or more draws 10 and a smaller one (an
 * older pack) asks every question. */
#define HV_QUIZ_MAX_QUESTIONS 100
#define HV_QUIZ_MAX_DRAW 50
struct hv_quiz {
	int64_t id;
	char *title;
	char *source;            /* the quiz.md text, for editing */
	struct hv_question *questions;
	int nquestions;
	int draw;                /* questions per attempt */
	int failures_per_day;    /* failed attempts in a day before the next waits until the next day */
	char digest[17];         /* hex BLAKE2b-64 of the source: which bank an attempt was drawn from */
	bool published;
};

struct hv_lesson {
	int64_t id;
	char *slug, *title, *module, *domain, *video;
	char *body_md, *body_html;
	char *folded;            /* title + body, folded, for search */
	char *folded_title;
	int position, minutes, level, tracks;
	bool published;
	int version;
	struct hv_course *course;
	char **images;           /* relative paths ("img/x.svg") */
	int nimages;
	const char *file;        /* while importing: file name for errors */
};

/* A practice simulation (content/<course>/thuc-hanh/<slug>.md, parsed by
 * content_sim.c): steps on simplified phone screens drawn for the project.
 * Each step asks for a tap on one of its areas, a typed text or a choice. */
enum { HV_STEP_TAP = 1, HV_STEP_TYPE = 2, HV_STEP_CHOOSE = 3 };
#define HV_SIM_MAX_STEPS 10
#define HV_SIM_MAX_AREAS 6
struct hv_sim_area {
	char *label;
	int x, y, w, h;          /* in the screen's viewBox (tap steps) */
	bool correct;
};
struct hv_sim_step {
	int kind;
	char *say, *hint, *screen, *alt; /* screen: "img/x.svg" */
	char *answer, *field;            /* type steps: the text to type and the field's label */
	struct hv_sim_area *areas;       /* tap areas or choices */
	int nareas;
	int vw, vh;                      /* the screen's size (its viewBox), set by hv_sim_check */
};
struct hv_sim {
	int64_t id;
	char *slug, *title, *summary, *source;
	int position, version, nsteps;
	bool published;
	struct hv_sim_step *steps;
	struct hv_course *course;
	const char *file;        /* while importing: file name for errors */
};

struct hv_course {
	int64_t id;
	char *slug, *title, *summary, *intro_md, *intro_html, *folded_title;
	int position, tracks, pass_mark;
	bool published, needs_practice;   /* needs_practice: completion asks for every simulation done */
	struct hv_lesson **lessons;  /* by position; published and not */
	int nlessons;
	struct hv_quiz *quiz;
	struct hv_sim **sims;    /* by position */
	int nsims;
};

struct hv_image {
	char *path;              /* "course-slug/img/x.svg" */
	char *mime;
	unsigned char *data;
	size_t len;
};

/* A parsed pack or catalogue; everything it points to is owned by it. */
struct hv_pack {
	struct hv_course *courses;
	int ncourses;
	struct hv_lesson *lessons;
	int nlessons;
	struct hv_image *images;
	int nimages;
	struct hv_sim *sims;
	int nsims;
	struct hv_arena *arena;
	void *extra;             /* the catalogue's index and reference count */
};

/* Parses and validates the folder dir; errors name the file and line.
 * Nothing is written anywhere.  Free with hv_pack_free. */
int hv_pack_load_dir(const char *dir, struct hv_pack **out, struct hv_error *e);
/* Parses the pack compiled into the binary (content/). */
int hv_pack_load_builtin(struct hv_pack **out, struct hv_error *e);
void hv_pack_free(struct hv_pack *p);

/* Validates one file's text (front matter + body) of the given kind
 * ("course", "lesson" or "quiz"); used by the importer, the editor and the
 * fuzzers.  On success fills the matching struct (allocated in arena). */
int hv_parse_course(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_course *c, struct hv_error *e);
int hv_parse_lesson(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_lesson *l, struct hv_error *e);
int hv_parse_quiz(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_quiz *q, struct hv_error *e);
/* A simulation file (content_sim.c); its screens are checked against the
 * pack's images by hv_sim_check, which sets each step's screen size.
 * Errors name the file and the step. */
int hv_parse_sim(struct hv_arena *a, const char *file, const char *text, size_t len, struct hv_sim *s, struct hv_error *e);
int hv_sim_check(const struct hv_pack *p, const char *course_slug, struct hv_sim *s, struct hv_error *e);
/* Renders Markdown to safe HTML into the arena; HV_EINVAL (with the line)
 * for a link or image with a disallowed address. */
int hv_markdown(struct hv_arena *a, const char *file, const char *md, size_t len, int line_offset, char **html, struct hv_error *e);
/* The renderer under hv_markdown (content_html.c): writes the HTML into the
 * arena with any refused link or image as its plain text, and sets
 * *bad_line to the line (1 = the first of md) of the first refused one, or
 * 0.  HV_EINVAL only if md4c fails. */
int hv_markdown_render(struct hv_arena *a, const char *md, size_t len, char **html, int *bad_line);

struct hv_import_report {
	int courses, lessons_new, lessons_updated, lessons_unchanged, quizzes, images, sims;
};
/* Imports a validated pack in one transaction: courses and lessons are
 * updated in place by slug (ids, and so learners' progress, stay). */
int hv_content_import(struct hv_store *s, const struct hv_pack *p, struct hv_import_report *r, struct hv_error *e);

/* ---- the catalogue (what the site shows) ---- */
int hv_catalog_load(struct hv_conn *c, struct hv_error *e);
void hv_catalog_refresh(struct hv_conn *c);
struct hv_pack *hv_catalog_acquire(void);
void hv_catalog_release(struct hv_pack *p);
void hv_catalog_shutdown(void);
const struct hv_course *hv_catalog_course(const struct hv_pack *p, const char *slug);
const struct hv_lesson *hv_catalog_lesson(const struct hv_pack *p, const char *slug);
const struct hv_lesson *hv_catalog_lesson_id(const struct hv_pack *p, int64_t id);
const struct hv_course *hv_catalog_course_id(const struct hv_pack *p, int64_t id);
const struct hv_image *hv_catalog_image(const struct hv_pack *p, const char *path);
const struct hv_sim *hv_catalog_sim(const struct hv_pack *p, const char *course, const char *slug);

struct hv_search_hit {
	const struct hv_course *course;
	const struct hv_lesson *lesson;   /* NULL for a course hit */
	int score;
};
/* Ranked search over published courses and lessons, ignoring case and
 * diacritics, with a typo-tolerant fallback. Returns the hit count. */
size_t hv_catalog_search(const struct hv_pack *p, const char *query, struct hv_search_hit *out, size_t max);

const char *hv_track_name(int track);       /* "citizen" … */
int hv_track_parse(const char *name);
/* "citizen,pupil" for a set of tracks (as stored). */
void hv_tracks_text(int tracks, char out[64]);
bool hv_domain_valid(const char *name);
extern const char *const hv_domains[];      /* the six domain codes, NULL-terminated */

/* Courses in the database (0 before the first import), -1 if unreadable. */
int hv_courses_stored(struct hv_conn *c);

#endif
