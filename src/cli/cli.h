/* cli.h: what the subcommands share: option parsing with --help, opening
 * the database from flags/config/environment, and exit codes.
 * Exit codes: 0 success, 1 the operation failed (bad file, database
 * down), 2 a bad argument (one line on stderr). */
#ifndef HV_CLI_H
#define HV_CLI_H

#include <stdbool.h>

#include "core/config.h"
#include "store/store.h"
#include "domain/people/totp.h"

#define HV_EXIT_OK 0
#define HV_EXIT_FAIL 1
#define HV_EXIT_USAGE 2

struct hv_opt {
	const char *name;     /* "db" for --db */
	const char **value;   /* set for options taking a value */
	bool *flag;           /* set for flags */
};

/* Parses argv[start..] into opts and positional args.  Prints help (and
 * returns -1 with *exit_code 0) for --help; prints a one-line error and
 * returns -1 with *exit_code 2 on a bad argument. */
int hv_cli_parse(const char *cmd, const char *usage, int argc, char **argv, int start, const struct hv_opt *opts,
                 const char **pos, int min_pos, int max_pos, int *npos, int *exit_code);
/* Prints "hocvuso CMD: message" and returns HV_EXIT_USAGE. */
int hv_cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Loads config (file from --config/HOCVUSO_CONFIG, environment), then
 * applies db when given. Returns an exit code (0 ok). */
int hv_cli_config(const char *cmd, const char *config_file, const char *db, struct hv_config *cfg);
/* Opens and migrates the database; returns NULL after printing why. */
struct hv_store *hv_cli_open(const char *cmd, struct hv_config *cfg, bool migrate);
/* Loads the secrets key (creating it when create is set), checks it opens
 * the sealed TOTP secrets and seals those still plain (hv_totp_prepare);
 * returns -1 after printing why.  hv_secrets_unload() releases it. */
int hv_cli_secrets(const char *cmd, const struct hv_config *cfg, struct hv_store *s, bool create);
/* Draws a progress bar on stderr when it is a terminal, else a line per 10%. */
void hv_cli_progress(const char *what, long done, long total);

int hv_cmd_init(int argc, char **argv);
int hv_cmd_serve(int argc, char **argv);
int hv_cmd_import(int argc, char **argv);
int hv_cmd_user(int argc, char **argv);
int hv_cmd_token(int argc, char **argv);
int hv_cmd_backup(int argc, char **argv);
int hv_cmd_cert(int argc, char **argv);
int hv_cmd_migrate(int argc, char **argv);
int hv_cmd_indicators(int argc, char **argv);
int hv_cmd_demo(int argc, char **argv);
int hv_cmd_routes(int argc, char **argv);
int hv_cmd_report(int argc, char **argv);
/* `hocvuso cert verify CODE|FILE` (cert_verify.c); returns the exit code. */
int hv_cert_verify_cmd(struct hv_config *cfg, const char *keyfile, const char *what);

#endif
