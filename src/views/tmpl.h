/* tmpl.h: auto-escaping HTML templates compiled into the binary.
 *
 *   {{name}} {{a.b}} {{.}}   value, HTML-escaped (& < > " ' /)
 *   {{url name}}             value, percent-encoded for a URL component
 *   {{href name}}            a whole link target: a local path or http(s) URL,
 *                            attribute-escaped; anything else becomes "#"
 *   {{raw name}}             value unescaped: only for HTML we built ourselves;
 *                            grep for "{{raw" in review
 *   {{_ key}}                the i18n text for key in the page's language
 *   {{#if x}}…{{else}}…{{/if}}   {{#unless x}}…{{/unless}}
 *   {{#each list}}…{{/each}} inside, names resolve in the item first
 *   {{> other}}              include another template
 *   {{! comment}}
 *
 * All templates compile at start-up; a syntax error, an unknown partial or
 * an unknown i18n key stops the program.  At render time a missing value in
 * {{name}} is an error (a handler bug), while #if treats it as false. */
#ifndef HV_TMPL_H
#define HV_TMPL_H

#include <stdbool.h>

#include "core/buf.h"
#include "views/val.h"

/* Compiles every template and the i18n catalogue; false with a message. */
bool hv_tmpl_init(char *err, size_t errlen);
void hv_tmpl_shutdown(void);
/* Renders template name with data in lang ("vi" or "en") onto out. */
int hv_render(const char *name, const struct hv_val *data, const char *lang, struct hv_buf *out,
              char *err, size_t errlen);
/* The catalogue text for key; the key itself if unknown. */
const char *hv_t(const char *lang, const char *key);
bool hv_t_exists(const char *key);

#endif
