/* cmd_backup.c: `hocvuso backup DEST`: an online, consistent copy of the
 * SQLite database, safe while the server is writing. */
#include <stdio.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso backup DEST [--db PATH] [--force]\n"
	"\n"
	"Copies the SQLite database to DEST with SQLite's online backup, consistent\n"
	"even while 'hocvuso serve' writes. Refuses to overwrite DEST unless --force.\n"
	"Restore by stopping the server and putting DEST in place of the database.\n";

int hv_cmd_backup(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *pos[1];
	bool force = false;
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL}, {"config", &config, NULL}, {"force", NULL, &force}, {0}};
	if (hv_cli_parse("backup", usage, argc, argv, 2, opts, pos, 1, 1, &npos, &code) < 0)
		return code;
	struct stat sb;
	if (!force && stat(pos[0], &sb) == 0)
		return hv_cli_usage_error("backup", "%s exists; pass --force to overwrite it", pos[0]);
	struct hv_config cfg;
	if ((code = hv_cli_config("backup", config, db, &cfg)) != 0)
		return code;
	struct hv_store *s = hv_cli_open("backup", &cfg, false);
	if (!s)
		return HV_EXIT_FAIL;
	struct hv_error e = {0};
	int rc = hv_store_backup(s, pos[0], &e);
	hv_units_shutdown();
	hv_store_close(s);
	if (rc < 0) {
		fprintf(stderr, "hocvuso backup: %s\n", e.msg);
		return e.code == HV_EINVAL ? HV_EXIT_USAGE : HV_EXIT_FAIL;
	}
	printf("backup written to %s\n", pos[0]);
	return HV_EXIT_OK;
}
