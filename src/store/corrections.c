/*
 * corrections.c — see corrections.h.
 */
#include "store/corrections.h"

#include <string.h>

#include "store/visibility.h"

/* The one mapping of a correction_requests row (with the columns the queries below select). */
static Correction map_row(Stmt *st, Arena *a) {
  return (Correction){
      .id = db_int(st, "id"),
      .trajectory_id = db_int(st, "trajectory_id"),
      .participant_id = db_int(st, "participant_id"),
      .item_id = db_null(st, "item_id") ? 0 : db_int(st, "item_id"),
      .created_at = db_int(st, "created_at"),
      .handled_at = db_null(st, "handled_at") ? 0 : db_int(st, "handled_at"),
      .request = db_text_copy(a, st, "request"),
      .answer = db_text_copy(a, st, "answer"),
      .handled_by = db_text_copy(a, st, "handled_by"),
      .item_title = db_text_copy(a, st, "item_title"),
      .first_name = db_text_copy(a, st, "first_name"),
      .last_name = db_text_copy(a, st, "last_name"),
  };
}

#define CORRECTION_COLUMNS                                                                                  \
  "c.id, c.trajectory_id, t.participant_id, c.item_id, c.created_at, c.handled_at, c.request, c.answer,"    \
  " hu.name AS handled_by, CASE WHEN it.deleted_at IS NULL THEN it.title END AS item_title, p.first_name, p.last_name"
#define CORRECTION_JOINS                                                                                    \
  " JOIN trajectories t ON t.id = c.trajectory_id JOIN participants p ON p.id = t.participant_id"            \
  " LEFT JOIN users hu ON hu.id = c.handled_by LEFT JOIN items it ON it.id = c.item_id"

/* Steps st into an arena array of at most max rows. */
static int collect(Stmt *st, Arena *a, int max, Correction **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  int rc;
  while (*n < max && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = map_row(st, a);
  if (*n == max) rc = DB_DONE;
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int correction_create(Db *db, int64_t tid, int64_t item_id, int64_t by, const char *request, int64_t at, int64_t *id) {
  Stmt *st = db_prepare(db, "INSERT INTO correction_requests (trajectory_id, item_id, requested_by, request, created_at)"
                            " VALUES (?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  if (item_id) db_bind_int(st, 2, item_id);
  else db_bind_null(st, 2);
  db_bind_int(st, 3, by);
  db_bind_text(st, 4, request);
  db_bind_int(st, 5, at);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int corrections_of_trajectory(Db *db, Arena *a, int64_t tid, int64_t by, int max, Correction **out, int *n) {
  Stmt *st = db_prepare(db, "SELECT " CORRECTION_COLUMNS " FROM correction_requests c" CORRECTION_JOINS
                            " WHERE c.trajectory_id = ? AND (? = 0 OR c.requested_by = ?) ORDER BY c.id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, by);
  db_bind_int(st, 3, by);
  return collect(st, a, max, out, n);
}

int correction_get(Db *db, Arena *a, int64_t tid, int64_t id, Correction *out) {
  Stmt *st = db_prepare(db, "SELECT " CORRECTION_COLUMNS " FROM correction_requests c" CORRECTION_JOINS
                            " WHERE c.id = ? AND c.trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = map_row(st, a);
  db_done(st);
  return rc;
}

int correction_answer(Db *db, int64_t id, int64_t by, const char *answer, int64_t at) {
  Stmt *st = db_prepare(db, "UPDATE correction_requests SET handled_at = ?, handled_by = ?, answer = ?"
                            " WHERE id = ? AND handled_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, at);
  db_bind_int(st, 2, by);
  db_bind_text(st, 3, answer);
  db_bind_int(st, 4, id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) ? DB_OK : DB_DONE;
}

int corrections_open_for_coach(Db *db, Arena *a, const User *u, int max, Correction **out, int *n) {
  Stmt *st = db_prepare(db, "SELECT " CORRECTION_COLUMNS " FROM " POLICY_SQL_COACH_JOIN
                            " JOIN correction_requests c ON c.trajectory_id = t.id"
                            " JOIN participants p ON p.id = t.participant_id"
                            " LEFT JOIN users hu ON hu.id = c.handled_by LEFT JOIN items it ON it.id = c.item_id"
                            " WHERE c.handled_at IS NULL ORDER BY c.created_at, c.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  return collect(st, a, max, out, n);
}
