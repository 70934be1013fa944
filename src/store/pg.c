/* pg.c: the PostgreSQL backend of store.h (libpq).
 *
 * Each statement is prepared once per connection under a generated name and
 * run with PQexecPrepared; values travel as text and results come back as
 * text, so the same column accessors serve both backends.  A lost
 * connection marks the connection broken; store.c reopens it on next use. */
#include "store/internal.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"

#define MAX_PARAMS 200 /* the widest statement: multi-row aggregate upserts (agg_write.c) */

struct pg_conn {
	struct hv_conn base;
	PGconn *pg;
	unsigned next_name;
};

struct pg_stmt {
	struct hv_stmt base;
	char name[24];
	int nparams;
	char *values[MAX_PARAMS];
	PGresult *res;
	int row, nrows;
	bool executed;
};

static int pg_open(const char *url, struct hv_conn **out, struct hv_error *e)
{
	PGconn *pg = PQconnectdb(url);
	if (PQstatus(pg) != CONNECTION_OK) {
		char msg[200];
		snprintf(msg, sizeof msg, "%s", PQerrorMessage(pg));
		char *nl = strchr(msg, '\n');
		if (nl)
			*nl = '\0';
		hv_err_set(e, HV_EUNAVAIL, "db", "cannot connect to PostgreSQL: %s (is the server running and the address right?)", msg);
		PQfinish(pg);
		return HV_EUNAVAIL;
	}
	PGresult *r = PQexec(pg, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
	PQclear(r);
	struct pg_conn *c = hv_xcalloc(1, sizeof *c);
	c->pg = pg;
	c->base.kind = HV_DB_PG;
	*out = &c->base;
	return HV_OK;
}

static void pg_close(struct hv_conn *hc)
{
	struct pg_conn *c = (struct pg_conn *)hc;
	PQfinish(c->pg);
	free(c);
}

/* Maps a failed result to an hv_err code and records the message. */
static int fail(struct pg_conn *c, PGresult *r)
{
	const char *msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c->pg);
	snprintf(c->base.error, sizeof c->base.error, "%s", msg && *msg ? msg : PQerrorMessage(c->pg));
	char *nl = strchr(c->base.error, '\n');
	if (nl)
		*nl = '\0';
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
	/* Lost connection, or the server shutting down (57P0x): reconnect on
	 * the next use instead of failing forever. */
	if (!r || PQstatus(c->pg) != CONNECTION_OK || (state && (!strncmp(state, "57P", 3) || !strncmp(state, "08", 2)))) {
		c->base.broken = true;
		return HV_EUNAVAIL;
	}
	if (state && strncmp(state, "23", 2) == 0)
		return HV_ECONFLICT;
	if (state && (strcmp(state, "25006") == 0 || strncmp(state, "08", 2) == 0 || strcmp(state, "40001") == 0))
		return HV_EUNAVAIL; /* read-only replica, connection, serialization */
	return HV_EINTERNAL;
}

static int pg_exec(struct hv_conn *hc, const char *sql)
{
	struct pg_conn *c = (struct pg_conn *)hc;
	PGresult *r = PQexec(c->pg, sql);
	ExecStatusType st = PQresultStatus(r);
	int rc = HV_OK;
	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
		rc = fail(c, r);
	PQclear(r);
	return rc;
}

static int count_params(const char *sql)
{
	int max = 0;
	bool in_str = false;
	for (const char *p = sql; *p; p++) {
		if (*p == '\'')
			in_str = !in_str;
		if (!in_str && *p == '$' && p[1] >= '0' && p[1] <= '9') {
			int n = atoi(p + 1);
			if (n > max)
				max = n;
		}
	}
	return max;
}

static struct hv_stmt *pg_prepare(struct hv_conn *hc, const char *sql)
{
	struct pg_conn *c = (struct pg_conn *)hc;
	int n = count_params(sql);
	if (n > MAX_PARAMS) {
		snprintf(hc->error, sizeof hc->error, "too many parameters");
		return NULL;
	}
	struct pg_stmt *s = hv_xcalloc(1, sizeof *s);
	snprintf(s->name, sizeof s->name, "hv%u", c->next_name++);
	s->nparams = n;
	PGresult *r = PQprepare(c->pg, s->name, sql, n, NULL);
	if (PQresultStatus(r) != PGRES_COMMAND_OK) {
		fail(c, r);
		PQclear(r);
		free(s);
		return NULL;
	}
	PQclear(r);
	return &s->base;
}

