/* tmpl.c: compiling and rendering templates (see tmpl.h).
 *
 * Templates are parsed once into a tree of nodes.  Rendering walks the tree
 * with a small stack of scopes; every value goes through an escaper chosen
 * by the tag, and the default tag escapes for HTML. */
#include "views/tmpl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assets.h"
#include "core/buf.h"

bool hv_i18n_init(char *err, size_t errlen);
void hv_i18n_shutdown(void);

enum kind { N_TEXT, N_VAR, N_RAW, N_URL, N_HREF, N_T, N_IF, N_UNLESS, N_EACH, N_PARTIAL };

struct node {
	enum kind k;
	const char *text;  /* N_TEXT: into the asset */
	size_t len;
	char *arg;         /* path, i18n key or partial name (owned) */
	const char *vi, *en; /* N_T: the catalogue's texts, looked up once */
	int line;
	struct node *body, *alt, *next;
	const struct tmpl *partial;
};

struct tmpl {
	char name[64];
	struct node *root;
};

static struct tmpl *tmpls;
static size_t ntmpls;

#define MAX_DEPTH 16

struct parser {
	const char *src, *p, *end;
	const char *name;
	int line;
	char *err;
	size_t errlen;
};

static void free_nodes(struct node *n)
{
	while (n) {
		struct node *next = n->next;
		free_nodes(n->body);
		free_nodes(n->alt);
		free(n->arg);
		free(n);
		n = next;
	}
}

static struct node *new_node(enum kind k, int line)
{
	struct node *n = hv_xcalloc(1, sizeof *n);
	n->k = k;
	n->line = line;
	return n;
}

static int count_lines(const char *a, const char *b)
{
	int n = 0;
	for (; a < b; a++)
		n += *a == '\n';
	return n;
}

/* Parses until {{/close}} or {{else}} (when close is set) or the end.
 * *stop receives "else", "end" or "eof". */
static struct node *parse_seq(struct parser *ps, const char *close, const char **stop, bool *ok)
{
	struct node *head = NULL, **tail = &head;
	*stop = "eof";
	while (ps->p < ps->end) {
		const char *open = strstr(ps->p, "{{");
		if (!open || open >= ps->end)
			open = ps->end;
		if (open > ps->p) {
			struct node *t = new_node(N_TEXT, ps->line);
			t->text = ps->p;
			t->len = (size_t)(open - ps->p);
			*tail = t;
			tail = &t->next;
			ps->line += count_lines(ps->p, open);
		}
		if (open == ps->end) {
			ps->p = ps->end;
			break;
		}
		const char *shut = strstr(open + 2, "}}");
		if (!shut) {
			snprintf(ps->err, ps->errlen, "%s:%d: '{{' without '}}'", ps->name, ps->line);
			*ok = false;
			return head;
		}
		char tag[160];
		size_t tl = (size_t)(shut - open - 2);
		if (tl >= sizeof tag) {
			snprintf(ps->err, ps->errlen, "%s:%d: tag too long", ps->name, ps->line);
			*ok = false;
			return head;
		}
		memcpy(tag, open + 2, tl);
		tag[tl] = '\0';
		ps->line += count_lines(open, shut);
		ps->p = shut + 2;
		char *t = tag;
		while (*t == ' ')
			t++;
		size_t n = strlen(t);
		while (n && t[n - 1] == ' ')
			t[--n] = '\0';
		if (t[0] == '!')
			continue;
		if (strcmp(t, "else") == 0) {
			if (!close) {
				snprintf(ps->err, ps->errlen, "%s:%d: {{else}} outside a block", ps->name, ps->line);
				*ok = false;
			}
			*stop = "else";
			return head;
		}
		if (t[0] == '/') {
			if (!close || strcmp(t + 1, close) != 0) {
				snprintf(ps->err, ps->errlen, "%s:%d: unexpected {{%s}}", ps->name, ps->line, t);
				*ok = false;
			}
			*stop = "end";
			return head;
		}
		struct node *node;
		if (t[0] == '#') {
			char *sp = strchr(t, ' ');
			if (!sp) {
				snprintf(ps->err, ps->errlen, "%s:%d: block needs a name: {{%s}}", ps->name, ps->line, t);
				*ok = false;
				return head;
			}
			*sp = '\0';
			const char *word = t + 1;
			enum kind k;
			if (!strcmp(word, "if"))
				k = N_IF;
			else if (!strcmp(word, "unless"))
				k = N_UNLESS;
			else if (!strcmp(word, "each"))
				k = N_EACH;
			else {
				snprintf(ps->err, ps->errlen, "%s:%d: unknown block #%s", ps->name, ps->line, word);
				*ok = false;
				return head;
			}
			node = new_node(k, ps->line);
			node->arg = hv_xstrdup(sp + 1);
			const char *why;
			node->body = parse_seq(ps, word, &why, ok);
			if (*ok && !strcmp(why, "else") && k != N_EACH)
				node->alt = parse_seq(ps, word, &why, ok);
			if (*ok && strcmp(why, "end") != 0) {
				snprintf(ps->err, ps->errlen, "%s:%d: {{#%s}} is not closed", ps->name, node->line, word);
				*ok = false;
			}
		} else if (t[0] == '>') {
			node = new_node(N_PARTIAL, ps->line);
			const char *nm = t + 1;
			while (*nm == ' ')
				nm++;
			node->arg = hv_xstrdup(nm);
		} else if (!strncmp(t, "raw ", 4)) {
			node = new_node(N_RAW, ps->line);
			node->arg = hv_xstrdup(t + 4);
		} else if (!strncmp(t, "url ", 4)) {
			node = new_node(N_URL, ps->line);
			node->arg = hv_xstrdup(t + 4);
		} else if (!strncmp(t, "href ", 5)) {
			node = new_node(N_HREF, ps->line);
			node->arg = hv_xstrdup(t + 5);
		} else if (!strncmp(t, "_ ", 2)) {
			node = new_node(N_T, ps->line);
			node->arg = hv_xstrdup(t + 2);
			node->vi = hv_t("vi", node->arg);
			node->en = hv_t("en", node->arg);
			if (!hv_t_exists(node->arg)) {
				snprintf(ps->err, ps->errlen, "%s:%d: unknown i18n key '%s'", ps->name, ps->line, node->arg);
				*ok = false;
			}
		} else {
			node = new_node(N_VAR, ps->line);
			node->arg = hv_xstrdup(t);
		}
		for (const char *c = node->arg; *c; c++) {
			if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
			      *c == '.' || *c == '-')) {
				snprintf(ps->err, ps->errlen, "%s:%d: bad name '%s'", ps->name, ps->line, node->arg);
				*ok = false;
				break;
			}
		}
		*tail = node;
		tail = &node->next;
		if (!*ok)
			return head;
	}
	if (close) {
		snprintf(ps->err, ps->errlen, "%s: missing {{/%s}}", ps->name, close);
		*ok = false;
	}
	return head;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name, ((const struct tmpl *)b)->name);
}

