/* cmd_token.c: `hocvuso token create|revoke`: API bearer tokens.  The token
 * is printed once, alone on the last line; only its hash is stored. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "domain/auth.h"
#include "domain/units.h"

static const char usage[] =
	"usage: hocvuso token create --user LOGIN [--label TEXT] [--db PATH|URL]\n"
	"       hocvuso token revoke TOKEN|ID [--db PATH|URL]\n"
	"\n"
	"create prints the new token alone on its last line; send it as\n"
	"'Authorization: Bearer TOKEN'. It acts with the roles of LOGIN.\n";

int hv_cmd_token(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *user = NULL, *label = NULL, *pos[2];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL}, {"config", &config, NULL}, {"user", &user, NULL}, {"label", &label, NULL}, {0}};
	if (hv_cli_parse("token", usage, argc, argv, 2, opts, pos, 1, 2, &npos, &code) < 0)
		return code;
	bool create = !strcmp(pos[0], "create");
	if (!create && strcmp(pos[0], "revoke") != 0)
		return hv_cli_usage_error("token", "unknown subcommand '%s'", pos[0]);
	if (create && (!user || npos != 1))
		return hv_cli_usage_error("token", "create needs --user LOGIN");
	if (!create && npos != 2)
		return hv_cli_usage_error("token", "revoke needs the token or its id");
	if (label && strlen(label) > 100)
		return hv_cli_usage_error("token", "--label is limited to 100 characters");
	struct hv_config cfg;
	if ((code = hv_cli_config("token", config, db, &cfg)) != 0)
		return code;
	struct hv_store *s = hv_cli_open("token", &cfg, false);
	if (!s)
		return HV_EXIT_FAIL;
	struct hv_error e = {0};
	int rc;
	if (create) {
		struct hv_account a;
		rc = hv_account_by_login(hv_store_conn(s), user, &a);
		if (rc < 0) {
			hv_err_set(&e, HV_EINVAL, "user", "no account with login '%s'", user);
		} else {
			char token[HV_TOKEN_CHARS + 1];
			int64_t id;
			rc = hv_token_create(s, a.id, label ? label : "cli", token, &id, &e);
			if (rc == 0)
				printf("token %lld for '%s' (shown once):\n%s\n", (long long)id, user, token);
		}
	} else {
		rc = hv_token_revoke(s, pos[1], &e);
		if (rc == 0)
			printf("revoked\n");
	}
	hv_units_shutdown();
	hv_store_close(s);
	if (rc < 0) {
		fprintf(stderr, "hocvuso token: %s\n", e.msg);
		return e.code == HV_EINVAL || e.code == HV_ENOTFOUND ? HV_EXIT_USAGE : HV_EXIT_FAIL;
	}
	return HV_EXIT_OK;
}
