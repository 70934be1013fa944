/* demo_scale.h: benchmark-scale synthetic records (see demo_scale.c). */
#ifndef HV_DEMO_SCALE_H
#define HV_DEMO_SCALE_H

#include <stdint.h>

#include "core/err.h"
#include "store/store.h"

/* Adds learners and assists spread over every commune and over this year;
 * *made gets the number of records written. */
/* progress(done, total), if not NULL, after each batch. */
int hv_demo_scale(struct hv_store *s, long learners, long assists, uint64_t seed, void (*progress)(long, long), long *made,
                  struct hv_error *e);

#endif
