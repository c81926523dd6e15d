/*
 * placements.c — see placements.h. A placement row is mapped in placement_row, an evaluation in eval_row.
 */
#include "store/placements.h"

#include <string.h>

#include "store/items.h"
#include "store/notices.h"
#include "store/visibility.h"

const char *const placement_kinds[] = {"trial", "job", NULL};
const char *const placement_contract_types[] = {"permanent", "fixed_term", "temp_agency", "other", NULL};
const char *const placement_stop_reasons[] = {"participant", "employer", "health", "mismatch", "other", NULL};

bool placement_code_in(const char *const *codes, const char *code) {
  for (int i = 0; code && codes[i]; i++)
    if (strcmp(codes[i], code) == 0) return true;
  return false;
}

static int done_ok(int rc) { return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc; }

static int insert_steps(Db *db, int64_t id, const PlacementStep *steps, int n) {
  for (int i = 0; i < n && i < PLACEMENT_STEPS_MAX; i++) {
    Stmt *st = db_prepare(db, "INSERT INTO placement_hours (placement_id, from_on, hours_tenths) VALUES (?, ?, ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, id);
    db_bind_text(st, 2, steps[i].from_on);
    db_bind_int(st, 3, steps[i].hours_tenths);
    int rc = db_run(st);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}

int placement_create(Db *db, const PlacementNew *n, int64_t *id) {
  int rc = item_create(db, &(ItemNew){.trajectory_id = n->trajectory_id, .kind = "placement", .category = "work",
                                      .author_id = n->author_id, .title = n->kind, .body = "",
                                      .created_at = n->created_at},
                       id);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO placements (item_id, trajectory_id, employer_org_id, opening_id, kind, "
                            "starts_on, ends_on, hours_tenths, tasks, buddy, adjustments, created_by, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *id);
  db_bind_int(st, 2, n->trajectory_id);
  db_bind_int(st, 3, n->employer_org_id);
  if (n->opening_id) db_bind_int(st, 4, n->opening_id); else db_bind_null(st, 4);
  db_bind_text(st, 5, n->kind);
  db_bind_text(st, 6, n->starts_on);
  db_bind_text(st, 7, n->ends_on);
  db_bind_int(st, 8, n->hours_tenths);
  db_bind_text(st, 9, n->tasks ? n->tasks : "");
  db_bind_text(st, 10, n->buddy ? n->buddy : "");
  db_bind_text(st, 11, n->adjustments ? n->adjustments : "");
  db_bind_int(st, 12, n->author_id);
  db_bind_int(st, 13, n->created_at);
  if ((rc = db_run(st)) != DB_OK) return rc;
  return insert_steps(db, *id, n->steps, n->nsteps);
}

int placement_update(Db *db, int64_t id, const PlacementNew *n, int64_t by, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE placements SET starts_on = ?, ends_on = ?, hours_tenths = ?, tasks = ?, buddy = ?, "
                            "adjustments = ?, updated_by = ?, updated_at = ? WHERE item_id = ? AND trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, n->starts_on);
  db_bind_text(st, 2, n->ends_on);
  db_bind_int(st, 3, n->hours_tenths);
  db_bind_text(st, 4, n->tasks ? n->tasks : "");
  db_bind_text(st, 5, n->buddy ? n->buddy : "");
  db_bind_text(st, 6, n->adjustments ? n->adjustments : "");
  db_bind_int(st, 7, by);
  db_bind_int(st, 8, now);
  db_bind_int(st, 9, id);
  db_bind_int(st, 10, n->trajectory_id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  if (db_changes(db) != 1) return DB_DONE;
  Stmt *del = db_prepare(db, "DELETE FROM placement_hours WHERE placement_id = ?");
  if (!del) return DB_ERROR;
  db_bind_int(del, 1, id);
  if ((rc = db_run(del)) != DB_OK) return rc;
  return insert_steps(db, id, n->steps, n->nsteps);
}

int placement_overlaps(Db *db, int64_t tid, const char *starts_on, const char *ends_on, int64_t except_id,
                       bool *overlap) {
  *overlap = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM placements p JOIN items i ON i.id = p.item_id "
                            "WHERE p.trajectory_id = ? AND p.item_id <> ? AND i.deleted_at IS NULL "
                            "AND p.starts_on <= ? "
                            "AND COALESCE(CASE WHEN p.status = 'ended' THEN p.outcome_on END, p.ends_on, '9999-12-31') >= ? "
                            "LIMIT 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, except_id);
  db_bind_text(st, 3, ends_on ? ends_on : "9999-12-31");
  db_bind_text(st, 4, starts_on);
  int rc = db_step(st);
  *overlap = rc == DB_ROW;
  db_done(st);
  return done_ok(rc);
}

#define PLACEMENT_COLUMNS                                                                                     \
  "p.item_id AS id, p.trajectory_id, p.employer_org_id, COALESCE(p.opening_id, 0) AS opening_id, "            \
  "o.name AS employer, op.title AS opening_title, p.kind, p.starts_on, p.ends_on, p.status, p.hours_tenths, " \
  "p.tasks, p.buddy, p.adjustments, p.outcome, p.outcome_on, p.contract_type, "                                 \
  "COALESCE(p.contract_hours_tenths, 0) AS contract_hours_tenths, p.stop_reason, COALESCE(p.stop_note, '') AS stop_note " \
  "FROM placements p JOIN items i ON i.id = p.item_id JOIN organisations o ON o.id = p.employer_org_id "        \
  "LEFT JOIN openings op ON op.id = p.opening_id "

/* Maps the current row (PLACEMENT_COLUMNS) into a Placement. */
static Placement placement_row(Arena *a, Stmt *st) {
  return (Placement){.id = db_int(st, "id"),
                     .trajectory_id = db_int(st, "trajectory_id"),
                     .employer_org_id = db_int(st, "employer_org_id"),
                     .opening_id = db_int(st, "opening_id"),
                     .employer = db_text_copy(a, st, "employer"),
                     .opening_title = db_text_copy(a, st, "opening_title"),
                     .kind = db_text_copy(a, st, "kind"),
                     .starts_on = db_text_copy(a, st, "starts_on"),
                     .ends_on = db_text_copy(a, st, "ends_on"),
                     .status = db_text_copy(a, st, "status"),
                     .hours_tenths = db_int(st, "hours_tenths"),
                     .tasks = db_text_copy(a, st, "tasks"),
                     .buddy = db_text_copy(a, st, "buddy"),
                     .adjustments = db_text_copy(a, st, "adjustments"),
                     .outcome = db_text_copy(a, st, "outcome"),
                     .outcome_on = db_text_copy(a, st, "outcome_on"),
                     .contract_type = db_text_copy(a, st, "contract_type"),
                     .contract_hours_tenths = db_int(st, "contract_hours_tenths"),
                     .stop_reason = db_text_copy(a, st, "stop_reason"),
                     .stop_note = db_text_copy(a, st, "stop_note")};
}

int placements_visible(Db *db, Arena *a, const User *u, int64_t tid, const char *today, int max, Placement **out,
                       int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT " PLACEMENT_COLUMNS "WHERE p.trajectory_id = ? AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY p.starts_on DESC, p.item_id DESC LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = placement_row(a, st);
  db_done(st);
  return done_ok(rc);
}

int placement_get(Db *db, Arena *a, int64_t tid, int64_t id, Placement *out) {
  Stmt *st = db_prepare(db, "SELECT " PLACEMENT_COLUMNS "WHERE p.item_id = ? AND p.trajectory_id = ? "
                            "AND i.deleted_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = placement_row(a, st);
  db_done(st);
  return rc;
}

int placement_steps(Db *db, Arena *a, int64_t id, PlacementStep **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * PLACEMENT_STEPS_MAX);
  Stmt *st = db_prepare(db, "SELECT from_on, hours_tenths FROM placement_hours WHERE placement_id = ? "
                            "ORDER BY from_on LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  db_bind_int(st, 2, PLACEMENT_STEPS_MAX);
  int rc = DB_DONE;
  while (*n < PLACEMENT_STEPS_MAX && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (PlacementStep){.from_on = db_text_copy(a, st, "from_on"),
                                     .hours_tenths = db_int(st, "hours_tenths")};
  db_done(st);
  return done_ok(rc);
}

int placement_opening(Db *db, int64_t opening_id, int64_t *org_id, int64_t *hours_max) {
  Stmt *st = db_prepare(db, "SELECT employer_org_id, hours_max FROM openings WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, opening_id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *org_id = db_int(st, "employer_org_id");
    *hours_max = db_int(st, "hours_max");
  }
  db_done(st);
  return rc;
}

int placement_employer(Db *db, Arena *a, int64_t org_id, bool *ok, const char **name) {
  *ok = false;
  *name = NULL;
  Stmt *st = db_prepare(db, "SELECT name FROM organisations WHERE id = ? AND kind = 'employer' AND active = 1");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, org_id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *ok = true;
    *name = db_text_copy(a, st, "name");
  }
  db_done(st);
  return done_ok(rc);
}

int placement_employers(Db *db, Arena *a, int max, PlacementEmployer **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT id, name FROM organisations WHERE kind = 'employer' AND active = 1 "
                            "ORDER BY name LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (PlacementEmployer){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name")};
  db_done(st);
  return done_ok(rc);
}

int placement_openings(Db *db, Arena *a, int max, PlacementOpening **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT op.id, op.employer_org_id, op.hours_max, op.title, o.name AS employer "
                            "FROM openings op JOIN organisations o ON o.id = op.employer_org_id "
                            "WHERE op.status = 'open' AND o.active = 1 ORDER BY o.name, op.title, op.id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (PlacementOpening){.id = db_int(st, "id"), .org_id = db_int(st, "employer_org_id"),
                                        .hours_max = db_int(st, "hours_max"),
                                        .title = db_text_copy(a, st, "title"),
                                        .employer = db_text_copy(a, st, "employer")};
  db_done(st);
  return done_ok(rc);
}

int placement_mark_started(Db *db, int64_t tid, int64_t id, int64_t by, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE placements SET status = 'started', updated_by = ?, updated_at = ? "
                            "WHERE item_id = ? AND trajectory_id = ? AND status = 'planned'");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, by);
  db_bind_int(st, 2, now);
  db_bind_int(st, 3, id);
  db_bind_int(st, 4, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

int placement_set_outcome(Db *db, int64_t tid, int64_t id, const PlacementOutcome *o, int64_t by, int64_t now) {
  bool extended = strcmp(o->outcome, "extended") == 0, hired = strcmp(o->outcome, "hired") == 0;
  Stmt *st = db_prepare(db, "UPDATE placements SET status = ?, outcome = ?, outcome_on = ?, contract_type = ?, "
                            "contract_hours_tenths = ?, stop_reason = ?, stop_note = ?, "
                            "ends_on = COALESCE(?, ends_on), updated_by = ?, updated_at = ? "
                            "WHERE item_id = ? AND trajectory_id = ? AND status <> 'ended'");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, extended ? "started" : "ended");
  db_bind_text(st, 2, o->outcome);
  db_bind_text(st, 3, o->on);
  db_bind_text(st, 4, hired ? o->contract_type : NULL);
  if (hired) db_bind_int(st, 5, o->contract_hours_tenths); else db_bind_null(st, 5);
  db_bind_text(st, 6, hired || extended ? NULL : o->stop_reason);
  db_bind_text(st, 7, hired || extended ? NULL : o->stop_note);
  db_bind_text(st, 8, extended ? o->new_ends_on : NULL);
  db_bind_int(st, 9, by);
  db_bind_int(st, 10, now);
  db_bind_int(st, 11, id);
  db_bind_int(st, 12, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) == 1 ? DB_OK : DB_DONE;
}

/* ---- evaluation talks */

int placement_eval_create(Db *db, const PlacementEvalNew *n, int64_t *id) {
  int rc = item_create(db, &(ItemNew){.trajectory_id = n->trajectory_id, .kind = "placement_eval", .category = "work",
                                      .source_member_id = n->source_member_id, .author_id = n->author_id,
                                      .title = "evaluation", .body = "", .created_at = n->created_at},
                       id);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "INSERT INTO placement_evaluations (item_id, placement_id, trajectory_id, held_on, "
                            "goes_well, to_adjust, hours_next_tenths, decision, created_by, created_at) "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, *id);
  db_bind_int(st, 2, n->placement_id);
  db_bind_int(st, 3, n->trajectory_id);
  db_bind_text(st, 4, n->held_on);
  db_bind_text(st, 5, n->goes_well ? n->goes_well : "");
  db_bind_text(st, 6, n->to_adjust ? n->to_adjust : "");
  if (n->hours_next_tenths >= 0) db_bind_int(st, 7, n->hours_next_tenths); else db_bind_null(st, 7);
  db_bind_text(st, 8, n->decision);
  db_bind_int(st, 9, n->author_id);
  db_bind_int(st, 10, n->created_at);
  return db_run(st);
}

