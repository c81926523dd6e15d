/*
 * placements_policy.c — see placements_policy.h.
 */
#include "policy/placements_policy.h"

#include "store/users.h"

bool policy_may_record_placement(Grounds g) { return g == GROUNDS_COACH; }

int policy_placement_audience(Db *db, Arena *a, int64_t item_id, const char *today, const int64_t *cands, int n,
                              int64_t actor, int64_t **out, int *nout) {
  *nout = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(n > 0 ? n : 1));
  for (int i = 0; i < n; i++) {
    if (cands[i] == actor) continue;
    User *u;
    int rc = user_load(db, a, cands[i], &u);
    if (rc == DB_DONE) continue;
    if (rc != DB_OK) return rc;
    Grounds g;
    int64_t consent;
    if ((rc = policy_item(db, u, item_id, today, &g, &consent, NULL)) != DB_OK) return rc;
    if (g != GROUNDS_NONE) (*out)[(*nout)++] = cands[i];
  }
  return DB_OK;
}
