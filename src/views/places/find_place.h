/* find_place.h: what a person typed to say where (a unit code, or a
 * commune, province or touch point name with or without diacritics), and
 * "near me" coordinates, turned into what the help pages list. */
#ifndef HV_VIEWS_FIND_PLACE_H
#define HV_VIEWS_FIND_PLACE_H

#include <stdbool.h>

#include "domain/places/units.h"
#include "views/pages.h"

/* The unit meant by typed: a code as is, else the best name match (the
 * others go to d."alternatives" as {code, name, parent} for "did you mean"),
 * else the unit of the first touch point whose name matches.  NULL when
 * nothing matches; typed empty or NULL means the whole country. */
const struct hv_unit *hv_find_place(struct hv_ctx *c, struct hv_units *u, const char *typed, struct hv_val *d);

/* The "near me" query (lat and lon, decimal degrees): false when absent.
 * Fails the request (400, a message in the page's language) and sets *bad
 * when malformed or outside Viet Nam. */
bool hv_near_query(struct hv_ctx *c, double *lat, double *lon, bool *bad);

/* Great-circle distance in kilometres. */
double hv_km_between(double lat1, double lon1, double lat2, double lon2);

#endif
