/* class_pdf.c: the printables of the Help pillar, A4 PDFs drawn with
 * cairo + pango (see pdf_draw.h): a class's attendance sheet, a course's
 * lesson handouts in large type, and a touch point's QR poster.
 *
 * The sheet's rows have a fixed height so the page count is predictable:
 * HV_SHEET_ROWS_FIRST rows on the first page, HV_SHEET_ROWS_NEXT on each
 * further one; blank rows follow the names up to the capacity and then to
 * the end of the page. */
#include "domain/help/class_pdf.h"

#include <pango/pangocairo.h>
#include <stdio.h>
#include <string.h>

#include "domain/pdf_draw.h"

#define MARGIN 48.0
#define WIDTH (HV_A4_W - 2 * MARGIN)
#define ROW_H 28.0

static double centred(cairo_t *cr, const char *s, const char *font, double y)
{
	return hv_pdf_text(cr, s, false, font, MARGIN, y, WIDTH, true, 0);
}

static double left(cairo_t *cr, const char *s, const char *font, double y)
{
	return hv_pdf_text(cr, s, false, font, MARGIN, y, WIDTH, false, 0);
}

/* ---- attendance sheet ---- */

static void sheet_header_row(cairo_t *cr, double y)
{
	cairo_set_source_rgb(cr, 0.9, 0.9, 0.9);
	cairo_rectangle(cr, MARGIN, y, WIDTH, ROW_H);
	cairo_fill(cr);
	hv_pdf_text(cr, "STT", false, "Noto Sans Bold 11", MARGIN + 4, y + 6, 36, false, 0);
	hv_pdf_text(cr, "Họ và tên", false, "Noto Sans Bold 11", MARGIN + 44, y + 6, 280, false, 0);
	hv_pdf_text(cr, "Chữ ký", false, "Noto Sans Bold 11", MARGIN + 334, y + 6, WIDTH - 338, false, 0);
}

static void sheet_row(cairo_t *cr, double y, int n, const char *name)
{
	char num[16];
	snprintf(num, sizeof num, "%d", n);
	hv_pdf_text(cr, num, false, "Noto Sans 11", MARGIN + 4, y + 6, 36, false, 0);
	if (name) {
		/* One line: a very long name is cut rather than overlapping. */
		cairo_save(cr);
		cairo_rectangle(cr, MARGIN + 40, y, 290, ROW_H);
		cairo_clip(cr);
		hv_pdf_text(cr, name, false, "Noto Sans 11", MARGIN + 44, y + 6, 2000, false, 0);
		cairo_restore(cr);
	}
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, MARGIN, y, WIDTH, ROW_H);
	cairo_move_to(cr, MARGIN + 40, y);
	cairo_line_to(cr, MARGIN + 40, y + ROW_H);
	cairo_move_to(cr, MARGIN + 330, y);
	cairo_line_to(cr, MARGIN + 330, y + ROW_H);
	cairo_stroke(cr);
}

