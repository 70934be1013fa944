/* fragment_cache.h: rendered parts of a staff page (the dashboard's
 * figures, its table …) kept per key — unit, period, filter, order,
 * language — and served while the unit's figure versions (the database's
 * change counters, hv_figures_version) and the process's generation are
 * those they were made under.  Versions live in the database and move in
 * the transaction of each change, so a change by any process is seen at
 * the next request; nothing is served by age. */
#ifndef HV_FRAGMENT_CACHE_H
#define HV_FRAGMENT_CACHE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "views/ctx.h"

#define HV_FRAGMENT_PARTS 4
#define HV_FRAGMENT_MAX (256 * 1024) /* larger entries are not kept */

/* On a hit, the parts (text and deflate data) go to out; they stay valid
 * until a is freed. */
bool hv_fragments_get(const char *key, const int64_t version[2], struct hv_arena *a, struct hv_part out[HV_FRAGMENT_PARTS]);
/* Keeps parts (compressing them once) and gives them back in out, valid
 * until a is freed.  version: read before the parts' figures were;
 * generation: hv_generation() read then too (so a change meanwhile makes
 * the entry old at once). */
void hv_fragments_put(const char *key, const int64_t version[2], uint64_t generation,
                      const struct hv_buf parts[HV_FRAGMENT_PARTS], struct hv_arena *a, struct hv_part out[HV_FRAGMENT_PARTS]);
/* The parts as text only (no deflate data), copied into a: for an answer
 * whose parts are not kept. */
void hv_fragments_text(const struct hv_buf parts[HV_FRAGMENT_PARTS], struct hv_arena *a, struct hv_part out[HV_FRAGMENT_PARTS]);
void hv_fragments_counts(uint64_t *hits, uint64_t *misses);
void hv_fragments_shutdown(void);

#endif
