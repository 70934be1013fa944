/* static.c: the files of web/ (CSS, JS, icons) compiled into the binary,
 * served with a content-hash ETag, gzip, and a day of caching. */
#include "http/internal.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/assets.h"

struct file {
	const char *name;  /* without "web/" */
	char etag[24];
	struct MHD_Response *plain, *gz, *not_modified;
	size_t len, gz_len;
	char *gz_data;
};

static struct file *files;
static size_t nfiles;

static const char *type_of(const char *name)
{
	const char *dot = strrchr(name, '.');
	if (!dot)
		return "application/octet-stream";
	if (!strcmp(dot, ".css"))
		return "text/css; charset=utf-8";
	if (!strcmp(dot, ".js"))
		return "text/javascript; charset=utf-8";
	if (!strcmp(dot, ".svg"))
		return "image/svg+xml";
	if (!strcmp(dot, ".png"))
		return "image/png";
	if (!strcmp(dot, ".json") || !strcmp(dot, ".webmanifest"))
		return "application/manifest+json";
	if (!strcmp(dot, ".txt"))
		return "text/plain; charset=utf-8";
	return "application/octet-stream";
}

static struct MHD_Response *make(const struct file *f, const void *data, size_t len, bool gz, const char *type)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "public, max-age=86400");
	MHD_add_response_header(r, "ETag", f->etag);
	MHD_add_response_header(r, "Vary", "Accept-Encoding");
	if (gz)
		MHD_add_response_header(r, "Content-Encoding", "gzip");
	hv_add_common_headers(r);
	return r;
}

void hv_static_init(void)
{
	files = hv_xcalloc(hv_assets_count + 1, sizeof *files);
	for (unsigned i = 0; i < hv_assets_count; i++) {
		const struct hv_asset *a = &hv_assets[i];
		if (strncmp(a->name, "web/", 4) != 0)
			continue;
		struct file *f = &files[nfiles++];
		f->name = a->name + 4;
		unsigned char h[8];
		crypto_generichash(h, sizeof h, a->data, a->len, NULL, 0);
		snprintf(f->etag, sizeof f->etag, "\"%02x%02x%02x%02x%02x%02x%02x%02x\"", h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7]);
		const char *type = type_of(f->name);
		f->plain = make(f, a->data, a->len, false, type);
		f->len = a->len;
		struct hv_buf z;
		hv_buf_init(&z);
		if (strncmp(type, "image/png", 9) != 0 && hv_gzip(a->data, a->len, &z)) {
			/* The compressed copy lives as long as the process. */
			f->gz_data = hv_buf_steal(&z, &f->gz_len);
			f->gz = make(f, f->gz_data, f->gz_len, true, type);
		}
		hv_buf_free(&z);
		f->not_modified = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
		MHD_add_response_header(f->not_modified, "ETag", f->etag);
		MHD_add_response_header(f->not_modified, "Cache-Control", "public, max-age=86400");
		hv_add_common_headers(f->not_modified);
	}
}

void hv_static_shutdown(void)
{
	for (size_t i = 0; i < nfiles; i++) {
		MHD_destroy_response(files[i].plain);
		if (files[i].gz)
			MHD_destroy_response(files[i].gz);
		free(files[i].gz_data);
		MHD_destroy_response(files[i].not_modified);
	}
	free(files);
	files = NULL;
	nfiles = 0;
}

bool hv_static_serve(struct MHD_Connection *conn, const char *name, const char *inm, bool gzip, int *status, size_t *bytes)
{
	for (size_t i = 0; i < nfiles; i++) {
		struct file *f = &files[i];
		if (strcmp(f->name, name) != 0)
			continue;
		if (inm && strcmp(inm, f->etag) == 0) {
			*status = 304;
			*bytes = 0;
			MHD_queue_response(conn, MHD_HTTP_NOT_MODIFIED, f->not_modified);
			return true;
		}
		bool z = gzip && f->gz;
		*status = 200;
		*bytes = z ? f->gz_len : f->len;
		MHD_queue_response(conn, MHD_HTTP_OK, z ? f->gz : f->plain);
		return true;
	}
	return false;
}
