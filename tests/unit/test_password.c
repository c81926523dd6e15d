/*
 * test_password.c — unit tests for src/auth/password.c: argon2id hashing and verification, the dummy
 * verification's cost, and every branch of the password policy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <time.h>

#include "auth/password.h"

/* Wall-clock seconds from a monotonic clock. */
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A hash round-trips and has the documented PHC prefix and parameters. */
static void test_hash_round_trip(void **state) {
  (void)state;
  char h[PASSWORD_HASH_MAX];
  assert_true(password_hash("correct horse battery", h));
  assert_true(strncmp(h, "$argon2id$v=19$m=19456,t=2", strlen("$argon2id$v=19$m=19456,t=2")) == 0);
  assert_true(strlen(h) < PASSWORD_HASH_MAX);
  assert_true(password_verify(h, "correct horse battery"));
  assert_false(password_verify(h, "correct horse batterY"));
  assert_false(password_verify(h, "correct horse battery "));
  assert_false(password_verify(h, ""));
}

/* Two hashes of one password differ (random salt) and both verify. */
static void test_hash_salted(void **state) {
  (void)state;
  char a[PASSWORD_HASH_MAX], b[PASSWORD_HASH_MAX];
  assert_true(password_hash("same password here", a));
  assert_true(password_hash("same password here", b));
  assert_string_not_equal(a, b);
  assert_true(password_verify(a, "same password here"));
  assert_true(password_verify(b, "same password here"));
}

/* Malformed, truncated, foreign-algorithm and NULL hashes are refused, never crash. */
static void test_verify_malformed(void **state) {
  (void)state;
  char h[PASSWORD_HASH_MAX];
  assert_true(password_hash("some long password", h));
  assert_false(password_verify("", "some long password"));
  assert_false(password_verify("not a hash", "some long password"));
  assert_false(password_verify("$argon2id$", "some long password"));
  assert_false(password_verify("$argon2id$v=19$m=19456,t=2,p=1$", "some long password"));
  assert_false(password_verify(NULL, "some long password"));
  assert_false(password_verify(h, NULL));
  /* Truncated hash. */
  char t[PASSWORD_HASH_MAX];
  memcpy(t, h, sizeof t);
  t[strlen(t) - 5] = '\0';
  assert_false(password_verify(t, "some long password"));
  /* Altered salt character. */
  memcpy(t, h, sizeof t);
  char *salt = strrchr(t, '$');
  salt[-2] = salt[-2] == 'A' ? 'B' : 'A';
  assert_false(password_verify(t, "some long password"));
  /* argon2i (not ours) is refused even if otherwise well-formed. */
  memcpy(t, h, sizeof t);
  memmove(t + 8, t + 9, strlen(t + 9) + 1); /* "$argon2id$" -> "$argon2i$" */
  assert_false(password_verify(t, "some long password"));
  /* Unterminated buffer of the full size. */
  char u[PASSWORD_HASH_MAX + 1];
  memset(u, 'a', sizeof u);
  memcpy(u, "$argon2id$", 10);
  u[PASSWORD_HASH_MAX] = '\0';
  assert_false(password_verify(u, "some long password"));
}

/* The dummy verification does real argon2 work: at least a quarter of a real verification's time. */
static void test_verify_dummy_costs(void **state) {
  (void)state;
  char h[PASSWORD_HASH_MAX];
  assert_true(password_hash("timing password", h));
  double t0 = now_s();
  assert_false(password_verify(h, "wrong password!"));
  double real = now_s() - t0;
  t0 = now_s();
  password_verify_dummy("wrong password!");
  double dummy = now_s() - t0;
  assert_true(dummy > real / 4);
  password_verify_dummy(NULL);
}

/* Length limits count code points, not bytes. */
static void test_check_length(void **state) {
  (void)state;
  assert_int_equal(password_check("", NULL, NULL), PW_TOO_SHORT);
  assert_int_equal(password_check("kvx7mwq2zrt", NULL, NULL), PW_TOO_SHORT);   /* 11 */
  assert_int_equal(password_check("kvx7mwq2zrtp", NULL, NULL), PW_OK);         /* 12 */
  /* 11 two-byte letters + 1 digit = 12 code points (23 bytes). */
  assert_int_equal(password_check("ééééééééééé1", NULL, NULL), PW_OK);
  /* 11 code points in 22 bytes: too short although more than 12 bytes. */
  assert_int_equal(password_check("éééééééééé1", NULL, NULL), PW_TOO_SHORT);
  /* Four-byte characters: 12 emoji are 12 characters. */
  assert_int_equal(password_check("😀😀😀😀😀😀😀😀😀😀😀😀", NULL, NULL), PW_OK);
  char pw[600];
  memset(pw, 'k', 128);
  pw[0] = 'z';
  pw[127] = 'q';
  pw[128] = '\0';
  assert_int_equal(password_check(pw, NULL, NULL), PW_OK); /* 128 */
  pw[128] = 'x';
  pw[129] = '\0';
  assert_int_equal(password_check(pw, NULL, NULL), PW_TOO_LONG); /* 129 */
  /* 128 three-byte characters (384 bytes) are fine, 129 are not. */
  pw[0] = '\0';
  for (int i = 0; i < 128; i++) strcat(pw, "€");
  assert_int_equal(password_check(pw, NULL, NULL), PW_OK);
  strcat(pw, "€");
  assert_int_equal(password_check(pw, NULL, NULL), PW_TOO_LONG);
}

