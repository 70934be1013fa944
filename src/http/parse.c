/* parse.c: see parse.h. */
#include "http/parse.h"

#include <string.h>

#include "core/limits.h"
#include "core/utf8.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..n) into the arena; plus_space maps + to space. */
static char *decode(struct hv_arena *a, const char *s, size_t n, bool plus_space, size_t *outlen)
{
	char *d = hv_arena_alloc(a, n + 1);
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return NULL;
			int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
			if (h < 0 || l < 0)
				return NULL;
			d[o++] = (char)(h * 16 + l);
			i += 2;
		} else if (c == '+' && plus_space) {
			d[o++] = ' ';
		} else {
			d[o++] = c;
		}
	}
	d[o] = '\0';
	*outlen = o;
	return d;
}

int hv_parse_path(struct hv_arena *a, const char *raw, size_t n, const char **out, struct hv_error *e)
{
	if (n == 0 || raw[0] != '/')
		return hv_err_set(e, HV_EINVAL, "path", "the path must start with /");
	size_t len;
	char *p = decode(a, raw, n, false, &len);
	if (!p || !hv_utf8_valid(p, len))
		return hv_err_set(e, HV_EINVAL, "path", "the address is not valid");
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)p[i] < 0x20 || p[i] == 0x7F) /* no control byte at all, CR included */
			return hv_err_set(e, HV_EINVAL, "path", "the address is not valid");
	/* No dot segments: nothing should ever resolve outside what we serve. */
	for (const char *s = p; (s = strstr(s, "/.")) != NULL; s++) {
		if (s[2] == '\0' || s[2] == '/' || (s[2] == '.' && (s[3] == '\0' || s[3] == '/')))
			return hv_err_set(e, HV_EINVAL, "path", "the address is not valid");
	}
	if (strstr(p, "//") || strchr(p, '\\'))
		return hv_err_set(e, HV_EINVAL, "path", "the address is not valid");
	*out = p;
	return HV_OK;
}

static bool valid_name(const char *k, size_t n)
{
	if (n == 0 || n > HV_MAX_FIELD_NAME)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = k[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' ||
		      c == '[' || c == ']'))
			return false;
	}
	return true;
}

/* Adds a text field (value of vlen bytes, NUL-terminated): valid UTF-8
 * without NUL, at most HV_MAX_FIELDS; a later duplicate is dropped. */
static int add_field(struct hv_arena *a, struct hv_params *out, const char *k, const char *v, size_t vlen, struct hv_error *e)
{
	if (memchr(v, '\0', vlen) || !hv_utf8_valid(v, vlen))
		return hv_err_set(e, HV_EINVAL, k, "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.");
	if (out->n >= HV_MAX_FIELDS)
		return hv_err_set(e, HV_EINVAL, "form", "too many fields");
	for (int j = 0; j < out->n; j++)
		if (strcmp(out->items[j].key, k) == 0)
			return HV_OK;
	if (out->n == out->cap) { /* most requests have a few fields: start small, double */
		int cap = out->cap ? out->cap * 2 : 16;
		struct hv_kv *items = hv_arena_alloc(a, (size_t)cap * sizeof *items);
		if (out->n)
			memcpy(items, out->items, (size_t)out->n * sizeof *items);
		out->items = items;
		out->cap = cap;
	}
	out->items[out->n++] = (struct hv_kv){k, v};
	return HV_OK;
}

int hv_parse_urlencoded(struct hv_arena *a, const char *s, size_t n, struct hv_params *out, struct hv_error *e)
{
	out->items = NULL;
	out->n = out->cap = 0;
	size_t i = 0;
	while (i < n) {
		const char *amp = memchr(s + i, '&', n - i);
		size_t end = amp ? (size_t)(amp - s) : n;
		if (end > i) {
			const char *pair = s + i;
			size_t plen = end - i;
			const char *eq = memchr(pair, '=', plen);
			size_t klen_raw = eq ? (size_t)(eq - pair) : plen;
			size_t klen, vlen;
			char *k = decode(a, pair, klen_raw, true, &klen);
			char *v = eq ? decode(a, eq + 1, plen - klen_raw - 1, true, &vlen) : hv_arena_strdup(a, "");
			if (!eq)
				vlen = 0;
			if (!k || !v)
				return hv_err_set(e, HV_EINVAL, "form", "malformed percent-encoding");
			if (!valid_name(k, klen))
				return hv_err_set(e, HV_EINVAL, "form", "invalid field name");
			if (add_field(a, out, k, v, vlen, e) < 0)
				return HV_EINVAL;
		}
		i = end + 1;
	}
	return HV_OK;
}

