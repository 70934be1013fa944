/* people_import.c: the CSV imports of volunteers and of touch points
 * (`hocvuso import volunteers|touch-points FILE.csv`).
 *
 * Two passes, all or nothing: every row is checked first (fields, units,
 * teams, duplicates inside the file and against the database) and the
 * first problem is reported as "FILE:LINE: what to do"; only a clean file
 * is written, in one hv_store_write (one transaction).  Volunteers get a
 * random 16-character initial password (argon2id-hashed before the write,
 * so the transaction stays short) that the caller prints once. */
#include "domain/help/teams.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/ids.h"
#include "domain/internal.h"
#include "domain/help/outreach.h"
#include "domain/places/units.h"
#include "domain/people/accounts.h"
#include "domain/people/audit.h"

#define PW_CHARS 16

static const char *const vol_cols[] = {"login", "display_name", "unit_code", "team", "phone", NULL};
static const char *const tp_cols[] = {"name", "unit_code", "address", "lat", "lon", "free_wifi", "hours", NULL};

struct vol {
	const char *login, *name, *unit, *team_ref;
	char phone[16];
	int64_t team;
	int line;
	char pw[PW_CHARS + 1];
	char hash[128];
};

/* A problem on a line: "SOURCE:LINE: message". */
static int at_line(struct hv_error *e, const char *src, int line, const struct hv_error *inner)
{
	return hv_err_set(e, HV_EINVAL, "file", "%s:%d: %s", src, line, inner->msg);
}

static int outside(struct hv_error *e, bool vi, const char *src, int line, const struct hv_unit *x)
{
	return hv_err_set(e, HV_EINVAL, "file",
	                  HV_MSG(vi, "%s:%d: %s (%s) nằm ngoài các đơn vị vai trò của bạn phụ trách; hãy bỏ dòng này",
	                         "%s:%d: %s (%s) is outside the units your role reaches; remove the line"),
	                  src, line, x->name, x->code);
}

static int no_unit(struct hv_error *e, bool vi, const char *src, int line, const char *code)
{
	return hv_err_set(e, HV_EINVAL, "file",
	                  HV_MSG(vi, "%s:%d: không có đơn vị đang hoạt động mã '%.20s' (unit_code)", "%s:%d: no active unit with code '%.20s' (unit_code)"),
	                  src, line, code);
}

static const struct hv_unit *unit_at(const struct hv_units *u, const char *code, int min_depth)
{
	const struct hv_unit *x = hv_units_get(u, code);
	return x && !x->retired && x->depth >= min_depth ? x : NULL;
}

/* The team named by id or name inside unit x (conn NULL: not checked). */
static int find_team(struct hv_conn *c, const struct hv_units *u, const struct hv_unit *x, const char *ref, bool vi, int64_t *id,
                     struct hv_error *e)
{
	*id = 0;
	if (!*ref || !c)
		return HV_OK;
	struct hv_stmt *st = hv_sql(c, "SELECT id, unit_code FROM teams WHERE CAST(id AS TEXT) = $1 OR name = $1 ORDER BY id");
	hv_bind_text(st, 1, ref);
	int rc, found = 0;
	while ((rc = hv_step(st)) == 1) {
		const struct hv_unit *tu = hv_units_get(u, hv_col_text(st, 1));
		if (tu && hv_unit_within(tu, x)) {
			*id = hv_col_i64(st, 0);
			found++;
		}
	}
	hv_stmt_done(st);
	if (rc < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "the database did not answer; try again");
	if (found != 1)
		return hv_err_set(e, HV_EINVAL, "team",
		                  found ? HV_MSG(vi, "%s có nhiều tổ tên '%.60s': hãy ghi số của tổ", "several teams in %s are named '%.60s': give the team's id")
		                        : HV_MSG(vi, "không có tổ '%.60s' ở đơn vị %s: hãy tạo tổ trước hoặc để trống cột này",
		                                 "no team '%.60s' in unit %s: create it first or leave the column empty"),
		                  found ? x->code : ref, found ? ref : x->code);
	return HV_OK;
}

