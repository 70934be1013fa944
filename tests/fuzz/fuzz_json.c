/* fuzz_json.c: JSON request bodies as http/server.c parses them:
 * json_loadb(body, len, JSON_REJECT_DUPLICATES, &err) (jansson).
 *
 * Input: the body, at most HV_MAX_BODY_AUTH bytes.  This fuzzes our use of
 * the library (flags, ownership: every parsed value is released) and the
 * library itself.  Properties: a parsed body is an object or an array (no
 * JSON_DECODE_ANY); a failure has a message and a position inside the
 * input; dumping a parsed value and loading it again gives an equal value
 * (and the reload accepts it under the same flags).
 *
 * Then our own consumer of the commonest body, an assist (POST
 * /api/v1/assists), through hv_assist_check (src/domain/help/outreach.c) with
 * the shipped unit tree loaded into a scratch SQLite database at start:
 * a refusal is HV_EINVAL naming a field; an accepted assist has a
 * canonical stored form, and for an anonymous person that form is
 * accepted again and gives itself back. */
#include "fuzz.h"

#include <jansson.h>
#include <unistd.h>

#include "core/limits.h"
#include "domain/help/outreach.h"
#include "domain/places/units.h"
#include "http/parse.h"
#include "store/store.h"

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *d = NULL;
	size_t cap = 0, len = 0, got;
	do {
		if (len + 65536 > cap && !(d = realloc(d, cap = cap * 2 + 65536)))
			abort();
		got = fread(d + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	*n = len;
	return d;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char dir[] = "/tmp/hv-fuzz-json.XXXXXX", db[64];
	if (!mkdtemp(dir))
		abort();
	snprintf(db, sizeof db, "%s/units.db", dir);
	struct hv_store *s = NULL;
	struct hv_error e = {0};
	size_t n = 0;
	char *csv = slurp("data/seed/vn-admin-units-2025.csv", &n);
	struct hv_units_report rep;
	if (!csv || hv_store_open(db, NULL, &s, &e) < 0 || hv_migrate(s, &e) < 0 ||
	    hv_units_import(s, csv, n, "units.csv", &rep, &e) < 0 || hv_units_load(hv_store_conn(s), &e) < 0) {
		fprintf(stderr, "fuzz_json: cannot load the units (run from the repository root): %s\n", e.msg);
		abort();
	}
	free(csv);
	hv_store_close(s); /* the tree stays loaded */
	unlink(db);
	char side[80];
	snprintf(side, sizeof side, "%s-wal", db);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db);
	unlink(side);
	rmdir(dir);
	return 0;
}

static void check_assist(const json_t *j)
{
	struct hv_error e = {0};
	char *canon = NULL;
	int rc = hv_assist_check(j, &canon, &e);
	if (rc != HV_OK) {
		FUZZ_ASSERT(rc == HV_EINVAL && e.msg[0] != '\0' && canon == NULL);
		FUZZ_ASSERT(e.field[0] != '\0' || !json_is_object(j));
		return;
	}
	FUZZ_ASSERT(canon != NULL);
	json_error_t err;
	json_t *c = json_loads(canon, JSON_REJECT_DUPLICATES, &err);
	FUZZ_ASSERT(c && json_is_object(c));
	if (json_object_get(json_object_get(c, "person"), "age_band")) {
		char *again = NULL;
		struct hv_error e2 = {0};
		FUZZ_ASSERT(hv_assist_check(c, &again, &e2) == HV_OK);
		FUZZ_ASSERT(again && strcmp(again, canon) == 0);
		free(again);
	}
	json_decref(c);
	free(canon);
}

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
		if (hv_json_depth_ok(body, size, HV_MAX_JSON_DEPTH)) /* as server.c */
			check_assist(j);
		free(s);
		json_decref(j);
	}
	free(body);
	return 0;
}
