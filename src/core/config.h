/* config.h: run-time settings.  Defaults, then a config file (key = value
 * lines; --config FILE or HOCVUSO_CONFIG), then HOCVUSO_* environment
 * variables, then command-line flags, each overriding the one before. */
#ifndef HV_CONFIG_H
#define HV_CONFIG_H

#include <stdbool.h>

#include "core/err.h"

struct hv_config {
	char db[512];          /* db / HOCVUSO_DB */
	char db_read[512];     /* db_read / HOCVUSO_DB_READ */
	char listen[128];      /* listen / HOCVUSO_LISTEN */
	char access_log[256];  /* access_log / HOCVUSO_ACCESS_LOG: "-" stdout, "off", or a file */
	char public_url[256];  /* public_url / HOCVUSO_PUBLIC_URL: used in QR codes and links */
	char issuer_name[256]; /* issuer_name / HOCVUSO_ISSUER_NAME: the issuing body named on certificates
	                          (default "Phong trào Bình dân học vụ số") */
	char metrics_token[128]; /* metrics_token / HOCVUSO_METRICS_TOKEN: lets /metrics answer beyond loopback */
	char issuer_key[512];  /* issuer_key / HOCVUSO_ISSUER_KEY: certificate signing key file;
	                          default: issuer.key beside the SQLite database */
	char secrets_key[512]; /* secrets_key / HOCVUSO_SECRETS_KEY: the key sealing TOTP secrets in the
	                          database; default: secrets.key beside the SQLite database */
	int verify_per_minute; /* verify_per_minute / HOCVUSO_VERIFY_PER_MINUTE: POST /api/v1/credentials/verify
	                          calls per client address per minute (0: no limit) */
	int lesson_seconds;    /* lesson_seconds / HOCVUSO_LESSON_SECONDS: time on a lesson page before
	                          "Tôi đã học xong bài này" counts (default 30; 0: the page was served) */
	int threads;           /* threads / HOCVUSO_THREADS: workers for requests that may wait */
	int io_threads;        /* io_threads / HOCVUSO_IO_THREADS: connection threads; 0 = one per core */
	int conn_per_ip;       /* conn_per_ip / HOCVUSO_CONN_PER_IP (0 = no limit, behind a proxy) */
	int header_seconds;    /* header_seconds / HOCVUSO_HEADER_SECONDS: time for a request's headers */
	int conn_waiting;      /* conn_waiting / HOCVUSO_CONN_WAITING: connections still sending headers */
	bool secure_cookies;   /* secure_cookies / HOCVUSO_SECURE_COOKIES: set behind TLS */
	bool trust_proxy;      /* trust_proxy / HOCVUSO_TRUST_PROXY: take the client address from X-Forwarded-For */
	bool dashboard_cache;  /* dashboard_cache / HOCVUSO_DASHBOARD_CACHE: keep rendered dashboard parts (default on) */
};

void hv_config_defaults(struct hv_config *c);
int hv_config_set(struct hv_config *c, const char *key, const char *value, struct hv_error *e);
/* Reads key = value lines; '#' starts a comment. Errors name the line. */
int hv_config_load_file(struct hv_config *c, const char *path, struct hv_error *e);
int hv_config_load_env(struct hv_config *c, struct hv_error *e);
/* The path of a key file, setting "issuer_key" or "secrets_key": the
 * setting, or issuer.key / secrets.key in the SQLite database's folder.
 * With PostgreSQL there is no default and the setting must be an absolute
 * path: out is "" otherwise (hv_keyfile_load refuses it). */
void hv_config_key_path(const struct hv_config *c, const char *setting, char *out, size_t cap);

#endif
