/*
 * test_match.c — unit tests for the scoring of an opening against a job profile (src/render/match.c): every
 * stated wish is a reason, met or not, with the right weight; a kind of work earlier in the participant's
 * list weighs more; unstated wishes are no criteria; and the property that matters for a fair ranking: on
 * random profiles and openings, an opening that meets a strict superset of the wishes another one meets
 * always scores strictly higher (and ranks before it).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "render/match.h"

static const char *const KINDS[] = {"care", "ict", "retail", "green", "logistics", "cleaning"};
static const char *const REGIONS[] = {"Gent", "Antwerpen", "Utrecht", "Leuven"};
static const char *const TASKS[] = {"lifting", "night shifts", "phone calls", "driving"};

static const MatchReason *reason(const MatchResult *m, MatchWhat what, int detail) {
  for (int i = 0; i < m->nreasons; i++)
    if (m->reasons[i].what == what && (what != MATCH_SUPPORT && what != MATCH_AVOID ? 1 : m->reasons[i].detail == detail))
      return &m->reasons[i];
  return NULL;
}

static void test_reasons_shown(void **state) {
  (void)state;
  MatchWishes w = {.kinds = {"ict", "care"}, .nkinds = 2, .regions = {" gent "}, .nregions = 1,
                   .avoid = {"Lifting"}, .navoid = 1, .hours_now = 12, .hours_goal = 24, .support = 1 | 4};
  MatchOpening o = {.work_kind = "care", .region = "Gent", .title = "Care assistant", .tasks = "lifting patients",
                    .hours_min = 16, .hours_max = 32, .support = 1};
  MatchResult m;
  match_score(&w, &o, &m);
  assert_int_equal(m.nreasons, 7); /* kind, goal, now, region, 2 support, 1 avoid */
  const MatchReason *k = reason(&m, MATCH_KIND, 0);
  assert_non_null(k);
  assert_true(k->met);
  assert_int_equal(k->detail, 1); /* second in the list */
  assert_true(reason(&m, MATCH_HOURS_GOAL, 0)->met);
  assert_false(reason(&m, MATCH_HOURS_NOW, 0)->met); /* 12 < 16 */
  assert_true(reason(&m, MATCH_REGION, 0)->met);      /* case and spaces ignored */
  assert_true(reason(&m, MATCH_SUPPORT, 1)->met);
  assert_false(reason(&m, MATCH_SUPPORT, 4)->met);
  assert_false(reason(&m, MATCH_AVOID, 0)->met); /* "lifting" is in the tasks */
  int sum = 0;
  for (int i = 0; i < m.nreasons; i++) sum += m.reasons[i].met ? m.reasons[i].weight : 0;
  assert_int_equal(m.score, sum);
  assert_int_equal(m.nmet, 4);
  assert_true(m.score < m.max_score);
}

static void test_region_named_in_the_opening(void **state) {
  (void)state;
  MatchWishes w = {.regions = {"Mechelen", "Gent"}, .nregions = 2, .hours_now = -1, .hours_goal = -1};
  MatchOpening o = {.work_kind = "ict", .region = "Antwerpen en mechelen", .hours_min = -1, .hours_max = 20};
  MatchResult m;
  match_score(&w, &o, &m);
  assert_true(reason(&m, MATCH_REGION, 0)->met);
  o.region = "Brugge";
  match_score(&w, &o, &m);
  assert_false(reason(&m, MATCH_REGION, 0)->met);
}

static void test_first_kind_weighs_more(void **state) {
  (void)state;
  MatchWishes w = {.kinds = {"ict", "care", "retail"}, .nkinds = 3, .hours_now = -1, .hours_goal = -1};
  MatchOpening a = {.work_kind = "ict", .region = "x", .hours_min = -1, .hours_max = 40};
  MatchOpening b = a, c = a;
  b.work_kind = "care";
  c.work_kind = "retail";
  MatchResult ma, mb, mc;
  match_score(&w, &a, &ma);
  match_score(&w, &b, &mb);
  match_score(&w, &c, &mc);
  assert_true(ma.score > mb.score);
  assert_true(mb.score > mc.score);
  assert_true(mc.score > 0);
}

static void test_unstated_is_no_criterion(void **state) {
  (void)state;
  MatchWishes w = {.hours_now = -1, .hours_goal = -1};
  MatchOpening o = {.work_kind = "ict", .region = "Gent", .hours_min = 10, .hours_max = 20, .support = 15};
  MatchResult m;
  match_score(&w, &o, &m);
  assert_int_equal(m.nreasons, 0);
  assert_int_equal(m.score, 0);
  assert_int_equal(m.max_score, 0);
}

