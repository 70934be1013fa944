/* utf8.c: UTF-8 validation, NFC and Vietnamese folding (see utf8.h).
 *
 * Validation is hand-written because it runs on every input byte and must
 * be exactly RFC 3629; normalisation and mark stripping use utf8proc rather
 * than our own tables. */
#include "core/utf8.h"

#include <stdint.h>
#include <stdlib.h>
#include <utf8proc.h>

bool hv_utf8_valid(const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		if (c == 0)
			return false;
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t len;
		uint32_t cp, min;
		if ((c & 0xE0) == 0xC0) {
			len = 2; cp = c & 0x1F; min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			len = 3; cp = c & 0x0F; min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			len = 4; cp = c & 0x07; min = 0x10000;
		} else {
			return false;
		}
		if (n - i < len)
			return false;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += len;
	}
	return true;
}

long hv_utf8_len(const char *s, size_t n)
{
	if (!hv_utf8_valid(s, n))
		return -1;
	long count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

bool hv_has_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)
			return true;
	}
	return false;
}

bool hv_has_any_control(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F)
			return true;
	return false;
}

bool hv_nfc(struct hv_buf *out, const char *s, size_t n)
{
	if (!hv_utf8_valid(s, n))
		return false;
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
	                                  UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (r < 0)
		return false;
	hv_buf_append(out, dst, (size_t)r);
	free(dst);
	return true;
}

bool hv_fold(struct hv_buf *out, const char *s, size_t n)
{
	if (!hv_utf8_valid(s, n))
		return false;
	if (n == 0)
		return true;
	utf8proc_uint8_t *dst = NULL;
	utf8proc_ssize_t r = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &dst,
	                                  UTF8PROC_STABLE | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
	                                  UTF8PROC_CASEFOLD | UTF8PROC_COMPAT);
	if (r < 0)
		return false;
	size_t start = out->len;
	bool pending_space = false;
	utf8proc_ssize_t i = 0;
	while (i < r) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(dst + i, r - i, &cp);
		if (k <= 0)
			break;
		if (cp == 0x0111 || cp == 0x0110) /* đ does not decompose: fold it by hand */
			cp = 'd';
		utf8proc_category_t cat = utf8proc_category(cp);
		bool word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_LO) ||
		            (cat >= UTF8PROC_CATEGORY_ND && cat <= UTF8PROC_CATEGORY_NO);
		if (!word) {
			pending_space = out->len > start;
		} else {
			if (pending_space)
				hv_buf_putc(out, ' ');
			pending_space = false;
			utf8proc_uint8_t enc[4];
			utf8proc_ssize_t m = utf8proc_encode_char(cp, enc);
			hv_buf_append(out, enc, (size_t)m);
		}
		i += k;
	}
	free(dst);
	return true;
}
