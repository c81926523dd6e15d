/*
 * test_dates.c — unit tests for dates and times as people read them (src/core/dates.c): dates in words,
 * local times in the portal's zone across daylight saving time, the zone setting's checks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/dates.h"
#include "i18n/i18n.h"

static Arena *a;

static int setup(void **state) {
  (void)state;
  a = arena_new();
  i18n_use("en");
  char err[256];
  assert_true(dates_init("Europe/Brussels", err, sizeof err));
  assert_string_equal(err, ""); /* the zone data is there: no fallback to UTC */
  return 0;
}

static int teardown(void **state) {
  (void)state;
  arena_free(a);
  return 0;
}

static void test_date_words(void **state) {
  (void)state;
  assert_string_equal(date_words(a, "2026-12-04"), "4 December 2026");
  assert_string_equal(date_words(a, "2024-02-29"), "29 February 2024");
  assert_string_equal(date_words(a, "2027-01-01"), "1 January 2027");
  /* not a date: shown as it is; nothing: nothing */
  assert_string_equal(date_words(a, "next week"), "next week");
  assert_string_equal(date_words(a, "2026-02-30"), "2026-02-30");
  assert_string_equal(date_words(a, ""), "");
  assert_string_equal(date_words(a, NULL), "");
}

static void test_local_times_follow_the_zone(void **state) {
  (void)state;
  assert_string_equal(dates_zone(), "Europe/Brussels");
  /* 2026-12-04 13:33 UTC is 14:33 in Brussels (winter, UTC+1) */
  int64_t winter = 1796391180;
  assert_string_equal(time_local(a, winter), "14:33");
  assert_string_equal(when_words(a, winter), "4 December 2026 at 14:33");
  assert_string_equal(time_iso_local(a, winter), "2026-12-04 14:33");
  /* 2026-07-01 12:00 UTC is 14:00 in Brussels (summer, UTC+2) */
  assert_string_equal(time_local(a, 1782907200), "14:00");
  /* 2026-12-31 23:30 UTC is already the next day in Brussels */
  assert_string_equal(date_local_words(a, 1798759800), "1 January 2027");
  assert_string_equal(when_words(a, 0), "");
  assert_string_equal(time_local(a, -5), "");
}

static void test_zone_names_are_checked(void **state) {
  (void)state;
  char err[256];
  assert_false(dates_init("../../etc/passwd", err, sizeof err));
  assert_non_null(strstr(err, "not a time zone name"));
  assert_false(dates_init("/etc/localtime", err, sizeof err));
  assert_false(dates_init("", err, sizeof err));
  assert_false(dates_init("Europe/Brussels; rm", err, sizeof err));
  assert_string_equal(dates_zone(), "Europe/Brussels"); /* a refused name changes nothing */
  /* a well-formed name without zone data: UTC, with a warning */
  assert_true(dates_init("Nowhere/Atlantis", err, sizeof err));
  assert_non_null(strstr(err, "UTC"));
  assert_string_equal(dates_zone(), "UTC");
  assert_string_equal(time_local(a, 1796391180), "13:33");
  assert_true(dates_init("UTC", err, sizeof err));
  assert_string_equal(time_local(a, 1796391180), "13:33");
  /* back to the default for the other tests */
  assert_true(dates_init("Europe/Brussels", err, sizeof err));
  assert_string_equal(time_local(a, 1796391180), "14:33");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_date_words),
      cmocka_unit_test(test_local_times_follow_the_zone),
      cmocka_unit_test(test_zone_names_are_checked),
  };
  return cmocka_run_group_tests(tests, setup, teardown);
}
