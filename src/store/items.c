/*
 * items.c — see items.h. The note's columns and its filter are written once, as macros, for the count, the
 * list and the single note.
 */
#include "store/items.h"

#include "db/rows.h"
#include "store/visibility.h"

/* The columns of a note; author and source are named only as the membership rule allows (NULL otherwise).
 * Its parameters come first: bind them with bind_names. */
#define NOTE_COLUMNS                                                                                       \
  "SELECT i.id, i.title, i.body, i.category, i.created_at, i.source_member_id, "                           \
  "CASE WHEN " POLICY_SQL_USER_VISIBLE("i.author_id", "i.trajectory_id") " THEN u.name END AS author, "    \
  "CASE WHEN " POLICY_SQL_MEMBER_VISIBLE("m") " THEN m.name END AS source_name "                           \
  "FROM items i JOIN users u ON u.id = i.author_id LEFT JOIN network_members m ON m.id = i.source_member_id "

#define NOTE_FILTER                                                                                         \
  "WHERE i.trajectory_id = ? AND i.kind = 'note' AND (? = 0 OR i.category = ?) "                          \
  "AND (? = 0 OR LOWER(i.title) LIKE ? ESCAPE '\\' OR LOWER(i.body) LIKE ? ESCAPE '\\') AND "               \
  POLICY_SQL_ITEM_VISIBLE

/* Binds NOTE_COLUMNS' parameters from index 1; returns the next index. */
static int bind_names(Stmt *st, const User *u) {
  return policy_bind_member_filter(st, policy_bind_user_filter(st, 1, u), u);
}

/* Binds NOTE_FILTER's parameters from index i; returns the next index. */
static int bind_filter(Stmt *st, int i, const User *u, const NoteFilter *f, const char *today) {
  db_bind_int(st, i++, f->trajectory_id);
  db_bind_int(st, i++, *f->category ? 1 : 0);
  db_bind_text(st, i++, f->category);
  db_bind_int(st, i++, *f->like ? 1 : 0);
  db_bind_text(st, i++, f->like);
  db_bind_text(st, i++, f->like);
  return policy_bind_item_filter(st, i, u, today);
}

/* The one mapping of a NOTE_COLUMNS row. */
static Note note_from_row(Arena *a, Stmt *st) {
  return (Note){.id = db_int(st, "id"), .created_at = db_int(st, "created_at"),
                .title = db_text_copy(a, st, "title"), .body = db_text_copy(a, st, "body"),
                .category = db_text_copy(a, st, "category"), .author = db_text_copy(a, st, "author"),
                .source_name = db_text_copy(a, st, "source_name"), .source_member = !db_null(st, "source_member_id")};
}

int notes_count(Db *db, const User *u, const NoteFilter *f, const char *today, int64_t *total) {
  *total = 0;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM items i " NOTE_FILTER);
  if (!st) return DB_ERROR;
  bind_filter(st, 1, u, f, today);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Maps a row of NOTE_COLUMNS into the Note at p. */
static void note_map(Arena *a, Stmt *st, void *p) { *(Note *)p = note_from_row(a, st); }

int notes_visible(Db *db, Arena *a, const User *u, const NoteFilter *f, const char *today, int64_t limit,
                  int64_t offset, Note **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, NOTE_COLUMNS NOTE_FILTER " ORDER BY i.created_at DESC, i.id DESC LIMIT ? OFFSET ?");
  if (!st) return DB_ERROR;
  int next = bind_filter(st, bind_names(st, u), u, f, today);
  db_bind_int(st, next, limit);
  db_bind_int(st, next + 1, offset);
  int rc;
  *out = db_rows(a, st, sizeof **out, (int)limit, note_map, n, &rc);
  return rc;
}

int note_get(Db *db, Arena *a, const User *u, int64_t nid, Note *out) {
  Stmt *st = db_prepare(db, NOTE_COLUMNS "WHERE i.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, bind_names(st, u), nid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = note_from_row(a, st);
  db_done(st);
  return rc;
}

int item_create(Db *db, const ItemNew *n, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO items (trajectory_id, kind, category, source_member_id, author_id, title, "
                            "body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, n->trajectory_id);
  db_bind_text(st, 2, n->kind);
  db_bind_text(st, 3, n->category);
  if (n->source_member_id) db_bind_int(st, 4, n->source_member_id); else db_bind_null(st, 4);
  db_bind_int(st, 5, n->author_id);
  db_bind_text(st, 6, n->title);
  db_bind_text(st, 7, n->body ? n->body : "");
  db_bind_int(st, 8, n->created_at);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}
