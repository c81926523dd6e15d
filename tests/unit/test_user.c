/*
 * test_user.c — unit tests for src/auth/user.c: every role code maps to its bit and back, lists of codes
 * parse to the union of their bits and anything else is no role; login names fold to lowercase; the second
 * factor is required by the staff roles, and of everyone only when the portal says so.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "auth/user.h"
#include "core/config.h"

static void test_role_codes(void **state) {
  (void)state;
  static const struct {
    const char *code;
    unsigned bit;
  } roles[] = {{"admin", ROLE_ADMIN},         {"coach", ROLE_COACH},     {"teamlead", ROLE_TEAMLEAD},
               {"participant", ROLE_PARTICIPANT}, {"partner", ROLE_PARTNER}, {"logofficer", ROLE_LOGOFFICER},
               {"programme", ROLE_PROGRAMME}};
  unsigned all = 0;
  for (size_t i = 0; i < sizeof roles / sizeof *roles; i++) {
    assert_int_equal(role_from_code(roles[i].code), roles[i].bit);
    assert_string_equal(role_code(roles[i].bit), roles[i].code);
    all |= roles[i].bit;
  }
  /* the seven codes are all the roles there are */
  assert_int_equal(all, ROLE_ANY);
  assert_int_equal(ROLES_CASE, ROLE_ANY);
  assert_true((ROLE_MFA_REQUIRED & ROLE_PARTICIPANT) == 0 && (ROLE_MFA_REQUIRED & ROLE_PARTNER) == 0);
}

static void test_role_codes_refused(void **state) {
  (void)state;
  assert_int_equal(role_from_code(NULL), 0);
  assert_int_equal(role_from_code(""), 0);
  assert_int_equal(role_from_code("Coach"), 0);       /* codes are exact */
  assert_int_equal(role_from_code("coach "), 0);
  assert_int_equal(role_from_code("any"), 0);
  assert_int_equal(role_from_code("coachx"), 0);
  assert_null(role_code(0));
  assert_null(role_code(ROLE_COACH | ROLE_TEAMLEAD)); /* not one role */
  assert_null(role_code(ROLE_ANY));
  assert_null(role_code(1u << 7));
}

static void test_roles_parse(void **state) {
  (void)state;
  assert_int_equal(roles_parse("coach"), ROLE_COACH);
  assert_int_equal(roles_parse("coach,teamlead"), ROLE_COACH | ROLE_TEAMLEAD);
  assert_int_equal(roles_parse("teamlead,coach,coach"), ROLE_COACH | ROLE_TEAMLEAD);
  assert_int_equal(roles_parse("admin,coach,teamlead,participant,partner,logofficer,programme"), ROLE_ANY);
  assert_int_equal(roles_parse(",coach,,partner,"), ROLE_COACH | ROLE_PARTNER); /* empty elements skipped */
  /* one unknown element refuses the whole list */
  assert_int_equal(roles_parse("coach,boss"), 0);
  assert_int_equal(roles_parse("coach, teamlead"), 0);
  assert_int_equal(roles_parse("coach,administratorxxxxxxxxxxxxxxxxx"), 0);
  assert_int_equal(roles_parse(""), 0);
  assert_int_equal(roles_parse(","), 0);
  assert_int_equal(roles_parse(NULL), 0);
}

static void test_email_fold(void **state) {
  (void)state;
  char a[] = "Sofie.Peeters@ZorgWerk.Example";
  assert_ptr_equal(user_email_fold(a), a);
  assert_string_equal(a, "sofie.peeters@zorgwerk.example");
  char b[] = "ren\xc3\x89@x.be"; /* bytes outside ASCII stay as they are */
  user_email_fold(b);
  assert_string_equal(b, "ren\xc3\x89@x.be");
  char c[] = "";
  assert_string_equal(user_email_fold(c), "");
}

static void test_mfa_required(void **state) {
  (void)state;
  config_defaults(&cfg);
  cfg.totp_everyone = false;
  assert_true(user_mfa_required(ROLE_ADMIN));
  assert_true(user_mfa_required(ROLE_COACH));
  assert_true(user_mfa_required(ROLE_TEAMLEAD));
  assert_true(user_mfa_required(ROLE_LOGOFFICER));
  assert_true(user_mfa_required(ROLE_PROGRAMME));
  assert_true(user_mfa_required(ROLE_PARTICIPANT | ROLE_COACH)); /* any role that needs it */
  assert_false(user_mfa_required(ROLE_PARTICIPANT));
  assert_false(user_mfa_required(ROLE_PARTNER));
  cfg.totp_everyone = true;
  assert_true(user_mfa_required(ROLE_PARTICIPANT));
  assert_true(user_mfa_required(ROLE_PARTNER));
  config_defaults(&cfg);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_role_codes),
      cmocka_unit_test(test_role_codes_refused),
      cmocka_unit_test(test_roles_parse),
      cmocka_unit_test(test_email_fold),
      cmocka_unit_test(test_mfa_required),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
