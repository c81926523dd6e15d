/*
 * messages.c — see messages.h. A message's columns and the reader condition are written once, as macros,
 * for the list and the single message.
 */
#include "store/messages.h"

#include <stdio.h>

#include "store/items.h"
#include "store/visibility.h"

/* The columns of a message as u reads it; the author is named only as the membership rule allows. Its
 * parameters come first (bind_columns): the user filter, then u's id twice (addressed to u, unread). */
#define MESSAGE_COLUMNS                                                                                     \
  "SELECT i.id, i.body, i.category, i.created_at, i.author_id, m.thread_id, m.withdrawn_at, "             \
  "CASE WHEN " POLICY_SQL_USER_VISIBLE("i.author_id", "i.trajectory_id") " THEN u.name END AS author, "    \
  "(SELECT COUNT(*) FROM message_recipients tm WHERE tm.message_id = i.id AND tm.user_id = ?) AS to_me, "   \
  "(SELECT COUNT(*) FROM message_recipients um WHERE um.message_id = i.id AND um.user_id = ?"               \
  " AND um.read_at IS NULL) AS unread "                                                                     \
  "FROM items i JOIN messages m ON m.item_id = i.id JOIN users u ON u.id = i.author_id "

/* Who reads a message besides the rule: its author, a coach of the trajectory (the hub), its recipients.
 * Parameters: u's id, coach (0/1), u's id. */
#define MESSAGE_READER                                                                                      \
  "(i.author_id = ? OR ? = 1 OR EXISTS (SELECT 1 FROM message_recipients rm WHERE rm.message_id = i.id"     \
  " AND rm.user_id = ?))"

static int bind_columns(Stmt *st, const User *u) {
  int i = policy_bind_user_filter(st, 1, u);
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, u->id);
  return i;
}

static int bind_reader(Stmt *st, int i, const User *u, bool coach, const char *today) {
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, coach ? 1 : 0);
  db_bind_int(st, i++, u->id);
  return policy_bind_item_filter(st, i, u, today);
}

/* The one mapping of a MESSAGE_COLUMNS row. */
static Message message_from_row(Arena *a, Stmt *st) {
  return (Message){.id = db_int(st, "id"), .thread_id = db_null(st, "thread_id") ? 0 : db_int(st, "thread_id"),
                   .author_id = db_int(st, "author_id"), .created_at = db_int(st, "created_at"),
                   .withdrawn_at = db_null(st, "withdrawn_at") ? 0 : db_int(st, "withdrawn_at"),
                   .body = db_null(st, "withdrawn_at") ? db_text_copy(a, st, "body") : "",
                   .category = db_text_copy(a, st, "category"), .author = db_text_copy(a, st, "author"),
                   .to_me = db_int(st, "to_me") > 0, .unread = db_int(st, "unread") > 0};
}

int messages_visible(Db *db, Arena *a, const User *u, int64_t tid, bool coach, const char *today, int limit,
                     Message **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(limit + 1));
  Stmt *st = db_prepare(db, MESSAGE_COLUMNS "WHERE i.trajectory_id = ? AND i.kind = 'message' AND " MESSAGE_READER
                            " AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY COALESCE(m.thread_id, i.id) DESC, i.created_at, i.id LIMIT ?");
  if (!st) return DB_ERROR;
  int i = bind_columns(st, u);
  db_bind_int(st, i++, tid);
  i = bind_reader(st, i, u, coach, today);
  db_bind_int(st, i, limit);
  int rc;
  while (*n < limit && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = message_from_row(a, st);
  db_done(st);
  if (*n == limit) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}

int message_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t mid, bool coach, const char *today,
                Message *out) {
  Stmt *st = db_prepare(db, MESSAGE_COLUMNS "WHERE i.id = ? AND i.trajectory_id = ? AND i.kind = 'message' AND "
                            MESSAGE_READER " AND " POLICY_SQL_ITEM_VISIBLE);
  if (!st) return DB_ERROR;
  int i = bind_columns(st, u);
  db_bind_int(st, i++, mid);
  db_bind_int(st, i++, tid);
  bind_reader(st, i, u, coach, today);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = message_from_row(a, st);
  db_done(st);
  return rc;
}

