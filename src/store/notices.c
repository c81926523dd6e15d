/*
 * notices.c — see notices.h.
 */
#include "store/notices.h"

#include <string.h>

#include "db/rows.h"

int notice_add(Db *db, int64_t user_id, const char *kind, int64_t by_user, int64_t at) {
  Stmt *st = db_prepare(db, "INSERT INTO account_notices (user_id, kind, by_user, at) VALUES (?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_text(st, 2, kind);
  if (by_user) db_bind_int(st, 3, by_user); else db_bind_null(st, 3);
  db_bind_int(st, 4, at);
  return db_run(st);
}

/* Maps a row of notices_open' query into the Notice at p. */
static void notice_map(Arena *a, Stmt *st, void *p) {
  *(Notice *)p = (Notice){.id = db_int(st, "id"), .by_user = db_null(st, "by_user") ? 0 : db_int(st, "by_user"),
                          .at = db_int(st, "at"), .kind = db_text_copy(a, st, "kind"),
                          .by_name = db_text_copy(a, st, "by_name")};
}

int notices_open(Db *db, Arena *a, int64_t user_id, Notice **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT n.id, n.kind, n.by_user, n.at, u.name AS by_name FROM account_notices n "
                            "LEFT JOIN users u ON u.id = n.by_user "
                            "WHERE n.user_id = ? AND n.dismissed_at IS NULL ORDER BY n.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  int got, rc;
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, notice_map, &got, &rc);
  *n = (size_t)got;
  return rc;
}

/* One literal statement per NoticeTable, in the enum's order. */
static const char *const dismiss_sql[] = {
  "UPDATE account_notices SET dismissed_at = ? WHERE id = ? AND user_id = ? AND dismissed_at IS NULL",
  "UPDATE placement_notices SET dismissed_at = ? WHERE id = ? AND user_id = ? AND dismissed_at IS NULL",
  "UPDATE proposal_notices SET dismissed_at = ? WHERE id = ? AND user_id = ? AND dismissed_at IS NULL",
};
static const char *const event_add_sql[] = {
  NULL,
  "INSERT INTO placement_notices (user_id, trajectory_id, placement_id, event, at) VALUES (?, ?, ?, ?, ?)",
  "INSERT INTO proposal_notices (user_id, trajectory_id, proposal_id, event, at) VALUES (?, ?, ?, ?, ?)",
};

int notice_row_dismiss(Db *db, NoticeTable t, int64_t user_id, int64_t id, int64_t now) {
  Stmt *st = db_prepare(db, dismiss_sql[t]);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, user_id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int notice_dismiss(Db *db, int64_t user_id, int64_t id, int64_t now) {
  return notice_row_dismiss(db, NOTICES_ACCOUNT, user_id, id, now);
}

int notice_event_add(Db *db, NoticeTable t, int64_t user_id, int64_t tid, int64_t subject_id, const char *event,
                     int64_t at) {
  if (!event_add_sql[t]) return DB_ERROR;
  Stmt *st = db_prepare(db, event_add_sql[t]);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, tid);
  db_bind_int(st, 3, subject_id);
  db_bind_text(st, 4, event);
  db_bind_int(st, 5, at);
  return db_run(st);
}
