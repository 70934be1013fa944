/* fuzz_units_csv.c: hv_units_check (src/domain/places/units_import.c), the
 * parser and validator of administrative-units CSV files, without a database.
 *
 * Input: the file.  `hocvuso import units` reads up to 64 MiB (cmd_import.c);
 * the harness caps at HV_MAX_BODY_AUTH (1 MiB) to keep executions fast, which
 * still covers every limit of the parser except HV_CSV_MAX_ROWS.  Properties
 * (fuzz_csv.h): the answer is HV_OK or HV_EINVAL; a rejection carries a
 * message naming the source; an accepted file reports 1..(lines - 1) units
 * (one row is the header); and the check does not depend on where the input
 * buffer ends (a copy with a NUL after it gives the same answer). */
#include "fuzz_csv.h"

#include "domain/places/units.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_csv(data, size, hv_units_check, 1);
}
