/* respond.c: what every handler uses to read parameters and answer:
 * cookies, CSRF tokens, redirects, pages in the layout, JSON and errors. */
#include "views/ctx.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "core/ids.h"
#include "core/log.h"
#include "domain/learn/vc_verify.h"
#include "domain/places/units.h"
#include "views/tmpl.h"
#include "domain/people/audit.h"

const char *hv_param(const struct hv_params *p, const char *key)
{
	for (int i = 0; i < p->n; i++)
		if (strcmp(p->items[i].key, key) == 0)
			return p->items[i].value;
	return NULL;
}

const char *hv_query(struct hv_ctx *c, const char *key) { return hv_param(&c->query, key); }
const char *hv_form(struct hv_ctx *c, const char *key) { return hv_param(&c->form, key); }
const char *hv_cookie(struct hv_ctx *c, const char *key) { return hv_param(&c->cookies, key); }

bool hv_is_api(const struct hv_ctx *c)
{
	return strncmp(c->path, "/api/", 5) == 0;
}

void hv_set_cookie(struct hv_ctx *c, const char *name, const char *value, int64_t max_age)
{
	if (c->nset_cookie >= HV_MAX_SET_COOKIES)
		return;
	c->set_cookie[c->nset_cookie++] =
		hv_arena_printf(c->arena, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Lax%s", name, value,
		                (long long)max_age, c->app->cfg->secure_cookies ? "; Secure" : "");
	c->no_store = true;
}

/* CSRF: HMAC(server secret, binding), binding = session token when signed
 * in, else a random anonymous cookie.  Stateless, so any app server can
 * check a token another one issued. */
static const char *csrf_binding(struct hv_ctx *c, bool create)
{
	if (c->who && !c->who->via_token)
		return c->who->session_token;
	const char *anon = hv_cookie(c, "hv_a");
	if ((!anon || strlen(anon) != HV_TOKEN_CHARS) && create) {
		char *tok = hv_arena_alloc(c->arena, HV_TOKEN_CHARS + 1);
		hv_token_new(tok);
		hv_set_cookie(c, "hv_a", tok, 86400 * 30);
		/* Remember it for this request so the token matches the cookie. */
		struct hv_kv *items = hv_arena_alloc(c->arena, (size_t)(c->cookies.n + 1) * sizeof *items);
		if (c->cookies.n)
			memcpy(items, c->cookies.items, (size_t)c->cookies.n * sizeof *items);
		items[c->cookies.n++] = (struct hv_kv){"hv_a", tok};
		c->cookies.items = items;
		anon = tok;
	}
	return anon && strlen(anon) == HV_TOKEN_CHARS ? anon : NULL;
}

void hv_hmac(struct hv_ctx *c, const char *purpose, const char *data, size_t n, unsigned char out[32])
{
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, c->app->secret, sizeof c->app->secret);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)purpose, strlen(purpose));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)data, n);
	crypto_auth_hmacsha256_final(&st, out);
}

