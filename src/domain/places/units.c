/* units.c: the in-memory administrative tree, scope checks and search
 * (see units.h).  The import lives in units_import.c. */
#include "domain/places/units.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/generation.h"
#include "core/log.h"
#include "core/utf8.h"

#define HV_FOLD_WORD_MAX 128

struct hv_units {
	atomic_int refs;
	struct hv_arena *arena;
	struct hv_unit *units;   /* sorted by code */
	size_t n;
	struct hv_unit **table;  /* open addressing by code */
	size_t cap;
	const struct hv_unit *root;
	size_t nprovinces, ncommunes;
	struct wordref *words;   /* every word of every active name, sorted */
	size_t nwords;
	char version[32];
};

struct wordref {
	const char *w;   /* into a folded name; runs to the next space or NUL */
	uint32_t len;
	uint32_t unit;
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct hv_units *current;
static _Atomic long last_check;

static size_t hash_code(const char *s)
{
	size_t h = 5381;
	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

const struct hv_unit *hv_units_get(const struct hv_units *u, const char *code)
{
	if (!u || !code)
		return NULL;
	for (size_t i = hash_code(code) & (u->cap - 1);; i = (i + 1) & (u->cap - 1)) {
		const struct hv_unit *x = u->table[i];
		if (!x)
			return NULL;
		if (strcmp(x->code, code) == 0)
			return x;
	}
}

const struct hv_unit *hv_units_root(const struct hv_units *u)
{
	return u ? u->root : NULL;
}

size_t hv_units_count(const struct hv_units *u, const char *level)
{
	if (!u)
		return 0;
	if (level && !strcmp(level, "province"))
		return u->nprovinces;
	if (level && !strcmp(level, "commune"))
		return u->ncommunes;
	return u->nprovinces + u->ncommunes;
}

/* The folded name without its type word ("xa ", "phuong ", "tinh " …). */
static const char *bare_name(const char *folded)
{
	static const char *prefixes[] = {"thanh pho ", "tinh ", "phuong ", "xa ", "dac khu "};
	for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncmp(folded, prefixes[i], n) == 0)
			return folded + n;
	}
	return folded;
}

bool hv_unit_within(const struct hv_unit *unit, const struct hv_unit *ancestor)
{
	for (const struct hv_unit *p = unit; p; p = p->parent)
		if (p == ancestor)
			return true;
	return false;
}

bool hv_scope_allows(const struct hv_unit_scope *scope, const struct hv_unit *unit)
{
	return !scope || scope->allows(unit, scope->arg);
}

static void free_units(struct hv_units *u)
{
	hv_arena_free(u->arena);
	free(u);
}

struct hv_units *hv_units_acquire(void)
{
	pthread_mutex_lock(&lock);
	struct hv_units *u = current;
	if (u)
		atomic_fetch_add(&u->refs, 1);
	pthread_mutex_unlock(&lock);
	return u;
}

void hv_units_release(struct hv_units *u)
{
	if (u && atomic_fetch_sub(&u->refs, 1) == 1)
		free_units(u);
}

void hv_units_shutdown(void)
{
	pthread_mutex_lock(&lock);
	struct hv_units *u = current;
	current = NULL;
	pthread_mutex_unlock(&lock);
	hv_units_release(u);
}

static int cmp_child(const void *a, const void *b)
{
	const struct hv_unit *x = *(const struct hv_unit *const *)a, *y = *(const struct hv_unit *const *)b;
	return strcmp(x->code, y->code);
}

static int cmp_wordref(const void *a, const void *b)
{
	const struct wordref *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = memcmp(x->w, y->w, n);
	if (c)
		return c;
	return (x->len > y->len) - (x->len < y->len);
}

/* The word index turns a search into a binary search for the query's
 * longest word as a prefix, instead of a scan of every name. */
