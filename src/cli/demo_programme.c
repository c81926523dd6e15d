/*
 * demo_programme.c — see demo_programme.h. Synthetic people only: "Deelnemer P00001" with an address at
 * programme.example, so that nobody real is in it.
 */
#include "cli/demo_programme.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auth/user.h"
#include "cli/cli.h"
#include "core/text.h"
#include "store/protocol.h"

enum { EXTRA_COACHES = 8 };

/* A small deterministic generator (xorshift). */
static uint64_t rng_state = 0x2545F4914F6CDD1DULL;
static int rnd(int n) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return (int)(rng_state % (uint64_t)n);
}

static int64_t insert_id(Stmt *st) {
  int64_t id = 0;
  if (db_step(st) == DB_ROW) id = db_int(st, "id");
  db_done(st);
  return id;
}

/* An items row (case information) of kind for trajectory tid; its id, 0 on failure. */
static int64_t item(Db *db, int64_t tid, const char *kind, const char *category, int64_t author, int64_t at) {
  Stmt *st = db_prepare(db, "INSERT INTO items (trajectory_id, kind, category, author_id, title, body, created_at) "
                            "VALUES (?, ?, ?, ?, ?, '', ?) RETURNING id");
  if (!st) return 0;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, kind);
  db_bind_text(st, 3, category);
  db_bind_int(st, 4, author);
  db_bind_text(st, 5, kind);
  db_bind_int(st, 6, at);
  return insert_id(st);
}

static bool assessment(Db *db, int64_t tid, const char *q, const char *scale, int score, int64_t author, int64_t at) {
  int64_t iid = item(db, tid, "assessment", "health", author, at);
  if (!iid) return false;
  char scores[96];
  snprintf(scores, sizeof scores, "[{\"scale\":\"%s\",\"score\":%d,\"band\":\"\"}]", scale, score);
  Stmt *st = db_prepare(db, "INSERT INTO assessments (item_id, trajectory_id, questionnaire, version, answers, scores, "
                            "filled_by, created_by, created_at) VALUES (?, ?, ?, 1, '{}', ?, 'coach', ?, ?)");
  if (!st) return false;
  db_bind_int(st, 1, iid);
  db_bind_int(st, 2, tid);
  db_bind_text(st, 3, q);
  db_bind_text(st, 4, scores);
  db_bind_int(st, 5, author);
  db_bind_int(st, 6, at);
  return db_run(st) == DB_OK;
}

