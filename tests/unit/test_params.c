/*
 * test_params.c — unit tests for the request parameter parsers (src/http/params.c): URL-encoded query
 * strings and form bodies, and the Cookie header.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/mem.h"
#include "http/params.h"

static int setup(void **state) {
  *state = arena_new();
  return 0;
}

static int teardown(void **state) {
  arena_free(*state);
  return 0;
}

static int parse(void **state, const char *s, Params *p) {
  return params_parse_urlencoded(*state, s, strlen(s), p);
}

static void test_basic_decoding(void **state) {
  Params p;
  assert_int_equal(parse(state, "a=1&b=x+y%21", &p), PARAMS_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(p.v[0].key, "a");
  assert_string_equal(p.v[0].val, "1");
  assert_string_equal(p.v[1].key, "b");
  assert_string_equal(p.v[1].val, "x y!");
  assert_string_equal(params_get(&p, "a"), "1");
  assert_string_equal(params_get(&p, "b"), "x y!");
  assert_null(params_get(&p, "c"));
  assert_null(params_get(&p, "A"));
}

static void test_keys_are_decoded_and_utf8_kept(void **state) {
  Params p;
  assert_int_equal(parse(state, "na%6De=Ren%C3%A9e+Jansen&%E2%82%AC=%e2%82%ac", &p), PARAMS_OK);
  assert_string_equal(params_get(&p, "name"), "Renée Jansen");
  assert_string_equal(params_get(&p, "€"), "€");
  assert_int_equal(parse(state, "q=a%2Bb%26c%3Dd", &p), PARAMS_OK);
  assert_string_equal(params_get(&p, "q"), "a+b&c=d");
  assert_int_equal(parse(state, "body=line1%0D%0Aline2%09tab", &p), PARAMS_OK);
  assert_string_equal(params_get(&p, "body"), "line1\r\nline2\ttab");
}

static void test_repeated_keys(void **state) {
  Params p;
  assert_int_equal(parse(state, "tag=a&tag=b&x=1&tag=c", &p), PARAMS_OK);
  assert_int_equal(p.n, 4);
  assert_int_equal(params_count(&p, "tag"), 3);
  assert_int_equal(params_count(&p, "x"), 1);
  assert_int_equal(params_count(&p, "y"), 0);
  assert_string_equal(params_get(&p, "tag"), "a"); /* the first one */
  assert_string_equal(p.v[1].val, "b");
  assert_string_equal(p.v[3].val, "c");
}

static void test_missing_equals_and_empty_values(void **state) {
  Params p;
  assert_int_equal(parse(state, "flag&empty=&x=1", &p), PARAMS_OK);
  assert_int_equal(p.n, 3);
  assert_string_equal(params_get(&p, "flag"), "");
  assert_string_equal(params_get(&p, "empty"), "");
  assert_string_equal(params_get(&p, "x"), "1");
  /* Only the first '=' splits. */
  assert_int_equal(parse(state, "k=a=b", &p), PARAMS_OK);
  assert_string_equal(params_get(&p, "k"), "a=b");
  /* An empty key is kept as such. */
  assert_int_equal(parse(state, "=v", &p), PARAMS_OK);
  assert_int_equal(p.n, 1);
  assert_string_equal(params_get(&p, ""), "v");
}

