/* demo_scale.h: benchmark-scale synthetic records (see demo_scale.c). */
#ifndef HV_CLI_DEMO_SCALE_H
#define HV_CLI_DEMO_SCALE_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* Adds learners and assists spread over every commune and over this year;
 * *made gets the number of records written. */
int hv_demo_scale(struct hv_store *s, long learners, long assists, uint64_t seed, long *made, struct hv_error *e);

#endif
