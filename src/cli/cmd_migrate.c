/* cmd_migrate.c: `hocvuso migrate-db --from sqlite:PATH --to postgres://…`:
 * moving a commune's or a city's data up to PostgreSQL, with a progress bar
 * and a verification of counts and checksums. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "store/store.h"

static const char usage[] =
	"usage: hocvuso migrate-db --from sqlite:PATH|postgres://… --to postgres://…|sqlite:PATH [--force]\n"
	"\n"
	"Copies every table, then checks that both sides have the same rows (counts and\n"
	"checksums). Refuses a target that already holds data unless --force, which\n"
	"empties it first. Stop the servers writing to the source while it runs.\n";

static void progress(const char *table, long done, long total)
{
	char what[48];
	snprintf(what, sizeof what, "%-16s", table);
	hv_cli_progress(what, done, total ? total : 1);
}

int hv_cmd_migrate(int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *pos[1];
	bool force = false;
	int npos, code;
	struct hv_opt opts[] = {{"from", &from, NULL}, {"to", &to, NULL}, {"force", NULL, &force}, {0}};
	if (hv_cli_parse("migrate-db", usage, argc, argv, 2, opts, pos, 0, 0, &npos, &code) < 0)
		return code;
	if (!from || !to)
		return hv_cli_usage_error("migrate-db", "both --from and --to are needed");
	if (!strcmp(from, to))
		return hv_cli_usage_error("migrate-db", "--from and --to are the same database");
	struct hv_error e = {0};
	struct hv_store *src = NULL, *dst = NULL;
	if (hv_store_open(from, NULL, &src, &e) < 0 || hv_store_open(to, NULL, &dst, &e) < 0) {
		fprintf(stderr, "hocvuso migrate-db: %s\n", e.msg);
		hv_store_close(src);
		return HV_EXIT_FAIL;
	}
	struct hv_copy_table report[32];
	int n = 0;
	int rc = hv_store_copy(src, dst, force, progress, report, &n, &e);
	for (int i = 0; i < n; i++)
		printf("%-16s %8ld rows  %s\n", report[i].name, report[i].rows, report[i].same ? "verified" : "DIFFERENT");
	if (rc < 0)
		fprintf(stderr, "hocvuso migrate-db: %s\n", e.msg);
	else
		printf("copied and verified %d tables\n", n);
	hv_store_close(src);
	hv_store_close(dst);
	return rc == HV_ECONFLICT ? HV_EXIT_USAGE : rc < 0 ? HV_EXIT_FAIL : HV_EXIT_OK;
}
