/* store_test.c: the storage interface on a temporary SQLite file and, when
 * HOCVUSO_TEST_PG names a server, on PostgreSQL: migrations, binding,
 * constraint errors, rollback, and group commit under concurrent writers. */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "core/test.h"
#include "store/store.h"

static struct hv_store *store;

static int insert_fn(struct hv_conn *c, void *arg, struct hv_error *e)
{
	const char *key = arg;
	struct hv_stmt *st = hv_sql(c, "INSERT INTO settings (key, value) VALUES ($1, $2)");
	hv_bind_text(st, 1, key);
	hv_bind_text(st, 2, "v");
	int rc = hv_step(st);
	hv_stmt_done(st);
	if (rc < 0)
		return hv_err_set(e, rc, "key", "duplicate");
	return 0;
}

static int insert_then_fail(struct hv_conn *c, void *arg, struct hv_error *e)
{
	insert_fn(c, arg, e);
	return hv_err_set(e, HV_EINVAL, NULL, "fail after insert");
}

static int64_t count_prefix(const char *prefix)
{
	struct hv_stmt *st = hv_sql(hv_store_conn(store), "SELECT COUNT(*) FROM settings WHERE key LIKE $1");
	char pat[64];
	snprintf(pat, sizeof pat, "%s%%", prefix);
	hv_bind_text(st, 1, pat);
	int64_t n = hv_step(st) == 1 ? hv_col_i64(st, 0) : -1;
	hv_stmt_done(st);
	return n;
}

TEST(migrate_is_idempotent)
{
	struct hv_error e = {0};
	int v1 = hv_migrate(store, &e);
	int v2 = hv_migrate(store, &e);
	CHECK(v1 >= 1);
	CHECK(v1 == v2);
	CHECK(hv_store_ping(store));
}

TEST(bind_step_columns)
{
	struct hv_conn *c = hv_store_conn(store);
	struct hv_stmt *st = hv_sql(c, "SELECT $1, $2, $3");
	hv_bind_text(st, 1, "Xã Tân Thành ' OR 1=1 --");
	hv_bind_i64(st, 2, 1234567890123LL);
	hv_bind_null(st, 3);
	CHECK(hv_step(st) == 1);
	CHECK_STR(hv_col_text(st, 0), "Xã Tân Thành ' OR 1=1 --");
	CHECK(hv_col_i64(st, 1) == 1234567890123LL);
	CHECK(hv_col_null(st, 2));
	CHECK(hv_step(st) == 0);
	hv_stmt_done(st);
	/* The same statement comes back from the cache, reset. */
	CHECK(hv_sql(c, "SELECT $1, $2, $3") != NULL);
}

TEST(unique_violation_is_conflict_and_rolls_back)
{
	struct hv_error e = {0};
	CHECK(hv_store_write(store, insert_fn, "t1", &e) == 0);
	CHECK(hv_store_write(store, insert_fn, "t1", &e) == HV_ECONFLICT);
	CHECK(hv_store_write(store, insert_then_fail, "t2", &e) == HV_EINVAL);
	CHECK(count_prefix("t1") == 1);
	CHECK(count_prefix("t2") == 0);
}

struct writer_arg {
	int id;
	int ok;
};

static void *writer(void *p)
{
	struct writer_arg *w = p;
	for (int i = 0; i < 200; i++) {
		char key[32];
		snprintf(key, sizeof key, "gc-%d-%d", w->id, i);
		struct hv_error e = {0};
		if (hv_store_write(store, insert_fn, key, &e) == 0)
			w->ok++;
		/* A duplicate in the same batch fails alone. */
		if (i % 50 == 0 && hv_store_write(store, insert_fn, key, &e) == HV_ECONFLICT)
			w->ok++;
	}
	return NULL;
}

TEST(group_commit_concurrent)
{
	CHECK(hv_store_start_writer(store) == 0);
	pthread_t t[8];
	struct writer_arg args[8];
	for (int i = 0; i < 8; i++) {
		args[i] = (struct writer_arg){.id = i};
		pthread_create(&t[i], NULL, writer, &args[i]);
	}
	int ok = 0;
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		ok += args[i].ok;
	}
	CHECK(ok == 8 * 204);
	CHECK(count_prefix("gc-") == 8 * 200);
}

/* A deferred counter: jobs add to it, the flush adds the sum to a row. */
struct counter {
	int64_t sum, at_mark;
};
static void *counter_create(void)
{
	return calloc(1, sizeof(struct counter));
}
static size_t counter_mark(void *st)
{
	struct counter *k = st;
	k->at_mark = k->sum;
	return 0;
}
static void counter_undo(void *st, size_t mark)
{
	struct counter *k = st;
	(void)mark;
	k->sum = k->at_mark;
}
static void counter_reset(void *st)
{
	struct counter *k = st;
	k->sum = k->at_mark = 0;
}
static int counter_flush(struct hv_conn *c, void *st)
{
	struct counter *k = st;
	char v[32];
	snprintf(v, sizeof v, "%lld", (long long)k->sum);
	/* Atomic: several PostgreSQL writers flush at once. */
	struct hv_stmt *q = hv_sql(c, "INSERT INTO settings (key, value) VALUES ('deferred-total', $1) ON CONFLICT (key) DO UPDATE "
	                              "SET value = CAST(CAST(settings.value AS BIGINT) + CAST(excluded.value AS BIGINT) AS TEXT)");
	hv_bind_text(q, 1, v);
	int rc = hv_step(q);
	hv_stmt_done(q);
	return rc < 0 ? rc : 0;
}
static const struct hv_deferred counter_ops = {counter_create, free, counter_mark, counter_undo, counter_flush, counter_reset};

