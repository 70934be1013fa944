/* cmd_indicators.c: `hocvuso indicators verify|rebuild`: recompute every
 * indicator from the raw records and compare with the stored aggregates
 * (exit 1 on any difference), or rewrite them. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "domain/measure/measure.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso indicators verify|rebuild [--db PATH|URL]\n"
	"\n"
	"verify: recomputes every indicator from the records and reports each\n"
	"difference with the stored aggregates; exit 0 if none, 1 otherwise.\n"
	"rebuild: rewrites the aggregates from the records (for data that existed\n"
	"before the aggregates did).\n";

int hv_cmd_indicators(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *pos[1];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL}, {"config", &config, NULL}, {0}};
	if (hv_cli_parse("indicators", usage, argc, argv, 2, opts, pos, 1, 1, &npos, &code) < 0)
		return code;
	bool verify = !strcmp(pos[0], "verify");
	if (!verify && strcmp(pos[0], "rebuild") != 0)
		return hv_cli_usage_error("indicators", "unknown subcommand '%s': expected verify or rebuild", pos[0]);
	struct hv_config cfg;
	if ((code = hv_cli_config("indicators", config, db, &cfg)) != 0)
		return code;
	struct hv_store *s = hv_cli_open("indicators", &cfg, true);
	if (!s)
		return HV_EXIT_FAIL;
	int rc = HV_EXIT_OK;
	if (verify) {
		struct hv_buf report;
		hv_buf_init(&report);
		long diff = hv_measure_verify(hv_store_conn(s), &report);
		if (diff < 0) {
			fprintf(stderr, "hocvuso indicators: database error\n");
			rc = HV_EXIT_FAIL;
		} else if (diff > 0) {
			fputs(report.data, stdout);
			printf("%ld differences between the aggregates and the records\n", diff);
			rc = HV_EXIT_FAIL;
		} else {
			printf("indicators match the records\n");
		}
		hv_buf_free(&report);
	} else {
		long rows;
		struct hv_error e = {0};
		if (hv_measure_rebuild(s, &rows, &e) < 0) {
			fprintf(stderr, "hocvuso indicators: %s\n", e.msg);
			rc = HV_EXIT_FAIL;
		} else {
			printf("rebuilt %ld aggregate rows\n", rows);
		}
	}
	hv_units_shutdown();
	hv_store_close(s);
	return rc;
}
