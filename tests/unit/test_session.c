/*
 * test_session.c — session expiry rules and the session store: a token loads its user, the database
 * holds only the token's hash, idle and absolute expiry end a session, deactivation ends it, and
 * ending all sessions of a user works.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sodium.h>

#include "account/session.h"
#include "dbfixture.h"

static void expiry_rules(void **state) {
  (void)state;
  /* idle 1800 s, absolute 43200 s */
  assert_false(session_expired(1000, 1000, 1000 + 1799, 1800, 43200));
  assert_true(session_expired(1000, 1000, 1000 + 1800, 1800, 43200));
  assert_false(session_expired(1000, 1000 + 43000, 1000 + 43199, 1800, 43200));
  assert_true(session_expired(1000, 1000 + 43100, 1000 + 43200, 1800, 43200));
  /* a clock far behind the creation time is not trusted */
  assert_true(session_expired(100000, 100000, 1000, 1800, 43200));
}

static int64_t count(Db *db, const char *sql) {
  Stmt *st = db_prepare(db, sql);
  int64_t n = db_step(st) == DB_ROW ? db_int(st, "n") : -1;
  db_done(st);
  return n;
}

static void store_and_load(void **state) {
  (void)state;
  Db *db = fixture_open();
  int64_t uid = fixture_user(db, "coach@example.org", ROLE_COACH);
  char token[TOKEN_LEN + 1];
  assert_int_equal(session_create(db, uid, false, 10000, token), DB_OK);
  assert_int_equal(strlen(token), TOKEN_LEN);

  /* the raw token is nowhere in the database */
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM sessions WHERE token_hash = ? OR csrf = ?");
  db_bind_text(st, 1, token);
  db_bind_text(st, 2, token);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_int(st, "n"), 0);
  db_done(st);

  Arena *a = arena_new();
  User *u;
  Session *s;
  assert_int_equal(session_load(db, a, token, 10000 + 60, &u, &s), DB_OK);
  assert_non_null(u);
  assert_int_equal(u->id, uid);
  assert_int_equal(u->roles, ROLE_COACH);
  assert_false(s->mfa_ok);
  assert_int_equal(strlen(s->csrf), TOKEN_LEN);

  /* a wrong or malformed token loads nothing */
  char other[TOKEN_LEN + 1];
  token_new(other);
  assert_int_equal(session_load(db, a, other, 10060, &u, &s), DB_OK);
  assert_null(u);
  assert_int_equal(session_load(db, a, "short", 10060, &u, &s), DB_OK);
  assert_null(u);

  /* idle expiry ends and deletes the session */
  assert_int_equal(session_load(db, a, token, 10060 + cfg.session_idle + 1, &u, &s), DB_OK);
  assert_null(u);
  assert_int_equal(count(db, "SELECT COUNT(*) AS n FROM sessions"), 0);

  /* deactivation ends sessions */
  assert_int_equal(session_create(db, uid, true, 20000, token), DB_OK);
  st = db_prepare(db, "UPDATE users SET active = 0 WHERE id = ?");
  db_bind_int(st, 1, uid);
  assert_int_equal(db_run(st), DB_OK);
  assert_int_equal(session_load(db, a, token, 20001, &u, &s), DB_OK);
  assert_null(u);

  /* session_end_all */
  st = db_prepare(db, "UPDATE users SET active = 1 WHERE id = ?");
  db_bind_int(st, 1, uid);
  db_run(st);
  char t2[TOKEN_LEN + 1];
  session_create(db, uid, true, 30000, token);
  session_create(db, uid, true, 30000, t2);
  assert_int_equal(count(db, "SELECT COUNT(*) AS n FROM sessions"), 2);
  assert_int_equal(session_end_all(db, uid), DB_OK);
  assert_int_equal(count(db, "SELECT COUNT(*) AS n FROM sessions"), 0);
  arena_free(a);
  fixture_close(db);
}

int main(void) {
  if (sodium_init() < 0) return 1;
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(expiry_rules),
      cmocka_unit_test(store_and_load),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
