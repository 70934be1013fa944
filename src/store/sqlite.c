/* sqlite.c: the SQLite backend of store.h.
 *
 * WAL with synchronous=FULL: an acknowledged COMMIT is on disk, and readers
 * on other connections never block the writer.  Queries are written with
 * PostgreSQL's $N placeholders; prepare() rewrites them to SQLite's ?N.
 * The database and its backups are readable by their owner only. */
#include "store/internal.h"

#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/log.h"

struct sq_conn {
	struct hv_conn base;
	sqlite3 *db;
};

struct sq_stmt {
	struct hv_stmt base;
	sqlite3_stmt *st;
};

static void set_error(struct hv_conn *c, sqlite3 *db)
{
	snprintf(c->error, sizeof c->error, "%s", db ? sqlite3_errmsg(db) : "out of memory");
}

/* Before the library's first use: no memory statistics, which would take a
 * process-wide mutex on every allocation of every connection (each server
 * thread has one); nothing here reads them. */
static void configure_library(void)
{
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

/* Narrows the mode of the file at path to its owner's bits; says so when
 * the file already held data (a database made by an older version). */
static void owner_only(const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || !(st.st_mode & 077))
		return;
	mode_t mode = st.st_mode & 0700;
	if (chmod(path, mode) != 0)
		hv_warn("database: %s can be read by other users (mode %03o) and its mode cannot be changed: run chmod 600 %s", path,
		        (unsigned)(st.st_mode & 0777), path);
	else if (st.st_size > 0)
		hv_warn("database: %s could be read by other users (mode %03o); it is now %03o", path, (unsigned)(st.st_mode & 0777),
		        (unsigned)mode);
}

/* The database holds personal data: its file is made 0600 just after
 * SQLite opened (or created) it, before anything is written to it; SQLite
 * gives the -wal and -shm files it makes later the database file's mode.
 * Existing ones are narrowed too.  By name (chmod), never by opening the
 * file: closing a descriptor of it would drop the locks this process's
 * other connections hold on it. */
static void make_private(const char *path)
{
	if (!*path || path[0] == ':' || !strncmp(path, "file:", 5))
		return; /* in memory, or a URI: not a plain file name */
	owner_only(path);
	static const char *const suffixes[] = {"-wal", "-shm"};
	for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
		char side[1024];
		if (snprintf(side, sizeof side, "%s%s", path, suffixes[i]) < (int)sizeof side)
			owner_only(side);
	}
}

static int sq_open(const char *path, struct hv_conn **out, struct hv_error *e)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure_library);
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		hv_err_set(e, HV_EUNAVAIL, "db", "cannot open SQLite database %s: %s (check the folder exists and is writable)",
		           path, db ? sqlite3_errmsg(db) : "out of memory");
		sqlite3_close(db);
		return HV_EUNAVAIL;
	}
	make_private(path);
	sqlite3_busy_timeout(db, 5000);
	sqlite3_extended_result_codes(db, 1);
	const char *pragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
	                      "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16000;";
	char *msg = NULL;
	if (sqlite3_exec(db, pragmas, NULL, NULL, &msg) != SQLITE_OK) {
		hv_err_set(e, HV_EUNAVAIL, "db", "cannot use SQLite database %s: %s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(db);
		return HV_EUNAVAIL;
	}
	struct sq_conn *c = hv_xcalloc(1, sizeof *c);
	c->db = db;
	c->base.kind = HV_DB_SQLITE;
	*out = &c->base;
	return HV_OK;
}

static void sq_close(struct hv_conn *hc)
{
	struct sq_conn *c = (struct sq_conn *)hc;
	sqlite3_close(c->db);
	free(c);
}

static int sq_exec(struct hv_conn *hc, const char *sql)
{
	struct sq_conn *c = (struct sq_conn *)hc;
	char *msg = NULL;
	int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		snprintf(hc->error, sizeof hc->error, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return (rc & 0xff) == SQLITE_BUSY ? HV_EUNAVAIL : HV_EINTERNAL;
	}
	return HV_OK;
}

/* $12 -> ?12, outside string literals. */
static void rewrite(struct hv_buf *b, const char *sql)
{
	bool in_str = false;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			in_str = !in_str;
		if (!in_str && *p == '$' && p[1] >= '0' && p[1] <= '9')
			hv_buf_putc(b, '?');
		else
			hv_buf_putc(b, *p);
	}
}

