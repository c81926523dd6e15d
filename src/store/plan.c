/*
 * plan.c — see plan.h. The owners' updates and confirmations of the action plan (migration 016).
 */
#include "store/plan.h"

#include <string.h>

#include "policy/policy.h"

/* Text column col of the current row, copied into the arena (NULL stays NULL). */
static const char *copy(Arena *a, Stmt *st, const char *col) { return arena_strdup(a, db_text(st, col)); }

/* Appends to a growing arena array of elements of size sz; returns the new element (zeroed). */
static void *grow(Arena *a, void **v, int *n, int *cap, size_t sz) {
  if (*n == *cap) {
    int ncap = *cap ? *cap * 2 : 8;
    void *nv = arena_alloc(a, sz * (size_t)ncap);
    if (*n) memcpy(nv, *v, sz * (size_t)*n);
    *v = nv;
    *cap = ncap;
  }
  return (char *)*v + sz * (size_t)(*n)++;
}

int plan_action_get(Db *db, Arena *a, int64_t action_id, PlanActionRef *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_prepare(db, "SELECT a.id, a.trajectory_id, g.version_item_id, a.owner_kind, a.owner_member_id, "
                            "a.status, a.text, a.is_current FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                            "WHERE a.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, action_id);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *out = (PlanActionRef){.id = db_int(st, "id"), .trajectory_id = db_int(st, "trajectory_id"),
                           .version_item_id = db_int(st, "version_item_id"),
                           .owner_member_id = db_null(st, "owner_member_id") ? 0 : db_int(st, "owner_member_id"),
                           .owner_kind = copy(a, st, "owner_kind"), .status = copy(a, st, "status"),
                           .text = copy(a, st, "text"), .is_current = db_int(st, "is_current") == 1};
  db_done(st);
  return rc;
}

