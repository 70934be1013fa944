/* num.c: strict decimal parsing (see num.h). */
#include "core/num.h"
#include "core/err.h"

#include <stdbool.h>

int hv_parse_i64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	if (!s || !*s)
		return HV_EINVAL;
	bool neg = false;
	if (*s == '-') {
		neg = true;
		s++;
		if (!*s)
			return HV_EINVAL;
	}
	uint64_t v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return HV_EINVAL;
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return HV_EINVAL;
		v = v * 10 + d;
	}
	int64_t r;
	if (neg) {
		if (v > (uint64_t)INT64_MAX + 1)
			return HV_EINVAL;
		r = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
	} else {
		if (v > (uint64_t)INT64_MAX)
			return HV_EINVAL;
		r = (int64_t)v;
	}
	if (r < min || r > max)
		return HV_EINVAL;
	*out = r;
	return HV_OK;
}
