/* cmd_init.c: `hocvuso init`: create or migrate the database, import the
 * shipped administrative units on first run, make the server secret and
 * the first admin.  Running it again changes nothing. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/assets.h"
#include "domain/people/auth.h"
#include "domain/learn/content.h"
#include "domain/learn/credential.h"
#include "domain/learn/issuer.h"
#include "domain/people/secrets.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso init [--db PATH|URL] [--config FILE]\n"
	"\n"
	"Creates or migrates the database, imports the 34 provinces and 3,321 communes\n"
	"shipped in data/seed/ on first run, and creates the account 'admin' with the\n"
	"admin role for the whole country. Its password is HOCVUSO_ADMIN_PASSWORD if\n"
	"set, or a generated one printed once. Creates the key files (mode 0600) when\n"
	"missing: the certificate issuer key (issuer_key) and the secrets key sealing\n"
	"TOTP secrets (secrets_key), both beside an SQLite database by default, and\n"
	"seals TOTP secrets an older version stored in plain text. Safe to run again.\n";

int hv_cmd_init(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *pos[1];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL}, {"config", &config, NULL}, {0}};
	if (hv_cli_parse("init", usage, argc, argv, 2, opts, pos, 0, 0, &npos, &code) < 0)
		return code;
	struct hv_config cfg;
	if ((code = hv_cli_config("init", config, db, &cfg)) != 0)
		return code;
	struct hv_error e = {0};
	struct hv_store *st = hv_cli_open("init", &cfg, true);
	if (!st)
		return HV_EXIT_FAIL;
	int rc = HV_EXIT_OK;
	int have = hv_units_stored(hv_store_conn(st));
	if (have == 0) {
		const struct hv_asset *a = hv_asset_find("data/seed/vn-admin-units-2025.csv");
		struct hv_units_report rep;
		if (!a || hv_units_import(st, (const char *)a->data, a->len, "vn-admin-units-2025.csv", &rep, &e) < 0) {
			fprintf(stderr, "hocvuso init: cannot import units: %s\n", a ? e.msg : "seed file missing");
			rc = HV_EXIT_FAIL;
			goto out;
		}
		hv_cli_progress("units", rep.rows, rep.rows);
		printf("imported %d administrative units\n", rep.added);
	} else {
		printf("units already present (%d); to update them run: hocvuso import units FILE.csv\n", have);
	}
	if (hv_units_load(hv_store_conn(st), &e) < 0) {
		fprintf(stderr, "hocvuso init: %s\n", e.msg);
		rc = HV_EXIT_FAIL;
		goto out;
	}
	int ncourses = hv_courses_stored(hv_store_conn(st));
	if (ncourses == 0) {
		struct hv_pack *pack = NULL;
		struct hv_import_report rep;
		if (hv_pack_load_builtin(&pack, &e) < 0 || hv_content_import(st, pack, &rep, &e) < 0) {
			fprintf(stderr, "hocvuso init: cannot import the course pack: %s\n", e.msg);
			hv_pack_free(pack);
			rc = HV_EXIT_FAIL;
			goto out;
		}
		printf("imported the course pack: %d courses, %d lessons, %d images\n", rep.courses, rep.lessons_new, rep.images);
		hv_pack_free(pack);
	} else {
		printf("courses already present (%d); to update them run: hocvuso import content DIR\n", ncourses);
	}
	char keypath[512];
	hv_config_key_path(&cfg, "issuer_key", keypath, sizeof keypath);
	if (hv_issuer_load(keypath, true, &e) < 0) {
		fprintf(stderr, "hocvuso init: %s\n", e.msg);
		rc = HV_EXIT_FAIL;
		goto out;
	}
	hv_issuer_configure(cfg.public_url, cfg.issuer_name);
	if (hv_issuer_register(st, &e) < 0) {
		fprintf(stderr, "hocvuso init: %s\n", e.msg);
		hv_issuer_unload();
		rc = HV_EXIT_FAIL;
		goto out;
	}
	printf("certificate issuer: %s, \"%s\" (key %s in %s)\n", hv_issuer_id(), hv_issuer_name(), hv_issuer_multikey(), keypath);
	hv_issuer_unload();
	if (hv_cli_secrets("init", &cfg, st, true) < 0) {
		rc = HV_EXIT_FAIL;
		goto out;
	}
	hv_secrets_unload();
	unsigned char secret[32];
	if (hv_server_secret(st, secret) < 0) {
		fprintf(stderr, "hocvuso init: cannot create the server secret\n");
		rc = HV_EXIT_FAIL;
		goto out;
	}
	sodium_memzero(secret, sizeof secret);
	struct hv_account admin;
	if (hv_account_by_login(hv_store_conn(st), "admin", &admin) == HV_OK) {
		printf("account 'admin' already exists\n");
	} else {
		const char *pw = getenv("HOCVUSO_ADMIN_PASSWORD");
		char generated[21];
		if (!pw || !*pw) {
			hv_random_chars(generated, 20, "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789");
			pw = generated;
		}
		struct hv_new_account n = {.kind = "staff", .login = "admin", .name = "Quản trị viên", .home_unit = HV_ROOT_CODE,
		                           .secret = pw, .role_kind = HV_ROLE_ADMIN, .role_unit = HV_ROOT_CODE, .ip = "cli"};
		if (hv_account_create(st, &n, &e) < 0) {
			fprintf(stderr, "hocvuso init: cannot create admin: %s\n", e.msg);
			rc = e.code == HV_EINVAL ? HV_EXIT_USAGE : HV_EXIT_FAIL;
			goto out;
		}
		if (pw == generated)
			printf("created account 'admin' with password: %s\n(shown once; change it with: hocvuso user passwd admin)\n", generated);
		else
			printf("created account 'admin' with the password from HOCVUSO_ADMIN_PASSWORD\n");
		sodium_memzero(generated, sizeof generated);
	}
	printf("database ready: %s\n", cfg.db);
out:
	hv_units_shutdown();
	hv_store_close(st);
	return rc;
}
