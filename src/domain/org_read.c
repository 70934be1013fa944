/* org_read.c: organisations as the figures see them: which ones a unit's
 * dashboard can filter by (those at the unit and at the units above it,
 * whose volunteers' work rolls up into it), and one by id. */
#include "org_read.h"

#include <stdio.h>

int hv_orgs_near(struct hv_conn *c, const struct hv_unit *x, hv_org_cb cb, void *arg)
{
	const char *codes[3] = {"", "", ""};
	int n = 0;
	for (const struct hv_unit *u = x; u && n < 3; u = u->parent)
		codes[n++] = u->code;
	struct hv_stmt *st = hv_sql(c, "SELECT id, name, kind, unit_code FROM organisations "
	                               "WHERE unit_code = $1 OR unit_code = $2 OR unit_code = $3 ORDER BY name, id LIMIT 200");
	for (int i = 0; i < 3; i++)
		hv_bind_text(st, i + 1, codes[i]);
	int rc;
	while ((rc = hv_step(st)) == 1)
		cb(hv_col_i64(st, 0), hv_col_text(st, 1), hv_col_text(st, 2), hv_col_text(st, 3), arg);
	hv_stmt_done(st);
	return rc < 0 ? HV_EUNAVAIL : HV_OK;
}

bool hv_org_name(struct hv_conn *c, int64_t id, char *name, size_t cap)
{
	struct hv_stmt *st = hv_sql(c, "SELECT name FROM organisations WHERE id = $1");
	hv_bind_i64(st, 1, id);
	bool found = hv_step(st) == 1;
	if (found)
		snprintf(name, cap, "%s", hv_col_text(st, 0));
	hv_stmt_done(st);
	return found;
}