/* A login or phone already held by an account. */
static bool taken(struct hv_conn *c, const char *value)
{
	if (!c || !value || !*value)
		return false;
	struct hv_stmt *st = hv_sql(c, "SELECT 1 FROM accounts WHERE login = $1 OR phone = $1");
	hv_bind_text(st, 1, value);
	bool yes = hv_step(st) == 1;
	hv_stmt_done(st);
	return yes;
}

static int check_volunteers(struct hv_conn *c, const struct hv_csv *f, const char *src, const struct hv_unit_scope *scope, bool vi,
                            struct vol *v, size_t *nv, hv_progress_cb progress, struct hv_error *e)
{
	struct hv_units *u = hv_units_acquire();
	int rc = HV_OK;
	size_t n = 0;
	for (size_t i = 1; i < f->n && rc == HV_OK; i++) {
		const struct hv_csv_row *r = &f->rows[i];
		struct vol *x = &v[n];
		memset(x, 0, sizeof *x);
		x->login = r->f[0];
		x->name = r->f[1];
		x->unit = r->f[2];
		x->team_ref = r->f[3];
		x->line = r->line;
		struct hv_error in = {0};
		const struct hv_unit *at = NULL;
		if (hv_check_login(x->login, &in) < 0 || hv_check_name(x->name, &in) < 0)
			rc = at_line(e, src, r->line, &in);
		else if (f->ncols > 4 && *r->f[4] && hv_check_phone(r->f[4], x->phone, &in) < 0)
			rc = at_line(e, src, r->line, &in);
		else if (!(at = unit_at(u, x->unit, 1)))
			rc = no_unit(e, vi, src, r->line, x->unit);
		else if (!hv_scope_allows(scope, at))
			rc = outside(e, vi, src, r->line, at);
		else if (find_team(c, u, at, x->team_ref, vi, &x->team, &in) < 0)
			rc = at_line(e, src, r->line, &in);
		else if (taken(c, x->login) || taken(c, x->phone))
			rc = hv_err_set(e, HV_EINVAL, "file",
			                HV_MSG(vi, "%s:%d: tên đăng nhập '%s' hoặc số điện thoại đã có tài khoản; hãy bỏ dòng này",
			                       "%s:%d: login '%s' or its phone already has an account; remove the line"),
			                src, r->line, x->login);
		for (size_t k = 0; k < n && rc == HV_OK; k++)
			if (!strcmp(v[k].login, x->login) || (*x->phone && !strcmp(v[k].phone, x->phone)))
				rc = hv_err_set(e, HV_EINVAL, "file",
				                HV_MSG(vi, "%s:%d: trùng tên đăng nhập hoặc số điện thoại với dòng %d; hãy giữ một dòng",
				                       "%s:%d: the same login or phone as line %d; keep one of them"),
				                src, r->line, v[k].line);
		n++;
		if (progress && n % 500 == 0)
			progress("checked", (long)n, (long)f->n - 1);
	}
	hv_units_release(u);
	*nv = n;
	return rc;
}

/* The one write of an import: one(c, item) for every checked row. */
struct rows_job {
	char *items;
	size_t n, size;
	const char *src;
	hv_progress_cb progress;
	int (*one)(struct hv_conn *c, void *item, const char *src, int64_t now, struct hv_error *e);
	const struct hv_importer *by;
	const char *kind; /* for the audit row */
};

static int rows_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct rows_job *j = arg;
	int64_t now = (int64_t)time(NULL);
	for (size_t i = 0; i < j->n; i++) {
		int rc = j->one(c, j->items + i * j->size, j->src, now, e);
		if (rc < 0)
			return rc;
		if (j->progress && (i + 1) % 500 == 0)
			j->progress("written", (long)i + 1, (long)j->n);
	}
	if (hv_audit_import(c, j->by, j->kind, j->src, j->n) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot write the audit log: %s", hv_conn_error(c));
	return HV_OK;
}

static int write_volunteer(struct hv_conn *c, void *item, const char *src, int64_t now, struct hv_error *e)
{
	struct vol *x = item;
	struct hv_new_account n = {.kind = "staff", .login = x->login, .phone = *x->phone ? x->phone : NULL, .name = x->name,
	                           .home_unit = x->unit, .role_kind = HV_ROLE_VOLUNTEER, .role_unit = x->unit,
	                           .team_id = x->team, .ip = "import"};
	struct hv_error in = {0};
	if (hv_account_insert(c, &n, x->hash, now, &in) < 0)
		return hv_err_set(e, in.code, "file", "%s:%d: %s", src, x->line, in.msg);
	return HV_OK;
}

