/* report.c: builds the quarterly review report's tables (see report.h)
 * and writes a format to a file atomically. */
#include "domain/measure/report.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/measure/honours.h"
#include "domain/measure/measure.h"
#include "domain/measure/ranking.h"

/* Labels in both languages: the report is made outside any request (the
 * command line), so it carries its own few words. */
static const char *L(const struct hv_report *r, const char *vi, const char *en)
{
	return strcmp(r->lang, "en") == 0 ? en : vi;
}

static void table_init(struct hv_report *r, struct hv_table *t, const char *sheet, const char *title, int ncols)
{
	t->sheet = sheet;
	t->title = title;
	t->ncols = ncols;
	t->header = hv_arena_alloc(r->arena, (size_t)ncols * sizeof *t->header);
	t->widths = hv_arena_alloc(r->arena, (size_t)ncols * sizeof *t->widths);
	for (int i = 0; i < ncols; i++)
		t->widths[i] = 1;
}

static struct hv_cell *row_add(struct hv_report *r, struct hv_table *t)
{
	if (t->nrows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		struct hv_cell *cells = hv_arena_alloc(r->arena, cap * (size_t)t->ncols * sizeof *cells);
		if (t->nrows)
			memcpy(cells, t->cells, t->nrows * (size_t)t->ncols * sizeof *cells);
		t->cells = cells;
		t->cap = cap;
	}
	return &t->cells[t->nrows++ * (size_t)t->ncols];
}

static void text(struct hv_report *r, struct hv_cell *c, const char *s)
{
	c->kind = HV_CELL_TEXT;
	c->text = hv_arena_strdup(r->arena, s);
}

static void integer(struct hv_report *r, struct hv_cell *c, int64_t v)
{
	c->kind = HV_CELL_NUM;
	c->num = (double)v;
	c->text = hv_arena_printf(r->arena, "%lld", (long long)v);
}

/* A percentage with one decimal, or an empty cell when pct < 0. */
static void percent(struct hv_report *r, struct hv_cell *c, double pct)
{
	if (pct < 0)
		return;
	c->kind = HV_CELL_NUM;
	c->text = hv_arena_printf(r->arena, "%.1f", pct);
	c->num = strtod(c->text, NULL);   /* the number as printed: CSV and XLSX agree */
}

static const char *when(struct hv_report *r, int64_t t)
{
	if (!t)
		return "—";
	time_t local = (time_t)(t + 7 * 3600);   /* Vietnam time */
	struct tm tm;
	gmtime_r(&local, &tm);
	char s[40];
	strftime(s, sizeof s, "%H:%M %d/%m/%Y", &tm);
	return hv_arena_strdup(r->arena, s);
}

static const char *indicator_name(const struct hv_report *r, const char *code)
{
	return hv_indicator_name(code, r->lang);
}

static void summary(struct hv_report *r, const struct hv_unit *x, const char *period, int64_t updated, const struct hv_weights *w)
{
	struct hv_table *t = &r->t[r->ntables++];
	table_init(r, t, L(r, "Tổng quan", "Summary"), r->title, 2);
	t->header[0] = L(r, "Mục", "Item");
	t->header[1] = L(r, "Nội dung", "Value");
	t->widths[1] = 3;
	char words[2048];
	hv_weights_words(w, r->lang, words, sizeof words);
	const char *rows[][2] = {
		{L(r, "Đơn vị", "Unit"), x->name},
		{L(r, "Mã đơn vị", "Unit code"), x->code},
		{L(r, "Kỳ", "Period"), period},
		{L(r, "Số liệu tính đến", "Data as of"), when(r, updated)},
		{L(r, "Lập báo cáo lúc", "Report made at"), when(r, (int64_t)time(NULL))},
		{L(r, "Công thức xếp hạng", "Ranking formula"), words},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct hv_cell *c = row_add(r, t);
		text(r, &c[0], rows[i][0]);
		text(r, &c[1], rows[i][1]);
	}
}

