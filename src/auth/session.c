/*
 * session.c — see session.h.
 */
#include "auth/session.h"

#include <string.h>

#include "core/config.h"

bool session_expired(int64_t created, int64_t last_seen, int64_t now, int idle, int absolute) {
  return now - last_seen >= idle || now - created >= absolute || now < created - 60;
}

int session_create(Db *db, int64_t user_id, bool mfa_ok, int64_t now, char token_out[TOKEN_LEN + 1]) {
  char hash[TOKEN_HASH_LEN + 1], csrf[TOKEN_LEN + 1];
  token_new(token_out);
  token_hash(token_out, hash);
  token_new(csrf);
  Stmt *st = db_prepare(db,
                        "INSERT INTO sessions (token_hash, user_id, csrf, mfa_ok, created_at, last_seen) "
                        "VALUES (?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, user_id);
  db_bind_text(st, 3, csrf);
  db_bind_int(st, 4, mfa_ok);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, now);
  return db_run(st);
}

static User *user_from_row(Arena *a, Stmt *st) {
  User *u = arena_alloc(a, sizeof *u);
  u->id = db_int(st, "uid");
  u->roles = (unsigned)db_int(st, "roles");
  u->name = arena_strdup(a, db_text(st, "name"));
  u->email = arena_strdup(a, db_text(st, "email"));
  u->lang = arena_strdup(a, db_text(st, "lang"));
  u->org_id = db_int(st, "org_id");
  u->totp_enabled = !db_null(st, "totp_secret");
  return u;
}

int user_load(Db *db, Arena *a, int64_t user_id, User **u) {
  *u = NULL;
  Stmt *st = db_prepare(db,
                        "SELECT id AS uid, roles, name, email, lang, org_id, totp_secret FROM users WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *u = user_from_row(a, st);
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int session_load(Db *db, Arena *a, const char *token, int64_t now, User **u, Session **s) {
  *u = NULL;
  *s = NULL;
  if (!token_shape_ok(token)) return DB_OK;
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  Stmt *st = db_prepare(db,
                        "SELECT s.id AS sid, s.csrf, s.mfa_ok, s.created_at, s.last_seen, u.active, "
                        " u.id AS uid, u.roles, u.name, u.email, u.lang, u.org_id, u.totp_secret "
                        "FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_done(st);
    return rc == DB_DONE ? DB_OK : rc;
  }
  int64_t sid = db_int(st, "sid"), created = db_int(st, "created_at"), seen = db_int(st, "last_seen");
  bool active = db_int(st, "active") != 0;
  if (!active || session_expired(created, seen, now, cfg.session_idle, cfg.session_absolute)) {
    db_done(st);
    return session_end(db, sid);
  }
  Session *se = arena_alloc(a, sizeof *se);
  se->id = sid;
  se->csrf = arena_strdup(a, db_text(st, "csrf"));
  se->mfa_ok = db_int(st, "mfa_ok") != 0;
  se->created_at = created;
  *u = user_from_row(a, st);
  *s = se;
  db_done(st);
  if (now - seen >= 60) {
    Stmt *up = db_prepare(db, "UPDATE sessions SET last_seen = ? WHERE id = ?");
    if (!up) return DB_ERROR;
    db_bind_int(up, 1, now);
    db_bind_int(up, 2, sid);
    rc = db_run(up);
    if (rc != DB_OK && rc != DB_BUSY) return rc; /* a busy refresh is harmless: try next time */
  }
  return DB_OK;
}

int session_end(Db *db, int64_t session_id) {
  Stmt *st = db_prepare(db, "DELETE FROM sessions WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, session_id);
  return db_run(st);
}

int session_end_all(Db *db, int64_t user_id) {
  Stmt *st = db_prepare(db, "DELETE FROM sessions WHERE user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  return db_run(st);
}