/* The set of wishes met, as bits: one bit per (what, detail). */
static uint64_t met_set(const MatchResult *m) {
  uint64_t s = 0;
  for (int i = 0; i < m->nreasons; i++) {
    if (!m->reasons[i].met) continue;
    int bit;
    switch (m->reasons[i].what) {
    case MATCH_KIND: bit = 0 + m->reasons[i].detail; break; /* 0..5: which kind was met */
    case MATCH_HOURS_GOAL: bit = 8; break;
    case MATCH_HOURS_NOW: bit = 9; break;
    case MATCH_REGION: bit = 10; break;
    case MATCH_SUPPORT: bit = 11 + __builtin_ctz((unsigned)m->reasons[i].detail); break;
    default: bit = 16 + m->reasons[i].detail; break;
    }
    s |= 1ull << bit;
  }
  return s;
}

static void random_opening(MatchOpening *o, char *tasks, size_t n) {
  o->work_kind = KINDS[rand() % 6];
  o->region = REGIONS[rand() % 4];
  o->title = "Opening";
  o->hours_min = rand() % 3 == 0 ? -1 : 4 * (rand() % 8);
  o->hours_max = (o->hours_min < 0 ? 0 : o->hours_min) + 4 * (rand() % 6);
  o->support = (unsigned)(rand() % 16);
  tasks[0] = 0;
  for (int i = 0; i < 4; i++)
    if (rand() % 3 == 0) {
      strncat(tasks, TASKS[i], n - strlen(tasks) - 2);
      strncat(tasks, ", ", n - strlen(tasks) - 1);
    }
  o->tasks = tasks;
}

/* Property: meeting a strict superset of the wishes another opening meets scores strictly higher and ranks
 * first — on random profiles against random openings, with many pairs in a superset relation (the domains
 * are small on purpose so that such pairs are common). */
static void test_superset_ranks_higher(void **state) {
  (void)state;
  srand(20261205);
  long pairs = 0;
  for (int round = 0; round < 300; round++) {
    MatchWishes w = {.hours_now = rand() % 4 == 0 ? -1 : 4 * (rand() % 6),
                     .hours_goal = rand() % 4 == 0 ? -1 : 4 * (rand() % 10), .support = (unsigned)(rand() % 16)};
    w.nkinds = rand() % 4;
    for (int i = 0; i < w.nkinds; i++) w.kinds[i] = KINDS[(round + i) % 6];
    w.nregions = rand() % 3;
    for (int i = 0; i < w.nregions; i++) w.regions[i] = REGIONS[(round + i) % 4];
    w.navoid = rand() % 3;
    for (int i = 0; i < w.navoid; i++) w.avoid[i] = TASKS[(round + i) % 4];
    enum { N = 40 };
    MatchOpening o[N];
    char tasks[N][80];
    MatchResult m[N];
    for (int i = 0; i < N; i++) {
      random_opening(&o[i], tasks[i], sizeof tasks[i]);
      match_score(&w, &o[i], &m[i]);
      assert_int_equal(m[i].nmet, __builtin_popcountll(met_set(&m[i])));
    }
    for (int i = 0; i < N; i++)
      for (int j = 0; j < N; j++) {
        uint64_t a = met_set(&m[i]), b = met_set(&m[j]);
        if (a == b || (a & b) != b) continue; /* a is not a strict superset of b */
        pairs++;
        assert_true(m[i].score > m[j].score);
        MatchKey ka = {m[i].score, m[i].nmet, 1000 + j}, kb = {m[j].score, m[j].nmet, i}; /* ids against it */
        assert_true(match_key_cmp(&ka, &kb) < 0);
      }
  }
  assert_true(pairs > 1000); /* the property was exercised, not vacuously true */
}

static void test_order_is_total(void **state) {
  (void)state;
  MatchKey k[] = {{10, 2, 3}, {30, 1, 9}, {10, 3, 4}, {10, 2, 1}};
  qsort(k, 4, sizeof *k, match_key_cmp);
  assert_int_equal(k[0].id, 9);
  assert_int_equal(k[1].id, 4);
  assert_int_equal(k[2].id, 1);
  assert_int_equal(k[3].id, 3);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_reasons_shown),          cmocka_unit_test(test_first_kind_weighs_more),
      cmocka_unit_test(test_region_named_in_the_opening),
      cmocka_unit_test(test_unstated_is_no_criterion), cmocka_unit_test(test_superset_ranks_higher),
      cmocka_unit_test(test_order_is_total),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
