/*
 * followups.c — see followups.h.
 */
#include "store/followups.h"

#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "db/rows.h"
#include "store/caseload.h"
#include "store/items.h"
#include "store/visibility.h"

enum { CHECKINS_MAX = 12 };

const char *const checkin_work_statuses[] = {"same_job", "other_job", "not_working", NULL};

int followup_create(Db *db, const FollowupNew *n, int64_t *id) {
  int rc = item_create(db, &(ItemNew){.trajectory_id = n->trajectory_id, .kind = "followup", .category = "practical",
                                      .author_id = n->author_id, .title = n->kind, .body = n->note,
                                      .created_at = n->created_at},
                       id);
  if (rc != DB_OK) return rc;
  Stmt *f = db_prepare(db, "INSERT INTO followups (item_id, trajectory_id, kind, due_on, months, created_by, created_at) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!f) return DB_ERROR;
  db_bind_int(f, 1, *id);
  db_bind_int(f, 2, n->trajectory_id);
  db_bind_text(f, 3, n->kind);
  db_bind_text(f, 4, n->due_on);
  if (n->months > 0) db_bind_int(f, 5, n->months); else db_bind_null(f, 5);
  db_bind_int(f, 6, n->author_id);
  db_bind_int(f, 7, n->created_at);
  if ((rc = db_run(f)) != DB_OK) return rc;
  return caseload_next_refresh(db, n->trajectory_id);
}

int followups_plan_checkins(Db *db, Arena *a, int64_t tid, int64_t author_id, int32_t back, const char *months,
                            int64_t now, int *made) {
  *made = 0;
  char *list = arena_strdup(a, months), *save = NULL;
  for (char *t = strtok_r(list, ", ", &save); t && *made < CHECKINS_MAX; t = strtok_r(NULL, ", ", &save)) {
    int m = atoi(t);
    if (m <= 0 || m > 120) continue;
    char due[11];
    date_format(date_add_months(back, m), due);
    int64_t id;
    int rc = followup_create(db, &(FollowupNew){.trajectory_id = tid, .author_id = author_id, .created_at = now,
                                               .kind = "checkin", .due_on = due, .note = NULL, .months = m},
                             &id);
    if (rc != DB_OK) return rc;
    (*made)++;
  }
  return DB_OK;
}

int followups_trajectory_open(Db *db, int64_t tid, bool *open) {
  *open = false;
  Stmt *st = db_prepare(db, "SELECT status FROM trajectories WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *open = strcmp(db_text(st, "status"), "open") == 0;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int followups_checkins_planned(Db *db, int64_t tid, bool *any) {
  *any = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM followups WHERE trajectory_id = ? AND kind = 'checkin' LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  *any = rc == DB_ROW;
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

/* Maps the current row of st (item_id AS id, kind, due_on, done_on, months, note) into a Followup. */
static Followup followup_row(Arena *a, Stmt *st) {
  return (Followup){.id = db_int(st, "id"),
                    .months = db_null(st, "months") ? 0 : (int)db_int(st, "months"),
                    .kind = arena_strdup(a, db_text(st, "kind")),
                    .due_on = arena_strdup(a, db_text(st, "due_on")),
                    .done_on = db_null(st, "done_on") ? NULL : arena_strdup(a, db_text(st, "done_on")),
                    .note = arena_strdup(a, db_text(st, "note"))};
}

/* Maps a row of followups_visible' query into the Followup at p. */
static void followup_map(Arena *a, Stmt *st, void *p) { *(Followup *)p = followup_row(a, st); }

int followups_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, Followup **out,
                      int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT f.item_id AS id, f.kind, f.due_on, f.done_on, f.months, i.body AS note "
                            "FROM followups f JOIN items i ON i.id = f.item_id WHERE f.trajectory_id = ? AND "
                            POLICY_SQL_ITEM_VISIBLE " ORDER BY f.due_on, f.item_id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, followup_map, n, &rc);
  return rc;
}

int followup_get(Db *db, Arena *a, int64_t tid, int64_t fid, Followup *out) {
  Stmt *st = db_prepare(db, "SELECT f.item_id AS id, f.kind, f.due_on, f.done_on, f.months, i.body AS note "
                            "FROM followups f JOIN items i ON i.id = f.item_id "
                            "WHERE f.item_id = ? AND f.trajectory_id = ? AND i.deleted_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, fid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = followup_row(a, st);
  db_done(st);
  return rc;
}

int followup_mark_done(Db *db, int64_t tid, int64_t fid, const char *on, int64_t user_id) {
  Stmt *up = db_prepare(db, "UPDATE followups SET done_on = ?, done_by = ? WHERE item_id = ? AND trajectory_id = ? "
                            "AND done_on IS NULL");
  if (!up) return DB_ERROR;
  db_bind_text(up, 1, on);
  db_bind_int(up, 2, user_id);
  db_bind_int(up, 3, fid);
  db_bind_int(up, 4, tid);
  int rc = db_run(up);
  if (rc != DB_OK) return rc;
  if (db_changes(db) != 1) return DB_DONE;
  return caseload_next_refresh(db, tid);
}

int checkin_record(Db *db, const CheckinNew *n, int64_t *id) {
  *id = 0;
  Stmt *up = db_prepare(db, "UPDATE followups SET done_on = ?, done_by = ? WHERE item_id = ? AND trajectory_id = ? "
                            "AND kind = 'checkin' AND done_on IS NULL");
  if (!up) return DB_ERROR;
  db_bind_text(up, 1, n->held_on);
  db_bind_int(up, 2, n->author_id);
  db_bind_int(up, 3, n->followup_id);
  db_bind_int(up, 4, n->trajectory_id);
  int rc = db_run(up);
  if (rc != DB_OK) return rc;
  if (db_changes(db) != 1) return DB_DONE;
  if ((rc = caseload_next_refresh(db, n->trajectory_id)) != DB_OK) return rc;
  rc = item_create(db, &(ItemNew){.trajectory_id = n->trajectory_id, .kind = "checkin", .category = "work",
                                  .author_id = n->author_id, .title = "checkin", .body = n->remark,
                                  .created_at = n->created_at},
                   id);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO checkin_results (item_id, followup_id, trajectory_id, work_status, "
                            "hours_per_week_tenths, held_on, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *id);
  db_bind_int(st, 2, n->followup_id);
  db_bind_int(st, 3, n->trajectory_id);
  db_bind_text(st, 4, n->work_status);
  db_bind_int(st, 5, n->hours_tenths);
  db_bind_text(st, 6, n->held_on);
  db_bind_int(st, 7, n->author_id);
  db_bind_int(st, 8, n->created_at);
  return db_run(st);
}

/* Maps a row of checkin_results_visible' query into the CheckinResult at p. */
static void checkin_result_map(Arena *a, Stmt *st, void *p) {
  *(CheckinResult *)p = (CheckinResult){.id = db_int(st, "id"),
                                        .followup_id = db_int(st, "followup_id"),
                                        .hours_tenths = db_int(st, "hours_per_week_tenths"),
                                        .work_status = db_text_copy(a, st, "work_status"),
                                        .held_on = db_text_copy(a, st, "held_on"),
                                        .remark = db_text_copy(a, st, "remark")};
}

int checkin_results_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max,
                            CheckinResult **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT c.item_id AS id, c.followup_id, c.work_status, c.hours_per_week_tenths, c.held_on, "
                            "i.body AS remark FROM checkin_results c JOIN items i ON i.id = c.item_id "
                            "WHERE c.trajectory_id = ? AND " POLICY_SQL_ITEM_VISIBLE " ORDER BY c.held_on, c.item_id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc;
  *out = db_rows(a, st, sizeof **out, max, checkin_result_map, n, &rc);
  return rc;
}

/* ---- (issue 11): the participant's start page */

int followup_next_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, Followup *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_prepare(db, "SELECT f.item_id, f.kind, f.due_on FROM followups f JOIN items i ON i.id = f.item_id "
                            "WHERE f.trajectory_id = ? AND f.done_on IS NULL AND f.due_on >= ? AND "
                            POLICY_SQL_ITEM_VISIBLE " ORDER BY f.due_on, f.item_id LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, today);
  policy_bind_item_filter(st, 3, u, today);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    out->id = db_int(st, "item_id");
    out->kind = arena_strdup(a, db_text(st, "kind"));
    out->due_on = arena_strdup(a, db_text(st, "due_on"));
  }
  db_done(st);
  return rc;
}
