/*
 * store/throttle.c — see throttle.h. Table login_throttle (migration 035).
 */
#include "store/throttle.h"

int throttle_row_get(Db *db, const char *h, ThrottleRow *out, bool *found) {
  *out = (ThrottleRow){0};
  *found = false;
  Stmt *st = db_prepare(db, "SELECT failures, last_ms FROM login_throttle WHERE key = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, h);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    out->failures = (int32_t)db_int(st, "failures");
    out->last_ms = db_int(st, "last_ms");
    *found = true;
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int throttle_row_put(Db *db, const char *h, const ThrottleRow *row) {
  Stmt *st = db_prepare(db, "INSERT INTO login_throttle (key, failures, last_ms) VALUES (?, ?, ?) ON CONFLICT (key) "
                            "DO UPDATE SET failures = excluded.failures, last_ms = excluded.last_ms");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, h);
  db_bind_int(st, 2, row->failures);
  db_bind_int(st, 3, row->last_ms);
  return db_run(st);
}

int throttle_row_delete(Db *db, const char *h) {
  Stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE key = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, h);
  return db_run(st);
}

int throttle_prune(Db *db, int64_t before_ms, int keep) {
  Stmt *st = db_prepare(db, "DELETE FROM login_throttle WHERE last_ms < ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, before_ms);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  /* older than the keep-th newest row (none when there are fewer rows: NULL, and nothing is deleted); rows
   * of the same millisecond as it stay, so a few more than keep may remain */
  st = db_prepare(db, "DELETE FROM login_throttle WHERE last_ms < (SELECT last_ms FROM login_throttle "
                      "ORDER BY last_ms DESC LIMIT 1 OFFSET ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, keep > 0 ? keep - 1 : 0);
  return db_run(st);
}