static struct hv_stmt *sq_prepare(struct hv_conn *hc, const char *sql)
{
	struct sq_conn *c = (struct sq_conn *)hc;
	struct hv_buf b;
	hv_buf_init(&b);
	rewrite(&b, sql);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, b.data, (int)b.len, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	hv_buf_free(&b);
	if (rc != SQLITE_OK) {
		set_error(hc, c->db);
		return NULL;
	}
	/* PostgreSQL refuses a statement that skips a parameter number; catch
	 * it here too so the SQLite tests find it first. */
	for (int i = 1; i <= sqlite3_bind_parameter_count(st); i++) {
		if (!sqlite3_bind_parameter_name(st, i)) {
			snprintf(hc->error, sizeof hc->error, "parameter $%d is never used (PostgreSQL would refuse the statement)", i);
			sqlite3_finalize(st);
			return NULL;
		}
	}
	struct sq_stmt *s = hv_xcalloc(1, sizeof *s);
	s->st = st;
	return &s->base;
}

static void sq_finalize(struct hv_stmt *hs)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	sqlite3_finalize(s->st);
	free(s);
}

static void sq_reset(struct hv_stmt *hs)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	sqlite3_reset(s->st);
	sqlite3_clear_bindings(s->st);
}

static int sq_bind_text(struct hv_stmt *hs, int idx, const char *v)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	return sqlite3_bind_text(s->st, idx, v, -1, SQLITE_TRANSIENT) == SQLITE_OK ? 0 : HV_EINTERNAL;
}

static int sq_bind_i64(struct hv_stmt *hs, int idx, int64_t v)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	return sqlite3_bind_int64(s->st, idx, v) == SQLITE_OK ? 0 : HV_EINTERNAL;
}

static int sq_bind_null(struct hv_stmt *hs, int idx)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	return sqlite3_bind_null(s->st, idx) == SQLITE_OK ? 0 : HV_EINTERNAL;
}

static int sq_step(struct hv_stmt *hs)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	int rc = sqlite3_step(s->st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	struct sq_conn *c = (struct sq_conn *)hs->conn;
	set_error(hs->conn, c->db);
	switch (rc & 0xff) {
	case SQLITE_CONSTRAINT: return HV_ECONFLICT;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
	case SQLITE_IOERR:
	case SQLITE_FULL: return HV_EUNAVAIL;
	default: return HV_EINTERNAL;
	}
}

static const char *sq_col_text(struct hv_stmt *hs, int col)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	const unsigned char *t = sqlite3_column_text(s->st, col);
	return t ? (const char *)t : "";
}

static int64_t sq_col_i64(struct hv_stmt *hs, int col)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	return sqlite3_column_int64(s->st, col);
}

static bool sq_col_null(struct hv_stmt *hs, int col)
{
	struct sq_stmt *s = (struct sq_stmt *)hs;
	return sqlite3_column_type(s->st, col) == SQLITE_NULL;
}

static int sq_col_count(struct hv_stmt *hs)
{
	return sqlite3_column_count(((struct sq_stmt *)hs)->st);
}

static const char *sq_col_name(struct hv_stmt *hs, int col)
{
	const char *n = sqlite3_column_name(((struct sq_stmt *)hs)->st, col);
	return n ? n : "";
}

int hv_sqlite_backup(struct hv_conn *hc, const char *dest, struct hv_error *e)
{
	struct sq_conn *c = (struct sq_conn *)hc;
	sqlite3 *out = NULL;
	int rc = sqlite3_open_v2(dest, &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		hv_err_set(e, HV_EINVAL, "dest", "cannot create %s: %s", dest, out ? sqlite3_errmsg(out) : "out of memory");
		sqlite3_close(out);
		return HV_EINVAL;
	}
	make_private(dest); /* a copy of every record: as private as the database */
	/* The backup API copies a consistent snapshot page by page while the
	 * server keeps writing; steps of 256 pages let writers in between. */
	sqlite3_backup *bk = sqlite3_backup_init(out, "main", c->db, "main");
	if (!bk) {
		hv_err_set(e, HV_EINTERNAL, NULL, "backup failed: %s", sqlite3_errmsg(out));
		sqlite3_close(out);
		return HV_EINTERNAL;
	}
	do {
		rc = sqlite3_backup_step(bk, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(5);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(bk);
	int result = HV_OK;
	if (rc != SQLITE_DONE)
		result = hv_err_set(e, HV_EINTERNAL, NULL, "backup failed: %s", sqlite3_errmsg(out));
	sqlite3_close(out);
	return result;
}

const struct hv_backend_ops hv_sqlite_ops = {
	.open = sq_open,
	.close = sq_close,
	.exec = sq_exec,
	.prepare = sq_prepare,
	.finalize = sq_finalize,
	.reset = sq_reset,
	.bind_text = sq_bind_text,
	.bind_i64 = sq_bind_i64,
	.bind_null = sq_bind_null,
	.step = sq_step,
	.col_text = sq_col_text,
	.col_i64 = sq_col_i64,
	.col_null = sq_col_null,
	.col_count = sq_col_count,
	.col_name = sq_col_name,
	.begin_sql = "BEGIN IMMEDIATE",
};
