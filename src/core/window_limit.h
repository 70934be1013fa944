/* window_limit.h: how many times a key (a client's address) did something
 * in the current fixed window, counted in memory: for limits that must
 * cost nothing per request (the public credential verifier), where the
 * durable, shared counter of hv_rate_limit would be a write per call.
 * A fixed table: keys that collide share a slot, the newer window wins
 * (a collision can only forgive, never refuse, a caller). */
#ifndef HV_WINDOW_LIMIT_H
#define HV_WINDOW_LIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct hv_window_limit;

struct hv_window_limit *hv_window_limit_new(unsigned slots);
void hv_window_limit_free(struct hv_window_limit *l);
/* Counts one call of key at now; true if it is within max per
 * window_seconds (max 0: no limit). */
bool hv_window_limit_take(struct hv_window_limit *l, const char *key, int max, int window_seconds, int64_t now);

#endif
