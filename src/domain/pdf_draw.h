/* pdf_draw.h: what the A4 PDFs of the domain layer share (certificates,
 * attendance sheets, lesson handouts, touch point posters): a cairo PDF
 * surface writing into an hv_buf, wrapped text through pango (HarfBuzz
 * shapes Vietnamese with the Noto fonts) and a crisp QR code. */
#ifndef HV_PDF_DRAW_H
#define HV_PDF_DRAW_H

#include <cairo.h>
#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"

#define HV_A4_W 595.28
#define HV_A4_H 841.89

/* A new A4 PDF document drawing into out, with a title in its metadata. */
cairo_t *hv_pdf_begin(struct hv_buf *out, const char *title);
/* Ends the document (the last page must be shown) and frees it; HV_EINTERNAL
 * with what names the document when cairo failed. */
int hv_pdf_end(cairo_t *cr, const char *what, struct hv_error *e);

/* Draws text (markup: pango markup instead of plain text) at x, y wrapped
 * to width, left-aligned or centred, in the colour grey (0 black, < 0 the current colour);
 * returns the height used. */
double hv_pdf_text(cairo_t *cr, const char *s, bool markup, const char *font, double x, double y, double width, bool centre,
                   double grey);
/* The QR code of url as a size × size square at x, y. */
void hv_pdf_qr(cairo_t *cr, const char *url, double x, double y, double size);

#endif
