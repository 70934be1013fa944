/* audit.c: the audit log, settings and the shared server secret. */
#include "domain/people/audit.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "domain/places/units.h"

int hv_audit(struct hv_conn *c, int64_t actor, const char *action, const char *target, const char *unit,
             const char *detail, const char *ip)
{
	struct hv_stmt *st = hv_sql(c, "INSERT INTO audit_log (at, actor_id, action, target, unit_code, detail, ip) "
	                               "VALUES ($1, $2, $3, $4, $5, $6, $7)");
	hv_bind_i64(st, 1, (int64_t)time(NULL));
	if (actor)
		hv_bind_i64(st, 2, actor);
	else
		hv_bind_null(st, 2);
	hv_bind_text(st, 3, action);
	hv_bind_text(st, 4, target);
	hv_bind_text(st, 5, unit);
	hv_bind_text(st, 6, detail);
	hv_bind_text(st, 7, ip);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

int hv_audit_import(struct hv_conn *c, const struct hv_importer *by, const char *kind, const char *src, size_t rows)
{
	char detail[300];
	snprintf(detail, sizeof detail, "%s: %zu rows", src, rows);
	return hv_audit(c, by ? by->actor : 0, "import", kind, NULL, detail, by ? by->ip : "cli");
}

struct audit_job {
	int64_t actor;
	const char *action, *target, *unit, *detail, *ip;
};

static int audit_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	struct audit_job *j = arg;
	return hv_audit(c, j->actor, j->action, j->target, j->unit, j->detail, j->ip);
}

int hv_audit_write(struct hv_store *s, int64_t actor, const char *action, const char *target, const char *unit,
                   const char *detail, const char *ip)
{
	struct audit_job j = {actor, action, target, unit, detail, ip};
	return hv_store_write(s, audit_fn, &j, NULL);
}

int hv_setting_get(struct hv_conn *c, const char *key, char *out, size_t cap)
{
	struct hv_stmt *st = hv_sql(c, "SELECT value FROM settings WHERE key = $1");
	hv_bind_text(st, 1, key);
	int rc = hv_step(st);
	if (rc == 1)
		snprintf(out, cap, "%s", hv_col_text(st, 0));
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

int hv_setting_put(struct hv_conn *c, const char *key, const char *value)
{
	struct hv_stmt *st = hv_sql(c, "INSERT INTO settings (key, value) VALUES ($1, $2) "
	                               "ON CONFLICT (key) DO UPDATE SET value = excluded.value");
	hv_bind_text(st, 1, key);
	hv_bind_text(st, 2, value);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : HV_OK;
}

static int secret_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	(void)e;
	char *hex = arg;
	char have[65];
	if (hv_setting_get(c, "server_secret", have, sizeof have) == HV_OK) {
		snprintf(hex, 65, "%s", have);
		return HV_OK;
	}
	unsigned char raw[32];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(hex, 65, raw, sizeof raw);
	sodium_memzero(raw, sizeof raw);
	return hv_setting_put(c, "server_secret", hex);
}

int hv_server_secret(struct hv_store *s, unsigned char out[32])
{
	char hex[80] = {0};
	int rc = hv_setting_get(hv_store_conn(s), "server_secret", hex, sizeof hex);
	if (rc == HV_ENOTFOUND)
		rc = hv_store_write(s, secret_fn, hex, NULL);
	if (rc < 0)
		return rc;
	size_t len = 0;
	if (sodium_hex2bin(out, 32, hex, strlen(hex), NULL, &len, NULL) != 0 || len != 32)
		return HV_EINTERNAL;
	sodium_memzero(hex, sizeof hex);
	return HV_OK;
}
