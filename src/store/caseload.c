/*
 * caseload.c — see caseload.h.
 */
#include "store/caseload.h"

#include <string.h>

#include "store/visibility.h"

/* ---- the caseload list ---- */

/* FROM and WHERE shared by the phase counts and the list. Parameters, in order: the coach's user id;
 * status flag (0: all) and status; phase flag (0: all) and phase; search flag (0: none) and the LIKE
 * pattern three times. bind_query() binds them. */
#define CASELOAD_FROM_WHERE                                                                                     \
  " FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id"                            \
  " LEFT JOIN organisations o ON o.id = t.employer_org_id"                                                      \
  " WHERE (? = 0 OR t.status = ?) AND (? = 0 OR t.phase = ?)"                                                   \
  " AND (? = 0 OR LOWER(p.first_name) LIKE LOWER(?) ESCAPE '\\' OR LOWER(p.last_name) LIKE LOWER(?) ESCAPE '\\'" \
  " OR LOWER(p.first_name || ' ' || p.last_name) LIKE LOWER(?) ESCAPE '\\')"

/* The next thing due in a trajectory, each "YYYY-MM-DD what": the open action of the current plan version
 * due first, and the follow-up moment not done yet due first; a closed trajectory has only its check-ins
 * (aftercare). Kept on the trajectory's row (migration 034: next_action, next_followup) by
 * caseload_next_refresh in the transaction of every change, so that the list reads two columns instead of
 * two correlated look-ups per row (~0.2 M instructions of the benchmark's caseload of 20). Ties go to the
 * lower id. The same expressions as the migration's. */
#define CASELOAD_NEXT_SET                                                                                       \
  "UPDATE trajectories SET next_action = (SELECT a.due_on || ' ' || a.text FROM plan_actions a"                  \
  " WHERE a.trajectory_id = trajectories.id AND a.is_current = 1 AND a.status IN ('planned', 'in_progress')"     \
  " AND trajectories.status = 'open' ORDER BY a.due_on, a.id LIMIT 1),"                                         \
  " next_followup = (SELECT f.due_on || ' ' || f.kind FROM followups f WHERE f.trajectory_id = trajectories.id" \
  " AND f.done_on IS NULL AND (trajectories.status = 'open' OR f.kind = 'checkin')"                            \
  " ORDER BY f.due_on, f.item_id LIMIT 1)"

