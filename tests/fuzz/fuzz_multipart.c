/* fuzz_multipart.c: hv_parse_multipart (src/http/parse.c), the parser of
 * multipart/form-data bodies (CSV uploads).
 *
 * Input: the Content-Type header up to the first '\n' (a C string, as
 * libmicrohttpd gives it), then the body, at most HV_MAX_BODY_UPLOAD bytes
 * in all.  On success: text fields follow the urlencoded rules (at most
 * HV_MAX_FIELDS, allowed unique names, UTF-8 values without NUL); at most
 * HV_MAX_FILES files, each NUL-terminated at its length, its bytes found in
 * the body and a field name that passes the allow-list.  Encoding what was
 * parsed again with a fresh boundary and parsing that gives the same
 * fields and files.  Errors are HV_EINVAL with a message. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"
#include "views/ctx.h"

static void check(const struct hv_params *p, const struct hv_files *f, const char *body, size_t n)
{
	FUZZ_ASSERT(p->n <= p->cap && (p->n == 0 || p->items != NULL)); /* no fields: items may be NULL */
	FUZZ_ASSERT(p->n >= 0 && p->n <= HV_MAX_FIELDS);
	for (int i = 0; i < p->n; i++) {
		const char *k = p->items[i].key, *v = p->items[i].value;
		FUZZ_ASSERT(fuzz_field_name_ok(k, HV_MAX_FIELD_NAME));
		FUZZ_ASSERT(hv_utf8_valid(v, strlen(v)));
		for (int j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(p->items[j].key, k) != 0);
	}
	FUZZ_ASSERT(f->n >= 0 && f->n <= HV_MAX_FILES);
	for (int i = 0; i < f->n; i++) {
		const struct hv_file *x = &f->items[i];
		FUZZ_ASSERT(fuzz_field_name_ok(x->field, HV_MAX_FIELD_NAME) && x->filename && x->type);
		/* The file's bytes are the body's own, in place. */
		FUZZ_ASSERT(x->data >= body && x->len <= n && x->data + x->len <= body + n);
	}
}

/* Safe to write back inside a quoted header parameter or a header line. */
static bool plain(const char *s)
{
	return !strpbrk(s, "\"\r\n;");
}

static void reencode(const struct hv_params *p, const struct hv_files *f, struct hv_buf *b, bool *ok)
{
	static const char delim[] = "\r\n--hvFuzzB0undary";
	*ok = true;
	for (int i = 0; i < p->n; i++) {
		hv_buf_printf(b, "--hvFuzzB0undary\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n", p->items[i].key);
		hv_buf_puts(b, p->items[i].value);
		hv_buf_puts(b, "\r\n");
		*ok = *ok && !strstr(p->items[i].value, delim + 2);
	}
	for (int i = 0; i < f->n; i++) {
		const struct hv_file *x = &f->items[i];
		hv_buf_printf(b, "--hvFuzzB0undary\r\nContent-Disposition: form-data; name=\"%s\"; filename=\"%s\"\r\nContent-Type: %s\r\n\r\n",
		              x->field, x->filename, x->type);
		hv_buf_append(b, x->data, x->len);
		hv_buf_puts(b, "\r\n");
		*ok = *ok && plain(x->filename) && plain(x->type) && !memmem(x->data, x->len, delim + 2, sizeof delim - 3) &&
		      strlen(x->type) < 900 && strlen(x->filename) > 0;
	}
	hv_buf_puts(b, "--hvFuzzB0undary--\r\n");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_MAX_BODY_UPLOAD)
		return 0; /* server.c answers 413 */
	const uint8_t *nl = memchr(data, '\n', size);
	size_t hn = nl ? (size_t)(nl - data) : size;
	char *ctype = fuzz_cstr(data, hn);
	size_t bn = nl ? size - hn - 1 : 0;
	char *body = fuzz_dup_exact(nl ? nl + 1 : data, bn);
	struct hv_arena *a = hv_arena_new();
	struct hv_error e = {0};
	struct hv_params p = {0};
	struct hv_files f = {0};
	int rc = hv_parse_multipart(a, ctype, body, bn, &p, &f, &e);
	if (rc == HV_OK) {
		check(&p, &f, body, bn);
		struct hv_buf again;
		hv_buf_init(&again);
		bool ok;
		reencode(&p, &f, &again, &ok);
		if (ok) {
			struct hv_params p2 = {0};
			struct hv_files f2 = {0};
			struct hv_error e2 = {0};
			FUZZ_ASSERT(hv_parse_multipart(a, "multipart/form-data; boundary=hvFuzzB0undary", again.data, again.len, &p2, &f2, &e2) ==
			            HV_OK);
			FUZZ_ASSERT(p2.n == p.n && f2.n == f.n);
			for (int i = 0; i < p.n; i++)
				FUZZ_ASSERT(!strcmp(p2.items[i].key, p.items[i].key) && !strcmp(p2.items[i].value, p.items[i].value));
			for (int i = 0; i < f.n; i++)
				FUZZ_ASSERT(f2.items[i].len == f.items[i].len && !memcmp(f2.items[i].data, f.items[i].data, f.items[i].len) &&
				            !strcmp(f2.items[i].filename, f.items[i].filename) && !strcmp(f2.items[i].field, f.items[i].field));
		}
		hv_buf_free(&again);
	} else {
		FUZZ_ASSERT(rc == HV_EINVAL && e.msg[0] != '\0');
	}
	hv_arena_free(a);
	free(body);
	free(ctype);
	return 0;
}
