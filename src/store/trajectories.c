/*
 * trajectories.c — see trajectories.h.
 */
#include "store/trajectories.h"

#include <string.h>

#include "db/rows.h"
#include "i18n/programme.h"
#include "store/protocol.h"
#include "store/visibility.h"

int trajectory_get(Db *db, Arena *a, int64_t id, Trajectory *t) {
  Stmt *st = db_prepare(db,
                        "SELECT t.id, t.participant_id, t.phase, t.status, t.phase_since, t.started_on, t.closed_on, "
                        "t.outcome, t.referred_by, t.reason, COALESCE(o.name, t.employer_name) AS employer, "
                        "t.absence_start, t.start_consent, t.last_activity_at, p.first_name, p.last_name, "
                        "p.birth_date, p.email, p.phone, t.programme "
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
        .programme = arena_strdup(a, db_text(st, "programme")),
        .absence_start = arena_strdup(a, db_text(st, "absence_start")),
        .start_consent = arena_strdup(a, db_text(st, "start_consent")),
    };
  }
  db_done(st);
  return rc;
}

int trajectory_is_closed(Db *db, int64_t id, bool *closed) {
  *closed = false;
  Stmt *st = db_prepare(db, "SELECT status FROM trajectories WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *closed = strcmp(db_text(st, "status"), "open") != 0;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int trajectory_programme(Db *db, int64_t id, const char **code) {
  *code = NULL;
  Stmt *st = db_prepare(db, "SELECT programme FROM trajectories WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW && db_text(st, "programme"))
    *code = strcmp(db_text(st, "programme"), PROGRAMME_WABZ) == 0 ? PROGRAMME_WABZ : PROGRAMME_ZW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int trajectory_touch(Db *db, int64_t id, int64_t at) {
  Stmt *st = db_prepare(db, "UPDATE trajectories SET last_activity_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, at);
  db_bind_int(st, 2, id);
  return db_run(st);
}

/* Maps a row's name into the const char * at p. */
static void name_map(Arena *a, Stmt *st, void *p) { *(const char **)p = db_text_copy(a, st, "name"); }

int trajectory_coach_names(Db *db, Arena *a, int64_t id, int max, const char ***names, int *n) {
  *n = 0;
  *names = NULL;
  Stmt *st = db_prepare(db, "SELECT u.name FROM trajectory_coaches c JOIN users u ON u.id = c.user_id "
                            "WHERE c.trajectory_id = ? ORDER BY u.name, u.id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, max);
  int rc;
  *names = db_rows(a, st, sizeof **names, max, name_map, n, &rc);
  return rc;
}

/* Maps a row of trajectory_next_actions' query into the NextAction at p. */
static void next_action_map(Arena *a, Stmt *st, void *p) {
  bool member = !db_null(st, "member_id");
  *(NextAction *)p = (NextAction){
      .plan_item_id = db_int(st, "plan_item_id"),
      .text = db_text_copy(a, st, "text"),
      .due_on = db_text_copy(a, st, "due_on"),
      .status = db_text_copy(a, st, "status"),
      .owner_kind = db_text_copy(a, st, "owner_kind"),
      .owner_name = db_text_copy(a, st, "owner_name"),
      .owner_hidden = member && db_null(st, "owner_name"),
      .owner_removed = member && !db_null(st, "owner_name") && !db_null(st, "member_removed"),
  };
}

int trajectory_next_actions(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            NextAction **out, int *n) {
  *n = 0;
  *out = NULL;
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
  int rc;
  *out = db_rows(a, st, sizeof **out, max, next_action_map, n, &rc);
  return rc;
}

/* Maps a row of trajectory_open_referrals' query into the OpenReferral at p. */
static void open_referral_map(Arena *a, Stmt *st, void *p) {
  *(OpenReferral *)p = (OpenReferral){.id = db_int(st, "item_id"), .status_changed_at = db_int(st, "status_changed_at"),
                                      .kind = db_text_copy(a, st, "kind"), .target = db_text_copy(a, st, "target"),
                                      .status = db_text_copy(a, st, "status")};
}

int trajectory_open_referrals(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                              OpenReferral **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT f.item_id, f.kind, f.target, f.status, f.status_changed_at FROM referrals f "
                            "JOIN items i ON i.id = f.item_id WHERE f.trajectory_id = ? "
                            "AND f.status IN ('proposed', 'sent', 'accepted') AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY f.created_at DESC, f.item_id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, open_referral_map, n, &rc);
  return rc;
}

/* Maps a row of a note-lines query into the NoteLine at p. */
static void note_line_map(Arena *a, Stmt *st, void *p) {
  *(NoteLine *)p = (NoteLine){.id = db_int(st, "id"), .created_at = db_int(st, "created_at"),
                              .title = db_text_copy(a, st, "title"), .category = db_text_copy(a, st, "category")};
}

int trajectory_latest_notes(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            NoteLine **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT i.id, i.title, i.category, i.created_at FROM items i "
                            "WHERE i.trajectory_id = ? AND i.kind = 'note' AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY i.created_at DESC, i.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, note_line_map, n, &rc);
  return rc;
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

/* ---- registration ---- */

/* Steps an INSERT ... RETURNING id and reads the id. Returns a DB code (DB_OK on success). */
static int insert_returning(Stmt *st, int64_t *id) {
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int registration_create(Db *db, const RegistrationNew *n, int64_t *pid, int64_t *tid) {
  *pid = *tid = 0;
  Stmt *st = db_prepare(db, "INSERT INTO participants (user_id, first_name, last_name, birth_date, email, phone, "
                            "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  if (n->user_id) db_bind_int(st, 1, n->user_id); else db_bind_null(st, 1);
  db_bind_text(st, 2, n->first_name);
  db_bind_text(st, 3, n->last_name);
  db_bind_text(st, 4, n->birth_date);
  db_bind_text(st, 5, n->email);
  db_bind_text(st, 6, n->phone);
  db_bind_int(st, 7, n->coach_id);
  db_bind_int(st, 8, n->created_at);
  int rc = insert_returning(st, pid);
  if (rc != DB_OK) return rc;
  st = db_prepare(db, "INSERT INTO trajectories (participant_id, phase, status, referred_by, reason, "
                      "employer_org_id, employer_name, absence_start, start_consent, started_on, phase_since, "
                      "last_activity_at, created_by, created_at, programme, protocol_template_id) "
                      "VALUES (?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(?, (SELECT programme FROM "
                      "protocol_templates WHERE is_default = 1), 'zorg_en_werk'), ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *pid);
  db_bind_text(st, 2, n->phase ? n->phase : "registration");
  db_bind_text(st, 3, n->referred_by);
  db_bind_text(st, 4, n->reason);
  if (n->employer_org_id) db_bind_int(st, 5, n->employer_org_id); else db_bind_null(st, 5);
  db_bind_text(st, 6, n->employer_name);
  db_bind_text(st, 7, n->absence_start);
  db_bind_text(st, 8, n->start_consent);
  db_bind_text(st, 9, n->started_on);
  db_bind_text(st, 10, n->phase_since);
  db_bind_int(st, 11, n->last_activity_at);
  db_bind_int(st, 12, n->coach_id);
  db_bind_int(st, 13, n->created_at);
  db_bind_text(st, 14, n->programme);
  if (n->template_id) db_bind_int(st, 15, n->template_id); else db_bind_null(st, 15);
  if ((rc = insert_returning(st, tid)) != DB_OK) return rc;
  if ((rc = protocol_on_insert(db, *tid)) != DB_OK) return rc; /* its protocol starts */
  st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *tid);
  db_bind_int(st, 2, n->coach_id);
  return db_run(st);
}

/* Maps a row (id, name) into the RegistrationEmployer at p. */
static void employer_map(Arena *a, Stmt *st, void *p) {
  *(RegistrationEmployer *)p = (RegistrationEmployer){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name")};
}

int registration_employers(Db *db, Arena *a, RegistrationEmployer **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT id, name FROM organisations WHERE kind = 'employer' AND active = 1 ORDER BY name");
  if (!st) return DB_ERROR;
  int got, rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, employer_map, &got, &rc);
  *n = (size_t)got;
  return rc;
}

/* ---- (issue 11): the start pages of the participant (/me) and the partner (/shared) */

int trajectory_own_notes(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, NoteLine **out,
                         int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT i.id, i.title, i.category, i.created_at FROM items i "
                            "WHERE i.trajectory_id = ? AND i.kind = 'note' AND i.author_id = ? "
                            "AND i.source_member_id IS NULL AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY i.created_at DESC, i.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, u->id);
  db_bind_int(st, policy_bind_item_filter(st, 3, u, today), max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, note_line_map, n, &rc);
  return rc;
}

/* Maps a row of trajectories_shared_with' query into the SharedTrajectory at p. */
static void shared_map(Arena *a, Stmt *st, void *p) {
  *(SharedTrajectory *)p = (SharedTrajectory){.id = db_int(st, "id"), .participant_id = db_int(st, "participant_id"),
                                              .visible = db_int(st, "visible"),
                                              .first_name = db_text_copy(a, st, "first_name"),
                                              .last_name = db_text_copy(a, st, "last_name"),
                                              .phase = db_text_copy(a, st, "phase")};
}

int trajectories_shared_with(Db *db, Arena *a, const User *u, const char *today, SharedTrajectory **out, int *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT t.id, t.participant_id, p.first_name, p.last_name, t.phase, "
                            " (SELECT COUNT(*) FROM items i WHERE i.trajectory_id = t.id AND " POLICY_SQL_ITEM_VISIBLE
                            ") AS visible "
                            "FROM network_members m JOIN trajectories t ON t.id = m.trajectory_id "
                            "JOIN participants p ON p.id = t.participant_id "
                            "WHERE m.user_id = ? AND m.removed_at IS NULL AND t.status = 'open' "
                            "ORDER BY p.last_name, p.first_name");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_item_filter(st, 1, u, today), u->id);
  int rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, shared_map, n, &rc);
  return rc;
}
