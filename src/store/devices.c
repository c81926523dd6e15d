/*
 * devices.c — see devices.h. Table login_devices (migration 012).
 */
#include "store/devices.h"

#include "auth/token.h"

int device_claim(Db *db, int64_t uid, const char *token, int max_failures, int64_t now, int64_t *id) {
  *id = 0;
  if (!token || !token_shape_ok(token)) return DB_OK;
  char h[TOKEN_HASH_LEN + 1];
  token_hash(token, h);
  /* one statement checks and counts, so two racing attempts cannot both take the last try */
  Stmt *st = db_prepare(db, "UPDATE login_devices SET failures = failures + 1 WHERE user_id = ? AND token_hash = ? "
                            "AND last_used_at >= ? AND failures < ? RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  db_bind_text(st, 2, h);
  db_bind_int(st, 3, now - (int64_t)DEVICE_DAYS * 86400);
  db_bind_int(st, 4, max_failures);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int device_succeeded(Db *db, int64_t id, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE login_devices SET failures = 0, last_used_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  return db_run(st);
}

int device_remember(Db *db, int64_t uid, const char *token, int64_t now) {
  char h[TOKEN_HASH_LEN + 1];
  token_hash(token, h);
  Stmt *st = db_prepare(db, "INSERT INTO login_devices (user_id, token_hash, failures, created_at, last_used_at) "
                            "VALUES (?, ?, 0, ?, ?) ON CONFLICT (user_id, token_hash) DO UPDATE SET failures = 0, "
                            "last_used_at = excluded.last_used_at");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  db_bind_text(st, 2, h);
  db_bind_int(st, 3, now);
  db_bind_int(st, 4, now);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  st = db_prepare(db, "DELETE FROM login_devices WHERE user_id = ? AND (last_used_at < ? OR id NOT IN "
                      "(SELECT id FROM login_devices WHERE user_id = ? ORDER BY last_used_at DESC, id DESC LIMIT ?))");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  db_bind_int(st, 2, now - (int64_t)DEVICE_DAYS * 86400);
  db_bind_int(st, 3, uid);
  db_bind_int(st, 4, DEVICES_PER_USER);
  return db_run(st);
}

int device_forget_others(Db *db, int64_t uid, const char *keep) {
  char h[TOKEN_HASH_LEN + 1] = "";
  if (keep && token_shape_ok(keep)) token_hash(keep, h);
  Stmt *st = db_prepare(db, "DELETE FROM login_devices WHERE user_id = ? AND token_hash <> ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, uid);
  db_bind_text(st, 2, h);
  return db_run(st);
}
