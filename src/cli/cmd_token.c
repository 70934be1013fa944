/* cmd_token.c: `hocvuso token create|list|revoke`: API bearer tokens.  The
 * token is printed once, alone on the last line; only its hash is stored.
 * Tokens expire (90 days unless --days N) and keep when they were last
 * used, which `list` shows. */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "core/limits.h"
#include "core/num.h"
#include "domain/people/auth.h"
#include "domain/people/accounts.h"
#include "domain/people/sessions.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso token create --user LOGIN [--label TEXT] [--days N] [--scope issue] [--db PATH|URL]\n"
	"       hocvuso token list [--user LOGIN] [--db PATH|URL]\n"
	"       hocvuso token revoke TOKEN|ID [--db PATH|URL]\n"
	"\n"
	"create prints the new token alone on its last line; send it as\n"
	"'Authorization: Bearer TOKEN'. It acts with the roles of LOGIN and expires\n"
	"after N days (default 90, at most 366): an expired token is refused with 401.\n"
	"--scope issue also lets it sign credentials through POST\n"
	"/api/v1/credentials/issue (docs/api.md); no token may without it.\n"
	"list shows every token (or LOGIN's): id, account, label, created, expires,\n"
	"last used (to the minute), state. Times are Vietnam time (UTC+7).\n";

/* "2027-03-07 14:05" in Vietnam time, or "-" for 0. */
static void vn_time(int64_t t, char out[24])
{
	if (!t) {
		snprintf(out, 24, "-");
		return;
	}
	time_t local = (time_t)(t + 7 * 3600);
	struct tm tm;
	gmtime_r(&local, &tm);
	strftime(out, 24, "%Y-%m-%d %H:%M", &tm);
}

static void print_token(const struct hv_token_info *t, void *arg)
{
	int64_t now = *(const int64_t *)arg;
	char created[24], expires[24], used[24];
	vn_time(t->created, created);
	vn_time(t->expires, expires);
	vn_time(t->last_used, used);
	const char *state = t->revoked ? "revoked" : now >= t->expires ? "expired" : "active";
	char scopes[64];
	hv_scopes_text(t->scopes, scopes, sizeof scopes);
	printf("%-6lld %-20s %-20s %-16s %-16s %-16s %-8s %s\n", (long long)t->id, t->login, t->label, created, expires, used, state,
	       *scopes ? scopes : "-");
}

static int list(struct hv_store *s, const char *user, struct hv_error *e)
{
	struct hv_account a = {0};
	if (user && hv_account_by_login(hv_store_conn(s), user, &a) < 0)
		return hv_err_set(e, HV_EINVAL, "user", "no account with login '%s'", user);
	int64_t now = (int64_t)time(NULL);
	printf("%-6s %-20s %-20s %-16s %-16s %-16s %-8s %s\n", "id", "account", "label", "created", "expires", "last used", "state",
	       "scopes");
	int rc = hv_token_list(hv_store_conn(s), a.id, print_token, &now);
	return rc < 0 ? hv_err_set(e, rc, NULL, "cannot read the tokens") : HV_OK;
}

static int create(struct hv_store *s, const char *user, const char *label, int days, unsigned scopes, struct hv_error *e)
{
	struct hv_account a;
	if (hv_account_by_login(hv_store_conn(s), user, &a) < 0)
		return hv_err_set(e, HV_EINVAL, "user", "no account with login '%s'", user);
	char token[HV_TOKEN_CHARS + 1], until[24];
	int64_t id, expires;
	int rc = hv_token_create(s, a.id, label ? label : "cli", days, scopes, token, &id, &expires, e);
	if (rc < 0)
		return rc;
	vn_time(expires, until);
	char names[64];
	hv_scopes_text(scopes, names, sizeof names);
	printf("token %lld for '%s'%s%s, expires %s (UTC+7) (shown once):\n%s\n", (long long)id, user, *names ? ", scopes: " : "",
	       names, until, token);
	return HV_OK;
}

int hv_cmd_token(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *user = NULL, *label = NULL, *days_arg = NULL, *scope_arg = NULL, *pos[2];
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL},       {"config", &config, NULL}, {"user", &user, NULL},
	                        {"label", &label, NULL}, {"days", &days_arg, NULL}, {"scope", &scope_arg, NULL}, {0}};
	if (hv_cli_parse("token", usage, argc, argv, 2, opts, pos, 1, 2, &npos, &code) < 0)
		return code;
	const char *sub = pos[0];
	if (strcmp(sub, "create") != 0 && strcmp(sub, "list") != 0 && strcmp(sub, "revoke") != 0)
		return hv_cli_usage_error("token", "unknown subcommand '%s'", sub);
	if (!strcmp(sub, "create") && (!user || npos != 1))
		return hv_cli_usage_error("token", "create needs --user LOGIN");
	if (!strcmp(sub, "list") && npos != 1)
		return hv_cli_usage_error("token", "list takes no argument (--user LOGIN for one account's tokens)");
	if (!strcmp(sub, "revoke") && npos != 2)
		return hv_cli_usage_error("token", "revoke needs the token or its id");
	if (label && strlen(label) > 100)
		return hv_cli_usage_error("token", "--label is limited to 100 characters");
	int64_t days = HV_TOKEN_DAYS_DEFAULT;
	if (days_arg && (strcmp(sub, "create") != 0 || hv_parse_i64(days_arg, 1, HV_TOKEN_DAYS_MAX, &days) < 0))
		return hv_cli_usage_error("token", "--days (with create) must be a number of days from 1 to %d, not '%s'",
		                          HV_TOKEN_DAYS_MAX, days_arg);
	int scopes = 0;
	if (scope_arg && (strcmp(sub, "create") != 0 || (scopes = hv_scopes_parse(scope_arg)) <= 0))
		return hv_cli_usage_error("token", "--scope (with create) must be 'issue', not '%s'", scope_arg);
	struct hv_config cfg;
	if ((code = hv_cli_config("token", config, db, &cfg)) != 0)
		return code;
	struct hv_store *s = hv_cli_open("token", &cfg, false);
	if (!s)
		return HV_EXIT_FAIL;
	struct hv_error e = {0};
	int rc;
	if (!strcmp(sub, "create")) {
		rc = create(s, user, label, (int)days, (unsigned)scopes, &e);
	} else if (!strcmp(sub, "list")) {
		rc = list(s, user, &e);
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