/* Templates are sorted by name once all are parsed. */
static const struct tmpl *find(const char *name)
{
	struct tmpl key;
	snprintf(key.name, sizeof key.name, "%s", name);
	return bsearch(&key, tmpls, ntmpls, sizeof *tmpls, by_name);
}

static bool link_partials(struct node *n, const char *tname, char *err, size_t errlen)
{
	for (; n; n = n->next) {
		if (n->k == N_PARTIAL) {
			n->partial = find(n->arg);
			if (!n->partial) {
				snprintf(err, errlen, "%s:%d: unknown partial '%s'", tname, n->line, n->arg);
				return false;
			}
		}
		if (!link_partials(n->body, tname, err, errlen) || !link_partials(n->alt, tname, err, errlen))
			return false;
	}
	return true;
}

bool hv_tmpl_init(char *err, size_t errlen)
{
	if (!hv_i18n_init(err, errlen))
		return false;
	static const char prefix[] = "src/views/templates/";
	size_t count = 0;
	for (unsigned i = 0; i < hv_assets_count; i++)
		count += strncmp(hv_assets[i].name, prefix, sizeof prefix - 1) == 0;
	tmpls = hv_xcalloc(count + 1, sizeof *tmpls);
	for (unsigned i = 0; i < hv_assets_count; i++) {
		const struct hv_asset *a = &hv_assets[i];
		if (strncmp(a->name, prefix, sizeof prefix - 1) != 0)
			continue;
		struct tmpl *t = &tmpls[ntmpls++];
		snprintf(t->name, sizeof t->name, "%s", a->name + sizeof prefix - 1);
		char *dot = strrchr(t->name, '.');
		if (dot)
			*dot = '\0';
		struct parser ps = {.src = (const char *)a->data, .p = (const char *)a->data,
		                    .end = (const char *)a->data + a->len, .name = a->name, .line = 1, .err = err, .errlen = errlen};
		bool ok = true;
		const char *stop;
		t->root = parse_seq(&ps, NULL, &stop, &ok);
		if (!ok)
			return false;
	}
	qsort(tmpls, ntmpls, sizeof *tmpls, by_name);
	for (size_t i = 0; i < ntmpls; i++)
		if (!link_partials(tmpls[i].root, tmpls[i].name, err, errlen))
			return false;
	return true;
}

void hv_tmpl_shutdown(void)
{
	for (size_t i = 0; i < ntmpls; i++)
		free_nodes(tmpls[i].root);
	free(tmpls);
	tmpls = NULL;
	ntmpls = 0;
	hv_i18n_shutdown();
}

/* ---- rendering ---- */

struct render {
	const struct hv_val *scopes[MAX_DEPTH];
	int nscopes;
	bool en;           /* English texts, else Vietnamese (hv_t's rule) */
	struct hv_buf *out;
	char *err;
	size_t errlen;
	const char *tname;
	int depth;
};

