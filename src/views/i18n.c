/* i18n.c: the Vietnamese/English text catalogue (src/views/i18n.txt).
 *
 * Lines are "key = vi text | en text".  Vietnamese is the default; every
 * key must have both languages or start-up fails. */
#include "views/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assets.h"
#include "core/utf8.h"
#include "domain/measure/measure.h"

struct entry {
	char *key, *vi, *en;
};

static struct entry *entries;
static size_t nentries;

static int cmp(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->key, ((const struct entry *)b)->key);
}

static char *trim_dup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	char *d = malloc(n + 1);
	if (!d)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

static size_t cap;

/* Adds the entries of one catalogue file. */
static bool load_file(const struct hv_asset *a, char *err, size_t errlen)
{
	const char *p = (const char *)a->data, *end = p + a->len;
	int line = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		line++;
		const char *eq = memchr(p, '=', n);
		const char *bar = eq ? memchr(eq, '|', n - (size_t)(eq - p)) : NULL;
		if (n && p[0] != '#' && !(n == 1 && p[0] == '\r')) {
			if (!eq || !bar) {
				snprintf(err, errlen, "%s:%d: expected 'key = vi | en'", a->name, line);
				return false;
			}
			if (nentries == cap) {
				cap *= 2;
				entries = realloc(entries, cap * sizeof *entries);
				if (!entries)
					abort();
			}
			struct entry *e = &entries[nentries++];
			e->key = trim_dup(p, (size_t)(eq - p));
			e->vi = trim_dup(eq + 1, (size_t)(bar - eq - 1));
			e->en = trim_dup(bar + 1, n - (size_t)(bar + 1 - p));
			if (!*e->vi || !*e->en || !hv_utf8_valid(e->vi, strlen(e->vi))) {
				snprintf(err, errlen, "%s:%d: key %s needs both languages", a->name, line, e->key);
				return false;
			}
		}
		p += n + 1;
	}
	return true;
}

/* Loads every src/views/i18n*.txt compiled into the binary. */
bool hv_i18n_init(char *err, size_t errlen)
{
	cap = 512;
	entries = calloc(cap, sizeof *entries);
	int files = 0;
	for (unsigned i = 0; i < hv_assets_count; i++) {
		const char *name = hv_assets[i].name;
		size_t n = strlen(name);
		if (strncmp(name, "src/views/i18n", 14) || n < 4 || strcmp(name + n - 4, ".txt"))
			continue;
		if (!load_file(&hv_assets[i], err, errlen))
			return false;
		files++;
	}
	if (!files) {
		snprintf(err, errlen, "no i18n catalogue compiled in");
		return false;
	}
	/* "ind.<code>": each indicator's one name, from the measure module's table. */
	for (int t = 0; t < 2; t++) {
		const struct hv_indicator *ind = t ? hv_ratios : hv_indicators;
		for (int i = 0; ind[i].code; i++) {
			if (nentries == cap) {
				cap *= 2;
				entries = realloc(entries, cap * sizeof *entries);
				if (!entries)
					abort();
			}
			struct entry *e = &entries[nentries++];
			size_t n = strlen(ind[i].code) + 5;
			e->key = malloc(n);
			if (!e->key)
				abort();
			snprintf(e->key, n, "ind.%s", ind[i].code);
			e->vi = trim_dup(ind[i].name_vi, strlen(ind[i].name_vi));
			e->en = trim_dup(ind[i].name_en, strlen(ind[i].name_en));
		}
	}
	qsort(entries, nentries, sizeof *entries, cmp);
	for (size_t i = 1; i < nentries; i++) {
		if (strcmp(entries[i].key, entries[i - 1].key) == 0) {
			snprintf(err, errlen, "i18n.txt: key %s appears twice", entries[i].key);
			return false;
		}
	}
	return true;
}

void hv_i18n_shutdown(void)
{
	for (size_t i = 0; i < nentries; i++) {
		free(entries[i].key);
		free(entries[i].vi);
		free(entries[i].en);
	}
	free(entries);
	entries = NULL;
	nentries = 0;
	cap = 0;
}

static const struct entry *find(const char *key)
{
	struct entry k = {.key = (char *)key};
	return bsearch(&k, entries, nentries, sizeof *entries, cmp);
}

bool hv_t_exists(const char *key)
{
	return find(key) != NULL;
}

const char *hv_t(const char *lang, const char *key)
{
	const struct entry *e = find(key);
	if (!e)
		return key;
	return lang && strcmp(lang, "en") == 0 ? e->en : e->vi;
}
