/*
 * assessments.c — see assessments.h.
 */
#include "store/assessments.h"

#include "db/rows.h"
#include "store/items.h"
#include "store/visibility.h"

/* The column entered_by of an assessments row `a` joined with its creator `u`: the creator's name as the
 * membership rule allows it (NULL: withheld), '' when there is none. Bind with policy_bind_user_filter. */
#define ENTERED_BY                                                                                         \
  "CASE WHEN u.id IS NULL THEN '' WHEN " POLICY_SQL_USER_VISIBLE("a.created_by", "a.trajectory_id")          \
  " THEN u.name END AS entered_by"

/* The one mapping of a row (answers only when the query selects them). */
static Assessment assessment_from_row(Arena *a, Stmt *st, bool answers) {
  return (Assessment){.id = db_int(st, "id"), .created_at = db_int(st, "created_at"),
                      .version = (int)db_int(st, "version"), .questionnaire = db_text_copy(a, st, "questionnaire"),
                      .answers = answers ? db_text_copy(a, st, "answers") : NULL,
                      .scores = db_text_copy(a, st, "scores"), .filled_by = db_text_copy(a, st, "filled_by"),
                      .entered_by = db_text_copy(a, st, "entered_by")};
}

/* Maps a row of assessments_visible' query (no answers) into the Assessment at p. */
static void assessment_line_map(Arena *a, Stmt *st, void *p) { *(Assessment *)p = assessment_from_row(a, st, false); }

int assessments_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                        Assessment **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT a.item_id AS id, a.questionnaire, a.version, a.scores, a.filled_by, "
                            "a.created_at, " ENTERED_BY " FROM assessments a "
                            "JOIN items i ON i.id = a.item_id LEFT JOIN users u ON u.id = a.created_by "
                            "WHERE a.trajectory_id = ? AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY a.created_at, a.item_id LIMIT ?");
  if (!st) return DB_ERROR;
  int next = policy_bind_user_filter(st, 1, u);
  db_bind_int(st, next++, tid);
  db_bind_int(st, policy_bind_item_filter(st, next, u, today), max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, assessment_line_map, n, &rc);
  return rc;
}

int assessment_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t aid, Assessment *out) {
  *out = (Assessment){0};
  Stmt *st = db_prepare(db, "SELECT a.item_id AS id, a.questionnaire, a.version, a.answers, a.scores, a.filled_by, "
                            "a.created_at, " ENTERED_BY " FROM assessments a "
                            "LEFT JOIN users u ON u.id = a.created_by WHERE a.item_id = ? AND a.trajectory_id = ?");
  if (!st) return DB_ERROR;
  int next = policy_bind_user_filter(st, 1, u);
  db_bind_int(st, next, aid);
  db_bind_int(st, next + 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = assessment_from_row(a, st, true);
  db_done(st);
  return rc;
}

int assessment_create(Db *db, const AssessmentNew *n, int64_t *id) {
  int rc = item_create(db, &(ItemNew){.trajectory_id = n->trajectory_id, .kind = "assessment",
                                      .category = n->category, .author_id = n->author_id, .title = n->title,
                                      .created_at = n->created_at},
                       id);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO assessments (item_id, trajectory_id, questionnaire, version, answers, scores, "
                            "filled_by, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *id);
  db_bind_int(st, 2, n->trajectory_id);
  db_bind_text(st, 3, n->questionnaire);
  db_bind_int(st, 4, n->version);
  db_bind_text(st, 5, n->answers);
  db_bind_text(st, 6, n->scores);
  db_bind_text(st, 7, n->filled_by);
  db_bind_int(st, 8, n->author_id);
  db_bind_int(st, 9, n->created_at);
  return db_run(st);
}
