/* catalog_search.c: ranked search over courses and lessons.
 *
 * An inverted index of folded words (one entry per word and document)
 * sorted by word: each query word becomes a binary search for the words it
 * starts, so "dich vu cong", "DỊCH VỤ CÔNG" and "Dịch vụ công" all meet,
 * and a query costs microseconds even over thousands of lessons.  Every
 * query word must match; titles weigh more than bodies, and the whole
 * phrase more than scattered words.  When nothing matches, each unknown
 * query word is replaced by the closest word of the vocabulary (edit
 * distance 1, or 2 for long words) and the search runs again. */
#include "domain/learn/catalog_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"

#define MAX_QUERY_WORDS 8

static int cmp_term(const void *x, const void *y)
{
	const struct term *a = x, *b = y;
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->w, b->w, n);
	if (c)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return a->doc < b->doc ? -1 : a->doc > b->doc;
}

static void add_words(struct catalog_extra *x, size_t *cap, struct hv_arena *a, const char *text, uint32_t doc, uint8_t in_title)
{
	for (const char *w = text; *w;) {
		size_t n = strcspn(w, " ");
		if (n) {
			if (x->nterms == *cap) {
				size_t ncap = *cap * 2;
				struct term *t = hv_arena_alloc(a, ncap * sizeof *t);
				memcpy(t, x->terms, x->nterms * sizeof *t);
				x->terms = t;
				*cap = ncap;
			}
			x->terms[x->nterms++] = (struct term){w, (uint32_t)n, doc, in_title};
		}
		w += n;
		while (*w == ' ')
			w++;
	}
}

void catalog_build_index(struct hv_pack *p)
{
	struct catalog_extra *x = p->extra;
	struct hv_arena *a = p->arena;
	x->docs = hv_arena_alloc(a, (size_t)(p->ncourses + p->nlessons + 1) * sizeof *x->docs);
	size_t cap = 4096;
	x->terms = hv_arena_alloc(a, cap * sizeof *x->terms);
	for (int i = 0; i < p->ncourses; i++) {
		const struct hv_course *c = &p->courses[i];
		if (!c->published)
			continue;
		uint32_t d = (uint32_t)x->ndocs;
		x->docs[x->ndocs++] = (struct doc){c, NULL, c->folded_title, c->folded_title};
		add_words(x, &cap, a, c->folded_title, d, 1);
	}
	for (int i = 0; i < p->nlessons; i++) {
		const struct hv_lesson *l = &p->lessons[i];
		if (!l->published || !l->course->published)
			continue;
		uint32_t d = (uint32_t)x->ndocs;
		x->docs[x->ndocs++] = (struct doc){l->course, l, l->folded_title, l->folded};
		add_words(x, &cap, a, l->folded_title, d, 1);
		add_words(x, &cap, a, l->folded, d, 0);
	}
	qsort(x->terms, x->nterms, sizeof *x->terms, cmp_term);
	/* Drop duplicates of (word, doc), keeping the title flag. */
	size_t o = 0;
	for (size_t i = 0; i < x->nterms; i++) {
		if (o && x->terms[o - 1].doc == x->terms[i].doc && x->terms[o - 1].len == x->terms[i].len &&
		    !memcmp(x->terms[o - 1].w, x->terms[i].w, x->terms[i].len)) {
			x->terms[o - 1].in_title |= x->terms[i].in_title;
			continue;
		}
		x->terms[o++] = x->terms[i];
	}
	x->nterms = o;
	x->vocab = hv_arena_alloc(a, (o + 1) * sizeof *x->vocab);
	for (size_t i = 0; i < o; i++) {
		if (x->nvocab && strlen(x->vocab[x->nvocab - 1]) == x->terms[i].len &&
		    !memcmp(x->vocab[x->nvocab - 1], x->terms[i].w, x->terms[i].len))
			continue;
		x->vocab[x->nvocab++] = hv_arena_strndup(a, x->terms[i].w, x->terms[i].len);
	}
}

