/* pickers.h: choosing a unit or an organisation on staff forms by its name
 * (a searchable list; without JavaScript a list or a name typed with or
 * without diacritics), never by an internal number. */
#ifndef HV_VIEWS_PICKERS_H
#define HV_VIEWS_PICKERS_H

#include <stdint.h>

#include "domain/places/units.h"
#include "views/pages.h"

/* The unit meant by a picker's text: "Name · CODE" (the list's own value),
 * a code, or a name (diacritics optional) that names one unit only.  NULL
 * with e set (in the page's language) when unknown or ambiguous. */
const struct hv_unit *hv_pick_unit(struct hv_ctx *c, struct hv_units *u, const char *typed, struct hv_error *e);

/* d.key: the units where the caller manages accounts, as {value, label}
 * for a <datalist>: each such unit and, below a province, its communes. */
void hv_unit_choices(struct hv_ctx *c, struct hv_units *u, struct hv_val *d, const char *key);
/* The list value of a unit ("Phường Sài Gòn · 26740"). */
const char *hv_unit_choice(struct hv_ctx *c, const struct hv_unit *x);

/* d.key: the organisations of the caller's units as {value, label,
 * selected} for a <select> (an empty first choice is the template's). */
void hv_org_choices(struct hv_ctx *c, struct hv_units *u, struct hv_val *d, const char *key, int64_t selected);

/* An organisation id from a picker ("" is none: 0); e set when malformed. */
int hv_pick_org(struct hv_ctx *c, const char *v, int64_t *org, struct hv_error *e);

#endif
