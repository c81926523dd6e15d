/*
 * log.h — server log lines on stderr. Never pass case content, names or request bodies to these.
 */
#ifndef ZW_LOG_H
#define ZW_LOG_H

void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_set_quiet(int quiet); /* 1: only errors (used by CLI commands) */

#endif
