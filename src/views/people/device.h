/* device.h: the signed cookie that marks a device its account's owner
 * signed in from before (see device.c). */
#ifndef HV_DEVICE_H
#define HV_DEVICE_H

#include <stdint.h>

#include "views/ctx.h"

/* The account a valid, unexpired hv_d cookie names, or 0. */
int64_t hv_device_account(struct hv_ctx *c);
/* Sets hv_d for account (after a complete sign-in). */
void hv_device_remember(struct hv_ctx *c, int64_t account);

#endif
