/*
 * test_totp.c — unit tests for src/auth/totp.c: RFC 6238 test vectors, the verification window and
 * replay refusal, code syntax, secrets, the otpauth URI, the QR SVG and recovery codes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "auth/totp.h"

/* Base32 of the ASCII secret "12345678901234567890" used by RFC 6238 Appendix B. */
#define RFC_SECRET "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"

/* RFC 6238 Appendix B (SHA-1), last six digits of the eight-digit values. */
static void test_rfc6238_vectors(void **state) {
  (void)state;
  static const struct {
    int64_t t;
    const char *code;
  } v[] = {
      {59, "287082"},         {1111111109, "081804"}, {1111111111, "050471"},
      {1234567890, "005924"}, {2000000000, "279037"}, {20000000000LL, "353130"},
  };
  for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
    char out[7];
    assert_true(totp_code(RFC_SECRET, v[i].t, out));
    assert_string_equal(out, v[i].code);
    int64_t step = -1;
    assert_true(totp_verify(RFC_SECRET, v[i].code, v[i].t, 0, &step));
    assert_int_equal(step, v[i].t / 30);
  }
}

/* Invalid base32 secrets give no code and verify nothing. */
static void test_bad_secret(void **state) {
  (void)state;
  char out[7];
  assert_false(totp_code("not base32!", 59, out));
  assert_false(totp_code("", 59, out));
  assert_false(totp_code(NULL, 59, out));
  assert_false(totp_verify("not base32!", "287082", 59, 0, NULL));
}

/* The steps of now-30 and now+30 are accepted, now±60 are not. */
static void test_window(void **state) {
  (void)state;
  const int64_t now = 1111111111, s = now / 30;
  char c[7];
  int64_t step = 0;

  assert_true(totp_code(RFC_SECRET, now, c));
  assert_true(totp_verify(RFC_SECRET, c, now, 0, &step));
  assert_int_equal(step, s);

  assert_true(totp_code(RFC_SECRET, now - 30, c));
  assert_true(totp_verify(RFC_SECRET, c, now, 0, &step));
  assert_int_equal(step, s - 1);

  assert_true(totp_code(RFC_SECRET, now + 30, c));
  assert_true(totp_verify(RFC_SECRET, c, now, 0, &step));
  assert_int_equal(step, s + 1);

  step = 12345;
  assert_true(totp_code(RFC_SECRET, now - 60, c));
  assert_false(totp_verify(RFC_SECRET, c, now, 0, &step));
  assert_int_equal(step, 12345); /* untouched on failure */
  assert_true(totp_code(RFC_SECRET, now + 60, c));
  assert_false(totp_verify(RFC_SECRET, c, now, 0, &step));
}

/* A step at or before last_step is refused, so each code works once. */
static void test_replay(void **state) {
  (void)state;
  const int64_t now = 1111111111, s = now / 30;
  char c[7];
  int64_t step = 0;
  assert_true(totp_code(RFC_SECRET, now, c));
  assert_true(totp_verify(RFC_SECRET, c, now, s - 1, &step));
  assert_int_equal(step, s);
  assert_false(totp_verify(RFC_SECRET, c, now, step, &step)); /* same code again */
  assert_false(totp_verify(RFC_SECRET, c, now, s + 1, &step));
  /* After using the next step's code, the current code is burnt too. */
  char next[7];
  assert_true(totp_code(RFC_SECRET, now + 30, next));
  assert_true(totp_verify(RFC_SECRET, next, now, s - 5, &step));
  assert_int_equal(step, s + 1);
  assert_false(totp_verify(RFC_SECRET, c, now, step, &step));
  /* The previous step's code after the current one was used: refused. */
  char prev[7];
  assert_true(totp_code(RFC_SECRET, now - 30, prev));
  assert_false(totp_verify(RFC_SECRET, prev, now, s, &step));
}

/* Only six digits, spaces ignored. */
static void test_code_syntax(void **state) {
  (void)state;
  int64_t step = 0;
  assert_true(totp_verify(RFC_SECRET, "287 082", 59, 0, &step));
  assert_true(totp_verify(RFC_SECRET, " 287082 ", 59, 0, &step));
  assert_true(totp_verify(RFC_SECRET, "2 8 7 0 8 2", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "28708", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "2870820", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "94287082", 59, 0, &step)); /* the 8-digit form */
  assert_false(totp_verify(RFC_SECRET, "28708a", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "287-082", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "+287082", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "287082\n", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "      ", 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, NULL, 59, 0, &step));
  assert_false(totp_verify(RFC_SECRET, "287083", 59, 0, &step));
}