static void build_word_index(struct hv_units *u)
{
	size_t cap = 0;
	for (size_t i = 0; i < u->n; i++)
		for (const char *p = u->units[i].folded; *p; p++)
			cap += *p == ' ';
	cap += u->n;
	u->words = hv_arena_alloc(u->arena, (cap + 1) * sizeof *u->words);
	for (size_t i = 0; i < u->n; i++) {
		const struct hv_unit *x = &u->units[i];
		if (x->retired || x->depth == 0)
			continue;
		for (const char *w = x->folded; *w;) {
			size_t n = strcspn(w, " ");
			if (n && u->nwords < cap + 1)
				u->words[u->nwords++] = (struct wordref){w, (uint32_t)n, (uint32_t)i};
			w += n;
			while (*w == ' ')
				w++;
		}
	}
	qsort(u->words, u->nwords, sizeof *u->words, cmp_wordref);
}

#define VERSION_SQL "SELECT value FROM settings WHERE key = 'units_version'"

static void read_version_by(struct hv_conn *c, const char *sql, char out[32])
{
	out[0] = '\0';
	struct hv_stmt *st = hv_sql(c, sql);
	if (st && hv_step(st) == 1)
		snprintf(out, 32, "%s", hv_col_text(st, 0));
	hv_stmt_done(st);
}

static void read_version(struct hv_conn *c, char out[32])
{
	read_version_by(c, VERSION_SQL, out);
}

int hv_units_load(struct hv_conn *c, struct hv_error *e)
{
	struct hv_units *u = hv_xcalloc(1, sizeof *u);
	atomic_init(&u->refs, 1);
	u->arena = hv_arena_new();
	read_version(c, u->version);
	struct hv_stmt *st = hv_sql(c, "SELECT COUNT(*) FROM units");
	if (!st || hv_step(st) != 1) {
		hv_stmt_done(st);
		free_units(u);
		return hv_err_set(e, HV_EUNAVAIL, "db", "cannot read units");
	}
	size_t total = (size_t)hv_col_i64(st, 0);
	hv_stmt_done(st);
	u->units = hv_arena_alloc(u->arena, (total + 1) * sizeof *u->units);
	u->cap = 16;
	while (u->cap < total * 2 + 2)
		u->cap *= 2;
	u->table = hv_arena_alloc(u->arena, u->cap * sizeof *u->table);
	st = hv_sql(c, "SELECT code, name, level, kind, parent_code, province_code, successor_code, "
	               "retired_at IS NOT NULL FROM units ORDER BY code");
	struct hv_buf fold;
	hv_buf_init(&fold);
	int rc;
	while (u->n < total && (rc = hv_step(st)) == 1) {
		struct hv_unit *x = &u->units[u->n++];
		struct hv_arena *a = u->arena;
		x->code = hv_arena_strdup(a, hv_col_text(st, 0));
		x->name = hv_arena_strdup(a, hv_col_text(st, 1));
		x->level = hv_arena_strdup(a, hv_col_text(st, 2));
		x->kind = hv_arena_strdup(a, hv_col_text(st, 3));
		x->parent_code = hv_col_null(st, 4) ? NULL : hv_arena_strdup(a, hv_col_text(st, 4));
		x->province_code = hv_col_null(st, 5) ? NULL : hv_arena_strdup(a, hv_col_text(st, 5));
		x->successor_code = hv_col_null(st, 6) ? NULL : hv_arena_strdup(a, hv_col_text(st, 6));
		x->retired = hv_col_i64(st, 7) != 0;
		hv_buf_reset(&fold);
		hv_fold(&fold, x->name, strlen(x->name));
		x->folded = hv_arena_strndup(a, fold.data ? fold.data : "", fold.len);
		x->bare = bare_name(x->folded);
		x->depth = strcmp(x->level, "nation") == 0 ? 0 : strcmp(x->level, "province") == 0 ? 1 : 2;
		size_t i = hash_code(x->code) & (u->cap - 1);
		while (u->table[i])
			i = (i + 1) & (u->cap - 1);
		u->table[i] = x;
	}
	hv_stmt_done(st);
	hv_buf_free(&fold);
	u->root = hv_units_get(u, HV_ROOT_CODE);
	/* Link parents (provinces hang from the nation) and count children. */
	size_t *counts = hv_xcalloc(u->n + 1, sizeof *counts);
	for (size_t i = 0; i < u->n; i++) {
		struct hv_unit *x = &u->units[i];
		if (x->depth == 1)
			x->parent = u->root;
		else if (x->depth == 2)
			x->parent = hv_units_get(u, x->parent_code);
		if (x->parent && !x->retired)
			counts[x->parent - u->units]++;
	}
	for (size_t i = 0; i < u->n; i++)
		u->units[i].children = hv_arena_alloc(u->arena, (counts[i] + 1) * sizeof(struct hv_unit *));
	for (size_t i = 0; i < u->n; i++) {
		struct hv_unit *x = &u->units[i];
		if (x->parent && !x->retired) {
			struct hv_unit *p = &u->units[x->parent - u->units];
			p->children[p->nchildren++] = x;
		}
	}
	for (size_t i = 0; i < u->n; i++) {
		qsort(u->units[i].children, u->units[i].nchildren, sizeof(struct hv_unit *), cmp_child);
		if (!u->units[i].retired && u->units[i].depth == 1)
			u->nprovinces++;
		else if (!u->units[i].retired && u->units[i].depth == 2)
			u->ncommunes++;
	}
	free(counts);
	build_word_index(u);
	pthread_mutex_lock(&lock);
	struct hv_units *old = current;
	current = u;
	pthread_mutex_unlock(&lock);
	hv_units_release(old);
	hv_generation_bump();
	return HV_OK;
}

