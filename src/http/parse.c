/* parse.c: see parse.h. */
#include "parse.h"

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

int hv_parse_urlencoded(struct hv_arena *a, const char *s, size_t n, struct hv_params *out, struct hv_error *e)
{
	out->items = hv_arena_alloc(a, HV_MAX_FIELDS * sizeof *out->items);
	out->n = 0;
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
			if (memchr(v, '\0', vlen) || !hv_utf8_valid(v, vlen))
				return hv_err_set(e, HV_EINVAL, k, "Dữ liệu gửi lên không phải văn bản UTF-8 hợp lệ.");
			if (out->n >= HV_MAX_FIELDS)
				return hv_err_set(e, HV_EINVAL, "form", "too many fields");
			bool dup = false;
			for (int j = 0; j < out->n && !dup; j++)
				dup = strcmp(out->items[j].key, k) == 0;
			if (!dup)
				out->items[out->n++] = (struct hv_kv){k, v};
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
