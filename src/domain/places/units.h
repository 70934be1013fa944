/* units.h: the administrative tree (nation → 34 provinces → 3,321 communes).
 *
 * The tree is small (a few thousand units) and read on every scoped request,
 * so it lives in memory as an immutable, reference-counted snapshot loaded
 * from the units table.  A re-import bumps settings.units_version and every
 * server process reloads when it sees the new version.  Retired units stay
 * (records keep pointing at them) but are left out of children and search. */
#ifndef HV_UNITS_H
#define HV_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "store/store.h"
#include "domain/people/audit.h"

#define HV_ROOT_CODE "VN"

struct hv_unit {
	const char *code;
	const char *name;
	const char *level;        /* "nation", "province" or "commune" */
	const char *kind;         /* tỉnh, thành phố, xã, phường, đặc khu */
	const char *parent_code;  /* NULL for the nation and for provinces */
	const char *province_code;/* the province itself, or a commune's province */
	const char *successor_code; /* set for retired units merged into another */
	const char *folded;       /* hv_fold(name) */
	const char *bare;         /* folded without the type word ("xa ", "phuong " …) */
	bool retired;
	int depth;                /* 0 nation, 1 province, 2 commune */
	const struct hv_unit *parent; /* the nation for provinces; NULL for the nation */
	const struct hv_unit **children; /* active children sorted by code */
	size_t nchildren;
};

struct hv_units;

/* Loads the tree from the database and makes it current. */
int hv_units_load(struct hv_conn *c, struct hv_error *e);
/* Reloads if settings.units_version changed (checked at most once a second). */
void hv_units_refresh(struct hv_conn *c);
/* Inside a write transaction: makes the shared tree the one this
 * transaction sees (reloading it if a units import committed since the
 * last load), so counters written now roll up the tree as stored. */
int hv_units_sync(struct hv_conn *c);
/* The current snapshot, referenced; NULL before the first load. */
struct hv_units *hv_units_acquire(void);
void hv_units_release(struct hv_units *u);
void hv_units_shutdown(void);

const struct hv_unit *hv_units_get(const struct hv_units *u, const char *code);
const struct hv_unit *hv_units_root(const struct hv_units *u);
size_t hv_units_count(const struct hv_units *u, const char *level);
/* True if unit is ancestor itself or lies in ancestor's subtree. */
bool hv_unit_within(const struct hv_unit *unit, const struct hv_unit *ancestor);

/* Which units a change may touch (an import sent from the web: the units
 * the sender's role reaches).  A NULL scope allows every unit. */
struct hv_unit_scope {
	bool (*allows)(const struct hv_unit *unit, void *arg);
	void *arg;
};
bool hv_scope_allows(const struct hv_unit_scope *scope, const struct hv_unit *unit);
/* Who sends an import (NULL: the command line, every unit): the units its
 * rows may name and, for the audit row written in the import's own
 * transaction, the account and address. */
struct hv_importer {
	struct hv_unit_scope scope;
	int64_t actor;
	const char *ip;
	bool vi;  /* messages in Vietnamese (else English, as on the command line) */
};
#define HV_IMPORTER_VI(by) ((by) && (by)->vi)
#define HV_IMPORTER_SCOPE(by) ((by) ? &(by)->scope : NULL)
/* Best matches first; ignores case, diacritics and tone-mark placement.
 * Returns the number written to out (at most max). */
size_t hv_units_search(const struct hv_units *u, const char *query, const struct hv_unit **out, size_t max);
/* The active children of p in Vietnamese alphabetical order: by name
 * without its type word ("Phường", "Xã") and diacritics first, then with
 * them (so "Sài Gòn" sits among the S, not at entry 69 of a code list).
 * out must hold p->nchildren entries; returns how many were written. */
size_t hv_unit_children_by_name(const struct hv_unit *p, const struct hv_unit **out);

/* What a units import changed (or would change). */
struct hv_units_report {
	int rows, added, renamed, rekinded, moved, retired, unretired, unchanged;
};

/* Validates a units CSV (header code,name,level,parent_code,kind and an
 * optional successor_code column, whose rows are retired units) and applies
 * the difference with the database in one transaction.  Units missing from
 * the file are retired.  Errors name the line; nothing is written then. */
/* Only parses and validates (no database); *rows gets the unit count. */
int hv_units_check(const char *data, size_t len, const char *source, int *rows, struct hv_error *e);
int hv_units_import(struct hv_store *s, const char *data, size_t len, const char *source,
                    struct hv_units_report *rep, struct hv_error *e);

/* Units in the database below the nation (0 before the first import), or
 * -1 if the database cannot say (not set up: no units table). */
int hv_units_stored(struct hv_conn *c);

#endif
