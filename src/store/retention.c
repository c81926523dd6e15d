/*
 * retention.c — see retention.h.
 *
 * The table below lists every table holding case content and what the erasure does with it. Tables that
 * are kept, and why:
 * - access_log: the record of who saw what (NEN 7513: at least cfg.retention_log_years); the erasure adds
 *   to it (the caller), never changes it, so `zorgwerk audit verify` still passes;
 * - participants: name and date of birth stay while the access log refers to the person, so that the log
 *   officer can still answer "who looked at my file" for the log's term (the refusal under art. 17 that the
 *   erasure page explains); their phone number is case-free contact data of the account and stays with it;
 * - consents: the record of what was shared with whom, on what grounds and until when (no free text);
 * - followups, checkin_results, plan_action_updates, message_recipients, meeting_attendees,
 *   placement_hours, job_coaching_contacts, trajectory_coaches: dates, statuses, hours and who took part —
 *   the numbers the reports count (still at work at 3/6/12 months, time spent), no free text;
 * - phase_history's outcome and hours, trajectories' dates, outcome and hours, assessments' scores: what the
 *   outcome reports aggregate.
 */
#include "store/retention.h"

#include <string.h>

#include "store/caseload.h"

/* One table with case content: the rows of trajectory ? that still hold content, and how it is erased. Both
 * statements take the trajectory id as their only parameter (the count may repeat it: see nparams). */
typedef struct Step {
  const char *name;  /* the table */
  const char *count; /* SELECT COUNT(*) AS n ... */
  const char *erase; /* UPDATE ... */
} Step;

