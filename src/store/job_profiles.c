/*
 * job_profiles.c — see job_profiles.h.
 */
#include "store/job_profiles.h"

#include "store/items.h"
#include "store/visibility.h"

static int int_or(Stmt *st, const char *col) { return db_null(st, col) ? -1 : (int)db_int(st, col); }

static void bind_opt(Stmt *st, int idx, int v) {
  if (v < 0) db_bind_null(st, idx);
  else db_bind_int(st, idx, v);
}

int job_profile_get(Db *db, Arena *a, int64_t tid, JobProfile *out) {
  Stmt *st = db_prepare(db, "SELECT p.id, p.trajectory_id, p.work_item_id, p.capacity_item_id, p.kinds, p.hours_now, "
                            "p.hours_goal, p.regions, p.max_travel_min, p.avoid, p.support, p.coach_work, "
                            "p.coach_capacity, p.updated_at, u.name AS updated_by, w.body AS own_work, "
                            "c.body AS own_capacity FROM job_profiles p JOIN items w ON w.id = p.work_item_id "
                            "JOIN items c ON c.id = p.capacity_item_id JOIN users u ON u.id = p.updated_by "
                            "WHERE p.trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW)
    *out = (JobProfile){.id = db_int(st, "id"), .trajectory_id = db_int(st, "trajectory_id"),
                        .work_item_id = db_int(st, "work_item_id"), .capacity_item_id = db_int(st, "capacity_item_id"),
                        .updated_at = db_int(st, "updated_at"), .kinds = db_text_copy(a, st, "kinds"),
                        .regions = db_text_copy(a, st, "regions"), .avoid = db_text_copy(a, st, "avoid"),
                        .hours_now = int_or(st, "hours_now"), .hours_goal = int_or(st, "hours_goal"),
                        .max_travel_min = int_or(st, "max_travel_min"), .support = (unsigned)db_int(st, "support"),
                        .own_work = db_text_copy(a, st, "own_work"), .own_capacity = db_text_copy(a, st, "own_capacity"),
                        .coach_work = db_text_copy(a, st, "coach_work"),
                        .coach_capacity = db_text_copy(a, st, "coach_capacity"),
                        .updated_by = db_text_copy(a, st, "updated_by")};
  db_done(st);
  return rc;
}

/* The profile of tid: *id and *updated_at, or both 0 when there is none. */
static int current(Db *db, int64_t tid, int64_t *id, int64_t *updated_at, int64_t *work_item, int64_t *cap_item) {
  *id = *updated_at = *work_item = *cap_item = 0;
  Stmt *st = db_prepare(db, "SELECT id, updated_at, work_item_id, capacity_item_id FROM job_profiles "
                            "WHERE trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *id = db_int(st, "id");
    *updated_at = db_int(st, "updated_at");
    *work_item = db_int(st, "work_item_id");
    *cap_item = db_int(st, "capacity_item_id");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Finds or creates the profile of tid (with its two items authored by `by`) and checks it is still the one
 * the editor saw (expected). Writes ids; DB_DONE when it changed meanwhile. */
static int ensure(Db *db, int64_t tid, int64_t by, int64_t now, int64_t expected, int64_t *id, int64_t *work_item,
                  int64_t *cap_item) {
  int64_t at;
  int rc = current(db, tid, id, &at, work_item, cap_item);
  if (rc != DB_OK) return rc;
  if (*id) return at == expected ? DB_OK : DB_DONE;
  if (expected) return DB_DONE; /* the editor saw a profile that is gone: cannot happen, profiles stay */
  if ((rc = item_create(db, &(ItemNew){.trajectory_id = tid, .kind = "job_profile", .category = "work",
                                       .author_id = by, .title = "Job profile: work", .body = "", .created_at = now},
                        work_item)) != DB_OK)
    return rc;
  if ((rc = item_create(db, &(ItemNew){.trajectory_id = tid, .kind = "job_profile", .category = "capacity",
                                       .author_id = by, .title = "Job profile: capacity", .body = "",
                                       .created_at = now},
                        cap_item)) != DB_OK)
    return rc;
  Stmt *st = db_prepare(db, "INSERT INTO job_profiles (trajectory_id, work_item_id, capacity_item_id, created_by, "
                            "created_at, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, *work_item);
  db_bind_int(st, 3, *cap_item);
  db_bind_int(st, 4, by);
  db_bind_int(st, 5, now);
  db_bind_int(st, 6, by);
  db_bind_int(st, 7, 0); /* set by the save that follows */
  rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* Touches the two items (their updated_at) so that they read as changed. */
static int touch_items(Db *db, int64_t work_item, int64_t cap_item, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE items SET updated_at = ? WHERE id = ? OR id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, work_item);
  db_bind_int(st, 3, cap_item);
  return db_run(st);
}

int job_profile_save_coach(Db *db, int64_t tid, int64_t by, int64_t now, int64_t expected, const JobProfileCoach *c,
                           int64_t *id) {
  int64_t wi, ci;
  int rc = ensure(db, tid, by, now, expected, id, &wi, &ci);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "UPDATE job_profiles SET kinds = ?, regions = ?, avoid = ?, coach_work = ?, "
                            "coach_capacity = ?, hours_now = ?, hours_goal = ?, max_travel_min = ?, support = ?, "
                            "updated_by = ?, updated_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, c->kinds);
  db_bind_text(st, 2, c->regions);
  db_bind_text(st, 3, c->avoid);
  db_bind_text(st, 4, c->coach_work);
  db_bind_text(st, 5, c->coach_capacity);
  bind_opt(st, 6, c->hours_now);
  bind_opt(st, 7, c->hours_goal);
  bind_opt(st, 8, c->max_travel_min);
  db_bind_int(st, 9, (int64_t)c->support);
  db_bind_int(st, 10, by);
  db_bind_int(st, 11, now);
  db_bind_int(st, 12, *id);
  if ((rc = db_run(st)) != DB_OK) return rc;
  return touch_items(db, wi, ci, now);
}

int job_profile_save_own(Db *db, int64_t tid, int64_t by, int64_t now, int64_t expected, const char *work,
                         const char *capacity, int64_t *id) {
  int64_t wi, ci;
  int rc = ensure(db, tid, by, now, expected, id, &wi, &ci);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "UPDATE items SET body = ?, updated_at = ? WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, work);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, wi);
  if ((rc = db_run(st)) != DB_OK) return rc;
  if (!(st = db_prepare(db, "UPDATE items SET body = ?, updated_at = ? WHERE id = ?"))) return DB_ERROR;
  db_bind_text(st, 1, capacity);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, ci);
  if ((rc = db_run(st)) != DB_OK) return rc;
  if (!(st = db_prepare(db, "UPDATE job_profiles SET updated_by = ?, updated_at = ? WHERE id = ?"))) return DB_ERROR;
  db_bind_int(st, 1, by);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, *id);
  return db_run(st);
}

int job_profile_strengths(Db *db, const User *u, int64_t tid, const char *today, int64_t *aid) {
  *aid = 0;
  Stmt *st = db_prepare(db, "SELECT s.item_id AS id FROM assessments s JOIN items i ON i.id = s.item_id "
                            "WHERE s.trajectory_id = ? AND s.questionnaire = 'strengths' AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY s.created_at DESC, s.item_id DESC LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  policy_bind_item_filter(st, 2, u, today);
  int rc = db_step(st);
  if (rc == DB_ROW) *aid = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int job_profile_parts_visible(Db *db, const User *u, int64_t tid, const char *today, int64_t *work_item,
                              int64_t *capacity_item) {
  *work_item = *capacity_item = 0;
  Stmt *st = db_prepare(db, "SELECT i.id, i.category FROM job_profiles p JOIN items i "
                            "ON i.id = p.work_item_id OR i.id = p.capacity_item_id "
                            "WHERE p.trajectory_id = ? AND " POLICY_SQL_ITEM_VISIBLE);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  policy_bind_item_filter(st, 2, u, today);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    const char *cat = db_text(st, "category");
    if (cat && cat[0] == 'w') *work_item = db_int(st, "id");
    else *capacity_item = db_int(st, "id");
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}
