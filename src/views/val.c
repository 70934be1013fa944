/* val.c: building template values in an arena (see val.h). */
#include "views/val.h"

#include <string.h>

static struct hv_val *make(struct hv_arena *a, enum hv_vt t)
{
	struct hv_val *v = hv_arena_alloc(a, sizeof *v);
	v->t = t;
	v->arena = a;
	return v;
}

struct hv_val *hv_obj(struct hv_arena *a) { return make(a, HV_V_OBJ); }
struct hv_val *hv_list(struct hv_arena *a) { return make(a, HV_V_LIST); }

struct hv_val *hv_str(struct hv_arena *a, const char *s)
{
	struct hv_val *v = make(a, HV_V_STR);
	v->s = s ? s : "";
	return v;
}

struct hv_val *hv_strdup_val(struct hv_arena *a, const char *s)
{
	return hv_str(a, hv_arena_strdup(a, s ? s : ""));
}

struct hv_val *hv_int(struct hv_arena *a, int64_t i)
{
	struct hv_val *v = make(a, HV_V_INT);
	v->i = i;
	return v;
}

struct hv_val *hv_bool(struct hv_arena *a, bool b)
{
	struct hv_val *v = make(a, HV_V_BOOL);
	v->b = b;
	return v;
}

uint32_t hv_key_hash(const char *key, size_t n)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * 16777619u;
	return h;
}

static struct hv_field *find(const struct hv_val *obj, const char *key, size_t n, uint32_t hash)
{
	for (struct hv_field *f = obj->fields; f; f = f->next)
		if (f->hash == hash && strncmp(f->key, key, n) == 0 && f->key[n] == '\0')
			return f;
	return NULL;
}

struct hv_val *hv_set(struct hv_val *obj, const char *key, struct hv_val *v)
{
	size_t n = strlen(key);
	uint32_t hash = hv_key_hash(key, n);
	struct hv_field *f = find(obj, key, n, hash);
	if (f) {
		f->v = v;
		return v;
	}
	f = hv_arena_alloc(obj->arena, sizeof *f);
	f->key = key;
	f->hash = hash;
	f->next = NULL;
	f->v = v;
	if (obj->last)
		obj->last->next = f;
	else
		obj->fields = f;
	obj->last = f;
	return v;
}

void hv_set_str(struct hv_val *obj, const char *key, const char *s)
{
	hv_set(obj, key, hv_strdup_val(obj->arena, s));
}

void hv_set_int(struct hv_val *obj, const char *key, int64_t i)
{
	hv_set(obj, key, hv_int(obj->arena, i));
}

void hv_set_bool(struct hv_val *obj, const char *key, bool b)
{
	hv_set(obj, key, hv_bool(obj->arena, b));
}

struct hv_val *hv_push(struct hv_val *list, struct hv_val *v)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		struct hv_val **items = hv_arena_alloc(list->arena, cap * sizeof *items);
		if (list->n)
			memcpy(items, list->items, list->n * sizeof *items);
		list->items = items;
		list->cap = cap;
	}
	list->items[list->n++] = v;
	return v;
}

struct hv_val *hv_get_hashed(const struct hv_val *obj, const char *key, size_t n, uint32_t hash)
{
	if (!obj || obj->t != HV_V_OBJ)
		return NULL;
	struct hv_field *f = find(obj, key, n, hash);
	return f ? f->v : NULL;
}

struct hv_val *hv_get(const struct hv_val *obj, const char *key)
{
	size_t n = strlen(key);
	return hv_get_hashed(obj, key, n, hv_key_hash(key, n));
}

bool hv_truthy(const struct hv_val *v)
{
	if (!v)
		return false;
	switch (v->t) {
	case HV_V_NULL: return false;
	case HV_V_STR: return v->s[0] != '\0';
	case HV_V_INT: return v->i != 0;
	case HV_V_BOOL: return v->b;
	case HV_V_LIST: return v->n > 0;
	case HV_V_OBJ: return true;
	}
	return false;
}