static void clear_values(struct pg_stmt *s)
{
	for (int i = 0; i < MAX_PARAMS; i++) {
		free(s->values[i]);
		s->values[i] = NULL;
	}
}

static void pg_reset(struct hv_stmt *hs)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	PQclear(s->res);
	s->res = NULL;
	s->executed = false;
	s->row = -1;
	s->nrows = 0;
	clear_values(s);
}

static void pg_finalize(struct hv_stmt *hs)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	pg_reset(hs);
	/* Statements made for one job (hv_stmt_new) are dropped on the server
	 * too; the cached ones live as long as the connection. */
	if (hs->conn && !hs->conn->broken && !strncmp(s->name, "hv", 2)) {
		char sql[64];
		snprintf(sql, sizeof sql, "DEALLOCATE %s", s->name);
		PGresult *r = PQexec(((struct pg_conn *)hs->conn)->pg, sql);
		PQclear(r);
	}
	free(hs);
}

static int pg_col_count(struct hv_stmt *hs)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	return s->res ? PQnfields(s->res) : 0;
}

static const char *pg_col_name(struct hv_stmt *hs, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	const char *n = s->res ? PQfname(s->res, col) : NULL;
	return n ? n : "";
}

static int pg_bind_text(struct hv_stmt *hs, int idx, const char *v)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	if (idx < 1 || idx > s->nparams)
		return HV_EINTERNAL;
	free(s->values[idx - 1]);
	s->values[idx - 1] = hv_xstrdup(v);
	return 0;
}

static int pg_bind_i64(struct hv_stmt *hs, int idx, int64_t v)
{
	char tmp[24];
	snprintf(tmp, sizeof tmp, "%lld", (long long)v);
	return pg_bind_text(hs, idx, tmp);
}

static int pg_bind_null(struct hv_stmt *hs, int idx)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	if (idx < 1 || idx > s->nparams)
		return HV_EINTERNAL;
	free(s->values[idx - 1]);
	s->values[idx - 1] = NULL;
	return 0;
}

static int pg_step(struct hv_stmt *hs)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	struct pg_conn *c = (struct pg_conn *)hs->conn;
	if (!s->executed) {
		s->executed = true;
		s->res = PQexecPrepared(c->pg, s->name, s->nparams, (const char *const *)s->values, NULL, NULL, 0);
		ExecStatusType st = PQresultStatus(s->res);
		if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK)
			return fail(c, s->res);
		s->nrows = st == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
		s->row = -1;
	}
	if (s->row + 1 < s->nrows) {
		s->row++;
		return 1;
	}
	return 0;
}

static const char *pg_col_text(struct hv_stmt *hs, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	if (!s->res || s->row < 0 || col >= PQnfields(s->res))
		return "";
	return PQgetvalue(s->res, s->row, col);
}

static int64_t pg_col_i64(struct hv_stmt *hs, int col)
{
	const char *t = pg_col_text(hs, col);
	if (t[0] == 't' && t[1] == '\0')
		return 1; /* boolean true */
	return strtoll(t, NULL, 10);
}

static bool pg_col_null(struct hv_stmt *hs, int col)
{
	struct pg_stmt *s = (struct pg_stmt *)hs;
	if (!s->res || s->row < 0 || col >= PQnfields(s->res))
		return true;
	return PQgetisnull(s->res, s->row, col);
}

static bool pg_alive(struct hv_conn *hc)
{
	struct pg_conn *c = (struct pg_conn *)hc;
	if (PQstatus(c->pg) != CONNECTION_OK)
		return false;
	/* Between statements the server has nothing to say: anything readable
	 * on an idle connection is its goodbye (a FATAL notice, then EOF). */
	struct pollfd p = {.fd = PQsocket(c->pg), .events = POLLIN};
	return p.fd >= 0 && poll(&p, 1, 0) == 0;
}

const struct hv_backend_ops hv_pg_ops = {
	.open = pg_open,
	.close = pg_close,
	.exec = pg_exec,
	.prepare = pg_prepare,
	.finalize = pg_finalize,
	.reset = pg_reset,
	.bind_text = pg_bind_text,
	.bind_i64 = pg_bind_i64,
	.bind_null = pg_bind_null,
	.step = pg_step,
	.col_text = pg_col_text,
	.col_i64 = pg_col_i64,
	.col_null = pg_col_null,
	.col_count = pg_col_count,
	.col_name = pg_col_name,
	.alive = pg_alive,
	.begin_sql = "BEGIN",
};
