/* units_import.c: validating and applying an administrative-units CSV.
 *
 * Two passes, all or nothing: the whole file is parsed and checked first
 * (libcsv, strict), and only a file without a single error reaches the
 * database, where the difference by code is applied in one transaction and
 * every change is written to unit_changes.  Codes are text: "01" stays "01". */
#include "domain/places/units.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/ids.h"
#include "core/limits.h"
#include "core/utf8.h"
#include "domain/internal.h"
#include "domain/measure/measure.h"
#include "domain/people/auth.h"
#include "domain/people/audit.h"

#define MAX_COLS 6

struct row {
	char *f[MAX_COLS];
	int nf;
	int line;
};

struct parse {
	struct row *rows;
	size_t n, cap;
	char *cur[MAX_COLS + 1];
	int ncur;
	bool too_many_cols, field_too_long, too_many_rows;
	int bad_line;
};

static void on_field(void *s, size_t len, void *data)
{
	struct parse *p = data;
	if (p->ncur >= MAX_COLS) {
		p->too_many_cols = true;
		if (!p->bad_line)
			p->bad_line = (int)p->n + 1;
		return;
	}
	if (len > HV_CSV_MAX_FIELD) {
		p->field_too_long = true;
		if (!p->bad_line)
			p->bad_line = (int)p->n + 1;
		len = 0;
	}
	char *v = hv_xmalloc(len + 1);
	memcpy(v, s, len);
	v[len] = '\0';
	p->cur[p->ncur++] = v;
}

static void on_row(int c, void *data)
{
	(void)c;
	struct parse *p = data;
	if (p->n >= HV_CSV_MAX_ROWS) {
		p->too_many_rows = true;
		for (int i = 0; i < p->ncur; i++)
			free(p->cur[i]);
		p->ncur = 0;
		return;
	}
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 1024;
		p->rows = hv_xrealloc(p->rows, p->cap * sizeof *p->rows);
	}
	struct row *r = &p->rows[p->n];
	memset(r, 0, sizeof *r);
	r->line = (int)p->n + 1;
	for (int i = 0; i < p->ncur; i++)
		r->f[i] = p->cur[i];
	r->nf = p->ncur;
	p->ncur = 0;
	p->n++;
}

static void free_parse(struct parse *p)
{
	for (size_t i = 0; i < p->n; i++)
		for (int k = 0; k < p->rows[i].nf; k++)
			free(p->rows[i].f[k]);
	for (int i = 0; i < p->ncur; i++)
		free(p->cur[i]);
	free(p->rows);
}

static bool all_digits(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return false;
	return true;
}

/* A validated unit from the file. */
struct unit_in {
	char code[8];
	char *name;       /* NFC, owned */
	const char *level;
	const char *kind;
	char parent[8];
	char successor[8];
	int line;
};

static const char *find_word(const char *v, const char *const *allowed)
{
	for (size_t i = 0; allowed[i]; i++)
		if (strcmp(v, allowed[i]) == 0)
			return allowed[i];
	return NULL;
}

static int cmp_code(const void *a, const void *b)
{
	return strcmp(((const struct unit_in *)a)->code, ((const struct unit_in *)b)->code);
}

static struct unit_in *lookup(struct unit_in *units, size_t n, const char *code)
{
	struct unit_in key;
	snprintf(key.code, sizeof key.code, "%s", code);
	return bsearch(&key, units, n, sizeof *units, cmp_code);
}

