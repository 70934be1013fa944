/* generation.h: a process-wide counter bumped whenever something shown on
 * cached public pages changes (units, content).  The HTTP page cache drops
 * entries made under an older generation. */
#ifndef HV_GENERATION_H
#define HV_GENERATION_H

#include <stdint.h>

void hv_generation_bump(void);
uint64_t hv_generation(void);

#endif
