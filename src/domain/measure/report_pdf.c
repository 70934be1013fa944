/* report_pdf.c: the report as an A4 PDF (cairo + pango, so Vietnamese is
 * shaped right with the Noto fonts): each table with its title, a bold
 * header row repeated on every page it runs over, cells that wrap, and
 * "page N of M" at the foot.  The document is laid out twice: the first
 * pass only counts the pages so the second can print M. */
#include "domain/measure/report.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#define A4_W 595.28
#define A4_H 841.89
#define MARGIN 40.0
#define BOTTOM (A4_H - 50.0)
#define PAD 3.0

struct doc {
	const struct hv_report *r;
	cairo_t *cr;
	int page, pages;   /* pages: the total, 0 in the counting pass */
	double y;
};

static cairo_status_t keep(void *closure, const unsigned char *data, unsigned int length)
{
	if (closure)
		hv_buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

static PangoLayout *layout(cairo_t *cr, const char *s, const char *font, double width)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_text(l, s, -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

/* Draws s at (x, y) within width; returns its height. */
static double draw(cairo_t *cr, const char *s, const char *font, double x, double y, double width)
{
	PangoLayout *l = layout(cr, s, font, width);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	double h = height_of(l);
	g_object_unref(l);
	return h;
}

static void foot(struct doc *d)
{
	char s[96];
	if (d->pages)
		snprintf(s, sizeof s, strcmp(d->r->lang, "en") ? "Trang %d/%d" : "Page %d of %d", d->page, d->pages);
	else
		snprintf(s, sizeof s, "%d", d->page);
	cairo_set_source_rgb(d->cr, 0.3, 0.3, 0.3);
	draw(d->cr, d->r->title, "Noto Sans 7", MARGIN, A4_H - 38, 380);
	PangoLayout *l = layout(d->cr, s, "Noto Sans 8", 120);
	pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
	cairo_move_to(d->cr, A4_W - MARGIN - 120, A4_H - 38);
	pango_cairo_show_layout(d->cr, l);
	g_object_unref(l);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

static void new_page(struct doc *d)
{
	foot(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = MARGIN;
}

static void col_x(const struct hv_table *t, double *x, double *w)
{
	double sum = 0;
	for (int i = 0; i < t->ncols; i++)
		sum += t->widths[i];
	double at = MARGIN;
	for (int i = 0; i < t->ncols; i++) {
		x[i] = at;
		w[i] = (A4_W - 2 * MARGIN) * t->widths[i] / sum;
		at += w[i];
	}
}

/* One row of cells (texts); bold rows get a grey band.  Breaks the page
 * first when the row does not fit, then repeats the header. */
static void row(struct doc *d, const struct hv_table *t, const char *const *cells, bool header, const double *x, const double *w)
{
	const char *font = header ? "Noto Sans Bold 7.5" : "Noto Sans 7.5";
	double h = 0;
	for (int i = 0; i < t->ncols; i++) {
		PangoLayout *l = layout(d->cr, cells[i], font, w[i] - 2 * PAD);
		double hi = height_of(l);
		g_object_unref(l);
		if (hi > h)
			h = hi;
	}
	h += 2 * PAD;
	if (d->y + h > BOTTOM) {
		new_page(d);
		if (!header)
			row(d, t, t->header, true, x, w);
	}
	if (header) {
		cairo_set_source_rgb(d->cr, 0.9, 0.9, 0.9);
		cairo_rectangle(d->cr, MARGIN, d->y, A4_W - 2 * MARGIN, h);
		cairo_fill(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
	}
	for (int i = 0; i < t->ncols; i++)
		draw(d->cr, cells[i], font, x[i] + PAD, d->y + PAD, w[i] - 2 * PAD);
	cairo_set_line_width(d->cr, 0.3);
	cairo_move_to(d->cr, MARGIN, d->y + h);
	cairo_line_to(d->cr, A4_W - MARGIN, d->y + h);
	cairo_stroke(d->cr);
	d->y += h;
}

static void table(struct doc *d, const struct hv_table *t)
{
	double x[64], w[64];
	if (t->ncols > 64)
		return;
	col_x(t, x, w);
	if (d->y + 60 > BOTTOM)
		new_page(d);
	d->y += draw(d->cr, t->title, "Noto Sans Bold 11", MARGIN, d->y, A4_W - 2 * MARGIN) + 4;
	row(d, t, t->header, true, x, w);
	const char *cells[64];
	for (size_t j = 0; j < t->nrows; j++) {
		for (int i = 0; i < t->ncols; i++) {
			const struct hv_cell *c = &t->cells[j * (size_t)t->ncols + (size_t)i];
			cells[i] = c->kind == HV_CELL_EMPTY ? "–" : c->text;
		}
		row(d, t, cells, false, x, w);
	}
	if (!t->nrows)
		d->y += draw(d->cr, strcmp(d->r->lang, "en") ? "(không có)" : "(none)", "Noto Sans 8", MARGIN + PAD, d->y + PAD,
		             A4_W - 2 * MARGIN);
	d->y += 16;
}

/* Lays the whole report out on a PDF surface writing to out (NULL: count
 * only); returns the number of pages, or -1. */
static int render(const struct hv_report *r, int pages, struct hv_buf *out)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(keep, out, A4_W, A4_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, r->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "hocvuso");
	struct doc d = {.r = r, .cr = cairo_create(s), .page = 1, .pages = pages, .y = MARGIN};
	cairo_set_source_rgb(d.cr, 0.647, 0.086, 0.114);
	d.y += draw(d.cr, r->title, "Noto Sans Bold 16", MARGIN, d.y, A4_W - 2 * MARGIN) + 10;
	cairo_set_source_rgb(d.cr, 0, 0, 0);
	for (int k = 0; k < r->ntables; k++)
		table(&d, &r->t[k]);
	foot(&d);
	cairo_show_page(d.cr);
	cairo_destroy(d.cr);
	cairo_surface_finish(s);
	bool ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	return ok ? d.page : -1;
}

int hv_report_pdf(const struct hv_report *r, struct hv_buf *out, struct hv_error *e)
{
	int pages = render(r, 0, NULL);
	if (pages < 0 || render(r, pages, out) < 0)
		return hv_err_set(e, HV_EINTERNAL, NULL, "cannot draw the report");
	return HV_OK;
}
