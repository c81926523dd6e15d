/*
 * membership.c — see membership.h.
 */
#include "store/membership.h"

#include <stdio.h>
#include <string.h>

#include "auth/user.h"
#include "db/rows.h"

/* The side an organisation kind belongs to, or NULL (a coaching organisation is neither). */
static const char *org_side(const char *kind) {
  if (!kind) return NULL;
  if (strcmp(kind, "employer") == 0 || strcmp(kind, "agency") == 0) return "work";
  if (strcmp(kind, "care") == 0) return "care";
  return NULL;
}

/* Whether an account with own side `own` (NULL: none) and organisation kind `kind` may be on `side`. */
static bool side_allows(const char *own, const char *kind, const char *side) {
  const char *os = org_side(kind);
  return (!own || strcmp(own, side) == 0) && (!os || strcmp(os, side) == 0);
}

int membership_account_fit(Db *db, const char *email, const char *side, int64_t *user_id, AccountFit *fit) {
  *user_id = 0;
  *fit = FIT_NO_ACCOUNT;
  Stmt *st = db_prepare(db, "SELECT u.id, u.roles, u.active, u.side, o.kind FROM users u "
                            "LEFT JOIN organisations o ON o.id = u.org_id WHERE u.email = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, email);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *user_id = db_int(st, "id");
    bool partner = ((unsigned)db_int(st, "roles") & ROLE_PARTNER) != 0, active = db_int(st, "active") != 0;
    if (!partner || !active) *fit = FIT_REFUSED;
    else *fit = side_allows(db_text(st, "side"), db_text(st, "kind"), side) ? FIT_OK : FIT_OTHER_SIDE;
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int membership_claim_side(Db *db, int64_t user_id, const char *side, bool *ok) {
  *ok = false;
  Stmt *st = db_prepare(db, "SELECT u.side, o.kind FROM users u LEFT JOIN organisations o ON o.id = u.org_id "
                            "WHERE u.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int rc = db_step(st);
  bool unsided = false;
  if (rc == DB_ROW) {
    *ok = side_allows(db_text(st, "side"), db_text(st, "kind"), side);
    unsided = db_null(st, "side") && !org_side(db_text(st, "kind"));
  }
  db_done(st);
  if (rc != DB_ROW && rc != DB_DONE) return rc;
  if (!*ok || !unsided) return DB_OK;
  st = db_prepare(db, "UPDATE users SET side = ? WHERE id = ? AND side IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, side);
  db_bind_int(st, 2, user_id);
  return db_run(st);
}

int membership_request_add(Db *db, int64_t member_id, int64_t user_id, int64_t requested_by, int64_t now,
                           bool *created) {
  *created = false;
  bool open;
  int rc = membership_request_open_for(db, member_id, &open);
  if (rc != DB_OK || open) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO membership_requests (member_id, user_id, requested_by, created_at) "
                            "VALUES (?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, member_id);
  db_bind_int(st, 2, user_id);
  if (requested_by) db_bind_int(st, 3, requested_by); else db_bind_null(st, 3);
  db_bind_int(st, 4, now);
  rc = db_run(st);
  *created = rc == DB_OK;
  return rc;
}

int membership_request_open_for(Db *db, int64_t member_id, bool *open) {
  *open = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS one FROM membership_requests WHERE member_id = ? AND decided_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, member_id);
  int rc = db_step(st);
  *open = rc == DB_ROW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The open requests to a user; the second parameter narrows to one request id (0: all). */
#define OPEN_REQUESTS_SQL                                                                                        \
  "SELECT q.id, q.member_id, q.created_at, m.trajectory_id, m.side, m.role, m.name AS member_name, "             \
  "m.organisation, t.participant_id, p.first_name, p.last_name, ru.name AS requested_by "                        \
  "FROM membership_requests q JOIN network_members m ON m.id = q.member_id "                                     \
  "JOIN trajectories t ON t.id = m.trajectory_id JOIN participants p ON p.id = t.participant_id "                \
  "LEFT JOIN users ru ON ru.id = q.requested_by "                                                                \
  "WHERE q.user_id = ? AND (? = 0 OR q.id = ?) AND q.decided_at IS NULL AND m.removed_at IS NULL "               \
  "AND m.user_id IS NULL ORDER BY q.id"

static MembershipRequest request_row(Arena *a, Stmt *st) {
  return (MembershipRequest){
      .id = db_int(st, "id"),
      .member_id = db_int(st, "member_id"),
      .trajectory_id = db_int(st, "trajectory_id"),
      .participant_id = db_int(st, "participant_id"),
      .created_at = db_int(st, "created_at"),
      .side = arena_strdup(a, db_text(st, "side")),
      .role = arena_strdup(a, db_text(st, "role")),
      .member_name = arena_strdup(a, db_text(st, "member_name")),
      .organisation = arena_strdup(a, db_text(st, "organisation")),
      .participant = arena_printf(a, "%s %s", db_text(st, "first_name"), db_text(st, "last_name")),
      .requested_by = arena_strdup(a, db_text(st, "requested_by")),
  };
}

/* Maps a row of OPEN_REQUESTS_SQL into the MembershipRequest at p. */
static void request_map(Arena *a, Stmt *st, void *p) { *(MembershipRequest *)p = request_row(a, st); }

int membership_requests_open(Db *db, Arena *a, int64_t user_id, MembershipRequest **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, OPEN_REQUESTS_SQL);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, 0);
  db_bind_int(st, 3, 0);
  int got, rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, request_map, &got, &rc);
  *n = (size_t)got;
  return rc;
}

int membership_requests_count(Db *db, int64_t user_id, int64_t *n) {
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM membership_requests q "
                            "JOIN network_members m ON m.id = q.member_id "
                            "WHERE q.user_id = ? AND q.decided_at IS NULL AND m.removed_at IS NULL "
                            "AND m.user_id IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *n = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int membership_request_decide(Db *db, Arena *a, int64_t user_id, int64_t id, const char *decision, int64_t now,
                              MembershipRequest *req, const char **why) {
  *why = NULL;
  Stmt *st = db_prepare(db, OPEN_REQUESTS_SQL);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *req = request_row(a, st);
  db_done(st);
  if (rc != DB_ROW) return rc;
  if (strcmp(decision, "accepted") == 0) {
    bool ok;
    if ((rc = membership_claim_side(db, user_id, req->side, &ok)) != DB_OK) return rc;
    if (!ok) {
      *why = "side";
      return DB_CONSTRAINT;
    }
    st = db_prepare(db, "UPDATE network_members SET user_id = ? WHERE id = ? AND user_id IS NULL AND removed_at IS NULL");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, user_id);
    db_bind_int(st, 2, req->member_id);
    rc = db_run(st);
    if (rc == DB_CONSTRAINT) *why = "member";
    if (rc != DB_OK) return rc;
    if (db_changes(db) != 1) return DB_DONE;
  }
  st = db_prepare(db, "UPDATE membership_requests SET decided_at = ?, decision = ? WHERE id = ? AND decided_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_text(st, 2, decision);
  db_bind_int(st, 3, id);
  if ((rc = db_run(st)) != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int membership_account_create(Db *db, int64_t member_id, const char *email, const char *name, const char *side,
                              const char *function, int64_t now, int64_t *uid) {
  *uid = 0;
  Stmt *st = db_prepare(db, "INSERT INTO users (email, name, roles, side, function, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, email);
  db_bind_text(st, 2, name);
  db_bind_int(st, 3, ROLE_PARTNER);
  db_bind_text(st, 4, side);
  db_bind_text(st, 5, function);
  db_bind_int(st, 6, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *uid = db_int(st, "id");
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  st = db_prepare(db, "UPDATE network_members SET user_id = ? WHERE id = ? AND user_id IS NULL AND removed_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *uid);
  db_bind_int(st, 2, member_id);
  if ((rc = db_run(st)) != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}
