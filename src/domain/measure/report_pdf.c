/* report_pdf.c: the report as an A4 PDF an office can file (cairo +
 * pango, so Vietnamese is shaped right with the Noto fonts): the issuing
 * body, the national motto, the report's number, place and date, the
 * title, a few sentences of the figures, a bar chart per headline figure
 * (the quarters of the year, with their values written), then each table
 * with its title, a bold header row repeated on every page it runs over,
 * cells that wrap without hyphens, numbers in the report's language
 * ("1.234,5" / "1,234.5"), and a signature block; "page N of M" at the
 * foot.  The PDF is tagged (cairo's structure tags: H1, P, Figure, Table,
 * TR, TH, TD) so screen readers follow it.  The document is laid out
 * twice: the first pass only counts the pages so the second can print M. */
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
#define WIDTH (A4_W - 2 * MARGIN)

struct doc {
	const struct hv_report *r;
	cairo_t *cr;
	int page, pages;   /* pages: the total, 0 in the counting pass */
	double y;
};

static const char *L(const struct doc *d, const char *vi, const char *en)
{
	return strcmp(d->r->lang, "en") == 0 ? en : vi;
}

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
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_insert_hyphens_new(FALSE));   /* no "port-al" */
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	pango_layout_set_text(l, s, -1);
	return l;
}

