/* fuzz_template.c: rendering hostile strings through the real error page
 * (src/views/respond.c hv_fail -> hv_page -> templates "error" + "layout").
 *
 * Input: one flags byte (bit 0: English; bits 1-3: which error code), then
 * either PATH '\0' MESSAGE or just MESSAGE (the path is then "/").  The
 * path goes through hv_parse_path first, as in http/server.c; a path the
 * server would refuse becomes "/".  Capped at HV_MAX_BODY_ANON.
 *
 * Property (HTML pages): the page for MESSAGE equals the page for an empty
 * message with one escaped span inserted after role="alert">; that span
 * holds no < > " ' and unescapes to MESSAGE exactly.  So nothing from the
 * input can open a tag or leave an attribute, and nothing is lost.
 * Property (paths under /api/): the answer is a JSON object, and when the
 * message is valid UTF-8 it carries the status, error name and message. */
#include "fuzz.h"

#include <jansson.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "http/parse.h"
#include "views/ctx.h"
#include "views/tmpl.h"

static const int codes[8] = {HV_EINVAL, HV_ENOTFOUND, HV_EFORBIDDEN, HV_ECONFLICT,
                             HV_EINTERNAL, HV_ETOOBIG, HV_EUNAUTH, HV_ELIMIT};

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[256];
	if (!hv_tmpl_init(err, sizeof err)) {
		fprintf(stderr, "fuzz_template: %s\n", err);
		abort();
	}
	return 0;
}

/* Renders the error page for msg into a fresh context; the caller frees
 * the arena and c->body. */
static void render(struct hv_ctx *c, const char *lang, const char *path, int code, const char *msg)
{
	memset(c, 0, sizeof *c);
	c->arena = hv_arena_new();
	c->lang = lang;
	c->path = path;
	hv_buf_init(&c->body);
	FUZZ_ASSERT(hv_fail(c, code, "message", msg) == HV_OK);
	FUZZ_ASSERT(!c->body.failed && c->body.data != NULL);
	FUZZ_ASSERT(strlen(c->body.data) == c->body.len);
}

static void done(struct hv_ctx *c)
{
	hv_buf_free(&c->body);
	hv_arena_free(c->arena);
}

/* Undoes hv_buf_html on s[0..n) into out; false if s is not its output. */
static bool unescape(const char *s, size_t n, struct hv_buf *out)
{
	static const struct { const char *ent; char c; } ents[] = {
		{"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#47;", '/'},
	};
	for (size_t i = 0; i < n;) {
		char ch = s[i];
		if (ch == '<' || ch == '>' || ch == '"' || ch == '\'' || ch == '/')
			return false;
		if (ch != '&') {
			hv_buf_putc(out, ch);
			i++;
			continue;
		}
		bool found = false;
		for (size_t k = 0; k < sizeof ents / sizeof ents[0] && !found; k++) {
			size_t el = strlen(ents[k].ent);
			if (n - i >= el && memcmp(s + i, ents[k].ent, el) == 0) {
				hv_buf_putc(out, ents[k].c);
				i += el;
				found = true;
			}
		}
		if (!found)
			return false;
	}
	return true;
}

static size_t count_char(const char *s, char c)
{
	size_t n = 0;
	for (; *s; s++)
		n += *s == c;
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > HV_MAX_BODY_ANON)
		return 0;
	uint8_t flags = data[0];
	const char *lang = (flags & 1) ? "en" : "vi";
	int code = codes[(flags >> 1) & 7];
	const uint8_t *rest = data + 1;
	size_t rn = size - 1;
	struct hv_arena *pa = hv_arena_new();
	const char *path = "/";
	char *msg;
	const uint8_t *z = memchr(rest, 0, rn);
	if (z) {
		size_t pl = (size_t)(z - rest);
		struct hv_error pe = {0};
		const char *parsed;
		if (pl <= HV_MAX_URI && hv_parse_path(pa, (const char *)rest, pl, &parsed, &pe) == HV_OK)
			path = parsed;
		msg = fuzz_cstr(z + 1, rn - pl - 1);
	} else {
		msg = fuzz_cstr(rest, rn);
	}
	bool api = strncmp(path, "/api/", 5) == 0;

	struct hv_ctx c, ref;
	render(&c, lang, path, code, msg);
	if (!api) {
		FUZZ_ASSERT(c.status == hv_status_for(code));
		FUZZ_ASSERT(strncmp(c.resp_type, "text/html", 9) == 0);
		render(&ref, lang, path, code, "");
		static const char marker[] = "role=\"alert\">";
		const char *at = strstr(ref.body.data, marker);
		FUZZ_ASSERT(at != NULL);
		size_t alen = (size_t)(at - ref.body.data) + sizeof marker - 1;
		size_t blen = ref.body.len - alen;
		FUZZ_ASSERT(c.body.len >= alen + blen);
		FUZZ_ASSERT(memcmp(c.body.data, ref.body.data, alen) == 0);
		FUZZ_ASSERT(memcmp(c.body.data + c.body.len - blen, ref.body.data + alen, blen) == 0);
		struct hv_buf un;
		hv_buf_init(&un);
		FUZZ_ASSERT(unescape(c.body.data + alen, c.body.len - alen - blen, &un));
		FUZZ_ASSERT(strcmp(un.data ? un.data : "", msg) == 0);
		hv_buf_free(&un);
		/* Stated directly: the input adds no '<' or '>' to the page. */
		FUZZ_ASSERT(count_char(c.body.data, '<') == count_char(ref.body.data, '<'));
		FUZZ_ASSERT(count_char(c.body.data, '>') == count_char(ref.body.data, '>'));
		done(&ref);
	} else {
		json_error_t je;
		json_t *j = json_loadb(c.body.data, c.body.len, 0, &je);
		FUZZ_ASSERT(j != NULL && json_is_object(j));
		if (hv_utf8_valid(msg, strlen(msg))) {
			FUZZ_ASSERT(c.status == hv_status_for(code));
			const char *ename = json_string_value(json_object_get(j, "error"));
			const char *emsg = json_string_value(json_object_get(j, "message"));
			FUZZ_ASSERT(ename && strcmp(ename, hv_err_name(code)) == 0);
			FUZZ_ASSERT(emsg && strcmp(emsg, msg) == 0);
		}
		json_decref(j);
	}
	done(&c);
	free(msg);
	hv_arena_free(pa);
	return 0;
}
