/*
 * test_text.c — unit tests for the text helpers (src/core/text.c): UTF-8 validation, calendar dates,
 * trimming and constant-time comparison.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"

static bool valid(const char *s) { return text_valid(s, strlen(s)); }

static void test_utf8_valid(void **state) {
  (void)state;
  assert_true(valid(""));
  assert_true(valid("plain ASCII ~!@#$%^&*()"));
  assert_true(valid("tab\tnewline\ncarriage\r"));
  assert_true(valid("\xc2\xa0"));                 /* U+00A0, first after C1 */
  assert_true(valid("Ren\xc3\xa9" "e"));          /* é */
  assert_true(valid("\xdf\xbf"));                 /* U+07FF */
  assert_true(valid("\xe0\xa0\x80"));             /* U+0800 */
  assert_true(valid("\xe2\x82\xac"));             /* € */
  assert_true(valid("\xed\x9f\xbf"));             /* U+D7FF, just below the surrogates */
  assert_true(valid("\xee\x80\x80"));             /* U+E000, just above */
  assert_true(valid("\xef\xbf\xbd"));             /* U+FFFD */
  assert_true(valid("\xf0\x90\x80\x80"));         /* U+10000 */
  assert_true(valid("\xf0\x9f\x98\x80"));         /* 😀 */
  assert_true(valid("\xf4\x8f\xbf\xbf"));         /* U+10FFFF */
}

static void test_utf8_overlong(void **state) {
  (void)state;
  assert_false(valid("\xc0\xaf"));                /* '/' in two bytes */
  assert_false(valid("\xc1\xbf"));
  assert_false(valid("\xe0\x80\xaf"));            /* '/' in three */
  assert_false(valid("\xe0\x9f\xbf"));            /* U+07FF in three */
  assert_false(valid("\xf0\x80\x80\xaf"));        /* '/' in four */
  assert_false(valid("\xf0\x8f\xbf\xbf"));        /* U+FFFF in four */
}