static double height_of(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static double draw_aligned(cairo_t *cr, const char *s, const char *font, double x, double y, double width, PangoAlignment a)
{
	PangoLayout *l = layout(cr, s, font, width);
	pango_layout_set_alignment(l, a);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	double h = height_of(l);
	g_object_unref(l);
	return h;
}

/* Draws s at (x, y) within width; returns its height. */
static double draw(cairo_t *cr, const char *s, const char *font, double x, double y, double width)
{
	return draw_aligned(cr, s, font, x, y, width, PANGO_ALIGN_LEFT);
}

/* The same inside a structure tag (a paragraph, a heading …). */
static double tagged(cairo_t *cr, const char *tag, const char *s, const char *font, double x, double y, double width, PangoAlignment a)
{
	cairo_tag_begin(cr, tag, NULL);
	double h = draw_aligned(cr, s, font, x, y, width, a);
	cairo_tag_end(cr, tag);
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
	draw_aligned(d->cr, s, "Noto Sans 8", A4_W - MARGIN - 120, A4_H - 38, 120, PANGO_ALIGN_RIGHT);
	cairo_set_source_rgb(d->cr, 0, 0, 0);
}

static void new_page(struct doc *d)
{
	foot(d);
	cairo_show_page(d->cr);
	d->page++;
	d->y = MARGIN;
}

/* Column positions; columns of width 0 (codes) are left out. */
static void col_x(const struct hv_table *t, double *x, double *w)
{
	double sum = 0;
	for (int i = 0; i < t->ncols; i++)
		sum += t->widths[i];
	double at = MARGIN;
	for (int i = 0; i < t->ncols; i++) {
		x[i] = at;
		w[i] = WIDTH * t->widths[i] / sum;
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
		if (w[i] <= 0)
			continue;
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
		cairo_rectangle(d->cr, MARGIN, d->y, WIDTH, h);
		cairo_fill(d->cr);
		cairo_set_source_rgb(d->cr, 0, 0, 0);
	}
	cairo_tag_begin(d->cr, "TR", NULL);
	for (int i = 0; i < t->ncols; i++)
		if (w[i] > 0)
			tagged(d->cr, header ? "TH" : "TD", cells[i], font, x[i] + PAD, d->y + PAD, w[i] - 2 * PAD, PANGO_ALIGN_LEFT);
	cairo_tag_end(d->cr, "TR");
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
	d->y += tagged(d->cr, "H2", t->pdf_title ? t->pdf_title : t->title, "Noto Sans Bold 11", MARGIN, d->y, WIDTH, PANGO_ALIGN_LEFT) + 4;
	cairo_tag_begin(d->cr, "Table", NULL);
	row(d, t, t->header, true, x, w);
	const char *cells[64];
	for (size_t j = 0; j < t->nrows; j++) {
		for (int i = 0; i < t->ncols; i++) {
			const struct hv_cell *c = &t->cells[j * (size_t)t->ncols + (size_t)i];
			cells[i] = c->kind == HV_CELL_EMPTY ? "–" : c->kind == HV_CELL_NUM ? hv_report_num(d->r, c->num, c->decimals) : c->text;
		}
		row(d, t, cells, false, x, w);
	}
	cairo_tag_end(d->cr, "Table");
	if (!t->nrows)
		d->y += tagged(d->cr, "P", L(d, "(không có)", "(none)"), "Noto Sans 8", MARGIN + PAD, d->y + PAD, WIDTH, PANGO_ALIGN_LEFT);
	d->y += 16;
}

/* The issuing body and number on the left, the national motto and the
 * place and date on the right, as on any Vietnamese official document. */
static void letterhead(struct doc *d)
{
	const struct hv_report *r = d->r;
	double half = WIDTH / 2 - 6, y = d->y;
	double hl = tagged(d->cr, "P", r->issuer, "Noto Sans Bold 9", MARGIN, y, half, PANGO_ALIGN_CENTER);
	hl += tagged(d->cr, "P", r->number, "Noto Sans 9", MARGIN, y + hl + 4, half, PANGO_ALIGN_CENTER) + 4;
	double hr = tagged(d->cr, "P", L(d, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIET NAM"), "Noto Sans Bold 9",
	                   MARGIN + half + 12, y, half, PANGO_ALIGN_CENTER);
	hr += tagged(d->cr, "P", L(d, "Độc lập – Tự do – Hạnh phúc", "Independence – Freedom – Happiness"), "Noto Sans Bold 9",
	             MARGIN + half + 12, y + hr, half, PANGO_ALIGN_CENTER);
	hr += tagged(d->cr, "P", r->place_date, "Noto Sans Italic 9", MARGIN + half + 12, y + hr + 6, half, PANGO_ALIGN_CENTER) + 6;
	d->y = y + (hl > hr ? hl : hr) + 18;
	cairo_set_source_rgb(d->cr, 0.647, 0.086, 0.114);
	d->y += tagged(d->cr, "H1", hv_arena_printf(r->arena, "%s\n%s — %s", L(d, "BÁO CÁO SƠ KẾT PHONG TRÀO BÌNH DÂN HỌC VỤ SỐ",
	                                                                         "REVIEW OF THE DIGITAL LITERACY FOR ALL MOVEMENT"),
	                                            r->period_words, r->unit),
	               "Noto Sans Bold 13", MARGIN, d->y, WIDTH, PANGO_ALIGN_CENTER) + 12;
	cairo_set_source_rgb(d->cr, 0, 0, 0);
	d->y += tagged(d->cr, "P", r->narrative, "Noto Sans 9.5", MARGIN, d->y, WIDTH, PANGO_ALIGN_LEFT) + 14;
}

/* A bar chart of one figure's four quarters at (x, y), w × h. */
static void chart(struct doc *d, const struct hv_report_chart *ch, double x, double y, double w, double h)
{
	cairo_t *cr = d->cr;
	cairo_tag_begin(cr, "Figure", NULL);   /* its title and every bar's value are text */
	double th = draw(cr, ch->name, "Noto Sans Bold 8.5", x, y, w);
	int64_t max = 1;
	for (int k = 0; k < 4; k++)
		max = ch->v[k] > max ? ch->v[k] : max;
	double base = y + h - 14, top = y + th + 14, bw = (w - 20) / 4;
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, x, base);
	cairo_line_to(cr, x + w, base);
	cairo_stroke(cr);
	for (int k = 0; k < 4; k++) {
		double bh = (base - top) * (double)ch->v[k] / (double)max, bx = x + 10 + k * bw + bw * 0.2;
		cairo_set_source_rgb(cr, 0.043, 0.42, 0.18);
		cairo_rectangle(cr, bx, base - bh, bw * 0.6, bh);
		cairo_fill(cr);
		cairo_set_source_rgb(cr, 0, 0, 0);
		draw_aligned(cr, hv_report_num(d->r, (double)ch->v[k], 0), "Noto Sans 7", bx - 10, base - bh - 11, bw * 0.6 + 20, PANGO_ALIGN_CENTER);
		draw_aligned(cr, hv_arena_printf(d->r->arena, "Q%d", k + 1), "Noto Sans 7", bx - 10, base + 2, bw * 0.6 + 20, PANGO_ALIGN_CENTER);
	}
	cairo_tag_end(cr, "Figure");
}

static void charts(struct doc *d)
{
	const struct hv_report *r = d->r;
	if (!r->ncharts)
		return;
	double w = (WIDTH - 20) / 2, h = 120;
	int rows = (r->ncharts + 1) / 2;
	if (d->y + 20 + rows * (h + 10) > BOTTOM)
		new_page(d);
	d->y += tagged(d->cr, "H2", L(d, "Chỉ số chính theo quý", "Headline figures by quarter"), "Noto Sans Bold 11", MARGIN, d->y, WIDTH,
	               PANGO_ALIGN_LEFT) + 6;
	for (int i = 0; i < r->ncharts; i++)
		chart(d, &r->charts[i], MARGIN + (i % 2) * (w + 20), d->y + (i / 2) * (h + 10), w, h);
	d->y += rows * (h + 10) + 10;
}

static void signatures(struct doc *d)
{
	if (d->y + 110 > BOTTOM)
		new_page(d);
	double half = WIDTH / 2 - 6, y = d->y + 10;
	tagged(d->cr, "P", L(d, "NGƯỜI LẬP BÁO CÁO\n(Ký, ghi rõ họ tên)", "PREPARED BY\n(signature and full name)"), "Noto Sans Bold 9",
	       MARGIN, y, half, PANGO_ALIGN_CENTER);
	tagged(d->cr, "P", L(d, "THỦ TRƯỞNG ĐƠN VỊ\n(Ký tên, đóng dấu)", "HEAD OF THE OFFICE\n(signature and seal)"), "Noto Sans Bold 9",
	       MARGIN + half + 12, y, half, PANGO_ALIGN_CENTER);
	d->y = y + 100;
}

/* Lays the whole report out on a PDF surface writing to out (NULL: count
 * only); returns the number of pages, or -1. */
static int render(const struct hv_report *r, int pages, struct hv_buf *out)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(keep, out, A4_W, A4_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, r->title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "hocvuso");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, r->narrative ? r->narrative : "");
	struct doc d = {.r = r, .cr = cairo_create(s), .page = 1, .pages = pages, .y = MARGIN};
	letterhead(&d);
	charts(&d);
	for (int k = 0; k < r->ntables; k++)
		table(&d, &r->t[k]);
	signatures(&d);
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