/* Reloads the tree if the stored version (read by sql) is not the loaded one. */
static int reload_if_changed(struct hv_conn *c, const char *sql)
{
	char version[32];
	read_version_by(c, sql, version);
	struct hv_units *u = hv_units_acquire();
	bool changed = !u || strcmp(u->version, version) != 0;
	hv_units_release(u);
	if (!changed)
		return HV_OK;
	struct hv_error e = {0};
	if (hv_units_load(c, &e) < 0)
		return HV_EUNAVAIL;
	hv_info("units: reloaded version %s", version);
	return HV_OK;
}

void hv_units_refresh(struct hv_conn *c)
{
	long now = (long)time(NULL);
	long prev = atomic_load(&last_check);
	if (now == prev || !atomic_compare_exchange_strong(&last_check, &prev, now))
		return;
	reload_if_changed(c, VERSION_SQL);
}

int hv_units_sync(struct hv_conn *c)
{
	/* On PostgreSQL the row is held until this transaction ends: an import
	 * (which updates it first) waits for this write, or this write waits
	 * for the import and then reads its version.  SQLite has one writer. */
	return reload_if_changed(c, hv_conn_kind(c) == HV_DB_PG ? VERSION_SQL " FOR SHARE" : VERSION_SQL);
}

/* ---- search ---- */

/* True if every word of q is a prefix of some word of name. */
static bool words_prefix(const char *name, const char *q)
{
	while (*q) {
		size_t qn = strcspn(q, " ");
		bool found = false;
		for (const char *w = name; *w;) {
			size_t wn = strcspn(w, " ");
			if (wn >= qn && strncmp(w, q, qn) == 0) {
				found = true;
				break;
			}
			w += wn;
			while (*w == ' ')
				w++;
		}
		if (!found)
			return false;
		q += qn;
		while (*q == ' ')
			q++;
	}
	return true;
}

static int score(const struct hv_unit *x, const char *q, size_t qlen)
{
	int s;
	if (strcmp(x->folded, q) == 0 || strcmp(x->bare, q) == 0)
		s = 500;
	else if (strncmp(x->folded, q, qlen) == 0 || strncmp(x->bare, q, qlen) == 0)
		s = 300;
	else if (words_prefix(x->folded, q))
		s = 200;
	else if (strstr(x->folded, q))
		s = 100;
	else
		return 0;
	return s + (2 - x->depth) * 10; /* provinces before communes on a tie */
}

struct hit {
	const struct hv_unit *u;
	int score;
};

