/*
 * plandiff.h — the comparison of two versions of an action plan, as a list of changes: which goals and
 * actions of the newer version are unchanged, changed or added, and which of the older one were removed.
 * Pure: plain data in, data out, no database, no HTML, no allocation.
 *
 * Goals are paired by title, actions (within a paired goal) by their text; what is left unpaired is then
 * paired by position, so an edited title or text reads as a change rather than a removal and an addition.
 * The list follows the newer version (its goals in order, each with its actions in order, then the actions
 * its older counterpart lost), followed by the goals the older version had and the newer one lost.
 */
#ifndef ZW_RENDER_PLANDIFF_H
#define ZW_RENDER_PLANDIFF_H

#include <stdbool.h>

#include "store/plan.h"

typedef enum PlanChange {
  PLAN_SAME,    /* in both versions, nothing differs */
  PLAN_CHANGED, /* in both versions, something differs */
  PLAN_ADDED,   /* only in the newer version (old is NULL) */
  PLAN_REMOVED, /* only in the older version (new is NULL) */
} PlanChange;

/* One action in the comparison. */
typedef struct PlanActionDiff {
  const PlanAction *old, *new;
  PlanChange change;
} PlanActionDiff;

/* One goal in the comparison, with its actions. A goal is PLAN_CHANGED when one of its own fields differs or
 * one of its actions is not PLAN_SAME. number: its position (1-based) in the version it is from (the newer
 * one, or for a removed goal the older one). */
typedef struct PlanGoalDiff {
  const PlanGoal *old, *new;
  PlanChange change;
  int number;
  PlanActionDiff actions[2 * PLAN_ACTIONS_MAX];
  int nactions;
} PlanGoalDiff;

typedef struct PlanDiff {
  PlanGoalDiff goals[2 * PLAN_GOALS_MAX];
  int ngoals;
} PlanDiff;

/* Compares version old with its successor new into *out (overwritten). Pointers in *out point into old and
 * new. Can't fail. */
void plan_diff(const PlanVersion *old, const PlanVersion *new, PlanDiff *out);

/* Whether two texts are equal, NULL counting as "". */
bool plan_text_same(const char *a, const char *b);

/* Whether any field of action a differs from b: text, owner, due date, status, measure. */
bool plan_action_changed(const PlanAction *a, const PlanAction *b);

/* Whether a field of goal a itself differs from b (title, the four SMART texts, the date), actions aside. */
bool plan_goal_fields_changed(const PlanGoal *a, const PlanGoal *b);

#endif
