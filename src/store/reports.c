/*
 * reports.c — see reports.h: the per-trajectory facts behind the outcome reports, read in four statements
 * (trajectories, check-in results, questionnaire scores, meetings) and joined in memory by trajectory id.
 */
#include "store/reports.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

const char *const report_outcomes[] = {"kept_own_job",     "returned_own_job", "other_function_same_employer",
                                       "new_employer",     "career_guidance",  "specialised_care",
                                       "no_work_prospect", "stopped_by_participant", NULL};
const int report_checkin_months[REPORT_CHECKIN_MONTHS] = {3, 6, 12};

/* A day number from a YYYY-MM-DD column; 0 when NULL or not a date. */
static int32_t day_of(Stmt *st, const char *col) {
  int32_t d;
  const char *s = db_text(st, col);
  return s && date_parse(s, &d) ? d : 0;
}

static int outcome_index(const char *code) {
  for (int i = 0; code && report_outcomes[i]; i++)
    if (strcmp(report_outcomes[i], code) == 0) return i;
  return -1;
}

/* The fact of trajectory tid in facts (sorted by tid), or NULL. */
static ReportFact *fact_of(ReportFact *facts, int n, int64_t tid) {
  int lo = 0, hi = n - 1;
  while (lo <= hi) {
    int mid = lo + (hi - lo) / 2;
    if (facts[mid].tid == tid) return &facts[mid];
    if (facts[mid].tid < tid) lo = mid + 1;
    else hi = mid - 1;
  }
  return NULL;
}

bool reports_score_tenths(const char *scores, const char *scale, int *tenths) {
  if (!scores || !scale) return false;
  char key[80];
  snprintf(key, sizeof key, "\"scale\":\"%s\"", scale);
  const char *p = strstr(scores, key);
  if (!p) {
    snprintf(key, sizeof key, "\"scale\": \"%s\"", scale);
    if (!(p = strstr(scores, key))) return false;
  }
  const char *end = strchr(p, '}');
  const char *s = strstr(p, "\"score\":");
  if (!s || (end && s > end)) return false;
  s += 8;
  while (*s == ' ') s++;
  char *after;
  double v = strtod(s, &after);
  if (after == s) return false;
  *tenths = (int)(v * 10 + (v < 0 ? -0.5 : 0.5));
  return true;
}

/* Reads the trajectories into *facts and *n (the first statement of reports_facts). */
static int read_trajectories(Db *db, Arena *a, const char *from, const char *to, ReportFact **facts, int *n) {
  Stmt *st = db_prepare(
      db, "SELECT t.id, t.started_on, t.closed_on, t.status, t.phase, t.outcome, t.hours_per_week_tenths, "
          "t.absence_start FROM trajectories t "
          "WHERE t.started_on <= ? AND (t.status = 'open' OR t.closed_on >= ?) ORDER BY t.id");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, to);
  db_bind_text(st, 2, from);
  int cap = 1024, rc;
  *facts = arena_alloc(a, sizeof **facts * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      ReportFact *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
      memcpy(more, *facts, sizeof *more * (size_t)cap);
      *facts = more, cap *= 2;
    }
    ReportFact *f = &(*facts)[(*n)++];
    bool closed = strcmp(db_text(st, "status"), "closed") == 0;
    *f = (ReportFact){.tid = db_int(st, "id"),
                      .registered = day_of(st, "started_on"), .closed = closed ? day_of(st, "closed_on") : 0,
                      .absence = day_of(st, "absence_start"), .outcome = closed ? outcome_index(db_text(st, "outcome")) : -1,
                      .hours_tenths = closed && !db_null(st, "hours_per_week_tenths") ? (int)db_int(st, "hours_per_week_tenths") : -1,
                      .at_work = {-1, -1, -1}};
    f->started = strcmp(db_text(st, "phase"), "registration") != 0 ? f->registered : 0; /* until the history says */
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* The first day past registration from the phase history, and the coach each trajectory counts for (the
 * lowest user id among its coaches) with their organisation. Whole-table passes in key order, joined in
 * memory: cheaper than a correlated subquery per trajectory. */
