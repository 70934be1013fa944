/* lesson_views.h: evidence that a lesson was read.  The first time a
 * lesson page is served to a learner (an account, or an anonymous visitor's
 * progress-cookie nonce) is recorded; "Tôi đã học xong bài này" counts only
 * lesson_seconds (configuration) after it.  See docs/architecture.md. */
#ifndef HV_LESSON_VIEWS_H
#define HV_LESSON_VIEWS_H

#include "domain/learn/learning.h"

#define HV_VIEWER_MAX 32
/* "a123" for an account, "n" and the nonce for an anonymous visitor. */
void hv_viewer_key(const struct hv_learner_ref *who, char out[HV_VIEWER_MAX]);
/* When lesson was first served to viewer: 1 and *served_at, 0 if never. */
int hv_lesson_served(struct hv_conn *c, const char *viewer, int64_t lesson, int64_t *served_at);
/* Records that lesson is served to viewer now (the first time counts),
 * durably: a "read" pressed at once afterwards finds it. */
int hv_lesson_serve(struct hv_store *s, const char *viewer, int64_t lesson, int64_t now);

#endif
