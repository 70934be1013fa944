/* copy.c: moving a database from one backend to another (a commune's
 * SQLite file up to the national PostgreSQL): every table in dependency
 * order, in batches of one transaction each, then a check that both sides
 * hold the same rows: equal counts and an order-independent checksum (the
 * sum of a BLAKE2b hash of each row's values), so collation differences in
 * ORDER BY cannot hide or fake a difference. */
#include "store/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

/* Parents before children (foreign keys). */
static const char *const tables[] = {
	"settings", "units", "unit_changes", "accounts", "roles", "sessions", "api_tokens", "audit_log", "rate_limits",
	"courses", "lessons", "lesson_versions", "content_images", "quizzes", "quiz_versions", "progress", "quiz_attempts",
	"completions", "certificates", "issuer_keys", "status_lists",
	"anon_attempts", "progress_claims", NULL,
};

#define BATCH 5000

static long count_rows(struct hv_conn *c, const char *table)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM %s", table);
	struct hv_stmt *st = hv_stmt_new(c, sql);
	long n = st && hv_step(st) == 1 ? (long)hv_col_i64(st, 0) : -1;
	hv_stmt_free(st);
	return n;
}

/* Sum over rows of the first 8 bytes of BLAKE2b(values), plus the count. */
static int checksum(struct hv_conn *c, const char *table, uint64_t *sum)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
	struct hv_stmt *st = hv_stmt_new(c, sql);
	if (!st)
		return HV_EINTERNAL;
	*sum = 0;
	int rc;
	while ((rc = hv_step(st)) == 1) {
		crypto_generichash_state h;
		crypto_generichash_init(&h, NULL, 0, 8);
		int n = hv_col_count(st);
		for (int i = 0; i < n; i++) {
			const char *v = hv_col_null(st, i) ? "\x01NULL" : hv_col_text(st, i);
			crypto_generichash_update(&h, (const unsigned char *)v, strlen(v));
			crypto_generichash_update(&h, (const unsigned char *)"\x1f", 1);
		}
		unsigned char out[8];
		crypto_generichash_final(&h, out, sizeof out);
		uint64_t x = 0;
		for (int k = 0; k < 8; k++)
			x = (x << 8) | out[k];
		*sum += x;
	}
	hv_stmt_free(st);
	return rc < 0 ? rc : HV_OK;
}

static int copy_table(struct hv_conn *src, struct hv_conn *dst, const char *table, void (*progress)(const char *, long, long),
                      long total, struct hv_error *e)
{
	char sql[96];
	snprintf(sql, sizeof sql, "SELECT * FROM %s", table);
	struct hv_stmt *in = hv_stmt_new(src, sql);
	if (!in)
		return hv_err_set(e, HV_EINTERNAL, table, "cannot read %s: %s", table, hv_conn_error(src));
	struct hv_stmt *out = NULL;
	struct hv_buf ins;
	hv_buf_init(&ins);
	long done = 0;
	int rc, ncols = 0;
	bool in_tx = false;
	while ((rc = hv_step(in)) == 1) {
		if (!out) {
			ncols = hv_col_count(in);
			hv_buf_printf(&ins, "INSERT INTO %s (", table);
			for (int i = 0; i < ncols; i++)
				hv_buf_printf(&ins, "%s%s", i ? ", " : "", hv_col_name(in, i));
			hv_buf_puts(&ins, ") VALUES (");
			for (int i = 0; i < ncols; i++)
				hv_buf_printf(&ins, "%s$%d", i ? ", " : "", i + 1);
			hv_buf_puts(&ins, ")");
			out = hv_stmt_new(dst, ins.data);
			if (!out) {
				rc = hv_err_set(e, HV_EINTERNAL, table, "cannot write %s: %s", table, hv_conn_error(dst));
				break;
			}
		}
		if (!in_tx) {
			if (hv_begin(dst) < 0) {
				rc = hv_err_set(e, HV_EUNAVAIL, table, "target busy: %s", hv_conn_error(dst));
				break;
			}
			in_tx = true;
		}
		dst->ops->reset(out);
		out->failed = 0;
		for (int i = 0; i < ncols; i++)
			hv_bind_text(out, i + 1, hv_col_null(in, i) ? NULL : hv_col_text(in, i));
		if (hv_step(out) < 0) {
			rc = hv_err_set(e, HV_EINVAL, table, "row %ld of %s refused by the target: %s", done + 1, table, hv_conn_error(dst));
			break;
		}
		done++;
		if (done % BATCH == 0) {
			if (hv_commit(dst) < 0) {
				rc = hv_err_set(e, HV_EUNAVAIL, table, "commit failed: %s", hv_conn_error(dst));
				in_tx = false;
				break;
			}
			in_tx = false;
			if (progress)
				progress(table, done, total);
		}
	}
	if (rc == 0 && in_tx && hv_commit(dst) < 0)
		rc = hv_err_set(e, HV_EUNAVAIL, table, "commit failed: %s", hv_conn_error(dst));
	else if (rc < 0 && in_tx)
		hv_rollback(dst);
	if (progress && rc == 0)
		progress(table, done, total);
	hv_stmt_free(out);
	hv_stmt_free(in);
	hv_buf_free(&ins);
	return rc < 0 ? rc : HV_OK;
}

