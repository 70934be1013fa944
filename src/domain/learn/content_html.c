/* content_html.c: lesson and course Markdown to HTML.  md4c parses; this
 * file renders (not md4c-html), so that each link and image address is
 * judged after its entities are decoded, on exactly the bytes written into
 * the page.  Links may go to http(s), mailto and tel, images to http(s),
 * both to relative addresses (paths, fragments, the pack's img/ files); a
 * refused address is rendered as the link's plain text and its line is
 * reported, so the importer and the editor can refuse the file.  Raw HTML
 * never passes (MD_FLAG_NOHTML, and any HTML md4c still reports is
 * escaped); every attribute value is escaped here. */
#include "domain/learn/content.h"

#include <md4c.h>
#include <strings.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"

#define MD_FLAGS (MD_DIALECT_COMMONMARK | MD_FLAG_NOHTML | MD_FLAG_TABLES | MD_FLAG_STRIKETHROUGH)
#define URL_MAX 2048

struct render {
	struct hv_buf *out;
	const char *md;
	size_t len;
	int img_level;    /* > 0 inside an image's description: text only */
	bool img_shown;   /* the outermost image was written as <img ... alt=" */
	bool link_shown;  /* the open link was written as <a> (links do not nest) */
	const char *last; /* the latest source position a text callback gave */
	bool refused;     /* an address was refused */
	bool want_pos;    /* ... and its line is that of the next text in its span */
	const char *bad;  /* where the first refused address is, or NULL */
};

/* ---- escaping ---- */

/* Text between tags: the characters md4c-html escapes, so pages stay as they were. */
static void put_text(struct hv_buf *b, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = s[i] == '&' ? "&amp;" : s[i] == '<' ? "&lt;" : s[i] == '>' ? "&gt;" : s[i] == '"' ? "&quot;" : NULL;
		if (rep) {
			hv_buf_append(b, s + from, i - from);
			hv_buf_puts(b, rep);
			from = i + 1;
		}
	}
	hv_buf_append(b, s + from, n - from);
}

/* A URL attribute value: bytes outside a safe set percent-encoded, & as &amp;. */
static void put_url(struct hv_buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (c && strchr("-_.+!*(),%#@?=;:/$", c)))
			hv_buf_putc(b, (char)c);
		else if (c == '&')
			hv_buf_puts(b, "&amp;");
		else {
			char e[3] = {'%', hex[c >> 4], hex[c & 15]};
			hv_buf_append(b, e, 3);
		}
	}
}

static void put_cp(struct hv_buf *b, unsigned long cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	char u[4];
	size_t n;
	if (cp < 0x80)
		u[0] = (char)cp, n = 1;
	else if (cp < 0x800)
		u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	else if (cp < 0x10000)
		u[0] = (char)(0xE0 | cp >> 12), u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)), u[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	else
		u[0] = (char)(0xF0 | cp >> 18), u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)), u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)),
		u[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	hv_buf_append(b, u, n);
}

/* ---- entities ---- */

/* The code point of a numeric entity ("&#58;", "&#x3A;" as md4c gives
 * them: at most 7 digits), or -1 for a named one. */
