/* cmd_routes.c: `hocvuso routes`: the route table as JSON lines (method,
 * pattern, access rule, roles, flags), so that tests and reviewers read
 * the map and the gate from the binary itself. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "views/routes.h"

static const char usage[] =
	"usage: hocvuso routes\n"
	"\n"
	"Prints one JSON object per route: method, pattern, access (public, session,\n"
	"account, staff, token), roles (a role-kind mask for staff routes, 0 = any;\n"
	"the scope mask for token routes), api,\n"
	"blocking.  Exits 1 if a route declares no access rule.\n";

static const char *access_name(enum hv_access a)
{
	switch (a) {
	case HV_A_PUBLIC: return "public";
	case HV_A_SESSION: return "session";
	case HV_A_ACCOUNT: return "account";
	case HV_A_STAFF: return "staff";
	case HV_A_TOKEN: return "token";
	}
	return NULL;
}

int hv_cmd_routes(int argc, char **argv)
{
	int npos, code;
	const char *pos[1];
	struct hv_opt opts[] = {{0}};
	if (hv_cli_parse("routes", usage, argc, argv, 2, opts, pos, 0, 0, &npos, &code) < 0)
		return code;
	int undeclared = 0;
	for (int i = 0; i < hv_nroutes; i++) {
		const struct hv_route *r = &hv_routes[i];
		const char *a = access_name(r->access);
		if (!a) {
			fprintf(stderr, "hocvuso routes: %s %s declares no access rule\n", r->method, r->pattern);
			undeclared++;
			a = "none";
		}
		printf("{\"method\":\"%s\",\"pattern\":\"%s\",\"access\":\"%s\",\"roles\":%d,\"api\":%s,\"blocking\":%s}\n", r->method,
		       r->pattern, a, r->roles, (r->flags & HV_R_API) ? "true" : "false", (r->flags & HV_R_BLOCKING) ? "true" : "false");
	}
	return undeclared ? HV_EXIT_FAIL : HV_EXIT_OK;
}
