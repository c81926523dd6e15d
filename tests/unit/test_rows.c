/*
 * test_rows.c — unit tests for db_rows (src/db/rows.c), the one loop of the store's list functions: at
 * most max rows, all rows (DB_ROWS_ALL) past the first allocation, none for max 0, the statement finished
 * either way (reusable at once); and for the programme words (src/i18n/programme.c): each programme's
 * words in Dutch and English, the plural of "assigned coach", and Zorg & Werk for anything unknown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/mem.h"
#include "db/rows.h"
#include "dbfixture.h"
#include "i18n/i18n.h"
#include "i18n/programme.h"

/* Fills a table of n numbers 1..n. */
static void numbers(Db *db, int n) {
  assert_int_equal(db_exec(db, "CREATE TABLE nums (n INTEGER NOT NULL)"), DB_OK);
  for (int i = 1; i <= n; i++) {
    Stmt *st = db_prepare(db, "INSERT INTO nums (n) VALUES (?)");
    db_bind_int(st, 1, i);
    assert_int_equal(db_run(st), DB_OK);
  }
}

typedef struct Num {
  int64_t n;
  const char *text;
} Num;

static void num_map(Arena *a, Stmt *st, void *p) {
  *(Num *)p = (Num){.n = db_int(st, "n"), .text = db_text_copy(a, st, "t")};
}

/* The rows of nums in order, at most max, through db_rows. */
static Num *load(Db *db, Arena *a, int max, int *n, int *rc) {
  Stmt *st = db_prepare(db, "SELECT n, CAST(n AS TEXT) AS t FROM nums ORDER BY n");
  assert_non_null(st);
  return db_rows(a, st, sizeof(Num), max, num_map, n, rc);
}

static void test_rows(void **state) {
  Db *db = fixture_open();
  Arena *a = arena_new();
  numbers(db, 40);
  int n, rc;
  Num *v = load(db, a, 3, &n, &rc); /* bounded: the first three, and the statement is finished */
  assert_int_equal(rc, DB_OK);
  assert_int_equal(n, 3);
  assert_int_equal(v[2].n, 3);
  assert_int_equal(db_reset_all(db), 0);
  v = load(db, a, DB_ROWS_ALL, &n, &rc); /* all 40: grown twice past the first 16 */
  assert_int_equal(rc, DB_OK);
  assert_int_equal(n, 40);
  for (int i = 0; i < 40; i++) {
    assert_int_equal(v[i].n, i + 1);
    char want[8];
    snprintf(want, sizeof want, "%d", i + 1);
    assert_string_equal(v[i].text, want);
  }
  v = load(db, a, 100, &n, &rc); /* a max above the rows there are */
  assert_int_equal(n, 40);
  assert_int_equal(v[39].n, 40);
  v = load(db, a, 0, &n, &rc); /* none asked: none read, still an array */
  assert_int_equal(rc, DB_OK);
  assert_int_equal(n, 0);
  assert_non_null(v);
  assert_int_equal(db_reset_all(db), 0);
  arena_free(a);
  fixture_close(db);
}

static void test_programme_words(void **state) {
  assert_true(i18n_init());
  i18n_use("nl");
  assert_string_equal(programme_word(PROGRAMME_WABZ, PW_COACH), "Bemiddelaar");
  assert_string_equal(programme_word(PROGRAMME_WABZ, PW_THE_PARTICIPANT), "De cliënt");
  assert_string_equal(programme_word_n(PROGRAMME_WABZ, PW_ASSIGNED_COACH, 1), "Toegewezen bemiddelaar");
  assert_string_equal(programme_word_n(PROGRAMME_WABZ, PW_ASSIGNED_COACH, 2), "Toegewezen bemiddelaars");
  assert_string_equal(programme_word(PROGRAMME_ZW, PW_PARTICIPANT), "Deelnemer");
  assert_string_equal(programme_word_n(PROGRAMME_ZW, PW_ASSIGNED_COACH, 2), "Toegewezen coaches");
  i18n_use("en");
  assert_string_equal(programme_word(PROGRAMME_WABZ, PW_COACHES), "Mediators");
  assert_string_equal(programme_word_n(PROGRAMME_WABZ, PW_ASSIGNED_COACH, 3), "Assigned mediators");
  assert_string_equal(programme_word(PROGRAMME_ZW, PW_THE_COACH), "The coach");
  assert_string_equal(programme_word(NULL, PW_PARTICIPANT), "Participant"); /* unknown: Zorg & Werk */
  assert_true(programme_known(PROGRAMME_WABZ) && programme_known(PROGRAMME_ZW));
  assert_false(programme_known("custom") || programme_known(NULL));
  assert_string_equal(programme_name(PROGRAMME_WABZ), "Werk als Beste Zorg");
  i18n_use(NULL);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_rows),
      cmocka_unit_test(test_programme_words),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
