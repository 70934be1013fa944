/* cmd_user.c: `hocvuso user add|passwd|role|list|disable|enable|reset-code`. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/num.h"
#include "domain/people/auth.h"
#include "domain/people/recovery.h"
#include "domain/people/accounts.h"
#include "domain/people/roles.h"
#include "domain/places/units.h"

static const char usage[] =
	"usage: hocvuso user add LOGIN --name NAME [--unit CODE] [--role ROLE] [--password-stdin]\n"
	"       hocvuso user passwd LOGIN [--password-stdin]\n"
	"       hocvuso user role LOGIN (--add ROLE | --remove ROLE) --unit CODE [--org ID]\n"
	"       hocvuso user list [--unit CODE]\n"
	"       hocvuso user disable|enable LOGIN\n"
	"       hocvuso user reset-code PHONE\n"
	"   all take [--db PATH|URL] [--config FILE]\n"
	"\n"
	"Roles: admin, manager, coordinator, volunteer, editor, viewer. A role held at a\n"
	"unit reaches that unit and everything below it; VN is the whole country.\n"
	"--org ID grants a coordinator role for one organisation (see /to-chuc): the\n"
	"coordinator then manages only that organisation's teams and volunteers.\n"
	"The password comes from stdin (--password-stdin), else HOCVUSO_PASSWORD, else\n"
	"one is generated and printed. Passwords have at least 10 characters.\n"
	"reset-code prints a one-time code (30 minutes) with which the learner holding\n"
	"PHONE sets a new PIN at /quen-ma-pin; check who they are first.\n";

static int read_password(bool from_stdin, char *out, size_t cap, bool *generated)
{
	*generated = false;
	if (from_stdin) {
		if (!fgets(out, (int)cap, stdin))
			return -1;
		out[strcspn(out, "\r\n")] = '\0';
		return 0;
	}
	const char *env = getenv("HOCVUSO_PASSWORD");
	if (env && *env) {
		snprintf(out, cap, "%s", env);
		return 0;
	}
	hv_random_chars(out, 20, "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789");
	*generated = true;
	return 0;
}

static void print_account(const struct hv_account *a, void *arg)
{
	(void)arg;
	printf("%-20s %-30s %-6s %s", a->login, a->name, a->home_unit, a->disabled ? "disabled " : "");
	for (int i = 0; i < a->nroles; i++)
		printf("%s%s@%s", i ? "," : "", hv_role_name(a->roles[i].kind), a->roles[i].unit);
	printf("\n");
}

int hv_cmd_user(int argc, char **argv)
{
	const char *db = NULL, *config = NULL, *name = NULL, *unit = NULL, *role = NULL, *add = NULL, *remove = NULL, *org = NULL, *pos[2];
	bool pw_stdin = false;
	int npos, code;
	struct hv_opt opts[] = {{"db", &db, NULL},     {"config", &config, NULL}, {"name", &name, NULL},
	                        {"unit", &unit, NULL}, {"role", &role, NULL},     {"add", &add, NULL},
	                        {"remove", &remove, NULL}, {"password-stdin", NULL, &pw_stdin}, {"org", &org, NULL}, {0}};
	if (hv_cli_parse("user", usage, argc, argv, 2, opts, pos, 1, 2, &npos, &code) < 0)
		return code;
	const char *sub = pos[0], *login = npos > 1 ? pos[1] : NULL;
	bool known = !strcmp(sub, "add") || !strcmp(sub, "passwd") || !strcmp(sub, "role") || !strcmp(sub, "list") ||
	             !strcmp(sub, "disable") || !strcmp(sub, "enable") || !strcmp(sub, "reset-code");
	if (!known)
		return hv_cli_usage_error("user", "unknown subcommand '%s'", sub);
	if (strcmp(sub, "list") != 0 && !login)
		return hv_cli_usage_error("user", "%s needs a %s", sub, strcmp(sub, "reset-code") ? "LOGIN" : "PHONE");
	char phone[16];
	struct hv_error pe = {0};
	if (!strcmp(sub, "reset-code") && hv_check_phone(login, phone, &pe) < 0)
		return hv_cli_usage_error("user", "'%s' is not a mobile number (10 digits, starting 03, 05, 07, 08 or 09)", login);
	if (!strcmp(sub, "add") && !name)
		return hv_cli_usage_error("user", "add needs --name NAME");
	int rkind = 0;
	if (role && !(rkind = hv_role_parse(role)))
		return hv_cli_usage_error("user", "unknown role '%s'", role);
	if (!strcmp(sub, "role")) {
		if (!!add == !!remove)
			return hv_cli_usage_error("user", "role needs exactly one of --add ROLE or --remove ROLE");
		if (!(rkind = hv_role_parse(add ? add : remove)))
			return hv_cli_usage_error("user", "unknown role '%s'", add ? add : remove);
		if (!unit)
			return hv_cli_usage_error("user", "role needs --unit CODE");
	}
	int64_t org_id = 0;
	if (org && (strcmp(sub, "role") || !add || rkind != HV_ROLE_COORDINATOR))
		return hv_cli_usage_error("user", "--org goes with role --add coordinator");
	if (org && hv_parse_i64(org, 1, INT64_MAX, &org_id) < 0)
		return hv_cli_usage_error("user", "--org takes an organisation number, not '%s'", org);
	struct hv_config cfg;
	if ((code = hv_cli_config("user", config, db, &cfg)) != 0)
		return code;
	struct hv_store *s = hv_cli_open("user", &cfg, false);
	if (!s)
		return HV_EXIT_FAIL;
	struct hv_error e = {0};
	int rc = 0;
	struct hv_account a;
	struct hv_conn *c = hv_store_conn(s);
	if (!strcmp(sub, "list")) {
		struct hv_units *u = hv_units_acquire();
		rc = hv_accounts_list(c, u, unit ? unit : HV_ROOT_CODE, 100000, print_account, NULL);
		hv_units_release(u);
		if (rc == HV_ENOTFOUND)
			hv_err_set(&e, rc, "unit", "no unit with code %s", unit);
	} else if (!strcmp(sub, "add")) {
		char pw[256];
		bool gen;
		if (read_password(pw_stdin, pw, sizeof pw, &gen) < 0) {
			rc = hv_err_set(&e, HV_EINVAL, "password", "no password on stdin");
		} else {
			struct hv_new_account n = {.kind = "staff", .login = login, .name = name, .home_unit = unit ? unit : HV_ROOT_CODE,
			                           .secret = pw, .role_kind = rkind, .role_unit = unit ? unit : HV_ROOT_CODE, .ip = "cli"};
			rc = hv_account_create(s, &n, &e);
			if (rc == 0) {
				printf("created account '%s' (id %lld)\n", login, (long long)n.out_id);
				if (gen)
					printf("password: %s\n", pw);
			}
		}
		sodium_memzero(pw, sizeof pw);
	} else if (!strcmp(sub, "reset-code")) {
		char reset[HV_RESET_CODE_CHARS];
		int64_t until;
		if ((rc = hv_account_by_phone(c, phone, &a)) < 0)
			hv_err_set(&e, rc, "phone", "no account with phone %s", phone);
		else if ((rc = hv_reset_issue(s, &a, 0, "cli", reset, &until, &e)) == 0)
			printf("reset code for %s (%s): %s\nvalid for %d minutes, once: the person enters it at /quen-ma-pin with a new PIN\n",
			       phone, a.name, reset, HV_RESET_SECONDS / 60);
	} else if ((rc = hv_account_by_login(c, login, &a)) < 0) {
		hv_err_set(&e, rc, "login", "no account with login '%s'", login);
	} else if (!strcmp(sub, "passwd")) {
		char pw[256];
		bool gen;
		if (read_password(pw_stdin, pw, sizeof pw, &gen) < 0) {
			rc = hv_err_set(&e, HV_EINVAL, "password", "no password on stdin");
		} else if ((rc = hv_account_set_secret(s, a.id, pw, 0, "cli", &e)) == 0) {
			printf("password changed for '%s'%s%s\n", login, gen ? "; new password: " : "", gen ? pw : "");
		}
		sodium_memzero(pw, sizeof pw);
	} else if (!strcmp(sub, "role")) {
		rc = add ? hv_role_grant_org(s, a.id, rkind, unit, org_id, 0, "cli", &e) : hv_role_revoke(s, a.id, rkind, unit, 0, "cli", &e);
		if (rc == 0)
			printf("%s %s at %s for '%s'\n", add ? "granted" : "revoked", hv_role_name(rkind), unit, login);
	} else {
		bool disable = !strcmp(sub, "disable");
		rc = hv_account_set_disabled(s, a.id, disable, 0, "cli", &e);
		if (rc == 0)
			printf("account '%s' %s\n", login, disable ? "disabled" : "enabled");
	}
	hv_units_shutdown();
	hv_store_close(s);
	if (rc < 0) {
		fprintf(stderr, "hocvuso user: %s\n", e.msg);
		return e.code == HV_EINVAL || e.code == HV_ENOTFOUND || e.code == HV_ECONFLICT || e.code == HV_EFORBIDDEN ? HV_EXIT_USAGE
		                                                                                                      : HV_EXIT_FAIL;
	}
	return HV_EXIT_OK;
}
