/*
 * matching.c — see matching.h.
 */
#include "store/matching.h"

#include "store/visibility.h"

/* The openings rule of store/openings.h as a condition over an openings row `o`: two parameters, 1 when u
 * reads every opening (coach, team lead, administrator), and the organisation of a partner u (their own
 * employer's; -1 for anyone else). */
#define MATCH_OPENING_READABLE "(? = 1 OR o.employer_org_id = ?)"

static int bind_readable(Stmt *st, int idx, const User *u) {
  db_bind_int(st, idx, (u->roles & (ROLE_COACH | ROLE_TEAMLEAD | ROLE_ADMIN)) ? 1 : 0);
  db_bind_int(st, idx + 1, (u->roles & ROLE_PARTNER) && u->org_id > 0 ? u->org_id : -1);
  return idx + 2;
}

static int int_or(Stmt *st, const char *col) { return db_null(st, col) ? -1 : (int)db_int(st, col); }

int matching_scan(Db *db, const User *u, const char *today, bool with_texts, void (*cb)(const MatchRow *row, void *ctx),
                  void *ctx) {
  Stmt *st = with_texts
                 ? db_prepare(db, "SELECT o.id, o.work_kind, o.region, o.hours_min, o.hours_max, o.support, o.title, "
                                  "o.tasks FROM openings o WHERE o.status = 'open' AND (o.ends_on IS NULL OR "
                                  "o.ends_on >= ?) AND " MATCH_OPENING_READABLE)
                 : db_prepare(db, "SELECT o.id, o.work_kind, o.region, o.hours_min, o.hours_max, o.support "
                                  "FROM openings o WHERE o.status = 'open' AND (o.ends_on IS NULL OR "
                                  "o.ends_on >= ?) AND " MATCH_OPENING_READABLE);
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, today);
  bind_readable(st, 2, u);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    int hmin = int_or(st, "hours_min");
    MatchRow row = {.id = db_int(st, "id"), .work_kind = db_text(st, "work_kind"), .region = db_text(st, "region"),
                    .hours_min = hmin <= 0 ? -1 : hmin, .hours_max = (int)db_int(st, "hours_max"),
                    .support = (unsigned)db_int(st, "support")};
    if (with_texts) {
      row.title = db_text(st, "title");
      row.tasks = db_text(st, "tasks");
    }
    cb(&row, ctx);
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int matching_opening(Db *db, Arena *a, const User *u, int64_t id, MatchOpeningInfo *out) {
  Stmt *st = db_prepare(db, "SELECT o.id, o.employer_org_id, o.title, o.kind, o.work_kind, o.region, o.hours_min, "
                            "o.hours_max, o.support, o.starts_on, o.tasks, o.status, g.name AS employer_name FROM openings o "
                            "JOIN organisations g ON g.id = o.employer_org_id WHERE o.id = ? AND " MATCH_OPENING_READABLE);
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, id);
  bind_readable(st, 2, u);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    int hmin = int_or(st, "hours_min");
    *out = (MatchOpeningInfo){.id = db_int(st, "id"), .employer_org_id = db_int(st, "employer_org_id"),
                              .title = db_text_copy(a, st, "title"), .kind = db_text_copy(a, st, "kind"),
                              .work_kind = db_text_copy(a, st, "work_kind"), .region = db_text_copy(a, st, "region"),
                              .employer_name = db_text_copy(a, st, "employer_name"),
                              .starts_on = db_text_copy(a, st, "starts_on"), .tasks = db_text_copy(a, st, "tasks"),
                              .status = db_text_copy(a, st, "status"),
                              .hours_min = hmin <= 0 ? -1 : hmin, .hours_max = (int)db_int(st, "hours_max"),
                              .support = (unsigned)db_int(st, "support")};
  }
  db_done(st);
  return rc;
}

int matching_profiles_open(Db *db, Arena *a, int max, MatchProfileRow **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
  Stmt *st = db_prepare(db, "SELECT p.trajectory_id, p.kinds, p.regions, p.avoid, p.hours_now, p.hours_goal, p.support "
                            "FROM job_profiles p JOIN trajectories t ON t.id = p.trajectory_id "
                            "WHERE t.status = 'open' ORDER BY p.trajectory_id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, max);
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < max)
    (*out)[(*n)++] = (MatchProfileRow){.trajectory_id = db_int(st, "trajectory_id"),
                                       .kinds = db_text_copy(a, st, "kinds"), .regions = db_text_copy(a, st, "regions"),
                                       .avoid = db_text_copy(a, st, "avoid"), .hours_now = int_or(st, "hours_now"),
                                       .hours_goal = int_or(st, "hours_goal"),
                                       .support = (unsigned)db_int(st, "support")};
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int matching_own_candidates(Db *db, Arena *a, const User *u, int max, MatchOwn **out, int *n) {
  *n = 0;
  *out = arena_alloc(a, sizeof **out * (size_t)(max + 1));
  Stmt *st = db_prepare(db, "SELECT t.id AS tid, t.participant_id AS pid, pp.first_name, pp.last_name FROM "
                            POLICY_SQL_COACH_JOIN " JOIN participants pp ON pp.id = t.participant_id "
                            "JOIN job_profiles jp ON jp.trajectory_id = t.id WHERE t.status = 'open' "
                            "ORDER BY pp.last_name, pp.first_name, t.id LIMIT ?");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, u->id);
  db_bind_int(st, 2, max);
  int rc;
  while ((rc = db_step(st)) == DB_ROW && *n < max)
    (*out)[(*n)++] = (MatchOwn){.trajectory_id = db_int(st, "tid"), .participant_id = db_int(st, "pid"),
                                .first_name = db_text_copy(a, st, "first_name"),
                                .last_name = db_text_copy(a, st, "last_name")};
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}
