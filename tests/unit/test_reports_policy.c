/*
 * test_reports_policy.c — unit tests for src/policy/reports_policy.c: who may open the reports and in
 * which unit, the periods, the wider selections of a selection, and the three rules against small cells.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/text.h"
#include "policy/reports_policy.h"

static void test_who_and_which_unit(void **state) {
  (void)state;
  User lead = {.id = 1, .roles = ROLE_TEAMLEAD, .org_id = 7}, pm = {.id = 2, .roles = ROLE_PROGRAMME, .org_id = 7},
       coach = {.id = 3, .roles = ROLE_COACH, .org_id = 7}, orphan = {.id = 4, .roles = ROLE_TEAMLEAD};
  assert_true(policy_reports_allowed(&lead) && policy_reports_allowed(&pm));
  assert_false(policy_reports_allowed(&coach) || policy_reports_allowed(NULL));
  ReportScope s = {.year = 2025, .team_id = 9};
  policy_reports_scope(&lead, &s);
  assert_int_equal(s.team_id, 7); /* a team lead always sees their own team */
  s = (ReportScope){.year = 2025, .team_id = 9};
  policy_reports_scope(&pm, &s);
  assert_int_equal(s.team_id, 9);
  s = (ReportScope){.year = 2025, .coach_id = 5, .coach_team = 8};
  policy_reports_scope(&lead, &s);
  assert_int_equal(s.coach_id, 0); /* a coach of another team is dropped */
  s = (ReportScope){.year = 2025};
  policy_reports_scope(&orphan, &s);
  assert_true(s.team_id < 0); /* no team: nothing */
  assert_true(policy_reports_remarks(&pm));
  assert_false(policy_reports_remarks(&lead));
}

static void test_periods(void **state) {
  (void)state;
  int32_t from, to;
  report_period_days(&(ReportScope){.year = 2024}, &from, &to);
  assert_int_equal(from, days_from_civil(2024, 1, 1));
  assert_int_equal(to, days_from_civil(2024, 12, 31));
  report_period_days(&(ReportScope){.year = 2024, .quarter = 1}, &from, &to);
  assert_int_equal(to, days_from_civil(2024, 3, 31));
  report_period_days(&(ReportScope){.year = 2024, .month = 2}, &from, &to);
  assert_int_equal(from, days_from_civil(2024, 2, 1));
  assert_int_equal(to, days_from_civil(2024, 2, 29));
  report_period_days(&(ReportScope){.year = 2023, .month = 12}, &from, &to);
  assert_int_equal(to, days_from_civil(2023, 12, 31));
}

static void test_wider_selections(void **state) {
  (void)state;
  ReportScope w[8];
  assert_int_equal(report_scope_wider(&(ReportScope){.year = 2025}, w), 0);
  /* a month of one coach: (month, quarter, year) x (coach, team, all) minus itself */
  int n = report_scope_wider(&(ReportScope){.year = 2025, .month = 5, .team_id = 3, .coach_id = 4, .coach_team = 3}, w);
  assert_int_equal(n, 8);
  bool quarter_all = false, year_team = false;
  for (int i = 0; i < n; i++) {
    if (w[i].quarter == 2 && !w[i].month && !w[i].team_id && !w[i].coach_id) quarter_all = true;
    if (!w[i].quarter && !w[i].month && w[i].team_id == 3 && !w[i].coach_id) year_team = true;
    assert_false(w[i].month == 5 && w[i].coach_id == 4);
  }
  assert_true(quarter_all && year_team);
}

static void test_small_cells(void **state) {
  (void)state;
  assert_false(policy_report_count_ok(0));
  assert_false(policy_report_count_ok(4));
  assert_true(policy_report_count_ok(5));
  int64_t wider[2] = {12, 30};
  assert_false(policy_report_count_shown(9, wider, 2));   /* 12 - 9 = 3 could be worked out */
  assert_true(policy_report_count_shown(7, wider, 2));    /* 5 and 23 */
  int64_t same[1] = {9};
  assert_true(policy_report_count_shown(9, same, 1));     /* the same count: nothing to subtract */
}

static void test_complement(void **state) {
  (void)state;
  /* total 20 = 10 + 7 + 3: the 3 is hidden; 20 - 10 - 7 = 3 would give it away, so the 7 goes too */
  int64_t cells[3] = {10, 7, 3};
  bool hidden[3] = {false, false, true}, total_hidden = false;
  policy_report_complement(cells, hidden, 3, 20, &total_hidden);
  assert_true(hidden[1] && !hidden[0] && !total_hidden);
  /* 8 = 4 + 4: both hidden already; the total alone shows 8, which is fine */
  int64_t two[2] = {4, 4};
  bool h2[2] = {true, true};
  total_hidden = false;
  policy_report_complement(two, h2, 2, 8, &total_hidden);
  assert_false(total_hidden);
  /* 7 = 6 + 1 where the cells add up to less than the total (a coach no longer active): 7 - 6 = 1 */
  int64_t one[1] = {6};
  bool h1[1] = {false};
  total_hidden = false;
  policy_report_complement(one, h1, 1, 7, &total_hidden);
  assert_true(h1[0] || total_hidden);
  /* nothing hidden and nothing missing: nothing changes */
  int64_t ok[2] = {5, 6};
  bool hok[2] = {false, false};
  total_hidden = false;
  policy_report_complement(ok, hok, 2, 11, &total_hidden);
  assert_false(hok[0] || hok[1] || total_hidden);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_who_and_which_unit), cmocka_unit_test(test_periods),
      cmocka_unit_test(test_wider_selections), cmocka_unit_test(test_small_cells), cmocka_unit_test(test_complement),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
