/* err.h: the one status convention of hocvuso.
 *
 * 0 means success; failures are negative `enum hv_err` values.  Validators
 * record a user-facing message in a `struct hv_error` and return the code; the
 * HTTP layer maps codes to statuses in one place (views/respond.c: hv_status_for) and the CLI
 * maps them to exit codes.  A message is a short sentence that says what to
 * do next; `field` names the offending input when there is one. */
#ifndef HV_ERR_H
#define HV_ERR_H

#include <stddef.h>

enum hv_err {
	HV_OK = 0,
	HV_EINVAL = -1,    /* bad input: 400 / exit 2 */
	HV_ENOTFOUND = -2, /* 404 */
	HV_EFORBIDDEN = -3,/* 403 */
	HV_ECONFLICT = -4, /* 409 */
	HV_EINTERNAL = -5, /* 500 */
	HV_ETOOBIG = -6,   /* 413 */
	HV_EUNAUTH = -7,   /* 401: not signed in */
	HV_ELIMIT = -8,    /* 429: rate limited or locked */
	HV_EUNAVAIL = -9,  /* 503: database or CPU busy */
};

struct hv_error {
	int code;
	char field[48];
	char msg[256];
};

/* Records code, field (may be NULL) and a printf-style message; returns code
 * so that validators can `return hv_err_set(...)`. */
int hv_err_set(struct hv_error *e, int code, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
const char *hv_err_name(int code);

#endif