/* New secrets: 32 base32 characters, usable, different each time. */
static void test_secret_new(void **state) {
  (void)state;
  char a[TOTP_SECRET_B32], b[TOTP_SECRET_B32];
  totp_secret_new(a);
  totp_secret_new(b);
  assert_int_equal(strlen(a), 32);
  assert_int_equal(strspn(a, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"), 32);
  assert_string_not_equal(a, b);
  char c[7];
  assert_true(totp_code(a, 1700000000, c));
  assert_int_equal(strlen(c), 6);
  assert_true(totp_verify(a, c, 1700000000, 0, NULL));
}

/* The otpauth URI has the documented shape with escaped issuer and account. */
static void test_uri(void **state) {
  (void)state;
  Arena *a = arena_new();
  char *u = totp_uri(a, "Zorg & Werk", "jan+test@example.nl", RFC_SECRET);
  assert_string_equal(u, "otpauth://totp/Zorg%20%26%20Werk:jan%2Btest%40example.nl?secret=" RFC_SECRET
                         "&issuer=Zorg%20%26%20Werk&algorithm=SHA1&digits=6&period=30");
  u = totp_uri(a, "Zorgwerk", "ré:?/#", RFC_SECRET);
  assert_string_equal(u, "otpauth://totp/Zorgwerk:r%C3%A9%3A%3F%2F%23?secret=" RFC_SECRET
                         "&issuer=Zorgwerk&algorithm=SHA1&digits=6&period=30");
  arena_free(a);
}

/* The SVG is well-shaped and holds no trace of the encoded text. */
static void test_qr_svg(void **state) {
  (void)state;
  Arena *a = arena_new();
  const char *text = "otpauth://totp/Zorgwerk:<script>alert(1)</script>?secret=" RFC_SECRET;
  Markup m = qr_svg(a, text);
  assert_non_null(m.s);
  assert_true(strncmp(m.s, "<svg", 4) == 0);
  assert_non_null(strstr(m.s, "viewBox=\"0 0 "));
  assert_non_null(strstr(m.s, "shape-rendering=\"crispEdges\""));
  assert_non_null(strstr(m.s, "role=\"img\""));
  assert_non_null(strstr(m.s, "aria-label=\"QR code\""));
  assert_true(strlen(m.s) > 6 && strcmp(m.s + strlen(m.s) - 6, "</svg>") == 0);
  assert_null(strstr(m.s, "script"));
  assert_null(strstr(m.s, "GEZDG"));
  /* Exactly one path; its data uses only path characters. */
  const char *d = strstr(m.s, " d=\"");
  assert_non_null(d);
  assert_null(strstr(d + 1, " d=\""));
  d += 4;
  const char *end = strchr(d, '"');
  assert_non_null(end);
  assert_true(end - d > 100);
  assert_int_equal(strspn(d, "0123456789 Mhvz-"), (size_t)(end - d));
  assert_true(strncmp(end, "\"/></svg>", 9) == 0);
  /* Everything outside the path data is our fixed markup: no quote, '<' or '&' from the input. */
  assert_int_equal(strcspn(m.s, "&"), strlen(m.s));
  /* Square viewBox of width + 2 * 4 quiet-zone modules. */
  int w = 0, h = 0;
  assert_int_equal(sscanf(strstr(m.s, "viewBox=\"") + 9, "0 0 %d %d", &w, &h), 2);
  assert_int_equal(w, h);
  assert_true(w >= 21 + 8 && (w - 8 - 17) % 4 == 0);
  /* Text too long for any QR version gives empty markup, not a crash. */
  char big[8000];
  memset(big, 'x', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  assert_string_equal(qr_svg(a, big).s, "");
  arena_free(a);
}

/* Ten distinct codes "xxxx-xxxx-xxxx" of lowercase letters and digits without look-alikes. */
static void test_recovery_codes(void **state) {
  (void)state;
  char codes[RECOVERY_CODES][RECOVERY_CODE_LEN + 3];
  recovery_codes_new(codes);
  for (int i = 0; i < RECOVERY_CODES; i++) {
    assert_int_equal(strlen(codes[i]), 14);
    assert_int_equal(codes[i][4], '-');
    assert_int_equal(codes[i][9], '-');
    for (int j = 0; j < 14; j++) {
      if (j == 4 || j == 9) continue;
      char c = codes[i][j];
      assert_true((c >= 'a' && c <= 'z') || (c >= '2' && c <= '9'));
      assert_null(strchr("01oli", c));
    }
    for (int j = 0; j < i; j++) assert_string_not_equal(codes[i], codes[j]);
  }
  char again[RECOVERY_CODES][RECOVERY_CODE_LEN + 3];
  recovery_codes_new(again);
  assert_string_not_equal(codes[0], again[0]);
}

/* The hash ignores case, spaces and dashes, and tells codes apart. */
static void test_recovery_hash(void **state) {
  (void)state;
  char a[65], b[65], c[65], d[65];
  recovery_code_hash("ABCD-efgh-2345", a);
  recovery_code_hash("abcdefgh2345", b);
  recovery_code_hash(" abcd efgh 2345 ", c);
  assert_int_equal(strlen(a), 64);
  assert_int_equal(strspn(a, "0123456789abcdef"), 64);
  assert_string_equal(a, b);
  assert_string_equal(a, c);
  recovery_code_hash("abcd-efgh-2346", d);
  assert_string_not_equal(a, d);
  recovery_code_hash("abcdefgh234", d);
  assert_string_not_equal(a, d);
  /* Longer than the internal chunk. */
  char long_code[200];
  memset(long_code, 'k', sizeof long_code - 1);
  long_code[sizeof long_code - 1] = '\0';
  recovery_code_hash(long_code, d);
  long_code[150] = 'K';
  recovery_code_hash(long_code, c);
  assert_string_equal(c, d);
  long_code[150] = 'm';
  recovery_code_hash(long_code, c);
  assert_string_not_equal(c, d);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rfc6238_vectors), cmocka_unit_test(test_bad_secret),
      cmocka_unit_test(test_window),          cmocka_unit_test(test_replay),
      cmocka_unit_test(test_code_syntax),     cmocka_unit_test(test_secret_new),
      cmocka_unit_test(test_uri),             cmocka_unit_test(test_qr_svg),
      cmocka_unit_test(test_recovery_codes),  cmocka_unit_test(test_recovery_hash),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
