/*
 * team.c — see team.h. Each count is one statement per coach, on the coach's rows of trajectory_coaches
 * (index trajectory_coaches_user): the work grows with the trajectories of the coaches shown, not with the
 * organisation's.
 */
#include "store/team.h"

#include <string.h>

#include "auth/user.h"
#include "db/rows.h"

static void coach_map(Arena *a, Stmt *st, void *p) {
  TeamCoach *c = p;
  memset(c, 0, sizeof *c);
  c->id = db_int(st, "id");
  c->name = arena_strdup(a, db_text(st, "name"));
}

int team_coaches(Db *db, Arena *a, int64_t after, int max, TeamCoach **out, int *n, bool *more) {
  *out = NULL;
  *n = 0;
  *more = false;
  const char *after_name = NULL;
  if (after > 0) {
    Stmt *st = db_prepare(db, "SELECT name FROM users WHERE id = ?");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, after);
    int rc = db_step(st);
    if (rc == DB_ROW) after_name = arena_strdup(a, db_text(st, "name"));
    db_done(st);
    if (rc != DB_ROW && rc != DB_DONE) return rc;
  }
  /* by the index users_name (migration 032), keyed on (name, id): no OFFSET */
  Stmt *st = after_name ? db_prepare(db, "SELECT id, name FROM users WHERE active = 1 AND (roles & ?) <> 0 "
                                         "AND (name > ? OR (name = ? AND id > ?)) ORDER BY name, id LIMIT ?")
                        : db_prepare(db, "SELECT id, name FROM users WHERE active = 1 AND (roles & ?) <> 0 "
                                         "ORDER BY name, id LIMIT ?");
  if (!st) return DB_ERROR;
  int i = 1;
  db_bind_int(st, i++, ROLE_COACH);
  if (after_name) {
    db_bind_text(st, i++, after_name);
    db_bind_text(st, i++, after_name);
    db_bind_int(st, i++, after);
  }
  db_bind_int(st, i, max + 1);
  int rc;
  *out = db_rows(a, st, sizeof **out, max + 1, coach_map, n, &rc);
  if (*n > max) {
    *n = max;
    *more = true;
  }
  return rc;
}

int team_coach_counts(Db *db, TeamCoach *c, int n, const char *by, int64_t quiet_before,
                      int (*phase_index)(const char *phase)) {
  for (int k = 0; k < n; k++) {
    Stmt *st = db_prepare(db, "SELECT t.phase, t.status, COUNT(*) AS n, "
                              "SUM(CASE WHEN t.status = 'open' AND t.last_activity_at < ? THEN 1 ELSE 0 END) AS quiet "
                              "FROM trajectory_coaches tc JOIN trajectories t ON t.id = tc.trajectory_id "
                              "WHERE tc.user_id = ? GROUP BY t.phase, t.status");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, quiet_before);
    db_bind_int(st, 2, c[k].id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
      int64_t v = db_int(st, "n");
      if (strcmp(db_text(st, "status"), "open") == 0) {
        int ph = phase_index(db_text(st, "phase"));
        if (ph >= 0 && ph < 8) c[k].phase_open[ph] += v;
        c[k].open += v;
      } else {
        c[k].closed += v;
      }
      c[k].quiet += db_int(st, "quiet");
    }
    db_done(st);
    if (rc != DB_DONE) return rc;
    static const char *const sql[] = {
        "SELECT COUNT(*) AS n FROM trajectory_coaches tc JOIN followups f ON f.trajectory_id = tc.trajectory_id "
        "WHERE tc.user_id = ? AND f.done_on IS NULL AND f.due_on <= ?",
        "SELECT COUNT(*) AS n FROM trajectory_coaches tc JOIN referrals f ON f.trajectory_id = tc.trajectory_id "
        "WHERE tc.user_id = ? AND f.status IN ('proposed', 'sent', 'accepted')",
    };
    for (int q = 0; q < 2; q++) {
      if (!(st = db_prepare(db, sql[q]))) return DB_ERROR;
      db_bind_int(st, 1, c[k].id);
      if (q == 0) db_bind_text(st, 2, by);
      rc = db_step(st);
      if (rc == DB_ROW) *(q == 0 ? &c[k].followups_due : &c[k].referrals) = db_int(st, "n");
      db_done(st);
      if (rc != DB_ROW) return rc == DB_DONE ? DB_ERROR : rc;
    }
  }
  return DB_OK;
}
