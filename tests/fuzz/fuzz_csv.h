/* fuzz_csv.h: the properties every CSV-import harness checks, for a
 * checker with the shape of hv_units_check (data, len, source, &rows, e).
 *
 * The answer is HV_OK or HV_EINVAL; a rejection names the source
 * ("fuzz.csv") and leaves rows alone; an accepted file reports min_rows to
 * (lines - 1) rows (one line is the header); a NUL-terminated copy (what
 * the CLI hands over) gives the same answer and message. */
#ifndef HV_FUZZ_CSV_H
#define HV_FUZZ_CSV_H

#include "fuzz.h"

#include "core/err.h"
#include "core/limits.h"

typedef int (*fuzz_csv_checker)(const char *data, size_t len, const char *source, int *rows, struct hv_error *e);

static inline int fuzz_csv(const uint8_t *data, size_t size, fuzz_csv_checker check, int min_rows)
{
	if (size > HV_MAX_BODY_AUTH)
		return 0;
	char *csv = fuzz_dup_exact(data, size);
	struct hv_error e = {0};
	int rows = -1;
	int rc = check(csv, size, "fuzz.csv", &rows, &e);
	FUZZ_ASSERT(rc == HV_OK || rc == HV_EINVAL);
	if (rc == HV_OK) {
		size_t lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n' || data[i] == '\r';
		FUZZ_ASSERT(rows >= min_rows && (size_t)rows < lines);
	} else {
		FUZZ_ASSERT(e.code == HV_EINVAL);
		FUZZ_ASSERT(strncmp(e.msg, "fuzz.csv", 8) == 0);
		FUZZ_ASSERT(rows == -1);
	}
	char *z = malloc(size + 1);
	if (!z)
		abort();
	memcpy(z, data, size);
	z[size] = '\0';
	struct hv_error e2 = {0};
	int rows2 = -1;
	FUZZ_ASSERT(check(z, size, "fuzz.csv", &rows2, &e2) == rc);
	FUZZ_ASSERT(rows2 == rows);
	FUZZ_ASSERT(strcmp(e2.msg, e.msg) == 0);
	free(z);
	free(csv);
	return 0;
}

#endif
