/* assets.c: lookup in the generated, name-sorted asset table. */
#include "core/assets.h"

#include <string.h>

const struct hv_asset *hv_asset_find(const char *name)
{
	unsigned lo = 0, hi = hv_assets_count;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;
		int c = strcmp(name, hv_assets[mid].name);
		if (c == 0)
			return &hv_assets[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}
