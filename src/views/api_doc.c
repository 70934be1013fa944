/* api_doc.c: GET /api/v1/openapi.json, the OpenAPI description of the JSON
 * API (docs/openapi.json, compiled into the binary; tests check it against
 * the routes and validate live answers with it). */
#include "views/pages.h"

#include "core/assets.h"

int hv_api_openapi(struct hv_ctx *c)
{
	const struct hv_asset *a = hv_asset_find("docs/openapi.json");
	if (!a)
		return hv_fail(c, HV_ENOTFOUND, NULL, "this build has no API description");
	hv_buf_reset(&c->body);
	hv_buf_append(&c->body, a->data, a->len);
	c->status = 200;
	c->resp_type = "application/json";
	return HV_OK;
}