int hv_parse_cookies(struct hv_arena *a, const char *s, struct hv_params *out, struct hv_error *e)
{
	out->items = hv_arena_alloc(a, (HV_MAX_COOKIES + 1) * sizeof *out->items);
	out->n = 0;
	if (!s)
		return HV_OK;
	size_t n = strlen(s);
	if (!hv_utf8_valid(s, n))
		return hv_err_set(e, HV_EINVAL, "cookie", "invalid cookie header");
	const char *p = s;
	while (*p) {
		while (*p == ' ' || *p == ';')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, ";");
		const char *eq = memchr(p, '=', len);
		if (eq) {
			size_t kn = (size_t)(eq - p);
			while (kn && p[kn - 1] == ' ')
				kn--;
			const char *v = eq + 1;
			size_t vn = len - (size_t)(v - p);
			while (vn && v[vn - 1] == ' ')
				vn--;
			if (vn >= 2 && v[0] == '"' && v[vn - 1] == '"') {
				v++;
				vn -= 2;
			}
			if (valid_name(p, kn)) {
				if (out->n >= HV_MAX_COOKIES)
					return hv_err_set(e, HV_EINVAL, "cookie", "too many cookies");
				out->items[out->n++] = (struct hv_kv){hv_arena_strndup(a, p, kn), hv_arena_strndup(a, v, vn)};
			}
		}
		p += len;
	}
	return HV_OK;
}

int hv_json_depth_ok(const char *s, size_t n, int max)
{
	int depth = 0;
	bool in_str = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = false;
		} else if (c == '"') {
			in_str = true;
		} else if (c == '{' || c == '[') {
			if (++depth > max)
				return 0;
		} else if (c == '}' || c == ']') {
			depth--;
		}
	}
	return 1;
}

/* ---- multipart/form-data ---- */

#define MP_MAX_HEADER_LINE 1024
#define MP_MAX_HEADERS     8
#define MP_MAX_BOUNDARY    70

static bool boundary_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || strchr("'()+_,-./:=? ", c);
}

/* The value of parameter name in "type; a=b; name=\"v\"" (a header value),
 * copied into out; false if absent, unterminated or too long. */
static bool header_param(const char *h, size_t hn, const char *name, char *out, size_t cap)
{
	size_t nl = strlen(name);
	size_t i = 0;
	bool found = false;
	while (i < hn) {
		const char *semi = memchr(h + i, ';', hn - i);
		if (!semi)
			return found;
		i = (size_t)(semi - h) + 1;
		while (i < hn && (h[i] == ' ' || h[i] == '\t'))
			i++;
		if (hn - i <= nl || strncasecmp(h + i, name, nl) != 0 || h[i + nl] != '=')
			continue;
		i += nl + 1;
		size_t len;
		const char *v = h + i;
		if (i < hn && h[i] == '"') {
			const char *q = memchr(h + i + 1, '"', hn - i - 1);
			if (!q)
				return false;
			v = h + i + 1;
			len = (size_t)(q - v);
			i = (size_t)(q - h) + 1;
		} else {
			len = 0;
			while (i + len < hn && v[len] != ';')
				len++;
			while (len && (v[len - 1] == ' ' || v[len - 1] == '\t'))
				len--;
			i += len;
		}
		if (found || len >= cap)
			return false; /* a parameter given twice is not trusted */
		memcpy(out, v, len);
		out[len] = '\0';
		found = true;
	}
	return found;
}

static bool header_text_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] < 0x20 && s[i] != '\t') || s[i] == 0x7f)
			return false;
	return hv_utf8_valid(s, n);
}

/* One part's headers [p, end): its field name, filename and type. */
static int part_headers(struct hv_arena *a, const char *p, const char *end, char name[HV_MAX_FIELD_NAME + 1], const char **filename,
                        const char **type, struct hv_error *e)
{
	bool disposition = false;
	int count = 0;
	*filename = NULL;
	*type = NULL;
	while (p < end) {
		const char *eol = memmem(p, (size_t)(end - p), "\r\n", 2);
		size_t len = eol ? (size_t)(eol - p) : (size_t)(end - p);
		if (len > MP_MAX_HEADER_LINE || ++count > MP_MAX_HEADERS)
			return hv_err_set(e, HV_EINVAL, "form", "a part has too many or too long headers");
		if (!header_text_ok(p, len))
			return hv_err_set(e, HV_EINVAL, "form", "a part header is not valid text");
		const char *colon = memchr(p, ':', len);
		if (!colon)
			return hv_err_set(e, HV_EINVAL, "form", "a part header has no colon");
		size_t kn = (size_t)(colon - p);
		const char *v = colon + 1;
		size_t vn = len - kn - 1;
		while (vn && (*v == ' ' || *v == '\t'))
			v++, vn--;
		if (kn == 19 && !strncasecmp(p, "Content-Disposition", 19)) {
			char fname[256];
			if (disposition || vn < 9 || strncasecmp(v, "form-data", 9) != 0 || (vn > 9 && v[9] != ';' && v[9] != ' '))
				return hv_err_set(e, HV_EINVAL, "form", "a part is not form-data");
			disposition = true;
			if (!header_param(v, vn, "name", name, HV_MAX_FIELD_NAME + 1) || !valid_name(name, strlen(name)))
				return hv_err_set(e, HV_EINVAL, "form", "a part has no valid field name");
			if (header_param(v, vn, "filename", fname, sizeof fname))
				*filename = hv_arena_strdup(a, fname);
			else if (memmem(v, vn, "filename=", 9))
				return hv_err_set(e, HV_EINVAL, "form", "a file name is too long or malformed");
		} else if (kn == 12 && !strncasecmp(p, "Content-Type", 12)) {
			if (*type)
				return hv_err_set(e, HV_EINVAL, "form", "a part has two content types");
			*type = hv_arena_strndup(a, v, vn);
		}
		p = eol ? eol + 2 : end;
	}
	if (!disposition)
		return hv_err_set(e, HV_EINVAL, "form", "a part has no Content-Disposition");
	return HV_OK;
}

