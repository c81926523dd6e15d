/*
 * team.c — see team.h. Each count is one statement for the coaches shown (up to 50 at a time), on their
 * rows of trajectory_coaches (index trajectory_coaches_user): the work grows with the trajectories of the
 * coaches shown, not with the organisation's, and costs three round trips on PostgreSQL, not three per coach
 * (bench-scale: /team 45 ms at 10,000 participants with a statement per coach).
 */
#include "store/team.h"

#include <stdio.h>
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

/* The coach of c[0..n) with this id, or NULL. */
static TeamCoach *coach_of(TeamCoach *c, int n, int64_t id) {
  for (int k = 0; k < n; k++)
    if (c[k].id == id) return &c[k];
  return NULL;
}

enum { COUNT_CHUNK = 50 };

/* Fills the counts of c[0..n), n <= COUNT_CHUNK, with three statements over all of them (`tc.user_id IN
 * (...)`, grouped by coach): one round trip each on PostgreSQL instead of three per coach. */
static int counts_chunk(Db *db, TeamCoach *c, int n, const char *by, int64_t quiet_before,
                        int (*phase_index)(const char *phase)) {
  char in[COUNT_CHUNK * 2 + 8];
  size_t m = 0;
  for (int k = 0; k < n; k++) {
    in[m++] = k ? ',' : '(';
    in[m++] = '?';
  }
  in[m++] = ')';
  in[m] = 0;
  char sql[3][512];
  snprintf(sql[0], sizeof sql[0],
           "SELECT tc.user_id, t.phase, t.status, COUNT(*) AS n, "
           "SUM(CASE WHEN t.status = 'open' AND t.last_activity_at < ? THEN 1 ELSE 0 END) AS quiet "
           "FROM trajectory_coaches tc JOIN trajectories t ON t.id = tc.trajectory_id "
           "WHERE tc.user_id IN %s GROUP BY tc.user_id, t.phase, t.status", in);
  snprintf(sql[1], sizeof sql[1],
           "SELECT tc.user_id, COUNT(*) AS n FROM trajectory_coaches tc JOIN followups f ON f.trajectory_id = "
           "tc.trajectory_id WHERE f.done_on IS NULL AND f.due_on <= ? AND tc.user_id IN %s GROUP BY tc.user_id", in);
  snprintf(sql[2], sizeof sql[2],
           "SELECT tc.user_id, COUNT(*) AS n FROM trajectory_coaches tc JOIN referrals f ON f.trajectory_id = "
           "tc.trajectory_id WHERE f.status IN ('proposed', 'sent', 'accepted') AND tc.user_id IN %s "
           "GROUP BY tc.user_id", in);
  for (int q = 0; q < 3; q++) {
    Stmt *st = db_prepare(db, sql[q]);
    if (!st) return DB_ERROR;
    int i = 1;
    if (q == 0) db_bind_int(st, i++, quiet_before);
    if (q == 1) db_bind_text(st, i++, by);
    for (int k = 0; k < n; k++) db_bind_int(st, i++, c[k].id);
    int rc;
    while ((rc = db_step(st)) == DB_ROW) {
      TeamCoach *t = coach_of(c, n, db_int(st, "user_id"));
      if (!t) continue;
      int64_t v = db_int(st, "n");
      if (q == 1) {
        t->followups_due += v;
      } else if (q == 2) {
        t->referrals += v;
      } else {
        if (strcmp(db_text(st, "status"), "open") == 0) {
          int ph = phase_index(db_text(st, "phase"));
          if (ph >= 0 && ph < 8) t->phase_open[ph] += v;
          t->open += v;
        } else {
          t->closed += v;
        }
        t->quiet += db_int(st, "quiet");
      }
    }
    db_done(st);
    if (rc != DB_DONE) return rc;
  }
  return DB_OK;
}

int team_coach_counts(Db *db, TeamCoach *c, int n, const char *by, int64_t quiet_before,
                      int (*phase_index)(const char *phase)) {
  for (int k = 0; k < n; k += COUNT_CHUNK) {
    int rc = counts_chunk(db, c + k, n - k < COUNT_CHUNK ? n - k : COUNT_CHUNK, by, quiet_before, phase_index);
    if (rc != DB_OK) return rc;
  }
  return DB_OK;
}
