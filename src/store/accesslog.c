/*
 * accesslog.c — see accesslog.h.
 */
#include "store/accesslog.h"

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

int accesslog_of_participant(Db *db, Arena *a, const User *reader, int64_t pid, bool others, int max,
                             void (*each)(void *ctx, const AccessMyEntry *e), void *ctx) {
  Stmt *st = db_prepare(db,
                        "SELECT l.at, l.user_id, l.role, l.item, l.action, l.outcome, l.grounds,"
                        " u.name AS user_name, o.name AS org_name,"
                        " (SELECT MAX(CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.role END)"
                        "  FROM network_members m WHERE m.user_id = l.user_id AND m.trajectory_id = l.trajectory_id)"
                        " AS member_role"
                        " FROM access_log l"
                        " LEFT JOIN users u ON u.id = l.user_id LEFT JOIN organisations o ON o.id = u.org_id"
                        " WHERE l.participant_id = ? AND (? = 0 OR l.user_id IS NULL OR l.user_id <> ?)"
                        " ORDER BY l.at DESC, l.id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  int i = policy_bind_member_filter(st, 1, reader);
  db_bind_int(st, i, pid);
  db_bind_int(st, i + 1, others);
  db_bind_int(st, i + 2, reader->id);
  db_bind_int(st, i + 3, max);
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
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM access_log l WHERE l.participant_id = ? "
                            "AND (? = 0 OR l.user_id IS NULL OR l.user_id <> ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  db_bind_int(st, 2, others);
  db_bind_int(st, 3, reader->id);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

/* ---- the log officer's review ---- */

/* FROM and WHERE of the count, the page and the export. Parameters, in order: e-mail flag and e-mail;
 * participant id (0: any) twice; trajectory id (0: any) twice; action flag and action; outcome flag and
 * outcome; from flag and from (unix seconds); to flag and to (exclusive). filter_bind() binds them. */
#define LOG_FROM_WHERE                                                                                  \
  " FROM access_log l LEFT JOIN users u ON u.id = l.user_id LEFT JOIN users b ON b.id = l.on_behalf_of" \
  " WHERE (? = 0 OR u.email = ?) AND (? = 0 OR l.participant_id = ?) AND (? = 0 OR l.trajectory_id = ?)" \
  " AND (? = 0 OR l.action = ?) AND (? = 0 OR l.outcome = ?) AND (? = 0 OR l.at >= ?) AND (? = 0 OR l.at < ?)"

#define LOG_COLUMNS                                                                                        \
  "SELECT l.id, l.at, l.user_id, l.role, l.participant_id, l.trajectory_id, l.item, l.action, l.outcome," \
  " l.grounds, l.client, l.request_id, l.consent_id, l.on_behalf_of, l.hash, u.name AS user_name,"        \
  " u.email AS user_email, u.roles AS user_roles, b.email AS behalf_email, b.roles AS behalf_roles"

/* Binds the LOG_FROM_WHERE parameters from 1; returns the next free index. */
static int filter_bind(Stmt *st, const AccessLogFilter *f) {
  const char *email = f->email ? f->email : "", *action = f->action ? f->action : "";
  const char *outcome = f->outcome ? f->outcome : "";
  db_bind_int(st, 1, *email != 0);
  db_bind_text(st, 2, email);
  db_bind_int(st, 3, f->pid);
  db_bind_int(st, 4, f->pid);
  db_bind_int(st, 5, f->tid);
  db_bind_int(st, 6, f->tid);
  db_bind_int(st, 7, *action != 0);
  db_bind_text(st, 8, action);
  db_bind_int(st, 9, *outcome != 0);
  db_bind_text(st, 10, outcome);
  db_bind_int(st, 11, f->from_at != 0);
  db_bind_int(st, 12, f->from_at);
  db_bind_int(st, 13, f->to_at != 0);
  db_bind_int(st, 14, f->to_at);
  return 15;
}

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

int accesslog_count(Db *db, const AccessLogFilter *f, int64_t *total) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n" LOG_FROM_WHERE);
  if (!st) return DB_ERROR;
  filter_bind(st, f);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int accesslog_page(Db *db, Arena *a, const AccessLogFilter *f, int limit, int64_t offset, AccessLogRow **out,
                   int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(limit > 0 ? limit : 1));
  Stmt *st = db_prepare(db, LOG_COLUMNS LOG_FROM_WHERE " ORDER BY l.id DESC LIMIT ? OFFSET ?");
  if (!st) return DB_ERROR;
  int i = filter_bind(st, f);
  db_bind_int(st, i, limit);
  db_bind_int(st, i + 1, offset);
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < limit) (*out)[(*n)++] = row_map(a, st);
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int accesslog_export(Db *db, const AccessLogFilter *f, int max, void (*each)(void *ctx, const AccessLogRow *row),
                     void *ctx) {
  Stmt *st = db_prepare(db, LOG_COLUMNS LOG_FROM_WHERE " ORDER BY l.id LIMIT ?");
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
