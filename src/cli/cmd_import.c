/* cmd_import.c: `hocvuso import units FILE.csv`: validate the whole file,
 * then apply the difference in one transaction (or nothing). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "domain/learn/content.h"
#include "domain/measure/targets.h"
#include "domain/help/teams.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso import units FILE.csv [--db PATH|URL] [--config FILE]\n"
	"       hocvuso import content DIR [--db PATH|URL] [--config FILE]\n"
	"       hocvuso import population FILE.csv [--db PATH|URL] [--config FILE]\n"
	"       hocvuso import volunteers FILE.csv [--db PATH|URL] [--config FILE]\n"
	"       hocvuso import touch-points FILE.csv [--db PATH|URL] [--config FILE]\n"
	"\n"
	"Volunteers: header login,display_name,unit_code,team[,phone]; team is a team's\n"
	"id or name inside unit_code, or empty. Each line becomes a staff account with\n"
	"the volunteer role at unit_code (and a member of the team); its random initial\n"
	"password is printed once (login<TAB>password on stdout): hand it over, the\n"
	"volunteer changes it, or a manager sets another at /quan-tri/tai-khoan.\n"
	"\n"
	"Touch points: header name,unit_code,address,lat,lon,free_wifi,hours; lat and\n"
	"lon in decimal degrees (both or neither), free_wifi yes or no.\n"
	"\n"
	"Both are checked completely first (fields, units, teams, duplicates in the\n"
	"file and existing logins); errors read FILE:LINE: … and nothing is written.\n"
	"\n"
	"Content: a course pack folder (see content/README.md): every file is checked\n"
	"first, errors name the file and line, and nothing is written unless all is\n"
	"right; lessons are then updated in place by slug, keeping learners' progress.\n"
	"\n"
	"Population: CSV with the header unit_code,adults,civil_servants,pupils,year,\n"
	"the denominators of the ratio indicators; validated, all or nothing.\n"
	"\n"
	"Units: a CSV with the header code,name,level,parent_code,kind (as in\n"
	"data/seed/vn-admin-units-2025.csv) and an optional successor_code column:\n"
	"a row with a successor_code is a unit retired into that unit. The file is\n"
	"checked first; errors name the line and nothing is written. Then the\n"
	"difference by code (new, renamed, kind changed, moved, retired) is applied\n"
	"in one transaction. Units missing from the file are retired, never deleted.\n";

#define MAX_FILE (64L * 1024 * 1024)

/* Reads a whole file (capped); NULL with a message on failure. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "hocvuso import: cannot open %s\n", path);
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	if (n < 0 || n > MAX_FILE) {
		fprintf(stderr, "hocvuso import: %s is larger than %ld bytes\n", path, MAX_FILE);
		fclose(f);
		return NULL;
	}
	char *d = malloc((size_t)n + 1);
	if (!d || fread(d, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "hocvuso import: cannot read %s\n", path);
		free(d);
		fclose(f);
		return NULL;
	}
	d[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return d;
}

static void print_password(const char *login, const char *password, void *arg)
{
	(void)arg;
	printf("%s\t%s\n", login, password);
}

static int import_content(struct hv_config *cfg, const char *dir)
{
	struct hv_pack *p = NULL;
	struct hv_error e = {0};
	if (hv_pack_load_dir(dir, &p, &e) < 0) {
		fprintf(stderr, "hocvuso import: %s\nnothing was imported\n", e.msg);
		return HV_EXIT_FAIL;
	}
	fprintf(stderr, "checked %d courses, %d lessons, %d images, %d simulations\n", p->ncourses, p->nlessons, p->nimages, p->nsims);
	struct hv_store *s = hv_cli_open("import", cfg, false);
	if (!s) {
		hv_pack_free(p);
		return HV_EXIT_FAIL;
	}
	struct hv_import_report r;
	int rc = hv_content_import(s, p, &r, &e);
	if (rc < 0) {
		fprintf(stderr, "hocvuso import: %s\nnothing was imported\n", e.msg);
	} else {
		hv_cli_progress("content", r.courses, r.courses);
		printf("%d courses; lessons: %d new, %d updated, %d unchanged; %d quizzes changed; %d images; "
		       "%d simulations changed\n", r.courses, r.lessons_new, r.lessons_updated, r.lessons_unchanged, r.quizzes, r.images, r.sims);
	}
	hv_pack_free(p);
	hv_units_shutdown();
	hv_store_close(s);
	return rc < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
}

int hv_cmd_import(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *pos[2];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL}, {"config", &config, NULL}, {0}};
	if (hv_cli_parse("import", usage, argc, argv, 2, opts, pos, 2, 2, &npos, &code) < 0)
		return code;
	static const char *const kinds[] = {"units", "content", "population", "volunteers", "touch-points", NULL};
	int kind = 0;
	while (kinds[kind] && strcmp(pos[0], kinds[kind]) != 0)
		kind++;
	if (!kinds[kind])
		return hv_cli_usage_error("import", "unknown kind '%s': expected units, content, population, volunteers or touch-points", pos[0]);
	struct hv_config cfg;
	if ((code = hv_cli_config("import", config, db, &cfg)) != 0)
		return code;
	if (!strcmp(pos[0], "content"))
		return import_content(&cfg, pos[1]);
	size_t len;
	char *data = slurp(pos[1], &len);
	if (!data)
		return HV_EXIT_FAIL;
	struct hv_store *s = hv_cli_open("import", &cfg, false);
	if (!s) {
		free(data);
		return HV_EXIT_FAIL;
	}
	struct hv_units_report rep;
	struct hv_error e = {0};
	const char *base = strrchr(pos[1], '/') ? strrchr(pos[1], '/') + 1 : pos[1];
	if (kind >= 3) {
		int rows = 0;
		int prc = kind == 3 ? hv_volunteers_import(s, data, len, base, NULL, hv_cli_progress, print_password, NULL, &rows, &e)
		                    : hv_touch_points_import(s, data, len, base, NULL, hv_cli_progress, &rows, &e);
		free(data);
		if (prc < 0)
			fprintf(stderr, "hocvuso import: %s\nnothing was imported\n", e.msg);
		else
			printf("imported %d %s\n", rows, kind == 3 ? "volunteers" : "touch points");
		hv_units_shutdown();
		hv_store_close(s);
		return prc < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
	}
	if (!strcmp(pos[0], "population")) {
		int rows = 0;
		int prc = hv_population_import(s, data, len, base, NULL, &rows, &e);
		free(data);
		if (prc < 0)
			fprintf(stderr, "hocvuso import: %s\nnothing was imported\n", e.msg);
		else
			printf("imported the population of %d units\n", rows);
		struct hv_buf diff = {0};
		int ndiff = 0;
		if (prc == HV_OK && hv_population_differences(hv_store_conn(s), &diff, &ndiff) == HV_OK && ndiff)
			printf("%d figure(s) differ from the sum of the units below (kept as imported; pages show both):\n%.*s", ndiff,
			       (int)diff.len, diff.data ? diff.data : "");
		hv_buf_free(&diff);
		hv_units_shutdown();
		hv_store_close(s);
		return prc < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
	}
	int rc = hv_units_import(s, data, len, base, &rep, &e);
	free(data);
	if (rc < 0) {
		fprintf(stderr, "hocvuso import: %s\nnothing was imported\n", e.msg);
	} else {
		hv_cli_progress("units", rep.rows, rep.rows);
		printf("%d rows: %d new, %d renamed, %d kind changed, %d moved, %d retired, %d restored, %d unchanged\n", rep.rows,
		       rep.added, rep.renamed, rep.rekinded, rep.moved, rep.retired, rep.unretired, rep.unchanged);
	}
	hv_units_shutdown();
	hv_store_close(s);
	return rc < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
}
