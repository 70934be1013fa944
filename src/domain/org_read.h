/* org_read.h: reading organisations for the figures (dashboard filters). */
#ifndef HV_ORG_READ_H
#define HV_ORG_READ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "domain/units.h"
#include "store/store.h"

typedef void (*hv_org_cb)(int64_t id, const char *name, const char *kind, const char *unit, void *arg);
/* Organisations at x or a unit above it, by name (at most 200). */
int hv_orgs_near(struct hv_conn *c, const struct hv_unit *x, hv_org_cb cb, void *arg);
/* True and its name if organisation id exists. */
bool hv_org_name(struct hv_conn *c, int64_t id, char *name, size_t cap);

#endif