static void test_utf8_surrogates_and_range(void **state) {
  (void)state;
  assert_false(valid("\xed\xa0\x80"));            /* U+D800 */
  assert_false(valid("\xed\xbf\xbf"));            /* U+DFFF */
  assert_false(valid("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair */
  assert_false(valid("\xf4\x90\x80\x80"));        /* U+110000 */
  assert_false(valid("\xf5\x80\x80\x80"));
  assert_false(valid("\xf8\x88\x80\x80\x80"));    /* five-byte form */
  assert_false(valid("\xff"));
  assert_false(valid("\xfe"));
}

static void test_utf8_broken_sequences(void **state) {
  (void)state;
  assert_false(valid("\x80"));                    /* lone continuation */
  assert_false(valid("a\xbf" "b"));
  assert_false(valid("\xc3"));                    /* truncated at the end */
  assert_false(valid("\xe2\x82"));
  assert_false(valid("\xf0\x9f\x98"));
  assert_false(valid("\xc3(x"));                  /* continuation missing */
  assert_false(valid("\xe2\x28\xa1"));
  /* The length bounds the check: a sequence cut by it is invalid even if the buffer goes on. */
  assert_false(text_valid("\xe2\x82\xac", 2));
  assert_true(text_valid("\xe2\x82\xac", 3));
  assert_true(text_valid("ab\x01", 2));
}

static void test_utf8_controls(void **state) {
  (void)state;
  assert_false(text_valid("a\0b", 3));            /* NUL */
  assert_false(valid("\x01"));
  assert_false(valid("\x1b[31m"));                /* ESC */
  assert_false(valid("\x1f"));
  assert_false(valid("\x7f"));                    /* DEL */
  assert_false(valid("\xc2\x80"));                /* U+0080, C1 */
  assert_false(valid("\xc2\x85"));                /* NEL */
  assert_false(valid("\xc2\x9f"));                /* U+009F */
  assert_false(valid("\xe0\x82\x85"));            /* NEL, overlong */
}

static void test_text_chars(void **state) {
  (void)state;
  assert_int_equal(text_chars(""), 0);
  assert_int_equal(text_chars("abc"), 3);
  assert_int_equal(text_chars("Ren\xc3\xa9" "e \xe2\x82\xac\xf0\x9f\x98\x80"), 8);
}

static bool parses(const char *s) {
  int32_t d = 12345;
  return date_parse(s, &d);
}

static void test_dates_valid(void **state) {
  (void)state;
  int32_t d = -1;
  assert_true(date_parse("1970-01-01", &d));
  assert_int_equal(d, 0);
  assert_true(date_parse("1970-01-02", &d));
  assert_int_equal(d, 1);
  assert_true(date_parse("1969-12-31", &d));
  assert_int_equal(d, -1);
  assert_true(date_parse("2000-03-01", &d));
  assert_int_equal(d, 11017);
  assert_true(date_parse("2024-02-29", &d));      /* leap year */
  assert_int_equal(d, 19782);
  assert_true(parses("2000-02-29"));              /* divisible by 400 */
  assert_true(parses("1900-01-01"));
  assert_true(parses("2200-12-31"));
  assert_true(parses("2026-12-31"));
  assert_true(parses("2026-04-30"));
}

static void test_dates_invalid(void **state) {
  (void)state;
  assert_false(parses("2023-02-29"));             /* not a leap year */
  assert_false(parses("1900-02-29"));             /* divisible by 100 */
  assert_false(parses("2100-02-29"));
  assert_false(parses("2026-02-30"));
  assert_false(parses("2026-04-31"));
  assert_false(parses("2026-13-01"));
  assert_false(parses("2026-00-10"));
  assert_false(parses("2026-01-00"));
  assert_false(parses("2026-01-32"));
  assert_false(parses("26-1-1"));
  assert_false(parses("2026-1-1"));
  assert_false(parses("2026-01-1x"));
  assert_false(parses("2026-01-01 "));
  assert_false(parses(" 2026-01-01"));
  assert_false(parses("2026/01/01"));
  assert_false(parses("2026-01-+1"));
  assert_false(parses("+026-01-01"));
  assert_false(parses("-026-01-01"));
  assert_false(parses("1899-12-31"));             /* outside 1900..2200 */
  assert_false(parses("2201-01-01"));
  assert_false(parses("0000-01-01"));
  assert_false(parses(""));
  assert_false(parses(NULL));
}

static void test_date_round_trip(void **state) {
  (void)state;
  static const char *const dates[] = {"1900-01-01", "1900-03-01", "1969-12-31", "1970-01-01", "1999-12-31",
                                      "2000-02-29", "2024-02-29", "2024-03-01", "2026-12-31", "2200-12-31"};
  for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
    int32_t d;
    char out[11];
    assert_true(date_parse(dates[i], &d));
    date_format(d, out);
    assert_string_equal(out, dates[i]);
  }
  /* Every day of the range formats to a date that parses back to it. */
  int32_t first, last;
  assert_true(date_parse("1900-01-01", &first));
  assert_true(date_parse("2200-12-31", &last));
  for (int32_t d = first; d <= last; d++) {
    char out[11];
    int32_t back;
    date_format(d, out);
    assert_true(date_parse(out, &back));
    assert_int_equal(back, d);
  }
}

static void test_civil(void **state) {
  (void)state;
  assert_int_equal(days_from_civil(1970, 1, 1), 0);
  assert_int_equal(days_from_civil(2000, 1, 1), 10957);
  assert_int_equal(days_from_civil(1900, 1, 1), -25567);
  int y;
  unsigned m, d;
  civil_from_days(0, &y, &m, &d);
  assert_int_equal(y, 1970);
  assert_int_equal(m, 1);
  assert_int_equal(d, 1);
  civil_from_days(19782, &y, &m, &d);
  assert_int_equal(y, 2024);
  assert_int_equal(m, 2);
  assert_int_equal(d, 29);
  civil_from_days(-1, &y, &m, &d);
  assert_int_equal(y, 1969);
  assert_int_equal(m, 12);
  assert_int_equal(d, 31);
  char out[11];
  date_format(days_from_civil(2026, 3, 9), out);
  assert_string_equal(out, "2026-03-09");
}

static void test_trim(void **state) {
  (void)state;
  char a[] = "  \t hello world \r\n";
  assert_ptr_equal(text_trim(a), a);
  assert_string_equal(a, "hello world");
  char b[] = "x";
  assert_string_equal(text_trim(b), "x");
  char c[] = " \t\r\n ";
  assert_string_equal(text_trim(c), "");
  char d[] = "";
  assert_string_equal(text_trim(d), "");
  char e[] = "inner  space\tkept";
  assert_string_equal(text_trim(e), "inner  space\tkept");
  char f[] = "\xc2\xa0nbsp\xc2\xa0"; /* only ASCII blanks are trimmed */
  assert_string_equal(text_trim(f), "\xc2\xa0nbsp\xc2\xa0");
  assert_null(text_trim(NULL));
}

static void test_equal_ct(void **state) {
  (void)state;
  assert_true(text_equal_ct("secret", "secret"));
  assert_true(text_equal_ct("", ""));
  assert_false(text_equal_ct("secret", "secreT"));
  assert_false(text_equal_ct("secre", "secret"));
  assert_false(text_equal_ct("secret", "secre"));
  assert_false(text_equal_ct("", "x"));
  assert_false(text_equal_ct("x", ""));
  assert_false(text_equal_ct("abcabc", "abc"));
  assert_false(text_equal_ct("abc", "abcabc"));
}

/* Hours a week as typed: tenths, at most three digits and one decimal; formatted back without a needless
 * decimal. */
static void test_hours(void **state) {
  (void)state;
  int64_t t = -1;
  assert_true(hours_parse("20", &t));
  assert_int_equal(t, 200);
  assert_true(hours_parse("19.5", &t));
  assert_int_equal(t, 195);
  assert_true(hours_parse("19,5", &t));
  assert_int_equal(t, 195);
  assert_true(hours_parse("0", &t));
  assert_int_equal(t, 0);
  const char *bad[] = {"", "abc", "-3", "12.25", "1000", "19.", ".5", "1 9", "19.5x", NULL};
  for (int i = 0; bad[i]; i++) assert_false(hours_parse(bad[i], &t));
  char b[24];
  hours_format(200, b);
  assert_string_equal(b, "20");
  hours_format(195, b);
  assert_string_equal(b, "19.5");
  hours_format(5, b);
  assert_string_equal(b, "0.5");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_utf8_valid),
      cmocka_unit_test(test_utf8_overlong),
      cmocka_unit_test(test_utf8_surrogates_and_range),
      cmocka_unit_test(test_utf8_broken_sequences),
      cmocka_unit_test(test_utf8_controls),
      cmocka_unit_test(test_text_chars),
      cmocka_unit_test(test_dates_valid),
      cmocka_unit_test(test_dates_invalid),
      cmocka_unit_test(test_date_round_trip),
      cmocka_unit_test(test_civil),
      cmocka_unit_test(test_trim),
      cmocka_unit_test(test_equal_ct),
      cmocka_unit_test(test_hours),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
