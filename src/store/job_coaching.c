/*
 * job_coaching.c — see job_coaching.h. A contact row is mapped in contact_row.
 */
#include "store/job_coaching.h"

#include <string.h>

#include "core/text.h"
#include "store/items.h"
#include "store/visibility.h"

const char *const job_coaching_modes[] = {"visit", "phone", "online", "office", "email", NULL};
const char *const job_coaching_with[] = {"participant", "employer", "both", NULL};

static int done_ok(int rc) { return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc; }

int job_coaching_schedule(int32_t start, int32_t *out, int max) {
  int n = 0;
  int32_t d = start;
  for (int i = 0; i < 4 && n < max; i++) out[n++] = d += 7;   /* weekly for 4 weeks */
  for (int i = 0; i < 4 && n < max; i++) out[n++] = d += 14;  /* fortnightly for 8 weeks */
  for (int m = 4; m <= 6 && n < max; m++) {                  /* then monthly, up to 6 months */
    int32_t next = date_add_months(start, m);
    if (next > d) out[n++] = d = next;
  }
  return n;
}

int job_contact_plan(Db *db, const JobContactNew *n, int64_t *id) {
  int rc = item_create(db, &(ItemNew){.trajectory_id = n->trajectory_id, .kind = "jobcoaching", .category = "work",
                                      .author_id = n->author_id, .title = "jobcoaching", .body = "",
                                      .created_at = n->created_at},
                       id);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO job_coaching_contacts (item_id, placement_id, trajectory_id, due_on, "
                            "with_whom, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *id);
  db_bind_int(st, 2, n->placement_id);
  db_bind_int(st, 3, n->trajectory_id);
  db_bind_text(st, 4, n->due_on);
  db_bind_text(st, 5, n->with_whom);
  db_bind_int(st, 6, n->author_id);
  db_bind_int(st, 7, n->created_at);
  return db_run(st);
}

int job_contact_record(Db *db, int64_t tid, int64_t id, const char *held_on, const char *mode, int64_t minutes,
                       const char *note, int64_t by, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE job_coaching_contacts SET held_on = ?, mode = ?, minutes = ?, done_by = ? "
                            "WHERE item_id = ? AND trajectory_id = ? AND held_on IS NULL AND cancelled_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, held_on);
  db_bind_text(st, 2, mode);
  db_bind_int(st, 3, minutes);
  db_bind_int(st, 4, by);
  db_bind_int(st, 5, id);
  db_bind_int(st, 6, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  if (db_changes(db) != 1) return DB_DONE;
  Stmt *it = db_prepare(db, "UPDATE items SET body = ?, updated_at = ? WHERE id = ?");
  if (!it) return DB_ERROR;
  db_bind_text(it, 1, note ? note : "");
  db_bind_int(it, 2, now);
  db_bind_int(it, 3, id);
  return db_run(it);
}

int job_contact_cancel(Db *db, int64_t tid, int64_t id, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE job_coaching_contacts SET cancelled_at = ? WHERE item_id = ? AND trajectory_id = ? "
                            "AND held_on IS NULL AND cancelled_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, id);
  db_bind_int(st, 3, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

#define CONTACT_COLUMNS                                                                                   \
  "c.item_id AS id, c.placement_id, c.due_on, c.with_whom, c.held_on, c.mode, COALESCE(c.minutes, 0) AS minutes, " \
  "CASE WHEN c.cancelled_at IS NULL THEN 0 ELSE 1 END AS cancelled, i.body AS note "                        \
  "FROM job_coaching_contacts c JOIN items i ON i.id = c.item_id "

static JobContact contact_row(Arena *a, Stmt *st) {
  return (JobContact){.id = db_int(st, "id"),
                      .placement_id = db_int(st, "placement_id"),
                      .due_on = db_text_copy(a, st, "due_on"),
                      .with_whom = db_text_copy(a, st, "with_whom"),
                      .held_on = db_text_copy(a, st, "held_on"),
                      .mode = db_text_copy(a, st, "mode"),
                      .note = db_text_copy(a, st, "note"),
                      .minutes = db_int(st, "minutes"),
                      .cancelled = db_int(st, "cancelled") != 0};
}

int job_contacts_visible(Db *db, Arena *a, const User *u, int64_t pl, const char *today, int max, JobContact **out,
                         int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT " CONTACT_COLUMNS "WHERE c.placement_id = ? AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY c.due_on, c.item_id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pl);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = contact_row(a, st);
  db_done(st);
  return done_ok(rc);
}

int job_contact_get(Db *db, Arena *a, int64_t tid, int64_t id, JobContact *out) {
  Stmt *st = db_prepare(db, "SELECT " CONTACT_COLUMNS "WHERE c.item_id = ? AND c.trajectory_id = ? "
                            "AND i.deleted_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = contact_row(a, st);
  db_done(st);
  return rc;
}

int job_contacts_due(Db *db, Arena *a, const User *u, const char *horizon, int max, JobContactDue **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT t.id AS tid, t.participant_id AS pid, c.item_id AS id, c.due_on, c.with_whom, "
                            "p.first_name, p.last_name FROM " POLICY_SQL_COACH_JOIN
                            " JOIN job_coaching_contacts c ON c.trajectory_id = t.id AND c.held_on IS NULL "
                            "AND c.cancelled_at IS NULL AND c.due_on <= ? "
                            "JOIN participants p ON p.id = t.participant_id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  db_bind_text(st, 2, horizon);
  db_bind_int(st, 3, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (JobContactDue){.tid = db_int(st, "tid"), .pid = db_int(st, "pid"), .id = db_int(st, "id"),
                                     .first = db_text_copy(a, st, "first_name"),
                                     .last = db_text_copy(a, st, "last_name"),
                                     .due_on = db_text_copy(a, st, "due_on"),
                                     .with_whom = db_text_copy(a, st, "with_whom")};
  db_done(st);
  return done_ok(rc);
}
