/* measure_nav.h: what the staff figure pages (dashboard, ranking) share
 * for finding one's way: the breadcrumb from the nation down to a unit,
 * the "show more" limit of long lists (?so-dong=N), and the
 * quarter-over-quarter trend of a figure in words. */
#ifndef HV_VIEWS_MEASURE_NAV_H
#define HV_VIEWS_MEASURE_NAV_H

#include <stdbool.h>
#include <stdint.h>

#include "domain/places/units.h"
#include "views/pages.h"

/* Rows of a long list shown at first, and added by each "Xem thêm". */
#define HV_SHOW_FIRST 10
#define HV_SHOW_MAX 100000

/* d.crumbs = [{name, link}] from the nation to x: a link (base + code +
 * "?ky=" + period + extra) on every unit above x the viewer may see, x
 * itself plain. */
void hv_measure_crumbs(struct hv_ctx *c, struct hv_val *d, const struct hv_unit *x, const char *base, const char *period,
                       const char *extra);
/* ?so-dong=N (1..HV_SHOW_MAX, default HV_SHOW_FIRST) into *n; false after
 * answering 400 naming so-dong. */
bool hv_show_count(struct hv_ctx *c, size_t *n);
/* d.more = the link that shows step more rows than shown (of total), with
 * d.shown and d.total; nothing when all are shown.  prefix is the page's
 * path and query without so-dong ("/thi-dua/79?ky=2026Q4&…"). */
void hv_show_more(struct hv_ctx *c, struct hv_val *d, const char *prefix, size_t shown, size_t total);
/* "1.234" (vi) or "1,234" (en). */
const char *hv_num_text(struct hv_ctx *c, int64_t v);
/* "Quý trước: 10 · tăng 2 (+25 %)" in the page's language. */
const char *hv_trend_text(struct hv_ctx *c, const char *prev_period, int64_t now, int64_t before);

#endif
