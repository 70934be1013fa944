/* cert_pdf.c: the A4 certificate as a PDF (cairo + pango, so Vietnamese
 * diacritics are shaped correctly by HarfBuzz with the Noto fonts), with a
 * QR code pointing at the public verification page. */
#include "credential.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdint.h>
#include <string.h>

#define A4_W 595.28
#define A4_H 841.89

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	hv_buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

/* Draws text centred in a band of the page; returns the height used. */
static double text(cairo_t *cr, const char *s, const char *font, double y, double r, double g, double b)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)((A4_W - 120) * PANGO_SCALE));
	pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD);
	pango_layout_set_text(l, s, -1);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	cairo_set_source_rgb(cr, r, g, b);
	cairo_move_to(cr, 60, y);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

/* The QR code as one small 1-bit image scaled without smoothing: a
 * single image object in the PDF instead of hundreds of rectangles. */
static void qr(cairo_t *cr, const char *url, double x, double y, double size)
{
	QRcode *q = QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
	if (!q)
		return;
	int w = q->width + 8;
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A1, w, w);
	unsigned char *px = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	cairo_surface_flush(img);
	memset(px, 0, (size_t)stride * (size_t)w);
	for (int j = 0; j < q->width; j++)
		for (int i = 0; i < q->width; i++)
			if (q->data[j * q->width + i] & 1) {
				int X = i + 4, Y = j + 4;
				/* CAIRO_FORMAT_A1 packs pixels in native-endian 32-bit words. */
				uint32_t *row = (uint32_t *)(px + Y * stride);
				row[X / 32] |= 1u << (X % 32);
			}
	cairo_surface_mark_dirty(img);
	QRcode_free(q);
	cairo_save(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_rectangle(cr, x, y, size, size);
	cairo_fill(cr);
	cairo_translate(cr, x, y);
	cairo_scale(cr, size / w, size / w);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_pattern_t *mask = cairo_pattern_create_for_surface(img);
	cairo_pattern_set_filter(mask, CAIRO_FILTER_NEAREST);
	cairo_mask(cr, mask);
	cairo_pattern_destroy(mask);
	cairo_restore(cr);
	cairo_surface_destroy(img);
}

int hv_cert_pdf(const struct hv_cert_pdf *c, struct hv_buf *out, struct hv_error *e)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, A4_W, A4_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, "Chứng nhận – Bình dân học vụ số");
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "hocvuso");
	cairo_t *cr = cairo_create(s);
	/* Double frame in the movement's red. */
	cairo_set_source_rgb(cr, 0.647, 0.086, 0.114);
	cairo_set_line_width(cr, 6);
	cairo_rectangle(cr, 28, 28, A4_W - 56, A4_H - 56);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 1.5);
	cairo_rectangle(cr, 40, 40, A4_W - 80, A4_H - 80);
	cairo_stroke(cr);
	double y = 70;
	y += text(cr, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Noto Sans Bold 12", y, 0, 0, 0);
	y += text(cr, "Độc lập – Tự do – Hạnh phúc", "Noto Sans 12", y, 0, 0, 0) + 28;
	y += text(cr, "CHỨNG NHẬN", "Noto Sans Bold 34", y, 0.647, 0.086, 0.114) + 4;
	y += text(cr, "Phong trào “Bình dân học vụ số”", "Noto Sans 14", y, 0.2, 0.2, 0.2) + 28;
	y += text(cr, "Chứng nhận Ông/Bà", "Noto Sans 14", y, 0, 0, 0) + 8;
	y += text(cr, c->holder, "Noto Sans Bold 26", y, 0, 0, 0) + 18;
	y += text(cr, "đã hoàn thành khóa học", "Noto Sans 14", y, 0, 0, 0) + 8;
	y += text(cr, c->course, "Noto Sans Bold 20", y, 0.05, 0.24, 0.57) + 20;
	y += text(cr, c->date_vi, "Noto Sans 13", y, 0.2, 0.2, 0.2) + 24;
	/* The QR code follows the text (long course titles wrap), and the
	 * code sits under it; all of it stays inside the frame. */
	double qs = 140;
	if (y > A4_H - 40 - 95 - qs)
		y = A4_H - 40 - 95 - qs;
	qr(cr, c->verify_url, (A4_W - qs) / 2, y, qs);
	y += qs + 10;
	char line[300];
	snprintf(line, sizeof line, "Mã chứng nhận: %s", c->code);
	y += text(cr, line, "Noto Sans Bold 14", y, 0, 0, 0) + 4;
	snprintf(line, sizeof line, "Kiểm tra tại: %s", c->verify_url);
	y += text(cr, line, "Noto Sans 10", y, 0.2, 0.2, 0.2) + 2;
	text(cr, "Chứng nhận được ký số (Ed25519); tải bản điện tử để kiểm tra ngoại tuyến.", "Noto Sans 9", y, 0.3, 0.3, 0.3);
	cairo_show_page(cr);
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS)
		return hv_err_set(e, HV_EINTERNAL, NULL, "cannot draw the certificate: %s", cairo_status_to_string(st));
	return HV_OK;
}
