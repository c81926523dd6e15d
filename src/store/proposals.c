/*
 * proposals.c — see proposals.h.
 */
#include "store/proposals.h"

#include "store/notices.h"
#include "store/visibility.h"

#define PROPOSAL_COLUMNS                                                                                      \
  "SELECT pr.id, pr.trajectory_id, t.participant_id, pr.opening_id, pr.employer_org_id, pr.member_id, "        \
  "pr.consent_work_id, pr.consent_capacity_id, pr.created_by, pr.created_at, pr.status_changed_at, pr.status, " \
  "pr.note, pr.employer_reply, o.title AS opening_title, g.name AS employer_name, pp.first_name, pp.last_name, " \
  "o.hours_min, o.hours_max, o.region, o.work_kind FROM proposals pr JOIN trajectories t ON t.id = pr.trajectory_id " \
  "JOIN participants pp ON pp.id = t.participant_id JOIN openings o ON o.id = pr.opening_id "                  \
  "JOIN organisations g ON g.id = pr.employer_org_id "

static int64_t int0(Stmt *st, const char *col) { return db_null(st, col) ? 0 : db_int(st, col); }

static Proposal from_row(Arena *a, Stmt *st) {
  int64_t hmin = int0(st, "hours_min");
  return (Proposal){.id = db_int(st, "id"), .trajectory_id = db_int(st, "trajectory_id"),
                    .participant_id = db_int(st, "participant_id"), .opening_id = db_int(st, "opening_id"),
                    .employer_org_id = db_int(st, "employer_org_id"), .member_id = int0(st, "member_id"),
                    .consent_work_id = int0(st, "consent_work_id"),
                    .consent_capacity_id = int0(st, "consent_capacity_id"), .created_by = db_int(st, "created_by"),
                    .created_at = db_int(st, "created_at"), .status_changed_at = db_int(st, "status_changed_at"),
                    .status = db_text_copy(a, st, "status"), .note = db_text_copy(a, st, "note"),
                    .employer_reply = db_text_copy(a, st, "employer_reply"),
                    .opening_title = db_text_copy(a, st, "opening_title"),
                    .employer_name = db_text_copy(a, st, "employer_name"),
                    .first_name = db_text_copy(a, st, "first_name"), .last_name = db_text_copy(a, st, "last_name"),
                    .hours_min = hmin > 0 ? (int)hmin : -1, .hours_max = (int)db_int(st, "hours_max"),
                    .region = db_text_copy(a, st, "region"), .work_kind = db_text_copy(a, st, "work_kind")};
}

