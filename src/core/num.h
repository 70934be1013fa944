/* num.h: the one strict number parser (STYLE.md 10): whole string, range
 * checked, no sign surprises, no trailing bytes. */
#ifndef HV_NUM_H
#define HV_NUM_H

#include <stdint.h>

/* Parses decimal s into *out; HV_EINVAL unless min <= value <= max and s
 * is only an optional '-' and digits. */
int hv_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out);

#endif
