/* routes.h: the route table: method, path pattern, handler, flags and the
 * access rule the dispatcher applies before the handler runs (views/access.c):
 * the one map of what hocvuso answers and the one gate in front of it. */
#ifndef HV_ROUTES_H
#define HV_ROUTES_H

#include "views/ctx.h"

enum {
	HV_R_CACHE = 1,     /* same for every anonymous visitor: rendered once, served from memory */
	HV_R_API = 2,       /* JSON; accepts Authorization: Bearer */
	HV_R_NO_CSRF = 4,   /* a POST that changes nothing for anyone (the public credential verifier) */
	HV_R_OWN_AUTH = 128, /* reads Authorization itself (/metrics): no API token lookup */
	HV_R_UPLOAD = 16,   /* takes multipart/form-data (files); other routes answer 415 */
	HV_R_BLOCKING = 32, /* a GET that may wait (writes an audit row, draws a PDF or spreadsheet):
	                       run by the worker pool, like every POST and DELETE */
};

/* Who may call a route, checked before its handler runs.  Every route
 * names one (0 is refused by the build's route check). */
enum hv_access {
	HV_A_PUBLIC = 1,  /* anyone */
	HV_A_SESSION,     /* a session, second factor still pending allowed (the TOTP step) */
	HV_A_ACCOUNT,     /* any signed-in account, learner or staff, second factor passed */
	HV_A_STAFF,       /* a staff account, second factor passed, holding one of `roles` somewhere
	                     (0: any role); whether the object is in the caller's units is the
	                     handler's check (domain scope functions) */
	HV_A_TOKEN,       /* an API token (never a session) holding every scope in `roles`
	                     (HV_SCOPE_*, domain/people/auth.h) */
};

struct hv_route {
	const char *method;
	const char *pattern;  /* "/don-vi/{}": {} matches one segment */
	hv_handler fn;
	int flags;
	enum hv_access access;
	int roles;            /* HV_A_STAFF: role kinds (domain/people/auth.h), 0 = any;
	                         HV_A_TOKEN: the token scopes needed (HV_SCOPE_*) */
};

extern const struct hv_route hv_routes[];
extern const int hv_nroutes;
const char *hv_route_name(int i); /* pattern of route i; "static", "none" … */

/* True if a POST to the raw request target (query ignored) goes to a route
 * that takes uploads; such routes have fixed paths.  Decides the larger
 * body limit before the body arrives. */
bool hv_route_takes_upload(const char *raw_uri);

/* Index of the route for method and path, params filled; -1 if no path
 * matches, -2 if the path matches with another method (405). */
int hv_route_match(const char *method, const char *path, const char *params[4], char *scratch, size_t scratch_len);

#endif
