/* store.c: the backend-independent half of the storage interface: a
 * connection per thread, the statement cache, timing, and group commit.
 *
 * Group commit is the key decision.  A durable COMMIT costs one fsync; doing
 * one per request caps writes at the disk's fsync rate.  In `serve`, every
 * write is a job on a queue; one writer thread takes all queued jobs, runs
 * each inside its own SAVEPOINT of one transaction (so a failing job undoes
 * only itself), COMMITs once, and only then wakes the requests. */
#include "store/internal.h"

#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "core/metrics.h"

#define MAX_BATCH 512

struct job {
	hv_write_fn fn;
	void *arg;
	struct hv_error *e;
	int result;
	bool done;
	bool detached;   /* nobody waits: the writer frees it (hv_store_write_later) */
	struct job *next;
};

struct hv_store {
	char url[512];
	char read_url[512];
	const struct hv_backend_ops *ops;
	enum hv_db_kind kind;
	pthread_key_t key, read_key;
	pthread_mutex_t lock;
	struct hv_conn *all;

	pthread_t writer[8];
	int nwriters;
	bool writer_running, stopping;
	pthread_mutex_t qlock;
	pthread_cond_t qcond, donecond;
	struct job *qhead, *qtail;
};

static const struct hv_backend_ops *ops_for(const char *url, const char **path)
{
	if (strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0) {
		*path = url;
		return &hv_pg_ops;
	}
	*path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
	return &hv_sqlite_ops;
}

static struct hv_conn *connect_url(struct hv_store *s, const char *url)
{
	const char *path;
	const struct hv_backend_ops *ops = ops_for(url, &path);
	struct hv_conn *c = NULL;
	struct hv_error e = {0};
	if (ops->open(path, &c, &e) < 0) {
		hv_error("database: %s", e.msg);
		return NULL;
	}
	c->ops = ops;
	snprintf(c->url, sizeof c->url, "%s", url);
	pthread_mutex_lock(&s->lock);
	c->next_all = s->all;
	s->all = c;
	pthread_mutex_unlock(&s->lock);
	return c;
}

static void drop_conn(struct hv_store *s, struct hv_conn *c)
{
	pthread_mutex_lock(&s->lock);
	for (struct hv_conn **p = &s->all; *p; p = &(*p)->next_all) {
		if (*p == c) {
			*p = c->next_all;
			break;
		}
	}
	pthread_mutex_unlock(&s->lock);
	for (int i = 0; i < HV_STMT_CACHE; i++)
		if (c->cache[i])
			c->ops->finalize(c->cache[i]);
	for (int i = 0; i < c->ndeferred; i++)
		c->deferred[i].d->destroy(c->deferred[i].state);
	c->ops->close(c);
}

int hv_store_open(const char *url, const char *read_url, struct hv_store **out, struct hv_error *e)
{
	if (!url || !*url)
		return hv_err_set(e, HV_EINVAL, "db", "no database given: pass --db PATH or set HOCVUSO_DB");
	if (strlen(url) >= 512 || (read_url && strlen(read_url) >= 512))
		return hv_err_set(e, HV_EINVAL, "db", "database address is too long");
	struct hv_store *s = hv_xcalloc(1, sizeof *s);
	snprintf(s->url, sizeof s->url, "%s", url);
	if (read_url)
		snprintf(s->read_url, sizeof s->read_url, "%s", read_url);
	const char *path;
	s->ops = ops_for(url, &path);
	s->kind = s->ops == &hv_pg_ops ? HV_DB_PG : HV_DB_SQLITE;
	pthread_key_create(&s->key, NULL);
	pthread_key_create(&s->read_key, NULL);
	pthread_mutex_init(&s->lock, NULL);
	pthread_mutex_init(&s->qlock, NULL);
	pthread_cond_init(&s->qcond, NULL);
	pthread_cond_init(&s->donecond, NULL);
	/* Open the first connection now so a bad address fails here, clearly. */
	struct hv_conn *c = NULL;
	int rc = s->ops->open(path, &c, e);
	if (rc < 0) {
		hv_store_close(s);
		return rc;
	}
	c->ops = s->ops;
	snprintf(c->url, sizeof c->url, "%s", url);
	c->next_all = s->all;
	s->all = c;
	pthread_setspecific(s->key, c);
	*out = s;
	return HV_OK;
}

