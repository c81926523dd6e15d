/*
 * plan.c — see plan.h. The action plan as stored: versions, goals and actions, the owners' updates and
 * confirmations (migration 016), the open actions of the current plans.
 */
#include "store/plan.h"

#include <string.h>

#include "db/rows.h"
#include "store/caseload.h"
#include "store/visibility.h"
#include "store/trajectories.h"

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
                           .owner_kind = db_text_copy(a, st, "owner_kind"), .status = db_text_copy(a, st, "status"),
                           .text = db_text_copy(a, st, "text"), .is_current = db_int(st, "is_current") == 1};
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
  if (db_changes(db) != 1) return DB_DONE;
  return caseload_next_refresh(db, m->trajectory_id);
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

/* Maps a row of plan_version_updates' query into the PlanUpdateShown at p. */
static void update_shown_map(Arena *a, Stmt *st, void *p) {
  *(PlanUpdateShown *)p = (PlanUpdateShown){
      .action_id = db_int(st, "action_id"),
      .remark_item_id = db_null(st, "remark_item_id") ? 0 : db_int(st, "remark_item_id"),
      .at = db_int(st, "created_at"), .status = db_text_copy(a, st, "status"),
      .by_name = db_text_copy(a, st, "by_name")};
}

int plan_version_updates(Db *db, Arena *a, const User *u, int64_t vid, PlanUpdateShown **out, int *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT a.id AS action_id, lu.status, lu.remark_item_id, lu.created_at, CASE WHEN "
                            POLICY_SQL_USER_VISIBLE("lu.created_by", "lu.trajectory_id") " THEN us.name END AS by_name "
                            "FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                            "JOIN plan_action_updates lu ON lu.id = a.last_update_id JOIN users us ON us.id = lu.created_by "
                            "WHERE g.version_item_id = ? ORDER BY a.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_user_filter(st, 1, u), vid);
  int rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, update_shown_map, n, &rc);
  return rc;
}

