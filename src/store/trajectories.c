/*
 * trajectories.c — see trajectories.h.
 */
#include "store/trajectories.h"

#include "policy/policy.h"

int trajectory_get(Db *db, Arena *a, int64_t id, Trajectory *t) {
  Stmt *st = db_prepare(db,
                        "SELECT t.id, t.participant_id, t.phase, t.status, t.phase_since, t.started_on, t.closed_on, "
                        "t.outcome, t.referred_by, t.reason, COALESCE(o.name, t.employer_name) AS employer, "
                        "t.absence_start, t.start_consent, t.last_activity_at, p.first_name, p.last_name, "
                        "p.birth_date, p.email, p.phone "
                        "FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                        "LEFT JOIN organisations o ON o.id = t.employer_org_id WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *t = (Trajectory){
        .id = db_int(st, "id"),
        .participant_id = db_int(st, "participant_id"),
        .last_activity_at = db_int(st, "last_activity_at"),
        .first_name = arena_strdup(a, db_text(st, "first_name")),
        .last_name = arena_strdup(a, db_text(st, "last_name")),
        .birth_date = arena_strdup(a, db_text(st, "birth_date")),
        .email = arena_strdup(a, db_text(st, "email")),
        .phone = arena_strdup(a, db_text(st, "phone")),
        .phase = arena_strdup(a, db_text(st, "phase")),
        .status = arena_strdup(a, db_text(st, "status")),
        .phase_since = arena_strdup(a, db_text(st, "phase_since")),
        .started_on = arena_strdup(a, db_text(st, "started_on")),
        .closed_on = arena_strdup(a, db_text(st, "closed_on")),
        .outcome = arena_strdup(a, db_text(st, "outcome")),
        .referred_by = arena_strdup(a, db_text(st, "referred_by")),
        .reason = arena_strdup(a, db_text(st, "reason")),
        .employer = arena_strdup(a, db_text(st, "employer")),
        .absence_start = arena_strdup(a, db_text(st, "absence_start")),
        .start_consent = arena_strdup(a, db_text(st, "start_consent")),
    };
  }
  db_done(st);
  return rc;
}

int trajectory_coach_names(Db *db, Arena *a, int64_t id, int max, const char ***names, int *n) {
  *n = 0;
  *names = arena_alloc(a, sizeof **names * (size_t)(max + 1));
  Stmt *st = db_prepare(db, "SELECT u.name FROM trajectory_coaches c JOIN users u ON u.id = c.user_id "
                            "WHERE c.trajectory_id = ? ORDER BY u.name, u.id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) (*names)[(*n)++] = arena_strdup(a, db_text(st, "name"));
  db_done(st);
  if (*n == max) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}

int trajectory_next_actions(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            NextAction **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
  Stmt *st = db_prepare(db, "SELECT g.version_item_id AS plan_item_id, x.text, x.due_on, x.status, x.owner_kind, "
                            "m.id AS member_id, m.removed_at AS member_removed, "
                            "CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.name END AS owner_name "
                            "FROM plan_actions x JOIN plan_goals g ON g.id = x.goal_id "
                            "JOIN items i ON i.id = g.version_item_id "
                            "LEFT JOIN network_members m ON m.id = x.owner_member_id "
                            "WHERE x.trajectory_id = ? AND x.is_current = 1 AND x.status IN ('planned', 'in_progress') "
                            "AND " POLICY_SQL_ITEM_VISIBLE " ORDER BY x.due_on, g.position, x.position LIMIT ?");
  if (!st) return DB_ERROR;
  int next = policy_bind_member_filter(st, 1, u);
  db_bind_int(st, next++, tid);
  next = policy_bind_item_filter(st, next, u, today);
  db_bind_int(st, next, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) {
    bool member = !db_null(st, "member_id");
    (*out)[(*n)++] = (NextAction){
        .plan_item_id = db_int(st, "plan_item_id"),
        .text = arena_strdup(a, db_text(st, "text")),
        .due_on = arena_strdup(a, db_text(st, "due_on")),
        .status = arena_strdup(a, db_text(st, "status")),
        .owner_kind = arena_strdup(a, db_text(st, "owner_kind")),
        .owner_name = arena_strdup(a, db_text(st, "owner_name")),
        .owner_hidden = member && db_null(st, "owner_name"),
        .owner_removed = member && !db_null(st, "owner_name") && !db_null(st, "member_removed"),
    };
  }
  db_done(st);
  if (*n == max) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}

int trajectory_open_referrals(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                              OpenReferral **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
  Stmt *st = db_prepare(db, "SELECT f.item_id, f.kind, f.target, f.status, f.status_changed_at FROM referrals f "
                            "JOIN items i ON i.id = f.item_id WHERE f.trajectory_id = ? "
                            "AND f.status IN ('proposed', 'sent', 'accepted') AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY f.created_at DESC, f.item_id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (OpenReferral){.id = db_int(st, "item_id"), .status_changed_at = db_int(st, "status_changed_at"),
                                    .kind = arena_strdup(a, db_text(st, "kind")),
                                    .target = arena_strdup(a, db_text(st, "target")),
                                    .status = arena_strdup(a, db_text(st, "status"))};
  db_done(st);
  if (*n == max) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}

int trajectory_latest_notes(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            NoteLine **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
  Stmt *st = db_prepare(db, "SELECT i.id, i.title, i.category, i.created_at FROM items i "
                            "WHERE i.trajectory_id = ? AND i.kind = 'note' AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY i.created_at DESC, i.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (NoteLine){.id = db_int(st, "id"), .created_at = db_int(st, "created_at"),
                                .title = arena_strdup(a, db_text(st, "title")),
                                .category = arena_strdup(a, db_text(st, "category"))};
  db_done(st);
  if (*n == max) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}

int trajectory_plan_state(Db *db, const User *u, int64_t tid, const char *today, PlanState *s) {
  *s = (PlanState){0};
  Stmt *st = db_prepare(db, "SELECT v.item_id, v.version, v.confirmed_by_participant_at, v.confirmed_by_coach_at "
                            "FROM plan_versions v JOIN items i ON i.id = v.item_id WHERE v.trajectory_id = ? AND "
                            POLICY_SQL_ITEM_VISIBLE " ORDER BY v.version DESC LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  policy_bind_item_filter(st, 2, u, today);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *s = (PlanState){.item_id = db_int(st, "item_id"), .version = db_int(st, "version"),
                     .participant_at = db_null(st, "confirmed_by_participant_at") ? 0 : db_int(st, "confirmed_by_participant_at"),
                     .coach_at = db_null(st, "confirmed_by_coach_at") ? 0 : db_int(st, "confirmed_by_coach_at")};
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}
