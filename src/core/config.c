/* config.c: layered settings (see config.h). */
#include "core/config.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/limits.h"
#include "core/num.h"
#include "core/utf8.h"

void hv_config_defaults(struct hv_config *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->db, sizeof c->db, "data/hocvuso.db");
	snprintf(c->listen, sizeof c->listen, "127.0.0.1:8080");
	snprintf(c->access_log, sizeof c->access_log, "-");
	snprintf(c->public_url, sizeof c->public_url, "http://localhost:8080");
	c->lesson_seconds = 30;
	c->verify_per_minute = 300;
	c->threads = 16; /* requests waiting on a group commit hold a worker */
	c->io_threads = 0; /* one per core: they never wait */
	c->conn_per_ip = 32;
	c->header_seconds = HV_HEADER_SECONDS;
	c->conn_waiting = HV_CONN_WAITING;
	c->dashboard_cache = true;
}

static int set_str(char *dst, size_t cap, const char *key, const char *v, struct hv_error *e)
{
	if (strlen(v) >= cap)
		return hv_err_set(e, HV_EINVAL, key, "%s is too long (at most %zu bytes)", key, cap - 1);
	snprintf(dst, cap, "%s", v);
	return HV_OK;
}

static int set_bool(bool *dst, const char *key, const char *v, struct hv_error *e)
{
	if (!strcmp(v, "1") || !strcmp(v, "true") || !strcmp(v, "yes") || !strcmp(v, "on"))
		*dst = true;
	else if (!strcmp(v, "0") || !strcmp(v, "false") || !strcmp(v, "no") || !strcmp(v, "off"))
		*dst = false;
	else
		return hv_err_set(e, HV_EINVAL, key, "%s must be true or false, not '%s'", key, v);
	return HV_OK;
}

int hv_config_set(struct hv_config *c, const char *key, const char *v, struct hv_error *e)
{
	int64_t n;
	if (!strcmp(key, "db"))
		return set_str(c->db, sizeof c->db, key, v, e);
	if (!strcmp(key, "db_read"))
		return set_str(c->db_read, sizeof c->db_read, key, v, e);
	if (!strcmp(key, "listen"))
		return set_str(c->listen, sizeof c->listen, key, v, e);
	if (!strcmp(key, "access_log"))
		return set_str(c->access_log, sizeof c->access_log, key, v, e);
	if (!strcmp(key, "public_url"))
		return set_str(c->public_url, sizeof c->public_url, key, v, e);
	if (!strcmp(key, "issuer_name")) {
		if (!hv_utf8_valid(v, strlen(v)) || hv_has_any_control(v, strlen(v)))
			return hv_err_set(e, HV_EINVAL, key, "issuer_name must be UTF-8 text on one line");
		return set_str(c->issuer_name, sizeof c->issuer_name, key, v, e);
	}
	if (!strcmp(key, "metrics_token")) {
		if (*v && strlen(v) < 24)
			return hv_err_set(e, HV_EINVAL, key, "metrics_token must be at least 24 characters (or empty)");
		return set_str(c->metrics_token, sizeof c->metrics_token, key, v, e);
	}
	if (!strcmp(key, "issuer_key"))
		return set_str(c->issuer_key, sizeof c->issuer_key, key, v, e);
	if (!strcmp(key, "secrets_key"))
		return set_str(c->secrets_key, sizeof c->secrets_key, key, v, e);
	if (!strcmp(key, "lesson_seconds")) {
		if (hv_parse_i64(v, 0, 3600, &n) < 0)
			return hv_err_set(e, HV_EINVAL, key, "lesson_seconds must be a number of seconds from 0 to 3600, not '%s'", v);
		c->lesson_seconds = (int)n;
		return HV_OK;
	}
	if (!strcmp(key, "verify_per_minute")) {
		if (hv_parse_i64(v, 0, 1000000, &n) < 0)
			return hv_err_set(e, HV_EINVAL, key, "verify_per_minute must be a number from 0 (no limit) to 1000000, not '%s'", v);
		c->verify_per_minute = (int)n;
		return HV_OK;
	}
	if (!strcmp(key, "threads")) {
		if (hv_parse_i64(v, 1, 256, &n) < 0)
			return hv_err_set(e, HV_EINVAL, key, "threads must be a number from 1 to 256, not '%s'", v);
		c->threads = (int)n;
		return HV_OK;
	}
	if (!strcmp(key, "io_threads")) {
		if (hv_parse_i64(v, 0, 256, &n) < 0)
			return hv_err_set(e, HV_EINVAL, key, "io_threads must be a number from 0 (one per core) to 256, not '%s'", v);
		c->io_threads = (int)n;
		return HV_OK;
	}
	if (!strcmp(key, "header_seconds")) {
		if (hv_parse_i64(v, 1, 300, &n) < 0)
			return hv_err_set(e, HV_EINVAL, key, "header_seconds must be a number of seconds from 1 to 300, not '%s'", v);
		c->header_seconds = (int)n;
		return HV_OK;
	}
	if (!strcmp(key, "conn_waiting")) {
		if (hv_parse_i64(v, 1, 100000, &n) < 0)
			return hv_err_set(e, HV_EINVAL, key, "conn_waiting must be a number from 1 to 100000, not '%s'", v);
		c->conn_waiting = (int)n;
		return HV_OK;
	}
	if (!strcmp(key, "conn_per_ip")) {
		if (hv_parse_i64(v, 0, 100000, &n) < 0)
			return hv_err_set(e, HV_EINVAL, key, "conn_per_ip must be a number from 0 to 100000, not '%s'", v);
		c->conn_per_ip = (int)n;
		return HV_OK;
	}
	if (!strcmp(key, "secure_cookies"))
		return set_bool(&c->secure_cookies, key, v, e);
	if (!strcmp(key, "trust_proxy"))
		return set_bool(&c->trust_proxy, key, v, e);
	if (!strcmp(key, "dashboard_cache"))
		return set_bool(&c->dashboard_cache, key, v, e);
	return hv_err_set(e, HV_EINVAL, key, "unknown setting '%s'", key);
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

int hv_config_load_file(struct hv_config *c, const char *path, struct hv_error *e)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return hv_err_set(e, HV_EINVAL, "config", "cannot read config file %s", path);
	char line[1024];
	int lineno = 0, rc = HV_OK;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *s = trim(line);
		if (!*s)
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			rc = hv_err_set(e, HV_EINVAL, "config", "%s:%d: expected key = value", path, lineno);
			break;
		}
		*eq = '\0';
		struct hv_error sub = {0};
		if (hv_config_set(c, trim(s), trim(eq + 1), &sub) < 0) {
			rc = hv_err_set(e, HV_EINVAL, "config", "%s:%d: %s", path, lineno, sub.msg);
			break;
		}
	}
	fclose(f);
	return rc;
}

