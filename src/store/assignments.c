/*
 * assignments.c — see assignments.h. Portable SQL only; names of coaches are joined in C (no string
 * aggregation in SQL).
 */
#include "store/assignments.h"

#include <string.h>

#include "auth/user.h" /* ROLE_COACH */
#include "db/rows.h"

#define COACH_LOAD_SELECT                                                                                  \
  "SELECT u.id, u.name, (SELECT COUNT(*) FROM trajectory_coaches c JOIN trajectories t ON t.id = c.trajectory_id" \
  " WHERE c.user_id = u.id AND t.status = 'open') AS open FROM users u "

/* Maps a row of COACH_LOAD_SELECT into the CoachLoad at p. */
static void coach_load_map(Arena *a, Stmt *st, void *p) {
  *(CoachLoad *)p = (CoachLoad){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name"), .open = db_int(st, "open")};
}

int assign_coaches(Db *db, Arena *a, CoachLoad **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, COACH_LOAD_SELECT "WHERE u.active = 1 AND (u.roles & ?) <> 0 ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, ROLE_COACH);
  int rc;
  *out = db_rows(a, st, sizeof **out, ASSIGN_COACHES_MAX, coach_load_map, n, &rc);
  return rc;
}

const CoachLoad *assign_coach_find(const CoachLoad *list, int n, int64_t id) {
  for (int i = 0; i < n; i++)
    if (list[i].id == id) return &list[i];
  return NULL;
}

/* The coaches' names of trajectory tid, ", "-joined. */
static int coach_names(Db *db, Arena *a, int64_t tid, const char **out) {
  *out = "";
  Stmt *st = db_prepare(db, "SELECT u.name FROM trajectory_coaches c JOIN users u ON u.id = c.user_id "
                            "WHERE c.trajectory_id = ? ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    *out = **out ? arena_printf(a, "%s, %s", *out, db_text(st, "name")) : db_text_copy(a, st, "name");
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* The list's filter: which (ASSIGN_ALL, ASSIGN_UNASSIGNED or a coach id) as four parameters. */
#define ASSIGN_WHERE                                                                                       \
  " FROM trajectories t WHERE t.status = 'open' AND (? = 0"                                                 \
  " OR (? = -1 AND NOT EXISTS (SELECT 1 FROM trajectory_coaches c WHERE c.trajectory_id = t.id))"           \
  " OR (? > 0 AND EXISTS (SELECT 1 FROM trajectory_coaches c WHERE c.trajectory_id = t.id AND c.user_id = ?)))"

static void bind_which(Stmt *st, int64_t which) {
  for (int i = 1; i <= 4; i++) db_bind_int(st, i, which);
}

/* Maps a row of trajectories t (id, participant_id, phase, status, started_on) into the AssignTrajectory at p;
 * the coaches are read afterwards. */
static void assign_map(Arena *a, Stmt *st, void *p) {
  *(AssignTrajectory *)p = (AssignTrajectory){.id = db_int(st, "id"), .participant_id = db_int(st, "participant_id"),
                                              .phase = db_text_copy(a, st, "phase"),
                                              .status = db_text_copy(a, st, "status"),
                                              .started_on = db_text_copy(a, st, "started_on")};
}

int assign_list(Db *db, Arena *a, int64_t which, int limit, int offset, AssignTrajectory **out, int *n,
                int64_t *total) {
  *n = 0;
  *total = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, "SELECT COUNT(*) AS n" ASSIGN_WHERE);
  if (!st) return DB_ERROR;
  bind_which(st, which);
  int rc = db_step(st);
  if (rc == DB_ROW) *total = db_int(st, "n");
  db_done(st);
  if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
  st = db_prepare(db, "SELECT t.id, t.participant_id, t.phase, t.status, t.started_on" ASSIGN_WHERE
                      " ORDER BY t.started_on, t.id LIMIT ? OFFSET ?");
  if (!st) return DB_ERROR;
  bind_which(st, which);
  db_bind_int(st, 5, limit);
  db_bind_int(st, 6, offset);
  *out = db_rows(a, st, sizeof **out, limit, assign_map, n, &rc);
  if (rc != DB_OK) return rc;
  for (int i = 0; i < *n; i++)
    if ((rc = coach_names(db, a, (*out)[i].id, &(*out)[i].coaches)) != DB_OK) return rc;
  return DB_OK;
}

int assign_trajectory(Db *db, Arena *a, int64_t tid, AssignTrajectory *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_prepare(db, "SELECT t.id, t.participant_id, t.phase, t.status, t.started_on FROM trajectories t "
                            "WHERE t.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc = db_step(st);
  if (rc == DB_ROW) assign_map(a, st, out);
  db_done(st);
  if (rc != DB_ROW) return rc;
  int rc2 = coach_names(db, a, tid, &out->coaches);
  return rc2 == DB_OK ? DB_ROW : rc2;
}

int assign_coaches_of(Db *db, Arena *a, int64_t tid, CoachLoad **out, int *n) {
  enum { MAX = 16 };
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, COACH_LOAD_SELECT "JOIN trajectory_coaches x ON x.user_id = u.id WHERE x.trajectory_id = ? "
                                              "ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  int rc;
  *out = db_rows(a, st, sizeof **out, MAX, coach_load_map, n, &rc);
  return rc;
}

int assign_add(Db *db, int64_t tid, int64_t coach) {
  Stmt *st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, coach);
  return db_run(st);
}

int assign_remove(Db *db, int64_t tid, int64_t coach) {
  Stmt *st = db_prepare(db, "DELETE FROM trajectory_coaches WHERE trajectory_id = ? AND user_id = ? RETURNING user_id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_int(st, 2, coach);
  int rc = db_step(st);
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int assign_reach(Db *db, Arena *a, int64_t coach, int64_t **tids, int64_t **pids, int *n) {
  *n = 0;
  *tids = arena_alloc(a, sizeof **tids * ASSIGN_REACH_MAX);
  *pids = arena_alloc(a, sizeof **pids * ASSIGN_REACH_MAX);
  Stmt *st = db_prepare(db, "SELECT t.id, t.participant_id FROM trajectory_coaches c JOIN trajectories t "
                            "ON t.id = c.trajectory_id WHERE c.user_id = ? ORDER BY t.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, coach);
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < ASSIGN_REACH_MAX) {
    (*tids)[*n] = db_int(st, "id");
    (*pids)[(*n)++] = db_int(st, "participant_id");
  }
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

#define STANDIN_SELECT                                                                                     \
  "SELECT s.id, s.coach_id, s.stand_in_id, s.from_on, s.until_on, s.cancelled_at, c.name AS coach_name, "   \
  "i.name AS stand_in_name FROM coach_standins s JOIN users c ON c.id = s.coach_id "                        \
  "JOIN users i ON i.id = s.stand_in_id "

static StandIn standin_row(Arena *a, Stmt *st) {
  return (StandIn){.id = db_int(st, "id"), .coach_id = db_int(st, "coach_id"), .stand_in_id = db_int(st, "stand_in_id"),
                   .coach_name = db_text_copy(a, st, "coach_name"), .stand_in_name = db_text_copy(a, st, "stand_in_name"),
                   .from_on = db_text_copy(a, st, "from_on"), .until_on = db_text_copy(a, st, "until_on"),
                   .cancelled = !db_null(st, "cancelled_at")};
}

/* Maps a row of STANDIN_SELECT into the StandIn at p. */
static void standin_map(Arena *a, Stmt *st, void *p) { *(StandIn *)p = standin_row(a, st); }

int standins_current(Db *db, Arena *a, const char *today, StandIn **out, int *n) {
  *n = 0;
  *out = NULL;
  Stmt *st = db_prepare(db, STANDIN_SELECT "WHERE s.cancelled_at IS NULL AND s.until_on >= ? "
                                           "ORDER BY s.from_on, s.until_on, s.id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, today);
  int rc;
  *out = db_rows(a, st, sizeof **out, ASSIGN_STANDINS_MAX, standin_map, n, &rc);
  return rc;
}

int standin_get(Db *db, Arena *a, int64_t id, StandIn *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_prepare(db, STANDIN_SELECT "WHERE s.id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = standin_row(a, st);
  db_done(st);
  return rc;
}

int standin_create(Db *db, int64_t coach, int64_t stand_in, const char *from_on, const char *until_on,
                   int64_t created_by, int64_t now, int64_t *id) {
  *id = 0;
  Stmt *st = db_prepare(db, "INSERT INTO coach_standins (coach_id, stand_in_id, from_on, until_on, created_by, "
                            "created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, coach);
  db_bind_int(st, 2, stand_in);
  db_bind_text(st, 3, from_on);
  db_bind_text(st, 4, until_on);
  db_bind_int(st, 5, created_by);
  db_bind_int(st, 6, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_int(st, "id");
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_ERROR : rc;
}

int standin_cancel(Db *db, int64_t id, int64_t by, int64_t now) {
  Stmt *st = db_prepare(db, "UPDATE coach_standins SET cancelled_at = ?, cancelled_by = ? WHERE id = ? "
                            "AND cancelled_at IS NULL RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  db_bind_int(st, 2, by);
  db_bind_int(st, 3, id);
  int rc = db_step(st);
  db_done(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* ---- the team overview ---- */

/* Maps a row of team_phase_counts' query into the TeamPhaseCount at p (a coach without trajectories: no
 * phase, no status, 0). */
static void phase_count_map(Arena *a, Stmt *st, void *p) {
  bool none = db_null(st, "status");
  *(TeamPhaseCount *)p = (TeamPhaseCount){.coach_id = db_int(st, "id"), .coach_name = db_text_copy(a, st, "name"),
                                          .phase = none ? NULL : db_text_copy(a, st, "phase"),
                                          .status = none ? NULL : db_text_copy(a, st, "status"),
                                          .n = none ? 0 : db_int(st, "n")};
}

int team_phase_counts(Db *db, Arena *a, TeamPhaseCount **out, int *n) {
  *out = NULL;
  *n = 0;
  int rc;
  Stmt *st = db_prepare(db, "SELECT u.id, u.name, t.phase, t.status, COUNT(t.id) AS n FROM users u "
                            "LEFT JOIN trajectory_coaches c ON c.user_id = u.id "
                            "LEFT JOIN trajectories t ON t.id = c.trajectory_id "
                            "WHERE u.active = 1 AND (u.roles & ?) <> 0 "
                            "GROUP BY u.id, u.name, t.phase, t.status ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, ROLE_COACH);
  *out = db_rows(a, st, sizeof **out, DB_ROWS_ALL, phase_count_map, n, &rc);
  return rc;
}

/* The entry of coach in *out (added, zeroed, when new). */
static TeamDayCount *day_count_of(Arena *a, TeamDayCount **out, int *n, int *cap, int64_t coach) {
  for (int i = 0; i < *n; i++)
    if ((*out)[i].coach_id == coach) return &(*out)[i];
  if (*n == *cap) {
    int ncap = *cap ? *cap * 2 : 32;
    TeamDayCount *nv = arena_alloc(a, sizeof *nv * (size_t)ncap);
    if (*n) memcpy(nv, *out, sizeof *nv * (size_t)*n);
    *out = nv;
    *cap = ncap;
  }
  (*out)[*n] = (TeamDayCount){.coach_id = coach};
  return &(*out)[(*n)++];
}

int team_day_counts(Db *db, Arena *a, const char *by, int64_t quiet_before, TeamDayCount **out, int *n) {
  static const char *const sql[] = {
      "SELECT c.user_id AS coach, COUNT(*) AS n FROM followups f JOIN trajectory_coaches c "
      "ON c.trajectory_id = f.trajectory_id WHERE f.done_on IS NULL AND f.due_on <= ? GROUP BY c.user_id",
      "SELECT c.user_id AS coach, COUNT(*) AS n FROM trajectories t JOIN trajectory_coaches c "
      "ON c.trajectory_id = t.id WHERE t.status = 'open' AND t.last_activity_at < ? GROUP BY c.user_id",
      "SELECT c.user_id AS coach, COUNT(*) AS n FROM referrals f JOIN trajectory_coaches c "
      "ON c.trajectory_id = f.trajectory_id WHERE f.status IN ('proposed', 'sent', 'accepted') "
      "GROUP BY c.user_id",
  };
  *out = NULL;
  *n = 0;
  int cap = 0;
  for (int k = 0; k < 3; k++) {
    Stmt *st = db_prepare(db, sql[k]);
    if (!st) return DB_ERROR;
    if (k == 0) db_bind_text(st, 1, by);
    if (k == 1) db_bind_int(st, 1, quiet_before);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
      TeamDayCount *c = day_count_of(a, out, n, &cap, db_int(st, "coach"));
      int64_t v = db_int(st, "n");
      if (k == 0) c->followups_due = v;
      else if (k == 1) c->quiet = v;
      else c->referrals = v;
    }
    db_done(st);
    if (rc != DB_DONE) return rc;
  }
  return DB_OK;
}
