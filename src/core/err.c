/* err.c: recording errors for the user (see err.h). */
#include "core/err.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int hv_err_set(struct hv_error *e, int code, const char *field, const char *fmt, ...)
{
	if (!e)
		return code;
	e->code = code;
	snprintf(e->field, sizeof e->field, "%s", field ? field : "");
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return code;
}

const char *hv_err_name(int code)
{
	switch (code) {
	case HV_OK: return "ok";
	case HV_EINVAL: return "invalid";
	case HV_ENOTFOUND: return "not_found";
	case HV_EFORBIDDEN: return "forbidden";
	case HV_ECONFLICT: return "conflict";
	case HV_ETOOBIG: return "too_large";
	case HV_EUNAUTH: return "unauthenticated";
	case HV_ELIMIT: return "rate_limited";
	case HV_EUNAVAIL: return "unavailable";
	default: return "internal";
	}
}
