/*
 * network.c — see network.h.
 */
#include "store/network.h"

#include <limits.h>
#include <string.h>

#include "db/rows.h"
#include "store/visibility.h"

/* The columns of a member row (alias m, its account u), with `visible` given as literal SQL. */
#define MEMBER_SELECT(visible)                                                                              \
  "SELECT m.id, m.trajectory_id, m.user_id, m.side, m.role, m.name, m.organisation, m.email, m.phone, "      \
  "m.removed_at, m.shares_side, CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, "                     \
  "CASE WHEN EXISTS (SELECT 1 FROM membership_requests q WHERE q.member_id = m.id AND q.decided_at IS NULL) " \
  "THEN 1 ELSE 0 END AS requested, " visible " AS visible "                                                 \
  "FROM network_members m LEFT JOIN users u ON u.id = m.user_id "

/* Maps the current row of st; the texts of a member the reader may not see are left out. */
static NetworkMember member_row(Arena *a, Stmt *st) {
  bool visible = db_int(st, "visible") != 0;
  return (NetworkMember){
      .id = db_int(st, "id"),
      .trajectory_id = db_int(st, "trajectory_id"),
      .user_id = db_null(st, "user_id") ? 0 : db_int(st, "user_id"),
      .side = arena_strdup(a, db_text(st, "side")),
      .role = arena_strdup(a, db_text(st, "role")),
      .name = visible ? arena_strdup(a, db_text(st, "name")) : NULL,
      .organisation = visible ? arena_strdup(a, db_text(st, "organisation")) : NULL,
      .email = visible ? arena_strdup(a, db_text(st, "email")) : NULL,
      .phone = visible ? arena_strdup(a, db_text(st, "phone")) : NULL,
      .removed = !db_null(st, "removed_at"),
      .visible = visible,
      .has_password = db_int(st, "has_password") != 0,
      .requested = db_int(st, "requested") != 0,
      .shares_side = db_int(st, "shares_side") != 0,
  };
}

/* Maps a row of MEMBER_SELECT into the NetworkMember at p. */
static void member_map(Arena *a, Stmt *st, void *p) { *(NetworkMember *)p = member_row(a, st); }

/* Steps st to the end (or max rows) into an arena array (db_rows). Returns a DB code. */
static int members_collect(Arena *a, Stmt *st, size_t max, NetworkMember **out, size_t *n) {
  int got, rc;
  *out = db_rows(a, st, sizeof **out, max > INT_MAX ? DB_ROWS_ALL : (int)max, member_map, &got, &rc);
  *n = (size_t)got;
  return rc;
}

int network_members_visible(Db *db, Arena *a, const User *u, int64_t tid, NetworkMember **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, MEMBER_SELECT("1") "WHERE m.trajectory_id = ? AND m.removed_at IS NULL AND "
                            POLICY_SQL_MEMBER_VISIBLE("m") " ORDER BY m.side, m.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  policy_bind_member_filter(st, 2, u);
  return members_collect(a, st, SIZE_MAX, out, n);
}

int network_members_roster(Db *db, Arena *a, const User *u, int64_t tid, size_t max, NetworkMember **out,
                           size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, MEMBER_SELECT("CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN 1 ELSE 0 END")
                        "WHERE m.trajectory_id = ? ORDER BY m.side, m.name");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_member_filter(st, 1, u), tid);
  return members_collect(a, st, max, out, n);
}

int network_member_live(Db *db, Arena *a, int64_t tid, int64_t mid, NetworkMember *out) {
  Stmt *st = db_prepare(db, MEMBER_SELECT("1") "WHERE m.id = ? AND m.trajectory_id = ? AND m.removed_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = member_row(a, st);
  db_done(st);
  return rc;
}

int network_member_of_user(Db *db, Arena *a, int64_t tid, int64_t user_id, int64_t *mid, const char **side,
                           bool *shares) {
  *mid = 0;
  *side = "";
  if (shares) *shares = false;
  Stmt *st = db_prepare(db, "SELECT id, side, shares_side FROM network_members WHERE trajectory_id = ? AND user_id = ? "
                            "AND removed_at IS NULL ORDER BY id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, user_id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *mid = db_int(st, "id");
    *side = arena_strdup(a, db_text(st, "side"));
    if (shares) *shares = db_int(st, "shares_side") != 0;
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int network_member_add(Db *db, const NetworkMemberNew *m, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO network_members (trajectory_id, side, role, name, organisation, email, "
                            "phone, user_id, created_by, created_at, shares_side) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            "RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, m->trajectory_id);
  db_bind_text(st, 2, m->side);
  db_bind_text(st, 3, m->role);
  db_bind_text(st, 4, m->name);
  db_bind_text(st, 5, m->organisation);
  db_bind_text(st, 6, m->email);
  db_bind_text(st, 7, m->phone);
  if (m->user_id) db_bind_int(st, 8, m->user_id); else db_bind_null(st, 8);
  db_bind_int(st, 9, m->created_by);
  db_bind_int(st, 10, m->created_at);
  db_bind_int(st, 11, m->named_only ? 0 : 1);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int network_member_remove(Db *db, int64_t tid, int64_t mid, int64_t at, bool *removed) {
  *removed = false;
  Stmt *st = db_prepare(db, "UPDATE network_members SET removed_at = ? WHERE id = ? AND trajectory_id = ? "
                            "AND removed_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, at);
  db_bind_int(st, 2, mid);
  db_bind_int(st, 3, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  *removed = db_changes(db) == 1;
  return DB_OK;
}
