/* strmap.c: string-keyed counters with open addressing (see strmap.h). */
#include "core/strmap.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

size_t hv_str_hash(const char *k)
{
	size_t h = 1469598103934665603u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 1099511628211u;
	return h;
}

static void grow(struct hv_strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 1024;
	struct hv_strmap_slot *ns = hv_xcalloc(ncap, sizeof *ns);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->s[i].key)
			continue;
		size_t j = hv_str_hash(m->s[i].key) & (ncap - 1);
		while (ns[j].key)
			j = (j + 1) & (ncap - 1);
		ns[j] = m->s[i];
	}
	free(m->s);
	m->s = ns;
	m->cap = ncap;
}

struct hv_strmap_slot *hv_strmap_find(struct hv_strmap *m, const char *key, bool create)
{
	if (create && m->n * 2 >= m->cap)
		grow(m);
	if (!m->cap)
		return NULL;
	size_t j = hv_str_hash(key) & (m->cap - 1);
	while (m->s[j].key) {
		if (!strcmp(m->s[j].key, key))
			return &m->s[j];
		j = (j + 1) & (m->cap - 1);
	}
	if (!create)
		return NULL;
	m->s[j].key = hv_arena_strdup(m->a, key);
	m->s[j].value = 0;
	m->n++;
	return &m->s[j];
}

void hv_strmap_clear(struct hv_strmap *m)
{
	free(m->s);
	m->s = NULL;
	m->cap = m->n = 0;
}
