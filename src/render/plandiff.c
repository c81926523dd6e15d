/*
 * plandiff.c — see plandiff.h.
 */
#include "render/plandiff.h"

#include <string.h>

bool plan_text_same(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

bool plan_action_changed(const PlanAction *a, const PlanAction *b) {
  bool same_owner = plan_text_same(a->owner_kind, b->owner_kind) && a->owner_member_id == b->owner_member_id;
  return !plan_text_same(a->text, b->text) || !same_owner || !plan_text_same(a->due_on, b->due_on) ||
         !plan_text_same(a->status, b->status) || !plan_text_same(a->measure, b->measure);
}

bool plan_goal_fields_changed(const PlanGoal *a, const PlanGoal *b) {
  return !plan_text_same(a->title, b->title) || !plan_text_same(a->time_bound, b->time_bound) ||
         !plan_text_same(a->specific, b->specific) || !plan_text_same(a->measurable, b->measurable) ||
         !plan_text_same(a->achievable, b->achievable) || !plan_text_same(a->relevant, b->relevant);
}

/* Pairs the entries of the older list (keys ka, na) with those of the newer (kb, nb): equal keys first, then
 * what is left at the same position. b_for_a[i]: the index in the newer list or -1 (removed); a_for_b[j]
 * likewise (-1: added). */
static void pair_keys(const char *const *ka, int na, const char *const *kb, int nb, int *b_for_a, int *a_for_b) {
  for (int i = 0; i < na; i++) b_for_a[i] = -1;
  for (int j = 0; j < nb; j++) a_for_b[j] = -1;
  for (int i = 0; i < na; i++)
    for (int j = 0; j < nb; j++)
      if (a_for_b[j] < 0 && plan_text_same(ka[i], kb[j])) {
        b_for_a[i] = j;
        a_for_b[j] = i;
        break;
      }
  for (int i = 0; i < na && i < nb; i++)
    if (b_for_a[i] < 0 && a_for_b[i] < 0) {
      b_for_a[i] = i;
      a_for_b[i] = i;
    }
}

/* Fills d for goal old → new (either NULL): its actions paired and its change. */
static void goal_diff(const PlanGoal *old, const PlanGoal *new, int number, PlanGoalDiff *d) {
  static const PlanGoal none = {0};
  const PlanGoal *o = old ? old : &none, *nw = new ? new : &none;
  *d = (PlanGoalDiff){.old = old, .new = new, .number = number};
  int a_for_b[PLAN_ACTIONS_MAX], b_for_a[PLAN_ACTIONS_MAX];
  const char *ka[PLAN_ACTIONS_MAX] = {0}, *kb[PLAN_ACTIONS_MAX] = {0};
  for (int i = 0; i < o->nactions; i++) ka[i] = o->actions[i].text;
  for (int j = 0; j < nw->nactions; j++) kb[j] = nw->actions[j].text;
  pair_keys(ka, o->nactions, kb, nw->nactions, b_for_a, a_for_b);
  bool changed = old && new && plan_goal_fields_changed(old, new);
  for (int j = 0; j < nw->nactions; j++) {
    PlanActionDiff *x = &d->actions[d->nactions++];
    x->new = &nw->actions[j];
    x->old = a_for_b[j] >= 0 ? &o->actions[a_for_b[j]] : NULL;
    x->change = !x->old ? PLAN_ADDED : plan_action_changed(x->old, x->new) ? PLAN_CHANGED : PLAN_SAME;
    if (x->change != PLAN_SAME) changed = true;
  }
  for (int i = 0; i < o->nactions; i++)
    if (b_for_a[i] < 0) {
      d->actions[d->nactions++] = (PlanActionDiff){.old = &o->actions[i], .change = PLAN_REMOVED};
      changed = true;
    }
  d->change = !old ? PLAN_ADDED : !new ? PLAN_REMOVED : changed ? PLAN_CHANGED : PLAN_SAME;
}

void plan_diff(const PlanVersion *old, const PlanVersion *new, PlanDiff *out) {
  out->ngoals = 0;
  int a_for_b[PLAN_GOALS_MAX], b_for_a[PLAN_GOALS_MAX];
  const char *ka[PLAN_GOALS_MAX] = {0}, *kb[PLAN_GOALS_MAX] = {0};
  for (int i = 0; i < old->ngoals; i++) ka[i] = old->goals[i].title;
  for (int j = 0; j < new->ngoals; j++) kb[j] = new->goals[j].title;
  pair_keys(ka, old->ngoals, kb, new->ngoals, b_for_a, a_for_b);
  for (int j = 0; j < new->ngoals; j++)
    goal_diff(a_for_b[j] >= 0 ? &old->goals[a_for_b[j]] : NULL, &new->goals[j], j + 1, &out->goals[out->ngoals++]);
  for (int i = 0; i < old->ngoals; i++)
    if (b_for_a[i] < 0) goal_diff(&old->goals[i], NULL, i + 1, &out->goals[out->ngoals++]);
}
