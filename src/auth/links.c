/*
 * links.c — see links.h.
 */
#include "auth/links.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/config.h"
#include "policy/audit.h"
#include "store/notices.h"

/* Writes an access-log entry on item "account:<user_id>" for r's user, or for the command line (r NULL).
 * grounds is the link's purpose. Returns a DB code. */
static int link_audit(Db *db, Req *r, int64_t user_id, const char *action, const char *outcome,
                      const char *purpose) {
  char item[40];
  snprintf(item, sizeof item, "account:%lld", (long long)user_id);
  AuditEntry e = {.item = item, .action = action, .outcome = outcome, .grounds = purpose};
  if (r) return audit_write(r, &e);
  return audit_append(db, 0, "cli", NULL, NULL, &e);
}

/* The live link of user_id that matters for a new one: *found false when there is none; otherwise its
 * creator (0: the command line), purpose and kept token (NULL if none) in buffers. Prefers a link of
 * `creator` and `purpose`. Returns a DB code. */
static int live_link(Db *db, int64_t user_id, int64_t creator, const char *purpose, int64_t now, bool *found,
                     int64_t *by, char by_purpose[8], char token[TOKEN_LEN + 1], int64_t *expires_at) {
  *found = false;
  Stmt *st = db_prepare(db, "SELECT created_by, purpose, token, expires_at FROM one_time_links "
                            "WHERE user_id = ? AND used_at IS NULL AND expires_at > ? "
                            "ORDER BY CASE WHEN COALESCE(created_by, 0) = ? AND purpose = ? THEN 0 ELSE 1 END, id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, creator);
  db_bind_text(st, 4, purpose);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *found = true;
    *by = db_null(st, "created_by") ? 0 : db_int(st, "created_by");
    *expires_at = db_int(st, "expires_at");
    snprintf(by_purpose, 8, "%s", db_text(st, "purpose"));
    const char *t = db_text(st, "token");
    snprintf(token, TOKEN_LEN + 1, "%s", t && strlen(t) == TOKEN_LEN ? t : "");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int link_issue(Db *db, Req *r, int64_t user_id, const char *purpose, int hours, char token_out[TOKEN_LEN + 1],
               LinkResult *result, int64_t *expires_at) {
  int64_t now = (int64_t)time(NULL), creator = r && r->user ? r->user->id : 0;
  token_out[0] = 0;
  *expires_at = 0;
  bool reset = strcmp(purpose, "reset") == 0;
  /* an expired link keeps no token */
  Stmt *st = db_prepare(db, "UPDATE one_time_links SET token = NULL WHERE user_id = ? AND used_at IS NULL "
                            "AND expires_at <= ? AND token IS NOT NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, now);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;

  bool found;
  int64_t by = 0;
  char by_purpose[8], kept[TOKEN_LEN + 1];
  int64_t kept_expiry = 0;
  if ((rc = live_link(db, user_id, creator, purpose, now, &found, &by, by_purpose, kept, &kept_expiry)) != DB_OK)
    return rc;
  if (found && by == creator && strcmp(by_purpose, purpose) == 0 && kept[0]) {
    memcpy(token_out, kept, TOKEN_LEN + 1);
    *expires_at = kept_expiry;
    *result = LINK_SAME;
    return link_audit(db, r, user_id, "link_show", "ok", purpose);
  }
  bool own = found && by == creator && strcmp(by_purpose, purpose) == 0; /* made before tokens were kept */
  if (found && !reset && !own) {
    *result = LINK_HELD;
    return link_audit(db, r, user_id, "link_create", "denied", purpose);
  }
  if (found) { /* a reset replaces every earlier live link; an invitation only its maker's own */
    st = db_prepare(db, "UPDATE one_time_links SET used_at = ?, token = NULL WHERE user_id = ? AND used_at IS NULL "
                        "AND (? = 1 OR COALESCE(created_by, 0) = ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, now);
    db_bind_int(st, 2, user_id);
    db_bind_int(st, 3, reset ? 1 : 0);
    db_bind_int(st, 4, creator);
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  char hash[TOKEN_HASH_LEN + 1];
  token_new(token_out);
  token_hash(token_out, hash);
  st = db_prepare(db, "INSERT INTO one_time_links (token_hash, user_id, purpose, created_by, created_at, expires_at, "
                      "token) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, hash);
  db_bind_int(st, 2, user_id);
  db_bind_text(st, 3, purpose);
  if (creator) db_bind_int(st, 4, creator); else db_bind_null(st, 4);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, now + (int64_t)hours * 3600);
  db_bind_text(st, 7, token_out);
  if ((rc = db_run(st)) != DB_OK) return rc;
  *expires_at = now + (int64_t)hours * 3600;
  *result = LINK_CREATED;
  return link_audit(db, r, user_id, "link_create", "ok", purpose);
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

int link_use(Req *r, const char *token, int64_t now) {
  char hash[TOKEN_HASH_LEN + 1];
  token_hash(token, hash);
  Stmt *st = db_prepare(r->db, "UPDATE one_time_links SET used_at = ?, used_by = ?, used_from = ?, token = NULL "
                               "WHERE token_hash = ? AND used_at IS NULL AND expires_at > ? "
                               "RETURNING user_id, purpose, created_by");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  if (r->user) db_bind_int(st, 2, r->user->id); else db_bind_null(st, 2);
  db_bind_text(st, 3, r->ip);
  db_bind_text(st, 4, hash);
  db_bind_int(st, 5, now);
  int rc = db_step(st);
  if (rc != DB_ROW) {
    db_done(st);
    return rc == DB_DONE ? DB_CONSTRAINT : rc;
  }
  int64_t uid = db_int(st, "user_id"), by = db_null(st, "created_by") ? 0 : db_int(st, "created_by");
  char purpose[8];
  snprintf(purpose, sizeof purpose, "%s", db_text(st, "purpose"));
  db_done(st);
  if ((rc = link_audit(r->db, r, uid, "link_use", "ok", purpose)) != DB_OK) return rc;
  /* a password reset that someone else issued: the owner is told at the next sign-in */
  if (strcmp(purpose, "reset") == 0 && by != uid) rc = notice_add(r->db, uid, "password_reset", by, now);
  return rc;
}

LinkDelivery link_deliver(Db *db, int64_t user_id, const char *token) {
  (void)db;
  (void)user_id;
  (void)token;
  return LINK_SHOW; /* no mailer yet */
}

const char *link_url(Arena *a, const char *token) {
  if (cfg.base_url[0]) {
    size_t n = strlen(cfg.base_url);
    while (n && cfg.base_url[n - 1] == '/') n--;
    return arena_printf(a, "%.*s/reset?token=%s", (int)n, cfg.base_url, token);
  }
  return arena_printf(a, "http://%s/reset?token=%s", cfg.listen, token);
}
