/* class_pdf.h: printable A4 PDFs for classes and touch points: the
 * attendance sheet, a course's lesson handouts, a touch point's poster.
 * Each appends a whole PDF to out; HV_EINTERNAL if cairo fails. */
#ifndef HV_CLASS_PDF_H
#define HV_CLASS_PDF_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"
#include "domain/learn/content.h"

/* Rows of the attendance sheet per page (fixed, see class_pdf.c). */
#define HV_SHEET_ROWS_FIRST 20
#define HV_SHEET_ROWS_NEXT 26

struct hv_sheet {
	const char *title, *course, *when, *place, *address, *organiser;
	int capacity;
	const char *const *names;   /* registered people, in order */
	int nnames;
};
int hv_pdf_attendance_sheet(const struct hv_sheet *s, struct hv_buf *out, struct hv_error *e);

/* One page or more per published lesson of co, large type; *lessons gets
 * how many lessons were printed. */
int hv_pdf_handouts(const struct hv_course *co, struct hv_buf *out, int *lessons, struct hv_error *e);

struct hv_poster {
	const char *name, *address, *unit, *hours, *url;
	bool wifi;
};
int hv_pdf_poster(const struct hv_poster *p, struct hv_buf *out, struct hv_error *e);

#endif