static int volunteers(struct hv_store *s, const char *data, size_t len, const char *src, const struct hv_importer *by,
                      hv_progress_cb progress, hv_password_cb on_password, void *arg, int *rows, struct hv_error *e)
{
	struct hv_csv f;
	int rc = hv_csv_read(data, len, src, vol_cols, 4, HV_IMPORTER_VI(by), &f, e);
	if (rc < 0)
		return rc;
	struct vol *v = hv_xcalloc(f.n ? f.n : 1, sizeof *v);
	size_t n = 0;
	rc = check_volunteers(s ? hv_store_conn(s) : NULL, &f, src, HV_IMPORTER_SCOPE(by), HV_IMPORTER_VI(by), v, &n, progress, e);
	for (size_t i = 0; s && rc == HV_OK && i < n; i++) {
		hv_random_chars(v[i].pw, PW_CHARS, "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY3479");
		rc = hv_secret_hash(v[i].pw, v[i].hash, e);
		if (progress)
			progress("passwords", (long)i + 1, (long)n);
	}
	if (s && rc == HV_OK) {
		struct rows_job j = {.items = (char *)v, .n = n, .size = sizeof *v, .src = src, .progress = progress, .one = write_volunteer,
		                     .by = by, .kind = "volunteers"};
		rc = hv_store_write(s, rows_fn, &j, e);
	}
	for (size_t i = 0; rc == HV_OK && on_password && i < n; i++)
		on_password(v[i].login, v[i].pw, arg);
	if (rc == HV_OK && rows)
		*rows = (int)n;
	sodium_memzero(v, (f.n ? f.n : 1) * sizeof *v);
	free(v);
	hv_csv_free(&f);
	return rc;
}

int hv_volunteers_import(struct hv_store *s, const char *data, size_t len, const char *source, const struct hv_importer *by,
                         hv_progress_cb progress, hv_password_cb on_password, void *arg, int *rows, struct hv_error *e)
{
	return volunteers(s, data, len, source, by, progress, on_password, arg, rows, e);
}

int hv_volunteers_check(const char *data, size_t len, const char *source, int *rows, struct hv_error *e)
{
	return volunteers(NULL, data, len, source, NULL, NULL, NULL, NULL, rows, e);
}

/* ---- touch points ---- */

struct tp_in {
	struct hv_touch_point tp;
	const char *province;
	int line;
};

/* A coordinate: a plain decimal number, nothing after it. */
static bool parse_coord(const char *s, double *out)
{
	char *end;
	if (!*s || strlen(s) > 20 || strspn(s, "0123456789.-") != strlen(s))
		return false;
	*out = strtod(s, &end);
	return *end == '\0';
}

static int parse_wifi(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "yes", "true", "có", "co", NULL}, *const no[] = {"", "0", "no", "false", "không", "khong", NULL};
	for (int i = 0; yes[i]; i++)
		if (!strcmp(s, yes[i]))
			return (*out = true), HV_OK;
	for (int i = 0; no[i]; i++)
		if (!strcmp(s, no[i]))
			return (*out = false), HV_OK;
	return HV_EINVAL;
}

