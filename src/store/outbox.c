/*
 * store/outbox.c — see outbox.h.
 */
#include "store/outbox.h"

#include <string.h>

int outbox_user_address(Db *db, Arena *a, int64_t user_id, const char **addr, const char **lang) {
  *addr = *lang = NULL;
  Stmt *st = db_prepare(db, "SELECT email, lang FROM users WHERE id = ? AND active = 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *addr = db_text_copy(a, st, "email");
    *lang = db_text_copy(a, st, "lang");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int outbox_add(Db *db, const char *to_addr, int64_t user_id, const char *kind, const char *lang, const char *link,
               const char *attachment, int64_t amount, const char *message_id, int64_t now) {
  Stmt *st = db_prepare(db, "INSERT INTO mail_outbox (to_addr, user_id, kind, lang, link, attachment, message_id, "
                            "status, attempts, next_at, created_at, amount) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, to_addr);
  if (user_id) db_bind_int(st, 2, user_id); else db_bind_null(st, 2);
  db_bind_text(st, 3, kind);
  db_bind_text(st, 4, lang);
  db_bind_text(st, 5, link);
  db_bind_text(st, 6, attachment);
  db_bind_text(st, 7, message_id);
  db_bind_int(st, 8, now);
  db_bind_int(st, 9, now);
  if (amount >= 0) db_bind_int(st, 10, amount); else db_bind_null(st, 10);
  return db_run(st);
}

int outbox_message_since(Db *db, int64_t user_id, int64_t since, bool *found) {
  *found = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM mail_outbox WHERE user_id = ? AND kind = 'message' AND created_at > ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, since);
  int rc = db_step(st);
  db_done(st);
  if (rc == DB_ROW) *found = true;
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* One row of mail_outbox into m (text copied into a). */
static void outbox_row(Stmt *st, Arena *a, OutboxMail *m) {
  m->id = db_int(st, "id");
  m->to_addr = db_text_copy(a, st, "to_addr");
  m->kind = db_text_copy(a, st, "kind");
  m->lang = db_text_copy(a, st, "lang");
  m->link = db_text_copy(a, st, "link");
  m->attachment = db_text_copy(a, st, "attachment");
  m->message_id = db_text_copy(a, st, "message_id");
  m->status = db_text_copy(a, st, "status");
  m->attempts = db_int(st, "attempts");
  m->next_at = db_int(st, "next_at");
  m->created_at = db_int(st, "created_at");
  m->sent_at = db_null(st, "sent_at") ? 0 : db_int(st, "sent_at");
  m->last_error = db_text_copy(a, st, "last_error");
  m->amount = db_null(st, "amount") ? -1 : db_int(st, "amount");
}

int outbox_claim(Db *db, Arena *a, int64_t now, int64_t lease_until, OutboxMail *m, bool *found) {
  *found = false;
  memset(m, 0, sizeof *m);
  int rc = db_begin(db);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "SELECT id, to_addr, kind, lang, link, attachment, message_id, status, attempts, next_at, "
                            "created_at, sent_at, last_error, amount FROM mail_outbox "
                            "WHERE status IN ('sending', 'queued') AND next_at <= ? "
                            "ORDER BY CASE WHEN status = 'sending' THEN 0 ELSE 1 END, next_at, id LIMIT 1");
  if (!st) {
    db_rollback(db);
    return DB_ERROR;
  }
  db_bind_int(st, 1, now);
  rc = db_step(st);
  if (rc == DB_ROW) {
    outbox_row(st, a, m);
    *found = true;
  }
  db_done(st);
  if (rc != DB_ROW) {
    db_rollback(db);
    return rc == DB_DONE ? DB_OK : rc;
  }
  st = db_prepare(db, "UPDATE mail_outbox SET status = 'sending', attempts = attempts + 1, next_at = ? "
                      "WHERE id = ?");
  if (!st) {
    db_rollback(db);
    return DB_ERROR;
  }
  db_bind_int(st, 1, lease_until);
  db_bind_int(st, 2, m->id);
  if ((rc = db_run(st)) != DB_OK) {
    db_rollback(db);
    *found = false;
    return rc;
  }
  m->attempts++;
  if ((rc = db_commit(db)) != DB_OK) *found = false;
  return rc;
}

int outbox_mark_sent(Db *db, int64_t id, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE mail_outbox SET status = 'sent', sent_at = ?, link = NULL, attachment = NULL, "
                            "last_error = NULL WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  return db_run(st);
}

int outbox_mark_failed(Db *db, int64_t id, int64_t next_at, const char *error, bool give_up) {
  Stmt *st = db_prepare(db, "UPDATE mail_outbox SET status = ?, next_at = ?, last_error = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, give_up ? "failed" : "queued");
  db_bind_int(st, 2, next_at);
  db_bind_text(st, 3, error);
  db_bind_int(st, 4, id);
  return db_run(st);
}

int outbox_list_failing(Db *db, Arena *a, int limit, OutboxMail **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT id, to_addr, kind, lang, NULL AS link, NULL AS attachment, message_id, status, attempts, "
                            "next_at, created_at, sent_at, last_error, amount FROM mail_outbox "
                            "WHERE status <> 'sent' AND attempts > 0 ORDER BY id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, limit);
  OutboxMail *v = arena_alloc(a, sizeof *v * (size_t)(limit > 0 ? limit : 1));
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < (size_t)limit) outbox_row(st, a, &v[(*n)++]);
  db_done(st);
  if (rc != DB_DONE && rc != DB_ROW) return rc;
  *out = v;
  return DB_OK;
}