#define PLAN_OF "(SELECT item_id FROM plan_versions WHERE trajectory_id = ?)"
static const Step steps[] = {
    /* every item's title and body: notes, plan versions, messages, minutes, remarks, questionnaires, referrals,
     * follow-ups, check-ins, job profiles, placements (the row stays: kind, category, author and dates count) */
    {"items", "SELECT COUNT(*) AS n FROM items WHERE trajectory_id = ? AND (title <> '' OR body <> '')",
     "UPDATE items SET title = '', body = '' WHERE trajectory_id = ? AND (title <> '' OR body <> '')"},
    /* the registration's free text (who referred, why, the employer's name as typed); dates, outcome and hours
     * stay for the reports */
    {"trajectories", "SELECT COUNT(*) AS n FROM trajectories WHERE id = ? AND (referred_by <> '' OR reason <> '' "
                     "OR employer_name IS NOT NULL)",
     "UPDATE trajectories SET referred_by = '', reason = '', employer_name = NULL WHERE id = ?"},
    /* why a phase was gone back to or reopened (free text); outcome and hours stay */
    {"phase_history", "SELECT COUNT(*) AS n FROM phase_history WHERE trajectory_id = ? AND reason IS NOT NULL",
     "UPDATE phase_history SET reason = NULL WHERE trajectory_id = ? AND reason IS NOT NULL"},
    /* protocol steps: reasons for skipping or adding, and the text of steps the coach added */
    {"trajectory_steps", "SELECT COUNT(*) AS n FROM trajectory_steps WHERE trajectory_id = ? AND "
                         "(COALESCE(skip_reason, '') <> '' OR COALESCE(added_reason, '') <> '' OR "
                         "(added_by_coach = 1 AND text <> ''))",
     "UPDATE trajectory_steps SET skip_reason = CASE WHEN skip_reason IS NULL THEN NULL ELSE '' END, "
     "added_reason = CASE WHEN added_reason IS NULL THEN NULL ELSE '' END, "
     "text = CASE WHEN added_by_coach = 1 THEN '' ELSE text END WHERE trajectory_id = ?"},
    /* the people of the network: names and contact details (side and function stay: counts) */
    {"network_members", "SELECT COUNT(*) AS n FROM network_members WHERE trajectory_id = ? AND (name <> '' OR "
                        "organisation IS NOT NULL OR email IS NOT NULL OR phone IS NOT NULL)",
     "UPDATE network_members SET name = '', organisation = NULL, email = NULL, phone = NULL WHERE trajectory_id = ?"},
    /* the plan: why a version was made, the goals' SMART text, the actions' text (dates and statuses stay) */
    {"plan_versions", "SELECT COUNT(*) AS n FROM plan_versions WHERE trajectory_id = ? AND reason IS NOT NULL",
     "UPDATE plan_versions SET reason = NULL WHERE trajectory_id = ?"},
    {"plan_goals", "SELECT COUNT(*) AS n FROM plan_goals WHERE version_item_id IN " PLAN_OF " AND (title <> '' OR "
                   "specific <> '' OR measurable <> '' OR achievable <> '' OR relevant <> '')",
     "UPDATE plan_goals SET title = '', specific = '', measurable = '', achievable = '', relevant = '' "
     "WHERE version_item_id IN " PLAN_OF},
    {"plan_actions", "SELECT COUNT(*) AS n FROM plan_actions WHERE goal_id IN (SELECT g.id FROM plan_goals g JOIN "
                     "plan_versions v ON v.item_id = g.version_item_id WHERE v.trajectory_id = ?) AND text <> ''",
     "UPDATE plan_actions SET text = '' WHERE goal_id IN (SELECT g.id FROM plan_goals g JOIN plan_versions v ON "
     "v.item_id = g.version_item_id WHERE v.trajectory_id = ?)"},
    /* questionnaires: the answers go, the scores (numbers) stay for the change from intake to closure */
    {"assessments", "SELECT COUNT(*) AS n FROM assessments WHERE trajectory_id = ? AND answers <> '{}'",
     "UPDATE assessments SET answers = '{}' WHERE trajectory_id = ?"},
    /* referrals: to whom and why, and the free-text outcome (kind and status stay) */
    {"referrals", "SELECT COUNT(*) AS n FROM referrals WHERE trajectory_id = ? AND (target <> '' OR reason <> '' "
                  "OR outcome IS NOT NULL OR failure_reason IS NOT NULL)",
     "UPDATE referrals SET target = '', reason = '', outcome = NULL, failure_reason = NULL WHERE trajectory_id = ?"},
    /* meetings: where, the video link and the agenda (kind, mode, time and duration stay: time spent) */
    {"meetings", "SELECT COUNT(*) AS n FROM meetings WHERE trajectory_id = ? AND (place IS NOT NULL OR "
                 "video_url IS NOT NULL OR agenda IS NOT NULL)",
     "UPDATE meetings SET place = NULL, video_url = NULL, agenda = NULL WHERE trajectory_id = ?"},
    /* case reviews of the team: the question and the advice about this trajectory */
    {"case_review_items", "SELECT COUNT(*) AS n FROM case_review_items WHERE trajectory_id = ? AND (question <> '' "
                          "OR advice IS NOT NULL)",
     "UPDATE case_review_items SET question = '', advice = NULL WHERE trajectory_id = ?"},
    /* requests to correct information, and the coach's answers */
    {"correction_requests", "SELECT COUNT(*) AS n FROM correction_requests WHERE trajectory_id = ? AND "
                            "(request <> '' OR COALESCE(answer, '') <> '')",
     "UPDATE correction_requests SET request = '', answer = CASE WHEN answer IS NULL THEN NULL ELSE '' END "
     "WHERE trajectory_id = ?"},
    /* the job profile's free text (the kinds of work and hours stay, as numbers and codes) */
    {"job_profiles", "SELECT COUNT(*) AS n FROM job_profiles WHERE trajectory_id = ? AND (regions <> '' OR "
                     "avoid <> '' OR coach_work <> '' OR coach_capacity <> '')",
     "UPDATE job_profiles SET regions = '', avoid = '', coach_work = '', coach_capacity = '' WHERE trajectory_id = ?"},
    /* proposals to employers: the mediator's note and the employer's reply */
    {"proposals", "SELECT COUNT(*) AS n FROM proposals WHERE trajectory_id = ? AND (note <> '' OR "
                  "employer_reply IS NOT NULL)",
     "UPDATE proposals SET note = '', employer_reply = NULL WHERE trajectory_id = ?"},
    /* placements: tasks, buddy, adjustments and why it stopped (kind, dates, hours and outcome stay) */
    {"placements", "SELECT COUNT(*) AS n FROM placements WHERE trajectory_id = ? AND (tasks <> '' OR buddy <> '' "
                   "OR adjustments <> '' OR stop_note IS NOT NULL)",
     "UPDATE placements SET tasks = '', buddy = '', adjustments = '', stop_note = NULL WHERE trajectory_id = ?"},
    {"placement_evaluations", "SELECT COUNT(*) AS n FROM placement_evaluations WHERE trajectory_id = ? AND "
                              "(goes_well <> '' OR to_adjust <> '')",
     "UPDATE placement_evaluations SET goes_well = '', to_adjust = '' WHERE trajectory_id = ?"},
};
enum { NSTEPS = (int)(sizeof steps / sizeof *steps) };
_Static_assert((int)NSTEPS <= (int)RETENTION_KINDS_MAX, "raise RETENTION_KINDS_MAX");

