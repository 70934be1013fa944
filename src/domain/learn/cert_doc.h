/* cert_doc.h: the signed credential of one certificate, and the reads it
 * needs (certificates.c issues with them, cert_reissue.c re-signs). */
#ifndef HV_CERT_DOC_H
#define HV_CERT_DOC_H

#include <jansson.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

struct hv_cert_facts {
	const char *code, *holder, *course_title, *course_slug, *summary;
	int pass_mark;
	int64_t account_id, issued_at, status_seq;
	/* The subject's identifier of an earlier signing (kept on re-signing,
	 * so its salted hash stays the same), or NULL for a new one. */
	const json_t *identifier;
};
/* The credential as JSON text (malloc'd), signed now; NULL on failure. */
char *hv_cert_doc(const struct hv_cert_facts *f, int64_t now, struct hv_error *e);

/* What a credential says of its course (certificates.c). */
struct hv_course_facts {
	char title[500], slug[80], summary[1700];
	int pass_mark;
};
int hv_cert_course_facts(struct hv_conn *c, int64_t course_id, struct hv_course_facts *out); /* HV_ENOTFOUND */
/* The next free place in the status lists (certificates.c). */
int hv_cert_next_seq(struct hv_conn *c, int64_t *seq);

#endif
