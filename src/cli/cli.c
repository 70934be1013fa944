/* cli.c: shared command-line plumbing (see cli.h). */
#include "cli/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "domain/people/auth.h"
#include "domain/people/secrets.h"
#include "domain/people/totp.h"
#include "domain/places/units.h"

int hv_cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "hocvuso %s: ", cmd);
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (see: hocvuso %s --help)\n", cmd);
	va_end(ap);
	return HV_EXIT_USAGE;
}

int hv_cli_parse(const char *cmd, const char *usage, int argc, char **argv, int start, const struct hv_opt *opts,
                 const char **pos, int min_pos, int max_pos, int *npos, int *exit_code)
{
	*npos = 0;
	for (int i = start; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage, stdout);
			*exit_code = HV_EXIT_OK;
			return -1;
		}
		if (a[0] == '-' && a[1] == '-' && a[2]) {
			const char *name = a + 2;
			const char *eq = strchr(name, '=');
			size_t nlen = eq ? (size_t)(eq - name) : strlen(name);
			const struct hv_opt *o = NULL;
			for (const struct hv_opt *k = opts; k && k->name; k++)
				if (strlen(k->name) == nlen && !strncmp(k->name, name, nlen))
					o = k;
			if (!o) {
				*exit_code = hv_cli_usage_error(cmd, "unknown option --%.*s", (int)nlen, name);
				return -1;
			}
			if (o->flag) {
				if (eq) {
					*exit_code = hv_cli_usage_error(cmd, "--%s takes no value", o->name);
					return -1;
				}
				*o->flag = true;
			} else if (eq) {
				*o->value = eq + 1;
			} else if (i + 1 < argc) {
				*o->value = argv[++i];
			} else {
				*exit_code = hv_cli_usage_error(cmd, "--%s needs a value", o->name);
				return -1;
			}
			continue;
		}
		if (*npos >= max_pos) {
			*exit_code = hv_cli_usage_error(cmd, "unexpected argument '%s'", a);
			return -1;
		}
		pos[(*npos)++] = a;
	}
	if (*npos < min_pos) {
		*exit_code = hv_cli_usage_error(cmd, "missing argument");
		return -1;
	}
	return 0;
}

int hv_cli_config(const char *cmd, const char *config_file, const char *db, struct hv_config *cfg)
{
	struct hv_error e = {0};
	hv_config_defaults(cfg);
	if (!config_file)
		config_file = getenv("HOCVUSO_CONFIG");
	if (config_file && hv_config_load_file(cfg, config_file, &e) < 0)
		return hv_cli_usage_error(cmd, "%s", e.msg);
	if (hv_config_load_env(cfg, &e) < 0)
		return hv_cli_usage_error(cmd, "%s", e.msg);
	if (db && hv_config_set(cfg, "db", db, &e) < 0)
		return hv_cli_usage_error(cmd, "%s", e.msg);
	return HV_EXIT_OK;
}

/* mkdir -p of the folder holding an SQLite file. */
static void make_parent(const char *url)
{
	if (!strncmp(url, "postgres", 8))
		return;
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", !strncmp(url, "sqlite:", 7) ? url + 7 : url);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0750) != 0 && errno != EEXIST)
			return;
		*p = '/';
	}
}

struct hv_store *hv_cli_open(const char *cmd, struct hv_config *cfg, bool migrate)
{
	struct hv_error e = {0};
	struct hv_store *s = NULL;
	if (migrate)
		make_parent(cfg->db);
	if (hv_store_open(cfg->db, cfg->db_read[0] ? cfg->db_read : NULL, &s, &e) < 0) {
		fprintf(stderr, "hocvuso %s: %s\n", cmd, e.msg);
		return NULL;
	}
	if (migrate && hv_migrate(s, &e) < 0) {
		fprintf(stderr, "hocvuso %s: %s\n", cmd, e.msg);
		hv_store_close(s);
		return NULL;
	}
	if (!migrate) {
		if (hv_units_stored(hv_store_conn(s)) < 0) {
			fprintf(stderr, "hocvuso %s: the database %s is not set up; run: hocvuso init --db %s\n", cmd, cfg->db, cfg->db);
			hv_store_close(s);
			return NULL;
		}
	}
	if (hv_units_load(hv_store_conn(s), &e) < 0) {
		fprintf(stderr, "hocvuso %s: %s\n", cmd, e.msg);
		hv_store_close(s);
		return NULL;
	}
	return s;
}

int hv_cli_secrets(const char *cmd, const struct hv_config *cfg, struct hv_store *s, bool create)
{
	char path[512];
	hv_config_key_path(cfg, "secrets_key", path, sizeof path);
	struct hv_error e = {0};
	bool created = false;
	int sealed = 0;
	if (hv_secrets_load(path, create, &created, &e) < 0) {
		fprintf(stderr, "hocvuso %s: %s\n", cmd, e.msg);
		return -1;
	}
	if (hv_totp_prepare(s, &sealed, &e) < 0) {
		fprintf(stderr, "hocvuso %s: %s (secrets key %s)\n", cmd, e.msg, path);
		if (created)
			unlink(path); /* not the key of this database: leave no new file behind */
		hv_secrets_unload();
		return -1;
	}
	if (created)
		printf("secrets key: %s (created; keep it apart from the database and its backups)\n", path);
	if (sealed)
		fprintf(stderr, "hocvuso %s: sealed %d TOTP secret%s stored in plain text under the secrets key %s\n", cmd, sealed,
		        sealed == 1 ? "" : "s", path);
	return 0;
}

void hv_cli_progress(const char *what, long done, long total)
{
	if (total <= 0)
		return;
	int pct = (int)(done * 100 / total);
	if (isatty(2)) {
		int bar = pct / 5;
		fprintf(stderr, "\r%s [%.*s%*s] %3d%% (%ld/%ld)", what, bar, "####################", 20 - bar, "", pct, done, total);
		if (done >= total)
			fputc('\n', stderr);
	} else {
		static int last = -1;
		if (pct / 10 != last / 10 || done >= total) {
			fprintf(stderr, "%s: %d%% (%ld/%ld)\n", what, pct, done, total);
			last = pct;
		}
		if (done >= total)
			last = -1;
	}
}
