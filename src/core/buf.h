/* buf.h: the one growable byte buffer of hocvuso.
 *
 * Always NUL-terminated.  Growth is geometric and overflow-checked; a buffer
 * may instead wrap fixed memory, in which case an append that does not fit
 * sets the sticky `failed` flag and is dropped.  Callers append freely and
 * check `failed` once at the end.  Heap buffers abort on OOM (hv_xmalloc). */
#ifndef HV_BUF_H
#define HV_BUF_H

#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <stddef.h>

struct hv_buf {
	char *data;
	size_t len;
	size_t cap;
	bool fixed;
	bool failed;
};

void hv_buf_init(struct hv_buf *b);
void hv_buf_init_fixed(struct hv_buf *b, char *mem, size_t cap);
void hv_buf_free(struct hv_buf *b);
void hv_buf_reset(struct hv_buf *b);
/* Room for exactly n more bytes (a body of known length: no doubling). */
void hv_buf_reserve(struct hv_buf *b, size_t n);
void hv_buf_append(struct hv_buf *b, const void *p, size_t n);
void hv_buf_puts(struct hv_buf *b, const char *s);
void hv_buf_putc(struct hv_buf *b, char c);
void hv_buf_i64(struct hv_buf *b, int64_t v);   /* decimal, as %lld */
void hv_buf_printf(struct hv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void hv_buf_vprintf(struct hv_buf *b, const char *fmt, va_list ap);
/* Escapes & < > " ' / for HTML text and quoted attributes. */
/* A CSV field (RFC 4180): quoted when it holds a comma, quote or line
 * break; one starting with = + - @, a tab or a carriage return is quoted
 * with a leading ' so that spreadsheet programs show it instead of running
 * it as a formula (OWASP, "CSV Injection"). */
void hv_buf_csv(struct hv_buf *b, const char *s);
void hv_buf_html(struct hv_buf *b, const char *s, size_t n);
/* Percent-encodes everything except unreserved characters (RFC 3986). */
void hv_buf_urlenc(struct hv_buf *b, const char *s, size_t n);
/* Appends a JSON string literal (with quotes). s must be valid UTF-8. */
void hv_buf_json_str(struct hv_buf *b, const char *s);
/* Gives the heap memory to the caller (free() it) and leaves b empty. */
char *hv_buf_steal(struct hv_buf *b, size_t *len);

void *hv_xmalloc(size_t n);
void *hv_xcalloc(size_t n, size_t size);
void *hv_xrealloc(void *p, size_t n);
char *hv_xstrdup(const char *s);

#endif
