/* pages_picker.c: the unit picker of the staff pages that take a unit
 * (the dashboard, /to-chuc): GET /chon-don-vi?den=PAGE&ten=NAME lists the
 * units whose name matches — ignoring case, diacritics and tone-mark
 * placement, as /don-vi's search — among those the caller's roles reach,
 * each a link to that page for the unit.  Without JavaScript the picker's
 * form posts here; with it, app.js asks this page as one types and shows
 * its list under the field. */
#include "views/pages.h"

#include <string.h>

#include "core/limits.h"
#include "core/utf8.h"
#include "domain/measure/ranking.h"
#include "domain/places/units.h"
#include "views/tmpl.h"
#include "domain/people/roles.h"

/* The pages a unit may be picked for: ?den= value, link pattern. */
static const char *const pages[][2] = {
	{"bang-dieu-khien", "/bang-dieu-khien/%s"},
	{"to-chuc", "/to-chuc?don-vi=%s"},
};

#define PICKER_SCAN 200

int hv_page_picker(struct hv_ctx *c)
{
	c->no_store = true;
	const char *to = hv_query(c, "den"), *name = hv_query(c, "ten");
	size_t k = 0, npages = sizeof pages / sizeof pages[0];
	while (to && k < npages && strcmp(pages[k][0], to) != 0)
		k++;
	if (!to || k == npages)
		return hv_fail(c, HV_EINVAL, "den", hv_t(c->lang, "picker.bad_page"));
	if (!name || !*name || strlen(name) > 100 || !hv_utf8_valid(name, strlen(name)))
		return hv_fail(c, HV_EINVAL, "ten", hv_t(c->lang, "picker.bad_name"));
	struct hv_units *u = hv_ctx_units(c);
	const struct hv_unit *hits[PICKER_SCAN];
	size_t n = hv_units_search(u, name, hits, PICKER_SCAN);
	struct hv_val *d = hv_page_data(c);
	struct hv_val *list = hv_set(d, "matches", hv_list(c->arena));
	size_t shown = 0;
	for (size_t i = 0; i < n && shown < HV_SEARCH_RESULTS; i++) {
		if (!hv_can(c->who, HV_ROLES_SEE_FIGURES, hits[i]))
			continue;
		struct hv_val *o = hv_push(list, hv_obj(c->arena));
		hv_set_str(o, "name", hits[i]->name);
		hv_set_str(o, "link", hv_arena_printf(c->arena, pages[k][1], hits[i]->code));
		hv_set_str(o, "parent", hits[i]->parent && hits[i]->depth == 2 ? hits[i]->parent->name : "");
		shown++;
	}
	hv_set_str(d, "picker_to", pages[k][0]);
	hv_set_str(d, "picker_name", name);
	hv_set_bool(d, "picker_open", true);
	return hv_page(c, "picker", hv_t(c->lang, "picker.title"), d);
}