int caseload_next_refresh(Db *db, int64_t tid) {
  Stmt *st = db_prepare(db, CASELOAD_NEXT_SET " WHERE id = ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, tid);
  return db_run(st);
}

int caseload_next_refresh_all(Db *db) {
  Stmt *st = db_prepare(db, CASELOAD_NEXT_SET);
  if (!st) return DB_ERROR;
  return db_run(st);
}

#define CASELOAD_NEXT ", t.next_action, t.next_followup"

#define CASELOAD_LIST(order)                                                                                  \
  "SELECT t.id, t.participant_id, t.phase, t.phase_since, t.started_on, t.last_activity_at, p.first_name,"    \
  " p.last_name, COALESCE(o.name, t.employer_name) AS employer" CASELOAD_NEXT CASELOAD_FROM_WHERE              \
  " ORDER BY " order " LIMIT ? OFFSET ?"

/* The complete statement of each order (CaseloadSort): the sort key chooses a literal, never SQL text. */
static const char *const list_sql[CASELOAD_SORTS] = {
    [CASELOAD_BY_ACTIVITY] = CASELOAD_LIST("t.last_activity_at DESC, t.id DESC"),
    [CASELOAD_BY_NAME] = CASELOAD_LIST("LOWER(p.last_name), LOWER(p.first_name), t.id"),
    [CASELOAD_BY_PHASE] =
        CASELOAD_LIST("CASE t.phase WHEN 'registration' THEN 1 WHEN 'intake' THEN 2 WHEN 'exploration' THEN 3 "
                      "WHEN 'consultation' THEN 4 WHEN 'action_plan' THEN 5 WHEN 'follow_up' THEN 6 "
                      "WHEN 'aftercare' THEN 7 ELSE 8 END, t.phase_since, t.id"),
    [CASELOAD_BY_START] = CASELOAD_LIST("t.started_on DESC, t.id DESC"),
};

/* Turns s into a LIKE pattern "%s%" with \, % and _ escaped by a backslash. Allocates in the arena. */
static const char *like_pattern(Arena *a, const char *s) {
  char *p = arena_alloc(a, strlen(s) * 2 + 3), *d = p;
  *d++ = '%';
  for (; *s; s++) {
    if (*s == '\\' || *s == '%' || *s == '_') *d++ = '\\';
    *d++ = *s;
  }
  *d++ = '%';
  *d = 0;
  return p;
}

/* Binds the CASELOAD_FROM_WHERE parameters from 1; with_phase false leaves the phase filter off (for the
 * per-phase counts). Returns the next parameter index. */
static int bind_query(Arena *a, Stmt *st, const User *u, const CaseloadQuery *q, bool with_phase) {
  const char *like = *q->search ? like_pattern(a, q->search) : "%%";
  db_bind_int(st, 1, u->id);
  db_bind_int(st, 2, strcmp(q->status, "all") != 0);
  db_bind_text(st, 3, q->status);
  db_bind_int(st, 4, with_phase && *q->phase);
  db_bind_text(st, 5, q->phase);
  db_bind_int(st, 6, *q->search != 0);
  for (int i = 7; i <= 9; i++) db_bind_text(st, i, like);
  return 10;
}

int caseload_phase_counts(Db *db, Arena *a, const User *u, const CaseloadQuery *q, CaseloadPhaseCount **out,
                          int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * CASELOAD_PHASES_MAX);
  Stmt *st = db_prepare(db, "SELECT t.phase, COUNT(*) AS n" CASELOAD_FROM_WHERE " GROUP BY t.phase");
  if (!st) return DB_ERROR;
  bind_query(a, st, u, q, false);
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    if (*n < CASELOAD_PHASES_MAX)
      (*out)[(*n)++] = (CaseloadPhaseCount){.phase = arena_strdup(a, db_text(st, "phase")), .n = db_int(st, "n")};
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* Splits "YYYY-MM-DD what" (CASELOAD_NEXT_SET) at its first space into a copy in the arena: *due and *what. */
static void next_split(Arena *a, const char *s, const char **due, const char **what) {
  char *c = arena_strdup(a, s), *sp = strchr(c, ' ');
  if (sp) *sp++ = 0;
  *due = c;
  *what = sp ? sp : "";
}

/* Fills w's next thing due from the current row of st: the earlier of the next action and the next
 * follow-up (the action when both fall on one day). */
static void next_from(Arena *a, CaseloadRow *w, Stmt *st) {
  const char *act = db_null(st, "next_action") ? NULL : db_text(st, "next_action");
  const char *fup = db_null(st, "next_followup") ? NULL : db_text(st, "next_followup");
  if (act && (!fup || strncmp(act, fup, 10) <= 0)) {
    next_split(a, act, &w->next_due, &w->next_what);
  } else if (fup) {
    next_split(a, fup, &w->next_due, &w->next_kind);
    w->next_what = "";
  }
}

int caseload_list(Db *db, Arena *a, const User *u, const CaseloadQuery *q, int limit, int64_t offset,
                  CaseloadRow **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(limit > 0 ? limit : 1));
  if ((unsigned)q->sort >= CASELOAD_SORTS) return DB_ERROR;
  Stmt *st = db_prepare(db, list_sql[q->sort]);
  if (!st) return DB_ERROR;
  int i = bind_query(a, st, u, q, true);
  db_bind_int(st, i, limit);
  db_bind_int(st, i + 1, offset);
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < limit) {
    CaseloadRow *w = &(*out)[(*n)++];
    *w = (CaseloadRow){
        .id = db_int(st, "id"),
        .participant_id = db_int(st, "participant_id"),
        .last_activity_at = db_int(st, "last_activity_at"),
        .first_name = arena_strdup(a, db_text(st, "first_name")),
        .last_name = arena_strdup(a, db_text(st, "last_name")),
        .phase = arena_strdup(a, db_text(st, "phase")),
        .phase_since = arena_strdup(a, db_text(st, "phase_since")),
        .started_on = arena_strdup(a, db_text(st, "started_on")),
        .employer = arena_strdup(a, db_text(st, "employer")),
    };
    next_from(a, w, st);
  }
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

/* ---- the coach's day ---- */

/* A growing arena array of rows. */
typedef struct DayRows {
  DayRow *v;
  int n, cap;
} DayRows;

/* Adds a row with the columns every list has (tid, pid, first_name, last_name): rows arrive per trajectory,
 * so a row of the same trajectory as the one before shares its participant's name. */