/* Listed passwords are refused whatever their case; near misses are not. */
static void test_check_common(void **state) {
  (void)state;
  assert_int_equal(password_check("password1234", NULL, NULL), PW_COMMON);
  assert_int_equal(password_check("PassWord1234", NULL, NULL), PW_COMMON);
  assert_int_equal(password_check("123456789012", NULL, NULL), PW_COMMON);
  assert_int_equal(password_check("qwertyuiopas", NULL, NULL), PW_COMMON);
  assert_int_equal(password_check("ILOVEYOU1234", NULL, NULL), PW_COMMON);
  assert_int_equal(password_check("Wachtwoord123", NULL, NULL), PW_COMMON);
  assert_int_equal(password_check("welkom123456", NULL, NULL), PW_COMMON);
  assert_int_equal(password_check("Zomer2026!!!", NULL, NULL), PW_COMMON);
  /* Whole-entry match only: an entry inside a longer passphrase is fine. */
  assert_int_equal(password_check("password1234 is what I used to pick", NULL, NULL), PW_OK);
  assert_int_equal(password_check("password1235x", NULL, NULL), PW_OK);
}

/* The e-mail local part and the name may not appear in the password, in any case. */
static void test_check_like_account(void **state) {
  (void)state;
  const char *email = "jan.devries@example.nl";
  assert_int_equal(password_check("xx jan.devries xx", email, NULL), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("XXJAN.DEVRIESXX", email, NULL), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("mijn naam is devries!", email, NULL), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("JanDeVries rocks", email, NULL), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("blue tulips at noon", email, NULL), PW_OK);
  /* The domain is not part of the check. */
  assert_int_equal(password_check("i like example.nl", email, NULL), PW_OK);
  assert_int_equal(password_check("sanne1985 tulips", "sanne1985@example.nl", NULL), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("sanne1985 tulips", "SANNE1985@example.nl", NULL), PW_LIKE_ACCOUNT);
  /* Name: whole name, name without spaces and parts of four or more characters. */
  assert_int_equal(password_check("hello Fatima Ouali!", NULL, "Fatima Ouali"), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("fatimaouali!!", NULL, "Fatima Ouali"), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("ouali family trip", NULL, "Fatima Ouali"), PW_LIKE_ACCOUNT);
  assert_int_equal(password_check("paars en groen blauw", NULL, "Fatima Ouali"), PW_OK);
  /* Short name particles alone do not count ("de" is in "groende"). */
  assert_int_equal(password_check("groende bladeren", NULL, "Bo de Wit"), PW_OK);
  assert_int_equal(password_check("bodewit hier!", NULL, "Bo de Wit"), PW_LIKE_ACCOUNT);
  /* Empty e-mail or name refuses nothing. */
  assert_int_equal(password_check("blue tulips at noon", "", ""), PW_OK);
  assert_int_equal(password_check("blue tulips at noon", "@example.nl", NULL), PW_OK);
}

/* Invalid UTF-8 and control characters are refused before anything else. */
static void test_check_bad_text(void **state) {
  (void)state;
  assert_int_equal(password_check(NULL, NULL, NULL), PW_BAD_TEXT);
  assert_int_equal(password_check("abcdefghijk\xff", NULL, NULL), PW_BAD_TEXT);
  assert_int_equal(password_check("abcdefghijkl\xc3", NULL, NULL), PW_BAD_TEXT);       /* truncated */
  assert_int_equal(password_check("abcdefghijkl\xc0\xaf", NULL, NULL), PW_BAD_TEXT);   /* overlong */
  assert_int_equal(password_check("abcdefghijkl\xed\xa0\x80", NULL, NULL), PW_BAD_TEXT); /* surrogate */
  assert_int_equal(password_check("abcdef\tghijkl", NULL, NULL), PW_BAD_TEXT);
  assert_int_equal(password_check("abcdef\nghijkl", NULL, NULL), PW_BAD_TEXT);
  assert_int_equal(password_check("abcdef\x7fghijkl", NULL, NULL), PW_BAD_TEXT);
  assert_int_equal(password_check("short\xff", NULL, NULL), PW_BAD_TEXT);
}

/* Every result has a message, and they differ. */
static void test_messages(void **state) {
  (void)state;
  const PwCheck all[] = {PW_OK, PW_TOO_SHORT, PW_TOO_LONG, PW_COMMON, PW_LIKE_ACCOUNT, PW_BAD_TEXT};
  for (size_t i = 0; i < sizeof all / sizeof *all; i++) {
    assert_non_null(password_check_message(all[i]));
    assert_true(strlen(password_check_message(all[i])) > 10);
    for (size_t j = 0; j < i; j++)
      assert_string_not_equal(password_check_message(all[i]), password_check_message(all[j]));
  }
  assert_non_null(strstr(password_check_message(PW_TOO_SHORT), "12"));
  assert_non_null(strstr(password_check_message(PW_TOO_LONG), "128"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_hash_round_trip),   cmocka_unit_test(test_hash_salted),
      cmocka_unit_test(test_verify_malformed),  cmocka_unit_test(test_verify_dummy_costs),
      cmocka_unit_test(test_check_length),      cmocka_unit_test(test_check_common),
      cmocka_unit_test(test_check_like_account), cmocka_unit_test(test_check_bad_text),
      cmocka_unit_test(test_messages),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
