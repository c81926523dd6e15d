/*
 * dates.c — dates in words in the thread's language (see "Dates in words" in i18n.h): the translated side
 * of core/dates.h, which knows nothing of the language.
 */
#include "i18n/i18n.h"

#include "core/dates.h"
#include "core/text.h"

static const char *month_name(unsigned m) {
  static const char *const names[] = {N_("January"), N_("February"), N_("March"),     N_("April"),
                                      N_("May"),     N_("June"),     N_("July"),      N_("August"),
                                      N_("September"), N_("October"), N_("November"), N_("December")};
  return m >= 1 && m <= 12 ? _(names[m - 1]) : "";
}

static const char *civil_words(Arena *a, int y, unsigned m, unsigned d) {
  /* TRANSLATORS: a date in words: day, month name, year, e.g. "4 December 2026" */
  return arena_printf(a, _("%u %s %d"), d, month_name(m), y);
}

const char *date_words_days(Arena *a, int32_t days) {
  int y;
  unsigned m, d;
  civil_from_days(days, &y, &m, &d);
  return civil_words(a, y, m, d);
}

const char *date_words(Arena *a, const char *iso) {
  if (!iso || !*iso) return "";
  int32_t days;
  if (!date_parse(iso, &days)) return iso;
  return date_words_days(a, days);
}

const char *date_local_words(Arena *a, int64_t t) {
  struct tm tm;
  if (t <= 0 || !dates_local(t, &tm)) return "";
  return civil_words(a, tm.tm_year + 1900, (unsigned)tm.tm_mon + 1, (unsigned)tm.tm_mday);
}

const char *when_words(Arena *a, int64_t t) {
  if (t <= 0) return "";
  /* TRANSLATORS: a date in words and a clock time, e.g. "4 December 2026 at 14:33" */
  return arena_printf(a, _("%s at %s"), date_local_words(a, t), time_local(a, t));
}
