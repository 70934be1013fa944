/* cmd_report.c: `hocvuso report --unit CODE --period 2025Q4 --format
 * csv|xlsx|pdf --out FILE [--lang vi|en]`: the quarterly review report of a
 * unit.  Arguments are all checked before anything is written, and the
 * file appears whole or not at all (a temporary file renamed). */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "domain/measure/measure.h"
#include "domain/measure/report.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso report --unit CODE --period PERIOD --format csv|xlsx|pdf --out FILE [--lang vi|en] [--db PATH|URL]\n"
	"\n"
	"The quarterly review report of a unit: its indicators against targets\n"
	"with the share attained, the emulation ranking of the units below it and\n"
	"of its organisations, the honours of the period, and when the data was\n"
	"last updated.  PERIOD is a year (2025) or a quarter (2025Q4).\n";

/* True if the folder that will hold path exists and is writable. */
static bool folder_writable(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		abort();
	bool ok = access(dirname(copy), W_OK) == 0;
	free(copy);
	return ok;
}

int hv_cmd_report(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *unit = NULL, *period = NULL, *format = NULL, *out = NULL, *lang = "vi", *pos[1];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL},         {"config", &config, NULL}, {"unit", &unit, NULL}, {"period", &period, NULL},
	                        {"format", &format, NULL}, {"out", &out, NULL},       {"lang", &lang, NULL}, {0}};
	if (hv_cli_parse("report", usage, argc, argv, 2, opts, pos, 0, 0, &npos, &code) < 0)
		return code;
	if (!unit)
		return hv_cli_usage_error("report", "--unit CODE is required (a unit code such as 79, or VN)");
	if (!period || !hv_period_valid(period))
		return hv_cli_usage_error("report", "--period must be a year (2025) or a quarter (2025Q4), got '%s'", period ? period : "");
	if (!hv_report_format_valid(format))
		return hv_cli_usage_error("report", "--format must be csv, xlsx or pdf, got '%s'", format ? format : "");
	if (!out || !*out)
		return hv_cli_usage_error("report", "--out FILE is required");
	if (strcmp(lang, "vi") != 0 && strcmp(lang, "en") != 0)
		return hv_cli_usage_error("report", "--lang must be vi or en, got '%s'", lang);
	if (!folder_writable(out))
		return hv_cli_usage_error("report", "cannot write --out %s: its folder does not exist or is not writable", out);
	struct hv_config cfg;
	if ((code = hv_cli_config("report", config, db, &cfg)) != 0)
		return code;
	struct hv_store *s = hv_cli_open("report", &cfg, false);
	if (!s)
		return HV_EXIT_FAIL;
	struct hv_units *u = hv_units_acquire();
	const struct hv_unit *x = hv_units_get(u, unit);
	int rc = HV_EXIT_OK;
	struct hv_report r;
	struct hv_error e = {0};
	if (!x || x->retired) {
		rc = hv_cli_usage_error("report", "unknown unit code '%s' (find codes at /don-vi or with GET /api/v1/units)", unit);
	} else if (hv_report_build(hv_store_conn(s), x, period, lang, &r, &e) < 0) {
		fprintf(stderr, "hocvuso report: %s\n", e.msg);
		rc = HV_EXIT_FAIL;
	} else {
		if (hv_report_write_file(&r, format, out, &e) < 0) {
			fprintf(stderr, "hocvuso report: %s\n", e.msg);
			rc = e.code == HV_EINVAL ? HV_EXIT_USAGE : HV_EXIT_FAIL;
		} else {
			printf("wrote %s (%s, %s %s)\n", out, format, x->code, period);
		}
		hv_report_free(&r);
	}
	hv_units_release(u);
	hv_units_shutdown();
	hv_store_close(s);
	return rc;
}
