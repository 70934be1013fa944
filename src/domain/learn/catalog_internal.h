/* catalog_internal.h: what catalog.c shares with catalog_search.c: the
 * snapshot's reference count, version and search index, kept beside the
 * pack in its arena. */
#ifndef HV_CATALOG_INTERNAL_H
#define HV_CATALOG_INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include "domain/learn/content.h"

struct term {
	const char *w;      /* into a folded text; runs to a space or NUL */
	uint32_t len;
	uint32_t doc;
	uint8_t in_title;
};

struct doc {
	const struct hv_course *course;
	const struct hv_lesson *lesson;  /* NULL: the course itself */
	const char *title;               /* folded */
	const char *text;                /* folded title + body */
};

struct catalog_extra {
	atomic_int refs;
	char version[48];
	struct doc *docs;
	int ndocs;
	struct term *terms;              /* sorted by word, then doc */
	size_t nterms;
	const char **vocab;              /* distinct words, sorted */
	size_t nvocab;
};

static inline struct catalog_extra *catalog_extra(const struct hv_pack *p)
{
	return p->extra;
}

static inline void catalog_set_extra(struct hv_pack *p, struct catalog_extra *x)
{
	p->extra = x;
}

/* Builds the search index of published courses and lessons (catalog_search.c). */
void catalog_build_index(struct hv_pack *p);

#endif