static int validate(struct parse *p, const char *src, struct unit_in **out, size_t *nout, struct hv_error *e)
{
	static const char *const levels[] = {"province", "commune", NULL};
	static const char *const pkinds[] = {"tỉnh", "thành phố", NULL};
	static const char *const ckinds[] = {"xã", "phường", "đặc khu", NULL};
	if (p->n == 0)
		return hv_err_set(e, HV_EINVAL, "file", "%s: the file is empty; expected the header code,name,level,parent_code,kind", src);
	struct row *h = &p->rows[0];
	const char *want[] = {"code", "name", "level", "parent_code", "kind", "successor_code"};
	if (h->nf < 5)
		return hv_err_set(e, HV_EINVAL, "file", "%s:1: the header must be code,name,level,parent_code,kind[,successor_code]", src);
	for (int i = 0; i < h->nf; i++) {
		const char *f = h->f[i];
		if (i == 0 && (unsigned char)f[0] == 0xEF && (unsigned char)f[1] == 0xBB && (unsigned char)f[2] == 0xBF)
			f += 3; /* byte-order mark from spreadsheet exports */
		if (strcmp(f, want[i]) != 0)
			return hv_err_set(e, HV_EINVAL, "file", "%s:1: column %d must be '%s', found '%.40s'", src, i + 1, want[i], f);
	}
	int ncols = h->nf;
	struct unit_in *units = hv_xcalloc(p->n, sizeof *units);
	size_t n = 0;
	struct hv_buf nfc;
	hv_buf_init(&nfc);
	int rc = HV_OK;
	for (size_t i = 1; i < p->n && rc == HV_OK; i++) {
		struct row *r = &p->rows[i];
		if (r->nf == 1 && r->f[0][0] == '\0')
			continue; /* blank line */
		if (r->nf != ncols) {
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: expected %d fields, found %d", src, r->line, ncols, r->nf);
			break;
		}
		for (int k = 0; k < r->nf && rc == HV_OK; k++)
			rc = hv_csv_field_check(r->f[k], src, r->line, k + 1, want[k], e);
		if (rc)
			break;
		struct unit_in *u = &units[n];
		u->line = r->line;
		u->level = find_word(r->f[2], levels);
		if (!u->level) {
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: level must be province or commune, not '%.40s'", src, r->line, r->f[2]);
			break;
		}
		bool prov = u->level == levels[0];
		if (!all_digits(r->f[0], prov ? 2 : 5)) {
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: a %s code is %d digits, not '%.40s'", src, r->line,
			                u->level, prov ? 2 : 5, r->f[0]);
			break;
		}
		snprintf(u->code, sizeof u->code, "%s", r->f[0]);
		hv_buf_reset(&nfc);
		hv_nfc(&nfc, r->f[1], strlen(r->f[1]));
		long chars = nfc.len ? hv_utf8_len(nfc.data, nfc.len) : 0;
		if (chars < 2 || chars > HV_NAME_MAX) {
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: the name must have 2 to %d characters", src, r->line, HV_NAME_MAX);
			break;
		}
		u->name = hv_xstrdup(nfc.data);
		hv_buf_reset(&nfc);
		hv_nfc(&nfc, r->f[4], strlen(r->f[4]));
		u->kind = find_word(nfc.data ? nfc.data : "", prov ? pkinds : ckinds);
		if (!u->kind) {
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: kind of a %s must be %s, not '%.40s'", src, r->line, u->level,
			                prov ? "tỉnh or thành phố" : "xã, phường or đặc khu", r->f[4]);
			n++;
			break;
		}
		if (prov && r->f[3][0]) {
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: a province has no parent_code", src, r->line);
			n++;
			break;
		}
		if (!prov && !all_digits(r->f[3], 2)) {
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: a commune's parent_code is its 2-digit province code, not '%.40s'",
			                src, r->line, r->f[3]);
			n++;
			break;
		}
		snprintf(u->parent, sizeof u->parent, "%s", r->f[3]);
		if (ncols == 6 && r->f[5][0]) {
			if (!all_digits(r->f[5], prov ? 2 : 5)) {
				rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: successor_code must be a %s code", src, r->line, u->level);
				n++;
				break;
			}
			snprintf(u->successor, sizeof u->successor, "%s", r->f[5]);
		}
		n++;
	}
	hv_buf_free(&nfc);
	if (rc == HV_OK && n == 0)
		rc = hv_err_set(e, HV_EINVAL, "file", "%s: no units in the file", src);
	if (rc == HV_OK) {
		qsort(units, n, sizeof *units, cmp_code);
		for (size_t i = 1; i < n && rc == HV_OK; i++)
			if (strcmp(units[i].code, units[i - 1].code) == 0)
				rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: code %s already appears on line %d", src,
				                units[i].line > units[i - 1].line ? units[i].line : units[i - 1].line, units[i].code,
				                units[i].line > units[i - 1].line ? units[i - 1].line : units[i].line);
		for (size_t i = 0; i < n && rc == HV_OK; i++) {
			struct unit_in *u = &units[i];
			if (u->parent[0]) {
				struct unit_in *p2 = lookup(units, n, u->parent);
				if (!p2 || strcmp(p2->level, "province") != 0)
					rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: parent_code %s is not a province in this file", src, u->line, u->parent);
			}
			if (rc == HV_OK && u->successor[0]) {
				struct unit_in *s2 = lookup(units, n, u->successor);
				if (!s2 || s2->successor[0] || strcmp(s2->code, u->code) == 0)
					rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: successor_code %s is not an active unit in this file", src, u->line, u->successor);
			}
		}
	}
	if (rc != HV_OK) {
		for (size_t i = 0; i < n; i++)
			free(units[i].name);
		free(units);
		return rc;
	}
	*out = units;
	*nout = n;
	return HV_OK;
}