static int check_points(const struct hv_csv *f, const char *src, const struct hv_unit_scope *scope, bool vi, struct tp_in *t, size_t *nt,
                        struct hv_error *e)
{
	struct hv_units *u = hv_units_acquire();
	int rc = HV_OK;
	size_t n = 0;
	for (size_t i = 1; i < f->n && rc == HV_OK; i++) {
		const struct hv_csv_row *r = &f->rows[i];
		struct tp_in *x = &t[n];
		memset(x, 0, sizeof *x);
		x->line = r->line;
		snprintf(x->tp.name, sizeof x->tp.name, "%s", r->f[0]);
		snprintf(x->tp.unit, sizeof x->tp.unit, "%s", r->f[1]);
		snprintf(x->tp.address, sizeof x->tp.address, "%s", r->f[2]);
		snprintf(x->tp.hours, sizeof x->tp.hours, "%s", r->f[6]);
		const struct hv_unit *at = strlen(r->f[1]) < sizeof x->tp.unit ? unit_at(u, r->f[1], 1) : NULL;
		x->province = at ? at->province_code : NULL;
		bool lat = *r->f[3] != '\0', lon = *r->f[4] != '\0';
		struct hv_error in = {0};
		if (lat != lon || (lat && (!parse_coord(r->f[3], &x->tp.lat) || !parse_coord(r->f[4], &x->tp.lon))))
			rc = hv_err_set(e, HV_EINVAL, "file",
			                HV_MSG(vi, "%s:%d: lat và lon cùng là độ thập phân (ví dụ 10.7769 và 106.7009) hoặc cùng để trống",
			                       "%s:%d: lat and lon are both decimal degrees (e.g. 10.7769,106.7009) or both empty"),
			                src, r->line);
		else if (parse_wifi(r->f[5], &x->tp.free_wifi) < 0)
			rc = hv_err_set(e, HV_EINVAL, "file", HV_MSG(vi, "%s:%d: free_wifi ghi yes hoặc no, không phải '%.20s'", "%s:%d: free_wifi is yes or no, not '%.20s'"),
			                src, r->line, r->f[5]);
		else if ((x->tp.has_coords = lat), hv_touch_point_check(&x->tp, &in) < 0)
			rc = hv_err_set(e, HV_EINVAL, "file", "%s:%d: %s (%s)", src, r->line, in.msg, in.field);
		else if (!at)
			rc = no_unit(e, vi, src, r->line, r->f[1]);
		else if (!hv_scope_allows(scope, at))
			rc = outside(e, vi, src, r->line, at);
		for (size_t k = 0; k < n && rc == HV_OK; k++)
			if (!strcmp(t[k].tp.name, x->tp.name) && !strcmp(t[k].tp.unit, x->tp.unit))
				rc = hv_err_set(e, HV_EINVAL, "file",
				                HV_MSG(vi, "%s:%d: trùng tên và đơn vị với dòng %d; hãy giữ một dòng", "%s:%d: the same name and unit as line %d; keep one of them"),
				                src, r->line, t[k].line);
		n++;
	}
	hv_units_release(u);
	*nt = n;
	return rc;
}

static int write_point(struct hv_conn *c, void *item, const char *src, int64_t now, struct hv_error *e)
{
	struct tp_in *x = item;
	int64_t id;
	if (hv_touch_point_insert(c, &x->tp, x->province, 0, now, &id) < 0)
		return hv_err_set(e, HV_EUNAVAIL, "file", "%s:%d: could not be written: %s", src, x->line, hv_conn_error(c));
	return HV_OK;
}

static int points(struct hv_store *s, const char *data, size_t len, const char *src, const struct hv_importer *by,
                  hv_progress_cb progress, int *rows, struct hv_error *e)
{
	struct hv_csv f;
	int rc = hv_csv_read(data, len, src, tp_cols, 7, HV_IMPORTER_VI(by), &f, e);
	if (rc < 0)
		return rc;
	struct tp_in *t = hv_xcalloc(f.n ? f.n : 1, sizeof *t);
	size_t n = 0;
	rc = check_points(&f, src, HV_IMPORTER_SCOPE(by), HV_IMPORTER_VI(by), t, &n, e);
	if (s && rc == HV_OK) {
		struct rows_job j = {.items = (char *)t, .n = n, .size = sizeof *t, .src = src, .progress = progress, .one = write_point,
		                     .by = by, .kind = "touch-points"};
		rc = hv_store_write(s, rows_fn, &j, e);
	}
	if (rc == HV_OK && rows)
		*rows = (int)n;
	free(t);
	hv_csv_free(&f);
	return rc;
}

int hv_touch_points_import(struct hv_store *s, const char *data, size_t len, const char *source, const struct hv_importer *by,
                           hv_progress_cb progress, int *rows, struct hv_error *e)
{
	return points(s, data, len, source, by, progress, rows, e);
}

int hv_touch_points_check(const char *data, size_t len, const char *source, int *rows, struct hv_error *e)
{
	return points(NULL, data, len, source, NULL, NULL, rows, e);
}
