/* content_yaml.h: the strict front-matter reader of content_parse.c, shared
 * with the simulation parser (content_sim.c): open a file's YAML, walk its
 * nodes, read checked fields; errors say "FILE:LINE: what is wrong". */
#ifndef HV_CONTENT_YAML_H
#define HV_CONTENT_YAML_H

#include <stdbool.h>
#include <stddef.h>
#include <yaml.h>

#include "core/arena.h"
#include "core/err.h"

struct hv_ydoc {
	struct hv_arena *a;
	const char *file;
	yaml_document_t y;
	bool loaded;
	const char *body;
	size_t body_len;
	int body_line;       /* 1-based line of the body's first line */
	struct hv_error *e;
};

int hv_ydoc_open(struct hv_ydoc *d, const char *text, size_t len);
void hv_ydoc_close(struct hv_ydoc *d);
int hv_ydoc_fail(struct hv_ydoc *d, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int hv_ydoc_line(const yaml_node_t *n);
yaml_node_t *hv_ydoc_node(struct hv_ydoc *d, int index);
int hv_ydoc_keys(struct hv_ydoc *d, yaml_node_t *map, const char *const *allowed);
yaml_node_t *hv_ydoc_get(struct hv_ydoc *d, yaml_node_t *map, const char *key);
int hv_ydoc_text(struct hv_ydoc *d, yaml_node_t *map, const char *key, int max, bool allow_empty, char **out);
int hv_ydoc_int(struct hv_ydoc *d, yaml_node_t *map, const char *key, int min, int max, int *out);
int hv_ydoc_slug(struct hv_ydoc *d, yaml_node_t *map, const char *key, char **out);

#endif
