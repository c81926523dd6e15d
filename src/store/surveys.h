/*
 * surveys.h — the experience surveys (migration 030): the participant after closure, the employer's
 * contact after a placement or return to work. Who answered for which trajectory is kept only so that
 * nobody answers twice; the answers themselves carry no trajectory and no person (a month and a team),
 * and are only ever shown in aggregate (pages/reports.c).
 */
#ifndef ZW_STORE_SURVEYS_H
#define ZW_STORE_SURVEYS_H

#include <stdbool.h>
#include <stdint.h>

#include "auth/user.h"
#include "core/mem.h"
#include "db/db.h"

typedef struct SurveySummary {
  int64_t n, satisfaction_sum, recommend; /* responses, sum of the scores 1-5, how many would recommend */
  int nremarks;
  const char **remarks;                   /* the open remarks (arena), in alphabetical order: not attributed */
} SurveySummary;

/* One survey u may still answer. */
typedef struct SurveyDue {
  int64_t trajectory_id;
  const char *respondent; /* "participant" or "employer" */
} SurveyDue;

/* The responses of the months from..to (YYYY-MM-DD, the month counts) for team team_id (0: every team,
 * negative: none) into out[0] (participants) and out[1] (employers), with the remarks when remarks is true
 * (arena). Returns a DB code. */
int surveys_summary(Db *db, Arena *a, const User *u, const char *from, const char *to, int64_t team_id,
                    bool remarks, SurveySummary out[2]);

/* The surveys u may answer now, into *dueand *n (arena): as the participant of a closed trajectory, and as
 * the live work-side member, of the employer's organisation, of a trajectory closed with work. Returns a
 * DB code. */
int surveys_due(Db *db, Arena *a, const User *u, SurveyDue **due, int *n);

typedef struct SurveyAnswer {
  int satisfaction;   /* 1-5 */
  bool recommend;
  const char *remark; /* NULL or "": none */
} SurveyAnswer;

/* Records u's answer for trajectory tid as respondent, in its own transaction: DB_OK; DB_CONSTRAINT
 * when u has answered already; DB_DONE when u may not answer this survey (not due). Returns a DB code. */
int surveys_answer(Db *db, const User *u, int64_t tid, const char *respondent, const SurveyAnswer *ans, int64_t now);

#endif