void hv_store_close(struct hv_store *s)
{
	if (!s)
		return;
	if (s->writer_running) {
		pthread_mutex_lock(&s->qlock);
		s->stopping = true;
		pthread_cond_broadcast(&s->qcond);
		pthread_mutex_unlock(&s->qlock);
		for (int i = 0; i < s->nwriters; i++)
			pthread_join(s->writer[i], NULL);
	}
	while (s->all)
		drop_conn(s, s->all);
	pthread_key_delete(s->key);
	pthread_key_delete(s->read_key);
	pthread_mutex_destroy(&s->lock);
	pthread_mutex_destroy(&s->qlock);
	pthread_cond_destroy(&s->qcond);
	pthread_cond_destroy(&s->donecond);
	free(s);
}

enum hv_db_kind hv_store_kind(const struct hv_store *s)
{
	return s->kind;
}

const char *hv_store_url(const struct hv_store *s)
{
	return s->url;
}

static struct hv_conn *thread_conn(struct hv_store *s, pthread_key_t key, const char *url)
{
	struct hv_conn *c = pthread_getspecific(key);
	/* A server that restarted closed our socket: notice it before use (at
	 * most once a second) rather than failing the next statement. */
	if (c && !c->broken && c->ops->alive && !c->in_tx) {
		/* One poll(2) on an idle socket: cheap enough for every use. */
		if (!c->ops->alive(c))
			c->broken = true;
	}
	if (c && c->broken) {
		hv_warn("database: reconnecting to %s", c->ops == &hv_pg_ops ? "PostgreSQL" : "SQLite");
		drop_conn(s, c);
		c = NULL;
	}
	if (!c) {
		c = connect_url(s, url);
		pthread_setspecific(key, c);
	}
	return c;
}

struct hv_conn *hv_store_conn(struct hv_store *s)
{
	return thread_conn(s, s->key, s->url);
}

struct hv_conn *hv_store_reader(struct hv_store *s)
{
	if (!s->read_url[0])
		return hv_store_conn(s);
	return thread_conn(s, s->read_key, s->read_url);
}

bool hv_store_lost(struct hv_store *s)
{
	struct hv_conn *c = pthread_getspecific(s->key), *r = pthread_getspecific(s->read_key);
	return (c && c->broken) || (r && r->broken);
}

bool hv_store_ping(struct hv_store *s)
{
	struct hv_conn *c = hv_store_conn(s);
	if (!c)
		return false;
	struct hv_stmt *st = hv_sql(c, "SELECT 1");
	int rc = st ? hv_step(st) : HV_EUNAVAIL;
	bool ok = rc == 1 && hv_col_i64(st, 0) == 1;
	hv_stmt_done(st);
	if (!ok && c->broken) {
		/* Reconnect once: the server may be back. */
		c = hv_store_conn(s);
		st = c ? hv_sql(c, "SELECT 1") : NULL;
		ok = st && hv_step(st) == 1;
		hv_stmt_done(st);
	}
	return ok;
}

/* ---- statements ---- */

static size_t slot_of(const char *sql)
{
	uintptr_t p = (uintptr_t)sql;
	return (size_t)((p >> 3) * 2654435761u) % HV_STMT_CACHE;
}

/* The cached statement for sql on c (prepared on first use), reset. */
static struct hv_stmt *cached(struct hv_conn *c, const char *sql)
{
	size_t i = slot_of(sql);
	for (size_t n = 0; n < HV_STMT_CACHE; n++, i = (i + 1) % HV_STMT_CACHE) {
		struct hv_stmt *st = c->cache[i];
		if (st && st->sql == sql) {
			c->ops->reset(st);
			st->failed = 0;
			st->stepped = false;
			return st;
		}
		if (!st) {
			double t0 = hv_now();
			st = c->ops->prepare(c, sql);
			hv_metrics_db(hv_now() - t0);
			if (!st) {
				hv_error("database: cannot prepare [%s]: %s", sql, c->error);
				return NULL;
			}
			st->conn = c;
			st->sql = sql;
			c->cache[i] = st;
			return st;
		}
	}
	hv_error("database: statement cache full");
	return NULL;
}

/* Runs a cached statement without rows ("BEGIN", "COMMIT"). */
static int run_cached(struct hv_conn *c, const char *sql)
{
	struct hv_stmt *st = cached(c, sql);
	int rc = st ? c->ops->step(st) : HV_EINTERNAL;
	if (st)
		c->ops->reset(st);
	return rc < 0 ? rc : 0;
}

