/*
 * session.c — see session.h. The SQL is in store/users.c.
 */
#include "account/session.h"

#include "core/config.h"
#include "store/users.h"

bool session_expired(int64_t created, int64_t last_seen, int64_t now, int idle, int absolute) {
  return now - last_seen >= idle || now - created >= absolute || now < created - 60;
}

int session_create(Db *db, int64_t user_id, bool mfa_ok, int64_t now, char token_out[TOKEN_LEN + 1]) {
  char hash[TOKEN_HASH_LEN + 1], csrf[TOKEN_LEN + 1];
  token_new(token_out);
  token_hash(token_out, hash);
  token_new(csrf);
  return session_row_insert(db, hash, user_id, csrf, mfa_ok, now);
}

int session_load(Db *db, Arena *a, const char *token, int64_t now, User **u, Session **s) {
  *u = NULL;
  *s = NULL;
  if (!token_shape_ok(token)) return DB_OK;
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  SessionRow *row = arena_alloc(a, sizeof *row);
  int rc = session_row_find(db, a, hash, row);
  if (rc != DB_OK) return rc == DB_DONE ? DB_OK : rc;
  if (!row->user_active ||
      session_expired(row->session.created_at, row->last_seen, now, cfg.session_idle, cfg.session_absolute))
    return session_end(db, row->session.id);
  *u = &row->user;
  *s = &row->session;
  if (now - row->last_seen >= 60) {
    rc = session_row_touch(db, row->session.id, now);
    if (rc != DB_OK && rc != DB_BUSY) return rc; /* a busy refresh is harmless: try next time */
  }
  return DB_OK;
}

int session_end(Db *db, int64_t session_id) { return session_row_delete(db, session_id); }

int session_end_all(Db *db, int64_t user_id) { return session_rows_delete_user(db, user_id); }