int hv_store_copy(struct hv_store *from, struct hv_store *to, bool force, void (*progress)(const char *, long, long),
                  struct hv_copy_table *report, int *ntables, struct hv_error *e)
{
	struct hv_conn *src = hv_store_conn(from), *dst = hv_store_conn(to);
	if (!src || !dst)
		return hv_err_set(e, HV_EUNAVAIL, "db", "cannot connect to both databases");
	int v = hv_migrate(to, e);
	if (v < 0)
		return v;
	long have = count_rows(dst, "accounts") + count_rows(dst, "units");
	if (have > 0 && !force)
		return hv_err_set(e, HV_ECONFLICT, "to", "the target already holds data (%ld accounts and units); pass --force to replace it", have);
	if (have > 0) {
		/* Children first. */
		int n = 0;
		while (tables[n])
			n++;
		for (int i = n - 1; i >= 0; i--) {
			char sql[96];
			snprintf(sql, sizeof sql, "DELETE FROM %s", tables[i]);
			if (hv_exec(dst, sql) < 0)
				return hv_err_set(e, HV_EUNAVAIL, tables[i], "cannot empty %s: %s", tables[i], hv_conn_error(dst));
		}
	}
	*ntables = 0;
	for (int t = 0; tables[t]; t++) {
		long total = count_rows(src, tables[t]);
		if (total < 0)
			return hv_err_set(e, HV_EINTERNAL, tables[t], "cannot count %s in the source", tables[t]);
		int rc = copy_table(src, dst, tables[t], progress, total, e);
		if (rc < 0)
			return rc;
		struct hv_copy_table *r = &report[(*ntables)++];
		snprintf(r->name, sizeof r->name, "%s", tables[t]);
		r->rows = total;
	}
	if (hv_conn_kind(dst) == HV_DB_PG) {
		/* Identity columns continue after the copied ids. */
		for (int t = 0; tables[t]; t++) {
			char sql[256];
			snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'), COALESCE((SELECT MAX(id) FROM %s), 0) + 1, false) "
			         "WHERE pg_get_serial_sequence('%s', 'id') IS NOT NULL", tables[t], tables[t], tables[t]);
			struct hv_stmt *st = hv_stmt_new(dst, sql);
			if (st)
				hv_step(st);
			hv_stmt_free(st);
		}
	}
	int bad = 0;
	for (int i = 0; i < *ntables; i++) {
		uint64_t a, b;
		long na = count_rows(src, report[i].name), nb = count_rows(dst, report[i].name);
		report[i].same = na == nb && checksum(src, report[i].name, &a) == 0 && checksum(dst, report[i].name, &b) == 0 && a == b;
		bad += !report[i].same;
	}
	if (bad)
		return hv_err_set(e, HV_EINTERNAL, "verify", "%d tables differ after the copy", bad);
	return HV_OK;
}