int hv_pdf_attendance_sheet(const struct hv_sheet *s, struct hv_buf *out, struct hv_error *e)
{
	cairo_t *cr = hv_pdf_begin(out, "Danh sách điểm danh");
	int rows = s->nnames > s->capacity ? s->nnames : s->capacity;
	/* Fill the last page. */
	if (rows <= HV_SHEET_ROWS_FIRST)
		rows = HV_SHEET_ROWS_FIRST;
	else
		rows = HV_SHEET_ROWS_FIRST + ((rows - HV_SHEET_ROWS_FIRST + HV_SHEET_ROWS_NEXT - 1) / HV_SHEET_ROWS_NEXT) * HV_SHEET_ROWS_NEXT;
	double y = MARGIN;
	y += centred(cr, "DANH SÁCH ĐIỂM DANH LỚP HỌC", "Noto Sans Bold 16", y) + 6;
	y += centred(cr, s->title, "Noto Sans Bold 14", y) + 10;
	char line[1200];
	snprintf(line, sizeof line, "Khóa học: %s", s->course);
	y += left(cr, line, "Noto Sans 11", y) + 2;
	snprintf(line, sizeof line, "Thời gian: %s", s->when);
	y += left(cr, line, "Noto Sans 11", y) + 2;
	snprintf(line, sizeof line, "Địa điểm: %s – %s", s->place, s->address);
	y += left(cr, line, "Noto Sans 11", y) + 2;
	snprintf(line, sizeof line, "Người tổ chức: %s · Sĩ số: %d", s->organiser, s->capacity);
	y += left(cr, line, "Noto Sans 11", y) + 12;
	/* The first page's table starts at a fixed height so that the rows per
	 * page stay the same whatever the header's wrapping. */
	if (y < HV_A4_H - MARGIN - ROW_H * (HV_SHEET_ROWS_FIRST + 1))
		y = HV_A4_H - MARGIN - ROW_H * (HV_SHEET_ROWS_FIRST + 1);
	sheet_header_row(cr, y);
	y += ROW_H;
	for (int i = 0; i < rows; i++) {
		if (i >= HV_SHEET_ROWS_FIRST && (i - HV_SHEET_ROWS_FIRST) % HV_SHEET_ROWS_NEXT == 0) {
			cairo_show_page(cr);
			y = MARGIN;
			sheet_header_row(cr, y);
			y += ROW_H;
		}
		sheet_row(cr, y, i + 1, i < s->nnames ? s->names[i] : NULL);
		y += ROW_H;
	}
	cairo_show_page(cr);
	return hv_pdf_end(cr, "attendance sheet", e);
}

/* ---- lesson handouts ---- */

/* Markdown to pango markup, enough for a printed page: headings and
 * **bold** become bold, list dashes bullets, links their text; images and
 * raw HTML are left out.  Returns a GLib string the caller frees. */
static char *md_markup(const char *md)
{
	GString *g = g_string_new(NULL);
	const char *p = md;
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char *line = g_strndup(p, n);
		char *t = line;
		while (*t == ' ')
			t++;
		bool heading = false;
		if (*t == '#') {
			while (*t == '#')
				t++;
			while (*t == ' ')
				t++;
			heading = true;
		} else if ((t[0] == '-' || t[0] == '*') && t[1] == ' ') {
			g_string_append(g, "  • ");
			t += 2;
		}
		if (!(t[0] == '!' && t[1] == '[') && *t != '<') {
			if (heading)
				g_string_append(g, "<b>");
			bool bold = false;
			for (const char *q = t; *q; q++) {
				if (q[0] == '*' && q[1] == '*') {
					g_string_append(g, bold ? "</b>" : "<b>");
					bold = !bold;
					q++;
				} else if (*q == '[' && strstr(q, "](")) {
					/* [text](url) → text */
					const char *close = strstr(q, "](");
					const char *end = strchr(close, ')');
					char *txt = g_markup_escape_text(q + 1, close - q - 1);
					g_string_append(g, txt);
					g_free(txt);
					q = end ? end : close + 1;
				} else if (*q == '`' || *q == '_') {
					continue;
				} else {
					char *esc = g_markup_escape_text(q, 1);
					g_string_append(g, esc);
					g_free(esc);
				}
			}
			if (bold)
				g_string_append(g, "</b>");
			if (heading)
				g_string_append(g, "</b>");
			g_string_append_c(g, '\n');
		}
		g_free(line);
		p = eol ? eol + 1 : p + n;
	}
	return g_string_free(g, FALSE);
}

/* Lays markup out over as many pages as it needs, from y; returns the y
 * where it ended. */