struct apply {
	struct unit_in *units;
	size_t n;
	struct hv_units_report *rep;
	int64_t now;
};

static int log_change(struct hv_conn *c, int64_t batch, const char *code, const char *change, const char *old, const char *new_value)
{
	struct hv_stmt *st = hv_sql(c, "INSERT INTO unit_changes (batch, code, change, old_value, new_value, at) "
	                               "VALUES ($1, $2, $3, $4, $5, $1)");
	hv_bind_i64(st, 1, batch);
	hv_bind_text(st, 2, code);
	hv_bind_text(st, 3, change);
	hv_bind_text(st, 4, old);
	hv_bind_text(st, 5, new_value);
	int rc = hv_step(st);
	hv_stmt_done(st);
	return rc < 0 ? rc : 0;
}

struct existing {
	char code[8], parent[8];
	char *name, *kind;
	bool retired;
	bool seen;
};

static int cmp_existing(const void *a, const void *b)
{
	return strcmp(((const struct existing *)a)->code, ((const struct existing *)b)->code);
}

static int apply_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct apply *ap = arg;
	struct hv_units_report *rep = ap->rep;
	int rc = HV_OK;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO units (code, name, level, parent_code, kind, province_code, updated_at) "
	                               "VALUES ('VN', 'Việt Nam', 'nation', NULL, 'quốc gia', NULL, $1) ON CONFLICT (code) DO NOTHING");
	hv_bind_i64(st, 1, ap->now);
	if (hv_step(st) < 0)
		rc = HV_EINTERNAL;
	hv_stmt_done(st);
	/* The new version first: on PostgreSQL, holding its row makes writes
	 * that sum counters up the tree wait for this import (hv_units_sync). */
	if (rc == HV_OK) {
		char version[48];
		char rnd[9];
		hv_random_chars(rnd, 8, "0123456789abcdef");
		snprintf(version, sizeof version, "%lld-%s", (long long)ap->now, rnd);
		if (hv_setting_put(c, "units_version", version) < 0 || hv_figures_touch_all(c) < 0)
			rc = HV_EINTERNAL;
	}
	/* Load what is there. */
	size_t ne = 0, cape = 4096;
	struct existing *ex = hv_xcalloc(cape, sizeof *ex);
	st = hv_sql(c, "SELECT code, name, kind, COALESCE(parent_code, ''), retired_at IS NOT NULL FROM units WHERE level <> 'nation'");
	int s;
	while (rc == HV_OK && (s = hv_step(st)) == 1) {
		if (ne == cape) {
			cape *= 2;
			ex = hv_xrealloc(ex, cape * sizeof *ex);
		}
		struct existing *x = &ex[ne++];
		memset(x, 0, sizeof *x);
		snprintf(x->code, sizeof x->code, "%s", hv_col_text(st, 0));
		x->name = hv_xstrdup(hv_col_text(st, 1));
		x->kind = hv_xstrdup(hv_col_text(st, 2));
		snprintf(x->parent, sizeof x->parent, "%s", hv_col_text(st, 3));
		x->retired = hv_col_i64(st, 4) != 0;
	}
	hv_stmt_done(st);
	qsort(ex, ne, sizeof *ex, cmp_existing);
	/* Provinces first so that communes' parents exist (units are sorted by
	 * code, and province codes are 2 digits, so they come first). */
	for (int pass = 0; pass < 2 && rc == HV_OK; pass++) {
		for (size_t i = 0; i < ap->n && rc == HV_OK; i++) {
			struct unit_in *u = &ap->units[i];
			bool prov = strcmp(u->level, "province") == 0;
			if (prov != (pass == 0))
				continue;
			rep->rows++;
			struct existing key, *x;
			snprintf(key.code, sizeof key.code, "%s", u->code);
			x = bsearch(&key, ex, ne, sizeof *ex, cmp_existing);
			bool retire = u->successor[0] != 0;
			const char *province = prov ? u->code : u->parent;
			if (!x) {
				st = hv_sql(c, "INSERT INTO units (code, name, level, parent_code, kind, province_code, retired_at, "
				               "successor_code, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)");
				hv_bind_text(st, 1, u->code);
				hv_bind_text(st, 2, u->name);
				hv_bind_text(st, 3, u->level);
				hv_bind_text(st, 4, prov ? NULL : u->parent);
				hv_bind_text(st, 5, u->kind);
				hv_bind_text(st, 6, province);
				if (retire)
					hv_bind_i64(st, 7, ap->now);
				else
					hv_bind_null(st, 7);
				hv_bind_text(st, 8, retire ? u->successor : NULL);
				hv_bind_i64(st, 9, ap->now);
				if (hv_step(st) < 0)
					rc = HV_EINTERNAL;
				hv_stmt_done(st);
				if (rc == HV_OK)
					rc = log_change(c, ap->now, u->code, "new", NULL, u->name);
				rep->added++;
				continue;
			}
			x->seen = true;
			bool changed = false;
			if (strcmp(x->name, u->name) != 0) {
				rc = rc ? rc : log_change(c, ap->now, u->code, "renamed", x->name, u->name);
				rep->renamed++;
				changed = true;
			}
			if (strcmp(x->kind, u->kind) != 0) {
				rc = rc ? rc : log_change(c, ap->now, u->code, "kind", x->kind, u->kind);
				rep->rekinded++;
				changed = true;
			}
			if (strcmp(x->parent, u->parent) != 0) {
				rc = rc ? rc : log_change(c, ap->now, u->code, "parent", x->parent, u->parent);
				if (rc == HV_OK && !prov && x->parent[0])
					rc = hv_agg_move(c, u->code, x->parent, u->parent, ap->now);
				rep->moved++;
				changed = true;
			}
			if (retire && !x->retired) {
				rc = rc ? rc : log_change(c, ap->now, u->code, "retired", NULL, u->successor);
				rep->retired++;
				changed = true;
			} else if (!retire && x->retired) {
				rc = rc ? rc : log_change(c, ap->now, u->code, "restored", NULL, NULL);
				rep->unretired++;
				changed = true;
			}
			if (!changed) {
				rep->unchanged++;
				continue;
			}
			st = hv_sql(c, "UPDATE units SET name = $2, parent_code = $3, kind = $4, province_code = $5, "
			               "retired_at = CASE WHEN $6 = 1 THEN COALESCE(retired_at, $7) ELSE NULL END, "
			               "successor_code = $8, updated_at = $7 WHERE code = $1");
			hv_bind_text(st, 1, u->code);
			hv_bind_text(st, 2, u->name);
			hv_bind_text(st, 3, prov ? NULL : u->parent);
			hv_bind_text(st, 4, u->kind);
			hv_bind_text(st, 5, province);
			hv_bind_i64(st, 6, retire ? 1 : 0);
			hv_bind_i64(st, 7, ap->now);
			hv_bind_text(st, 8, retire ? u->successor : NULL);
			if (rc == HV_OK && hv_step(st) < 0)
				rc = HV_EINTERNAL;
			hv_stmt_done(st);
		}
	}
	/* Units the file no longer lists are retired, never deleted. */
	for (size_t i = 0; i < ne && rc == HV_OK; i++) {
		if (ex[i].seen || ex[i].retired)
			continue;
		st = hv_sql(c, "UPDATE units SET retired_at = $2, updated_at = $2 WHERE code = $1");
		hv_bind_text(st, 1, ex[i].code);
		hv_bind_i64(st, 2, ap->now);
		if (hv_step(st) < 0)
			rc = HV_EINTERNAL;
		hv_stmt_done(st);
		if (rc == HV_OK)
			rc = log_change(c, ap->now, ex[i].code, "retired", NULL, NULL);
		rep->retired++;
	}
	for (size_t i = 0; i < ne; i++) {
		free(ex[i].name);
		free(ex[i].kind);
	}
	free(ex);
	if (rc < 0)
		return hv_err_set(e, rc, NULL, "could not save the units: %s", hv_conn_error(c));
	return HV_OK;
}

