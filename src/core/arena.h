/* arena.h: a bump allocator that owns everything made for one request or
 * one command.
 *
 * Allocations are never freed one by one; hv_arena_free() runs the deferred
 * cleanups (statements, files, snapshots) in reverse order and releases all
 * chunks.  Sizes that come from input must be capped by the caller first. */
#ifndef HV_ARENA_H
#define HV_ARENA_H

#include <stddef.h>
#include <stdarg.h>

struct hv_arena;

struct hv_arena *hv_arena_new(void);
void hv_arena_free(struct hv_arena *a);
void *hv_arena_alloc(struct hv_arena *a, size_t n);   /* zeroed, 16-aligned */
char *hv_arena_strdup(struct hv_arena *a, const char *s);
char *hv_arena_strndup(struct hv_arena *a, const char *s, size_t n);
char *hv_arena_printf(struct hv_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs fn(arg) when the arena is freed, last registered first. */
void hv_arena_defer(struct hv_arena *a, void (*fn)(void *), void *arg);
size_t hv_arena_used(const struct hv_arena *a);

#endif
