/* report.h: the quarterly review report of a unit for a period — header,
 * indicators against targets, the ranking of its child units and of its
 * organisations, honours, "data as of" — as a few plain tables that three
 * writers turn into CSV, XLSX (libxlsxwriter: a sheet per table) or an A4
 * PDF (cairo + pango).  Building the tables once keeps the three formats
 * equal cell for cell. */
#ifndef HV_REPORT_H
#define HV_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "domain/places/units.h"
#include "store/store.h"

enum hv_cell_kind { HV_CELL_EMPTY, HV_CELL_TEXT, HV_CELL_NUM };

struct hv_cell {
	enum hv_cell_kind kind;
	const char *text;    /* for TEXT; for NUM, the number as printed */
	double num;
};

struct hv_table {
	const char *sheet;   /* sheet name, ≤ 31 characters */
	const char *title;
	int ncols;
	const char **header;
	double *widths;      /* relative column widths for the PDF */
	struct hv_cell *cells;   /* nrows × ncols */
	size_t nrows, cap;
};

#define HV_REPORT_TABLES 5

struct hv_report {
	struct hv_arena *arena;       /* owns everything below */
	const char *lang;             /* "vi" or "en" */
	const char *title;
	struct hv_table t[HV_REPORT_TABLES];
	int ntables;
};

/* Builds the report of x for period in lang (NULL = "vi").  Free with
 * hv_report_free.  HV_EUNAVAIL on a database error. */
int hv_report_build(struct hv_conn *c, const struct hv_unit *x, const char *period, const char *lang, struct hv_report *r,
                    struct hv_error *e);
void hv_report_free(struct hv_report *r);

/* "csv", "xlsx" or "pdf" */
bool hv_report_format_valid(const char *format);
const char *hv_report_mime(const char *format);
/* The report in format appended to out. */
int hv_report_render(const struct hv_report *r, const char *format, struct hv_buf *out, struct hv_error *e);
/* The report in format written to path through a temporary file in the
 * same folder renamed at the end: never a partial file. */
int hv_report_write_file(const struct hv_report *r, const char *format, const char *path, struct hv_error *e);

/* Writers (report_csv.c, report_xlsx.c, report_pdf.c). */
void hv_report_csv(const struct hv_report *r, struct hv_buf *out);
int hv_report_xlsx(const struct hv_report *r, struct hv_buf *out, struct hv_error *e);
int hv_report_pdf(const struct hv_report *r, struct hv_buf *out, struct hv_error *e);

/* Reports kept as issued (report_snapshot.c): a report of a period that
 * has ended (hv_period_ended: its last day is over in Vietnam) is stored
 * the first time it is made, and served from there afterwards.
 * _get: HV_OK (bytes appended to out), HV_ENOTFOUND, HV_EUNAVAIL. */
bool hv_period_ended(const char *period, int64_t now);
int hv_report_snapshot_get(struct hv_conn *c, const char *unit, const char *period, const char *format, const char *lang,
                           struct hv_buf *out, int64_t *issued_at);
int hv_report_snapshot_put(struct hv_store *s, const char *unit, const char *period, const char *format, const char *lang,
                           const struct hv_buf *body, struct hv_error *e);

#endif
