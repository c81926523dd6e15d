/*
 * store/mail_daily.c — see mail_daily.h.
 */
#include "store/mail_daily.h"

/* Collects the "id" column of every row of st (at most max) into *out. Finishes st. Returns a DB code. */
static int ids_of(Stmt *st, Arena *a, int max, int64_t **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < max) (*out)[(*n)++] = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* FROM and WHERE of the open actions of current plans of open trajectories due on or before a date (one
 * parameter), joined to the table of their owner: j. */
#define DUE_ACTIONS(j)                                                                                        \
  " FROM plan_actions a JOIN trajectories t ON t.id = a.trajectory_id " j " WHERE a.is_current = 1"           \
  " AND a.status IN ('planned', 'in_progress') AND t.status = 'open' AND a.due_on <= ?"

int mail_daily_actions_due(Db *db, Arena *a, const char *by, const char *day, int hour, int max, int64_t **out,
                           int *n) {
  *n = 0;
  *out = NULL;
  /* the owners from the due actions (read once per kind of owner; a coach's actions also reach whoever stands
   * in for the coach that day), then those of their accounts still due */
  Stmt *st = db_prepare(db,
                        "SELECT u.id FROM users u JOIN ("
                        "SELECT p.user_id AS uid" DUE_ACTIONS("JOIN participants p ON p.id = t.participant_id")
                        " AND a.owner_kind = 'participant' "
                        "UNION SELECT m.user_id AS uid" DUE_ACTIONS("JOIN network_members m ON m.id = a.owner_member_id")
                        " AND a.owner_kind = 'member' AND m.removed_at IS NULL "
                        "UNION SELECT c.user_id AS uid" DUE_ACTIONS("JOIN trajectory_coaches c ON c.trajectory_id = t.id")
                        " AND a.owner_kind = 'coach' "
                        "UNION SELECT s.stand_in_id AS uid"
                        DUE_ACTIONS("JOIN trajectory_coaches c ON c.trajectory_id = t.id "
                                    "JOIN coach_standins s ON s.coach_id = c.user_id")
                        " AND a.owner_kind = 'coach' AND s.cancelled_at IS NULL AND s.from_on <= ? AND s.until_on >= ?"
                        ") o ON o.uid = u.id WHERE u.active = 1 AND u.digest_hour <= ? "
                        "AND NOT EXISTS (SELECT 1 FROM daily_mails d WHERE d.user_id = u.id AND d.kind = 'action_due' "
                        "AND d.day = ?) ORDER BY u.id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, by);
  db_bind_text(st, 2, by);
  db_bind_text(st, 3, by);
  db_bind_text(st, 4, by);
  db_bind_text(st, 5, day); /* a stand-in's period holds the day */
  db_bind_text(st, 6, day);
  db_bind_int(st, 7, hour);
  db_bind_text(st, 8, day);
  return ids_of(st, a, max, out, n);
}

int mail_daily_digest_due(Db *db, Arena *a, const char *day, int hour, int max, int64_t **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT u.id FROM users u WHERE u.active = 1 AND u.message_mail = 'daily' "
                            "AND u.digest_hour <= ? AND NOT EXISTS (SELECT 1 FROM daily_mails d "
                            "WHERE d.user_id = u.id AND d.kind = 'digest' AND d.day = ?) ORDER BY u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, hour);
  db_bind_text(st, 2, day);
  return ids_of(st, a, max, out, n);
}

int mail_daily_new_messages(Db *db, int64_t user_id, int64_t now, int64_t *count) {
  *count = 0;
  Stmt *st = db_prepare(db, "SELECT COALESCE(MAX(created_at), 0) AS last FROM daily_mails "
                            "WHERE user_id = ? AND kind = 'digest'");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int rc = db_step(st);
  int64_t since = rc == DB_ROW ? db_int(st, "last") : 0;
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  if (!since) since = now - 86400;
  st = db_prepare(db, "SELECT COUNT(*) AS n FROM message_recipients r JOIN messages m ON m.item_id = r.message_id "
                      "JOIN items i ON i.id = r.message_id WHERE r.user_id = ? AND r.read_at IS NULL "
                      "AND m.withdrawn_at IS NULL AND i.created_at > ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, since);
  rc = db_step(st);
  if (rc == DB_ROW) *count = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int mail_daily_record(Db *db, int64_t user_id, const char *kind, const char *day, int64_t amount, int64_t now) {
  Stmt *st = db_prepare(db, "INSERT INTO daily_mails (user_id, kind, day, amount, created_at) VALUES (?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_text(st, 2, kind);
  db_bind_text(st, 3, day);
  if (amount >= 0) db_bind_int(st, 4, amount); else db_bind_null(st, 4);
  db_bind_int(st, 5, now);
  return db_run(st);
}

int mail_daily_hour(Db *db, int64_t user_id, int *hour) {
  *hour = 7;
  Stmt *st = db_prepare(db, "SELECT digest_hour FROM users WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int rc = db_step(st);
  if (rc == DB_ROW) *hour = (int)db_int(st, "digest_hour");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int mail_daily_set_hour(Db *db, int64_t user_id, int hour) {
  if (hour < 0 || hour > 23) return DB_CONSTRAINT;
  Stmt *st = db_prepare(db, "UPDATE users SET digest_hour = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, hour);
  db_bind_int(st, 2, user_id);
  return db_run(st);
}