int retention_kinds(void) { return NSTEPS; }

const char *retention_kind_name(int i) { return i >= 0 && i < NSTEPS ? steps[i].name : ""; }

/* Appends id to the arena array *v of *n ids with room for *cap, doubling it (a new arena copy) when full. */
static void push_id(Arena *a, int64_t **v, int *n, int *cap, int64_t id) {
  if (*n == *cap) {
    int64_t *w = arena_alloc(a, sizeof *w * (size_t)*cap * 2);
    memcpy(w, *v, sizeof *w * (size_t)*cap);
    *v = w;
    *cap *= 2;
  }
  (*v)[(*n)++] = id;
}

int retention_due(Db *db, Arena *a, const char *cutoff, int64_t **tids, int *n) {
  Stmt *st = db_prepare(db, "SELECT t.id FROM trajectories t WHERE t.status = 'closed' AND t.closed_on IS NOT NULL"
                            " AND t.closed_on <= ? AND NOT EXISTS (SELECT 1 FROM trajectory_erasures e"
                            " WHERE e.trajectory_id = t.id) ORDER BY t.id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, cutoff);
  int cap = 64, rc;
  *n = 0;
  *tids = arena_alloc(a, sizeof **tids * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW) push_id(a, tids, n, &cap, db_int(st, "id"));
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* Binds tid to every parameter of st (a step's statements name the trajectory once or twice). */
static void bind_tid(Stmt *st, const char *sql, int64_t tid) {
  int k = 0;
  for (const char *p = sql; *p; p++)
    if (*p == '?') db_bind_int(st, ++k, tid);
}

int retention_count(Db *db, int64_t tid, int64_t counts[RETENTION_KINDS_MAX]) {
  for (int i = 0; i < NSTEPS; i++) {
    Stmt *st = db_prepare(db, steps[i].count);
    if (!st) return DB_ERROR;
    bind_tid(st, steps[i].count, tid);
    int rc = db_step(st);
    if (rc == DB_ROW) counts[i] += db_int(st, "n");
    db_done(st);
    if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  }
  return DB_OK;
}

int retention_erase(Db *db, int64_t tid, const char *on, const char *rule, int64_t request_id, int64_t at) {
  Stmt *st = db_prepare(db, "INSERT INTO trajectory_erasures (trajectory_id, erased_on, rule, request_id, created_at)"
                            " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM trajectory_erasures"
                            " WHERE trajectory_id = ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, on);
  db_bind_text(st, 3, rule);
  if (request_id) db_bind_int(st, 4, request_id);
  else db_bind_null(st, 4);
  db_bind_int(st, 5, at);
  db_bind_int(st, 6, tid);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  if (!db_changes(db)) return DB_DONE;
  for (int i = 0; i < NSTEPS; i++) {
    if (!(st = db_prepare(db, steps[i].erase))) return DB_ERROR;
    bind_tid(st, steps[i].erase, tid);
    if ((rc = db_run(st)) != DB_OK) return rc;
  }
  return caseload_next_refresh(db, tid); /* the erased action texts leave the caseload's copy too */
}

int retention_erasure_of(Db *db, Arena *a, int64_t tid, bool *erased, const char **on, const char **rule) {
  *erased = false;
  *on = *rule = NULL;
  Stmt *st = db_prepare(db, "SELECT erased_on, rule FROM trajectory_erasures WHERE trajectory_id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    *erased = true;
    *on = db_text_copy(a, st, "erased_on");
    *rule = db_text_copy(a, st, "rule");
  }
  db_done(st);
  return rc == DB_ROW || rc == DB_DONE ? DB_OK : rc;
}

int retention_trajectories_of(Db *db, Arena *a, int64_t pid, int64_t **tids, int *n, int *open) {
  Stmt *st = db_prepare(db, "SELECT id, status FROM trajectories WHERE participant_id = ? ORDER BY id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  int cap = 16, rc;
  *n = *open = 0;
  *tids = arena_alloc(a, sizeof **tids * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW) {
    push_id(a, tids, n, &cap, db_int(st, "id"));
    if (strcmp(db_text(st, "status"), "open") == 0) (*open)++;
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* ---- requests */

int erasure_participant_exists(Db *db, int64_t pid, bool *exists) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM participants WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  int rc = db_step(st);
  *exists = rc == DB_ROW && db_int(st, "n") > 0;
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int erasure_request_create(Db *db, int64_t pid, const char *reason, int64_t by, int64_t at, int64_t *id) {
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n FROM erasure_requests WHERE participant_id = ? AND decision IS NULL");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  int rc = db_step(st);
  int64_t waiting = rc == DB_ROW ? db_int(st, "n") : 0;
  db_done(st);
  if (rc != DB_ROW) return rc;
  if (waiting) return DB_CONSTRAINT;
  st = db_prepare(db, "INSERT INTO erasure_requests (participant_id, reason, requested_by, requested_at) "
                      "VALUES (?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, pid);
  db_bind_text(st, 2, reason);
  db_bind_int(st, 3, by);
  db_bind_int(st, 4, at);
  rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* The one mapping of an erasure_requests row with its people's names. */
static ErasureRequest map_request(Stmt *st, Arena *a) {
  return (ErasureRequest){
      .id = db_int(st, "id"),
      .participant_id = db_int(st, "participant_id"),
      .requested_by = db_int(st, "requested_by"),
      .requested_at = db_int(st, "requested_at"),
      .decided_by = db_null(st, "decided_by") ? 0 : db_int(st, "decided_by"),
      .decided_at = db_null(st, "decided_at") ? 0 : db_int(st, "decided_at"),
      .carried_out_at = db_null(st, "carried_out_at") ? 0 : db_int(st, "carried_out_at"),
      .reason = db_text_copy(a, st, "reason"),
      .decision = db_text_copy(a, st, "decision"),
      .requested_by_name = db_text_copy(a, st, "requested_by_name"),
      .decided_by_name = db_text_copy(a, st, "decided_by_name"),
  };
}

#define REQUEST_SELECT                                                                                      \
  "SELECT r.id, r.participant_id, r.requested_by, r.requested_at, r.decided_by, r.decided_at, r.carried_out_at," \
  " r.reason, r.decision, ru.name AS requested_by_name, du.name AS decided_by_name FROM erasure_requests r"  \
  " LEFT JOIN users ru ON ru.id = r.requested_by LEFT JOIN users du ON du.id = r.decided_by"

int erasure_requests_list(Db *db, Arena *a, int max, ErasureRequest **out, int *n) {
  Stmt *st = db_prepare(db, REQUEST_SELECT " ORDER BY CASE WHEN r.decision IS NULL THEN 0 ELSE 1 END, r.id DESC"
                                           " LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, max);
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max > 0 ? max : 1));
  int rc;
  while ((rc = db_step(st)) == DB_ROW) (*out)[(*n)++] = map_request(st, a);
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int erasure_request_get(Db *db, Arena *a, int64_t id, ErasureRequest *out) {
  Stmt *st = db_prepare(db, REQUEST_SELECT " WHERE r.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = map_request(st, a);
  db_done(st);
  return rc;
}

int erasure_request_decide(Db *db, int64_t id, const char *decision, int64_t by, int64_t at, bool carried_out) {
  Stmt *st = db_prepare(db, "UPDATE erasure_requests SET decision = ?, decided_by = ?, decided_at = ?, "
                            "carried_out_at = ? WHERE id = ? AND decision IS NULL");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, decision);
  db_bind_int(st, 2, by);
  db_bind_int(st, 3, at);
  if (carried_out) db_bind_int(st, 4, at);
  else db_bind_null(st, 4);
  db_bind_int(st, 5, id);
  int rc = db_run(st);
  if (rc != DB_OK) return rc;
  return db_changes(db) ? DB_OK : DB_DONE;
}
