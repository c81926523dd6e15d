/*
 * reviews.c — see reviews.h.
 */
#include "store/reviews.h"

#include <stddef.h>

#include "db/rows.h"
#include "store/users.h"

enum { COACHES_MAX = 200, REVIEWS_MAX = 200, ITEMS_MAX = 100 };

/* rc of a read loop that ended: DB_OK when it ran to the end (or was cut off at a maximum). */
static int read_end(int rc) { return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc; }

int reviews_coaches_rotation(Db *db, Arena *a, ReviewCoach **out, int *n) {
  *out = arena_alloc(a, sizeof **out * COACHES_MAX);
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT u.id, u.name, MAX(r.held_on) AS last_chaired FROM users u "
                            "LEFT JOIN case_reviews r ON r.chair_user_id = u.id "
                            "WHERE u.active = 1 AND (u.roles & ?) <> 0 GROUP BY u.id, u.name "
                            "ORDER BY CASE WHEN MAX(r.held_on) IS NULL THEN 0 ELSE 1 END, MAX(r.held_on), "
                            "MAX(r.id), u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, ROLE_COACH);
  int rc;
  while (*n < COACHES_MAX && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (ReviewCoach){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name"),
                                   .last_chaired = db_null(st, "last_chaired") ? NULL
                                                                               : db_text_copy(a, st, "last_chaired")};
  db_done(st);
  return read_end(rc);
}

int reviews_is_team_coach(Db *db, int64_t user_id, bool *is) {
  return user_active_with_role(db, user_id, ROLE_COACH, is);
}

int review_create(Db *db, const User *u, const char *held_on, int64_t chair_id, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO case_reviews (held_on, chair_user_id, created_by, created_at) "
                            "VALUES (?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, held_on);
  db_bind_int(st, 2, chair_id);
  db_bind_int(st, 3, u->id);
  db_bind_int(st, 4, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

#define REVIEW_SELECT                                                                                       \
  "SELECT r.id, r.held_on, r.chair_user_id, u.name AS chair_name, "                                         \
  "(SELECT COUNT(*) FROM case_review_items i WHERE i.review_id = r.id) AS items "                           \
  "FROM case_reviews r JOIN users u ON u.id = r.chair_user_id "

/* Maps the current row of st (REVIEW_SELECT) into a Review. */
static Review review_row(Arena *a, Stmt *st) {
  return (Review){.id = db_int(st, "id"), .chair_id = db_int(st, "chair_user_id"), .items = db_int(st, "items"),
                  .held_on = db_text_copy(a, st, "held_on"), .chair_name = db_text_copy(a, st, "chair_name")};
}

int reviews_list(Db *db, Arena *a, const User *u, Review **out, int *n) {
  *out = arena_alloc(a, sizeof **out * REVIEWS_MAX);
  *n = 0;
  Stmt *st = db_prepare(db, REVIEW_SELECT "WHERE ? = 1 OR EXISTS (SELECT 1 FROM case_review_practitioners x "
                                          "WHERE x.review_id = r.id AND x.user_id = ?) "
                                          "ORDER BY r.held_on DESC, r.id DESC");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, (u->roles & (ROLE_COACH | ROLE_TEAMLEAD)) ? 1 : 0);
  db_bind_int(st, 2, u->id);
  int rc;
  while (*n < REVIEWS_MAX && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = review_row(a, st);
  db_done(st);
  return read_end(rc);
}

int review_get(Db *db, Arena *a, const User *u, int64_t id, Review *out) {
  (void)u;
  Stmt *st = db_prepare(db, REVIEW_SELECT "WHERE r.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = review_row(a, st);
  db_done(st);
  return rc;
}

#define ITEM_SELECT                                                                                         \
  "SELECT i.id, i.review_id, i.trajectory_id, t.participant_id, i.brought_by, i.question, i.advice, "       \
  "i.advice_note_item_id, p.first_name, p.last_name, b.name AS brought_by_name, "                           \
  "(SELECT COUNT(*) FROM trajectory_team_discussion d WHERE d.trajectory_id = i.trajectory_id) AS consent "  \
  "FROM case_review_items i JOIN trajectories t ON t.id = i.trajectory_id "                                  \
  "JOIN participants p ON p.id = t.participant_id JOIN users b ON b.id = i.brought_by "

/* Maps the current row of st (ITEM_SELECT) into a ReviewItem. */
static ReviewItem item_row(Arena *a, Stmt *st) {
  return (ReviewItem){.id = db_int(st, "id"), .review_id = db_int(st, "review_id"),
                      .trajectory_id = db_int(st, "trajectory_id"), .participant_id = db_int(st, "participant_id"),
                      .brought_by = db_int(st, "brought_by"),
                      .note_id = db_null(st, "advice_note_item_id") ? 0 : db_int(st, "advice_note_item_id"),
                      .first_name = db_text_copy(a, st, "first_name"), .last_name = db_text_copy(a, st, "last_name"),
                      .question = db_text_copy(a, st, "question"),
                      .advice = db_null(st, "advice") ? NULL : db_text_copy(a, st, "advice"),
                      .brought_by_name = db_text_copy(a, st, "brought_by_name"),
                      .team_consent = db_int(st, "consent") > 0};
}

int review_items(Db *db, Arena *a, const User *u, int64_t rid, ReviewItem **out, int *n) {
  (void)u;
  *out = arena_alloc(a, sizeof **out * ITEMS_MAX);
  *n = 0;
  Stmt *st = db_prepare(db, ITEM_SELECT "WHERE i.review_id = ? ORDER BY i.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, rid);
  int rc;
  while (*n < ITEMS_MAX && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = item_row(a, st);
  db_done(st);
  return read_end(rc);
}

int review_item_get(Db *db, Arena *a, const User *u, int64_t tid, int64_t iid, ReviewItem *out) {
  (void)u;
  Stmt *st = db_prepare(db, ITEM_SELECT "WHERE i.id = ? AND i.trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, iid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = item_row(a, st);
  db_done(st);
  return rc;
}

int review_item_add(Db *db, const User *u, int64_t rid, int64_t tid, const char *question, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO case_review_items (review_id, trajectory_id, brought_by, question, "
                            "created_at) VALUES (?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, rid);
  db_bind_int(st, 2, tid);
  db_bind_int(st, 3, u->id);
  db_bind_text(st, 4, question);
  db_bind_int(st, 5, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int review_item_advice(Db *db, int64_t iid, const char *advice, int64_t note_id) {
  Stmt *st = db_prepare(db, "UPDATE case_review_items SET advice = ?, advice_note_item_id = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, advice);
  db_bind_int(st, 2, note_id);
  db_bind_int(st, 3, iid);
  return db_run(st);
}

int review_team_consent(Db *db, Arena *a, int64_t tid, bool *yes, const char **on) {
  *yes = false;
  if (on) *on = NULL;
  Stmt *st = db_prepare(db, "SELECT consented_on FROM trajectory_team_discussion WHERE trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *yes = true;
    if (on) *on = db_text_copy(a, st, "consented_on");
  }
  db_done(st);
  return read_end(rc);
}

int review_team_consent_set(Db *db, const User *u, int64_t tid, const char *on, int64_t now) {
  Stmt *st = db_prepare(db, "DELETE FROM trajectory_team_discussion WHERE trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  st = db_prepare(db, "INSERT INTO trajectory_team_discussion (trajectory_id, consented_on, recorded_by, recorded_at) "
                      "VALUES (?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, on);
  db_bind_int(st, 3, u->id);
  db_bind_int(st, 4, now);
  return db_run(st);
}

/* ---- practitioners (issue 12, part 3) ---- */

/* The one mapping of a ReviewPerson row (id, name, function). */
static void map_person(Arena *a, Stmt *st, void *elem) {
  *(ReviewPerson *)elem = (ReviewPerson){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name"),
                                         .function = db_text_copy(a, st, "function")};
}

int review_practitioners(Db *db, Arena *a, int64_t rid, ReviewPerson **out, int *n) {
  enum { MAX = 100 };
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT u.id, u.name, u.function FROM case_review_practitioners x "
                            "JOIN users u ON u.id = x.user_id WHERE x.review_id = ? ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, rid);
  int rc;
  *out = db_rows(a, st, sizeof **out, MAX, map_person, n, &rc);
  return rc;
}

/* SQL condition on users u: an active care-side partner. One parameter: ROLE_PARTNER. */
#define PRACTITIONER "u.active = 1 AND (u.roles & ?) <> 0 AND u.side = 'care'"

int review_practitioner_candidates(Db *db, Arena *a, int64_t rid, ReviewPerson **out, int *n) {
  enum { MAX = 200 };
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT u.id, u.name, u.function FROM users u WHERE " PRACTITIONER
                            " AND NOT EXISTS (SELECT 1 FROM case_review_practitioners x WHERE x.review_id = ? "
                            "AND x.user_id = u.id) ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, ROLE_PARTNER);
  db_bind_int(st, 2, rid);
  int rc;
  *out = db_rows(a, st, sizeof **out, MAX, map_person, n, &rc);
  return rc;
}

int review_practitioner_add(Db *db, const User *u, int64_t rid, int64_t user_id, int64_t now) {
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM users u WHERE u.id = ? AND " PRACTITIONER);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, ROLE_PARTNER);
  int rc = db_step(st);
  db_done(st);
  if (rc == DB_DONE) return DB_CONSTRAINT;
  if (rc != DB_ROW) return rc;
  bool already;
  if ((rc = review_practitioner_invited(db, rid, user_id, &already)) != DB_OK) return rc;
  if (already) return DB_CONSTRAINT;
  st = db_prepare(db, "INSERT INTO case_review_practitioners (review_id, user_id, added_by, added_at) "
                      "VALUES (?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, rid);
  db_bind_int(st, 2, user_id);
  db_bind_int(st, 3, u->id);
  db_bind_int(st, 4, now);
  return db_run(st);
}

int review_practitioner_invited(Db *db, int64_t rid, int64_t user_id, bool *yes) {
  *yes = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM case_review_practitioners WHERE review_id = ? AND user_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, rid);
  db_bind_int(st, 2, user_id);
  int rc = db_step(st);
  db_done(st);
  *yes = rc == DB_ROW;
  return read_end(rc);
}