int plan_live_membership(Db *db, int64_t tid, int64_t user_id, int64_t *member_id) {
  *member_id = 0;
  Stmt *st = db_prepare(db, "SELECT id FROM network_members WHERE trajectory_id = ? AND user_id = ? "
                            "AND removed_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, user_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *member_id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int plan_action_mark(Db *db, const PlanActionMark *m) {
  Stmt *st = db_prepare(db, "INSERT INTO plan_action_updates (action_id, trajectory_id, status, owner_member_id, "
                            "remark_item_id, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, m->action_id);
  db_bind_int(st, 2, m->trajectory_id);
  db_bind_text(st, 3, m->status);
  if (m->owner_member_id) db_bind_int(st, 4, m->owner_member_id); else db_bind_null(st, 4);
  if (m->remark_item_id) db_bind_int(st, 5, m->remark_item_id); else db_bind_null(st, 5);
  db_bind_int(st, 6, m->user_id);
  db_bind_int(st, 7, m->at);
  int rc = db_step(st);
  int64_t id = rc == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  st = db_prepare(db, "UPDATE plan_actions SET status = ?, last_update_id = ? WHERE id = ? AND is_current = 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, m->status);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, m->action_id);
  if ((rc = db_run(st)) != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int plan_trajectory_touch(Db *db, int64_t tid, int64_t at) {
  Stmt *st = db_prepare(db, "UPDATE trajectories SET last_activity_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, at);
  db_bind_int(st, 2, tid);
  return db_run(st);
}

int plan_carry_updates(Db *db, int64_t old_vid, int64_t new_vid) {
  if (!old_vid) return DB_OK;
  Stmt *st = db_prepare(db, "UPDATE plan_actions SET last_update_id = (SELECT o.last_update_id FROM plan_actions o "
                            "JOIN plan_goals og ON og.id = o.goal_id WHERE og.version_item_id = ? "
                            "AND o.last_update_id IS NOT NULL AND o.text = plan_actions.text "
                            "AND o.owner_kind = plan_actions.owner_kind "
                            "AND COALESCE(o.owner_member_id, 0) = COALESCE(plan_actions.owner_member_id, 0) "
                            "AND o.due_on = plan_actions.due_on AND o.status = plan_actions.status "
                            "ORDER BY o.id LIMIT 1) "
                            "WHERE goal_id IN (SELECT id FROM plan_goals WHERE version_item_id = ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, old_vid);
  db_bind_int(st, 2, new_vid);
  return db_run(st);
}

int plan_version_updates(Db *db, Arena *a, const User *u, int64_t vid, PlanUpdateShown **out, int *n) {
  *out = NULL;
  *n = 0;
  int cap = 0;
  Stmt *st = db_prepare(db, "SELECT a.id AS action_id, lu.status, lu.remark_item_id, lu.created_at, CASE WHEN "
                            POLICY_SQL_USER_VISIBLE("lu.created_by", "lu.trajectory_id") " THEN us.name END AS by_name "
                            "FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                            "JOIN plan_action_updates lu ON lu.id = a.last_update_id JOIN users us ON us.id = lu.created_by "
                            "WHERE g.version_item_id = ? ORDER BY a.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_user_filter(st, 1, u), vid);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    PlanUpdateShown *w = grow(a, (void **)out, n, &cap, sizeof **out);
    *w = (PlanUpdateShown){.action_id = db_int(st, "action_id"),
                           .remark_item_id = db_null(st, "remark_item_id") ? 0 : db_int(st, "remark_item_id"),
                           .at = db_int(st, "created_at"), .status = copy(a, st, "status"),
                           .by_name = copy(a, st, "by_name")};
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int plan_remark_body(Db *db, Arena *a, int64_t item_id, const char **body) {
  *body = NULL;
  Stmt *st = db_prepare(db, "SELECT body FROM items WHERE id = ? AND kind = 'plan_remark' AND deleted_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, item_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *body = copy(a, st, "body");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int plan_member_confirmations(Db *db, Arena *a, const User *u, int64_t vid, PlanMemberConfirm **out, int *n) {
  *out = NULL;
  *n = 0;
  int cap = 0;
  Stmt *st = db_prepare(db, "SELECT m.id, CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.name END AS name, "
                            "m.user_id, c.confirmed_at, CASE WHEN c.confirmed_by IS NOT NULL AND "
                            POLICY_SQL_USER_VISIBLE("c.confirmed_by", "m.trajectory_id") " THEN cu.name END AS by_name "
                            "FROM network_members m LEFT JOIN plan_member_confirmations c "
                            "ON c.version_item_id = ? AND c.member_id = m.id LEFT JOIN users cu ON cu.id = c.confirmed_by "
                            "WHERE m.removed_at IS NULL AND m.id IN (SELECT a.owner_member_id FROM plan_actions a "
                            "JOIN plan_goals g ON g.id = a.goal_id WHERE g.version_item_id = ?) ORDER BY m.id");
  if (!st) return DB_ERROR;
  int i = policy_bind_member_filter(st, 1, u);
  i = policy_bind_user_filter(st, i, u);
  db_bind_int(st, i++, vid);
  db_bind_int(st, i, vid);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    PlanMemberConfirm *w = grow(a, (void **)out, n, &cap, sizeof **out);
    *w = (PlanMemberConfirm){.member_id = db_int(st, "id"), .name = copy(a, st, "name"),
                             .at = db_null(st, "confirmed_at") ? 0 : db_int(st, "confirmed_at"),
                             .by_name = copy(a, st, "by_name"), .has_account = !db_null(st, "user_id")};
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int plan_member_owns(Db *db, int64_t vid, int64_t member_id, bool *owns) {
  *owns = false;
  Stmt *st = db_prepare(db, "SELECT a.id FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                            "JOIN network_members m ON m.id = a.owner_member_id "
                            "WHERE g.version_item_id = ? AND a.owner_member_id = ? AND m.removed_at IS NULL LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, vid);
  db_bind_int(st, 2, member_id);
  int rc = db_step(st);
  *owns = rc == DB_ROW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int plan_member_confirm(Db *db, int64_t vid, int64_t tid, int64_t member_id, int64_t user_id, int64_t at) {
  Stmt *st = db_prepare(db, "INSERT INTO plan_member_confirmations (version_item_id, member_id, trajectory_id, "
                            "confirmed_by, confirmed_at) SELECT pv.item_id, ?, pv.trajectory_id, ?, ? FROM plan_versions pv "
                            "WHERE pv.item_id = ? AND pv.trajectory_id = ? AND pv.version = "
                            "(SELECT MAX(v2.version) FROM plan_versions v2 WHERE v2.trajectory_id = pv.trajectory_id) "
                            "AND NOT EXISTS (SELECT 1 FROM plan_member_confirmations c WHERE c.version_item_id = pv.item_id "
                            "AND c.member_id = ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, member_id);
  db_bind_int(st, 2, user_id);
  db_bind_int(st, 3, at);
  db_bind_int(st, 4, vid);
  db_bind_int(st, 5, tid);
  db_bind_int(st, 6, member_id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int plan_fully_confirmed(Db *db, int64_t vid, bool *all) {
  *all = false;
  Stmt *st = db_prepare(db, "SELECT CASE WHEN pv.confirmed_by_participant_at IS NOT NULL "
                            "AND pv.confirmed_by_coach_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM plan_actions a "
                            "JOIN plan_goals g ON g.id = a.goal_id JOIN network_members m ON m.id = a.owner_member_id "
                            "WHERE g.version_item_id = pv.item_id AND m.removed_at IS NULL AND NOT EXISTS "
                            "(SELECT 1 FROM plan_member_confirmations c WHERE c.version_item_id = pv.item_id "
                            "AND c.member_id = m.id)) THEN 1 ELSE 0 END AS all_confirmed "
                            "FROM plan_versions pv WHERE pv.item_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, vid);
  int rc = db_step(st);
  if (rc == DB_ROW) *all = db_int(st, "all_confirmed") == 1;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int plan_confirm_step_tick(Db *db, int64_t tid, int64_t user_id, int64_t at, int64_t *ids, int max, int *n) {
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT id FROM trajectory_steps WHERE trajectory_id = ? AND status = 'open' AND text = ? "
                            "ORDER BY id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, PLAN_CONFIRM_STEP_TEXT);
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    if (*n < max) ids[(*n)++] = db_int(st, "id");
  db_done(st);
  if (rc != DB_DONE) return rc;
  for (int i = 0; i < *n; i++) {
    st = db_prepare(db, "UPDATE trajectory_steps SET status = 'done', done_at = ?, done_by = ?, updated_at = ? "
                        "WHERE id = ? AND status = 'open'");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, at);
    db_bind_int(st, 2, user_id);
    db_bind_int(st, 3, at);
    db_bind_int(st, 4, ids[i]);
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  return DB_OK;
}

int plan_owner_updates_recent(Db *db, Arena *a, int64_t coach_id, int64_t since, int max, PlanOwnerUpdate **out,
                              int *n) {
  *out = NULL;
  *n = 0;
  int cap = 0;
  Stmt *st = db_prepare(db, "SELECT t.id AS tid, t.participant_id AS pid, p.first_name, p.last_name, a.text, u.status, "
                            "u.created_at, u.remark_item_id, COALESCE(m.name, us.name) AS who "
                            "FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id "
                            "JOIN plan_action_updates u ON u.trajectory_id = t.id JOIN plan_actions a ON a.id = u.action_id "
                            "JOIN users us ON us.id = u.created_by LEFT JOIN network_members m ON m.id = u.owner_member_id "
                            "WHERE t.status = 'open' AND u.created_at >= ? ORDER BY u.created_at DESC, u.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, coach_id);
  db_bind_int(st, 2, since);
  db_bind_int(st, 3, max);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    PlanOwnerUpdate *w = grow(a, (void **)out, n, &cap, sizeof **out);
    *w = (PlanOwnerUpdate){.tid = db_int(st, "tid"), .pid = db_int(st, "pid"), .at = db_int(st, "created_at"),
                           .first = copy(a, st, "first_name"), .last = copy(a, st, "last_name"),
                           .action = copy(a, st, "text"), .status = copy(a, st, "status"), .who = copy(a, st, "who"),
                           .remark = !db_null(st, "remark_item_id")};
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int plan_member_open_actions(Db *db, int64_t tid, int64_t user_id, int64_t *vid, int64_t *open) {
  *vid = *open = 0;
  Stmt *st = db_prepare(db, "SELECT pv.item_id, (SELECT COUNT(*) FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                            "JOIN network_members m ON m.id = a.owner_member_id WHERE g.version_item_id = pv.item_id "
                            "AND a.status IN ('planned', 'in_progress') AND m.user_id = ? AND m.removed_at IS NULL) AS n "
                            "FROM plan_versions pv WHERE pv.trajectory_id = ? ORDER BY pv.version DESC LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *vid = db_int(st, "item_id");
    *open = db_int(st, "n");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