/* First term whose word is >= w (by bytes). */
static size_t lower_bound(const struct catalog_extra *x, const char *w, size_t wl)
{
	size_t lo = 0, hi = x->nterms;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct term *t = &x->terms[mid];
		int c = memcmp(t->w, w, t->len < wl ? t->len : wl);
		if (c < 0 || (c == 0 && t->len < wl))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static bool word_known(const struct catalog_extra *x, const char *w, size_t wl)
{
	size_t i = lower_bound(x, w, wl);
	return i < x->nterms && x->terms[i].len >= wl && !memcmp(x->terms[i].w, w, wl);
}

/* Levenshtein distance, capped: returns cap + 1 when larger. */
static int distance(const char *a, size_t an, const char *b, size_t bn, int cap)
{
	if (an > 40 || bn > 40 || (an > bn ? an - bn : bn - an) > (size_t)cap)
		return cap + 1;
	int prev[41], cur[41];
	for (size_t j = 0; j <= bn; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= an; i++) {
		cur[0] = (int)i;
		int best = cur[0];
		for (size_t j = 1; j <= bn; j++) {
			int sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
			int del = prev[j] + 1, ins = cur[j - 1] + 1;
			cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			if (cur[j] < best)
				best = cur[j];
		}
		if (best > cap)
			return cap + 1;
		memcpy(prev, cur, (bn + 1) * sizeof *prev);
	}
	return prev[bn];
}

struct query {
	const char *w[MAX_QUERY_WORDS];
	size_t len[MAX_QUERY_WORDS];
	int n;
	char phrase[256];
};

static int cmp_hit(const void *x, const void *y)
{
	const struct hv_search_hit *a = x, *b = y;
	if (a->score != b->score)
		return b->score - a->score;
	if (a->course->position != b->course->position)
		return a->course->position - b->course->position;
	int ap = a->lesson ? a->lesson->position : 0, bp = b->lesson ? b->lesson->position : 0;
	return ap - bp;
}

static size_t run(const struct catalog_extra *x, const struct query *q, struct hv_search_hit *out, size_t max)
{
	if (q->n == 0 || x->ndocs == 0)
		return 0;
	uint32_t *mask = hv_xcalloc((size_t)x->ndocs, sizeof *mask);
	int *score = hv_xcalloc((size_t)x->ndocs, sizeof *score);
	for (int k = 0; k < q->n; k++) {
		for (size_t i = lower_bound(x, q->w[k], q->len[k]);
		     i < x->nterms && x->terms[i].len >= q->len[k] && !memcmp(x->terms[i].w, q->w[k], q->len[k]); i++) {
			const struct term *t = &x->terms[i];
			if (!(mask[t->doc] & (1u << k))) {
				mask[t->doc] |= 1u << k;
				score[t->doc] += t->in_title ? 20 : 5;
			} else if (t->in_title) {
				score[t->doc] += 5;
			}
			if (t->len == q->len[k])
				score[t->doc] += 2; /* whole word, not just a prefix */
		}
	}
	uint32_t all = (q->n >= 32) ? 0xffffffffu : (1u << q->n) - 1;
	struct hv_search_hit *hits = hv_xcalloc((size_t)x->ndocs, sizeof *hits);
	int *doc_of = hv_xcalloc((size_t)x->ndocs, sizeof *doc_of);
	size_t nh = 0;
	for (int d = 0; d < x->ndocs; d++) {
		if (mask[d] != all)
			continue;
		int s = score[d];
		if (q->n > 1 && strstr(x->docs[d].title, q->phrase)) {
			s += 100;
			mask[d] = 0; /* reused: the title already has the phrase */
		}
		if (!x->docs[d].lesson)
			s += 10; /* a whole course first on a tie */
		doc_of[nh] = d;
		hits[nh++] = (struct hv_search_hit){x->docs[d].course, x->docs[d].lesson, s};
	}
	/* The phrase inside a body only reorders the best candidates: scanning
	 * every matching body would cost milliseconds on a large pack. */
	if (q->n > 1 && nh) {
		size_t top = nh < 64 ? nh : 64;
		for (size_t i = 0; i < top; i++) { /* partial selection of the top scores */
			size_t best = i;
			for (size_t j = i + 1; j < nh; j++)
				if (hits[j].score > hits[best].score)
					best = j;
			struct hv_search_hit th = hits[i];
			hits[i] = hits[best];
			hits[best] = th;
			int td = doc_of[i];
			doc_of[i] = doc_of[best];
			doc_of[best] = td;
			if (mask[doc_of[i]] && strstr(x->docs[doc_of[i]].text, q->phrase))
				hits[i].score += 30;
		}
	}
	free(doc_of);
	qsort(hits, nh, sizeof *hits, cmp_hit);
	size_t n = nh < max ? nh : max;
	memcpy(out, hits, n * sizeof *out);
	free(hits);
	free(mask);
	free(score);
	return n;
}

size_t hv_catalog_search(const struct hv_pack *p, const char *query, struct hv_search_hit *out, size_t max)
{
	const struct catalog_extra *x = p ? p->extra : NULL;
	if (!x || !query)
		return 0;
	struct hv_buf f;
	hv_buf_init(&f);
	if (!hv_fold(&f, query, strlen(query)) || f.len == 0 || f.len >= sizeof ((struct query *)0)->phrase) {
		hv_buf_free(&f);
		return 0;
	}
	struct query q = {0};
	memcpy(q.phrase, f.data, f.len + 1);
	for (const char *w = q.phrase; *w && q.n < MAX_QUERY_WORDS;) {
		size_t n = strcspn(w, " ");
		q.w[q.n] = w;
		q.len[q.n++] = n;
		w += n;
		while (*w == ' ')
			w++;
	}
	size_t n = run(x, &q, out, max);
	if (n == 0) {
		/* Typo-tolerant fallback: swap unknown words for near vocabulary words. */
		struct query fixed = q;
		bool changed = false;
		for (int k = 0; k < q.n; k++) {
			if (word_known(x, q.w[k], q.len[k]))
				continue;
			int cap = q.len[k] >= 6 ? 2 : 1, best = cap + 1;
			const char *pick = NULL;
			for (size_t v = 0; v < x->nvocab; v++) {
				/* Most typos keep the first letter; checking only those keeps
				 * the fallback fast on a large vocabulary. */
				if (x->vocab[v][0] != q.w[k][0])
					continue;
				int dd = distance(q.w[k], q.len[k], x->vocab[v], strlen(x->vocab[v]), cap);
				if (dd < best) {
					best = dd;
					pick = x->vocab[v];
				}
			}
			if (pick) {
				fixed.w[k] = pick;
				fixed.len[k] = strlen(pick);
				changed = true;
			}
		}
		if (changed) {
			/* Rebuild the phrase from the corrected words. */
			struct hv_buf ph;
			hv_buf_init(&ph);
			for (int k = 0; k < fixed.n; k++) {
				if (k)
					hv_buf_putc(&ph, ' ');
				hv_buf_append(&ph, fixed.w[k], fixed.len[k]);
			}
			snprintf(fixed.phrase, sizeof fixed.phrase, "%s", ph.data ? ph.data : "");
			hv_buf_free(&ph);
			n = run(x, &fixed, out, max);
			for (size_t i = 0; i < n; i++)
				out[i].score /= 2; /* below any exact hit, if ranked together later */
		}
	}
	hv_buf_free(&f);
	return n;
}