/* Adds one to the deferred counter, then inserts (a duplicate fails the job). */
static int count_then_insert(struct hv_conn *c, void *arg, struct hv_error *e)
{
	struct counter *k = hv_conn_deferred(c, &counter_ops);
	k->sum++;
	return insert_fn(c, arg, e);
}

static void *deferred_writer(void *p)
{
	struct writer_arg *w = p;
	for (int i = 0; i < 100; i++) {
		char key[32];
		snprintf(key, sizeof key, "df-%d-%d", w->id, i % 80); /* 20 repeats fail after counting */
		struct hv_error e = {0};
		if (hv_store_write(store, count_then_insert, key, &e) == 0)
			w->ok++;
	}
	return NULL;
}

TEST(deferred_work_follows_each_job)
{
	CHECK(hv_store_start_writer(store) == 0);
	pthread_t t[6];
	struct writer_arg args[6];
	for (int i = 0; i < 6; i++) {
		args[i] = (struct writer_arg){.id = i};
		pthread_create(&t[i], NULL, deferred_writer, &args[i]);
	}
	int ok = 0;
	for (int i = 0; i < 6; i++) {
		pthread_join(t[i], NULL);
		ok += args[i].ok;
	}
	CHECK(ok == 6 * 80);
	struct hv_stmt *q = hv_sql(hv_store_conn(store), "SELECT value FROM settings WHERE key = 'deferred-total'");
	CHECK(hv_step(q) == 1 && atoll(hv_col_text(q, 0)) == 6 * 80); /* the failed jobs' shares were undone */
	hv_stmt_done(q);
}

/* A request's reads share one snapshot (SQLite); a write through the store
 * ends it, so the request reads back what it wrote. */
TEST(read_scope_snapshot_ends_at_write)
{
	struct hv_error e = {0};
	struct hv_store *other = NULL;
	CHECK(hv_store_open(hv_store_url(store), NULL, &other, &e) == 0);
	if (!other)
		return;
	bool snapshot = hv_store_kind(store) == HV_DB_SQLITE;
	hv_store_read_begin(store);
	hv_store_read_begin(store); /* twice is once */
	CHECK(count_prefix("rs-") == 0);
	/* Another process's write (another store: its own connection). */
	CHECK(hv_store_write(other, insert_fn, "rs-other", &e) == 0);
	CHECK(count_prefix("rs-") == (snapshot ? 0 : 1));
	/* This request writes: the snapshot ends, both rows are seen. */
	CHECK(hv_store_write(store, insert_fn, "rs-mine", &e) == 0);
	CHECK(count_prefix("rs-") == 2);
	CHECK(hv_store_write(other, insert_fn, "rs-other-2", &e) == 0);
	CHECK(count_prefix("rs-") == (snapshot ? 2 : 3));
	hv_store_read_end(store);
	CHECK(count_prefix("rs-") == 3);
	hv_store_read_end(store); /* none open: nothing happens */
	/* A transaction begun on the connection (the command line's way) ends
	 * the snapshot rather than failing inside it. */
	hv_store_read_begin(store);
	CHECK(count_prefix("rs-") == 3);
	struct hv_conn *c = hv_store_conn(store);
	CHECK(hv_begin(c) == 0);
	CHECK(insert_fn(c, "rs-tx", &e) == 0);
	CHECK(hv_commit(c) == 0);
	CHECK(count_prefix("rs-") == 4);
	hv_store_read_end(store);
	hv_store_close(other);
}

int main(void)
{
	const char *pg = getenv("HOCVUSO_TEST_PG");
	const char *which = getenv("HOCVUSO_TEST_BACKEND");
	bool use_pg = which && !strcmp(which, "postgres");
	if (use_pg && !pg) {
		SKIP(store_postgres, "HOCVUSO_TEST_PG not set");
		return TEST_DONE();
	}
	char path[] = "/tmp/hv-store-test-XXXXXX";
	char url[600];
	if (use_pg) {
		snprintf(url, sizeof url, "%s", pg);
	} else {
		int fd = mkstemp(path);
		close(fd);
		snprintf(url, sizeof url, "%s", path);
	}
	struct hv_error e = {0};
	if (hv_store_open(url, NULL, &store, &e) < 0) {
		fprintf(stderr, "cannot open %s: %s\n", url, e.msg);
		return 1;
	}
	if (use_pg) {
		/* A fresh schema for this run. */
		hv_exec(hv_store_conn(store), "DROP SCHEMA public CASCADE; CREATE SCHEMA public");
	}
	printf("backend: %s\n", use_pg ? "postgres" : "sqlite");
	RUN(migrate_is_idempotent);
	RUN(bind_step_columns);
	RUN(unique_violation_is_conflict_and_rolls_back);
	RUN(group_commit_concurrent);
	RUN(deferred_work_follows_each_job);
	RUN(read_scope_snapshot_ends_at_write);
	hv_store_close(store);
	if (!use_pg) {
		char side[700];
		unlink(path);
		snprintf(side, sizeof side, "%s-wal", path);
		unlink(side);
		snprintf(side, sizeof side, "%s-shm", path);
		unlink(side);
	}
	return TEST_DONE();
}