static bool checkin(Db *db, int64_t tid, int months, int32_t day, int status, int tenths, int64_t author, int64_t at) {
  static const char *const statuses[] = {"same_job", "other_job", "not_working"};
  char due[11];
  date_format(day, due);
  int64_t fid = item(db, tid, "followup", "practical", author, at);
  if (!fid) return false;
  Stmt *st = db_prepare(db, "INSERT INTO followups (item_id, trajectory_id, kind, due_on, done_on, done_by, created_by, "
                            "created_at, months) VALUES (?, ?, 'checkin', ?, ?, ?, ?, ?, ?)");
  if (!st) return false;
  db_bind_int(st, 1, fid);
  db_bind_int(st, 2, tid);
  db_bind_text(st, 3, due);
  db_bind_text(st, 4, due);
  db_bind_int(st, 5, author);
  db_bind_int(st, 6, author);
  db_bind_int(st, 7, at);
  db_bind_int(st, 8, months);
  if (db_run(st) != DB_OK) return false;
  int64_t rid = item(db, tid, "checkin", "work", author, at);
  if (!rid) return false;
  st = db_prepare(db, "INSERT INTO checkin_results (item_id, followup_id, trajectory_id, work_status, "
                      "hours_per_week_tenths, held_on, recorded_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  if (!st) return false;
  db_bind_int(st, 1, rid);
  db_bind_int(st, 2, fid);
  db_bind_int(st, 3, tid);
  db_bind_text(st, 4, statuses[status]);
  db_bind_int(st, 5, status == 2 ? 0 : tenths);
  db_bind_text(st, 6, due);
  db_bind_int(st, 7, author);
  db_bind_int(st, 8, at);
  return db_run(st) == DB_OK;
}

static bool meeting(Db *db, int64_t tid, int64_t starts, int64_t author) {
  static const char *const kinds[] = {"consultation", "evaluation", "intake", "jobcoaching", "other"};
  static const char *const modes[] = {"individual", "group", "online", "phone"};
  Stmt *st = db_prepare(db, "INSERT INTO meetings (trajectory_id, kind, mode, starts_at, duration_minutes, created_by, "
                            "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
  if (!st) return false;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, kinds[rnd(5)]);
  db_bind_text(st, 3, modes[rnd(4)]);
  db_bind_int(st, 4, starts);
  db_bind_int(st, 5, 30 + 15 * rnd(7));
  db_bind_int(st, 6, author);
  db_bind_int(st, 7, starts);
  return db_run(st) == DB_OK;
}

static bool survey(Db *db, const char *respondent, int32_t day, int64_t team, int k) {
  char month[11];
  date_format(day, month);
  month[7] = 0;
  Stmt *st = db_prepare(db, "INSERT INTO survey_responses (respondent, satisfaction, recommend, remark, answered_month, "
                            "team_id) VALUES (?, ?, ?, ?, ?, ?)");
  if (!st) return false;
  char remark[64];
  snprintf(remark, sizeof remark, "Synthetische opmerking %d", k);
  db_bind_text(st, 1, respondent);
  db_bind_int(st, 2, 1 + rnd(5));
  db_bind_int(st, 3, rnd(4) != 0);
  db_bind_text(st, 4, rnd(3) == 0 ? remark : NULL);
  db_bind_text(st, 5, month);
  db_bind_int(st, 6, team);
  return db_run(st) == DB_OK;
}

int demo_programme_arg(int argc, char **argv) {
  for (int i = 1; i + 1 < argc; i++)
    if (!strcmp(argv[i], "--programme")) {
      char *end;
      long n = strtol(argv[i + 1], &end, 10);
      return *end || n < 1 || n > 100000 ? 0 : (int)n;
    }
  return 0;
}

int demo_programme_seed(Db *db, const DemoProgramme *p, int64_t now) {
  static const char *const outcomes[] = {"kept_own_job", "returned_own_job", "other_function_same_employer",
                                         "new_employer", "career_guidance", "specialised_care", "no_work_prospect",
                                         "stopped_by_participant"};
  static const int weights[] = {30, 25, 12, 10, 6, 5, 7, 5}; /* out of 100 */
  static const char *const phases[] = {"registration", "intake", "exploration", "consultation", "action_plan",
                                       "follow_up", "aftercare"};
  rng_state = 0x2545F4914F6CDD1DULL;
  Stmt *st = db_prepare(db, "INSERT INTO organisations (name, kind, created_at) VALUES ('Zorg & Werk Gent', "
                            "'coaching', ?) RETURNING id");
  if (!st) return DB_ERROR;
  db_bind_int(st, 1, now);
  int64_t team2 = insert_id(st);
  if (!team2) return DB_ERROR;
  int64_t coaches[2 + EXTRA_COACHES], teams[2 + EXTRA_COACHES];
  coaches[0] = p->coaches[0], coaches[1] = p->coaches[1], teams[0] = teams[1] = p->coaching;
  for (int i = 0; i < EXTRA_COACHES; i++) {
    char email[64], name[64];
    snprintf(email, sizeof email, "coach%02d@programme.example", i + 1);
    snprintf(name, sizeof name, "Coach %c. Programma", 'A' + i);
    teams[2 + i] = i < 3 ? p->coaching : team2;
    coaches[2 + i] = cli_user_create(db, email, name, ROLE_COACH, teams[2 + i], NULL, "Zorg & Werk coach", NULL);
    if (!coaches[2 + i]) return DB_ERROR;
  }
  int this_year;
  unsigned mm, dd;
  int32_t today = date_today();
  civil_from_days(today, &this_year, &mm, &dd);
  int32_t y0 = days_from_civil(this_year - 1, 1, 1), ylen = days_from_civil(this_year, 1, 1) - y0;
  for (int k = 0; k < p->n; k++) {
    int c = rnd(2 + EXTRA_COACHES);
    int32_t started = y0 + rnd(ylen), absence = started - 14 - rnd(200);
    char first[32], last[32], birth[11], s_started[11], s_absence[11];
    snprintf(first, sizeof first, "Deelnemer");
    snprintf(last, sizeof last, "P%05d", k + 1);
    date_format(days_from_civil(1960 + rnd(42), 1 + (unsigned)rnd(12), 1 + (unsigned)rnd(28)), birth);
    date_format(started, s_started);
    date_format(absence, s_absence);
    int64_t at = (int64_t)started * 86400 + 36000;
    st = db_prepare(db, "INSERT INTO participants (first_name, last_name, birth_date, created_by, created_at) "
                        "VALUES (?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_text(st, 1, first);
    db_bind_text(st, 2, last);
    db_bind_text(st, 3, birth);
    db_bind_int(st, 4, coaches[c]);
    db_bind_int(st, 5, at);
    int64_t pid = insert_id(st);
    if (!pid) return DB_ERROR;
    /* closed in 60 %, when the closure day is not in the future */
    int32_t closed = rnd(10) < 6 ? started + 30 + rnd(300) : 0;
    if (closed > today) closed = 0;
    int oi = -1, tenths = 0;
    if (closed) {
      int w = rnd(100), acc = 0;
      for (oi = 0; oi < 7 && w >= acc + weights[oi]; oi++) acc += weights[oi];
      tenths = oi <= 3 ? 80 + 10 * rnd(31) : 0;
    }
    bool moved = closed || rnd(5) != 0;
    int32_t intake = started + rnd(21);
    if (closed && intake > closed) intake = closed;
    char s_closed[11], s_intake[11];
    date_format(closed, s_closed);
    date_format(intake, s_intake);
    const char *phase = closed ? "closure" : moved ? phases[1 + rnd(6)] : "registration";
    st = db_prepare(db, "INSERT INTO trajectories (participant_id, phase, status, referred_by, reason, employer_org_id, "
                        "absence_start, start_consent, started_on, phase_since, closed_on, outcome, hours_per_week_tenths, "
                        "last_activity_at, created_by, created_at) VALUES (?, ?, ?, 'huisarts', 'synthetisch', ?, ?, "
                        "'synthetisch', ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, pid);
    db_bind_text(st, 2, phase);
    db_bind_text(st, 3, closed ? "closed" : "open");
    db_bind_int(st, 4, p->employers[rnd(4)]);
    db_bind_text(st, 5, s_absence);
    db_bind_text(st, 6, s_started);
    db_bind_text(st, 7, closed ? s_closed : moved ? s_intake : s_started);
    db_bind_text(st, 8, closed ? s_closed : NULL);
    db_bind_text(st, 9, closed ? outcomes[oi] : NULL);
    if (closed) db_bind_int(st, 10, tenths); else db_bind_null(st, 10);
    db_bind_int(st, 11, at);
    db_bind_int(st, 12, coaches[c]);
    db_bind_int(st, 13, at);
    int64_t tid = insert_id(st);
    if (!tid || protocol_on_insert(db, tid) != DB_OK) return DB_ERROR;
    st = db_prepare(db, "INSERT INTO trajectory_coaches (trajectory_id, user_id) VALUES (?, ?)");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, tid);
    db_bind_int(st, 2, coaches[c]);
    if (db_run(st) != DB_OK) return DB_ERROR;
    if (moved) {
      st = db_prepare(db, "INSERT INTO phase_history (trajectory_id, phase, kind, entered_on, entered_by, created_at) "
                          "VALUES (?, 'intake', 'forward', ?, ?, ?)");
      if (!st) return DB_ERROR;
      db_bind_int(st, 1, tid);
      db_bind_text(st, 2, s_intake);
      db_bind_int(st, 3, coaches[c]);
      db_bind_int(st, 4, at);
      if (db_run(st) != DB_OK) return DB_ERROR;
    }
    int32_t end = closed ? closed : today;
    for (int m = rnd(5); m > 0; m--)
      if (!meeting(db, tid, ((int64_t)started + rnd(end - started + 1)) * 86400 + 32400, coaches[c])) return DB_ERROR;
    if (closed && rnd(2)) {
      int k0 = 10 + rnd(40), w0 = rnd(8);
      if (!assessment(db, tid, "k10", "total", k0, coaches[c], at) ||
          !assessment(db, tid, "k10", "total", 10 + rnd(40), coaches[c], (int64_t)closed * 86400) ||
          !assessment(db, tid, "work-ability", "was", w0, coaches[c], at) ||
          !assessment(db, tid, "work-ability", "was", rnd(11), coaches[c], (int64_t)closed * 86400))
        return DB_ERROR;
    }
    if (closed && oi <= 3) {
      static const int months[] = {3, 6, 12};
      for (int i = 0; i < 3; i++) {
        int32_t due = date_add_months(closed, months[i]);
        if (due <= today && rnd(10) < 7 &&
            !checkin(db, tid, months[i], due, rnd(10) < 8 ? rnd(2) : 2, 80 + 10 * rnd(31), coaches[c], (int64_t)due * 86400))
          return DB_ERROR;
      }
    }
    if (closed && rnd(10) < 3 && !survey(db, "participant", closed, teams[c], k)) return DB_ERROR;
    if (closed && oi <= 3 && rnd(10) < 2 && !survey(db, "employer", closed, teams[c], k)) return DB_ERROR;
  }
  return DB_OK;
}
