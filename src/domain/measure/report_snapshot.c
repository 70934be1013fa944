/* report_snapshot.c: reports of ended periods kept as issued (see
 * report.h).  The first report made for a unit, a period that has ended,
 * a format and a language is stored; later requests get those bytes, so
 * the figures of a filed report do not change when records are deleted
 * or certificates revoked afterwards (the live pages show the change). */
#include "domain/measure/report.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool hv_period_ended(const char *period, int64_t now)
{
	if (strlen(period) < 4)
		return false;
	int y = atoi(period), q = period[4] == 'Q' ? period[5] - '0' : 4;
	/* The first day after the period, 00:00 in Vietnam (UTC+7). */
	struct tm tm = {.tm_year = (q == 4 ? y + 1 : y) - 1900, .tm_mon = q == 4 ? 0 : q * 3, .tm_mday = 1};
	int64_t end = (int64_t)timegm(&tm) - 7 * 3600;
	return now >= end;
}

int hv_report_snapshot_get(struct hv_conn *c, const char *unit, const char *period, const char *format, const char *lang,
                           struct hv_buf *out, int64_t *issued_at)
{
	struct hv_stmt *st = hv_sql(c, "SELECT body, issued_at FROM report_snapshots WHERE unit_code = $1 AND period = $2 "
	                               "AND format = $3 AND lang = $4");
	hv_bind_text(st, 1, unit);
	hv_bind_text(st, 2, period);
	hv_bind_text(st, 3, format);
	hv_bind_text(st, 4, lang);
	int rc = hv_step(st);
	if (rc == 1) {
		const char *b64 = hv_col_text(st, 0);
		size_t n = strlen(b64), len = 0;
		unsigned char *bin = malloc(n / 4 * 3 + 3);
		if (!bin || sodium_base642bin(bin, n / 4 * 3 + 3, b64, n, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0)
			rc = -1;
		else
			hv_buf_append(out, (const char *)bin, len);
		free(bin);
		*issued_at = hv_col_i64(st, 1);
	}
	hv_stmt_done(st);
	return rc == 1 ? HV_OK : rc == 0 ? HV_ENOTFOUND : HV_EUNAVAIL;
}

struct put_job {
	const char *unit, *period, *format, *lang, *b64;
};

static int put_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct put_job *j = arg;
	/* The first one made is the one issued. */
	struct hv_stmt *st = hv_sql(c, "INSERT INTO report_snapshots (unit_code, period, format, lang, body, issued_at) "
	                               "VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (unit_code, period, format, lang) DO NOTHING");
	hv_bind_text(st, 1, j->unit);
	hv_bind_text(st, 2, j->period);
	hv_bind_text(st, 3, j->format);
	hv_bind_text(st, 4, j->lang);
	hv_bind_text(st, 5, j->b64);
	hv_bind_i64(st, 6, (int64_t)time(NULL));
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? hv_err_set(e, HV_EUNAVAIL, NULL, "cannot keep the report: %s", hv_conn_error(c)) : HV_OK;
}

int hv_report_snapshot_put(struct hv_store *s, const char *unit, const char *period, const char *format, const char *lang,
                           const struct hv_buf *body, struct hv_error *e)
{
	size_t cap = sodium_base64_ENCODED_LEN(body->len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(cap);
	if (!b64)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "out of memory");
	sodium_bin2base64(b64, cap, (const unsigned char *)body->data, body->len, sodium_base64_VARIANT_ORIGINAL);
	struct put_job j = {unit, period, format, lang, b64};
	int rc = hv_store_write(s, put_fn, &j, e);
	free(b64);
	return rc;
}
