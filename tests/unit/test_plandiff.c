/*
 * test_plandiff.c — unit tests for the comparison of two versions of an action plan (src/render/plandiff.c):
 * an unchanged plan reads as unchanged; goals are paired by title even when moved, and by position when the
 * title was edited (a change, not a removal and an addition); added and removed goals and actions come in
 * the documented order with their numbers; each field of an action (text aside, which pairs it) makes it
 * changed, and a changed action makes its goal changed; a missing measure equals an empty one.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "render/plandiff.h"

/* A goal with the given title, the same SMART texts throughout, and no actions. */
static PlanGoal goal(const char *title) {
  return (PlanGoal){.title = title, .specific = "s", .measurable = "m", .achievable = "a", .relevant = "r",
                    .time_bound = "2026-06-01"};
}

/* Adds an action owned by the participant, planned, due 2026-05-01, without a measure. */
static PlanAction *action(PlanGoal *g, const char *text) {
  PlanAction *a = &g->actions[g->nactions++];
  *a = (PlanAction){.text = text, .owner_kind = "participant", .due_on = "2026-05-01", .status = "planned"};
  return a;
}

/* A version of two goals, "Work" (actions "Call employer", "Try two mornings") and "Rest" ("Walk daily"). */
static void base_version(PlanVersion *v) {
  memset(v, 0, sizeof *v);
  v->goals[0] = goal("Work");
  action(&v->goals[0], "Call employer");
  action(&v->goals[0], "Try two mornings");
  v->goals[1] = goal("Rest");
  action(&v->goals[1], "Walk daily");
  v->ngoals = 2;
}

static void test_unchanged_plan(void **state) {
  (void)state;
  static PlanVersion a, b;
  static PlanDiff d;
  base_version(&a);
  base_version(&b);
  b.goals[0].actions[1].measure = ""; /* no measure either way */
  plan_diff(&a, &b, &d);
  assert_int_equal(d.ngoals, 2);
  for (int i = 0; i < d.ngoals; i++) {
    assert_int_equal(d.goals[i].change, PLAN_SAME);
    assert_int_equal(d.goals[i].number, i + 1);
    assert_ptr_equal(d.goals[i].old, &a.goals[i]);
    assert_ptr_equal(d.goals[i].new, &b.goals[i]);
    for (int j = 0; j < d.goals[i].nactions; j++) assert_int_equal(d.goals[i].actions[j].change, PLAN_SAME);
  }
  assert_int_equal(d.goals[0].nactions, 2);
  assert_int_equal(d.goals[1].nactions, 1);
}

static void test_goals_paired_by_title_then_position(void **state) {
  (void)state;
  static PlanVersion a, b;
  static PlanDiff d;
  base_version(&a);
  base_version(&b);
  /* the goals swapped places: still paired by title, nothing changed */
  PlanGoal t = b.goals[0];
  b.goals[0] = b.goals[1];
  b.goals[1] = t;
  plan_diff(&a, &b, &d);
  assert_int_equal(d.ngoals, 2);
  assert_ptr_equal(d.goals[0].old, &a.goals[1]);
  assert_ptr_equal(d.goals[1].old, &a.goals[0]);
  assert_int_equal(d.goals[0].change, PLAN_SAME);
  assert_int_equal(d.goals[1].change, PLAN_SAME);
  assert_int_equal(d.goals[0].number, 1);

  /* a retitled goal at the same place is the same goal, changed */
  base_version(&b);
  b.goals[1].title = "Rest and sleep";
  plan_diff(&a, &b, &d);
  assert_int_equal(d.ngoals, 2);
  assert_int_equal(d.goals[1].change, PLAN_CHANGED);
  assert_ptr_equal(d.goals[1].old, &a.goals[1]);
  assert_int_equal(d.goals[1].actions[0].change, PLAN_SAME);
  assert_int_equal(d.goals[0].change, PLAN_SAME);

  /* one SMART field is enough */
  base_version(&b);
  b.goals[0].achievable = "with a job coach";
  plan_diff(&a, &b, &d);
  assert_int_equal(d.goals[0].change, PLAN_CHANGED);
  assert_int_equal(d.goals[1].change, PLAN_SAME);
}

