/* buf.c: growable, always-terminated byte buffer (see buf.h).
 *
 * The key decision: failure is sticky.  Templates and handlers append many
 * small pieces; checking each append would hide the logic, so a fixed buffer
 * records overflow once and the owner checks `failed` at the end. */
#include "core/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *hv_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fputs("hocvuso: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *hv_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p) {
		fputs("hocvuso: out of memory\n", stderr);
		abort();
	}
	return p;
}

void *hv_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q) {
		fputs("hocvuso: out of memory\n", stderr);
		abort();
	}
	return q;
}

char *hv_xstrdup(const char *s)
{
	size_t n = strlen(s);
	char *d = hv_xmalloc(n + 1);
	memcpy(d, s, n + 1);
	return d;
}

void hv_buf_init(struct hv_buf *b)
{
	memset(b, 0, sizeof *b);
}

void hv_buf_init_fixed(struct hv_buf *b, char *mem, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->data = mem;
	b->cap = cap;
	b->fixed = true;
	if (cap)
		mem[0] = '\0';
	else
		b->failed = true;
}

void hv_buf_free(struct hv_buf *b)
{
	if (!b->fixed)
		free(b->data);
	memset(b, 0, sizeof *b);
}

void hv_buf_reset(struct hv_buf *b)
{
	b->len = 0;
	b->failed = false;
	if (b->data)
		b->data[0] = '\0';
}

/* Makes room for n more bytes plus the terminator; false if impossible. */
static bool reserve(struct hv_buf *b, size_t n)
{
	if (b->failed)
		return false;
	if (n > SIZE_MAX - b->len - 1) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + n + 1;
	if (need <= b->cap)
		return true;
	if (b->fixed) {
		b->failed = true;
		return false;
	}
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	b->data = hv_xrealloc(b->data, cap);
	b->cap = cap;
	return true;
}

void hv_buf_reserve(struct hv_buf *b, size_t n)
{
	if (b->fixed || b->failed || n > SIZE_MAX - b->len - 1 || b->len + n + 1 <= b->cap)
		return;
	b->data = hv_xrealloc(b->data, b->len + n + 1);
	b->cap = b->len + n + 1;
}

void hv_buf_append(struct hv_buf *b, const void *p, size_t n)
{
	if (!reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void hv_buf_puts(struct hv_buf *b, const char *s)
{
	hv_buf_append(b, s, strlen(s));
}

void hv_buf_putc(struct hv_buf *b, char c)
{
	hv_buf_append(b, &c, 1);
}

void hv_buf_vprintf(struct hv_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if (!reserve(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void hv_buf_printf(struct hv_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	hv_buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void hv_buf_i64(struct hv_buf *b, int64_t v)
{
	char num[24], *p = num + sizeof num;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	hv_buf_append(b, p, (size_t)(num + sizeof num - p));
}

void hv_buf_html(struct hv_buf *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '/': rep = "&#47;"; break;
		default: continue;
		}
		hv_buf_append(b, s + start, i - start);
		hv_buf_puts(b, rep);
		start = i + 1;
	}
	hv_buf_append(b, s + start, n - start);
}

void hv_buf_urlenc(struct hv_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_' || c == '.' || c == '~') {
			hv_buf_putc(b, (char)c);
		} else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			hv_buf_append(b, e, 3);
		}
	}
}

void hv_buf_json_str(struct hv_buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	hv_buf_putc(b, '"');
	size_t start = 0, i = 0;
	for (; s[i]; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&')
			continue;
		hv_buf_append(b, s + start, i - start);
		switch (c) {
		case '"': hv_buf_puts(b, "\\\""); break;
		case '\\': hv_buf_puts(b, "\\\\"); break;
		case '\n': hv_buf_puts(b, "\\n"); break;
		case '\r': hv_buf_puts(b, "\\r"); break;
		case '\t': hv_buf_puts(b, "\\t"); break;
		default: {
			/* <, > and & are escaped too so JSON can never close a script tag. */
			char e[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
			hv_buf_append(b, e, 6);
		}
		}
		start = i + 1;
	}
	hv_buf_append(b, s + start, i - start);
	hv_buf_putc(b, '"');
}

char *hv_buf_steal(struct hv_buf *b, size_t *len)
{
	if (!b->data)
		reserve(b, 0);
	char *p = b->data;
	if (len)
		*len = b->len;
	memset(b, 0, sizeof *b);
	return p;
}

void hv_buf_csv(struct hv_buf *b, const char *s)
{
	bool formula = s[0] && strchr("=+-@\t\r", s[0]) != NULL;
	if (!formula && !strpbrk(s, ",\"\r\n")) {
		hv_buf_puts(b, s);
		return;
	}
	hv_buf_putc(b, '"');
	if (formula)
		hv_buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '"')
			hv_buf_putc(b, '"');
		hv_buf_putc(b, *s);
	}
	hv_buf_putc(b, '"');
}