/* Parses and validates; on success the caller owns the rows in units. */
static int parse_and_validate(const char *data, size_t len, const char *source, struct unit_in **units, size_t *n,
                              struct hv_error *e)
{
	struct parse p = {0};
	struct csv_parser cp;
	if (csv_init(&cp, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return hv_err_set(e, HV_EINTERNAL, NULL, "cannot start the CSV parser");
	int rc = HV_OK;
	if (csv_parse(&cp, data, len, on_field, on_row, &p) != len || csv_fini(&cp, on_field, on_row, &p) != 0)
		rc = hv_err_set(e, HV_EINVAL, "file", "%s:%zu: malformed CSV (%s)", source, p.n + 1, csv_strerror(csv_error(&cp)));
	csv_free(&cp);
	if (rc == HV_OK && p.too_many_rows)
		rc = hv_err_set(e, HV_EINVAL, "file", "%s: more than %d rows", source, HV_CSV_MAX_ROWS);
	if (rc == HV_OK && (p.too_many_cols || p.field_too_long))
		rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: %s", source, p.bad_line,
		                p.too_many_cols ? "too many fields" : "a field is too long");
	if (rc == HV_OK)
		rc = validate(&p, source, units, n, e);
	free_parse(&p);
	return rc;
}

static void free_units_in(struct unit_in *units, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(units[i].name);
	free(units);
}

int hv_units_check(const char *data, size_t len, const char *source, int *rows, struct hv_error *e)
{
	struct unit_in *units = NULL;
	size_t n = 0;
	int rc = parse_and_validate(data, len, source, &units, &n, e);
	if (rc == HV_OK) {
		if (rows)
			*rows = (int)n;
		free_units_in(units, n);
	}
	return rc;
}

int hv_units_import(struct hv_store *s, const char *data, size_t len, const char *source,
                    struct hv_units_report *rep, struct hv_error *e)
{
	memset(rep, 0, sizeof *rep);
	struct unit_in *units = NULL;
	size_t n = 0;
	int rc = parse_and_validate(data, len, source, &units, &n, e);
	if (rc != HV_OK)
		return rc;
	struct apply ap = {.units = units, .n = n, .rep = rep, .now = (int64_t)time(NULL)};
	rc = hv_store_write(s, apply_fn, &ap, e);
	free_units_in(units, n);
	if (rc < 0)
		memset(rep, 0, sizeof *rep);
	return rc;
}