static int indicators(struct hv_report *r, struct hv_conn *c, const struct hv_unit *x, const char *period, int64_t *updated)
{
	int n = 0;
	while (hv_indicators[n].code)
		n++;
	const char **codes = hv_arena_alloc(r->arena, (size_t)(n + 1) * sizeof *codes);
	int64_t *values = hv_arena_alloc(r->arena, (size_t)n * sizeof *values);
	int64_t *targets = hv_arena_alloc(r->arena, (size_t)n * sizeof *targets);
	for (int i = 0; i < n; i++) {
		codes[i] = hv_indicators[i].code;
		targets[i] = -1;
	}
	if (hv_agg_values(c, x->code, period, codes, values, updated) < 0)
		return HV_EUNAVAIL;
	struct hv_stmt *st = hv_sql(c, "SELECT indicator, value FROM targets WHERE unit_code = $1 AND org_id = 0 AND period = $2");
	hv_bind_text(st, 1, x->code);
	hv_bind_text(st, 2, period);
	int rc;
	while ((rc = hv_step(st)) == 1)
		for (int i = 0; i < n; i++)
			if (!strcmp(codes[i], hv_col_text(st, 0)))
				targets[i] = hv_col_i64(st, 1);
	hv_stmt_done(st);
	if (rc < 0)
		return HV_EUNAVAIL;
	struct hv_table *t = &r->t[r->ntables++];
	table_init(r, t, L(r, "Chỉ số", "Indicators"), L(r, "Chỉ số so với chỉ tiêu", "Indicators against targets"), 5);
	const char *h[] = {L(r, "Mã chỉ số", "Code"), L(r, "Chỉ số", "Indicator"), L(r, "Kết quả", "Value"),
	                   L(r, "Chỉ tiêu", "Target"), L(r, "Đạt (%)", "Attained (%)")};
	memcpy(t->header, h, sizeof h);
	t->widths[0] = 2.2;
	t->widths[1] = 3;
	for (int i = 0; i < n; i++) {
		struct hv_cell *cell = row_add(r, t);
		text(r, &cell[0], codes[i]);
		text(r, &cell[1], indicator_name(r, codes[i]));
		integer(r, &cell[2], values[i]);
		if (targets[i] >= 0)
			integer(r, &cell[3], targets[i]);
		percent(r, &cell[4], targets[i] > 0 ? 100.0 * (double)values[i] / (double)targets[i] : -1);
	}
	return HV_OK;
}

static void ranking(struct hv_report *r, const struct hv_weights *w, const struct hv_rank_entry *e, size_t n, bool orgs)
{
	struct hv_table *t = &r->t[r->ntables++];
	table_init(r, t, orgs ? L(r, "Xếp hạng tổ chức", "Organisations") : L(r, "Xếp hạng đơn vị", "Units"),
	           orgs ? L(r, "Xếp hạng thi đua các tổ chức", "Emulation ranking of the organisations")
	                : L(r, "Xếp hạng thi đua các đơn vị trực thuộc", "Emulation ranking of the units below"),
	           4 + w->n);
	t->header[0] = L(r, "Hạng", "Rank");
	t->header[1] = L(r, "Mã", "Code");
	t->header[2] = orgs ? L(r, "Tổ chức", "Organisation") : L(r, "Đơn vị", "Unit");
	t->header[3] = L(r, "Điểm (%)", "Score (%)");
	t->widths[0] = 0.7;
	t->widths[2] = 3;
	t->widths[3] = 1.4;
	for (int i = 0; i < w->n; i++)
		t->header[4 + i] = hv_arena_printf(r->arena, "%s (%%)", indicator_name(r, w->code[i]));
	for (size_t k = 0; k < n; k++) {
		struct hv_cell *c = row_add(r, t);
		if (e[k].rank > 0)
			integer(r, &c[0], e[k].rank);
		text(r, &c[1], e[k].key);
		text(r, &c[2], e[k].name);
		if (e[k].score < 0)
			text(r, &c[3], L(r, "chưa có chỉ tiêu", "no target yet"));
		else
			percent(r, &c[3], e[k].score);
		for (int i = 0; i < w->n; i++)
			percent(r, &c[4 + i], hv_rank_attainment(&e[k], i));
	}
}

static const char *kind_name(const struct hv_report *r, const char *kind)
{
	if (!strcmp(kind, "account"))
		return L(r, "Cá nhân", "Person");
	if (!strcmp(kind, "team"))
		return L(r, "Tổ công nghệ số", "Team");
	if (!strcmp(kind, "organisation"))
		return L(r, "Tổ chức", "Organisation");
	return L(r, "Đơn vị", "Unit");
}

