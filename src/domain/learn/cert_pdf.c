/* cert_pdf.c: the A4 certificate as a PDF (cairo + pango, so Vietnamese
 * diacritics are shaped correctly by HarfBuzz with the Noto fonts), with a
 * QR code pointing at the public verification page (the credential's id)
 * and the issuing body's name. */
#include "domain/learn/credential.h"

#include <stdio.h>

#include "domain/pdf_draw.h"

#define A4_W HV_A4_W
#define A4_H HV_A4_H

/* Draws text centred in a band of the page; returns the height used. */
static double text(cairo_t *cr, const char *s, const char *font, double y, double r, double g, double b)
{
	cairo_save(cr);
	cairo_set_source_rgb(cr, r, g, b);
	double h = hv_pdf_text(cr, s, false, font, 60, y, A4_W - 120, true, -1);
	cairo_restore(cr);
	return h;
}

int hv_cert_pdf(const struct hv_cert_pdf *c, struct hv_buf *out, struct hv_error *e)
{
	cairo_t *cr = hv_pdf_begin(out, "Chứng nhận – Bình dân học vụ số");
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
	if (c->demo)
		y += text(cr, "BẢN THỬ (DEMO) – KHÔNG CÓ GIÁ TRỊ", "Noto Sans Bold 16", y - 18, 0.647, 0.086, 0.114) - 4;
	y += text(cr, "Chứng nhận Ông/Bà", "Noto Sans 14", y, 0, 0, 0) + 8;
	y += text(cr, c->holder, "Noto Sans Bold 26", y, 0, 0, 0) + 18;
	y += text(cr, "đã hoàn thành khóa học", "Noto Sans 14", y, 0, 0, 0) + 8;
	y += text(cr, c->course, "Noto Sans Bold 20", y, 0.05, 0.24, 0.57) + 20;
	y += text(cr, c->date_vi, "Noto Sans 13", y, 0.2, 0.2, 0.2) + 6;
	char line[300];
	if (c->issuer && *c->issuer) {
		snprintf(line, sizeof line, "Đơn vị cấp: %s", c->issuer);
		y += text(cr, line, "Noto Sans Bold 13", y, 0.2, 0.2, 0.2);
	}
	y += 18;
	/* The QR code follows the text (long course titles wrap), and the
	 * code sits under it; all of it stays inside the frame. */
	double qs = 140;
	if (y > A4_H - 40 - 95 - qs)
		y = A4_H - 40 - 95 - qs;
	hv_pdf_qr(cr, c->verify_url, (A4_W - qs) / 2, y, qs);
	y += qs + 10;
	snprintf(line, sizeof line, "Mã chứng nhận: %s", c->code);
	y += text(cr, line, "Noto Sans Bold 14", y, 0, 0, 0) + 4;
	snprintf(line, sizeof line, "Kiểm tra tại: %s", c->verify_url);
	y += text(cr, line, "Noto Sans 10", y, 0.2, 0.2, 0.2) + 2;
	text(cr, "Chứng nhận được ký số (Ed25519); tải bản điện tử để kiểm tra ngoại tuyến.", "Noto Sans 9", y, 0.3, 0.3, 0.3);
	cairo_show_page(cr);
	return hv_pdf_end(cr, "certificate", e);
}