static const struct hv_val *lookup(struct render *r, const char *path)
{
	if (path[0] == '.' && path[1] == '\0')
		return r->nscopes ? r->scopes[r->nscopes - 1] : NULL;
	size_t n = strcspn(path, ".");
	uint32_t hash = hv_key_hash(path, n);
	const struct hv_val *v = NULL;
	for (int i = r->nscopes - 1; i >= 0 && !v; i--)
		v = hv_get_hashed(r->scopes[i], path, n, hash);
	const char *rest = path + n;
	while (v && *rest == '.') {
		rest++;
		n = strcspn(rest, ".");
		v = hv_get_hashed(v, rest, n, hv_key_hash(rest, n));
		rest += n;
	}
	return v;
}

static void emit(struct render *r, const struct hv_val *v, enum kind k)
{
	char num[24];
	const char *s;
	if (v->t == HV_V_INT && k != N_HREF) {
		hv_buf_i64(r->out, v->i); /* digits need no escaping */
		return;
	}
	switch (v->t) {
	case HV_V_STR: s = v->s; break;
	case HV_V_INT: snprintf(num, sizeof num, "%lld", (long long)v->i); s = num; break;
	case HV_V_BOOL: s = v->b ? "true" : "false"; break;
	default: s = ""; break;
	}
	if (k == N_RAW) {
		hv_buf_puts(r->out, s);
	} else if (k == N_HREF) {
		/* A link target: our own path or http(s); anything else (javascript:,
		 * data:, //host) becomes "#", and so does one with a control
		 * character (browsers drop tabs and newlines: "/\t/host" is
		 * //host).  Quotes, angle brackets and ampersands are escaped. */
		bool ok = (s[0] == '/' && s[1] != '/' && s[1] != '\\') || !strncmp(s, "https://", 8) || !strncmp(s, "http://", 7);
		for (const char *p = s; ok && *p; p++)
			ok = (unsigned char)*p >= 0x20 && *p != 0x7F;
		if (!ok) {
			hv_buf_putc(r->out, '#');
			return;
		}
		for (const char *p = s; *p; p++) {
			switch (*p) {
			case '&': hv_buf_puts(r->out, "&amp;"); break;
			case '<': hv_buf_puts(r->out, "&lt;"); break;
			case '>': hv_buf_puts(r->out, "&gt;"); break;
			case '"': hv_buf_puts(r->out, "&quot;"); break;
			case '\'': hv_buf_puts(r->out, "&#39;"); break;
			default: hv_buf_putc(r->out, *p);
			}
		}
	} else if (k == N_URL)
		hv_buf_urlenc(r->out, s, strlen(s));
	else
		hv_buf_html(r->out, s, strlen(s));
}

static int walk(struct render *r, const struct node *n)
{
	for (; n; n = n->next) {
		switch (n->k) {
		case N_TEXT:
			hv_buf_append(r->out, n->text, n->len);
			break;
		case N_T:
			hv_buf_puts(r->out, r->en ? n->en : n->vi); /* catalogue text is ours: trusted */
			break;
		case N_VAR:
		case N_RAW:
		case N_HREF:
		case N_URL: {
			const struct hv_val *v = lookup(r, n->arg);
			if (!v) {
				snprintf(r->err, r->errlen, "%s:%d: no value for '%s'", r->tname, n->line, n->arg);
				return -1;
			}
			emit(r, v, n->k);
			break;
		}
		case N_IF:
		case N_UNLESS: {
			bool t = hv_truthy(lookup(r, n->arg));
			if (n->k == N_UNLESS)
				t = !t;
			if (walk(r, t ? n->body : n->alt) < 0)
				return -1;
			break;
		}
		case N_EACH: {
			const struct hv_val *v = lookup(r, n->arg);
			if (!v || v->t != HV_V_LIST)
				break;
			if (r->nscopes >= MAX_DEPTH) {
				snprintf(r->err, r->errlen, "%s:%d: nesting too deep", r->tname, n->line);
				return -1;
			}
			for (size_t i = 0; i < v->n; i++) {
				r->scopes[r->nscopes++] = v->items[i];
				int rc = walk(r, n->body);
				r->nscopes--;
				if (rc < 0)
					return -1;
			}
			break;
		}
		case N_PARTIAL:
			if (++r->depth > MAX_DEPTH) {
				snprintf(r->err, r->errlen, "%s: partials nest too deep", r->tname);
				return -1;
			}
			if (walk(r, n->partial->root) < 0)
				return -1;
			r->depth--;
			break;
		}
	}
	return 0;
}

int hv_render(const char *name, const struct hv_val *data, const char *lang, struct hv_buf *out, char *err, size_t errlen)
{
	const struct tmpl *t = find(name);
	if (!t) {
		snprintf(err, errlen, "no template '%s'", name);
		return -1;
	}
	struct render r = {.en = lang && !strcmp(lang, "en"), .out = out, .err = err, .errlen = errlen, .tname = name};
	r.scopes[r.nscopes++] = data;
	return walk(&r, t->root);
}
