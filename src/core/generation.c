/* generation.c: see generation.h. */
#include "core/generation.h"

#include <stdatomic.h>

static atomic_uint_fast64_t gen = 1;

void hv_generation_bump(void)
{
	atomic_fetch_add(&gen, 1);
}

uint64_t hv_generation(void)
{
	return atomic_load(&gen);
}
