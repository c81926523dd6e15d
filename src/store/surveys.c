/*
 * surveys.c — see surveys.h.
 */
#include "store/surveys.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "core/text.h"

/* The surveys due to a user: one query for both kinds. Its SURVEYS_DUE_PARAMS parameters are the user's id. */
#define SURVEYS_DUE_SQL                                                                                      \
  "SELECT t.id AS trajectory_id, 'participant' AS respondent FROM trajectories t "                           \
  "JOIN participants p ON p.id = t.participant_id "                                                          \
  "WHERE p.user_id = ? AND t.status = 'closed' AND NOT EXISTS (SELECT 1 FROM survey_answers s "             \
  "WHERE s.trajectory_id = t.id AND s.respondent = 'participant' AND s.user_id = ?) "                       \
  "UNION ALL "                                                                                               \
  "SELECT t.id AS trajectory_id, 'employer' AS respondent FROM trajectories t "                              \
  "JOIN network_members nm ON nm.trajectory_id = t.id AND nm.user_id = ? AND nm.side = 'work' "             \
  "AND nm.removed_at IS NULL JOIN users u ON u.id = ? AND u.org_id = t.employer_org_id "                    \
  "WHERE t.status = 'closed' AND t.outcome IN ('kept_own_job', 'returned_own_job', "                         \
  "'other_function_same_employer', 'new_employer') AND NOT EXISTS (SELECT 1 FROM survey_answers s "          \
  "WHERE s.trajectory_id = t.id AND s.respondent = 'employer' AND s.user_id = ?)"
enum { SURVEYS_DUE_PARAMS = 5 };

/* 0 for the participants' answers in the current row of st, 1 for the employers' (a missing value counts as
 * an employer's, so a NULL never reaches strcmp). */
static int respondent_index(Stmt *st) {
  const char *who = db_text(st, "respondent");
  return who && strcmp(who, "participant") == 0 ? 0 : 1;
}