static void csrf_for(struct hv_ctx *c, const char *binding, char out[HV_TOKEN_CHARS + 1])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	hv_hmac(c, "csrf:", binding, strlen(binding), mac);
	sodium_bin2base64(out, HV_TOKEN_CHARS + 1, mac, sizeof mac, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

const char *hv_csrf_token(struct hv_ctx *c)
{
	const char *b = csrf_binding(c, true);
	c->no_store = true;
	if (c->csrf_token && b && c->csrf_bound && !strcmp(b, c->csrf_bound))
		return c->csrf_token;
	char *tok = hv_arena_alloc(c->arena, HV_TOKEN_CHARS + 1);
	csrf_for(c, b, tok);
	c->csrf_token = tok;
	c->csrf_bound = b;
	return tok;
}

bool hv_csrf_ok(struct hv_ctx *c)
{
	const char *b = csrf_binding(c, false);
	const char *given = c->csrf_header ? c->csrf_header : hv_form(c, "_csrf");
	if (!b || !given || strlen(given) != HV_TOKEN_CHARS)
		return false;
	char want[HV_TOKEN_CHARS + 1];
	csrf_for(c, b, want);
	return sodium_memcmp(want, given, HV_TOKEN_CHARS) == 0;
}

void hv_redirect(struct hv_ctx *c, const char *location)
{
	c->status = 303;
	c->location = hv_arena_strdup(c->arena, location);
	hv_buf_reset(&c->body);
}

int hv_status_for(int code)
{
	switch (code) {
	case HV_OK: return 200;
	case HV_EINVAL: return 400;
	case HV_ENOTFOUND: return 404;
	case HV_EFORBIDDEN: return 403;
	case HV_ECONFLICT: return 409;
	case HV_ETOOBIG: return 413;
	case HV_EUNAUTH: return 401;
	case HV_ELIMIT: return 429;
	case HV_EUNAVAIL: return 503;
	default: return 500;
	}
}

int hv_json(struct hv_ctx *c, int status, json_t *v)
{
	hv_buf_reset(&c->body);
	char *s = json_dumps(v, JSON_COMPACT | JSON_ESCAPE_SLASH);
	json_decref(v);
	if (!s) {
		c->status = 500;
		hv_buf_puts(&c->body, "{\"error\":\"internal\"}");
	} else {
		c->status = status;
		hv_buf_puts(&c->body, s);
		free(s);
	}
	c->resp_type = "application/json";
	return HV_OK;
}

struct hv_val *hv_page_data(struct hv_ctx *c)
{
	struct hv_val *d = hv_obj(c->arena);
	hv_set_str(d, "lang", c->lang);
	hv_set_bool(d, "en", strcmp(c->lang, "en") == 0);
	/* The page's own address (with its query) for the language switch. */
	if (c->query_string && *c->query_string && strlen(c->query_string) < 400)
		hv_set(d, "path", hv_str(c->arena, hv_arena_printf(c->arena, "%s?%s", c->path, c->query_string)));
	else
		hv_set_str(d, "path", c->path);
	const char *large = hv_cookie(c, "hv_large");
	hv_set_bool(d, "large", large && !strcmp(large, "1"));
	if (c->who) {
		struct hv_val *u = hv_set(d, "user", hv_obj(c->arena));
		hv_set_str(u, "name", c->who->acct.name);
		hv_set_bool(u, "staff", strcmp(c->who->acct.kind, "staff") == 0);
		bool manages = false;
		for (int i = 0; i < c->who->acct.nroles; i++)
			manages |= (c->who->acct.roles[i].kind & HV_ROLES_MANAGE_ACCOUNTS) != 0;
		hv_set_bool(u, "manages", manages && c->who->second_factor);
		bool edits = false;
		for (int i = 0; i < c->who->acct.nroles; i++)
			edits |= (c->who->acct.roles[i].kind & (HV_ROLE_EDITOR | HV_ROLE_ADMIN)) && !strcmp(c->who->acct.roles[i].unit, "VN");
		hv_set_bool(u, "edits", edits && c->who->second_factor);
		bool helps = false;
		for (int i = 0; i < c->who->acct.nroles; i++)
			helps |= (c->who->acct.roles[i].kind & (HV_ROLE_VOLUNTEER | HV_ROLE_COORDINATOR | HV_ROLE_MANAGER)) != 0;
		hv_set_bool(u, "helps", helps && c->who->second_factor);
		bool organises = false;
		for (int i = 0; i < c->who->acct.nroles; i++)
			organises |= (c->who->acct.roles[i].kind & (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR)) != 0;
		hv_set_bool(u, "organises", organises && c->who->second_factor);
		bool measures = false;
		for (int i = 0; i < c->who->acct.nroles; i++)
			measures |= (c->who->acct.roles[i].kind &
			             (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_COORDINATOR | HV_ROLE_VIEWER)) != 0;
		hv_set_bool(u, "measures", measures && c->who->second_factor);
		hv_set_str(d, "csrf", hv_csrf_token(c));
	}
	return d;
}

int hv_page(struct hv_ctx *c, const char *tmpl, const char *title, struct hv_val *data)
{
	char err[256];
	struct hv_buf inner;
	hv_buf_init(&inner);
	if (!data)
		data = hv_page_data(c);
	if (!hv_get(data, "lang")) {
		struct hv_val *base = hv_page_data(c);
		for (struct hv_field *f = base->fields; f; f = f->next)
			if (!hv_get(data, f->key))
				hv_set(data, f->key, f->v);
	}
	int rc = hv_render(tmpl, data, c->lang, &inner, err, sizeof err);
	if (rc == 0) {
		/* The body in place (not copied): it lives until the layout is done. */
		hv_set(data, "body", hv_str(c->arena, inner.data ? inner.data : ""));
		hv_set_str(data, "title", title);
		/* "Page · Site", but the home page is titled by the site alone. */
		const char *site = hv_t(c->lang, "site.name");
		hv_set_bool(data, "title_is_site", title && !strcmp(title, site));
		hv_buf_reset(&c->body);
		rc = hv_render("layout", data, c->lang, &c->body, err, sizeof err);
		hv_set_str(data, "body", "");
	}
	hv_buf_free(&inner);
	if (rc < 0) {
		hv_error("template: %s", err);
		c->status = 500;
		hv_buf_reset(&c->body);
		hv_buf_puts(&c->body, "<!doctype html><title>500</title><p>Lỗi máy chủ / Server error</p>");
		c->resp_type = "text/html; charset=utf-8";
		return HV_EINTERNAL;
	}
	if (!c->status)
		c->status = 200;
	c->resp_type = "text/html; charset=utf-8";
	return HV_OK;
}

int hv_fail(struct hv_ctx *c, int code, const char *field, const char *msg)
{
	int status = hv_status_for(code);
	c->no_store = true;
	if (hv_is_api(c)) {
		json_t *o = json_pack("{s:s, s:s}", "error", hv_err_name(code), "message", msg ? msg : "");
		if (field && *field)
			json_object_set_new(o, "field", json_string(field));
		if (c->path && !strncmp(c->path, "/api/v1/credentials/", 20)) {
			/* The VC API's shape too (views/learn/api_credentials.c). */
			json_t *errors = json_array();
			json_array_append_new(errors, hv_vc_problem(status == 401 || status == 403 ? "UNAUTHORIZED" : "PROCESSING_ERROR",
			                                            msg ? msg : ""));
			json_object_set_new(o, "verified", json_false());
			json_object_set_new(o, "checks", json_array());
			json_object_set_new(o, "warnings", json_array());
			json_object_set_new(o, "errors", errors);
		}
		return hv_json(c, status, o);
	}
	struct hv_val *d = hv_page_data(c);
	hv_set_int(d, "status", status);
	hv_set_str(d, "message", msg ? msg : "");
	hv_set_bool(d, "not_found", status == 404);
	hv_set_bool(d, "need_signin", status == 401);
	c->status = status;
	hv_page(c, "error", hv_t(c->lang, status == 404 ? "error.not_found" : "error.title"), d);
	c->status = status;
	return HV_OK;
}

int hv_fail_err(struct hv_ctx *c, const struct hv_error *e)
{
	return hv_fail(c, e->code, e->field, e->msg);
}

bool hv_audit_read(struct hv_ctx *c, const char *action, const char *target, const char *unit, const char *detail)
{
	if (hv_audit_write(c->app->store, c->who->acct.id, action, target, unit, detail, c->ip) == HV_OK)
		return true;
	hv_error("audit: %s %s not written: not served", action, target);
	hv_fail(c, HV_EUNAVAIL, NULL, hv_t(c->lang, "error.audit"));
	return false;
}

struct hv_pack *hv_ctx_catalog(struct hv_ctx *c)
{
	struct hv_pack *p = hv_catalog_acquire();
	if (p)
		hv_arena_defer(c->arena, (void (*)(void *))hv_catalog_release, p);
	return p;
}

struct hv_units *hv_ctx_units(struct hv_ctx *c)
{
	struct hv_units *u = hv_units_acquire();
	if (u)
		hv_arena_defer(c->arena, (void (*)(void *))hv_units_release, u);
	return u;
}
