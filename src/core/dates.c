/*
 * dates.c — see dates.h.
 */
#include "core/dates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/text.h"

/* Written by dates_init during start-up only; read-only afterwards. */
static char zone_name[64] = "UTC";

/* True if s looks like an IANA zone name: letters, digits and _ + - /, no leading slash, no "..". */
static bool zone_name_ok(const char *s) {
  size_t n = strlen(s);
  if (n == 0 || n >= sizeof zone_name || s[0] == '/' || strstr(s, "..")) return false;
  for (const char *p = s; *p; p++)
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || strchr("_+-/", *p)))
      return false;
  return true;
}

bool dates_init(const char *zone, char *err, size_t errlen) {
  if (err && errlen) err[0] = 0;
  if (!zone || !zone_name_ok(zone)) {
    snprintf(err, errlen, "timezone: '%.64s' is not a time zone name (such as Europe/Brussels or UTC)",
             zone ? zone : "");
    return false;
  }
  const char *dir = getenv("TZDIR");
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", zone);
  bool utc = !strcmp(zone, "UTC") || !strcmp(zone, "Etc/UTC");
  if (!utc && access(path, R_OK) != 0) {
    snprintf(err, errlen, "timezone: no data for '%s' (install tzdata); times are shown in UTC", zone);
    zone = "UTC";
    utc = true;
  }
  /* glibc: ":name" reads the zone file; "UTC0" needs no file at all */
  char tz[sizeof zone_name + 2];
  snprintf(tz, sizeof tz, utc ? "UTC0" : ":%s", zone);
  setenv("TZ", tz, 1);
  tzset();
  snprintf(zone_name, sizeof zone_name, "%s", zone);
  return true;
}

const char *dates_zone(void) { return zone_name; }

bool dates_local(int64_t t, struct tm *out) {
  time_t tt = (time_t)t;
  return localtime_r(&tt, out) != NULL;
}

const char *time_local(Arena *a, int64_t t) {
  struct tm tm;
  if (t <= 0 || !dates_local(t, &tm)) return "";
  return arena_printf(a, "%02d:%02d", tm.tm_hour, tm.tm_min);
}

const char *time_iso_local(Arena *a, int64_t t) {
  struct tm tm;
  if (t <= 0 || !dates_local(t, &tm)) return "";
  return arena_printf(a, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                      tm.tm_min);
}

const char *date_today_text(Arena *a) {
  char *d = arena_alloc(a, 11);
  date_format(date_today(), d);
  return d;
}