int message_recipients_of(Db *db, Arena *a, const User *u, int64_t mid, MessageRecipient **out, int *n) {
  enum { MAX = 64 };
  *n = 0;
  *out = arena_alloc(a, sizeof **out * MAX);
  Stmt *st = db_prepare(db, "SELECT r.user_id, r.read_at, CASE WHEN "
                            POLICY_SQL_USER_VISIBLE("r.user_id", "i.trajectory_id") " THEN u.name END AS name "
                            "FROM message_recipients r JOIN items i ON i.id = r.message_id "
                            "JOIN users u ON u.id = r.user_id WHERE r.message_id = ? ORDER BY u.name, r.user_id");
  if (!st) return DB_ERROR;
  db_bind_int(st, policy_bind_user_filter(st, 1, u), mid);
  int rc;
  while (*n < MAX && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (MessageRecipient){.user_id = db_int(st, "user_id"),
                                        .read_at = db_null(st, "read_at") ? 0 : db_int(st, "read_at"),
                                        .name = db_text_copy(a, st, "name")};
  db_done(st);
  if (*n == MAX) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}

int message_candidates(Db *db, Arena *a, const User *u, int64_t tid, MessageCandidate **out, int *n) {
  enum { MAX = 64 };
  *n = 0;
  *out = arena_alloc(a, sizeof **out * MAX);
  Stmt *st = db_prepare(db,
      "SELECT c.user_id, MIN(c.kind) AS kind, u.name, u.roles FROM ("
      " SELECT tc.user_id AS user_id, tc.trajectory_id AS trajectory_id, 'coach' AS kind FROM trajectory_coaches tc"
      "  WHERE tc.trajectory_id = ?"
      " UNION SELECT p.user_id, t.id, 'participant' FROM trajectories t JOIN participants p ON p.id = t.participant_id"
      "  WHERE t.id = ? AND p.user_id IS NOT NULL"
      " UNION SELECT nm.user_id, nm.trajectory_id, nm.side FROM network_members nm"
      "  WHERE nm.trajectory_id = ? AND nm.user_id IS NOT NULL AND nm.removed_at IS NULL) c"
      " JOIN users u ON u.id = c.user_id WHERE c.user_id <> ? AND u.active = 1 AND "
      POLICY_SQL_USER_VISIBLE("c.user_id", "c.trajectory_id")
      " GROUP BY c.user_id, u.name, u.roles ORDER BY MIN(c.kind), u.name, c.user_id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, tid);
  db_bind_int(st, 3, tid);
  db_bind_int(st, 4, u->id);
  policy_bind_user_filter(st, 5, u);
  int rc;
  while (*n < MAX && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (MessageCandidate){.user_id = db_int(st, "user_id"), .roles = (unsigned)db_int(st, "roles"),
                                        .name = db_text_copy(a, st, "name"),
                                        .kind = db_text_copy(a, st, "kind")};
  db_done(st);
  if (*n == MAX) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}

int message_reader_allowed(Db *db, const User *reader, int64_t tid, const char *category, int64_t source_member_id,
                           int64_t author_id, const char *today, bool *ok) {
  *ok = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS ok FROM (SELECT CAST(? AS BIGINT) AS trajectory_id, CAST(? AS TEXT) AS category,"
                            " CAST(? AS BIGINT) AS source_member_id, CAST(? AS BIGINT) AS author_id,"
                            " CAST(NULL AS BIGINT) AS deleted_at) i WHERE " POLICY_SQL_ITEM_VISIBLE);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, category);
  if (source_member_id) db_bind_int(st, 3, source_member_id);
  else db_bind_null(st, 3);
  db_bind_int(st, 4, author_id);
  policy_bind_item_filter(st, 5, reader, today);
  int rc = db_step(st);
  *ok = rc == DB_ROW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int message_create(Db *db, int64_t id, int64_t tid, int64_t thread_id) {
  Stmt *st = db_prepare(db, "INSERT INTO messages (item_id, trajectory_id, thread_id) VALUES (?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, tid);
  if (thread_id) db_bind_int(st, 3, thread_id);
  else db_bind_null(st, 3);
  return db_run(st);
}

/* ---- the summary of each recipient's messages (message_inbox, migration 024) ----
 * Kept by the three writes below in the caller's transaction: a receipt added (total + 1, unread + 1), a
 * receipt set (unread - 1 unless the message was withdrawn), a withdrawal (unread - 1 for every recipient who
 * had not read it). A group is what the rule sees of a message: trajectory, category, source party, author. */

/* The group of message id and whether it is withdrawn. */
typedef struct MessageGroup {
  int64_t tid, source_key, author_id, created_at;
  bool withdrawn;
  char category[32];
} MessageGroup;

/* Reads the group of message id into *g: DB_OK, DB_DONE when id is not a message, or a DB error code
 * (DB_ERROR, logged by nobody, for a category longer than any code: the key would not be exact). */
static int group_of(Db *db, int64_t id, MessageGroup *g) {
  Stmt *st = db_prepare(db, "SELECT i.trajectory_id, i.category, COALESCE(i.source_member_id, 0) AS source_key,"
                            " i.author_id, i.created_at, m.withdrawn_at FROM items i JOIN messages m ON m.item_id = i.id"
                            " WHERE i.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *g = (MessageGroup){.tid = db_int(st, "trajectory_id"), .source_key = db_int(st, "source_key"),
                        .author_id = db_int(st, "author_id"), .created_at = db_int(st, "created_at"),
                        .withdrawn = !db_null(st, "withdrawn_at")};
    if (snprintf(g->category, sizeof g->category, "%s", db_text(st, "category")) >= (int)sizeof g->category)
      rc = DB_ERROR;
  }
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* The key of a message_inbox row after the recipient's id: binds it from index idx. */
#define GROUP_KEY " AND trajectory_id = ? AND category = ? AND source_key = ? AND author_id = ?"
static void bind_group(Stmt *st, int idx, const MessageGroup *g) {
  db_bind_int(st, idx, g->tid);
  db_bind_text(st, idx + 1, g->category);
  db_bind_int(st, idx + 2, g->source_key);
  db_bind_int(st, idx + 3, g->author_id);
}

int message_add_recipient(Db *db, int64_t id, int64_t user_id) {
  Stmt *st = db_prepare(db, "INSERT INTO message_recipients (message_id, user_id) VALUES (?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, user_id);
  int rc = db_run(st);
  MessageGroup g;
  if (rc == DB_OK) rc = group_of(db, id, &g);
  if (rc != DB_OK) return rc;
  if (!(st = db_prepare(db, "UPDATE message_inbox SET total = total + 1, unread = unread + ?,"
                            " last_at = CASE WHEN last_at < ? THEN ? ELSE last_at END WHERE user_id = ?" GROUP_KEY)))
    return DB_ERROR;
  db_bind_int(st, 1, g.withdrawn ? 0 : 1);
  db_bind_int(st, 2, g.created_at);
  db_bind_int(st, 3, g.created_at);
  db_bind_int(st, 4, user_id);
  bind_group(st, 5, &g);
  if ((rc = db_run(st)) != DB_OK || db_changes(db) > 0) return rc;
  if (!(st = db_prepare(db, "INSERT INTO message_inbox (user_id, trajectory_id, category, source_key, author_id,"
                            " total, unread, last_at) VALUES (?, ?, ?, ?, ?, 1, ?, ?)")))
    return DB_ERROR;
  db_bind_int(st, 1, user_id);
  bind_group(st, 2, &g);
  db_bind_int(st, 6, g.withdrawn ? 0 : 1);
  db_bind_int(st, 7, g.created_at);
  return db_run(st);
}

int message_mark_read(Db *db, int64_t id, int64_t user_id, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE message_recipients SET read_at = ? WHERE message_id = ? AND user_id = ?"
                            " AND read_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, user_id);
  int rc = db_run(st);
  if (rc != DB_OK || db_changes(db) == 0) return rc;
  MessageGroup g;
  if ((rc = group_of(db, id, &g)) != DB_OK || g.withdrawn) return rc;
  if (!(st = db_prepare(db, "UPDATE message_inbox SET unread = unread - 1 WHERE user_id = ?" GROUP_KEY)))
    return DB_ERROR;
  db_bind_int(st, 1, user_id);
  bind_group(st, 2, &g);
  return db_run(st);
}

int message_withdraw(Db *db, int64_t id, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE messages SET withdrawn_at = ? WHERE item_id = ? AND withdrawn_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  if (db_changes(db) > 0) { /* the recipients who had not read it no longer have it unread */
    MessageGroup g;
    if ((rc = group_of(db, id, &g)) != DB_OK) return rc;
    if (!(st = db_prepare(db, "UPDATE message_inbox SET unread = unread - 1 WHERE user_id IN (SELECT r.user_id"
                              " FROM message_recipients r WHERE r.message_id = ? AND r.read_at IS NULL)" GROUP_KEY)))
      return DB_ERROR;
    db_bind_int(st, 1, id);
    bind_group(st, 2, &g);
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  if (!(st = db_prepare(db, "UPDATE items SET body = '', updated_at = ? WHERE id = ? AND kind = 'message'")))
    return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  return db_run(st);
}

/* The reader's message_inbox rows as items rows `i` for POLICY_SQL_ITEM_VISIBLE: a row stands for its group of
 * messages, which the rule cannot tell apart. One parameter: the reader's id. `extra` narrows the rows. */
#define INBOX_ROWS(extra)                                                                                   \
  "(SELECT s.trajectory_id, s.category, CASE WHEN s.source_key = 0 THEN NULL ELSE s.source_key END"          \
  " AS source_member_id, s.author_id, CAST(NULL AS BIGINT) AS deleted_at, s.total, s.unread, s.last_at"       \
  " FROM message_inbox s WHERE s.user_id = ?" extra ") i"

int messages_unread_count(Db *db, const User *u, const char *today, int64_t *n) {
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT COALESCE(SUM(i.unread), 0) AS n FROM " INBOX_ROWS(" AND s.unread > 0")
                            " WHERE " POLICY_SQL_ITEM_VISIBLE);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  policy_bind_item_filter(st, 2, u, today);
  int rc = db_step(st);
  if (rc == DB_ROW) *n = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Sums u's summary rows that the rule lets u see per trajectory, then names each participant once. */
int messages_inbox(Db *db, Arena *a, const User *u, const char *today, int limit, InboxRow **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(limit + 1));
  Stmt *st = db_prepare(db,
      "SELECT t.id AS tid, t.participant_id AS pid, p.first_name, p.last_name, g.total, g.unread,"
      " CASE WHEN ? = 1 AND EXISTS (SELECT 1 FROM trajectory_coaches sc WHERE sc.trajectory_id = t.id"
      " AND (sc.user_id = ? OR " POLICY_SQL_STANDS_IN_FOR("sc.user_id", "ss") ")) THEN 1"
      " WHEN ? = 1 AND p.user_id = ? THEN 2"
      " WHEN EXISTS (SELECT 1 FROM network_members sm WHERE sm.trajectory_id = t.id AND sm.user_id = ?"
      " AND sm.removed_at IS NULL) THEN 3 ELSE 0 END AS standing"
      " FROM (SELECT i.trajectory_id AS gtid, SUM(i.total) AS total, SUM(i.unread) AS unread, MAX(i.last_at) AS last_at"
      " FROM " INBOX_ROWS("") " WHERE " POLICY_SQL_ITEM_VISIBLE " GROUP BY i.trajectory_id) g"
      " JOIN trajectories t ON t.id = g.gtid JOIN participants p ON p.id = t.participant_id"
      " ORDER BY g.last_at DESC, t.id LIMIT ?");
  if (!st) return DB_ERROR;
  /* the standing, the first that holds: coach (assigned or standing in today), the participant, a member */
  int i = 1;
  db_bind_int(st, i++, (u->roles & ROLE_COACH) ? 1 : 0);
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, u->id);
  db_bind_text(st, i++, today);
  db_bind_text(st, i++, today);
  db_bind_int(st, i++, (u->roles & ROLE_PARTICIPANT) ? 1 : 0);
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, u->id);
  db_bind_int(st, i++, u->id); /* the summary rows */
  db_bind_int(st, policy_bind_item_filter(st, i, u, today), limit);
  int rc;
  while (*n < limit && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (InboxRow){.trajectory_id = db_int(st, "tid"), .participant_id = db_int(st, "pid"),
                                .unread = db_int(st, "unread"), .total = db_int(st, "total"),
                                .participant = arena_printf(a, "%s %s", db_text(st, "first_name"),
                                                            db_text(st, "last_name")),
                                .coach = db_int(st, "standing") == 1,
                                .participant_self = db_int(st, "standing") == 2,
                                .member = db_int(st, "standing") == 3};
  db_done(st);
  if (*n == limit) return DB_OK;
  return rc == DB_DONE ? DB_OK : rc;
}
