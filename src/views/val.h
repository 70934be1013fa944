/* val.h: the small dynamic values handed to templates (and to JSON).
 *
 * Handlers build a tree of objects, lists, strings, integers and booleans
 * in the request arena; templates read it.  Strings are not copied: they
 * must live at least as long as the arena (use hv_arena_strdup for
 * anything from a database row). */
#ifndef HV_VAL_H
#define HV_VAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

enum hv_vt { HV_V_NULL, HV_V_STR, HV_V_INT, HV_V_BOOL, HV_V_LIST, HV_V_OBJ };

struct hv_field;

struct hv_val {
	enum hv_vt t;
	struct hv_arena *arena;
	const char *s;
	int64_t i;
	bool b;
	struct hv_val **items;
	size_t n, cap;
	struct hv_field *fields, *last;
};

struct hv_field {
	const char *key;
	uint32_t hash;     /* hv_key_hash of key: lookups compare it first */
	struct hv_val *v;
	struct hv_field *next;
};

struct hv_val *hv_obj(struct hv_arena *a);
struct hv_val *hv_list(struct hv_arena *a);
struct hv_val *hv_str(struct hv_arena *a, const char *s);   /* s not copied */
struct hv_val *hv_strdup_val(struct hv_arena *a, const char *s); /* s copied */
struct hv_val *hv_int(struct hv_arena *a, int64_t i);
struct hv_val *hv_bool(struct hv_arena *a, bool b);
/* Adds or replaces key in obj; returns v. */
struct hv_val *hv_set(struct hv_val *obj, const char *key, struct hv_val *v);
void hv_set_str(struct hv_val *obj, const char *key, const char *s);  /* copies s */
void hv_set_int(struct hv_val *obj, const char *key, int64_t i);
void hv_set_bool(struct hv_val *obj, const char *key, bool b);
struct hv_val *hv_push(struct hv_val *list, struct hv_val *v);
struct hv_val *hv_get(const struct hv_val *obj, const char *key);
/* The hash hv_get compares before the key (FNV-1a of its first n bytes), and
 * a lookup by a key that is not NUL-terminated with its hash precomputed. */
uint32_t hv_key_hash(const char *key, size_t n);
struct hv_val *hv_get_hashed(const struct hv_val *obj, const char *key, size_t n, uint32_t hash);
bool hv_truthy(const struct hv_val *v);

#endif