static long numeric_entity(const char *s, size_t n)
{
	if (n < 4 || s[1] != '#')
		return -1;
	bool hex = s[2] == 'x' || s[2] == 'X';
	unsigned long cp = 0;
	for (size_t i = hex ? 3 : 2; i + 1 < n; i++) {
		char c = s[i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : (unsigned)(c - 'A' + 10);
		cp = cp * (hex ? 16 : 10) + d;
		if (cp > 0x10FFFF)
			cp = 0x110000; /* stays invalid, cannot overflow */
	}
	return (long)cp;
}

/* The named entities that stand for ASCII characters.  Any other named
 * entity in an address refuses the address: nothing is guessed. */
static const struct {
	const char *name;
	char c;
} ascii_entities[] = {
	{"Tab", '\t'}, {"NewLine", '\n'}, {"excl", '!'}, {"quot", '"'}, {"QUOT", '"'}, {"num", '#'}, {"dollar", '$'},
	{"percnt", '%'}, {"amp", '&'}, {"AMP", '&'}, {"apos", '\''}, {"lpar", '('}, {"rpar", ')'}, {"ast", '*'},
	{"midast", '*'}, {"plus", '+'}, {"comma", ','}, {"period", '.'}, {"sol", '/'}, {"colon", ':'}, {"semi", ';'},
	{"lt", '<'}, {"LT", '<'}, {"equals", '='}, {"gt", '>'}, {"GT", '>'}, {"quest", '?'}, {"commat", '@'},
	{"lsqb", '['}, {"lbrack", '['}, {"bsol", '\\'}, {"rsqb", ']'}, {"rbrack", ']'}, {"Hat", '^'}, {"lowbar", '_'},
	{"UnderBar", '_'}, {"grave", '`'}, {"DiacriticalGrave", '`'}, {"lcub", '{'}, {"lbrace", '{'}, {"verbar", '|'},
	{"vert", '|'}, {"VerticalLine", '|'}, {"rcub", '}'}, {"rbrace", '}'},
};

/* Text or a text attribute with one entity: numeric ones decoded and
 * escaped, named ones kept as written (md4c only reports "&" letters and
 * digits ";", which the browser decodes and which cannot end a tag or a
 * quoted value). */
static void put_entity(struct hv_buf *b, const char *s, size_t n, void (*esc)(struct hv_buf *, const char *, size_t))
{
	long cp = numeric_entity(s, n);
	if (cp < 0) {
		hv_buf_append(b, s, n);
		return;
	}
	char tmp[8];
	struct hv_buf one;
	hv_buf_init_fixed(&one, tmp, sizeof tmp);
	put_cp(&one, (unsigned long)cp);
	esc(b, one.data, one.len);
}

/* A text attribute (title, code language) from md4c's pieces, escaped. */
static void put_attr(struct hv_buf *b, const MD_ATTRIBUTE *a)
{
	for (int i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			put_entity(b, s, n, hv_buf_html);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			put_cp(b, 0xFFFD);
		else
			hv_buf_html(b, s, n);
	}
}

/* ---- addresses ---- */

/* Decodes an address the way a browser reads the attribute; false when
 * that cannot be done exactly (an unknown named entity, a NUL, too long). */
static bool decode_url(const MD_ATTRIBUTE *a, struct hv_buf *out)
{
	for (int i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			return false;
		if (a->substr_types[i] != MD_TEXT_ENTITY) {
			hv_buf_append(out, s, n);
			continue;
		}
		long cp = numeric_entity(s, n);
		if (cp >= 0) {
			put_cp(out, (unsigned long)cp);
			continue;
		}
		size_t k = 0, count = sizeof ascii_entities / sizeof ascii_entities[0];
		while (k < count && !(strlen(ascii_entities[k].name) == n - 2 && !memcmp(ascii_entities[k].name, s + 1, n - 2)))
			k++;
		if (k == count)
			return false;
		hv_buf_putc(out, ascii_entities[k].c);
	}
	return !out->failed && out->len <= URL_MAX;
}

/* The allow-list, on the decoded address.  A scheme is whatever comes
 * before a ':' that precedes any '/', '?' or '#' (so " javascript:",
 * "java\tscript:" and "JAVASCRIPT:" are schemes, and none is allowed).
 * Control characters and backslashes are refused anywhere, and "//host"
 * (another site without a scheme) too. */
static bool url_allowed(const char *u, size_t n, bool image)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)u[i] < 0x20 || u[i] == 0x7F || u[i] == '\\')
			return false;
	size_t end = 0;
	while (end < n && !strchr(":/?#", u[end]))
		end++;
	if (end < n && u[end] == ':') {
		static const char *const schemes[] = {"http", "https", "mailto", "tel"};
		for (int i = 0; i < (image ? 2 : 4); i++)
			if (strlen(schemes[i]) == end && !strncasecmp(u, schemes[i], end))
				return true;
		return false;
	}
	return !(n >= 2 && u[0] == '/' && u[1] == '/');
}

static bool address_ok(const MD_ATTRIBUTE *a, bool image, struct hv_buf *decoded)
{
	return decode_url(a, decoded) && url_allowed(decoded->data ? decoded->data : "", decoded->len, image);
}

static void refused(struct render *r)
{
	if (!r->refused) {
		r->refused = r->want_pos = true;
		r->bad = r->last;
	}
}

/* ---- md4c callbacks ---- */

