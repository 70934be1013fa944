/* store.h: the one narrow storage interface (open, prepare, bind, step,
 * transaction) with a SQLite and a PostgreSQL backend.
 *
 * SQL is written once, with $1..$N placeholders, in a dialect both backends
 * run (the SQLite backend rewrites $N to ?N).  Statements are prepared once
 * per connection and cached by the address of their constant SQL string, so
 * SQL must be a string literal or a static constant.  Every thread gets its
 * own connection.  Writes go through hv_store_write(): in `serve` a writer
 * thread groups the jobs queued by many requests into one transaction, one
 * savepoint per job, and acknowledges them all after one durable COMMIT
 * (group commit); elsewhere the job runs in its own transaction at once. */
#ifndef HV_STORE_H
#define HV_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

enum hv_db_kind { HV_DB_SQLITE, HV_DB_PG };

struct hv_store;
struct hv_conn;
struct hv_stmt;

/* url is "postgres://…" / "postgresql://…" for PostgreSQL, "sqlite:PATH" or
 * a plain path for SQLite.  read_url (may be NULL) names a read replica used
 * by hv_store_reader().  Returns HV_EUNAVAIL with a message if the database
 * cannot be opened. */
int hv_store_open(const char *url, const char *read_url, struct hv_store **out, struct hv_error *e);
void hv_store_close(struct hv_store *s);
enum hv_db_kind hv_store_kind(const struct hv_store *s);
const char *hv_store_url(const struct hv_store *s);

/* This thread's connection to the primary; NULL (error logged) if it cannot
 * connect.  Owned by the store. */
struct hv_conn *hv_store_conn(struct hv_store *s);
/* This thread's connection for reads that may lag (replica if configured). */
struct hv_conn *hv_store_reader(struct hv_store *s);
/* True if this thread's connection was lost (the next use reconnects):
 * a read that failed this way is worth one retry. */
bool hv_store_lost(struct hv_store *s);
/* True if the database answers a trivial query. */
bool hv_store_ping(struct hv_store *s);

/* One snapshot for the reads of a request.  With SQLite every statement
 * outside a transaction is a read transaction of its own, and beginning and
 * ending one takes file locks and process-wide mutexes that cost more than a
 * lookup by key; inside a scope the first statement opens a deferred
 * transaction that the others share.  A write through hv_store_write (or
 * hv_begin) ends it first, so what a request wrote it then reads back; the
 * next read opens a fresh one.  hv_store_read_end ends the scope (no-op if
 * none).  PostgreSQL: nothing, a transaction there costs round trips. */
void hv_store_read_begin(struct hv_store *s);
void hv_store_read_end(struct hv_store *s);

typedef int (*hv_write_fn)(struct hv_conn *c, void *arg, struct hv_error *e);
/* Runs fn inside a transaction and returns its result once durably
 * committed (or rolled back if fn returned < 0).  fn must use only c. */
int hv_store_write(struct hv_store *s, hv_write_fn fn, void *arg, struct hv_error *e);
/* Queues fn with a copy of arg's size bytes and returns at once (serve;
 * elsewhere it runs now): for what no answer waits on, such as a session's
 * last-seen time.  A failure is dropped (the next request tries again). */
void hv_store_write_later(struct hv_store *s, hv_write_fn fn, const void *arg, size_t size);
/* Starts the group-commit writer thread (serve). */
int hv_store_start_writer(struct hv_store *s);

/* Work a module defers to the end of a transaction, e.g. merging counter
 * updates so that a group commit writes each counter row once.  The state
 * is per connection (created on first use).  mark/undo follow each job's
 * savepoint, so a failed job's share is dropped; flush runs just before
 * COMMIT (a failure rolls the transaction back); reset runs after every
 * COMMIT or ROLLBACK.  Reads inside the transaction do not see deferred
 * work. */
struct hv_deferred {
	void *(*create)(void);
	void (*destroy)(void *state);
	size_t (*mark)(void *state);
	void (*undo)(void *state, size_t mark);
	int (*flush)(struct hv_conn *c, void *state);
	void (*reset)(void *state);
};
/* This connection's state for d (NULL if d cannot be attached: a bug). */
void *hv_conn_deferred(struct hv_conn *c, const struct hv_deferred *d);

/* Returns the cached statement for sql, reset with bindings cleared; NULL
 * on a prepare error (a bug: logged). */
struct hv_stmt *hv_sql(struct hv_conn *c, const char *sql);
void hv_bind_text(struct hv_stmt *st, int idx, const char *s);   /* NULL binds NULL */
void hv_bind_i64(struct hv_stmt *st, int idx, int64_t v);
void hv_bind_null(struct hv_stmt *st, int idx);
/* 1 = a row is ready, 0 = done, < 0 = error (HV_ECONFLICT on a unique or
 * foreign key violation, HV_EUNAVAIL when the database is unreachable). */
int hv_step(struct hv_stmt *st);
/* Column accessors; text is "" for NULL and valid until the next step. */
const char *hv_col_text(struct hv_stmt *st, int col);
int64_t hv_col_i64(struct hv_stmt *st, int col);
bool hv_col_null(struct hv_stmt *st, int col);
int hv_col_count(struct hv_stmt *st);
const char *hv_col_name(struct hv_stmt *st, int col);
/* An uncached statement for SQL built at run time from our own schema's
 * identifiers (the copy between databases); values are still bound.
 * Free with hv_stmt_free. */
struct hv_stmt *hv_stmt_new(struct hv_conn *c, const char *sql);
void hv_stmt_free(struct hv_stmt *st);
/* Resets st so it holds no locks; call when done reading. */
void hv_stmt_done(struct hv_stmt *st);
/* Runs a statement that returns no rows and takes no values (DDL, BEGIN). */
int hv_exec(struct hv_conn *c, const char *sql);
/* Transaction control for long CLI jobs that do not use hv_store_write. */
int hv_begin(struct hv_conn *c);
int hv_commit(struct hv_conn *c);
void hv_rollback(struct hv_conn *c);
enum hv_db_kind hv_conn_kind(const struct hv_conn *c);
const char *hv_conn_error(const struct hv_conn *c);

/* Applies pending migrations; returns the schema version or < 0. */
int hv_migrate(struct hv_store *s, struct hv_error *e);
struct hv_copy_table {
	char name[32];
	long rows;
	bool same;        /* row count and checksum equal on both sides */
};
/* Copies every table of from into to (migrated first), refusing a target
 * that has accounts or units unless force; then compares row counts and an
 * order-independent checksum of every value.  progress(table, done, total)
 * is called as rows go. */
int hv_store_copy(struct hv_store *from, struct hv_store *to, bool force, void (*progress)(const char *, long, long),
                  struct hv_copy_table *report, int *ntables, struct hv_error *e);
/* SQLite only: consistent online copy of the database to dest. */
int hv_store_backup(struct hv_store *s, const char *dest, struct hv_error *e);

#endif
