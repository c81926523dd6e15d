/*
 * text.h — small pure helpers for text from outside: UTF-8 validation, calendar dates, trimming.
 * None of these allocate unless said.
 */
#ifndef ZW_TEXT_H
#define ZW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* True if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates, nothing past U+10FFFF) and holds no
 * control characters other than tab, LF and CR. */
bool text_valid(const char *s, size_t n);

/* Number of code points in a valid UTF-8 string. */
size_t text_chars(const char *s);

/* Parses "YYYY-MM-DD" into a day count since 1970-01-01. Returns false for anything else, including
 * impossible dates (2026-02-30) and years outside 1900..2200. */
bool date_parse(const char *s, int32_t *days);

/* Writes "YYYY-MM-DD" for a day count into out (at least 11 bytes). */
void date_format(int32_t days, char out[11]);

/* The same day `months` months later (the last day of the month when it has fewer days: Jan 31 + 1 month
 * is Feb 28 or 29). */
int32_t date_add_months(int32_t days, int months);

/* Today's day count in UTC. */
int32_t date_today(void);

/* Days from a civil date and back (proleptic Gregorian). */
int32_t days_from_civil(int y, unsigned m, unsigned d);
void civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d);

/* True if s has the shape of an e-mail address: at most max bytes, no spaces or controls, exactly one '@'
 * with something before it, and a dot in the domain that is neither its first nor its last character. */
bool text_email_ok(const char *s, size_t max);

/* True if s holds a line break or a tab (single-line fields refuse them). */
bool text_has_breaks(const char *s);

/* Removes leading and trailing ASCII white space in place; returns s. s may be NULL. */
char *text_trim(char *s);

/* Constant-time comparison of two NUL-terminated strings of which b is secret. */
bool text_equal_ct(const char *a, const char *b);

/* Hours a week as typed: 1 to 3 digits, optionally a decimal point or comma and one digit ("19.5", "19,5",
 * "20"), stored as tenths. Pure; false for anything else (the caller checks the range). */
bool hours_parse(const char *s, int64_t *tenths);
/* Tenths of hours as text without a needless decimal ("20", "19.5") into buf (at least 24 bytes). */
void hours_format(int64_t tenths, char buf[24]);

#endif
