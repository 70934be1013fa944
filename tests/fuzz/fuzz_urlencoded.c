/* fuzz_urlencoded.c: hv_parse_urlencoded (src/http/parse.c), the parser of
 * query strings and application/x-www-form-urlencoded bodies.
 *
 * Input: the raw body, at most HV_MAX_BODY_AUTH bytes (the largest form body
 * server.c accepts).  On success: at most HV_MAX_FIELDS fields, names that
 * pass the allow-list (1..HV_MAX_FIELD_NAME of [A-Za-z0-9_.[]-]) and are
 * unique (later duplicates dropped, the first kept), values valid UTF-8
 * without NUL.  Parsing the same bytes as a NUL-terminated query string
 * (how server.c passes the query) must give the same answer. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"
#include "views/ctx.h"

static void check(const struct hv_params *p)
{
	FUZZ_ASSERT(p->n <= p->cap && (p->n == 0 || p->items != NULL)); /* no fields: items may be NULL */
	FUZZ_ASSERT(p->n >= 0 && p->n <= HV_MAX_FIELDS);
	for (int i = 0; i < p->n; i++) {
		const char *k = p->items[i].key, *v = p->items[i].value;
		FUZZ_ASSERT(k && v);
		FUZZ_ASSERT(fuzz_field_name_ok(k, HV_MAX_FIELD_NAME));
		FUZZ_ASSERT(hv_utf8_valid(v, strlen(v)));
		for (int j = 0; j < i; j++)
			FUZZ_ASSERT(strcmp(p->items[j].key, k) != 0);
		/* hv_param finds the first (kept) value. */
		FUZZ_ASSERT(hv_param(p, k) == v);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_MAX_BODY_AUTH)
		return 0; /* server.c answers 413 */
	char *body = fuzz_dup_exact(data, size);
	struct hv_arena *a = hv_arena_new();
	struct hv_error e = {0};
	struct hv_params p = {0};
	int rc = hv_parse_urlencoded(a, body, size, &p, &e);
	if (rc == HV_OK)
		check(&p);
	else
		FUZZ_ASSERT(rc == HV_EINVAL && e.msg[0] != '\0');

	/* The query string: a C string, so cut at the first NUL. */
	char *q = fuzz_cstr(data, size);
	size_t qn = strlen(q);
	struct hv_params pq = {0};
	struct hv_error eq = {0};
	int rcq = hv_parse_urlencoded(a, q, qn, &pq, &eq);
	if (rcq == HV_OK)
		check(&pq);
	if (qn == size) {
		FUZZ_ASSERT(rcq == rc);
		if (rc == HV_OK) {
			FUZZ_ASSERT(pq.n == p.n);
			for (int i = 0; i < p.n; i++) {
				FUZZ_ASSERT(strcmp(pq.items[i].key, p.items[i].key) == 0);
				FUZZ_ASSERT(strcmp(pq.items[i].value, p.items[i].value) == 0);
			}
		}
	}
	free(q);
	hv_arena_free(a);
	free(body);
	return 0;
}