/* Ends this connection's read snapshot, if one is open; the scope stays,
 * so the next read opens a new one.  A COMMIT that fails (the snapshot was
 * already rolled back by an error) leaves nothing open either. */
static void read_pause(struct hv_conn *c)
{
	if (!c || !c->in_read)
		return;
	c->in_read = false;
	if (run_cached(c, "COMMIT") < 0)
		hv_log(HV_LOG_DEBUG, "database: ending a read snapshot: %s", c->error);
}

void hv_store_read_begin(struct hv_store *s)
{
	struct hv_conn *c = hv_store_conn(s);
	if (c && c->kind == HV_DB_SQLITE)
		c->read_scope = true;
}

void hv_store_read_end(struct hv_store *s)
{
	struct hv_conn *c = pthread_getspecific(s->key);
	if (!c)
		return;
	c->read_scope = false;
	read_pause(c);
}

struct hv_stmt *hv_sql(struct hv_conn *c, const char *sql)
{
	if (!c)
		return NULL;
	if (c->read_scope && !c->in_read && !c->in_tx)
		c->in_read = run_cached(c, "BEGIN") == 0; /* else one transaction per read */
	return cached(c, sql);
}

void hv_bind_text(struct hv_stmt *st, int idx, const char *s)
{
	if (!st)
		return;
	int rc = s ? st->conn->ops->bind_text(st, idx, s) : st->conn->ops->bind_null(st, idx);
	if (rc < 0)
		st->failed = rc;
}

void hv_bind_i64(struct hv_stmt *st, int idx, int64_t v)
{
	if (st && st->conn->ops->bind_i64(st, idx, v) < 0)
		st->failed = HV_EINTERNAL;
}

void hv_bind_null(struct hv_stmt *st, int idx)
{
	if (st && st->conn->ops->bind_null(st, idx) < 0)
		st->failed = HV_EINTERNAL;
}

int hv_step(struct hv_stmt *st)
{
	if (!st)
		return HV_EINTERNAL;
	if (st->failed) {
		hv_error("database: bad binding for [%s]", st->sql);
		return HV_EINTERNAL;
	}
	/* The statement's run is timed (its first step); reading further rows
	 * is not, which keeps two clock reads per row off large results. */
	double t0 = st->stepped ? 0 : hv_now();
	int rc = st->conn->ops->step(st);
	if (!st->stepped)
		hv_metrics_db(hv_now() - t0);
	st->stepped = true;
	if (rc < 0 && rc != HV_ECONFLICT)
		hv_error("database: [%s]: %s", st->sql, st->conn->error);
	return rc;
}

const char *hv_col_text(struct hv_stmt *st, int col)
{
	return st->conn->ops->col_text(st, col);
}

int64_t hv_col_i64(struct hv_stmt *st, int col)
{
	return st->conn->ops->col_i64(st, col);
}

bool hv_col_null(struct hv_stmt *st, int col)
{
	return st->conn->ops->col_null(st, col);
}

int hv_col_count(struct hv_stmt *st)
{
	return st->conn->ops->col_count(st);
}

const char *hv_col_name(struct hv_stmt *st, int col)
{
	return st->conn->ops->col_name(st, col);
}

struct hv_stmt *hv_stmt_new(struct hv_conn *c, const char *sql)
{
	struct hv_stmt *st = c->ops->prepare(c, sql);
	if (!st) {
		hv_error("database: cannot prepare [%.100s]: %s", sql, c->error);
		return NULL;
	}
	st->conn = c;
	st->sql = sql;
	return st;
}

void hv_stmt_free(struct hv_stmt *st)
{
	if (st)
		st->conn->ops->finalize(st);
}

void hv_stmt_done(struct hv_stmt *st)
{
	if (st) {
		st->conn->ops->reset(st);
		st->stepped = false;
	}
}

int hv_exec(struct hv_conn *c, const char *sql)
{
	double t0 = hv_now();
	int rc = c->ops->exec(c, sql);
	hv_metrics_db(hv_now() - t0);
	if (rc < 0)
		hv_error("database: [%.80s]: %s", sql, c->error);
	return rc;
}

void *hv_conn_deferred(struct hv_conn *c, const struct hv_deferred *d)
{
	for (int i = 0; i < c->ndeferred; i++)
		if (c->deferred[i].d == d)
			return c->deferred[i].state;
	if (c->ndeferred == HV_DEFERRED_MAX)
		return NULL;
	c->deferred[c->ndeferred].d = d;
	c->deferred[c->ndeferred].state = d->create();
	c->deferred[c->ndeferred].mark = 0;
	return c->deferred[c->ndeferred++].state;
}

