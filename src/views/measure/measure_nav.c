/* measure_nav.c: breadcrumbs, "show more" and trends of the staff figure
 * pages (see measure_nav.h). */
#include "views/measure/measure_nav.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/num.h"
#include "domain/measure/ranking.h"
#include "views/tmpl.h"
#include "domain/people/roles.h"

void hv_measure_crumbs(struct hv_ctx *c, struct hv_val *d, const struct hv_unit *x, const char *base, const char *period,
                       const char *extra)
{
	const struct hv_unit *chain[4];
	int n = 0;
	for (const struct hv_unit *u = x; u && n < 4; u = u->parent)
		chain[n++] = u;
	struct hv_val *list = hv_set(d, "crumbs", hv_list(c->arena));
	for (int i = n - 1; i >= 0; i--) {
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		hv_set_str(o, "name", chain[i]->name);
		if (i > 0 && hv_can(c->who, HV_ROLES_SEE_FIGURES, chain[i]))
			hv_set_str(o, "link", hv_arena_printf(c->arena, "%s%s?ky=%s%s", base, chain[i]->code, period, extra ? extra : ""));
	}
}

bool hv_show_count(struct hv_ctx *c, size_t *n)
{
	const char *s = hv_query(c, "so-dong");
	int64_t v = HV_SHOW_FIRST;
	if (s && hv_parse_i64(s, 1, HV_SHOW_MAX, &v) < 0) {
		hv_fail(c, HV_EINVAL, "so-dong", hv_t(c->lang, "dash.bad_rows"));
		return false;
	}
	*n = (size_t)v;
	return true;
}

void hv_show_more(struct hv_ctx *c, struct hv_val *d, const char *prefix, size_t shown, size_t total)
{
	hv_set_int(d, "shown", (int64_t)(shown < total ? shown : total));
	hv_set_int(d, "total", (int64_t)total);
	if (shown >= total)
		return;
	size_t next = shown * 2 < shown + HV_SHOW_FIRST * 2 ? shown + HV_SHOW_FIRST * 2 : shown * 2;
	hv_set_str(d, "more", hv_arena_printf(c->arena, "%s&so-dong=%zu", prefix, next < total ? next : total));
}

const char *hv_num_text(struct hv_ctx *c, int64_t v)
{
	char digits[32], out[48];
	snprintf(digits, sizeof digits, "%lld", (long long)(v < 0 ? -v : v));
	size_t n = strlen(digits), k = 0;
	if (v < 0)
		out[k++] = '-';
	char sep = strcmp(c->lang, "en") ? '.' : ',';
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[k++] = sep;
		out[k++] = digits[i];
	}
	out[k] = '\0';
	return hv_arena_strdup(c->arena, out);
}

const char *hv_trend_text(struct hv_ctx *c, const char *prev_period, int64_t now, int64_t before)
{
	bool en = !strcmp(c->lang, "en");
	(void)en;
	const char *label = strlen(prev_period) == 6 ? hv_t(c->lang, "dash.prev_quarter") : hv_t(c->lang, "dash.prev_year");
	int64_t diff = now - before;
	const char *change = diff > 0 ? hv_t(c->lang, "dash.up_by") : diff < 0 ? hv_t(c->lang, "dash.down_by") : hv_t(c->lang, "dash.same");
	char pct[32] = "";
	if (before > 0 && diff != 0) {
		double p = 100.0 * (double)diff / (double)before;
		snprintf(pct, sizeof pct, en ? " (%+.0f%%)" : " (%+.0f %%)", p);
	}
	if (diff == 0)
		return hv_arena_printf(c->arena, "%s: %s · %s", label, hv_num_text(c, before), change);
	return hv_arena_printf(c->arena, "%s: %s · %s %s%s", label, hv_num_text(c, before), change,
	                       hv_num_text(c, diff < 0 ? -diff : diff), pct);
}