static DayRow *day_add(Arena *a, DayRows *rs, Stmt *st) {
  if (rs->n == rs->cap) {
    int ncap = rs->cap ? rs->cap * 2 : 32;
    DayRow *nv = arena_alloc(a, sizeof *nv * (size_t)ncap);
    if (rs->n) memcpy(nv, rs->v, sizeof *nv * (size_t)rs->n);
    rs->v = nv;
    rs->cap = ncap;
  }
  DayRow *w = &rs->v[rs->n++];
  *w = (DayRow){.tid = db_int(st, "tid"), .pid = db_int(st, "pid")};
  const DayRow *prev = rs->n > 1 ? w - 1 : NULL;
  if (prev && prev->tid == w->tid) {
    w->first_name = prev->first_name;
    w->last_name = prev->last_name;
  } else {
    w->first_name = arena_strdup(a, db_text(st, "first_name"));
    w->last_name = arena_strdup(a, db_text(st, "last_name"));
  }
  return w;
}

/* Runs sql for u (the first parameter) and, when given, the date `by` (the next nby parameters), adding a row
 * per result and filling the rest with fill. */
static int day_list(Db *db, Arena *a, const User *u, const char *sql, const char *by, int nby,
                    void (*fill)(Arena *, DayRow *, Stmt *), DayRow **out, int *n) {
  DayRows rs = {0};
  *out = NULL;
  *n = 0;
  Stmt *st = db_prepare(db, sql);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  for (int i = 0; by && i < nby; i++) db_bind_text(st, 2 + i, by);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) fill(a, day_add(a, &rs, st), st);
  db_done(st);
  *out = rs.v;
  *n = rs.n;
  return rc == DB_DONE ? DB_OK : rc;
}

static void fill_open(Arena *a, DayRow *w, Stmt *st) {
  w->phase = arena_strdup(a, db_text(st, "phase"));
  w->at = db_int(st, "last_activity_at");
}

int caseload_open(Db *db, Arena *a, const User *u, DayRow **out, int *n) {
  return day_list(db, a, u,
                  "SELECT t.id AS tid, t.participant_id AS pid, t.phase, t.last_activity_at, p.first_name, "
                  "p.last_name FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id "
                  "WHERE t.status = 'open'",
                  NULL, 0, fill_open, out, n);
}

static void fill_followup(Arena *a, DayRow *w, Stmt *st) {
  w->what = arena_strdup(a, db_text(st, "what"));
  w->due_on = arena_strdup(a, db_text(st, "due_on"));
  w->status = arena_strdup(a, db_text(st, "status"));
  w->months = db_null(st, "months") ? 0 : (int)db_int(st, "months");
}

/* A trajectory whose next follow-up (next_followup, kept by caseload_next_refresh: the first not done, of a
 * closed trajectory the first check-in) falls after `by` has none due: its follow-ups and its participant
 * are not read (the first condition). */
int caseload_followups_due(Db *db, Arena *a, const User *u, const char *by, DayRow **out, int *n) {
  return day_list(db, a, u,
                  "SELECT t.id AS tid, t.participant_id AS pid, t.status, p.first_name, p.last_name, f.kind AS what, "
                  "f.due_on, f.months FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id "
                  "JOIN followups f ON f.trajectory_id = t.id WHERE SUBSTR(t.next_followup, 1, 10) <= ? "
                  "AND (t.status = 'open' OR f.kind = 'checkin') AND f.done_on IS NULL AND f.due_on <= ?",
                  by, 2, fill_followup, out, n);
}

static void fill_referral(Arena *a, DayRow *w, Stmt *st) {
  w->what = arena_strdup(a, db_text(st, "target"));
  w->status = arena_strdup(a, db_text(st, "status"));
  w->at = db_int(st, "status_changed_at");
}

int caseload_open_referrals(Db *db, Arena *a, const User *u, DayRow **out, int *n) {
  return day_list(db, a, u,
                  "SELECT t.id AS tid, t.participant_id AS pid, p.first_name, p.last_name, f.target, f.status, "
                  "f.status_changed_at FROM " POLICY_SQL_COACH_JOIN " JOIN participants p ON p.id = t.participant_id "
                  "JOIN referrals f ON f.trajectory_id = t.id WHERE f.status IN ('proposed', 'sent', 'accepted')",
                  NULL, 0, fill_referral, out, n);
}