static double flow(cairo_t *cr, const char *markup, const char *font, double y)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(WIDTH * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_markup(l, markup, -1);
	cairo_set_source_rgb(cr, 0, 0, 0);
	PangoLayoutIter *it = pango_layout_get_iter(l);
	double top = 0; /* layout y of the page's first line */
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double ly = (double)r.y / PANGO_SCALE, lh = (double)r.height / PANGO_SCALE;
		if (y + ly - top + lh > HV_A4_H - MARGIN) {
			cairo_show_page(cr);
			cairo_set_source_rgb(cr, 0, 0, 0);
			top = ly;
			y = MARGIN;
		}
		int baseline = pango_layout_iter_get_baseline(it);
		cairo_move_to(cr, MARGIN, y + (double)baseline / PANGO_SCALE - top);
		pango_cairo_show_layout_line(cr, pango_layout_iter_get_line_readonly(it));
	} while (pango_layout_iter_next_line(it));
	PangoRectangle all;
	pango_layout_get_extents(l, NULL, &all);
	double end = y + (double)(all.y + all.height) / PANGO_SCALE - top;
	pango_layout_iter_free(it);
	pango_font_description_free(fd);
	g_object_unref(l);
	return end;
}

int hv_pdf_handouts(const struct hv_course *co, struct hv_buf *out, int *pages_lessons, struct hv_error *e)
{
	cairo_t *cr = hv_pdf_begin(out, co->title);
	int n = 0;
	for (int i = 0; i < co->nlessons; i++) {
		const struct hv_lesson *le = co->lessons[i];
		if (!le->published)
			continue;
		double y = MARGIN;
		y += left(cr, co->title, "Noto Sans 11", y) + 4;
		y += left(cr, le->title, "Noto Sans Bold 22", y) + 14;
		char *m = md_markup(le->body_md ? le->body_md : "");
		flow(cr, m, "Noto Sans 16", y);
		g_free(m);
		cairo_show_page(cr);
		n++;
	}
	if (n == 0) {
		left(cr, co->title, "Noto Sans Bold 22", MARGIN);
		cairo_show_page(cr);
	}
	if (pages_lessons)
		*pages_lessons = n;
	return hv_pdf_end(cr, "handouts", e);
}

/* ---- touch point poster ---- */

int hv_pdf_poster(const struct hv_poster *p, struct hv_buf *out, struct hv_error *e)
{
	cairo_t *cr = hv_pdf_begin(out, p->name);
	cairo_set_source_rgb(cr, 0.647, 0.086, 0.114);
	cairo_set_line_width(cr, 6);
	cairo_rectangle(cr, 28, 28, HV_A4_W - 56, HV_A4_H - 56);
	cairo_stroke(cr);
	double y = 60;
	y += centred(cr, "ĐIỂM CHẠM SỐ", "Noto Sans Bold 30", y) + 4;
	y += centred(cr, "Bình dân học vụ số – hỗ trợ người dân dùng dịch vụ số", "Noto Sans 13", y) + 20;
	y += centred(cr, p->name, "Noto Sans Bold 24", y) + 10;
	y += centred(cr, p->address, "Noto Sans 15", y) + 4;
	y += centred(cr, p->unit, "Noto Sans 13", y) + 10;
	char line[700];
	snprintf(line, sizeof line, "Giờ mở cửa: %s", p->hours);
	y += centred(cr, line, "Noto Sans 15", y) + 4;
	if (p->wifi)
		y += centred(cr, "Có wifi miễn phí", "Noto Sans Bold 15", y) + 4;
	/* The code goes below the text, never over it ("Có wifi miễn phí"):
	 * smaller when long lines leave less room (120 pt still scans). */
	y += 24;
	double qs = HV_A4_H - 60 - 70 - y;
	if (qs > 300)
		qs = 300;
	if (qs < 120)
		qs = 120;
	hv_pdf_qr(cr, p->url, (HV_A4_W - qs) / 2, y, qs);
	y += qs + 10;
	y += centred(cr, "Quét mã để xem lịch lớp học và thông tin điểm chạm", "Noto Sans 13", y) + 2;
	centred(cr, p->url, "Noto Sans 10", y);
	cairo_show_page(cr);
	return hv_pdf_end(cr, "poster", e);
}
