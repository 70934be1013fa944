/* fuzz_units_csv.c: hv_units_check (src/domain/units_import.c), the
 * parser and validator of administrative-units CSV files, without a database.
 *
 * Input: the file.  `hocvuso import units` reads up to 64 MiB (cmd_import.c);
 * the harness caps at HV_MAX_BODY_AUTH (1 MiB) to keep executions fast, which
 * still covers every limit of the parser except HV_CSV_MAX_ROWS.  Properties:
 * the answer is HV_OK or HV_EINVAL; a rejection carries a message naming the
 * source; an accepted file reports 1..(lines - 1) units (one row is the
 * header); and the check does not depend on where the input buffer ends
 * (a copy with a NUL after it gives the same answer). */
#include "fuzz.h"

#include "core/limits.h"
#include "domain/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_MAX_BODY_AUTH)
		return 0;
	char *csv = fuzz_dup_exact(data, size);
	struct hv_error e = {0};
	int rows = -1;
	int rc = hv_units_check(csv, size, "fuzz.csv", &rows, &e);
	FUZZ_ASSERT(rc == HV_OK || rc == HV_EINVAL);
	if (rc == HV_OK) {
		size_t lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n' || data[i] == '\r';
		FUZZ_ASSERT(rows >= 1 && (size_t)rows < lines);
	} else {
		FUZZ_ASSERT(e.code == HV_EINVAL);
		FUZZ_ASSERT(strncmp(e.msg, "fuzz.csv", 8) == 0);
		FUZZ_ASSERT(rows == -1);
	}
	/* The CLI hands over a NUL-terminated copy; same answer. */
	char *z = malloc(size + 1);
	if (!z)
		abort();
	memcpy(z, data, size);
	z[size] = '\0';
	struct hv_error e2 = {0};
	int rows2 = -1;
	FUZZ_ASSERT(hv_units_check(z, size, "fuzz.csv", &rows2, &e2) == rc);
	FUZZ_ASSERT(rows2 == rows);
	FUZZ_ASSERT(strcmp(e2.msg, e.msg) == 0);
	free(z);
	free(csv);
	return 0;
}