static void test_added_and_removed(void **state) {
  (void)state;
  static PlanVersion a, b;
  static PlanDiff d;
  base_version(&a);
  memset(&b, 0, sizeof b);
  /* "Work" stays (first), "Rest" goes, "Learn" and "Money" come */
  b.goals[0] = a.goals[0];
  b.goals[1] = goal("Learn");
  action(&b.goals[1], "Course");
  b.goals[2] = goal("Money");
  b.ngoals = 3;
  plan_diff(&a, &b, &d);
  /* "Rest" and "Learn" pair by title with nothing, so by position (a change); "Money" is added; nothing is
   * removed */
  assert_int_equal(d.ngoals, 3);
  assert_int_equal(d.goals[1].change, PLAN_CHANGED);
  assert_ptr_equal(d.goals[1].old, &a.goals[1]);
  assert_int_equal(d.goals[2].change, PLAN_ADDED);
  assert_null(d.goals[2].old);
  assert_int_equal(d.goals[2].number, 3);
  assert_int_equal(d.goals[2].nactions, 0);

  /* a goal the newer version lost comes after the newer version's goals, numbered as it was, its actions
   * removed; a new goal's actions are added */
  memset(&b, 0, sizeof b);
  b.goals[0] = a.goals[1]; /* "Rest" only */
  b.goals[1] = goal("Learn");
  action(&b.goals[1], "Course");
  action(&b.goals[1], "Exam");
  b.ngoals = 2;
  plan_diff(&a, &b, &d);
  assert_int_equal(d.ngoals, 3);
  assert_int_equal(d.goals[0].change, PLAN_SAME);
  assert_ptr_equal(d.goals[0].old, &a.goals[1]);
  /* "Rest" took old goal 2 by title; "Work" (old 1) and "Learn" (new 2) have no partner at their own
   * position, so "Learn" is added and "Work" removed */
  assert_int_equal(d.goals[1].change, PLAN_ADDED);
  assert_int_equal(d.goals[1].nactions, 2);
  assert_int_equal(d.goals[1].actions[0].change, PLAN_ADDED);
  assert_int_equal(d.goals[1].actions[1].change, PLAN_ADDED);
  assert_int_equal(d.goals[2].change, PLAN_REMOVED);
  assert_null(d.goals[2].new);
  assert_ptr_equal(d.goals[2].old, &a.goals[0]);
  assert_int_equal(d.goals[2].number, 1);
  assert_int_equal(d.goals[2].nactions, 2);
  assert_int_equal(d.goals[2].actions[0].change, PLAN_REMOVED);
  assert_int_equal(d.goals[2].actions[1].change, PLAN_REMOVED);
  assert_null(d.goals[2].actions[0].new);

  /* from no plan at all: everything added */
  static const PlanVersion none = {0};
  plan_diff(&none, &a, &d);
  assert_int_equal(d.ngoals, 2);
  assert_int_equal(d.goals[0].change, PLAN_ADDED);
  assert_int_equal(d.goals[0].actions[1].change, PLAN_ADDED);
}

static void test_action_fields(void **state) {
  (void)state;
  static PlanVersion a, b;
  static PlanDiff d;
  base_version(&a);
  /* each field but the text (which pairs the actions) makes the action and its goal changed */
  for (int f = 0; f < 5; f++) {
    base_version(&b);
    PlanAction *x = &b.goals[0].actions[1];
    switch (f) {
      case 0: x->status = "done"; break;
      case 1: x->due_on = "2026-05-02"; break;
      case 2: x->measure = "job-coaching"; break;
      case 3: x->owner_kind = "coach"; break;
      default: x->owner_kind = "member"; x->owner_member_id = 7; break;
    }
    plan_diff(&a, &b, &d);
    assert_int_equal(d.goals[0].change, PLAN_CHANGED);
    assert_int_equal(d.goals[0].actions[0].change, PLAN_SAME);
    assert_int_equal(d.goals[0].actions[1].change, PLAN_CHANGED);
    assert_ptr_equal(d.goals[0].actions[1].old, &a.goals[0].actions[1]);
    assert_int_equal(d.goals[1].change, PLAN_SAME);
  }
  /* another member owning it is a change too */
  a.goals[0].actions[1].owner_kind = "member";
  a.goals[0].actions[1].owner_member_id = 6;
  base_version(&b);
  b.goals[0].actions[1].owner_kind = "member";
  b.goals[0].actions[1].owner_member_id = 7;
  plan_diff(&a, &b, &d);
  assert_int_equal(d.goals[0].actions[1].change, PLAN_CHANGED);
  b.goals[0].actions[1].owner_member_id = 6;
  plan_diff(&a, &b, &d);
  assert_int_equal(d.goals[0].actions[1].change, PLAN_SAME);

  /* an action dropped from a kept goal is listed after the goal's current actions, as removed; a reordered
   * action is paired by its text */
  base_version(&a);
  base_version(&b);
  b.goals[0].actions[0] = a.goals[0].actions[1]; /* "Try two mornings" first, "Call employer" gone */
  b.goals[0].nactions = 1;
  plan_diff(&a, &b, &d);
  assert_int_equal(d.goals[0].change, PLAN_CHANGED);
  assert_int_equal(d.goals[0].nactions, 2);
  assert_int_equal(d.goals[0].actions[0].change, PLAN_SAME);
  assert_ptr_equal(d.goals[0].actions[0].old, &a.goals[0].actions[1]);
  assert_int_equal(d.goals[0].actions[1].change, PLAN_REMOVED);
  assert_ptr_equal(d.goals[0].actions[1].old, &a.goals[0].actions[0]);
  assert_null(d.goals[0].actions[1].new);
}

static void test_text_same(void **state) {
  (void)state;
  assert_true(plan_text_same(NULL, ""));
  assert_true(plan_text_same("", NULL));
  assert_true(plan_text_same("x", "x"));
  assert_false(plan_text_same("x", "X"));
  assert_false(plan_text_same(NULL, "x"));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_unchanged_plan),
      cmocka_unit_test(test_goals_paired_by_title_then_position),
      cmocka_unit_test(test_added_and_removed),
      cmocka_unit_test(test_action_fields),
      cmocka_unit_test(test_text_same),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