static void on_honour(const struct hv_honour *h, void *arg)
{
	struct hv_report *r = arg;
	struct hv_table *t = &r->t[r->ntables - 1];
	struct hv_cell *c = row_add(r, t);
	text(r, &c[0], h->period);
	text(r, &c[1], kind_name(r, h->kind));
	text(r, &c[2], h->name);
	text(r, &c[3], h->unit);
	text(r, &c[4], h->reason);
	text(r, &c[5], when(r, h->created_at));
}

int hv_report_build(struct hv_conn *c, const struct hv_unit *x, const char *period, const char *lang, struct hv_report *r,
                    struct hv_error *e)
{
	memset(r, 0, sizeof *r);
	r->arena = hv_arena_new();
	r->lang = lang && !strcmp(lang, "en") ? "en" : "vi";
	r->title = hv_arena_printf(r->arena, "%s %s — %s", L(r, "Báo cáo sơ kết", "Quarterly review"), period, x->name);
	struct hv_ranking rk;
	int rc = hv_ranking_compute(c, x, period, &rk);
	int64_t updated = rk.updated;
	summary(r, x, period, 0, &rk.w);
	if (rc == HV_OK)
		rc = indicators(r, c, x, period, &updated);
	r->t[0].cells[3 * 2 + 1].text = when(r, updated);   /* "data as of", known now */
	ranking(r, &rk.w, rk.units, rk.nunits, false);
	ranking(r, &rk.w, rk.orgs, rk.norgs, true);
	hv_ranking_free(&rk);
	struct hv_table *t = &r->t[r->ntables++];
	table_init(r, t, L(r, "Biểu dương", "Honours"), L(r, "Biểu dương", "Honours"), 6);
	const char *h[] = {L(r, "Kỳ", "Period"), L(r, "Loại", "Kind"), L(r, "Đối tượng", "Honoured"), L(r, "Đơn vị", "Unit"),
	                   L(r, "Lý do", "Reason"), L(r, "Ngày ghi", "Recorded")};
	memcpy(t->header, h, sizeof h);
	t->widths[2] = 2;
	t->widths[4] = 3;
	if (rc == HV_OK)
		rc = hv_honours_list(c, x, period, on_honour, r);
	if (rc < 0) {
		hv_report_free(r);
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot read the database");
	}
	return HV_OK;
}

void hv_report_free(struct hv_report *r)
{
	if (r->arena)
		hv_arena_free(r->arena);
	r->arena = NULL;
}

bool hv_report_format_valid(const char *format)
{
	return format && (!strcmp(format, "csv") || !strcmp(format, "xlsx") || !strcmp(format, "pdf"));
}

const char *hv_report_mime(const char *format)
{
	if (!strcmp(format, "pdf"))
		return "application/pdf";
	if (!strcmp(format, "xlsx"))
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	return "text/csv; charset=utf-8";
}

int hv_report_render(const struct hv_report *r, const char *format, struct hv_buf *out, struct hv_error *e)
{
	if (!strcmp(format, "pdf"))
		return hv_report_pdf(r, out, e);
	if (!strcmp(format, "xlsx"))
		return hv_report_xlsx(r, out, e);
	hv_report_csv(r, out);
	return HV_OK;
}

int hv_report_write_file(const struct hv_report *r, const char *format, const char *path, struct hv_error *e)
{
	struct hv_buf b;
	hv_buf_init(&b);
	int rc = hv_report_render(r, format, &b, e);
	char *tmp = NULL;
	int fd = -1;
	if (rc < 0)
		goto out;
	if (asprintf(&tmp, "%s.tmp-XXXXXX", path) < 0)
		abort();
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		tmp = NULL;
		rc = hv_err_set(e, HV_EINVAL, "out", "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	fchmod(fd, 0644);   /* a report to share, not a secret (mkstemp makes 0600) */
	size_t done = 0;
	while (done < b.len) {
		ssize_t n = write(fd, b.data + done, b.len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	bool ok = done == b.len && fsync(fd) == 0;
	if (close(fd) != 0)
		ok = false;
	fd = -1;
	if (!ok || rename(tmp, path) != 0) {
		rc = hv_err_set(e, HV_EINVAL, "out", "cannot write %s: %s", path, strerror(errno));
		goto out;
	}
	free(tmp);
	tmp = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	hv_buf_free(&b);
	return rc;
}
