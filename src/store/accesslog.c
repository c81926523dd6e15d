/*
 * accesslog.c — see accesslog.h.
 */
#include "store/accesslog.h"

#include <stdio.h>
#include <string.h>

#include "db/rows.h"
#include "store/visibility.h"

/* ---- a participant's own entries ---- */

int accesslog_own_participant(Db *db, const User *u, int64_t *pid) {
  *pid = 0;
  Stmt *st = db_prepare(db, "SELECT id FROM participants WHERE user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  int rc = db_step(st);
  if (rc == DB_ROW) *pid = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* The participant's entries: columns and joins; WHERE follows. OTHERS_ONLY leaves out the reader's own
 * (one parameter: the reader's id). */
#define MY_COLUMNS                                                                                         \
  "SELECT l.at, l.user_id, l.role, l.item, l.action, l.outcome, l.grounds,"                               \
  " u.name AS user_name, o.name AS org_name,"                                                             \
  " (SELECT MAX(CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.role END)"                           \
  "  FROM network_members m WHERE m.user_id = l.user_id AND m.trajectory_id = l.trajectory_id)"           \
  " AS member_role"                                                                                       \
  " FROM access_log l"                                                                                    \
  " LEFT JOIN users u ON u.id = l.user_id LEFT JOIN organisations o ON o.id = u.org_id"
#define OTHERS_ONLY " AND (l.user_id IS NULL OR l.user_id <> ?)"

int accesslog_of_participant(Db *db, Arena *a, const User *reader, int64_t pid, bool others, int max,
                             void (*each)(void *ctx, const AccessMyEntry *e), void *ctx) {
  /* two statements rather than a flag in SQL, so that both read the index (participant_id, id) newest
   * first and stop after max */
  Stmt *st = others ? db_prepare(db, MY_COLUMNS " WHERE l.participant_id = ?" OTHERS_ONLY " ORDER BY l.id DESC LIMIT ?")
                    : db_prepare(db, MY_COLUMNS " WHERE l.participant_id = ? ORDER BY l.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  int i = policy_bind_member_filter(st, 1, reader);
  db_bind_int(st, i++, pid);
  if (others) db_bind_int(st, i++, reader->id);
  db_bind_int(st, i, max);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    AccessMyEntry e = {
        .at = db_int(st, "at"),
        .user_id = db_null(st, "user_id") ? 0 : db_int(st, "user_id"),
        .role = arena_strdup(a, db_text(st, "role")),
        .item = arena_strdup(a, db_text(st, "item")),
        .action = arena_strdup(a, db_text(st, "action")),
        .outcome = arena_strdup(a, db_text(st, "outcome")),
        .grounds = arena_strdup(a, db_text(st, "grounds")),
        .user_name = arena_strdup(a, db_text(st, "user_name")),
        .org_name = arena_strdup(a, db_text(st, "org_name")),
        .member_role = arena_strdup(a, db_text(st, "member_role")),
    };
    each(ctx, &e);
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int accesslog_of_participant_count(Db *db, const User *reader, int64_t pid, bool others, int64_t *total) {
  Stmt *st = others ? db_prepare(db, "SELECT COUNT(*) AS n FROM access_log l WHERE l.participant_id = ?" OTHERS_ONLY)
                    : db_prepare(db, "SELECT COUNT(*) AS n FROM access_log l WHERE l.participant_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  if (others) db_bind_int(st, 2, reader->id);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* ---- the log officer's review ---- */

/* The WHERE of the count, the page and the export, built from the filters that are set: only the literal
 * fragments below enter the SQL, the values are bound (filter_bind, in the same order). Each filter on its
 * own reads an index of migration 032: user (user_id, id), participant (participant_id, id), trajectory
 * (trajectory_id, id), action (action, id; since migration 034 without 'view', which is read by id),
 * refusals (id, partial), period (at); without filters the rows are read by id. */
typedef struct WhereSql {
  char sql[512];
  size_t n;
} WhereSql;

static void where_add(WhereSql *w, const char *frag) {
  int k = snprintf(w->sql + w->n, sizeof w->sql - w->n, "%s%s", w->n ? " AND " : " WHERE ", frag);
  if (k > 0) w->n += (size_t)k;
}

static bool has(const char *s) { return s && *s; }

/* The conditions of f, and extra ("l.id < ?", "l.id > ?" or NULL) after them. */
static void filter_where(WhereSql *w, const AccessLogFilter *f, const char *extra) {
  w->n = 0;
  w->sql[0] = 0;
  /* e-mail addresses are unique (users_email): one id, so the index (user_id, id) gives the order too */
  if (has(f->email)) where_add(w, "l.user_id = (SELECT id FROM users WHERE email = ?)");
  if (f->pid) where_add(w, "l.participant_id = ?");
  if (f->tid) where_add(w, "l.trajectory_id = ?");
  /* 'view', most of the log, as a literal read in id order (the partial index access_log_action_id holds
   * every other action only: migration 034); the others with the index's condition, so that it applies */
  if (has(f->action)) where_add(w, !strcmp(f->action, "view") ? "l.action = 'view'" : "l.action = ? AND l.action <> 'view'");
  /* the two outcomes as literals, so that the partial index of refusals (access_log_denied) applies */
  if (has(f->outcome))
    where_add(w, !strcmp(f->outcome, "denied") ? "l.outcome = 'denied'" : !strcmp(f->outcome, "ok") ? "l.outcome = 'ok'"
                                                                                                  : "l.outcome = ?");
  if (f->from_at) where_add(w, "l.at >= ?");
  if (f->to_at) where_add(w, "l.at < ?");
  if (extra) where_add(w, extra);
}

/* Binds the values of filter_where's conditions from 1; returns the next free index. */
static int filter_bind(Stmt *st, const AccessLogFilter *f) {
  int i = 1;
  if (has(f->email)) db_bind_text(st, i++, f->email);
  if (f->pid) db_bind_int(st, i++, f->pid);
  if (f->tid) db_bind_int(st, i++, f->tid);
  if (has(f->action) && strcmp(f->action, "view") != 0) db_bind_text(st, i++, f->action);
  if (has(f->outcome) && strcmp(f->outcome, "denied") != 0 && strcmp(f->outcome, "ok") != 0)
    db_bind_text(st, i++, f->outcome);
  if (f->from_at) db_bind_int(st, i++, f->from_at);
  if (f->to_at) db_bind_int(st, i++, f->to_at);
  return i;
}

#define LOG_COLUMNS                                                                                        \
  "SELECT l.id, l.at, l.user_id, l.role, l.participant_id, l.trajectory_id, l.item, l.action, l.outcome," \
  " l.grounds, l.client, l.request_id, l.consent_id, l.on_behalf_of, l.hash, u.name AS user_name,"        \
  " u.email AS user_email, u.roles AS user_roles, b.email AS behalf_email, b.roles AS behalf_roles"        \
  " FROM access_log l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN users b ON b.id = l.on_behalf_of"

/* Maps the current row of a LOG_COLUMNS statement; copies its texts into a, or (a NULL) points into the
 * statement's row. */
static AccessLogRow row_map(Arena *a, Stmt *st) {
#define TEXT(col) (a ? arena_strdup(a, db_text(st, col)) : db_text(st, col))
  return (AccessLogRow){
      .id = db_int(st, "id"),
      .at = db_int(st, "at"),
      .user_id = db_int(st, "user_id"),
      .participant_id = db_int(st, "participant_id"),
      .trajectory_id = db_int(st, "trajectory_id"),
      .consent_id = db_int(st, "consent_id"),
      .on_behalf_of = db_int(st, "on_behalf_of"),
      .role = TEXT("role"),
      .item = TEXT("item"),
      .action = TEXT("action"),
      .outcome = TEXT("outcome"),
      .grounds = TEXT("grounds"),
      .client = TEXT("client"),
      .request_id = TEXT("request_id"),
      .hash = TEXT("hash"),
      .user_name = TEXT("user_name"),
      .user_email = TEXT("user_email"),
      .behalf_email = TEXT("behalf_email"),
      .user_roles = (unsigned)db_int(st, "user_roles"),
      .behalf_roles = (unsigned)db_int(st, "behalf_roles"),
  };
#undef TEXT
}

int accesslog_count(Db *db, Arena *a, const AccessLogFilter *f, int64_t max, int64_t *total) {
  *total = 0;
  WhereSql w;
  filter_where(&w, f, NULL);
  Stmt *st = db_prepare(db, arena_printf(a, "SELECT COUNT(*) AS n FROM (SELECT 1 AS one FROM access_log l%s "
                                            "LIMIT ?) t", w.sql));
  if (!st) return DB_ERROR;
  db_bind_int(st, filter_bind(st, f), max + 1);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* Maps a row of LOG_COLUMNS into the AccessLogRow at p. */
static void log_row_map(Arena *a, Stmt *st, void *p) { *(AccessLogRow *)p = row_map(a, st); }

/* The time of entry id into *at (DB_DONE: no such entry). */
static int entry_at(Db *db, int64_t id, int64_t *at) {
  Stmt *st = db_prepare(db, "SELECT at FROM access_log WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *at = db_int(st, "at");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int accesslog_page(Db *db, Arena *a, const AccessLogFilter *f, int limit, int64_t before, int64_t after,
                   AccessLogPage *pg) {
  *pg = (AccessLogPage){0};
  if (limit < 1) limit = 1;
  /* newer than `after`: the oldest limit + 1 of them, turned round below; else older than `before` (or the
   * newest), newest first. One more row than shown says whether there is more. With a period the order is
   * (at, id), which the index access_log_at (at, id) gives without sorting the period; the key is then the
   * entry's (at, id) (row values), else its id. */
  bool up = after > 0 && before <= 0, timed = f->from_at || f->to_at;
  int64_t key = up ? after : before > 0 ? before : 0, key_at = 0;
  if (key && timed) {
    int rc = entry_at(db, key, &key_at);
    if (rc == DB_DONE) key = 0; /* an entry that does not exist: from the newest */
    else if (rc != DB_OK) return rc;
  }
  const char *cond = !key ? NULL : timed ? (up ? "(l.at, l.id) > (?, ?)" : "(l.at, l.id) < (?, ?)")
                                         : (up ? "l.id > ?" : "l.id < ?");
  if (!key && up) up = false;
  WhereSql w;
  filter_where(&w, f, cond);
  const char *order = timed ? (up ? "l.at ASC, l.id ASC" : "l.at DESC, l.id DESC") : (up ? "l.id ASC" : "l.id DESC");
  Stmt *st = db_prepare(db, arena_printf(a, LOG_COLUMNS "%s ORDER BY %s LIMIT ?", w.sql, order));
  if (!st) return DB_ERROR;
  int i = filter_bind(st, f);
  if (key && timed) db_bind_int(st, i++, key_at);
  if (key) db_bind_int(st, i++, key);
  db_bind_int(st, i, limit + 1);
  int rc, n;
  AccessLogRow *rows = db_rows(a, st, sizeof *rows, limit + 1, log_row_map, &n, &rc);
  if (rc != DB_OK) return rc;
  bool more = n > limit;
  if (more) n = limit;
  if (up) {
    for (int j = 0; j < n / 2; j++) {
      AccessLogRow t = rows[j];
      rows[j] = rows[n - 1 - j];
      rows[n - 1 - j] = t;
    }
    pg->newer = more;
    pg->older = true; /* `after` itself matched, or lies above entries that may */
  } else {
    pg->older = more;
    pg->newer = key > 0;
  }
  pg->rows = rows;
  pg->n = n;
  return DB_OK;
}

int accesslog_export(Db *db, Arena *a, const AccessLogFilter *f, int max,
                     void (*each)(void *ctx, const AccessLogRow *row), void *ctx) {
  WhereSql w;
  filter_where(&w, f, NULL);
  Stmt *st = db_prepare(db, arena_printf(a, LOG_COLUMNS "%s ORDER BY l.id LIMIT ?", w.sql));
  if (!st) return DB_ERROR;
  int i = filter_bind(st, f);
  db_bind_int(st, i, max);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    AccessLogRow row = row_map(NULL, st);
    each(ctx, &row);
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}
