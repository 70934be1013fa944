/* accesslog.c: one JSON line per request, written with a single write(2)
 * so lines from different threads never interleave.  "-" is stdout,
 * "off" disables it, anything else is a file opened for appending. */
#include "http/internal.h"

#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/utf8.h"

static int fd = 1;

int hv_accesslog_open(const char *where)
{
	if (!where || !strcmp(where, "-")) {
		fd = 1;
	} else if (!strcmp(where, "off")) {
		fd = -1;
	} else {
		fd = open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
		if (fd < 0)
			return -1;
	}
	return 0;
}

void hv_accesslog_close(void)
{
	if (fd > 2)
		close(fd);
	fd = 1;
}

/* The browser's location ("Gần tôi": ?lat=&lon=) answers one request and
 * is written nowhere: the values are dropped from the logged address. */
static void drop_coords(char *s)
{
	char *p = strchr(s, '?');
	for (; p && *p; p++) {
		if ((*p == '?' || *p == '&') && (!strncmp(p + 1, "lat=", 4) || !strncmp(p + 1, "lon=", 4))) {
			char *v = p + 5, *end = v;
			while (*end && *end != '&')
				end++;
			memmove(v, end, strlen(end) + 1);
		}
	}
}

void hv_accesslog_write(const char *method, const char *uri, int status, size_t bytes, double seconds,
                        const char *ip, const char *route)
{
	if (fd < 0)
		return;
	char mem[1400];
	struct hv_buf b;
	hv_buf_init_fixed(&b, mem, sizeof mem);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	struct tm tm;
	gmtime_r(&ts.tv_sec, &tm);
	char when[40];
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
	hv_buf_printf(&b, "{\"ts\":\"%s.%03ldZ\",\"method\":", when, ts.tv_nsec / 1000000);
	hv_buf_json_str(&b, method && hv_utf8_valid(method, strlen(method)) ? method : "?");
	hv_buf_puts(&b, ",\"uri\":");
	char short_uri[512];
	size_t n = uri ? strlen(uri) : 0;
	if (n >= sizeof short_uri)
		n = sizeof short_uri - 1;
	memcpy(short_uri, uri ? uri : "", n);
	short_uri[n] = '\0';
	drop_coords(short_uri);
	n = strlen(short_uri);
	hv_buf_json_str(&b, hv_utf8_valid(short_uri, n) ? short_uri : "(not UTF-8)");
	hv_buf_printf(&b, ",\"status\":%d,\"bytes\":%zu,\"ms\":%.3f,\"ip\":", status, bytes, seconds * 1000.0);
	hv_buf_json_str(&b, ip ? ip : "");
	hv_buf_puts(&b, ",\"route\":");
	hv_buf_json_str(&b, route ? route : "");
	hv_buf_puts(&b, "}\n");
	if (!b.failed) {
		ssize_t w = write(fd, b.data, b.len);
		(void)w;
	}
}
