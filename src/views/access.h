/* access.h: the gate in front of every handler: the route's access rule
 * (views/routes.h) against who is asking. */
#ifndef HV_ACCESS_H
#define HV_ACCESS_H

#include <stdbool.h>

#include "views/ctx.h"
#include "views/routes.h"

/* True if the caller may reach rt; otherwise the refusal is in c: pages
 * redirect to the right sign-in (or the second-factor step), the API
 * answers 401, and a signed-in caller without the needed account kind or
 * role gets 403. */
bool hv_access_allows(struct hv_ctx *c, const struct hv_route *rt);

#endif
