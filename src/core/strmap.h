/* strmap.h: a string-keyed map of 64-bit counters (open addressing), for
 * summing many small updates in memory before they are compared or
 * written.  Keys are copied into the map's arena. */
#ifndef HV_STRMAP_H
#define HV_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hv_arena;

struct hv_strmap_slot {
	char *key;         /* NULL: empty slot */
	int64_t value;
};

struct hv_strmap {
	struct hv_strmap_slot *s;
	size_t cap, n;
	struct hv_arena *a;  /* owns the keys; set by the caller */
};

/* FNV-1a of a NUL-terminated string (also the slot hash of the page and
 * dashboard caches). */
size_t hv_str_hash(const char *s);
/* The slot of key, or NULL if absent and !create (new slots start at 0). */
struct hv_strmap_slot *hv_strmap_find(struct hv_strmap *m, const char *key, bool create);
/* Frees the slot table (not the arena); the map is empty and reusable. */
void hv_strmap_clear(struct hv_strmap *m);

#endif
