/* internal.h: what store.c shares with the backend files. Each backend
 * defines its own connection and statement structs that begin with the
 * common headers below, and a table of operations. */
#ifndef HV_STORE_INTERNAL_H
#define HV_STORE_INTERNAL_H

#include "store/store.h"

struct hv_backend_ops;

struct hv_stmt {
	struct hv_conn *conn;
	const char *sql;   /* cache key: address of the constant */
	int failed;        /* sticky bind error */
	bool stepped;      /* run already: later steps only read rows (not timed) */
};

#define HV_STMT_CACHE 512
#define HV_DEFERRED_MAX 4

struct hv_conn {
	const struct hv_backend_ops *ops;
	enum hv_db_kind kind;
	char url[512];
	char error[256];
	bool in_tx;
	bool read_scope;   /* hv_store_read_begin: reads share one snapshot */
	bool in_read;      /* ... and its deferred BEGIN has been run */
	bool broken;       /* lost connection: reopened on next use */
	struct hv_stmt *cache[HV_STMT_CACHE]; /* open addressing by sql address */
	struct {
		const struct hv_deferred *d;
		void *state;
		size_t mark;
	} deferred[HV_DEFERRED_MAX];
	int ndeferred;
	struct hv_conn *next_all;
};

struct hv_backend_ops {
	int (*open)(const char *url, struct hv_conn **out, struct hv_error *e);
	void (*close)(struct hv_conn *c);
	int (*exec)(struct hv_conn *c, const char *sql);
	struct hv_stmt *(*prepare)(struct hv_conn *c, const char *sql);
	void (*finalize)(struct hv_stmt *st);
	void (*reset)(struct hv_stmt *st);
	int (*bind_text)(struct hv_stmt *st, int idx, const char *s);
	int (*bind_i64)(struct hv_stmt *st, int idx, int64_t v);
	int (*bind_null)(struct hv_stmt *st, int idx);
	int (*step)(struct hv_stmt *st);
	const char *(*col_text)(struct hv_stmt *st, int col);
	int64_t (*col_i64)(struct hv_stmt *st, int col);
	bool (*col_null)(struct hv_stmt *st, int col);
	bool (*alive)(struct hv_conn *c);   /* cheap check that the server is still there; NULL: always */
	int (*col_count)(struct hv_stmt *st);
	const char *(*col_name)(struct hv_stmt *st, int col);
	const char *begin_sql; /* "BEGIN IMMEDIATE" or "BEGIN" */
};

extern const struct hv_backend_ops hv_sqlite_ops;
extern const struct hv_backend_ops hv_pg_ops;

int hv_sqlite_backup(struct hv_conn *c, const char *dest, struct hv_error *e);

#endif