static int enter_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	static const char *const head[6] = {"<h1>", "<h2>", "<h3>", "<h4>", "<h5>", "<h6>"};
	struct render *r = userdata;
	struct hv_buf *b = r->out;
	switch (type) {
	case MD_BLOCK_QUOTE: hv_buf_puts(b, "<blockquote>\n"); break;
	case MD_BLOCK_UL: hv_buf_puts(b, "<ul>\n"); break;
	case MD_BLOCK_OL: {
		unsigned start = ((MD_BLOCK_OL_DETAIL *)detail)->start;
		if (start == 1)
			hv_buf_puts(b, "<ol>\n");
		else
			hv_buf_printf(b, "<ol start=\"%u\">\n", start);
		break;
	}
	case MD_BLOCK_LI: hv_buf_puts(b, "<li>"); break;
	case MD_BLOCK_HR: hv_buf_puts(b, "<hr>\n"); break;
	case MD_BLOCK_H: hv_buf_puts(b, head[((MD_BLOCK_H_DETAIL *)detail)->level - 1]); break;
	case MD_BLOCK_CODE: {
		const MD_BLOCK_CODE_DETAIL *d = detail;
		hv_buf_puts(b, "<pre><code");
		if (d->lang.text) {
			hv_buf_puts(b, " class=\"language-");
			put_attr(b, &d->lang);
			hv_buf_putc(b, '"');
		}
		hv_buf_putc(b, '>');
		break;
	}
	case MD_BLOCK_P: hv_buf_puts(b, "<p>"); break;
	case MD_BLOCK_TABLE: hv_buf_puts(b, "<table>\n"); break;
	case MD_BLOCK_THEAD: hv_buf_puts(b, "<thead>\n"); break;
	case MD_BLOCK_TBODY: hv_buf_puts(b, "<tbody>\n"); break;
	case MD_BLOCK_TR: hv_buf_puts(b, "<tr>\n"); break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD: {
		MD_ALIGN al = ((MD_BLOCK_TD_DETAIL *)detail)->align;
		hv_buf_puts(b, type == MD_BLOCK_TH ? "<th" : "<td");
		hv_buf_puts(b, al == MD_ALIGN_LEFT ? " align=\"left\">" : al == MD_ALIGN_CENTER ? " align=\"center\">"
		               : al == MD_ALIGN_RIGHT ? " align=\"right\">" : ">");
		break;
	}
	default: break; /* the document; raw HTML blocks (never with MD_FLAG_NOHTML) */
	}
	return 0;
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *userdata)
{
	static const char *const head[6] = {"</h1>\n", "</h2>\n", "</h3>\n", "</h4>\n", "</h5>\n", "</h6>\n"};
	struct render *r = userdata;
	struct hv_buf *b = r->out;
	switch (type) {
	case MD_BLOCK_QUOTE: hv_buf_puts(b, "</blockquote>\n"); break;
	case MD_BLOCK_UL: hv_buf_puts(b, "</ul>\n"); break;
	case MD_BLOCK_OL: hv_buf_puts(b, "</ol>\n"); break;
	case MD_BLOCK_LI: hv_buf_puts(b, "</li>\n"); break;
	case MD_BLOCK_H: hv_buf_puts(b, head[((MD_BLOCK_H_DETAIL *)detail)->level - 1]); break;
	case MD_BLOCK_CODE: hv_buf_puts(b, "</code></pre>\n"); break;
	case MD_BLOCK_P: hv_buf_puts(b, "</p>\n"); break;
	case MD_BLOCK_TABLE: hv_buf_puts(b, "</table>\n"); break;
	case MD_BLOCK_THEAD: hv_buf_puts(b, "</thead>\n"); break;
	case MD_BLOCK_TBODY: hv_buf_puts(b, "</tbody>\n"); break;
	case MD_BLOCK_TR: hv_buf_puts(b, "</tr>\n"); break;
	case MD_BLOCK_TH: hv_buf_puts(b, "</th>\n"); break;
	case MD_BLOCK_TD: hv_buf_puts(b, "</td>\n"); break;
	default: break;
	}
	return 0;
}

static void open_link(struct render *r, const MD_SPAN_A_DETAIL *d)
{
	struct hv_buf u;
	hv_buf_init(&u);
	r->link_shown = address_ok(&d->href, false, &u);
	if (r->link_shown) {
		hv_buf_puts(r->out, "<a href=\"");
		put_url(r->out, u.data ? u.data : "", u.len);
		if (d->title.text) {
			hv_buf_puts(r->out, "\" title=\"");
			put_attr(r->out, &d->title);
		}
		hv_buf_puts(r->out, "\">");
	} else
		refused(r);
	hv_buf_free(&u);
}

