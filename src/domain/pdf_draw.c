/* pdf_draw.c: the shared A4 PDF helpers (see pdf_draw.h). */
#include "domain/pdf_draw.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>
#include <qrencode.h>
#include <stdint.h>
#include <string.h>

static cairo_status_t write_out(void *closure, const unsigned char *data, unsigned int length)
{
	hv_buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

cairo_t *hv_pdf_begin(struct hv_buf *out, const char *title)
{
	cairo_surface_t *s = cairo_pdf_surface_create_for_stream(write_out, out, HV_A4_W, HV_A4_H);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "hocvuso");
	cairo_t *cr = cairo_create(s);
	cairo_surface_destroy(s); /* cr holds it */
	return cr;
}

int hv_pdf_end(cairo_t *cr, const char *what, struct hv_error *e)
{
	cairo_surface_t *s = cairo_surface_reference(cairo_get_target(cr));
	cairo_destroy(cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS)
		return hv_err_set(e, HV_EINTERNAL, NULL, "cannot draw the %s: %s", what, cairo_status_to_string(st));
	return HV_OK;
}

double hv_pdf_text(cairo_t *cr, const char *s, bool markup, const char *font, double x, double y, double width, bool centre,
                   double grey)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_from_string(font);
	pango_layout_set_font_description(l, fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_alignment(l, centre ? PANGO_ALIGN_CENTER : PANGO_ALIGN_LEFT);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	if (markup)
		pango_layout_set_markup(l, s, -1);
	else
		pango_layout_set_text(l, s, -1);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	if (grey >= 0) /* < 0: keep the current source colour */
		cairo_set_source_rgb(cr, grey, grey, grey);
	cairo_move_to(cr, x, y);
	pango_cairo_show_layout(cr, l);
	pango_font_description_free(fd);
	g_object_unref(l);
	return (double)h / PANGO_SCALE;
}

/* One small 1-bit image scaled without smoothing: a single image object
 * in the PDF instead of hundreds of rectangles. */
void hv_pdf_qr(cairo_t *cr, const char *url, double x, double y, double size)
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
