/*
 * consents.c — see consents.h.
 */
#include "store/consents.h"

#include <limits.h>
#include <stddef.h>
#include <string.h>

#include "db/rows.h"
#include "store/visibility.h"

int consent_give(Db *db, const ConsentNew *k, int64_t *id) {
  *id = 0;
  Stmt *ins = db_prepare(db, "INSERT INTO consents (trajectory_id, source_member_id, grantee_member_id, grantee_side, "
                             "category, given_on, method, recorded_by, valid_until, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!ins) return DB_ERROR;
  db_bind_int(ins, 1, k->trajectory_id);
  if (k->source_member_id) db_bind_int(ins, 2, k->source_member_id); else db_bind_null(ins, 2);
  if (k->grantee_member_id) db_bind_int(ins, 3, k->grantee_member_id); else db_bind_null(ins, 3);
  db_bind_text(ins, 4, k->grantee_member_id ? NULL : k->grantee_side);
  db_bind_text(ins, 5, k->category);
  db_bind_text(ins, 6, k->given_on);
  db_bind_text(ins, 7, k->method);
  db_bind_int(ins, 8, k->recorded_by);
  db_bind_text(ins, 9, k->valid_until);
  db_bind_int(ins, 10, k->created_at);
  int rc = db_step(ins);
  if (rc == DB_ROW) *id = db_int(ins, "id");
  db_done(ins);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int consent_withdraw(Db *db, int64_t id, int64_t by, int64_t at) {
  Stmt *up = db_prepare(db, "UPDATE consents SET withdrawn_at = ?, withdrawn_by = ? WHERE id = ? AND withdrawn_at IS NULL");
  if (!up) return DB_ERROR;
  db_bind_int(up, 1, at);
  db_bind_int(up, 2, by);
  db_bind_int(up, 3, id);
  return db_run(up);
}

/* Maps the current row of st (recorded_by only when the select has it). */
static Consent consent_row(Arena *a, Stmt *st, bool recorder) {
  return (Consent){
      .id = db_int(st, "id"),
      .trajectory_id = db_int(st, "trajectory_id"),
      .source_member_id = db_null(st, "source_member_id") ? 0 : db_int(st, "source_member_id"),
      .grantee_member_id = db_null(st, "grantee_member_id") ? 0 : db_int(st, "grantee_member_id"),
      .withdrawn_at = db_null(st, "withdrawn_at") ? 0 : db_int(st, "withdrawn_at"),
      .grantee_side = arena_strdup(a, db_text(st, "grantee_side")),
      .category = arena_strdup(a, db_text(st, "category")),
      .given_on = arena_strdup(a, db_text(st, "given_on")),
      .method = arena_strdup(a, db_text(st, "method")),
      .valid_until = arena_strdup(a, db_text(st, "valid_until")),
      .recorded_by = recorder ? arena_strdup(a, db_text(st, "recorded_by")) : NULL,
  };
}

/* Maps a row into the Consent at p, with and without the recorder's name. */
static void consent_map_recorder(Arena *a, Stmt *st, void *p) { *(Consent *)p = consent_row(a, st, true); }
static void consent_map(Arena *a, Stmt *st, void *p) { *(Consent *)p = consent_row(a, st, false); }

/* Steps st to the end (or max rows) into an arena array (db_rows). Returns a DB code. */
static int consents_collect(Arena *a, Stmt *st, bool recorder, size_t max, Consent **out, size_t *n) {
  int got, rc;
  *out = db_rows(a, st, sizeof **out, max > INT_MAX ? DB_ROWS_ALL : (int)max,
                 recorder ? consent_map_recorder : consent_map, &got, &rc);
  *n = (size_t)got;
  return rc;
}

int consents_list(Db *db, Arena *a, const User *u, int64_t tid, size_t max, Consent **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT k.id, k.trajectory_id, k.source_member_id, k.grantee_member_id, k.grantee_side, "
                            "k.category, k.given_on, k.method, k.valid_until, k.withdrawn_at, CASE WHEN "
                            POLICY_SQL_USER_VISIBLE("k.recorded_by", "k.trajectory_id") " THEN u.name END AS recorded_by "
                            "FROM consents k JOIN users u ON u.id = k.recorded_by WHERE k.trajectory_id = ? "
                            "ORDER BY k.id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_user_filter(st, 1, u), tid);
  return consents_collect(a, st, true, max, out, n);
}

int consents_live(Db *db, Arena *a, int64_t tid, const char *today, Consent **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT id, trajectory_id, source_member_id, grantee_member_id, grantee_side, category, "
                            "given_on, method, valid_until, withdrawn_at FROM consents WHERE trajectory_id = ? "
                            "AND withdrawn_at IS NULL AND given_on <= ? AND (valid_until IS NULL OR valid_until >= ?) "
                            "ORDER BY id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, today);
  db_bind_text(st, 3, today);
  return consents_collect(a, st, false, SIZE_MAX, out, n);
}

bool consent_reaches(const Consent *k, int64_t member_id, const char *side) {
  return k->grantee_member_id ? k->grantee_member_id == member_id
                              : k->grantee_side && side && strcmp(k->grantee_side, side) == 0;
}