static int cmp_hit(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	if (x->score != y->score)
		return y->score - x->score;
	return strcmp(x->u->folded, y->u->folded);
}

static int by_name(const void *a, const void *b)
{
	const struct hv_unit *x = *(const struct hv_unit *const *)a, *y = *(const struct hv_unit *const *)b;
	int d = strcmp(x->bare, y->bare);
	if (d == 0)
		d = strcmp(x->folded, y->folded);
	return d ? d : strcmp(x->name, y->name);
}

size_t hv_unit_children_by_name(const struct hv_unit *p, const struct hv_unit **out)
{
	size_t n = 0;
	for (size_t i = 0; p && i < p->nchildren; i++)
		if (!p->children[i]->retired)
			out[n++] = p->children[i];
	qsort(out, n, sizeof *out, by_name);
	return n;
}

size_t hv_units_search(const struct hv_units *u, const char *query, const struct hv_unit **out, size_t max)
{
	if (!u || !query || max == 0)
		return 0;
	struct hv_buf q;
	hv_buf_init(&q);
	if (!hv_fold(&q, query, strlen(query)) || q.len == 0) {
		hv_buf_free(&q);
		return 0;
	}
	/* The longest word of the query, for the quick rejection. */
	char longest[HV_FOLD_WORD_MAX];
	longest[0] = '\0';
	for (const char *w = q.data; *w;) {
		size_t n = strcspn(w, " ");
		if (n > strlen(longest) && n < sizeof longest) {
			memcpy(longest, w, n);
			longest[n] = '\0';
		}
		w += n;
		while (*w == ' ')
			w++;
	}
	struct hit *hits = hv_xcalloc(u->n + 1, sizeof *hits);
	size_t nh = 0;
	/* A unit code is found directly. */
	const struct hv_unit *exact = strspn(query, "0123456789") == strlen(query) ? hv_units_get(u, query) : NULL;
	if (exact && !exact->retired && exact->depth > 0)
		hits[nh++] = (struct hit){exact, 1000};
	/* Candidates: units with a word starting with the longest query word. */
	size_t ll = strlen(longest), lo = 0, hi = u->nwords;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct wordref *w = &u->words[mid];
		int c = memcmp(w->w, longest, w->len < ll ? w->len : ll);
		if (c < 0 || (c == 0 && w->len < ll))
			lo = mid + 1;
		else
			hi = mid;
	}
	unsigned char *seen = hv_xcalloc(u->n / 8 + 1, 1);
	if (exact)
		seen[(size_t)(exact - u->units) / 8] |= (unsigned char)(1u << ((size_t)(exact - u->units) % 8));
	for (size_t k = lo; k < u->nwords && u->words[k].len >= ll && memcmp(u->words[k].w, longest, ll) == 0; k++) {
		uint32_t i = u->words[k].unit;
		if (seen[i / 8] & (1u << (i % 8)))
			continue;
		seen[i / 8] |= (unsigned char)(1u << (i % 8));
		int s = score(&u->units[i], q.data, q.len);
		if (s > 0)
			hits[nh++] = (struct hit){&u->units[i], s};
	}
	/* Nothing starts that way: fall back to matching inside words. */
	if (nh == 0) {
		for (size_t i = 0; i < u->n; i++) {
			const struct hv_unit *x = &u->units[i];
			if (x->retired || x->depth == 0 || !strstr(x->folded, q.data))
				continue;
			hits[nh++] = (struct hit){x, 50 + (2 - x->depth) * 10};
		}
	}
	free(seen);
	qsort(hits, nh, sizeof *hits, cmp_hit);
	size_t n = nh < max ? nh : max;
	for (size_t i = 0; i < n; i++)
		out[i] = hits[i].u;
	free(hits);
	hv_buf_free(&q);
	return n;
}

int hv_units_stored(struct hv_conn *c)
{
	struct hv_stmt *st = hv_sql(c, "SELECT COUNT(*) FROM units WHERE level <> 'nation'");
	int n = hv_step(st) == 1 ? (int)hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	return n;
}
