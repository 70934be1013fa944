/* pages_search.c: search over courses and lessons (page and JSON), and the
 * course catalogue as JSON. */
#include "views/pages.h"

#include <jansson.h>
#include <string.h>

#include "core/limits.h"
#include "core/utf8.h"
#include "domain/learn/content.h"
#include "views/tmpl.h"

static const char *hit_url(struct hv_ctx *c, const struct hv_search_hit *h)
{
	if (h->lesson)
		return hv_arena_printf(c->arena, "/hoc/%s/%s", h->course->slug, h->lesson->slug);
	return hv_arena_printf(c->arena, "/hoc/%s", h->course->slug);
}

static bool query_ok(struct hv_ctx *c, const char **q)
{
	*q = hv_query(c, "q");
	if (*q && strlen(*q) > HV_SEARCH_MAX) {
		hv_fail(c, HV_EINVAL, "q", hv_t(c->lang, "search.too_long"));
		return false;
	}
	return true;
}

int hv_page_search(struct hv_ctx *c)
{
	const char *q;
	if (!query_ok(c, &q))
		return HV_OK;
	struct hv_val *d = hv_page_data(c);
	hv_set_str(d, "q", q ? q : "");
	if (q && *q) {
		struct hv_pack *p = hv_ctx_catalog(c);
		struct hv_search_hit hits[HV_SEARCH_RESULTS];
		size_t n = hv_catalog_search(p, q, hits, HV_SEARCH_RESULTS);
		hv_set_bool(d, "searched", true);
		struct hv_val *list = hv_set(d, "hits", hv_list(c->arena));
		for (size_t i = 0; i < n; i++) {
			struct hv_val *o = hv_push(list, hv_obj(c->arena));
			hv_set(o, "title", hv_str(c->arena, hits[i].lesson ? hits[i].lesson->title : hits[i].course->title));
			hv_set(o, "course", hv_str(c->arena, hits[i].course->title));
			hv_set(o, "url_path", hv_str(c->arena, hit_url(c, &hits[i])));
			hv_set_bool(o, "is_course", !hits[i].lesson);
		}
	}
	return hv_page(c, "search", hv_t(c->lang, "search.title"), d);
}

int hv_api_search(struct hv_ctx *c)
{
	const char *q;
	if (!query_ok(c, &q))
		return HV_OK;
	json_t *a = json_array();
	if (q && *q) {
		struct hv_pack *p = hv_ctx_catalog(c);
		struct hv_search_hit hits[HV_SEARCH_RESULTS];
		size_t n = hv_catalog_search(p, q, hits, HV_SEARCH_RESULTS);
		for (size_t i = 0; i < n; i++) {
			json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:i}", "title", hits[i].lesson ? hits[i].lesson->title : hits[i].course->title,
			                      "url", hit_url(c, &hits[i]), "kind", hits[i].lesson ? "lesson" : "course",
			                      "course", hits[i].course->slug, "score", hits[i].score);
			json_array_append_new(a, o);
		}
	}
	return hv_json(c, 200, a);
}

int hv_api_courses(struct hv_ctx *c)
{
	struct hv_pack *p = hv_ctx_catalog(c);
	json_t *a = json_array();
	for (int k = 0; p && k < p->ncourses; k++) {
		const struct hv_course *co = &p->courses[k];
		if (!co->published)
			continue;
		int n = 0, minutes = 0;
		for (int i = 0; i < co->nlessons; i++)
			if (co->lessons[i]->published) {
				n++;
				minutes += co->lessons[i]->minutes;
			}
		json_t *tracks = json_array();
		for (int t = HV_TRACK_CITIZEN; t <= HV_TRACK_SMALL_BUSINESS; t <<= 1)
			if (co->tracks & t)
				json_array_append_new(tracks, json_string(hv_track_name(t)));
		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i, s:o, s:s}", "slug", co->slug, "title", co->title,
		                                   "summary", co->summary, "lessons", n, "minutes", minutes, "pass_mark", co->pass_mark,
		                                   "tracks", tracks, "url", hv_arena_printf(c->arena, "/hoc/%s", co->slug)));
	}
	return hv_json(c, 200, a);
}