static void test_empty_pairs_skipped(void **state) {
  Params p;
  assert_int_equal(parse(state, "&&a=1&&;b=2&", &p), PARAMS_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(params_get(&p, "a"), "1");
  assert_string_equal(params_get(&p, "b"), "2");
  assert_int_equal(parse(state, "", &p), PARAMS_OK);
  assert_int_equal(p.n, 0);
  assert_int_equal(parse(state, "&", &p), PARAMS_OK);
  assert_int_equal(p.n, 0);
}

static void test_length_is_respected(void **state) {
  Params p;
  /* Only the first len bytes count; the rest of the buffer is not read. */
  assert_int_equal(params_parse_urlencoded(*state, "a=12&b=3", 3, &p), PARAMS_OK);
  assert_int_equal(p.n, 1);
  assert_string_equal(params_get(&p, "a"), "1");
  /* A '%' escape cut by the length stays literal. */
  assert_int_equal(params_parse_urlencoded(*state, "a=%41", 4, &p), PARAMS_OK);
  assert_string_equal(params_get(&p, "a"), "%4");
}

static void test_bad_percent_left_as_is(void **state) {
  Params p;
  assert_int_equal(parse(state, "a=%zz&b=%2&c=%&d=100%25&e=%g1", &p), PARAMS_OK);
  assert_string_equal(params_get(&p, "a"), "%zz");
  assert_string_equal(params_get(&p, "b"), "%2");
  assert_string_equal(params_get(&p, "c"), "%");
  assert_string_equal(params_get(&p, "d"), "100%");
  assert_string_equal(params_get(&p, "e"), "%g1");
}

static void test_bad_text(void **state) {
  Params p;
  assert_int_equal(parse(state, "a=%00", &p), PARAMS_BAD_TEXT);
  assert_int_equal(parse(state, "a%00b=1", &p), PARAMS_BAD_TEXT);
  assert_int_equal(parse(state, "a=%C3", &p), PARAMS_BAD_TEXT);       /* truncated sequence */
  assert_int_equal(parse(state, "a=%C0%AF", &p), PARAMS_BAD_TEXT);    /* overlong '/' */
  assert_int_equal(parse(state, "a=%ED%A0%80", &p), PARAMS_BAD_TEXT); /* surrogate */
  assert_int_equal(parse(state, "a=%FF", &p), PARAMS_BAD_TEXT);
  assert_int_equal(parse(state, "a=%01", &p), PARAMS_BAD_TEXT);       /* control character */
  assert_int_equal(parse(state, "a=%7F", &p), PARAMS_BAD_TEXT);
  assert_int_equal(parse(state, "a=%C2%85", &p), PARAMS_BAD_TEXT);    /* C1 control */
  assert_int_equal(parse(state, "ok=1&a=\x01", &p), PARAMS_BAD_TEXT); /* raw, not only decoded */
  assert_int_equal(params_parse_urlencoded(*state, "a=1\0b", 5, &p), PARAMS_BAD_TEXT);
}

static void test_too_many(void **state) {
  char buf[PARAMS_MAX * 8 + 16];
  size_t n = 0;
  for (int i = 0; i < PARAMS_MAX; i++) n += (size_t)snprintf(buf + n, sizeof buf - n, "%sk=%d", i ? "&" : "", i);
  Params p;
  assert_int_equal(params_parse_urlencoded(*state, buf, n, &p), PARAMS_OK);
  assert_int_equal(p.n, PARAMS_MAX);
  assert_int_equal(params_count(&p, "k"), PARAMS_MAX);
  assert_string_equal(p.v[PARAMS_MAX - 1].val, "255");
  n += (size_t)snprintf(buf + n, sizeof buf - n, "&k=x");
  assert_int_equal(params_parse_urlencoded(*state, buf, n, &p), PARAMS_TOO_MANY);
}

static void test_cookies(void **state) {
  Params p;
  assert_int_equal(params_parse_cookies(*state, "zw_session=abc123; lang=nl", &p), PARAMS_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(params_get(&p, "zw_session"), "abc123");
  assert_string_equal(params_get(&p, "lang"), "nl");
}

static void test_cookies_spaces_and_quotes(void **state) {
  Params p;
  assert_int_equal(params_parse_cookies(*state, "  a =1 ;\tb=\"quoted value\";c=\"\";d=\"x;e=%41+", &p),
                   PARAMS_OK);
  assert_string_equal(params_get(&p, "a"), "1"); /* blanks around the name and after the value go */
  assert_string_equal(params_get(&p, "b"), "quoted value");
  assert_string_equal(params_get(&p, "c"), "");
  assert_string_equal(params_get(&p, "d"), "\"x"); /* unbalanced quote stays */
  assert_string_equal(params_get(&p, "e"), "%41+"); /* no percent-decoding */
  assert_int_equal(p.n, 5);
}

static void test_cookies_odd_pairs(void **state) {
  Params p;
  assert_int_equal(params_parse_cookies(*state, ";; =novalue; noequals; x=; y=a=b;", &p), PARAMS_OK);
  assert_int_equal(p.n, 2);
  assert_string_equal(params_get(&p, "x"), "");
  assert_string_equal(params_get(&p, "y"), "a=b");
  assert_int_equal(params_parse_cookies(*state, "", &p), PARAMS_OK);
  assert_int_equal(p.n, 0);
  assert_int_equal(params_parse_cookies(*state, NULL, &p), PARAMS_OK);
  assert_int_equal(p.n, 0);
  assert_int_equal(params_parse_cookies(*state, "a=1; a=2", &p), PARAMS_OK);
  assert_int_equal(params_count(&p, "a"), 2);
  assert_string_equal(params_get(&p, "a"), "1");
}

static void test_cookies_bad_text(void **state) {
  Params p;
  assert_int_equal(params_parse_cookies(*state, "a=\x01", &p), PARAMS_BAD_TEXT);
  assert_int_equal(params_parse_cookies(*state, "a=\xc0\xaf", &p), PARAMS_BAD_TEXT);
  assert_int_equal(params_parse_cookies(*state, "k\xff=1", &p), PARAMS_BAD_TEXT);
}

static void test_cookies_too_many(void **state) {
  char buf[PARAMS_MAX * 10 + 16];
  size_t n = 0;
  for (int i = 0; i <= PARAMS_MAX; i++) n += (size_t)snprintf(buf + n, sizeof buf - n, "c%d=1; ", i);
  Params p;
  assert_int_equal(params_parse_cookies(*state, buf, &p), PARAMS_TOO_MANY);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      T(test_basic_decoding),
      T(test_keys_are_decoded_and_utf8_kept),
      T(test_repeated_keys),
      T(test_missing_equals_and_empty_values),
      T(test_empty_pairs_skipped),
      T(test_length_is_respected),
      T(test_bad_percent_left_as_is),
      T(test_bad_text),
      T(test_too_many),
      T(test_cookies),
      T(test_cookies_spaces_and_quotes),
      T(test_cookies_odd_pairs),
      T(test_cookies_bad_text),
      T(test_cookies_too_many),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