static void deferred_mark(struct hv_conn *c)
{
	for (int i = 0; i < c->ndeferred; i++)
		c->deferred[i].mark = c->deferred[i].d->mark(c->deferred[i].state);
}

static void deferred_undo(struct hv_conn *c)
{
	for (int i = 0; i < c->ndeferred; i++)
		c->deferred[i].d->undo(c->deferred[i].state, c->deferred[i].mark);
}

static void deferred_reset(struct hv_conn *c)
{
	for (int i = 0; i < c->ndeferred; i++)
		c->deferred[i].d->reset(c->deferred[i].state);
}

static int deferred_flush(struct hv_conn *c)
{
	int rc = 0;
	for (int i = 0; i < c->ndeferred && rc >= 0; i++)
		rc = c->deferred[i].d->flush(c, c->deferred[i].state);
	return rc;
}

int hv_begin(struct hv_conn *c)
{
	read_pause(c);
	int rc = hv_exec(c, c->ops->begin_sql);
	if (rc == 0)
		c->in_tx = true;
	deferred_reset(c); /* nothing deferred outlives the transaction it was made in */
	return rc;
}

int hv_commit(struct hv_conn *c)
{
	int rc = deferred_flush(c);
	if (rc >= 0)
		rc = hv_exec(c, "COMMIT");
	c->in_tx = false;
	if (rc < 0)
		hv_exec(c, "ROLLBACK");
	deferred_reset(c);
	return rc;
}

void hv_rollback(struct hv_conn *c)
{
	c->ops->exec(c, "ROLLBACK");
	c->in_tx = false;
	deferred_reset(c);
}

enum hv_db_kind hv_conn_kind(const struct hv_conn *c)
{
	return c->kind;
}

const char *hv_conn_error(const struct hv_conn *c)
{
	return c->error;
}

/* ---- writes and group commit ---- */

static int run_alone(struct hv_store *s, hv_write_fn fn, void *arg, struct hv_error *e)
{
	struct hv_conn *c = hv_store_conn(s);
	if (!c)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "the database is not reachable; try again shortly");
	if (hv_begin(c) < 0) {
		/* A lost connection is reopened once before giving up. */
		if (!c->broken || !(c = hv_store_conn(s)) || hv_begin(c) < 0)
			return hv_err_set(e, HV_EUNAVAIL, NULL, "the database is busy; try again shortly");
	}
	int rc = fn(c, arg, e);
	if (rc < 0) {
		hv_rollback(c);
		return rc;
	}
	double t0 = hv_now();
	if (hv_commit(c) < 0)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "could not save; try again shortly");
	hv_metrics_commit(hv_now() - t0, 1);
	return rc;
}

static void run_batch(struct hv_store *s, struct job *jobs)
{
	struct hv_conn *c = hv_store_conn(s);
	int fail = 0;
	if (c && hv_begin(c) < 0 && c->broken) {
		/* The server went away and came back: one fresh connection, once. */
		c = hv_store_conn(s);
		if (c && hv_begin(c) < 0)
			c = NULL;
	} else if (c && !c->in_tx) {
		c = NULL;
	}
	if (!c)
		fail = HV_EUNAVAIL;
	int ran = 0;
	for (struct job *j = jobs; j && !fail; j = j->next) {
		if (hv_exec(c, "SAVEPOINT hv_job") < 0) {
			fail = HV_EUNAVAIL;
			break;
		}
		deferred_mark(c);
		j->result = j->fn(c, j->arg, j->e);
		if (j->result < 0) {
			hv_exec(c, "ROLLBACK TO SAVEPOINT hv_job");
			deferred_undo(c);
		}
		if (hv_exec(c, "RELEASE SAVEPOINT hv_job") < 0)
			fail = HV_EUNAVAIL;
		ran++;
	}
	if (!fail) {
		double t0 = hv_now();
		if (hv_commit(c) < 0)
			fail = HV_EUNAVAIL;
		else
			hv_metrics_commit(hv_now() - t0, ran);
	} else if (c && c->in_tx) {
		hv_rollback(c);
	}
	if (fail) {
		for (struct job *j = jobs; j; j = j->next) {
			j->result = fail;
			hv_err_set(j->e, fail, NULL, "could not save; try again shortly");
		}
	}
}

