/* main.c: the hocvuso command: dispatches to a subcommand. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#ifndef HV_VERSION
#define HV_VERSION "0.1.0"
#endif

static const char usage[] =
	"hocvuso — Bình dân học vụ số: learning, outreach and measurement for a digital-literacy movement\n"
	"\n"
	"usage: hocvuso COMMAND [options]   (hocvuso COMMAND --help for each)\n"
	"\n"
	"  init      create or migrate the database, import units, create the first admin\n"
	"  serve     run the web server\n"
	"  import    import units (CSV) or a course pack (folder)\n"
	"  user      add, list and change accounts and roles\n"
	"  token     create or revoke API bearer tokens\n"
	"  backup    copy the SQLite database consistently while it is in use\n"
	"  cert      verify a certificate offline, or revoke one\n"
	"  migrate-db  copy a database to another (SQLite up to PostgreSQL) and verify it\n"
	"  indicators  verify the indicator aggregates against the records, or rebuild them\n"
	"  report    the quarterly review report of a unit (CSV, XLSX or PDF)\n"
	"  demo      add demo activity (learners, certificates, volunteers, help) to a few wards\n"
	"  routes    print the route table with each route's access rule (JSON lines)\n"
	"  version   print the version\n"
	"\n"
	"Settings come from --config FILE (or HOCVUSO_CONFIG), then HOCVUSO_* variables, then flags.\n";

int main(int argc, char **argv)
{
	if (sodium_init() < 0) {
		fputs("hocvuso: cannot initialise libsodium\n", stderr);
		return HV_EXIT_FAIL;
	}
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? HV_EXIT_USAGE : HV_EXIT_OK;
	}
	const char *cmd = argv[1];
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		if (argc > 2 && strcmp(argv[2], "--help") != 0)
			return hv_cli_usage_error("version", "takes no arguments");
		printf("hocvuso %s\n", HV_VERSION);
		return HV_EXIT_OK;
	}
	if (!strcmp(cmd, "init"))
		return hv_cmd_init(argc, argv);
	if (!strcmp(cmd, "serve"))
		return hv_cmd_serve(argc, argv);
	if (!strcmp(cmd, "import"))
		return hv_cmd_import(argc, argv);
	if (!strcmp(cmd, "user"))
		return hv_cmd_user(argc, argv);
	if (!strcmp(cmd, "token"))
		return hv_cmd_token(argc, argv);
	if (!strcmp(cmd, "backup"))
		return hv_cmd_backup(argc, argv);
	if (!strcmp(cmd, "cert"))
		return hv_cmd_cert(argc, argv);
	if (!strcmp(cmd, "migrate-db"))
		return hv_cmd_migrate(argc, argv);
	if (!strcmp(cmd, "indicators"))
		return hv_cmd_indicators(argc, argv);
	if (!strcmp(cmd, "report"))
		return hv_cmd_report(argc, argv);
	if (!strcmp(cmd, "demo"))
		return hv_cmd_demo(argc, argv);
	if (!strcmp(cmd, "routes"))
		return hv_cmd_routes(argc, argv);
	fprintf(stderr, "hocvuso: unknown command '%s' (see: hocvuso --help)\n", cmd);
	return HV_EXIT_USAGE;
}
