/* report_csv.c: the report as CSV (RFC 4180, UTF-8 with a BOM so that
 * spreadsheet programs read the diacritics): each table is its title on
 * one line, its header, its rows, then an empty line. */
#include "domain/measure/report.h"

void hv_report_csv(const struct hv_report *r, struct hv_buf *out)
{
	hv_buf_puts(out, "\xEF\xBB\xBF");
	for (int k = 0; k < r->ntables; k++) {
		const struct hv_table *t = &r->t[k];
		hv_buf_csv(out, t->title);
		hv_buf_puts(out, "\r\n");
		for (int i = 0; i < t->ncols; i++) {
			if (i)
				hv_buf_putc(out, ',');
			hv_buf_csv(out, t->header[i]);
		}
		hv_buf_puts(out, "\r\n");
		for (size_t j = 0; j < t->nrows; j++) {
			for (int i = 0; i < t->ncols; i++) {
				const struct hv_cell *c = &t->cells[j * (size_t)t->ncols + (size_t)i];
				if (i)
					hv_buf_putc(out, ',');
				if (c->kind == HV_CELL_TEXT)
					hv_buf_csv(out, c->text);
				else if (c->kind == HV_CELL_NUM)
					hv_buf_puts(out, c->text);
			}
			hv_buf_puts(out, "\r\n");
		}
		hv_buf_puts(out, "\r\n");
	}
}
