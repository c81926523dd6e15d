/*
 * participants.c — see participants.h.
 */
#include "store/participants.h"

#include <string.h>
#include <time.h>

#include "auth/user.h" /* ROLE_PARTICIPANT */

int participant_account_load(Db *db, Arena *a, int64_t pid, ParticipantAccount *out) {
  *out = (ParticipantAccount){.participant_id = pid, .state = PACCOUNT_NONE, .name = "", .registered_email = "",
                              .account_email = ""};
  Stmt *st = db_prepare(db, "SELECT p.first_name, p.last_name, COALESCE(p.email, '') AS registered_email, "
                            "p.user_id, COALESCE(u.email, '') AS account_email, "
                            "CASE WHEN u.password_hash IS NULL THEN 0 ELSE 1 END AS has_password, "
                            "COALESCE(u.active, 1) AS active "
                            "FROM participants p LEFT JOIN users u ON u.id = p.user_id WHERE p.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    out->name = arena_printf(a, "%s %s", db_text(st, "first_name"), db_text(st, "last_name"));
    out->registered_email = arena_strdup(a, db_text(st, "registered_email"));
    out->account_email = arena_strdup(a, db_text(st, "account_email"));
    if (!db_null(st, "user_id")) {
      out->user_id = db_int(st, "user_id");
      out->state = !db_int(st, "active")       ? PACCOUNT_INACTIVE
                   : db_int(st, "has_password") ? PACCOUNT_ACTIVE
                                                : PACCOUNT_INVITED;
    }
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int participant_of_trajectory(Db *db, int64_t tid, int64_t *pid) {
  *pid = 0;
  Stmt *st = db_prepare(db, "SELECT participant_id FROM trajectories WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *pid = db_int(st, "participant_id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int participant_user_of_trajectory(Db *db, int64_t tid, int64_t *user_id) {
  *user_id = 0;
  Stmt *st = db_prepare(db, "SELECT p.user_id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                            "WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW && !db_null(st, "user_id")) *user_id = db_int(st, "user_id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int participant_open_trajectory(Db *db, int64_t user_id, int64_t *tid) {
  *tid = 0;
  Stmt *st = db_prepare(db, "SELECT t.id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                            "WHERE p.user_id = ? AND t.status = 'open'");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *tid = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int participant_find_identity(Db *db, const char *first_name, const char *last_name, const char *birth_date,
                              int64_t *pid, int64_t *latest_tid) {
  *pid = *latest_tid = 0;
  Stmt *st = db_prepare(db, "SELECT p.id, (SELECT MAX(t.id) FROM trajectories t WHERE t.participant_id = p.id) "
                            "AS tid FROM participants p WHERE p.first_name = ? AND p.last_name = ? AND p.birth_date = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, first_name);
  db_bind_text(st, 2, last_name);
  db_bind_text(st, 3, birth_date);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *pid = db_int(st, "id");
    *latest_tid = db_null(st, "tid") ? 0 : db_int(st, "tid");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int participant_email_taken(Db *db, const char *email, int64_t except, bool *taken) {
  *taken = false;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM users WHERE email = ? AND id <> ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, email);
  db_bind_int(st, 2, except);
  int rc = db_step(st);
  if (rc == DB_ROW) *taken = db_int(st, "n") > 0;
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int participant_account_create(Db *db, int64_t pid, const char *email, const char *name, int64_t *uid) {
  *uid = 0;
  Stmt *st = db_prepare(db, "INSERT INTO users (email, name, roles, created_at) VALUES (?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, email);
  db_bind_text(st, 2, name);
  db_bind_int(st, 3, ROLE_PARTICIPANT);
  db_bind_int(st, 4, (int64_t)time(NULL));
  int rc = db_step(st);
  int64_t id = rc == DB_ROW ? db_int(st, "id") : 0;
  db_done(st);
  if (rc == DB_CONSTRAINT) return DB_OK;
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  st = db_prepare(db, "UPDATE participants SET user_id = ? WHERE id = ? AND user_id IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, pid);
  if ((rc = db_run(st)) != DB_OK) return rc == DB_CONSTRAINT ? DB_OK : rc;
  if (db_changes(db) == 1) *uid = id;
  return DB_OK;
}

int participant_account_set_email(Db *db, int64_t uid, const char *email, bool *done) {
  *done = false;
  Stmt *st = db_prepare(db, "UPDATE users SET email = ? WHERE id = ? AND password_hash IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, email);
  db_bind_int(st, 2, uid);
  int rc = db_run(st);
  if (rc == DB_CONSTRAINT) return DB_OK;
  if (rc != DB_OK) return rc;
  *done = db_changes(db) == 1;
  return DB_OK;
}