int hv_parse_multipart(struct hv_arena *a, const char *content_type, const char *body, size_t n, struct hv_params *form,
                       struct hv_files *files, struct hv_error *e)
{
	form->items = NULL;
	form->n = form->cap = 0;
	files->n = 0;
	char b[MP_MAX_BOUNDARY + 1];
	size_t ctn = content_type ? strlen(content_type) : 0;
	if (ctn < 19 || strncasecmp(content_type, "multipart/form-data", 19) != 0 || !header_param(content_type, ctn, "boundary", b, sizeof b))
		return hv_err_set(e, HV_EINVAL, "form", "multipart body without a boundary");
	size_t bn = strlen(b);
	for (size_t i = 0; i < bn; i++)
		if (!boundary_char(b[i]))
			return hv_err_set(e, HV_EINVAL, "form", "invalid multipart boundary");
	if (bn == 0 || b[bn - 1] == ' ')
		return hv_err_set(e, HV_EINVAL, "form", "invalid multipart boundary");
	/* delim is "\r\n--" boundary; the first one may come without its CRLF. */
	char delim[MP_MAX_BOUNDARY + 5];
	size_t dn = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", b);
	const char *end = body + n, *p;
	if (n >= dn - 2 && !memcmp(body, delim + 2, dn - 2)) {
		p = body + dn - 2;
	} else {
		const char *first = memmem(body, n, delim, dn); /* after a preamble */
		if (!first)
			return hv_err_set(e, HV_EINVAL, "form", "the multipart body has no boundary line");
		p = first + dn;
	}
	for (;;) {
		/* after a delimiter: "--" closes, else optional padding then CRLF */
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			break;
		while (p < end && (*p == ' ' || *p == '\t'))
			p++;
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
			return hv_err_set(e, HV_EINVAL, "form", "malformed boundary line");
		p += 2;
		const char *hend = memmem(p, (size_t)(end - p), "\r\n\r\n", 4);
		const char *blank = (end - p >= 2 && p[0] == '\r' && p[1] == '\n') ? p : NULL; /* no headers at all */
		if (blank || !hend)
			return hv_err_set(e, HV_EINVAL, "form", "a part has no headers");
		char name[HV_MAX_FIELD_NAME + 1];
		const char *filename, *type;
		if (part_headers(a, p, hend, name, &filename, &type, e) < 0)
			return HV_EINVAL;
		const char *data = hend + 4;
		const char *next = memmem(data, (size_t)(end - data), delim, dn);
		if (!next)
			return hv_err_set(e, HV_EINVAL, "form", "the multipart body is cut short");
		size_t len = (size_t)(next - data);
		if (filename) {
			if (files->n >= HV_MAX_FILES)
				return hv_err_set(e, HV_EINVAL, "form", "too many files");
			files->items[files->n++] = (struct hv_file){.field = hv_arena_strdup(a, name), .filename = filename,
			                                            .type = type ? type : "application/octet-stream",
			                                            .data = data, .len = len}; /* in the body: not copied */
		} else {
			if (add_field(a, form, hv_arena_strdup(a, name), hv_arena_strndup(a, data, len), len, e) < 0)
				return HV_EINVAL;
		}
		p = next + dn;
	}
	return HV_OK;
}

/* q of one "lang;q=0.8" entry (1 when absent, 0 when unreadable). */
static int entry_q(const char *p, const char *end)
{
	const char *q = p;
	while (q < end && !(q[0] == 'q' && q + 1 < end && q[1] == '='))
		q++;
	if (q >= end)
		return 1000;
	q += 2;
	int v = 0, digits = 0, scale = 1000;
	if (q < end && (*q == '0' || *q == '1')) {
		v = (*q - '0') * 1000;
		q++;
		if (q < end && *q == '.')
			for (q++; q < end && *q >= '0' && *q <= '9' && digits < 3; q++, digits++)
				v += (*q - '0') * (scale /= 10);
	}
	return v > 1000 ? 1000 : v;
}

const char *hv_accept_lang(const char *h)
{
	int best_q = 0;
	const char *best = "vi";
	for (const char *p = h; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		const char *end = p + strcspn(p, ",");
		size_t tag = strcspn(p, ";, ");
		const char *l = NULL;
		if (tag >= 2 && (tag == 2 || p[2] == '-')) {
			if ((p[0] | 32) == 'v' && (p[1] | 32) == 'i')
				l = "vi";
			else if ((p[0] | 32) == 'e' && (p[1] | 32) == 'n')
				l = "en";
		}
		int q = l ? entry_q(p + tag, end) : 0;
		if (l && q > best_q) {
			best_q = q;
			best = l;
		}
		p = end;
	}
	return best;
}
