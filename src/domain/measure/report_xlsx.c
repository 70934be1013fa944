/* report_xlsx.c: the report as an XLSX workbook (libxlsxwriter): one sheet
 * per table, its title in row 1, a bold header in row 2, numbers stored as
 * numbers (words in their own columns) with a grouped number format
 * ("#,##0", "#,##0.0" for percentages) that the reader's spreadsheet shows
 * in its own locale: "1.234,5" in a Vietnamese one.  libxlsxwriter writes to a file, so the workbook goes through a
 * private temporary file that is read back and removed. */
#include "domain/measure/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

static int slurp(const char *path, struct hv_buf *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		hv_buf_append(out, chunk, n);
	int bad = ferror(f);
	fclose(f);
	return bad ? -1 : 0;
}

int hv_report_xlsx(const struct hv_report *r, struct hv_buf *out, struct hv_error *e)
{
	const char *dir = getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	char path[512];
	snprintf(path, sizeof path, "%s/hocvuso-report-XXXXXX", dir);
	int fd = mkstemp(path);
	if (fd < 0)
		return hv_err_set(e, HV_EINTERNAL, NULL, "cannot create a temporary file in %s", dir);
	close(fd);
	int rc = HV_OK;
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		rc = hv_err_set(e, HV_EINTERNAL, NULL, "cannot start the workbook");
		goto out;
	}
	lxw_format *bold = workbook_add_format(wb);
	format_set_bold(bold);
	lxw_format *title = workbook_add_format(wb);
	format_set_bold(title);
	format_set_font_size(title, 13);
	lxw_format *whole = workbook_add_format(wb), *tenth = workbook_add_format(wb);
	format_set_num_format(whole, "#,##0");
	format_set_num_format(tenth, "#,##0.0");
	for (int k = 0; k < r->ntables; k++) {
		const struct hv_table *t = &r->t[k];
		lxw_worksheet *ws = workbook_add_worksheet(wb, t->sheet);
		worksheet_write_string(ws, 0, 0, t->title, title);
		for (int i = 0; i < t->ncols; i++) {
			worksheet_write_string(ws, 1, (lxw_col_t)i, t->header[i], bold);
			worksheet_set_column(ws, (lxw_col_t)i, (lxw_col_t)i, t->widths[i] > 0 ? 10 * t->widths[i] : 18, NULL);
		}
		for (size_t j = 0; j < t->nrows; j++)
			for (int i = 0; i < t->ncols; i++) {
				const struct hv_cell *c = &t->cells[j * (size_t)t->ncols + (size_t)i];
				lxw_row_t row = (lxw_row_t)(j + 2);
				if (c->kind == HV_CELL_TEXT)
					worksheet_write_string(ws, row, (lxw_col_t)i, c->text, NULL);
				else if (c->kind == HV_CELL_NUM)
					worksheet_write_number(ws, row, (lxw_col_t)i, c->num, c->decimals ? tenth : whole);
			}
	}
	lxw_error err = workbook_close(wb);
	if (err != LXW_NO_ERROR)
		rc = hv_err_set(e, HV_EINTERNAL, NULL, "cannot write the workbook: %s", lxw_strerror(err));
	else if (slurp(path, out) < 0)
		rc = hv_err_set(e, HV_EINTERNAL, NULL, "cannot read the workbook back");
out:
	unlink(path);
	return rc;
}