static int rows(Stmt *st, Arena *a, int max, Proposal **out, int *n) {
  int rc;
  while (*n < max && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = from_row(a, st);
  if (*n >= max) rc = DB_DONE;
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int proposals_of_trajectory(Db *db, Arena *a, int64_t tid, int max, Proposal **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
  Stmt *st = db_prepare(db, PROPOSAL_COLUMNS "WHERE pr.trajectory_id = ? ORDER BY pr.created_at DESC, pr.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, max);
  return rows(st, a, max, out, n);
}

int proposal_get(Db *db, Arena *a, int64_t id, Proposal *out) {
  Stmt *st = db_prepare(db, PROPOSAL_COLUMNS "WHERE pr.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = from_row(a, st);
  db_done(st);
  return rc;
}

int proposals_for_employer(Db *db, Arena *a, const User *u, int64_t org, const char *today, int max, Proposal **out,
                           int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
  Stmt *st = db_prepare(db, PROPOSAL_COLUMNS "WHERE pr.employer_org_id = ? AND pr.status IN ('sent', 'accepted', "
                            "'declined_by_employer') AND EXISTS (SELECT 1 FROM job_profiles jp JOIN items i "
                            "ON i.id = jp.work_item_id OR i.id = jp.capacity_item_id WHERE jp.trajectory_id = "
                            "pr.trajectory_id AND " POLICY_SQL_ITEM_VISIBLE ") "
                            "ORDER BY pr.status_changed_at DESC, pr.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, org);
  int next = policy_bind_item_filter(st, 2, u, today);
  db_bind_int(st, next, max);
  return rows(st, a, max, out, n);
}

int proposal_create(Db *db, const ProposalNew *n, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO proposals (trajectory_id, opening_id, employer_org_id, status, note, "
                            "created_by, created_at, status_changed_by, status_changed_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, n->trajectory_id);
  db_bind_int(st, 2, n->opening_id);
  db_bind_int(st, 3, n->employer_org_id);
  db_bind_text(st, 4, n->draft ? "draft" : "awaiting_participant");
  db_bind_text(st, 5, n->note ? n->note : "");
  db_bind_int(st, 6, n->created_by);
  db_bind_int(st, 7, n->created_at);
  db_bind_int(st, 8, n->created_by);
  db_bind_int(st, 9, n->created_at);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int proposal_move(Db *db, int64_t id, const char *from, const char *to, int64_t by, int64_t now, const char *reply) {
  Stmt *st = db_prepare(db, "UPDATE proposals SET status = ?, status_changed_by = ?, status_changed_at = ?, "
                            "employer_reply = COALESCE(?, employer_reply) WHERE id = ? AND status = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, to);
  db_bind_int(st, 2, by);
  db_bind_int(st, 3, now);
  db_bind_text(st, 4, reply);
  db_bind_int(st, 5, id);
  db_bind_text(st, 6, from);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int proposal_set_consents(Db *db, int64_t id, int64_t member_id, int64_t consent_work, int64_t consent_capacity) {
  Stmt *st = db_prepare(db, "UPDATE proposals SET member_id = ?, consent_work_id = ?, consent_capacity_id = ? "
                            "WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, member_id);
  db_bind_int(st, 2, consent_work);
  db_bind_int(st, 3, consent_capacity);
  db_bind_int(st, 4, id);
  return db_run(st);
}

int proposal_employer_contact(Db *db, int64_t org, int64_t *user_id) {
  *user_id = 0;
  Stmt *st = db_prepare(db, "SELECT u.id FROM users u WHERE u.org_id = ? AND u.active = 1 AND (u.roles & 16) <> 0 "
                            "ORDER BY CASE WHEN u.id = (SELECT ep.contact_user_id FROM employer_profiles ep "
                            "WHERE ep.org_id = ?) THEN 0 ELSE 1 END, u.id LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, org);
  db_bind_int(st, 2, org);
  int rc = db_step(st);
  if (rc == DB_ROW) *user_id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* ---- notices  */

int proposal_audience(Db *db, Arena *a, int64_t id, unsigned who, int64_t except_user, int max, int64_t **uids,
                      unsigned **roles, int *n) {
  *n = 0;
  *uids = arena_alloc(a, sizeof **uids * (size_t)(max > 0 ? max : 1));
  *roles = arena_alloc(a, sizeof **roles * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db,
                        "SELECT DISTINCT x.uid, x.role FROM ("
                        "SELECT p.user_id AS uid, 1 AS role FROM proposals pr JOIN trajectories t ON t.id = pr.trajectory_id "
                        "JOIN participants p ON p.id = t.participant_id WHERE pr.id = ? AND p.user_id IS NOT NULL AND ? <> 0 "
                        "UNION SELECT tc.user_id AS uid, 2 AS role FROM proposals pr JOIN trajectory_coaches tc "
                        "ON tc.trajectory_id = pr.trajectory_id WHERE pr.id = ? AND ? <> 0 "
                        "UNION SELECT m.user_id AS uid, 4 AS role FROM proposals pr JOIN network_members m ON m.id = pr.member_id "
                        "WHERE pr.id = ? AND m.user_id IS NOT NULL AND m.removed_at IS NULL AND ? <> 0) x "
                        "JOIN users u ON u.id = x.uid WHERE u.active = 1 AND x.uid <> ? ORDER BY x.role, x.uid LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, (who & PA_PARTICIPANT) != 0);
  db_bind_int(st, 3, id);
  db_bind_int(st, 4, (who & PA_COACHES) != 0);
  db_bind_int(st, 5, id);
  db_bind_int(st, 6, (who & PA_EMPLOYER) != 0);
  db_bind_int(st, 7, except_user);
  db_bind_int(st, 8, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) {
    int64_t u = db_int(st, "uid");
    bool seen = false;
    for (int i = 0; i < *n && !seen; i++) seen = (*uids)[i] == u;
    if (seen) continue; /* one notice each, by the first role that chose them */
    (*roles)[*n] = (unsigned)db_int(st, "role");
    (*uids)[(*n)++] = u;
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int proposals_awaiting_count(Db *db, int64_t tid, int64_t *n) {
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM proposals WHERE trajectory_id = ? AND status = 'awaiting_participant'");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *n = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int proposal_notice_add(Db *db, int64_t user_id, int64_t tid, int64_t proposal_id, const char *event, int64_t at) {
  return notice_event_add(db, NOTICES_PROPOSAL, user_id, tid, proposal_id, event, at);
}

int proposal_notices_open(Db *db, Arena *a, int64_t user_id, int max, ProposalNotice **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT id, trajectory_id, proposal_id, event, at FROM proposal_notices "
                            "WHERE user_id = ? AND dismissed_at IS NULL ORDER BY at DESC, id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (ProposalNotice){.id = db_int(st, "id"), .trajectory_id = db_int(st, "trajectory_id"),
                                      .proposal_id = db_int(st, "proposal_id"), .at = db_int(st, "at"),
                                      .event = db_text_copy(a, st, "event")};
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int proposal_notice_dismiss(Db *db, int64_t user_id, int64_t id, int64_t now) {
  return notice_row_dismiss(db, NOTICES_PROPOSAL, user_id, id, now);
}

int proposal_notices_close(Db *db, int64_t proposal_id, const char *event, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE proposal_notices SET dismissed_at = ? WHERE proposal_id = ? AND event = ? "
                            "AND dismissed_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, proposal_id);
  db_bind_text(st, 3, event);
  return db_run(st);
}
