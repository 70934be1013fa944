/* log.c: leveled diagnostics on stderr (see log.h). One formatted line is
 * written with a single write(2) so lines from threads do not interleave. */
#include "core/log.h"
#include "core/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <time.h>
#include <unistd.h>

static enum hv_log_level min_level = HV_LOG_INFO;

void hv_log_set_level(enum hv_log_level lvl)
{
	min_level = lvl;
}

void hv_log(enum hv_log_level lvl, const char *fmt, ...)
{
	if (lvl < min_level)
		return;
	static const char *names[] = {"debug", "info", "warn", "error"};
	char mem[1024];
	struct hv_buf b;
	hv_buf_init_fixed(&b, mem, sizeof mem);
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	hv_buf_printf(&b, "%s %s ", ts, names[lvl]);
	va_list ap;
	va_start(ap, fmt);
	size_t room = sizeof mem - b.len - 5; /* "...\n" and the NUL stay free */
	int n = vsnprintf(b.data + b.len, room, fmt, ap);
	va_end(ap);
	if (n >= 0) {
		b.len += (size_t)n < room ? (size_t)n : room - 1;
		if ((size_t)n >= room)
			hv_buf_puts(&b, "..."); /* truncated: what fits, marked */
	}
	hv_buf_putc(&b, '\n');
	ssize_t w = write(2, b.data, b.len);
	(void)w;
}
