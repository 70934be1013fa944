/* report_head.c: what makes the quarterly report one an office can file
 * (see report.h): the issuing body, the report's number and date, the
 * period in words, a few sentences of the headline figures against the
 * period before and the year's target, and the quarters of the year for a
 * bar chart per headline figure.  Read from the aggregates and targets. */
#include "domain/measure/report.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "domain/measure/measure.h"
#include "domain/measure/targets.h"

static const char *L(const struct hv_report *r, const char *vi, const char *en)
{
	return strcmp(r->lang, "en") == 0 ? en : vi;
}

/* The headline figures: the narrative and the charts. */
static const char *const headline[] = {"people_certified", "assists", "registered_learners", "people_helped", NULL};

static const char *upper(struct hv_report *r, const char *s)
{
	char *u = g_utf8_strup(s, -1);
	const char *out = hv_arena_strdup(r->arena, u);
	g_free(u);
	return out;
}

/* "Quý 4/2026", "Năm 2026" (vi); "Q4 2026", "the year 2026" (en). */
static const char *period_words(struct hv_report *r, const char *p)
{
	if (strlen(p) == 6)
		return hv_arena_printf(r->arena, L(r, "Quý %c/%.4s", "Q%c %.4s"), p[5], p);
	return hv_arena_printf(r->arena, L(r, "Năm %.4s", "the year %.4s"), p);
}

static void when_words(struct hv_report *r, const struct hv_unit *x)
{
	time_t local = time(NULL) + 7 * 3600;   /* Vietnam time */
	struct tm tm;
	gmtime_r(&local, &tm);
	static const char *const months[] = {"January", "February", "March",     "April",   "May",      "June",
	                                     "July",    "August",   "September", "October", "November", "December"};
	const char *place = x->depth == 0 ? "Hà Nội" : x->name;
	r->place_date = strcmp(r->lang, "en")
	                    ? hv_arena_printf(r->arena, "%s, ngày %d tháng %d năm %d", place, tm.tm_mday, tm.tm_mon + 1, tm.tm_year + 1900)
	                    : hv_arena_printf(r->arena, "%s, %d %s %d", place, tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900);
}

/* One sentence: "Người có chứng nhận: 1.234, tăng 12 % so với Quý 3/2026; đạt 61 % chỉ tiêu năm (1.234/2.000)." */
static void sentence(struct hv_report *r, struct hv_buf *b, const char *code, int64_t now, int64_t before, const char *prior,
                     int64_t year_value, int64_t year_target)
{
	bool en = !strcmp(r->lang, "en");
	hv_buf_printf(b, "%s%s: %s", b->len ? " " : "", hv_report_indicator(r, code), hv_report_num(r, (double)now, 0));
	if (before > 0 && now != before) {
		double pct = 100.0 * (double)(now > before ? now - before : before - now) / (double)before;
		hv_buf_printf(b, en ? ", %s %s%% on %s" : ", %s %s %% so với %s", now > before ? L(r, "tăng", "up") : L(r, "giảm", "down"),
		              hv_report_num(r, pct, pct < 10 ? 1 : 0), prior);
	} else if (before > 0) {
		hv_buf_printf(b, en ? ", unchanged on %s" : ", không đổi so với %s", prior);
	} else {
		hv_buf_printf(b, en ? " (%s: none)" : " (%s: chưa có)", prior);
	}
	if (year_target > 0)
		hv_buf_printf(b, en ? "; %s%% of the year's target (%s/%s)" : "; đạt %s %% chỉ tiêu năm (%s/%s)",
		              hv_report_num(r, 100.0 * (double)year_value / (double)year_target, 0),
		              hv_report_num(r, (double)year_value, 0), hv_report_num(r, (double)year_target, 0));
	hv_buf_putc(b, '.');
}

int hv_report_head(struct hv_conn *c, const struct hv_unit *x, const char *period, struct hv_report *r)
{
	r->unit = x->name;
	r->issuer = x->depth == 0 ? L(r, "BAN CHỈ ĐẠO PHONG TRÀO BÌNH DÂN HỌC VỤ SỐ", "STEERING COMMITTEE, DIGITAL LITERACY FOR ALL")
	                          : upper(r, hv_arena_printf(r->arena, L(r, "Ủy ban nhân dân %s", "People's Committee, %s"), x->name));
	r->number = hv_arena_printf(r->arena, L(r, "Số: %s-%s/BC-BDHVS", "No. %s-%s/BC-BDHVS"), x->code, period);
	r->period_words = period_words(r, period);
	when_words(r, x);
	char prior[8], year[8];
	hv_period_prior(period, prior);
	snprintf(year, sizeof year, "%.4s", period);
	int64_t now[4], before[4], yv[4], yt[4], updated = 0;
	if (hv_agg_values(c, x->code, period, headline, now, &updated) < 0 ||
	    hv_agg_values(c, x->code, prior, headline, before, &updated) < 0 ||
	    hv_agg_values(c, x->code, year, headline, yv, &updated) < 0 || hv_targets_of(c, x->code, 0, year, headline, yt) < 0)
		return HV_EUNAVAIL;
	struct hv_buf b;
	hv_buf_init(&b);
	hv_buf_printf(&b, "%s —", r->period_words);
	const char *prior_words = period_words(r, prior);
	for (int i = 0; i < 3; i++)
		sentence(r, &b, headline[i], now[i], before[i], prior_words, yv[i], yt[i]);
	r->narrative = hv_arena_strdup(r->arena, b.data ? b.data : "");
	hv_buf_free(&b);
	int64_t q[4][8];
	if (hv_agg_quarters(c, x->code, atoi(period), "", headline, q, &updated) < 0)
		return HV_EUNAVAIL;
	for (int i = 0; headline[i] && r->ncharts < HV_REPORT_CHARTS; i++) {
		struct hv_report_chart *ch = &r->charts[r->ncharts++];
		ch->name = hv_report_indicator(r, headline[i]);
		for (int k = 0; k < 4; k++)
			ch->v[k] = q[k][i];
	}
	return HV_OK;
}
