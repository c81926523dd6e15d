/*
 * dates.h — dates and times as people read them: "4 December 2026" and "14:33" in the portal's time zone
 * (setting `timezone`, default Europe/Brussels), in the request's language.
 *
 * Who gets which: participants read dates in words and local times on every page they can reach (B1,
 * nothing to decode). Coaches and other staff keep sortable YYYY-MM-DD dates in tables and forms
 * (doc/CONVENTIONS.md); where they see a time, time_iso_local gives it in the portal's zone. Stored
 * values do not change: dates are YYYY-MM-DD text, moments are unix seconds (UTC); only showing converts.
 *
 * The time zone is read once, at start-up, before any worker thread exists (dates_init sets TZ and calls
 * tzset). After that the conversions use localtime_r only, which reads the zone loaded then and touches no
 * other global state, so they are safe in every thread. Nothing else in the program may change TZ.
 *
 * Dates in words ("4 December 2026", "4 December 2026 at 14:33") are translated, so they are in i18n/i18n.h
 * (i18n/dates.c), above this file; what is here knows nothing of the language. Every function returning
 * text allocates it in the arena a; none fails.
 */
#ifndef ZW_DATES_H
#define ZW_DATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "core/mem.h"

/* Loads time zone `zone` (an IANA name such as "Europe/Brussels", or "UTC") for every local time of the
 * process. Call once during start-up, before threads are made. Returns false with a message in err for a
 * name that is not a zone name; a well-formed name whose zone data is missing (no tzdata installed) is
 * used as UTC with a warning in err and true. */
bool dates_init(const char *zone, char *err, size_t errlen);

/* The zone in use (the name given to dates_init, "UTC" before it). Never NULL. */
const char *dates_zone(void);

/* Breaks unix time t down in the portal's zone (localtime_r). Returns false if t cannot be converted. */
bool dates_local(int64_t t, struct tm *out);

/* The local clock time of unix time t, "14:33"; "" for t <= 0. */
const char *time_local(Arena *a, int64_t t);

/* The local moment of unix time t as "YYYY-MM-DD HH:MM", for staff tables that sort; "" for t <= 0. */
const char *time_iso_local(Arena *a, int64_t t);

/* Today's date in UTC (date_today) as "YYYY-MM-DD", in the arena a: the date forms default to and the
 * changes they record carry. */
const char *date_today_text(Arena *a);

#endif