int hv_config_load_env(struct hv_config *c, struct hv_error *e)
{
	static const char *keys[] = {"lesson_seconds", "verify_per_minute",
	                             "db", "db_read", "listen", "access_log", "public_url", "issuer_name", "issuer_key", "secrets_key", "threads",
	                             "io_threads", "conn_per_ip", "header_seconds", "conn_waiting", "metrics_token",
	                             "secure_cookies", "trust_proxy", "dashboard_cache"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char name[64] = "HOCVUSO_";
		for (size_t k = 0; keys[i][k]; k++)
			name[8 + k] = (char)toupper((unsigned char)keys[i][k]);
		const char *v = getenv(name);
		struct hv_error sub = {0}; /* not e: its message is formatted into e */
		if (v && hv_config_set(c, keys[i], v, &sub) < 0)
			return hv_err_set(e, HV_EINVAL, sub.field, "%s: %s", name, sub.msg);
	}
	return HV_OK;
}

void hv_config_key_path(const struct hv_config *c, const char *setting, char *out, size_t cap)
{
	bool secrets = !strcmp(setting, "secrets_key");
	const char *set = secrets ? c->secrets_key : c->issuer_key;
	const char *file = secrets ? "secrets.key" : "issuer.key";
	if (set[0]) {
		/* With PostgreSQL the path must be absolute (not relative to
		 * wherever the server was started). */
		if (!strncmp(c->db, "postgres", 8) && set[0] != '/')
			snprintf(out, cap, "%s", "");
		else
			snprintf(out, cap, "%s", set);
		return;
	}
	if (!strncmp(c->db, "postgres", 8)) {
		/* No default beside a database server: never the working
		 * directory (a checkout).  hv_keyfile_load refuses "". */
		snprintf(out, cap, "%s", "");
		return;
	}
	const char *path = !strncmp(c->db, "sqlite:", 7) ? c->db + 7 : c->db;
	const char *slash = strrchr(path, '/');
	if (!slash)
		snprintf(out, cap, "%s", file);
	else
		snprintf(out, cap, "%.*s/%s", (int)(slash - path), path, file);
}