static void open_image(struct render *r, const MD_SPAN_IMG_DETAIL *d)
{
	struct hv_buf u;
	hv_buf_init(&u);
	r->img_shown = address_ok(&d->src, true, &u);
	if (r->img_shown) {
		hv_buf_puts(r->out, "<img src=\"");
		put_url(r->out, u.data ? u.data : "", u.len);
		hv_buf_puts(r->out, "\" alt=\"");
	} else
		refused(r); /* its description is written as plain text */
	hv_buf_free(&u);
}

static int enter_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct render *r = userdata;
	if (r->img_level > 0) { /* inside an image description: text only */
		r->img_level += type == MD_SPAN_IMG;
		return 0;
	}
	switch (type) {
	case MD_SPAN_EM: hv_buf_puts(r->out, "<em>"); break;
	case MD_SPAN_STRONG: hv_buf_puts(r->out, "<strong>"); break;
	case MD_SPAN_CODE: hv_buf_puts(r->out, "<code>"); break;
	case MD_SPAN_DEL: hv_buf_puts(r->out, "<del>"); break;
	case MD_SPAN_A: open_link(r, detail); break;
	case MD_SPAN_IMG:
		r->img_level = 1;
		open_image(r, detail);
		break;
	default: break;
	}
	return 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *userdata)
{
	struct render *r = userdata;
	if (type == MD_SPAN_A || type == MD_SPAN_IMG)
		r->want_pos = false; /* a refused link without text: keep the text before it */
	if (r->img_level > 0) {
		if (type == MD_SPAN_IMG && --r->img_level == 0 && r->img_shown) {
			const MD_SPAN_IMG_DETAIL *d = detail;
			if (d->title.text) {
				hv_buf_puts(r->out, "\" title=\"");
				put_attr(r->out, &d->title);
			}
			hv_buf_puts(r->out, "\">");
		}
		return 0;
	}
	switch (type) {
	case MD_SPAN_EM: hv_buf_puts(r->out, "</em>"); break;
	case MD_SPAN_STRONG: hv_buf_puts(r->out, "</strong>"); break;
	case MD_SPAN_CODE: hv_buf_puts(r->out, "</code>"); break;
	case MD_SPAN_DEL: hv_buf_puts(r->out, "</del>"); break;
	case MD_SPAN_A:
		if (r->link_shown)
			hv_buf_puts(r->out, "</a>");
		break;
	default: break;
	}
	return 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *userdata)
{
	struct render *r = userdata;
	if (s >= r->md && s < r->md + r->len) {
		r->last = s;
		if (r->want_pos) {
			r->bad = s;
			r->want_pos = false;
		}
	}
	void (*esc)(struct hv_buf *, const char *, size_t) = r->img_level ? hv_buf_html : put_text;
	switch (type) {
	case MD_TEXT_NULLCHAR: put_cp(r->out, 0xFFFD); break;
	case MD_TEXT_BR: hv_buf_puts(r->out, r->img_level ? " " : "<br>\n"); break;
	case MD_TEXT_SOFTBR: hv_buf_puts(r->out, r->img_level ? " " : "\n"); break;
	case MD_TEXT_ENTITY: put_entity(r->out, s, n, esc); break;
	default: esc(r->out, s, n); break; /* normal, code, and raw HTML (shown as text) */
	}
	return 0;
}

int hv_markdown_render(struct hv_arena *a, const char *md, size_t len, char **html, int *bad_line)
{
	struct hv_buf b;
	hv_buf_init(&b);
	struct render r = {.out = &b, .md = md, .len = len};
	MD_PARSER p = {0};
	p.flags = MD_FLAGS;
	p.enter_block = enter_block;
	p.leave_block = leave_block;
	p.enter_span = enter_span;
	p.leave_span = leave_span;
	p.text = text;
	int rc = md_parse(md, (MD_SIZE)len, &p, &r);
	*bad_line = 0;
	if (r.refused) {
		*bad_line = 1;
		for (const char *q = md; r.bad && q < r.bad; q++)
			*bad_line += *q == '\n';
	}
	*html = rc == 0 ? hv_arena_strndup(a, b.data ? b.data : "", b.len) : NULL;
	hv_buf_free(&b);
	return rc == 0 ? HV_OK : HV_EINVAL;
}
