/* csv_rows.c: reading a whole CSV file into rows with libcsv (strict
 * quoting), for the imports of volunteers and touch points.
 *
 * The file is small enough to hold (HV_CSV_MAX_ROWS rows, fields capped at
 * HV_CSV_MAX_FIELD bytes); validation needs every row anyway, to find
 * duplicates before anything is written.  The header is checked here:
 * the required columns in order, then the optional ones.  A byte-order
 * mark is skipped and ';' accepted as the separator (hv_csv_start). */
#include "domain/internal.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/limits.h"
#include "core/utf8.h"

struct reader {
	bool vi;
	struct hv_csv *out;
	int ncols;
	char *cur[HV_CSV_MAX_COLS];
	int ncur;
	const char *problem;
	int problem_row;
};

static void note(struct reader *r, const char *what)
{
	if (!r->problem) {
		r->problem = what;
		r->problem_row = (int)r->out->n + 1;
	}
}

static void on_field(void *s, size_t len, void *data)
{
	struct reader *r = data;
	if (r->ncur >= HV_CSV_MAX_COLS) {
		note(r, HV_MSG(r->vi, "quá nhiều cột", "too many fields"));
		return;
	}
	if (len > HV_CSV_MAX_FIELD) {
		note(r, HV_MSG(r->vi, "có ô dài hơn 512 byte", "a field is longer than 512 bytes"));
		len = 0;
	}
	char *v = hv_xmalloc(len + 1);
	memcpy(v, s, len);
	v[len] = '\0';
	r->cur[r->ncur++] = v;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct reader *r = data;
	struct hv_csv *o = r->out;
	if (o->n >= HV_CSV_MAX_ROWS) {
		note(r, HV_MSG(r->vi, "quá nhiều dòng", "too many rows"));
		for (int i = 0; i < r->ncur; i++)
			free(r->cur[i]);
		r->ncur = 0;
		return;
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 256;
		o->rows = hv_xrealloc(o->rows, o->cap * sizeof *o->rows);
	}
	struct hv_csv_row *row = &o->rows[o->n];
	row->line = (int)o->n + 1;
	row->nf = r->ncur;
	row->f = hv_xcalloc((size_t)r->ncur + 1, sizeof *row->f);
	memcpy(row->f, r->cur, (size_t)r->ncur * sizeof *row->f);
	r->ncur = 0;
	o->n++;
}

void hv_csv_free(struct hv_csv *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (int k = 0; k < c->rows[i].nf; k++)
			free(c->rows[i].f[k]);
		free(c->rows[i].f);
	}
	free(c->rows);
	memset(c, 0, sizeof *c);
}

int hv_csv_field_check(const char *f, const char *src, int line, int col, const char *name, struct hv_error *e)
{
	if (!hv_utf8_valid(f, strlen(f)))
		return hv_err_set(e, HV_EINVAL, "file", "%s:%d: cột %d (%s) không phải văn bản UTF-8 (field %d is not valid UTF-8 text)", src, line,
		                  col, name, col);
	if (hv_has_any_control(f, strlen(f)))
		return hv_err_set(e, HV_EINVAL, "file", "%s:%d: cột %d (%s) có dấu tab, xuống dòng hay ký tự điều khiển khác; "
		                  "mỗi ô phải viết trên một dòng.", src, line, col, name);
	return HV_OK;
}

size_t hv_csv_start(const char *data, size_t len, unsigned char *delim)
{
	size_t at = len >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3) ? 3 : 0;
	int commas = 0, semis = 0;
	bool quoted = false;
	for (size_t i = at; i < len && (quoted || (data[i] != '\n' && data[i] != '\r')); i++) {
		if (data[i] == '"')
			quoted = !quoted;
		else if (!quoted)
			commas += data[i] == ',', semis += data[i] == ';';
	}
	*delim = semis > commas ? ';' : ',';
	return at;
}

static int check_header(struct hv_csv *c, const char *src, const char *const *cols, int required, bool vi, struct hv_error *e)
{
	int ncols = 0;
	while (cols[ncols])
		ncols++;
	if (c->n == 0)
		return hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s: tệp trống; dòng đầu phải là dòng tiêu đề", "%s: the file is empty; the first line must be the header"), src);
	struct hv_csv_row *h = &c->rows[0];
	if (h->nf < required || h->nf > ncols)
		return hv_err_set(e, HV_EINVAL, "file",
		                  HV_MSG(vi, "%s:1: dòng tiêu đề cần từ %d đến %d cột, phân cách bằng dấu phẩy hoặc chấm phẩy: %s…",
		                         "%s:1: the header must name %d to %d columns, separated by commas or semicolons: %s…"),
		                  src, required, ncols, cols[0]);
	for (int i = 0; i < h->nf; i++) {
		const char *f = h->f[i];
		if (strcmp(f, cols[i]) != 0)
			return hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s:1: cột %d phải là '%s', tệp ghi '%.40s'", "%s:1: column %d must be '%s', found '%.40s'"),
			                  src, i + 1, cols[i], f);
	}
	c->ncols = h->nf;
	for (size_t i = 1; i < c->n; i++) {
		struct hv_csv_row *r = &c->rows[i];
		if (r->nf == 1 && !r->f[0][0])
			continue; /* a blank line */
		if (r->nf != c->ncols)
			return hv_err_set(e, HV_EINVAL, "file",
			                  HV_MSG(vi, "%s:%d: cần %d ô như dòng tiêu đề, dòng này có %d", "%s:%d: expected %d fields as in the header, found %d"),
			                  src, r->line, c->ncols, r->nf);
		for (int k = 0; k < r->nf; k++)
			if (hv_csv_field_check(r->f[k], src, r->line, k + 1, cols[k], e) < 0)
				return HV_EINVAL;
	}
	/* Blank lines go, so that every row after the header is data. */
	size_t kept = 1;
	for (size_t i = 1; i < c->n; i++) {
		struct hv_csv_row *r = &c->rows[i];
		if (r->nf == 1 && !r->f[0][0]) {
			free(r->f[0]);
			free(r->f);
		} else {
			c->rows[kept++] = *r;
		}
	}
	c->n = kept;
	return HV_OK;
}

int hv_csv_read(const char *data, size_t len, const char *src, const char *const *cols, int required, bool vi, struct hv_csv *out,
                struct hv_error *e)
{
	memset(out, 0, sizeof *out);
	struct reader r = {.vi = vi, .out = out};
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return hv_err_set(e, HV_EINTERNAL, NULL, "cannot start the CSV parser");
	unsigned char delim;
	size_t at = hv_csv_start(data, len, &delim);
	csv_set_delim(&cp, delim);
	int rc = HV_OK;
	if (csv_parse(&cp, data + at, len - at, on_field, on_row, &r) != len - at || csv_fini(&cp, on_field, on_row, &r) != 0)
		rc = hv_err_set(e, HV_EINVAL, "file",
		                HV_MSG(vi, "%s:%zu: tệp CSV sai cấu trúc (%s); ô có dấu phẩy, chấm phẩy hay dấu ngoặc kép phải đặt trong ngoặc kép",
		                       "%s:%zu: malformed CSV (%s); quote fields that hold commas, semicolons or quotes"),
		                src, out->n + 1, csv_strerror(csv_error(&cp)));
	csv_free(&cp);
	for (int i = 0; i < r.ncur; i++)
		free(r.cur[i]);
	if (rc == HV_OK && r.problem)
		rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: %s", src, r.problem_row, r.problem);
	if (rc == HV_OK)
		rc = check_header(out, src, cols, required, vi, e);
	if (rc < 0)
		hv_csv_free(out);
	return rc;
}