int placement_evals_visible(Db *db, Arena *a, const User *u, int64_t pl, const char *today, int max,
                            PlacementEval **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT e.item_id AS id, e.placement_id, e.held_on, e.goes_well, e.to_adjust, "
                            "COALESCE(e.hours_next_tenths, -1) AS hours_next, e.decision, "
                            "CASE WHEN i.source_member_id IS NULL THEN 0 ELSE 1 END AS employer_source "
                            "FROM placement_evaluations e JOIN items i ON i.id = e.item_id "
                            "WHERE e.placement_id = ? AND " POLICY_SQL_ITEM_VISIBLE
                            " ORDER BY e.held_on, e.item_id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pl);
  db_bind_int(st, policy_bind_item_filter(st, 2, u, today), max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (PlacementEval){.id = db_int(st, "id"),
                                     .placement_id = db_int(st, "placement_id"),
                                     .held_on = db_text_copy(a, st, "held_on"),
                                     .goes_well = db_text_copy(a, st, "goes_well"),
                                     .to_adjust = db_text_copy(a, st, "to_adjust"),
                                     .decision = db_text_copy(a, st, "decision"),
                                     .hours_next_tenths = db_int(st, "hours_next"),
                                     .employer_source = db_int(st, "employer_source") != 0};
  db_done(st);
  return done_ok(rc);
}

int placement_work_members(Db *db, Arena *a, int64_t tid, int64_t org_id, int max, int64_t **ids,
                           const char ***names, int *n) {
  *n = 0;
  *ids = arena_alloc(a, sizeof **ids * (size_t)(max > 0 ? max : 1));
  *names = arena_alloc(a, sizeof **names * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT m.id, m.name, CASE WHEN u.org_id = ? THEN 0 ELSE 1 END AS rank "
                            "FROM network_members m LEFT JOIN users u ON u.id = m.user_id "
                            "WHERE m.trajectory_id = ? AND m.side = 'work' AND m.removed_at IS NULL "
                            "ORDER BY rank, m.name, m.id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, org_id);
  db_bind_int(st, 2, tid);
  db_bind_int(st, 3, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) {
    (*ids)[*n] = db_int(st, "id");
    (*names)[(*n)++] = db_text_copy(a, st, "name");
  }
  db_done(st);
  return done_ok(rc);
}

int placement_work_member_ok(Db *db, int64_t tid, int64_t mid, bool *ok) {
  *ok = false;
  Stmt *st = db_prepare(db, "SELECT 1 AS x FROM network_members WHERE id = ? AND trajectory_id = ? AND side = 'work' "
                            "AND removed_at IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, mid);
  db_bind_int(st, 2, tid);
  int rc = db_step(st);
  *ok = rc == DB_ROW;
  db_done(st);
  return done_ok(rc);
}

/* ---- events and notices */

int placement_audience_candidates(Db *db, Arena *a, int64_t tid, int max, int64_t **uids, int *n) {
  *n = 0;
  *uids = arena_alloc(a, sizeof **uids * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT user_id FROM trajectory_coaches WHERE trajectory_id = ? "
                            "UNION SELECT p.user_id FROM trajectories t JOIN participants p ON p.id = t.participant_id "
                            "WHERE t.id = ? AND p.user_id IS NOT NULL "
                            "UNION SELECT user_id FROM network_members WHERE trajectory_id = ? AND user_id IS NOT NULL "
                            "AND removed_at IS NULL ORDER BY user_id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, tid);
  db_bind_int(st, 3, tid);
  db_bind_int(st, 4, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW) (*uids)[(*n)++] = db_int(st, "user_id");
  db_done(st);
  return done_ok(rc);
}

int placement_notice_add(Db *db, int64_t user_id, int64_t tid, int64_t pl, const char *event, int64_t at) {
  return notice_event_add(db, NOTICES_PLACEMENT, user_id, tid, pl, event, at);
}

int placement_notices_open(Db *db, Arena *a, int64_t user_id, int max, PlacementNotice **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  Stmt *st = db_prepare(db, "SELECT id, trajectory_id, placement_id, at FROM placement_notices "
                            "WHERE user_id = ? AND dismissed_at IS NULL ORDER BY at, id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, user_id);
  db_bind_int(st, 2, max);
  int rc = DB_DONE;
  while (*n < max && (rc = db_step(st)) == DB_ROW)
    (*out)[(*n)++] = (PlacementNotice){.id = db_int(st, "id"), .trajectory_id = db_int(st, "trajectory_id"),
                                       .placement_id = db_int(st, "placement_id"), .at = db_int(st, "at")};
  db_done(st);
  return done_ok(rc);
}

int placement_notice_dismiss(Db *db, int64_t user_id, int64_t id, int64_t now) {
  return notice_row_dismiss(db, NOTICES_PLACEMENT, user_id, id, now);
}