int plan_remark_body(Db *db, Arena *a, int64_t item_id, const char **body) {
  *body = NULL;
  Stmt *st = db_prepare(db, "SELECT body FROM items WHERE id = ? AND kind = 'plan_remark' AND deleted_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, item_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *body = db_text_copy(a, st, "body");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Maps a row of plan_member_confirmations' query into the PlanMemberConfirm at p. */
static void member_confirm_map(Arena *a, Stmt *st, void *p) {
  *(PlanMemberConfirm *)p = (PlanMemberConfirm){.member_id = db_int(st, "id"), .name = db_text_copy(a, st, "name"),
                                                .at = db_null(st, "confirmed_at") ? 0 : db_int(st, "confirmed_at"),
                                                .by_name = db_text_copy(a, st, "by_name"),
                                                .has_account = !db_null(st, "user_id")};
}

int plan_member_confirmations(Db *db, Arena *a, const User *u, int64_t vid, PlanMemberConfirm **out, int *n) {
  *out = NULL;
  *n = 0;
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
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, member_confirm_map, n, &rc);
  return rc;
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

/* Maps a row of plan_owner_updates_recent's query into the PlanOwnerUpdate at p. */
static void owner_update_map(Arena *a, Stmt *st, void *p) {
  *(PlanOwnerUpdate *)p = (PlanOwnerUpdate){
      .tid = db_int(st, "tid"), .pid = db_int(st, "pid"), .at = db_int(st, "created_at"),
      .first = db_text_copy(a, st, "first_name"), .last = db_text_copy(a, st, "last_name"),
      .action = db_text_copy(a, st, "text"), .status = db_text_copy(a, st, "status"), .who = db_text_copy(a, st, "who"),
      .remark = !db_null(st, "remark_item_id")};
}

int plan_owner_updates_recent(Db *db, Arena *a, int64_t coach_id, int64_t since, int max, PlanOwnerUpdate **out,
                              int *n) {
  *out = NULL;
  *n = 0;
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
  *out = db_rows(a, st, sizeof **out, max, owner_update_map, n, &rc);
  return rc;
}

int plan_member_open_actions(Db *db, int64_t tid, int64_t user_id, int64_t *vid, int64_t *open) {
  *vid = *open = 0;
  Stmt *st = db_prepare(db, "SELECT pv.item_id, (SELECT COUNT(*) FROM plan_actions a JOIN plan_goals g ON g.id = a.goal_id "
                            "JOIN network_members m ON m.id = a.owner_member_id WHERE g.version_item_id = pv.item_id "
                            "AND " PLAN_SQL_ACTION_OPEN("a") " AND m.user_id = ? AND m.removed_at IS NULL) AS n "
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

/* ------------------------------------------------------------------------------------- versions */

int plan_version_load(Db *db, Arena *a, const User *u, int64_t item_id, PlanVersion *v) {
  memset(v, 0, sizeof *v);
  Stmt *st = db_prepare(db, "SELECT pv.item_id, pv.trajectory_id, pv.version, pv.reason, pv.created_at, "
                            "pv.confirmed_by_participant_at AS p_at, pv.confirmed_by_coach_at AS c_at, CASE WHEN "
                            POLICY_SQL_USER_VISIBLE("pv.created_by", "pv.trajectory_id") " THEN u.name END AS author, "
                            "up.name AS p_name, uc.name AS c_name FROM plan_versions pv "
                            "JOIN items i ON i.id = pv.item_id AND i.deleted_at IS NULL "
                            "JOIN users u ON u.id = pv.created_by LEFT JOIN users up ON up.id = pv.confirmed_by_participant "
                            "LEFT JOIN users uc ON uc.id = pv.confirmed_by_coach WHERE pv.item_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_user_filter(st, 1, u), item_id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    v->item_id = db_int(st, "item_id");
    v->trajectory_id = db_int(st, "trajectory_id");
    v->version = db_int(st, "version");
    v->created_at = db_int(st, "created_at");
    v->reason = db_text_copy(a, st, "reason");
    v->author = db_text_copy(a, st, "author");
    if (!db_null(st, "p_at")) {
      v->p_at = db_int(st, "p_at");
      v->p_name = db_text_copy(a, st, "p_name");
    }
    if (!db_null(st, "c_at")) {
      v->c_at = db_int(st, "c_at");
      v->c_name = db_text_copy(a, st, "c_name");
    }
  }
  db_done(st);
  if (rc != DB_ROW) return rc;

  st = db_prepare(db, "SELECT id, title, specific, measurable, achievable, relevant, time_bound FROM plan_goals "
                      "WHERE version_item_id = ? ORDER BY position");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, item_id);
  while (v->ngoals < PLAN_GOALS_MAX && (rc = db_step(st)) == DB_ROW)
    v->goals[v->ngoals++] = (PlanGoal){.id = db_int(st, "id"), .title = db_text_copy(a, st, "title"),
                                       .specific = db_text_copy(a, st, "specific"), .measurable = db_text_copy(a, st, "measurable"),
                                       .achievable = db_text_copy(a, st, "achievable"), .relevant = db_text_copy(a, st, "relevant"),
                                       .time_bound = db_text_copy(a, st, "time_bound")};
  db_done(st);
  if (rc != DB_ROW && rc != DB_DONE) return rc;

  for (int i = 0; i < v->ngoals; i++) {
    PlanGoal *g = &v->goals[i];
    /* the owner is named only to whom the membership rule allows it */
    st = db_prepare(db, "SELECT a.id, a.text, a.owner_kind, a.owner_member_id, a.due_on, a.status, a.measure_slug, "
                        "CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.name END AS owner_name, "
                        "m.removed_at AS owner_removed FROM plan_actions a "
                        "LEFT JOIN network_members m ON m.id = a.owner_member_id WHERE a.goal_id = ? "
                        "ORDER BY a.position");
    if (!st) return DB_ERROR;
    db_bind_int(st, policy_bind_member_filter(st, 1, u), g->id);
    while (g->nactions < PLAN_ACTIONS_MAX && (rc = db_step(st)) == DB_ROW) {
      bool member = strcmp(db_text(st, "owner_kind"), "member") == 0;
      g->actions[g->nactions++] = (PlanAction){
          .id = db_int(st, "id"), .text = db_text_copy(a, st, "text"), .owner_kind = db_text_copy(a, st, "owner_kind"),
          .owner_member_id = member && !db_null(st, "owner_member_id") ? db_int(st, "owner_member_id") : 0,
          .due_on = db_text_copy(a, st, "due_on"), .status = db_text_copy(a, st, "status"), .measure = db_text_copy(a, st, "measure_slug"),
          .owner_name = db_text_copy(a, st, "owner_name"), .owner_removed = !db_null(st, "owner_removed")};
    }
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
  }
  return DB_ROW;
}

int plan_version_load_owners(Db *db, Arena *a, const User *u, PlanVersion *v) {
  PlanUpdateShown *ups;
  int nups;
  int rc = plan_version_updates(db, a, u, v->item_id, &ups, &nups);
  if (rc != DB_OK) return rc;
  for (int k = 0; k < nups; k++)
    for (int i = 0; i < v->ngoals; i++)
      for (int j = 0; j < v->goals[i].nactions; j++)
        if (v->goals[i].actions[j].id == ups[k].action_id) v->goals[i].actions[j].upd = &ups[k];
  return plan_member_confirmations(db, a, u, v->item_id, &v->members, &v->nmembers);
}

int plan_latest(Db *db, int64_t tid, int64_t *item_id, int64_t *version) {
  *item_id = *version = 0;
  Stmt *st = db_prepare(db, "SELECT item_id, version FROM plan_versions WHERE trajectory_id = ? "
                            "ORDER BY version DESC LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *item_id = db_int(st, "item_id");
    *version = db_int(st, "version");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int plan_version_item(Db *db, int64_t tid, int64_t n, int64_t *item_id) {
  *item_id = 0;
  Stmt *st = db_prepare(db, "SELECT item_id FROM plan_versions WHERE trajectory_id = ? AND version = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, n);
  int rc = db_step(st);
  if (rc == DB_ROW) *item_id = db_int(st, "item_id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int plan_version_in(Db *db, int64_t vid, int64_t tid, bool *is) {
  *is = false;
  Stmt *st = db_prepare(db, "SELECT item_id FROM plan_versions WHERE item_id = ? AND trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, vid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  *is = rc == DB_ROW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Maps a row of plan_versions_visible' query into the PlanVersionLine at p. */
static void version_line_map(Arena *a, Stmt *st, void *p) {
  *(PlanVersionLine *)p = (PlanVersionLine){.item_id = db_int(st, "item_id"), .version = db_int(st, "version"),
                                            .created_at = db_int(st, "created_at"),
                                            .author = db_text_copy(a, st, "author"), .p_ok = !db_null(st, "p_at"),
                                            .c_ok = !db_null(st, "c_at")};
}

int plan_versions_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                          PlanVersionLine **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT pv.item_id, pv.version, pv.created_at, CASE WHEN "
                            POLICY_SQL_USER_VISIBLE("pv.created_by", "pv.trajectory_id") " THEN u.name END AS author, "
                            "pv.confirmed_by_participant_at AS p_at, pv.confirmed_by_coach_at AS c_at "
                            "FROM items i JOIN plan_versions pv ON pv.item_id = i.id "
                            "JOIN users u ON u.id = pv.created_by "
                            "WHERE i.trajectory_id = ? AND i.kind = 'plan' AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY pv.version DESC LIMIT ?");
  if (!st) return DB_ERROR;
  int next = policy_bind_user_filter(st, 1, u);
  db_bind_int(st, next++, tid);
  next = policy_bind_item_filter(st, next, u, today);
  db_bind_int(st, next, max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, version_line_map, n, &rc);
  return rc;
}

int plan_version_measures(Db *db, Arena *a, int64_t tid, int64_t n, const char **out, int max, int *nout) {
  *nout = 0;
  Stmt *st = db_prepare(db, "SELECT DISTINCT a.measure_slug AS slug FROM plan_actions a "
                            "JOIN plan_goals g ON g.id = a.goal_id JOIN plan_versions pv ON pv.item_id = g.version_item_id "
                            "WHERE pv.trajectory_id = ? AND pv.version = ? AND a.measure_slug IS NOT NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, n);
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    if (*nout < max) out[(*nout)++] = db_text_copy(a, st, "slug");
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int plan_member_live_in(Db *db, int64_t member_id, int64_t tid, bool *live) {
  *live = false;
  Stmt *st = db_prepare(db, "SELECT id FROM network_members WHERE id = ? AND trajectory_id = ? AND removed_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, member_id);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  *live = rc == DB_ROW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int plan_version_insert(Db *db, const PlanVersionNew *n, const PlanVersion *v) {
  Stmt *st = db_prepare(db, "INSERT INTO plan_versions (item_id, trajectory_id, version, reason, created_by, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, n->item_id);
  db_bind_int(st, 2, n->trajectory_id);
  db_bind_int(st, 3, n->number);
  db_bind_text(st, 4, n->reason && *n->reason ? n->reason : NULL);
  db_bind_int(st, 5, n->author_id);
  db_bind_int(st, 6, n->at);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;

  /* the new version's actions are the current ones from now on (PLAN_SQL_ACTION_OPEN reads only those) */
  st = db_prepare(db, "UPDATE plan_actions SET is_current = 0 WHERE trajectory_id = ? AND is_current = 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, n->trajectory_id);
  if ((rc = db_run(st)) != DB_OK) return rc;

  for (int i = 0; i < v->ngoals; i++) {
    const PlanGoal *g = &v->goals[i];
    st = db_prepare(db, "INSERT INTO plan_goals (version_item_id, position, title, specific, measurable, achievable, "
                        "relevant, time_bound) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, n->item_id);
    db_bind_int(st, 2, i + 1);
    db_bind_text(st, 3, g->title);
    db_bind_text(st, 4, g->specific);
    db_bind_text(st, 5, g->measurable);
    db_bind_text(st, 6, g->achievable);
    db_bind_text(st, 7, g->relevant);
    db_bind_text(st, 8, g->time_bound);
    rc = db_step(st);
    int64_t gid = rc == DB_ROW ? db_int(st, "id") : 0;
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
    for (int j = 0; j < g->nactions; j++) {
      const PlanAction *x = &g->actions[j];
      st = db_prepare(db, "INSERT INTO plan_actions (goal_id, position, text, owner_kind, owner_member_id, due_on, "
                          "status, measure_slug, trajectory_id, is_current) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)");
      if (!st) return DB_ERROR;
      db_bind_int(st, 1, gid);
      db_bind_int(st, 2, j + 1);
      db_bind_text(st, 3, x->text);
      db_bind_text(st, 4, x->owner_kind);
      if (x->owner_member_id) db_bind_int(st, 5, x->owner_member_id); else db_bind_null(st, 5);
      db_bind_text(st, 6, x->due_on);
      db_bind_text(st, 7, x->status);
      db_bind_text(st, 8, x->measure && *x->measure ? x->measure : NULL);
      db_bind_int(st, 9, n->trajectory_id);
      if ((rc = db_run(st)) != DB_OK) return rc;
    }
  }
  if ((rc = caseload_next_refresh(db, n->trajectory_id)) != DB_OK) return rc;
  return trajectory_touch(db, n->trajectory_id, n->at);
}

int plan_version_confirm(Db *db, int64_t vid, int64_t tid, bool as_participant, int64_t user_id, int64_t at) {
  Stmt *st = db_prepare(db, as_participant
                                ? "UPDATE plan_versions SET confirmed_by_participant_at = ?, confirmed_by_participant = ? "
                                  "WHERE item_id = ? AND confirmed_by_participant_at IS NULL AND version = "
                                  "(SELECT MAX(version) FROM plan_versions WHERE trajectory_id = ?)"
                                : "UPDATE plan_versions SET confirmed_by_coach_at = ?, confirmed_by_coach = ? "
                                  "WHERE item_id = ? AND confirmed_by_coach_at IS NULL AND version = "
                                  "(SELECT MAX(version) FROM plan_versions WHERE trajectory_id = ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, at);
  db_bind_int(st, 2, user_id);
  db_bind_int(st, 3, vid);
  db_bind_int(st, 4, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

/* ------------------------------------------------------------------------ open actions of the plan */

/* Maps a row of plan_actions_open_due's query into the PlanDueAction at p: for one coach (first and last
 * name, the coach filled in by the caller) or for the whole team (coach_id). */
static void due_map_coach(Arena *a, Stmt *st, void *p) {
  *(PlanDueAction *)p = (PlanDueAction){.tid = db_int(st, "tid"), .pid = db_int(st, "pid"),
                                        .text = db_text_copy(a, st, "text"), .due_on = db_text_copy(a, st, "due_on"),
                                        .first = db_text_copy(a, st, "first_name"),
                                        .last = db_text_copy(a, st, "last_name")};
}
static void due_map_team(Arena *a, Stmt *st, void *p) {
  *(PlanDueAction *)p = (PlanDueAction){.tid = db_int(st, "tid"), .pid = db_int(st, "pid"),
                                        .coach_id = db_int(st, "coach_id"), .text = db_text_copy(a, st, "text"),
                                        .due_on = db_text_copy(a, st, "due_on")};
}

int plan_actions_open_due(Db *db, Arena *a, int64_t coach_id, const char *by, PlanDueAction **out, int *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = coach_id > 0
                 ? db_prepare(db, "SELECT t.id AS tid, t.participant_id AS pid, p.first_name, p.last_name, a.text, a.due_on "
                                  "FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id "
                                  "JOIN plan_actions a ON a.trajectory_id = t.id WHERE t.status = 'open' AND "
                                  PLAN_SQL_ACTION_OPEN("a") " AND a.due_on <= ?")
                 : db_prepare(db, "SELECT c.user_id AS coach_id, t.id AS tid, t.participant_id AS pid, a.text, a.due_on "
                                  "FROM plan_actions a JOIN trajectories t ON t.id = a.trajectory_id "
                                  "JOIN trajectory_coaches c ON c.trajectory_id = t.id WHERE t.status = 'open' AND "
                                  PLAN_SQL_ACTION_OPEN("a") " AND a.due_on <= ?");
  if (!st) return DB_ERROR;
  int i = 1;
  if (coach_id > 0) db_bind_int(st, i++, coach_id);
  db_bind_text(st, i, by);
  int rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, coach_id > 0 ? due_map_coach : due_map_team, n, &rc);
  for (int k = 0; coach_id > 0 && k < *n; k++) (*out)[k].coach_id = coach_id;
  return rc;
}
