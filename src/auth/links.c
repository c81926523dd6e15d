/*
 * links.c — see links.h.
 */
#include "auth/links.h"

#include <string.h>
#include <time.h>

#include "core/config.h"

int link_create(Db *db, int64_t user_id, const char *purpose, int64_t created_by, int hours,
                char token_out[TOKEN_LEN + 1]) {
  int64_t now = (int64_t)time(NULL);
  Stmt *st = db_prepare(db, "UPDATE one_time_links SET used_at = ? WHERE user_id = ? AND purpose = ? AND used_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, user_id);
  db_bind_text(st, 3, purpose);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  char hash[TOKEN_HASH_LEN + 1];
  token_new(token_out);
  token_hash(token_out, hash);
  st = db_prepare(db, "INSERT INTO one_time_links (token_hash, user_id, purpose, created_by, created_at, expires_at) "
                      "VALUES (?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, user_id);
  db_bind_text(st, 3, purpose);
  if (created_by) db_bind_int(st, 4, created_by); else db_bind_null(st, 4);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, now + (int64_t)hours * 3600);
  return db_run(st);
}

int link_find(Db *db, Arena *a, const char *token, int64_t now, int64_t *user_id, const char **purpose) {
  *user_id = 0;
  *purpose = NULL;
  if (!token_shape_ok(token)) return DB_OK;
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  Stmt *st = db_prepare(db, "SELECT l.user_id, l.purpose FROM one_time_links l JOIN users u ON u.id = l.user_id "
                            "WHERE l.token_hash = ? AND l.used_at IS NULL AND l.expires_at > ? AND u.active = 1");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, now);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *user_id = db_int(st, "user_id");
    *purpose = arena_strdup(a, db_text(st, "purpose"));
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int link_use(Db *db, const char *token, int64_t now) {
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  Stmt *st = db_prepare(db, "UPDATE one_time_links SET used_at = ? WHERE token_hash = ? AND used_at IS NULL "
                            "AND expires_at > ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_text(st, 2, hash);
  db_bind_int(st, 3, now);
  int rc = db_run(st);
  if (rc == DB_OK && db_changes(db) != 1) return DB_CONSTRAINT;
  return rc;
}

const char *link_url(Arena *a, const char *token) {
  if (cfg.base_url[0]) {
    size_t n = strlen(cfg.base_url);
    while (n && cfg.base_url[n - 1] == '/') n--;
    return arena_printf(a, "%.*s/reset?token=%s", (int)n, cfg.base_url, token);
  }
  return arena_printf(a, "http://%s/reset?token=%s", cfg.listen, token);
}
