/*
 * second_factor.c — see second_factor.h. Columns users.totp_secret, totp_last_step, totp_failures
 * (migration 012) and table recovery_codes.
 */
#include "store/second_factor.h"

int second_factor_load(Db *db, Arena *a, int64_t uid, SecondFactor *out) {
  *out = (SecondFactor){0};
  Stmt *st = db_prepare(db, "SELECT totp_secret, totp_last_step, totp_failures FROM users WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    out->secret = arena_strdup(a, db_text(st, "totp_secret"));
    out->last_step = db_int(st, "totp_last_step");
    out->failures = db_int(st, "totp_failures");
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int second_factor_use_step(Db *db, int64_t uid, int64_t step, bool *used) {
  *used = false;
  Stmt *st = db_prepare(db, "UPDATE users SET totp_last_step = ?, totp_failures = 0 WHERE id = ? "
                            "AND totp_last_step < ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, step);
  db_bind_int(st, 2, uid);
  db_bind_int(st, 3, step);
  int rc = db_run(st);
  if (rc == DB_OK) *used = db_changes(db) == 1;
  return rc;
}

int second_factor_use_recovery(Db *db, int64_t uid, const char *code_hash, int64_t now, bool *used) {
  *used = false;
  Stmt *st = db_prepare(db, "UPDATE recovery_codes SET used_at = ? WHERE user_id = ? AND code_hash = ? "
                            "AND used_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, uid);
  db_bind_text(st, 3, code_hash);
  int rc = db_run(st);
  if (rc != DB_OK || db_changes(db) != 1) return rc;
  st = db_prepare(db, "UPDATE users SET totp_failures = 0 WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  if ((rc = db_run(st)) == DB_OK) *used = true;
  return rc;
}

int second_factor_fail(Db *db, int64_t uid, int64_t *failures) {
  *failures = 0;
  Stmt *st = db_prepare(db, "UPDATE users SET totp_failures = totp_failures + 1 WHERE id = ? RETURNING totp_failures");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  int rc = db_step(st);
  if (rc == DB_ROW) *failures = db_int(st, "totp_failures");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* Deletes every recovery code of uid. */
static int recovery_codes_clear(Db *db, int64_t uid) {
  Stmt *st = db_prepare(db, "DELETE FROM recovery_codes WHERE user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  return db_run(st);
}

int second_factor_enrol(Db *db, int64_t uid, const char *secret, int64_t step, const char *const *code_hashes,
                        int n, bool *enrolled) {
  *enrolled = false;
  Stmt *st = db_prepare(db, "UPDATE users SET totp_secret = ?, totp_last_step = ? WHERE id = ? "
                            "AND totp_secret IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, secret);
  db_bind_int(st, 2, step);
  db_bind_int(st, 3, uid);
  int rc = db_run(st);
  if (rc != DB_OK || db_changes(db) != 1) return rc;
  if ((rc = recovery_codes_clear(db, uid)) != DB_OK) return rc;
  for (int i = 0; i < n; i++) {
    st = db_prepare(db, "INSERT INTO recovery_codes (user_id, code_hash) VALUES (?, ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, uid);
    db_bind_text(st, 2, code_hashes[i]);
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  *enrolled = true;
  return DB_OK;
}

int second_factor_remove(Db *db, int64_t uid) {
  Stmt *st = db_prepare(db, "UPDATE users SET totp_secret = NULL, totp_last_step = 0, totp_failures = 0 WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  int rc = db_run(st);
  return rc == DB_OK ? recovery_codes_clear(db, uid) : rc;
}

int second_factor_codes_left(Db *db, int64_t uid, int64_t *n) {
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM recovery_codes WHERE user_id = ? AND used_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  int rc = db_step(st);
  if (rc == DB_ROW) *n = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}
