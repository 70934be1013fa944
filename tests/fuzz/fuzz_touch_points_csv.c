/* fuzz_touch_points_csv.c: hv_touch_points_check (src/domain/people_import.c
 * and csv_rows.c), the reader and validator of `hocvuso import touch-points`
 * files, without a database or unit tree (so every data row stops at the
 * unit check at the latest: header, field counts, UTF-8, names, addresses, hours,
 * coordinates and free_wifi are exercised).
 *
 * Properties: the answer is HV_OK or HV_EINVAL; a rejection names the
 * source ("fuzz.csv:"); an accepted file has fewer data rows than lines;
 * a NUL-terminated copy gives the same answer. */
#include "fuzz.h"

#include "core/limits.h"
#include "domain/teams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_MAX_BODY_AUTH)
		return 0;
	char *csv = fuzz_dup_exact(data, size);
	struct hv_error e = {0};
	int rows = -1;
	int rc = hv_touch_points_check(csv, size, "fuzz.csv", &rows, &e);
	FUZZ_ASSERT(rc == HV_OK || rc == HV_EINVAL);
	if (rc == HV_OK) {
		size_t lines = 1;
		for (size_t i = 0; i < size; i++)
			lines += data[i] == '\n' || data[i] == '\r';
		FUZZ_ASSERT(rows >= 0 && (size_t)rows < lines);
	} else {
		FUZZ_ASSERT(strncmp(e.msg, "fuzz.csv", 8) == 0);
		FUZZ_ASSERT(rows == -1);
	}
	char *z = malloc(size + 1);
	if (!z)
		abort();
	memcpy(z, data, size);
	z[size] = '\0';
	struct hv_error e2 = {0};
	FUZZ_ASSERT(hv_touch_points_check(z, size, "fuzz.csv", NULL, &e2) == rc);
	FUZZ_ASSERT(strcmp(e2.msg, e.msg) == 0);
	free(z);
	free(csv);
	return 0;
}
