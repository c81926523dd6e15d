/*
 * test_throttle.c — login throttling kept in the database (auth/throttle.h, account/throttle.h, migration 035),
 * on both drivers: the delay starts after login_delay_after failures and doubles to login_delay_max_ms,
 * throttle_take counts only when no wait is left, forgive and clear undo, a key a day old starts from
 * nothing, only hashes of the keys are stored, and parallel takes on separate connections (as separate
 * servers would make) count exactly one failure each and let no more than login_delay_after through.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "account/throttle.h"
#include "dbfixture.h"

enum { DAY_MS = 24 * 3600 * 1000 };

static Db *setup_db(void) {
  Db *db = fixture_open();
  cfg.login_delay_after = 3;
  cfg.login_delay_ms = 1500; /* not THROTTLE_UNKNOWN_MS: a database failure would show */
  cfg.login_delay_max_ms = 6000;
  db_set_default_path(fixture_path);
  return db;
}

static void teardown_db(Db *db) {
  db_thread_close();
  fixture_close(db);
}

static void delays_double_to_the_maximum(void **state) {
  (void)state;
  Db *db = setup_db();
  const char *k = "acct:someone@example.org";
  int64_t t = throttle_now_ms();
  for (int i = 0; i < 3; i++) assert_int_equal(throttle_take(k, t), 0);
  assert_int_equal(throttle_failures(k), 3);
  assert_int_equal(throttle_take(k, t + 10), 1490); /* must wait: nothing counted */
  assert_int_equal(throttle_failures(k), 3);
  assert_int_equal(throttle_wait_ms(k, t + 1500), 0);
  assert_int_equal(throttle_take(k, t + 1500), 0); /* the 4th failure: 3000 ms */
  assert_int_equal(throttle_wait_ms(k, t + 1500), 3000);
  throttle_fail(k, t + 4500); /* 5th: 6000 ms */
  assert_int_equal(throttle_wait_ms(k, t + 4500), 6000);
  throttle_fail(k, t + 4500); /* 6th: still 6000 ms, the maximum */
  assert_int_equal(throttle_wait_ms(k, t + 4500), 6000);
  throttle_forgive(k);
  assert_int_equal(throttle_failures(k), 5);
  assert_int_equal(throttle_failures("acct:other@example.org"), 0);
  assert_int_equal(throttle_wait_ms("acct:other@example.org", t), 0);
  throttle_forgive("acct:other@example.org"); /* an unknown key: nothing happens */
  assert_int_equal(throttle_failures("acct:other@example.org"), 0);
  throttle_clear(k);
  assert_int_equal(throttle_failures(k), 0);
  assert_int_equal(throttle_wait_ms(k, t + 4500), 0);
  teardown_db(db);
}

static void a_key_a_day_old_starts_again(void **state) {
  (void)state;
  Db *db = setup_db();
  const char *k = "ip:192.0.2.7";
  int64_t now = throttle_now_ms();
  for (int i = 0; i < 5; i++) throttle_fail(k, now - DAY_MS - 5000);
  assert_int_equal(throttle_failures(k), 0);
  assert_int_equal(throttle_take(k, now), 0);
  assert_int_equal(throttle_failures(k), 1);
  teardown_db(db);
}

static void only_hashes_are_stored(void **state) {
  (void)state;
  Db *db = setup_db();
  throttle_fail("acct:someone@example.org", throttle_now_ms());
  throttle_fail("ip:192.0.2.7", throttle_now_ms());
  Stmt *st = db_prepare(db, "SELECT key FROM login_throttle ORDER BY key");
  int n = 0;
  while (db_step(st) == DB_ROW) {
    const char *key = db_text(st, "key");
    assert_int_equal(strlen(key), 32);
    assert_int_equal(strspn(key, "0123456789abcdef"), 32);
    n++;
  }
  db_done(st);
  assert_int_equal(n, 2);
  teardown_db(db);
}

enum { TAKERS = 8 };
static int64_t taken_at;
static int64_t waits[TAKERS];
static pthread_barrier_t go;

static void *taker(void *arg) {
  int i = (int)(intptr_t)arg;
  pthread_barrier_wait(&go);
  waits[i] = throttle_take("acct:burst@example.org", taken_at);
  db_thread_close();
  return NULL;
}

static void parallel_takes_count_once_each(void **state) {
  (void)state;
  Db *db = setup_db();
  taken_at = throttle_now_ms();
  pthread_barrier_init(&go, NULL, TAKERS);
  pthread_t th[TAKERS];
  for (int i = 0; i < TAKERS; i++) pthread_create(&th[i], NULL, taker, (void *)(intptr_t)i);
  int passed = 0;
  for (int i = 0; i < TAKERS; i++) {
    pthread_join(th[i], NULL);
    if (waits[i] == 0) passed++;
    else assert_int_equal(waits[i], 1500);
  }
  pthread_barrier_destroy(&go);
  assert_int_equal(passed, 3);
  assert_int_equal(throttle_failures("acct:burst@example.org"), 3);
  teardown_db(db);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(delays_double_to_the_maximum),
      cmocka_unit_test(a_key_a_day_old_starts_again),
      cmocka_unit_test(only_hashes_are_stored),
      cmocka_unit_test(parallel_takes_count_once_each),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