static void *writer_main(void *arg)
{
	struct hv_store *s = arg;
	pthread_mutex_lock(&s->qlock);
	for (;;) {
		while (!s->qhead && !s->stopping)
			pthread_cond_wait(&s->qcond, &s->qlock);
		if (!s->qhead && s->stopping)
			break;
		struct job *batch = s->qhead, *last = batch;
		int n = 1, cap = s->nwriters > 1 ? 32 : MAX_BATCH; /* leave work for the other writers */
		while (last->next && n < cap) {
			last = last->next;
			n++;
		}
		s->qhead = last->next;
		if (!s->qhead)
			s->qtail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&s->qlock);
		run_batch(s, batch);
		pthread_mutex_lock(&s->qlock);
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next;
			if (j->detached)
				free(j);
			else
				j->done = true;
		}
		pthread_cond_broadcast(&s->donecond);
	}
	pthread_mutex_unlock(&s->qlock);
	return NULL;
}

int hv_store_start_writer(struct hv_store *s)
{
	if (s->writer_running)
		return HV_OK;
	/* SQLite has one writer at a time, so one thread batches everything.
	 * On PostgreSQL every write also moves the province and nation counters
	 * (agg_write.c): concurrent writers queue on those rows at COMMIT, each
	 * with a batch of one.  Measured with 64 clients logging assists: 6
	 * writers 442/s (batches of 1), 2 writers 782/s, 1 writer 879/s
	 * (batches of 6); so one writer here too. */
	int want = 1;
	for (int i = 0; i < want; i++) {
		if (pthread_create(&s->writer[i], NULL, writer_main, s) != 0)
			break;
		s->nwriters++;
	}
	if (!s->nwriters)
		return HV_EINTERNAL;
	s->writer_running = true;
	return HV_OK;
}

static bool is_writer(struct hv_store *s)
{
	for (int i = 0; i < s->nwriters; i++)
		if (pthread_equal(pthread_self(), s->writer[i]))
			return true;
	return false;
}

/* Appends j to the writer's queue and wakes it; the caller holds qlock. */
static void enqueue(struct hv_store *s, struct job *j)
{
	if (s->qtail)
		s->qtail->next = j;
	else
		s->qhead = j;
	s->qtail = j;
	pthread_cond_signal(&s->qcond);
}

int hv_store_write(struct hv_store *s, hv_write_fn fn, void *arg, struct hv_error *e)
{
	struct hv_error local = {0};
	if (!e)
		e = &local;
	if (!s->writer_running || is_writer(s))
		return run_alone(s, fn, arg, e);
	read_pause(pthread_getspecific(s->key)); /* read back what is written */
	struct job j = {.fn = fn, .arg = arg, .e = e};
	pthread_mutex_lock(&s->qlock);
	enqueue(s, &j);
	while (!j.done)
		pthread_cond_wait(&s->donecond, &s->qlock);
	pthread_mutex_unlock(&s->qlock);
	return j.result;
}

void hv_store_write_later(struct hv_store *s, hv_write_fn fn, const void *arg, size_t size)
{
	if (!s->writer_running || is_writer(s)) {
		hv_store_write(s, fn, (void *)arg, NULL);
		return;
	}
	/* One block: the job, its error, the copy of arg (aligned for any type). */
	size_t align = _Alignof(max_align_t), at = (sizeof(struct job) + sizeof(struct hv_error) + align - 1) / align * align;
	struct job *j = hv_xcalloc(1, at + size);
	j->e = (struct hv_error *)(j + 1);
	j->arg = (char *)j + at;
	memcpy(j->arg, arg, size);
	j->fn = fn;
	j->detached = true;
	pthread_mutex_lock(&s->qlock);
	enqueue(s, j);
	pthread_mutex_unlock(&s->qlock);
}

int hv_store_backup(struct hv_store *s, const char *dest, struct hv_error *e)
{
	if (s->kind != HV_DB_SQLITE)
		return hv_err_set(e, HV_EINVAL, "db", "backup copies SQLite databases; for PostgreSQL use pg_dump or pg_basebackup");
	struct hv_conn *c = hv_store_conn(s);
	if (!c)
		return hv_err_set(e, HV_EUNAVAIL, NULL, "cannot open the database");
	return hv_sqlite_backup(c, dest, e);
}
