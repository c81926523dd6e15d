/*
 * referrals.c — see referrals.h.
 */
#include "store/referrals.h"

#include <string.h>

#include "db/rows.h"
#include "store/items.h"
#include "store/visibility.h"

/* Maps a row of referrals_visible' query into the Referral at p. */
static void referral_map(Arena *a, Stmt *st, void *p) {
  *(Referral *)p = (Referral){.id = db_int(st, "id"), .created_at = db_int(st, "created_at"),
                              .status_changed_at = db_int(st, "status_changed_at"),
                              .kind = db_text_copy(a, st, "kind"), .target = db_text_copy(a, st, "target"),
                              .reason = db_text_copy(a, st, "reason"), .status = db_text_copy(a, st, "status"),
                              .outcome = db_text_copy(a, st, "outcome"),
                              .failure_reason = db_text_copy(a, st, "failure_reason")};
}

int referrals_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, Referral **out,
                      int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT f.item_id AS id, f.kind, f.target, f.reason, f.status, f.outcome, f.failure_reason, "
                            "f.created_at, f.status_changed_at FROM referrals f JOIN items i ON i.id = f.item_id "
                            "WHERE f.trajectory_id = ? AND " POLICY_SQL_ITEM_VISIBLE " ORDER BY f.created_at DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int next = policy_bind_item_filter(st, 2, u, today);
  db_bind_int(st, next, max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, referral_map, n, &rc);
  return rc;
}

int referral_create(Db *db, const ReferralNew *n, int64_t *id) {
  int rc = item_create(db, &(ItemNew){.trajectory_id = n->trajectory_id, .kind = "referral",
                                      .category = strcmp(n->kind, "specialised_care") == 0 ? "health" : "work",
                                      .author_id = n->author_id, .title = n->target, .body = n->reason,
                                      .created_at = n->created_at},
                       id);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO referrals (item_id, trajectory_id, kind, target, reason, status, "
                            "status_changed_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, 'proposed', ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *id);
  db_bind_int(st, 2, n->trajectory_id);
  db_bind_text(st, 3, n->kind);
  db_bind_text(st, 4, n->target);
  db_bind_text(st, 5, n->reason);
  db_bind_int(st, 6, n->created_at);
  db_bind_int(st, 7, n->author_id);
  db_bind_int(st, 8, n->created_at);
  return db_run(st);
}

int referral_status(Db *db, Arena *a, int64_t tid, int64_t rid, const char **status) {
  *status = NULL;
  Stmt *st = db_prepare(db, "SELECT status FROM referrals WHERE item_id = ? AND trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, rid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *status = db_text_copy(a, st, "status");
  db_done(st);
  return rc;
}

int referral_move(Db *db, int64_t rid, const char *from, const char *to, const char *note, int64_t now) {
  Stmt *up = db_prepare(db, "UPDATE referrals SET status = ?, status_changed_at = ?, "
                            "outcome = CASE WHEN ? = 'completed' THEN ? ELSE outcome END, "
                            "failure_reason = CASE WHEN ? = 'declined' THEN ? ELSE failure_reason END "
                            "WHERE item_id = ? AND status = ?");
  if (!up) return DB_ERROR;
  db_bind_text(up, 1, to);
  db_bind_int(up, 2, now);
  db_bind_text(up, 3, to);
  db_bind_text(up, 4, note);
  db_bind_text(up, 5, to);
  db_bind_text(up, 6, note);
  db_bind_int(up, 7, rid);
  db_bind_text(up, 8, from);
  int rc = db_run(up);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}
