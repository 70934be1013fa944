/* fuzz_json.c: JSON request bodies as http/server.c parses them:
 * json_loadb(body, len, JSON_REJECT_DUPLICATES, &err) (jansson).
 *
 * Input: the body, at most HV_MAX_BODY_AUTH bytes.  This fuzzes our use of
 * the library (flags, ownership: every parsed value is released) and the
 * library itself.  Properties: a parsed body is an object or an array (no
 * JSON_DECODE_ANY); a failure has a message and a position inside the
 * input; dumping a parsed value and loading it again gives an equal value
 * (and the reload accepts it under the same flags). */
#include "fuzz.h"

#include <jansson.h>

#include "core/limits.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > HV_MAX_BODY_AUTH)
		return 0;
	char *body = fuzz_dup_exact(data, size);
	json_error_t err;
	json_t *j = json_loadb(body, size, JSON_REJECT_DUPLICATES, &err);
	if (!j) {
		FUZZ_ASSERT(err.text[0] != '\0');
		FUZZ_ASSERT(err.position >= 0 && (size_t)err.position <= size);
	} else {
		FUZZ_ASSERT(json_is_object(j) || json_is_array(j));
		char *s = json_dumps(j, JSON_COMPACT | JSON_ESCAPE_SLASH);
		FUZZ_ASSERT(s != NULL);
		json_error_t err2;
		json_t *j2 = json_loadb(s, strlen(s), JSON_REJECT_DUPLICATES, &err2);
		FUZZ_ASSERT(j2 != NULL);
		FUZZ_ASSERT(json_equal(j, j2));
		json_decref(j2);
		free(s);
		json_decref(j);
	}
	free(body);
	return 0;
}
