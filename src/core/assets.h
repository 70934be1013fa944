/* assets.h: files compiled into the binary by tools/embed.c (templates, web
 * assets, migrations, seed data).  Each entry's data is NUL-terminated. */
#ifndef HV_ASSETS_H
#define HV_ASSETS_H

#include <stddef.h>

struct hv_asset {
	const char *name;
	const unsigned char *data;
	size_t len;
};

extern const struct hv_asset hv_assets[];
extern const unsigned hv_assets_count;

/* Binary search by name such as "web/style.css"; NULL if absent. */
const struct hv_asset *hv_asset_find(const char *name);

#endif