static int read_history_and_coaches(Db *db, ReportFact *facts, int n) {
  Stmt *st = db_prepare(db, "SELECT trajectory_id, MIN(entered_on) AS moved_on FROM phase_history "
                            "WHERE phase <> 'registration' GROUP BY trajectory_id");
  if (!st) return DB_ERROR;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    ReportFact *f = fact_of(facts, n, db_int(st, "trajectory_id"));
    int32_t d = day_of(st, "moved_on");
    if (f && d) f->started = d;
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  st = db_prepare(db, "SELECT tc.trajectory_id, MIN(tc.user_id) AS coach_id FROM trajectory_coaches tc "
                      "GROUP BY tc.trajectory_id");
  if (!st) return DB_ERROR;
  while ((rc = db_step(st)) == DB_ROW) {
    ReportFact *f = fact_of(facts, n, db_int(st, "trajectory_id"));
    if (f) f->coach_id = db_int(st, "coach_id");
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  st = db_prepare(db, "SELECT id, COALESCE(org_id, 0) AS org_id FROM users WHERE (roles & 2) <> 0 ORDER BY id");
  if (!st) return DB_ERROR;
  int64_t ids[512], orgs[512];
  int nc = 0;
  while ((rc = db_step(st)) == DB_ROW && nc < 512) ids[nc] = db_int(st, "id"), orgs[nc++] = db_int(st, "org_id");
  db_done(st);
  if (rc != DB_DONE && rc != DB_ROW) return rc;
  for (int i = 0; i < n; i++)
    for (int k = 0; k < nc; k++)
      if (ids[k] == facts[i].coach_id) {
        facts[i].team_id = orgs[k];
        break;
      }
  return DB_OK;
}

/* The check-in results at 3, 6 and 12 months of the trajectories read. */
static int read_checkins(Db *db, const char *from, const char *to, ReportFact *facts, int n) {
  (void)from, (void)to; /* the trajectories outside the facts are skipped in memory */
  Stmt *st = db_prepare(db, "SELECT r.trajectory_id, f.months, r.work_status FROM checkin_results r "
                            "JOIN followups f ON f.item_id = r.followup_id WHERE f.months IN (3, 6, 12)");
  if (!st) return DB_ERROR;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    ReportFact *f = fact_of(facts, n, db_int(st, "trajectory_id"));
    int64_t m = db_int(st, "months");
    int k = m == 3 ? 0 : m == 6 ? 1 : 2;
    if (f && f->closed) f->at_work[k] = strcmp(db_text(st, "work_status"), "not_working") != 0;
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* The change from the first to the last K10 and work-ability score of the closed trajectories read. */
static int read_scores(Db *db, const char *from, const char *to, ReportFact *facts, int n) {
  (void)from, (void)to;
  Stmt *st = db_prepare(db, "SELECT a.trajectory_id, a.questionnaire, a.scores FROM assessments a "
                            "WHERE a.questionnaire IN ('k10', 'work-ability') "
                            "ORDER BY a.trajectory_id, a.questionnaire, a.created_at, a.item_id");
  if (!st) return DB_ERROR;
  int rc, first = 0, count = 0;
  int64_t cur = 0;
  bool cur_k10 = false;
  while ((rc = db_step(st)) == DB_ROW) {
    int64_t tid = db_int(st, "trajectory_id");
    bool k10 = strcmp(db_text(st, "questionnaire"), "k10") == 0;
    int v;
    if (!reports_score_tenths(db_text(st, "scores"), k10 ? "total" : "was", &v)) continue;
    if (tid != cur || k10 != cur_k10) cur = tid, cur_k10 = k10, first = v, count = 0;
    if (++count < 2) continue;
    ReportFact *f = fact_of(facts, n, tid);
    if (!f || !f->closed) continue;
    if (k10) f->has_k10 = true, f->k10_change10 = v - first;
    else f->has_was = true, f->was_change10 = v - first;
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* The minutes of meetings held, the minutes in the field and the first employer contact (an evaluation
 * talk, or a meeting with a work-side attendee: a second statement over the few attendees). */
static int read_meetings(Db *db, const char *from, const char *to, int64_t now, ReportFact *facts, int n) {
  (void)from, (void)to; /* the trajectories outside the facts are skipped in memory */
  Stmt *st = db_prepare(
      db, "SELECT m.trajectory_id, SUM(m.duration_minutes) AS minutes, "
          "SUM(CASE WHEN m.kind IN ('evaluation', 'jobcoaching') AND m.mode IN ('individual', 'group') "
          "THEN m.duration_minutes ELSE 0 END) AS field, "
          "MIN(CASE WHEN m.kind = 'evaluation' THEN m.starts_at END) AS first_employer "
          "FROM meetings m WHERE m.starts_at <= ? GROUP BY m.trajectory_id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    ReportFact *f = fact_of(facts, n, db_int(st, "trajectory_id"));
    if (!f) continue;
    f->minutes = db_int(st, "minutes");
    f->field_minutes = db_int(st, "field");
    if (!db_null(st, "first_employer")) f->first_employer = (int32_t)(db_int(st, "first_employer") / 86400);
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  st = db_prepare(db, "SELECT m.trajectory_id, MIN(m.starts_at) AS first_employer FROM meeting_attendees ma "
                      "JOIN network_members nm ON nm.id = ma.member_id AND nm.side = 'work' "
                      "JOIN meetings m ON m.id = ma.meeting_id WHERE m.starts_at <= ? GROUP BY m.trajectory_id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  while ((rc = db_step(st)) == DB_ROW) {
    ReportFact *f = fact_of(facts, n, db_int(st, "trajectory_id"));
    int32_t d = (int32_t)(db_int(st, "first_employer") / 86400);
    if (f && (!f->first_employer || d < f->first_employer)) f->first_employer = d;
  }
  db_done(st);
  if (rc != DB_DONE) return rc;
  /* the contact moments of job coaching (migration 029): their minutes, a visit is time in the field, a
   * contact with the employer is an employer contact */
  st = db_prepare(db, "SELECT trajectory_id, SUM(minutes) AS minutes, "
                      "SUM(CASE WHEN mode = 'visit' THEN minutes ELSE 0 END) AS field, "
                      "MIN(CASE WHEN with_whom IN ('employer', 'both') THEN held_on END) AS first_employer "
                      "FROM job_coaching_contacts WHERE held_on IS NOT NULL AND cancelled_at IS NULL "
                      "AND minutes IS NOT NULL GROUP BY trajectory_id");
  if (!st) return DB_ERROR;
  while ((rc = db_step(st)) == DB_ROW) {
    ReportFact *f = fact_of(facts, n, db_int(st, "trajectory_id"));
    if (!f) continue;
    f->minutes += db_int(st, "minutes");
    f->field_minutes += db_int(st, "field");
    int32_t d = day_of(st, "first_employer");
    if (d && (!f->first_employer || d < f->first_employer)) f->first_employer = d;
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int reports_facts(Db *db, Arena *a, const User *u, int32_t from, int32_t to, int64_t now, ReportFact **facts,
                  int *n) {
  (void)u;
  char f[11], t[11];
  date_format(from, f);
  date_format(to, t);
  *n = 0;
  int rc = read_trajectories(db, a, f, t, facts, n);
  if (rc == DB_OK) rc = read_history_and_coaches(db, *facts, *n);
  if (rc == DB_OK) rc = read_checkins(db, f, t, *facts, *n);
  if (rc == DB_OK) rc = read_scores(db, f, t, *facts, *n);
  if (rc == DB_OK) rc = read_meetings(db, f, t, now, *facts, *n);
  if (rc != DB_OK) *n = 0;
  return rc;
}

int reports_coaches(Db *db, Arena *a, const User *u, ReportCoach **coaches, int *n) {
  (void)u;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT u.id, u.name, COALESCE(u.org_id, 0) AS team_id, "
                            "(SELECT COUNT(*) FROM trajectory_coaches tc JOIN trajectories t ON t.id = tc.trajectory_id "
                            "WHERE tc.user_id = u.id AND t.status = 'open') AS open_now "
                            "FROM users u WHERE (u.roles & 2) <> 0 AND u.active = 1 ORDER BY u.name, u.id");
  if (!st) return DB_ERROR;
  int cap = 64, rc;
  *coaches = arena_alloc(a, sizeof **coaches * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) {
      ReportCoach *more = arena_alloc(a, sizeof *more * (size_t)cap * 2);
      memcpy(more, *coaches, sizeof *more * (size_t)cap);
      *coaches = more, cap *= 2;
    }
    (*coaches)[(*n)++] = (ReportCoach){.id = db_int(st, "id"), .team_id = db_int(st, "team_id"),
                                       .name = db_text_copy(a, st, "name"), .open_now = db_int(st, "open_now")};
  }
  db_done(st);
  if (rc != DB_DONE) *n = 0;
  return rc == DB_DONE ? DB_OK : rc;
}

int reports_teams(Db *db, Arena *a, const User *u, ReportTeam **teams, int *n) {
  (void)u;
  *n = 0;
  Stmt *st = db_prepare(db, "SELECT id, name FROM organisations WHERE kind = 'coaching' AND active = 1 ORDER BY name, id");
  if (!st) return DB_ERROR;
  int cap = 32, rc;
  *teams = arena_alloc(a, sizeof **teams * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW) {
    if (*n == cap) break;
    (*teams)[(*n)++] = (ReportTeam){.id = db_int(st, "id"), .name = db_text_copy(a, st, "name")};
  }
  db_done(st);
  if (rc != DB_DONE && rc != DB_ROW) *n = 0;
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}
