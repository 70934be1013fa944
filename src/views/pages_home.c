/* pages_home.c: the home page, the language switch, /healthz and /metrics. */
#include "views/pages.h"

#include <sodium.h>
#include <string.h>

#include "core/metrics.h"
#include "domain/places/units.h"
#include "views/fragment_cache.h"
#include "views/routes.h"
#include "views/tmpl.h"

int hv_page_home(struct hv_ctx *c)
{
	struct hv_val *d = hv_page_data(c);
	struct hv_units *u = hv_units_acquire();
	hv_set_int(d, "nprovinces", (int64_t)hv_units_count(u, "province"));
	hv_set_int(d, "ncommunes", (int64_t)hv_units_count(u, "commune"));
	hv_units_release(u);
	return hv_page(c, "home", hv_t(c->lang, "home.title"), d);
}

const char *hv_safe_next(const char *next)
{
	/* Only our own absolute paths: "/x", never "//host" or "/\host". */
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\' || strlen(next) > 512)
		return "/";
	for (const char *p = next; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == '\\')
			return "/";
	return next;
}

/* Where a person lands after signing in, unless they were on their way
 * somewhere: each role its own start page (the first that applies). */
const char *hv_landing(const struct hv_account *a, const char *next)
{
	const char *safe = hv_safe_next(next);
	if (strcmp(safe, "/") != 0)
		return safe;
	int kinds = 0;
	for (int i = 0; i < a->nroles; i++)
		kinds |= a->roles[i].kind;
	if (kinds & (HV_ROLE_ADMIN | HV_ROLE_MANAGER | HV_ROLE_VIEWER))
		return "/bang-dieu-khien";
	if (kinds & HV_ROLE_COORDINATOR)
		return "/to-chuc";
	if (kinds & HV_ROLE_VOLUNTEER)
		return "/ho-tro";
	if (kinds & HV_ROLE_EDITOR)
		return "/bien-tap";
	return strcmp(a->kind, "learner") == 0 ? "/hoc-tap-cua-toi" : "/";
}

int hv_page_lang(struct hv_ctx *c)
{
	const char *l = hv_query(c, "l");
	if (!l || (strcmp(l, "vi") != 0 && strcmp(l, "en") != 0))
		return hv_fail(c, HV_EINVAL, "l", hv_t(c->lang, "lang.bad"));
	hv_set_cookie(c, "hv_lang", l, 365LL * 86400);
	hv_redirect(c, hv_safe_next(hv_query(c, "next")));
	return HV_OK;
}

int hv_healthz(struct hv_ctx *c)
{
	bool ok = hv_store_ping(c->app->store);
	c->no_store = true;
	return hv_json(c, ok ? 200 : 503, json_pack("{s:s}", "status", ok ? "ok" : "database unavailable"));
}

/* /metrics tells how busy the server is and which routes fail: for the
 * operator's Prometheus, on this machine (loopback), or elsewhere with
 * Authorization: Bearer METRICS_TOKEN when the token is set. */
static bool may_read_metrics(struct hv_ctx *c)
{
	const char *tok = c->app->cfg->metrics_token;
	if (tok[0] && c->authorization && !strncmp(c->authorization, "Bearer ", 7)) {
		const char *given = c->authorization + 7;
		return strlen(given) == strlen(tok) && sodium_memcmp(given, tok, strlen(tok)) == 0;
	}
	return !strncmp(c->ip, "127.", 4) || !strcmp(c->ip, "::1");
}

int hv_metrics_page(struct hv_ctx *c)
{
	if (!may_read_metrics(c))
		return hv_fail(c, HV_EFORBIDDEN, NULL, hv_t(c->lang, "error.metrics"));
	hv_buf_reset(&c->body);
	hv_metrics_render(&c->body, hv_route_name);
	uint64_t hits, misses;
	hv_fragments_counts(&hits, &misses);
	hv_buf_printf(&c->body, "# HELP hocvuso_dashboard_cache_total Dashboard parts served from memory (hit) or built (miss).\n"
	                        "# TYPE hocvuso_dashboard_cache_total counter\n"
	                        "hocvuso_dashboard_cache_total{result=\"hit\"} %llu\n"
	                        "hocvuso_dashboard_cache_total{result=\"miss\"} %llu\n",
	              (unsigned long long)hits, (unsigned long long)misses);
	c->status = 200;
	c->resp_type = "text/plain; version=0.0.4; charset=utf-8";
	c->no_store = true;
	return HV_OK;
}
