/*
 * test_csrf.c — the same-origin and token checks every POST passes before its handler (src/http/csrf.c):
 * what a browser on our own page sends is let through, what another site's page or a script elsewhere can
 * send is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/config.h"
#include "http/csrf.h"

static void origin_by_host(void **state) {
  (void)state;
  cfg.base_url[0] = 0;
  cfg.tls = false;
  const char *host = "portal.example:8080";
  assert_true(csrf_origin_ok(NULL, NULL, host));                       /* no browser headers: the token decides */
  assert_true(csrf_origin_ok("same-origin", "http://portal.example:8080", host));
  assert_true(csrf_origin_ok("none", NULL, host));                     /* typed by the user */
  assert_false(csrf_origin_ok("cross-site", NULL, host));
  assert_false(csrf_origin_ok("same-site", "http://portal.example:8080", host));
  assert_false(csrf_origin_ok(NULL, "http://evil.example", host));
  assert_false(csrf_origin_ok(NULL, "http://portal.example:8080.evil.example", host));
  assert_false(csrf_origin_ok(NULL, "https://portal.example:8080", host)); /* another scheme is another origin */
  assert_false(csrf_origin_ok(NULL, "http://portal.example:8080", NULL));
  /* Origin: null only with Sec-Fetch-Site: same-origin (a same-site form post under no-referrer) */
  assert_true(csrf_origin_ok("same-origin", "null", host));
  assert_false(csrf_origin_ok(NULL, "null", host));
}

static void origin_by_base_url(void **state) {
  (void)state;
  snprintf(cfg.base_url, sizeof cfg.base_url, "https://zorg.example/");
  assert_true(csrf_origin_ok(NULL, "https://zorg.example", "anything"));
  assert_false(csrf_origin_ok(NULL, "https://zorg.example.evil", "zorg.example"));
  assert_false(csrf_origin_ok(NULL, "https://zorg.exampl", "zorg.example"));
  cfg.base_url[0] = 0;
}

static void token(void **state) {
  (void)state;
  assert_true(csrf_token_ok("abc123", "abc123"));
  assert_false(csrf_token_ok("abc124", "abc123"));
  assert_false(csrf_token_ok("abc12", "abc123"));
  assert_false(csrf_token_ok(NULL, "abc123"));
  assert_false(csrf_token_ok("abc123", NULL));
  assert_false(csrf_token_ok("", ""));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(origin_by_host),
      cmocka_unit_test(origin_by_base_url),
      cmocka_unit_test(token),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