int surveys_summary(Db *db, Arena *a, const User *u, const char *from, const char *to, int64_t team_id,
                    bool remarks, SurveySummary out[2]) {
  (void)u;
  memset(out, 0, sizeof *out * 2);
  if (team_id < 0) return DB_OK;
  char m0[8], m1[8];
  snprintf(m0, sizeof m0, "%.7s", from);
  snprintf(m1, sizeof m1, "%.7s", to);
  Stmt *st = db_prepare(db, "SELECT respondent, COUNT(*) AS n, SUM(satisfaction) AS sat, SUM(recommend) AS rec "
                            "FROM survey_responses WHERE answered_month >= ? AND answered_month <= ? "
                            "AND (? = 0 OR team_id = ?) GROUP BY respondent");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, m0);
  db_bind_text(st, 2, m1);
  db_bind_int(st, 3, team_id);
  db_bind_int(st, 4, team_id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    SurveySummary *s = &out[respondent_index(st)];
    s->n = db_int(st, "n"), s->satisfaction_sum = db_int(st, "sat"), s->recommend = db_int(st, "rec");
  }
  db_done(st);
  if (rc != DB_DONE || !remarks) return rc == DB_DONE ? DB_OK : rc;
  st = db_prepare(db, "SELECT respondent, remark FROM survey_responses WHERE answered_month >= ? "
                      "AND answered_month <= ? AND (? = 0 OR team_id = ?) AND remark IS NOT NULL AND remark <> '' "
                      "ORDER BY remark");
  if (!st) return DB_ERROR;
  db_bind_text(st, 1, m0);
  db_bind_text(st, 2, m1);
  db_bind_int(st, 3, team_id);
  db_bind_int(st, 4, team_id);
  for (int k = 0; k < 2; k++) out[k].remarks = arena_alloc(a, sizeof *out[k].remarks * (size_t)(out[k].n + 1));
  while ((rc = db_step(st)) == DB_ROW) {
    SurveySummary *s = &out[respondent_index(st)];
    if (s->nremarks < s->n) s->remarks[s->nremarks++] = db_text_copy(a, st, "remark");
  }
  db_done(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int surveys_due(Db *db, Arena *a, const User *u, SurveyDue **due, int *n) {
  *n = 0;
  Stmt *st = db_prepare(db, SURVEYS_DUE_SQL " ORDER BY 1, 2");
  if (!st) return DB_ERROR;
  for (int i = 1; i <= SURVEYS_DUE_PARAMS; i++) db_bind_int(st, i, u->id);
  int cap = 16, rc;
  *due = arena_alloc(a, sizeof **due * (size_t)cap);
  while ((rc = db_step(st)) == DB_ROW && *n < cap)
    (*due)[(*n)++] = (SurveyDue){.trajectory_id = db_int(st, "trajectory_id"),
                                 .respondent = db_text_copy(a, st, "respondent")};
  db_done(st);
  return rc == DB_DONE || rc == DB_ROW ? DB_OK : rc;
}

int surveys_answer(Db *db, const User *u, int64_t tid, const char *respondent, const SurveyAnswer *ans, int64_t now) {
  int rc = db_begin(db);
  if (rc != DB_OK) return rc;
  Stmt *st = db_prepare(db, "SELECT trajectory_id FROM (" SURVEYS_DUE_SQL ") d WHERE trajectory_id = ? "
                            "AND respondent = ?");
  if (!st) return db_rollback(db), DB_ERROR;
  for (int i = 1; i <= SURVEYS_DUE_PARAMS; i++) db_bind_int(st, i, u->id);
  db_bind_int(st, SURVEYS_DUE_PARAMS + 1, tid);
  db_bind_text(st, SURVEYS_DUE_PARAMS + 2, respondent);
  rc = db_step(st);
  db_done(st);
  if (rc != DB_ROW) {
    db_rollback(db);
    if (rc != DB_DONE) return rc;
    /* not due: answered already, or not for u */
    st = db_prepare(db, "SELECT id FROM survey_answers WHERE trajectory_id = ? AND respondent = ? AND user_id = ?");
    if (!st) return DB_ERROR;
    db_bind_int(st, 1, tid);
    db_bind_text(st, 2, respondent);
    db_bind_int(st, 3, u->id);
    rc = db_step(st);
    db_done(st);
    return rc == DB_ROW ? DB_CONSTRAINT : rc == DB_DONE ? DB_DONE : rc;
  }
  st = db_prepare(db, "INSERT INTO survey_answers (trajectory_id, respondent, user_id, answered_at) VALUES (?, ?, ?, ?)");
  if (!st) return db_rollback(db), DB_ERROR;
  db_bind_int(st, 1, tid);
  db_bind_text(st, 2, respondent);
  db_bind_int(st, 3, u->id);
  db_bind_int(st, 4, now);
  if ((rc = db_run(st)) != DB_OK) return db_rollback(db), rc;
  char month[11];
  date_format((int32_t)(now / 86400), month);
  month[7] = 0;
  st = db_prepare(db, "INSERT INTO survey_responses (respondent, satisfaction, recommend, remark, answered_month, team_id) "
                      "VALUES (?, ?, ?, ?, ?, (SELECT us.org_id FROM users us WHERE us.id = "
                      "(SELECT MIN(tc.user_id) FROM trajectory_coaches tc WHERE tc.trajectory_id = ?)))");
  if (!st) return db_rollback(db), DB_ERROR;
  db_bind_text(st, 1, respondent);
  db_bind_int(st, 2, ans->satisfaction);
  db_bind_int(st, 3, ans->recommend ? 1 : 0);
  db_bind_text(st, 4, ans->remark && *ans->remark ? ans->remark : NULL);
  db_bind_text(st, 5, month);
  db_bind_int(st, 6, tid);
  if ((rc = db_run(st)) != DB_OK) return db_rollback(db), rc;
  return db_commit(db);
}
