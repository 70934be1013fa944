/* jcs.c: the JSON Canonicalization Scheme (RFC 8785) that eddsa-jcs-2022
 * signs: object members sorted by their UTF-16 code units, no spaces,
 * strings with the fewest escapes, and numbers written as ECMAScript's
 * Number.prototype.toString writes them (shortest digits that read back to
 * the same double; exponent form outside 1e-6 .. 1e21). */
#include "domain/learn/credential.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>


#define HV_JS_SAFE_INT 9007199254740991LL /* 2^53 - 1 */

/* ECMAScript's Number::toString(x) for a finite double (RFC 8785, 3.2.2.3). */
static void es6_number(struct hv_buf *out, double x)
{
	if (x == 0) { /* both zeros */
		hv_buf_putc(out, '0');
		return;
	}
	if (!isfinite(x)) { /* JSON has none; never reached from a parsed document */
		hv_buf_puts(out, "null");
		return;
	}
	char tmp[40];
	int prec = 0;
	for (prec = 0; prec < 17; prec++) { /* the fewest significant digits that read back */
		snprintf(tmp, sizeof tmp, "%.*e", prec, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	snprintf(tmp, sizeof tmp, "%.*e", prec, x);
	/* tmp: [-]d[.ddd]e[+-]XX */
	const char *p = tmp;
	if (*p == '-') {
		hv_buf_putc(out, '-');
		p++;
	}
	char digits[24];
	int k = 0;
	for (; *p && *p != 'e'; p++)
		if (*p != '.')
			digits[k++] = *p;
	digits[k] = '\0';
	int n = atoi(p + 1) + 1; /* the decimal point sits after n digits */
	if (k <= n && n <= 21) {
		hv_buf_puts(out, digits);
		for (int i = k; i < n; i++)
			hv_buf_putc(out, '0');
	} else if (0 < n && n <= 21) {
		hv_buf_printf(out, "%.*s.%s", n, digits, digits + n);
	} else if (-6 < n && n <= 0) {
		hv_buf_puts(out, "0.");
		for (int i = 0; i < -n; i++)
			hv_buf_putc(out, '0');
		hv_buf_puts(out, digits);
	} else {
		hv_buf_putc(out, digits[0]);
		if (k > 1)
			hv_buf_printf(out, ".%s", digits + 1);
		hv_buf_printf(out, "e%c%d", n - 1 >= 0 ? '+' : '-', abs(n - 1));
	}
}

static void jcs_string(struct hv_buf *out, const char *s, size_t n)
{
	hv_buf_putc(out, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '"': hv_buf_puts(out, "\\\""); break;
		case '\\': hv_buf_puts(out, "\\\\"); break;
		case '\b': hv_buf_puts(out, "\\b"); break;
		case '\f': hv_buf_puts(out, "\\f"); break;
		case '\n': hv_buf_puts(out, "\\n"); break;
		case '\r': hv_buf_puts(out, "\\r"); break;
		case '\t': hv_buf_puts(out, "\\t"); break;
		default:
			if (c < 0x20)
				hv_buf_printf(out, "\\u%04x", c);
			else
				hv_buf_putc(out, (char)c);
		}
	}
	hv_buf_putc(out, '"');
}

/* Compares two UTF-8 keys by their UTF-16 code units, as RFC 8785 asks. */
static unsigned utf16_unit(const unsigned char **p, unsigned *pending)
{
	if (*pending) {
		unsigned u = *pending;
		*pending = 0;
		return u;
	}
	const unsigned char *s = *p;
	unsigned cp;
	if (s[0] < 0x80) {
		cp = s[0];
		*p += 1;
	} else if ((s[0] & 0xE0) == 0xC0) {
		cp = ((unsigned)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		*p += 2;
	} else if ((s[0] & 0xF0) == 0xE0) {
		cp = ((unsigned)(s[0] & 0x0F) << 12) | ((unsigned)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		*p += 3;
	} else {
		cp = ((unsigned)(s[0] & 0x07) << 18) | ((unsigned)(s[1] & 0x3F) << 12) | ((unsigned)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
		*p += 4;
		cp -= 0x10000;
		*pending = 0xDC00 + (cp & 0x3FF);
		return 0xD800 + (cp >> 10);
	}
	return cp;
}

static int cmp_keys(const void *x, const void *y)
{
	const unsigned char *a = *(const unsigned char *const *)x, *b = *(const unsigned char *const *)y;
	unsigned pa = 0, pb = 0;
	for (;;) {
		if (!*a && !pa)
			return (*b || pb) ? -1 : 0;
		if (!*b && !pb)
			return 1;
		unsigned ua = utf16_unit(&a, &pa), ub = utf16_unit(&b, &pb);
		if (ua != ub)
			return ua < ub ? -1 : 1;
	}
}

void hv_jcs(struct hv_buf *out, const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: {
		size_t n = json_object_size(v), i = 0;
		const char **keys = hv_xcalloc(n ? n : 1, sizeof *keys);
		const char *k;
		json_t *val;
		json_object_foreach((json_t *)v, k, val)
			keys[i++] = k;
		qsort(keys, n, sizeof *keys, cmp_keys);
		hv_buf_putc(out, '{');
		for (i = 0; i < n; i++) {
			if (i)
				hv_buf_putc(out, ',');
			jcs_string(out, keys[i], strlen(keys[i]));
			hv_buf_putc(out, ':');
			hv_jcs(out, json_object_get(v, keys[i]));
		}
		hv_buf_putc(out, '}');
		free(keys);
		break;
	}
	case JSON_ARRAY:
		hv_buf_putc(out, '[');
		for (size_t i = 0; i < json_array_size(v); i++) {
			if (i)
				hv_buf_putc(out, ',');
			hv_jcs(out, json_array_get(v, i));
		}
		hv_buf_putc(out, ']');
		break;
	case JSON_STRING:
		jcs_string(out, json_string_value(v), json_string_length(v));
		break;
	case JSON_INTEGER: {
		json_int_t i = json_integer_value(v);
		if (i > HV_JS_SAFE_INT || i < -HV_JS_SAFE_INT)
			es6_number(out, (double)i); /* what ECMAScript holds for it */
		else
			hv_buf_printf(out, "%lld", (long long)i);
		break;
	}
	case JSON_REAL:
		es6_number(out, json_real_value(v));
		break;
	case JSON_TRUE: hv_buf_puts(out, "true"); break;
	case JSON_FALSE: hv_buf_puts(out, "false"); break;
	case JSON_NULL: hv_buf_puts(out, "null"); break;
	}
}
