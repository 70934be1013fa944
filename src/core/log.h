/* log.h: diagnostics to stderr with a timestamp and level. The access log
 * (one JSON line per request) is written by http/accesslog.c. */
#ifndef HV_LOG_H
#define HV_LOG_H

enum hv_log_level { HV_LOG_DEBUG, HV_LOG_INFO, HV_LOG_WARN, HV_LOG_ERROR };

void hv_log_set_level(enum hv_log_level lvl);
void hv_log(enum hv_log_level lvl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define hv_info(...) hv_log(HV_LOG_INFO, __VA_ARGS__)
#define hv_warn(...) hv_log(HV_LOG_WARN, __VA_ARGS__)
#define hv_error(...) hv_log(HV_LOG_ERROR, __VA_ARGS__)

#endif
