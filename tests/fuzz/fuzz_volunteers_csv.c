/* fuzz_volunteers_csv.c: hv_volunteers_check (src/domain/people/people_import.c
 * and csv_rows.c), the reader and validator of `hocvuso import volunteers`
 * files, without a database or unit tree (so every data row stops at the
 * unit check at the latest: header, field counts, UTF-8, logins, names and
 * phones are exercised).  Properties: those of fuzz_csv.h. */
#include "fuzz_csv.h"

#include "domain/help/teams.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_csv(data, size, hv_volunteers_check, 0);
}
