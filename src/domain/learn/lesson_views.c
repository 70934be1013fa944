/* lesson_views.c: when each lesson was first served to each learner (see
 * lesson_views.h). */
#include "domain/learn/lesson_views.h"

#include <stdio.h>
#include <string.h>

void hv_viewer_key(const struct hv_learner_ref *who, char out[HV_VIEWER_MAX])
{
	if (who->account)
		snprintf(out, HV_VIEWER_MAX, "a%lld", (long long)who->account);
	else
		snprintf(out, HV_VIEWER_MAX, "n%s", who->nonce);
}

int hv_lesson_served(struct hv_conn *c, const char *viewer, int64_t lesson, int64_t *served_at)
{
	struct hv_stmt *st = hv_sql(c, "SELECT served_at FROM lesson_views WHERE viewer = $1 AND lesson_id = $2");
	hv_bind_text(st, 1, viewer);
	hv_bind_i64(st, 2, lesson);
	int rc = hv_step(st);
	*served_at = rc == 1 ? hv_col_i64(st, 0) : 0;
	hv_stmt_done(st);
	return rc;
}

struct serve_job {
	char viewer[HV_VIEWER_MAX];
	int64_t lesson, at;
};

static int serve_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct serve_job *j = arg;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO lesson_views (viewer, lesson_id, served_at) VALUES ($1, $2, $3) "
	                               "ON CONFLICT (viewer, lesson_id) DO NOTHING");
	hv_bind_text(st, 1, j->viewer);
	hv_bind_i64(st, 2, j->lesson);
	hv_bind_i64(st, 3, j->at);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

int hv_lesson_serve(struct hv_store *s, const char *viewer, int64_t lesson, int64_t now)
{
	struct serve_job j = {.lesson = lesson, .at = now};
	snprintf(j.viewer, sizeof j.viewer, "%s", viewer);
	return hv_store_write(s, serve_fn, &j, NULL);
}
