/* pages_definitions.c: /chi-so, the published definition of every
 * indicator (its one name, what counts, the numerator and denominator of
 * each ratio, what a deletion or a revocation does), from the measure
 * module's table (domain/measure/indicators.c), in Vietnamese or English. */
#include "views/pages.h"

#include <string.h>

#include "domain/measure/measure.h"
#include "views/tmpl.h"

static void list(struct hv_ctx *c, struct hv_val *to, const struct hv_indicator *ind)
{
	bool en = !strcmp(c->lang, "en");
	for (int i = 0; ind[i].code; i++) {
		struct hv_val *o = hv_push(to, hv_obj(c->arena));
		hv_set_str(o, "code", ind[i].code);
		hv_set_str(o, "name", en ? ind[i].name_en : ind[i].name_vi);
		hv_set_str(o, "what", en ? ind[i].formula_en : ind[i].formula);
		hv_set_str(o, "removal", en ? ind[i].removal_en : ind[i].removal_vi);
		if (ind[i].num) {
			char *num = hv_arena_strdup(c->arena, ind[i].num);
			num[strcspn(num, "@")] = '\0'; /* "people_certified@gpupil": that group's breakdown */
			hv_set_str(o, "num", hv_indicator_name(num, c->lang));
			hv_set_str(o, "den", strncmp(ind[i].den, "population:", 11) ? hv_indicator_name(ind[i].den, c->lang)
			                                                              : hv_t(c->lang, hv_arena_printf(c->arena, "defs.%s", ind[i].den + 11)));
		}
	}
}

int hv_page_definitions(struct hv_ctx *c)
{
	struct hv_val *d = hv_page_data(c);
	list(c, hv_set(d, "counts", hv_list(c->arena)), hv_indicators);
	list(c, hv_set(d, "ratios", hv_list(c->arena)), hv_ratios);
	return hv_page(c, "definitions", hv_t(c->lang, "defs.title"), d);
}
